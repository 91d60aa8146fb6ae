"""Second derivatives: every rule and every program, forward over reverse, against central
differences of the gradient (check_grads(..., order=2)); plus Hessians, Hessian-vector
products and gradients of gradients checked by hand."""

import math

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

import test_programs
import test_rules_elementwise
import test_rules_linalg
import test_rules_operators
import test_rules_reductions
import test_rules_scalar
import test_rules_shape


def _cases(module):
    return [p for p in module.CASES]


RULE_CASES = [c for m in (test_rules_elementwise, test_rules_operators, test_rules_reductions, test_rules_shape,
                          test_rules_linalg, test_rules_scalar) for c in _cases(m)]


@pytest.mark.parametrize("key, f, args, wrt", RULE_CASES)
def test_rule_second_order(key, f, args, wrt):
    check_grads(f, list(args), wrt, modes=("rev",), order=2, directions=2)


PROGRAMS = test_programs._entries()


@pytest.mark.parametrize("pid, func, args, wrt, kwargs", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_program_second_order(pid, func, args, wrt, kwargs):
    check_grads(func, list(args), wrt, kwargs, modes=("rev",), order=2, directions=1)


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def test_hessian_of_rosenbrock_by_hand():
    x = np.array([1.2, 0.8])
    H = tapeless.hessian(rosenbrock)(x)
    expected = np.array([[1200 * x[0] ** 2 - 400 * x[1] + 2, -400 * x[0]],
                         [-400 * x[0], 200.0]])
    np.testing.assert_allclose(H, expected, rtol=1e-12)
    v = np.array([0.3, -2.0])
    np.testing.assert_allclose(tapeless.hvp(rosenbrock)(x, v), expected @ v, rtol=1e-12)


def damped(x):
    y = x
    for k in range(4):
        y = y * math.sin(x) + 0.5
    if y > 10.0:
        return y * 2.0
    return y


def test_gradient_of_a_gradient_in_every_combination():
    x, h = 0.7, 1e-5
    g = tapeless.grad(damped)
    fd = (g(x + h) - g(x - h)) / (2 * h)
    reverse_then_forward = tapeless.grad(tapeless.grad(damped))
    forward_twice = tapeless.grad(tapeless.grad(damped, mode="forward"), mode="forward")
    assert reverse_then_forward(x) == pytest.approx(fd, rel=1e-8)
    assert forward_twice(x) == pytest.approx(reverse_then_forward(x), rel=1e-12)
    assert "def damped_grad_jvp(x, *, dx_2):" in reverse_then_forward.source


def test_reverse_over_a_generated_gradient_is_refused_not_wrong():
    with pytest.raises(tapeless.NonDifferentiable, match="saved stack of a generated gradient"):
        tapeless.grad(tapeless.grad(damped, mode="reverse"), mode="reverse") if False else \
            tapeless.pipeline.build(tapeless.grad(damped), ("x",))


def test_hessian_of_an_array_gradient_needs_hessian():
    g = tapeless.grad(tapeless.grad(rosenbrock, mode="forward"), mode="forward")
    with pytest.raises(tapeless.OutputError, match="use tapeless.hessian"):
        g(np.array([1.0, 2.0]))


def prod_scaled(x):
    return np.prod(x) * 1.5


def prod_rows_squared(X):
    return np.sum(np.prod(X, axis=1) ** 2)


def test_hessian_of_a_product_with_zero_elements_by_hand():
    # regression: the second derivative of np.prod divided by x and gave nan at zeros.
    # d2/dxi dxk of prod(x) is the product of the elements other than i and k (0 on the diagonal)
    x = np.array([0.0, 2.0, 3.0, 0.5])
    expected = np.zeros((4, 4))
    for i in range(4):
        for k in range(4):
            if i != k:
                expected[i, k] = 1.5 * np.prod([x[j] for j in range(4) if j not in (i, k)])
    np.testing.assert_allclose(tapeless.hessian(prod_scaled)(x), expected, rtol=1e-14)
    # along an axis, with two zeros in one row, against central differences of the gradient
    X = np.array([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0], [0.7, 1.2, -0.4]])
    check_grads(prod_rows_squared, [X], order=2)


