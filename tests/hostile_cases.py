"""Functions whose names clash with the names tapeless generates (tests/test_hostile.py).

Locals, parameters, helpers and module globals named like the adjoints, temporaries, flags and
runtime helpers of generated code (``dx``, ``t1``, ``stack``, ``seed``, ``unbroadcast``, ...), a
helper ``h`` next to user functions named like its generated twins (``h_fwd``, ``h_jvp``,
``h_bwd``), parameters ``d`` and ``dd``. Each must still get the right gradient in both modes.
"""

import math

import numpy as np

# module globals named like generated locals: the adjoint of x must not hide the global dx
dx = 3.0
t1 = 0.5
dvalue = 2.0
tapeless = 0.25
broke = 1.5
stack_scale = 0.75


def generated_names_as_locals(x, y):
    """x: (3,), y: (3,). Every local is named like something tapeless generates."""
    dx = x * 2.0
    dvalue = np.sin(y)
    t1 = dx * dvalue
    tmp1 = np.tanh(t1)
    stack = tmp1 + x
    seed = 0.5
    unbroadcast = np.sum(stack * seed)
    zeros_like = y * y
    lift = np.cos(x)
    tapeless = lift * zeros_like
    result = 0.0
    returned = 0.0
    broke = 0.0
    value = unbroadcast
    ds = dx
    tape1 = ds * 0.5
    n1 = 0
    for cond1 in range(4):
        if cond1 == 3:
            break
        n1 += 1
        result = result + np.sum(tapeless * cond1)
        broke = broke + np.sum(stack) * 0.1
        returned = returned + value * 0.5
    if value > 0.0:
        return result * 2.0 + broke + returned + np.sum(tape1)
    return result + broke + returned * n1


def generated_names_in_scalar_loop(x):
    """x: a float. Flags and counters named like the ones tapeless adds for while/break/return."""
    stack = x
    broke = False
    returned = 0
    cond1 = 0
    result = 1.0
    while cond1 < 5:
        cond1 += 1
        if broke:
            break
        result = result * math.sin(stack) + 0.5
        if cond1 >= 3:
            broke = True
        returned += 1
    value = result * returned
    return value


def seed(p, q=0.5):
    return p * q + np.sin(p)


def unbroadcast(p, q):
    return p * q


def zeros_like(p):
    return np.tanh(p) + 1.0  # not zeros


def lift(p):
    return p * p


def stack(p, q):
    return p - q


def result(p):
    return np.exp(-p * p)


def index_adjoint(p, i):
    return p[i] * 2.0


def expand_reduced(p):
    return np.sum(p) * 0.5


def returned(p):
    return p * 3.0


def value(p):
    return np.cos(p)


def helpers_named_like_runtime(x, y):
    """x: (3,), y: a float. Calls user helpers named like tapeless's runtime helpers."""
    a = seed(x)
    b = unbroadcast(a, y)
    c = zeros_like(b)
    s = 0.0
    for i in range(3):
        s = s + lift(index_adjoint(c, i))
    return s + expand_reduced(stack(c, a)) + result(y) + returned(value(y))


def reads_globals_named_like_generated(x):
    """x: (3,). Reads module globals named dx, t1, dvalue, tapeless, broke."""
    s = np.sum(x * dx + t1 * x ** 2 + dvalue * np.sin(x)) * tapeless
    for k in range(2):
        if s > 100.0:
            break
        s = s + broke * np.sum(x) * stack_scale
    return s


def d_and_dd(d, dd, ddd):
    """d, dd: (3,), ddd: a float. The adjoint of d would be dd, the adjoint of dd ddd."""
    return np.sum(d * dd) + np.sum(d ** 2) * np.sum(dd) + ddd * np.sum(np.sin(d))


def h(p):
    return np.sin(p) * 2.0


def h_fwd(p):
    return p * 3.0


def h_jvp(p):
    return p * p


def h_bwd(p):
    return np.cos(p)


def h_grad(p):
    return p + 1.0


def h_vjp(p, q):
    return p * q


def twins_grad(p):
    return np.tanh(p)


def twins_jvp(p):
    return p * 0.5


def twins(x):
    """x: (3,). A helper h next to user functions named like its generated twins, and user
    functions named like the generated twins of twins itself."""
    a = h(x) + h_fwd(x) * h_jvp(x)
    b = h_bwd(a) + h_grad(x) + h_vjp(x, a)
    return np.sum(b * twins_grad(x) + twins_jvp(a))


# A loop's iterable is evaluated once, even when the loop rebinds its name (bug X).
def rebinds_the_sequence(x):
    s = 0.0
    for r in x:
        x = x * 0.5
        s = s + np.sum(r * r)
    return s + np.sum(x)


def loop_target_is_the_sequence(x):
    for x in x:
        pass
    return x * 2.0


def zip_rebinds_a_sequence(x, y):
    s = 0.0
    for a, b in zip(x, y):
        y = y * 2.0
        s = s + a * b
    return s


# Outputs whose shape follows from the arguments' (checked before the function runs), with a
# factor that is an int or a comparison (bug AA: the gradient was an int, or a bool subtraction).
def times_a_length(x, items):
    return x * len(items)


def absolute_twice(x):
    return abs(x) + np.abs(x)


def sum_method_of_a_square(x):
    return (x * x).sum()


def constant_output(x):
    return 2.0
