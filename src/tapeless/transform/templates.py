"""Fill a rule template with the names of one statement."""

from __future__ import annotations

import builtins
import functools
import inspect
import textwrap

import gast
import numpy as np

from ..astutil import clone, const, load, names_loaded, names_stored, replace, tuple_
from ..errors import InternalError, RuleError
from ..rules import registry
from ..source import check_unchanged


@functools.lru_cache(maxsize=None)
def parsed(template, implicit=frozenset()):
    """The template's body, the names it assigns, and the global names it reads (``implicit``
    names are placeholders filled by the transformer, not globals)."""
    source = textwrap.dedent(inspect.getsource(template))
    # the text is read from disk now: a rule file edited since it was imported (tapeless
    # upgraded under a running kernel, say) would give another template's text
    check_unchanged(template, source)
    tree = gast.parse(source).body[0]
    body = tree.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]
    params = {a.id for a in tree.args.args + tree.args.kwonlyargs}
    if tree.args.vararg is not None:
        params.add(tree.args.vararg.id)
    stored = names_stored(body)
    free = names_loaded(body) - params - stored - implicit
    glob = {}
    for name in sorted(free):
        if name in template.__globals__:
            glob[name] = template.__globals__[name]
            if glob[name] is template:  # its own name: a helper it imports is shadowed by it
                raise RuleError(f"the rule template {template.__qualname__} calls {name}, which is the template "
                                "itself: rename the template or the function it means to call")
        elif hasattr(builtins, name):
            glob[name] = getattr(builtins, name)
        else:
            raise RuleError(f"the rule template {template.__qualname__} reads the name {name!r}, which is "
                            "not defined where the template is (import it in the template's module)")
    return body, stored, glob


def differentiable_params(rule):
    """The parameters a rule gives a derivative for: those whose ``d<param>`` a reverse template
    assigns, or a forward template reads."""
    if rule.fixed == ("ans",):
        body, _, _ = parsed(rule.template, frozenset("d" + p for p in rule.params))
        read = names_loaded(body)
        return [p for p in rule.params if "d" + p in read]
    _, stored, _ = parsed(rule.template)
    return [p for p in rule.params if "d" + p in stored]


