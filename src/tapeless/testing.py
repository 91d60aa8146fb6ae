"""Gradient checking: compare a gradient with central finite differences in random directions.

``check_grads(f, args, wrt=...)`` is the one checker every rule and every example program goes
through. For each argument in ``wrt`` it draws random directions ``v`` and compares the
directional derivative ``<grad, v>`` with the central difference
``(f(x + h v) - f(x - h v)) / (2 h)``, in float64.
"""

from __future__ import annotations

import inspect

import numpy as np

from .api import _wrt_names, grad as _grad

__all__ = ["check_grads", "numerical_grad", "GradientMismatch"]


class GradientMismatch(AssertionError):
    """The gradient disagrees with finite differences."""


def _as_float(x):
    """``x`` in float64, keeping its kind: an array, a NumPy scalar (which has the array
    methods a function may use, like ``.sum()``) or a Python float."""
    if isinstance(x, np.ndarray):
        return x.astype(np.float64)
    return np.float64(x) if isinstance(x, np.generic) else float(x)


def _shift(x, v, h):
    if isinstance(x, np.ndarray):
        return x + h * v
    shifted = x + h * float(v)
    return np.float64(shifted) if isinstance(x, np.generic) else float(shifted)


def _directional_fd(f, args, kwargs, index, v, h):
    def at(value):
        return f(*args[:index], value, *args[index + 1:], **kwargs)
    plus = float(np.asarray(at(_shift(args[index], v, h))).reshape(()))
    minus = float(np.asarray(at(_shift(args[index], v, -h))).reshape(()))
    return (plus - minus) / (2 * h)


def numerical_grad(f, args, index=0, h=1e-6, kwargs=None):
    """The full gradient of ``f`` with respect to ``args[index]`` by central differences."""
    kwargs = kwargs or {}
    x = args[index]
    if not isinstance(x, np.ndarray):
        return _directional_fd(f, args, kwargs, index, 1.0, h)
    out = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        v = np.zeros(x.shape)
        v[i] = 1.0
        out[i] = _directional_fd(f, args, kwargs, index, v, h)
    return out


def check_grads(f, args, wrt=0, kwargs=None, *, modes=("rev", "fwd"), order=1, directions=3, h=1e-6,
                rtol=1e-6, atol=1e-8, seed=0, gradient=None):
    """Check the tapeless gradient of ``f`` at ``args`` against central finite differences.

    ``wrt`` is as for ``tapeless.grad``. For each differentiated argument, ``directions``
    random unit directions are drawn; the directional derivative from the gradient must match
    the central difference within ``atol + rtol * scale``, where ``scale`` is the size of the
    terms involved. Also checks that the gradient has its argument's shape and that the
    arguments are not modified. Raises ``GradientMismatch`` on failure and returns the
    gradient(s).

    ``order=2`` also checks second derivatives: the Hessian-vector product of forward mode
    over the generated gradient against central differences of the gradient, in random
    directions (rtol 1e-5).

    ``modes`` says which gradients to check: ``"rev"`` (reverse mode) and ``"fwd"`` (forward
    mode, one tangent pass per input element). With both, they must also agree with each other
    to about 1e-12 in random directions (the dot-product test ``<J u, 1> == <u, J^T 1>``).
    ``gradient`` (optional) is a gradient function to check instead; by default
    ``tapeless.grad``. Returns the (reverse-mode, if checked) gradient.
    """
    if order == 2:
        result = check_grads(f, args, wrt, kwargs, modes=modes, directions=directions, h=h, rtol=rtol,
                             atol=atol, seed=seed, gradient=gradient)
        _check_second_order(f, args, wrt, kwargs or {}, directions, seed)
        return result
    if order != 1:
        raise ValueError("order is 1 or 2")
    if gradient is None and len(modes) > 1:
        results = [check_grads(f, args, wrt, kwargs, modes=(m,), directions=directions, h=h, rtol=rtol,
                               atol=atol, seed=seed) for m in modes]
        _dot_product_test(f, wrt, results, seed)
        return results[0]
    if gradient is None:
        (mode,) = modes
        if mode not in ("rev", "fwd"):
            raise ValueError(f"modes are 'rev' and 'fwd', not {mode!r}")
        gradient = _grad(getattr(f, "__wrapped_function__", f), wrt,
                         mode="reverse" if mode == "rev" else "forward")
    kwargs = kwargs or {}
    func = getattr(f, "__wrapped_function__", f)
    names, single = _wrt_names(func, wrt)
    params = list(inspect.signature(func).parameters)
    args = list(args)
    grad_fn = gradient if gradient is not None else _grad(func, wrt)
    before = [np.copy(a) if isinstance(a, np.ndarray) else a for a in args + list(kwargs.values())]
    result = grad_fn(*args, **kwargs)
    for a, b in zip(args + list(kwargs.values()), before):
        if isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True):
            raise GradientMismatch("the gradient function modified one of its arguments")
    grads = (result,) if single else tuple(result)
    rng = np.random.default_rng(seed)
    for name, g in zip(names, grads):
        if name in kwargs:
            x = kwargs[name]

            def at(value, _name=name):
                return func(*args, **{**kwargs, _name: value})
        else:
            index = params.index(name)
            x = args[index]

            def at(value, _index=index):
                return func(*args[:_index], value, *args[_index + 1:], **kwargs)
        if isinstance(x, float) and not isinstance(g, float):
            raise GradientMismatch(f"gradient wrt {name!r} is a {type(g).__name__}, not a float like its argument")
        _check_direction(name, g, _as_float(x), at, h, rtol, atol, rng, directions)
    return result


