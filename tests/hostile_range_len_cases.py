"""range and len shadowed by module-level definitions (tests/test_hostile.py, bug I): the user's
code calls the user's versions; the loops tapeless adds (``for k in range(len(seq))`` for a
loop over an array) must not."""

import builtins

import numpy as np


def range(*args):
    """1-based: range(3) is 1, 2, 3."""
    if builtins.len(args) == 1:
        return builtins.range(1, args[0] + 1)
    return builtins.range(*args)


def len(a):
    """Always 2."""
    return 2


def uses_range(x):
    """x: a float. s = x * 1 * 2 * 3 with the 1-based range (0 with the builtin one)."""
    s = x
    for i in range(3):
        s = s * i
    return s


def loop_over_rows(x):
    """x: (3,). A loop over an array's elements: every element counts, f = sum(x ** 2)."""
    s = 0.0
    for v in x:
        s = s + v * v
    return s


def uses_len(x):
    """x: (3,). Only the first len(x) == 2 elements: f = x0^2 + x1^2."""
    total = 0.0
    for i in builtins.range(len(x)):
        total = total + x[i] ** 2
    return total
