"""For loops: range, tuple/list literals, rows of an array, enumerate, zip, nested loops."""

import numpy as np

COEFFS = [0.5, -1.0, 2.0, 0.25]  # a list of constants
WEIGHTS = (0.2, 0.3, 0.5)


def horner(x):
    acc = 0.0
    for c in COEFFS:
        acc = acc * x + c
    return acc


def power_sum(x, n):
    total = 0.0
    for k in range(1, n + 1):
        total = total + x ** k / k
    return total


def weighted_blend(x):
    out = 0.0
    for w in WEIGHTS:
        out += w * np.sin(w * x)
    for s in (1.0, 2.0, 3.0):
        out = out + np.cos(x / s)
    for t in [0.1, 0.2]:
        out = out * (1.0 + t * x)
    return out


def row_energy(w, X):
    total = 0.0
    for row in X:
        total += np.dot(row, w) ** 2
    return total


def enumerate_poly(x):
    s = 0.0
    for i, c in enumerate(COEFFS):
        s += c * x ** i
    return s


def zipped_sq_error(pred, target):
    err = 0.0
    for p, t in zip(pred, target):
        err += (p - t) ** 2
    return err / len(pred)


def pair_repulsion(x):
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d = x[i] - x[j]
            e = e + 1.0 / (d * d + 1.0)
    return e


def euler_spring(x0, v0, k):
    dt = 0.01
    x = x0
    v = v0
    for _ in range(50):
        a = -k * x
        x = x + dt * v
        v = v + dt * a
    return 0.5 * v * v + 0.5 * k * x * x


def running_product(x):
    p = 1.0
    for i in range(len(x)):
        p *= 1.0 + x[i]
    return p


def float_counter(x):
    s = 0.0
    for i in range(4):
        s = s + float(i) * x + x ** (i + 1) / (i + 1.0)
    return s


def enumerate_rows(W, x):
    total = 0.0
    for i, row in enumerate(W):
        total = total + (i + 1) * np.tanh(row @ x)
    return total


def exponential_moving_average(x, alpha):
    avg = x[0]
    for v in x[1:]:
        avg += alpha * (v - avg)
    return avg


PROGRAMS = [
    (horner, (1.3,), 0),
    (power_sum, (0.7, 6), 0),
    (weighted_blend, (0.9,), 0),
    (row_energy, (np.array([0.5, -0.3, 1.2]), np.array([[1.0, 2.0, 0.5], [-0.4, 0.8, 1.1]])), (0, 1)),
    (enumerate_poly, (-1.4,), 0),
    (zipped_sq_error, (np.array([0.2, 1.5, -0.7]), np.array([0.0, 1.0, 0.3])), (0, 1)),
    (pair_repulsion, (np.array([0.1, 0.9, -0.6, 2.0]),), 0),
    (euler_spring, (1.0, 0.2, 3.0), (0, 1, 2)),
    (running_product, (np.array([0.3, -0.2, 0.8, 1.5]),), 0),
    (float_counter, (1.1,), 0),
    (enumerate_rows, (np.array([[0.3, -0.5], [0.8, 0.1], [-0.2, 0.4]]), np.array([1.2, -0.7])), (0, 1)),
    (exponential_moving_average, (np.array([0.4, 1.3, 0.2, 0.9]), 0.3), (0, 1)),
]
