"""Rules for linear algebra: dot, matmul (the @ operator is in operators.py), norm, outer,
trace, einsum, cross, kron, convolve, and the inverse, determinant and linear solve of square
matrices (or stacks of them)."""

import numpy as np

from ..runtime import (convolve_adjoint, einsum_adjoint, einsum_refusal, einsum_tangent, kron_lhs, kron_rhs,
                       norm_adjoint, norm_tangent, npdot_lhs, npdot_rhs, solve_lhs_adjoint, solve_lhs_tangent,
                       solve_rhs_adjoint, solve_rhs_tangent, unbroadcast)
from .registry import check_constant, forward_rule, reverse_rule


@reverse_rule(np.dot, ("method", "dot"))
def dot(ans, g, a, b):
    da = npdot_lhs(g, a, b)
    db = npdot_rhs(g, a, b)


@reverse_rule(np.linalg.norm)
def norm(ans, g, x, ord=None, axis=None, keepdims=False):
    dx = norm_adjoint(g, x, ans, ord, axis, keepdims)


@reverse_rule(np.outer)
def outer(ans, g, a, b):
    da = np.reshape(g @ np.ravel(b), np.shape(a))
    db = np.reshape(np.ravel(a) @ g, np.shape(b))


@reverse_rule(np.trace, ("method", "trace"))
def trace(ans, g, a):
    da = g * np.eye(np.shape(a)[0], np.shape(a)[1])


@reverse_rule(np.linalg.inv)
def inv(ans, g, a):
    da = -(np.swapaxes(ans, -1, -2) @ g @ np.swapaxes(ans, -1, -2))


@reverse_rule(np.linalg.det)
def det(ans, g, a):
    da = np.expand_dims(g * ans, (-2, -1)) * np.swapaxes(np.linalg.inv(a), -1, -2)


@reverse_rule(np.linalg.solve)
def solve(ans, g, a, b):
    da = unbroadcast(solve_lhs_adjoint(g, a, b, ans), a)
    db = unbroadcast(solve_rhs_adjoint(g, a, b), b)


@reverse_rule(np.einsum)
def einsum(ans, g, subscripts, *operands, optimize=False):
    doperands = einsum_adjoint(g, subscripts, operands)


@reverse_rule(np.cross)
def cross(ans, g, a, b):
    da = unbroadcast(np.cross(b, g), a)
    db = unbroadcast(np.cross(g, a), b)


@reverse_rule(np.kron)
def kron(ans, g, a, b):
    da = kron_lhs(g, a, b)
    db = kron_rhs(g, a, b)


@reverse_rule(np.convolve)
def convolve(ans, g, a, v, mode="full"):
    da = convolve_adjoint(g, a, v, mode)
    dv = convolve_adjoint(g, v, a, mode)


# -- forward (tangent) rules ---------------------------------------------------------------

@forward_rule(np.dot, ("method", "dot"))
def dot_tangent(ans, a, b):
    dans = np.dot(da, b) + np.dot(a, db)


@forward_rule(np.linalg.norm)
def norm_tangent_rule(ans, x, ord=None, axis=None, keepdims=False):
    dans = norm_tangent(dx, x, ans, ord, axis, keepdims)


@forward_rule(np.outer)
def outer_tangent(ans, a, b):
    dans = np.outer(da, b) + np.outer(a, db)


@forward_rule(np.trace, ("method", "trace"))
def trace_tangent(ans, a):
    dans = np.trace(da)


@forward_rule(np.linalg.inv)
def inv_tangent(ans, a):
    dans = -(ans @ da @ ans)


@forward_rule(np.linalg.det)
def det_tangent(ans, a):
    dans = ans * np.sum(np.linalg.inv(a) * np.swapaxes(da, -1, -2), axis=(-2, -1))


@forward_rule(np.linalg.solve)
def solve_tangent(ans, a, b):
    dans = solve_rhs_tangent(a, db, b) + solve_lhs_tangent(a, da, b, ans)


@forward_rule(np.einsum)
def einsum_tangent_rule(ans, subscripts, *operands, optimize=False):
    dans = einsum_tangent(subscripts, operands, doperands)


@forward_rule(np.cross)
def cross_tangent(ans, a, b):
    dans = np.cross(da, b) + np.cross(a, db)


@forward_rule(np.kron)
def kron_tangent(ans, a, b):
    dans = np.kron(da, b) + np.kron(a, db)


@forward_rule(np.convolve)
def convolve_tangent(ans, a, v, mode="full"):
    dans = np.convolve(da, v, mode) + np.convolve(a, dv, mode)


# a literal specification the reverse rule does not handle is refused where the call is (the
# forward rule, one einsum per operand, handles every specification)
check_constant(np.einsum, 0, "subscripts", einsum_refusal, modes=("reverse",))
