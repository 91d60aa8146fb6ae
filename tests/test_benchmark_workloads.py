"""The benchmark workloads (benchmarks/workloads/) compute the right gradients.

Correctness only, no timing: the hand-written NumPy gradient of each workload agrees with central
finite differences, and tapeless' gradient equals the hand-written one to rounding. Needs only
NumPy and tapeless (the bench extra, with the other systems, is not installed in CI).
"""

import pathlib
import subprocess
import sys

import pytest

import tapeless
from tapeless.testing import check_grads

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is not installed: import it from the repository

from benchmarks import workloads  # noqa: E402


@pytest.mark.parametrize("name", workloads.NAMES)
def test_handwritten_gradient_matches_finite_differences(name):
    workload = workloads.load(name)
    check_grads(workload.f, workloads.make_args(workload), wrt=workload.WRT, gradient=workload.grad_numpy)


@pytest.mark.parametrize("name", workloads.NAMES)
def test_tapeless_gradient_equals_handwritten(name):
    workload = workloads.load(name)
    args = workloads.make_args(workload)
    got = workloads.as_tuple(tapeless.grad(workload.f, wrt=workload.WRT)(*args))
    expected = workloads.as_tuple(workload.grad_numpy(*args))
    assert workloads.close(got, expected)


def test_workloads_import_no_other_system():
    code = ("import sys; from benchmarks import workloads; [workloads.load(n) for n in workloads.NAMES]; "
            "assert not {'torch', 'jax', 'autograd'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
