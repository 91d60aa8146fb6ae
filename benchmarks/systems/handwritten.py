"""The reference: the gradient written by hand in NumPy (``grad_numpy`` in each workload)."""

from ..workloads import as_tuple


def make(workload, args):
    grad = workload.grad_numpy
    return (lambda: grad(*args)), as_tuple
