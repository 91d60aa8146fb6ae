"""Helpers that generated gradient code calls at run time.

This module imports nothing from the compiler: it is the small library that generated code
needs besides NumPy, and each helper is cheap when shapes already agree.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ArgumentError, OutputError, UnsupportedSyntax

__all__ = [
    "stop_gradient", "fresh_tape", "Shape", "shape_of", "unbroadcast", "zeros_like", "expand_reduced", "index_adjoint", "dot_lhs", "dot_rhs",
    "prod_adjoint", "extremum_adjoint", "norm_adjoint", "untranspose", "make_seed", "like_argument",
]


def stop_gradient(x):
    """``x`` itself; but no derivative flows through it (tapeless treats it as a constant)."""
    return x


def fresh_tape(tape):
    """A copy of a tape whose lists (the saved stacks) can be popped again, arrays shared."""
    if isinstance(tape, list):
        return [fresh_tape(t) for t in tape]
    if isinstance(tape, tuple):
        return tuple(fresh_tape(t) for t in tape)
    return tape


class Shape(tuple):
    """The shape of an array, kept for the backward sweep instead of the array itself."""

    __slots__ = ()


def shape_of(x):
    """What ``unbroadcast`` needs of ``x``: its :class:`Shape` if it is an array, else ``x``
    (a number is as small as its shape)."""
    return Shape(x.shape) if type(x) is np.ndarray else x


shape_of.tapeless_nondifferentiable = True


def unbroadcast(d, x):
    """Sum ``d`` over the axes along which ``x`` was broadcast, so it takes ``x``'s shape
    (``x`` may be the :class:`Shape` of the array, see :func:`shape_of`)."""
    if type(x) is float:  # a Python float: the sum of everything, as a float
        if type(d) is float:
            return d
        return float(d.sum() if type(d) is np.ndarray else np.sum(d))  # the method: no dispatch
    xshape = x if type(x) is Shape else x.shape if type(x) is np.ndarray else np.shape(x)
    dshape = d.shape if type(d) is np.ndarray else np.shape(d)
    if dshape == xshape:
        return d
    d = np.asarray(d)
    lead = len(dshape) - len(xshape)
    if lead > 0:  # the leading axes that broadcasting added (the method: np.sum's dispatch is slow)
        d = d.sum(axis=0 if lead == 1 else tuple(range(lead)))
    if 1 in xshape:  # the axes where x has length 1
        axes = tuple(i for i, n in enumerate(xshape) if n == 1 and d.shape[i] != 1)
        if axes:
            d = d.sum(axis=axes, keepdims=True)
    if d.shape != xshape:
        d = d.reshape(xshape)
    return d if type(x) is Shape or type(x) is np.ndarray else _like(d, x)


def _like(d, x):
    """``d`` as a Python float when ``x`` is a Python scalar, else as is."""
    if isinstance(x, (float, int)) and not isinstance(x, np.generic):
        return float(d)
    return d


def zeros_like(x):
    """A zero adjoint for ``x``: ``0.0`` for a Python number, else a zero array of its shape
    (for a list or tuple, such as a saved stack, the same structure of zeros)."""
    if isinstance(x, (float, int)) and not isinstance(x, np.generic):
        return 0.0
    if isinstance(x, (list, tuple)):
        return type(x)(zeros_like(e) for e in x)
    if x is None or isinstance(x, (str, bytes)):
        return None if x is None else 0.0  # not a number: the output check will say so
    if isinstance(x, np.generic):  # a NumPy scalar: a zero of its type, not a 0-d array
        return np.result_type(x, np.float16).type(0)
    return np.zeros_like(x, dtype=np.result_type(x, np.float16))


def expand_reduced(g, x, axis=None, keepdims=False):
    """Broadcast the adjoint ``g`` of a reduction of ``x`` back to ``x``'s shape (a new array)."""
    if type(x) is list or type(x) is tuple:  # np.sum([a, b]): the array NumPy made of it
        x = np.asarray(x)
    shape = x.shape if type(x) is np.ndarray else np.shape(x)
    if shape == ():
        return _like(g, x)
    if axis is None:
        if type(g) is float and type(x) is np.ndarray and x.dtype.kind == "f":
            return np.full(shape, g, dtype=x.dtype)  # the common case, without np.result_type
        return np.full(shape, g, dtype=np.result_type(g, x, np.float16))
    if not keepdims:
        g = np.expand_dims(g, axis)
    out = np.empty(shape, dtype=np.result_type(g, x, np.float16))
    out[...] = g
    return out


def power_base_adjoint(g, a, b):
    """Adjoint of ``a`` in ``a ** b``: ``g * b * a ** (b - 1)``, and 0 where ``b == 0``."""
    if np.ndim(b) == 0 and np.ndim(a) == 0:
        return g * b * a ** (b - 1) if b != 0 else 0.0 * g
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, 0.0, g * b * np.power(a, b - 1.0))


def power_base_curvature(g, a, b, da):
    """How ``power_base_adjoint(g, a, b)`` changes along ``da``: ``g b (b-1) a**(b-2) da``, and 0
    where ``b`` is 0 or 1 (the first derivative is constant there)."""
    if np.ndim(b) == 0 and np.ndim(a) == 0:
        return g * b * (b - 1) * a ** (b - 2) * da if b * (b - 1) != 0 else 0.0 * g * da
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b * (b - 1) == 0, 0.0, g * b * (b - 1) * np.power(a, b - 2.0) * da)


