"""Regression tests for the bugs the fuzz campaign of the second session found (docs/testing.md,
AB to AH). Expected values are central finite differences (check_grads, both modes) or worked
out by hand; refusals are checked by type and message."""

import math
import os
import sys

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

import fuzz_regression_cases as fc

MODES = ["reverse", "forward"]
X3 = np.array([0.1, 0.2, 0.3])


def test_size_one_array_in_a_condition_is_refused_in_reverse_mode_and_right_in_forward():
    y = np.array([[0.8]])
    # forward mode: d/dx sum(x * y) = y everywhere, with x's shape
    np.testing.assert_allclose(tapeless.grad(fc.size_one_in_a_condition, mode="forward")(X3, y), [0.8] * 3)
    # reverse mode relies on y being 0-d, and says so (it gave a gradient of shape (1, 3))
    with pytest.raises(tapeless.ArgumentError, match=r"'y' is used as a scalar .* shape \(1, 1\); pass a number"):
        tapeless.grad(fc.size_one_in_a_condition)(X3, y)
    check_grads(fc.size_one_in_a_condition, [X3, 0.8], modes=("rev", "fwd"))
    # computed, not an argument: the one-element array keeps its shape in the gradient
    check_grads(fc.size_one_computed_in_a_condition, [0.7, X3], wrt=(0, 1), modes=("rev", "fwd"))


@pytest.mark.parametrize("x", [0.03, -0.9])
def test_conditional_expression_reads_only_its_own_branch(x):
    check_grads(fc.conditional_expression, [x], modes=("rev", "fwd"), order=2)


def test_matmul_is_not_elementwise():
    a, b = X3, np.array([0.4, -0.5, 0.6])
    for mode in MODES:  # a vector product is a scalar: d/da = b, d/db = a
        da, db = tapeless.grad(fc.matmul_of_vectors, wrt=(0, 1), mode=mode)(a, b)
        np.testing.assert_allclose(da, b)
        np.testing.assert_allclose(db, a)
    A = np.arange(9.0).reshape(3, 3) / 10
    check_grads(fc.matmul_then_broadcast, [A, X3], wrt=(0, 1), modes=("rev", "fwd"), order=2)


