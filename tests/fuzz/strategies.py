"""Hypothesis strategies for fuzz programs: nested tuples rendered by render.py.

The first alternative of every choice is the simplest (a variable, an assignment, a new name,
the first parameter), so hypothesis shrinks a failure towards a short program of plain
assignments; see render.py for what each descriptor means.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .render import (BINARY_NAMES, CONSTS, INDEXES, MM_FORMS, REDUCTIONS, SHAPES, THRESHOLDS,
                     UNARY_NAMES, render)


def _again(s):
    """The same strategy as a distinct object: ``one_of`` weighs its alternatives equally, so
    repeating one makes it more likely."""
    return s.map(lambda v: v)


_var = st.tuples(st.just("var"), st.integers(0, 6))
LEAF = st.one_of(
    _var, _again(_var), _again(_var),
    st.tuples(st.just("const"), st.integers(0, len(CONSTS) - 1)),
    st.tuples(st.just("ivar"), st.integers(0, 3)),
    st.just(("gconst",)),
)


def conds(ch):
    base = st.one_of(
        st.tuples(st.just("cmp"), ch, st.integers(0, 3), st.integers(0, len(THRESHOLDS) - 1)),
        st.tuples(st.just("icmp"), st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)),
        st.tuples(st.just("vcmp"), ch, ch, st.integers(0, 3)),
    )
    return st.one_of(base, _again(base), st.tuples(st.just("not"), base),
                     st.tuples(st.sampled_from(["and", "or"]), base, base))


def _extend(ch):
    un = st.tuples(st.just("un"), st.sampled_from(UNARY_NAMES), ch, st.booleans())
    bin_ = st.tuples(st.just("bin"), st.sampled_from(BINARY_NAMES), ch, ch)
    return st.one_of(
        un, bin_, _again(un), _again(bin_),
        st.tuples(st.just("red"), st.sampled_from(REDUCTIONS), ch, st.integers(0, 5), st.integers(0, 2),
                  st.booleans()),
        st.tuples(st.just("idx"), st.integers(0, len(INDEXES) - 1), ch),
        st.tuples(st.just("idx_i"), st.integers(0, 3), ch, st.booleans()),
        st.tuples(st.just("mask"), ch, st.integers(0, len(THRESHOLDS) - 1), st.integers(0, 1)),
        st.tuples(st.just("mm"), st.sampled_from(MM_FORMS), ch, ch),
        st.tuples(st.just("ifexp"), conds(ch), ch, ch),
        st.tuples(st.just("where"), ch, st.integers(0, 3), st.integers(0, len(THRESHOLDS) - 1), ch, ch),
        st.tuples(st.just("call"), st.integers(0, 3), st.lists(ch, max_size=2).map(tuple), st.integers(0, 7)),
        st.tuples(st.just("len"), ch, st.integers(0, 3)),
    )


EXPR = st.recursive(LEAF, _extend, max_leaves=7)
COND = conds(EXPR)


def _stmts(depth, jumps=False, max_size=4):
    assign = st.tuples(st.just("assign"), st.integers(0, 6), EXPR)
    items = [assign, _again(assign), _again(assign),
             st.tuples(st.just("aug"), st.integers(0, 6), st.integers(0, 3), EXPR),
             st.one_of(st.tuples(st.just("swap"), st.integers(0, 6), st.integers(0, 6)),
                       st.tuples(st.just("tuple"), EXPR, EXPR),
                       st.tuples(st.just("chain"), EXPR),
                       st.tuples(st.just("unpack"), st.integers(0, 3), st.lists(EXPR, max_size=2).map(tuple),
                                 st.integers(0, 7)))]
    if jumps:
        items += [st.just(("break",)), st.just(("continue",)), st.tuples(st.just("return"), EXPR)]
    if depth > 0:
        inner = _stmts(depth - 1, max_size=3)
        inner_j = _stmts(depth - 1, jumps=True, max_size=3)
        items += [
            st.tuples(st.just("if"), COND, inner_j, st.one_of(st.just(()), inner_j)),
            st.tuples(st.just("for"), st.integers(0, 8), st.integers(0, 7), inner_j),
            st.tuples(st.just("while"), st.integers(0, 3), st.one_of(st.none(), COND), inner_j,
                      st.integers(0, 2)),
        ]
    return st.lists(st.one_of(*items), max_size=max_size).map(tuple)


HELPER = st.one_of(
    st.tuples(st.just("helper"), st.lists(st.integers(0, 2), min_size=1, max_size=2).map(tuple), st.booleans(),
              _stmts(1, max_size=3), st.lists(EXPR, min_size=1, max_size=2).map(tuple),
              st.lists(st.integers(0, 2), min_size=2, max_size=2).map(tuple)),
    st.tuples(st.just("rec"), st.integers(0, 2), EXPR),
)

PROGRAMS = st.tuples(
    st.just("program"),
    st.lists(st.integers(0, 2), min_size=1, max_size=3).map(tuple),   # parameter shapes
    st.booleans(),                                                     # an integer parameter n
    st.lists(HELPER, max_size=3).map(tuple),
    _stmts(2, max_size=6),
    EXPR,                                                              # returned (summed)
    st.integers(0, 63),                                                # with respect to
    st.sampled_from([0, 0, 0, 1]),                                     # 1: names tapeless uses
)

# inputs: one decimal, shifted off round numbers, in [-1.97, 2.03]
VALUE = st.integers(-20, 20).map(lambda k: round(k / 10 + 0.03, 2))


def _arg(shape):
    if shape == "int":
        return st.integers(0, 3)
    if shape == ():
        return VALUE
    n = int(np.prod(shape))
    return st.lists(VALUE, min_size=n, max_size=n).map(lambda v: np.array(v).reshape(shape))


@st.composite
def cases(draw):
    """A program and arguments for it."""
    prog = draw(PROGRAMS)
    r = render(prog)
    args = [draw(_arg(shape)) for _, shape in r.params]
    return prog, args
