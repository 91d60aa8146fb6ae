"""while_loop: exp(x) as its Taylor series, summed until the term is below 1e-12; gradient wrt x."""

WRT = "x"


def make_args(rng):
    return (1.5,)


def f(x):
    term = 1.0
    total = 1.0
    k = 0
    while abs(term) > 1e-12:
        k = k + 1
        term = term * x / k
        total = total + term
    return total


def grad_numpy(x):
    # Reverse mode by hand: keep every term, then run the recurrence backwards.
    terms = [1.0]
    k = 0
    while abs(terms[-1]) > 1e-12:
        k = k + 1
        terms.append(terms[-1] * x / k)
    dx, dterm = 0.0, 0.0
    for k in range(len(terms) - 1, 0, -1):
        dterm = dterm + 1.0                     # total = total + term
        dx = dx + dterm * terms[k - 1] / k      # term = term * x / k
        dterm = dterm * x / k
    return dx
