"""HIPS autograd, on the workload's own source with ``np`` bound to ``autograd.numpy`` and
``math.sin``/``math.cos`` to autograd's."""

import types

import autograd
import autograd.numpy as anp

from . import wrt_positions
from ..workloads import as_tuple

MATH = types.SimpleNamespace(sin=anp.sin, cos=anp.cos, exp=anp.exp)


def rebind(func, **names):
    """``func`` with some of its globals replaced: the same code, other libraries."""
    return types.FunctionType(func.__code__, {**func.__globals__, **names}, func.__name__, func.__defaults__)


def make(workload, args):
    f = rebind(workload.f, np=anp, math=MATH)
    positions = wrt_positions(workload.f, workload.WRT)
    grad = autograd.grad(f, positions[0] if isinstance(workload.WRT, str) else positions)
    return (lambda: grad(*args)), as_tuple
