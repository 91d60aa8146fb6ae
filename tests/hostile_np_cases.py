"""``np`` rebound in the module (tests/test_hostile.py): the user's code reaches NumPy under
another name, and ``np`` is something else; generated code must not use the user's ``np``."""

import math

import numpy
import numpy as onp

np = math  # np is the math module here: np.sin(x) is math.sin


def np_is_math(x):
    """x: a float. np.sin here is math.sin."""
    return np.sin(x) * np.exp(x) + np.sqrt(1.0 + x * x)


def numpy_under_other_names(x, y):
    """x: (2, 3), y: (3,). Reductions, broadcasting, indexing and matmul without the name np."""
    a = numpy.tanh(x) * y
    b = onp.sum(a, axis=0)
    c = a[1:, ::2] @ y[:2]
    s = numpy.mean(numpy.maximum(a, 0.1) ** 2) + onp.sum(b * numpy.cos(y)) + numpy.sum(c)
    for row in x:
        s = s + numpy.sum(row * y) * 0.1
    return s + np.cos(float(numpy.sum(y)))
