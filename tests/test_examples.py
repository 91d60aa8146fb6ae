"""The example programs' differentiated functions, checked like every other program.

Each example is imported from its file (its ``main`` is not run) and its differentiated functions
go through ``check_grads`` in both modes; the claims the examples make are checked against
mathematics worked out here, independently of the examples' code. Only numpy and tapeless are
needed, except in the one test marked as needing scipy (it is skipped without it).
"""

import importlib.util
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads, numerical_grad

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def load_example(name):
    """Import examples/<name>.py as a module without running its main()."""
    module_name = f"tapeless_example_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


fd = load_example("finite_differences")
mlp = load_example("mlp_digits")
opt = load_example("scipy_optimize")


def test_examples_import_with_only_numpy_and_tapeless():
    """The plotting, training and optimising libraries are imported inside functions only: with
    them made unimportable, each module imports and its differentiated function runs."""
    code = (
        "import sys, importlib.util\n"
        "for name in ('matplotlib', 'sklearn', 'scipy', 'tqdm'):\n"
        "    sys.modules[name] = None\n"
        "import numpy as np\n"
        f"root = {str(EXAMPLES)!r}\n"
        "for name in ('finite_differences', 'mlp_digits', 'scipy_optimize'):\n"
        "    spec = importlib.util.spec_from_file_location(name, root + '/' + name + '.py')\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(module)\n"
        "    globals()[name] = module\n"
        "print(finite_differences.quadratic.grad(2.0))\n"
        "print(scipy_optimize.rosenbrock.grad(np.ones(3)).tolist())\n"
        "rng = np.random.default_rng(0)\n"
        "p = mlp_digits.init_params(rng, 4, hidden=3, classes=2)\n"
        "print(len(mlp_digits.loss.grad(*p, rng.normal(size=(5, 4)), np.eye(2)[[0, 1, 0, 1, 1]])))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["7.0", "[0.0,", "0.0,", "0.0]", "4"]


# --- examples/finite_differences.py ----------------------------------------------------------


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.0, 3.7])
def test_finite_differences_functions_check_grads(x):
    check_grads(fd.quadratic, (x,), wrt=0, modes=("rev", "fwd"), order=1)
    check_grads(fd.damped_sine, (x,), wrt=0, modes=("rev", "fwd"), order=1)
    check_grads(fd.damped_sine, (x,), wrt=0, order=2)


@pytest.mark.parametrize("x", [-1.5, 0.0, 1.0, 3.7])
def test_finite_differences_derivatives_by_hand_agree_with_differences(x):
    """The example's hand-derived derivatives (its "exact" column) are right."""
    assert fd.quadratic_exact(x) == pytest.approx(numerical_grad(fd.quadratic, (x,)), rel=1e-7, abs=1e-7)
    assert fd.damped_sine_exact(x) == pytest.approx(numerical_grad(fd.damped_sine, (x,)), rel=1e-7, abs=1e-8)


def test_finite_differences_cases_are_the_documented_ones():
    (_, f, x_f, exact_f), (_, g, x_g, exact_g) = fd.CASES
    assert (f, x_f, exact_f) == (fd.quadratic, 2.0, 7.0)  # 2 * 2 + 3
    assert g is fd.damped_sine and x_g == 1.0
    assert exact_g == pytest.approx((math.cos(1.0) - math.sin(1.0)) * math.exp(-1.0), rel=1e-15)
    assert fd.STEPS[0] == pytest.approx(1e-1) and fd.STEPS[-1] == pytest.approx(1e-15) and len(fd.STEPS) == 15


def test_finite_differences_tapeless_gradient_is_exact():
    g, error = fd.autodiff_error(fd.quadratic, 2.0, 7.0)
    assert g == 7.0 and error == 0.0
    exact = (math.cos(1.0) - math.sin(1.0)) * math.exp(-1.0)
    g, error = fd.autodiff_error(fd.damped_sine, 1.0, exact)
    assert error <= 4 * np.finfo(float).eps * abs(exact)


def _errors(f, x, exact):
    rows = fd.difference_table(f, x, exact)
    return {round(-math.log10(h)): (forward_error, central_error) for h, _, _, forward_error, central_error in rows}


