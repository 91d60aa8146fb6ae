"""scipy.optimize.minimize with exact derivatives from tapeless.

The Rosenbrock function, written once in NumPy for a vector of any length, is minimised with
scipy in 2 and 10 dimensions, from the origin:

- BFGS without `jac`: scipy estimates each gradient by finite differences (n + 1 function
  evaluations per gradient, and only about half the digits);
- BFGS with `jac=rosenbrock.grad`, the gradient tapeless generates;
- Newton-CG with `hessp=` tapeless.hvp (Hessian-vector products, no Hessian built) and
  trust-exact with `hess=` tapeless.hessian.

The script prints, for each run, the iterations (nit), function, gradient and Hessian
evaluations (nfev, njev, nhev), the final value and the distance from the minimum at (1, ..., 1);
then it checks tapeless's derivatives against scipy's hand-written rosen_der and rosen_hess.

    python examples/scipy_optimize.py

Needs scipy: pip install -e ".[examples]".
"""

import numpy as np

import tapeless

DIMENSIONS = (2, 10)


@tapeless.differentiate
def rosenbrock(x):
    """sum over i of 100 (x[i+1] - x[i]**2)**2 + (1 - x[i])**2; its minimum is 0 at all ones."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


rosenbrock_hessian = tapeless.hessian(rosenbrock)  # x -> the n x n Hessian matrix
rosenbrock_hvp = tapeless.hvp(rosenbrock)  # (x, p) -> H(x) @ p, the signature scipy's hessp wants


def start(n):
    """The origin. (From some starts, such as (-1.2, 1, 1, ...), the local minimiser near
    (-1, 1, ..., 1) that the function has for n >= 4 catches BFGS.)"""
    return np.zeros(n)


# (method, what tapeless provides, keyword arguments of minimize)
RUNS = [
    ("BFGS", "none (finite differences)", {}),
    ("BFGS", "jac", {"jac": rosenbrock.grad}),
    ("Newton-CG", "jac + hessp", {"jac": rosenbrock.grad, "hessp": rosenbrock_hvp}),
    ("trust-exact", "jac + hess", {"jac": rosenbrock.grad, "hess": rosenbrock_hessian}),
]


def solve(n, method, derivatives):
    """``scipy.optimize.minimize`` of the n-dimensional Rosenbrock function from ``start(n)``."""
    from scipy.optimize import minimize

    return minimize(rosenbrock, start(n), method=method, **derivatives)


def table(dimensions=DIMENSIONS):
    rows = []
    for n in dimensions:
        for method, provided, derivatives in RUNS:
            result = solve(n, method, derivatives)
            rows.append((n, method, provided, result))
    return rows


def check(results):
    """What this example shows, checked (CI runs it): with tapeless' derivatives every run
    converges near the minimum, and BFGS with jac= needs fewer function evaluations."""
    for (n, method, provided), result in results.items():
        if provided.startswith("none"):
            continue
        distance = np.linalg.norm(result.x - 1.0)
        if not result.success or distance > 1e-3:
            raise SystemExit(f"n={n} {method} with {provided} did not converge: {result.message}")
        unaided = [r for (m, k, p), r in results.items() if m == n and k == method and p.startswith("none")]
        if unaided and result.nfev >= unaided[0].nfev:
            raise SystemExit(f"n={n} {method}: the exact gradient did not save function evaluations")


def main():
    header = (f"{'n':>3}  {'method':<11}  {'derivatives from tapeless':<26}  {'nit':>4}  {'nfev':>5}  "
              f"{'njev':>4}  {'nhev':>4}  {'final f':>9}  {'|x - 1|':>9}  converged")
    print(header)
    print("-" * len(header))
    failures, results = [], {}
    for n, method, provided, result in table():
        results[n, method, provided] = result
        if not result.success:
            failures.append(f"  n={n} {method}, {provided}: {result.message}")
        counts = [getattr(result, name, None) for name in ("nit", "nfev", "njev", "nhev")]
        nit, nfev, njev, nhev = (f"{c}" if c is not None else "-" for c in counts)
        distance = np.linalg.norm(result.x - 1.0)
        print(f"{n:3d}  {method:<11}  {provided:<26}  {nit:>4}  {nfev:>5}  {njev:>4}  {nhev:>4}  "
              f"{result.fun:9.2e}  {distance:9.2e}  {result.success}")
    print()
    print("Without jac, every gradient costs BFGS n + 1 function evaluations (counted in nfev)")
    print("and is accurate to about 8 digits, so the minimum is found less precisely.")
    if failures:
        print("Runs that scipy reports as not converged:")
        print("\n".join(failures))
    print()
    check(results)
    from scipy.optimize import rosen_der, rosen_hess

    x = np.random.default_rng(0).normal(size=10)
    print("At a random point in 10 dimensions, against scipy's hand-written derivatives:")
    print(f"  max |rosenbrock.grad - rosen_der|     = {np.max(np.abs(rosenbrock.grad(x) - rosen_der(x))):.1e}")
    print(f"  max |tapeless.hessian - rosen_hess|   = {np.max(np.abs(rosenbrock_hessian(x) - rosen_hess(x))):.1e}")
    print()
    print("The gradient scipy called (jac=rosenbrock.grad):")
    print(rosenbrock.grad.source)


if __name__ == "__main__":
    main()
