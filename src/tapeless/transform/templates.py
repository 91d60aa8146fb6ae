"""Fill a rule template with the names of one statement."""

from __future__ import annotations

import builtins
import functools
import inspect
import textwrap

import gast

from ..astutil import clone, const, load, names_loaded, names_stored, replace, tuple_
from ..errors import InternalError, RuleError


@functools.lru_cache(maxsize=None)
def parsed(template):
    """The template's body, the names it assigns, and the global names it reads."""
    source = textwrap.dedent(inspect.getsource(template))
    tree = gast.parse(source).body[0]
    body = tree.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]
    params = {a.id for a in tree.args.args + tree.args.kwonlyargs}
    if tree.args.vararg is not None:
        params.add(tree.args.vararg.id)
    stored = names_stored(body)
    free = names_loaded(body) - params - stored
    glob = {}
    for name in sorted(free):
        if name in template.__globals__:
            glob[name] = template.__globals__[name]
        elif hasattr(builtins, name):
            glob[name] = getattr(builtins, name)
        else:
            raise RuleError(f"the rule template {template.__qualname__} reads the name {name!r}, which is "
                            "not defined where the template is (import it in the template's module)")
    return body, stored, glob


def differentiable_params(rule):
    """The parameters a rule gives a derivative for (those whose ``d<param>`` it assigns)."""
    _, stored, _ = parsed(rule.template)
    return [p for p in rule.params if "d" + p in stored]


def _default_node(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return const(value)
    raise InternalError(f"rule default {value!r} cannot be written into generated code")


def bind(rule, op):
    """Map each rule parameter to the node of the call (defaults as constants)."""
    bound = rule.signature.bind(*op.args, **op.keywords)
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
    positional = [node for node in bindings.values()]
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
        own = bindings[param]
        others = [n for n in positional if n is not own and not _is_constant(n)]
        value = _elide_unbroadcast(value, mapping.get("unbroadcast"), own, others)
        contributions[param] = value
    return preamble, contributions


def _elide_unbroadcast(value, helper, own, others):
    """``unbroadcast(E, a)`` is ``E`` when every other operand is a constant number."""
    if helper is None or others:
        return value
    if (isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and value.func.id == helper
            and len(value.args) == 2):
        return value.args[0]
    return value