def test_second_order_through_where_in_a_helper():
    check_grads(fc.where_in_a_helper, [np.array([0.2, 0.7, 1.1])], modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("mode", MODES)
def test_output_check_reads_the_parameter_as_bound_by_the_call(mode):
    with pytest.raises(tapeless.OutputError, match=r"shape \(3,\)"):
        tapeless.grad(fc.returns_the_argument_before_it_is_rebound, mode=mode)(X3)
    assert tapeless.grad(fc.returns_the_argument_before_it_is_rebound, mode=mode)(0.5) == 1.0
    assert tapeless.grad(fc.returns_a_copy_then_rebinds, mode=mode)(0.5, X3) == 1.0


@pytest.mark.parametrize("mode", MODES)
def test_in_place_update_through_a_loop_over_a_tuple_is_refused(mode):
    with pytest.raises(tapeless.UnsupportedSyntax, match=r"in-place update of an array that may share memory"):
        tapeless.grad(fc.updates_through_a_loop_over_a_tuple, mode=mode)(X3)


def test_array_parameter_rebound_to_an_element_in_a_branch():
    check_grads(fc.rebinds_to_an_element_in_a_branch, [X3, False], modes=("rev", "fwd"))
    check_grads(fc.rebinds_to_an_element_in_a_branch, [X3, True], modes=("rev", "fwd"))


@pytest.mark.parametrize("mode", MODES)
def test_another_function_at_the_old_lines_is_refused(tmp_path, mode):
    # AH: the file was edited above f after import; h now sits at f's old lines
    name = f"moved_{mode}"
    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\n\ndef f(x):\n    return x * x\n")
    sys.path.insert(0, str(tmp_path))
    try:
        mod = __import__(name)
        path.write_text("import numpy as np\n\ndef h(x):\n    return x ** 3\n\ndef f(x):\n    return x * x\n")
        import linecache
        linecache.checkcache(str(path))
        with pytest.raises(tapeless.SourceUnavailable, match="has changed since it was imported"):
            tapeless.value_and_grad(mod.f, mode=mode)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


def test_a_definition_after_the_use_in_the_same_branch_does_not_reach_it():
    check_grads(fc.math_before_a_later_assignment_in_a_branch, [X3, 0.3, True], modes=("rev", "fwd"))
    # in a loop it does: the second iteration passes x to math.sin, so x must be a scalar
    check_grads(fc.math_in_a_loop_reads_the_previous_iteration, [0.7], modes=("rev", "fwd"))
    with pytest.raises(tapeless.ArgumentError, match="'x' is used as a scalar"):
        tapeless.grad(fc.math_in_a_loop_reads_the_previous_iteration)(X3)


@pytest.mark.parametrize("mode", MODES)
def test_a_list_compared_in_a_condition_is_not_refused(mode):
    # only an array can be used as a scalar wrongly; a list compared with == is a Python value
    assert tapeless.grad(fc.compares_a_list_argument, mode=mode)(1.5, [1, 2, 3]) == 3.0
    assert tapeless.grad(fc.compares_a_list_argument, mode=mode)(1.5, []) == 0.5


def test_a_helper_parameter_compared_in_a_condition_keeps_its_shape():
    # AJ: d/dx sum(x * y) = y broadcast to x's shape (3,); d/dy = sum(x) in y's shape (1, 1)
    y = np.array([[0.5]])
    for mode in MODES:
        dx, dy = tapeless.grad(fc.calls_a_helper_that_compares, wrt=(0, 1), mode=mode)(X3, y)
        assert dx.shape == (3,) and dy.shape == (1, 1)
        np.testing.assert_allclose(dx, [0.5] * 3)
        np.testing.assert_allclose(dy, [[0.6]])
    check_grads(fc.calls_a_helper_that_compares, [X3, 0.5], wrt=(0, 1), modes=("rev", "fwd"), order=2)
    check_grads(fc.calls_a_helper_that_compares, [X3, -0.5], wrt=(0, 1), modes=("rev", "fwd"))


@pytest.mark.parametrize("mode", MODES)
def test_a_loop_index_read_after_the_loop(mode):
    # AK: after `for i in range(3)`, i is 2, so x * i has value 2x and derivative 2
    assert tapeless.value_and_grad(fc.reads_the_index_after_an_empty_loop, mode=mode)(1.5) == (3.0, 2.0)
    # with n = 0 the loop never runs and k keeps 0.5; with n = 4 it ends at 3
    assert tapeless.grad(fc.reads_the_index_after_a_loop_with_no_derivative, mode=mode)(1.5, 0) == 0.5
    assert tapeless.grad(fc.reads_the_index_after_a_loop_with_no_derivative, mode=mode)(1.5, 4) == 3.0


def test_a_variable_rebound_in_a_loop_to_a_larger_shape():
    # AL: u = a * b broadcasts a (3,) or a float against b (2, 3): d/da = sum of b over the
    # broadcast axes, in a's shape; d/db = a broadcast
    b = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    for mode in MODES:
        da, db = tapeless.grad(fc.rebinds_to_a_larger_shape_in_a_loop, wrt=(0, 1), mode=mode)(X3, b)
        np.testing.assert_allclose(da, [0.5, 0.7, 0.9])
        np.testing.assert_allclose(db, [X3, X3])
        da, db = tapeless.grad(fc.rebinds_to_a_larger_shape_in_a_loop, wrt=(0, 1), mode=mode)(1.5, b)
        assert type(da) is float and da == pytest.approx(2.1)
    check_grads(fc.rebinds_to_a_larger_shape_in_a_loop, [X3, b], wrt=(0, 1), modes=("rev", "fwd"), order=2)
    check_grads(fc.rebinds_to_a_larger_shape_in_a_loop, [0.7, b], wrt=(0, 1), modes=("rev", "fwd"))


def test_a_loop_over_reversed_array():
    # AM: s = ((0 * 0.5 + x2) * 0.5 + x1) * 0.5 + x0, so ds/dx = [1, 0.5, 0.25]
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(fc.horner_over_reversed, mode=mode)(X3), [1.0, 0.5, 0.25])
        # s = 1 * x2 + 2 * x1 + 3 * x0
        np.testing.assert_allclose(tapeless.grad(fc.enumerate_reversed, mode=mode)(X3), [3.0, 2.0, 1.0])
    check_grads(fc.horner_over_reversed, [X3], modes=("rev", "fwd"), order=2)
    check_grads(fc.enumerate_reversed, [X3], modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("c", [True, False])
def test_definitions_that_cannot_reach_a_math_call_do_not_make_an_array_a_scalar(c):
    # AN: math.sin only ever sees 0.5 or 0.25, so x may be an array
    check_grads(fc.math_in_the_other_branch, [X3, c], modes=("rev", "fwd"))
    check_grads(fc.rebound_before_the_math_call, [X3, c], modes=("rev", "fwd"))
    check_grads(fc.rebound_later_in_the_branch, [X3, c], modes=("rev", "fwd"))
    # by hand: sum(x) when c, else sin(0.5) * sum(x)
    expected = 1.0 if c else math.sin(0.5)
    np.testing.assert_allclose(tapeless.grad(fc.math_in_the_other_branch)(X3, c), [expected] * 3)


@pytest.mark.parametrize("c", [True, False])
def test_a_parameter_rebound_before_the_comparison_is_not_compared(c):
    # AS: when c, x is 0.5 at the comparison and the output 1.0 is constant: gradient 0
    g = tapeless.grad(fc.compares_after_rebinding_in_a_branch)(X3, c)
    np.testing.assert_allclose(g, [0.0] * 3 if c else [1.0] * 3)
    check_grads(fc.compares_after_rebinding_in_a_branch, [X3, c], modes=("rev", "fwd"))


@pytest.mark.parametrize("c", [True, False])
def test_a_parameter_rebound_in_both_branches_is_not_compared(c):
    # AT: x is a number at the comparison either way, and the output does not depend on the
    # argument's values (len(x) is its length): gradient 0
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(fc.compares_after_both_branches_rebind, mode=mode)(X3, c), [0.0] * 3)


