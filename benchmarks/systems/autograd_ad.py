"""HIPS autograd, on the workload's own source with ``np`` bound to ``autograd.numpy`` and
``math.sin``/``math.cos`` to autograd's."""

import types

import autograd
import autograd.numpy as anp

from . import argnums, rebind
from ..workloads import as_tuple

MATH = types.SimpleNamespace(sin=anp.sin, cos=anp.cos)


def make(workload, args):
    grad = autograd.grad(rebind(workload.f, np=anp, math=MATH), argnums(workload))
    return (lambda: grad(*args)), as_tuple
