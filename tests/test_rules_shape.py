"""One line per shape rule and indexing form (src/tapeless/rules/shape.py, runtime.index_adjoint):
reshape, ravel, squeeze, expand_dims, transpose, .T, copies, and x[...] reads."""

import numpy as np
import pytest

import tapeless
from tapeless.rules import registry
from tapeless.testing import check_grads

rng = np.random.default_rng(3)
X = rng.normal(size=(3, 4))
V = rng.normal(size=(6,))
T = rng.normal(size=(2, 3, 4))
S = rng.normal(size=(3, 1, 4))
W = rng.normal(size=(3, 4))
W26 = rng.normal(size=(2, 6))
W12 = rng.normal(size=(12,))
W43 = rng.normal(size=(4, 3))
W423 = rng.normal(size=(4, 2, 3))
W314 = rng.normal(size=(3, 1, 4))
W6 = rng.normal(size=(6,))
W64 = rng.normal(size=(6, 4))
IDX = np.array([0, 2, 0, 1, 2, 2])          # repeated indices: their gradients accumulate
MASK = rng.random((3, 4)) < 0.5
ROWS = np.array([True, False, True])


# --- shape changes ----------------------------------------------------------------------
def f_reshape(x): return np.sum(np.reshape(x, (2, 6)) * W26)
def f_reshape_kw(x): return np.sum(np.reshape(x, shape=(2, 6)) * W26)
def f_reshape_flat(x): return np.sum(np.reshape(x, -1) * W12)
def f_reshape_method(x): return np.sum(x.reshape(2, 6) * W26)
def f_reshape_method_tuple(x): return np.sum(x.reshape((2, 6)) * W26)
def f_reshape_method_infer(x): return np.sum(x.reshape(2, -1) * W26)
def f_reshape_order_f(x): return np.sum(x.reshape(2, 6, order="F") * W26)
def f_np_reshape_order_f(x): return np.sum(np.reshape(x, (2, 6), order="F") * W26)
def f_ravel(x): return np.sum(np.ravel(x) * W12)
def f_ravel_method(x): return np.sum(x.ravel() * W12)
def f_ravel_order_f(x): return np.sum(np.ravel(x, order="F") * W12)
def f_flatten(x): return np.sum(x.flatten() * W12)
def f_flatten_order_f(x): return np.sum(x.flatten(order="F") * W12)
def f_squeeze(x): return np.sum(np.squeeze(x) * W)
def f_squeeze_axis(x): return np.sum(np.squeeze(x, axis=1) * W)
def f_squeeze_method(x): return np.sum(x.squeeze() * W)
def f_expand_dims(x): return np.sum(np.expand_dims(x, 1) * W314)
def f_expand_dims_axes(x): return np.sum(np.expand_dims(x, axis=(0, 2)) * W[None, :, None, :])
def f_transpose(x): return np.sum(np.transpose(x) * W43)
def f_transpose_axes(x): return np.sum(np.transpose(x, (2, 0, 1)) * W423)
def f_transpose_axes_kw(x): return np.sum(np.transpose(x, axes=(2, 0, 1)) * W423)
def f_transpose_neg_axes(x): return np.sum(np.transpose(x, (-1, 0, 1)) * W423)
def f_transpose_method(x): return np.sum(x.transpose() * W43)
def f_transpose_method_args(x): return np.sum(x.transpose(2, 0, 1) * W423)
def f_transpose_method_tuple(x): return np.sum(x.transpose((2, 0, 1)) * W423)
def f_transpose_method_neg(x): return np.sum(x.transpose(-1, 0, 1) * W423)
def f_T(x): return np.sum(x.T * W43)
def f_T_of_expression(x): return np.sum((x * 2.0).T * W43)
def f_T_of_call(x): return np.sum(np.sin(x).T * W43)
def f_T_T(x): return np.sum(x.T.T * W)
def f_copy_method(x): return np.sum(x.copy() * W)
def f_np_copy(x): return np.sum(np.copy(x) * W)
def f_asarray(x): return np.sum(np.asarray(x) * W)
def f_array(x): return np.sum(np.array(x) * W)
def f_array_of_values(x, y): return np.sum(np.array([x, y * 2.0, np.sin(x)]) * W[:, 0])   # x, y floats
def f_array_of_rows(x): return np.sum(np.array([x[0], x[2] * 3.0]) * W[:2])
def f_concatenate(x, y): return np.sum(np.concatenate([x, y * 2.0]) * np.arange(5.0).reshape(5, 1))
def f_concatenate_axis1(x): return np.sum(np.concatenate([x, np.sin(x)], axis=1) * np.arange(8.0))
def f_concatenate_flat(x): return np.sum(np.concatenate([x, x ** 2], axis=None) * np.arange(24.0))
def f_stack(x, y): return np.sum(np.stack([x, y, x * y]) * np.arange(3.0).reshape(3, 1, 1))
def f_stack_axis(x): return np.sum(np.stack([x, np.cos(x)], axis=-1) * np.arange(2.0))


