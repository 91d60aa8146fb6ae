"""Copy propagation, dead code elimination and re-inlining of temporaries."""

from __future__ import annotations

from collections import Counter

import gast

from ..astutil import iter_nodes, names_loaded, target_names


def walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from walk_stmts(getattr(s, field, []) or [])


def _stores(stmts):
    c = Counter()
    for s in walk_stmts(stmts):
        if isinstance(s, gast.Assign):
            for n in target_names(s.targets[0]):
                c[n] += 1
        elif isinstance(s, gast.For):
            for n in target_names(s.target):
                c[n] += 1
    return c


def _loads(stmts):
    c = Counter()
    for s in stmts:
        for n in iter_nodes(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
                c[n.id] += 1
    return c


def is_pure(node):
    """No call in ``node`` that may have an effect (a user function, a stack operation)."""
    for n in iter_nodes(node):
        if isinstance(n, gast.Call):
            if getattr(n, "impure", False):
                return False
            callee = getattr(n, "callee", None)
            if callee is not None and (callee.kind not in ("rule", "nondiff") or callee.name == "print"):
                return False
            if isinstance(n.func, gast.Attribute) and n.func.attr in ("pop", "append"):
                return False
    return True


def live_in(stmts, live_out=()):
    """The names ``stmts`` read before assigning them (given what is read after them)."""
    return _sweep(stmts, set(live_out), lambda name: False, apply=False)[1]


def dead_code(stmts, keep=(), removable=lambda name: True):
    """Remove pure assignments whose value is never read afterwards (liveness on the tree)."""
    out, _ = _sweep(stmts, set(keep), removable, apply=True)
    return out


def _sweep(stmts, live_out, removable, apply):
    """Backward liveness over a block; with ``apply``, drop dead assignments. Returns
    ``(statements, live_in)``."""
    live = set(live_out)
    out = []
    for s in reversed(stmts):
        if isinstance(s, gast.Assign):
            names = target_names(s.targets[0])
            if isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name) and (
                    s.value.id == s.targets[0].id):
                continue  # x = x
            dead = names and not (set(names) & live) and all(removable(n) for n in names) and is_pure(s.value)
            if dead:
                continue
            live -= set(names)
            live |= names_loaded(s.value)
        elif isinstance(s, gast.If):
            body, lb = _sweep(s.body, live, removable, apply)
            orelse, lo = _sweep(s.orelse, live, removable, apply)
            live = lb | lo | names_loaded(s.test)
            if apply:
                if not body and not orelse:
                    continue
                s.body, s.orelse = body, orelse
                if not body:
                    s.body, s.orelse = orelse, []
                    s.test = gast.UnaryOp(op=gast.Not(), operand=s.test)
        elif isinstance(s, (gast.For, gast.While)):
            head = names_loaded(s.iter if isinstance(s, gast.For) else s.test)
            # a for loop assigns its target before each iteration
            assigned = set(target_names(s.target)) if isinstance(s, gast.For) else set()
            end = set(live) | head
            while True:
                _, inner = _sweep(s.body, end, removable, False)
                new_end = set(live) | head | (inner - assigned)
                if new_end <= end:
                    break
                end |= new_end
            if apply:
                s.body, inner = _sweep(s.body, end, removable, True)
                s.body = [b for b in s.body if not isinstance(b, gast.Pass)]
                if not s.body:
                    # a range loop with nothing left to do, unless its index is read after it
                    if isinstance(s, gast.For) and not assigned & live:
                        continue
                    s.body = [gast.Pass()]
            live = end | (inner - assigned)
        elif isinstance(s, gast.Return):
            live = names_loaded(s)
        else:
            live |= names_loaded(s)
        out.append(s)
    out.reverse()
    return out, live


def propagate_copies(stmts, protected=frozenset(), keep=()):
    """``a = b; ... use(a)`` becomes ``use(b)`` and ``t = e; a = t`` becomes ``a = e``,
    where that changes no value (single assignments, in one block). ``keep``: names read
    after ``stmts``."""
    facts = _Facts(stmts)
    facts.loads.update(keep)
    while _propagate_block(stmts, facts, protected):
        pass
    return stmts


class _Facts:
    """Names each statement loads and stores, cached; and the counts over the whole tree."""

    def __init__(self, stmts):
        self._loads, self._stores = {}, {}
        self.stores = _stores(stmts)
        self.loads = _loads(stmts)

    def loads_of(self, s):
        key = id(s)
        if key not in self._loads:
            c = Counter()
            for n in iter_nodes(s):
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
                    c[n.id] += 1
            self._loads[key] = c
        return self._loads[key]

    def stores_of(self, s):
        key = id(s)
        if key not in self._stores:
            self._stores[key] = _stored_in(s)
        return self._stores[key]

    def forget(self, s):
        for sub in walk_stmts([s]):
            self._loads.pop(id(sub), None)
            self._stores.pop(id(sub), None)


