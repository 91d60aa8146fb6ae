"""Hostile inputs: names that clash with generated names (part 2) and the bad-input catalogue
(part 3). The functions live in real files: tests/hostile_*.py.

Every gradient is checked in both modes (``check_grads`` with ``modes=("rev", "fwd")``: each
against central finite differences, and the two against each other); expected values are worked
out by hand. Errors already covered by tests/test_errors.py (reverse mode) are not repeated here;
this file adds forward mode, helpers in other files and the inputs test_errors.py does not try.
Open bugs are ``xfail(strict=True, reason="BUG ...")``; docs/testing.md lists them all.
"""

from __future__ import annotations

import importlib.util
import inspect
import linecache
import os
import sys

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

import hostile_bad_cases as bc
import hostile_bad_helpers as bh
import hostile_builtins_cases as hb
import hostile_cases as hc
import hostile_np_cases as hn
import hostile_np_swapped_cases as hs
import hostile_range_len_cases as hr

MODES = ("reverse", "forward")

X3 = np.array([0.3, -0.7, 1.1])
Y3 = np.array([0.5, 0.9, -0.4])
M23 = np.array([[0.2, -0.5, 0.8], [1.1, 0.4, -0.3]])


def marked_line(func):
    """The file line marked ``# <-`` in ``func``'s source."""
    lines, first = inspect.getsourcelines(func)
    for offset, line in enumerate(lines):
        if "# <-" in line:
            return first + offset
    raise AssertionError("no marked line")


# =============================================================================================
# Part 2: names that clash with the names tapeless generates

CLASHES = [
    ("locals named like generated names, value > 0", hc.generated_names_as_locals, [X3, Y3], (0, 1)),
    ("locals named like generated names, value < 0", hc.generated_names_as_locals, [-X3, Y3], (0, 1)),
    ("flags and counters named like generated ones", hc.generated_names_in_scalar_loop, [0.7], 0),
    ("helpers named seed, unbroadcast, zeros_like, lift, stack, result, ...", hc.helpers_named_like_runtime,
     [X3, 0.6], (0, 1)),
    ("globals named dx, t1, dvalue, tapeless, broke", hc.reads_globals_named_like_generated, [X3], 0),
    ("parameters d, dd and ddd", hc.d_and_dd, [X3, Y3, 0.4], (0, 1, 2)),
    ("helper h next to user functions h_fwd, h_jvp, h_bwd, h_grad, h_vjp", hc.twins, [X3], 0),
    ("np is the math module", hn.np_is_math, [0.7], 0),
    ("numpy imported as numpy and onp, np is math", hn.numpy_under_other_names, [M23, Y3], (0, 1)),
    ("np is a namespace whose sin is numpy's cos", hs.np_swapped, [X3], 0),
    ("np is a namespace whose sin is numpy's cos (a float)", hs.np_swapped_scalar, [0.7], 0),
    ("reversed shadowed (does not reverse)", hb.uses_reversed, [X3], 0),
    ("float shadowed (doubles)", hb.uses_float, [1.5], 0),
    ("range shadowed (1-based), used by the user's own loop", hr.uses_range, [1.5], 0),
]


@pytest.mark.parametrize("label,func,args,wrt", CLASHES, ids=[c[0] for c in CLASHES])
def test_name_clash_gives_correct_gradients_in_both_modes(label, func, args, wrt):
    check_grads(func, args, wrt=wrt, modes=("rev", "fwd"))
    # and the value of value_and_grad is f's value, in both modes
    for mode in MODES:
        value, _ = tapeless.value_and_grad(func, wrt=wrt, mode=mode)(*args)
        assert value == pytest.approx(func(*args), rel=1e-12)


@pytest.mark.parametrize("label,func,args,wrt", CLASHES, ids=[c[0] for c in CLASHES])
def test_name_clash_second_order(label, func, args, wrt):
    check_grads(func, args, wrt=wrt, modes=("rev",), order=2)