def f_T_named(x):
    y = np.sin(x)
    return np.sum(y.T * W43)


# --- indexing ---------------------------------------------------------------------------
def i_int(x): return np.sum(x[1] * W[0])
def i_neg(x): return x[-1] * 3.0 + x[0]
def i_two_ints(x): return x[2, 1] * 2.0 + x[-1, -1]
def i_chained(x): return np.sum(x[0][1:] * W[0, 1:])
def i_slice(x): return np.sum(x[1:3] * W[:2])
def i_step(x): return np.sum(x[::2] * W6[:3])
def i_neg_step(x): return np.sum(x[::-2] * W6[:3])
def i_slice_2d(x): return np.sum(x[:, 1::2] * W[:, :2])
def i_none(x): return np.sum(x[None] * W)
def i_none_mid(x): return np.sum(x[:, None, 2] * W[:, :1])
def i_ellipsis(x): return np.sum(x[..., 1] * W[:2, :3])
def i_ellipsis_none(x): return np.sum(x[..., None] * W[:, :, None])
def i_tuple_mix(x): return np.sum(x[1, ..., ::2] * W[:, :2])
def i_variable_slice(x, k): return np.sum(x[k:k + 2] * W[:2])
def i_int_array(x): return np.sum(x[IDX] * W64)
def i_int_list(x): return np.sum(x[[0, 0, 2]] * W[:3])
def i_int_array_cols(x): return np.sum(x[:, IDX] * W64.T[:3])
def i_int_array_int(x): return np.sum(x[IDX, 1] * W6)
def i_two_int_arrays(x): return np.sum(x[IDX, IDX % 4] * W6)
def i_int_array_2d(x): return np.sum(x[np.array([[0, 1], [1, 1]])] * 2.0)
def i_mask(x): return np.sum(x[MASK] * 2.0)
def i_mask_rows(x): return np.sum(x[ROWS] * W[:2])
def i_mask_list(x): return np.sum(x[:, [True, False, True, False]] * W[:, :2])
def i_mask_inline(x): return np.sum(x[x > 0.0] * 2.0)


def i_mask_named(x):
    m = x > 0.0
    return np.sum(x[m] * 2.0)


def i_argsort_named(x):
    order = np.argsort(x)
    return np.sum(x[order] * W6)


def i_argsort_inline(x): return np.sum(x[np.argsort(x)] * W6)



# --- joining, reordering and repeating ----------------------------------------------------
def f_vstack_rows(x, y): return np.sum(np.vstack([x, y * 2.0]) * np.arange(12.0).reshape(2, 6))
def f_vstack_matrices(x): return np.sum(np.vstack([x, np.sin(x)]) * np.arange(24.0).reshape(6, 4))
def f_hstack_vectors(x, y): return np.sum(np.hstack([x, y ** 2]) * np.arange(12.0))
def f_hstack_matrices(x): return np.sum(np.hstack([x, x[:, :2] * 3.0]) * np.arange(18.0).reshape(3, 6))
def f_swapaxes(x): return np.sum(np.swapaxes(x, 0, 2) * np.arange(24.0).reshape(4, 3, 2))
def f_swapaxes_method(x): return np.sum(x.swapaxes(-1, -2) * W43)
def f_flip(x): return np.sum(np.flip(x) * W)
def f_flip_axis(x): return np.sum(np.flip(x, axis=0) * W)
def f_roll(x): return np.sum(np.roll(x, 2) * W6)
def f_roll_flat(x): return np.sum(np.roll(x, -5) * W)
def f_roll_axes(x): return np.sum(np.roll(x, (1, -1), axis=(0, 1)) * W)
def f_tile(x): return np.sum(np.tile(x, 2) * W12)
def f_tile_more_reps(x): return np.sum(np.tile(x, (2, 1, 3)) * np.arange(72.0).reshape(2, 3, 12) / 10.0)
def f_tile_fewer_reps(x): return np.sum(np.tile(x, 2) * np.arange(24.0).reshape(3, 8))



