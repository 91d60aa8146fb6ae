"""Derivative rules, one family per module, all registered in :mod:`.registry`."""

from . import elementwise, generated, linalg, nondifferentiable, operators, reductions, scalar, shape  # noqa: F401
from . import registry
from .registry import lookup, nondifferentiable as declare_nondifferentiable, registered, reverse_rule  # noqa: F401

registry.mark_builtin()
