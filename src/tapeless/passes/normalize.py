"""A-normal form: one operation per statement, operands are names or constants.

``y = np.sin(a * b) + c`` becomes ``t1 = a * b; t2 = np.sin(t1); y = t2 + c``. Conditions of
``if`` are named (``cond1 = x > 0``); a statement never reads the name it assigns (``x = x * 2``
becomes ``t1 = x * 2; x = t1``), so the reverse pass can restore the old value in between.
Expressions that are never differentiated (comparisons, ``while`` tests, index expressions)
stay whole.
"""

from __future__ import annotations

import gast

from ..astutil import assign, if_, is_atom, load, names_loaded, target_names


def _at(new, old):
    if hasattr(old, "lineno"):
        gast.copy_location(new, old)
    return new


class Normalize:
    def __init__(self, fs, namer, local_names):
        self.fs = fs
        self.namer = namer
        self.locals = local_names
        self._out = None
        self._origin = None

    def block(self, stmts):
        saved = self._out
        self._out = []
        for s in stmts:
            self._origin = getattr(s, "origin", s)
            self.stmt(s)
        out, self._out = self._out, saved
        return out

    def emit(self, node):
        if not hasattr(node, "origin"):
            node.origin = self._origin
        self._out.append(node)

    def stmt(self, s):
        if isinstance(s, gast.Assign):
            target = s.targets[0]
            value = self.op(s.value)
            stored = set(target_names(target))
            if stored & names_loaded(value) and not isinstance(value, gast.Name):
                tmp = self.namer.temp()
                self.emit(_at(assign(tmp, value), s))
                value = load(tmp)
            if isinstance(value, gast.Name) and value.id in stored:
                return  # x = x
            self.emit(_at(assign(target, value), s))
        elif isinstance(s, gast.Expr):
            self.emit(_at(gast.Expr(value=self.op(s.value)), s))
        elif isinstance(s, gast.If):
            test = s.test
            if not isinstance(test, gast.Name):
                cond = self.namer.numbered("cond")
                self.emit(_at(assign(cond, test), s))
                test = load(cond)
            origin = self._origin
            body, orelse = self.block(s.body), self.block(s.orelse)
            self._origin = origin
            if body or orelse:
                self.emit(_at(if_(test, body, orelse), s))
        elif isinstance(s, gast.While):
            origin = self._origin
            body = self.block(s.body)
            self._origin = origin
            self.emit(_at(gast.While(test=s.test, body=body, orelse=[]), s))
        elif isinstance(s, gast.For):
            it = self._range(s.iter)
            origin = self._origin
            body = self.block(s.body)
            self._origin = origin
            self.emit(_at(gast.For(target=s.target, iter=it, body=body, orelse=[], type_comment=None), s))
        elif isinstance(s, gast.Return):
            value = s.value
            if value is not None:
                if isinstance(value, gast.Tuple):
                    value = gast.Tuple(elts=[self.atom(e) for e in value.elts], ctx=gast.Load())
                elif not is_atom(value):
                    name = self.namer.fresh("value")
                    self.emit(_at(assign(name, self.op(value)), s))
                    value = load(name)
            self.emit(_at(gast.Return(value=value), s))
        else:  # break, assert, raise: not differentiated
            self.emit(s)

    def _range(self, it):
        """A range expression with its operands made atomic."""
        if isinstance(it, gast.Subscript):
            bounds = [self.atom(b) if b is not None else None for b in (it.slice.lower, it.slice.upper, it.slice.step)]
            return _at(gast.Subscript(value=self._range(it.value), slice=gast.Slice(*bounds), ctx=gast.Load()), it)
        new = _at(gast.Call(func=it.func, args=[self.atom(a) for a in it.args], keywords=[]), it)
        new.callee = it.callee
        return new

    def atom(self, expr):
        """``expr`` as a name or constant, emitting a temporary when needed."""
        value = self.op(expr)
        if is_atom(value) or self._global_attr(expr):
            return value
        tmp = self.namer.temp()
        self.emit(_at(assign(tmp, value), expr))
        return load(tmp)

    def _global_attr(self, node):
        root = node
        while isinstance(root, gast.Attribute):
            root = root.value
        return isinstance(node, gast.Attribute) and isinstance(root, gast.Name) and root.id not in self.locals

    def op(self, e):
        """``e`` with each operand made atomic (one operation at the top)."""
        if isinstance(e, gast.BinOp):
            return _at(gast.BinOp(left=self.atom(e.left), op=e.op, right=self.atom(e.right)), e)
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, (gast.USub, gast.UAdd)):
            if isinstance(e.operand, gast.Constant):
                return e
            return _at(gast.UnaryOp(op=e.op, operand=self.atom(e.operand)), e)
        if isinstance(e, gast.Call):
            func = e.func
            callee = getattr(e, "callee", None)
            if callee is not None and callee.kind == "nondiff":
                return e
            if callee is not None and callee.method:
                func = _at(gast.Attribute(value=self.atom(func.value), attr=func.attr, ctx=gast.Load()), func)
            args = [self.atom(a) for a in e.args]
            keywords = [gast.keyword(arg=k.arg, value=self.atom(k.value)) for k in e.keywords]
            new = _at(gast.Call(func=func, args=args, keywords=keywords), e)
            new.callee = callee
            return new
        if isinstance(e, gast.Subscript):
            return _at(gast.Subscript(value=self.atom(e.value), slice=e.slice, ctx=gast.Load()), e)
        if isinstance(e, gast.Attribute) and not self._global_attr(e):
            return _at(gast.Attribute(value=self.atom(e.value), attr=e.attr, ctx=gast.Load()), e)
        if isinstance(e, gast.IfExp):
            result = self.namer.temp()
            origin = self._origin
            body = self.block([_at(assign(result, e.body), e)])
            orelse = self.block([_at(assign(result, e.orelse), e)])
            self._origin = origin
            test = e.test
            if not isinstance(test, gast.Name):
                cond = self.namer.numbered("cond")
                self.emit(_at(assign(cond, test), e))
                test = load(cond)
            self.emit(_at(if_(test, body, orelse), e))
            return load(result)
        if isinstance(e, (gast.Tuple, gast.List)):
            return _at(type(e)(elts=[self.atom(x) for x in e.elts], ctx=gast.Load()), e)
        return e  # names, constants, comparisons, boolean logic, f-strings: kept whole
