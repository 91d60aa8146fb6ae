"""Every error a user can meet: its type, its message, and where it points."""

import inspect

import numpy as np
import pytest

import tapeless
from tapeless.errors import SourceError

import error_cases as ec


def marked_line(func):
    """The file line marked ``# <-`` in ``func``'s source."""
    lines, first = inspect.getsourcelines(func)
    for offset, line in enumerate(lines):
        if "# <-" in line:
            return first + offset
    raise AssertionError("no marked line")


SYNTAX = [
    (ec.uses_yield, "yield is not supported"),
    (ec.uses_global, "a global statement is not supported"),
    (ec.uses_try, "try/except is not supported"),
    (ec.uses_with, "a with statement is not supported"),
    (ec.uses_lambda, "a lambda is not supported"),
    (ec.uses_nested_def, "a nested function definition is not supported"),
    (ec.uses_class, "a class definition is not supported"),
    (ec.uses_listcomp, "a list comprehension is not supported"),
    (ec.uses_genexp, "a generator expression is not supported"),
    (ec.uses_del, "del is not supported"),
    (ec.uses_import, "an import inside the function is not supported"),
    (ec.uses_walrus, "an assignment expression (:=) is not supported"),
    (ec.uses_index_write, "writing into an array (x[i] = v) is not supported"),
    (ec.uses_while_else, "else on a while loop is not supported"),
]


@pytest.mark.parametrize("func,message", SYNTAX, ids=[f.__name__ for f, _ in SYNTAX])
def test_unsupported_syntax_is_refused_at_its_line(func, message):
    with pytest.raises(tapeless.UnsupportedSyntax) as info:
        tapeless.grad(func)
    err = info.value
    assert message in str(err)
    assert err.filename == ec.__file__
    assert err.lineno == marked_line(func)
    assert "hint:" in str(err)
    # the message shows the source line and a caret under the construct
    text = str(err).splitlines()
    assert text[0].startswith(f"{ec.__file__}:{err.lineno}:{err.col}: ")
    assert text[2].strip() == "^"
    line = inspect.getsource(func).splitlines()[err.lineno - func.__code__.co_firstlineno]
    assert text[1].strip() == line.strip()
    caret_col = len(text[2]) - 1 - 4  # 4 spaces of indentation in the message
    assert caret_col == err.col - 1 - (len(line) - len(line.lstrip()))


def test_starargs_are_refused():
    with pytest.raises(tapeless.UnsupportedSyntax, match=r"\*args and \*\*kwargs"):
        tapeless.grad(ec.uses_starargs)


def test_missing_rule_names_the_function_and_the_line():
    with pytest.raises(tapeless.MissingRule) as info:
        tapeless.grad(ec.uses_cumprod)
    assert "no derivative rule for np.cumprod" in str(info.value)
    assert "receives the differentiated value x" in str(info.value)
    assert info.value.lineno == marked_line(ec.uses_cumprod)
    assert "reverse_rule" in info.value.hint


def test_missing_rule_three_helpers_down_points_into_the_helper():
    with pytest.raises(tapeless.MissingRule) as info:
        tapeless.grad(ec.three_levels_down)
    assert info.value.lineno == marked_line(ec.helper_with_missing_rule)
    assert "np.cumprod" in str(info.value)


def test_unknown_library_function_is_refused():
    with pytest.raises(tapeless.MissingRule, match="np.fft.fft"):
        tapeless.grad(ec.uses_unknown_user_object)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("wrt", [(0, 1), 1])
def test_differentiated_value_in_a_non_differentiable_argument(mode, wrt):
    # regression: with only the argument itself differentiated (wrt=1), the gradient was 0.0
    with pytest.raises(tapeless.NonDifferentiable) as info:
        tapeless.grad(ec.var_active_ddof, wrt=wrt, mode=mode)
    assert "np.var is not differentiated" in str(info.value) and "argument 'ddof'" in str(info.value)
    assert info.value.lineno == marked_line(ec.var_active_ddof)
    # with respect to x alone, ddof is a constant and all is well: d var / dx = 2 (x - mean) / (n - ddof)
    x = np.array([0.2, 0.7, 1.5])
    g = tapeless.grad(ec.var_active_ddof, mode=mode)(x, 1.0)
    np.testing.assert_allclose(g, 2 * (x - x.mean()) / 2)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_clip_bounds_are_differentiated(mode):
    # regression: the gradient with respect to a bound was silently 0.0 in both modes
    g = tapeless.grad(ec.clip_active_bound, wrt=1, mode=mode)(np.array([0.1, 0.5, 2.0]), 0.3)
    assert g == 1.0  # one element (0.1) is clipped up to lo
    g = tapeless.grad(ec.clip_active_bound, mode=mode)(np.array([0.2, 0.7, 1.5]), 0.5)
    np.testing.assert_array_equal(g, [0.0, 1.0, 0.0])  # clipped elements have zero slope


