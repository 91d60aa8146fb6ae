"""Properties of the generated code: tracebacks, inspect, caching, no mutation."""

import inspect
import math
import traceback

import numpy as np
import pytest

import tapeless


def root_sum(x):
    y = np.sqrt(x)
    return np.sum(y)


def test_traceback_shows_the_generated_line():
    g = tapeless.grad(root_sum)
    with np.errstate(all="raise"):
        with pytest.raises(FloatingPointError) as info:
            g(np.array([0.0, 1.0]))
    text = "".join(traceback.format_exception(info.value))
    assert "gradient of root_sum (test_generated_code.py:" in text
    # the generated line, and the user's line it came from
    line = inspect.getsourcelines(root_sum)[1] + 1
    assert f"dx = dy * 0.5 / y  # test_generated_code.py:{line}: y = np.sqrt(x)" in text


def test_inspect_getsource_returns_the_generated_function():
    g = tapeless.grad(root_sum)
    shown = inspect.getsource(g).splitlines()
    assert shown[0] == "def root_sum_grad(x):"
    # the same lines as .source; the backward sweep's also name the user's line they came from
    for shown_line, line in zip(shown, g.source.splitlines()):
        assert shown_line.startswith(line)
    assert any("# test_generated_code.py:" in line for line in shown)


def test_transformation_is_cached():
    assert tapeless.grad(root_sum) is tapeless.grad(root_sum)
    assert tapeless.value_and_grad(root_sum) is tapeless.value_and_grad(root_sum)


def reassigns(x, w):
    x = x * 2.0
    w = w + x
    return np.sum(w * x)


def test_gradient_never_modifies_its_arguments():
    x = np.array([1.0, 2.0])
    w = np.array([0.5, -1.0])
    before = (x.copy(), w.copy())
    dx, dw = tapeless.grad(reassigns, wrt=(0, 1))(x, w)
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(w, before[1])
    # by hand: f = sum((w + 2x) * 2x); df/dw = 2x; df/dx = 2*(2x) + 2*(w + 2x) = 8x + 2w
    np.testing.assert_allclose(dw, 2 * x)
    np.testing.assert_allclose(dx, 8 * x + 2 * w)


def test_decorated_function_behaves_like_the_original():
    f = tapeless.differentiate(reassigns)
    x, w = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    assert f(x, w) == reassigns(x, w)
    assert f.__name__ == "reassigns" and f.__doc__ == reassigns.__doc__


def test_generated_names_are_deterministic():
    a = tapeless.grad(reassigns, wrt=(0, 1)).source
    # a second, independent transformation of the same source gives the same text
    from tapeless import pipeline
    b = pipeline.build(reassigns, ("x", "w"))
    assert b.source == a


def test_gradient_source_has_no_zero_additions_or_unit_products():
    for f in (root_sum, reassigns):
        src = tapeless.grad(f).source
        assert "+ 0\n" not in src and "* 1.0\n" not in src and "* 1\n" not in src


def make_closure(scale):
    def scaled_sin(v):
        return np.sin(v) * scale

    def f(x):
        return np.sum(scaled_sin(x) * x) + scale
    return f


def test_closures_are_read_live():
    from tapeless.testing import check_grads

    f = make_closure(3.0)
    x = np.array([0.1, 0.5])
    g = check_grads(f, [x])
    # by hand: d/dx sum(3 sin(x) x) = 3 (cos(x) x + sin(x))
    np.testing.assert_allclose(g, 3.0 * (np.cos(x) * x + np.sin(x)), rtol=1e-12)


# -- what a loop keeps and how it accumulates ----------------------------------------------

def rnn_like(W, b, xs, h):
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] + b)
    return np.sum(h ** 2)


def _rnn_by_hand(W, b, xs, h):
    """The gradient of rnn_like written out by hand: keep the states, run them backwards."""
    hs = [h]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(hs[-1] @ W + xs[t] + b))
    dh = 2.0 * hs[-1]
    dW, db = np.zeros_like(W), np.zeros_like(b)
    for t in reversed(range(xs.shape[0])):
        da = dh * (1.0 - hs[t + 1] ** 2)
        dW += hs[t].T @ da
        db += da.sum(axis=0)
        dh = da @ W.T
    return dW, db


