"""Random programs from the supported subset, differentiated in reverse and in forward mode and
checked against finite differences and against each other (the generator lives in tests/fuzz/;
docs/testing.md explains how to run a long campaign).

The normal run checks ``TAPELESS_FUZZ_EXAMPLES`` programs (default 200, derandomized so every
run sees the same programs); set ``TAPELESS_FUZZ_SEED`` to explore other ones. A failure shrinks
to a short program, printed with the call, finite differences and the generated gradient.

Bugs the fuzzer found are kept below as minimal programs: open ones marked ``xfail(strict=True)``,
fixed ones as regression tests (``# regression:``). While a bug is open, programs showing its
signature are counted (``hypothesis.event``) instead of failing, so the campaign keeps looking
for new bugs. ``TAPELESS_FUZZ_ORDER2=1`` also checks second derivatives (forward over reverse).
"""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, note, seed, settings

import tapeless
from tapeless.testing import check_grads

from fuzz import runner
from fuzz.strategies import cases

EXAMPLES = int(os.environ.get("TAPELESS_FUZZ_EXAMPLES", "200"))
MODES = ("reverse", "forward")
SEED = os.environ.get("TAPELESS_FUZZ_SEED")

# Open bugs: (label, pattern searched in the failure report). A failing program whose report
# matches is counted, not failed; remove the entry when the bug is fixed. A bug whose failures have
# no recognisable signature (a silently wrong gradient) is kept out of the generator instead, by a
# flag in fuzz/render.py (OPEN_BUG_U); set it to False with the fix.
KNOWN_BUGS: list[tuple[str, str]] = [
]

# Refusals that are documented (docs/supported.md, docs/errors.md) and so not failures.
# ("may share memory": tapeless's alias analysis is conservative; e.g. after u = x; x = x + x it still
# refuses x /= 2.0, though x is a new array.)
DOCUMENTED_REFUSALS = ("in-place update of an array that may share memory",)


def _known(report):
    for label, pattern in KNOWN_BUGS:
        if re.search(pattern, report, re.S):
            return label
    return None


def _fuzz_settings(f):
    f = settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None,
                 phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                        HealthCheck.data_too_large])(f)
    if SEED is not None:
        f = seed(int(SEED))(f)
    return f


@_fuzz_settings
@given(cases())
def test_random_programs_match_finite_differences(case):
    prog, args = case
    outcome = runner.run(prog, args)
    event(f"{outcome.kind}: {outcome.reason}" if outcome.reason else outcome.kind)
    if outcome.kind == "reject":
        assume(False)
    if outcome.kind == "ok":
        return
    label = _known(outcome.report)
    if label is not None:
        event(f"known bug: {label}")
        assume(False)
    if outcome.kind == "refused" and any(r in outcome.reason for r in DOCUMENTED_REFUSALS):
        return
    note(outcome.report)
    raise AssertionError(outcome.report)


# ---------------------------------------------------------------------------------------------
# Bugs found by the fuzzer, reduced by hand. Expected values are worked out by hand.


def loop_without_active_code(x):
    for i in range(2):
        y = 1.0
    return x * x


# regression: bug A, a loop with nothing to differentiate left an empty block (IndentationError).
def test_regression_loop_without_active_code():
    for mode in MODES:
        assert tapeless.grad(loop_without_active_code, mode=mode)(1.5) == 3.0  # d/dx x^2 = 2x
    check_grads(loop_without_active_code, [1.5])


def swap_after_early_return(x, c):
    if c:
        return np.sum(x)
    u = np.tanh(x)
    x, u = u, x
    return np.sum(x)


def test_regression_swap_after_early_return():
    """Found by the fuzzer (UnboundLocalError: the backward sweep read x through a temporary the taken
    path never assigned); fixed in 594b103."""
    g = tapeless.grad(swap_after_early_return)(np.array([1.0, 2.0]), True)
    np.testing.assert_allclose(g, [1.0, 1.0])  # f = sum(x) when c is true


def rebind_to_sum(x):
    x = np.sum(x)
    return x * x


def rebind_to_element(x):
    x = np.tanh(x[0])
    return x * x


def test_regression_parameter_rebound_to_its_sum():
    """Found by the fuzzer (the gradient had shape (): the backward sweep read the new x where it
    needed the old one); fixed in 594b103."""
    x = np.array([1.0, 2.0, 3.0])
    g = tapeless.grad(rebind_to_sum)(x)
    np.testing.assert_allclose(g, [12.0, 12.0, 12.0])  # d/dx (sum x)^2 = 2 sum(x)


def test_regression_parameter_rebound_to_its_element():
    """Found by the fuzzer (IndexError: index_adjoint received the element instead of the array);
    fixed in 594b103."""
    x = np.array([0.5, 2.0, 3.0])
    g = tapeless.grad(rebind_to_element)(x)
    t = np.tanh(0.5)
    np.testing.assert_allclose(g, [2 * t * (1 - t * t), 0.0, 0.0])  # d/dx0 tanh(x0)^2


def rebind_to_scalar_then_math(x):
    x = np.sum(x)
    return math.sin(x)


