"""Rewrite sugar into the small core the transformer knows.

- docstrings and ``pass`` go; ``x += y`` becomes ``x = x + y``;
- ``a = b = e`` and ``a, b = b, a`` become single assignments (through temporaries when needed);
- ``for`` over anything but ``range`` becomes a ``for`` over ``range`` with an index, and a
  ``for`` over a literal tuple or list is unrolled;
- ``break``, ``continue`` and early ``return`` become flags, so each loop body runs to its end
  and the function returns once, at its end.
"""

from __future__ import annotations

import builtins

import gast

from ..astutil import (iter_nodes, assign, call, clone, const, if_, load, names_loaded, names_stored, not_, target_names)
from ..errors import UnsupportedSyntax


def _located(new, old):
    return gast.copy_location(new, old) if hasattr(old, "lineno") else new


class Desugar:
    def __init__(self, fs, namer):
        self.fs = fs
        self.namer = namer
        self.augmented = []  # (name, node) of each x op= y, checked for aliasing later

    # -- statements ---------------------------------------------------------------
    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s):
        origin = getattr(s, "origin", s)
        out = self._stmt(s)
        for new in out:
            if not hasattr(new, "origin"):
                new.origin = origin
        return out

    def _stmt(self, s):
        if isinstance(s, gast.Pass):
            return []
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant):
            return []  # a docstring or a bare constant
        if isinstance(s, gast.AugAssign):
            origin = getattr(s, "origin", s)
            self.augmented.append((s.target.id, origin))
            value = _located(gast.BinOp(left=load(s.target.id), op=s.op, right=s.value), s)
            return self.stmt(_located(assign(s.target.id, value, origin=origin), s))
        if isinstance(s, gast.Assign):
            return self.assign(s)
        if isinstance(s, gast.If):
            return [gast.copy_location(if_(s.test, self.block(s.body), self.block(s.orelse)), s)]
        if isinstance(s, gast.While):
            return [gast.copy_location(gast.While(test=s.test, body=self.block(s.body), orelse=[]), s)]
        if isinstance(s, gast.For):
            return self.for_(s)
        return [s]

    def assign(self, s):
        value = s.value
        if len(s.targets) > 1:  # a = b = e
            first, *rest = s.targets
            out = self.stmt(_located(assign(first, value), s))
            src = first.id if isinstance(first, gast.Name) else None
            if src is None:
                raise UnsupportedSyntax("chained assignment to a tuple", self.fs.location(s),
                                        "write one assignment per line")
            for t in rest:
                out += self.stmt(_located(assign(t, load(src)), s))
            return out
        target = s.targets[0]
        if isinstance(target, gast.Name):
            return [s]
        # tuple targets
        elts = target.elts
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(elts) and not any(
                isinstance(e, gast.Starred) for e in value.elts):
            stored = set(target_names(target))
            if stored & names_loaded(value.elts):  # a, b = b, a: go through temporaries
                temps = [self.namer.temp() for _ in elts]
                out = [_located(assign(t, v), s) for t, v in zip(temps, value.elts)]
                out += [_located(assign(e, load(t)), s) for e, t in zip(elts, temps)]
            else:
                out = [_located(assign(e, v), s) for e, v in zip(elts, value.elts)]
            return self.block(out)
        if isinstance(value, gast.Call) and getattr(value.callee, "kind", None) in ("user", "pop") and _names_only(
                target):
            return [s]  # a, b = helper(x): the helper's gradient returns a tuple; a, b = stack.pop()
        tmp = self.namer.temp()
        out = [_located(assign(tmp, value), s)]
        for i, e in enumerate(elts):
            item = _located(gast.Subscript(value=load(tmp), slice=const(i), ctx=gast.Load()), s)
            out.append(_located(assign(e, item), s))
        return self.block(out)

    def _range_like(self, it):
        """``it`` as a range expression (``range(...)``, a slice of one, ``reversed`` of one as
        ``range(...)[::-1]``), or None."""
        callee = getattr(it, "callee", None)
        if isinstance(it, gast.Call) and callee is not None and callee.kind == "nondiff" and not it.keywords:
            if callee.key is builtins.range:
                return it
            if callee.key is builtins.reversed and len(it.args) == 1 and self._range_like(it.args[0]) is not None:
                flipped = gast.Slice(lower=None, upper=None, step=const(-1))
                return _located(gast.Subscript(value=self._range_like(it.args[0]), slice=flipped, ctx=gast.Load()), it)
        if isinstance(it, gast.Subscript) and isinstance(it.slice, gast.Slice) and self._range_like(it.value) is not None:
            return it
        return None

    def for_(self, s):
        it = s.iter
        body = s.body
        if self._range_like(it) is not None:
            it = self._range_like(it)
            if not isinstance(s.target, gast.Name):
                raise UnsupportedSyntax("a tuple target in a for over range", self.fs.location(s.target),
                                        "use one loop variable")
            return [gast.copy_location(gast.For(target=s.target, iter=it, body=self.block(body), orelse=[],
                                                type_comment=None), s)]
        if isinstance(it, (gast.Tuple, gast.List)):
            return self.unroll(s)
        pre = []
        if isinstance(it, gast.Call) and it.callee.key in (builtins.enumerate, builtins.zip) and not it.keywords:
            inner = it.args[0] if it.callee.key is builtins.enumerate and len(it.args) == 1 else None
            if isinstance(inner, gast.Call) and getattr(inner, "callee", None) is not None and (
                    inner.callee.key is builtins.zip and not inner.keywords and isinstance(s.target, gast.Tuple)
                    and len(s.target.elts) == 2 and isinstance(s.target.elts[1], gast.Tuple)):
                # for i, (a, b) in enumerate(zip(xs, ys)): the zip form with a named index
                zipped = gast.For(target=s.target.elts[1], iter=inner, body=s.body, orelse=[], type_comment=None)
                gast.copy_location(zipped, s)
                zipped.index = s.target.elts[0]
                return self.for_(zipped)
            seqs = []
            for arg in it.args:
                name = self._name_for(arg, pre, s)
                seqs.append(name)
            if it.callee.key is builtins.enumerate:
                if len(seqs) != 1 or not isinstance(s.target, gast.Tuple) or len(s.target.elts) != 2:
                    raise UnsupportedSyntax("this form of enumerate", self.fs.location(it),
                                            "write: for i, x in enumerate(xs)")
                index = s.target.elts[0]
                if not isinstance(index, gast.Name):
                    raise UnsupportedSyntax("a tuple as the index of enumerate", self.fs.location(index),
                                            "write: for i, x in enumerate(xs)")
                bind = [(s.target.elts[1], seqs[0])]
                count = self._builtin("len", load(seqs[0]))
            else:
                if not isinstance(s.target, gast.Tuple) or len(s.target.elts) != len(seqs):
                    raise UnsupportedSyntax("this form of zip", self.fs.location(it),
                                            "write: for a, b in zip(xs, ys)")
                index = getattr(s, "index", None) or gast.Name(id=self.namer.fresh("k"), ctx=gast.Store(),
                                                               annotation=None, type_comment=None)
                bind = list(zip(s.target.elts, seqs))
                count = self._builtin("min", *[self._builtin("len", load(q)) for q in seqs]) if len(
                    seqs) > 1 else self._builtin("len", load(seqs[0]))
        else:
            seq = self._name_for(it, pre, s)
            index = gast.Name(id=self.namer.fresh("k"), ctx=gast.Store(), annotation=None, type_comment=None)
            bind = [(s.target, seq)]
            count = self._builtin("len", load(seq))
        range_call = self._builtin("range", count)
        picks = []
        for target, seq in bind:
            item = _located(gast.Subscript(value=load(seq), slice=load(index.id), ctx=gast.Load()), s)
            picks.append(_located(assign(target, item), s))
        new_body = self.block(picks) + self.block(body)
        loop = gast.copy_location(gast.For(target=index, iter=range_call, body=new_body, orelse=[],
                                           type_comment=None), s)
        return self.block(pre) + [loop]

    def _builtin(self, name, *args):
        """A call of a builtin through a name that surely means it (the user may shadow ``len``)."""
        from .resolve import Callee

        obj = getattr(builtins, name)
        node = call(self.namer.bind(name, obj), *args)
        node.callee = Callee("nondiff", name, key=obj)
        return node

    def _name_for(self, expr, pre, s):
        """A name holding the sequence ``expr`` as it is when the loop starts (Python evaluates
        a loop's iterable once: ``for r in x: x = x * 0.5`` still walks the first ``x``).
        ``reversed(xs)`` is walked as ``xs[::-1]``, which has a length and an adjoint."""
        callee = getattr(expr, "callee", None)
        if (isinstance(expr, gast.Call) and callee is not None and callee.key is builtins.reversed
                and len(expr.args) == 1 and not expr.keywords):
            flipped = gast.Slice(lower=None, upper=None, step=const(-1))
            expr = _located(gast.Subscript(value=expr.args[0], slice=flipped, ctx=gast.Load()), expr)
        if isinstance(expr, gast.Name) and expr.id not in names_stored(s.body) | set(target_names(s.target)):
            return expr.id
        tmp = self.namer.fresh("seq")
        pre.append(_located(assign(tmp, expr), s))
        return tmp

    def unroll(self, s):
        node = _own_jump(s.body)
        if node is not None:
            raise UnsupportedSyntax(
                f"{type(node).__name__.lower()} in a loop over a literal tuple or list",
                self.fs.location(node), "loop over range(len(items)) instead")
        out, items = [], []
        for item in s.iter.elts:  # the tuple is built once, before the body can rebind its names
            if isinstance(item, gast.Constant):
                items.append(item)
                continue
            tmp = self.namer.temp()
            out += self.stmt(_located(assign(tmp, item), s))
            items.append(load(tmp))
        for item in items:
            out += self.stmt(_located(assign(clone(s.target), item), s))
            out += self.block(clone(s.body))
        return out


