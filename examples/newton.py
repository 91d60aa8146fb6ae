"""Newton's method with exact Hessians from tapeless.

Fits a logistic regression with three parameters by Newton's method: each step solves
H s = -g, with the gradient from reverse mode and the Hessian from forward mode over the
generated gradient. The gradient norm falls quadratically; the script prints it, then the
generated Hessian-vector product code.
"""

import numpy as np

import tapeless


def negative_log_likelihood(w, X, y):
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(w ** 2)


def main():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(200), rng.normal(size=(200, 2))])
    y = (X @ np.array([0.5, 2.0, -1.0]) + rng.logistic(size=200) > 0).astype(float)
    grad = tapeless.grad(negative_log_likelihood)
    hessian = tapeless.hessian(negative_log_likelihood)
    w = np.zeros(3)
    for step in range(8):
        g = grad(w, X, y)
        print(f"step {step}: loss {negative_log_likelihood(w, X, y):.10f}   |gradient| {np.linalg.norm(g):.3e}")
        if np.linalg.norm(g) < 1e-12:
            break
        w = w - np.linalg.solve(hessian(w, X, y), g)
    print("weights:", np.round(w, 6))
    print()
    print("The Hessian-vector product code (forward over reverse):")
    print(tapeless.hvp(negative_log_likelihood).source)


if __name__ == "__main__":
    main()
