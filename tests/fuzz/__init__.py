"""A random-program fuzzer for tapeless (see docs/testing.md).

A program is a nested tuple of small statement and expression descriptors (``strategies.py``
draws them with hypothesis, so a failure shrinks to a short program); ``render.py`` turns one
into the source of a module, twice: the plain program, which tapeless differentiates, and an
instrumented twin that records how close every branch condition and every kink (``abs``,
``maximum``, ``clip``, ...) came to flipping, so inputs near a kink are discarded before finite
differences are trusted. ``runner.py`` writes both to real files, imports them, differentiates
the plain one and compares it with central finite differences.
"""
