"""One line per reduction rule (src/tapeless/rules/reductions.py): sum, mean, prod, max, min as
functions and as methods, with axis / keepdims variants."""

import numpy as np
import pytest

import tapeless
from tapeless.errors import ArgumentError
from tapeless.rules import registry
from tapeless.testing import check_grads

rng = np.random.default_rng(11)
X = rng.permutation(np.linspace(-2.0, 2.0, 12)).reshape(3, 4)   # distinct values: no ties
P = rng.uniform(0.5, 1.5, size=(3, 4))
T = rng.permutation(np.linspace(-2.0, 2.0, 24)).reshape(2, 3, 4)
W = rng.normal(size=(3, 4))
W0 = rng.normal(size=(4,))       # weights of a reduction over axis 0
W1 = rng.normal(size=(3,))       # ... over axis 1
WK0 = W0[None, :]                # ... over axis 0 with keepdims=True
WK1 = W1[:, None]
WT = rng.normal(size=(3,))       # ... of T over axes (0, 2)


def f_var(x): return np.var(x) + np.sum(np.var(x, axis=0) * W0)
def f_var_method(x): return np.sum(x.var(axis=1, ddof=1, keepdims=True) * WK1)
def f_std(x): return np.std(x) + np.sum(np.std(x, axis=1) * W1)
def f_std_method(x): return np.sum(x.std(axis=0, ddof=1) * W0)
def f_cumsum(x): return np.sum(np.cumsum(x, axis=1) * W) + np.sum(np.cumsum(x) * W.ravel())
def f_cumsum_method(x): return np.sum(x.cumsum(axis=0) * W)
def f_sum(x): return np.sum(x * W)
def f_sum_axis0(x): return np.sum(np.sum(x, axis=0) * W0)
def f_sum_axis1(x): return np.sum(np.sum(x, axis=1) * W1)
def f_sum_axis_neg(x): return np.sum(np.sum(x, axis=-1) * W1)
def f_sum_axis_pos(x): return np.sum(np.sum(x, 0) * W0)
def f_sum_axes(x): return np.sum(x * W, axis=(0, 1))
def f_sum_axes_3d(x): return np.sum(np.sum(x, axis=(0, 2)) * WT)
def f_sum_keepdims(x): return np.sum(np.sum(x, axis=0, keepdims=True) * WK0)
def f_sum_keepdims_all(x): return np.sum(np.sum(x * W, keepdims=True) * 2.0)
def f_sum_method(x): return (x * W).sum()
def f_sum_method_axis(x): return np.sum(x.sum(axis=0) * W0)
def f_sum_method_pos(x): return np.sum(x.sum(1) * W1)
def f_mean(x): return np.mean(x * W)
def f_mean_axis0(x): return np.sum(np.mean(x, axis=0) * W0)
def f_mean_axis1_keep(x): return np.sum(np.mean(x, axis=1, keepdims=True) * WK1)
def f_mean_axes(x): return np.mean(x * W, axis=(0, 1))
def f_mean_axes_3d(x): return np.sum(np.mean(x, axis=(0, 2)) * WT)
def f_mean_method(x): return (x * W).mean()
def f_mean_method_axis(x): return np.sum(x.mean(axis=-1) * W1)
def f_prod(x): return np.prod(x)
def f_prod_axis0(x): return np.sum(np.prod(x, axis=0) * W0)
def f_prod_axis1_keep(x): return np.sum(np.prod(x, axis=1, keepdims=True) * WK1)
def f_prod_method(x): return x.prod()
def f_prod_method_axis(x): return np.sum(x.prod(axis=1) * W1)
def f_max(x): return np.max(x * W)
def f_amax(x): return np.amax(x)
def f_max_axis0(x): return np.sum(np.max(x, axis=0) * W0)
def f_max_axis1_keep(x): return np.sum(np.max(x, axis=1, keepdims=True) * WK1)
def f_max_axes_3d(x): return np.sum(np.max(x, axis=(0, 2)) * WT)
def f_max_method(x): return x.max()
def f_max_method_axis(x): return np.sum(x.max(axis=1) * W1)
def f_min(x): return np.min(x)
def f_amin(x): return np.amin(x * W)
def f_min_axis0_keep(x): return np.sum(np.min(x, axis=0, keepdims=True) * WK0)
def f_min_method(x): return x.min()
def f_min_method_axis(x): return np.sum(x.min(0) * W0)
def f_max_scalar(x): return np.max(x) * 2.0          # x: a Python float
def f_prod_scalar(x): return np.prod(x) * 2.0        # x: a Python float
def f_sum_scalar(x): return np.sum(x) * 2.0
def f_mean_scalar(x): return np.mean(x) * 2.0
def f_sum_dtype(x): return np.sum(x * W, dtype=np.float64)
def f_sum_neg_axes_keep(x): return np.sum(np.sum(x, axis=(-1, 0), keepdims=True) * 2.0)
def f_mean_neg_axes(x): return np.sum(np.mean(x, axis=(-1, 0)) * WT)
def f_prod_axis_neg(x): return np.sum(np.prod(x, axis=-1) * W1)
def f_max_axis_neg(x): return np.sum(np.max(x, -1) * W1)
def f_min_axes_keep(x): return np.sum(np.min(x, axis=(0, 1), keepdims=True) * 3.0)



