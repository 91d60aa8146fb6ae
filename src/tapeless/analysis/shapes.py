"""Shape representatives: which variables surely have the same shape as which others.

``t = np.exp(x)`` has ``x``'s shape; so has ``u = t * 2.0``; ``a + b`` has ``a``'s shape when
``a`` and ``b`` have the same representative. The reverse pass uses this to drop
``unbroadcast`` where shapes cannot differ, and to read a parameter's shape instead of keeping
a temporary alive just for its shape. Only names assigned once are tracked.
"""

from __future__ import annotations

import builtins
from collections import Counter

import gast

import numpy as np

from ..transform.ops import classify
from ..astutil import target_names
from .activity import assignments

_BINARY_KEYS = {("op", n) for n in ("Add", "Sub", "Mult", "Div", "Pow", "Mod")}
_UNARY_KEYS = {("op", "USub"), ("op", "UAdd"), builtins.abs}


def _ufunc(key, nargs):
    """Whether ``key`` is an elementwise NumPy ufunc called with ``nargs`` arguments (not a
    generalised ufunc such as ``np.matmul``, whose signature works on whole axes)."""
    return isinstance(key, np.ufunc) and key.signature is None and key.nin == nargs


def _is_const(node):
    return isinstance(node, gast.Constant) or (
        isinstance(node, gast.UnaryOp) and isinstance(node.operand, gast.Constant))


class Shapes:
    """For each name assigned once, the set of base names whose shapes, broadcast together,
    give its shape: ``t = np.exp(x)`` has ``{x}``; ``u = t * y`` has ``{x, y}``; a name that
    is no elementwise function of others (``X @ w``) is its own base. Two names with the same
    set surely have the same shape, since broadcasting the same shapes gives the same shape."""

    def __init__(self, params, body, scalars=frozenset()):
        self.rep = {p: frozenset([p]) for p in params}
        self.scalars = scalars
        stmts = list(assignments(body))
        stores = _stores(stmts, body)
        for p in params:  # the call binds each parameter once more
            stores[p] += 1
            if stores[p] > 1:
                self.rep.pop(p, None)
        self.once = {n for n, c in stores.items() if c == 1}
        self.down = {}  # name -> an operand of its definition with the same shape
        for s in stmts:
            target = s.targets[0]
            if not isinstance(target, gast.Name) or stores[target.id] != 1:
                continue
            op = classify(s.value)
            r = self._rep_of(op)
            self.rep[target.id] = r if r is not None else frozenset([target.id])
            # an operand of the same shape: it is surely defined wherever this name is
            same = [a.id for a in op.args if isinstance(a, gast.Name) and self._name_rep(a) == r] if r is not None else []
            if same:
                self.down[target.id] = same[0]

    def _name_rep(self, node):
        if isinstance(node, gast.Name):
            if node.id in self.scalars:
                return frozenset()  # shape (): broadcasting it changes nothing
            if node.id in self.rep:
                return self.rep[node.id]
            return frozenset([node.id]) if node.id in self.once else None
        return None

    def _rep_of(self, op):
        if op.kind == "copy":
            return self._name_rep(op.args[0])
        if op.kind != "rule" or op.keywords:
            return None
        key = op.key
        if len(op.args) == 1 and (_ufunc(key, 1) or key in _UNARY_KEYS):
            return self._name_rep(op.args[0])
        if len(op.args) == 2 and (key in _BINARY_KEYS or _ufunc(key, 2)):
            a, b = op.args
            if _is_const(b):
                return self._name_rep(a)
            if _is_const(a):
                return self._name_rep(b)
            ra, rb = self._name_rep(a), self._name_rep(b)
            if ra is not None and rb is not None:
                return ra | rb
        return None

    def same(self, a, b):
        ra, rb = self.rep.get(a), self.rep.get(b)
        if a in self.scalars:
            ra = frozenset()
        if b in self.scalars:
            rb = frozenset()
        return ra is not None and ra == rb

    def stable(self, name):
        """A name with the same shape as ``name`` from which it is computed (so defined wherever
        ``name`` is), as far down the chain of definitions as it goes; or ``name``."""
        seen = {name}
        while name in self.down and self.down[name] not in seen:
            name = self.down[name]
            seen.add(name)
        return name


