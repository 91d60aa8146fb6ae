"""The public API: ``differentiate``, ``grad`` and ``value_and_grad``."""

from __future__ import annotations

import functools
import inspect
import threading
import types
import weakref

import numpy as np

from .errors import ArgumentError, OutputError
from .rules import registry
from .runtime import fresh_tape, like_argument, make_seed, zeros_like

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def _wrt_names(func, wrt):
    """Parameter names for ``wrt`` (a position, a name, or a tuple of these)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    single = not isinstance(wrt, (tuple, list))
    items = [wrt] if single else list(wrt)
    if not items:
        raise ArgumentError("wrt is empty: name at least one parameter to differentiate with respect to")
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise ArgumentError(f"wrt must be a parameter position or name, not {item!r}")
        if isinstance(item, int):
            if not -len(names) <= item < len(names):
                raise ArgumentError(
                    f"wrt={item} is out of range: {getattr(func, '__qualname__', func)} has "
                    f"{len(names)} parameter(s) ({', '.join(names)})")
            item = names[item]
        elif item not in names:
            raise ArgumentError(
                f"wrt={item!r} is not a parameter of {getattr(func, '__qualname__', func)}; "
                f"its parameters are: {', '.join(names)}")
        if item in out:
            raise ArgumentError(f"wrt names {item!r} twice")
        out.append(item)
    return tuple(out), single


_MODES = ("reverse", "forward")


def _check_mode(mode):
    if mode not in _MODES:
        raise ArgumentError(f"mode must be 'reverse' or 'forward', not {mode!r}")


def _transform(func, wrt, returns):
    """The generated gradient (``returns="grad"``) or value-and-gradient function of ``func``
    for ``wrt``, built once and cached."""
    from . import pipeline, source

    if inspect.ismethod(func):
        raise ArgumentError(
            f"{func.__qualname__} is a bound method: tapeless does not differentiate through self; "
            "differentiate a module-level function and pass the object's data as arguments")
    if not isinstance(func, types.FunctionType):
        source.load(func)  # raises SourceUnavailable with the reason
    names, single = _wrt_names(func, wrt)
    key = (names, single, returns, registry.generation())
    with _LOCK:
        per_func = _CACHE.get(func)
        if per_func is None:
            per_func = _CACHE[func] = {}
        if key not in per_func:
            if returns == "split":
                per_func[key] = pipeline.build_split(func, names)
                return per_func[key]
            if returns == "jvp":
                per_func[key] = pipeline.build_jvp(func, names)
                return per_func[key]
            if returns in ("forward grad", "forward value_and_grad"):
                jvp_fn = _transform(func, names, "jvp")
                per_func[key] = forward_driver(func, names, single, jvp_fn, returns.endswith("value_and_grad"))
                return per_func[key]
            fn = pipeline.build(func, names, returns)
            if not single and len(names) == 1:  # a tuple wrt always gives a tuple, even of one
                fn = _tupled(fn, returns)
            per_func[key] = fn
        return per_func[key]


def _tupled(fn, returns):
    if returns == "grad":
        def wrapper(*args, **kwargs):
            return (fn(*args, **kwargs),)
    else:
        def wrapper(*args, **kwargs):
            value, g = fn(*args, **kwargs)
            return value, (g,)
    functools.update_wrapper(wrapper, fn)
    wrapper.source = fn.source
    return wrapper


def vjp(func, *primals):
    """Reverse mode for any function: ``value, vjp_fn = vjp(f, *primals)``.

    ``value`` is ``func(*primals)``; ``vjp_fn(cotangent)`` returns a tuple with one cotangent per
    primal: the vector-Jacobian product ``cotangent^T J``. ``cotangent`` has the shape of the
    output (a tuple of them if ``func`` returns a tuple). ``func`` need not return a scalar.
    ``vjp_fn`` may be called any number of times; its ``.source`` is the generated code.
    """
    func = getattr(func, "__wrapped_function__", func)
    fwd, bwd, outputs = _transform(func, tuple(range(len(primals))), "split")
    value, tape = fwd(*primals)

    def vjp_fn(cotangent):
        seeds = tuple(cotangent) if outputs else (cotangent,)
        if outputs and len(seeds) != outputs:
            raise ArgumentError(f"{func.__qualname__} returns {outputs} values: pass a tuple of {outputs} cotangents")
        grads = bwd(fresh_tape(tape), *seeds)
        return grads if len(primals) > 1 else (grads,)

    vjp_fn.source = fwd.source
    return value, vjp_fn


def grad(func, wrt=0, mode="reverse"):
    """The gradient of ``func`` with respect to ``wrt``, as a generated Python function.

    ``wrt`` is a parameter position, a parameter name, or a tuple of these (default: the
    first parameter). The returned function takes the same arguments as ``func`` and returns
    the gradient (a tuple of gradients for a tuple ``wrt``); its ``.source`` attribute is the
    generated code. ``func`` must return a scalar. Errors in ``func`` (unsupported syntax, a
    function without a derivative rule) are raised here, before anything runs.

    ``mode="forward"`` computes the same gradient by forward mode, one tangent pass per
    element of the differentiated arguments (cheaper than reverse mode only when they have
    few elements); its ``.source`` is the generated tangent code.
    """
    func = getattr(func, "__wrapped_function__", func)
    _check_mode(mode)
    if getattr(func, "tapeless_forward", None) is not None:
        return _second_forward(func, wrt)
    if getattr(func, "tapeless_gradient", False):
        mode = "forward"  # the gradient of a gradient (of a scalar): forward over reverse
    return _transform(func, wrt, "grad" if mode == "reverse" else "forward grad")


def _second_forward(driver, wrt):
    """``grad`` of a forward-mode gradient (of one scalar argument): forward over forward,
    the generated tangent code transformed once more."""
    func, names, jvp_fn = driver.tapeless_forward
    if len(names) != 1 or tuple(_wrt_names(func, wrt)[0]) != tuple(names):
        raise ArgumentError("the gradient of a forward-mode gradient is taken with respect to the same, "
                            "single argument; use tapeless.hessian for several")
    second = _transform(jvp_fn, names, "jvp")
    inner = jvp_fn.tangent_params[names[0]]
    outer = second.tangent_params[names[0]]
    sig = inspect.signature(func)

    def second_derivative(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        x = bound.arguments[names[0]]
        if np.ndim(x) != 0:
            raise OutputError(f"the gradient of {func.__qualname__} is not a scalar (its argument has shape "
                              f"{np.shape(x)}), so it has no gradient; use tapeless.hessian")
        (_, _), (_, d2) = second(*bound.args, **bound.kwargs, **{inner: 1.0, outer: 1.0})
        return d2

    second_derivative.source = second.source
    return second_derivative


def hessian(func, wrt=0):
    """A function computing the Hessian of scalar ``func`` with respect to the argument ``wrt``
    (shape ``x.shape + x.shape``), by forward mode over the generated reverse-mode gradient:
    one tangent pass per element of the argument. Its ``.source`` is the generated code."""
    func = getattr(func, "__wrapped_function__", func)
    names, single = _wrt_names(func, wrt)
    if not single:
        raise ArgumentError("hessian takes one argument at a time (wrt is a position or a name)")
    return jacobian(grad(func, wrt), names[0], mode="forward")


def hvp(func, wrt=0):
    """A function ``hvp_fn(*args, v)`` computing the Hessian-vector product ``H @ v`` of scalar
    ``func`` with respect to the argument ``wrt``, without building the Hessian: one tangent
    pass of forward mode over the generated reverse-mode gradient. ``v`` has the argument's
    shape. Its ``.source`` is the generated code."""
    func = getattr(func, "__wrapped_function__", func)
    names, single = _wrt_names(func, wrt)
    if not single:
        raise ArgumentError("hvp takes one argument at a time (wrt is a position or a name)")
    jvp_fn = _transform(grad(func, wrt), names, "jvp")
    tangent = jvp_fn.tangent_params[names[0]]

    def hvp_fn(*args):
        if not args:
            raise ArgumentError("hvp_fn takes the arguments of the function, then the vector v")
        *primal, v = args
        return jvp_fn(*primal, **{tangent: v})[1]

    hvp_fn.source = jvp_fn.source
    return hvp_fn


def value_and_grad(func, wrt=0, mode="reverse"):
    """Like ``tapeless.grad``, but the generated function returns ``(value, gradient)``."""
    func = getattr(func, "__wrapped_function__", func)
    _check_mode(mode)
    return _transform(func, wrt, "value_and_grad" if mode == "reverse" else "forward value_and_grad")


def jvp(func, primals, tangents):
    """Forward mode for any function: ``(value, tangent_out)`` for ``func(*primals)`` pushed along
    ``tangents`` (one per primal, shaped like it): the Jacobian-vector product ``J @ t``.
    ``func`` may return an array or a tuple (then ``tangent_out`` is a tuple)."""
    func = getattr(func, "__wrapped_function__", func)
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ArgumentError(f"jvp needs one tangent per primal: got {len(primals)} primals and {len(tangents)} tangents")
    fn = _transform(func, tuple(range(len(primals))), "jvp")
    names = _wrt_names(func, tuple(range(len(primals))))[0]
    return fn(*primals, **{fn.tangent_params[n]: t for n, t in zip(names, tangents)})


def jacobian(func, wrt=0, mode="reverse"):
    """A function computing the Jacobian of ``func`` with respect to ``wrt``: an array of shape
    ``output.shape + argument.shape`` (a tuple of them for a tuple ``wrt``).

    ``mode="reverse"`` makes one backward pass per output element, ``"forward"`` one tangent
    pass per input element: choose the side with fewer elements.
    """
    func = getattr(func, "__wrapped_function__", func)
    _check_mode(mode)
    names, single = _wrt_names(func, wrt)
    sig = inspect.signature(func)
    if mode == "forward":
        jvp_fn = _transform(func, names, "jvp")
    else:
        fwd, bwd, outputs = _transform(func, names, "split")

    def jacobian_fn(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        inputs = [bound.arguments[n] for n in names]
        if mode == "forward":
            columns = []
            for x, value, parts in _tangent_columns(jvp_fn, bound, names, inputs):
                shape = np.shape(value) + np.shape(x)
                parts = [np.asarray(dv) for dv in parts]
                columns.append(np.moveaxis(np.array(parts), 0, -1).reshape(shape) if parts else np.zeros(shape))
            return columns[0] if single else tuple(columns)
        value, tape = fwd(*bound.args, **bound.kwargs)
        if outputs:
            raise ArgumentError("jacobian of a function returning a tuple is not supported; return one array")
        rows = [[] for _ in names]
        for e in _basis(value):
            grads = bwd(fresh_tape(tape), e)
            grads = (grads,) if len(names) == 1 else grads
            for row, g in zip(rows, grads):
                row.append(np.asarray(g))
        out = [np.array(r).reshape(np.shape(value) + np.shape(x)) for r, x in zip(rows, inputs)]
        return out[0] if single else tuple(out)

    jacobian_fn.source = (jvp_fn if mode == "forward" else fwd).source
    return jacobian_fn


def _basis(x):
    """The unit tangents of ``x``, one per element, each shaped like ``x``."""
    shape = np.shape(x)
    if shape == ():
        yield 1.0
        return
    for index in np.ndindex(shape):
        e = np.zeros(shape)
        e[index] = 1.0
        yield e


def _tangent_columns(jvp_fn, bound, names, inputs, check=None):
    """For each differentiated input ``x``: ``(x, value, [derivative along each unit tangent of
    x])``, one call of the generated ``jvp_fn`` per element; ``check(value)`` sees the first value."""
    zeros = {jvp_fn.tangent_params[n]: zeros_like(x) for n, x in zip(names, inputs)}
    value = None
    for n, x in zip(names, inputs):
        parts = []
        for e in _basis(x):
            value, dv = jvp_fn(*bound.args, **bound.kwargs, **{**zeros, jvp_fn.tangent_params[n]: e})
            if check is not None and not parts:
                check(value)
            parts.append(dv)
        yield x, value, parts


def forward_driver(func, names, single, jvp_fn, with_value):
    """``grad`` by forward mode: one call of the generated ``jvp_fn`` per input element."""
    sig = inspect.signature(func)
    seed = make_seed(names)

    def forward_grad(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        inputs = [bound.arguments[n] for n in names]
        seed.check_args(*inputs)
        grads, value = [], None
        for x, value, parts in _tangent_columns(jvp_fn, bound, names, inputs, check=seed):
            if isinstance(x, np.ndarray):
                g = np.array(parts, dtype=np.result_type(x, np.float16)).reshape(np.shape(x)) if parts else np.zeros_like(x)
            else:
                g = like_argument(parts[0], x)
            grads.append(g)
        if value is None:
            value = func(*args, **kwargs)
        seed(value)
        result = grads[0] if single else tuple(grads)
        return (value, result) if with_value else result

    forward_grad.source = jvp_fn.source
    forward_grad.__name__ = f"{func.__name__}_forward_grad"
    forward_grad.tapeless_forward = (func, names, jvp_fn)
    return forward_grad


class Differentiable:
    """A function with derivatives: calling it calls the original function unchanged.

    ``.grad`` and ``.value_and_grad`` are generated on first use and cached.
    """

    def __init__(self, func, wrt=0, mode="reverse"):
        functools.update_wrapper(self, func)
        self.__wrapped_function__ = func
        self.wrt = wrt
        self.mode = mode
        _check_mode(mode)
        _wrt_names(func, wrt)  # a wrong wrt fails at decoration time

    def __call__(self, *args, **kwargs):
        return self.__wrapped_function__(*args, **kwargs)

    @property
    def grad(self):
        """The generated gradient function (see ``tapeless.grad``)."""
        return grad(self.__wrapped_function__, self.wrt, self.mode)

    @property
    def value_and_grad(self):
        """The generated function returning ``(value, gradient)``."""
        return value_and_grad(self.__wrapped_function__, self.wrt, self.mode)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return _BoundMethod(self.__wrapped_function__, obj)

    def __repr__(self):
        return f"<differentiable {self.__wrapped_function__.__qualname__} wrt={self.wrt!r}>"


class _BoundMethod:
    """A decorated method looked up on an instance: it calls like the original method, but
    has no gradient (tapeless does not differentiate through ``self``)."""

    def __init__(self, func, obj):
        self._func, self._obj = func, obj

    def __call__(self, *args, **kwargs):
        return self._func(self._obj, *args, **kwargs)

    def _refuse(self):
        raise ArgumentError(
            f"{self._func.__qualname__} is a method: tapeless does not differentiate through self; "
            "differentiate a module-level function and pass the object's data as arguments")

    grad = property(_refuse)
    value_and_grad = property(_refuse)


def differentiate(func=None, *, wrt=0, mode="reverse"):
    """Decorator: ``@differentiate`` or ``@differentiate(wrt=..., mode="reverse" | "forward")``.

    The decorated function behaves exactly as before; it gains ``.grad`` and
    ``.value_and_grad`` (generated Python functions with a ``.source`` attribute).
    """
    if func is None:
        return lambda f: Differentiable(f, wrt, mode)
    return Differentiable(func, wrt, mode)
