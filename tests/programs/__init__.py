"""Realistic example programs, each run through ``tapeless.testing.check_grads``.

Every ``p_*`` module exposes ``PROGRAMS = [(function, args, wrt), ...]``; an entry may have a
fourth element, a dict of keyword arguments passed to both the function and its gradient.
"""
