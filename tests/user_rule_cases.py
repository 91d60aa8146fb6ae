"""Functions given rules by the user (tests/test_user_rules.py)."""

import numpy as np

import tapeless


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


@tapeless.reverse_rule(logsumexp)
def logsumexp_rule(ans, g, x):
    dx = g * np.exp(x - ans)


@tapeless.forward_rule(logsumexp)
def logsumexp_tangent(ans, x):
    dans = np.sum(dx * np.exp(x - ans))


def opaque_square(v):
    """Stands for a call into a C library: its body is not read, the rule is used."""
    return float(np.sum(np.asarray(v) ** 2))  # float(): tapeless alone would see no derivative


@tapeless.reverse_rule(opaque_square)
def opaque_square_rule(ans, g, v):
    dv = 2.0 * g * v


@tapeless.forward_rule(opaque_square)
def opaque_square_tangent(ans, v):
    dans = 2.0 * np.sum(v * dv)


def reverse_only(v):
    return v * 3.0


@tapeless.reverse_rule(reverse_only)
def reverse_only_rule(ans, g, v):
    dv = 3.0 * g


def uses_reverse_only(v):
    return np.sum(reverse_only(v))  # <-


def softmax_loss(z, target):
    return logsumexp(z) - np.sum(z * target)


def helper_calls_rule(z):
    return logsumexp(z * 2.0)


def through_helper(z, target):
    return helper_calls_rule(z) + opaque_square(z) + softmax_loss(z, target)


def stopped(x):
    return np.sum(x * tapeless.stop_gradient(x))
