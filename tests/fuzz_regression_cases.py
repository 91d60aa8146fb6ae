"""Programs from the fuzz campaign of the second session (bugs AB to AH in docs/testing.md),
each reduced to the lines that showed the bug. tests/test_fuzz_regressions.py checks them."""

import math

import numpy as np


# AB: an array of one element compared in a condition was taken for a 0-d scalar
def size_one_in_a_condition(x, y):
    if y > 0.0:
        return np.sum(x * y)
    return 0.0


def size_one_computed_in_a_condition(x, v):
    y = v[0:1]
    if y > 0.0:
        return np.sum(x * y)
    return x


# AC: a conditional expression's gradient read a temporary of the branch not taken
def conditional_expression(x):
    u = x if x > -0.5 else np.tanh(np.exp(x))
    return np.sum(u)


# AD: np.matmul (a generalised ufunc) was taken for an elementwise function
def matmul_of_vectors(a, b):
    return np.matmul(a, b)


def matmul_then_broadcast(A, x):
    t = np.matmul(A, x)
    v = t + A
    return np.sum(np.sin(v))


# AE: second order refused np.where inside a helper (its saved mask carried activity)
def _masked_square(p):
    return np.where(p > 0.5, p * p, 0.0)


def where_in_a_helper(x):
    return np.sum(_masked_square(x))


# AF: the output check read a parameter's later assignment
def returns_the_argument_before_it_is_rebound(x):
    u = x
    x = np.sum(x)
    return u


def returns_a_copy_then_rebinds(x, z):
    u = x
    x = np.sin(z)
    return u


# AG: an in-place update through a loop over a literal tuple changed the array it copies
def updates_through_a_loop_over_a_tuple(x):
    u = x * 1.0
    for v in (u,):
        v += x
    return np.sum(u)


# AH: (the source moved on disk: in tests/test_fuzz_regressions.py, with a file of its own)

# B2 of the campaign, fixed by AB's change: an array parameter rebound to a scalar in a branch
def rebinds_to_an_element_in_a_branch(x, c):
    if c:
        x = x[0]
        return math.sin(x)
    return np.sum(x)


# AI: inside one branch, a math function reads y, which the branch then sets from an array x:
# reverse mode took x for a scalar (reaching definitions were per top-level statement)
def math_before_a_later_assignment_in_a_branch(x, y, c):
    if c:
        u = math.sin(y)
        y = x
    return np.sum(x)


def math_in_a_loop_reads_the_previous_iteration(x):
    s = 0.0
    y = 0.5
    for i in range(2):
        s = s + math.sin(y)
        y = x
    return s


def compares_a_list_argument(x, items):
    if items == []:
        return x * 0.5
    return x * len(items)
