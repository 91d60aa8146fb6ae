"""The public rule API, stop_gradient and vjp."""

import numpy as np
import pytest

import tapeless
from tapeless.runtime import unbroadcast
from tapeless.testing import check_grads

import user_rule_cases as uc

Z = np.array([0.3, -1.2, 2.0, 0.5])
T = np.array([0.0, 0.0, 1.0, 0.0])


def test_user_rule_is_used_and_correct():
    g = check_grads(uc.softmax_loss, [Z, T])
    soft = np.exp(Z) / np.sum(np.exp(Z))
    np.testing.assert_allclose(g, soft - T, rtol=1e-12)  # by hand: softmax minus the target
    assert "np.exp(z - " in tapeless.grad(uc.softmax_loss).source  # the template, filled in


def test_user_rule_inside_a_helper_and_for_an_opaque_function():
    check_grads(uc.through_helper, [Z, T])


def test_user_rules_at_second_order():
    check_grads(uc.softmax_loss, [Z, T], order=2)
    check_grads(uc.through_helper, [Z, T], order=2)


def test_a_rule_in_one_mode_only_is_refused_in_the_other_naming_both():
    check_grads(uc.uses_reverse_only, [Z], modes=("rev",))
    with pytest.raises(tapeless.MissingRule, match="no forward-mode rule for reverse_only") as info:
        tapeless.grad(uc.uses_reverse_only, mode="forward")
    assert "forward_rule" in info.value.hint
    assert info.value.lineno == uc.uses_reverse_only.__code__.co_firstlineno + 1


def test_rule_source_is_the_template():
    src = tapeless.grad(uc.softmax_loss).source
    assert "logsumexp(z)" in src  # the forward sweep calls the function itself
    assert "logsumexp_fwd" not in src  # its body is not transformed


def test_stop_gradient_stops_the_derivative():
    x = np.array([0.5, -2.0])
    np.testing.assert_array_equal(tapeless.grad(uc.stopped)(x), x)  # d/dx sum(x * c) = c, c = x


def test_registering_a_rule_invalidates_cached_gradients():
    def cube_like(v):
        return v ** 3

    def uses(v):
        return cube_like(v) * 1.0

    g_before = tapeless.grad(uses)
    assert g_before(2.0) == 12.0

    @tapeless.reverse_rule(cube_like)
    def deliberately_wrong(ans, g, v):
        dv = g * 0.0

    try:
        assert tapeless.grad(uses)(2.0) == 0.0  # the new (wrong) rule is now used
    finally:
        from tapeless.rules import registry
        registry._REVERSE.pop(cube_like)


def test_rule_template_with_an_unknown_name_is_a_clear_error():
    def f(v):
        return v * 2.0

    @tapeless.reverse_rule(f)
    def bad(ans, g, v):
        dv = g * undefined_helper(v)  # noqa: F821

    def uses(v):
        return f(v)

    try:
        with pytest.raises(tapeless.RuleError, match="reads the name 'undefined_helper'"):
            tapeless.grad(uses)
    finally:
        from tapeless.rules import registry
        registry._REVERSE.pop(f)


def test_rule_template_must_start_with_ans_and_g():
    with pytest.raises(TypeError, match=r"starts with the parameters \(ans, g, ...\)"):
        @tapeless.reverse_rule(np.cbrt)
        def wrong(g, x):
            dx = g  # noqa: F841


def layer(x, W):
    return np.tanh(W @ x) * 2.0


def two_outputs(x):
    s = 0.0
    for i in range(3):
        s = s + np.sin(x * i)
    return s, s * x


def test_vjp_of_an_array_function_is_the_transposed_jacobian_product():
    x = np.array([0.1, 0.2, 0.3])
    W = np.arange(6.0).reshape(2, 3) / 10
    value, vjp_fn = tapeless.vjp(layer, x, W)
    np.testing.assert_allclose(value, layer(x, W))
    ct = np.array([1.0, -2.0])
    dx, dW = vjp_fn(ct)
    gz = ct * 2.0 * (1 - np.tanh(W @ x) ** 2)  # by hand
    np.testing.assert_allclose(dx, W.T @ gz, rtol=1e-12)
    np.testing.assert_allclose(dW, np.outer(gz, x), rtol=1e-12)


def test_vjp_of_a_tuple_output_can_be_called_twice():
    x = np.array([0.5, 1.0])
    value, vjp_fn = tapeless.vjp(two_outputs, x)
    first = vjp_fn((np.ones(2), np.zeros(2)))
    second = vjp_fn((np.ones(2), np.zeros(2)))
    expected = np.cos(x) + 2 * np.cos(2 * x)  # by hand: d/dx sum_i sin(i x)
    np.testing.assert_allclose(first[0], expected, rtol=1e-12)
    np.testing.assert_allclose(second[0], expected, rtol=1e-12)
    (d2,) = vjp_fn((np.zeros(2), np.ones(2)))
    s = np.sin(x) + np.sin(2 * x)
    np.testing.assert_allclose(d2, s + x * expected, rtol=1e-12)  # d/dx (s x) = s + x s'
    with pytest.raises(tapeless.ArgumentError, match="pass a tuple of 2 cotangents"):
        vjp_fn((np.ones(2),))


def test_rule_template_that_shadows_the_helper_it_calls_is_a_clear_error(tmp_path):
    # a template named like the helper it imports replaces that helper in its module: it
    # would read itself (found while writing np.linalg.solve's forward rule)
    import importlib.util
    path = tmp_path / "shadowing_rule.py"
    path.write_text(
        "import tapeless\n\n\n"
        "def triple(v):\n    return 3.0 * v\n\n\n"
        "def triple_tangent(d):\n    return 3.0 * d\n\n\n"
        "@tapeless.forward_rule(triple)\n"
        "def triple_tangent(ans, v):\n    dans = triple_tangent(dv)\n\n\n"
        "def uses(v):\n    return triple(v) * v\n")
    spec = importlib.util.spec_from_file_location("shadowing_rule", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    try:
        with pytest.raises(tapeless.RuleError, match="calls triple_tangent, which is the template itself"):
            tapeless.grad(mod.uses, mode="forward")
    finally:
        from tapeless.rules import registry
        registry._FORWARD.pop(mod.triple)


def twice(v, scale=1.0):
    return np.concatenate([v, v]) * scale


@tapeless.reverse_rule(twice)
def twice_rule(ans, g, v, scale=1.0):
    dv = unbroadcast(np.reshape(g * scale, (2, -1)), v)  # the two copies' adjoints summed


@tapeless.forward_rule(twice)
def twice_tangent(ans, v, scale=1.0):
    dans = np.concatenate([dv, dv]) * scale


def uses_twice(v):
    return np.sum(twice(v) * np.arange(6.0))


def test_a_user_rule_that_changes_the_shape_keeps_its_unbroadcast():
    # unbroadcast(E, v) in a rule sums E down to v's shape; the result of twice has another
    # shape than v, so the transformation must keep the call
    dv = tapeless.grad(uses_twice)(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(dv, [3.0, 5.0, 7.0])   # weights 0..5: 0 + 3, 1 + 4, 2 + 5
    check_grads(uses_twice, [np.array([1.0, 2.0, 3.0])], modes=("rev", "fwd"))
