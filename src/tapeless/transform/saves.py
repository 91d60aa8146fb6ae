"""To-be-recorded: save only the values the backward sweep reads and the forward sweep overwrites.

A value is saved where the forward sweep is about to overwrite a name that the backward sweep
reads, and restored right after the adjoint of the overwriting statement, so the backward
sweep always sees the values the forward sweep saw. Outside loops the old value goes into a
local (``x_old = x``); inside loops onto a list (``stack.append(x)``, ``x = stack.pop()``).
A temporary assigned once per iteration and read only within that iteration is pushed once at
the end of the iteration and popped at the start of its adjoint.
"""

from __future__ import annotations

import gast

from ..astutil import assign, attr, call, const, iter_nodes, load, names_loaded, store, target_names, tuple_
from ..runtime import shape_of, unbroadcast
from .reverse import is_marker


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from _walk_stmts(getattr(s, field, []) or [])


def _loads_excluding(stmts, skip):
    out = set()
    for s in stmts:
        if s is skip or is_marker(s):
            continue
        if isinstance(s, (gast.If, gast.For, gast.While)):
            out |= names_loaded(s.test if isinstance(s, (gast.If, gast.While)) else s.iter)
            out |= _loads_excluding(s.body, skip)
            out |= _loads_excluding(s.orelse, skip)
        else:
            out |= names_loaded(s)
    return out


class SavePlan:
    def __init__(self, unit, primal_names):
        self.unit = unit
        self.namer = unit.namer
        self.primal = primal_names
        self.shape_only = {}  # name -> the shape_of helper's name, for names saved as shapes
        self._reset()

    def _reset(self):
        """Forget the decisions of a planning round."""
        self.stack = None
        self.inits = []  # names that must start as None
        self.slots = {}  # id(stmt) -> [(name, slot or None for the stack)]
        self.per_iteration = {}  # id(loop) -> [names]
        self.trips = set()  # id(loop) whose counter goes on the stack

    def _stack(self):
        if self.stack is None:
            self.stack = self.namer.fresh("stack")
        return self.stack

    def plan(self, fwd, bwd):
        snap = self.namer.snapshot()
        while True:
            self.namer.restore(snap)
            self._decide(fwd, bwd)
            pruned = self._prune(bwd)
            if pruned is None:
                break
            bwd[:] = pruned
            self._reads_out = {}
        self.shape_only = self._shape_only(bwd)
        return self.materialize(fwd), self.materialize(bwd)

    def _shape_only(self, bwd):
        """Stacked names the backward sweep reads only as ``unbroadcast(d, name)``: their
        shape is pushed instead of the array (:func:`tapeless.runtime.shape_of`)."""
        stacked = {v for saved in self.slots.values() for v, slot in saved if slot is None}
        stacked |= {v for names in self.per_iteration.values() for v in names}
        if not stacked:
            return {}
        shape_reads, other_reads = set(), set()
        for node in (n for s in bwd for n in iter_nodes(s)):
            if (isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and len(node.args) == 2
                    and self.namer.env.get(node.func.id) is unbroadcast
                    and isinstance(node.args[1], gast.Name)):
                shape_reads.add(id(node.args[1]))
        for node in (n for s in bwd for n in iter_nodes(s)):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and node.id in stacked:
                (shape_reads if id(node) in shape_reads else other_reads).add(node.id)
        only = (shape_reads & stacked) - other_reads - getattr(self.unit, "scalars", set())  # a number is its own shape
        if not only:
            return {}
        helper = self.namer.bind("shape_of", shape_of)
        return {v: helper for v in only}

    def _saved(self, v):
        """What a push saves of ``v``: the value, or its shape when that is all that is read."""
        helper = self.shape_only.get(v)
        return call(helper, load(v)) if helper else load(v)

    def _decide(self, fwd, bwd):
        self._reset()
        present = {}
        for s in _walk_stmts(bwd):
            if is_marker(s):
                present[(s.marker[0], id(s.marker[1]))] = s
        self.bwd_loops = {id(s.loop): s for s in _walk_stmts(bwd) if hasattr(s, "loop")}
        self.present = present
        self.live = {}
        self._reads_out = {}
        _liveness(bwd, set(), self.live)
        for s in _walk_stmts(fwd):
            if not is_marker(s):
                continue
            kind, data = s.marker
            if kind == "save" and ("restore", id(data)) in present:
                self._plan_save(data)
            elif kind == "trip_save" and ("trip_restore", id(data)) in present and data.loops:
                self.trips.add(id(data))

    def _does_something(self, s):
        if is_marker(s):
            return bool(self._code(*s.marker))
        if isinstance(s, (gast.If, gast.For, gast.While)):
            return any(self._does_something(t) for t in s.body + s.orelse)
        return True

    def _prune(self, stmts):
        """``stmts`` without the compound statements that will do nothing, or None if none."""
        changed = False
        out = []
        for s in stmts:
            if isinstance(s, (gast.If, gast.For, gast.While)):
                if not self._does_something(s):
                    changed = True
                    continue
                for field in ("body", "orelse"):
                    inner = self._prune(getattr(s, field))
                    if inner is not None:
                        setattr(s, field, inner)
                        changed = True
            out.append(s)
        return out if changed else None

    def _reads_outside(self, loop):
        if id(loop) not in self._reads_out:
            self._reads_out[id(loop)] = _loads_excluding(self._bwd_root, self.bwd_loops.get(id(loop)))
        return self._reads_out[id(loop)]

    def _plan_save(self, s):
        names = _assigned(s)
        if isinstance(s, gast.For):
            names = [n for n in names if n in self._reads_outside(s)]
        saved = []
        live_after = self.live.get(id(self.present[("restore", id(s))]), set())
        for v in names:
            if v not in s.maybe_defined:
                continue
            loops = s.loops
            if loops and not isinstance(s, gast.For) and self._per_iteration_ok(v, s, loops[-1]):
                start = self.present.get(("loop_start", id(loops[-1])))
                if start is not None and v in self.live.get(id(start), set()):
                    self.per_iteration.setdefault(id(loops[-1]), []).append(v)
                continue
            if v not in live_after:
                continue
            if v not in s.must_defined:
                self.inits.append(v)
            saved.append((v, None if loops else self.namer.fresh(f"{v}_old")))
        if saved:
            self.slots[id(s)] = saved

    def _per_iteration_ok(self, v, s, loop):
        if getattr(s, "top_of", None) is not loop:
            return False
        stores = sum(1 for st in _walk_stmts(loop.body) if isinstance(st, gast.Assign) and v in _assigned(st))
        if stores != 1 or v == getattr(getattr(loop, "target", None), "id", None):
            return False
        for st in loop.body:
            if st is s:
                break
            if v in names_loaded(st):
                return False
        return v not in self._reads_outside(loop)

    # -- code --------------------------------------------------------------------------
    def materialize(self, stmts):
        out = []
        for s in stmts:
            if is_marker(s):
                code = self._code(*s.marker)
                origin = getattr(s.marker[1], "origin", None)
                for c in code:
                    if origin is not None and s.marker[0] in ("save", "restore"):
                        c.origin = origin
                out.extend(code)
                continue
            for field in ("body", "orelse"):
                if getattr(s, field, None):
                    setattr(s, field, self.materialize(getattr(s, field)))
            if isinstance(s, gast.For) and not s.body:
                s.body = [gast.Pass()]  # its index may be read after it: dead_code decides
            if isinstance(s, (gast.If, gast.While)) and not s.body and not s.orelse:
                continue
            if isinstance(s, gast.If) and not s.body:
                s.body, s.orelse = s.orelse, []
                s.test = gast.UnaryOp(op=gast.Not(), operand=s.test)
            out.append(s)
        return out

    def _push(self, value):
        return gast.Expr(value=call(attr(self._stack(), "append"), value))

    def _pop(self, target):
        return assign(target, call(attr(self._stack(), "pop")))

    def _code(self, kind, data):
        key = id(data)
        if kind == "save" and key in self.slots:
            return [assign(slot, load(v)) if slot else self._push(self._saved(v)) for v, slot in self.slots[key]]
        if kind == "restore" and key in self.slots:
            return [assign(v, load(slot)) if slot else self._pop(v) for v, slot in reversed(self.slots[key])]
        if kind == "loop_end" and key in self.per_iteration:
            names = self.per_iteration[key]
            return [self._push(self._saved(names[0]) if len(names) == 1 else tuple_([self._saved(n) for n in names]))]
        if kind == "loop_start" and key in self.per_iteration:
            names = self.per_iteration[key]
            target = store(names[0]) if len(names) == 1 else tuple_([store(n) for n in names], gast.Store())
            return [self._pop(target)]
        if kind == "trip_save" and key in self.trips:
            return [self._push(load(data.counter))]
        if kind == "trip_restore" and key in self.trips:
            return [self._pop(data.counter)]
        return []

    def prologue(self):
        """Statements for the start of the forward sweep."""
        out = [assign(v, const(None)) for v in dict.fromkeys(self.inits)]
        if self.stack is not None:
            out.append(assign(self.stack, gast.List(elts=[], ctx=gast.Load())))
        return out


