"""Fit a Gaussian process's hyperparameters by gradient descent: tapeless differentiates
through np.linalg.solve and np.linalg.det.

Noisy observations y at points x are modelled with a squared-exponential kernel of length
scale ell, signal standard deviation sf and noise standard deviation sn:

    K = sf^2 exp(-(x_i - x_j)^2 / (2 ell^2)) + sn^2 I
    nll = y^T K^-1 y / 2 + log det K / 2 + n log(2 pi) / 2

The hyperparameters are fitted by their logarithms (so they stay positive), minimising the
negative log marginal likelihood nll. The data come from known hyperparameters; the script
checks the gradient against finite differences, runs gradient descent to a stationary point,
prints the fitted values next to the true ones (with 40 points the maximum-likelihood values
are near them, not equal), and shows the generated code for the linear solve.

    python examples/gaussian_process.py
"""

import numpy as np

import tapeless
from tapeless.testing import check_grads

TRUE = {"ell": 0.7, "sf": 1.0, "sn": 0.1}


def negative_log_likelihood(log_ell, log_sf, log_sn, x, y):
    d = x[:, None] - x[None, :]
    K = np.exp(2.0 * log_sf) * np.exp(-0.5 * d ** 2 / np.exp(2.0 * log_ell)) + np.exp(2.0 * log_sn) * np.eye(len(x))
    alpha = np.linalg.solve(K, y)
    return 0.5 * (y @ alpha) + 0.5 * np.log(np.linalg.det(K)) + 0.5 * len(x) * np.log(2.0 * np.pi)


WRT = ("log_ell", "log_sf", "log_sn")


def sample(rng, n=40):
    """Points in [0, 5] and observations drawn from the model with the TRUE hyperparameters."""
    x = np.sort(rng.uniform(0.0, 5.0, n))
    d = x[:, None] - x[None, :]
    K = TRUE["sf"] ** 2 * np.exp(-0.5 * d ** 2 / TRUE["ell"] ** 2) + TRUE["sn"] ** 2 * np.eye(n)
    y = np.linalg.cholesky(K) @ rng.standard_normal(n)
    return x, y


def fit(x, y, start=(0.0, 0.0, -1.0), steps=100, rate=0.02):
    """Gradient descent on the log hyperparameters; returns them and the nll at each step."""
    grad = tapeless.grad(negative_log_likelihood, wrt=WRT)
    theta = np.array(start)
    history = []
    for _ in range(steps):
        history.append(negative_log_likelihood(*theta, x, y))
        theta = theta - rate * np.array(grad(*theta, x, y))
    return theta, history


def main():
    rng = np.random.default_rng(0)
    x, y = sample(rng)
    start = (0.0, 0.0, -1.0)
    check_grads(negative_log_likelihood, [*start, x, y], wrt=WRT, modes=("rev", "fwd"))
    print("gradient checked against finite differences (reverse and forward mode)")

    theta, history = fit(x, y, start)
    for step in (0, 2, 5, 10, 20, 50):
        print(f"step {step:3d}: nll {history[step]:9.4f}")
    final_grad = tapeless.grad(negative_log_likelihood, wrt=WRT)(*theta, x, y)
    print(f"final:    nll {negative_log_likelihood(*theta, x, y):9.4f}   |gradient| {np.linalg.norm(final_grad):.1e}")
    for name, value in zip(("ell", "sf", "sn"), np.exp(theta)):
        print(f"  {name}: fitted {value:.3f}, true {TRUE[name]}")
    if not history[-1] < history[0] or np.linalg.norm(final_grad) > 1e-2:
        raise SystemExit("the fit did not converge")

    print()
    print("The backward sweep through alpha = np.linalg.solve(K, y), as generated:")
    source = tapeless.grad(negative_log_likelihood, wrt=WRT).source
    block = source.split("# alpha = np.linalg.solve(K, y)")[1].split("#")[0]
    print("    # alpha = np.linalg.solve(K, y)" + block.rstrip())


if __name__ == "__main__":
    main()
