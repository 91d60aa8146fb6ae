"""Resolve what each call in the function refers to, and annotate the Call node with it.

After this pass every ``gast.Call`` carries ``node.callee``, a :class:`Callee`. Errors are not
raised here: a call to an unknown function is fine as long as no differentiable value reaches
it (the reverse pass decides that).
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import gast

from ..astutil import iter_nodes, dotted, names_stored
from ..rules import registry

_LIBRARY_PREFIXES = ("numpy", "math", "builtins", "scipy", "tapeless")


@dataclass
class Callee:
    kind: str  # "rule", "nondiff", "user", "unknown"; "append", "pop" for list stacks
    name: str  # as shown to the user
    rule: object = None  # the reverse rule (None when the key has a forward rule only)
    func: object = None  # the user function, for kind "user"
    key: object = None  # the registry key
    method: bool = False  # x.sum(): the receiver is the first argument


def local_names(tree) -> set:
    params = {a.id for a in tree.args.args + tree.args.kwonlyargs + tree.args.posonlyargs}
    return params | names_stored(tree.body)


def resolve(fs, tree) -> None:
    """Annotate every call in ``tree`` (a FunctionDef) with its :class:`Callee`."""
    locals_ = local_names(tree)
    for node in iter_nodes(tree):
        if isinstance(node, gast.Call):
            node.callee = _resolve_call(fs, node.func, locals_)


def _resolve_call(fs, func, locals_) -> Callee:
    path = dotted(func)
    if isinstance(func, gast.Attribute) and (path is None or path[0] in locals_):
        if func.attr in ("append", "pop") and isinstance(func.value, gast.Name):
            return Callee(func.attr, f".{func.attr}()", method=True)  # the stacks of generated code
        key = ("method", func.attr)
        return _from_registry(key, f".{func.attr}()", method=True)
    if path is None:
        return Callee("unknown", "a computed function")
    text = ".".join(path)
    try:
        obj = fs.lookup(path[0])
        for part in path[1:]:
            obj = getattr(obj, part)
    except (KeyError, AttributeError):
        return Callee("unknown", text)
    kind, rule = registry.lookup(obj)
    if kind is not None:
        return Callee(kind, text, rule=rule, key=obj)
    if getattr(obj, "tapeless_nondifferentiable", False):  # checks made for one generated gradient
        return Callee("nondiff", text)
    if isinstance(obj, types.FunctionType) and not (obj.__module__ or "").startswith(_LIBRARY_PREFIXES):
        return Callee("user", text, func=obj)
    return Callee("unknown", text)


def _from_registry(key, text, method=False) -> Callee:
    kind, rule = registry.lookup(key)
    return Callee(kind or "unknown", text, rule=rule, method=method, key=key)
