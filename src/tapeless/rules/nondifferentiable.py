"""Functions that run but are not differentiated: constructors, shapes, integer bookkeeping.

Their derivative is zero wherever it is defined (``np.sign``, ``np.floor``), or they build
values that do not depend on their inputs' values (``np.zeros_like``, ``len``).
"""

import builtins
import math

import numpy as np

from ..runtime import stop_gradient, zeros_like
from .registry import nondifferentiable, smooth_arguments

nondifferentiable(
    # NumPy constructors and shape helpers
    np.zeros, np.ones, np.empty, np.zeros_like, np.ones_like, np.empty_like, np.full,
    np.full_like, np.arange, np.linspace, np.eye, np.identity, np.shape, np.ndim, np.size,
    # piecewise constant functions and predicates
    np.sign, np.heaviside, np.floor, np.ceil, np.round, np.rint, np.trunc, np.argmax, np.argmin, np.argsort,
    np.isnan, np.isinf, np.isfinite, np.equal, np.not_equal, np.less, np.less_equal,
    np.greater, np.greater_equal, np.logical_and, np.logical_or, np.logical_not, np.all, np.any,
    np.allclose, np.isclose, np.count_nonzero, np.nonzero,
    math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite, math.isclose,
    # explicit: the value passes, the derivative does not
    stop_gradient,
    # what generated gradients call (so that they can be differentiated again)
    zeros_like, builtins.reversed,
    # Python bookkeeping
    builtins.len, builtins.range, builtins.int, builtins.bool, builtins.round, builtins.isinstance,
    builtins.print, builtins.str, builtins.repr, builtins.type, builtins.enumerate, builtins.zip,
    ("method", "argmax"), ("method", "argmin"), ("method", "argsort"),
    ("method", "nonzero"), ("method", "any"), ("method", "all"),
)

# Their results depend smoothly on these arguments, which have no rule yet: a differentiated
# value there is refused (it would otherwise get a derivative of zero, silently).
smooth_arguments(np.full, None, "fill_value")
smooth_arguments(np.full_like, None, "fill_value")
smooth_arguments(np.linspace, "start", "stop")
smooth_arguments(np.arange, "start", "stop", "step")  # np.arange(stop) alone: "start" is the stop
