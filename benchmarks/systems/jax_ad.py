"""JAX on the CPU in float64, eager (``jax.grad``) and compiled (``jax.jit(jax.grad(...))``), on the
workload's own source with ``np`` bound to ``jax.numpy`` and ``math.sin``/``math.cos`` to its."""

import types

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402

from . import Unsupported, argnums, rebind  # noqa: E402
from .. import workloads  # noqa: E402

MATH = types.SimpleNamespace(sin=jnp.sin, cos=jnp.cos)


def _grad(workload):
    return jax.grad(rebind(workload.f, np=jnp, math=MATH), argnums(workload))


def _device(args):
    return tuple(jnp.asarray(a) if hasattr(a, "shape") else a for a in args)


def to_numpy(grads):
    grads = grads if isinstance(grads, tuple) else (grads,)
    return tuple(np.asarray(g) for g in grads)


def make_eager(workload, args):
    grad, args = _grad(workload), _device(args)
    return (lambda: jax.block_until_ready(grad(*args))), to_numpy


def pendulum(damping, theta0):
    """scalar_loop for jax.jit: the same steps in a ``lax.fori_loop``, as a JAX user writes it
    (the Python loop works too, but unrolled into 1000 steps it takes ~25 s to compile)."""

    def step(i, state):
        theta, omega = state
        alpha = -9.81 * jnp.sin(theta) - damping * omega
        omega = omega + 0.01 * alpha
        return theta + 0.01 * omega, omega

    theta, _ = jax.lax.fori_loop(0, 1000, step, (jnp.float64(theta0), jnp.float64(0.0)))
    return theta


JIT_VERSIONS = {"scalar_loop": pendulum}


def make_jit(workload, args):
    name = workloads.name(workload)
    if name in JIT_VERSIONS:
        workload = types.SimpleNamespace(f=JIT_VERSIONS[name], WRT=workload.WRT)
    grad, args = jax.jit(_grad(workload)), _device(args)
    try:
        jax.block_until_ready(grad(*args))  # compile now, so a refusal is reported here
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError) as e:
        raise Unsupported(f"jax.jit cannot trace Python control flow on a traced value ({type(e).__name__})") from None
    return (lambda: jax.block_until_ready(grad(*args))), to_numpy
