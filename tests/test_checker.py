"""tapeless.testing.check_grads must catch wrong gradients: otherwise every rule test that relies
on it proves nothing."""

import numpy as np
import pytest

import tapeless
from tapeless.rules import registry
from tapeless.testing import GradientMismatch, check_grads, numerical_grad

rng = np.random.default_rng(17)
X = rng.normal(size=(3, 4))
W = rng.normal(size=(3, 4))


def f(x): return np.sum(np.sin(x) * W)
def f2(x, y): return np.sum(x * y ** 2)
def f_scalar(x): return x ** 3
def f_kw(x, scale=1.0): return np.sum(x ** 2) * scale


# --- hand-written gradients -------------------------------------------------------------
def right(x): return np.cos(x) * W
def wrong_sign(x): return -np.cos(x) * W
def wrong_factor(x): return np.cos(x) * W * (1 + 1e-4)       # small, but far beyond rtol=1e-6
def wrong_one_entry(x): return np.cos(x) * W + np.eye(3, 4) * (np.arange(4) == 2)
def wrong_rule(x): return np.sin(x) * W                        # the derivative of cos, not sin
def wrong_shape(x): return (np.cos(x) * W).ravel()
def reversed_columns(x): return (np.cos(x) * W)[:, ::-1]     # entries in the wrong places
def zero(x): return np.zeros_like(x)


def mutates(x):
    g = np.cos(x) * W
    x += 1.0              # a gradient must not modify its arguments
    return g


def test_passes_on_a_right_gradient():
    g = check_grads(f, [X], gradient=right)
    np.testing.assert_array_equal(g, right(X))


def test_passes_on_the_tapeless_gradient():
    np.testing.assert_allclose(check_grads(f, [X]), np.cos(X) * W, rtol=1e-12)


@pytest.mark.parametrize("gradient", [wrong_sign, wrong_factor, wrong_one_entry, wrong_rule,
                                      reversed_columns, zero, wrong_shape, mutates])
def test_fails_on_a_wrong_gradient(gradient):
    with pytest.raises(GradientMismatch):
        check_grads(f, [X.copy()], gradient=gradient)


def test_fails_on_a_wrong_gradient_of_a_second_argument():
    x, y = X, W
    check_grads(f2, [x, y], wrt=(0, 1), gradient=lambda x, y: (y ** 2, 2 * x * y))
    with pytest.raises(GradientMismatch, match="'y'"):
        check_grads(f2, [x, y], wrt=(0, 1), gradient=lambda x, y: (y ** 2, x * y))


def test_scalar_gradient_must_be_right_and_a_float():
    check_grads(f_scalar, [1.5], gradient=lambda x: 3 * x ** 2)
    with pytest.raises(GradientMismatch):
        check_grads(f_scalar, [1.5], gradient=lambda x: 3 * x)
    with pytest.raises(GradientMismatch, match="not a float"):
        check_grads(f_scalar, [1.5], gradient=lambda x: np.array(3 * x ** 2))


def test_kwargs_reach_the_function_and_the_gradient():
    check_grads(f_kw, [X], kwargs={"scale": 3.0}, gradient=lambda x, scale=1.0: 2 * x * scale)
    with pytest.raises(GradientMismatch):
        check_grads(f_kw, [X], kwargs={"scale": 3.0}, gradient=lambda x, scale=1.0: 2 * x)


def test_numerical_grad_matches_the_derivative_by_hand():
    np.testing.assert_allclose(numerical_grad(f, [X]), np.cos(X) * W, rtol=1e-7, atol=1e-9)
    assert numerical_grad(f_scalar, [2.0]) == pytest.approx(12.0, rel=1e-8)


# --- a deliberately wrong rule, registered for a fresh primitive -------------------------
def cube(x):
    return x * x * x


def wrong_cube_rule(ans, g, x):
    dx = g * 2.0 * x * x     # should be 3 x^2


def right_cube_rule(ans, g, x):
    dx = g * 3.0 * x * x


def f_cube(x): return np.sum(cube(x) * W)


@pytest.fixture
def cube_rule():
    """Register a rule for ``cube`` for one test, then remove it again."""
    def register(template):
        registry.reverse_rule(cube)(template)
        tapeless.api._CACHE.pop(f_cube, None)  # gradients are cached per function
    yield register
    registry._REVERSE.pop(cube, None)
    tapeless.api._CACHE.pop(f_cube, None)


def test_fails_on_a_wrong_registered_rule(cube_rule):
    cube_rule(wrong_cube_rule)
    assert "2.0" in tapeless.grad(f_cube).source   # the wrong rule really is the one used
    with pytest.raises(GradientMismatch):
        check_grads(f_cube, [X])


def test_passes_on_a_right_registered_rule(cube_rule):
    cube_rule(right_cube_rule)
    assert "3.0" in tapeless.grad(f_cube).source
    np.testing.assert_allclose(check_grads(f_cube, [X], modes=("rev",)), 3 * X ** 2 * W, rtol=1e-12)