class LowerJumps:
    """Turn break, continue and early return into flags (see the module docstring)."""

    def __init__(self, namer):
        self.namer = namer
        self.returned = None
        self.result = None
        self.arity = None

    def function(self, body):
        last = body[-1] if body else None
        early = any(isinstance(n, gast.Return) for s in body[:-1] for n in iter_nodes(s)) or (
            last is not None and not isinstance(last, gast.Return)
            and any(isinstance(n, gast.Return) for n in iter_nodes(last)))
        if not early:
            return self.block(body, None)
        self.returned = self.namer.fresh("returned")
        self.arity = _tuple_arity(body)
        if self.arity:  # every return gives a tuple of the same length: one result name each
            self.result = [self.namer.fresh(f"result{i + 1}") for i in range(self.arity)]
            returned_value = gast.Tuple(elts=[load(r) for r in self.result], ctx=gast.Load())
        else:
            self.result = self.namer.fresh("result")
            returned_value = load(self.result)
        new = self.block(body, None)
        start = assign(self.returned, const(False))
        start.origin = body[0]
        if not isinstance(last, gast.Return):  # some path may fall off the end: it returns None
            names = self.result if self.arity else [self.result]
            start = [start] + [_tag(assign(r, const(None)), body[0]) for r in names]
            return start + new + [_tag(gast.Return(value=(gast.Tuple(elts=[load(r) for r in names], ctx=gast.Load())
                                                           if self.arity else load(self.result))), body[-1])]
        end = gast.Return(value=returned_value)
        end.origin = body[-1]
        return [start] + new + [end]

    def block(self, stmts, loop):
        out = []
        for i, s in enumerate(stmts):
            if isinstance(s, gast.Return):
                if self.returned is None:
                    out.append(s)
                else:
                    value = s.value if s.value is not None else const(None)
                    if self.arity:
                        out += [_tag(assign(r, v), s) for r, v in zip(self.result, value.elts)]
                    else:
                        out.append(_tag(assign(self.result, value), s))
                    out.append(_tag(assign(self.returned, const(True)), s))
                return out
            if isinstance(s, gast.Break):
                loop["break"] = loop.get("break") or self.namer.fresh("broke")
                out.append(_tag(assign(loop["break"], const(True)), s))
                return out
            if isinstance(s, gast.Continue):
                loop["continue"] = loop.get("continue") or self.namer.fresh("skip")
                out.append(_tag(assign(loop["continue"], const(True)), s))
                return out
            if isinstance(s, gast.If):
                new = _tag(if_(s.test, self.block(s.body, loop), self.block(s.orelse, loop)), s)
                gast.copy_location(new, s)
            elif isinstance(s, (gast.For, gast.While)):
                new = self.loop(s)
            else:
                out.append(s)
                continue
            out.extend(new if isinstance(new, list) else [new])
            flags = self._flags_set(new, loop)
            if flags and stmts[i + 1:]:
                rest = self.block(stmts[i + 1:], loop)
                if rest:
                    out.append(_tag(if_(not_(_any(flags)), rest), stmts[i + 1]))
                return out
        return out

    def loop(self, s):
        flags = {}
        body = self.block(s.body, flags)
        pre = []
        if "continue" in flags:
            body = [_tag(assign(flags["continue"], const(False)), s)] + body
        exits = [f for f in (flags.get("break"), self.returned) if f is not None and _sets(body, f)]
        if "break" in flags:
            pre.append(_tag(assign(flags["break"], const(False)), s))
        if exits:
            body.append(_tag(if_(_any(exits), [_tag(gast.Break(), s)]), s))
        if isinstance(s, gast.For):
            new = gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None)
        else:
            new = gast.While(test=s.test, body=body, orelse=[])
        gast.copy_location(new, s)
        new.origin = getattr(s, "origin", s)
        return pre + [new]

    def _flags_set(self, stmts, loop):
        stmts = stmts if isinstance(stmts, list) else [stmts]
        flags = []
        candidates = [self.returned] + ([loop.get("break"), loop.get("continue")] if loop is not None else [])
        for f in candidates:
            if f is not None and _sets(stmts, f):
                flags.append(f)
        return flags


