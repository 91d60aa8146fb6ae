"""scalar_loop: a damped pendulum integrated with explicit Euler for 1000 steps in Python floats
with math.sin; gradient of the final angle wrt the damping and the initial angle."""

import math

WRT = ("damping", "theta0")


def make_args(rng):
    return 0.3, 1.0


def f(damping, theta0):
    theta = theta0
    omega = 0.0
    for i in range(1000):
        alpha = -9.81 * math.sin(theta) - damping * omega
        omega = omega + 0.01 * alpha
        theta = theta + 0.01 * omega
    return theta


def grad_numpy(damping, theta0):
    # Reverse mode by hand: keep the angle and velocity of every step, then run the steps backwards.
    thetas, omegas = [], []
    theta, omega = theta0, 0.0
    for i in range(1000):
        thetas.append(theta)
        omegas.append(omega)
        omega = omega + 0.01 * (-9.81 * math.sin(theta) - damping * omega)
        theta = theta + 0.01 * omega
    dtheta, domega, ddamping = 1.0, 0.0, 0.0
    for i in reversed(range(1000)):
        domega = domega + 0.01 * dtheta        # theta = theta + dt * omega (the new omega)
        dalpha = 0.01 * domega                  # omega = omega + dt * alpha
        ddamping = ddamping - dalpha * omegas[i]
        domega = domega - dalpha * damping
        dtheta = dtheta - dalpha * 9.81 * math.cos(thetas[i])
    return ddamping, dtheta
