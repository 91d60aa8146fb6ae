"""rnn: a tanh RNN unrolled by a Python for loop over 50 steps, hidden 64, input 32, batch 16;
the loss is the mean square of the last state; gradient wrt all weights."""

import numpy as np

WRT = ("Wh", "Wx", "b")


def make_args(rng):
    Wh = rng.standard_normal((64, 64)) / 8.0
    Wx = rng.standard_normal((32, 64)) / np.sqrt(32)
    xs = rng.standard_normal((50, 16, 32))
    return Wh, Wx, np.zeros(64), xs, np.zeros((16, 64))


def f(Wh, Wx, b, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(h @ Wh + xs[t] @ Wx + b)
    return np.mean(h ** 2)


def grad_numpy(Wh, Wx, b, xs, h0):
    hs = [h0]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(hs[-1] @ Wh + xs[t] @ Wx + b))
    dh = 2.0 * hs[-1] / hs[-1].size
    dWh, dWx, db = np.zeros_like(Wh), np.zeros_like(Wx), np.zeros_like(b)
    for t in reversed(range(xs.shape[0])):
        da = dh * (1.0 - hs[t + 1] ** 2)
        dWh += hs[t].T @ da
        dWx += xs[t].T @ da
        db += np.sum(da, axis=0)
        dh = da @ Wh.T
    return dWh, dWx, db
