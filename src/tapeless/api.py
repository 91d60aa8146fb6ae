"""The public API: ``differentiate``, ``grad`` and ``value_and_grad``."""

from __future__ import annotations

import functools
import inspect
import threading
import types
import weakref

from .errors import ArgumentError
from .rules import registry
from .runtime import fresh_tape

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


def _transform(func, wrt, returns):
    """The generated gradient (``returns="grad"``) or value-and-gradient function of ``func``
    for ``wrt``, built once and cached."""
    from . import pipeline, source

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

    ``value`` is ``f(*primals)``; ``vjp_fn(cotangent)`` returns a tuple with one cotangent per
    primal: the vector-Jacobian product ``cotangent^T J``. ``cotangent`` has the shape of the
    output (a tuple of them if ``f`` returns a tuple). ``f`` need not return a scalar.
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


def grad(func, wrt=0):
    """The gradient of ``func`` with respect to ``wrt``, as a generated Python function.

    ``wrt`` is a parameter position, a parameter name, or a tuple of these (default: the
    first parameter). The returned function takes the same arguments as ``func`` and returns
    the gradient (a tuple of gradients for a tuple ``wrt``); its ``.source`` attribute is the
    generated code. ``func`` must return a scalar. Errors in ``func`` (unsupported syntax, a
    function without a derivative rule) are raised here, before anything runs.
    """
    func = getattr(func, "__wrapped_function__", func)
    return _transform(func, wrt, "grad")


def value_and_grad(func, wrt=0):
    """Like :func:`grad`, but the generated function returns ``(value, gradient)``."""
    func = getattr(func, "__wrapped_function__", func)
    return _transform(func, wrt, "value_and_grad")


class Differentiable:
    """A function with derivatives: calling it calls the original function unchanged.

    ``.grad`` and ``.value_and_grad`` are generated on first use and cached.
    """

    def __init__(self, func, wrt=0):
        functools.update_wrapper(self, func)
        self.__wrapped_function__ = func
        self.wrt = wrt
        _wrt_names(func, wrt)  # a wrong wrt fails at decoration time

    def __call__(self, *args, **kwargs):
        return self.__wrapped_function__(*args, **kwargs)

    @property
    def grad(self):
        """The generated gradient function (see :func:`tapeless.grad`)."""
        return _transform(self.__wrapped_function__, self.wrt, "grad")

    @property
    def value_and_grad(self):
        """The generated function returning ``(value, gradient)``."""
        return _transform(self.__wrapped_function__, self.wrt, "value_and_grad")

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


def differentiate(func=None, *, wrt=0):
    """Decorator: ``@differentiate`` or ``@differentiate(wrt=...)``.

    The decorated function behaves exactly as before; it gains ``.grad`` and
    ``.value_and_grad`` (generated Python functions with a ``.source`` attribute).
    """
    if func is None:
        return lambda f: Differentiable(f, wrt)
    return Differentiable(func, wrt)
