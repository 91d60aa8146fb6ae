"""Fold away the tangents of arguments that carry no derivative (forward mode).

A forward template is written for every argument carrying a derivative; where one does not,
its tangent is the placeholder ``ZERO`` and this pass removes the terms it makes vanish:
products with it, sums with it, linear functions of it. What is left of it (an argument of
``np.where``, say) becomes the number ``0.0``.
"""

from __future__ import annotations

import gast
import numpy as np

from ..transform.templates import ZERO

_LINEAR_FIRST = {  # functions linear in their first argument
    np.sum, np.mean, np.cumsum, np.reshape, np.transpose, np.trace, np.dot, np.outer, np.matmul,
    float, np.flip, np.roll, np.swapaxes, np.tile, np.diff, np.vstack, np.hstack,
}


_BILINEAR = {np.dot, np.outer, np.matmul, np.inner, np.cross, np.kron, np.convolve}  # zero when either of the first two is


def _is_zero(node):
    return isinstance(node, gast.Name) and node.id == ZERO


class _FoldZeros(gast.NodeTransformer):
    def __init__(self, resolve):
        self.resolve = resolve  # a call's function node -> the object, or None

    def visit_BinOp(self, node):
        self.generic_visit(node)
        left, right = _is_zero(node.left), _is_zero(node.right)
        if isinstance(node.op, (gast.Mult, gast.MatMult)) and (left or right):
            return node.left if left else node.right
        if isinstance(node.op, (gast.Div, gast.FloorDiv, gast.Mod)) and left:
            return node.left
        if isinstance(node.op, (gast.Add, gast.Sub)):
            if right:
                return node.left
            if left:
                return node.right if isinstance(node.op, gast.Add) else gast.UnaryOp(op=gast.USub(), operand=node.right)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node.operand if _is_zero(node.operand) else node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if _is_zero(node.body) and _is_zero(node.orelse):
            return node.body
        return node

    def visit_Subscript(self, node):
        self.generic_visit(node)
        return node.value if _is_zero(node.value) else node

    def visit_Call(self, node):
        self.generic_visit(node)
        obj = self.resolve(node.func)
        positions = getattr(obj, "linear_in", None) or ((0, 1) if obj in _BILINEAR else (0,) if (
            obj in _LINEAR_FIRST) else ())
        for i in positions:
            if i < len(node.args) and _is_zero(node.args[i]):
                return node.args[i]
        if getattr(self.resolve(node.func), "__name__", None) == "where" and len(node.args) == 3 and (
                _is_zero(node.args[1]) and _is_zero(node.args[2])):
            return node.args[1]
        return node


class _Zero(gast.NodeTransformer):
    def visit_Name(self, node):
        return gast.Constant(value=0.0, kind=None) if node.id == ZERO else node


def fold_zeros(expr, resolve):
    """``expr`` without its zero terms; None if it is zero altogether."""
    expr = _FoldZeros(resolve).visit(expr)
    if _is_zero(expr):
        return None
    return _Zero().visit(expr)
