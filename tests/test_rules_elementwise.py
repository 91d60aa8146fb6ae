"""One line per NumPy elementwise rule (src/tapeless/rules/elementwise.py), checked against
central finite differences; a few gradients are also checked against formulas derived by hand.
"""

import numpy as np
import pytest

import tapeless
from tapeless.rules import registry
from tapeless.testing import check_grads

rng = np.random.default_rng(20240601)
X = rng.normal(size=(3, 4))                     # any real input
Y = X + rng.choice([-1.0, 1.0], size=(3, 4)) * rng.uniform(0.2, 1.0, size=(3, 4))  # no ties with X
P = rng.uniform(0.5, 2.0, size=(3, 4))          # positive: log, sqrt, reciprocal
U = rng.uniform(-0.9, 0.9, size=(3, 4))         # inside (-1, 1): arcsin, arccos, tan
C = rng.uniform(0.5, 1.5, size=(3, 1))          # broadcasts with R to (3, 4)
R = rng.uniform(-1.5, -0.5, size=(4,))          # C > 0 > R: no ties between C and R
W = rng.normal(size=(3, 4))                     # fixed weights: no symmetric shortcut
M = rng.random((3, 4)) < 0.5                    # a fixed boolean condition
LO = rng.uniform(-1.0, 0.0, size=(3, 4))        # array bounds for clip that broadcast R4
R4 = np.array([-0.8, -0.3, 0.2, 0.9])
NAN = np.where(M, np.nan, Y)                    # fmax / fmin ignore NaN operands


# --- functions under test (tapeless reads their source) ---------------------------------
def f_exp(x): return np.sum(np.exp(x) * W)
def f_expm1(x): return np.sum(np.expm1(x) * W)
def f_log(x): return np.sum(np.log(x) * W)
def f_log1p(x): return np.sum(np.log1p(x) * W)
def f_log2(x): return np.sum(np.log2(x) * W)
def f_log10(x): return np.sum(np.log10(x) * W)
def f_sqrt(x): return np.sum(np.sqrt(x) * W)
def f_square(x): return np.sum(np.square(x) * W)
def f_reciprocal(x): return np.sum(np.reciprocal(x) * W)
def f_sin(x): return np.sum(np.sin(x) * W)
def f_cos(x): return np.sum(np.cos(x) * W)
def f_tan(x): return np.sum(np.tan(x) * W)
def f_tanh(x): return np.sum(np.tanh(x) * W)
def f_sinh(x): return np.sum(np.sinh(x) * W)
def f_cosh(x): return np.sum(np.cosh(x) * W)
def f_arcsin(x): return np.sum(np.arcsin(x) * W)
def f_arccos(x): return np.sum(np.arccos(x) * W)
def f_arctan(x): return np.sum(np.arctan(x) * W)
def f_arctan2(y, x): return np.sum(np.arctan2(y, x) * W)
def f_abs(x): return np.sum(np.abs(x) * W)
def f_absolute(x): return np.sum(np.absolute(x) * W)
def f_fabs(x): return np.sum(np.fabs(x) * W)
def f_builtin_abs(x): return np.sum(abs(x) * W)
def f_maximum(a, b): return np.sum(np.maximum(a, b) * W)
def f_fmax(a, b): return np.sum(np.fmax(a, b) * W)
def f_minimum(a, b): return np.sum(np.minimum(a, b) * W)
def f_fmin(a, b): return np.sum(np.fmin(a, b) * W)
def f_maximum_float(x, s): return np.sum(np.maximum(x, s) * W)   # s: a Python float
def f_minimum_float(s, x): return np.sum(np.minimum(s, x) * W)
def f_where(x, y): return np.sum(np.where(M, x, y) * W)
def f_where_float(x, s): return np.sum(np.where(M, x, s) * W)
def f_where_derived(x): return np.sum(np.where(x > 0, np.sin(x), x ** 2) * W)
def f_clip(x): return np.sum(np.clip(x, -0.5, 0.5) * W)
def f_clip_upper(x): return np.sum(np.clip(x, None, 0.5) * W)
def f_clip_array_bounds(x): return np.sum(np.clip(x, LO, 1.0) * W)    # (4,) clipped to (3, 4)
def f_clip_bounds(x, lo, hi): return np.sum(np.clip(x, lo, hi) * W)   # bounds differentiated too
def f_fmax_nan(x): return np.sum(np.fmax(x, NAN) * W)
def f_fmin_nan(x): return np.sum(np.fmin(NAN, x) * W)
def f_scalar_mix(x): return np.exp(x) * np.sqrt(x) + np.tanh(x) * np.arctan2(x, 0.5) - np.abs(np.log(x))
def f_scalar_clip(x): return np.clip(x, 0.0, 1.0) * 2.0 + np.maximum(x, 0.5) - np.minimum(0.2, x)
def f_scalar_where(x): return np.where(x > 0.0, x, 0.0) * 2.0           # a scalar ReLU
def f_exp2(x): return np.sum(np.exp2(x) * W)
def f_cbrt(x): return np.sum(np.cbrt(x) * W)            # x > 0: away from the pole at 0
def f_hypot(a, b): return np.sum(np.hypot(a, b) * W)
def f_logaddexp(a, b): return np.sum(np.logaddexp(a, b) * W)
def f_chain(x): return np.sum(np.log(1.0 + np.exp(np.sin(x))) * np.sqrt(np.square(x) + 1.0) * W)