def power_base_exponent_tangent(g, a, b, db):
    """How ``power_base_adjoint(g, a, b)`` changes along ``db``: ``g db a**(b-1) (1 + b log a)``,
    0 where ``a == 0``."""
    if np.ndim(b) == 0 and np.ndim(a) == 0 and np.ndim(db) == 0:
        return g * db * a ** (b - 1) * (1 + b * np.log(a)) if a != 0 else 0.0 * g * db
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(a == 0, 1.0, a)
        return np.where(a == 0, 0.0, g * db * np.power(safe, b - 1.0) * (1 + b * np.log(safe)))


def power_exponent_adjoint(g, ans, a):
    """Adjoint of ``b`` in ``a ** b``: ``g * a ** b * log(a)``, and 0 where ``a == 0``."""
    if np.ndim(a) == 0 and np.ndim(ans) == 0:
        return g * ans * np.log(a) if a != 0 else 0.0 * g
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a == 0, 0.0, g * ans * np.log(np.where(a == 0, 1.0, a)))


def _reduced_count(x, axis):
    shape = x.shape if type(x) is np.ndarray else np.shape(x)
    if axis is None:
        return math.prod(shape)
    axes = axis if isinstance(axis, tuple) else (axis,)
    return math.prod(shape[a] for a in axes)


def mean_adjoint(g, x, axis=None, keepdims=False):
    """Adjoint of ``np.mean(x, axis, keepdims)``."""
    return expand_reduced(g / _reduced_count(x, axis), x, axis, keepdims)


def var_adjoint(g, x, axis=None, ddof=0, keepdims=False):
    """Adjoint of ``np.var(x, axis, ddof=ddof, keepdims=keepdims)``."""
    x = np.asarray(x)
    centered = x - np.mean(x, axis=axis, keepdims=True)
    return expand_reduced(g, x, axis, keepdims) * 2.0 * centered / (_reduced_count(x, axis) - ddof)


def std_adjoint(g, x, ans, axis=None, ddof=0, keepdims=False):
    """Adjoint of ``np.std``: the adjoint of the variance, divided by twice the deviation."""
    if not keepdims and axis is not None:
        ans = np.expand_dims(ans, axis)
    return var_adjoint(g, x, axis, ddof, keepdims) / (2.0 * ans)


def cumsum_adjoint(g, x, axis=None):
    """Adjoint of ``np.cumsum``: a reversed cumulative sum."""
    if axis is None:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(x))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def concatenate_adjoint(g, arrays, axis=0):
    """Adjoints of the arrays of ``np.concatenate(arrays, axis)``: ``g`` cut back into pieces."""
    if axis is None:
        sizes = [np.size(a) for a in arrays]
        pieces = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
        return tuple(np.reshape(piece, np.shape(a)) for piece, a in zip(pieces, arrays))
    sizes = [np.shape(a)[axis] for a in arrays]
    return tuple(np.split(g, np.cumsum(sizes)[:-1], axis=axis))


def stack_adjoint(g, arrays, axis=0):
    """Adjoints of the arrays of ``np.stack(arrays, axis)`` (and ``np.array([...])``): the slices."""
    return tuple(_like(piece, a) for piece, a in zip(np.moveaxis(g, axis, 0), arrays))


def vstack_adjoint(g, arrays):
    """Adjoints of the arrays of ``np.vstack(arrays)``: ``g`` cut back into rows, each in its
    array's shape (a 1-D array or a number was one row)."""
    pieces = concatenate_adjoint(g, [np.atleast_2d(a) for a in arrays], 0)
    return tuple(_like(np.reshape(piece, np.shape(a)), a) for piece, a in zip(pieces, arrays))


def hstack_adjoint(g, arrays):
    """Adjoints of the arrays of ``np.hstack(arrays)``: ``g`` cut back along the axis it joined
    (the first for 1-D arrays and numbers, else the second)."""
    parts = [np.atleast_1d(a) for a in arrays]
    pieces = concatenate_adjoint(g, parts, 0 if parts[0].ndim == 1 else 1)
    return tuple(_like(np.reshape(piece, np.shape(a)), a) for piece, a in zip(pieces, arrays))


def tile_adjoint(g, a, reps):
    """Adjoint of ``np.tile(a, reps)``: the tiles of ``g`` summed, in ``a``'s shape."""
    reps = tuple(reps) if np.iterable(reps) else (reps,)
    shape = np.shape(a)
    d = max(len(reps), len(shape))
    shape_full, reps_full = (1,) * (d - len(shape)) + shape, (1,) * (d - len(reps)) + reps
    tiles = np.reshape(g, [n for pair in zip(reps_full, shape_full) for n in pair])
    return _like(np.reshape(tiles.sum(axis=tuple(range(0, 2 * d, 2))), shape), a)


def diff_adjoint(g, n=1, axis=-1):
    """Adjoint of ``np.diff(a, n, axis)``: each difference ``a[i + 1] - a[i]`` sends its adjoint
    to ``a[i + 1]`` and its negative to ``a[i]``; ``n`` times."""
    for _ in range(n):
        zero = np.zeros_like(np.take(g, [0], axis=axis))
        g = np.concatenate([zero, g], axis) - np.concatenate([g, zero], axis)
    return g


