"""Automatic differentiation against finite differences, as a table and a picture.

A finite difference needs a step h. Make h large and the estimate is wrong because the curve
is not a straight line (truncation error, about h for the forward difference and h**2 for the
central one); make h small and f(x + h) - f(x) loses its digits to rounding (rounding error,
about machine epsilon / h). No h is right for every function. tapeless's gradient has no step:
it is the exact derivative, rounded once.

For f(x) = x**2 + 3x + 5 at x = 2 and g(x) = sin(x) exp(-x) at x = 1, the script prints the
forward and central differences for h = 1e-1 down to 1e-15, their errors against the
derivative worked out by hand, and tapeless's gradient and its error; then it draws the errors
against h on log-log axes.

    python examples/finite_differences.py [PLOT.png]

writes the plot to PLOT.png (default: finite_differences.png in the current folder); plotting
needs matplotlib (pip install -e ".[examples]").
"""

import sys

import numpy as np

import tapeless

STEPS = [10.0 ** -k for k in range(1, 16)]  # h = 1e-1, 1e-2, ..., 1e-15
EPS = float(np.finfo(float).eps)  # where an error of exactly 0 is drawn on the log scale


@tapeless.differentiate
def quadratic(x):
    return x ** 2 + 3 * x + 5


def quadratic_exact(x):
    """d/dx (x**2 + 3x + 5) = 2x + 3, worked out by hand."""
    return 2 * x + 3


@tapeless.differentiate
def damped_sine(x):
    return np.sin(x) * np.exp(-x)


def damped_sine_exact(x):
    """d/dx sin(x) exp(-x) = (cos(x) - sin(x)) exp(-x), by the product rule, by hand."""
    return (np.cos(x) - np.sin(x)) * np.exp(-x)


# (name, function, point, its derivative there by hand)
CASES = [
    ("f(x) = x**2 + 3x + 5", quadratic, 2.0, quadratic_exact(2.0)),
    ("g(x) = sin(x) exp(-x)", damped_sine, 1.0, float(damped_sine_exact(1.0))),
]


def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def difference_table(f, x, exact, steps=STEPS):
    """One row per step h: (h, forward estimate, central estimate, forward error, central error)."""
    rows = []
    for h in steps:
        forward = float(forward_difference(f, x, h))
        central = float(central_difference(f, x, h))
        rows.append((h, forward, central, abs(forward - exact), abs(central - exact)))
    return rows


def autodiff_error(f, x, exact):
    """tapeless's gradient at x and its error against the derivative worked out by hand."""
    g = float(f.grad(x))
    return g, abs(g - exact)


def print_case(name, f, x, exact):
    rows = difference_table(f, x, exact)
    g, error = autodiff_error(f, x, exact)
    print(f"{name}, at x = {x}: exact derivative (by hand) {exact!r}")
    print(f"  {'h':>7}  {'forward':>22}  {'error':>9}  {'central':>22}  {'error':>9}")
    for h, forward, central, forward_error, central_error in rows:
        print(f"  {h:7.0e}  {forward:22.15f}  {forward_error:9.2e}  {central:22.15f}  {central_error:9.2e}")
    best_forward = min(rows, key=lambda row: row[3])
    best_central = min(rows, key=lambda row: row[4])
    print(f"  best forward difference: h = {best_forward[0]:.0e}, error {best_forward[3]:.2e}")
    print(f"  best central difference: h = {best_central[0]:.0e}, error {best_central[4]:.2e}")
    zero_note = "  (exactly 0: drawn at machine epsilon in the plot)" if error == 0 else ""
    print(f"  tapeless gradient:       {g!r}, error {error:.2e}{zero_note}")
    print()
    return rows, error


def plot(results, path):
    """Draw error against h for each case; ``results`` holds (name, rows, autodiff error)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 5), sharey=True)
    for ax, (name, rows, ad_error) in zip(np.atleast_1d(axes), results):
        h = np.array([row[0] for row in rows])
        forward = np.maximum([row[3] for row in rows], EPS)  # an exact 0 is drawn at epsilon
        central = np.maximum([row[4] for row in rows], EPS)
        ax.loglog(h, forward, "o-", color="tab:blue", label="forward difference (f(x+h) - f(x)) / h")
        ax.loglog(h, central, "s-", color="tab:orange", label="central difference (f(x+h) - f(x-h)) / 2h")
        ad_label = ("tapeless gradient: error exactly 0, drawn at machine epsilon" if ad_error == 0
                    else f"tapeless gradient: error {ad_error:.1e}")
        ax.loglog(h, np.full(len(h), max(ad_error, EPS)), "k--", label=ad_label)
        ax.axvspan(1e-16, 1e-8, color="tab:red", alpha=0.07)
        ax.axvspan(1e-5, 1, color="tab:green", alpha=0.07)
        ax.text(5e-16, 1e3, "rounding error ~ eps / h\n(h too small)", color="tab:red", va="top")
        ax.text(1.5e-5, 1e3, "truncation error\n~ h, ~ h$^2$ (h too big)", color="tab:green", va="top")
        ax.set_title(name)
        ax.set_xlabel("step h")
        ax.set_xlim(3e-16, 0.3)
        ax.set_ylim(EPS / 4, 1e4)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.06), fontsize=7.5, framealpha=0.9)
    np.atleast_1d(axes)[0].set_ylabel("absolute error of the derivative")
    fig.suptitle("Finite differences against automatic differentiation")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return None
    path = argv[0] if argv else "finite_differences.png"
    results = []
    for name, f, x, exact in CASES:
        rows, ad_error = print_case(name, f, x, exact)
        results.append((name, rows, ad_error))
    print("For f, the central difference has no truncation error at all (the third derivative of a")
    print("quadratic is 0): only rounding is left, and it grows as h shrinks. The forward difference")
    print("of f is 2x + 3 + h in exact arithmetic, so its error is h until rounding takes over.")
    print()
    plot(results, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
