"""The generated source is the product: changes to it are reviewed changes.

Each case pins the gradient source of a representative function. To accept a deliberate
change, run ``TAPELESS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py`` and
review the diff of tests/snapshots/ like any other change. Correctness is not judged here:
every case also goes through the finite-difference checker.
"""

import os
import pathlib

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

import snapshot_cases as sc

HERE = pathlib.Path(__file__).parent / "snapshots"
RNG = np.random.default_rng(1)
X = RNG.normal(size=(6, 3))
Y = (RNG.random(6) > 0.5).astype(float)

CASES = {
    "poly": (sc.poly, [2.0], 0),
    "logistic_loss": (sc.logistic_loss, [RNG.normal(size=3), 0.1, X, Y], (0, 1)),
    "pendulum": (sc.pendulum, [0.3, 0.5], (0, 1)),
    "huber": (sc.huber, [0.4, 1.0], 0),
    "uses_helper": (sc.uses_helper, [np.array([0.1, -0.4, 0.3])], 0),
    "series": (sc.series, [0.7], 0),
}


# forward mode and a second derivative: (function, how to derive it)
DERIVED = {
    "logistic_loss_forward": lambda: tapeless.grad(sc.logistic_loss, (0, 1), mode="forward"),
    "pendulum_forward": lambda: tapeless.grad(sc.pendulum, (0, 1), mode="forward"),
    "series_second": lambda: tapeless.grad(tapeless.grad(sc.series)),
}


def _source(name):
    if name in DERIVED:
        return DERIVED[name]().source
    func, args, wrt = CASES[name]
    return tapeless.grad(func, wrt).source


@pytest.mark.parametrize("name", sorted(CASES) + sorted(DERIVED))
def test_generated_source_is_pinned(name):
    source = _source(name)
    path = HERE / f"{name}.py.txt"
    if os.environ.get("TAPELESS_UPDATE_SNAPSHOTS"):
        path.write_text(source)
    assert source == path.read_text(), f"generated source of {name} changed; see the module docstring"


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot_cases_are_correct(name):
    func, args, wrt = CASES[name]
    check_grads(func, args, wrt)


def test_generation_is_deterministic():
    import importlib
    import sys

    first = tapeless.grad(sc.logistic_loss, (0, 1)).source
    sys.modules.pop("snapshot_cases")
    fresh = importlib.import_module("snapshot_cases")
    assert tapeless.grad(fresh.logistic_loss, (0, 1)).source == first


def test_derived_snapshots_are_correct():
    # forward mode agrees with reverse mode (and finite differences) on the snapshot cases
    for name in ("logistic_loss", "pendulum"):
        func, args, wrt = CASES[name]
        check_grads(func, args, wrt, modes=("rev", "fwd"), order=2)
    # d^2/dx^2 of exp(x), summed as a series
    assert tapeless.grad(tapeless.grad(sc.series))(0.7) == pytest.approx(np.exp(0.7), rel=1e-10)
