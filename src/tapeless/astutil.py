"""Small helpers to build and inspect gast trees."""

from __future__ import annotations

import gast


def load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def store(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)


def const(value) -> gast.Constant:
    return gast.Constant(value=value, kind=None)


def assign(target, value, origin=None) -> gast.Assign:
    if isinstance(target, str):
        target = store(target)
    node = gast.Assign(targets=[target], value=value, type_comment=None)
    if origin is not None:
        node.origin = origin
    return node


def call(func, *args, keywords=()) -> gast.Call:
    if isinstance(func, str):
        func = load(func)
    return gast.Call(func=func, args=list(args), keywords=list(keywords))


def attr(value, name) -> gast.Attribute:
    if isinstance(value, str):
        value = load(value)
    return gast.Attribute(value=value, attr=name, ctx=gast.Load())


def tuple_(elts, ctx=None) -> gast.Tuple:
    return gast.Tuple(elts=list(elts), ctx=ctx or gast.Load())


def if_(test, body, orelse=()) -> gast.If:
    return gast.If(test=test, body=list(body), orelse=list(orelse))


def not_(value) -> gast.UnaryOp:
    return gast.UnaryOp(op=gast.Not(), operand=value)


def clone(node):
    """A copy of a tree: new nodes, the same annotations (``callee``, ``origin``) shared."""
    if isinstance(node, list):
        return [clone(x) for x in node]
    if not isinstance(node, gast.AST):
        return node
    new = type(node).__new__(type(node))
    new.__dict__.update(node.__dict__)
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, (list, gast.AST)):
            setattr(new, field, clone(value))
    return new


def iter_nodes(node):
    """Every node inside ``node`` (a node or a list of nodes), in no particular order; a
    faster ``gast.walk``."""
    stack = list(node) if isinstance(node, list) else [node]
    while stack:
        n = stack.pop()
        if not isinstance(n, gast.AST):
            continue
        yield n
        for field in n._fields:
            value = getattr(n, field, None)
            if type(value) is list:
                stack.extend(value)
            elif isinstance(value, gast.AST):
                stack.append(value)


def _names(node, ctx_types):
    return {n.id for n in iter_nodes(node) if type(n) is gast.Name and isinstance(n.ctx, ctx_types)}


def names_loaded(node) -> set:
    """Names read anywhere inside ``node`` (a node or a list of nodes)."""
    return _names(node, gast.Load)


def names_stored(node) -> set:
    """Names assigned anywhere inside ``node`` (a node or a list of nodes)."""
    return _names(node, (gast.Store, gast.Param))


def target_names(target) -> list:
    if isinstance(target, gast.Name):
        return [target.id]
    if isinstance(target, (gast.Tuple, gast.List)):
        return [n for elt in target.elts for n in target_names(elt)]
    return []


def is_atom(node) -> bool:
    """A name, a constant, or a tuple of those: needs no temporary of its own."""
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    if isinstance(node, (gast.Tuple, gast.List)):
        return all(is_atom(e) for e in node.elts)
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant):
        return True
    return False


def dotted(node):
    """``np.linalg.norm`` -> ["np", "linalg", "norm"], or None for anything else."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, gast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def index_as_value(node):
    """An index expression (with slices) as an expression that builds the same index object."""
    if isinstance(node, gast.Slice):
        made = call("slice", *(n if n is not None else const(None) for n in (node.lower, node.upper, node.step)))
        made.builtin = "slice"  # the transformer names the real builtin (the user may shadow slice)
        return made
    if isinstance(node, gast.Tuple):
        return tuple_([index_as_value(e) for e in node.elts])
    return node


class Replace(gast.NodeTransformer):
    """Replace loaded names by (copies of) expressions."""

    def __init__(self, mapping):
        self.mapping = mapping

    def visit_Name(self, node):
        if isinstance(node.ctx, gast.Load) and node.id in self.mapping:
            new = self.mapping[node.id]
            return clone(new) if not isinstance(new, str) else load(new)
        if isinstance(node.ctx, gast.Store) and node.id in self.mapping and isinstance(self.mapping[node.id], str):
            return store(self.mapping[node.id])
        return node


def replace(node, mapping):
    return Replace(mapping).visit(node)
