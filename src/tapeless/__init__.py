"""tapeless: automatic differentiation of Python and NumPy code by source transformation.

>>> import tapeless
>>> @tapeless.differentiate
... def f(x):
...     return x ** 2 + 3 * x + 5
>>> f.grad(2.0)
7.0
"""

from .api import Differentiable, differentiate, grad, value_and_grad
from .errors import (ArgumentError, InternalError, MissingRule, NonDifferentiable, OutputError,
                     SourceError, SourceUnavailable, TapelessError, UnsupportedSyntax)

__version__ = "0.1.0.dev0"

__all__ = [
    "differentiate", "grad", "value_and_grad", "Differentiable",
    "TapelessError", "SourceError", "UnsupportedSyntax", "MissingRule", "NonDifferentiable",
    "SourceUnavailable", "ArgumentError", "OutputError", "InternalError",
]
