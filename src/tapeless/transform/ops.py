"""What one normalized statement computes: the primitive and its operands."""

from __future__ import annotations

from dataclasses import dataclass, field

import gast

from ..astutil import index_as_value, iter_nodes, load
from ..rules import registry


@dataclass
class Op:
    kind: str  # "copy", "const", "rule", "nondiff", "user", "unknown", "container", "append", "pop"
    node: object  # the value expression (for locations)
    name: str = ""
    rule: object = None  # the reverse rule, if any
    key: object = None  # the registry key, for kind "rule"
    func: object = None
    args: list = field(default_factory=list)
    keywords: dict = field(default_factory=dict)


def _keyed(key, node, args, name):
    kind, rule = registry.lookup(key)
    return Op(kind or "unknown", node, name or registry.display_name(key), rule=rule, key=key, args=args)


_OP_TEXT = {"Add": "+", "Sub": "-", "Mult": "*", "Div": "/", "Pow": "**", "MatMult": "@",
            "Mod": "%", "FloorDiv": "//", "USub": "unary -", "UAdd": "unary +"}


def classify(value) -> Op:
    if isinstance(value, gast.Name):
        return Op("copy", value, args=[value])
    if isinstance(value, gast.Constant) or isinstance(value, gast.UnaryOp) and isinstance(
            value.operand, gast.Constant):
        return Op("const", value)
    if isinstance(value, gast.BinOp):
        op = type(value.op).__name__
        return _keyed(("op", op), value, [value.left, value.right], f"the operator {_OP_TEXT.get(op, op)}")
    if isinstance(value, gast.UnaryOp):
        op = type(value.op).__name__
        return _keyed(("op", op), value, [value.operand], f"the operator {_OP_TEXT.get(op, op)}")
    if isinstance(value, (gast.Compare, gast.BoolOp, gast.JoinedStr)):
        return Op("nondiff", value)
    if isinstance(value, gast.Call):
        callee = value.callee
        args = list(value.args)
        if callee.method:
            args = [value.func.value] + args
        keywords = {k.arg: k.value for k in value.keywords}
        return Op(callee.kind, value, callee.name, rule=callee.rule, key=callee.key, func=callee.func, args=args,
                  keywords=keywords)
    if isinstance(value, gast.Subscript):
        return _keyed(("subscript",), value, [value.value, index_as_value(value.slice)], "indexing")
    if isinstance(value, gast.Attribute):
        if isinstance(value.value, gast.Name):
            return _keyed(("attr", value.attr), value, [value.value], f"the attribute .{value.attr}")
        return Op("const", value)
    if isinstance(value, (gast.Tuple, gast.List)):
        return Op("container", value, "a tuple or list", args=list(value.elts))
    return Op("unknown", value, type(value).__name__)


def operand_names(op) -> set:
    """Names an operation reads as operands that a derivative can flow through (for a rule,
    only its differentiable parameters: ``unbroadcast(d, x)`` reads ``x`` for its shape)."""
    nodes = list(op.args) + list(op.keywords.values())
    if op.kind == "rule":
        nodes = _flowing(op) or nodes
    names = set()
    for node in nodes:
        for sub in iter_nodes(node):
            if isinstance(sub, gast.Name) and isinstance(sub.ctx, gast.Load):
                names.add(sub.id)
    return names


def carries(node, active) -> bool:
    """Whether the value of expression ``node`` may carry a derivative (depend on ``active``).

    Comparisons, boolean logic and calls to non-differentiable functions never do, so
    ``x[x > 0]`` or ``x[np.argsort(x)]`` use ``x`` only as data in the index.
    """
    if isinstance(node, gast.Name):
        return node.id in active
    if isinstance(node, (gast.Constant, gast.Compare, gast.BoolOp, gast.JoinedStr)):
        return False
    if isinstance(node, gast.UnaryOp):
        return not isinstance(node.op, (gast.Not, gast.Invert)) and carries(node.operand, active)
    if isinstance(node, gast.Call):
        callee = getattr(node, "callee", None)
        if callee is not None and callee.kind == "nondiff":
            return False
        parts = list(node.args) + [k.value for k in node.keywords]
        if isinstance(node.func, gast.Attribute):
            parts.append(node.func.value)
        return any(carries(p, active) for p in parts)
    if isinstance(node, gast.Attribute):
        kind, _ = registry.lookup(("attr", node.attr))
        return kind != "nondiff" and carries(node.value, active)
    if isinstance(node, gast.BinOp):
        kind, _ = registry.lookup(("op", type(node.op).__name__))
        return kind != "nondiff" and (carries(node.left, active) or carries(node.right, active))
    if isinstance(node, gast.Subscript):
        return carries(node.value, active)
    if isinstance(node, gast.Slice):
        return any(carries(p, active) for p in (node.lower, node.upper, node.step) if p is not None)
    if isinstance(node, (gast.Tuple, gast.List)):
        return any(carries(e, active) for e in node.elts)
    if isinstance(node, gast.IfExp):
        return carries(node.body, active) or carries(node.orelse, active)
    return any(isinstance(n, gast.Name) and n.id in active for n in iter_nodes(node))


def _flowing(op):
    """The argument nodes of ``op``'s rule that a derivative may flow through, or None: all but
    those read only for their shape (``unbroadcast(d, x)`` reads ``x`` so). An argument the rule
    has no derivative for still counts, so that the transform refuses it by name rather than
    treating it as a constant."""
    from .templates import bind

    rule = op.rule or registry.lookup_forward(op.key)
    if rule is None:
        return None
    try:
        bindings = bind(rule, op)
    except TypeError:
        return None  # the transform reports the bad call
    forward = registry.lookup_forward(op.key)
    shape_only = set(rule.shape_only) | set(getattr(forward, "shape_only", ()))
    return [node for p, node in bindings.items() if p not in shape_only and p not in STRUCTURAL]


# Parameters that say how to compute, not what: a mask, an axis, a shape, an index. Their
# values are booleans or integers, which carry no derivative even when computed from
# differentiated values (a mask x > 0 saved by a generated gradient, say): the result does not
# depend on them through a derivative, and a differentiated value there is not refused.
# (Not ``ord``: a norm's order may be a float, and the norm depends on it smoothly.)
STRUCTURAL = frozenset({"condition", "axis", "axes", "keepdims", "dtype", "out", "order", "shape", "index"})


def zero(unit, node):
    """A zero shaped like ``node`` (a name, or any expression): ``0.0`` for a known scalar,
    else ``zeros_like(node)`` through the runtime helper."""
    from ..runtime import zeros_like

    if isinstance(node, str):
        node = load(node)
    if isinstance(node, gast.Name) and node.id in unit.scalars:
        return gast.Constant(value=0.0, kind=None)
    return gast.Call(func=load(unit.namer.bind("zeros_like", zeros_like)), args=[node], keywords=[])