def _propagate_block(block, facts, protected):
    changed = False
    for s in block:
        for field in ("body", "orelse"):
            if getattr(s, field, None) and _propagate_block(getattr(s, field), facts, protected):
                changed = True
    i = 0
    while i < len(block):
        step = _propagate_at(block, i, facts, protected)
        if step == "kept":
            i += 1
        else:
            changed = True
            if step == "removed":
                continue
    return changed


def _propagate_at(block, i, facts, protected):
    s = block[i]
    if not isinstance(s, gast.Assign) or not isinstance(s.targets[0], gast.Name):
        return "kept"
    a = s.targets[0].id
    if a in protected or facts.stores[a] != 1:
        return "kept"
    later = block[i + 1:]
    uses, found, total = [], 0, facts.loads[a]
    for j, t in enumerate(later):
        if found == total:
            break
        c = facts.loads_of(t)[a]
        if c:
            uses.append(j)
            found += c
    if found != total:
        return "kept"  # used elsewhere (before, or in another block)
    if isinstance(s.value, gast.Name):  # a = b: forward substitution
        b = s.value.id
        last = uses[-1] if uses else -1
        blocker = next((k for k in range(last) if b in facts.stores_of(later[k])), None)
        if blocker is not None and _can_sink(later, blocker, last, facts):
            later.insert(last, later.pop(blocker))
            block[i + 1:] = later
            return "moved"
        if blocker is not None or (
                last >= 0 and isinstance(later[last], (gast.If, gast.For, gast.While))
                and b in facts.stores_of(later[last])):
            return "kept"
        for t in later[:last + 1]:
            n = facts.loads_of(t)[a]
            if n:
                _rename_loads(t, a, b)
                facts.forget(t)
                facts.loads[a] -= n
                facts.loads[b] += n
        facts.stores[a] -= 1
        facts.loads[b] -= 1
        del block[i]
        return "removed"
    if len(uses) == 1 and facts.loads[a] == 1:  # t = e; x = t: coalesce
        j = uses[0]
        copy = later[j]
        if not (isinstance(copy, gast.Assign) and isinstance(copy.value, gast.Name)
                and isinstance(copy.targets[0], gast.Name)):
            return "kept"
        x = copy.targets[0].id
        if any(facts.loads_of(t)[x] or x in facts.stores_of(t) for t in later[:j]) or x in names_loaded(s.value):
            return "kept"
        s.targets[0].id = x
        facts.forget(s)
        facts.stores[a] -= 1
        facts.loads[a] -= 1
        del block[i + 1 + j]
        return "changed"
    return "kept"


def _can_sink(stmts, k, m, facts):
    """Whether statement ``k`` can move after statement ``m`` without changing any value."""
    moving = stmts[k]
    if not (isinstance(moving, gast.Assign) and is_pure(moving.value)):
        return False
    # (the statement's own entry: forget() drops statements, not the expressions inside them)
    writes, reads = facts.stores_of(moving), {n for n, c in facts.loads_of(moving).items() if c}
    for t in stmts[k + 1:m + 1]:
        if not isinstance(t, gast.Assign) or not is_pure(t.value):
            return False
        loads, stores = facts.loads_of(t), facts.stores_of(t)
        if any(loads[w] for w in writes) or reads & stores or writes & stores:
            return False
    return True


def _stored_in(node):
    return {n.id for n in iter_nodes(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _rename_loads(node, old, new):
    for n in iter_nodes(node):
        if isinstance(n, gast.Name) and n.id == old and isinstance(n.ctx, gast.Load):
            n.id = new


def inline_temporaries(stmts, temps, keep=(), same_origin=False):
    """Put single-use temporaries back into the expression that uses them. With
    ``same_origin`` (the backward sweep, which keeps one block per line of the user's code),
    only arithmetic without calls, into a statement made from the same line."""
    facts = _Facts(stmts)
    facts.loads.update(keep)
    _inline_block(stmts, temps, facts, same_origin)
    return stmts


def _inline_block(block, temps, facts, same_origin=False):
    for s in block:
        for field in ("body", "orelse"):
            if getattr(s, field, None):
                _inline_block(getattr(s, field), temps, facts, same_origin)
    for i in range(len(block) - 1, -1, -1):
        s = block[i]
        if not (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)):
            continue
        t = s.targets[0].id
        if t not in temps or facts.stores[t] != 1 or facts.loads[t] != 1:
            continue
        j = next((k for k in range(i + 1, len(block)) if facts.loads_of(_head(block[k]))[t]), None)
        if j is None:
            continue
        reads = {n for n, c in facts.loads_of(s).items() if c}
        between = [b for b in block[i + 1:j] if not _is_push(b)]
        if any(facts.stores_of(b) & reads or not _pure_stmt(b) for b in between):
            continue
        if not is_pure(s.value) and between:
            continue
        target = block[j]
        if isinstance(target, gast.While):
            continue
        if same_origin and (getattr(target, "origin", None) is not getattr(s, "origin", None)
                            or any(isinstance(n, gast.Call) for n in gast.walk(s.value))):
            continue
        if isinstance(target, gast.If):
            target.test = _substitute(target.test, t, s.value)
        elif isinstance(target, gast.For):
            target.iter = _substitute(target.iter, t, s.value)
        else:
            _substitute(target, t, s.value)
        facts.forget(target)
        facts.loads[t] = facts.stores[t] = 0
        del block[i]


def _head(s):
    """The part of a statement evaluated once, before any nested block."""
    if isinstance(s, gast.If):
        return s.test
    if isinstance(s, gast.For):
        return s.iter
    if isinstance(s, gast.While):
        return gast.Constant(value=None, kind=None)
    return s


def _is_push(s):
    """``stack.append(names)``: reads names, changes no variable."""
    return (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)
            and isinstance(s.value.func, gast.Attribute) and s.value.func.attr == "append")


