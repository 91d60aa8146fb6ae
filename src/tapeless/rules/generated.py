"""Forward rules for the helpers that generated gradients call.

They let tapeless differentiate a gradient it generated (forward over reverse: Hessians,
Hessian-vector products, the gradient of a gradient). Most helpers are linear in the adjoint
they receive; the others get their product rule here. A parameter that only gives a shape has
no tangent term.
"""

import numpy as np

from ..runtime import (array_adjoint, astype_adjoint, astype_tangent, average_adjoint, concatenate_adjoint,
                       convolve_adjoint, cumsum_adjoint, diag_adjoint, diagonal_adjoint, diff_adjoint,
                       dot_lhs, dot_rhs, einsum_adjoint, einsum_adjoint_jvp, einsum_tangent,
                       einsum_tangent_curvature, expand_reduced, extremum_adjoint, extremum_tangent,
                       hstack_adjoint, index_adjoint, kron_lhs, kron_rhs, lift, like_argument, mean_adjoint,
                       norm_adjoint, npdot_lhs, npdot_rhs, pad_adjoint, pad_tangent, power_base_adjoint,
                       power_base_curvature, power_base_exponent_tangent, power_exponent_adjoint,
                       prod_adjoint, prod_adjoint_tangent, solve_lhs_adjoint, solve_lhs_tangent, solve_outer,
                       solve_rhs_adjoint, solve_rhs_tangent, sort_adjoint, sort_tangent, stack_adjoint,
                       std_adjoint, tile_adjoint, trapezoid_adjoint, trapezoid_tangent, triangle_adjoint, unbroadcast,
                       untranspose, untranspose_tangent, var_adjoint, var_tangent, vstack_adjoint)
from .registry import forward_rule


@forward_rule(unbroadcast, shape_only=("x",))
def unbroadcast_tangent(ans, d, x):
    dans = unbroadcast(dd, x)


@forward_rule(expand_reduced, shape_only=("x",))
def expand_reduced_tangent(ans, g, x, axis=None, keepdims=False):
    dans = expand_reduced(dg, x, axis, keepdims)


@forward_rule(mean_adjoint, shape_only=("x",))
def mean_adjoint_tangent(ans, g, x, axis=None, keepdims=False):
    dans = mean_adjoint(dg, x, axis, keepdims)


@forward_rule(index_adjoint, shape_only=("x", "index"))
def index_adjoint_tangent(ans, g, x, index):
    dans = index_adjoint(dg, x, index)


@forward_rule(dot_lhs, shape_only=("a",))
def dot_lhs_tangent(ans, g, a, b):
    dans = dot_lhs(dg, a, b) + dot_lhs(g, a, db)


@forward_rule(dot_rhs, shape_only=("b",))
def dot_rhs_tangent(ans, g, a, b):
    dans = dot_rhs(dg, a, b) + dot_rhs(g, da, b)


@forward_rule(npdot_lhs, shape_only=("a",))
def npdot_lhs_tangent(ans, g, a, b):
    dans = npdot_lhs(dg, a, b) + npdot_lhs(g, a, db)


@forward_rule(npdot_rhs, shape_only=("b",))
def npdot_rhs_tangent(ans, g, a, b):
    dans = npdot_rhs(dg, a, b) + npdot_rhs(g, da, b)


@forward_rule(untranspose)
def untranspose_tangent_rule(ans, g, axes=None):
    dans = untranspose(dg, axes)


@forward_rule(cumsum_adjoint, shape_only=("x",))
def cumsum_adjoint_tangent(ans, g, x, axis=None):
    dans = cumsum_adjoint(dg, x, axis)


@forward_rule(extremum_adjoint, shape_only=("x", "result"))
def extremum_adjoint_tangent(ans, g, x, result, axis=None, keepdims=False):
    dans = extremum_adjoint(dg, x, result, axis, keepdims)


@forward_rule(var_adjoint)
def var_adjoint_tangent(ans, g, x, axis=None, ddof=0, keepdims=False):
    dans = var_adjoint(dg, x, axis, ddof, keepdims) + var_adjoint(g, dx, axis, ddof, keepdims)


