"""NumPy losses and models with broadcasting."""

import numpy as np

RIDGE = 0.1
_RNG = np.random.default_rng(1234)
X_DATA = _RNG.normal(size=(6, 3))
Y_REG = _RNG.normal(size=6)
Y_BIN = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
LABELS = np.array([0, 2, 1, 1, 0, 2])
ONEHOT = np.eye(3)[LABELS]


def least_squares(w, X, y):
    r = X @ w - y
    return 0.5 * np.sum(r ** 2) / X.shape[0]


def ridge(w, b, X, y):
    pred = np.dot(X, w) + b
    return np.mean(np.square(pred - y)) + RIDGE * np.sum(w * w)


def logistic_margin(w, X, y):
    margin = y * (X @ w)
    return np.mean(np.log1p(np.exp(-margin)))


def softmax_cross_entropy(W, X, onehot):
    logits = X @ W
    m = np.max(logits, axis=1, keepdims=True)
    shifted = logits - m
    logz = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(onehot * (shifted - logz)) / X.shape[0]


def huber_vectorized(r, delta=1.0):
    a = np.abs(r)
    return np.sum(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)))


def squared_hinge(w, X, y):
    return np.mean(np.maximum(0.0, 1.0 - y * (X @ w)) ** 2)


def gaussian_nll(mu, log_sigma, X):
    sigma = np.exp(log_sigma)
    z = (X - mu) / sigma
    return 0.5 * np.sum(z ** 2) + X.shape[0] * np.sum(log_sigma)


def cosine_similarity(a, b):
    return np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))


def two_layer_mlp(W1, b1, w2, X, y):
    h = np.tanh(X @ W1 + b1)
    out = h @ w2
    return np.mean((out - y) ** 2)


def standardized_quadratic(X):
    centered = X - X.mean(axis=0, keepdims=True)
    scale = np.sqrt((centered ** 2).mean(axis=0) + 1e-3)
    Z = centered / scale
    return np.sum(Z[:, 0] * Z[:, 1]) + np.sum(Z ** 4) / 10.0


def elastic_net(w, X, y, l1=0.05, l2=0.1):
    r = X @ w - y
    return np.mean(r * r) + l1 * np.sum(np.abs(w)) + l2 * np.sum(w ** 2)


def poisson_nll(beta, X, counts):
    eta = X @ beta
    return np.sum(np.exp(eta) - counts * eta)


def kl_softmax(p_logits, q_logits):
    p = np.exp(p_logits) / np.sum(np.exp(p_logits))
    q = np.exp(q_logits) / np.exp(q_logits).sum()
    return np.sum(p * (np.log(p) - np.log(q)))


def clipped_regression(w, X, y):
    pred = np.clip(X @ w, -1.0, 1.0)
    return np.sum((pred - y) ** 2) + np.sum(np.minimum(w, 0.5) * np.maximum(w, -0.5))


def outer_broadcast(a, b):
    M = np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))
    return np.sum(np.sin(M)) + np.prod(1.0 + 0.1 * a) + np.max(M) - np.min(M, axis=0).sum()


PROGRAMS = [
    (least_squares, (np.array([0.3, -0.5, 1.0]), X_DATA, Y_REG), (0, 1, 2)),
    (ridge, (np.array([0.3, -0.5, 1.0]), 0.2, X_DATA, Y_REG), (0, 1)),
    (logistic_margin, (np.array([0.3, -0.5, 1.0]), X_DATA, Y_BIN), (0, 1)),
    (softmax_cross_entropy, (np.array([[0.2, -0.3, 0.5], [0.1, 0.4, -0.6], [-0.7, 0.2, 0.3]]), X_DATA, ONEHOT),
     (0, 1)),
    (huber_vectorized, (np.array([0.3, -2.0, 1.5, -0.2]),), 0),
    (squared_hinge, (np.array([0.3, -0.5, 1.0]), X_DATA, Y_BIN), 0),
    (gaussian_nll, (np.array([0.1, -0.2, 0.3]), np.array([0.2, -0.1, 0.05]), X_DATA), (0, 1, 2)),
    (cosine_similarity, (np.array([1.0, 2.0, -0.5]), np.array([0.3, -1.0, 2.0])), (0, 1)),
    (two_layer_mlp, (_RNG.normal(size=(3, 4)) * 0.5, np.array([0.1, -0.1, 0.2, 0.0]),
                     np.array([0.5, -0.3, 0.8, 0.2]), X_DATA, Y_REG), (0, 1, 2, 3)),
    (standardized_quadratic, (X_DATA,), 0),
    (elastic_net, (np.array([0.3, -0.5, 1.0]), X_DATA, Y_REG), 0),
    (elastic_net, (np.array([0.3, -0.5, 1.0]), X_DATA, Y_REG), 0, {"l1": 0.2, "l2": 0.0}),
    (poisson_nll, (np.array([0.1, -0.2, 0.3]), X_DATA, np.array([1.0, 0.0, 3.0, 2.0, 1.0, 0.0])), 0),
    (kl_softmax, (np.array([0.5, -0.2, 1.0]), np.array([0.1, 0.3, -0.4])), (0, 1)),
    (clipped_regression, (np.array([0.2, -0.3, 0.25]), X_DATA, Y_REG), 0),
    (outer_broadcast, (np.array([0.5, -1.2, 0.8]), np.array([1.1, 0.3])), (0, 1)),
]
