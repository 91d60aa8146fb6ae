"""The reverse transform: a normalized body becomes a forward sweep and a backward sweep.

The forward sweep is the primal code (with helper calls replaced by their forward halves and
trip counters on loops). The backward sweep runs the adjoint of each statement in reverse
order. Both carry *markers* where a value may have to be saved (before an assignment) and
restored (after its adjoint); :mod:`.saves` later turns the markers that matter into code.

Adjoints are tracked statically: an adjoint is *set* once something has flowed into it. The
first contribution assigns (``dx = ...``), later ones add (``dx = dx + ...``); where control
flow merges, the paths are made to agree with explicit zeros.
"""

from __future__ import annotations

import builtins
import dataclasses

import gast

from ..analysis.shapes import is_elementwise
from ..astutil import iter_nodes, assign, call, const, if_, load, names_loaded, store, target_names, tuple_
from ..errors import MissingRule, NonDifferentiable
from ..runtime import expand_reduced, index_adjoint, mean_adjoint, unbroadcast

# runtime helpers that read their second argument only for its shape (and dtype)
_SHAPE_ONLY = (unbroadcast, expand_reduced, mean_adjoint, index_adjoint)
from .checks import check_arity, check_operation, helper_arguments
from .ops import STRUCTURAL, carries, classify, operand_names, zero
from .templates import bind, differentiable_params, drop_defaults, instantiate, resolver, result_shaped


def marker(kind, data):
    node = gast.Expr(value=call("__tapeless_marker__"))
    node.marker = (kind, data)
    return node


def is_marker(node):
    return hasattr(node, "marker")


def _is_break_if(s):
    return isinstance(s, gast.If) and len(s.body) == 1 and isinstance(s.body[0], gast.Break) and not s.orelse