def _tuple_arity(body):
    """The common length of the tuples every return gives, or None."""
    lengths = set()
    for st in body:
        for node in gast.walk(st):
            if isinstance(node, gast.Return):
                if not isinstance(node.value, gast.Tuple):
                    return None
                lengths.add(len(node.value.elts))
    return lengths.pop() if len(lengths) == 1 else None


def _own_jump(stmts):
    """The first break or continue that belongs to the loop whose body is ``stmts``."""
    for st in stmts:
        if isinstance(st, (gast.Break, gast.Continue)):
            return st
        if isinstance(st, gast.If):
            found = _own_jump(st.body) or _own_jump(st.orelse)
            if found is not None:
                return found
    return None


def _names_only(target):
    """A name, or a (nested) tuple of names."""
    if isinstance(target, gast.Name):
        return True
    return isinstance(target, gast.Tuple) and all(_names_only(e) for e in target.elts)


def _sets(stmts, name):
    for s in stmts:
        for n in iter_nodes(s):
            if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Store):
                return True
    return False


def _any(flags):
    if len(flags) == 1:
        return load(flags[0])
    return gast.BoolOp(op=gast.Or(), values=[load(f) for f in flags])


def _tag(node, origin):
    node.origin = getattr(origin, "origin", origin)
    return node


_ITERATORS = {builtins.reversed: "reversed", builtins.zip: "zip", builtins.enumerate: "enumerate"}


def check_iterators(fs, body):
    """Refuse ``reversed``, ``zip`` and ``enumerate`` anywhere but a ``for`` loop's header (the
    only place desugaring turns them into indexing): elsewhere their iterator has no length to
    loop over, and no derivative would flow through it."""
    for node in gast.walk(gast.Module(body=body, type_ignores=[])):
        callee = getattr(node, "callee", None)
        if isinstance(node, gast.Call) and callee is not None and callee.kind == "nondiff":
            try:
                name = _ITERATORS.get(callee.key)
            except TypeError:  # an unhashable object
                continue
            if name is not None:
                raise UnsupportedSyntax(
                    f"{name}(...) outside the header of a for loop", fs.location(node),
                    f"loop over it where it is made (for ... in {name}(...):)"
                    + (", or index the array: xs[::-1]" if name == "reversed" else ""))
