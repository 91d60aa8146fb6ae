"""The rule registry: the one place that maps a primitive to its derivative rule.

A reverse rule is a template: a tiny Python function whose parameters are ``ans`` (the
primitive's result), ``g`` (the adjoint of the result) and then the primitive's own parameters,
and whose body assigns ``d<param>`` for each parameter the derivative flows to, e.g.::

    @reverse_rule(np.sin)
    def sin(ans, g, x):
        dx = g * np.cos(x)

The transformer inlines the body into the generated gradient, with the names of the user's
statement in place of the parameters. Functions whose derivative is zero everywhere they are
defined (``np.sign``, ``len``, ``np.zeros_like``) are declared with :func:`nondifferentiable`.

Keys are the function objects themselves (``np.sin``, ``math.sin``), or tuples for syntax:
``("op", "Add")`` for ``a + b``, ``("method", "sum")`` for ``x.sum()``, ``("attr", "T")`` for
``x.T`` and ``("subscript",)`` for ``x[i]``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

_FIXED = ("ans", "g")


@dataclass
class Rule:
    """A reverse-mode derivative rule."""

    key: object
    name: str
    template: object
    variants: dict = field(default_factory=dict)  # parameter -> template used when it is a constant
    fixed: tuple = _FIXED  # the leading template parameters that are not the primitive's
    shape_only: tuple = ()  # parameters read only for their shape: no derivative flows through them
    signature: inspect.Signature = field(init=False)

    def __post_init__(self):
        params = list(inspect.signature(self.template).parameters.values())
        n = len(self.fixed)
        if tuple(p.name for p in params[:n]) != tuple(self.fixed):
            raise TypeError(f"rule {self.name}: a template starts with the parameters ({', '.join(self.fixed)}, ...)")
        self.signature = inspect.Signature(params[n:])

    @property
    def params(self):
        return list(self.signature.parameters)


_REVERSE: dict = {}
_NONDIFF: dict = {}
_generation = [0]  # bumped by every registration: cached gradients made before it are stale


def generation() -> int:
    """How many registrations have happened; part of the key of every cached gradient."""
    return _generation[0]


def display_name(key) -> str:
    """How a key is named in messages: ``np.sin``, ``x.sum()``, ``a + b``."""
    if isinstance(key, tuple):
        kind = key[0]
        if kind == "method":
            return f"the method .{key[1]}()"
        if kind == "attr":
            return f"the attribute .{key[1]}"
        if kind == "op":
            return f"the operator {key[1]}"
        return "indexing x[...]"
    module = getattr(key, "__module__", None) or ("numpy" if type(key).__name__ == "ufunc" else "")
    name = getattr(key, "__name__", repr(key))
    if module.startswith("numpy"):
        sub = module.split(".")[1:]
        sub = [s for s in sub if not s.startswith("_") and s not in ("core", "fromnumeric", "numeric")]
        return ".".join(["np", *sub, name])
    if module in ("builtins", ""):
        return name
    if module.startswith("tapeless"):
        return f"tapeless.{name}"
    return f"{module}.{name}"


def reverse_rule(*keys, constant=None):
    """Register the decorated template as the reverse rule of each key.

    A key is the function the rule is for (``np.sin``, a function of your own). The template's
    parameters are ``ans`` (the function's result), ``g`` (the adjoint of the result) and then
    the function's own parameters, by name, with their defaults; its body assigns ``d<param>``
    for each parameter the derivative flows to. tapeless copies the body into the generated
    gradient, with the names of the call site filled in. For example:

        @tapeless.reverse_rule(logsumexp)
        def logsumexp_rule(ans, g, x):
            dx = g * np.exp(x - ans)

    ``constant`` maps a parameter name to another template, used instead when that argument
    is a number written in the code (``x ** 2``): it can be simpler, as constants fold.
    Registering a rule clears the cache of generated gradients, so later gradients use it.
    """

    def register(template):
        for key in keys:
            _REVERSE[key] = Rule(key, display_name(key), template, dict(constant or {}))
            _NONDIFF.pop(key, None)
        _generation[0] += 1
        return template

    if not keys:
        raise TypeError("reverse_rule needs the function (or functions) the rule is for")
    return register


_FORWARD: dict = {}


def forward_rule(*keys, constant=None, shape_only=()):
    """Register the decorated template as the forward (tangent) rule of each key.

    A forward template's parameters are ``ans`` and then the primitive's own parameters; its
    body reads ``d<param>``, the tangent of each parameter, and assigns ``dans``, the tangent
    of the result. The tangent of an argument that carries no derivative is zero: terms with
    it fold away. ``constant`` is as for ``reverse_rule``. ``shape_only`` names parameters
    the function reads only for their shape (or piecewise-constant masks): a derivative reaching
    them is ignored; one reaching any other parameter without a tangent term is refused.
    """

    def register(template):
        for key in keys:
            _FORWARD[key] = Rule(key, display_name(key), template, dict(constant or {}), fixed=("ans",),
                                 shape_only=tuple(shape_only))
        _generation[0] += 1
        return template

    if not keys:
        raise TypeError("forward_rule needs the function (or functions) the rule is for")
    return register


def lookup_forward(key):
    """The forward rule of ``key``, or None."""
    try:
        return _FORWARD.get(key)
    except TypeError:
        return None


def nondifferentiable(*keys):
    """Declare functions (or syntax keys) whose derivative is zero: they run, undifferentiated.

    Usable as a decorator too: ``@nondifferentiable`` above a def declares that function."""
    if len(keys) == 1 and callable(keys[0]) and not isinstance(keys[0], tuple):
        _declare(keys)
        return keys[0]
    _declare(keys)


def _declare(keys):
    for key in keys:
        _NONDIFF[key] = display_name(key)
        _REVERSE.pop(key, None)
    _generation[0] += 1


_ALIASES: dict = {}  # key -> {keyword the function also accepts: the parameter it means}


def keyword_aliases(key, **aliases):
    """Declare other names ``key`` accepts for its parameters (``np.clip(x, min=0.0)`` is
    ``np.clip(x, a_min=0.0)`` since NumPy 2.1): the rules of ``key`` see the parameter."""
    _ALIASES[key] = dict(aliases)
    _generation[0] += 1


def canonical_keywords(key, keywords):
    """A call's ``keywords`` (name -> node) with aliases declared for ``key`` renamed."""
    try:
        aliases = _ALIASES.get(key)
    except TypeError:  # an unhashable object
        return keywords
    if not aliases:
        return keywords
    return {aliases.get(k, k): v for k, v in keywords.items()}


_SMOOTH: dict = {}  # key -> its parameters by position, None for those it does not depend on


def smooth_arguments(key, *params):
    """Declare the parameters (by position: a name, or None to skip one) that the result of
    ``key``, declared :func:`nondifferentiable`, depends on smoothly, though tapeless gives no
    derivative for them: ``np.full``'s fill value, say. A differentiated value passed there,
    by position or by name, is refused instead of getting a derivative of zero."""
    _SMOOTH[key] = tuple(params)
    _generation[0] += 1


_CONSTANT_CHECKS: dict = {}


def check_constant(key, position, name, check, modes=("reverse", "forward")):
    """Declare that the argument ``name`` of ``key`` (at ``position`` when passed positionally),
    when the call writes it as a literal, must pass ``check`` in the given ``modes``: a function
    from its value to None, or to the message of a refusal. The transformation then refuses the
    call at its place instead of the gradient failing when it runs."""
    _CONSTANT_CHECKS.setdefault(key, []).append((position, name, check, tuple(modes)))


def constant_checks(key, mode):
    """``(position, name, check)`` declared with :func:`check_constant` for ``key`` in ``mode``."""
    try:
        return [(p, n, c) for p, n, c, modes in _CONSTANT_CHECKS.get(key, ()) if mode in modes]
    except TypeError:  # an unhashable object
        return []


def smooth_argument_nodes(key, args, keywords):
    """``(parameter, node)`` of a call's arguments declared with :func:`smooth_arguments`."""
    try:
        params = _SMOOTH.get(key, ())
    except TypeError:  # an unhashable object
        return []
    return ([(p, node) for p, node in zip(params, args) if p is not None]
            + [(k, node) for k, node in keywords.items() if k in params])


def lookup(key):
    """``("rule", reverse Rule or None)`` for a key with a rule in either mode,
    ``("nondiff", None)``, or ``(None, None)`` for an unknown key."""
    try:
        if key in _REVERSE or key in _FORWARD:
            return "rule", _REVERSE.get(key)
        if key in _NONDIFF:
            return "nondiff", None
    except TypeError:  # an unhashable object
        pass
    return None, None


_BUILTIN: set = set()


def mark_builtin():
    """Remember the keys registered so far as tapeless's own (called once, at import)."""
    _BUILTIN.update(_REVERSE, _NONDIFF)


def registered(builtin_only=False):
    """Every registered key, by kind (only tapeless's own with ``builtin_only``)."""
    keep = (lambda k: k in _BUILTIN) if builtin_only else (lambda k: True)
    return {"reverse": {k: v for k, v in _REVERSE.items() if keep(k)},
            "nondifferentiable": {k: v for k, v in _NONDIFF.items() if keep(k)}}
