"""logistic: mean binary cross-entropy of a logistic regression, X 1000x100; gradient wrt w and b."""

import numpy as np

WRT = ("w", "b")


def make_args(rng):
    X = rng.standard_normal((1000, 100))
    y = (X @ rng.standard_normal(100) + 0.5 * rng.standard_normal(1000) > 0).astype(np.float64)
    w = 0.1 * rng.standard_normal(100)
    return w, 0.1, X, y


def f(w, b, X, y):
    z = X @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def grad_numpy(w, b, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    dz = (p - y) / len(y)
    return X.T @ dz, float(np.sum(dz))
