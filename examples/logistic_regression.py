"""Train a logistic-regression classifier by stochastic gradient descent.

The gradient of the loss comes from @tapeless.differentiate; the script prints the loss as it
falls, the final accuracy, and the generated gradient code that did the work.
"""

import numpy as np

import tapeless


@tapeless.differentiate(wrt=("w", "b"))
def loss(w, b, X, y):
    """Mean binary cross-entropy of a linear model with a sigmoid output."""
    z = X @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def make_data(rng, n=600, d=5):
    true_w = rng.normal(size=d)
    X = rng.normal(size=(n, d))
    y = (X @ true_w + 0.3 * rng.normal(size=n) > 0).astype(float)
    return X, y


def main():
    rng = np.random.default_rng(0)
    X, y = make_data(rng)
    w, b = np.zeros(X.shape[1]), 0.0
    lr, batch = 0.5, 32
    for epoch in range(10):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch):
            rows = order[start:start + batch]
            dw, db = loss.grad(w, b, X[rows], y[rows])
            w, b = w - lr * dw, b - lr * db
        print(f"epoch {epoch + 1:2d}  loss {loss(w, b, X, y):.4f}")
    accuracy = np.mean(((X @ w + b) > 0) == (y > 0.5))
    print(f"accuracy {accuracy:.3f}")
    print()
    print("The gradient that trained it:")
    print(loss.grad.source)


if __name__ == "__main__":
    main()
