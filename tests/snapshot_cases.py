"""Representative functions whose generated gradient source is pinned in tests/snapshots/."""

import math

import numpy as np


def poly(x):
    return x ** 2 + 3 * x + 5


def logistic_loss(w, b, X, y):
    z = X @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def pendulum(damping, theta0):
    theta = theta0
    omega = 0.0
    dt = 0.01
    for i in range(100):
        alpha = -9.81 * math.sin(theta) - damping * omega
        omega = omega + dt * alpha
        theta = theta + dt * omega
    return theta


def huber(r, delta):
    if abs(r) <= delta:
        loss = 0.5 * r ** 2
    else:
        loss = delta * (abs(r) - 0.5 * delta)
    return loss


def scale(v, factor=2.0):
    return np.tanh(v) * factor


def uses_helper(x):
    y = scale(x, factor=3.0)
    return np.sum(y * y)


def series(x):
    term = 1.0
    total = 0.0
    k = 0
    while abs(term) > 1e-12:
        total = total + term
        k = k + 1
        term = term * x / k
    return total