def test_name_clash_values_by_hand():
    d, dd, ddd = X3, Y3, 0.4
    for mode in MODES:
        gd, gdd, gddd = tapeless.grad(hc.d_and_dd, wrt=(0, 1, 2), mode=mode)(d, dd, ddd)
        # f = sum(d dd) + sum(d^2) sum(dd) + ddd sum(sin d)
        np.testing.assert_allclose(gd, dd + 2 * d * np.sum(dd) + ddd * np.cos(d), rtol=1e-12)
        np.testing.assert_allclose(gdd, d + np.sum(d ** 2), rtol=1e-12)
        assert gddd == pytest.approx(np.sum(np.sin(d)), rel=1e-12)
        # reads_globals_named_like_generated: s = 0.25 sum(3 x + 0.5 x^2 + 2 sin x) + 2 * 1.5 * 0.75 sum(x)
        g = tapeless.grad(hc.reads_globals_named_like_generated, mode=mode)(X3)
        np.testing.assert_allclose(g, 0.25 * (3.0 + X3 + 2 * np.cos(X3)) + 2.25, rtol=1e-12)
        # float(x) is 2 x in that module: f = 4 x^2
        assert tapeless.grad(hb.uses_float, mode=mode)(1.5) == pytest.approx(12.0)
        # the 1-based range: s = x * 1 * 2 * 3
        assert tapeless.grad(hr.uses_range, mode=mode)(1.5) == pytest.approx(6.0)
        # np.sin is numpy's cos there: f = cos(x) exp(x)
        g = tapeless.grad(hs.np_swapped_scalar, mode=mode)(0.7)
        assert g == pytest.approx((np.cos(0.7) - np.sin(0.7)) * np.exp(0.7), rel=1e-12)


def test_generated_code_gives_way_to_the_user_names():
    """The generated code renames its own helpers and adjoints rather than hide the user's."""
    src = tapeless.grad(hc.helpers_named_like_runtime).source
    assert "seed_2(" in src and "unbroadcast_2(" in src and "stack_2 = []" in src
    # the adjoint of x is not called dx: the function reads the module's global dx
    src = tapeless.grad(hc.reads_globals_named_like_generated).source
    assert "x * dx" in src and "dx_2 = " in src and "\n    dx = " not in src


# regression: bug I, generated loops called a module's own range and len (IndexError, wrong gradient).
@pytest.mark.parametrize("mode", MODES)
def test_regression_shadowed_range_and_len(mode):
    # loop_over_rows: f = sum(x ** 2) (every element: the loop is over x itself)
    np.testing.assert_allclose(tapeless.grad(hr.loop_over_rows, mode=mode)(X3), 2 * X3, rtol=1e-12)
    # uses_len: the module's len says 2, so f = x0^2 + x1^2
    np.testing.assert_allclose(tapeless.grad(hr.uses_len, mode=mode)(X3), [0.6, -1.4, 0.0], rtol=1e-12)
    check_grads(hr.loop_over_rows, [X3], modes=("rev", "fwd"), order=2)
    check_grads(hr.uses_len, [X3], modes=("rev", "fwd"), order=2)


# regression: bug J, generated index adjoints called a module's own slice (TypeError).
def test_regression_shadowed_slice():
    check_grads(hb.uses_slices, [M23], modes=("rev", "fwd"), order=2)


# regression: bug K, with the name reversed taken, second order failed (range_iterator has no len()).
def test_regression_second_order_with_reversed_taken():
    check_grads(hb.uses_reversed, [X3], modes=("rev", "fwd"), order=2)
    # s = ((x0 + 1) x1 + 1) x2 + 1 (the module's reversed does not reverse): d2s/dx0 dx1 = x2
    h = tapeless.hessian(hb.uses_reversed)(X3)
    np.testing.assert_allclose(h, [[0.0, X3[2], X3[1]], [X3[2], 0.0, X3[0] + 1.0], [X3[1], X3[0] + 1.0, 0.0]],
                               rtol=1e-12, atol=1e-15)


