"""Functions for tests/test_concurrency.py."""

import numpy as np

import tapeless


def loop_sum(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sum(np.sin(x * (i + 1)))
    return s


def inner(x):
    return np.sum(x ** 3)


def calls_a_gradient(x):
    g = tapeless.grad(inner)(x)  # the derivative of a derivative taken this way is refused
    return np.sum(g * x)


def uses_a_gradient_as_data(x, w):
    g = tapeless.grad(inner)(w)  # w is not differentiated: this runs as plain code
    return np.sum(g * x)