@pytest.mark.parametrize("case", [0, 1], ids=["quadratic", "damped_sine"])
def test_finite_differences_the_point_of_the_picture(case):
    """Central differences are good at h = 1e-5 and ruined by rounding at h = 1e-15."""
    _, f, x, exact = fd.CASES[case]
    errors = _errors(f, x, exact)
    assert errors[5][1] < 1e-9
    assert errors[15][1] > 1e-5
    assert errors[15][1] > 1e4 * errors[5][1]
    # the forward difference is best near sqrt(eps) ~ 1e-8, and worse at both ends
    best_forward = min(errors, key=lambda k: errors[k][0])
    assert 6 <= best_forward <= 10
    assert errors[1][0] > 1e3 * errors[best_forward][0] and errors[15][0] > 1e3 * errors[best_forward][0]


def test_finite_differences_truncation_orders():
    """Where truncation dominates, the error falls like h (forward) and like h**2 (central)."""
    exact = (math.cos(1.0) - math.sin(1.0)) * math.exp(-1.0)
    errors = _errors(fd.damped_sine, 1.0, exact)
    for k in (1, 2, 3):
        assert 8 < errors[k][0] / errors[k + 1][0] < 12.5
        assert 80 < errors[k][1] / errors[k + 1][1] < 125
    # forward difference of x**2 + 3x + 5 is 2x + 3 + h exactly: its error at h = 0.1 is 0.1
    assert _errors(fd.quadratic, 2.0, 7.0)[1][0] == pytest.approx(0.1, rel=1e-12)
    # central difference of g: error ~ h**2 |g'''(x)| / 6, g''' = 2 (cos x + sin x) exp(-x)
    third = 2 * (math.cos(1.0) + math.sin(1.0)) * math.exp(-1.0)
    assert errors[3][1] == pytest.approx(1e-6 * third / 6, rel=1e-3)


# --- examples/mlp_digits.py -------------------------------------------------------------------


def _tiny_batch(seed=0, inputs=5, hidden=4, classes=3, batch=6):
    rng = np.random.default_rng(seed)
    params = mlp.init_params(rng, inputs, hidden=hidden, classes=classes)
    # nonzero biases, so their derivatives are checked away from a special point
    params = (params[0], 0.1 * rng.normal(size=hidden), params[2], 0.1 * rng.normal(size=classes))
    X = rng.normal(size=(batch, inputs))
    Y = mlp.one_hot(rng.integers(0, classes, size=batch), classes)
    return params, X, Y


@pytest.mark.parametrize("seed", [0, 1])
def test_mlp_loss_check_grads(seed):
    params, X, Y = _tiny_batch(seed)
    check_grads(mlp.loss, (*params, X, Y), wrt=("W1", "b1", "W2", "b2"), modes=("rev", "fwd"), order=1)
    check_grads(mlp.loss, (*params, X, Y), wrt=("W1", "b1", "W2", "b2"), kwargs={"weight_decay": 0.3},
                modes=("rev", "fwd"), order=1)


def test_mlp_loss_second_order():
    params, X, Y = _tiny_batch(2)
    check_grads(mlp.loss, (*params, X, Y), wrt=("W1", "b2"), order=2)


def test_mlp_decorated_gradient_matches_finite_differences():
    """``loss.grad`` (what sgd_epoch calls) returns the four gradients in wrt order."""
    params, X, Y = _tiny_batch(3)
    grads = mlp.loss.grad(*params, X, Y)
    assert len(grads) == 4
    for index, (p, g) in enumerate(zip(params, grads)):
        assert g.shape == p.shape
        np.testing.assert_allclose(g, numerical_grad(mlp.loss, (*params, X, Y), index), rtol=1e-6, atol=1e-8)


def test_mlp_loss_against_closed_forms():
    """With zero weights every class has probability 1/C: the loss is log C, and the gradient
    with respect to b2 is mean(softmax - Y) = 1/C - mean(Y)."""
    classes, inputs, hidden = 4, 3, 5
    rng = np.random.default_rng(4)
    X = rng.normal(size=(8, inputs))
    labels = rng.integers(0, classes, size=8)
    Y = np.eye(classes)[labels]
    zeros = (np.zeros((inputs, hidden)), np.zeros(hidden), np.zeros((hidden, classes)), np.zeros(classes))
    assert mlp.loss(*zeros, X, Y) == pytest.approx(math.log(classes), rel=1e-14)
    dW1, db1, dW2, db2 = mlp.loss.grad(*zeros, X, Y)
    np.testing.assert_allclose(db2, 1.0 / classes - Y.mean(axis=0), atol=1e-15)
    # tanh(0) = 0: the hidden layer is 0, so W2 gets no gradient, and nothing reaches W1, b1
    assert not np.any(dW2) and not np.any(dW1) and not np.any(db1)