def _default_node(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return const(value)
    raise InternalError(f"rule default {value!r} cannot be written into generated code")


def bind(rule, op):
    """Map each rule parameter to the node of the call (defaults as constants)."""
    bound = rule.signature.bind(*op.args, **registry.canonical_keywords(rule.key, op.keywords))
    out = {}
    for name, param in rule.signature.parameters.items():
        if name in bound.arguments:
            value = bound.arguments[name]
            if param.kind is inspect.Parameter.VAR_POSITIONAL:
                value = tuple_(value) if value else const(None)
            out[name] = value
        elif param.default is not inspect.Parameter.empty:
            out[name] = _default_node(param.default)
        elif param.kind is inspect.Parameter.VAR_POSITIONAL:
            out[name] = const(None)
    return out


def _is_constant(node):
    return isinstance(node, gast.Constant) or (
        isinstance(node, gast.UnaryOp) and isinstance(node.operand, gast.Constant))


def instantiate(rule, bindings, ans, g, namer, wanted):
    """The rule's body for one statement.

    Returns ``(preamble, contributions)``: statements for template temporaries, and a dict
    from parameter name to the expression of its adjoint contribution, for the parameters in
    ``wanted``.
    """
    body, stored, glob = parsed(rule.template)
    mapping = {name: node for name, node in bindings.items()}
    mapping["ans"] = load(ans)
    mapping["g"] = load(g)
    for name, obj in glob.items():
        mapping[name] = namer.bind(name, obj)
    for name in sorted(stored):
        if not (name.startswith("d") and name[1:] in bindings):
            mapping[name] = namer.temp()
    preamble, contributions = [], {}
    for stmt in body:
        if not isinstance(stmt, gast.Assign) or not isinstance(stmt.targets[0], gast.Name):
            raise RuleError(f"the rule template for {rule.name} may only assign (d<param> = ... and "
                            "temporaries); found {type(stmt).__name__}")
        target = stmt.targets[0].id
        param = target[1:] if target.startswith("d") and target[1:] in bindings else None
        if param is not None and param not in wanted:
            continue
        value = replace(clone(stmt.value), mapping)
        if param is None:
            preamble.append(gast.Assign(targets=[gast.Name(id=mapping[target], ctx=gast.Store(),
                                                           annotation=None, type_comment=None)],
                                        value=value, type_comment=None))
            continue
        contributions[param] = name_builtins(value, namer)
    return preamble, contributions


ZERO = "__tapeless_zero__"  # the tangent of an argument that carries no derivative


def instantiate_forward(rule, bindings, ans, tangents, namer):
    """The tangent of one statement from a forward template.

    ``tangents`` maps parameter names to the name of their tangent, for the arguments that
    carry a derivative. Returns ``(preamble, expression)``; terms of the other arguments are
    folded away (``expression`` is None when nothing is left).
    """
    implicit = frozenset("d" + p for p in rule.params)
    body, stored, glob = parsed(rule.template, implicit)
    mapping = dict(bindings)
    mapping["ans"] = load(ans)
    for p in rule.params:
        tangent = tangents.get(p)
        mapping["d" + p] = load(ZERO) if tangent is None else load(tangent) if isinstance(tangent, str) else tangent
    for name, obj in glob.items():
        mapping[name] = namer.bind(name, obj)
    for name in sorted(stored):
        if name != "dans":
            mapping[name] = namer.temp()
    preamble, value = [], None
    for stmt in body:
        if not isinstance(stmt, gast.Assign) or not isinstance(stmt.targets[0], gast.Name):
            raise RuleError(f"the forward rule template for {rule.name} may only assign")
        expr = replace(clone(stmt.value), mapping)
        if stmt.targets[0].id == "dans":
            value = expr
        else:
            preamble.append(gast.Assign(targets=[gast.Name(id=mapping[stmt.targets[0].id], ctx=gast.Store(),
                                                           annotation=None, type_comment=None)],
                                        value=expr, type_comment=None))
    if value is None:
        raise RuleError(f"the forward rule template for {rule.name} does not assign dans")
    return preamble, name_builtins(value, namer)


def drop_defaults(expr, resolve):
    """Leave out arguments that equal the called function's defaults: ``np.sum(d, axis=None)``
    is ``np.sum(d)``, ``expand_reduced(g, x, None, False)`` is ``expand_reduced(g, x)``."""
    for node in gast.walk(expr):
        if not isinstance(node, gast.Call):
            continue
        try:
            params = list(inspect.signature(resolve(node.func)).parameters.values())
        except (TypeError, ValueError):
            continue
        defaults = {p.name: (False if p.name == "keepdims" and p.default is np._NoValue else p.default)
                    for p in params if p.default is not inspect.Parameter.empty}
        node.keywords = [k for k in node.keywords
                         if not (k.arg in defaults and _equals_default(k.value, defaults[k.arg]))]
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        while node.args and len(node.args) <= len(positional):
            param = positional[len(node.args) - 1]
            if param.default is inspect.Parameter.empty or not _equals_default(node.args[-1], param.default):
                break
            node.args.pop()
    return expr


def _equals_default(node, default):
    return (isinstance(node, gast.Constant) and type(node.value) is type(default)
            and node.value == default) or (node_is_none(node) and default is None)


def node_is_none(node):
    return isinstance(node, gast.Constant) and node.value is None


def resolver(namer, fs):
    """A function from a call's function node to the object it names, or None."""
    def resolve(func):
        if isinstance(func, gast.Name):
            if func.id in namer.env:
                return namer.env[func.id]
            try:
                return fs.lookup(func.id)
            except KeyError:
                return None
        if isinstance(func, gast.Attribute):
            base = resolve(func.value)
            return getattr(base, func.attr, None) if base is not None else None
        return None
    return resolve


def result_shaped(unit, arg, result, operands, elementwise=True):
    """Whether operand ``arg`` surely has the shape of ``result``: the same shape
    representative, both scalars, or (for an ``elementwise`` operation, whose result has the
    broadcast shape of its operands; ``np.triu`` of a vector has not) every other operand a
    number or a scalar."""
    if unit.shapes.same(arg, result) or (arg in unit.scalars and result in unit.scalars):
        return True
    if not elementwise:
        return False
    others = [o for o in operands if not (isinstance(o, gast.Name) and o.id == arg)]
    return all(_is_constant(o) or isinstance(o, gast.Name) and o.id in unit.scalars for o in others)


def name_builtins(expr, namer):
    """Calls made by the transformer (``slice(...)`` in an index) call the real builtin."""
    import builtins

    for node in gast.walk(expr):
        if isinstance(node, gast.Call) and getattr(node, "builtin", None):
            node.func = load(namer.bind(node.builtin, getattr(builtins, node.builtin)))
    return expr
