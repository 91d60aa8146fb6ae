"""Rules for the ``math`` module and Python's numeric builtins: scalars stay Python floats."""

import builtins
import math

from ..runtime import unbroadcast
from .registry import forward_rule, reverse_rule


@reverse_rule(math.exp)
def exp(ans, g, x):
    dx = g * ans


@reverse_rule(math.expm1)
def expm1(ans, g, x):
    dx = g * (ans + 1.0)


@reverse_rule(math.log)
def log(ans, g, x, base=math.e):
    dx = g / (x * math.log(base))
    dbase = -g * ans / (base * math.log(base))


@reverse_rule(math.log1p)
def log1p(ans, g, x):
    dx = g / (1.0 + x)


@reverse_rule(math.log2)
def log2(ans, g, x):
    dx = g / (x * math.log(2.0))


@reverse_rule(math.log10)
def log10(ans, g, x):
    dx = g / (x * math.log(10.0))


@reverse_rule(math.sqrt)
def sqrt(ans, g, x):
    dx = g * 0.5 / ans


@reverse_rule(math.pow)
def pow(ans, g, x, y):
    dx = g * y * x ** (y - 1.0) if y != 0.0 else 0.0 * g
    dy = g * ans * math.log(x) if x != 0.0 else 0.0 * g


@reverse_rule(math.sin)
def sin(ans, g, x):
    dx = g * math.cos(x)


@reverse_rule(math.cos)
def cos(ans, g, x):
    dx = -g * math.sin(x)


@reverse_rule(math.tan)
def tan(ans, g, x):
    dx = g * (1.0 + ans ** 2)


@reverse_rule(math.tanh)
def tanh(ans, g, x):
    dx = g * (1.0 - ans ** 2)


@reverse_rule(math.sinh)
def sinh(ans, g, x):
    dx = g * math.cosh(x)


@reverse_rule(math.cosh)
def cosh(ans, g, x):
    dx = g * math.sinh(x)


@reverse_rule(math.asin)
def asin(ans, g, x):
    dx = g / math.sqrt(1.0 - x ** 2)


@reverse_rule(math.acos)
def acos(ans, g, x):
    dx = -g / math.sqrt(1.0 - x ** 2)


@reverse_rule(math.atan)
def atan(ans, g, x):
    dx = g / (1.0 + x ** 2)


@reverse_rule(math.atan2)
def atan2(ans, g, y, x):
    dy = g * x / (x ** 2 + y ** 2)
    dx = -g * y / (x ** 2 + y ** 2)


@reverse_rule(math.hypot)
def hypot(ans, g, x, y):
    dx = g * x / ans
    dy = g * y / ans


@reverse_rule(math.fabs)
def fabs(ans, g, x):
    dx = g * math.copysign(1.0, x)


@reverse_rule(math.copysign)
def copysign(ans, g, x, y):
    dx = g * math.copysign(1.0, x) * math.copysign(1.0, y)
    dy = 0.0 * g  # the sign of y: piecewise constant


@reverse_rule(builtins.float)
def to_float(ans, g, x):
    dx = unbroadcast(g, x)


@reverse_rule(builtins.max)
def max2(ans, g, a, b):
    da = g * (a >= b)
    db = g * (a < b)


@reverse_rule(builtins.min)
def min2(ans, g, a, b):
    da = g * (a <= b)
    db = g * (a > b)


# -- forward (tangent) rules ---------------------------------------------------------------

@forward_rule(math.exp)
def exp_tangent(ans, x):
    dans = dx * ans


@forward_rule(math.expm1)
def expm1_tangent(ans, x):
    dans = dx * (ans + 1.0)


@forward_rule(math.log)
def log_tangent(ans, x, base=math.e):
    dans = dx / (x * math.log(base)) - dbase * ans / (base * math.log(base))


@forward_rule(math.log1p)
def log1p_tangent(ans, x):
    dans = dx / (1.0 + x)


@forward_rule(math.log2)
def log2_tangent(ans, x):
    dans = dx / (x * math.log(2.0))


@forward_rule(math.log10)
def log10_tangent(ans, x):
    dans = dx / (x * math.log(10.0))


@forward_rule(math.sqrt)
def sqrt_tangent(ans, x):
    dans = dx * 0.5 / ans


@forward_rule(math.pow)
def pow_tangent(ans, x, y):
    dans = (dx * y * x ** (y - 1.0) if y != 0.0 else 0.0 * dx) + (dy * ans * math.log(x) if x != 0.0 else 0.0 * dy)


@forward_rule(math.sin)
def sin_tangent(ans, x):
    dans = dx * math.cos(x)


@forward_rule(math.cos)
def cos_tangent(ans, x):
    dans = -dx * math.sin(x)


@forward_rule(math.tan)
def tan_tangent(ans, x):
    dans = dx * (1.0 + ans ** 2)


@forward_rule(math.tanh)
def tanh_tangent(ans, x):
    dans = dx * (1.0 - ans ** 2)


@forward_rule(math.sinh)
def sinh_tangent(ans, x):
    dans = dx * math.cosh(x)


@forward_rule(math.cosh)
def cosh_tangent(ans, x):
    dans = dx * math.sinh(x)


@forward_rule(math.asin)
def asin_tangent(ans, x):
    dans = dx / math.sqrt(1.0 - x ** 2)


@forward_rule(math.acos)
def acos_tangent(ans, x):
    dans = -dx / math.sqrt(1.0 - x ** 2)


@forward_rule(math.atan)
def atan_tangent(ans, x):
    dans = dx / (1.0 + x ** 2)


@forward_rule(math.atan2)
def atan2_tangent(ans, y, x):
    dans = (dy * x - dx * y) / (x ** 2 + y ** 2)


@forward_rule(math.hypot)
def hypot_tangent(ans, x, y):
    dans = (dx * x + dy * y) / ans


@forward_rule(math.fabs)
def fabs_tangent(ans, x):
    dans = dx * math.copysign(1.0, x)


@forward_rule(math.copysign)
def copysign_tangent(ans, x, y):
    dans = dx * math.copysign(1.0, x) * math.copysign(1.0, y) + 0.0 * dy


@forward_rule(builtins.float)
def to_float_tangent(ans, x):
    dans = float(dx)


@forward_rule(builtins.max)
def max2_tangent(ans, a, b):
    dans = da * (a >= b) + db * (a < b)


@forward_rule(builtins.min)
def min2_tangent(ans, a, b):
    dans = da * (a <= b) + db * (a > b)
