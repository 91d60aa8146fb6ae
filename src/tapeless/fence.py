"""The supported subset of Python: refuse everything else at the offending node, before any work."""

from __future__ import annotations

import gast

from .errors import UnsupportedSyntax

# Statement and expression types that may appear in a differentiated function.
_ALLOWED = (
    gast.Assign, gast.AugAssign, gast.Expr, gast.If, gast.For, gast.While, gast.Break,
    gast.Continue, gast.Return, gast.Pass, gast.Assert, gast.Raise,
    gast.BoolOp, gast.BinOp, gast.UnaryOp, gast.IfExp, gast.Compare, gast.Call, gast.Constant,
    gast.Attribute, gast.Subscript, gast.Name, gast.List, gast.Tuple, gast.Slice,
    gast.JoinedStr, gast.FormattedValue, gast.keyword,
    gast.expr_context, gast.boolop, gast.operator, gast.unaryop, gast.cmpop,
)

# What to write instead, by construct.
_HINTS = {
    "FunctionDef": ("a nested function definition", "define the helper at module level and call it"),
    "AsyncFunctionDef": ("an async function", "differentiate a plain def"),
    "ClassDef": ("a class definition", "define the class outside the function"),
    "Lambda": ("a lambda", "define a module-level function with def and call it"),
    "Yield": ("yield", "return a value; generators cannot be differentiated"),
    "YieldFrom": ("yield from", "return a value; generators cannot be differentiated"),
    "Await": ("await", "differentiate synchronous code"),
    "Global": ("a global statement", "pass the value in as an argument and return the new value"),
    "Nonlocal": ("a nonlocal statement", "pass the value in as an argument and return the new value"),
    "Try": ("try/except", "move the try outside the differentiated function"),
    "TryStar": ("try/except*", "move the try outside the differentiated function"),
    "With": ("a with statement", "move the with block outside the differentiated function"),
    "AsyncWith": ("async with", "move it outside the differentiated function"),
    "AsyncFor": ("async for", "use a plain for loop"),
    "Delete": ("del", "leave the name alone or assign it a new value"),
    "Import": ("an import inside the function", "import at module level"),
    "ImportFrom": ("an import inside the function", "import at module level"),
    "ListComp": ("a list comprehension", "write a for loop, or use a NumPy operation on arrays"),
    "SetComp": ("a set comprehension", "write a for loop"),
    "DictComp": ("a dict comprehension", "write a for loop"),
    "GeneratorExp": ("a generator expression", "write a for loop, or use a NumPy operation such as np.sum"),
    "NamedExpr": ("an assignment expression (:=)", "assign on a line of its own"),
    "Starred": ("a starred expression (*args)", "pass the arguments one by one"),
    "Dict": ("a dict", "pass values as separate arguments"),
    "Set": ("a set", "use a tuple"),
    "AnnAssign": ("an annotated assignment", "drop the annotation: y = value"),
    "Match": ("a match statement", "use if/elif/else"),
}

_AUG_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div)


def check(fs) -> None:
    """Raise :class:`UnsupportedSyntax` at the first construct outside the supported subset."""
    args = fs.tree.args
    if args.vararg is not None or args.kwarg is not None:
        node = args.vararg or args.kwarg
        raise UnsupportedSyntax(
            "*args and **kwargs parameters cannot be differentiated",
            fs.location(node),
            "name each parameter",
        )
    for stmt in fs.tree.body:
        for node in gast.walk(stmt):
            _check_node(fs, node)


def _refuse(fs, node, what, hint):
    raise UnsupportedSyntax(f"{what} is not supported in a differentiated function", fs.location(node), hint)


def _check_node(fs, node) -> None:
    kind = type(node).__name__
    if not isinstance(node, _ALLOWED):
        what, hint = _HINTS.get(kind, (f"the construct {kind}", "rewrite it with plain assignments, if and for"))
        _refuse(fs, node, what, hint)
    if isinstance(node, gast.AugAssign) and not isinstance(node.op, _AUG_OPS):
        _refuse(fs, node, f"augmented assignment with {type(node.op).__name__}",
                "write it out: x = x <op> y")
    if isinstance(node, gast.AugAssign) and not isinstance(node.target, gast.Name):
        _refuse(fs, node, "writing into an array or attribute (x[i] += v, x.a += v)",
                "build a new array instead, e.g. with np.where or np.concatenate")
    if isinstance(node, gast.Assign):
        for target in node.targets:
            _check_target(fs, target)
    if isinstance(node, (gast.For, gast.While)) and node.orelse:
        _refuse(fs, node, f"else on a {kind.lower()} loop", "use a flag variable set before break")
    if isinstance(node, gast.For):
        _check_target(fs, node.target)
    if isinstance(node, gast.Call):
        for kw in node.keywords:
            if kw.arg is None:
                _refuse(fs, kw.value, "**kwargs in a call", "pass the keyword arguments one by one")


def _check_target(fs, target) -> None:
    if isinstance(target, gast.Name):
        return
    if isinstance(target, (gast.Tuple, gast.List)):
        for elt in target.elts:
            _check_target(fs, elt)
        return
    if isinstance(target, gast.Subscript):
        _refuse(fs, target, "writing into an array (x[i] = v)",
                "build a new array instead, e.g. with np.where, np.concatenate or np.stack")
    if isinstance(target, gast.Attribute):
        _refuse(fs, target, "assigning to an attribute", "use a local variable")
    _refuse(fs, target, f"assigning to {type(target).__name__}", "assign to a plain name")