def f_diff(x): return np.sum(np.diff(x) * W[:, :3])
def f_diff_n2_axis0(x): return np.sum(np.diff(x, 2, axis=0) * W[:1])
def f_diff_kw(x): return np.sum(np.diff(x, n=2) ** 2)
def f_builtin_sum_vector(x): return sum(x[0] ** 2)
def f_builtin_sum_rows(x): return np.sum(sum(x * W) * W[0])
def f_builtin_sum_start(x, s): return sum(np.sin(x[1]), s ** 2)



TRAPEZOID = getattr(np, "trapezoid", None) or np.trapz   # NumPy 2 renamed np.trapz
TRAPZ = getattr(np, "trapz", None)   # the old name, still there (deprecated) before NumPy 2.4
def f_trapezoid(y): return TRAPEZOID(y[0] ** 2, dx=0.5)
def f_trapezoid_x(y): return np.sum(TRAPEZOID(np.sin(y), np.array([0.0, 0.3, 1.0, 1.2])) * W1)
def f_trapezoid_axis(y): return np.sum(TRAPEZOID(y, axis=0) * W[0])
def f_trapz(y): return np.sum(TRAPZ(y, dx=0.25, axis=0) * W[0])



def f_average(x): return np.average(x ** 2)
def f_average_weights(x): return np.sum(np.average(x, axis=1, weights=np.array([1.0, 2.0, 0.5, 3.0])) * W1)
def f_average_full_weights(x): return np.average(np.sin(x), weights=W ** 2)
def f_average_keepdims(x): return np.sum(np.average(x, axis=0, weights=W1, keepdims=True) ** 2)


def case(key, f, *args, wrt=0, marks=()):
    return pytest.param(key, f, args, wrt, id=f"{registry.display_name(key)}-{f.__name__}", marks=marks)


