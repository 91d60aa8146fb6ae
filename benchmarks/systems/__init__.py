"""The systems compared. Each ``make_*(workload, args)`` returns ``(call, to_numpy)``: ``call()``
computes the gradient of ``workload.f`` at ``args`` with respect to ``workload.WRT`` (inputs are
converted once, outside the timed call), and ``to_numpy(result)`` turns its result into a tuple
of NumPy values for the check against the hand-written gradient. A system that cannot run a
workload raises :class:`Unsupported`."""

import importlib


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


def wrt_positions(func, wrt):
    """Positions of the ``wrt`` names among ``func``'s parameters."""
    names = func.__code__.co_varnames[:func.__code__.co_argcount]
    return tuple(names.index(n) for n in ((wrt,) if isinstance(wrt, str) else wrt))
