"""Branches: if/elif/else, conditional expressions, and/or/not in conditions."""

import math

import numpy as np

DELTA = 1.0


def huber(r, delta=DELTA):
    if abs(r) <= delta:
        return 0.5 * r * r
    else:
        return delta * (abs(r) - 0.5 * delta)


def leaky_relu_sum(x, y):
    a = x if x > 0 else 0.01 * x
    b = y if y > 0 else 0.01 * y
    return a * b + a


def tax_owed(income):
    """Progressive tax with three brackets (income in thousands)."""
    if income < 10.0:
        tax = 0.0 * income
    elif income < 40.0:
        tax = 0.2 * (income - 10.0)
    else:
        tax = 6.0 + 0.4 * (income - 40.0)
    return tax


def band_penalty(x, lo, hi):
    if x > lo and x < hi:
        penalty = (x - lo) * (hi - x)
    elif not x > lo:
        penalty = (lo - x) ** 2
    else:
        penalty = (x - hi) ** 3
    return penalty


def either_negative(x, y):
    if x < 0 or y < 0:
        return x * x + y * y
    return x * y


def activation(x, kind="tanh"):
    if kind == "tanh":
        y = np.tanh(x)
    elif kind == "sigmoid":
        y = 1.0 / (1.0 + np.exp(-x))
    else:
        y = np.log1p(np.exp(x))
    return np.sum(y * y)


def only_in_one_branch(x):
    scale = 1.0
    if x > 2.0:
        scale = x * x
        offset = math.sin(x)
    else:
        offset = math.cos(x)
    return scale * offset


def nested_ifs(x, y):
    if x > 0:
        if y > 0:
            z = x * y
        else:
            z = x - y
    else:
        if y > x:
            z = y * y
        else:
            z = x + 2.0 * y
    return z * z


def array_condition(w, X):
    s = X @ w
    if np.sum(s) > 0:
        loss = np.sum(s ** 2)
    else:
        loss = np.sum(np.exp(s))
    return loss


def ternary_shape(x):
    scale = 2.0 if x.shape[0] > 3 else 1.0
    power = 3 if len(x) == 5 else 2
    return scale * np.sum(x ** power)


def ternary_value(x, y):
    big = x if x > y else y
    small = y if x > y else x
    return big * 2.0 - small ** 2


PROGRAMS = [
    (huber, (0.4,), 0),
    (huber, (-2.5,), 0),
    (leaky_relu_sum, (1.5, -0.8), (0, 1)),
    (tax_owed, (5.0,), 0),
    (tax_owed, (25.0,), 0),
    (tax_owed, (55.0,), 0),
    (band_penalty, (0.5, 0.0, 1.0), (0, 1, 2)),
    (band_penalty, (-0.7, 0.0, 1.0), (0, 1)),
    (band_penalty, (1.6, 0.0, 1.0), (0, 2)),
    (either_negative, (0.5, -1.5), (0, 1)),
    (either_negative, (0.5, 1.5), (0, 1)),
    (activation, (np.array([0.3, -1.2, 2.0]),), 0),
    (activation, (np.array([0.3, -1.2, 2.0]),), 0, {"kind": "sigmoid"}),
    (activation, (np.array([0.3, -1.2, 2.0]),), 0, {"kind": "softplus"}),
    (only_in_one_branch, (2.5,), 0),
    (only_in_one_branch, (1.0,), 0),
    (nested_ifs, (1.2, 0.7), (0, 1)),
    (nested_ifs, (1.2, -0.7), (0, 1)),
    (nested_ifs, (-1.2, 0.7), (0, 1)),
    (nested_ifs, (-0.5, -1.7), (0, 1)),
    (array_condition, (np.array([0.5, -0.2]), np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3]])), 0),
    (array_condition, (np.array([-0.5, -0.2]), np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3]])), 0),
    (ternary_shape, (np.array([0.5, -0.2, 1.3, 0.8, -1.1]),), 0),
    (ternary_shape, (np.array([0.5, -0.2, 1.3]),), 0),
    (ternary_value, (2.0, 0.5), (0, 1)),
    (ternary_value, (0.3, 1.5), (0, 1)),
]
