"""Rules for NumPy's elementwise functions."""

import builtins

import numpy as np

from ..runtime import lift, unbroadcast
from .registry import forward_rule, keyword_aliases, reverse_rule


@reverse_rule(np.exp)
def exp(ans, g, x):
    dx = g * ans


@reverse_rule(np.expm1)
def expm1(ans, g, x):
    dx = g * (ans + 1.0)


@reverse_rule(np.log)
def log(ans, g, x):
    dx = g / x


@reverse_rule(np.log1p)
def log1p(ans, g, x):
    dx = g / (1.0 + x)


@reverse_rule(np.log2)
def log2(ans, g, x):
    dx = g / (x * np.log(2.0))


@reverse_rule(np.log10)
def log10(ans, g, x):
    dx = g / (x * np.log(10.0))


@reverse_rule(np.sqrt)
def sqrt(ans, g, x):
    dx = g * 0.5 / ans


@reverse_rule(np.square)
def square(ans, g, x):
    dx = g * 2.0 * x


@reverse_rule(np.reciprocal)
def reciprocal(ans, g, x):
    dx = -g * ans ** 2


@reverse_rule(np.sin)
def sin(ans, g, x):
    dx = g * np.cos(x)


@reverse_rule(np.cos)
def cos(ans, g, x):
    dx = -g * np.sin(x)


@reverse_rule(np.tan)
def tan(ans, g, x):
    dx = g * (1.0 + ans ** 2)


@reverse_rule(np.tanh)
def tanh(ans, g, x):
    dx = g * (1.0 - ans ** 2)


@reverse_rule(np.sinh)
def sinh(ans, g, x):
    dx = g * np.cosh(x)


@reverse_rule(np.cosh)
def cosh(ans, g, x):
    dx = g * np.sinh(x)


@reverse_rule(np.arcsin)
def arcsin(ans, g, x):
    dx = g / np.sqrt(1.0 - x ** 2)


@reverse_rule(np.arccos)
def arccos(ans, g, x):
    dx = -g / np.sqrt(1.0 - x ** 2)


@reverse_rule(np.arctan)
def arctan(ans, g, x):
    dx = g / (1.0 + x ** 2)


@reverse_rule(np.arctan2)
def arctan2(ans, g, y, x):
    dy = unbroadcast(g * x / (x ** 2 + y ** 2), y)
    dx = unbroadcast(-g * y / (x ** 2 + y ** 2), x)


@reverse_rule(np.abs, np.absolute, np.fabs)
def absolute(ans, g, x):
    dx = g * np.sign(x)


@reverse_rule(builtins.abs)
def builtin_abs(ans, g, x):
    dx = g * (x > 0) - g * (x < 0)


@reverse_rule(np.maximum)
def maximum(ans, g, a, b):
    da = unbroadcast(g * (a >= b), a)
    db = unbroadcast(g * (a < b), b)


@reverse_rule(np.minimum)
def minimum(ans, g, a, b):
    da = unbroadcast(g * (a <= b), a)
    db = unbroadcast(g * (a > b), b)


@reverse_rule(np.fmax)
def fmax(ans, g, a, b):
    da = unbroadcast(g * ((a >= b) | np.isnan(b)), a)
    db = unbroadcast(g * ((a < b) | np.isnan(a) & ~np.isnan(b)), b)


@reverse_rule(np.fmin)
def fmin(ans, g, a, b):
    da = unbroadcast(g * ((a <= b) | np.isnan(b)), a)
    db = unbroadcast(g * ((a > b) | np.isnan(a) & ~np.isnan(b)), b)


@reverse_rule(np.where)
def where(ans, g, condition, x, y):
    dx = unbroadcast(np.where(condition, g, 0.0), x)
    dy = unbroadcast(np.where(condition, 0.0, g), y)


keyword_aliases(np.clip, min="a_min", max="a_max")  # NumPy 2.1's names for the bounds


@reverse_rule(np.clip)
def clip(ans, g, a, a_min=None, a_max=None):
    da = unbroadcast(g * (ans == a), a)
    da_min = unbroadcast(g * ((ans != a) & (ans == a_min) & (ans != a_max)), a_min)
    da_max = unbroadcast(g * ((ans != a) & (ans == a_max)), a_max)


@reverse_rule(np.exp2)
def exp2(ans, g, x):
    dx = g * ans * np.log(2.0)


@reverse_rule(np.cbrt)
def cbrt(ans, g, x):
    dx = g / (3.0 * ans ** 2)


@reverse_rule(np.hypot)
def hypot(ans, g, a, b):
    da = unbroadcast(g * a / ans, a)
    db = unbroadcast(g * b / ans, b)


@reverse_rule(np.logaddexp)
def logaddexp(ans, g, a, b):
    da = unbroadcast(g * np.exp(a - ans), a)
    db = unbroadcast(g * np.exp(b - ans), b)


@reverse_rule(np.arcsinh)
def arcsinh(ans, g, x):
    dx = g / np.sqrt(x ** 2 + 1.0)


@reverse_rule(np.arccosh)
def arccosh(ans, g, x):
    dx = g / np.sqrt(x ** 2 - 1.0)


@reverse_rule(np.arctanh)
def arctanh(ans, g, x):
    dx = g / (1.0 - x ** 2)


@reverse_rule(np.deg2rad, np.radians)
def deg2rad(ans, g, x):
    dx = g * (np.pi / 180.0)


