"""Functions tapeless must refuse, each with the construct on a line marked ``# <-``."""

import numpy as np


def uses_yield(x):
    y = x * 2
    yield y  # <-


def uses_global(x):
    global COUNTER  # <-
    return x


def uses_nonlocal_free(x):
    return x


def uses_try(x):
    try:  # <-
        return x
    except ValueError:
        return 0.0


def uses_with(x):
    with open("f") as fh:  # <-
        return x


def uses_lambda(x):
    g = lambda y: y  # noqa: E731  # <-
    return g(x)


def uses_nested_def(x):
    def g(y):  # <-
        return y
    return g(x)


def uses_class(x):
    class A:  # <-
        pass
    return x


def uses_listcomp(x):
    return sum([x * i for i in range(3)])  # <-


def uses_genexp(x):
    return sum(x * i for i in range(3))  # <-


def uses_del(x):
    y = x
    del y  # <-
    return x


def uses_import(x):
    import math  # <-
    return math.sin(x)


def uses_walrus(x):
    if (y := x * 2) > 1:  # <-
        return y
    return x


def uses_index_write(x):
    x[0] = 1.0  # <-
    return np.sum(x)


def uses_while_else(x):
    while x < 1.0:  # <-
        x = x * 2
    else:
        x = x + 1
    return x


def uses_starargs(x, *xs):  # <-
    return x * xs[0]


def uses_cumprod(x):
    return np.sum(np.cumprod(x))  # <-


def uses_unknown_user_object(x):
    return np.sum(np.fft.fft(x).real)  # <-


def clip_active_bound(x, lo):
    return np.sum(np.clip(x, lo, 1.0))  # <-


def clip_bounds_by_keyword(x, lo):
    return np.sum(np.clip(x, min=lo, max=1.0))  # NumPy 2.1's names for a_min and a_max


def var_active_ddof(x, d):
    return np.var(x, ddof=d)  # <-


def no_return(x):
    y = x * 2  # <-


def list_of_active(x):
    v = [x, x * 2]  # <-
    return v[0]


def helper_with_missing_rule(x):
    return np.sum(np.cumprod(x))  # <-


def level2(x):
    return helper_with_missing_rule(x) * 2.0


def level1(x):
    return level2(x) + 1.0


def three_levels_down(x):
    return level1(x)


def inplace_on_alias(x):
    y = x * 2.0
    z = y
    z += 1.0  # <-
    return np.sum(y * z)


def inplace_on_view(x):
    y = x * 2.0
    first = y[:2]
    first *= 3.0  # <-
    return np.sum(y)


def pair(a, b):
    return a * b, a + b


def tuple_result_not_unpacked(x):
    r = pair(x, 2.0)  # <-
    return r[0] * r[1]


# Results that depend smoothly on an argument tapeless has no derivative for: refused, not zero
def full_of_a_differentiated_value(x):
    return np.sum(np.full(3, x))  # <-


def full_like_of_a_differentiated_value(x, y):
    return np.sum(np.full_like(y, fill_value=x) * y)  # <-


def linspace_to_a_differentiated_value(x):
    return np.sum(np.linspace(0.0, x, 4))  # <-


def arange_with_a_differentiated_step(x):
    return np.sum(np.arange(0.0, 3.0, x))  # <-


def norm_of_a_differentiated_order(x, p):
    return np.linalg.norm(x, ord=p)  # <-


# Iterators outside a for loop's header: no length to loop over, no derivative through them
def sum_of_reversed(x):
    r = reversed(x)  # <-
    return sum(r)


def zip_kept_in_a_variable(x, y):
    s = 0.0
    pairs = zip(x, y)  # <-
    for a, b in pairs:
        s = s + a * b
    return s


def enumerate_kept_in_a_variable(x):
    s = 0.0
    e = enumerate(x)  # <-
    for i, v in e:
        s = s + v * i
    return s
