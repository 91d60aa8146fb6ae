"""One line per scalar rule (src/tapeless/rules/scalar.py: the math module, float, max, min) and
the builtin abs; Python-float inputs must get Python-float gradients."""

import math

import numpy as np
import pytest

import tapeless
from tapeless.rules import registry
from tapeless.testing import check_grads


def f_exp(x): return math.exp(x) * 1.5
def f_expm1(x): return math.expm1(x) * 1.5
def f_log(x): return math.log(x) * 1.5
def f_log_base(x): return math.log(x, 3.0)
def f_log_int_base(x): return math.log(x, 10)
def f_log_both(x, b): return math.log(x, b)
def f_log1p(x): return math.log1p(x) * 1.5
def f_log2(x): return math.log2(x) * 1.5
def f_log10(x): return math.log10(x) * 1.5
def f_sqrt(x): return math.sqrt(x) * 1.5
def f_pow(x, y): return math.pow(x, y)
def f_pow_int(x): return math.pow(x, 3)
def f_sin(x): return math.sin(x) * 1.5
def f_cos(x): return math.cos(x) * 1.5
def f_tan(x): return math.tan(x) * 1.5
def f_tanh(x): return math.tanh(x) * 1.5
def f_sinh(x): return math.sinh(x) * 1.5
def f_cosh(x): return math.cosh(x) * 1.5
def f_asin(x): return math.asin(x) * 1.5
def f_acos(x): return math.acos(x) * 1.5
def f_atan(x): return math.atan(x) * 1.5
def f_atan2(y, x): return math.atan2(y, x)
def f_hypot(x, y): return math.hypot(x, y)
def f_fabs(x): return math.fabs(x) * 1.5
def f_copysign(x, y): return math.copysign(x, y) * 1.5 + math.copysign(2.0, x) * y
def f_float(x): return float(x) * 1.5
def f_float_of_array(x): return float(np.sum(x * np.array([1.0, -2.0, 3.0])))
def f_float_of_item(x): return float(x[1]) * 3.0
def f_max(a, b): return max(a, b) * 1.5 + a
def f_min(a, b): return min(a, b) * 1.5 + b
def f_max_const(x): return max(x, 0.25) * 1.5
def f_min_const(x): return min(0.25, x) * 1.5
def f_max_of_items(x): return max(x[0], x[2]) * 2.0
def f_abs(x): return abs(x) * 1.5
def f_chain(x, y): return math.exp(math.sin(x) * y) / math.sqrt(1.0 + x * x) + math.atan2(x, y) ** 2


def case(key, f, *args, wrt=0):
    return pytest.param(key, f, args, wrt, id=f"{registry.display_name(key)}-{f.__name__}-{args[0]!r:.6}")


