"""Mixed control flow: nested loops with break/continue, helpers inside loops and branches."""

import math

import numpy as np

from .p_lib import moments, rpow, sigmoid


def _smooth_abs(x, eps=1e-3):
    return np.sqrt(x * x + eps)


def _split_norm(v):
    pos = np.sum(np.maximum(v, 0.0) ** 2)
    neg = np.sum(np.minimum(v, 0.0) ** 2)
    return pos, neg


def nested_break(X, w):
    """Per row, sum features until the running sum exceeds 1 (inner break)."""
    total = 0.0
    for row in X:
        s = 0.0
        for j in range(row.shape[0]):
            s = s + row[j] * w[j]
            if s > 1.0:
                break
        total = total + s * s
    return total


def nested_continue(A):
    total = 0.0
    n, m = A.shape
    for i in range(n):
        for j in range(m):
            if i == j:
                continue
            total = total + A[i, j] * A[j % n, i % m]
    return total


def helper_tuple_in_loop(X):
    out = 0.0
    for row in X:
        mu, var = moments(row)
        out = out + mu * var
    return out


def helper_in_branch(x, y):
    if x > y:
        r = rpow(x - y, 3)
    else:
        r = sigmoid(y - x)
    return r * x


def helper_in_while(x):
    i = 0
    acc = 0.0
    while i < 3:
        acc = acc + _smooth_abs(x - i, eps=1e-3)
        i += 1
    return acc


def return_inside_nested(x):
    for i in range(3):
        for j in range(3):
            if i * 3 + j >= 4:
                return x ** (i + j) + math.sin(x)
    return x


def chained_comparison(x, y):
    if 0.0 < x < 1.0 and not y > 2.0:
        return x * y ** 2
    return x + y


def reshape_in_loop(x):
    h = x
    for k in range(2):
        h = np.tanh(h) * (k + 1.0)
    h = np.sum(h)
    v = h * x
    return np.sum(v ** 2)


def pow_mix(x, p):
    return x ** p + np.power(x, 2.0 * p) + math.pow(x, 1.5) + math.exp(p) ** 0.5


def kwonly_helper_call(x, *, temperature=2.0):
    z = x / temperature
    pos, neg = _split_norm(z)
    return pos - 0.5 * neg + np.sum(_smooth_abs(z, eps=1e-2))


def recursive_array_poly(x, depth):
    if depth == 0:
        return np.sum(x)
    return np.sum(x * x) * 0.1 + recursive_array_poly(np.sin(x), depth - 1)


def _branchy(z):
    if z > 1.0:
        return z * z
    return np.sin(z)


def _branchy_sum(x):
    s = 0.0
    for k in range(1, 4):
        s = s + _branchy(k * x)
    return s


def recursion_in_loop(x):
    """Truncated series sum_n x^n / (n + 1) with a recursive power."""
    s = 0.0
    for n in range(4):
        s = s + rpow(x, n) / (n + 1.0)
    return s


def helper_loop_in_helper_loop(x):
    t = 0.0
    for j in range(3):
        t = t + _branchy_sum(x + 0.1 * j) * (j + 1.0)
    return t


def helper_over_rows_and_zip(X, w, ys):
    t = 0.0
    for row in X:
        t = t + _branchy(row @ w)
    for a, b in zip(X @ w, ys):
        t = t + _branchy(a * b)
    return t


PROGRAMS = [
    (nested_break, (np.array([[0.3, 0.4, 0.5, 0.2], [0.9, 0.8, 0.1, 0.3], [0.1, 0.2, 0.1, 0.1]]),
                    np.array([1.0, 0.8, 1.2, 0.5])), (0, 1)),
    (nested_continue, (np.array([[0.5, 1.0, -0.3], [0.7, -1.1, 0.4], [1.5, 0.2, -0.8]]),), 0),
    (helper_tuple_in_loop, (np.array([[0.5, 1.0, -0.3], [0.7, -1.1, 0.4]]),), 0),
    (helper_in_branch, (1.5, 0.4), (0, 1)),
    (helper_in_branch, (0.2, 0.4), (0, 1)),
    (helper_in_while, (0.7,), 0),
    (return_inside_nested, (1.3,), 0),
    (chained_comparison, (0.4, 1.5), (0, 1)),
    (chained_comparison, (1.4, 1.5), (0, 1)),
    (reshape_in_loop, (np.array([0.3, -0.6, 1.1]),), 0),
    (pow_mix, (1.3, 1.7), (0, 1)),
    (kwonly_helper_call, (np.array([0.5, -1.0, 2.0]),), 0),
    (kwonly_helper_call, (np.array([0.5, -1.0, 2.0]),), 0, {"temperature": 0.5}),
    (recursive_array_poly, (np.array([0.5, -1.0, 2.0]), 3), 0),
    (recursion_in_loop, (0.7,), 0),
    (helper_loop_in_helper_loop, (0.45,), 0),
    (helper_over_rows_and_zip, (np.array([[1.0, 0.5], [2.0, 1.5], [0.1, 0.2]]), np.array([0.4, 0.3]),
                                np.array([0.4, 0.9, 0.5])), (0, 1, 2)),
]