@reverse_rule(np.rad2deg, np.degrees)
def rad2deg(ans, g, x):
    dx = g * (180.0 / np.pi)


@reverse_rule(np.logaddexp2)
def logaddexp2(ans, g, a, b):
    da = unbroadcast(g * np.exp2(a - ans), a)
    db = unbroadcast(g * np.exp2(b - ans), b)


# -- forward (tangent) rules ---------------------------------------------------------------

@forward_rule(np.exp)
def exp_tangent(ans, x):
    dans = dx * ans


@forward_rule(np.expm1)
def expm1_tangent(ans, x):
    dans = dx * (ans + 1.0)


@forward_rule(np.log)
def log_tangent(ans, x):
    dans = dx / x


@forward_rule(np.log1p)
def log1p_tangent(ans, x):
    dans = dx / (1.0 + x)


@forward_rule(np.log2)
def log2_tangent(ans, x):
    dans = dx / (x * np.log(2.0))


@forward_rule(np.log10)
def log10_tangent(ans, x):
    dans = dx / (x * np.log(10.0))


@forward_rule(np.sqrt)
def sqrt_tangent(ans, x):
    dans = dx * 0.5 / ans


@forward_rule(np.square)
def square_tangent(ans, x):
    dans = dx * 2.0 * x


@forward_rule(np.reciprocal)
def reciprocal_tangent(ans, x):
    dans = -dx * ans ** 2


@forward_rule(np.sin)
def sin_tangent(ans, x):
    dans = dx * np.cos(x)


@forward_rule(np.cos)
def cos_tangent(ans, x):
    dans = -dx * np.sin(x)


@forward_rule(np.tan)
def tan_tangent(ans, x):
    dans = dx * (1.0 + ans ** 2)


@forward_rule(np.tanh)
def tanh_tangent(ans, x):
    dans = dx * (1.0 - ans ** 2)


@forward_rule(np.sinh)
def sinh_tangent(ans, x):
    dans = dx * np.cosh(x)


@forward_rule(np.cosh)
def cosh_tangent(ans, x):
    dans = dx * np.sinh(x)


@forward_rule(np.arcsin)
def arcsin_tangent(ans, x):
    dans = dx / np.sqrt(1.0 - x ** 2)


@forward_rule(np.arccos)
def arccos_tangent(ans, x):
    dans = -dx / np.sqrt(1.0 - x ** 2)


@forward_rule(np.arctan)
def arctan_tangent(ans, x):
    dans = dx / (1.0 + x ** 2)


@forward_rule(np.arctan2)
def arctan2_tangent(ans, y, x):
    dans = (dy * x - dx * y) / (x ** 2 + y ** 2)


@forward_rule(np.abs, np.absolute, np.fabs)
def absolute_tangent(ans, x):
    dans = dx * np.sign(x)


@forward_rule(builtins.abs)
def builtin_abs_tangent(ans, x):
    dans = dx * (x > 0) - dx * (x < 0)


@forward_rule(np.maximum)
def maximum_tangent(ans, a, b):
    dans = da * (a >= b) + db * (a < b)


@forward_rule(np.minimum)
def minimum_tangent(ans, a, b):
    dans = da * (a <= b) + db * (a > b)


@forward_rule(np.fmax)
def fmax_tangent(ans, a, b):
    dans = da * ((a >= b) | np.isnan(b)) + db * ((a < b) | np.isnan(a) & ~np.isnan(b))


@forward_rule(np.fmin)
def fmin_tangent(ans, a, b):
    dans = da * ((a <= b) | np.isnan(b)) + db * ((a > b) | np.isnan(a) & ~np.isnan(b))


@forward_rule(np.where)
def where_tangent(ans, condition, x, y):
    dans = lift(np.where(condition, dx, dy), ans)


@forward_rule(np.clip)
def clip_tangent(ans, a, a_min=None, a_max=None):
    dans = lift(da * (ans == a) + da_min * ((ans != a) & (ans == a_min) & (ans != a_max))
                + da_max * ((ans != a) & (ans == a_max)), ans)


@forward_rule(np.exp2)
def exp2_tangent(ans, x):
    dans = dx * ans * np.log(2.0)


@forward_rule(np.cbrt)
def cbrt_tangent(ans, x):
    dans = dx / (3.0 * ans ** 2)


@forward_rule(np.hypot)
def hypot_tangent(ans, a, b):
    dans = (da * a + db * b) / ans


@forward_rule(np.logaddexp)
def logaddexp_tangent(ans, a, b):
    dans = da * np.exp(a - ans) + db * np.exp(b - ans)


@forward_rule(np.arcsinh)
def arcsinh_tangent(ans, x):
    dans = dx / np.sqrt(x ** 2 + 1.0)


@forward_rule(np.arccosh)
def arccosh_tangent(ans, x):
    dans = dx / np.sqrt(x ** 2 - 1.0)


@forward_rule(np.arctanh)
def arctanh_tangent(ans, x):
    dans = dx / (1.0 - x ** 2)


@forward_rule(np.deg2rad, np.radians)
def deg2rad_tangent(ans, x):
    dans = dx * (np.pi / 180.0)


@forward_rule(np.rad2deg, np.degrees)
def rad2deg_tangent(ans, x):
    dans = dx * (180.0 / np.pi)


@forward_rule(np.logaddexp2)
def logaddexp2_tangent(ans, a, b):
    dans = da * np.exp2(a - ans) + db * np.exp2(b - ans)
