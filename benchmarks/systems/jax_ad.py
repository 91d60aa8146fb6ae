"""JAX on the CPU in float64, eager (``jax.grad``) and compiled (``jax.jit(jax.grad(...))``), on the
workload's own source with ``np`` bound to ``jax.numpy`` and ``math.sin``/``math.cos`` to its."""

import types

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402

from . import Unsupported, wrt_positions  # noqa: E402
from .autograd_ad import rebind  # noqa: E402

MATH = types.SimpleNamespace(sin=jnp.sin, cos=jnp.cos, exp=jnp.exp)


def _grad(workload):
    f = rebind(workload.f, np=jnp, math=MATH)
    positions = wrt_positions(workload.f, workload.WRT)
    return jax.grad(f, positions[0] if isinstance(workload.WRT, str) else positions)


def _device(args):
    return tuple(jnp.asarray(a) if hasattr(a, "shape") else a for a in args)


def to_numpy(grads):
    import numpy as np
    grads = grads if isinstance(grads, tuple) else (grads,)
    return tuple(np.asarray(g) for g in grads)


def make_eager(workload, args):
    grad, args = _grad(workload), _device(args)
    return (lambda: jax.block_until_ready(grad(*args))), to_numpy


def make_jit(workload, args):
    grad, args = jax.jit(_grad(workload)), _device(args)
    try:
        jax.block_until_ready(grad(*args))  # compile now, so a refusal is reported here
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError) as e:
        raise Unsupported(f"jax.jit cannot trace Python control flow on a traced value ({type(e).__name__})") from None
    return (lambda: jax.block_until_ready(grad(*args))), to_numpy
