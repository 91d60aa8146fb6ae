"""The function docs/modes.md differentiates in both modes."""

import numpy as np


def energy(x, k):
    stretch = np.tanh(x) * k
    return np.sum(stretch ** 2)
