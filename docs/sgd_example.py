"""Fit a linear model by minibatch stochastic gradient descent, with gradients from tapeless.

The training loop docs/tutorial.md walks through:

    python docs/sgd_example.py
"""

import numpy as np

import tapeless


@tapeless.differentiate(wrt=("w", "b"))
def loss(w, b, X, y):
    """Mean squared error of the linear model X @ w + b."""
    residual = X @ w + b - y
    return np.mean(residual ** 2)


def main():
    rng = np.random.default_rng(0)
    true_w, true_b = np.array([2.0, -1.0, 0.5]), 0.3
    X = rng.normal(size=(500, 3))
    y = X @ true_w + true_b + 0.1 * rng.normal(size=500)

    w, b = np.zeros(3), 0.0
    learning_rate, batch_size = 0.05, 25
    print(f"epoch 0  loss {loss(w, b, X, y):.4f}")
    for epoch in range(1, 6):
        order = rng.permutation(len(y))  # a new order of the examples every epoch
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            dw, db = loss.grad(w, b, X[rows], y[rows])  # the gradient on this minibatch
            w = w - learning_rate * dw
            b = b - learning_rate * db
        print(f"epoch {epoch}  loss {loss(w, b, X, y):.4f}")
    print("learned w =", ", ".join(f"{v:.3f}" for v in w), f" b = {b:.3f}")
    print("true    w =", ", ".join(f"{v:.3f}" for v in true_w), f" b = {true_b:.3f}")


if __name__ == "__main__":
    main()