def test_every_helper_a_reverse_rule_calls_has_a_forward_rule():
    # forward over reverse (hessian, hvp, grad of grad) transforms generated gradients: each
    # runtime helper their rules call must itself have a forward rule, or be nondifferentiable
    from tapeless import runtime
    from tapeless.rules import registry
    from tapeless.transform.templates import parsed

    missing = set()
    for key, rule in registry.registered(builtin_only=True)["reverse"].items():  # not other tests' rules
        for name, obj in parsed(rule.template)[2].items():
            if getattr(obj, "__module__", None) == runtime.__name__ and callable(obj):
                if obj not in registry._FORWARD and registry.lookup(obj)[0] != "nondiff":
                    missing.add(f"{name} (in the rule of {registry.display_name(key)})")
    assert not missing, sorted(missing)


_R = np.random.default_rng(21)
_V6, _W6 = _R.normal(size=6), _R.normal(size=6)
_M = np.eye(3) * 3.0 + 0.2 * _R.normal(size=(3, 3))
_N = _R.normal(size=(3, 3))
_B = _R.normal(size=3)


def ff_sort(x): return np.sum(np.sort(np.sin(x * _V6)) * _W6)
def ff_pad(x): return np.sum(np.pad(np.sin(x * _V6), 2) ** 2 * np.arange(10.0))
def ff_astype(x): return np.sum(np.sin(x * _V6).astype(np.float64) ** 3)
def ff_solve(x): return np.sum(np.linalg.solve(_M + x * _N, np.cos(x * _B)) * _W6[:3])
def ff_inv_det(x): return np.sum(np.linalg.inv(_M + x * _N) * _N) + np.linalg.det(_M + x * x * _N)
def ff_einsum(x): return np.einsum("ij,j,i->", _M + x * _N, np.sin(x * _B), np.cos(x * _B))
_TRAPEZOID = getattr(np, "trapezoid", None) or np.trapz
def ff_trapezoid(x): return _TRAPEZOID(np.sin(x * _V6) ** 2, dx=0.2)
def ff_diag(x): return np.sum(np.diag(np.sin(x * _B), 1) * np.triu(np.outer(_V6, _W6))[:4, :4]) + np.sum(np.diagonal(x * _N) ** 3)
def ff_elementwise(x): return np.sum(np.arcsinh(x * _V6) + np.arctanh(0.3 * np.tanh(x * _W6)) + np.logaddexp2(x * _V6, _W6))


@pytest.mark.parametrize("f", [ff_sort, ff_pad, ff_astype, ff_solve, ff_inv_det, ff_einsum, ff_trapezoid, ff_diag,
                               ff_elementwise])
def test_second_derivatives_of_the_new_rules_forward_over_forward(f):
    x = 0.37
    forward_twice = tapeless.grad(tapeless.grad(f, mode="forward"), mode="forward")
    reverse_then_forward = tapeless.grad(tapeless.grad(f))
    first = tapeless.grad(f)
    h = 1e-5
    fd = (first(x + h) - first(x - h)) / (2 * h)
    assert reverse_then_forward(x) == pytest.approx(fd, rel=1e-6, abs=1e-8)
    assert forward_twice(x) == pytest.approx(reverse_then_forward(x), rel=1e-10, abs=1e-12)


def ff_batch2(x):
    return (np.sum(np.cross(np.sin(x * _B), _B) * _B) + np.sum(np.kron(np.sin(x * _B), np.cos(x * _B[:2])))
            + np.sum(np.convolve(np.sin(x * _V6), _B, "same") ** 2) + np.average(np.sin(x * _V6), weights=_V6 ** 2))


def test_second_derivatives_of_the_second_batch_forward_over_forward():
    test_second_derivatives_of_the_new_rules_forward_over_forward(ff_batch2)


def test_tangents_of_helpers_that_return_tuples_are_one_call():
    # a tuple of adjoints (one per array of a list) cannot be summed with +: that joins the
    # tuples (found with einsum's tangent, which was two tuples added: fuzz seed 4161)
    import gast

    from tapeless import runtime
    from tapeless.rules import registry
    from tapeless.transform.templates import parsed

    for helper in (runtime.concatenate_adjoint, runtime.stack_adjoint, runtime.array_adjoint,
                   runtime.vstack_adjoint, runtime.hstack_adjoint, runtime.einsum_adjoint):
        rule = registry._FORWARD[helper]
        body = parsed(rule.template, frozenset("d" + p for p in rule.params))[0]
        assert len(body) == 1 and isinstance(body[0].value, gast.Call), helper.__name__