def _assigned(s):
    """The names a forward statement assigns (a helper call also assigns its tape)."""
    if isinstance(s, gast.For):
        return [s.target.id]
    return getattr(s, "saved_names", None) or target_names(s.targets[0])


def _liveness(stmts, live, record):
    """Backward liveness over the backward sweep, recording the live set after each marker.

    A restore marker counts as assigning its names (as if every restore happened), so a
    name is live after a marker only if something reads it before it is restored again.
    """
    live = set(live)
    for s in reversed(stmts):
        if is_marker(s):
            kind, data = s.marker
            record[id(s)] = record.get(id(s), set()) | live
            if kind == "restore":
                live -= set(_assigned(data))
        elif isinstance(s, gast.Assign):
            live -= set(target_names(s.targets[0]))
            live |= names_loaded(s.value)
        elif isinstance(s, gast.If):
            live = _liveness(s.body, live, record) | _liveness(s.orelse, live, record) | names_loaded(s.test)
        elif isinstance(s, (gast.For, gast.While)):
            head = names_loaded(s.iter if isinstance(s, gast.For) else s.test)
            end = live | head
            while True:
                inner = _liveness(s.body, end, record)
                if inner <= end:
                    break
                end |= inner
            live = end
        elif isinstance(s, gast.Return):
            live = names_loaded(s)
        else:
            live |= names_loaded(s)
    return live


def plan_saves(unit, fwd, bwd, primal_names):
    plan = SavePlan(unit, primal_names)
    plan._bwd_root = bwd
    fwd, bwd = plan.plan(fwd, bwd)
    return plan.prologue() + fwd, bwd, plan