def _solve(a, b, vector):
    """``np.linalg.solve`` with ``b`` a vector (a stack of vectors) when ``vector``, else a
    matrix (a stack of matrices)."""
    if vector:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def solve_rhs_adjoint(g, a, b):
    """The adjoint of ``b`` in ``x = np.linalg.solve(a, b)``: ``solve(a^T, g)``."""
    return _solve(np.swapaxes(a, -1, -2), g, np.ndim(b) == 1)


def solve_outer(u, x, b):
    """``-u x^T``: an outer product for each vector ``x`` when ``b`` is a vector."""
    if np.ndim(b) == 1:
        return -(u[..., :, None] * x[..., None, :])
    return -(u @ np.swapaxes(x, -1, -2))


def solve_lhs_adjoint(g, a, b, x):
    """The adjoint of ``a`` in ``x = np.linalg.solve(a, b)``: ``-db x^T``."""
    return solve_outer(solve_rhs_adjoint(g, a, b), x, b)


def solve_lhs_tangent(a, da, b, x):
    """The part of the tangent of ``x = np.linalg.solve(a, b)`` that comes from ``a``'s:
    ``-solve(a, da x)``."""
    vector = np.ndim(b) == 1
    return -_solve(a, (da @ x[..., None])[..., 0] if vector else da @ x, vector)


def solve_rhs_tangent(a, db, b):
    """The part of the tangent of ``x = np.linalg.solve(a, b)`` that comes from ``b``'s:
    ``solve(a, db)``."""
    return _solve(a, db, np.ndim(b) == 1)


def pad_refusal(mode):
    """Why ``np.pad(..., mode=mode)`` is not differentiated, or None."""
    if mode != "constant":
        return (f"np.pad(..., mode={mode!r}) is not differentiated: tapeless differentiates constant "
                "padding (the default mode); build other paddings with np.concatenate")
    return None


def pad_adjoint(g, a, pad_width, mode="constant"):
    """Adjoint of ``np.pad(a, pad_width)`` (constant padding): the middle of ``g``."""
    if pad_refusal(mode):
        raise UnsupportedSyntax(pad_refusal(mode))
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (np.ndim(a), 2))
    middle = tuple(slice(lo, n - hi) for (lo, hi), n in zip(widths, np.shape(g)))
    return np.array(g[middle])


def pad_tangent(d, pad_width, mode="constant"):
    """Tangent of ``np.pad(a, pad_width)`` (constant padding): the tangent padded with zeros."""
    if mode != "constant":
        pad_adjoint(d, d, pad_width, mode)  # the same refusal
    return np.pad(d, pad_width)


def astype_adjoint(g, a, dtype):
    """Adjoint of ``a.astype(dtype)``: ``g`` in ``a``'s dtype for a floating-point ``dtype``;
    a cast to integers or booleans is piecewise constant (like ``np.floor``): zero."""
    if np.issubdtype(np.dtype(dtype), np.floating):
        return np.asarray(g, dtype=np.result_type(a))
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        raise UnsupportedSyntax(f"a cast to {np.dtype(dtype)} is not differentiated: tapeless differentiates real values")
    return np.zeros(np.shape(a))


def astype_tangent(d, ans, dtype):
    """Tangent of ``a.astype(dtype)`` (``ans``): the tangent cast the same way, or zero."""
    if np.issubdtype(np.dtype(dtype), np.floating):
        return np.asarray(d, dtype=np.dtype(dtype))
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        astype_adjoint(d, d, dtype)  # the same refusal
    return np.zeros(np.shape(ans))


def diagonal_adjoint(g, a, offset=0, axis1=0, axis2=1):
    """Adjoint of ``np.diagonal(a, offset, axis1, axis2)``: ``g`` written on that diagonal of
    zeros of ``a``'s shape."""
    out = np.zeros(np.shape(a))
    planes = np.moveaxis(out, (axis1, axis2), (-2, -1))  # a view: writing it writes out
    n = np.shape(g)[-1]
    planes[..., np.arange(n) + max(0, -offset), np.arange(n) + max(0, offset)] = g
    return out


def diag_adjoint(g, v, k=0):
    """Adjoint of ``np.diag(v, k)``: the ``k``-th diagonal of ``g`` for a vector ``v`` (which
    ``np.diag`` put there), or ``g`` placed on it for a matrix ``v`` (from which it was read)."""
    if np.ndim(v) == 1:
        return np.array(np.diagonal(g, k))
    return diagonal_adjoint(g, v, k)


def triangle_adjoint(g, m, k=0, upper=True):
    """Adjoint of ``np.triu(m, k)`` (``upper``) or ``np.tril(m, k)``: the same triangle of ``g``,
    summed over its rows for a vector ``m`` (which those functions take as its rows repeated)."""
    part = np.triu(g, k) if upper else np.tril(g, k)
    return unbroadcast(part, m)