def f_sort(x): return np.sum(np.sort(x) * W6)
def f_sort_axis0(x): return np.sum(np.sort(x, axis=0) * W)
def f_sort_flat(x): return np.sum(np.sort(x, axis=None) * W12)



def f_pad(x): return np.sum(np.pad(x, 1) ** 2 * np.arange(30.0).reshape(5, 6))
def f_pad_widths(x): return np.sum(np.pad(np.sin(x), ((0, 2), (1, 0)), constant_values=1.5) * np.arange(25.0).reshape(5, 5))
def f_astype_float(x): return np.sum(x.astype(np.float64) ** 2 * W)
def f_astype_int(x): return np.sum(x.astype(int) * x * W)   # the cast itself is piecewise constant



def f_diagonal(x): return np.sum(np.diagonal(x) * W[0, :3])
def f_diagonal_offset(x): return np.sum(np.diagonal(x, 1) * W[0, :3])
def f_diagonal_axes(x): return np.sum(np.diagonal(x, -1, 2, 1) * W[:2, :3])   # of a 2x3x4 array
def f_diagonal_method(x): return np.sum(x.diagonal(1) * W[0, :3])
def f_diag_vector(x): return np.sum(np.diag(x, 1) * np.arange(49.0).reshape(7, 7))
def f_diag_matrix(x): return np.sum(np.diag(x, -1) * W[0, :2])
def f_triu(x): return np.sum(np.triu(x) * W)
def f_tril(x): return np.sum(np.tril(x, -1) ** 2 * W)
def f_triu_k(x): return np.sum(np.triu(np.sin(x), 2) * W)
def f_triu_vector(x): return np.sum(np.triu(x) * np.arange(36.0).reshape(6, 6))   # rows of x: 6x6
def f_tril_vector(x): return np.sum(np.tril(x ** 2, 1) * np.arange(36.0).reshape(6, 6))


def case(key, f, *args, wrt=0, marks=()):
    return pytest.param(key, f, args, wrt, id=f"{registry.display_name(key)}-{f.__name__}", marks=marks)