def _pure_stmt(s):
    if isinstance(s, gast.Assign):
        return is_pure(s.value)
    return False


class _Sub(gast.NodeTransformer):
    def __init__(self, name, value):
        self.name, self.value = name, value

    def visit_Name(self, node):
        if node.id == self.name and isinstance(node.ctx, gast.Load):
            return self.value
        return node


def _substitute(node, name, value):
    return _Sub(name, value).visit(node)


def _float(node):
    """The float a constant expression (``1.0``, ``-1.0``) stands for, else None."""
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant):
        return -node.operand.value if type(node.operand.value) is float else None
    return None


class _Constant(gast.NodeTransformer):
    def __init__(self, names):
        self.names = names

    def visit_Name(self, node):
        if node.id in self.names and isinstance(node.ctx, gast.Load):
            value = self.names[node.id]
            if value < 0:
                return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-value, kind=None))
            return gast.Constant(value=value, kind=None)
        return node


def propagate_constant(stmts, name, value, adjoints=frozenset()):
    """``stmts`` with ``name`` (never assigned in them) read as the number ``value``; and so, in
    turn, every name assigned once from an expression that folds to a number (``dt3 = dvalue``,
    ``dt1 = dloss * 0.5``), when all its reads follow that assignment in the same block."""
    from .fold import fold

    stores = _stores(stmts)
    if stores[name]:
        return stmts
    known = {name: value}
    while known:
        stmts = fold([_Constant(known).visit(s) for s in stmts], adjoints)
        known = {}
        stmts = _drop_constants(stmts, stores, _loads(stmts), known)
    return stmts


def _drop_constants(block, stores, loads, known):
    """``block`` without the assignments ``n = <number>`` of names assigned once whose reads all
    come after it in this block; their values go into ``known``."""
    out = []
    for i, s in enumerate(block):
        for field in ("body", "orelse"):
            if getattr(s, field, None):
                setattr(s, field, _drop_constants(getattr(s, field), stores, loads, known))
        if (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and type(_float(s.value)) is float
                and stores[s.targets[0].id] == 1
                and _loads(block[i + 1:])[s.targets[0].id] == loads[s.targets[0].id]):
            known[s.targets[0].id] = _float(s.value)
            continue
        out.append(s)
    return out


def merge_accumulations(stmts):
    """``dx = a`` followed by ``dx = dx + b`` becomes ``dx = a + b``; ``dx = dx + a`` followed
    by ``dx = dx + b`` becomes ``dx = dx + a + b`` (the same additions in the same order)."""
    out = []
    for s in stmts:
        for field in ("body", "orelse"):
            if getattr(s, field, None):
                setattr(s, field, merge_accumulations(getattr(s, field)))
        prev = out[-1] if out else None
        if (prev is not None and isinstance(s, gast.Assign) and isinstance(prev, gast.Assign)
                and isinstance(s.targets[0], gast.Name) and isinstance(prev.targets[0], gast.Name)
                and s.targets[0].id == prev.targets[0].id and _accumulates(s)
                and (s.targets[0].id not in names_loaded(prev.value) or _accumulates(prev))):
            prev.value = _onto(s.value, prev.value)
            continue
        out.append(s)
    return out


def _onto(chain, start):
    """``start + e1 + e2 ...`` for ``chain`` = ``d + e1 + e2 ...``: the additions of ``chain``
    in the same order, starting from ``start`` instead of ``d``."""
    if not isinstance(chain, gast.BinOp):
        return start
    return gast.BinOp(left=_onto(chain.left, start), op=gast.Add(), right=chain.right)


def _accumulates(s):
    """``s`` is ``d = d + e`` (or ``d = d + e1 + e2 ...``) with ``d`` read nowhere else."""
    return added_terms(s.value, s.targets[0].id) is not None


def added_terms(value, name):
    """``[e1, e2, ...]`` for ``value`` = ``name + e1 + e2 ...`` with ``name`` read in none of
    the terms, else None."""
    terms = []
    while isinstance(value, gast.BinOp) and isinstance(value.op, gast.Add):
        terms.append(value.right)
        value = value.left
    if not terms or not (isinstance(value, gast.Name) and value.id == name) or any(
            name in names_loaded(t) for t in terms):
        return None
    return terms[::-1]
