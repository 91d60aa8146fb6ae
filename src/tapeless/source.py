"""Read a Python function: its source as a gast tree, and where it came from."""

from __future__ import annotations

import inspect
import linecache
import textwrap
import types
from dataclasses import dataclass, field

import gast

from .errors import Location, SourceUnavailable, UnsupportedSyntax


@dataclass
class FunctionSource:
    """A user function, parsed: the tree, its file and lines, and the names it can see."""

    func: types.FunctionType
    tree: gast.FunctionDef
    filename: str
    indent: int  # columns removed by dedenting, added back in locations
    globals: dict
    closure: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def short_filename(self) -> str:
        return self.filename.replace("\\", "/").rsplit("/", 1)[-1]

    def location(self, node) -> Location | None:
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            return None
        line = linecache.getline(self.filename, lineno)
        return Location(self.filename, lineno, getattr(node, "col_offset", 0) + self.indent, line)

    def lookup(self, name: str):
        """The object a free name of the function refers to, or raise KeyError."""
        if name in self.closure:
            return self.closure[name]
        if name in self.globals:
            return self.globals[name]
        builtins = self.globals.get("__builtins__", __builtins__)
        if isinstance(builtins, types.ModuleType):
            builtins = vars(builtins)
        return builtins[name]


_HINT_NO_SOURCE = (
    "tapeless reads a function's source code; define the function in a .py file "
    "(or a notebook cell) and import it"
)


def load(func) -> FunctionSource:
    """Parse ``func`` into a :class:`FunctionSource`, or raise :class:`SourceUnavailable`."""
    func = inspect.unwrap(func)
    if not isinstance(func, types.FunctionType):
        raise SourceUnavailable(
            f"cannot differentiate {func!r}: it is not a Python function with source code "
            f"(builtins and C functions have none). {_HINT_NO_SOURCE}."
        )
    try:
        lines, firstlineno = inspect.getsourcelines(func)
    except (OSError, TypeError) as exc:
        raise SourceUnavailable(
            f"cannot read the source of {func.__qualname__}: {exc}. {_HINT_NO_SOURCE}."
        ) from None
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    indent = len(lines[0]) - len(lines[0].lstrip())
    try:
        module = gast.parse(dedented)
    except SyntaxError as exc:
        raise SourceUnavailable(f"cannot parse the source of {func.__qualname__}: {exc}") from None
    tree = module.body[0]
    filename = func.__code__.co_filename
    check_unchanged(func, dedented)
    gast.increment_lineno(tree, firstlineno - 1)
    closure = {}
    if func.__closure__:
        for name, cell in zip(func.__code__.co_freevars, func.__closure__):
            try:
                closure[name] = cell.cell_contents
            except ValueError:  # an empty cell: the name is not bound yet
                pass
    fs = FunctionSource(func, tree, filename, indent, func.__globals__, closure)
    if not isinstance(tree, gast.FunctionDef) or func.__name__ == "<lambda>":
        raise UnsupportedSyntax(
            "a lambda cannot be differentiated",
            fs.location(tree),
            "define the function with def",
        )
    tree.decorator_list = []
    return fs


def check_unchanged(func, text):
    """Refuse a function whose file changed on disk since it was imported: differentiating the
    new text would give the derivative of code that is not running."""
    if func.__code__.co_freevars:
        return  # a closure compiles differently on its own; nothing to compare with
    try:
        code = compile(text, func.__code__.co_filename, "exec")
    except SyntaxError:
        return
    name = func.__code__.co_name  # the name in the def, whatever __name__ says now
    compiled = next((c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name), None)
    # another function at the old lines (the file was edited above it), or a different body
    if compiled is None and name != "<lambda>" or compiled is not None and _shape_of(compiled) != _shape_of(func.__code__):
        raise SourceUnavailable(
            f"the source of {func.__qualname__} in {func.__code__.co_filename} has changed since it was "
            "imported, so it is not the code that runs; reload the module (importlib.reload) or restart")


# instructions that the interpreter's specialising may add or drop: not part of the comparison
_BOOKKEEPING_OPS = {"CACHE", "PRECALL", "RESUME", "NOP", "PUSH_NULL", "KW_NAMES", "EXTENDED_ARG",
                    "COPY_FREE_VARS", "MAKE_CELL"}


def _shape_of(code):
    """What a change to the source would change: the operations, names and constants (not the
    exact bytecode, which other tools may have compiled differently)."""
    import dis

    ops = tuple("LOAD_ATTR" if i.opname == "LOAD_METHOD" else i.opname for i in dis.get_instructions(code)
                if i.opname not in _BOOKKEEPING_OPS)
    consts = tuple(c for c in code.co_consts if not isinstance(c, types.CodeType))
    return ops, code.co_names, consts, code.co_varnames
