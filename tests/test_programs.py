"""Run a collection of realistic programs (tests/programs/p_*.py) through tapeless.

Every program is checked against central finite differences with ``check_grads``; a dozen are
also checked against gradients worked out by hand. No case is expected to fail: p_repros.py holds
a minimal reproduction of each bug the collection found, all fixed and kept as regression tests.
"""

import math

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

from programs import (p_assign, p_branches, p_control, p_helpers, p_indexing, p_lib, p_loops, p_losses,
                      p_models, p_nested, p_repros, p_scalar)

MODULES = [p_scalar, p_branches, p_loops, p_control, p_lib, p_helpers, p_losses, p_indexing, p_assign,
           p_models, p_nested, p_repros]

# Programs that exposed bugs, all fixed, stay as ordinary cases (regression tests). Fixed in 4324aa0:
# helper defaults, helper tapes in loops, value_and_grad's value, check_grads through keyword-only
# arguments, aliased in-place updates (the repro_* cases of p_repros.py). Fixed since:
# regression: rebind_param_to_count, repro_rebind_param_to_int: rebinding x to an int gave ArgumentError
# regression: augmented_scalar, repro_scalar_augmented, exponential_moving_average: float 's += c' refused


def _entries():
    seen = {}
    out = []
    for module in MODULES:
        for entry in module.PROGRAMS:
            func, args, wrt = entry[:3]
            kwargs = entry[3] if len(entry) > 3 else {}
            name = func.__name__
            seen[name] = seen.get(name, 0) + 1
            pid = name if seen[name] == 1 else f"{name}-{seen[name]}"
            out.append((pid, func, tuple(args), wrt, kwargs))
    return out


ENTRIES = _entries()


def _params():
    return [pytest.param(func, args, wrt, kwargs, id=pid) for pid, func, args, wrt, kwargs in ENTRIES]


def test_collection_size():
    assert len(ENTRIES) >= 80
    assert len({func for _, func, _, _, _ in ENTRIES}) >= 80


@pytest.mark.parametrize("func,args,wrt,kwargs", _params())
def test_program_gradient(func, args, wrt, kwargs):
    check_grads(func, args, wrt=wrt, kwargs=kwargs)


@pytest.mark.parametrize("func,args,wrt,kwargs", _params())
def test_program_value_and_grad(func, args, wrt, kwargs):
    """value_and_grad returns (f(x), grad(x)), and neither call modifies the arguments."""
    before = [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
    value, g = tapeless.value_and_grad(func, wrt)(*args, **kwargs)
    g2 = tapeless.grad(func, wrt)(*args, **kwargs)
    for a, b in zip(args, before):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b)
    expected = func(*args, **kwargs)
    assert np.allclose(value, expected, rtol=1e-12, atol=1e-14)
    if isinstance(wrt, tuple):
        assert isinstance(g, tuple) and isinstance(g2, tuple) and len(g) == len(g2) == len(wrt)
    else:
        g, g2 = (g,), (g2,)
    for a, b in zip(g, g2):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("func,args,wrt,kwargs", _params())
def test_decorated_function_returns_the_same(func, args, wrt, kwargs):
    decorated = tapeless.differentiate(func, wrt=wrt)
    a = decorated(*args, **kwargs)
    b = func(*args, **kwargs)
    assert type(a) is type(b)
    assert np.array_equal(a, b)


# -- gradients worked out by hand ----------------------------------------------------------

def _softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_hand_horner_exact():
    # p(x) = 0.5 x^3 - x^2 + 2 x + 0.25, p'(x) = 1.5 x^2 - 2 x + 2
    assert tapeless.grad(p_loops.horner)(2.0) == 4.0
    x = 1.3
    assert tapeless.grad(p_loops.horner)(x) == pytest.approx(1.5 * x * x - 2 * x + 2, rel=1e-12)


def test_hand_power_sum():
    # d/dx sum_{k=1}^{n} x^k / k = sum_{j=0}^{n-1} x^j
    g = tapeless.grad(p_loops.power_sum)
    assert g(0.5, 6) == pytest.approx(sum(0.5 ** j for j in range(6)), rel=1e-12)
    assert g(2.0, 4) == pytest.approx(1 + 2 + 4 + 8, rel=1e-12)


def test_hand_recursive_power():
    g = tapeless.grad(p_lib.rpow)
    assert g(1.5, 5) == pytest.approx(5 * 1.5 ** 4, rel=1e-12)
    assert g(2.0, 3) == 12.0
    assert g(2.0, 0) == 0.0