@pytest.mark.parametrize("n", [0, 1, 3])
def test_a_definition_cut_off_in_every_iteration_does_not_reach_a_math_call(n):
    # AW: the odd iterations add sqrt(1.25), a constant: d/dx = 1 for each element of x
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(fc.loop_branch_rebinds_before_math, mode=mode)(X3, n), [1.0] * 3)
    check_grads(fc.loop_branch_rebinds_before_math, [X3, n], modes=("rev", "fwd"))
    # where the array does reach the call in a later iteration, it is still refused
    with pytest.raises(tapeless.ArgumentError, match="'x' is used as a scalar"):
        tapeless.grad(fc.loop_carries_the_array_into_math)(X3)
    check_grads(fc.loop_carries_the_array_into_math, [0.3], modes=("rev", "fwd"))


def test_a_definition_that_can_reach_a_math_call_still_makes_an_argument_a_scalar():
    # y = x reaches math.sin(y) when c: reverse mode relies on x being 0-d and checks it
    with pytest.raises(tapeless.ArgumentError, match="'x' is used as a scalar"):
        tapeless.grad(fc.math_after_the_branch)(X3, False)
    check_grads(fc.math_after_the_branch, [0.3, True], modes=("rev", "fwd"))


def test_second_order_through_where_in_a_helper_feeding_nonlinear_code():
    # AO: a condition carries no derivative, whatever it is computed from
    check_grads(fc.where_in_a_helper_then_nonlinear, [np.array([0.2, 0.7, 1.1])], modes=("rev", "fwd"), order=2)


