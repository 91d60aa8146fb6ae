"""poly: x**2 + 3x + 5 at a Python float. Almost no arithmetic: this measures per-call overhead."""

WRT = "x"


def make_args(rng):
    return (2.0,)


def f(x):
    return x ** 2 + 3 * x + 5


def grad_numpy(x):
    return 2.0 * x + 3.0