def test_hand_recursive_polynomial():
    # poly_rec(x, c, 0) = c0 + c1 x + c2 x^2 + c3 x^3
    c = [1.0, -2.0, 0.5, 3.0]
    x = 0.8
    assert tapeless.grad(p_lib.poly_rec)(x, c, 0) == pytest.approx(c[1] + 2 * c[2] * x + 3 * c[3] * x * x,
                                                                   rel=1e-12)


def test_hand_fibonacci_exact():
    # after 6 steps of (a, b) <- (b, a + b) from (1, x): b = 8 + 13 x
    assert tapeless.grad(p_assign.fibonacci_like)(0.7) == 13.0


def test_hand_triple_product():
    x = np.array([1.5, -0.5, 2.0, 0.7])
    np.testing.assert_array_equal(tapeless.grad(p_indexing.triple_product)(x), [x[1], x[0], -1.0, 2 * x[3]])


def test_hand_gather_accumulates_repeated_index():
    x = np.array([0.5, -0.3, 1.2, 0.8])
    # x[[0, 2, 2, 3]]: element 2 is used twice
    np.testing.assert_allclose(tapeless.grad(p_indexing.gather)(x), [2 * x[0], 0.0, 4 * x[2], 2 * x[3]],
                               rtol=1e-12)


def test_hand_running_product():
    x = np.array([0.3, -0.2, 0.8, 1.5])
    p = np.prod(1 + x)
    np.testing.assert_allclose(tapeless.grad(p_loops.running_product)(x), p / (1 + x), rtol=1e-12)


def test_hand_least_squares():
    w = np.array([0.3, -0.5, 1.0])
    X, y = p_losses.X_DATA, p_losses.Y_REG
    gw, gX, gy = tapeless.grad(p_losses.least_squares, (0, 1, 2))(w, X, y)
    r = X @ w - y
    n = X.shape[0]
    np.testing.assert_allclose(gw, X.T @ r / n, rtol=1e-12)
    np.testing.assert_allclose(gX, np.outer(r, w) / n, rtol=1e-12)
    np.testing.assert_allclose(gy, -r / n, rtol=1e-12)


def test_hand_ridge():
    w = np.array([0.3, -0.5, 1.0])
    b = 0.2
    X, y = p_losses.X_DATA, p_losses.Y_REG
    gw, gb = tapeless.grad(p_losses.ridge, ("w", "b"))(w, b, X, y)
    r = X @ w + b - y
    n = X.shape[0]
    np.testing.assert_allclose(gw, 2 * X.T @ r / n + 2 * p_losses.RIDGE * w, rtol=1e-12)
    assert gb == pytest.approx(2 * np.mean(r), rel=1e-12)


def test_hand_softmax_cross_entropy():
    W = np.array([[0.2, -0.3, 0.5], [0.1, 0.4, -0.6], [-0.7, 0.2, 0.3]])
    X, Y = p_losses.X_DATA, p_losses.ONEHOT
    gW = tapeless.grad(p_losses.softmax_cross_entropy)(W, X, Y)
    np.testing.assert_allclose(gW, X.T @ (_softmax_rows(X @ W) - Y) / X.shape[0], rtol=1e-10, atol=1e-14)


def test_hand_cosine_similarity():
    a = np.array([1.0, 2.0, -0.5])
    b = np.array([0.3, -1.0, 2.0])
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    ga = b / (na * nb) - np.dot(a, b) * a / (na ** 3 * nb)
    np.testing.assert_allclose(tapeless.grad(p_losses.cosine_similarity)(a, b), ga, rtol=1e-12)


def test_hand_gaussian_pdf():
    x, mu, sigma = 0.3, -0.2, 1.4
    z = (x - mu) / sigma
    pdf = math.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))
    gx, gmu, gs = tapeless.grad(p_scalar.gaussian_pdf, (0, 1, 2))(x, mu, sigma)
    assert gx == pytest.approx(-z / sigma * pdf, rel=1e-12)
    assert gmu == pytest.approx(z / sigma * pdf, rel=1e-12)
    assert gs == pytest.approx(pdf * (z * z - 1) / sigma, rel=1e-12)


def test_hand_augmented_scalar():   # regression: 's = x; s += 1.0' on a float was refused as aliasing
    # s = ((x + 1) x - 0.5 x) / (1 + x^2), then squared
    x = 0.8
    u, du = x * x + 0.5 * x, 2 * x + 0.5
    v, dv = 1 + x * x, 2 * x
    s = u / v
    assert tapeless.grad(p_assign.augmented_scalar)(x) == pytest.approx(2 * s * (du * v - u * dv) / v ** 2,
                                                                        rel=1e-12)


def test_hand_repro_helper_default():
    # fixed in 4324aa0; before: TypeError "_add_c_fwd() missing 1 required positional argument: 'c'"
    assert tapeless.grad(p_repros.repro_helper_default)(1.5) == 3.0


