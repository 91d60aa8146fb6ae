"""Scalar formulas from physics, statistics and finance (math module and NumPy on floats)."""

import math

import numpy as np

G = 9.81  # gravitational acceleration, m/s^2
R_GAS = 8.314  # J / (mol K)
LN2 = math.log(2.0)
C_LIGHT = 1.0  # natural units


def projectile_range(v, angle):
    """Range of a projectile launched at speed v and the given angle (radians)."""
    return v ** 2 * math.sin(2.0 * angle) / G


def softplus(x):
    return math.log1p(math.exp(x))


def gaussian_pdf(x, mu, sigma):
    z = (x - mu) / sigma
    return math.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi))


def ideal_gas_pressure(n, T, V):
    return n * R_GAS * T / V


def radioactive_fraction(t, half_life):
    return math.exp(-t * LN2 / half_life)


def compound_interest(rate, years=10.0, principal=1000.0):
    return principal * (1.0 + rate / 12.0) ** (12.0 * years)


def lennard_jones(r, eps=1.0, sigma=1.0):
    sr6 = (sigma / r) ** 6
    return 4.0 * eps * (sr6 * sr6 - sr6)


def lorentz_energy(v, m):
    gamma = 1.0 / math.sqrt(1.0 - (v / C_LIGHT) ** 2)
    return gamma * m * C_LIGHT ** 2


def great_circle(lat1, lon1, lat2, lon2):
    """Haversine distance on the unit sphere."""
    a = np.sin((lat2 - lat1) / 2.0) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    return 2.0 * np.arcsin(np.sqrt(a))


def numpy_scalar_mix(x):
    return np.tanh(x) * np.cosh(x) + np.arctan(x) ** 2 - np.expm1(-x) + np.sinh(0.5 * x) + np.tan(0.3 * x)


def log_odds(p):
    return np.log(p) - np.log1p(-p) + np.arccos(p) * np.square(p)


def black_scholes_like(s, k, sigma, t):
    d1 = (math.log(s / k) + 0.5 * sigma ** 2 * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    return s * math.tanh(d1) - k * math.tanh(d2)


PROGRAMS = [
    (projectile_range, (20.0, 0.6), (0, 1)),
    (softplus, (0.7,), 0),
    (gaussian_pdf, (0.3, -0.2, 1.4), ("x", "mu", "sigma")),
    (ideal_gas_pressure, (2.0, 300.0, 0.05), ("T", "V")),
    (radioactive_fraction, (3.0, 5.0), (0, 1)),
    (compound_interest, (0.05,), 0),
    (lennard_jones, (1.3,), "r"),
    (lorentz_energy, (0.6, 2.0), (0, 1)),
    (great_circle, (0.2, 0.3, 0.9, 1.4), (0, 1, 2, 3)),
    (numpy_scalar_mix, (0.8,), 0),
    (log_odds, (0.3,), 0),
    (black_scholes_like, (100.0, 95.0, 0.2, 1.5), (0, 2, 3)),
]