class Reverse:
    """Generates the two sweeps of one function (see the module docstring)."""

    def __init__(self, unit):
        self.unit = unit
        self.fs = unit.fs
        self.namer = unit.namer
        self.active = unit.active
        self._resolve = resolver(unit.namer, unit.fs)

    # -- errors ---------------------------------------------------------------------
    def _where(self, node):
        return self.fs.location(node)

    def _depends(self, names):
        act = sorted(names & self.active)
        return ", ".join(act)

    # -- forward sweep ----------------------------------------------------------------
    def forward(self, stmts, loops=()):
        out = []
        for s in stmts:
            s.loops = loops
            if isinstance(s, gast.Assign):
                out.append(marker("save", s))
                out.append(self._forward_assign(s, loops))
            elif isinstance(s, gast.If):
                out.append(gast.copy_location(if_(s.test, self.forward(s.body, loops),
                                                  self.forward(s.orelse, loops)), s))
            elif isinstance(s, gast.For):
                out.extend(self._forward_loop(s, loops))
            elif isinstance(s, gast.While):
                out.extend(self._forward_loop(s, loops))
            else:
                if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and getattr(
                        s.value.callee if hasattr(s.value, "callee") else None, "kind", None) == "append":
                    self._check(s, classify(s.value))
                out.append(s)
        return out

    def _forward_loop(self, s, loops):
        inner = loops + (s,)
        body = self.forward(s.body, inner)
        for i, stmt in enumerate(s.body):
            stmt.top_of = s
        has_break = any(isinstance(st, gast.If) and _is_break_if(st) for st in s.body)
        s.counter = None
        pre, post = [], []
        if isinstance(s, gast.While) or has_break:
            s.counter = self.namer.numbered("n")
            pre.append(assign(s.counter, const(0)))
            body.insert(0, assign(s.counter, gast.BinOp(left=load(s.counter), op=gast.Add(), right=const(1))))
            post.append(marker("trip_save", s))
        end = len(body) - 1 if body and _is_break_if(body[-1]) else len(body)
        body.insert(end, marker("loop_end", s))
        if isinstance(s, gast.For):
            new = gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None)
            pre.insert(0, marker("save", s))
        else:
            new = gast.While(test=s.test, body=body, orelse=[])
        gast.copy_location(new, s)
        return pre + [new] + post

    def _forward_assign(self, s, loops):
        op = classify(s.value)
        self._check(s, op)
        if op.kind == "user" and operand_names(op) & self.active:
            ref = self._helper(s, op)
            s.tape = self.namer.numbered("tape")
            s.saved_names = target_names(s.targets[0]) + [s.tape]
            if loops:  # the tape of the previous iteration is overwritten
                s.maybe_defined = s.maybe_defined | {s.tape}
            new = assign(tuple_([s.targets[0], store(s.tape)], gast.Store()),
                         gast.Call(func=load(ref.fwd), args=s.value.args, keywords=s.value.keywords))
            new.origin = s.origin
            return gast.copy_location(new, s)
        return s

    def _check(self, s, op):
        check_operation(self.fs, op, self.active, "reverse")

    def _helper(self, s, op):
        bound, active_params = helper_arguments(self.fs, op, self.active)
        ref = self.unit.helper(op.func, tuple(active_params), op.node)
        check_arity(self.fs, op, s.targets[0], ref.arity)
        s.helper = (ref, [bound.arguments[p].id for p in active_params])
        return ref

    # -- backward sweep ---------------------------------------------------------------
    def backward(self, stmts, state):
        """Adjoint code for ``stmts`` in reverse order; ``state`` is the set of set adjoints."""
        out = []
        for s in reversed(stmts):
            if isinstance(s, gast.Assign):
                code = self._adjoint_assign(s, state)
                out.extend(_tag(code, s))
                out.append(marker("restore", s))
            elif isinstance(s, gast.If):
                out.extend(self._backward_if(s, state))
            elif isinstance(s, (gast.For, gast.While)):
                out.extend(self._backward_loop(s, state))
        return out

    def _backward_if(self, s, state):
        st1, st2 = set(state), set(state)
        body = self.backward(s.body, st1)
        orelse = self.backward(s.orelse, st2)
        for missing, code in ((st2 - st1, body), (st1 - st2, orelse)):
            for v in sorted(missing):
                if v in s.maybe_defined:
                    code.append(_tag1(self._zero(v), s))
                    if v not in s.must_defined and v not in self.unit.scalars:
                        # on a path where v was never assigned, its zero is never used: start it
                        # as None so reading it for the zero does not fail
                        self.unit.start_as_none.add(v)
                else:
                    st1.discard(v)
                    st2.discard(v)
        state.clear()
        state.update(st1 | st2)
        if not body and not orelse:
            return []
        if not body:
            new = if_(gast.UnaryOp(op=gast.Not(), operand=load(s.test.id)), orelse)
        else:
            new = if_(load(s.test.id), body, orelse)
        return [gast.copy_location(new, s)]

    def _zero(self, v, like=None):
        return assign(self.namer.adjoint(v), zero(self.unit, v if v in self.unit.scalars else like or v))

    def _backward_loop(self, s, state):
        entry = set(state)
        inits = []
        while True:
            snap = self.namer.snapshot()
            trial = set(entry)
            self.backward(s.body, trial)
            self.namer.restore(snap)
            missing = sorted(trial - entry)
            if not missing:
                break
            for v in missing:
                inits.append(_tag1(self._zero(v), s))
                entry.add(v)
        after = set(entry)
        body = self.backward(s.body, after)
        for v in sorted(entry - after):  # killed in the body: zero for the earlier iterations
            body.append(_tag1(self._zero(v), s))
        state.clear()
        state.update(entry)
        if not body:
            return []
        body.insert(0, marker("loop_start", s))
        rev = self.namer.bind("reversed", builtins.reversed)
        if isinstance(s, gast.For):
            rng = s.iter
            if s.counter is not None:
                rng = gast.Subscript(value=rng, slice=gast.Slice(lower=None, upper=load(s.counter), step=None),
                                     ctx=gast.Load())
            loop = gast.For(target=s.target, iter=call(rev, rng), body=body, orelse=[], type_comment=None)
        else:
            loop = gast.For(target=store(self.namer.fresh("_")),
                            iter=call(self.namer.bind("range", builtins.range), load(s.counter)),
                            body=body, orelse=[], type_comment=None)
        gast.copy_location(loop, s)
        loop.loop = s
        out = inits + ([marker("trip_restore", s)] if s.counter is not None else []) + [loop]
        if isinstance(s, gast.For):
            out.append(marker("restore", s))
        return out

    def _adjoint_assign(self, s, state):
        target = s.targets[0]
        op = classify(s.value)
        if isinstance(target, gast.Tuple):
            return self._adjoint_tuple_call(s, op, state)
        t = target.id
        if t not in self.active or t not in state:
            state.discard(t)
            return []
        g = self.namer.adjoint(t)
        state.discard(t)
        code = []
        if op.kind == "copy":
            if op.args[0].id in self.active:
                self._accumulate(op.args[0].id, load(g), state, code)
        elif op.kind == "rule":
            self._apply_rule(s, op, t, g, state, code)
        elif op.kind == "user" and hasattr(s, "helper"):
            self._call_backward(s, [load(g)], state, code)
        return code

    def _apply_rule(self, s, op, t, g, state, code):
        rule = op.rule
        if rule is None:
            raise MissingRule(f"no reverse-mode rule for {op.name}", self._where(op.node),
                              "tapeless.reverse_rule registers one; or use mode='forward'")
        try:
            bindings = bind(rule, op)
        except TypeError as exc:
            raise NonDifferentiable(f"this call of {op.name} is not supported: {exc}", self._where(op.node)) from None
        diff = differentiable_params(rule)
        wanted = []
        for p, node in bindings.items():
            if not carries(node, self.active) or p in STRUCTURAL:
                continue
            act = names_loaded(node) & self.active
            if p not in diff:
                raise NonDifferentiable(
                    f"{op.name} is not differentiated with respect to its argument {p!r}, which "
                    f"depends on {self._depends(act)}", self._where(op.node),
                    "wrap the value in a supported function, or make that argument a constant")
            if not isinstance(node, gast.Name) and not _sequence_of_atoms(node):
                raise NonDifferentiable(
                    f"argument {p!r} of {op.name} is a container of differentiated values",
                    self._where(op.node), "pass the array itself")
            wanted.append(p)
        for p, variant in rule.variants.items():
            if isinstance(bindings.get(p), gast.Constant):
                rule = dataclasses.replace(rule, template=variant, variants={})
        preamble, contributions = instantiate(rule, bindings, t, g, self.namer, wanted)
        code.extend(drop_defaults(stmt, self._resolve) for stmt in preamble)
        self._operands = list(bindings.values())
        self._elementwise = is_elementwise(op)
        for p in wanted:
            node = bindings[p]
            if not isinstance(node, gast.Name):  # a list of arrays (np.stack([a, b])): one adjoint each
                temps = [self.namer.temp() for _ in node.elts]
                code.append(assign(tuple_([store(t) for t in temps], gast.Store()),
                                   drop_defaults(contributions[p], self._resolve)))
                for elt, tmp in zip(node.elts, temps):
                    if isinstance(elt, gast.Name) and elt.id in self.active:
                        self._accumulate(elt.id, load(tmp), state, code)
                continue
            value = drop_defaults(self._unbroadcast(contributions[p], node.id, t), self._resolve)
            self._accumulate(node.id, value, state, code)

    def _unbroadcast(self, value, arg, result):
        """Drop ``unbroadcast(E, a)`` where ``a`` surely has the result's shape; helpers that read
        an argument only for its shape read a never-reassigned name of the same shape."""
        shapes = self.unit.shapes
        for node in iter_nodes(value):
            if isinstance(node, gast.Call) and isinstance(node.func, gast.Name):
                helper = self.namer.env.get(node.func.id)
                if helper in _SHAPE_ONLY and len(node.args) > 1 and isinstance(node.args[1], gast.Name):
                    node.args[1] = load(shapes.stable(node.args[1].id))
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
                and self.namer.env.get(value.func.id) is unbroadcast and len(value.args) == 2):
            return value
        operands = [n for n in self._operands if isinstance(n, (gast.Name, gast.Constant))]
        if result_shaped(self.unit, arg, result, operands, self._elementwise):
            return value.args[0]
        return value

    def _adjoint_tuple_call(self, s, op, state):
        if not hasattr(s, "helper"):
            for name in target_names(s.targets[0]):
                state.discard(name)
            return []
        outs = target_names(s.targets[0])
        if not any(o in state for o in outs):
            return []
        seeds, code = [], []
        for o in outs:
            if o in state:
                seeds.append(load(self.namer.adjoint(o)))
            else:
                seeds.append(zero(self.unit, o))
        for o in outs:
            state.discard(o)
        self._call_backward(s, seeds, state, code)
        return code

    def _call_backward(self, s, seeds, state, code):
        ref, args = s.helper
        temps = [self.namer.temp() for _ in args]
        target = store(temps[0]) if len(temps) == 1 else tuple_([store(t) for t in temps], gast.Store())
        code.append(assign(target, call(ref.bwd, load(s.tape), *seeds)))
        for arg, tmp in zip(args, temps):
            self._accumulate(arg, load(tmp), state, code)

    def _accumulate(self, v, expr, state, code):
        dv = self.namer.adjoint(v)
        if v in state:
            code.append(assign(dv, gast.BinOp(left=load(dv), op=gast.Add(), right=expr)))
        else:
            code.append(assign(dv, expr))
            state.add(v)


def _sequence_of_atoms(node):
    return isinstance(node, (gast.List, gast.Tuple)) and all(
        isinstance(e, (gast.Name, gast.Constant)) for e in node.elts)


def _tag(code, s):
    for c in code:
        _tag1(c, s)
    return code


def _tag1(node, s):
    node.origin = getattr(s, "origin", s)
    return node
