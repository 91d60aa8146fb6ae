"""Regression tests for the bugs the fuzz campaign of the second session found (docs/testing.md,
AB to AH). Expected values are central finite differences (check_grads, both modes) or worked
out by hand; refusals are checked by type and message."""

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
