"""Transformation time of one workload in a fresh interpreter (run by run.py in a subprocess).

Prints JSON, in milliseconds: ``import``, importing tapeless' compiler, which ``tapeless.grad``
does on first use; ``transform``, building the gradient (parse, transform, compile); ``first_call``,
its first call; ``warm``, building it again from a fresh copy of the function (best of three).
"""

import json
import sys
import time
import types

import numpy  # noqa: F401  (imported by the user's code before any gradient is asked for)

import tapeless

from . import workloads


def ms_since(start):
    return 1e3 * (time.perf_counter() - start)


def main(name):
    workload = workloads.load(name)
    args = workloads.make_args(workload)
    out = {}
    start = time.perf_counter()
    import tapeless.pipeline  # noqa: F401
    out["import"] = ms_since(start)
    start = time.perf_counter()
    grad = tapeless.grad(workload.f, wrt=workload.WRT)
    out["transform"] = ms_since(start)
    start = time.perf_counter()
    grad(*args)
    out["first_call"] = ms_since(start)
    warm = []
    for _ in range(3):
        f = types.FunctionType(workload.f.__code__, workload.f.__globals__, workload.f.__name__)
        start = time.perf_counter()
        tapeless.grad(f, wrt=workload.WRT)
        warm.append(ms_since(start))
    out["warm"] = min(warm)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