# regression: bug L, second order through a helper indexing with an integer parameter was refused.
def test_regression_second_order_through_a_helper_with_an_integer_index():
    check_grads(hc.helpers_named_like_runtime, [X3, 0.6], wrt=(0, 1), modes=("rev", "fwd"), order=2)


# =============================================================================================
# Part 3: bad inputs


@pytest.mark.parametrize("mode", MODES)
def test_wrong_number_of_arguments(mode):
    g = tapeless.grad(bc.square, mode=mode)
    with pytest.raises(TypeError, match="'x'"):
        g()
    with pytest.raises(TypeError, match="positional argument"):
        g(1.0, 2.0)
    with pytest.raises(TypeError, match="'b'"):
        tapeless.grad(bc.two, mode=mode)(1.0)
    with pytest.raises(TypeError):
        g(1.5, y=1.0)


@pytest.mark.parametrize("mode", MODES)
def test_wrong_wrt(mode):
    """test_errors.py covers an unknown name, a position out of range and a float; also: a
    negative position, a boolean, None, twice the same parameter, an empty tuple, a wrong mode,
    and the other entry points."""
    cases = [(-3, "wrt=-3 is out of range: two has 2 parameter"), (True, "parameter position or name, not True"),
             (None, "parameter position or name, not None"), ((0, "a"), "wrt names 'a' twice"),
             ((), "wrt is empty"), ("c", "wrt='c' is not a parameter of two")]
    for wrt, message in cases:
        for entry in (tapeless.grad, tapeless.value_and_grad, tapeless.jacobian):
            with pytest.raises(tapeless.ArgumentError, match=message.replace("(", r"\(")):
                entry(bc.two, wrt=wrt, mode=mode)
    for entry in (tapeless.hessian, tapeless.hvp):
        with pytest.raises(tapeless.ArgumentError, match="wrt='c' is not a parameter"):
            entry(bc.two, wrt="c")
        with pytest.raises(tapeless.ArgumentError, match="one argument at a time"):
            entry(bc.two, wrt=(0, 1))
    with pytest.raises(tapeless.ArgumentError, match="mode must be 'reverse' or 'forward', not 'fwd'"):
        tapeless.grad(bc.two, mode="fwd")
    with pytest.raises(tapeless.ArgumentError, match="mode must be"):
        tapeless.differentiate(bc.two, mode="backward")
    assert tapeless.grad(bc.two, wrt=-1, mode=mode)(1.5, 2.0) == 1.5  # a negative position counts from the end


@pytest.mark.parametrize("mode", MODES)
def test_wrt_an_integer_boolean_or_string_argument(mode):
    args = (1.5, 3, True, "ab")
    for wrt, message in (("n", "'n': it holds integers"), ("flag", "'flag': it is a boolean"),
                         ("name", "'name': it is a str, not a float or a NumPy array of floats")):
        with pytest.raises(tapeless.ArgumentError, match=message):
            tapeless.grad(bc.scaled, wrt=wrt, mode=mode)(*args)
    # those arguments are fine where they are not differentiated: f = x * n, or x * len(name)
    assert tapeless.grad(bc.scaled, mode=mode)(*args) == 3.0
    assert tapeless.grad(bc.scaled, mode=mode)(1.5, 3, False, "ab") == 2.0
    g = tapeless.grad(bc.square, mode=mode)
    for bad, message in ((3, "holds integers"), (np.int64(3), "holds integers"), (np.arange(3), "holds integers"),
                         (np.array([True, False]), "is a boolean")):
        with pytest.raises(tapeless.ArgumentError, match=message):
            g(bad)


def test_wrt_a_non_numeric_argument_forward_mode():
    g = tapeless.grad(bc.square, mode="forward")
    for bad, kind in (("a", "str"), (None, "NoneType"), ([1.0, 2.0], "list")):
        with pytest.raises(tapeless.ArgumentError, match=f"it is a {kind}, not a float or a NumPy array of floats"):
            g(bad)


# regression: bug M, reverse mode ran the function before checking a str/None/list argument.
def test_wrt_a_non_numeric_argument_reverse_mode():
    g = tapeless.grad(bc.square)
    for bad, kind in (("a", "str"), (None, "NoneType"), ([1.0, 2.0], "list")):
        with pytest.raises(tapeless.ArgumentError, match=f"it is a {kind}, not a float or a NumPy array of floats"):
            g(bad)


