"""The systems compared. Each ``make_*(workload, args)`` returns ``(call, to_numpy)``: ``call()``
computes the gradient of ``workload.f`` at ``args`` with respect to ``workload.WRT`` (inputs are
converted once, outside the timed call), and ``to_numpy(result)`` turns its result into a tuple
of NumPy values for the check against the hand-written gradient. A system that cannot run a
workload raises :class:`Unsupported`."""

import importlib
import types


class Unsupported(Exception):
    """This system cannot run this workload (or is not installed); the message says why."""


# name in the table -> (module, function)
SYSTEMS = {
    "numpy": ("handwritten", "make"),
    "tapeless": ("tapeless_ad", "make"),
    "autograd": ("autograd_ad", "make"),
    "jax": ("jax_ad", "make_eager"),
    "jax.jit": ("jax_ad", "make_jit"),
    "torch": ("torch_ad", "make"),
}


def maker(name):
    module, function = SYSTEMS[name]
    try:
        mod = importlib.import_module(f"{__name__}.{module}")
    except ImportError as e:  # the bench extra is not installed
        raise Unsupported(f"not installed ({e.name})") from None
    return getattr(mod, function)


def argnums(workload):
    """``workload.WRT`` as parameter positions: an int for one name, a tuple for a tuple."""
    code = workload.f.__code__
    names = code.co_varnames[:code.co_argcount]
    if isinstance(workload.WRT, str):
        return names.index(workload.WRT)
    return tuple(names.index(n) for n in workload.WRT)


def rebind(func, **names):
    """``func`` with some of its globals replaced: the same code, run with other libraries."""
    return types.FunctionType(func.__code__, {**func.__globals__, **names}, func.__name__, func.__defaults__)
