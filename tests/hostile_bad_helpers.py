"""Helpers with problems, in their own file (tests/test_hostile.py): errors found in them must
point here, at the line marked ``# <-``, not at the caller."""

import numpy as np


def helper_with_try(p):
    s = p * 2.0
    try:  # <-
        s = s + 1.0
    except ValueError:
        pass
    return s


def helper_with_comprehension(p):
    parts = [p * k for k in range(3)]  # <-
    return parts[0]


def helper_with_index_write(p):
    q = p * 1.0
    q[0] = 0.0  # <-
    return np.sum(q)


def helper_with_cumprod(p):
    return np.sum(np.cumprod(p))  # <-


def level3(p):
    return helper_with_cumprod(p * 2.0)


def level2(p):
    return level3(np.tanh(p)) + 1.0


def level1(p):
    return level2(p) * 0.5
