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


# AJ: a helper's parameter compared in a condition was taken for a 0-d scalar, but no argument
# check sees a helper's arguments: x's gradient had shape (1, 3) for y of shape (1, 1)
def _scaled_if_positive(x, y):
    if y > 0.0:
        return x * y
    return x


def calls_a_helper_that_compares(x, y):
    return np.sum(_scaled_if_positive(x, y))


# AK: a range loop with nothing to differentiate was dropped, though its index is read after it
def reads_the_index_after_an_empty_loop(x):
    i = 0
    for i in range(3):
        pass
    return x * i


def reads_the_index_after_a_loop_with_no_derivative(x, n):
    k = 0.5
    for k in range(n):
        m = k * 2
    return x * k


# AL: a variable rebound in a loop to a broadcast, larger shape: its zero adjoint for the
# earlier iterations took the later shape
def rebinds_to_a_larger_shape_in_a_loop(a, b):
    u = a
    for i in range(2):
        u = a * b
    return np.sum(u)


# AM: a loop over reversed(array) failed (TypeError: object of type 'reversed' has no len())
def horner_over_reversed(x):
    s = 0.0
    for v in reversed(x):
        s = s * 0.5 + v
    return s


def enumerate_reversed(x):
    s = 0.0
    for i, v in enumerate(reversed(x)):
        s = s + v * (i + 1)
    return s


# AN (false refusals): a definition in the other branch of an `if`, or one that another
# definition surely follows, was taken to reach a math function's argument
def math_in_the_other_branch(x, c):
    y = 0.5
    if c:
        y = x
    else:
        u = math.sin(y)
        return u * np.sum(x)
    return np.sum(y)


def rebound_before_the_math_call(x, c):
    if c:
        y = x
        y = 0.5
        u = math.sin(y)
    return np.sum(x)


def rebound_later_in_the_branch(x, c):
    y = 0.5
    if c:
        y = x
        y = 0.25
    return math.sin(y) * np.sum(x)


def math_after_the_branch(x, c):
    y = 0.5
    if c:
        y = x
    return math.sin(y) + np.sum(x)


# AO: second order through a helper using np.where, whose result feeds nonlinear code: the
# saved mask came back from the helper's tape as a differentiated value and was refused
def _where_piece(x):
    return np.where(x > 0.5, x * x, 2.0 * x)


def where_in_a_helper_then_nonlinear(x):
    u = _where_piece(x)
    return np.sum(np.sin(u))


# AR: a reduction or np.dot of a list written in the call: TypeError from the gradient's helpers
def sum_of_a_list(x):
    return np.sum([x[0], x[1] ** 2])


def mean_of_a_list(x):
    return np.mean([x[0], 2.0 * x[1]])


def max_of_a_list(x):
    return np.max([x[0], x[1]])


def dot_with_a_list(x):
    return np.dot([1.0, 2.0, 3.0], x)


# AS: reverse mode refused an array argument compared in a branch after the same branch set it
# to a number (the argument's own binding was taken to reach the comparison)
def compares_after_rebinding_in_a_branch(x, c):
    if c:
        x = 0.5
        if x > 0.2:
            return x * 2.0
    return np.sum(x)


# AT: both branches of an if rebind x to a number before the comparison; reverse mode refused
# an array x (the argument's binding was taken to reach the comparison)
def compares_after_both_branches_rebind(x, c):
    if c:
        x = 1.0 * len(x)
    else:
        x = 0.5
    return x if x > 0.5 else 2.0 * x


# AW: in a loop, the branch that calls math.pow sets u to 0.5 just before: the other branch's
# u = x cannot reach the call in a later iteration; reverse mode refused an array x
def loop_branch_rebinds_before_math(x, n):
    s = 0.0
    for i in range(n):
        if i % 2 == 0:
            u = x
        else:
            u = 0.5
            s = s + math.pow(1.0 + u * u, 0.5)
    return s + np.sum(x)


# ... while here the value set at the end of one iteration reaches the call in the next
def loop_carries_the_array_into_math(x):
    s = 0.0
    y = 0.5
    for i in range(3):
        if i == 1:
            s = s + math.sin(y)
        y = x
    return s + np.sum(x)


# AX: swapping a differentiated parameter with one that is not: forward mode gave d/dx = 1
# (copy propagation read a stale cache of the names an expression loads)
def swaps_with_an_undifferentiated_parameter(x, y):
    u1 = x
    x, y = y, x
    u2 = u1
    return x


# AY: the branch that returns early cannot reach the math call after the if; the other one
# rebinds y first. Reverse mode refused an array y (the parameter's binding was taken to reach
# math.sin(y) through the branch that returned)
def returns_early_or_rebinds(x, y):
    if x > 0.5:
        return x
    else:
        y = x
    return math.sin(y)


# ... the same in a loop: the return flag ends the loop, and nothing after it reads y
def returns_from_a_loop_or_rebinds(x, y):
    s = 0.0
    for i in range(3):
        if s > 10.0 * x:
            return s + np.sum(y)
        else:
            y = x
        s = s + math.sin(y)
    return s


# ... while here the math call comes before the return, on the parameter itself
def math_before_the_early_return(x, y):
    if x > 0.5:
        return math.sin(y)
    else:
        y = x
    return math.cos(y)


# ... and the code after a loop that may return runs only if it did not: here both branches
# swap x away before the comparison (seed 3123 again, after the first fix)
def swaps_after_a_loop_that_may_return(x, y):
    if np.mean(x) > 0.5:
        for i in range(0):
            return np.tanh(np.sum(x))
        x, y = y, x
    else:
        x, y = y, x
    return x if x > 0.5 else 2.0 * x


# AZ: the gradient is converted to its argument's type at the end, reading the argument; when
# the function rebinds it and the backward sweep had no other reason to restore it, the
# conversion read the new value: a 0-d array got an np.float64 gradient, a float32 array a
# float64 one (found by the fuzzer's new run with NumPy scalars and 0-d arrays)
def rebinds_its_argument(x):
    x = np.tanh(x) + np.zeros(np.shape(x))
    return np.sum(x)
