"""The tapeless tour: a function, its exact gradient, and the code that computes it."""

import tapeless


@tapeless.differentiate
def f(x):
    return x ** 2 + 3 * x + 5


x = 2.0
h = 1e-5
exact = f.grad(x)
forward_difference = (f(x + h) - f(x)) / h

print(f"f({x}) = {f(x)}")
print(f"tapeless gradient:       {exact:.6f}")
print(f"finite difference h={h}: {forward_difference:.6f}")
print()
print("The generated gradient source:")
print(f.grad.source)
