"""Simplification of generated code: folding, copy propagation, dead code, re-inlining."""

from .cleanup import dead_code, inline_temporaries, live_in, merge_accumulations, propagate_constant, propagate_copies  # noqa: F401
from .fold import fold  # noqa: F401
