"""Rules for Python's arithmetic operators (and their NumPy function forms)."""

import builtins

import numpy as np

from ..runtime import dot_lhs, dot_rhs, lift, power_base_adjoint, power_exponent_adjoint, unbroadcast
from .registry import forward_rule, nondifferentiable, reverse_rule


@reverse_rule(("op", "Add"), np.add)
def add(ans, g, a, b):
    da = unbroadcast(g, a)
    db = unbroadcast(g, b)


@reverse_rule(("op", "Sub"), np.subtract)
def sub(ans, g, a, b):
    da = unbroadcast(g, a)
    db = unbroadcast(-g, b)


@reverse_rule(("op", "Mult"), np.multiply)
def mul(ans, g, a, b):
    da = unbroadcast(g * b, a)
    db = unbroadcast(g * a, b)


@reverse_rule(("op", "Div"), np.divide, np.true_divide)
def div(ans, g, a, b):
    da = unbroadcast(g / b, a)
    db = unbroadcast(-g * a / b ** 2, b)


def pow_constant_exponent(ans, g, a, b):
    da = g * b * a ** (b - 1) if b != 0 else 0 * g


@reverse_rule(("op", "Pow"), np.power, np.float_power, builtins.pow, constant={"b": pow_constant_exponent})
def pow(ans, g, a, b):
    da = unbroadcast(power_base_adjoint(g, a, b), a)
    db = unbroadcast(power_exponent_adjoint(g, ans, a), b)


@reverse_rule(("op", "Mod"), np.mod, np.remainder)
def mod(ans, g, a, b):
    da = unbroadcast(g, a)
    db = unbroadcast(-g * np.floor_divide(a, b), b)


@reverse_rule(("op", "MatMult"), np.matmul)
def matmul(ans, g, a, b):
    da = dot_lhs(g, a, b)
    db = dot_rhs(g, a, b)


@reverse_rule(("op", "USub"), np.negative)
def neg(ans, g, x):
    dx = -g


@reverse_rule(("op", "UAdd"), np.positive)
def pos(ans, g, x):
    dx = g


nondifferentiable(
    ("op", "FloorDiv"), ("op", "Not"), ("op", "Invert"), ("op", "BitAnd"), ("op", "BitOr"),
    ("op", "BitXor"), ("op", "LShift"), ("op", "RShift"), ("op", "Compare"), ("op", "BoolOp"),
    np.floor_divide,
)


# -- forward (tangent) rules ---------------------------------------------------------------

@forward_rule(("op", "Add"), np.add)
def add_tangent(ans, a, b):
    dans = lift(da, ans) + lift(db, ans)


@forward_rule(("op", "Sub"), np.subtract)
def sub_tangent(ans, a, b):
    dans = lift(da, ans) - lift(db, ans)


@forward_rule(("op", "Mult"), np.multiply)
def mul_tangent(ans, a, b):
    dans = da * b + a * db


@forward_rule(("op", "Div"), np.divide, np.true_divide)
def div_tangent(ans, a, b):
    dans = da / b - db * a / b ** 2


def pow_constant_exponent_tangent(ans, a, b):
    dans = da * b * a ** (b - 1) if b != 0 else 0 * da


@forward_rule(("op", "Pow"), np.power, np.float_power, builtins.pow, constant={"b": pow_constant_exponent_tangent})
def pow_tangent(ans, a, b):
    dans = power_base_adjoint(da, a, b) + power_exponent_adjoint(db, ans, a)


@forward_rule(("op", "Mod"), np.mod, np.remainder)
def mod_tangent(ans, a, b):
    dans = lift(da, ans) - db * np.floor_divide(a, b)


@forward_rule(("op", "MatMult"), np.matmul)
def matmul_tangent(ans, a, b):
    dans = da @ b + a @ db


@forward_rule(("op", "USub"), np.negative)
def neg_tangent(ans, x):
    dans = -dx


@forward_rule(("op", "UAdd"), np.positive)
def pos_tangent(ans, x):
    dans = dx