def _stores(stmts, body):
    """How many times each name is assigned: by the assignments ``stmts`` and as a loop target."""
    stores = Counter(n for s in stmts for n in _targets(s))

    def loops(block):
        for st in block:
            if isinstance(st, gast.For):
                stores.update(target_names(st.target))
            for field in ("body", "orelse"):
                loops(getattr(st, field, []) or [])

    loops(body)
    return stores


def _targets(s):
    t = s.targets[0]
    if isinstance(t, gast.Name):
        return [t.id]
    return [e.id for e in t.elts if isinstance(e, gast.Name)]


_SCALAR_RESULT = {"len", "int", "float", "bool", "round"}


def _math_rule(op):
    key = op.key if op.kind == "rule" else None
    return getattr(key, "__module__", None) == "math" or (
        op.kind == "nondiff" and op.name.startswith("math."))


def python_floats(stmts, params) -> set:
    """Names that hold Python floats wherever they are defined in ``stmts``: every store to
    them assigns the result of a differentiable ``math`` function (which returns a float,
    never an array the caller owns). Parameters are left out: they may be NumPy values."""
    stores = Counter(n.id for s in stmts for n in gast.walk(s)
                     if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))
    math_results = Counter(s.targets[0].id for s in assignments(stmts)
                           if isinstance(s.targets[0], gast.Name) and _math_result(classify(s.value)))
    return {n for n, k in math_results.items() if k == stores[n] and n not in params}


def _math_result(op):
    return op.kind == "rule" and getattr(op.key, "__module__", None) == "math"


def is_elementwise(op):
    """Whether ``op`` computes elementwise with broadcasting (an operator, a ufunc, a copy): its
    result has the broadcast shape of its operands."""
    return _elementwise(op)


def _elementwise(op):
    if op.kind == "copy":
        return True
    if op.kind != "rule" or op.keywords:
        return False
    key = op.key
    return key in _BINARY_KEYS or key in _UNARY_KEYS or (
        _ufunc(key, len(op.args)))