# "regression": the case failed before commit 4324aa0 (wrong gradient, crash or refusal).
CASES = [
    case(np.diagonal, f_diagonal, X),
    case(np.diagonal, f_diagonal_offset, X),
    case(np.diagonal, f_diagonal_axes, T),
    case(("method", "diagonal"), f_diagonal_method, X),
    case(np.diag, f_diag_vector, V),
    case(np.diag, f_diag_matrix, X),
    case(np.triu, f_triu, X),
    case(np.tril, f_tril, X),
    case(np.triu, f_triu_k, X),
    case(np.triu, f_triu_vector, V),  # regression: a vector's gradient had the matrix's shape
    case(np.tril, f_tril_vector, V),
    case(np.pad, f_pad, X),
    case(np.pad, f_pad_widths, X),
    case(("method", "astype"), f_astype_float, X),
    case(("method", "astype"), f_astype_int, X * 3.0),
    case(np.sort, f_sort, V),
    case(np.sort, f_sort_axis0, X),
    case(np.sort, f_sort_flat, X),
    case(np.vstack, f_vstack_rows, V, W6, wrt=(0, 1)),
    case(np.vstack, f_vstack_matrices, X),
    case(np.hstack, f_hstack_vectors, V, W6, wrt=(0, 1)),
    case(np.hstack, f_hstack_matrices, X),
    case(np.swapaxes, f_swapaxes, T),
    case(("method", "swapaxes"), f_swapaxes_method, X),
    case(np.flip, f_flip, X),
    case(np.flip, f_flip_axis, X),
    case(np.roll, f_roll, V),
    case(np.roll, f_roll_flat, X),
    case(np.roll, f_roll_axes, X),
    case(np.tile, f_tile, V),
    case(np.tile, f_tile_more_reps, X),
    case(np.tile, f_tile_fewer_reps, X),
    case(np.array, f_array_of_values, 0.7, -0.3, wrt=(0, 1)),
    case(np.array, f_array_of_rows, X),
    case(np.concatenate, f_concatenate, X, X[:2] + 1.0, wrt=(0, 1)),
    case(np.concatenate, f_concatenate_axis1, X),
    case(np.concatenate, f_concatenate_flat, X),
    case(np.stack, f_stack, X, W, wrt=(0, 1)),
    case(np.stack, f_stack_axis, X),
    case(np.reshape, f_reshape, X),
    case(np.reshape, f_reshape_kw, X),
    case(np.reshape, f_reshape_flat, X),
    case(np.reshape, f_np_reshape_order_f, X),  # regression: order='F' was ignored
    case(("method", "reshape"), f_reshape_method, X),
    case(("method", "reshape"), f_reshape_method_tuple, X),
    case(("method", "reshape"), f_reshape_method_infer, X),
    case(("method", "reshape"), f_reshape_order_f, X),  # regression: order='F' was ignored
    case(np.ravel, f_ravel, X),
    case(np.ravel, f_ravel_order_f, X),  # regression: order='F' was ignored
    case(("method", "ravel"), f_ravel_method, X),
    case(("method", "flatten"), f_flatten, X),
    case(("method", "flatten"), f_flatten_order_f, X),  # regression: order='F' was ignored
    case(np.squeeze, f_squeeze, S),
    case(np.squeeze, f_squeeze_axis, S),
    case(("method", "squeeze"), f_squeeze_method, S),
    case(np.expand_dims, f_expand_dims, X),
    case(np.expand_dims, f_expand_dims_axes, X),
    case(np.transpose, f_transpose, X),
    case(np.transpose, f_transpose_axes, T),
    case(np.transpose, f_transpose_axes_kw, T),
    case(np.transpose, f_transpose_neg_axes, T),  # regression: negative axes
    case(("method", "transpose"), f_transpose_method, X),
    case(("method", "transpose"), f_transpose_method_args, T),
    case(("method", "transpose"), f_transpose_method_tuple, T),  # regression: crashed (TypeError)
    case(("method", "transpose"), f_transpose_method_neg, T),  # regression: negative axes
    case(("attr", "T"), f_T, X),
    case(("attr", "T"), f_T_named, X),
    case(("attr", "T"), f_T_of_expression, X),  # regression: .T of an expression was refused
    case(("attr", "T"), f_T_of_call, X),  # regression: .T of an expression was refused
    case(("attr", "T"), f_T_T, X),  # regression: .T of an expression was refused
    case(("method", "copy"), f_copy_method, X),
    case(np.copy, f_np_copy, X),
    case(np.asarray, f_asarray, X),
    case(np.array, f_array, X),
    # indexing
    case(("subscript",), i_int, X),
    case(("subscript",), i_neg, V),
    case(("subscript",), i_two_ints, X),
    case(("subscript",), i_chained, X),
    case(("subscript",), i_slice, X),
    case(("subscript",), i_step, V),
    case(("subscript",), i_neg_step, V),
    case(("subscript",), i_slice_2d, X),
    case(("subscript",), i_none, X),
    case(("subscript",), i_none_mid, X),
    case(("subscript",), i_ellipsis, T),
    case(("subscript",), i_ellipsis_none, X),
    case(("subscript",), i_tuple_mix, T),
    case(("subscript",), i_variable_slice, X, 1),
    case(("subscript",), i_int_array, X),
    case(("subscript",), i_int_list, X),
    case(("subscript",), i_int_array_cols, X),
    case(("subscript",), i_int_array_int, X),
    case(("subscript",), i_two_int_arrays, X),
    case(("subscript",), i_int_array_2d, X),
    case(("subscript",), i_mask, X),
    case(("subscript",), i_mask_rows, X),
    case(("subscript",), i_mask_list, X),
    case(("subscript",), i_mask_named, X),
    case(("subscript",), i_mask_inline, X),  # regression: inline index refused
    case(("subscript",), i_argsort_named, V),
    case(("subscript",), i_argsort_inline, V),  # regression: inline index refused
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_shape_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.shape"}
    assert mine - {p.values[0] for p in CASES} == set()


assert np.min(np.abs(X)) > 1e-3   # x > 0 masks are stable under the finite-difference step


# --- gradients by hand ------------------------------------------------------------------
def test_repeated_indices_accumulate():
    # x[[0, 0, 2]] reads row 0 twice: its gradient is the sum of both weight rows.
    expected = np.zeros((3, 4))
    expected[0] = W[0] + W[1]
    expected[2] = W[2]
    np.testing.assert_array_equal(tapeless.grad(i_int_list)(X), expected)


def test_repeated_index_pairs_accumulate():
    # x[IDX, IDX % 4] with IDX = [0, 2, 0, 1, 2, 2] reads (0,0) twice, (2,2) three times, (1,1)
    w = W6
    expected = np.zeros((3, 4))
    expected[0, 0] = w[0] + w[2]
    expected[2, 2] = w[1] + w[4] + w[5]
    expected[1, 1] = w[3]
    np.testing.assert_allclose(tapeless.grad(i_two_int_arrays)(X), expected, rtol=1e-15)


def test_mask_and_slices_by_hand():
    np.testing.assert_array_equal(tapeless.grad(i_mask)(X), 2.0 * MASK)
    np.testing.assert_array_equal(tapeless.grad(i_neg)(V), [1.0, 0, 0, 0, 0, 3.0])
    np.testing.assert_array_equal(tapeless.grad(i_neg_step)(V), [0, W6[2], 0, W6[1], 0, W6[0]])
    np.testing.assert_array_equal(tapeless.grad(f_T)(X), W43.T)


def test_gradient_wrt_a_python_float_next_to_an_index_read_is_a_float():
    ds = tapeless.grad(i_scalar_ops, wrt=1)(V, 0.5)
    assert isinstance(ds, float) and ds == pytest.approx(V[2] * 2 * 0.5)   # np.float64 is a float


def i_scalar_ops(x, s): return x[2] * s * s


# --- non-differentiable attributes and methods ------------------------------------------
def z_attrs(x): return np.sum(x * W) * (x.shape[0] + 10.0 * x.ndim + 100.0 * x.size) + (x.dtype == np.float64)


def z_argsort_nonzero(x):
    order = x.argsort()
    nz = (x > 0.0).nonzero()
    return np.sum(x[order] * W6) + np.sum(x[nz] * 3.0)


def test_nondifferentiable_attributes_contribute_zero():
    np.testing.assert_allclose(tapeless.grad(z_attrs)(X), W * (3 + 20 + 1200), rtol=1e-12)


def test_nondifferentiable_methods_contribute_zero():
    expected = np.empty(6)
    expected[np.argsort(V)] = W6
    expected += 3.0 * (V > 0)
    np.testing.assert_allclose(tapeless.grad(z_argsort_nonzero)(V), expected, rtol=1e-12)


def pad_edge(x): return np.sum(np.pad(x, 1, mode="edge") ** 2)
def pad_mode_in_a_variable(x, how): return np.sum(np.pad(x, 1, how) ** 2)
def pad_differentiated_fill(x, c): return np.sum(np.pad(x, 1, constant_values=c))
def to_complex(x): return np.sum(np.abs(x.astype(complex)))


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_paddings_and_casts_without_a_rule_are_refused_by_name(mode):
    edge = r"np.pad\(\.\.\., mode='edge'\) is not differentiated"
    with pytest.raises(tapeless.UnsupportedSyntax, match=edge) as info:
        tapeless.grad(pad_edge, mode=mode)  # a literal mode: refused where the call is
    assert info.value.location.lineno == pad_edge.__code__.co_firstlineno
    with pytest.raises(tapeless.UnsupportedSyntax, match=edge):
        tapeless.grad(pad_mode_in_a_variable, mode=mode)(X, "edge")  # seen when the gradient runs
    with pytest.raises(tapeless.UnsupportedSyntax, match="a cast to complex128 is not differentiated"):
        tapeless.grad(to_complex, mode=mode)(X)
    with pytest.raises(tapeless.NonDifferentiable, match="np.pad is not differentiated .*'constant_values'"):
        tapeless.grad(pad_differentiated_fill, wrt=(0, 1), mode=mode)