@forward_rule(std_adjoint)
def std_adjoint_tangent(ans, g, x, result, axis=None, ddof=0, keepdims=False):
    dans = (std_adjoint(dg, x, result, axis, ddof, keepdims) + std_adjoint(g, dx, result, axis, ddof, keepdims)
            - std_adjoint(g * dresult / result, x, result, axis, ddof, keepdims))


@forward_rule(norm_adjoint)
def norm_adjoint_tangent(ans, g, x, result, ord=None, axis=None, keepdims=False):
    dans = (norm_adjoint(dg, x, result, ord, axis, keepdims) + norm_adjoint(g, dx, result, ord, axis, keepdims)
            - norm_adjoint(g * dresult / result, x, result, ord, axis, keepdims))


@forward_rule(prod_adjoint)
def prod_adjoint_tangent_rule(ans, g, x, axis=None, keepdims=False):
    dans = prod_adjoint(dg, x, axis, keepdims) + prod_adjoint_tangent(g, x, dx, axis, keepdims)


@forward_rule(power_base_adjoint)
def power_base_adjoint_tangent(ans, g, a, b):
    dans = (power_base_adjoint(dg, a, b) + power_base_curvature(g, a, b, da)
            + power_base_exponent_tangent(g, a, b, db))


@forward_rule(power_exponent_adjoint)
def power_exponent_adjoint_tangent(ans, g, result, a):
    dans = power_exponent_adjoint(dg, result, a) + power_exponent_adjoint(g, dresult, a) + g * result * da / a



@forward_rule(vstack_adjoint, shape_only=("arrays",))
def vstack_adjoint_tangent(ans, g, arrays):
    dans = vstack_adjoint(dg, arrays)


@forward_rule(hstack_adjoint, shape_only=("arrays",))
def hstack_adjoint_tangent(ans, g, arrays):
    dans = hstack_adjoint(dg, arrays)


@forward_rule(tile_adjoint, shape_only=("a",))
def tile_adjoint_tangent(ans, g, a, reps):
    dans = tile_adjoint(dg, a, reps)


@forward_rule(diff_adjoint)
def diff_adjoint_tangent(ans, g, n=1, axis=-1):
    dans = diff_adjoint(dg, n, axis)


@forward_rule(solve_rhs_adjoint, shape_only=("b",))
def solve_rhs_adjoint_tangent(ans, g, a, b):
    dans = solve_rhs_adjoint(dg, a, b) + solve_lhs_tangent(np.swapaxes(a, -1, -2), np.swapaxes(da, -1, -2), b, ans)


@forward_rule(solve_lhs_adjoint, shape_only=("b",))
def solve_lhs_adjoint_tangent(ans, g, a, b, x):
    dans = (solve_lhs_adjoint(dg, a, b, x) + solve_lhs_adjoint(g, a, b, dx)
            + solve_outer(solve_lhs_tangent(np.swapaxes(a, -1, -2), np.swapaxes(da, -1, -2), b,
                                            solve_rhs_adjoint(g, a, b)), x, b))


@forward_rule(sort_adjoint, shape_only=("a",))
def sort_adjoint_tangent(ans, g, a, axis=-1):
    dans = sort_adjoint(dg, a, axis)


@forward_rule(einsum_adjoint)
def einsum_adjoint_tangent(ans, g, subscripts, operands):
    dans = einsum_adjoint_jvp(g, dg, subscripts, operands, doperands)


@forward_rule(pad_adjoint, shape_only=("a",))
def pad_adjoint_tangent(ans, g, a, pad_width, mode="constant"):
    dans = pad_adjoint(dg, a, pad_width, mode)


@forward_rule(astype_adjoint, shape_only=("a",))
def astype_adjoint_tangent(ans, g, a, dtype):
    dans = astype_adjoint(dg, a, dtype)


@forward_rule(diagonal_adjoint, shape_only=("a",))
def diagonal_adjoint_tangent(ans, g, a, offset=0, axis1=0, axis2=1):
    dans = diagonal_adjoint(dg, a, offset, axis1, axis2)


@forward_rule(diag_adjoint, shape_only=("v",))
def diag_adjoint_tangent(ans, g, v, k=0):
    dans = diag_adjoint(dg, v, k)


@forward_rule(trapezoid_adjoint, shape_only=("y",))
def trapezoid_adjoint_tangent(ans, g, y, x=None, spacing=1.0, axis=-1):
    dans = trapezoid_adjoint(dg, y, x, spacing, axis)