CASES = [
    case(np.average, f_average, X),
    case(np.average, f_average_weights, X),
    case(np.average, f_average_full_weights, X),
    case(np.average, f_average_keepdims, X),
    case(TRAPEZOID, f_trapezoid, X),
    case(TRAPEZOID, f_trapezoid_x, X),
    case(TRAPEZOID, f_trapezoid_axis, X),
    *([case(TRAPZ, f_trapz, X, marks=pytest.mark.filterwarnings("ignore:`trapz` is deprecated"))]
      if TRAPZ is not None and TRAPZ is not TRAPEZOID else []),
    case(np.diff, f_diff, X),
    case(np.diff, f_diff_n2_axis0, X),
    case(np.diff, f_diff_kw, X),
    case(sum, f_builtin_sum_vector, X),
    case(sum, f_builtin_sum_rows, X),
    case(sum, f_builtin_sum_start, X, 0.7, wrt=(0, 1)),
    case(np.var, f_var, X),
    case(("method", "var"), f_var_method, X),
    case(np.std, f_std, X),
    case(("method", "std"), f_std_method, X),
    case(np.cumsum, f_cumsum, X),
    case(("method", "cumsum"), f_cumsum_method, X),
    case(np.sum, f_sum, X),
    case(np.sum, f_sum_axis0, X),
    case(np.sum, f_sum_axis1, X),
    case(np.sum, f_sum_axis_neg, X),
    case(np.sum, f_sum_axis_pos, X),
    case(np.sum, f_sum_axes, X),
    case(np.sum, f_sum_axes_3d, T),
    case(np.sum, f_sum_keepdims, X),
    case(np.sum, f_sum_keepdims_all, X),
    case(np.sum, f_sum_dtype, X),
    case(np.sum, f_sum_neg_axes_keep, X),
    case(np.sum, f_sum_scalar, 0.7),
    case(("method", "sum"), f_sum_method, X),
    case(("method", "sum"), f_sum_method_axis, X),
    case(("method", "sum"), f_sum_method_pos, X),
    case(np.mean, f_mean, X),
    case(np.mean, f_mean_axis0, X),
    case(np.mean, f_mean_axis1_keep, X),
    case(np.mean, f_mean_axes, X),
    case(np.mean, f_mean_axes_3d, T),
    case(np.mean, f_mean_neg_axes, T),
    case(np.mean, f_mean_scalar, 0.7),
    case(("method", "mean"), f_mean_method, X),
    case(("method", "mean"), f_mean_method_axis, X),
    case(np.prod, f_prod, P),
    case(np.prod, f_prod_axis0, P),
    case(np.prod, f_prod_axis1_keep, P),
    case(np.prod, f_prod_axis_neg, P),
    case(np.prod, f_prod_scalar, 0.7),   # regression (before 4324aa0: a 0-d ndarray, not a float)
    case(("method", "prod"), f_prod_method, P),
    case(("method", "prod"), f_prod_method_axis, P),
    case(np.max, f_max, X),
    case(np.amax, f_amax, X),
    case(np.max, f_max_axis0, X),
    case(np.max, f_max_axis1_keep, X),
    case(np.max, f_max_axes_3d, T),
    case(np.max, f_max_scalar, 0.7),
    case(np.max, f_max_axis_neg, X),
    case(("method", "max"), f_max_method, X),
    case(("method", "max"), f_max_method_axis, X),
    case(np.min, f_min, X),
    case(np.amin, f_amin, X),
    case(np.min, f_min_axis0_keep, X),
    case(np.min, f_min_axes_keep, T),
    case(("method", "min"), f_min_method, X),
    case(("method", "min"), f_min_method_axis, X),
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_reduction_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.reductions"}
    assert mine - {p.values[0] for p in CASES} == set()


# --- gradients by hand ------------------------------------------------------------------
def test_sum_and_mean_by_hand():
    np.testing.assert_array_equal(tapeless.grad(f_sum_axis0)(X), np.broadcast_to(W0, (3, 4)))
    np.testing.assert_allclose(tapeless.grad(f_mean_axis1_keep)(X), np.broadcast_to(WK1 / 4, (3, 4)))
    np.testing.assert_allclose(tapeless.grad(f_mean_axes_3d)(T),
                               np.broadcast_to(WT[None, :, None] / 8, (2, 3, 4)))


def test_max_by_hand():
    g = tapeless.grad(f_max_axis0)(X)
    expected = np.zeros((3, 4))
    expected[np.argmax(X, axis=0), np.arange(4)] = W0
    np.testing.assert_array_equal(g, expected)


def test_prod_without_zeros_by_hand():
    x = np.array([2.0, 3.0, 5.0, 7.0])
    np.testing.assert_array_equal(tapeless.grad(f_prod)(x), [105.0, 70.0, 42.0, 30.0])


@pytest.mark.parametrize("x, expected", [
    (np.array([2.0, 0.0, 5.0, 7.0]), [0.0, 70.0, 0.0, 0.0]),     # one zero: only it gets a gradient
    (np.array([2.0, 0.0, 5.0, 0.0]), [0.0, 0.0, 0.0, 0.0]),      # two zeros: all zero
    (np.array([[2.0, 0.0], [3.0, 4.0]]), [[0.0, 24.0], [0.0, 0.0]]),
])
def test_prod_with_zeros_is_exact(x, expected):
    np.testing.assert_array_equal(tapeless.grad(f_prod)(x), expected)


def test_prod_along_an_axis_with_zeros_is_exact():
    x = np.array([[2.0, 0.0, 5.0, 7.0],
                  [1.0, 2.0, 3.0, 4.0],
                  [0.0, 3.0, 0.0, 1.0]])
    w = W1   # f_prod_method_axis: sum(prod(x, axis=1) * W1)
    expected = np.array([[0.0, 70.0 * w[0], 0.0, 0.0],
                         [24.0 * w[1], 12.0 * w[1], 8.0 * w[1], 6.0 * w[1]],
                         [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(tapeless.grad(f_prod_method_axis)(x), expected, rtol=1e-12, atol=0)
    check_grads(f_prod_method_axis, [x])


def f_prod_axes(x): return np.prod(x, axis=(0, 1))


def test_prod_over_a_tuple_of_axes_is_refused():
    # documented limitation of tapeless.runtime.prod_adjoint: reduce one axis at a time
    with pytest.raises(ArgumentError, match="tuple of axes"):
        tapeless.grad(f_prod_axes)(P)


def f_max_tie(x): return np.max(x)
def f_max_tie_axis(x): return np.sum(np.max(x, axis=1) * np.array([1.0, 10.0]))


def test_max_with_ties_splits_the_gradient_equally():
    # max is not differentiable at a tie; tapeless shares the adjoint equally among the tied
    # maxima (one valid subgradient). Worked out by hand.
    np.testing.assert_array_equal(tapeless.grad(f_max_tie)(np.array([1.0, 3.0, 3.0, 2.0])),
                                  [0.0, 0.5, 0.5, 0.0])
    np.testing.assert_allclose(tapeless.grad(f_max_tie_axis)(np.array([[4.0, 4.0, 4.0], [1.0, 5.0, 2.0]])),
                               [[1 / 3, 1 / 3, 1 / 3], [0.0, 10.0, 0.0]])


def test_max_of_a_python_float_is_a_float():
    assert tapeless.grad(f_max_scalar)(0.7) == 2.0


# --- non-differentiable methods ---------------------------------------------------------
def z_methods(x):
    return np.sum(x * W) * (1.0 + x.argmax() + 2.0 * x.argmin() + 4.0 * (x > 0.0).any() + 8.0 * (x > -5.0).all())


def test_nondifferentiable_methods_contribute_zero():
    factor = 1.0 + np.argmax(X) + 2.0 * np.argmin(X) + 4.0 + 8.0
    np.testing.assert_allclose(tapeless.grad(z_methods)(X), W * factor, rtol=1e-12)


def average_with_its_weights(x): return np.average(x, weights=W, returned=True)[0]


def test_average_returning_the_weights_is_refused_where_it_is():
    with pytest.raises(tapeless.UnsupportedSyntax, match=r"np.average\(\.\.\., returned=True\) is not differentiated") as info:
        tapeless.grad(average_with_its_weights)
    assert info.value.location.lineno == average_with_its_weights.__code__.co_firstlineno
