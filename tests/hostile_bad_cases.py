"""Functions for the bad-input catalogue of tests/test_hostile.py."""

import numpy as np

import hostile_bad_helpers as hh


def square(x):
    return x * x


def sum_squares(x):
    return np.sum(x * x)


def two(a, b):
    return a * b


def scaled(x, n, flag, name):
    """x a float; n an int, flag a bool and name a str, none differentiable."""
    if flag:
        return x * n
    return x * len(name)


def doubled(x):
    return x * 2.0


def returns_none(x):
    y = x * x
    return None


def returns_none_on_one_path(x):
    if x > 0.0:
        return x * x


def returns_text(x):
    return "hello"


def calls_try(x):
    return hh.helper_with_try(x) * 3.0


def calls_comprehension(x):
    return hh.helper_with_comprehension(x)


def calls_index_write(x):
    return hh.helper_with_index_write(x)


def calls_three_levels_down(x):
    return hh.level1(x) + np.sum(x)


def loops_over_rows(x):
    s = 0.0
    for row in x:
        s = s + np.sum(np.sin(row))
    return s