@pytest.mark.skipif(np.lib.NumpyVersion(np.__version__) < "2.1.0", reason="np.clip takes min= and max= from NumPy 2.1")
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_clip_bounds_by_keyword(mode):
    # regression: np.clip(x, min=..., max=...) was refused ("unexpected keyword argument 'min'")
    g = tapeless.grad(ec.clip_bounds_by_keyword, wrt=1, mode=mode)(np.array([0.1, 0.5, 2.0]), 0.3)
    assert g == 1.0
    g = tapeless.grad(ec.clip_bounds_by_keyword, mode=mode)(np.array([0.2, 0.7, 1.5]), 0.5)
    np.testing.assert_array_equal(g, [0.0, 1.0, 0.0])


def test_function_without_return():
    with pytest.raises(tapeless.NonDifferentiable, match="must return a value") as info:
        tapeless.grad(ec.no_return)
    assert info.value.lineno == marked_line(ec.no_return)


def test_list_of_differentiated_values():
    with pytest.raises(tapeless.NonDifferentiable, match="tuple or list") as info:
        tapeless.grad(ec.list_of_active)
    assert info.value.lineno == marked_line(ec.list_of_active)


def test_source_errors_share_one_hierarchy():
    for cls in (tapeless.UnsupportedSyntax, tapeless.MissingRule, tapeless.NonDifferentiable):
        assert issubclass(cls, SourceError) and issubclass(cls, tapeless.TapelessError)


def test_builtin_has_no_source():
    with pytest.raises(tapeless.SourceUnavailable, match="not a Python function"):
        tapeless.grad(np.sin)


def test_function_from_exec_has_no_source():
    namespace = {}
    exec("def f(x):\n    return x * 2\n", namespace)
    with pytest.raises(tapeless.SourceUnavailable, match="cannot read the source"):
        tapeless.grad(namespace["f"])


def square(x):
    return x * x


def test_integer_argument_is_refused_at_call():
    g = tapeless.grad(square)
    with pytest.raises(tapeless.ArgumentError, match="'x': it holds integers"):
        g(3)
    with pytest.raises(tapeless.ArgumentError, match="'x': it holds integers"):
        g(np.arange(3))
    with pytest.raises(tapeless.ArgumentError, match="'x': it is a boolean"):
        g(True)


def test_non_scalar_output_names_its_shape():
    g = tapeless.grad(square)
    with pytest.raises(tapeless.OutputError, match=r"array of shape \(3,\)"):
        g(np.ones(3))


def two(a, b):
    return a * b


def test_wrong_wrt():
    with pytest.raises(tapeless.ArgumentError, match="wrt='c' is not a parameter of two; its parameters are: a, b"):
        tapeless.grad(two, wrt="c")
    with pytest.raises(tapeless.ArgumentError, match="wrt=2 is out of range"):
        tapeless.grad(two, wrt=2)
    with pytest.raises(tapeless.ArgumentError, match="parameter position or name"):
        tapeless.grad(two, wrt=1.0)
    with pytest.raises(tapeless.ArgumentError, match="wrt=3 is out of range"):
        tapeless.differentiate(two, wrt=3)


def test_in_place_update_of_shared_memory_is_refused_when_it_is_an_array():
    for func in (ec.inplace_on_alias, ec.inplace_on_view):
        g = tapeless.grad(func)
        line = marked_line(func)
        with pytest.raises(tapeless.UnsupportedSyntax, match="may share memory") as info:
            g(np.array([0.5, -1.0, 2.0]))
        assert f"(error_cases.py:{line})" in str(info.value)
        assert "z = z + c" in info.value.hint


def float_accumulator(x):
    total = x
    for k in range(3):
        total += x * k
    return total


def test_in_place_update_of_a_float_copy_is_differentiated():
    # total = x + x*0 + x*1 + x*2 = 4x
    assert tapeless.grad(float_accumulator)(1.5) == 4.0
    with pytest.raises(tapeless.UnsupportedSyntax, match=r"total \+= x \* k"):
        tapeless.grad(float_accumulator)(np.array([1.5]))  # NumPy would change the caller's array


