"""Compile generated source into functions that see the user's globals and our helpers.

Each generated function is compiled inside a wrapper whose parameters are the helper names it
uses, so the function gets them as closure cells while its globals stay the user's module
(globals the user rebinds later are seen, as in the original). The source is registered in
``linecache`` so tracebacks and ``inspect.getsource`` show the generated lines.
"""

from __future__ import annotations

import itertools
import linecache
import textwrap
import types

_counter = itertools.count(1)


def compile_functions(source: str, names, cells: dict, globals_: dict, label: str):
    """Compile ``source`` (function definitions) and return ``{name: function}`` for ``names``.

    ``cells`` maps each free helper name to a ``types.CellType`` (filled now or later).
    """
    free = sorted(cells)
    wrapper = "def __tapeless_make__({}):\n{}".format(", ".join(free), textwrap.indent(source, "    "))
    if free:
        # make every free name a cell variable of the wrapper, so inner functions close over it
        wrapper += "    return ({},)\n".format(", ".join(free))
    filename = f"<tapeless {label} #{next(_counter)}>"
    code = compile(wrapper, filename, "exec")
    linecache.cache[filename] = (len(wrapper), None, wrapper.splitlines(True), filename)
    make = next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == "__tapeless_make__")
    out = {}
    for const in make.co_consts:
        if isinstance(const, types.CodeType) and const.co_name in names:
            closure = tuple(cells[name] for name in const.co_freevars)
            out[const.co_name] = types.FunctionType(const, globals_, const.co_name, None, closure)
    return out
