"""Builtins shadowed by module-level definitions (tests/test_hostile.py): reversed, float and
slice mean something else in this module. The user's code calls the user's versions; generated
code must not (its backward loops and index adjoints use the builtins). range and len are
shadowed in hostile_range_len_cases.py (bug I)."""

import builtins

import numpy as np


def reversed(seq):
    """Does not reverse."""
    return builtins.list(seq)


def float(v):
    """Doubles."""
    return 2.0 * v


slice = "slice is a string here"


def uses_reversed(x):
    """x: (3,). Order matters: s -> s * x[i] + 1 for i = 0, 1, 2 (reversed does not reverse)."""
    s = 1.0
    for i in reversed(range(3)):
        s = s * x[i] + 1.0
    return s


def uses_float(x):
    """x: a float. float(x) is 2 x here, so f = 4 x^2."""
    return float(x) ** 2


def uses_slices(x):
    """x: (2, 3). Slices, steps and loops: the generated index adjoints and the backward loops
    must not read this module's slice or reversed."""
    a = x[:, 1:]
    b = x[::-1, ::2]
    s = np.sum(a ** 2) + np.sum(b * a[:, :1])
    for row in x:
        s = s + np.sum(np.sin(row[1:]))
    k = 0
    while k < 2:
        s = s + np.sum(x[k, :2]) * 0.5
        k += 1
    return s
