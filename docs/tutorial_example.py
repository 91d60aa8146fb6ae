"""The function docs/tutorial.md differentiates by hand, in both modes, and then with tapeless.

    python docs/tutorial_example.py

prints the derivatives both ways; the tutorial shows what it printed when the docs were built.
"""

import math

import tapeless


def f(x, y):
    a = x * y
    b = math.sin(x)
    c = math.exp(y)
    return a + b * c


def forward_by_hand(x, y, dx, dy):
    """One forward-mode pass: each value followed by its tangent (the chain rule, left to right)."""
    a = x * y
    da = dx * y + x * dy
    b = math.sin(x)
    db = math.cos(x) * dx
    c = math.exp(y)
    dc = c * dy
    value = a + b * c
    dvalue = da + db * c + b * dc
    return value, dvalue


def reverse_by_hand(x, y):
    """One reverse-mode pass: the values forward, then the adjoints backward, from the output."""
    a = x * y
    b = math.sin(x)
    c = math.exp(y)
    value = a + b * c
    dvalue = 1.0  # d value / d value
    da = dvalue  # value = a + b * c
    db = dvalue * c
    dc = dvalue * b
    dy = dc * c  # c = exp(y)
    dx = db * math.cos(x)  # b = sin(x)
    dx = dx + da * y  # a = x * y
    dy = dy + da * x
    return value, (dx, dy)


def main():
    x, y = 1.5, 0.5
    print(f"f({x}, {y}) = {f(x, y):.10f}")
    print()
    _, along_x = forward_by_hand(x, y, dx=1.0, dy=0.0)
    _, along_y = forward_by_hand(x, y, dx=0.0, dy=1.0)
    print("forward mode by hand, one pass per input:")
    print(f"  tangent along x (dx=1, dy=0): df = {along_x:.10f}")
    print(f"  tangent along y (dx=0, dy=1): df = {along_y:.10f}")
    _, (dx, dy) = reverse_by_hand(x, y)
    print("reverse mode by hand, one pass for both:")
    print(f"  adjoints: dx = {dx:.10f}, dy = {dy:.10f}")
    print()
    for mode in ("reverse", "forward"):
        gx, gy = tapeless.grad(f, wrt=("x", "y"), mode=mode)(x, y)
        print(f"tapeless.grad(f, wrt=('x', 'y'), mode={mode!r}): ({gx:.10f}, {gy:.10f})")


if __name__ == "__main__":
    main()
