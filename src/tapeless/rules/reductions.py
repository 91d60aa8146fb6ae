"""Rules for reductions: sum, mean, prod, max, min (as functions and as methods), Python's
``sum``, ``np.average``, ``np.trapezoid``, and the running sums and
differences ``np.cumsum`` and ``np.diff``."""

import builtins

import numpy as np

from ..runtime import (average_adjoint, cumsum_adjoint, diff_adjoint, expand_reduced, trapezoid_adjoint, trapezoid_tangent, extremum_adjoint, extremum_tangent, mean_adjoint,
                       prod_adjoint, prod_tangent, std_adjoint, unbroadcast, var_adjoint, var_tangent)
from .registry import check_constant, forward_rule, keyword_aliases, reverse_rule


@reverse_rule(np.sum, ("method", "sum"))
def sum(ans, g, a, axis=None, dtype=None, out=None, keepdims=False):
    da = expand_reduced(g, a, axis, keepdims)


@reverse_rule(np.mean, ("method", "mean"))
def mean(ans, g, a, axis=None, dtype=None, out=None, keepdims=False):
    da = mean_adjoint(g, a, axis, keepdims)


@reverse_rule(np.prod, ("method", "prod"))
def prod(ans, g, a, axis=None, dtype=None, out=None, keepdims=False):
    da = prod_adjoint(g, a, axis, keepdims)


@reverse_rule(np.max, np.amax, ("method", "max"))
def max(ans, g, a, axis=None, out=None, keepdims=False):
    da = extremum_adjoint(g, a, ans, axis, keepdims)


@reverse_rule(np.min, np.amin, ("method", "min"))
def min(ans, g, a, axis=None, out=None, keepdims=False):
    da = extremum_adjoint(g, a, ans, axis, keepdims)


@reverse_rule(np.var, ("method", "var"))
def var(ans, g, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    da = var_adjoint(g, a, axis, ddof, keepdims)


@reverse_rule(np.std, ("method", "std"))
def std(ans, g, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    da = std_adjoint(g, a, ans, axis, ddof, keepdims)


@reverse_rule(np.cumsum, ("method", "cumsum"))
def cumsum(ans, g, a, axis=None, dtype=None, out=None):
    da = cumsum_adjoint(g, a, axis)


@reverse_rule(np.diff)
def diff(ans, g, a, n=1, axis=-1):
    da = diff_adjoint(g, n, axis)


@reverse_rule(builtins.sum)
def builtin_sum(ans, g, a, start=0):
    da = expand_reduced(g, a, 0)
    dstart = unbroadcast(g, start)


# np.trapezoid (NumPy 2), np.trapz (before): with respect to the samples; x and dx are the grid
# (dx is called spacing here: a forward rule's tangent of x is named dx)
_TRAPEZOID = [f for f in (getattr(np, "trapezoid", None), getattr(np, "trapz", None)) if f is not None]


@reverse_rule(*_TRAPEZOID)
def trapezoid(ans, g, y, x=None, spacing=1.0, axis=-1):
    dy = trapezoid_adjoint(g, y, x, spacing, axis)


for _rule in _TRAPEZOID:
    keyword_aliases(_rule, dx="spacing")


@reverse_rule(np.average)
def average(ans, g, a, axis=None, weights=None, returned=False, keepdims=False):
    da = average_adjoint(g, a, axis, weights, keepdims)


# -- forward (tangent) rules ---------------------------------------------------------------

@forward_rule(np.sum, ("method", "sum"))
def sum_tangent(ans, a, axis=None, dtype=None, out=None, keepdims=False):
    dans = np.sum(da, axis=axis, keepdims=keepdims)


@forward_rule(np.mean, ("method", "mean"))
def mean_tangent(ans, a, axis=None, dtype=None, out=None, keepdims=False):
    dans = np.mean(da, axis=axis, keepdims=keepdims)


@forward_rule(np.prod, ("method", "prod"))
def prod_tangent_rule(ans, a, axis=None, dtype=None, out=None, keepdims=False):
    dans = prod_tangent(da, a, axis, keepdims)


@forward_rule(np.max, np.amax, ("method", "max"), np.min, np.amin, ("method", "min"))
def extremum_tangent_rule(ans, a, axis=None, out=None, keepdims=False):
    dans = extremum_tangent(da, a, ans, axis, keepdims)


@forward_rule(np.var, ("method", "var"))
def var_tangent_rule(ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    dans = var_tangent(da, a, axis, ddof, keepdims)


@forward_rule(np.std, ("method", "std"))
def std_tangent_rule(ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    dans = var_tangent(da, a, axis, ddof, keepdims) / (2.0 * ans)


@forward_rule(np.cumsum, ("method", "cumsum"))
def cumsum_tangent(ans, a, axis=None, dtype=None, out=None):
    dans = np.cumsum(da, axis=axis)


@forward_rule(np.diff)
def diff_tangent(ans, a, n=1, axis=-1):
    dans = np.diff(da, n, axis)


@forward_rule(builtins.sum)
def builtin_sum_tangent(ans, a, start=0):
    dans = np.sum(da, 0) + dstart


@forward_rule(*_TRAPEZOID)
def trapezoid_tangent_rule(ans, y, x=None, spacing=1.0, axis=-1):
    dans = trapezoid_tangent(dy, x, spacing, axis)


@forward_rule(np.average)
def average_tangent(ans, a, axis=None, weights=None, returned=False, keepdims=False):
    dans = np.average(da, axis, weights, keepdims=keepdims)


def _average_returned(returned):
    if returned:
        return ("np.average(..., returned=True) is not differentiated: it returns a pair; compute the "
                "sum of the weights on its own")
    return None


check_constant(np.average, 3, "returned", _average_returned)
