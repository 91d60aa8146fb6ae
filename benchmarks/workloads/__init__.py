"""The benchmark workloads. Each module defines the same four things:

- ``f(...)``: the function, in plain Python/NumPy; tapeless differentiates it as written, and the
  autograd and JAX systems run this very source with ``np`` and ``math`` rebound;
- ``WRT``: the parameters to differentiate with respect to (a name or a tuple of names);
- ``grad_numpy(...)``: the gradient written by hand in NumPy (reverse mode), the reference;
- ``make_args(rng)``: the float64 arguments, drawn from the generator it is given.
"""

import importlib

import numpy as np

NAMES = ("poly", "logistic", "mlp", "rnn", "scalar_loop", "while_loop")
SEED = 0


def load(name):
    return importlib.import_module(f"{__name__}.{name}")


def name(workload):
    return workload.__name__.rsplit(".", 1)[-1]


def make_args(workload):
    return workload.make_args(np.random.default_rng(SEED))


def as_tuple(grads):
    return grads if isinstance(grads, tuple) else (grads,)


def close(got, ref, rtol=1e-9):
    """Whether the gradients ``got`` equal the reference ``ref`` (tuples) to rounding."""
    if len(got) != len(ref):
        return False
    for g, r in zip(got, ref):
        g, r = np.asarray(g, dtype=np.float64), np.asarray(r, dtype=np.float64)
        if g.shape != r.shape or not np.allclose(g, r, rtol=rtol, atol=rtol * np.max(np.abs(r))):
            return False
    return True
