"""Deterministic names for generated code, never clashing with the user's names."""

from __future__ import annotations

import re


class Namer:
    """Hands out fresh names for one generated function, avoiding every name in ``taken``.

    ``bind`` also records which object a free name of the generated code refers to: the
    generated function gets those objects as closure cells.
    """

    def __init__(self, taken, visible=None):
        self.taken = set(taken)
        self.visible = visible or (lambda name: (False, None))
        self.env: dict[str, object] = {}
        self._adjoints: dict[str, str] = {}
        self._counters: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        """``base`` itself if free, else ``base_2``, ``base_3``, ..."""
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    def numbered(self, base: str) -> str:
        """``base1``, ``base2``, ... skipping taken names."""
        while True:
            n = self._counters.get(base, 0) + 1
            self._counters[base] = n
            name = f"{base}{n}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def temp(self) -> str:
        """A numbered temporary: ``t1``, ``t2``, ... or ``tmp1``, ... when the user's names would
        make the adjoints confusing (a variable ``dt`` next to an adjoint ``dt1``)."""
        if not hasattr(self, "_temp_base"):
            def confusing(base):
                return any(re.fullmatch(rf"d?{base}\d*", n) for n in self.taken)
            self._temp_base = next(b for b in ("t", "tmp", "v", "tv") if not confusing(b))
        return self.numbered(self._temp_base)

    def adjoint(self, var: str) -> str:
        """The name of the adjoint of ``var``: ``dx`` for ``x``."""
        if var not in self._adjoints:
            self._adjoints[var] = self.fresh("d" + var)
        return self._adjoints[var]

    def adjoints(self) -> dict:
        """``{variable: the name of its adjoint}`` for the adjoints named so far."""
        return dict(self._adjoints)

    def bind(self, base: str, obj) -> str:
        """A free name of the generated code that refers to ``obj``."""
        for name, value in self.env.items():
            if value is obj and (name == base or name.startswith(base + "_")):
                return name
        found, value = self.visible(base)
        if found and value is obj:
            return base  # the user's code already sees this object under this name
        name = self.fresh(base)
        self.env[name] = obj
        return name

    def env_name(self, obj):
        """The name under which the generated code already refers to ``obj``, or None."""
        for name, value in self.env.items():
            if value is obj:
                return name
        return None

    def snapshot(self):
        return (set(self.taken), dict(self.env), dict(self._adjoints), dict(self._counters))

    def restore(self, snap):
        taken, env, adjoints, counters = snap
        self.taken, self.env, self._adjoints, self._counters = set(taken), dict(env), dict(adjoints), dict(counters)
