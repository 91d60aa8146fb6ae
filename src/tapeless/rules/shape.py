"""Rules for shape changes, joins, reorderings (flip, roll, sort) and indexing reads."""

import numpy as np

from ..runtime import (array_adjoint, astype_adjoint, astype_tangent, concatenate_adjoint, diag_adjoint,
                       diagonal_adjoint, hstack_adjoint, index_adjoint, pad_adjoint, pad_refusal, pad_tangent,
                       sort_adjoint, sort_tangent, stack_adjoint, tile_adjoint, triangle_adjoint, untranspose,
                       untranspose_tangent, vstack_adjoint)
from .registry import check_constant, forward_rule, nondifferentiable, reverse_rule


@reverse_rule(np.reshape)
def reshape(ans, g, a, shape=None, order="C"):
    da = np.reshape(g, np.shape(a), order=order)


@reverse_rule(("method", "reshape"))
def reshape_method(ans, g, a, *shape, order="C"):
    da = np.reshape(g, np.shape(a), order=order)


@reverse_rule(np.ravel, ("method", "ravel"), ("method", "flatten"))
def ravel(ans, g, a, order="C"):
    da = np.reshape(g, np.shape(a), order=order)


@reverse_rule(np.squeeze, ("method", "squeeze"))
def squeeze(ans, g, a, axis=None):
    da = np.reshape(g, np.shape(a))


@reverse_rule(np.expand_dims)
def expand_dims(ans, g, a, axis):
    da = np.reshape(g, np.shape(a))


@reverse_rule(np.transpose)
def transpose(ans, g, a, axes=None):
    da = untranspose(g, axes)


@reverse_rule(("method", "transpose"))
def transpose_method(ans, g, a, *axes):
    da = untranspose(g, axes)


@reverse_rule(("attr", "T"))
def T(ans, g, a):
    da = np.transpose(g)


@reverse_rule(("subscript",))
def getitem(ans, g, a, index):
    da = index_adjoint(g, a, index)


@reverse_rule(("method", "copy"), np.copy, np.asarray)
def copy(ans, g, a):
    da = g


@reverse_rule(np.array)
def array(ans, g, a):
    da = array_adjoint(g, a)


@reverse_rule(np.concatenate)
def concatenate(ans, g, arrays, axis=0):
    darrays = concatenate_adjoint(g, arrays, axis)


@reverse_rule(np.stack)
def stack(ans, g, arrays, axis=0):
    darrays = stack_adjoint(g, arrays, axis)


@reverse_rule(np.vstack)
def vstack(ans, g, tup):
    dtup = vstack_adjoint(g, tup)


@reverse_rule(np.hstack)
def hstack(ans, g, tup):
    dtup = hstack_adjoint(g, tup)


@reverse_rule(np.swapaxes, ("method", "swapaxes"))
def swapaxes(ans, g, a, axis1, axis2):
    da = np.swapaxes(g, axis1, axis2)


@reverse_rule(np.flip)
def flip(ans, g, m, axis=None):
    dm = np.flip(g, axis)


@reverse_rule(np.roll)
def roll(ans, g, a, shift, axis=None):
    da = np.roll(g, np.negative(shift), axis)


@reverse_rule(np.tile)
def tile(ans, g, A, reps):
    dA = tile_adjoint(g, A, reps)


@reverse_rule(np.sort)
def sort(ans, g, a, axis=-1, kind=None, order=None):
    da = sort_adjoint(g, a, axis)


@reverse_rule(np.pad)
def pad(ans, g, array, pad_width, mode="constant", constant_values=0):
    darray = pad_adjoint(g, array, pad_width, mode)


@reverse_rule(("method", "astype"))
def astype(ans, g, a, dtype, order="K", casting="unsafe", subok=True, copy=True):
    da = astype_adjoint(g, a, dtype)


@reverse_rule(np.diagonal, ("method", "diagonal"))
def diagonal(ans, g, a, offset=0, axis1=0, axis2=1):
    da = diagonal_adjoint(g, a, offset, axis1, axis2)


@reverse_rule(np.diag)
def diag(ans, g, v, k=0):
    dv = diag_adjoint(g, v, k)


@reverse_rule(np.triu)
def triu(ans, g, m, k=0):
    dm = triangle_adjoint(g, m, k, True)