def scalar_variables(params, body, checked=True, returned=None, known=()) -> set:
    """Names that surely hold scalars (0-d values) when the function runs and the gradient's
    argument check (``check_args``) has passed.

    Evidence flows two ways: backwards from the arguments of ``math`` functions and from the
    comparisons that decide conditions (they need scalars, or arrays of one element, which
    is why the parameters proven so are checked to be 0-d when the gradient runs), through
    elementwise operations (broadcasting never shrinks a shape), to the parameters whose
    binding can reach that use; and forwards from those parameters, number constants, ``math``
    results, full reductions (``np.sum(x)``), ``len``/``int``/``float`` and elementwise
    operations on scalars (a greatest fixed
    point, so loop-carried floats count). A name is a scalar when every one of its
    definitions (a parameter's binding included) is. Without ``checked`` (a helper's
    parameters, which no ``check_args`` sees) evidence proves no parameter. ``returned`` names
    the flag of early returns, if any: no evidence reaches back across a return. ``known``
    names parameters checked to be 0-d for another reason (they shape the output).
    """
    stmts = list(assignments(body))
    ops = [classify(s.value) for s in stmts]
    top = _top_positions(body)
    by_target = {}
    for s, op in zip(stmts, ops):
        for n in _targets(s):
            by_target.setdefault(n, []).append((s, op))

    order, loops, blocks = _nesting(body)
    end = _ends(body, order)
    sure = _surely_assigning(body, returned)

    def killed(s, use, name):
        """Another statement surely assigns ``name`` on every path from ``s`` (None: the
        parameter's binding) to ``use``: one wholly between them in textual order (an
        assignment, or an ``if`` whose branches both surely assign it), in a block that holds
        either."""
        start = -1 if s is None else order[id(s)]
        return any(start < order[id(k)] and end[id(k)] < order[id(use)]
                   and (s is not None and _encloses(blocks[id(k)], blocks[id(s)])
                        or _encloses(blocks[id(k)], blocks[id(use)]))
                   for k in sure.get(name, []) + sure.get(EVERY, []) if k is not s)

    def killed_every_iteration(common, use, name):
        """A statement surely assigning ``name`` runs before ``use`` in every iteration of the
        loops ``common`` (around both a definition and the use): it is inside all of them, in a
        block that holds the use, and wholly before it. A definition's value can then reach
        the use through those loops' back edges only if it is made after that statement."""
        return any(common <= loops[id(k)] and _encloses(blocks[id(k)], blocks[id(use)])
                   and end[id(k)] < order[id(use)] for k in sure.get(name, []) + sure.get(EVERY, []))

    def reaching(name, use):
        """The definitions of ``name`` that can reach its use in statement ``use``: in an earlier
        top-level statement unless one that always runs comes between; in the same one, when
        in a loop around both, or textually before the use and not in another branch of an
        ``if``; in both cases, not when another definition surely runs between them."""
        where = top[id(use)]
        defs = [(top[id(s)], s, op) for s, op in by_target.get(name, [])]
        if name in params:
            defs.append((-1, None, None))
        kills = [top[id(s)] for s, op in by_target.get(name, []) if getattr(s, "unconditional", False)]
        out = []
        for at, s, op in defs:
            if at == where:
                common = loops[id(s)] & loops[id(use)]
                reach = common and not killed_every_iteration(common, use, name) or order[id(s)] < order[id(use)] and not (
                    _exclusive(blocks[id(s)], blocks[id(use)]) or killed(s, use, name))
            else:
                reach = at < where and not any(at < k < where for k in kills) and not killed(s, use, name)
            if reach:
                out.append((s, op))
        return out

    # backwards: the definitions that must give scalars
    proven = set(known)  # ids of definitions (statements; a parameter's binding is the name)
    evidence = []
    for s, op in zip(stmts, ops):
        if op.kind == "rule" and _math_rule(op):
            evidence += [(a.id, s) for a in op.args if isinstance(a, gast.Name)]
    for test, use in _tests(body, stmts):
        evidence += [(n, use) for n in _compared_names(test)]
    seen = set()
    while evidence:
        name, use = evidence.pop()
        if (name, id(use)) in seen:
            continue
        seen.add((name, id(use)))
        for s, op in reaching(name, use):
            if s is None:
                if checked:
                    proven.add(name)
                continue
            proven.add(id(s))
            if isinstance(s.targets[0], gast.Name) and _elementwise(op):
                evidence += [(a.id, s) for a in op.args if isinstance(a, gast.Name)]
    # forwards: greatest fixed point over the definitions not proven yet
    # a loop's index is an int: after desugaring every for loop runs over a range
    indices = {n for n, c in _stores([], body).items() if c}
    scalar = {n for n in by_target} | {p for p in params if p in proven} | indices
    for s in stmts:  # tuple targets are left out
        if not isinstance(s.targets[0], gast.Name):
            scalar -= set(_targets(s))
    changed = True
    while changed:
        changed = False
        for name in list(scalar):
            param_ok = name not in params or name in proven
            # evidence proves parameters (checked when the gradient runs) but not other names:
            # NumPy accepts an array of one element in a condition or a math function
            defs_ok = all(_scalar_result(op, scalar) for s, op in by_target.get(name, []))
            if not (param_ok and defs_ok):
                scalar.discard(name)
                changed = True
    return scalar


def _top_positions(body):
    """``id(statement) -> index of the top-level statement holding it``; marks the top-level
    assignments ``unconditional`` (they always run, in order)."""
    out = {}

    def walk(stmts, at):
        for st in stmts:
            out[id(st)] = at
            for field in ("body", "orelse"):
                walk(getattr(st, field, []) or [], at)

    for i, st in enumerate(body):
        st.unconditional = isinstance(st, gast.Assign)
        walk([st], i)
    return out


