"""``np`` rebound in the module to a namespace whose names lie (tests/test_hostile.py): here
np.sin is NumPy's cos, np.cos is NumPy's sin and np.sum is NumPy's mean. tapeless must use the
rule of the function a name refers to, not of its spelling, and its generated code (rule
templates say np.cos, np.sum, ...) must not read this np."""

import types

import numpy

np = types.SimpleNamespace(sin=numpy.cos, cos=numpy.sin, sum=numpy.mean, tanh=numpy.tanh, exp=numpy.exp)


def np_swapped(x):
    """x: (3,). f = mean(cos(x) * sin(x)) + mean(tanh(x))."""
    return np.sum(np.sin(x) * np.cos(x)) + np.sum(np.tanh(x) ** 2)


def np_swapped_scalar(x):
    """x: a float. f = cos(x) * exp(x)."""
    return np.sin(x) * np.exp(x)