@pytest.mark.parametrize("mode", MODES)
def test_non_scalar_output_names_the_shape(mode):
    # (regression: bug N, forward mode failed with ValueError: cannot reshape array ...)
    with pytest.raises(tapeless.OutputError, match=r"array of shape \(2, 3\)"):
        tapeless.grad(bc.doubled, mode=mode)(np.ones((2, 3)))
    with pytest.raises(tapeless.OutputError, match=r"array of shape \(3,\)"):
        tapeless.grad(bc.doubled, mode=mode)(np.ones(3))
    with pytest.raises(tapeless.OutputError, match=r"shape \(2, 3\)"):
        tapeless.value_and_grad(bc.doubled, mode=mode)(np.ones((2, 3)))


def test_an_output_shaped_by_the_arguments_is_checked_before_the_function_runs():
    # doubled returns 2 * x: its shape is x's, so reverse mode checks x instead of the output
    g = tapeless.grad(bc.doubled)
    assert "seed(" not in g.source
    with pytest.raises(tapeless.OutputError, match=r"returns an array of shape \(3,\) \(the shape of 'x'\)"):
        g(np.ones(3))
    np.testing.assert_allclose(g(np.array(1.5)), 2.0)  # a 0-d array is a scalar


@pytest.mark.parametrize("mode", MODES)
def test_output_of_one_element_is_refused_with_a_hint(mode):
    # documented behaviour: a scalar output is 0-d; one element of shape (1,) or (1, 1) is not
    for shape in [(1,), (1, 1)]:
        with pytest.raises(tapeless.OutputError, match=r"shape \(1,( 1)?\).*y\[0\] for one element"):
            tapeless.grad(bc.square, mode=mode)(np.full(shape, 2.0))
    np.testing.assert_allclose(tapeless.grad(bc.square, mode=mode)(np.array(2.0)), 4.0)


def test_tuple_output_is_refused_in_both_modes():
    with pytest.raises(tapeless.NonDifferentiable, match="tuple or list holding differentiated values"):
        tapeless.grad(_pair)  # reverse mode: at transform time
    with pytest.raises(tapeless.OutputError, match="returned a value of type tuple"):
        tapeless.grad(_pair, mode="forward")(1.5)


def _pair(x):
    return x, x * 2.0


# regression: bug P, return None gave gradient 0.0 (reverse) or None (forward).
@pytest.mark.parametrize("mode", MODES)
def test_returning_none(mode):
    with pytest.raises(tapeless.OutputError, match=r"returned None \(is a return statement missing\?\)"):
        tapeless.grad(bc.returns_none, mode=mode)(1.5)
    with pytest.raises(tapeless.OutputError, match="returned None"):
        tapeless.value_and_grad(bc.returns_none, mode=mode)(1.5)


# regression: bug R, falling off the end on one path raised UnboundLocalError on a generated name.
@pytest.mark.parametrize("mode", MODES)
def test_returning_none_on_one_path(mode):
    assert tapeless.grad(bc.returns_none_on_one_path, mode=mode)(1.5) == 3.0  # the path that returns x^2
    with pytest.raises(tapeless.OutputError, match="returned None"):
        tapeless.grad(bc.returns_none_on_one_path, mode=mode)(-1.5)


# regression: bug O (reverse mode), returning a string raised TypeError: data type 'hello' not understood.
def test_returning_a_string_reverse_mode():
    with pytest.raises(tapeless.OutputError, match="returned a value of type str"):
        tapeless.grad(bc.returns_text)(1.5)


# regression: forward mode failed with a NumPy TypeError instead of OutputError
def test_bug_returning_a_string_forward_mode():
    with pytest.raises(tapeless.OutputError, match="returned a value of type str"):
        tapeless.grad(bc.returns_text, mode="forward")(1.5)


