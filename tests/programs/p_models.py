"""Scientific and ML models: ODE integrators, recurrent nets, attention, kernels, iterations."""

import math

import numpy as np

DT = 0.05


def rnn_final_state(W, U, X, h0):
    h = h0
    for xt in X:
        h = np.tanh(W @ h + U @ xt)
    return np.sum(h ** 2)


def rk4_decay(k, y0):
    """Integrate dy/dt = -k y + sin(t) with classical Runge-Kutta."""
    y = y0
    t = 0.0
    for _ in range(20):
        k1 = -k * y + math.sin(t)
        k2 = -k * (y + 0.5 * DT * k1) + math.sin(t + 0.5 * DT)
        k3 = -k * (y + 0.5 * DT * k2) + math.sin(t + 0.5 * DT)
        k4 = -k * (y + DT * k3) + math.sin(t + DT)
        y = y + DT / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        t = t + DT
    return y


def implicit_cubic(x):
    """Solve y^3 + y = x by Newton's method; the gradient flows through the iterations."""
    y = x
    for _ in range(30):
        y = y - (y ** 3 + y - x) / (3.0 * y ** 2 + 1.0)
    return y


def leapfrog_energy(q, p, omega):
    for _ in range(25):
        p = p - 0.5 * DT * omega ** 2 * q
        q = q + DT * p
        p = p - 0.5 * DT * omega ** 2 * q
    return 0.5 * p ** 2 + 0.5 * omega ** 2 * q ** 2 + q


def rbf_kernel_sum(x, length):
    n = len(x)
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += np.exp(-(x[i] - x[j]) ** 2 / (2.0 * length ** 2))
    return total


def logistic_map(r, x0):
    x = x0
    for _ in range(8):
        x = r * x * (1.0 - x)
    return x


def power_iteration(A, v):
    for _ in range(5):
        v = A @ v
        v = v / np.linalg.norm(v)
    return v @ A @ v


def attention(Q, K, V):
    d = Q.shape[1]
    scores = Q @ K.T / np.sqrt(d)
    scores = scores - np.max(scores, axis=1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    out = weights @ V
    return np.sum(out ** 2)


def polynomial_fit(c, x, y):
    pred = np.zeros_like(x)
    for k in range(len(c)):
        pred = pred + c[k] * x ** k
    return np.mean((pred - y) ** 2)


def batch_norm_layer(X, gamma, beta):
    mu = np.mean(X, axis=0)
    var = np.mean((X - mu) ** 2, axis=0)
    Xn = (X - mu) / np.sqrt(var + 1e-5)
    out = gamma * Xn + beta
    return np.sum(np.tanh(out) * np.arange(1.0, 1.0 + X.shape[1]))


def heat_equation(u0, alpha):
    """Explicit finite differences for u_t = alpha u_xx; each step drops the two edge points."""
    u = u0
    for _ in range(10):
        u = u[1:-1] + alpha * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return np.sum(u ** 2)


PROGRAMS = [
    (rnn_final_state, (np.array([[0.5, -0.2], [0.1, 0.3]]), np.array([[0.4, 0.1, -0.3], [0.2, -0.5, 0.6]]),
                       np.array([[1.0, 0.5, -0.2], [0.3, -0.7, 0.9], [-0.4, 0.2, 0.1]]), np.array([0.1, -0.1])),
     (0, 1, 2, 3)),
    (rk4_decay, (0.8, 1.5), (0, 1)),
    (implicit_cubic, (2.5,), 0),
    (leapfrog_energy, (1.0, 0.3, 1.7), (0, 1, 2)),
    (rbf_kernel_sum, (np.array([0.1, 0.7, -0.4]), 0.8), (0, 1)),
    (logistic_map, (2.7, 0.3), (0, 1)),
    (power_iteration, (np.array([[2.0, 0.5], [0.3, 1.0]]), np.array([1.0, 0.2])), (0, 1)),
    (attention, (np.array([[0.2, -0.3], [0.5, 0.1], [-0.4, 0.8]]), np.array([[0.1, 0.6], [-0.2, 0.3]]),
                 np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -0.1]])), (0, 1, 2)),
    (polynomial_fit, (np.array([0.5, -0.3, 0.2]), np.array([0.1, 0.4, 0.9, 1.3]), np.array([0.6, 0.3, 0.1, 0.0])),
     0),
    (batch_norm_layer, (np.array([[0.5, 1.0], [-0.3, 2.0], [0.4, -0.1], [1.2, 0.3]]), np.array([1.1, 0.9]),
                        np.array([0.1, -0.2])), (0, 1, 2)),
    (heat_equation, (np.sin(np.linspace(0.0, 3.0, 24)) + 0.1, 0.2),
     (0, 1)),
]
