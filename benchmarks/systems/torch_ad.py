"""PyTorch on the CPU, eager, float64: each workload written again with torch operations, the
same math step for step; ``torch.autograd.grad`` returns the gradients."""

import torch

from .. import workloads

torch.set_num_threads(1)  # single-threaded, like the others (see benchmarks/__main__.py)


def poly(x):
    return x ** 2 + 3 * x + 5


def logistic(w, b, X, y):
    z = X @ w + b
    p = 1.0 / (1.0 + torch.exp(-z))
    return -torch.mean(y * torch.log(p) + (1.0 - y) * torch.log(1.0 - p))


def mlp(W1, b1, W2, b2, X, Y):
    h = torch.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    z = logits - torch.amax(logits, dim=1, keepdim=True)
    logp = z - torch.log(torch.sum(torch.exp(z), dim=1, keepdim=True))
    return -torch.sum(Y * logp) / X.shape[0]


def rnn(Wh, Wx, b, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = torch.tanh(h @ Wh + xs[t] @ Wx + b)
    return torch.mean(h ** 2)


def scalar_loop(damping, theta0):
    theta = theta0
    omega = 0.0
    for i in range(1000):
        alpha = -9.81 * torch.sin(theta) - damping * omega
        omega = omega + 0.01 * alpha
        theta = theta + 0.01 * omega
    return theta


def while_loop(x):
    term = 1.0
    total = 1.0
    k = 0
    while abs(term) > 1e-12:
        k = k + 1
        term = term * x / k
        total = total + term
    return total


def make(workload, args):
    f = globals()[workloads.name(workload)]
    wrt = (workload.WRT,) if isinstance(workload.WRT, str) else workload.WRT
    params = workload.f.__code__.co_varnames[:workload.f.__code__.co_argcount]
    args = tuple(torch.tensor(a, dtype=torch.float64, requires_grad=p in wrt) for p, a in zip(params, args))
    inputs = tuple(a for p, a in zip(params, args) if p in wrt)

    def call():
        return torch.autograd.grad(f(*args), inputs)

    return call, lambda grads: tuple(g.numpy() for g in grads)
