"""Constant folding and algebraic identities on generated (backward) expressions."""

from __future__ import annotations

import operator

import gast

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Pow: operator.pow}


def _number(node):
    if isinstance(node, gast.Constant) and type(node.value) in (int, float):
        return node.value
    if (isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub)
            and isinstance(node.operand, gast.Constant) and type(node.operand.value) in (int, float)):
        return -node.operand.value
    return None


def _const(value):
    if value < 0:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-value, kind=None))
    return gast.Constant(value=value, kind=None)


def _negated(node):
    """The operand of ``-e`` (not of a negative constant, which folds on its own), or None."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and _number(node) is None:
        return node.operand
    return None


def _neg(node):
    inner = _negated(node)
    return inner if inner is not None else gast.UnaryOp(op=gast.USub(), operand=node)


def _pull_negation(node):
    """Move a negation out of a product, a quotient or a sum, where it can cancel another:
    ``(-a) * b`` is ``-(a * b)``, ``a + (-b)`` is ``a - b``, ``a - (-b)`` is ``a + b``.
    Each is exact in floating point (negation only flips a sign)."""
    left, right = _negated(node.left), _negated(node.right)
    if left is None and right is None:
        return node
    op = node.op
    if isinstance(op, (gast.Mult, gast.Div)):
        if left is not None and right is not None:
            return gast.BinOp(left=left, op=op, right=right)
        product = gast.BinOp(left=left if left is not None else node.left, op=op,
                             right=right if right is not None else node.right)
        return _neg(product)
    if isinstance(op, gast.Add):
        if right is not None:
            return gast.BinOp(left=node.left, op=gast.Sub(), right=right)
        return gast.BinOp(left=node.right, op=gast.Sub(), right=left)
    if isinstance(op, gast.Sub):
        if right is not None:
            return gast.BinOp(left=node.left, op=gast.Add(), right=right)
        return _neg(gast.BinOp(left=left, op=gast.Add(), right=node.right))
    return node


class Fold(gast.NodeTransformer):
    def __init__(self, adjoints=None, floats=frozenset()):
        self.adjoints = adjoints  # names of adjoints (None: 1.0 * e is not folded)
        self.floats = floats  # names that surely hold Python floats

    def _an_adjoint(self, node):
        """Whether ``node`` surely computes a float made from an adjoint (it reads one); the
        function's own values may be ints, bools or arrays the caller owns."""
        return self.adjoints is not None and not isinstance(node, (gast.Compare, gast.BoolOp)) and any(
            isinstance(n, gast.Name) and n.id in self.adjoints for n in gast.walk(node))

    def _a_float(self, node):
        """Whether ``1.0 * node`` is ``node``: an adjoint's expression, or a Python float."""
        return self._an_adjoint(node) or self.adjoints is not None and isinstance(node, gast.Name) and (
            node.id in self.floats)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        # signs move only in expressions of adjoints: the function's own code stays as written
        signed = _pull_negation(node) if self._an_adjoint(node) else node
        if signed is not node:
            return signed
        a, b = _number(node.left), _number(node.right)
        fold = _FOLD.get(type(node.op))
        if a is not None and b is not None and fold is not None and not (
                isinstance(node.op, gast.Pow) and abs(b) > 8):
            return _const(fold(a, b))
        if isinstance(node.op, gast.Pow) and b == 1:
            return node.left
        # e * 1.0 is e when e is an adjoint: a float (or a new float array), or a Python float.
        # Not for the function's other values: 1.0 * n makes an int a float and a bool a
        # number, and gives a new array rather than one the caller owns.
        if isinstance(node.op, gast.Mult) and b == 1 and isinstance(node.right.value if isinstance(
                node.right, gast.Constant) else None, float) and (self.adjoints is None or self._a_float(node.left)):
            return node.left
        if isinstance(node.op, gast.Mult) and a == 1 and isinstance(node.left.value if isinstance(
                node.left, gast.Constant) else None, float) and self._a_float(node.right):
            return node.right
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if isinstance(node.test, gast.Constant):
            return node.body if node.test.value else node.orelse
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (gast.Eq, gast.NotEq)):
            a, b = _number(node.left), _number(node.comparators[0])
            if a is not None and b is not None:
                return gast.Constant(value=(a == b) == isinstance(node.ops[0], gast.Eq), kind=None)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub) and isinstance(node.operand, gast.UnaryOp) and isinstance(
                node.operand.op, gast.USub):
            return node.operand.operand
        return node


def fold(stmts, adjoints=None, floats=frozenset()):
    """``stmts`` with constants folded. With ``adjoints`` (the names of adjoints), ``1.0 * e``
    and ``e * 1.0`` become ``e`` where ``e`` reads an adjoint or is one of ``floats`` (names
    that surely hold Python floats)."""
    folder = Fold(adjoints, floats)
    return [folder.visit(s) for s in stmts]
