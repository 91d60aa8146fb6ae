"""Threads, reentrancy, and nothing growing over many calls."""

import threading
import tracemalloc

import numpy as np
import pytest

import tapeless
from tapeless.testing import check_grads

import concurrency_cases as cc


def _in_threads(work, n=8):
    results, errors = [None] * n, []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_one_transformation_for_eight_threads():
    def loop_sum_copy(x, n):  # a fresh function object, so nothing is cached yet
        s = 0.0
        for i in range(n):
            s = s + np.sum(np.sin(x * (i + 1)))
        return s

    grads = _in_threads(lambda i: tapeless.grad(loop_sum_copy))
    assert all(g is grads[0] for g in grads)


def test_gradient_calls_in_threads_keep_their_own_saved_values():
    g = tapeless.grad(cc.loop_sum)
    inputs = [np.linspace(0.1 * i, 1.0, 5) for i in range(8)]
    results = _in_threads(lambda i: [g(inputs[i], 30) for _ in range(50)][-1])
    for x, r in zip(inputs, results):
        # by hand: d/dx sum_i sum(sin((i+1) x)) = sum_i (i+1) cos((i+1) x)
        expected = sum((i + 1) * np.cos((i + 1) * x) for i in range(30))
        np.testing.assert_allclose(r, expected, rtol=1e-12)


def test_a_gradient_is_reentrant():
    check_grads(cc.uses_a_gradient_as_data, [np.array([0.5, -1.0]), np.array([2.0, 3.0])], modes=("rev",))


def test_differentiating_through_a_gradient_call_is_refused_clearly():
    with pytest.raises(tapeless.MissingRule, match="no derivative rule for a computed function"):
        tapeless.grad(cc.calls_a_gradient)


def test_many_calls_do_not_grow_memory():
    g = tapeless.grad(cc.loop_sum)  # a loop: every call fills and empties a stack
    x = 0.3
    for _ in range(1000):
        g(x, 2)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(100_000):
            g(x, 2)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert grown < 256 * 1024, f"memory grew by {grown} bytes over 100,000 gradient calls"
