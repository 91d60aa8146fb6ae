"""Train a small neural network on handwritten digits, with gradients from tapeless.

A 64-64-10 network (tanh hidden layer, softmax cross-entropy) written in plain NumPy is trained
by minibatch stochastic gradient descent with momentum on scikit-learn's bundled 8x8 digits
(1797 images, no download). The gradient of the loss with respect to all four parameter arrays
is one generated Python function; the script prints its source first, then trains with a
progress bar, prints the time taken and the test accuracy, and saves the loss curve.

    python examples/mlp_digits.py [LOSS_PLOT.png]

(default: mlp_digits_loss.png in the current folder). Needs scikit-learn, tqdm and matplotlib:
pip install -e ".[examples]". Exits with an error if the test accuracy is below 95%.
"""

import sys
import time

import numpy as np

import tapeless

HIDDEN = 64
CLASSES = 10
MIN_ACCURACY = 0.95


@tapeless.differentiate(wrt=("W1", "b1", "W2", "b2"))
def loss(W1, b1, W2, b2, X, Y, weight_decay=1e-4):
    """Mean softmax cross-entropy of a one-hidden-layer tanh network, plus weight decay.

    X holds one example per row, Y the one-hot labels.
    """
    hidden = np.tanh(X @ W1 + b1)
    logits = hidden @ W2 + b2
    # Subtracting the row maximum keeps exp from overflowing and does not change the loss, so
    # no derivative needs to flow through it.
    shifted = logits - tapeless.stop_gradient(np.max(logits, axis=1, keepdims=True))
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    cross_entropy = -np.mean(np.sum(Y * log_probs, axis=1))
    return cross_entropy + weight_decay * (np.sum(W1 ** 2) + np.sum(W2 ** 2))


def predict(params, X):
    W1, b1, W2, b2 = params
    return np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1)


def one_hot(labels, classes=CLASSES):
    return np.eye(classes)[labels]


def init_params(rng, inputs, hidden=HIDDEN, classes=CLASSES):
    """Small random weights (scaled by 1/sqrt(fan-in)) and zero biases."""
    return (rng.normal(size=(inputs, hidden)) / np.sqrt(inputs), np.zeros(hidden),
            rng.normal(size=(hidden, classes)) / np.sqrt(hidden), np.zeros(classes))


def sgd_epoch(params, velocity, X, Y, rng, lr=0.05, momentum=0.9, batch=32):
    """One pass over (X, Y) in shuffled minibatches of SGD with momentum:
    v <- momentum * v - lr * gradient; p <- p + v. Returns the new params and velocity."""
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch):
        rows = order[start:start + batch]
        grads = loss.grad(*params, X[rows], Y[rows])
        velocity = tuple(momentum * v - lr * g for v, g in zip(velocity, grads))
        params = tuple(p + v for p, v in zip(params, velocity))
    return params, velocity


def load_data(seed=0):
    """The digits, standardised with the training split's mean and spread, and one-hot labels."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.25, random_state=seed, stratify=digits.target)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def plot_losses(train_losses, test_losses, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = np.arange(1, len(train_losses) + 1)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.semilogy(epochs, train_losses, label="training loss")
    ax.semilogy(epochs, test_losses, label="test loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy + weight decay")
    ax.set_title("64-64-10 MLP on sklearn digits, gradients by tapeless")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None, epochs=30):
    from tqdm import tqdm

    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return None
    path = argv[0] if argv else "mlp_digits_loss.png"

    print("The generated gradient of the loss (what runs at every step):")
    print(loss.grad.source)
    print()

    X_train, X_test, y_train, y_test = load_data()
    Y_train, Y_test = one_hot(y_train), one_hot(y_test)
    print(f"{len(X_train)} training and {len(X_test)} test images of {X_train.shape[1]} pixels")

    rng = np.random.default_rng(0)
    params = init_params(rng, X_train.shape[1])
    velocity = tuple(np.zeros_like(p) for p in params)
    train_losses, test_losses = [], []
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="training", unit="epoch")
    for _ in bar:
        params, velocity = sgd_epoch(params, velocity, X_train, Y_train, rng)
        train_losses.append(float(loss(*params, X_train, Y_train)))
        test_losses.append(float(loss(*params, X_test, Y_test)))
        bar.set_postfix(loss=f"{train_losses[-1]:.4f}", test_loss=f"{test_losses[-1]:.4f}")
    bar.close()
    elapsed = time.perf_counter() - start

    train_accuracy = float(np.mean(predict(params, X_train) == y_train))
    accuracy = float(np.mean(predict(params, X_test) == y_test))
    print(f"trained {epochs} epochs in {elapsed:.2f} s")
    print(f"final training loss {train_losses[-1]:.4f}, test loss {test_losses[-1]:.4f}")
    print(f"training accuracy {train_accuracy:.4f}")
    print(f"test accuracy {accuracy:.4f}")
    plot_losses(train_losses, test_losses, path)
    print(f"wrote {path}")
    if accuracy < MIN_ACCURACY:
        raise SystemExit(f"test accuracy {accuracy:.4f} is below {MIN_ACCURACY}: training has regressed")
    return accuracy


if __name__ == "__main__":
    main()
