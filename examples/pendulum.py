"""Sensitivities of a simulation written as a plain Python loop over floats.

A damped pendulum is integrated with explicit Euler steps in Python floats and math.sin.
tapeless differentiates the final angle with respect to the damping and the initial angle;
the generated gradient runs the loop backwards, saving only the two values it needs per
step. The script checks the result against central finite differences and prints the code.
"""

import math

import tapeless


@tapeless.differentiate(wrt=("damping", "theta0"))
def final_angle(damping, theta0, steps=1000, dt=0.01):
    theta = theta0
    omega = 0.0
    for i in range(steps):
        alpha = -9.81 * math.sin(theta) - damping * omega
        omega = omega + dt * alpha
        theta = theta + dt * omega
    return theta


def main():
    damping, theta0 = 0.3, 1.0
    d_damping, d_theta0 = final_angle.grad(damping, theta0)
    h = 1e-6
    fd_damping = (final_angle(damping + h, theta0) - final_angle(damping - h, theta0)) / (2 * h)
    fd_theta0 = (final_angle(damping, theta0 + h) - final_angle(damping, theta0 - h)) / (2 * h)
    print(f"final angle after 10 s: {final_angle(damping, theta0):.6f} rad")
    print(f"d angle / d damping: {d_damping: .9f}   (central difference {fd_damping: .9f})")
    print(f"d angle / d theta0:  {d_theta0: .9f}   (central difference {fd_theta0: .9f})")
    print()
    print(final_angle.grad.source)


if __name__ == "__main__":
    main()