@pytest.mark.parametrize("mode", MODES)
def test_complex_inputs_are_refused(mode):
    for bad in (1 + 2j, np.complex128(1.0), np.array([1 + 2j, 1.0])):
        with pytest.raises(tapeless.ArgumentError, match="'x': complex values are not supported"):
            tapeless.grad(bc.sum_squares, mode=mode)(bad)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_low_precision_inputs_keep_their_dtype(mode, dtype):
    x = np.array([1.5, -2.0], dtype=dtype)
    g = tapeless.grad(bc.sum_squares, mode=mode)(x)
    assert g.dtype == dtype
    np.testing.assert_array_equal(g, np.array([3.0, -4.0], dtype=dtype))  # exact in both precisions
    g = tapeless.grad(bc.loops_over_rows, mode=mode)(np.ones((2, 3), dtype=dtype))
    assert g.dtype == dtype and g.shape == (2, 3)
    np.testing.assert_allclose(g, np.cos(1.0), rtol=1e-3)
    s = tapeless.grad(bc.square, mode=mode)(dtype(1.5))
    assert np.asarray(s).dtype == dtype and s == 3.0
    a, b = tapeless.grad(bc.two, wrt=(0, 1), mode=mode)(dtype(1.5), dtype(2.0))
    assert np.asarray(a).dtype == dtype and np.asarray(b).dtype == dtype and (a, b) == (2.0, 1.5)


def _check_dtypes_follow_arguments(mode):
    a, b = tapeless.grad(bc.two, wrt=(0, 1), mode=mode)(np.float16(1.5), np.float32(2.0))
    assert (type(a), type(b)) == (np.float16, np.float32)
    a, b = tapeless.grad(bc.two, wrt=(0, 1), mode=mode)(np.float32(1.5), 2.0)
    assert (type(a), type(b)) == (np.float32, float)
    ga, gb = tapeless.grad(_mix, wrt=(0, 1), mode=mode)(np.ones(2, np.float16), np.ones(2, np.float32))
    assert (ga.dtype, gb.dtype) == (np.float16, np.float32)


def test_mixed_dtypes_forward_mode_gradients_take_their_arguments_dtypes():
    # regression (bug T, forward half): a Python float argument got an np.float32 gradient
    _check_dtypes_follow_arguments("forward")


def test_mixed_dtypes_reverse_mode_gradients_take_their_arguments_dtypes():
    # regression (bug T, reverse half): the gradient took NumPy's promotion of the arguments'
    # dtypes (float32 for a float16 array times a float32 one, a Python float for an
    # np.float32 scalar times a float)
    _check_dtypes_follow_arguments("reverse")
    # and through value_and_grad, a float32 model on float64 data, and second order
    w, X = np.ones(3, np.float32), np.arange(6.0).reshape(2, 3)
    value, g = tapeless.value_and_grad(_matvec_loss)(w, X)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, 2 * X.T @ (X @ w.astype(float)) / 2, rtol=1e-6)
    h = tapeless.grad(tapeless.grad(bc.square))(np.float32(1.5))
    assert type(h) is np.float32 and h == 2.0


def _matvec_loss(w, X):
    return np.mean((X @ w) ** 2)


def _mix(a, b):
    return np.sum(a * b)


@pytest.mark.parametrize("mode", MODES)
def test_zero_dimensional_arrays(mode):
    g = tapeless.grad(bc.square, mode=mode)(np.array(1.5))
    assert type(g) is np.ndarray and np.shape(g) == () and g == 3.0
    g = tapeless.grad(bc.sum_squares, mode=mode)(np.array(-0.5))
    assert type(g) is np.ndarray and np.shape(g) == () and g == -1.0
    check_grads(bc.sum_squares, [np.array(0.7)], modes=("rev", "fwd"))


@pytest.mark.parametrize("mode", MODES)
def test_empty_arrays(mode):
    for shape in ((0,), (0, 3), (2, 0)):
        g = tapeless.grad(bc.sum_squares, mode=mode)(np.zeros(shape))
        assert g.shape == shape and g.dtype == np.float64
    g = tapeless.grad(bc.loops_over_rows, mode=mode)(np.zeros((0, 3)))  # the loop runs zero times
    assert g.shape == (0, 3)