def test_mlp_loss_does_not_overflow_on_large_logits():
    params, X, Y = _tiny_batch(5)
    big = (params[0], params[1], 1e4 * params[2], params[3])
    value = mlp.loss(*big, X, Y)
    grads = mlp.loss.grad(*big, X, Y)
    assert np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads)


def test_mlp_training_loop_learns_a_separable_problem():
    """sgd_epoch, on three well-separated Gaussian blobs (numpy only, no dataset download)."""
    rng = np.random.default_rng(6)
    centres = 3.0 * np.eye(3, 6)
    labels = rng.integers(0, 3, size=150)
    X = centres[labels] + 0.5 * rng.normal(size=(150, 6))
    Y = mlp.one_hot(labels, 3)
    params = mlp.init_params(rng, 6, hidden=8, classes=3)
    velocity = tuple(np.zeros_like(p) for p in params)
    before = mlp.loss(*params, X, Y)
    for _ in range(5):
        params, velocity = mlp.sgd_epoch(params, velocity, X, Y, rng)
    after = mlp.loss(*params, X, Y)
    assert after < 0.25 * before
    assert np.mean(mlp.predict(params, X) == labels) >= 0.98


# --- examples/scipy_optimize.py ---------------------------------------------------------------


def rosenbrock_gradient_by_hand(x):
    """d/dx_i of sum_j 100 (x_{j+1} - x_j^2)^2 + (1 - x_j)^2, term by term."""
    g = np.zeros(len(x))
    for j in range(len(x) - 1):
        r = x[j + 1] - x[j] ** 2
        g[j] += -400.0 * x[j] * r - 2.0 * (1.0 - x[j])
        g[j + 1] += 200.0 * r
    return g


def rosenbrock_hessian_by_hand(x):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n - 1):
        H[j, j] += 1200.0 * x[j] ** 2 - 400.0 * x[j + 1] + 2.0
        H[j, j + 1] += -400.0 * x[j]
        H[j + 1, j] += -400.0 * x[j]
        H[j + 1, j + 1] += 200.0
    return H


@pytest.mark.parametrize("n", [2, 3, 10])
def test_rosenbrock_check_grads(n):
    x = np.random.default_rng(n).normal(size=n)
    check_grads(opt.rosenbrock, (x,), wrt=0, modes=("rev", "fwd"), order=1)
    check_grads(opt.rosenbrock, (x,), wrt=0, order=2)


@pytest.mark.parametrize("n", [2, 10])
def test_rosenbrock_derivatives_against_hand_formulas(n):
    rng = np.random.default_rng(10 + n)
    for x in (rng.normal(size=n), opt.start(n), np.resize([-1.2, 1.0], n)):
        np.testing.assert_allclose(opt.rosenbrock.grad(x), rosenbrock_gradient_by_hand(x), rtol=1e-13, atol=1e-12)
        np.testing.assert_allclose(opt.rosenbrock_hessian(x), rosenbrock_hessian_by_hand(x), rtol=1e-13, atol=1e-12)
        p = rng.normal(size=n)
        np.testing.assert_allclose(opt.rosenbrock_hvp(x, p), rosenbrock_hessian_by_hand(x) @ p, rtol=1e-12,
                                   atol=1e-10)


def test_rosenbrock_minimum_and_start():
    for n in (2, 10):
        ones = np.ones(n)
        assert opt.rosenbrock(ones) == 0.0
        assert not np.any(opt.rosenbrock.grad(ones))
        assert opt.start(n).shape == (n,)
    # the 2-D function at (-1.2, 1): 100 (1 - 1.44)^2 + 2.2^2 = 19.36 + 4.84
    assert opt.rosenbrock(np.array([-1.2, 1.0])) == pytest.approx(24.2, rel=1e-14)
    # the Hessian at the minimum, 2-D: [[802, -400], [-400, 200]]
    np.testing.assert_allclose(opt.rosenbrock_hessian(np.ones(2)), [[802.0, -400.0], [-400.0, 200.0]], rtol=1e-15)


