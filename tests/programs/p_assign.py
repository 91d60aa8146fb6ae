"""Tuple assignment, swaps, augmented assignment, rebinding names, non-differentiable bookkeeping."""

import math

import numpy as np

N_STEPS = 6
SCALE = 0.5


def fibonacci_like(x):
    a, b = 1.0, x
    for _ in range(N_STEPS):
        a, b = b, a + b
    return b


def swap_and_mix(x, y):
    x, y = y, x
    x = x * 2.0
    return x * math.exp(y) - y


def augmented_scalar(x):
    s = x
    s += 1.0
    s *= x
    s -= 0.5 * x
    s /= 1.0 + x * x
    s = s ** 2
    return s


def augmented_array(x, w):
    acc = np.zeros(3)
    acc += x
    acc *= w
    acc -= 0.1 * x * x
    acc /= 2.0
    return np.sum(acc ** 2)


def rebind_shape(X, w):
    h = X @ w  # a vector
    h = np.tanh(h)
    h = np.sum(h)  # now a scalar
    h = h * h
    return h


def rebind_parameter(x):
    x = x * 2.0
    x = np.sin(x) + x
    x = np.sum(x)
    return x


def bookkeeping(x):
    """Mean of squares, normalized by a length computed several ways."""
    n = len(x)
    d = x.shape[0]
    assert n == d, "length mismatch"
    count = 0
    total = 0.0
    for v in x:
        count += 1
        total = total + v * v
    assert count == n
    scale = float(n) / int(2.0 * d)
    return total / count * scale + SCALE * np.size(x)


def float_of_value(x):
    k = int(x)  # non-differentiable: the integer part
    return x * x * k + float(k) * x


def chained_tuple_unpack(p, q):
    u, v = p + q, p - q
    w, (a, b) = u * v, (u, v)
    return w + a * b


def accumulate_two(x):
    lo, hi = 0.0, 0.0
    for i in range(len(x)):
        lo, hi = lo + x[i] ** 2, hi + x[i] ** 3
    return hi / lo


PROGRAMS = [
    (fibonacci_like, (0.7,), 0),
    (swap_and_mix, (0.3, 1.2), (0, 1)),
    (augmented_scalar, (0.8,), 0),
    (augmented_array, (np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.3, -0.4])), (0, 1)),
    (rebind_shape, (np.array([[0.5, 1.0], [-0.3, 2.0], [0.4, -0.1]]), np.array([0.3, -0.2])), (0, 1)),
    (rebind_parameter, (np.array([0.5, -1.0, 2.0]),), 0),
    (bookkeeping, (np.array([0.5, -1.0, 2.0, 0.1]),), 0),
    (float_of_value, (2.3,), 0),
    (chained_tuple_unpack, (0.9, -0.4), (0, 1)),
    (accumulate_two, (np.array([0.5, -1.0, 2.0]),), 0),
]


def aliased_inplace(x):
    """z and y name the same array, so ``z += 1.0`` changes y too (NumPy in-place semantics).

    Not in PROGRAMS: test_programs.py checks that tapeless refuses it or differentiates it right."""
    y = x * 1.0
    z = y
    z += 1.0
    return np.sum(y * z)  # = sum((x + 1) ** 2)



def rebind_param_to_count(x):
    """Mean of squares, reusing the parameter's name for the count."""
    total = np.sum(x ** 2)
    x = x.shape[0]
    return total / x


PROGRAMS.append((rebind_param_to_count, (np.array([0.5, 1.0, -2.0]),), 0))