@pytest.mark.parametrize("mode", MODES)
def test_nan_and_inf_inputs_propagate(mode):
    g = tapeless.grad(bc.square, mode=mode)
    assert np.isnan(g(float("nan")))
    assert g(float("inf")) == float("inf") and g(-float("inf")) == -float("inf")
    with np.errstate(invalid="ignore"):
        gn = tapeless.grad(bc.sum_squares, mode=mode)(np.array([np.nan, 1.0]))
        gi = tapeless.grad(bc.sum_squares, mode=mode)(np.array([np.inf, 1.0]))
    assert np.isnan(gn[0]) and gi[0] == np.inf
    if mode == "reverse":
        assert gn[1] == 2.0 and gi[1] == 2.0
    else:
        # forward mode pushes one unit tangent per element: 0 * nan and 0 * inf make the other
        # elements NaN (documented in docs/testing.md)
        assert np.isnan(gn[1]) and np.isnan(gi[1])


@pytest.mark.parametrize("mode", MODES)
def test_object_arrays_are_refused(mode):
    with pytest.raises(tapeless.ArgumentError, match="its dtype is object, not a floating type"):
        tapeless.grad(bc.sum_squares, mode=mode)(np.array([1.0, 2.0], dtype=object))


@pytest.mark.parametrize("mode", MODES)
def test_integer_valued_arrays(mode):
    # floats holding whole numbers are floats
    np.testing.assert_array_equal(tapeless.grad(bc.sum_squares, mode=mode)(np.array([1.0, 2.0, -3.0])), [2, 4, -6])
    # integer dtypes are refused, with the fix in the message
    with pytest.raises(tapeless.ArgumentError, match=r"pass floats, e.g. x=float\(...\) or np.asarray"):
        tapeless.grad(bc.sum_squares, mode=mode)(np.array([1, 2, -3]))
    with pytest.raises(tapeless.ArgumentError, match="holds integers"):
        tapeless.grad(bc.sum_squares, mode=mode)(np.array([1, 2], dtype=np.uint8))


# --- a function whose source changed on disk after import ------------------------------------

_BEFORE = "def f(x):\n    return x * x\n\n\ndef g(x):\n    return x * x\n"
_AFTER = "def f(x):\n    return x * x * x\n\n\ndef g(x):\n    return x * x * x\n"


def _import_then_change(tmp_path, name):
    path = tmp_path / f"{name}.py"
    path.write_text(_BEFORE)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod, path


def _change(path):
    path.write_text(_AFTER)
    st = os.stat(path)
    os.utime(path, (st.st_atime + 10, st.st_mtime + 10))  # a new mtime, so linecache sees the change


def test_source_changed_after_the_gradient_was_made(tmp_path):
    """A gradient generated before the change is cached per function object: unaffected."""
    mod, path = _import_then_change(tmp_path, "hostile_changed_a")
    try:
        gr, gf = tapeless.grad(mod.g), tapeless.grad(mod.g, mode="forward")
        _change(path)
        assert gr(1.5) == 3.0 and gf(1.5) == 3.0  # d/dx x^2, as g computes
        assert tapeless.grad(mod.g)(1.5) == 3.0
        # a deleted file: tapeless cannot read the source any more
        os.remove(path)
        import linecache
        linecache.checkcache(str(path))
        with pytest.raises(tapeless.SourceUnavailable, match="cannot read the source of f"):
            tapeless.grad(mod.f)
    finally:
        sys.modules.pop("hostile_changed_a", None)


