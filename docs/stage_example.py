"""The function docs/architecture.md follows through the pipeline."""

import numpy as np


def f(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sin(x * i)
        if s > 1.0:
            break
    return s * x
