"""tapeless: automatic differentiation of Python and NumPy code by source transformation.

>>> import tapeless
>>> @tapeless.differentiate
... def f(x):
...     return x ** 2 + 3 * x + 5
>>> f.grad(2.0)
7.0
"""

from .api import Differentiable, differentiate, grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from .errors import (ArgumentError, InternalError, MissingRule, NonDifferentiable, OutputError,
                     RuleError, SourceError, SourceUnavailable, TapelessError, UnsupportedSyntax)
from .rules.registry import forward_rule, nondifferentiable, reverse_rule
from .runtime import stop_gradient

__version__ = "0.1.0.dev0"

__all__ = [
    "differentiate", "grad", "value_and_grad", "vjp", "jvp", "jacobian", "hessian", "hvp", "Differentiable",
    "reverse_rule", "forward_rule", "nondifferentiable", "stop_gradient",
    "TapelessError", "SourceError", "UnsupportedSyntax", "MissingRule", "NonDifferentiable",
    "SourceUnavailable", "ArgumentError", "OutputError", "RuleError", "InternalError",
]