def accumulate(x):
    total = 0.0
    alias = total  # a float: no memory is shared
    alias += x
    acc = x * 1.0
    acc += x  # acc holds a fresh array
    return np.sum(alias * acc)


def test_in_place_update_without_sharing_is_differentiated():
    from tapeless.testing import check_grads
    check_grads(accumulate, [np.array([0.5, -1.0])])


class Model:
    scale = 3.0

    @tapeless.differentiate(wrt=1)
    def loss(self, x):
        return self.scale * x * x


def test_decorated_method_calls_like_the_original_but_has_no_gradient():
    m = Model()
    assert m.loss(2.0) == 12.0
    with pytest.raises(tapeless.ArgumentError, match="is a method: tapeless does not differentiate through self"):
        m.loss.grad(2.0)


def test_tuple_returned_by_a_helper_must_be_unpacked():
    with pytest.raises(tapeless.NonDifferentiable, match="returns a tuple of 2 values") as info:
        tapeless.grad(ec.tuple_result_not_unpacked)
    assert info.value.lineno == marked_line(ec.tuple_result_not_unpacked)
    assert "a, b = helper(x)" in info.value.hint


def test_a_function_whose_file_changed_since_import_is_refused(tmp_path, monkeypatch):
    import importlib
    import linecache
    import sys

    path = tmp_path / "edited_module.py"
    path.write_text("def f(x):\n    return x * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("edited_module")
    path.write_text("def f(x):\n    return x * x * x\n")  # the running code is still x * x
    linecache.checkcache(str(path))
    with pytest.raises(tapeless.SourceUnavailable, match="has changed since it was imported"):
        tapeless.grad(module.f)
    importlib.reload(module)
    assert tapeless.grad(module.f)(2.0) == 12.0  # by hand: 3 x^2
    sys.modules.pop("edited_module")


SMOOTH_ARGUMENTS = [
    (ec.full_of_a_differentiated_value, (0,), "np.full", "fill_value"),
    (ec.full_like_of_a_differentiated_value, (0,), "np.full_like", "fill_value"),
    (ec.linspace_to_a_differentiated_value, (0,), "np.linspace", "stop"),
    (ec.arange_with_a_differentiated_step, (0,), "np.arange", "step"),
    (ec.norm_of_a_differentiated_order, (1,), "np.linalg.norm", "ord"),
]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("func, wrt, name, param", SMOOTH_ARGUMENTS, ids=lambda v: getattr(v, "__name__", None))
def test_an_argument_the_result_depends_on_without_a_rule_is_refused(mode, func, wrt, name, param):
    # regression: each gave a gradient of 0 (np.full(3, x) sums to 3x: the derivative is 3)
    with pytest.raises(tapeless.NonDifferentiable) as info:
        tapeless.grad(func, wrt=wrt, mode=mode)
    assert f"{name} is not differentiated" in str(info.value) and f"argument {param!r}" in str(info.value)
    assert info.value.lineno == marked_line(func)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_a_constant_fill_value_shaped_like_a_differentiated_array_is_fine(mode):
    # np.full_like(y, 0.5) depends on y's shape only: d/dy sum(full_like(y, 0.5) * y) = 0.5
    x = np.array([0.2, 0.7, 1.5])
    grad = tapeless.grad(ec.full_like_of_a_differentiated_value, wrt=1, mode=mode)
    np.testing.assert_allclose(grad(0.5, x), [0.5, 0.5, 0.5])


ITERATORS = [
    (ec.sum_of_reversed, "reversed", (np.array([0.1, 0.2]),)),
    (ec.zip_kept_in_a_variable, "zip", (np.array([0.1, 0.2]), np.array([0.3, 0.4]))),
    (ec.enumerate_kept_in_a_variable, "enumerate", (np.array([0.1, 0.2]),)),
]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("func, name, args", ITERATORS, ids=lambda v: getattr(v, "__name__", None))
def test_an_iterator_outside_a_for_header_is_refused(mode, func, name, args):
    # regression: sum(reversed(x)) had a gradient of 0; the others failed with a TypeError
    with pytest.raises(tapeless.UnsupportedSyntax) as info:
        tapeless.grad(func, mode=mode)(*args)
    assert f"{name}(...) outside the header of a for loop" in str(info.value)
    assert info.value.lineno == marked_line(func)