CASES = [
    case(math.exp, f_exp, 0.7),
    case(math.expm1, f_expm1, -0.3),
    case(math.log, f_log, 2.5),
    case(math.log, f_log_base, 2.5),
    case(math.log, f_log_int_base, 2.5),
    case(math.log, f_log_both, 2.5, 3.0, wrt=(0, 1)),  # regression: the base was treated as a constant
    case(math.log1p, f_log1p, 0.4),
    case(math.log2, f_log2, 2.5),
    case(math.log10, f_log10, 2.5),
    case(math.sqrt, f_sqrt, 2.5),
    case(math.pow, f_pow, 1.5, 2.5, wrt=(0, 1)),
    case(math.pow, f_pow, -1.5, 3.0, wrt=0),       # negative base: only the base's gradient exists
    case(math.pow, f_pow_int, 1.5),
    case(math.pow, f_pow, 0.0, 2.5, wrt=1),  # regression: zero base, math.log(0) raised ValueError
    case(math.sin, f_sin, 0.7),
    case(math.cos, f_cos, 0.7),
    case(math.tan, f_tan, 0.7),
    case(math.tanh, f_tanh, 0.7),
    case(math.sinh, f_sinh, 0.7),
    case(math.cosh, f_cosh, 0.7),
    case(math.asin, f_asin, 0.6),
    case(math.acos, f_acos, -0.6),
    case(math.atan, f_atan, 0.7),
    case(math.atan2, f_atan2, 0.7, -1.3, wrt=(0, 1)),
    case(math.hypot, f_hypot, 1.5, -2.5, wrt=(0, 1)),
    case(math.fabs, f_fabs, -1.5),
    case(math.fabs, f_fabs, 1.5),
    case(math.copysign, f_copysign, 1.5, -0.5, wrt=(0, 1)),
    case(math.copysign, f_copysign, -1.5, 0.5, wrt=(0, 1)),
    case(float, f_float, 1.5),
    case(float, f_float_of_array, np.array([0.5, 1.5, -2.0])),
    case(float, f_float_of_item, np.array([0.5, 1.5, -2.0])),
    case(max, f_max, 1.5, 0.7, wrt=(0, 1)),
    case(max, f_max, 0.7, 1.5, wrt=(0, 1)),
    case(max, f_max_const, 0.5),
    case(max, f_max_const, 0.1),
    case(max, f_max_of_items, np.array([0.5, 1.5, -2.0])),
    case(min, f_min, 1.5, 0.7, wrt=(0, 1)),
    case(min, f_min, 0.7, 1.5, wrt=(0, 1)),
    case(min, f_min_const, 0.5),
    case(min, f_min_const, 0.1),
    case(abs, f_abs, -0.8),
    case(abs, f_abs, 0.8),
    case("chain", f_chain, 0.7, 1.3, wrt=(0, 1)),
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_scalar_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.scalar"} | {abs}
    assert mine - {p.values[0] for p in CASES} == set()


# --- Python floats stay Python floats (not np.float64) ------------------------------------
FLOAT_CASES = [p for p in CASES if all(type(a) is float for a in p.values[2])]


@pytest.mark.parametrize("key, f, args, wrt", FLOAT_CASES)   # abs: regression (before 4324aa0: np.float64)
def test_python_float_gradient_is_exactly_float(key, f, args, wrt):
    g = tapeless.grad(f, wrt=wrt)(*args)
    assert all(type(gi) is float for gi in (g if isinstance(wrt, tuple) else (g,)))


# --- gradients by hand ------------------------------------------------------------------
@pytest.mark.parametrize("f, args, wrt, expected", [
    (f_exp, (0.0,), 0, 1.5),                          # 1.5 e^0
    (f_log_base, (3.0,), 0, 1 / (3 * math.log(3))),   # d/dx log_3 x = 1/(x ln 3)
    (f_log_both, (2.0, 3.0), (0, 1), (1 / (2 * math.log(3)), -math.log(2) / (3 * math.log(3) ** 2))),
    (f_sqrt, (4.0,), 0, 1.5 / 4),                     # 1.5 / (2 sqrt 4)
    (f_pow, (2.0, 3.0), (0, 1), (12.0, 8 * math.log(2))),
    (f_hypot, (3.0, 4.0), (0, 1), (0.6, 0.8)),
    (f_atan2, (1.0, 1.0), (0, 1), (0.5, -0.5)),       # d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
    (f_asin, (0.6,), 0, 1.5 / 0.8),
    (f_max, (1.5, 0.7), (0, 1), (2.5, 0.0)),
    (f_min, (1.5, 0.7), (0, 1), (0.0, 2.5)),
    (f_fabs, (-2.0,), 0, -1.5),
], ids=lambda v: getattr(v, "__name__", None))
def test_gradient_by_hand(f, args, wrt, expected):
    assert tapeless.grad(f, wrt=wrt)(*args) == pytest.approx(expected, rel=1e-12)


def test_max_tie_goes_to_the_first_argument():
    # max is not differentiable at a tie: a >= b gives the whole adjoint to the first argument.
    assert tapeless.grad(f_max, wrt=(0, 1))(1.0, 1.0) == (2.5, 0.0)


# --- non-differentiable math functions and builtins contribute nothing --------------------
def z_math(x):
    flags = math.isnan(x) + math.isinf(x) + math.isfinite(x) + math.isclose(x, 0.0)
    return x * (math.floor(x) + 2 * math.ceil(x) + 4 * math.trunc(x)) + flags


def z_builtin_numbers(x):
    return x * (int(x) + 2 * round(x) + 4 * bool(x) + 8 * isinstance(x, float) + 16 * (type(x) is float))


def z_text(x): return x * len(str(x) + repr(x))        # len('2.3' + '2.3') == 6


def z_loop(x):
    total = 0.0
    for i, a in enumerate(x):
        total = total + a * i
    for a, b in zip(x, x[::-1]):
        total = total + a * b
    for j in range(len(x)):
        print(j)
    for k in reversed(range(2)):
        total = total + x[k] * k
    return total


def z_loop_nested(x):
    total = 0.0
    for i, (a, b) in enumerate(zip(x, x[::-1])):
        total = total + a * b * i
    return total


NONDIFF = [
    ((math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite, math.isclose),
     z_math, 2.3, 2.0 + 2 * 3.0 + 4 * 2.0),
    ((int, round, bool, isinstance, type), z_builtin_numbers, 2.3, 2 + 2 * 2 + 4 + 8 + 16.0),
    ((len, str, repr), z_text, 2.3, 6.0),
]


@pytest.mark.parametrize("keys, f, x, expected", NONDIFF, ids=[n[1].__name__ for n in NONDIFF])
def test_nondifferentiable_function_contributes_zero(keys, f, x, expected):
    assert tapeless.grad(f)(x) == pytest.approx(expected, rel=1e-12)


X4 = np.array([0.5, -1.0, 2.0, 3.0])


def test_loop_bookkeeping_builtins_contribute_zero(capsys):
    # total = sum_i x[i] i + sum_i x[i] x[n-1-i] + x[1]  =>  d/dx[k] = k + 2 x[n-1-k] (+ 1 for k = 1)
    expected = np.arange(4.0) + 2 * X4[::-1] + np.array([0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(tapeless.grad(z_loop)(X4), expected, rtol=1e-12)
    assert capsys.readouterr().out == "0\n1\n2\n3\n"   # print runs once, in the forward sweep


def test_enumerate_of_zip():   # regression (before 4324aa0: TypeError, len() of a zip object)
    # total = sum_i x[i] x[n-1-i] i  =>  d/dx[k] = x[n-1-k] (k + (n-1-k)) = 3 x[3-k]
    np.testing.assert_allclose(tapeless.grad(z_loop_nested)(X4), 3 * X4[::-1], rtol=1e-12)


def test_every_math_and_builtin_nondifferentiable_function_has_a_case():
    mine = {k for k in registry.registered()["nondifferentiable"]
            if not isinstance(k, tuple) and getattr(k, "__module__", None) in ("math", "builtins")}
    covered = {k for keys, *_ in NONDIFF for k in keys} | {enumerate, zip, range, print, reversed}   # z_loop
    assert mine - covered == set()