# regression: bug S, a file changed on disk after import was differentiated silently (the new code).
@pytest.mark.parametrize("mode", MODES)
def test_source_changed_on_disk_before_differentiating(tmp_path, mode):
    mod, path = _import_then_change(tmp_path, f"hostile_changed_{mode}")
    try:
        _change(path)
        assert mod.f(1.5) == 2.25  # the running code is still x * x
        with pytest.raises(tapeless.SourceUnavailable, match="the source of f in .* has changed since it was "
                           r"imported, so it is not the code that runs; reload the module \(importlib.reload\)"):
            tapeless.value_and_grad(mod.f, mode=mode)
        # once the module is executed again, the new code runs and is differentiated
        mod.__spec__.loader.exec_module(mod)
        assert tapeless.value_and_grad(mod.f, mode=mode)(1.5) == (3.375, 6.75)  # x^3, 3 x^2
    finally:
        sys.modules.pop(f"hostile_changed_{mode}", None)


_RULES_FILE = """import numpy as np
import tapeless


def cube(x):
    return x ** 3


def square(x):
    return x * x


@tapeless.reverse_rule(cube)
def cube_rule(ans, g, x):
    dx = g * 3.0 * x * x


@tapeless.reverse_rule(square)
def square_rule(ans, g, x):
    dx = g * 2.0 * x
"""


def test_a_rule_file_edited_after_import_is_refused(tmp_path):
    # regression: rule templates are read from their file when first used; lines inserted above
    # them after import made one rule read another's text (a fuzz campaign running while
    # tapeless's own rule files were edited got tanh's derivative for np.sinh, silently)
    name = "hostile_rules_edited"
    path = tmp_path / f"{name}.py"
    path.write_text(_RULES_FILE)
    user = tmp_path / "hostile_rules_user.py"
    user.write_text(f"import {name}\n\n\ndef f(x):\n    return {name}.square(x)\n")
    sys.path.insert(0, str(tmp_path))
    try:
        rules = __import__(name)
        uses = __import__("hostile_rules_user")
        path.write_text(_RULES_FILE.replace("import tapeless\n", "import tapeless\n\n\n\n\n\n"))
        linecache.checkcache(str(path))
        with pytest.raises(tapeless.SourceUnavailable, match="square_rule .* has changed since it was imported"):
            tapeless.grad(uses.f)(1.5)
        assert rules.square(1.5) == 2.25  # the running code is unchanged
    finally:
        sys.path.remove(str(tmp_path))
        for mod in (name, "hostile_rules_user"):
            sys.modules.pop(mod, None)


# --- methods, exec, helpers -------------------------------------------------------------------


class Model:
    scale = 3.0

    @tapeless.differentiate(wrt=1, mode="forward")
    def loss(self, x):
        return self.scale * x * x

    def plain(self, x):
        return self.scale * x * x

    @staticmethod
    def static(x):
        return x * x

    @classmethod
    def klass(cls, x):
        return cls.scale * x * x


def test_decorated_method_forward_mode():
    m = Model()
    assert m.loss(2.0) == 12.0
    with pytest.raises(tapeless.ArgumentError, match="is a method: tapeless does not differentiate through self"):
        m.loss.grad(2.0)
    with pytest.raises(tapeless.ArgumentError, match="is a method"):
        m.loss.value_and_grad(2.0)