@forward_rule(trapezoid_tangent)
def trapezoid_tangent_tangent(ans, d, x=None, spacing=1.0, axis=-1):
    dans = trapezoid_tangent(dd, x, spacing, axis)


@forward_rule(convolve_adjoint, shape_only=("a",))
def convolve_adjoint_tangent(ans, g, a, v, mode="full"):
    dans = convolve_adjoint(dg, a, v, mode) + convolve_adjoint(g, a, dv, mode)


@forward_rule(kron_lhs, shape_only=("a",))
def kron_lhs_tangent(ans, g, a, b):
    dans = kron_lhs(dg, a, b) + kron_lhs(g, a, db)


@forward_rule(kron_rhs, shape_only=("b",))
def kron_rhs_tangent(ans, g, a, b):
    dans = kron_rhs(dg, a, b) + kron_rhs(g, da, b)


@forward_rule(average_adjoint, shape_only=("a",))
def average_adjoint_tangent(ans, g, a, axis=None, weights=None, keepdims=False):
    dans = average_adjoint(dg, a, axis, weights, keepdims)


@forward_rule(triangle_adjoint, shape_only=("m",))
def triangle_adjoint_tangent(ans, g, m, k=0, upper=True):
    dans = triangle_adjoint(dg, m, k, upper)


@forward_rule(like_argument, shape_only=("x",))
def like_argument_tangent(ans, g, x):
    dans = like_argument(dg, x)


# -- the helpers of forward mode (forward over forward) ---------------------------------------

@forward_rule(lift, shape_only=("result",))
def lift_tangent(ans, d, result):
    dans = lift(dd, result)


@forward_rule(extremum_tangent, shape_only=("x", "result"))
def extremum_tangent_tangent(ans, d, x, result, axis=None, keepdims=False):
    dans = extremum_tangent(dd, x, result, axis, keepdims)


@forward_rule(var_tangent)
def var_tangent_tangent(ans, d, x, axis=None, ddof=0, keepdims=False):
    dans = var_tangent(dd, x, axis, ddof, keepdims) + var_tangent(d, dx, axis, ddof, keepdims)


@forward_rule(untranspose_tangent, shape_only=("result",))
def untranspose_tangent_tangent(ans, d, result, axes):
    dans = untranspose_tangent(dd, result, axes)


@forward_rule(concatenate_adjoint, shape_only=("arrays",))
def concatenate_adjoint_tangent(ans, g, arrays, axis=0):
    dans = concatenate_adjoint(dg, arrays, axis)


@forward_rule(stack_adjoint, shape_only=("arrays",))
def stack_adjoint_tangent(ans, g, arrays, axis=0):
    dans = stack_adjoint(dg, arrays, axis)


@forward_rule(array_adjoint, shape_only=("a",))
def array_adjoint_tangent(ans, g, a):
    dans = array_adjoint(dg, a)


@forward_rule(sort_tangent, shape_only=("a",))
def sort_tangent_tangent(ans, d, a, axis=-1):
    dans = sort_tangent(dd, a, axis)


@forward_rule(pad_tangent)
def pad_tangent_tangent(ans, d, pad_width, mode="constant"):
    dans = pad_tangent(dd, pad_width, mode)


@forward_rule(astype_tangent, shape_only=("result",))
def astype_tangent_tangent(ans, d, result, dtype):
    dans = astype_tangent(dd, result, dtype)


@forward_rule(solve_rhs_tangent, shape_only=("b",))
def solve_rhs_tangent_tangent(ans, a, t, b):
    dans = solve_rhs_tangent(a, dt, b) + solve_lhs_tangent(a, da, b, ans)


@forward_rule(solve_lhs_tangent, shape_only=("b",))
def solve_lhs_tangent_tangent(ans, a, t, b, x):
    dans = solve_lhs_tangent(a, dt, b, x) + solve_lhs_tangent(a, t, b, dx) + solve_lhs_tangent(a, da, b, ans)


@forward_rule(einsum_tangent)
def einsum_tangent_tangent(ans, subscripts, operands, tangents):
    dans = einsum_tangent(subscripts, operands, dtangents) + einsum_tangent_curvature(subscripts, operands, tangents,
                                                                                     doperands)
