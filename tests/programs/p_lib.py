"""A small library of helpers (used by p_helpers.py) and programs built from them."""

import numpy as np

EPS = 1e-8


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def logsumexp(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def moments(x):
    """Mean and (biased) variance of a vector."""
    mu = np.mean(x)
    var = np.mean((x - mu) ** 2)
    return mu, var


def linear(X, w, b=0.0):
    return X @ w + b


def mse(pred, y):
    return np.mean((pred - y) ** 2)


def scaled_norm(x, scale=1.0, eps=EPS):
    return scale * np.sqrt(np.sum(x * x) + eps)


def rpow(x, n):
    """x ** n for a non-negative integer n, recursively."""
    if n == 0:
        return 1.0
    return x * rpow(x, n - 1)


def poly_rec(x, coeffs, i):
    """Horner's rule, recursively: coeffs[i] + x * (coeffs[i+1] + x * (...))."""
    if i == len(coeffs) - 1:
        return coeffs[i]
    return coeffs[i] + x * poly_rec(x, coeffs, i + 1)


def standardize_loss(x):
    mu, var = moments(x)
    z = (x - mu) / np.sqrt(var + EPS)
    return np.sum(z ** 3)


def logistic_nll(w, X, y):
    p = sigmoid(linear(X, w))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


PROGRAMS = [
    (logsumexp, (np.array([0.3, 2.0, -1.0, 0.7]),), 0),
    (rpow, (1.3, 5), 0),
    (poly_rec, (0.8, [1.0, -2.0, 0.5, 3.0], 0), 0),
    (standardize_loss, (np.array([0.2, 1.7, -0.5, 0.9, 3.1]),), 0),
    (logistic_nll, (np.array([0.4, -0.6]), np.array([[1.0, 2.0], [-0.5, 1.0], [2.0, -1.0]]),
                    np.array([1.0, 0.0, 1.0])), 0),
    (scaled_norm, (np.array([0.3, -1.2, 0.5]),), 0, {"scale": 2.5}),
]