@pytest.mark.parametrize("mode", MODES)
def test_methods_through_the_class(mode):
    m = Model()
    # a function looked up on the class is a plain function: self is an ordinary argument
    assert tapeless.grad(Model.plain, wrt=1, mode=mode)(m, 2.0) == 12.0  # d/dx 3 x^2
    assert tapeless.grad(Model.static, mode=mode)(2.0) == 4.0
    # a bound method is refused (regression: bug Q, the message spoke of builtins and C functions)
    with pytest.raises(tapeless.ArgumentError, match="Model.plain is a bound method: tapeless does not "
                       "differentiate through self"):
        tapeless.grad(m.plain, mode=mode)
    with pytest.raises(tapeless.ArgumentError, match="Model.klass is a bound method"):
        tapeless.grad(Model.klass, mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_function_from_exec_forward_mode(mode):
    namespace = {}
    exec("def f(x):\n    return x * 2\n", namespace)
    with pytest.raises(tapeless.SourceUnavailable, match="cannot read the source of f"):
        tapeless.grad(namespace["f"], mode=mode)
    with pytest.raises(tapeless.SourceUnavailable):
        tapeless.jvp(namespace["f"], (1.0,), (1.0,))


HELPER_SYNTAX = [
    (bc.calls_try, bh.helper_with_try, "try/except is not supported"),
    (bc.calls_comprehension, bh.helper_with_comprehension, "a list comprehension is not supported"),
    (bc.calls_index_write, bh.helper_with_index_write, r"writing into an array \(x\[i\] = v\) is not supported"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("func,helper,message", HELPER_SYNTAX, ids=[h.__name__ for _, h, _ in HELPER_SYNTAX])
def test_unsupported_syntax_in_a_helper_points_into_the_helper(mode, func, helper, message):
    with pytest.raises(tapeless.UnsupportedSyntax, match=message) as info:
        tapeless.grad(func, mode=mode)
    err = info.value
    assert err.filename == bh.__file__ and err.lineno == marked_line(helper)
    assert str(err).startswith(f"{bh.__file__}:{err.lineno}:{err.col}: ")
    assert "hint:" in str(err)


@pytest.mark.parametrize("mode", MODES)
def test_missing_rule_three_levels_down_in_another_file(mode):
    with pytest.raises(tapeless.MissingRule, match="no derivative rule for np.cumprod, which receives the "
                       "differentiated value p") as info:
        tapeless.grad(bc.calls_three_levels_down, mode=mode)
    assert info.value.filename == bh.__file__
    assert info.value.lineno == marked_line(bh.helper_with_cumprod)
    with pytest.raises(tapeless.MissingRule):
        tapeless.jacobian(bc.calls_three_levels_down, mode=mode)


# regression: bug X, a loop over a name the loop body rebinds walked the rebound value in the
# gradient (the original walks the value the loop started with): a silently wrong gradient.
def test_a_loop_walks_the_sequence_it_started_with():
    x = np.arange(12.0).reshape(3, 4) / 7
    check_grads(hc.rebinds_the_sequence, [x], modes=("rev", "fwd"))
    # by hand: sum of squares of the original rows, plus sum(x) / 8 after three halvings
    np.testing.assert_allclose(tapeless.grad(hc.rebinds_the_sequence)(x), 2 * x + 0.125, rtol=1e-14)
    # for x in x: the last element, doubled
    np.testing.assert_allclose(tapeless.grad(hc.loop_target_is_the_sequence)(np.array([1.0, 2.0])), [0.0, 2.0])
    x, y = np.array([0.3, 0.5]), np.array([1.1, -0.4])
    check_grads(hc.zip_rebinds_a_sequence, [x, y], wrt=(0, 1), modes=("rev", "fwd"))
    dx, dy = tapeless.grad(hc.zip_rebinds_a_sequence, wrt=(0, 1))(x, y)
    np.testing.assert_allclose(dx, y)
    np.testing.assert_allclose(dy, x)


# regression: bug AA (found by the fuzzer after the output check moved to the arguments): with
# the output adjoint the constant 1.0, 1.0 * len(items) folded to an int gradient and
# 1.0 * (x > 0) - 1.0 * (x < 0) to a subtraction of booleans (TypeError).
@pytest.mark.parametrize("mode", MODES)
def test_gradients_of_outputs_checked_up_front_are_floats(mode):
    g = tapeless.grad(hc.times_a_length, mode=mode)(1.5, [1, 2])
    assert g == 2.0 and isinstance(g, float)
    for x in (0.7, np.array(0.7), np.float64(0.7), -0.7):
        g = tapeless.grad(hc.absolute_twice, mode=mode)(x)
        assert g == (2.0 if x > 0 else -2.0)
        check_grads(hc.absolute_twice, [x], modes=("rev", "fwd"), order=2)
    # a NumPy scalar keeps its type: its gradient, and the checker's perturbed arguments
    check_grads(hc.sum_method_of_a_square, [np.float64(0.7)], modes=("rev", "fwd"), order=2)
    g = tapeless.grad(hc.constant_output, mode=mode)(np.float64(0.7))
    assert g == 0.0 and type(g) is np.float64