# --- examples/gaussian_process.py -------------------------------------------------------------
gp = load_example("gaussian_process")


def _gp_by_hand(theta, x, y):
    """nll by a Cholesky factor, and its gradient by the textbook formula
    d nll / d t = tr((K^-1 - a a^T) dK/dt) / 2 with a = K^-1 y (Rasmussen & Williams, eq. 5.9)."""
    ell, sf, sn = np.exp(theta)
    d2 = (x[:, None] - x[None, :]) ** 2
    E = np.exp(-0.5 * d2 / ell ** 2)
    K = sf ** 2 * E + sn ** 2 * np.eye(len(x))
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(K, y)
    nll = 0.5 * y @ a + np.sum(np.log(np.diag(L))) + 0.5 * len(x) * np.log(2 * np.pi)
    inner = np.linalg.inv(K) - np.outer(a, a)
    dKs = [sf ** 2 * E * d2 / ell ** 2, 2 * sf ** 2 * E, 2 * sn ** 2 * np.eye(len(x))]  # d/d log of each
    return nll, [0.5 * np.sum(inner * dK) for dK in dKs]


@pytest.mark.parametrize("theta", [(0.0, 0.0, -1.0), (-0.4, 0.3, -2.0)])
def test_gaussian_process_against_the_textbook_gradient(theta):
    x, y = gp.sample(np.random.default_rng(1), n=12)
    nll, expected = _gp_by_hand(np.array(theta), x, y)
    assert gp.negative_log_likelihood(*theta, x, y) == pytest.approx(nll, rel=1e-12)
    for mode in ("reverse", "forward"):
        got = tapeless.grad(gp.negative_log_likelihood, wrt=gp.WRT, mode=mode)(*theta, x, y)
        np.testing.assert_allclose(got, expected, rtol=1e-9)
    check_grads(gp.negative_log_likelihood, [*theta, x, y], wrt=gp.WRT, modes=("rev", "fwd"), order=2)


def test_gaussian_process_fit_reaches_a_stationary_point():
    x, y = gp.sample(np.random.default_rng(0))
    theta, history = gp.fit(x, y)
    assert history[-1] < history[0]
    _, g = _gp_by_hand(theta, x, y)
    assert np.linalg.norm(g) < 1e-6


# --- the differentiated functions of the other examples ------------------------------------
def test_the_other_examples_gradients_check():
    rng = np.random.default_rng(2)
    quick = load_example("quickstart")
    check_grads(quick.f, [1.3])
    pend = load_example("pendulum")
    check_grads(pend.final_angle, [0.3, 0.5], wrt=("damping", "theta0"), kwargs={"steps": 50})
    logreg = load_example("logistic_regression")
    X, y = rng.normal(size=(20, 5)), (rng.random(20) > 0.5).astype(float)
    check_grads(logreg.loss, [rng.normal(size=5), 0.1, X, y], wrt=("w", "b"), order=2)
    newton = load_example("newton")
    check_grads(newton.negative_log_likelihood, [rng.normal(size=5), X, y], order=2)


# --- examples/smoothing.py --------------------------------------------------------------------
smooth = load_example("smoothing")


@pytest.mark.parametrize("lam", [0.5, 5.0])
def test_smoothing_gradient_is_the_normal_equations(lam):
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal(9), rng.standard_normal(9)
    D = np.zeros((7, 9))  # second differences, written out by hand
    for i in range(7):
        D[i, i:i + 3] = [1.0, -2.0, 1.0]
    expected = 2 * (x - y) + 2 * lam * D.T @ (D @ x)
    for mode in ("reverse", "forward"):
        np.testing.assert_allclose(tapeless.grad(smooth.loss, wrt="x", mode=mode)(x, y, lam), expected, rtol=1e-12)
    check_grads(smooth.loss, [x, y, lam], wrt="x", order=2)
    np.testing.assert_allclose(smooth.exact(y, lam), np.linalg.solve(np.eye(9) + lam * D.T @ D, y), rtol=1e-12)


def test_smoothing_descent_reaches_the_exact_minimiser():
    y = np.sin(np.linspace(0.0, 3.0, 25)) + 0.1 * np.random.default_rng(4).standard_normal(25)
    np.testing.assert_allclose(smooth.descend(y, 2.0), smooth.exact(y, 2.0), atol=1e-9)