def test_hand_repro_helper_in_loop():
    assert tapeless.grad(p_repros.repro_helper_in_loop)(1.0) == 10.0  # fixed in 4324aa0; before: 12.0


def test_hand_repro_value_loop():
    assert tapeless.value_and_grad(p_repros.repro_value_loop)(2.0) == (8.0, 12.0)  # before: (1.0, 12.0)


def test_hand_repro_value_rebind():
    assert tapeless.value_and_grad(p_repros.repro_value_rebind)(1.5) == (9.0, 12.0)  # before: (3.0, 12.0)


def test_hand_repro_value_early_return():
    x = np.array([0.5, 1.0])
    value, g = tapeless.value_and_grad(p_repros.repro_value_early_return)(x)  # before: value None
    assert value == pytest.approx(np.sum(np.sin(x)), rel=1e-12)
    np.testing.assert_allclose(g, np.cos(x), rtol=1e-12)


def test_hand_repro_kwonly_wrt():
    # check_grads through a keyword-only argument (before 4324aa0: IndexError)
    g = check_grads(p_repros.repro_kwonly_wrt, (0.8,), wrt="scale", kwargs={"scale": 2.0})
    assert g == pytest.approx(0.64, rel=1e-12)


@pytest.mark.parametrize("func", [p_repros.repro_aliased_inplace, p_assign.aliased_inplace])
def test_aliased_inplace_update_is_refused_or_right(func):
    """y and z name one array, so z += 1.0 changes y too: f = sum((x + 1)^2).

    At 7dfa2a4 tapeless read z += 1.0 as z = z + 1.0 and silently differentiated sum(x (x + 1)):
    value_and_grad gave (2.75, [2, 3]) at x = [0.5, 1] instead of (6.25, [3, 4]). Now it is refused
    (UnsupportedSyntax, "may share memory") when the generated gradient runs. A refusal, whether
    when the gradient is built or when it is called, or the right answer is fine; a wrong one is not."""
    x = np.array([0.5, 1.0, -2.0])
    try:
        value, g = tapeless.value_and_grad(func)(x)
    except tapeless.UnsupportedSyntax as e:
        assert "may share memory" in str(e)
        return
    assert value == pytest.approx(func(x), rel=1e-12)
    np.testing.assert_allclose(g, 2 * (x + 1), rtol=1e-12)


def test_hand_repro_scalar_augmented():
    # regression: a float accumulator 'total += ...' was refused with UnsupportedSyntax
    assert tapeless.grad(p_repros.repro_scalar_augmented)(0.4) == 4.0


def test_hand_repro_rebind_param_to_int():
    # regression: rebinding the parameter to an int (x = 3) was refused with ArgumentError
    assert tapeless.grad(p_repros.repro_rebind_param_to_int)(1.5) == 9.0


# -- the API -------------------------------------------------------------------------------

def energy(x, y, scale=2.0, *, shift=0.0):
    """A test function with a default and a keyword-only default."""
    return scale * x * x * y + np.sin(y) + shift * x


@tapeless.differentiate
def decorated_plain(x):
    return x ** 3 - 2.0 * x


@tapeless.differentiate(wrt=("w", "b"))
def decorated_loss(w, b, X, y):
    r = X @ w + b - y
    return np.mean(r * r)


def inplace_candidate(x, w):
    acc = x * 1.0
    acc += w
    acc *= x
    acc -= 0.5
    acc /= 2.0
    return np.sum(acc * acc) + np.sum(x.reshape(-1) ** 2)


def test_gradient_does_not_modify_inputs():
    x = np.array([0.5, -1.0, 2.0])
    w = np.array([1.5, 0.3, -0.4])
    xc, wc = x.copy(), w.copy()
    gx, gw = tapeless.grad(inplace_candidate, (0, 1))(x, w)
    value, _ = tapeless.value_and_grad(inplace_candidate, (0, 1))(x, w)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(w, wc)
    assert value == inplace_candidate(xc, wc)
    check_grads(inplace_candidate, (x, w), wrt=(0, 1))
    # and for a program that rebinds its parameter and uses augmented assignment on arrays
    x = np.array([0.5, -1.0, 2.0])
    tapeless.grad(p_assign.rebind_parameter)(x)
    tapeless.grad(p_assign.augmented_array, (0, 1))(x, w)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(w, wc)


