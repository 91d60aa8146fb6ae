"""One line per arithmetic-operator rule (src/tapeless/rules/operators.py), in operator and
NumPy-function form, with broadcasting and Python-float operands; @ / np.matmul are covered in
test_rules_linalg.py.
"""

import numpy as np
import pytest

import tapeless
from tapeless.rules import registry
from tapeless.testing import check_grads

rng = np.random.default_rng(7)
X = rng.normal(size=(3, 4))
Y = rng.normal(size=(3, 4))
P = rng.uniform(0.5, 2.0, size=(3, 4))      # positive: bases of powers, divisors
Q = rng.uniform(0.5, 2.0, size=(3, 4))
C = rng.uniform(0.5, 2.0, size=(3, 1))      # (3,1) broadcasts with (4,)
R = rng.uniform(0.5, 2.0, size=(4,))
M = rng.uniform(0.1, 0.9, size=(3, 4)) + rng.integers(-3, 3, size=(3, 4))  # mod 1.0: away from jumps
W = rng.normal(size=(3, 4))
Z = P.copy()
Z[0, :2] = 0.0                              # a zero base: 0 ** y is smooth in y > 0
C4 = np.array([1.0, 2.0, 3.0, 4.0])         # polynomial coefficients
K4 = np.arange(4.0)                          # exponents 0..3


def f_add(a, b): return np.sum((a + b) * W)
def f_np_add(a, b): return np.sum(np.add(a, b) * W)
def f_sub(a, b): return np.sum((a - b) * W)
def f_np_subtract(a, b): return np.sum(np.subtract(a, b) * W)
def f_mul(a, b): return np.sum(a * b * W)
def f_np_multiply(a, b): return np.sum(np.multiply(a, b) * W)
def f_div(a, b): return np.sum(a / b * W)
def f_np_divide(a, b): return np.sum(np.divide(a, b) * W)
def f_np_true_divide(a, b): return np.sum(np.true_divide(a, b) * W)
def f_pow(a, b): return np.sum(a ** b * W)
def f_np_power(a, b): return np.sum(np.power(a, b) * W)
def f_square_int(x): return np.sum(x ** 2 * W)             # negative base, integer exponent
def f_cube_int(x): return np.sum(x ** 3 * W)
def f_sqrt_pow(x): return np.sum(x ** 0.5 * W)
def f_exp_base(x): return np.sum(2.0 ** x * W)
def f_mod(a, b): return np.sum(a % b * W)
def f_np_mod(a, b): return np.sum(np.mod(a, b) * W)
def f_np_remainder(a, b): return np.sum(np.remainder(a, b) * W)
def f_neg(x): return np.sum(-x * W)
def f_np_negative(x): return np.sum(np.negative(x) * W)
def f_pos(x): return np.sum(+x * W)
def f_np_positive(x): return np.sum(np.positive(x) * W)
def f_same_operand(x): return np.sum((x * x - x / (x + 3.0) + x ** x) * W)
def f_poly(x): return np.sum(C4 * x ** K4)   # includes x ** 0


def f_poly_loop(x):
    total = 0.0
    for k in range(4):
        total = total + C4[k] * x ** k
    return total


def f_scalar_ops(x, y): return (x * y - x / y + x ** 2.5 - y % 0.7 + -x) / (y + 1.0)



def f_float_power(a, b): return np.sum(np.float_power(a, b) * W)
def f_builtin_pow(x): return np.sum(pow(x * x + 1.0, 1.5) * W)
def f_builtin_pow_both(x, y): return np.sum(pow(x * x + 1.0, y) * W)
def f_builtin_pow_scalars(x, y): return pow(x, 3) + pow(2.0, y) + pow(x, y)


def case(key, f, *args, wrt=0):
    return pytest.param(key, f, args, wrt, id=f"{registry.display_name(key)}-{f.__name__}")