@reverse_rule(np.tril)
def tril(ans, g, m, k=0):
    dm = triangle_adjoint(g, m, k, False)


nondifferentiable(
    ("attr", "shape"), ("attr", "ndim"), ("attr", "size"), ("attr", "dtype"),
)


# -- forward (tangent) rules: the same shape change, applied to the tangent -----------------

@forward_rule(np.reshape)
def reshape_tangent(ans, a, shape=None, order="C"):
    dans = np.reshape(da, np.shape(ans), order=order)


@forward_rule(("method", "reshape"))
def reshape_method_tangent(ans, a, *shape, order="C"):
    dans = np.reshape(da, np.shape(ans), order=order)


@forward_rule(np.ravel, ("method", "ravel"), ("method", "flatten"))
def ravel_tangent(ans, a, order="C"):
    dans = np.reshape(da, np.shape(ans), order=order)


@forward_rule(np.squeeze, ("method", "squeeze"))
def squeeze_tangent(ans, a, axis=None):
    dans = np.reshape(da, np.shape(ans))


@forward_rule(np.expand_dims)
def expand_dims_tangent(ans, a, axis):
    dans = np.reshape(da, np.shape(ans))


@forward_rule(np.transpose)
def transpose_tangent(ans, a, axes=None):
    dans = np.transpose(da, axes)


@forward_rule(("method", "transpose"))
def transpose_method_tangent(ans, a, *axes):
    dans = untranspose_tangent(da, ans, axes)


@forward_rule(("attr", "T"))
def T_tangent(ans, a):
    dans = np.transpose(da)


@forward_rule(("subscript",), shape_only=("index",))
def getitem_tangent(ans, a, index):
    dans = da[index]


@forward_rule(("method", "copy"), np.copy, np.asarray)
def copy_tangent(ans, a):
    dans = da


@forward_rule(np.array)
def array_tangent(ans, a):
    dans = np.array(da)


@forward_rule(np.concatenate)
def concatenate_tangent(ans, arrays, axis=0):
    dans = np.concatenate(darrays, axis)


@forward_rule(np.stack)
def stack_tangent(ans, arrays, axis=0):
    dans = np.stack(darrays, axis)


@forward_rule(np.vstack)
def vstack_tangent(ans, tup):
    dans = np.vstack(dtup)


@forward_rule(np.hstack)
def hstack_tangent(ans, tup):
    dans = np.hstack(dtup)


@forward_rule(np.swapaxes, ("method", "swapaxes"))
def swapaxes_tangent(ans, a, axis1, axis2):
    dans = np.swapaxes(da, axis1, axis2)


@forward_rule(np.flip)
def flip_tangent(ans, m, axis=None):
    dans = np.flip(dm, axis)


@forward_rule(np.roll)
def roll_tangent(ans, a, shift, axis=None):
    dans = np.roll(da, shift, axis)


@forward_rule(np.tile)
def tile_tangent(ans, A, reps):
    dans = np.tile(dA, reps)


@forward_rule(np.sort)
def sort_tangent_rule(ans, a, axis=-1, kind=None, order=None):
    dans = sort_tangent(da, a, axis)


@forward_rule(np.pad)
def pad_tangent_rule(ans, array, pad_width, mode="constant", constant_values=0):
    dans = pad_tangent(darray, pad_width, mode)


@forward_rule(("method", "astype"))
def astype_tangent_rule(ans, a, dtype, order="K", casting="unsafe", subok=True, copy=True):
    dans = astype_tangent(da, ans, dtype)



@forward_rule(np.diagonal, ("method", "diagonal"))
def diagonal_tangent(ans, a, offset=0, axis1=0, axis2=1):
    dans = np.diagonal(da, offset, axis1, axis2)


@forward_rule(np.diag)
def diag_tangent(ans, v, k=0):
    dans = np.diag(dv, k)


@forward_rule(np.triu)
def triu_tangent(ans, m, k=0):
    dans = np.triu(dm, k)


@forward_rule(np.tril)
def tril_tangent(ans, m, k=0):
    dans = np.tril(dm, k)

# a literal padding mode the rules do not handle is refused where the call is
check_constant(np.pad, 2, "mode", pad_refusal)
