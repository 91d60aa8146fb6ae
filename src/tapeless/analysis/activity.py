"""Activity: which variables may carry a derivative (depend on a differentiated input)."""

from __future__ import annotations

import gast

from ..astutil import iter_nodes, names_loaded, target_names
from ..transform.ops import classify, operand_names

_CARRIES = ("copy", "rule", "user", "unknown", "container")


def assignments(stmts):
    """Every Assign in ``stmts``, nested blocks included, in textual order."""
    for s in stmts:
        if isinstance(s, gast.Assign):
            yield s
        for field in ("body", "orelse"):
            yield from assignments(getattr(s, field, []) or [])


def _pushes(stmts):
    """``(list name, pushed expression)`` of every ``stack.append(e)`` in ``stmts``."""
    for s in stmts:
        if (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)
                and getattr(getattr(s.value, "callee", None), "kind", None) == "append"):
            yield s.value.func.value.id, s.value.args[0]
        for field in ("body", "orelse"):
            yield from _pushes(getattr(s, field, []) or [])


def active_variables(body, wrt) -> set:
    """The variables that may depend on the parameters ``wrt`` (a fixed point over the body).

    A list used as a stack (``stack.append(e)``, ``x = stack.pop()``, in generated gradients)
    carries a derivative when something pushed on it does. A pop restores a variable's own
    earlier value, so it changes no variable's activity, except for a name only pops assign
    (what another function pushed), which carries a derivative when its stack does."""
    active = set(wrt)
    stmts = list(assignments(body))
    ops = [classify(s.value) for s in stmts]
    pushes = list(_pushes(body))
    flows = [(target_names(s.targets[0]), operand_names(op)) for s, op in zip(stmts, ops)
             if op.kind in _CARRIES]
    flows += [([stack], names_loaded(value)) for stack, value in pushes]
    # a name assigned only by pops holds what another function pushed (a helper's tape)
    others = {n for s, op in zip(stmts, ops) if op.kind != "pop" for n in target_names(s.targets[0])}
    flows += [([n for n in target_names(s.targets[0]) if n not in others], {op.args[0].id})
              for s, op in zip(stmts, ops) if op.kind == "pop"]
    changed = True
    while changed:
        changed = False
        for targets, sources in flows:
            if sources & active:
                for name in targets:
                    if name not in active:
                        active.add(name)
                        changed = True
    return active


def annotate_defined(params, body) -> None:
    """Mark each statement with ``maybe_defined`` (names that may hold a value before it) and
    ``must_defined`` (names that surely do).

    Textual order approximates the paths (sound for structured code); inside a loop, every
    name the loop assigns may also hold a value from the previous iteration.
    """
    seen = set(params)
    must = set(params)

    def walk(stmts, extra, top):
        for s in stmts:
            s.maybe_defined = seen | extra
            s.must_defined = set(must)
            if isinstance(s, (gast.For, gast.While)):
                inner = extra | _stored(s)
                walk(s.body, inner, False)
            elif isinstance(s, gast.If):
                walk(s.body, extra, False)
                walk(s.orelse, extra, False)
            seen.update(_stored(s))
            if top and isinstance(s, gast.Assign):
                must.update(_stored(s))

    walk(body, set(), True)


def _stored(s):
    out = set()
    for n in iter_nodes(s):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
            out.add(n.id)
    return out