CASES = [
    case(np.float_power, f_float_power, np.abs(X) + 0.5, Y, wrt=(0, 1)),
    case(pow, f_builtin_pow, X),
    case(pow, f_builtin_pow_both, X, Y, wrt=(0, 1)),
    case(pow, f_builtin_pow_scalars, 1.3, 0.6, wrt=(0, 1)),
    case(("op", "Add"), f_add, X, Y, wrt=(0, 1)),
    case(("op", "Add"), f_add, C, R, wrt=(0, 1)),        # (3,1) + (4,)
    case(("op", "Add"), f_add, X, R, wrt=(0, 1)),        # wrt the smaller operand
    case(("op", "Add"), f_add, 0.5, X, wrt=(0, 1)),      # a Python float with an array
    case(np.add, f_np_add, C, R, wrt=(0, 1)),
    case(("op", "Sub"), f_sub, X, Y, wrt=(0, 1)),
    case(("op", "Sub"), f_sub, C, R, wrt=(0, 1)),
    case(("op", "Sub"), f_sub, X, 1.5, wrt=(0, 1)),
    case(np.subtract, f_np_subtract, R, X, wrt=(0, 1)),
    case(("op", "Mult"), f_mul, X, Y, wrt=(0, 1)),
    case(("op", "Mult"), f_mul, C, R, wrt=(0, 1)),
    case(("op", "Mult"), f_mul, 1.5, X, wrt=(0, 1)),
    case(np.multiply, f_np_multiply, X, C, wrt=(0, 1)),
    case(("op", "Div"), f_div, X, P, wrt=(0, 1)),
    case(("op", "Div"), f_div, C, R, wrt=(0, 1)),
    case(("op", "Div"), f_div, 1.5, P, wrt=(0, 1)),
    case(("op", "Div"), f_div, X, 1.5, wrt=(0, 1)),
    case(np.divide, f_np_divide, R, C, wrt=(0, 1)),
    case(np.true_divide, f_np_true_divide, X, P, wrt=(0, 1)),
    case(("op", "Pow"), f_pow, P, Q, wrt=(0, 1)),
    case(("op", "Pow"), f_pow, C, R, wrt=(0, 1)),
    case(("op", "Pow"), f_pow, P, 1.7, wrt=(0, 1)),
    case(("op", "Pow"), f_pow, 1.7, X, wrt=(0, 1)),
    case(("op", "Pow"), f_square_int, X),
    case(("op", "Pow"), f_cube_int, X),
    case(("op", "Pow"), f_sqrt_pow, P),
    case(("op", "Pow"), f_exp_base, X),
    case(np.power, f_np_power, P, Q, wrt=(0, 1)),
    case(("op", "Pow"), f_poly, 0.5),
    case(("op", "Pow"), f_poly, 0.0),        # regression: zero base, da = 0 * inf = nan for x ** 0
    case(("op", "Pow"), f_poly_loop, 0.5),
    case(("op", "Pow"), f_poly_loop, 0.0),   # regression: zero float base, ZeroDivisionError for x ** 0
    case(("op", "Pow"), f_pow, Z, Q, wrt=1),  # regression: zero base, db = 0 * log(0) = nan
    case(("op", "Mod"), f_mod, M, 1.0, wrt=(0, 1)),
    case(("op", "Mod"), f_mod, 5.3, P, wrt=(0, 1)),
    case(np.mod, f_np_mod, M, 1.0, wrt=(0, 1)),
    case(np.remainder, f_np_remainder, M, 1.0, wrt=(0, 1)),
    case(("op", "USub"), f_neg, X),
    case(np.negative, f_np_negative, X),
    case(("op", "UAdd"), f_pos, X),
    case(np.positive, f_np_positive, X),
    case(("op", "Mult"), f_same_operand, P),
    case(("op", "Div"), f_scalar_ops, 1.3, 0.8, wrt=(0, 1)),
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_operator_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.operators"}
    covered = {p.values[0] for p in CASES} | {("op", "MatMult"), np.matmul}  # test_rules_linalg.py
    assert mine - covered == set()


def _mod_distance(a, b):   # distance of a/b from an integer: the jumps of a % b
    q = np.asarray(a) / np.asarray(b)
    return np.min(np.abs(q - np.round(q)))


assert _mod_distance(M, 1.0) > 1e-3 and _mod_distance(5.3, P) > 1e-3


# --- gradients by hand ------------------------------------------------------------------
def test_broadcast_gradients_by_hand():
    da, db = tapeless.grad(f_mul, wrt=(0, 1))(C, R)
    np.testing.assert_allclose(da, (W * R).sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(db, (W * C).sum(axis=0), rtol=1e-12)
    assert da.shape == (3, 1) and db.shape == (4,)


def test_python_float_operand_gets_a_float():
    da, db = tapeless.grad(f_pow, wrt=(0, 1))(1.7, X)
    assert type(da) is float
    assert da == pytest.approx(np.sum(W * X * 1.7 ** (X - 1)), rel=1e-12)
    np.testing.assert_allclose(db, W * 1.7 ** X * np.log(1.7), rtol=1e-12)


def test_scalar_gradient_by_hand():
    # d/dx x**3 / y = 3 x**2 / y ;  d/dy = -x**3 / y**2
    dx, dy = tapeless.grad(f_cube_over, wrt=(0, 1))(2.0, 4.0)
    assert (dx, dy) == (pytest.approx(3.0), pytest.approx(-0.5))
    assert type(dx) is float and type(dy) is float


def f_cube_over(x, y): return x ** 3 / y


def test_square_at_zero_is_exact():
    x = np.array([0.0, -1.0, 2.0])
    np.testing.assert_array_equal(tapeless.grad(f_sq_sum)(x), [0.0, -2.0, 4.0])


def f_sq_sum(x): return np.sum(x ** 2)


def test_polynomial_at_zero_by_hand():   # regression: the Pow rule gave nan at a zero base
    # d/dx (1 + 2x + 3x^2 + 4x^3) at 0 is 2
    assert tapeless.grad(f_poly)(0.0) == 2.0


# --- operators without a derivative contribute nothing ----------------------------------
def z_floordiv(x): return np.sum((x + x // 1.0 + np.floor_divide(x, 0.5)) * W)
def z_compare(x): return np.sum(x * (x > 0.0) * W)
def z_bitops(x): return np.sum(x * ((x > 0.0) & (x < 1.0) | ~(x > -0.5) ^ (x > 1.5)) * W)
def z_shifts(x): return np.sum(x * ((np.arange(12).reshape(3, 4) << 1) >> 1) * W)


def z_bool_ops(x):
    if not (x > 10.0) and (x > 0.0 or x < -5.0) and 0.0 < x < 5.0:
        return x * 3.0
    return x * 2.0


NONDIFF = [
    ((("op", "FloorDiv"), np.floor_divide), z_floordiv, X, W),
    ((("op", "Compare"),), z_compare, X, W * (X > 0)),
    ((("op", "BitAnd"), ("op", "BitOr"), ("op", "BitXor"), ("op", "Invert")), z_bitops, X,
     W * (((X > 0) & (X < 1)) | (~(X > -0.5) ^ (X > 1.5)))),
    ((("op", "LShift"), ("op", "RShift")), z_shifts, X, W * np.arange(12).reshape(3, 4)),
    ((("op", "Not"), ("op", "BoolOp")), z_bool_ops, 0.5, 3.0),
    ((("op", "Not"), ("op", "BoolOp")), z_bool_ops, -0.5, 2.0),
]


@pytest.mark.parametrize("keys, f, x, expected", NONDIFF,
                         ids=[f"{n[1].__name__}{i}" for i, n in enumerate(NONDIFF)])
def test_nondifferentiable_operator_contributes_zero(keys, f, x, expected):
    np.testing.assert_allclose(tapeless.grad(f)(x), expected, rtol=1e-12, atol=1e-14)


def test_every_nondifferentiable_operator_has_a_case():
    mine = {k for k in registry.registered()["nondifferentiable"] if isinstance(k, tuple) and k[0] == "op"}
    covered = {k for keys, *_ in NONDIFF for k in keys}
    assert mine | {np.floor_divide} <= covered