def _nesting(body):
    """``(order, loops, blocks)``: each statement's position in textual order, the loops around
    it (a ``while`` counts as around itself: its test runs after its body), and the path of
    blocks holding it (``(id(compound statement), field)`` pairs, outermost first)."""
    order, loops, blocks = {}, {}, {}

    def walk(stmts, around, path):
        for st in stmts:
            order[id(st)] = len(order)
            blocks[id(st)] = path
            inside = around | {id(st)} if isinstance(st, (gast.For, gast.While)) else around
            loops[id(st)] = inside if isinstance(st, gast.While) else around
            for field in ("body", "orelse"):
                walk(getattr(st, field, []) or [], inside, path + ((id(st), field),))

    walk(body, frozenset(), ())
    return order, loops, blocks


def _ends(body, order):
    """``id(statement) -> the textual position of the last statement inside it`` (itself for a
    simple statement)."""
    out = {}

    def walk(stmts):
        last = -1
        for st in stmts:
            inner = max(walk(getattr(st, "body", []) or []), walk(getattr(st, "orelse", []) or []))
            out[id(st)] = max(order[id(st)], inner)
            last = max(last, out[id(st)])
        return last

    walk(body)
    return out


def _surely_assigning(body, returned=None):
    """``name -> statements that surely assign it when they run``: assignments, and ``if``
    statements both of whose branches surely assign it (a loop may run zero times). Setting
    the flag ``returned`` of an early return (see ``LowerJumps``) counts as assigning every
    name, and so does an ``if`` whose branches each assign a name or return: no statement that
    reads a variable runs after it, since everything after it is guarded by ``if not
    returned`` or ends a loop. Those statements are listed under the key ``EVERY``; the
    missing ``else`` of such a guard, ``if not returned: ...``, counts as one of them."""
    out = {}
    guards = {s.targets[0].id for s in assignments(body) if returned is not None and _negates(s.value, returned)}

    def assigned(st):
        if returned is not None and isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) \
                and st.targets[0].id == returned and getattr(st.value, "value", None) is True:
            names = EVERY
        elif isinstance(st, gast.Assign):
            names = set(target_names(st.targets[0]))
        elif isinstance(st, gast.If):
            both = [_union([assigned(b) for b in block]) for block in (st.body, st.orelse)]
            if isinstance(st.test, gast.Name) and st.test.id in guards:
                both[1] = EVERY
            names = both[1] if both[0] is EVERY else both[0] if both[1] is EVERY else both[0] & both[1]
        else:
            for field in ("body", "orelse"):
                for b in getattr(st, field, []) or []:
                    assigned(b)
            names = set()
        for n in [EVERY] if names is EVERY else names:
            out.setdefault(n, []).append(st)
        return names

    for st in body:
        assigned(st)
    return out


EVERY = "<every name>"  # not an identifier: the key of statements that end the function


def _negates(value, name):
    """``value`` is ``not name``."""
    return (isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.Not)
            and isinstance(value.operand, gast.Name) and value.operand.id == name)


def _union(sets):
    """The union of sets of names, where ``EVERY`` absorbs the rest."""
    if any(s is EVERY for s in sets):
        return EVERY
    return set().union(*sets)


def _exclusive(a, b):
    """Two block paths in different branches of one ``if``: one run of it reaches only one."""
    for (sa, fa), (sb, fb) in zip(a, b):
        if sa != sb:
            return False
        if fa != fb:
            return True
    return False


def _encloses(outer, inner):
    """The block path ``outer`` holds ``inner`` (it is the same block or one around it)."""
    return inner[:len(outer)] == outer


def _scalar_result(op, scalar):
    if op is None:
        return False
    if op.kind == "const":
        v = op.node.value if isinstance(op.node, gast.Constant) else getattr(op.node.operand, "value", None)
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if op.kind in ("rule", "nondiff") and (_math_rule(op) or op.name in _SCALAR_RESULT):
        return True
    if _full_reduction(op):  # np.sum(x), x.mean(): 0-d whatever x is
        return True
    if _elementwise(op):
        return all(_is_const(a) or isinstance(a, gast.Name) and a.id in scalar for a in op.args)
    return False


def _tests(body, stmts):
    """``(condition, statement)`` for each ``if`` and ``while`` (an ``if`` test is a name: find
    its value, and the assignment computing it)."""
    values = {s.targets[0].id: s for s in stmts if isinstance(s.targets[0], gast.Name)}
    out = []

    def walk(block):
        for st in block:
            if isinstance(st, gast.While):
                out.append((st.test, st))
            elif isinstance(st, gast.If) and isinstance(st.test, gast.Name) and st.test.id in values:
                out.append((values[st.test.id].value, values[st.test.id]))
            for field in ("body", "orelse"):
                walk(getattr(st, field, []) or [])

    walk(body)
    return out


