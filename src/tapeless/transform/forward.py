"""The forward transform: each statement is followed by the statement computing its tangent.

A normalized body becomes one sweep that computes the primal values and, next to each, the
tangent (directional derivative) ``dy`` of every variable ``y`` that carries a derivative. No
value needs saving: the tangent of a statement is computed right after it, while its
operands still hold the values it read. Control flow is kept as it is.
"""

from __future__ import annotations

import dataclasses

import gast

from ..astutil import assign, call, const, load, names_loaded, store, target_names, tuple_
from ..errors import MissingRule, NonDifferentiable
from ..rules import registry
from ..simplify.zeros import fold_zeros
from .checks import check_arity, check_operation, helper_arguments
from .ops import STRUCTURAL, carries, classify, operand_names, zero
from .templates import bind, differentiable_params, drop_defaults, instantiate_forward, resolver, result_shaped


class Forward:
    def __init__(self, unit):
        self.unit = unit
        self.fs = unit.fs
        self.namer = unit.namer
        self.active = unit.active
        self._resolve = resolver(unit.namer, unit.fs)

    def tangent(self, name):
        return self.namer.adjoint(name)

    def block(self, stmts):
        out = []
        for s in stmts:
            if isinstance(s, gast.Assign):
                out.extend(_tag(self._assign(s), s))
            elif isinstance(s, gast.Expr) and getattr(getattr(s.value, "callee", None), "kind", None) == "append":
                out.extend(_tag(self._push(s), s))
            elif isinstance(s, gast.If):
                out.append(gast.copy_location(gast.If(test=s.test, body=self.block(s.body),
                                                      orelse=self.block(s.orelse)), s))
            elif isinstance(s, gast.For):
                out.append(gast.copy_location(gast.For(target=s.target, iter=s.iter, body=self.block(s.body),
                                                       orelse=[], type_comment=None), s))
            elif isinstance(s, gast.While):
                out.append(gast.copy_location(gast.While(test=s.test, body=self.block(s.body), orelse=[]), s))
            else:
                out.append(s)
        return out

    def _zero(self, node):
        return zero(self.unit, node)

    def _tangent_target(self, target):
        """Where the tangents of an assignment's targets go, in the same (nested) structure."""
        if isinstance(target, gast.Tuple):
            return tuple_([self._tangent_target(e) for e in target.elts], gast.Store())
        return store(self.tangent(target.id))

    def _push(self, s):
        """``stack.append(e)`` pushes the tangent of ``e`` on the tangent stack."""
        stack = s.value.func.value.id
        if stack not in self.active:
            return [s]
        value = s.value.args[0]
        elts = value.elts if isinstance(value, gast.Tuple) else [value]
        tangents = [load(self.tangent(e.id)) if isinstance(e, gast.Name) and e.id in self.active
                    else self._zero(e.id) if isinstance(e, gast.Name) else const(0.0) for e in elts]
        pushed = tuple_(tangents) if isinstance(value, gast.Tuple) else tangents[0]
        return [s, gast.Expr(value=call(gast.Attribute(value=load(self.tangent(stack)), attr="append",
                                                       ctx=gast.Load()), pushed))]

    def _assign(self, s):
        target = s.targets[0]
        op = classify(s.value)
        self._check(op)
        names = target_names(target)
        if op.kind == "pop" and op.args[0].id in self.active:  # every push had a tangent: pop it too
            return [s, assign(self._tangent_target(target), call(gast.Attribute(
                value=load(self.tangent(op.args[0].id)), attr="pop", ctx=gast.Load())))]
        if not any(n in self.active for n in names):
            return [s]
        if isinstance(s.value, gast.List) and not s.value.elts:  # stack = []
            return [s, assign(self.tangent(target.id), gast.List(elts=[], ctx=gast.Load()))]
        if op.kind == "user" and operand_names(op) & self.active:
            return [self._call_helper(s, op)]
        if isinstance(target, gast.Tuple):
            return [s] + [assign(self.tangent(n), self._zero(n)) for n in names if n in self.active]
        t = target.id
        if op.kind == "copy" and op.args[0].id in self.active:
            return [s, assign(self.tangent(t), load(self.tangent(op.args[0].id)))]
        if op.kind == "rule":
            rule = registry.lookup_forward(op.key)
            if rule is None:
                raise MissingRule(f"no forward-mode rule for {op.name}", self.fs.location(op.node),
                                  "tapeless.forward_rule registers one; or use mode='reverse'")
            value = self._tangent_expr(s, op, rule, t)
            if value is not None:
                preamble, expr = value
                return [s] + preamble + [assign(self.tangent(t), expr)]
        return [s, assign(self.tangent(t), self._zero(t))]

    def _tangent_expr(self, s, op, rule, t):
        try:
            bindings = bind(rule, op)
        except TypeError as exc:
            raise NonDifferentiable(f"this call of {op.name} is not supported: {exc}",
                                    self.fs.location(op.node)) from None
        for p, variant in rule.variants.items():
            if isinstance(bindings.get(p), gast.Constant):
                rule = dataclasses.replace(rule, template=variant, variants={})
        tangents = {}
        flowing = differentiable_params(rule)
        for p, node in bindings.items():
            if not carries(node, self.active) or p in rule.shape_only or p in STRUCTURAL:
                continue
            if p not in flowing:
                raise NonDifferentiable(
                    f"{op.name} is not differentiated (in forward mode) with respect to its argument {p!r}, "
                    f"which depends on {', '.join(sorted(names_loaded(node) & self.active))}",
                    self.fs.location(op.node), "make that argument a constant, or use mode='reverse'")
            if isinstance(node, (gast.List, gast.Tuple)) and all(
                    isinstance(e, (gast.Name, gast.Constant)) for e in node.elts):  # np.stack([a, b])
                tangents[p] = type(node)(elts=[load(self.tangent(e.id)) if isinstance(e, gast.Name) and e.id in
                                               self.active else self._zero(e) for e in node.elts], ctx=gast.Load())
                continue
            if not isinstance(node, gast.Name):
                raise NonDifferentiable(f"argument {p!r} of {op.name} is a container of differentiated values",
                                        self.fs.location(op.node), "pass the array itself")
            tangents[p] = self.tangent(node.id)
        preamble, expr = instantiate_forward(rule, bindings, t, tangents, self.namer)
        expr = fold_zeros(expr, self._resolve)
        if expr is None:
            return None
        return preamble, drop_defaults(self._lift(expr, t, bindings), self._resolve)

    def _lift(self, expr, result, bindings):
        """``lift(d, ans)`` is ``d`` where the operand surely has the result's shape."""
        lift = _lift_fn()
        operands = [n for n in bindings.values() if isinstance(n, (gast.Name, gast.Constant))]
        by_tangent = {self.tangent(n.id): n.id for n in operands if isinstance(n, gast.Name)}
        resolve, unit = self._resolve, self.unit

        class Elide(gast.NodeTransformer):
            def visit_Call(self, node):
                self.generic_visit(node)
                d = node.args[0] if node.args else None
                if (resolve(node.func) is lift and isinstance(d, gast.Name) and d.id in by_tangent
                        and result_shaped(unit, by_tangent[d.id], result, operands)):
                    return d
                return node

        return Elide().visit(expr)

    def _check(self, op):
        check_operation(self.fs, op, self.active, "forward")

    def _call_helper(self, s, op):
        bound, active_params = helper_arguments(self.fs, op, self.active)
        ref = self.unit.session.forward_helper(op.func, tuple(active_params), self.namer)
        target = s.targets[0]
        check_arity(self.fs, op, target, ref.arity)
        keywords = list(s.value.keywords) + [
            gast.keyword(arg=ref.tangent_params[p], value=load(self.tangent(bound.arguments[p].id)))
            for p in active_params]
        new = assign(tuple_([target, self._tangent_target(target)], gast.Store()),
                     gast.Call(func=load(ref.name), args=s.value.args, keywords=keywords))
        return gast.copy_location(new, s)


def _lift_fn():
    from ..runtime import lift

    return lift


def _tag(code, s):
    for c in code:
        c.origin = getattr(s, "origin", s)
    return code
