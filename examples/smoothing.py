"""Smooth a noisy signal by gradient descent on a penalised least-squares loss written with
np.diff, and compare with the exact answer from a linear solve.

    loss(x) = sum((x - y)^2) + lam * sum(diff(x, 2)^2)

The penalty on second differences pulls x towards a smooth curve. The loss is quadratic, so its
minimiser solves (I + lam D^T D) x = y, where D takes second differences: the script builds D,
solves for x exactly, and checks that gradient descent with tapeless's gradient gets there.

    python examples/smoothing.py
"""

import numpy as np

import tapeless


@tapeless.differentiate(wrt="x")
def loss(x, y, lam):
    return np.sum((x - y) ** 2) + lam * np.sum(np.diff(x, 2) ** 2)


def exact(y, lam):
    """The minimiser of loss(., y, lam) from its normal equations."""
    D = np.diff(np.eye(len(y)), 2, axis=0)  # (n - 2) x n: each row takes one second difference
    return np.linalg.solve(np.eye(len(y)) + lam * D.T @ D, y)


def descend(y, lam, steps=3000):
    """Gradient descent from y, with a step below 2 / (the loss's largest curvature)."""
    rate = 1.0 / (2.0 + 32.0 * lam)  # the curvature is at most 2 + 2 * lam * 16
    x = y.copy()
    for _ in range(steps):
        x = x - rate * loss.grad(x, y, lam)
    return x


def main():
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 1.0, 60)
    clean = np.sin(2 * np.pi * t)
    y = clean + 0.2 * rng.standard_normal(len(t))
    lam = 5.0
    x = descend(y, lam)
    best = exact(y, lam)
    print(f"loss at the data:              {loss(y, y, lam):.6f}")
    print(f"loss after gradient descent:   {loss(x, y, lam):.6f}")
    print(f"loss at the exact minimiser:   {loss(best, y, lam):.6f}")
    print(f"largest difference from it:    {np.max(np.abs(x - best)):.2e}")
    print(f"distance to the clean signal:  noisy {np.linalg.norm(y - clean):.3f}, smoothed {np.linalg.norm(x - clean):.3f}")
    if np.max(np.abs(x - best)) > 1e-6:
        raise SystemExit("gradient descent did not reach the exact minimiser")
    print()
    print(loss.grad.source)


if __name__ == "__main__":
    main()
