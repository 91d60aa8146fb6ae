"""Calls to helper functions: same module, other module, keywords, defaults, tuples, recursion."""

import numpy as np

from . import p_lib
from .p_lib import logsumexp, moments, rpow, sigmoid

MARGIN = 0.5


def _clipped_square(x, lo=-2.0, hi=2.0):
    return np.clip(x, lo, hi) ** 2


def _stats(x):
    return np.sum(x), np.sum(x * x)


def _chain_inner(x, k):
    return np.sin(k * x)


def _chain_outer(x):
    return _chain_inner(x, 2.0) * _chain_inner(x, 3.0)


def _fact(n):
    if n <= 1:
        return 1
    return n * _fact(n - 1)


def _exp_taylor(x, n):
    """Truncated Taylor series of exp, built with recursive helpers."""
    if n < 0:
        return 0.0
    return rpow(x, n) / _fact(n) + _exp_taylor(x, n - 1)


def _smooth_l1(x, *, eps=1e-2):
    return np.sqrt(x * x + eps)


def kwonly_default_helper(x):
    return np.sum(_smooth_l1(x)) + np.sum(_smooth_l1(x, eps=1.0))


def softmax_ce(z, label):
    """Cross-entropy from the other module's logsumexp."""
    return logsumexp(z) - z[label]


def module_attribute_call(w, X, y):
    pred = p_lib.linear(X, w, b=0.5)
    return p_lib.mse(pred, y)


def keyword_defaults(x):
    a = _clipped_square(x)
    b = _clipped_square(x, hi=0.5)
    c = _clipped_square(x, lo=-1.0, hi=3.0)
    return np.sum(a + 2.0 * b + 3.0 * c)


def tuple_return(x):
    s, ss = _stats(x)
    mu, var = moments(x)
    return ss - s * s / len(x) + var * mu


def chained(x):
    return _chain_outer(x) + _chain_inner(x, k=0.5)


def exp_taylor(x):
    return _exp_taylor(x, 8)


def helper_in_loop(x):
    total = 0.0
    for k in range(1, 4):
        total = total + sigmoid(k * x - MARGIN)
    return total


def recursive_power_args(x, y):
    return rpow(x, 3) * rpow(y, 2) + rpow(x + y, 4)


def swapped_positions(a, b):
    # the differentiated argument reaches the helper in a different position
    return p_lib.mse(b, a) + p_lib.scaled_norm(eps=1e-6, x=a - b)


def reused_result(x):
    h = sigmoid(x)
    return np.sum(h * (1.0 - h)) + np.sum(sigmoid(h))


PROGRAMS = [
    (softmax_ce, (np.array([0.5, -1.0, 2.2, 0.1]), 2), 0),
    (module_attribute_call, (np.array([0.3, -0.8]), np.array([[1.0, 0.5], [-1.0, 2.0], [0.3, 0.3]]),
                             np.array([0.1, 0.2, -0.4])), (0, 1, 2)),
    (keyword_defaults, (np.array([0.3, -1.4, 2.6, 0.9]),), 0),
    (tuple_return, (np.array([0.2, 1.1, -0.7, 0.4]),), 0),
    (chained, (0.7,), 0),
    (exp_taylor, (1.2,), 0),
    (helper_in_loop, (0.9,), 0),
    (recursive_power_args, (1.1, -0.6), (0, 1)),
    (swapped_positions, (np.array([0.5, 1.0]), np.array([-0.2, 0.4])), (0, 1)),
    (reused_result, (np.array([0.3, -0.9, 1.5]),), 0),
    (kwonly_default_helper, (np.array([0.3, -0.9, 1.5]),), 0),
]