def f_arcsinh(x): return np.sum(np.arcsinh(x) * W)
def f_arccosh(x): return np.sum(np.arccosh(x + 1.5) * W)   # x > -0.5 here: inside the domain
def f_arctanh(x): return np.sum(np.arctanh(x) * W)
def f_deg2rad(x): return np.sum(np.sin(np.deg2rad(x * 40.0)) * W)
def f_radians(x): return np.sum(np.radians(x) * W)
def f_rad2deg(x): return np.sum(np.rad2deg(x) * W)
def f_degrees(x): return np.sum(np.degrees(x) * W)
def f_logaddexp2(a, b): return np.sum(np.logaddexp2(a, b) * W)


def case(key, f, *args, wrt=0):
    name = key if isinstance(key, str) else registry.display_name(key)
    shape = "x".join(map(str, np.shape(args[0]))) or "float"
    return pytest.param(key, f, args, wrt, id=f"{name}-{f.__name__}-{shape}")


CASES = [
    case(np.arcsinh, f_arcsinh, X),
    case(np.arccosh, f_arccosh, P),
    case(np.arctanh, f_arctanh, U),
    case(np.deg2rad, f_deg2rad, X),
    case(np.radians, f_radians, X),
    case(np.rad2deg, f_rad2deg, X),
    case(np.degrees, f_degrees, X),
    case(np.logaddexp2, f_logaddexp2, X, Y, wrt=(0, 1)),
    case(np.logaddexp2, f_logaddexp2, C, R, wrt=(0, 1)),
    case(np.exp, f_exp, X),
    case(np.expm1, f_expm1, X),
    case(np.log, f_log, P),
    case(np.log1p, f_log1p, P),
    case(np.log2, f_log2, P),
    case(np.log10, f_log10, P),
    case(np.sqrt, f_sqrt, P),
    case(np.square, f_square, X),
    case(np.reciprocal, f_reciprocal, P),
    case(np.sin, f_sin, X),
    case(np.cos, f_cos, X),
    case(np.tan, f_tan, U),
    case(np.tanh, f_tanh, X),
    case(np.exp2, f_exp2, X),
    case(np.cbrt, f_cbrt, P),
    case(np.hypot, f_hypot, X, Y, wrt=(0, 1)),
    case(np.hypot, f_hypot, C, R, wrt=(0, 1)),       # broadcasting
    case(np.logaddexp, f_logaddexp, X, Y, wrt=(0, 1)),
    case(np.logaddexp, f_logaddexp, C, R, wrt=(0, 1)),
    case(np.sinh, f_sinh, X),
    case(np.cosh, f_cosh, X),
    case(np.arcsin, f_arcsin, U),
    case(np.arccos, f_arccos, U),
    case(np.arctan, f_arctan, X),
    case(np.arctan2, f_arctan2, X, Y, wrt=(0, 1)),
    case(np.arctan2, f_arctan2, C, R, wrt=(0, 1)),           # (3,1) with (4,)
    case(np.arctan2, f_arctan2, 0.7, X, wrt=(0, 1)),         # Python float with an array
    case(np.abs, f_abs, X),
    case(np.absolute, f_absolute, X),
    case(np.fabs, f_fabs, X),
    case(abs, f_builtin_abs, X),
    case(np.maximum, f_maximum, X, Y, wrt=(0, 1)),
    case(np.maximum, f_maximum, C, R, wrt=(0, 1)),
    case(np.maximum, f_maximum, R, C, wrt=(0, 1)),
    case(np.maximum, f_maximum_float, X, 0.05, wrt=(0, 1)),
    case(np.fmax, f_fmax, X, Y, wrt=(0, 1)),
    case(np.minimum, f_minimum, X, Y, wrt=(0, 1)),
    case(np.minimum, f_minimum, C, R, wrt=(0, 1)),
    case(np.minimum, f_minimum_float, 0.05, X, wrt=(0, 1)),
    case(np.fmin, f_fmin, X, Y, wrt=(0, 1)),
    case(np.where, f_where, X, Y, wrt=(0, 1)),
    case(np.where, f_where, C, R, wrt=(0, 1)),
    case(np.where, f_where_float, X, 0.3, wrt=(0, 1)),
    case(np.where, f_where_derived, X),
    case(np.clip, f_clip, X),
    case(np.clip, f_clip_upper, X),
    case(np.clip, f_clip_array_bounds, R4),  # regression: the clip rule did not unbroadcast to a's shape
    # regression: the bounds were treated as constants (gradient 0 with respect to them)
    case(np.clip, f_clip_bounds, R4, LO, 0.5, wrt=(0, 1, 2)),
    case(np.clip, f_clip_bounds, X, -0.5, 0.5, wrt=(0, 1, 2)),
    case(np.fmax, f_fmax_nan, X),   # regression: fmax used the maximum rule, gradient 0 against NaN
    case(np.fmin, f_fmin_nan, X),   # regression: fmin used the minimum rule, gradient 0 against NaN
    case("chain", f_chain, X),
    case("chain", f_scalar_mix, 0.7),               # Python floats in, float gradients out
    case(np.clip, f_scalar_clip, 0.7),
    case(np.where, f_scalar_where, 0.7),    # regression: a float x got a 0-d ndarray gradient
    case(np.where, f_scalar_where, -0.7),   # regression: a float x got a 0-d ndarray gradient
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_elementwise_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.elementwise"}
    covered = {p.values[0] for p in CASES}
    assert mine - covered == set()


def _away(x, points, gap=1e-3):   # inputs must not sit on a kink
    return all(np.min(np.abs(x - p)) > gap for p in points)


assert _away(X, [0.0, -0.5, 0.5, 0.05]) and _away(X - Y, [0.0]) and _away(X, [0.3]) and _away(R4 - LO, [0.0])


# --- gradients by hand ------------------------------------------------------------------
EXACT = [
    (f_exp, (X,), W * np.exp(X)),
    (f_log, (P,), W / P),
    (f_sqrt, (P,), W / (2 * np.sqrt(P))),
    (f_tanh, (X,), W / np.cosh(X) ** 2),
    (f_arcsin, (U,), W / np.sqrt(1 - U ** 2)),
    (f_abs, (X,), W * np.sign(X)),
    (f_clip, (X,), W * ((X > -0.5) & (X < 0.5))),
    (f_where, (X, Y), W * M),
    (f_maximum, (C, R), np.sum(W, axis=1, keepdims=True)),   # C > R everywhere
]


@pytest.mark.parametrize("f, args, expected", EXACT, ids=[e[0].__name__ for e in EXACT])
def test_gradient_by_hand(f, args, expected):
    np.testing.assert_allclose(tapeless.grad(f)(*args), expected, rtol=1e-12, atol=1e-14)


def test_gradient_wrt_python_float_is_a_float():
    g = tapeless.grad(f_maximum_float, wrt=1)(X, 0.05)
    assert type(g) is float and g == pytest.approx(np.sum(W[X < 0.05]), rel=1e-12)


def f_maximum_tie(a, b): return np.sum(np.maximum(a, b) * W)


def test_maximum_tie_goes_to_first_argument():
    # Documents the convention (maximum is not differentiable at a tie): a >= b sends the
    # whole adjoint to the first argument.
    da, db = tapeless.grad(f_maximum_tie, wrt=(0, 1))(X, X.copy())
    np.testing.assert_array_equal(da, W)
    np.testing.assert_array_equal(db, np.zeros_like(W))


# --- non-differentiable NumPy functions contribute nothing ------------------------------
def z_sign(x): return np.sum(x * np.sign(x) * W)
def z_floor(x): return np.sum(x * np.floor(x) * W)
def z_heaviside(x): return np.sum(x * np.heaviside(x, 0.5) * W)
def z_ceil(x): return np.sum(x * np.ceil(x) * W)
def z_round(x): return np.sum(x * np.round(x) * W)
def z_rint(x): return np.sum(x * np.rint(x) * W)
def z_trunc(x): return np.sum(x * np.trunc(x) * W)
def z_zeros_like(x): return np.sum((x + np.zeros_like(x)) * W)
def z_ones_like(x): return np.sum(x * np.ones_like(x) * W)
def z_empty_like(x): return np.sum(x * W) + np.size(np.empty_like(x))
def z_full_like(x): return np.sum(x * np.full_like(x, 2.0) * W)
def z_ranges(x): return np.sum(x * np.arange(4.0) * np.linspace(0.0, 1.0, 4) * W)
def z_eye(x): return np.sum((np.eye(3) @ x) * W) + np.sum(np.identity(2))
def z_shape(x): return np.sum(x * W) * np.shape(x)[1] * np.ndim(x) * np.size(x)
def z_argmax(x): return np.sum(x * W) * (1.0 + np.argmax(x) + np.argmin(x) + np.argsort(x)[0, 0])
def z_predicates(x): return np.sum(np.where(np.isfinite(x) & ~np.isnan(x) & ~np.isinf(x), x, 0.0) * W)
def z_count(x): return np.sum(x * W) * np.count_nonzero(x > 0.0)


def z_constructors(x):
    return np.sum((x + np.zeros((3, 4)) + np.empty((0,)).sum()) * np.ones((3, 4)) * np.full((3, 4), 2.0) * W)


def z_compare(x):
    factor = (1.0 * np.greater(x, 0.0) + 2.0 * np.less(x, -1.0) + 4.0 * np.greater_equal(x, 0.5)
              + 8.0 * np.less_equal(x, -0.5) + 16.0 * np.equal(x, 0.0) + 32.0 * np.not_equal(x, 0.0))
    return np.sum(x * factor * W)


def z_logical(x):
    return np.sum(x * np.logical_or(np.logical_and(x > -1.0, x < 1.0), np.logical_not(x > 0.0)) * W)


def z_all_any(x):
    factor = 1.0 * np.all(x > -10.0) + 2.0 * np.any(x > 10.0) + 4.0 * np.allclose(x, X) + 8.0 * np.sum(np.isclose(x, X))
    return np.sum(x * W) * factor


def z_nonzero(x):
    idx = np.nonzero(x > 0.0)
    return np.sum(x[idx] * W[idx])


NONDIFF = [
    (np.sign, z_sign, np.sign(X) * W),
    (np.floor, z_floor, np.floor(X) * W),
    (np.heaviside, z_heaviside, np.heaviside(X, 0.5) * W),
    (np.ceil, z_ceil, np.ceil(X) * W),
    (np.round, z_round, np.round(X) * W),
    (np.rint, z_rint, np.rint(X) * W),
    (np.trunc, z_trunc, np.trunc(X) * W),
    (np.zeros_like, z_zeros_like, W),
    (np.ones_like, z_ones_like, W),
    (np.empty_like, z_empty_like, W),
    (np.full_like, z_full_like, 2.0 * W),
    ((np.zeros, np.ones, np.empty, np.full), z_constructors, 2.0 * W),
    ((np.arange, np.linspace), z_ranges, np.arange(4.0) * np.linspace(0.0, 1.0, 4) * W),
    ((np.eye, np.identity), z_eye, W),
    ((np.shape, np.ndim, np.size), z_shape, W * 4 * 2 * 12),
    ((np.argmax, np.argmin, np.argsort), z_argmax,
     W * (1.0 + np.argmax(X) + np.argmin(X) + np.argsort(X)[0, 0])),
    ((np.isfinite, np.isnan, np.isinf), z_predicates, W),
    ((np.greater, np.less, np.greater_equal, np.less_equal, np.equal, np.not_equal), z_compare,
     W * (1.0 * (X > 0) + 2.0 * (X < -1) + 4.0 * (X >= 0.5) + 8.0 * (X <= -0.5) + 32.0)),
    ((np.logical_and, np.logical_or, np.logical_not), z_logical, W * ((np.abs(X) < 1) | (X <= 0))),
    ((np.all, np.any, np.allclose, np.isclose), z_all_any, W * (1 + 4 + 8 * 12)),
    (np.count_nonzero, z_count, W * np.count_nonzero(X > 0)),
    (np.nonzero, z_nonzero, W * (X > 0)),
]


@pytest.mark.parametrize("keys, f, expected", NONDIFF, ids=[n[1].__name__ for n in NONDIFF])
def test_nondifferentiable_function_contributes_zero(keys, f, expected):
    np.testing.assert_allclose(tapeless.grad(f)(X), expected, rtol=1e-12, atol=1e-14)


def test_every_numpy_nondifferentiable_function_has_a_case():
    numpy_keys = {k for k in registry.registered()["nondifferentiable"]
                  if not isinstance(k, tuple) and registry.display_name(k).startswith("np.")}
    covered = set()
    for keys, _, _ in NONDIFF:
        covered |= set(keys) if isinstance(keys, tuple) else {keys}
    assert numpy_keys - covered - {np.floor_divide} == set()   # floor_divide: test_rules_operators


def test_clip_bounds_by_hand():
    # clip(x, lo, hi) is lo where x < lo and hi where x > hi (lo < hi here): the derivative with
    # respect to lo is 1 there, and with respect to a float hi the sum over where x > hi
    dx, dlo, dhi = tapeless.grad(f_clip_bounds, wrt=(0, 1, 2))(R4, LO, 0.5)
    below, above = R4 < LO, np.broadcast_to(R4 > 0.5, LO.shape)
    np.testing.assert_allclose(dlo, W * below)
    np.testing.assert_allclose(dhi, np.sum(W[above]))
    np.testing.assert_allclose(dx, np.sum(W * (~below & ~above), axis=0))