def _check_direction(name, g, x, f_at, h, rtol, atol, rng, directions):
    """Compare ``<g, v>`` with the central difference of ``f_at`` along random ``v``."""
    if np.shape(g) != np.shape(x):
        raise GradientMismatch(
            f"gradient wrt {name!r} has shape {np.shape(g)}, but the argument has shape {np.shape(x)}")
    for _ in range(directions):
        v = rng.normal(size=np.shape(x))
        v = v / (np.linalg.norm(v) or 1.0)
        if not isinstance(x, np.ndarray):
            v = float(np.sign(v) or 1.0)
        exact = float(np.sum(np.asarray(g, dtype=np.float64) * v))
        plus = float(np.asarray(f_at(_shift(x, v, h))).reshape(()))
        minus = float(np.asarray(f_at(_shift(x, v, -h))).reshape(()))
        approx = (plus - minus) / (2 * h)
        scale = max(abs(exact), abs(approx), 1.0)
        if not abs(exact - approx) <= atol + rtol * scale:
            raise GradientMismatch(
                f"gradient wrt {name!r} disagrees with finite differences: directional derivative "
                f"{exact!r} from the gradient, {approx!r} from central differences (h={h})")


def _dot_product_test(f, wrt, results, seed, tol=1e-10):
    """Reverse and forward mode must give the same directional derivatives, to rounding."""
    func = getattr(f, "__wrapped_function__", f)
    _, single = _wrt_names(func, wrt)
    per_mode = [(r,) if single else tuple(r) for r in results]
    rng = np.random.default_rng(seed + 1)
    for grads in zip(*per_mode):
        u = rng.normal(size=np.shape(grads[0]))
        dots = [float(np.sum(np.asarray(g, dtype=np.float64) * u)) for g in grads]
        scale = max(1.0, *(abs(d) for d in dots))
        if max(dots) - min(dots) > tol * scale:
            raise GradientMismatch(f"reverse and forward mode disagree: <grad, u> = {dots}")


def _check_second_order(f, args, wrt, kwargs, directions, seed, h=1e-5, rtol=1e-5, atol=1e-7):
    """``H v`` from forward over reverse against central differences of the gradient."""
    from .api import _transform

    func = getattr(f, "__wrapped_function__", f)
    names, _ = _wrt_names(func, wrt)
    params = list(inspect.signature(func).parameters)
    rng = np.random.default_rng(seed + 2)
    for name in names:
        gradient = _grad(func, name)
        jvp_fn = _transform(gradient, (name,), "jvp")
        if name in kwargs:
            x = kwargs[name]

            def at(value, _name=name):
                return gradient(*args, **{**kwargs, _name: value})
        else:
            index = params.index(name)
            x = args[index]

            def at(value, _index=index):
                return gradient(*args[:_index], value, *args[_index + 1:], **kwargs)
        x = _as_float(x)
        for _ in range(directions):
            v = rng.normal(size=np.shape(x))
            v = v / (np.linalg.norm(v) or 1.0) if np.shape(x) else float(np.sign(v) or 1.0)
            _, hv = jvp_fn(*args, **kwargs, **{jvp_fn.tangent_params[name]: v})
            approx = (np.asarray(at(_shift(x, v, h)), dtype=np.float64)
                      - np.asarray(at(_shift(x, v, -h)), dtype=np.float64)) / (2 * h)
            if np.shape(hv) != np.shape(x):
                raise GradientMismatch(f"second order wrt {name!r}: H v has shape {np.shape(hv)}, not {np.shape(x)}")
            u = rng.normal(size=np.shape(x))
            exact, fd = float(np.sum(np.asarray(hv) * u)), float(np.sum(approx * u))
            if not abs(exact - fd) <= atol + rtol * max(abs(exact), abs(fd), 1.0):
                raise GradientMismatch(
                    f"second derivative wrt {name!r} disagrees with central differences of the gradient: "
                    f"<u, H v> = {exact!r} from forward over reverse, {fd!r} from differences")