def test_reductions_and_dot_of_a_list_written_in_the_call():
    # AR: by hand, at x = (0.1, 0.2, 0.3): d sum([x0, x1^2]) = (1, 2 x1, 0) = (1, 0.4, 0);
    # d mean([x0, 2 x1]) = (0.5, 1, 0); d max([x0, x1]) = (0, 1, 0); d (1, 2, 3) . x = (1, 2, 3)
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(fc.sum_of_a_list, mode=mode)(X3), [1.0, 0.4, 0.0])
        np.testing.assert_allclose(tapeless.grad(fc.mean_of_a_list, mode=mode)(X3), [0.5, 1.0, 0.0])
        np.testing.assert_allclose(tapeless.grad(fc.max_of_a_list, mode=mode)(X3), [0.0, 1.0, 0.0])
        np.testing.assert_allclose(tapeless.grad(fc.dot_with_a_list, mode=mode)(X3), [1.0, 2.0, 3.0])
    for f in (fc.sum_of_a_list, fc.mean_of_a_list, fc.max_of_a_list, fc.dot_with_a_list):
        check_grads(f, [X3], modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("mode", MODES)
def test_a_swap_with_an_undifferentiated_parameter(mode):
    # AX: the function returns y's value, so d/dx = 0 and d/dy = 1
    assert tapeless.grad(fc.swaps_with_an_undifferentiated_parameter, mode=mode)(0.03, 0.05) == 0.0
    assert tapeless.grad(fc.swaps_with_an_undifferentiated_parameter, wrt=1, mode=mode)(0.03, 0.05) == 1.0
    check_grads(fc.swaps_with_an_undifferentiated_parameter, [0.03, 0.05], modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("x", [0.3, 0.7])
def test_an_early_return_does_not_carry_a_binding_to_a_later_math_call(x):
    # AY: on the path where y reaches math.sin(y), y was rebound to x first; y's derivative is 0
    dx = math.cos(x) if x <= 0.5 else 1.0
    for mode in MODES:
        gx, gy = tapeless.grad(fc.returns_early_or_rebinds, wrt=("x", "y"), mode=mode)(x, X3)
        assert gx == pytest.approx(dx, rel=1e-15)
        np.testing.assert_array_equal(gy, np.zeros(3))
    check_grads(fc.returns_early_or_rebinds, [x, X3], wrt=("x", "y"), modes=("rev", "fwd"))
    check_grads(fc.returns_early_or_rebinds, [x, 0.4], wrt=("x", "y"), modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("x", [-0.1, 1.0])
def test_a_return_from_a_loop_does_not_carry_a_binding_to_a_later_math_call(x):
    # x < 0 returns sum(y) in the first iteration; x > 0 never returns early (sin(x) < x) and
    # gives 3 sin(x), with y rebound to x before each math.sin(y)
    for mode in MODES:
        gx, gy = tapeless.grad(fc.returns_from_a_loop_or_rebinds, wrt=("x", "y"), mode=mode)(x, X3)
        assert gx == pytest.approx(0.0 if x < 0 else 3 * math.cos(x), rel=1e-15)
        np.testing.assert_array_equal(gy, np.ones(3) if x < 0 else np.zeros(3))
    check_grads(fc.returns_from_a_loop_or_rebinds, [x, X3], wrt=("x", "y"), modes=("rev", "fwd"))


def test_a_math_call_before_the_early_return_still_makes_an_argument_a_scalar():
    with pytest.raises(tapeless.ArgumentError, match="'y' is used as a scalar"):
        tapeless.grad(fc.math_before_the_early_return, wrt=("x", "y"))(0.7, X3)
    for x in (0.3, 0.7):
        check_grads(fc.math_before_the_early_return, [x, 0.2], wrt=("x", "y"), modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("x", [np.array([0.03, 0.03, 0.03]), np.array([0.73, 0.03, 0.93])])
@pytest.mark.parametrize("y", [0.2, 0.7])
def test_code_after_a_loop_that_may_return_runs_only_if_it_did_not(x, y):
    # x is swapped away in both branches: the result is y or 2y, and d/dx is 0
    for mode in MODES:
        gx, gy = tapeless.grad(fc.swaps_after_a_loop_that_may_return, wrt=("x", "y"), mode=mode)(x, y)
        np.testing.assert_array_equal(gx, np.zeros(3))
        assert gy == (1.0 if y > 0.5 else 2.0)
    check_grads(fc.swaps_after_a_loop_that_may_return, [x, y], wrt=("x", "y"), modes=("rev", "fwd"))


@pytest.mark.parametrize("x", [np.array(0.3), np.float64(0.3), np.float32(0.3), np.array([0.1, -0.2], dtype=np.float32)])
def test_a_rebound_argument_still_gives_its_gradient_its_type(x):
    for mode in MODES:
        dx = tapeless.grad(fc.rebinds_its_argument, mode=mode)(x)
        assert type(dx) is type(x) and np.shape(dx) == np.shape(x) and dx.dtype == x.dtype, (mode, repr(dx))
        np.testing.assert_allclose(dx, 1.0 - np.tanh(np.float64(x)) ** 2, rtol=1e-6 if x.dtype == np.float32 else 1e-15)
    check_grads(fc.rebinds_its_argument, [np.array([0.1, -0.2])], modes=("rev", "fwd"), order=2)