def trapezoid_adjoint(g, y, x=None, dx=1.0, axis=-1):
    """Adjoint of ``np.trapezoid(y, x, dx, axis)`` with respect to ``y``: each sample's weight in
    the trapezoidal sum (half an interval at the ends, two halves inside)."""
    n = np.shape(y)[axis]
    if x is None:
        steps = np.full(n - 1, float(dx))
    else:
        x = np.asarray(x, dtype=float)
        steps = np.diff(x) if x.ndim == 1 else np.moveaxis(np.diff(x, axis=axis), axis, -1)
    weights = np.zeros(np.shape(steps)[:-1] + (n,))  # the integration axis last
    weights[..., :-1] += steps / 2.0
    weights[..., 1:] += steps / 2.0
    return np.moveaxis(np.expand_dims(g, -1) * weights, -1, axis)


def trapezoid_tangent(d, x=None, dx=1.0, axis=-1):
    """Tangent of ``np.trapezoid(y, x, dx, axis)`` along ``y``'s tangent ``d`` (it is linear in
    ``y``): the same rule applied to ``d`` (``np.trapz`` before NumPy 2)."""
    rule = getattr(np, "trapezoid", None) or np.trapz
    return rule(d, x, dx, axis)


def convolve_adjoint(g, a, v, mode="full"):
    """Adjoint of ``a`` in ``np.convolve(a, v, mode)``: ``g`` placed in the full-length result,
    correlated with ``v`` (the same formula gives ``v``'s adjoint with the two swapped)."""
    a, v, g = np.asarray(a), np.asarray(v), np.asarray(g)
    full = np.zeros(a.size + v.size - 1)
    start = {"full": 0, "same": (min(a.size, v.size) - 1) // 2, "valid": min(a.size, v.size) - 1}[mode]
    full[start:start + g.size] = g
    return np.correlate(full, v, "valid")


def kron_lhs(g, a, b):
    """Adjoint of ``a`` in ``np.kron(a, b)`` (vectors, or matrices)."""
    return _kron_adjoint(g, a, b, "ikjl,kl->ij", "ik,k->i")


def kron_rhs(g, a, b):
    """Adjoint of ``b`` in ``np.kron(a, b)`` (vectors, or matrices)."""
    return _kron_adjoint(g, a, b, "ikjl,ij->kl", "ik,i->k")


def _kron_adjoint(g, a, b, matrices, vectors):
    shape_a, shape_b = np.shape(a), np.shape(b)
    other = b if matrices.endswith("ij") else a
    if len(shape_a) == len(shape_b) == 2:
        return np.einsum(matrices, np.reshape(g, (shape_a[0], shape_b[0], shape_a[1], shape_b[1])), other)
    if len(shape_a) == len(shape_b) == 1:
        return np.einsum(vectors, np.reshape(g, (shape_a[0], shape_b[0])), other)
    raise UnsupportedSyntax("np.kron is differentiated for two vectors or two matrices")


def average_adjoint(g, a, axis=None, weights=None, keepdims=False):
    """Adjoint of ``np.average(a, axis, weights)`` with constant ``weights``: ``g`` spread over
    ``a`` in proportion to the weights."""
    if weights is None:
        return mean_adjoint(g, a, axis, keepdims)
    w = np.asarray(weights, dtype=float)
    if w.shape != np.shape(a):  # one weight per position along the axis
        w = np.reshape(w, [w.size if i == axis % np.ndim(a) else 1 for i in range(np.ndim(a))])
    total = np.sum(w * np.ones(np.shape(a)), axis=axis, keepdims=True)
    return expand_reduced(g, a, axis, keepdims) * (w / total)


def sort_adjoint(g, a, axis=-1):
    """Adjoint of ``np.sort(a, axis)``: each element of ``g`` goes back to the place its value
    was sorted from."""
    if axis is None:
        out = np.zeros(np.size(a))
        out[np.argsort(a, axis=None, kind="stable")] = np.ravel(g)
        return np.reshape(out, np.shape(a))
    out = np.zeros(np.shape(g))
    np.put_along_axis(out, np.argsort(a, axis=axis, kind="stable"), g, axis=axis)
    return out


def sort_tangent(d, a, axis=-1):
    """Tangent of ``np.sort(a, axis)``: the tangent permuted as ``a`` was."""
    if axis is None:
        return np.ravel(d)[np.argsort(a, axis=None, kind="stable")]
    return np.take_along_axis(d, np.argsort(a, axis=axis, kind="stable"), axis=axis)


def einsum_refusal(subscripts):
    """Why ``np.einsum(subscripts, ...)`` is not differentiated, or None."""
    if not isinstance(subscripts, str):
        return "np.einsum(operand, sublist, ...) is not differentiated: write the subscripts as a string"
    ins = subscripts.replace(" ", "").partition("->")[0].split(",")
    if "." in subscripts or any(len(set(s)) != len(s) for s in ins):
        return (f"np.einsum({subscripts!r}, ...) is not differentiated: tapeless differentiates einsum "
                "without '...' and without an index repeated within one operand (write np.trace or "
                "np.diagonal for those)")
    return None


def _einsum_parts(subscripts, count):
    """The input and output index strings of an explicit or implicit einsum specification."""
    if einsum_refusal(subscripts):
        raise UnsupportedSyntax(einsum_refusal(subscripts))
    spec = subscripts.replace(" ", "")
    ins, arrow, out = spec.partition("->")
    ins = ins.split(",")
    if not arrow:  # implicit output: the indices that appear once, in alphabetical order
        letters = "".join(ins)
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return ins, out


def einsum_adjoint(g, subscripts, operands):
    """The adjoints of the operands of ``np.einsum(subscripts, *operands)``: for each operand,
    the einsum of ``g`` with the others, onto that operand's indices (constant along an index
    that only that operand has, which the einsum summed over)."""
    ins, out = _einsum_parts(subscripts, len(operands))
    adjoints = []
    for i, (spec, op) in enumerate(zip(ins, operands)):
        others = [(s, o) for j, (s, o) in enumerate(zip(ins, operands)) if j != i]
        present = set(out).union(*(set(s) for s, _ in others))
        kept = "".join(c for c in spec if c in present)
        adjoint = np.einsum(",".join([out] + [s for s, _ in others]) + "->" + kept, g, *[o for _, o in others])
        if kept != spec:
            alone = tuple(k for k, c in enumerate(spec) if c not in present)
            adjoint = np.expand_dims(adjoint, alone) * np.ones(np.shape(op))
        adjoints.append(_like(adjoint, op))
    return tuple(adjoints)


def einsum_tangent(subscripts, operands, tangents):
    """Tangent of ``np.einsum(subscripts, *operands)``: one einsum per operand that has a
    tangent, with the tangent in its place (a number zero is an operand without one)."""
    total = 0.0
    for j, d in enumerate(tangents):
        if not _no_tangent(d, operands[j]):
            total = total + np.einsum(subscripts, *operands[:j], d, *operands[j + 1:])
    return total


def _no_tangent(d, operand):
    return np.ndim(d) == 0 and np.ndim(operand) > 0 and not np.any(d)


def einsum_tangent_curvature(subscripts, operands, tangents, second):
    """The part of the tangent of :func:`einsum_tangent` that comes from the operands' second
    tangents (forward over forward): one einsum for each pair of different operands, one
    replaced by its tangent and the other by its second tangent."""
    total = 0.0
    for j, d in enumerate(tangents):
        for k, e in enumerate(second):
            if j == k or _no_tangent(d, operands[j]) or _no_tangent(e, operands[k]):
                continue
            ops = list(operands)
            ops[j], ops[k] = d, e
            total = total + np.einsum(subscripts, *ops)
    return total


def einsum_adjoint_jvp(g, dg, subscripts, operands, tangents):
    """The tangent of :func:`einsum_adjoint` (a tuple, one adjoint per operand), given the
    tangents ``dg`` of ``g`` and ``tangents`` of the operands. One helper for both parts, since
    two tuples added with ``+`` would be joined, not summed."""
    parts = einsum_adjoint_curvature(g, subscripts, operands, tangents)
    if np.ndim(dg) == 0 and not np.any(dg):  # no tangent of g
        return parts
    return tuple(p + a for p, a in zip(parts, einsum_adjoint(dg, subscripts, operands)))


def einsum_adjoint_curvature(g, subscripts, operands, tangents):
    """The part of the tangent of :func:`einsum_adjoint` that comes from the operands'
    tangents: each operand's adjoint is linear in every other operand."""
    total = [zeros_like(op) for op in operands]
    for j, d in enumerate(tangents):
        if _no_tangent(d, operands[j]):
            continue
        swapped = einsum_adjoint(g, subscripts, tuple(operands[:j]) + (d,) + tuple(operands[j + 1:]))
        total = [t if i == j else t + a for i, (t, a) in enumerate(zip(total, swapped))]
    return tuple(total)


def array_adjoint(g, a):
    """Adjoint of ``np.array(a)``: ``g`` itself, or its slices when ``a`` is a list of values."""
    if isinstance(a, (list, tuple)):
        return stack_adjoint(g, a)
    return g


def index_adjoint(g, x, index):
    """Adjoint of ``x[index]``: ``g`` scattered into zeros shaped like ``x``; repeats accumulate."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, x, np.float16))
    if _is_basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _is_basic_index(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(
        item is None or item is Ellipsis or isinstance(item, (int, np.integer, slice))
        and not isinstance(item, (bool, np.bool_))
        for item in items
    )


def _ndim(x):
    return x.ndim if type(x) is np.ndarray else np.ndim(x)


def dot_lhs(g, a, b):
    """Adjoint of ``a`` in ``a @ b``, for any dimensions ``np.matmul`` accepts."""
    if getattr(a, "ndim", 0) == 2 and getattr(b, "ndim", 0) == 2 and getattr(g, "ndim", 0) == 2:
        return g @ b.T  # the common case, without a call to np.ndim
    if _ndim(b) == 1:
        return g * b if _ndim(a) == 1 else np.multiply.outer(g, b)
    if _ndim(a) == 1 and _ndim(b) == 2:
        return b @ g
    if _ndim(a) == 1:  # (n,) @ (..., n, m): sum over the stacked axes
        per_matrix = np.einsum("...ik,...k->...i", b, g)
        return per_matrix.reshape(-1, np.shape(a)[0]).sum(axis=0)
    return unbroadcast(np.matmul(g, np.swapaxes(b, -1, -2)), a)


def dot_rhs(g, a, b):
    """Adjoint of ``b`` in ``a @ b``, for any dimensions ``np.matmul`` accepts."""
    if getattr(a, "ndim", 0) == 2 and getattr(b, "ndim", 0) == 2 and getattr(g, "ndim", 0) == 2:
        return a.T @ g  # the common case, without a call to np.ndim
    if _ndim(a) == 1:
        if _ndim(b) == 1:
            return g * a
        return unbroadcast(a[:, None] * np.expand_dims(g, -2), b)
    if _ndim(b) == 1 and _ndim(a) == 2:
        return a.T @ g
    if _ndim(b) == 1:  # (..., n, m) @ (m,): sum over the stacked axes
        per_matrix = np.einsum("...ik,...i->...k", a, g)
        return per_matrix.reshape(-1, np.shape(b)[0]).sum(axis=0)
    return unbroadcast(np.matmul(np.swapaxes(a, -1, -2), g), b)


def _check_dot(a, b):
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise ArgumentError("the gradient of np.dot is given for arrays of at most two dimensions; "
                            "use np.matmul or @ for stacks of matrices")


def _as_operand(v):
    """A list or tuple passed to a NumPy function, as the array NumPy made of it."""
    return np.asarray(v) if type(v) is list or type(v) is tuple else v


def npdot_lhs(g, a, b):
    """Adjoint of ``a`` in ``np.dot(a, b)``."""
    _check_dot(a, b)
    a, b = _as_operand(a), _as_operand(b)
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * b, a)
    return dot_lhs(g, a, b)


def npdot_rhs(g, a, b):
    """Adjoint of ``b`` in ``np.dot(a, b)``."""
    _check_dot(a, b)
    a, b = _as_operand(a), _as_operand(b)
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * a, b)
    return dot_rhs(g, a, b)


def prod_adjoint(g, x, axis=None, keepdims=False):
    """Adjoint of ``np.prod``: the product of the other elements, exact when some are zero."""
    original, x = x, np.asarray(x)
    if axis is None:
        flat = x.reshape(-1)
        left = np.concatenate(([1.0], np.cumprod(flat[:-1]))) if flat.size else flat
        right = np.concatenate((np.cumprod(flat[::-1][:-1])[::-1], [1.0])) if flat.size else flat
        return _like((g * left * right).reshape(x.shape), original)
    if isinstance(axis, tuple):
        raise ArgumentError("the gradient of np.prod over a tuple of axes is not supported; reduce one axis at a time")
    moved = np.moveaxis(x, axis, -1)
    ones = np.ones(moved.shape[:-1] + (1,), dtype=moved.dtype)
    left = np.concatenate((ones, np.cumprod(moved[..., :-1], axis=-1)), axis=-1)
    rev = moved[..., ::-1]
    right = np.concatenate((ones, np.cumprod(rev[..., :-1], axis=-1)), axis=-1)[..., ::-1]
    others = np.moveaxis(left * right, -1, axis)
    return expand_reduced(g, x, axis, keepdims) * others


def prod_adjoint_tangent(g, x, dx, axis=None, keepdims=False):
    """How the adjoint of ``np.prod`` changes with ``x`` along ``dx`` (for second derivatives):
    each product of the other elements changes by the sum of the other relative changes; where
    ``x`` holds zeros, by the sum over ``k`` of ``dx[k]`` times the product of the elements
    other than ``i`` and ``k`` (exact, one pass per element)."""
    x = np.asarray(x)
    if not (x == 0).any():
        others = prod_adjoint(g, x, axis, keepdims)
        relative = dx / x
        total = np.sum(relative, axis=axis, keepdims=True)
        return others * (total - relative)
    dx = np.broadcast_to(dx, x.shape)
    m, dm = (x.reshape(1, -1), dx.reshape(1, -1)) if axis is None else (
        np.moveaxis(x, axis, -1), np.moveaxis(dx, axis, -1))
    change = np.empty(m.shape, dtype=np.result_type(m, dm, np.float16))
    for i in range(m.shape[-1]):
        rest = np.delete(m, i, axis=-1)
        change[..., i] = np.sum(np.delete(dm, i, axis=-1) * _products_of_others(rest), axis=-1)
    if axis is None:
        return g * change.reshape(x.shape)
    return expand_reduced(g, x, axis, keepdims) * np.moveaxis(change, -1, axis)


def _products_of_others(m):
    """For each element along the last axis, the product of the other elements on that axis."""
    ones = np.ones(m.shape[:-1] + (1,), dtype=np.result_type(m, np.float16))
    left = np.concatenate((ones, np.cumprod(m[..., :-1], axis=-1)), axis=-1)
    right = np.concatenate((ones, np.cumprod(m[..., ::-1][..., :-1], axis=-1)), axis=-1)[..., ::-1]
    return left * right


def extremum_adjoint(g, x, ans, axis=None, keepdims=False):
    """Adjoint of ``np.max`` / ``np.min``: shared equally among the elements that tie."""
    if np.ndim(x) == 0:
        return g
    full = expand_reduced(ans, x, axis, keepdims)
    hits = (x == full)
    count = np.sum(hits, axis=axis, keepdims=True)
    return expand_reduced(g, x, axis, keepdims) * hits / count


def _check_norm(x, ord, axis):
    if ord not in (None, 2, "fro") or (ord == 2 and (np.ndim(x) != 1 and (axis is None or isinstance(axis, tuple)))):
        raise ArgumentError(f"the gradient of np.linalg.norm with ord={ord!r} is not supported; "
                            "use ord=None (the 2-norm / Frobenius norm)")


def norm_adjoint(g, x, ans, ord=None, axis=None, keepdims=False):
    """Adjoint of ``np.linalg.norm`` for the 2-norm of vectors and the Frobenius norm."""
    _check_norm(x, ord, axis)
    if not keepdims and axis is not None:
        ans = np.expand_dims(ans, axis)
        g = np.expand_dims(g, axis)
    return g * x / ans


def untranspose(g, axes=None):
    """Adjoint of ``np.transpose(x, axes)`` (and of ``x.transpose(*axes)``)."""
    if axes is not None and len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = axes[0]  # x.transpose((2, 0, 1))
    if axes is None or len(axes) == 0 or axes[0] is None:
        return np.transpose(g)
    ndim = np.ndim(g)
    return np.transpose(g, np.argsort([a % ndim for a in axes]))


def unshared(value, where):
    """Guard for ``z += c`` where ``z`` may share memory with another variable: NumPy would
    update the array in place (changing the other variable too), which tapeless does not
    model, so an array is refused; numbers, which are immutable, pass."""
    if isinstance(value, np.ndarray):
        raise UnsupportedSyntax(
            f"in-place update of an array that may share memory with another variable (a copy, a "
            f"view or an argument): {where}", hint="write the update out, e.g. z = z + c, to make a new array")


unshared.tapeless_nondifferentiable = True


_FLOAT64 = np.dtype(np.float64)


def like_argument(g, x):
    """The gradient ``g`` in the type of its argument ``x``: a Python float for a float, the
    NumPy scalar type for a NumPy scalar, the array's dtype for an array (NumPy's promotion
    with the other arguments may have given another)."""
    if type(x) is float:
        return float(g)
    if isinstance(x, np.generic):
        return type(x)(g)
    if isinstance(x, np.ndarray) and not (type(g) is np.ndarray and g.dtype == x.dtype):
        return np.asarray(g, dtype=x.dtype)
    return g


def make_seed(names, scalars=(), wrt=None, output_shape=None):
    """A checker for one gradient function: it returns the adjoint of the output (1.0) after
    checking that the output is a scalar (0-d), and its ``check_args`` checks, before the
    function runs, that the first ``wrt`` arguments (all, by default) hold real floating-point
    values (0-d for the ``scalars``, the parameters the generated code treats as scalars).

    ``output_shape``, when known, names the parameters whose shapes broadcast together give the
    output's shape: ``check_args`` then also checks that these are 0-d, which makes the output
    a scalar, and the generated code does not call ``seed``. ``check_args`` returns whether a
    gradient should be passed through :func:`like_argument` to keep its argument's type.
    """
    wrt = len(names) if wrt is None else wrt
    shaping = frozenset(output_shape or ())
    zero_d = frozenset(scalars) | shaping  # arguments that must hold 0-d values

    def check_args(*args):
        # whether a gradient may come out in another type than its argument's (NumPy promotes
        # float32 with float64, a Python float with an np.float32): not for Python floats and
        # float64 arrays, the common case
        recast = False
        for i, (name, arg) in enumerate(zip(names, args)):
            if type(arg) is float:
                continue  # the common case, quickly
            if i < wrt:
                if type(arg) is np.ndarray and arg.dtype.kind == "f" and name not in zero_d:
                    if arg.dtype is not _FLOAT64 or not arg.ndim:  # (a 0-d array's may be a NumPy scalar)
                        recast = True
                    continue
                _check_wrt(name, arg)
                recast = True
            # (a list or a string compared in a condition is fine: only an array can be both)
            if name in scalars and (i < wrt or isinstance(arg, np.ndarray)) and np.ndim(arg) != 0:
                raise ArgumentError(
                    f"{name!r} is used as a scalar (in a condition or a math function), but it is an "
                    f"array of shape {np.shape(arg)}; pass a number")
        if shaping:
            shapes = [np.shape(arg) for name, arg in zip(names, args) if name in shaping]
            if any(shapes):
                shape = np.broadcast_shapes(*shapes)
                which = " and ".join(repr(n) for n in names if n in shaping)
                raise OutputError(
                    f"the function must return a scalar to be differentiated, but with these arguments it "
                    f"returns an array of shape {shape} (the shape of {which}); reduce it first (e.g. np.sum, "
                    f"or y[0] for one element) or use a Jacobian")
        return recast

    def seed(value):
        if type(value) is float:
            return 1.0
        if not isinstance(value, (int, float, complex, np.ndarray, np.generic)) or isinstance(value, bool):
            raise OutputError(
                f"the function must return a scalar to be differentiated, but it returned "
                f"{_describe(value)}")
        if np.ndim(value) != 0 or not np.issubdtype(np.result_type(value), np.number):
            raise OutputError(
                f"the function must return a scalar to be differentiated, but it returned "
                f"{_describe(value)}; reduce it first (e.g. np.sum, or y[0] for one element) or use a Jacobian")
        return 1.0

    seed.check_args = check_args
    seed.tapeless_nondifferentiable = check_args.tapeless_nondifferentiable = True
    return seed


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None (is a return statement missing?)"
    return f"a value of type {type(value).__name__}"


def _check_wrt(name, arg):
    if isinstance(arg, (bool, np.bool_)) or (isinstance(arg, np.ndarray) and arg.dtype == bool):
        raise ArgumentError(f"cannot differentiate with respect to {name!r}: it is a boolean")
    if isinstance(arg, (int, np.integer)) or (isinstance(arg, np.ndarray) and np.issubdtype(arg.dtype, np.integer)):
        raise ArgumentError(
            f"cannot differentiate with respect to {name!r}: it holds integers; pass floats, "
            f"e.g. {name}=float(...) or np.asarray(..., dtype=float)")
    if isinstance(arg, (complex, np.complexfloating)) or (
            isinstance(arg, np.ndarray) and np.issubdtype(arg.dtype, np.complexfloating)):
        raise ArgumentError(f"cannot differentiate with respect to {name!r}: complex values are not supported")
    if not isinstance(arg, (float, np.floating, np.ndarray)):
        raise ArgumentError(
            f"cannot differentiate with respect to {name!r}: it is a {type(arg).__name__}, "
            "not a float or a NumPy array of floats")
    if isinstance(arg, np.ndarray) and not np.issubdtype(arg.dtype, np.floating):
        raise ArgumentError(
            f"cannot differentiate with respect to {name!r}: its dtype is {arg.dtype}, not a floating type")


# -- forward mode ------------------------------------------------------------------------

def lift(d, ans):
    """The tangent ``d`` broadcast to the shape of the result ``ans`` (a view when it grows)."""
    shape = np.shape(ans)
    if np.shape(d) == shape:
        return d
    return np.broadcast_to(d, shape)


def extremum_tangent(d, x, ans, axis=None, keepdims=False):
    """Tangent of ``np.max`` / ``np.min``: the tangent of the extreme elements (ties: their mean)."""
    if np.ndim(x) == 0:
        return d
    full = expand_reduced(ans, x, axis, keepdims)
    hits = (x == full)
    return np.sum(np.broadcast_to(d, np.shape(x)) * hits, axis=axis, keepdims=keepdims) / np.sum(
        hits, axis=axis, keepdims=keepdims)


def prod_tangent(d, x, axis=None, keepdims=False):
    """Tangent of ``np.prod``: the sum of each tangent times the product of the other elements."""
    others = prod_adjoint(1.0, x, axis, True if axis is not None else False)
    return np.sum(np.broadcast_to(d, np.shape(x)) * others, axis=axis, keepdims=keepdims)


def norm_tangent(d, x, ans, ord=None, axis=None, keepdims=False):
    """Tangent of ``np.linalg.norm`` (2-norm of vectors, Frobenius norm)."""
    _check_norm(x, ord, axis)
    return np.sum(x * d, axis=axis, keepdims=keepdims) / ans


def var_tangent(d, x, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.var``."""
    x = np.asarray(x)
    centered = x - np.mean(x, axis=axis, keepdims=True)
    return 2.0 * np.sum(centered * d, axis=axis, keepdims=keepdims) / (_reduced_count(x, axis) - ddof)


