"""Give tapeless a derivative rule of your own.

`logsumexp` below is written the numerically stable way (subtract the maximum). tapeless could
differentiate it as it is, but a rule states the derivative directly, d/dx = softmax(x), in one
line: the generated gradient calls logsumexp itself and uses the rule's line in its backward
sweep; the forward rule gives its tangent, for forward mode and second derivatives. The same
decorators register rules for a function tapeless cannot read at all (one that calls into a C
library, say).
"""

import numpy as np

import tapeless
from tapeless.testing import check_grads


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


@tapeless.reverse_rule(logsumexp)
def logsumexp_rule(ans, g, x):
    dx = g * np.exp(x - ans)


@tapeless.forward_rule(logsumexp)
def logsumexp_tangent(ans, x):
    dans = np.sum(dx * np.exp(x - ans))


def cross_entropy(logits, target):
    return logsumexp(logits) - np.sum(logits * target)


def main():
    logits = np.array([2.0, 1.0, 0.1, -3.0])
    target = np.array([1.0, 0.0, 0.0, 0.0])
    g = tapeless.grad(cross_entropy)(logits, target)
    print("gradient:        ", np.round(g, 6))
    print("softmax - target:", np.round(np.exp(logits) / np.sum(np.exp(logits)) - target, 6))
    check_grads(cross_entropy, [logits, target], modes=("rev", "fwd"), order=2)
    print("matches central finite differences, in both modes and to second order")
    print()
    print(tapeless.grad(cross_entropy).source)


if __name__ == "__main__":
    main()