def rebind_to_scalar_then_branch(x):
    x = np.sum(x)
    if x > 0.0:
        return x * 2.0
    return x


# regression: bug D, a parameter rebound to a scalar then used as one made the seed refuse the array.
def test_regression_parameter_rebound_to_scalar_then_used_as_one():
    x = np.array([1.0, 2.0, 3.0])
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(rebind_to_scalar_then_math, mode=mode)(x), np.cos(6.0) * np.ones(3))
        np.testing.assert_allclose(tapeless.grad(rebind_to_scalar_then_branch, mode=mode)(x), 2.0 * np.ones(3))
    check_grads(rebind_to_scalar_then_math, [x])
    check_grads(rebind_to_scalar_then_branch, [x])


def inner_break_in_tuple_loop(x):
    s = x
    for c in (0.5, 3.0):
        for k in range(3):
            if k >= 2:
                break
            s = s * c
    return s


# regression: bug E, an inner loop's break inside a loop over a literal tuple was refused.
def test_regression_inner_break_in_a_loop_over_a_tuple():
    for mode in MODES:
        assert tapeless.grad(inner_break_in_tuple_loop, mode=mode)(1.5) == pytest.approx(2.25)  # x * 0.5^2 * 3^2
    check_grads(inner_break_in_tuple_loop, [1.5])


def _pair_early(p):
    if p > 0.0:
        return p * 2.0, 2.0
    return p, 1.0


def tuple_helper_with_early_return(x):
    a, b = _pair_early(x)
    return a * b


# regression: bug F, a helper returning a tuple from two returns was refused (naming a temporary t2).
def test_regression_tuple_helper_with_early_return():
    for mode in MODES:
        assert tapeless.grad(tuple_helper_with_early_return, mode=mode)(1.5) == pytest.approx(4.0)  # (2x) * 2
        assert tapeless.grad(tuple_helper_with_early_return, mode=mode)(-1.5) == pytest.approx(1.0)  # x * 1
    check_grads(tuple_helper_with_early_return, [1.5])


def _pair_unreachable(p, q):
    for i in range(0):
        break
        return p, p
    return q, q


def tuple_helper_with_unreachable_return(x):
    a, b = _pair_unreachable(x, 2.0)
    return a * b + x


# regression: bug G, a tuple helper with an unreachable return was refused ('returns one value').
def test_regression_tuple_helper_with_unreachable_return():
    for mode in MODES:
        assert tapeless.grad(tuple_helper_with_unreachable_return, mode=mode)(1.5) == pytest.approx(1.0)  # 2*2 + x
    check_grads(tuple_helper_with_unreachable_return, [1.5])


def any_in_condition(x):
    if np.any(x > 0.5):
        return 2.0 * np.sum(x)
    return np.sum(x)


def any_in_while(x):
    k = 0
    while k < 2 and np.any(x > 0.5):
        k += 1
    return np.sum(x)


# regression: bug H, reverse mode refused an array compared inside a call in a condition.
def test_regression_comparison_inside_a_call_in_a_condition():
    x = np.array([0.03, 0.6, 0.03])
    for mode in MODES:
        np.testing.assert_allclose(tapeless.grad(any_in_condition, mode=mode)(x), [2.0, 2.0, 2.0])  # f = 2 sum(x)
        np.testing.assert_allclose(tapeless.grad(any_in_while, mode=mode)(x), [1.0, 1.0, 1.0])  # f = sum(x)


def rebinds_a_variable_of_its_tuple(x):
    for u in (0.5, x):
        x = x * u
    return x


# regression: the tuple was unrolled reading the rebound variable (silently wrong in both modes)
def test_bug_loop_over_a_tuple_holding_a_rebound_variable():
    # the tuple is (0.5, x0): x1 = 0.5 x0, x2 = x1 * x0 = 0.5 x0^2, so f' = x0
    assert rebinds_a_variable_of_its_tuple(1.5) == 1.125
    for mode in MODES:
        assert tapeless.value_and_grad(rebinds_a_variable_of_its_tuple, mode=mode)(1.5) == (1.125, 1.5)


def copy_rebound_to_a_scalar(x):
    u = x
    u = 0.5
    return math.sin(u)


# regression: scalar evidence spread to a definition that could not reach the use (ArgumentError)
def test_bug_copy_of_a_parameter_rebound_to_a_scalar():
    x = np.array([0.03, 0.03, 0.03])
    np.testing.assert_array_equal(tapeless.grad(copy_rebound_to_a_scalar, mode="forward")(x), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(tapeless.grad(copy_rebound_to_a_scalar)(x), [0.0, 0.0, 0.0])  # f is constant


def dead_code_after_return(x, c):
    if c:
        return x
        u = x
    else:
        u = x
    return u


# regression: a zero read a variable the taken path never assigned (UnboundLocalError)
def test_bug_dead_code_after_a_return_in_a_branch():
    for c in (True, False):
        assert tapeless.grad(dead_code_after_return, mode="forward")(1.5, c) == 1.0  # f = x either way
        assert tapeless.grad(dead_code_after_return)(1.5, c) == 1.0
