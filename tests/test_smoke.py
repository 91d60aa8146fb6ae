import numpy as np

import tapeless
from tapeless.testing import check_grads


def poly(x):
    return x ** 2 + 3 * x + 5


def test_poly_gradient_is_exact():
    g = tapeless.grad(poly)
    assert g(2.0) == 7.0  # d/dx (x^2 + 3x + 5) = 2x + 3
    check_grads(poly, [2.0])