def test_loop_adjoints_of_parameters_accumulate_in_place():
    g = tapeless.grad(rnn_like, wrt=("W", "b"))
    assert "dW += " in g.source and "db += " in g.source
    rng = np.random.default_rng(1)
    args = (rng.standard_normal((4, 4)) / 2, rng.standard_normal(4), rng.standard_normal((6, 3, 4)),
            rng.standard_normal((3, 4)))
    before = [a.copy() for a in args]
    dW, db = g(*args)
    eW, eb = _rnn_by_hand(*args)
    np.testing.assert_allclose(dW, eW, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db, eb, rtol=1e-12, atol=1e-14)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)
    # each call owns fresh buffers: a second call neither changes the first result nor shares it
    dW2, _ = g(*args)
    assert dW2 is not dW and not np.shares_memory(dW, dW2)
    np.testing.assert_array_equal(dW, dW2)


def accumulated_then_read(w, xs):
    s = 0.0
    for t in range(xs.shape[0]):
        s = s + np.sum(w * xs[t])
    return s * np.sum(w)


def test_a_loop_adjoint_that_does_not_start_at_zero_accumulates_correctly():
    from tapeless.testing import check_grads
    rng = np.random.default_rng(2)
    check_grads(accumulated_then_read, (rng.standard_normal(3), rng.standard_normal((4, 3))), wrt=0)


def test_the_loop_keeps_shapes_not_temporaries_read_only_for_their_shape():
    g = tapeless.grad(rnn_like, wrt=("W", "b"))
    pushes = [line for line in g.source.splitlines() if "stack.append" in line]
    assert any("shape_of(" in line for line in pushes), g.source
    rng = np.random.default_rng(3)
    W, b, xs, h = rng.standard_normal((4, 4)) / 2, rng.standard_normal(4), rng.standard_normal((5, 3, 4)), \
        rng.standard_normal((3, 4))
    # peak memory of a call: the states (5 of 3x4) and not also the temporaries of every step
    import tracemalloc
    g(W, b, xs, h)
    tracemalloc.start()
    g(W, b, xs, h)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    tracemalloc.start()
    _rnn_by_hand(W, b, xs, h)
    hand = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * hand + 4096, (peak, hand)


def broadcast_in_loop(a, c):
    total = 0.0
    for k in range(3):
        u = a * c          # (3, 1) * (4,) -> (3, 4): a's adjoint sums over the broadcast axis
        v = u + k * 1.5    # a float temporary in the same loop
        a = np.sin(v[:, :1])
        total = total + np.sum(v * v)
    return total


def test_shapes_kept_for_broadcasting_give_the_right_sums_in_both_modes_and_second_order():
    from tapeless.testing import check_grads
    rng = np.random.default_rng(4)
    check_grads(broadcast_in_loop, (rng.standard_normal((3, 1)), rng.standard_normal(4)), wrt=(0, 1), order=2)


def product(x, y):
    return x * y


def test_a_gradient_is_never_an_argument_itself():
    # d(x * y)/dx is y; for 0-d arrays the gradient must be a new array, not y (the caller may
    # update a gradient in place)
    x, y = np.array(2.0), np.array(3.0)
    dx, dy = tapeless.grad(product, wrt=(0, 1))(x, y)
    assert dx == 3.0 and dy == 2.0
    assert not np.shares_memory(dx, y) and not np.shares_memory(dy, x)
    for mode in ("reverse", "forward"):
        dx = tapeless.grad(product, mode=mode)(x, y)
        assert dx == 3.0 and not np.shares_memory(dx, y)


def sigmoid_loss(w, x, y):
    p = 1.0 / (1.0 + np.exp(-(x @ w)))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def test_single_use_adjoints_are_inlined_and_their_signs_cancel():
    # the chain through 1 / (1 + exp(-z)) has three sign flips (the rules of /, exp's -z and
    # the minus itself): inlined into one statement they cancel, and no negation is left there
    src = tapeless.grad(sigmoid_loss).source
    block = src.split("# p = 1.0 / (1.0 + np.exp(-(x @ w)))")[1].split("#")[0]
    assert block.count("\n    d") == 1 and "-" not in block, block
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((5, 3)), rng.standard_normal(3)
    y = (rng.standard_normal(5) > 0).astype(float)
    from tapeless.testing import check_grads
    check_grads(sigmoid_loss, [w, x, y], modes=("rev", "fwd"), order=2)


