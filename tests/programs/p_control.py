"""While loops, break, continue and early return."""

import math

import numpy as np

TOL = 1e-13


def newton_sqrt(a):
    """sqrt(a) by a fixed number of Newton steps, then a smooth function of it."""
    y = a
    k = 0
    while k < 8:
        y = 0.5 * (y + a / y)
        k += 1
    return y * math.sin(y)


def decay_until(y0, rate):
    t = 0.0
    y = y0
    dt = 0.1
    while t < 1.0 - 1e-9:
        y = y - dt * rate * y
        t = t + dt
    return y


def geometric_series(x):
    term = 1.0
    total = 0.0
    while term > 1e-12:
        total = total + term
        term = term * x
    return total


def first_large(x, threshold):
    total = 0.0
    for i in range(x.shape[0]):
        if x[i] > threshold:
            return total + x[i] ** 2
        total = total + np.sin(x[i])
    return total


def skip_negatives(x):
    s = 0.0
    for v in x:
        if v < 0:
            continue
        s += v ** 2
    return s


def fixed_point_cos(x):
    """Solve y = cos(x * y) by iteration, stopping when converged."""
    y = 0.5
    for _ in range(200):
        y_new = np.cos(x * y)
        if abs(y_new - y) < TOL:
            break
        y = y_new
    return y


def while_true_break(x):
    n = 0
    acc = x
    while True:
        acc = acc * 0.9 + 0.1 * np.tanh(acc)
        n += 1
        if n >= 6:
            break
    return acc


def early_return_top(x, y):
    if x < 0:
        return y * y
    z = x * y
    if z > 3.0:
        return math.log(z)
    return z ** 2


def meta_descent(target, lr):
    """Inner gradient descent on (w - target)^2; loss after training, differentiated wrt target and lr."""
    w = 0.0
    step = 0
    while step < 10:
        w = w - lr * 2.0 * (w - target)
        step += 1
    return (w - 1.0) ** 2


def bounded_growth(x, cap):
    """Double until over the cap (count of steps locally constant), with break and continue."""
    value = x
    i = 0
    while i < 20:
        i += 1
        if i % 2 == 0:
            value = value * 1.5
            continue
        value = value + 0.1 * value * value
        if value > cap:
            break
    return value


def continue_in_while(x):
    i = 0
    s = 0.0
    while i < len(x):
        i = i + 1
        if i == 2:
            continue
        s = s + x[i - 1] * i
    return s * s


def nested_while(x):
    i = 0
    s = 0.0
    while i < 3:
        j = 0
        while j < i + 1:
            s = s + x ** (j + 1) * np.cos(s)
            j += 1
        i += 1
    return s


def break_index_after(x):
    """Square of the first entry above 1, plus the sum of the entries before it."""
    for i in range(len(x)):
        if x[i] > 1.0:
            break
    return x[i] ** 2 + np.sum(x[:i])


def early_return_while(x):
    s = x
    while True:
        s = s * s
        if s > 10.0:
            return s + x
        s = s + 0.5


PROGRAMS = [
    (newton_sqrt, (2.0,), 0),
    (decay_until, (3.0, 0.7), (0, 1)),
    (geometric_series, (0.5,), 0),
    (first_large, (np.array([0.2, -0.4, 1.7, 0.3]), 1.0), 0),
    (first_large, (np.array([0.2, -0.4, 0.7, 0.3]), 1.0), 0),
    (skip_negatives, (np.array([0.4, -1.0, 2.0, -0.3, 0.6]),), 0),
    (fixed_point_cos, (0.8,), 0),
    (while_true_break, (1.3,), 0),
    (early_return_top, (-1.0, 2.0), (0, 1)),
    (early_return_top, (1.5, 3.0), (0, 1)),
    (early_return_top, (0.5, 1.5), (0, 1)),
    (meta_descent, (2.0, 0.1), (0, 1)),
    (bounded_growth, (1.0, 10.0), (0, 1)),
    (continue_in_while, (np.array([0.5, 1.0, -0.3, 2.0]),), 0),
    (nested_while, (0.7,), 0),
    (break_index_after, (np.array([0.3, 0.5, 1.5, 0.2]),), 0),
    (early_return_while, (1.3,), 0),
]