def untranspose_tangent(d, ans, axes):
    """Tangent of a transpose: the same transpose of the tangent (``axes`` as the call gave them)."""
    if axes is not None and len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = axes[0]
    if axes is None or len(axes) == 0 or axes[0] is None:
        return np.transpose(d)
    return np.transpose(d, axes)


# Positions in which each helper is linear: a zero tangent there makes the whole term zero
# (forward mode folds such terms away).
_LINEAR_IN = {
    lift: (0,), extremum_tangent: (0,), prod_tangent: (0,), norm_tangent: (0, 1), var_tangent: (0, 1),
    untranspose_tangent: (0,), power_base_adjoint: (0,), power_exponent_adjoint: (0,), unbroadcast: (0,),
    expand_reduced: (0,), mean_adjoint: (0,), index_adjoint: (0,), dot_lhs: (0, 2), dot_rhs: (0, 1),
    npdot_lhs: (0, 2), npdot_rhs: (0, 1), untranspose: (0,), cumsum_adjoint: (0,), var_adjoint: (0, 1),
    std_adjoint: (0, 1), extremum_adjoint: (0,), prod_adjoint: (0,), norm_adjoint: (0, 1),
    prod_adjoint_tangent: (0, 2), power_base_curvature: (0, 3), power_base_exponent_tangent: (0, 3),
    concatenate_adjoint: (0,), stack_adjoint: (0,), array_adjoint: (0,), vstack_adjoint: (0,),
    hstack_adjoint: (0,), tile_adjoint: (0,), diff_adjoint: (0,), solve_rhs_adjoint: (0,), solve_outer: (0, 1),
    solve_lhs_adjoint: (0, 3), solve_lhs_tangent: (1, 3), solve_rhs_tangent: (1,), sort_adjoint: (0,),
    sort_tangent: (0,), einsum_adjoint: (0,), einsum_tangent: (2,), einsum_adjoint_curvature: (0, 3),
    pad_adjoint: (0,), pad_tangent: (0,), astype_adjoint: (0,), astype_tangent: (0,),
    einsum_tangent_curvature: (2, 3), diagonal_adjoint: (0,), diag_adjoint: (0,), trapezoid_adjoint: (0,),
    trapezoid_tangent: (0,), triangle_adjoint: (0,), convolve_adjoint: (0, 2), kron_lhs: (0, 2), kron_rhs: (0, 1), average_adjoint: (0,),
}
for _helper, _positions in _LINEAR_IN.items():
    _helper.linear_in = _positions
del _helper, _positions
