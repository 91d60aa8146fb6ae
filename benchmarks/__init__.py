"""Benchmarks of tapeless against hand-written NumPy, HIPS autograd, JAX and PyTorch.

Run ``python -m benchmarks --help`` from the repository root after ``pip install -e ".[bench]"``;
docs/performance.md has the results and how to read them. This package imports nothing at the
top level, so that ``__main__`` can limit every library to one thread before any of them loads.
"""