def _compared_names(test):
    """Names whose values a comparison in a condition reads directly or elementwise: they must be
    scalars for the condition to have one truth value."""
    names = set()
    if isinstance(test, gast.BoolOp):
        for value in test.values:
            names |= _compared_names(value)
    elif isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not):
        names |= _compared_names(test.operand)
    elif isinstance(test, gast.Compare):  # not one inside a call: np.any(x > 0) compares arrays
        for operand in [test.left] + list(test.comparators):
            names |= _elementwise_names(operand)
    return names


def _elementwise_names(node):
    if isinstance(node, gast.Name):
        return {node.id}
    if isinstance(node, gast.BinOp) and type(node.op).__name__ in {k[1] for k in _BINARY_KEYS}:
        return _elementwise_names(node.left) | _elementwise_names(node.right)
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        return _elementwise_names(node.operand)
    if isinstance(node, gast.Call) and getattr(node, "callee", None) is not None and node.callee.kind == "rule":
        key = node.callee.key
        if _ufunc(key, len(node.args)) or key in _UNARY_KEYS or (
                getattr(key, "__module__", None) == "math"):
            return set().union(*(_elementwise_names(a) for a in node.args)) if node.args else set()
    return set()


_FULL_REDUCTIONS = {np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.var, np.std, np.linalg.norm}
_FULL_REDUCTION_METHODS = {("method", m) for m in ("sum", "mean", "prod", "max", "min", "var", "std")}


def _full_reduction(op):
    return op.kind == "rule" and not op.keywords and len(op.args) == 1 and (
        op.key in _FULL_REDUCTIONS or op.key in _FULL_REDUCTION_METHODS)


def output_params(params, body, result, scalars=frozenset()):
    """The parameters whose shapes, broadcast together, surely give the shape of ``result``
    (a name): ``x ** 2 + 3 * x`` has the shape of ``x``; ``np.sum(...)``, a ``math`` function or
    a number has shape ``()`` (the empty set). None when the shape does not follow that way.

    The output is then 0-d exactly when each of these parameters is, which the gradient checks
    before the function runs instead of computing the output to look at it.
    """
    stmts = list(assignments(body))
    stores = _stores(stmts, body)
    # a parameter assigned in the body has two definitions (the call binds it too): not tracked
    defs = {s.targets[0].id: s for s in stmts
            if isinstance(s.targets[0], gast.Name) and stores[s.targets[0].id] == 1 and s.targets[0].id not in params}
    fixed = {p for p in params if stores[p] == 0}
    # bool(...) gives a 0-d value that is no number: the output check must see it
    boolish = {n for s in stmts for n in _targets(s) if classify(s.value).name == "bool"}
    memo = {}

    def of_name(name):
        if name in scalars and name not in boolish:
            return frozenset()
        if name in fixed:
            return frozenset([name])
        if name not in defs or name in memo and memo[name] is _PENDING:
            return None
        if name not in memo:
            memo[name] = _PENDING
            memo[name] = of_op(classify(defs[name].value))
        return memo[name]

    def of_atom(node):
        if _is_const(node):
            v = node.value if isinstance(node, gast.Constant) else getattr(node.operand, "value", None)
            return frozenset() if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        return of_name(node.id) if isinstance(node, gast.Name) else None

    def of_op(op):
        if op.kind == "copy":
            return of_atom(op.args[0])
        if op.kind == "const" or _scalar_result(op, ()):
            return frozenset() if _scalar_result(op, ()) and op.name != "bool" else None
        if op.kind != "rule" or op.keywords:
            return None
        if _elementwise(op):
            parts = [of_atom(a) for a in op.args]
            return None if any(p is None for p in parts) else frozenset().union(*parts)
        return None

    return of_atom(result) if isinstance(result, (gast.Name, gast.Constant)) else None


_PENDING = object()
