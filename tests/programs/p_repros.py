"""Minimal reproductions of tapeless bugs found by the program collection (see test_programs.py).

All of them are fixed; they stay here as regression tests."""

import numpy as np


def _add_c(z, c=0.0):
    return z * z + c


def _square(z):
    return z * z


def repro_helper_default(x):
    """A helper called without its defaulted argument: d/dx x^2 = 2x."""
    return _add_c(x)


def repro_helper_in_loop(x):
    """sum_{k=1,2} (k x)^2 = 5 x^2, so d/dx = 10 x."""
    t = 0.0
    for k in range(1, 3):
        t = t + _square(k * x)
    return t


def repro_aliased_inplace(x):
    """y and z are one array; the result is sum((x + 1)^2), d/dx = 2 (x + 1).

    Not in PROGRAMS: refusing it (UnsupportedSyntax) is an acceptable answer."""
    y = x * 1.0
    z = y
    z += 1.0
    return np.sum(y * z)


def repro_scalar_augmented(x):
    """A float accumulator started from the argument: x + 0 x + 1 x + 2 x = 4 x, d/dx = 4."""
    total = x
    for k in range(3):
        total += x * k
    return total


def repro_kwonly_wrt(x, *, scale):
    """d/dscale = x^2, through a keyword-only argument (check_grads raised IndexError before 4324aa0)."""
    return scale * x * x


def repro_value_loop(x):
    """x^3 by a loop: value_and_grad(2.0) should be (8.0, 12.0)."""
    s = 1.0
    for k in range(3):
        s = s * x
    return s


def repro_value_rebind(x):
    """(2x)^2 with the name rebound: value_and_grad(1.5) should be (9.0, 12.0)."""
    y = x * 2.0
    y = y * y
    return y


def repro_value_early_return(x):
    """Early return inside a loop that is not taken: value_and_grad should give (sum(sin(x)), cos(x))."""
    total = 0.0
    for i in range(x.shape[0]):
        if x[i] > 10.0:
            return total
        total = total + np.sin(x[i])
    return total


def repro_rebind_param_to_int(x):
    """y * 3 = 3 x^2, so d/dx = 6 x; x ends up naming an int."""
    y = x * x
    x = 3
    return y * x


PROGRAMS = [
    (repro_helper_default, (1.5,), 0),
    (repro_helper_in_loop, (1.0,), 0),
    (repro_kwonly_wrt, (0.8,), "scale", {"scale": 2.0}),
    (repro_value_loop, (2.0,), 0),
    (repro_value_rebind, (1.5,), 0),
    (repro_value_early_return, (np.array([0.5, 1.0]),), 0),
    (repro_rebind_param_to_int, (1.5,), 0),  # regression: rebinding x to an int gave ArgumentError
    (repro_scalar_augmented, (0.4,), 0),     # regression: float 'total += ...' refused as aliasing
]