def test_decorated_function_behaves_like_the_original():
    assert decorated_plain(1.5) == 1.5 ** 3 - 3.0
    assert decorated_plain.grad(1.5) == pytest.approx(3 * 1.5 ** 2 - 2.0, rel=1e-12)
    X = np.array([[1.0, 0.5], [-1.0, 2.0], [0.3, 0.3]])
    y = np.array([0.1, 0.2, -0.4])
    w = np.array([0.3, -0.8])
    r = X @ w + 0.5 - y
    assert decorated_loss(w, 0.5, X, y) == np.mean(r * r)
    gw, gb = decorated_loss.grad(w, 0.5, X, y)
    np.testing.assert_allclose(gw, 2 * X.T @ r / 3, rtol=1e-12)
    assert gb == pytest.approx(2 * np.mean(r), rel=1e-12)
    assert decorated_loss.__name__ == "decorated_loss"
    assert decorated_plain.__wrapped_function__.__name__ == "decorated_plain"


def test_grad_is_cached():
    g1 = tapeless.grad(energy)
    g2 = tapeless.grad(energy)
    assert g1 is g2
    assert tapeless.grad(energy, "x") is g1  # the same parameter by name
    assert tapeless.grad(energy, (0, 1)) is tapeless.grad(energy, ("x", "y"))
    assert tapeless.value_and_grad(energy) is tapeless.value_and_grad(energy)
    assert decorated_plain.grad is decorated_plain.grad
    assert decorated_plain.grad is tapeless.grad(decorated_plain)
    assert isinstance(g1.source, str) and "def " in g1.source


def test_value_and_grad():
    value, g = tapeless.value_and_grad(energy)(1.5, 0.7)
    assert value == energy(1.5, 0.7)
    assert g == tapeless.grad(energy)(1.5, 0.7)
    assert g == pytest.approx(2 * 2.0 * 1.5 * 0.7, rel=1e-12)
    value, g = decorated_plain.value_and_grad(2.0)
    assert (value, g) == (4.0, 10.0)


def test_tuple_wrt_returns_a_tuple():
    gx, gy = tapeless.grad(energy, (0, 1))(1.5, 0.7)
    assert gx == pytest.approx(2 * 2.0 * 1.5 * 0.7, rel=1e-12)
    assert gy == pytest.approx(2.0 * 1.5 * 1.5 + math.cos(0.7), rel=1e-12)
    one = tapeless.grad(energy, (1,))(1.5, 0.7)
    assert isinstance(one, tuple) and len(one) == 1 and one[0] == pytest.approx(gy, rel=1e-12)
    value, grads = tapeless.value_and_grad(energy, ("y", "x"))(1.5, 0.7)
    assert value == energy(1.5, 0.7)
    assert grads[0] == pytest.approx(gy, rel=1e-12) and grads[1] == pytest.approx(gx, rel=1e-12)


def test_wrt_by_name():
    assert tapeless.grad(energy, "y")(1.5, 0.7) == tapeless.grad(energy, 1)(1.5, 0.7)
    assert tapeless.grad(energy, "scale")(1.5, 0.7) == pytest.approx(1.5 * 1.5 * 0.7, rel=1e-12)
    assert tapeless.grad(energy, -1)(1.5, 0.7, shift=0.3) == pytest.approx(1.5, rel=1e-12)  # -1 is shift
    check_grads(energy, (1.5, 0.7, 3.0), wrt=("x", "y", "scale"))


def test_keyword_arguments_and_defaults_when_calling_the_gradient():
    g = tapeless.grad(energy, ("x", "y"))
    default = g(1.5, 0.7)
    assert default == g(1.5, 0.7, 2.0) == g(1.5, 0.7, scale=2.0) == g(x=1.5, y=0.7) == g(y=0.7, x=1.5)
    gx, gy = g(1.5, 0.7, scale=3.0, shift=0.5)
    assert gx == pytest.approx(2 * 3.0 * 1.5 * 0.7 + 0.5, rel=1e-12)
    assert gy == pytest.approx(3.0 * 1.5 * 1.5 + math.cos(0.7), rel=1e-12)
    check_grads(energy, (1.5, 0.7), wrt=(0, 1), kwargs={"scale": 3.0, "shift": 0.5})
    # keyword arguments for a program from the collection
    x = np.array([0.3, -1.2, 2.0])
    ga = tapeless.grad(p_branches.activation)
    assert not np.array_equal(ga(x), ga(x, kind="sigmoid"))
    np.testing.assert_array_equal(ga(x), ga(x, kind="tanh"))
    np.testing.assert_array_equal(ga(x=x, kind="sigmoid"), ga(x, "sigmoid"))


def test_power_augmented_assignment_is_refused_clearly():
    # **= is outside the supported augmented assignments (+= -= *= /=); it must be refused up front
    with pytest.raises(tapeless.UnsupportedSyntax, match="augmented assignment"):
        tapeless.grad(_pow_augmented)


def _pow_augmented(x):
    s = x + 1.0
    s **= 2
    return s
