"""Which names may share memory with another name (copies and views).

``z += c`` on a NumPy array changes the array in place, so every name sharing its memory sees
the change; tapeless reads ``z += c`` as ``z = z + c``. The two agree unless ``z`` shares memory
with another name, so an augmented assignment to such a name is checked when it runs: a
scalar (which has no memory to share) passes, an array is refused.
"""

from __future__ import annotations

import numpy as np

import gast

from ..astutil import call, const, load
from ..transform.ops import classify
from .activity import assignments

_VIEW_FUNCTIONS = (np.reshape, np.ravel, np.transpose, np.squeeze, np.expand_dims, np.asarray)
_VIEW_KEYS = {("attr", "T"), ("subscript",), ("method", "reshape"), ("method", "ravel"),
              ("method", "transpose"), ("method", "squeeze"), ("method", "view")}


def sharing_names(body, scalars=frozenset(), user_names=None) -> set:
    """Names bound to a copy or a view of another (non-scalar) name, and the names they share with.

    With ``user_names``, a copy from any other name (a temporary of the normal form, holding a
    fresh result) does not count."""
    out = set()
    through = {}  # a temporary that is a plain copy of a name (a loop over (u, w) copies u first)
    for s in assignments(body):
        target = s.targets[0]
        op = classify(s.value)
        source = op.args[0] if op.args else None
        if not hasattr(target, "id") or getattr(source, "id", None) is None or source.id in scalars:
            continue
        view = op.kind == "copy" or (op.kind == "rule" and (
            op.key in _VIEW_KEYS or any(op.key is f for f in _VIEW_FUNCTIONS)))
        origin = source.id
        while user_names is not None and origin not in user_names and origin in through:
            origin = through[origin]
        if user_names is not None and target.id not in user_names and op.kind == "copy":
            through[target.id] = origin
        if user_names is not None and origin not in user_names:
            continue  # a temporary holds a fresh result that nothing else reads
        if view:
            out |= {target.id, origin}
    return out


def check_augmented(fs, augmented, body, scalars, user_names):
    """The ``z += c`` whose ``z`` may share memory with another name and may be an array.

    Returns ``{augmented node: name}``; the forward sweep checks each of these at run time
    (:func:`tapeless.runtime.unshared`): a float is fine, an array is refused.
    """
    shared = sharing_names(body, scalars, user_names)
    return {node: name for name, node in augmented if name in shared and name not in scalars}


def insert_guards(fs, body, guarded, bind):
    """Put ``unshared(z, "where")`` before the first statement that came from each guarded node."""
    pending = dict(guarded)

    def walk(stmts):
        out = []
        for s in stmts:
            origin = getattr(s, "origin", None)
            if origin in pending:
                name = pending.pop(origin)
                loc = fs.location(origin)
                text = f"{loc.line.strip()}   ({fs.short_filename}:{loc.lineno})"
                guard = gast.Expr(value=call(bind(), load(name), const(text)))
                guard.origin = origin
                out.append(guard)
            for field in ("body", "orelse"):
                if getattr(s, field, None):
                    setattr(s, field, walk(getattr(s, field)))
            out.append(s)
        return out

    return walk(body)
