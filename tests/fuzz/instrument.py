"""The recorder ``_I`` of instrumented programs.

Each method computes exactly what the plain program computes, and first notes how far the
arguments are from a point where the result (or its derivative) jumps: a comparison's distance
to its threshold, ``abs`` at 0, ``maximum`` where its arguments meet, ``clip`` at its bounds, a
remainder at a multiple of the divisor, a tie between the two largest elements of ``max``, a
standard deviation or norm near 0. ``margin`` is the smallest such distance over the run.

Exact zeros are not counted for kinks: they come from expressions that are identically zero
(``x - x``), whose derivative does not depend on the side of the kink. A standard deviation or
a norm of exactly zero is counted: its gradient is 0 / 0. So is a tie in ``maximum``/``minimum``
and in ``max``/``min`` reductions (equal inputs, e.g. after shrinking): the rules pick a side or
share the gradient, while central differences average the two sides.
"""

from __future__ import annotations

import math

import numpy as np


class Recorder:
    def __init__(self):
        self.reset()

    def reset(self):
        self.margin = math.inf
        self.calls = 0

    def _note(self, d, zero_counts=False):
        self.calls += 1
        d = np.abs(np.asarray(d, dtype=float)).ravel()
        if not zero_counts:
            d = d[d != 0.0]
        if d.size:
            self.margin = min(self.margin, float(np.min(d)))

    # comparisons -------------------------------------------------------------------------
    def m(self, a, threshold):
        self._note(np.asarray(a) - threshold, zero_counts=True)
        return a

    def m2(self, a, b):
        self._note(np.asarray(a) - np.asarray(b), zero_counts=True)
        return a

    # kinks -------------------------------------------------------------------------------
    def abs(self, x):
        self._note(x)
        return np.abs(x) if isinstance(x, np.ndarray) else abs(x)

    def maximum(self, a, b):
        self._note(np.asarray(a) - np.asarray(b), zero_counts=True)  # a tie: the rule picks a side
        return np.maximum(a, b)

    def minimum(self, a, b):
        self._note(np.asarray(a) - np.asarray(b), zero_counts=True)
        return np.minimum(a, b)

    def clip(self, x, lo, hi):
        self._note(np.asarray(x) - lo, zero_counts=True)
        self._note(np.asarray(x) - hi, zero_counts=True)
        return np.clip(x, lo, hi)

    def mod(self, a, c):
        q = np.asarray(a) / np.asarray(c)
        self._note((q - np.round(q)) * c, zero_counts=True)
        return a % c

    def floor(self, x):
        self._note(np.asarray(x) - np.round(x), zero_counts=True)
        return np.floor(x)

    def hypot(self, a, b):
        r = np.hypot(a, b)
        self._note(np.asarray(r) * 0.02, zero_counts=True)
        return r

    def _gap(self, x, axis, largest):
        x = np.asarray(x, dtype=float)
        if x.ndim == 0:
            return
        if axis is None:
            x = x.reshape(1, -1)
        else:
            axes = axis if isinstance(axis, tuple) else (axis,)
            axes = [a % x.ndim for a in axes]
            rest = [a for a in range(x.ndim) if a not in axes]
            x = np.transpose(x, rest + axes).reshape(-1, int(np.prod([x.shape[a] for a in axes])))
        s = np.sort(x, axis=1)
        if not largest:
            s = -s[:, ::-1]
        top = s[:, -1:]
        gaps = top - s[:, :-1]
        self._note(gaps, zero_counts=True)  # a tie is a kink: the rule shares the gradient

    def amax(self, x, axis=None, keepdims=False):
        self._gap(x, axis, True)
        return np.max(x, axis=axis, keepdims=keepdims)

    def amin(self, x, axis=None, keepdims=False):
        self._gap(x, axis, False)
        return np.min(x, axis=axis, keepdims=keepdims)

    # poles -------------------------------------------------------------------------------
    def std(self, x, axis=None, ddof=0, keepdims=False):
        r = np.std(x, axis=axis, ddof=ddof, keepdims=keepdims)
        self._note(np.asarray(r) * 0.02, zero_counts=True)  # std < 0.05: 1 / std is too steep
        return r

    def norm(self, x, axis=None, keepdims=False):
        r = np.linalg.norm(x, axis=axis, keepdims=keepdims)
        self._note(np.asarray(r) * 0.02, zero_counts=True)
        return r
