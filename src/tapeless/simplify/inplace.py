"""Accumulate adjoints in place where the gradient owns the array.

A loop's backward sweep adds one contribution per iteration to the adjoint of a parameter:
``dW = zeros_like(W)`` before the loop, ``dW = dW + e`` inside it. Written that way each
iteration allocates a new array. When ``dW`` starts as a fresh zero array that nothing else
refers to, ``dW += e`` computes the same values into the same buffer:

- every assignment to ``dW`` is ``dW = zeros_like(W)`` or ``dW = dW + e`` (with ``e`` not
  reading ``dW``), and ``W`` is a parameter that the function never reassigns, so every
  contribution has ``W``'s shape;
- ``dW`` is read only by its own accumulations, by the final ``return`` and by the
  conversion to its argument's type just before (``dW = like_argument(dW, W)``, which comes
  after every accumulation), so no other name can see the buffer change.

For a Python float ``dW`` (a float parameter), ``dW += e`` makes a new float, as before.
"""

from __future__ import annotations

import gast

from ..astutil import iter_nodes, target_names
from .cleanup import added_terms, walk_stmts


def _is_accumulation(s, name):
    """``s`` is ``name = name + e`` or ``name = name + e1 + e2 ...``, ``name`` read nowhere else."""
    return isinstance(s, gast.Assign) and added_terms(s.value, name) is not None


def _added(value, name):
    """``e`` for ``name + e``, ``e1 + e2`` for ``name + e1 + e2`` (and so on), else None."""
    terms = added_terms(value, name)
    if terms is None:
        return None
    total = terms[0]
    for t in terms[1:]:
        total = gast.BinOp(left=total, op=gast.Add(), right=t)
    return total


def _calls(v, func_name):
    return isinstance(v, gast.Call) and isinstance(v.func, gast.Name) and v.func.id == func_name


def _owned(stmts, zeros_name, params, like_name=None):
    """Adjoint names that only ever hold a fresh zero array plus contributions."""
    candidates = {}
    for s in walk_stmts(stmts):
        if not isinstance(s, gast.Assign) or not isinstance(s.targets[0], gast.Name):
            continue
        v = s.value
        if _calls(v, zeros_name) and len(v.args) == 1 and isinstance(v.args[0], gast.Name) and v.args[0].id in params:
            candidates[s.targets[0].id] = True
    owned = set()
    for name in candidates:
        accumulations, converted, ok = [], set(), True
        for s in walk_stmts(stmts):
            if isinstance(s, gast.Assign) and name in target_names(s.targets[0]):
                if _is_accumulation(s, name):
                    accumulations.append(s)
                elif like_name is not None and _calls(s.value, like_name) and isinstance(
                        s.targets[0], gast.Name) and isinstance(s.value.args[0], gast.Name) and s.value.args[0].id == name:
                    converted.add(id(s.value.args[0]))
                elif not (isinstance(s.targets[0], gast.Name) and _calls(s.value, zeros_name)):
                    ok = False
            elif isinstance(s, gast.For) and name in target_names(s.target):
                ok = False
        if not ok or not accumulations:
            continue
        allowed = {id(_leftmost(s.value)) for s in accumulations} | converted
        for s in walk_stmts(stmts):
            if isinstance(s, gast.Return):
                value = s.value
                allowed |= {id(e) for e in (value.elts if isinstance(value, gast.Tuple) else [value])}
        reads = [n for s in stmts for n in iter_nodes(s)
                 if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load)]
        if all(id(n) in allowed for n in reads):
            owned.add(name)
    return owned


def _leftmost(value):
    while isinstance(value, gast.BinOp):
        value = value.left
    return value


class _InPlace(gast.NodeTransformer):
    def __init__(self, owned):
        self.owned = owned

    def visit_Assign(self, node):
        target = node.targets[0]
        if isinstance(target, gast.Name) and target.id in self.owned and _is_accumulation(node, target.id):
            new = gast.AugAssign(target=target, op=gast.Add(), value=_added(node.value, target.id))
            for attr in ("origin",):
                if hasattr(node, attr):
                    setattr(new, attr, getattr(node, attr))
            return new
        return node


def accumulate_in_place(stmts, zeros_name, params, like_name=None):
    """``stmts`` with ``d = d + e`` written ``d += e`` for the adjoints the gradient owns.
    ``like_name`` is the name of the final conversion ``d = like_argument(d, x)``, if any."""
    if zeros_name is None:
        return stmts
    owned = _owned(stmts, zeros_name, params, like_name)
    if not owned:
        return stmts
    transformer = _InPlace(owned)
    return [transformer.visit(s) for s in stmts]
