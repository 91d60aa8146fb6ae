"""mlp: a 784-256-10 tanh network, batch 128, softmax cross-entropy; gradient wrt all weights."""

import numpy as np

WRT = ("W1", "b1", "W2", "b2")


def make_args(rng):
    X = rng.standard_normal((128, 784))
    Y = np.eye(10)[rng.integers(0, 10, size=128)]
    W1 = rng.standard_normal((784, 256)) / np.sqrt(784)
    W2 = rng.standard_normal((256, 10)) / np.sqrt(256)
    return W1, np.zeros(256), W2, np.zeros(10), X, Y


def f(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    z = logits - np.max(logits, axis=1, keepdims=True)
    logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.sum(Y * logp) / X.shape[0]


def grad_numpy(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    dlogits = (e / np.sum(e, axis=1, keepdims=True) - Y) / X.shape[0]
    da = (dlogits @ W2.T) * (1.0 - h * h)
    return X.T @ da, np.sum(da, axis=0), h.T @ dlogits, np.sum(dlogits, axis=0)
