"""Refusals both transforms share: an operation tapeless cannot differentiate, a helper call
it cannot bind, a tuple result assigned to the wrong number of names."""

from __future__ import annotations

import inspect

import gast

from ..errors import MissingRule, NonDifferentiable, UnsupportedSyntax
from ..astutil import names_loaded
from ..rules import registry
from .ops import carries, operand_names

_HINTS = {
    "reverse": "tapeless.reverse_rule registers one; or compute it from supported functions; see docs/supported.md",
    "forward": "tapeless.forward_rule registers one; or compute it from supported functions; see docs/supported.md",
}


def check_operation(fs, op, active, mode):
    """Refuse, at its location, an operation a differentiated value reaches but that has no
    derivative: an unknown function, a container of differentiated values, and (in reverse
    mode) the saved stack of a generated gradient."""
    act = operand_names(op) & active
    if not act or not any(carries(n, active) for n in list(op.args) + list(op.keywords.values())):
        return
    names = ", ".join(sorted(act))
    if op.kind == "nondiff":
        for param, node in registry.smooth_argument_nodes(op.key, op.args, op.keywords):
            if carries(node, active):
                raise NonDifferentiable(
                    f"{op.name} is not differentiated with respect to its argument {param!r}, which depends "
                    f"on {', '.join(sorted(names_loaded(node) & active))}", fs.location(op.node),
                    "make that argument a constant, or compute the array from the value with supported "
                    "operations (value * np.ones(shape), start + step * np.arange(n))")
    if op.kind == "rule":
        for position, name, check in registry.constant_checks(op.key, mode):
            node = op.keywords.get(name, op.args[position] if position < len(op.args) else None)
            message = check(node.value) if isinstance(node, gast.Constant) else None
            if message:
                raise UnsupportedSyntax(message, fs.location(op.node))
    if op.kind == "unknown":
        raise MissingRule(f"no derivative rule for {op.name}, which receives the differentiated value {names}",
                          fs.location(op.node), _HINTS[mode])
    if op.kind in ("pop", "append") and mode == "reverse":
        raise NonDifferentiable(
            "reverse mode through the saved stack of a generated gradient is not supported",
            fs.location(op.node), "differentiate a gradient in forward mode (tapeless.grad of a gradient, "
            "tapeless.hessian and tapeless.hvp do)")
    if op.kind == "container":
        raise NonDifferentiable(
            f"a tuple or list holding differentiated values ({names}) cannot be differentiated yet",
            fs.location(op.node), "keep the values in separate variables, or stack arrays with NumPy "
            "functions that have rules")


def helper_arguments(fs, op, active):
    """Bind a call of a user function: ``(bound arguments, the parameters that carry a derivative)``."""
    try:
        bound = inspect.signature(op.func).bind(*op.args, **op.keywords)
    except TypeError as exc:
        raise NonDifferentiable(f"cannot call {op.name}: {exc}", fs.location(op.node)) from None
    params = [p for p, node in bound.arguments.items() if not isinstance(node, tuple) and carries(node, active)]
    for p in params:
        if not isinstance(bound.arguments[p], gast.Name):
            raise NonDifferentiable(f"argument {p!r} of {op.name} is a container of differentiated values",
                                    fs.location(op.node), "pass each array as its own argument")
    return bound, params


def check_arity(fs, op, target, arity):
    """The names a helper's result is assigned to match the tuple it returns."""
    count = len(target.elts) if isinstance(target, gast.Tuple) else None
    if arity != count:
        returns = f"a tuple of {arity} values" if arity else "one value"
        raise NonDifferentiable(
            f"{op.name} returns {returns}, but the result is assigned to {count if count else 'one'} "
            f"name{'s' if count else ''}", fs.location(op.node),
            "unpack a tuple where it is returned: a, b = helper(x)" if arity else "assign the result to one name")