@pytest.mark.parametrize("source, expected", [
    ("(-a) * b", "-(a * b)"),
    ("a * (-b)", "-(a * b)"),
    ("(-a) / (-b)", "a / b"),
    ("-((-a) * b)", "a * b"),
    ("a + (-b)", "a - b"),
    ("(-a) + b", "b - a"),
    ("a - (-b)", "a + b"),
    ("(-a) - b", "-(a + b)"),
    ("(-a) ** 2", "(-a) ** 2"),  # not a product: the sign stays inside the power
    ("a * -2.0", "a * -2.0"),  # a negative constant is a number, not a negation
    ("(-u) * v", "-u * v"),  # (the same tree, printed) not adjoints: the function's own code stays as written
])
def test_signs_move_out_of_products_and_sums_exactly(source, expected):
    import ast

    import gast

    from tapeless.simplify.fold import fold

    tree = fold([gast.parse(source).body[0]], adjoints={"a", "b"})
    out = ast.unparse(gast.gast_to_ast(gast.Module(body=tree, type_ignores=[])))
    assert out == expected
    # and the values are the same, to the last bit, for numbers of either sign
    for a in (0.3, -1.7, 0.0, -0.0):
        for b in (2.5, -0.1):
            env = {"a": a, "b": b, "u": a, "v": b}
            want, got = eval(source, env), eval(out, env)
            assert repr(want) == repr(got)



def math_products(x, y, flag):
    c = math.exp(y)  # always a Python float
    k = math.floor(x)  # an int
    if flag:
        m = math.sin(x)
    else:
        m = round(x)  # an int too
    return x * y + c * x + m * y + k * y


def test_unit_products_fold_only_for_adjoints_and_python_floats():
    g = tapeless.grad(math_products, wrt=("x", "y"))
    src = g.source
    assert "1.0 * c" not in src and "c * 1.0" not in src, src
    # a parameter (maybe a NumPy value the caller owns) and names that may hold ints keep it
    for kept in ("1.0 * y", "1.0 * m", "1.0 * k"):
        assert kept in src, (kept, src)
    dx, dy = g(1.5, 0.25, False)
    assert type(dx) is float and type(dy) is float
    # d/dx: y + c; d/dy: x + c x + m + k, with c = e^y, m = round(1.5) = 2, k = floor(1.5) = 1
    assert dx == pytest.approx(0.25 + math.exp(0.25), rel=1e-15)
    assert dy == pytest.approx(1.5 + math.exp(0.25) * 1.5 + 2.0 + 1.0, rel=1e-15)
    from tapeless.testing import check_grads
    for flag in (True, False):
        check_grads(math_products, [1.3, 0.25, flag], wrt=("x", "y"), modes=("rev", "fwd"), order=2)


def penalised(w, x, decay):
    fit = np.mean(np.sum((x @ w) ** 2, axis=0))
    return fit + decay * (np.sum(w ** 2) + np.sum(np.abs(w)))


def test_full_reductions_and_output_shaping_arguments_need_no_unbroadcast():
    # np.mean(...) and np.sum(w ** 2) are 0-d, and decay shapes the output, so check_args
    # makes it 0-d before the function runs: the adjoints of the last line are plain products
    g = tapeless.grad(penalised, wrt=("w", "decay"))
    last = g.source.split("# return")[1].split("#")[0]
    assert "unbroadcast" not in last, g.source
    rng = np.random.default_rng(3)
    w, x = rng.standard_normal(3), rng.standard_normal((4, 3))
    from tapeless.testing import check_grads
    for decay in (0.1, np.float64(0.1), np.array(0.1)):
        check_grads(penalised, [w, x, decay], wrt=("w", "decay"), modes=("rev", "fwd"), order=2)
    # an array decay makes the output an array: refused up front, with the output's shape
    with pytest.raises(tapeless.OutputError, match=r"returns an array of shape \(2,\) \(the shape of 'decay'\)"):
        g(w, x, np.array([0.1, 0.2]))


def identity(x):
    return x


def test_no_generated_line_is_repeated_at_once():
    # the output's adjoint was seeded twice when the output is an argument itself (dx = 1.0 twice)
    assert tapeless.grad(identity).source.count("dx = 1.0") == 1
    import test_programs
    for pid, func, args, wrt, kwargs in test_programs.ENTRIES:
        for mode in ("reverse", "forward"):
            lines = [l for l in tapeless.grad(func, wrt=wrt, mode=mode).source.splitlines() if l.strip()]
            repeats = [a for a, b in zip(lines, lines[1:]) if a == b and "=" in a and "stack.pop()" not in a]
            assert not repeats, (pid, mode, repeats)
