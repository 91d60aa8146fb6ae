"""Render a fuzz program (nested tuples, see strategies.py) to Python source.

Descriptors refer to variables, loop counters and helpers by small integers taken modulo what is
available at that point, so any descriptor renders to a valid program and deleting a statement
(what hypothesis does when it shrinks) leaves a valid program. The renderer tracks, for every
variable: its shape, a bound on its magnitude, whether it owns its memory (so ``+=`` on it cannot
change another variable or an argument) and the loop level it was defined at (a variable that
lives across iterations keeps its shape; a value of another shape is reduced or broadcast to it).

Every value is kept in a safe range: a subexpression whose bound exceeds ``CAP`` is squashed with
``np.tanh``, ``log``/``sqrt``/division only see arguments bounded away from their poles
(``log(1 + u ** 2)``, ``u / (1 + v ** 2)``), and every loop runs at most four times.

``mode="inst"`` renders the instrumented twin: the same program, where each comparison and each
kink goes through a recorder ``_I`` (see instrument.py) that remembers the smallest distance to a
flip, so the runner can discard inputs too close to a kink for finite differences.
"""

from __future__ import annotations

import copy
import functools
import math
from dataclasses import dataclass, field, replace

import numpy as np

SHAPES = ((), (3,), (2, 3))
CAP = 6.0          # magnitude above which a subexpression is squashed with tanh
IN_BOUND = 2.1     # inputs are drawn from [-2.1, 2.1]
CONSTS = (0.5, 2.0, -1.5, 0.25, 1.0, 3.0, -0.75)
THRESHOLDS = (0.5, -0.5, 0.0, 1.0, 0.25, -1.0, 2.0)
CMP_OPS = (">", "<", ">=", "<=")
SCALE = 0.75       # a module-level constant the programs read

# Open bug U (tests/test_fuzz.py): tapeless unrolls a loop over a literal tuple reading a variable
# the loop rebinds ('for u in (0.5, x): x = x * u') with the variable's current value instead of
# its value when the tuple was built. While it is open, literal tuples hold only numbers.
OPEN_BUG_U = False  # bug U is fixed: tuples may hold variables the loop rebinds

PLAIN_PARAMS = ("x", "y", "z")
PLAIN_HELPER_PARAMS = ("p", "q")
PLAIN_HELPERS = ("h1", "h2", "h3", "h4")
# Names tapeless itself uses in generated code: with names_mode=1 the user's program uses them.
CLASH_PARAMS = ("d", "dx", "value")
CLASH_HELPER_PARAMS = ("dvalue", "d")
CLASH_HELPERS = ("seed", "unbroadcast", "zeros_like", "stack")
CLASH_LOCALS = ("dx", "t1", "tmp1", "cond1", "stack", "seed", "dvalue", "broke", "dt1", "t2", "ds",
                "unbroadcast", "zeros_like", "x_old", "d", "value", "dy", "g", "tmp2", "dd", "dp")
PLAIN_INTS = ("i", "j", "k", "l")
CLASH_INTS = ("n1", "i1", "trip", "n2")
PLAIN_COUNTERS = ("w1", "w2", "w3", "w4")
CLASH_COUNTERS = ("n3", "count", "n4", "n5")


# ------------------------------------------------------------------------------------------
# tables


@dataclass(frozen=True)
class Unary:
    np_tpl: str
    math_tpl: str | None = None     # for scalars, when the descriptor asks for math.*
    inst_tpl: str | None = None     # instrumented form (kinks)
    bound: object = None            # bound of the result from the bound of the argument
    precap: float | None = None     # squash the argument first when its bound exceeds this


UNARY = {
    "sin": Unary("np.sin({0})", "math.sin({0})", bound=lambda b: min(b, 1.0)),
    "cos": Unary("np.cos({0})", "math.cos({0})", bound=lambda b: 1.0),
    "tanh": Unary("np.tanh({0})", "math.tanh({0})", bound=lambda b: min(b, 1.0)),
    "exp": Unary("np.exp({0})", "math.exp({0})", bound=math.exp, precap=3.0),
    "log": Unary("np.log(1.0 + {0} ** 2)", "math.log(1.0 + {0} ** 2)", bound=lambda b: math.log(1 + b * b)),
    "sqrt": Unary("np.sqrt(1.0 + {0} * {0})", "math.sqrt(1.0 + {0} * {0})", bound=lambda b: math.sqrt(1 + b * b)),
    "square": Unary("({0} ** 2)", bound=lambda b: b * b),
    "neg": Unary("(-{0})", bound=lambda b: b),
    "abs": Unary("np.abs({0})", "abs({0})", inst_tpl="_I.abs({0})", bound=lambda b: b),
    "arctan": Unary("np.arctan({0})", "math.atan({0})", bound=lambda b: min(b, 1.58)),
    "log1p": Unary("np.log1p({0} * {0})", "math.log1p({0} * {0})", bound=lambda b: math.log1p(b * b)),
    "npsquare": Unary("np.square({0})", bound=lambda b: b * b),
    "cube": Unary("({0} ** 3)", bound=lambda b: b ** 3),
    "pos": Unary("(+{0})", bound=lambda b: b),
    "sinh": Unary("np.sinh({0})", "math.sinh({0})", bound=math.sinh, precap=3.0),
    "cosh": Unary("np.cosh({0})", "math.cosh({0})", bound=math.cosh, precap=3.0),
    "expm1": Unary("np.expm1({0})", "math.expm1({0})", bound=math.exp, precap=3.0),
    "log2": Unary("np.log2(2.0 + np.sin({0}))", "math.log2(2.0 + math.sin({0}))", bound=lambda b: 1.6),
    "log10": Unary("np.log10(1.5 + {0} * {0})", "math.log10(1.5 + {0} * {0})",
                   bound=lambda b: math.log10(1.5 + b * b)),
    "reciprocal": Unary("np.reciprocal(1.0 + {0} * {0})", bound=lambda b: 1.0),
    "arcsin": Unary("np.arcsin(0.5 * np.tanh({0}))", "math.asin(0.5 * math.tanh({0}))", bound=lambda b: 0.53),
    "arccos": Unary("np.arccos(0.5 * np.tanh({0}))", "math.acos(0.5 * math.tanh({0}))", bound=lambda b: 2.1),
    "tan": Unary("np.tan(0.5 * np.tanh({0}))", "math.tan(0.5 * math.tanh({0}))", bound=lambda b: 0.55),
    "cbrt": Unary("np.cbrt(1.0 + {0} * {0})", bound=lambda b: (1 + b * b) ** (1 / 3)),
    "exp2": Unary("np.exp2({0})", bound=lambda b: 2.0 ** b, precap=3.0),
    "powhalf": Unary("((1.0 + {0} * {0}) ** 0.5)", "math.pow(1.0 + {0} * {0}, 0.5)",
                     bound=lambda b: math.sqrt(1 + b * b)),
    "fabs": Unary("np.fabs({0})", "math.fabs({0})", inst_tpl="_I.abs({0})", bound=lambda b: b),
    "absolute": Unary("np.absolute({0})", inst_tpl="_I.abs({0})", bound=lambda b: b),
    "clip": Unary("np.clip({0}, -0.5, 0.8)", inst_tpl="_I.clip({0}, -0.5, 0.8)", bound=lambda b: min(b, 0.8)),
    "mod": Unary("({0} % 1.5)", inst_tpl="_I.mod({0}, 1.5)", bound=lambda b: 1.5),
    "floor": Unary("({0} * np.floor({0}))", inst_tpl="({0} * _I.floor({0}))", bound=lambda b: b * (b + 1)),
    "float": Unary("{0}", "float({0})", bound=lambda b: b),
    "negative": Unary("np.negative({0})", bound=lambda b: b),
    "arcsinh": Unary("np.arcsinh({0})", bound=lambda b: math.asinh(b)),
    "arccosh": Unary("np.arccosh(1.5 + {0} * {0})", bound=lambda b: math.acosh(1.5 + b * b)),
    "arctanh": Unary("np.arctanh(0.5 * np.tanh({0}))", bound=lambda b: 0.55),
    "deg2rad": Unary("np.deg2rad({0})", bound=lambda b: b * math.pi / 180.0),
    "rad2deg": Unary("np.rad2deg({0})", bound=lambda b: b * 180.0 / math.pi),
}
UNARY_NAMES = tuple(UNARY)


@dataclass(frozen=True)
class Binary:
    tpl: str
    inst_tpl: str | None = None
    bound: object = None
    scalar_tpl: str | None = None   # used instead when both operands are scalars
    scalar_inst: str | None = None


BINARY = {
    "add": Binary("({0} + {1})", bound=lambda a, b: a + b),
    "mul": Binary("({0} * {1})", bound=lambda a, b: a * b),
    "sub": Binary("({0} - {1})", bound=lambda a, b: a + b),
    "div": Binary("({0} / (1.0 + {1} ** 2))", bound=lambda a, b: a),
    "div2": Binary("({0} / (2.0 + np.cos({1})))", bound=lambda a, b: a,
                   scalar_tpl="({0} / (2.0 + math.cos({1})))"),
    "pow": Binary("((1.0 + {0} ** 2) ** np.tanh({1}))", bound=lambda a, b: 1 + a * a),
    "maximum": Binary("np.maximum({0}, {1})", "_I.maximum({0}, {1})", bound=max,
                      scalar_tpl="max({0}, {1})", scalar_inst="_I.maximum({0}, {1})"),
    "minimum": Binary("np.minimum({0}, {1})", "_I.minimum({0}, {1})", bound=max,
                      scalar_tpl="min({0}, {1})", scalar_inst="_I.minimum({0}, {1})"),
    "npadd": Binary("np.add({0}, {1})", bound=lambda a, b: a + b),
    "npmul": Binary("np.multiply({0}, {1})", bound=lambda a, b: a * b),
    "npsub": Binary("np.subtract({0}, {1})", bound=lambda a, b: a + b),
    "npdiv": Binary("np.divide({0}, 1.5 + np.sin({1}))", bound=lambda a, b: 2 * a),
    "nppow": Binary("np.power(1.0 + {0} * {0}, np.tanh({1}))", bound=lambda a, b: 1 + a * a,
                    scalar_tpl="math.pow(1.0 + {0} * {0}, math.tanh({1}))"),
    "fmax": Binary("np.fmax({0}, {1})", "_I.maximum({0}, {1})", bound=max),
    "fmin": Binary("np.fmin({0}, {1})", "_I.minimum({0}, {1})", bound=max),
    "hypot": Binary("np.hypot({0}, {1})", "_I.hypot({0}, {1})", bound=lambda a, b: a + b,
                    scalar_tpl="math.hypot({0}, {1})", scalar_inst="_I.hypot({0}, {1})"),
    "arctan2": Binary("np.arctan2({0}, 2.0 + np.cos({1}))", bound=lambda a, b: 1.6,
                      scalar_tpl="math.atan2({0}, 2.0 + math.cos({1}))"),
    "logaddexp": Binary("np.logaddexp({0}, {1})", bound=lambda a, b: max(a, b) + 0.7),
    "mod": Binary("({0} % (2.0 + {1} ** 2))", "_I.mod({0}, 2.0 + {1} ** 2)", bound=lambda a, b: 2 + b * b),
}
BINARY_NAMES = tuple(BINARY)

MM_FORMS = ("@", "matmul", "dot", "mdot", "outer", "trace")

REDUCTIONS = ("sum", "mean", "max", "min", "prod", "var", "std", "cumsum", "norm", "amax", "amin")
METHODS = {"sum", "mean", "max", "min", "prod", "var", "std", "cumsum"}

# (template, may share memory with its operand)
INDEXES = (
    ("{0}[0]", True), ("{0}[-1]", True), ("{0}[1:]", True), ("{0}[::-1]", True), ("{0}[:, 0]", True),
    ("{0}[1, 2]", True), ("{0}[None]", True), ("{0}[:, None]", True), ("{0}[..., 1]", True),
    ("{0}[np.array([0, 1, 0])]", False), ("{0}[::2]", True), ("{0}.T", True), ("{0}.reshape(-1)", True),
    ("{0}.ravel()", True), ("np.squeeze({0})", True), ("np.expand_dims({0}, 0)", True),
    ("np.transpose({0})", True), ("{0}.flatten()", False), ("{0}.reshape(3, 2)", True),
    ("np.reshape({0}, (-1, 1))", True), ("{0}[-1, ::-1]", True), ("{0}[0:2, 1:]", True),
    ("np.ravel({0})", True), ("{0}[0:1].squeeze()", True), ("{0}.transpose()", True),
    ("np.copy({0})", False), ("{0}.copy()", False), ("np.asarray({0})", True), ("np.array({0})", False),
    ("{0}[[1, 0]]", False), ("{0}[1:, ::2]", True), ("{0}[0, None]", True), ("{0}.reshape((3, -1))", True),
    ("np.flip({0})", True), ("np.flip({0}, 0)", True), ("np.roll({0}, 1)", False), ("np.roll({0}, -2, axis=0)", False),
    ("np.tile({0}, 2)", False), ("np.diff({0}, axis=0)", False), ("np.swapaxes({0}, 0, -1)", True),
    ("np.vstack([{0}, {0}])", False), ("np.hstack([{0}, np.tanh({0})])", False), ("sum({0})", False),
    ("np.einsum('ij->ji', {0})", True), ("np.einsum('ij,ij->i', {0}, {0})", False),
    ("np.einsum('i,j->ij', {0}, {0})", False), ("np.diagonal({0})", False), ("np.triu({0})", False),
    ("np.tril({0}, -1)", False), ("np.diag({0})", False),
)


# ------------------------------------------------------------------------------------------
# state


@dataclass(frozen=True)
class Var:
    name: str
    shape: tuple
    bound: float
    fresh: bool   # owns its memory: an in-place update cannot reach another variable
    level: int    # loop nesting level where it was defined


@dataclass(frozen=True)
class E:
    code: str
    shape: tuple
    bound: float
    alias: bool = False           # may share memory with a variable
    refs: frozenset = frozenset()  # variables read


@dataclass
class HelperSig:
    name: str
    params: list          # [(name, shape)]
    default: bool         # the last parameter (a scalar) has a default
    ret_shapes: tuple
    ret_bound: float
    rec: bool = False

    @property
    def is_tuple(self):
        return len(self.ret_shapes) > 1


class Names:
    """Fresh local names for one function; ``count`` is saved and restored around the passes
    over a loop body so every pass names things alike."""

    def __init__(self, mode, taken):
        self.mode = mode
        self.count = 0
        self.taken = set(taken)
        self.int_param = None   # the name of the main function's integer parameter, if any

    def new(self):
        while True:
            self.count += 1
            if self.mode == 1 and self.count <= len(CLASH_LOCALS):
                name = CLASH_LOCALS[self.count - 1]
            else:
                name = f"u{self.count}"
            if name not in self.taken:
                return name


@dataclass
class Ctx:
    mode: str                     # "plain" or "inst"
    names_mode: int
    helpers: list
    names: Names
    ret_shapes: tuple
    env: dict = field(default_factory=dict)    # name -> Var, the variables one may read
    ints: list = field(default_factory=list)   # (name, lo, hi): integer variables in scope
    loops: list = field(default_factory=list)  # kinds of the enclosing loops
    lines: list = field(default_factory=list)
    depth: int = 1
    ret_bounds: list = field(default_factory=list)

    @property
    def level(self):
        return len(self.loops)

    def emit(self, line):
        self.lines.append("    " * self.depth + line)

    def fork(self):
        c = copy.copy(self)
        c.env = dict(self.env)
        c.ints = list(self.ints)
        c.loops = list(self.loops)
        c.lines = []
        return c

    def fn(self, plain, inst):
        return inst if (self.mode == "inst" and inst) else plain


# ------------------------------------------------------------------------------------------
# helpers


def _dummy(shape):
    return 0.5 if shape == () else np.full(shape, 0.5)


@functools.lru_cache(maxsize=None)
def shape_of(template, shapes):
    """The shape of ``template`` evaluated on dummy operands of ``shapes``, or None if invalid.

    A scalar operand is a Python float, the most restrictive kind of scalar (no methods, no
    indexing)."""
    ns = {"np": np, "math": math}
    names = []
    for k, s in enumerate(shapes):
        ns[f"A{k}"] = _dummy(s)
        names.append(f"A{k}")
    try:
        with np.errstate(all="ignore"):
            r = eval(template.format(*names), ns)
    except Exception:
        return None
    if isinstance(r, (bool, np.bool_)) or not isinstance(r, (float, int, np.ndarray, np.floating)):
        return None
    return tuple(np.shape(r))


def size(shape):
    return int(np.prod(shape)) if shape else 1


def atom(code):
    """``code`` made safe to use as an operand: parenthesized unless it is a name, a call, a
    subscript or a parenthesized group."""
    if code.replace("_", "").replace(".", "").isalnum():
        return code
    if code.startswith("(") and _closing(code, 0) == len(code) - 1:
        return code
    return f"({code})"


def _closing(code, i):
    depth = 0
    for j in range(i, len(code)):
        if code[j] in "([":
            depth += 1
        elif code[j] in ")]":
            depth -= 1
            if depth == 0:
                return j
    return -1


def strip(code):
    """``code`` without one pair of enclosing parentheses, for the right side of a statement."""
    if code.startswith("(") and _closing(code, 0) == len(code) - 1 and not code.endswith(",)"):
        inner = code[1:-1]
        if inner.count("(") == inner.count(")"):
            return inner
    return code


def cap(e: E) -> E:
    if e.bound > CAP:
        return E(f"np.tanh({e.code})", e.shape, 1.0, False, e.refs)
    return e


def coerce(e: E, shape) -> E:
    """``e`` turned into a value of ``shape``: broadcast when it can be, else reduced by its mean."""
    if e.shape == shape:
        return e
    try:
        if np.broadcast_shapes(e.shape, shape) == shape:
            return E(f"({e.code} * np.ones({shape!r}))", shape, e.bound, False, e.refs)
    except ValueError:
        pass
    red = e.code if e.shape == () else f"np.mean({e.code})"
    if shape == ():
        return E(red, (), e.bound, False, e.refs)
    return E(f"({red} * np.ones({shape!r}))", shape, e.bound, False, e.refs)


def to_scalar(e: E, how="sum") -> E:
    if e.shape == ():
        return e
    n = size(e.shape)
    if how == "sum":
        return E(f"np.sum({e.code})", (), e.bound * n, False, e.refs)
    return E(f"np.mean({e.code})", (), e.bound, False, e.refs)


def _const(c):
    return E(repr(c) if c >= 0 else f"({c!r})", (), abs(c))


# ------------------------------------------------------------------------------------------
# expressions


def rex(d, ctx: Ctx) -> E:
    return cap(_EXPR[d[0]](d, ctx))


def e_var(d, ctx):
    vars_ = list(ctx.env.values())
    if not vars_:
        return _const(1.0)
    v = vars_[d[1] % len(vars_)]
    return E(v.name, v.shape, v.bound, True, frozenset([v.name]))


def e_const(d, ctx):
    return _const(CONSTS[d[1] % len(CONSTS)])


def e_ivar(d, ctx):
    if not ctx.ints:
        return E("2.0", (), 2.0)
    name, lo, hi = ctx.ints[d[1] % len(ctx.ints)]
    # an int, times 1.0: no integer arrays (np.cumsum(i) += 0.5 fails in NumPy)
    return E(f"(1.0 * {name})", (), float(max(abs(lo), abs(hi), 1)))


def e_gconst(d, ctx):
    return E("SCALE", (), SCALE)


def e_len(d, ctx):
    _, child, style = d
    c = rex(child, ctx)
    if len(c.shape) == 0:
        return _const(1.0)
    tpl = ("len({0})", "{0}.shape[0]", "{0}.size", "np.size({0})")[style % 4]
    n = c.shape[0] if style % 4 < 2 else size(c.shape)
    # an int: times 1.0, so that no integer array is made (np.cumsum(len(x)) += 0.5 fails in NumPy)
    return E(f"(1.0 * {tpl.format(atom(c.code))})", (), float(n), False, c.refs)


def e_un(d, ctx):
    _, name, child, use_math = d
    spec = UNARY[name]
    c = rex(child, ctx)
    if spec.precap is not None and c.bound > spec.precap:
        c = E(f"np.tanh({c.code})", c.shape, 1.0, False, c.refs)
    if name == "float":
        if c.shape != ():
            c = to_scalar(c, "mean")
        tpl = spec.math_tpl if use_math else spec.np_tpl
    elif use_math and c.shape == () and spec.math_tpl:
        tpl = spec.math_tpl
        if spec.inst_tpl:
            tpl = ctx.fn(tpl, spec.inst_tpl)
    else:
        tpl = ctx.fn(spec.np_tpl, spec.inst_tpl)
    code = tpl.format(atom(c.code))
    return E(code, c.shape, spec.bound(c.bound), False, c.refs)


def _broadcast(a: E, b: E):
    try:
        return a, b, tuple(np.broadcast_shapes(a.shape, b.shape))
    except ValueError:
        b = coerce(b, ())
        return a, b, a.shape


def e_bin(d, ctx):
    _, name, da, db = d
    spec = BINARY[name]
    a, b, shape = _broadcast(rex(da, ctx), rex(db, ctx))
    if spec.scalar_tpl and a.shape == () and b.shape == ():
        tpl = ctx.fn(spec.scalar_tpl, spec.scalar_inst or spec.inst_tpl)
    else:
        tpl = ctx.fn(spec.tpl, spec.inst_tpl)
    code = tpl.format(atom(a.code), atom(b.code))
    return E(code, shape, spec.bound(a.bound, b.bound), False, a.refs | b.refs)


def e_mm(d, ctx):
    _, form, da, db = d
    a, b = rex(da, ctx), rex(db, ctx)
    ca, cb = atom(a.code), atom(b.code)
    if form == "trace":
        if len(a.shape) == 2:
            return E(f"np.trace({a.code})", (), a.bound * min(a.shape), False, a.refs)
        form = "@"
    if form == "outer":
        if size(a.shape) * size(b.shape) <= 9 and a.shape != () and b.shape != ():
            return E(f"np.outer({a.code}, {b.code})", (size(a.shape), size(b.shape)), a.bound * b.bound,
                     False, a.refs | b.refs)
        form = "@"
    tpl = {"@": "({0} @ {1})", "matmul": "np.matmul({0}, {1})", "dot": "np.dot({0}, {1})",
           "mdot": "{0}.dot({1})"}[form]
    for x, y in ((ca, cb), (ca, f"{cb}.T"), (f"{ca}.T", cb), (f"{ca}.T", f"{cb}.T")):
        if form in ("@", "matmul") and (a.shape == () or b.shape == ()):
            break
        t = tpl.format(x.replace(ca, "{0}", 1), y.replace(cb, "{1}", 1))
        shape = shape_of(t, (a.shape, b.shape))
        if shape is not None and len(shape) <= 2:
            k = max([n for n in a.shape + b.shape] + [1])
            return E(tpl.format(x, y), shape, a.bound * b.bound * k, False, a.refs | b.refs)
    a, b, shape = _broadcast(a, b)
    return E(f"({atom(a.code)} * {atom(b.code)})", shape, a.bound * b.bound, False, a.refs | b.refs)


def e_red(d, ctx):
    _, name, child, axis_sel, form, keepdims = d
    c = rex(child, ctx)
    nd = len(c.shape)
    options = [None] + list(range(nd)) + ([-1] if nd else []) + ([(0, 1)] if nd == 2 else [])
    if name in ("prod", "cumsum"):
        options = [o for o in options if not isinstance(o, tuple)]
    axis = options[axis_sel % len(options)]
    if axis is None:
        n = size(c.shape)
    elif isinstance(axis, tuple):
        n = size(c.shape)
    else:
        n = c.shape[axis]
    if name in ("std", "norm") and n < 2:
        name = "mean"
    if name == "cumsum":
        keepdims = False
    ddof = form == 2 and name in ("var", "std") and n > 1
    kw = []
    if axis is not None:
        kw.append(f"axis={axis!r}")
    if ddof:
        kw.append("ddof=1")
    if keepdims and axis is not None:
        kw.append("keepdims=True")
    kws = "".join(", " + k for k in kw)
    if name == "norm":
        plain = "np.linalg.norm({0}" + kws + ")"
    elif form == 1 and name in METHODS and c.shape != ():
        plain = "{0}." + name + "(" + ", ".join(kw) + ")"
    else:
        plain = "np." + name + "({0}" + kws + ")"
    inst = None
    if name in ("max", "amax", "min", "amin"):
        inst = "_I." + ("amax" if "max" in name else "amin") + "({0}" + kws + ")"
    elif name == "std":
        inst = "_I.std({0}" + kws + ")"
    elif name == "norm":
        inst = "_I.norm({0}" + kws + ")"
    shape = shape_of(plain, (c.shape,))
    if shape is None:
        return c
    b = c.bound
    bound = {"sum": b * n, "cumsum": b * n, "mean": b, "max": b, "min": b, "amax": b, "amin": b,
             "prod": b ** n, "var": b * b * 2, "std": b * 2, "norm": b * math.sqrt(n)}[name]
    code = ctx.fn(plain, inst).format(atom(c.code))
    return E(code, shape, bound, False, c.refs)


def e_idx(d, ctx):
    _, k, child = d
    c = rex(child, ctx)
    tpl, alias = INDEXES[k % len(INDEXES)]
    shape = shape_of(tpl, (c.shape,))
    if shape is None or len(shape) > 2 or size(shape) == 0:
        return c
    return E(tpl.format(atom(c.code)), shape, c.bound, alias, c.refs)


def e_idx_i(d, ctx):
    _, k, child, col = d
    c = rex(child, ctx)
    if not c.shape:
        return c
    axis = 1 if (col and len(c.shape) == 2) else 0
    n = c.shape[axis]
    ok = [(name, lo, hi) for name, lo, hi in ctx.ints if -n <= lo and hi < n]
    if not ok:
        return c
    name = ok[k % len(ok)][0]
    code = f"{atom(c.code)}[{name}]" if axis == 0 else f"{atom(c.code)}[:, {name}]"
    shape = c.shape[1:] if axis == 0 else c.shape[:1]
    return E(code, shape, c.bound, True, c.refs)


def e_mask(d, ctx):
    _, child, t, style = d
    c = rex(child, ctx)
    if not c.shape:
        return c
    thr = THRESHOLDS[t % len(THRESHOLDS)]
    ca = atom(c.code)
    cond = f"_I.m({ca}, {thr}) > {thr}" if ctx.mode == "inst" else f"{ca} > {thr}"
    code = f"np.sum({ca}[{cond}])" if style % 2 == 0 else f"{ca}[{cond}].sum()"
    return E(code, (), c.bound * size(c.shape), False, c.refs)


def e_ifexp(d, ctx):
    _, cond, da, db = d
    a = rex(da, ctx)
    b = coerce(rex(db, ctx), a.shape)
    c = rcond(cond, ctx)
    return E(f"({a.code} if {c} else {b.code})", a.shape, max(a.bound, b.bound), a.alias or b.alias,
             a.refs | b.refs)


def e_where(d, ctx):
    _, dc, op, t, da, db = d
    c, a, b = rex(dc, ctx), rex(da, ctx), rex(db, ctx)
    try:
        shape = tuple(np.broadcast_shapes(c.shape, a.shape, b.shape))
    except ValueError:
        b = coerce(b, a.shape)
        c = coerce(c, ()) if c.shape != a.shape else c
        shape = a.shape
    thr = THRESHOLDS[t % len(THRESHOLDS)]
    op = CMP_OPS[op % len(CMP_OPS)]
    cc = atom(c.code)
    cond = f"_I.m({cc}, {thr}) {op} {thr}" if ctx.mode == "inst" else f"{cc} {op} {thr}"
    return E(f"np.where({cond}, {a.code}, {b.code})", shape, max(a.bound, b.bound), False,
             a.refs | b.refs | c.refs)


def call_code(sig: HelperSig, args, style, ctx):
    """``sig.name(...)``: arguments coerced to the parameters' shapes; by keyword or by position,
    the defaulted last parameter passed or left out, as ``style`` says."""
    parts = []
    refs = frozenset()
    keywords = False
    for i, (pname, shape) in enumerate(sig.params):
        last = i == len(sig.params) - 1
        if sig.rec and last:
            parts.append(str(1 + style % 3))
            continue
        if sig.default and last and not style & 1:
            continue  # leave the default
        a = rex(args[i], ctx) if i < len(args) else rex(("var", i), ctx)
        a = coerce(a, shape)
        refs |= a.refs
        if (i == 0 and style & 4 and not sig.rec) or (last and sig.default and style & 2):
            keywords = True
        parts.append(f"{pname}={strip(a.code)}" if keywords else strip(a.code))
    return f"{sig.name}({', '.join(parts)})", refs


def e_call(d, ctx):
    _, h, args, style = d
    sigs = [s for s in ctx.helpers if not s.is_tuple]
    if not sigs:
        return rex(args[0], ctx) if args else _const(0.5)
    sig = sigs[h % len(sigs)]
    code, refs = call_code(sig, args, style, ctx)
    return E(code, sig.ret_shapes[0], sig.ret_bound, True, refs)


_EXPR = {
    "var": e_var, "const": e_const, "ivar": e_ivar, "gconst": e_gconst, "len": e_len, "un": e_un,
    "bin": e_bin, "mm": e_mm, "red": e_red, "idx": e_idx, "idx_i": e_idx_i, "mask": e_mask,
    "ifexp": e_ifexp, "where": e_where, "call": e_call,
}


# ------------------------------------------------------------------------------------------
# conditions


def rcond(d, ctx) -> str:
    tag = d[0]
    if tag == "cmp":
        _, de, op, t = d
        e = to_scalar(rex(de, ctx), "mean")
        thr = THRESHOLDS[t % len(THRESHOLDS)]
        op = CMP_OPS[op % len(CMP_OPS)]
        if ctx.mode == "inst":
            return f"_I.m({e.code}, {thr}) {op} {thr}"
        return f"{atom(e.code)} {op} {thr}"
    if tag == "vcmp":
        _, da, db, op = d
        a = to_scalar(rex(da, ctx), "mean")
        b = to_scalar(rex(db, ctx), "mean")
        op = CMP_OPS[op % len(CMP_OPS)]
        if ctx.mode == "inst":
            return f"_I.m2({a.code}, {b.code}) {op} {atom(b.code)}"
        return f"{atom(a.code)} {op} {atom(b.code)}"
    if tag == "icmp":
        _, k, kind, c = d
        if not ctx.ints:
            return "True"
        name, lo, hi = ctx.ints[k % len(ctx.ints)]
        c = c % 3
        return (f"{name} % 2 == 0", f"{name} > {c}", f"{name} == {c}", f"{name} < {c}")[kind % 4]
    if tag == "not":
        return f"not ({rcond(d[1], ctx)})"
    if tag in ("and", "or"):
        return f"({rcond(d[1], ctx)} {tag} {rcond(d[2], ctx)})"
    raise ValueError(tag)


# ------------------------------------------------------------------------------------------
# statements


def render_block(stmts, ctx):
    for s in stmts:
        _STMT[s[0]](s, ctx)
    if not ctx.lines:
        ctx.emit("pass")


def _set(ctx, name, e: E, existing: Var | None):
    if e.alias:
        for r in e.refs:
            if r in ctx.env:
                ctx.env[r] = replace(ctx.env[r], fresh=False)
    level = existing.level if existing else ctx.level
    ctx.env[name] = Var(name, e.shape, e.bound, not e.alias, level)


def _target(tgt, ctx):
    vars_ = list(ctx.env.values())
    if tgt == 0 or not vars_:
        return ctx.names.new(), None
    v = vars_[(tgt - 1) % len(vars_)]
    return v.name, v


def s_assign(d, ctx):
    _, tgt, de = d
    e = rex(de, ctx)
    name, existing = _target(tgt, ctx)
    if existing is not None and existing.level < ctx.level and existing.shape != e.shape:
        e = coerce(e, existing.shape)
    ctx.emit(f"{name} = {strip(e.code)}")
    _set(ctx, name, e, existing)


def s_aug(d, ctx):
    _, tgt, op, de = d
    vars_ = list(ctx.env.values())
    if not vars_:
        return
    v = vars_[tgt % len(vars_)]
    e = rex(de, ctx)
    try:
        ok = tuple(np.broadcast_shapes(v.shape, e.shape)) == v.shape
    except ValueError:
        ok = False
    if not ok:
        e = coerce(e, v.shape)
    op = ("+", "-", "*", "/")[op % 4]
    rhs = f"(1.0 + {atom(e.code)} ** 2)" if op == "/" else atom(e.code)
    bound = {"+": v.bound + e.bound, "-": v.bound + e.bound, "*": v.bound * e.bound, "/": v.bound}[op]
    if bound > CAP:
        ctx.emit(f"{v.name} = np.tanh({v.name} {op} {rhs})")
        ctx.env[v.name] = replace(v, bound=1.0, fresh=True)
    elif v.fresh:
        ctx.emit(f"{v.name} {op}= {strip(rhs)}")
        ctx.env[v.name] = replace(v, bound=bound)
    else:
        ctx.emit(f"{v.name} = {v.name} {op} {rhs}")
        ctx.env[v.name] = replace(v, bound=bound, fresh=True)


def s_swap(d, ctx):
    _, i, j = d
    vars_ = list(ctx.env.values())
    if len(vars_) < 2:
        return
    a, b = vars_[i % len(vars_)], vars_[j % len(vars_)]
    if a.name == b.name:
        return
    if a.shape != b.shape and (a.level < ctx.level or b.level < ctx.level):
        return
    ctx.emit(f"{a.name}, {b.name} = {b.name}, {a.name}")
    ctx.env[a.name] = replace(b, name=a.name, level=a.level)
    ctx.env[b.name] = replace(a, name=b.name, level=b.level)


def s_tuple(d, ctx):
    _, da, db = d
    a, b = rex(da, ctx), rex(db, ctx)
    na, nb = ctx.names.new(), ctx.names.new()
    ctx.emit(f"{na}, {nb} = {strip(a.code)}, {strip(b.code)}")
    _set(ctx, na, a, None)
    _set(ctx, nb, b, None)


def s_chain(d, ctx):
    _, de = d
    e = rex(de, ctx)
    na, nb = ctx.names.new(), ctx.names.new()
    ctx.emit(f"{na} = {nb} = {strip(e.code)}")
    e = replace(e, alias=True)
    _set(ctx, na, e, None)
    _set(ctx, nb, e, None)


def s_unpack(d, ctx):
    _, h, args, style = d
    sigs = [s for s in ctx.helpers if s.is_tuple]
    if not sigs:
        return
    sig = sigs[h % len(sigs)]
    code, refs = call_code(sig, args, style, ctx)
    na, nb = ctx.names.new(), ctx.names.new()
    ctx.emit(f"{na}, {nb} = {code}")
    for n, shape in zip((na, nb), sig.ret_shapes):
        _set(ctx, n, E(n, shape, sig.ret_bound, True, refs), None)


def s_jump(d, ctx):
    if not ctx.loops or ctx.loops[-1] == "tuple":
        return
    ctx.emit(d[0])


def s_return(d, ctx):
    _, de = d
    e = rex(de, ctx)
    parts = []
    for shape in ctx.ret_shapes:
        r = coerce(e, shape) if shape != () or e.shape == () else to_scalar(e, "sum")
        r = cap(r)
        ctx.ret_bounds.append(r.bound)
        parts.append(strip(r.code))
    ctx.emit(f"return {', '.join(parts)}")


def s_if(d, ctx):
    _, cond, body, orelse = d
    c = rcond(cond, ctx)
    names = ctx.names
    start = names.count
    t = ctx.fork()
    t.depth += 1
    render_block(body, t)
    end_t = names.count
    names.count = start
    o = ctx.fork()
    o.depth += 1
    if orelse:
        render_block(orelse, o)
    end_o = names.count
    names.count = max(end_t, end_o)
    ctx.emit(f"if {c}:")
    ctx.lines += t.lines
    if orelse:
        if len(orelse) == 1 and orelse[0][0] == "if" and o.lines[0].strip().startswith("if "):
            for k, line in enumerate(o.lines):
                line = line[4:]
                if k == 0:
                    line = line.replace("if ", "elif ", 1)
                ctx.lines.append(line)
        else:
            ctx.emit("else:")
            ctx.lines += o.lines
    else:
        o = ctx  # the else branch is the state before the if
    merged = {}
    for name, v in t.env.items():
        w = o.env.get(name)
        if w is not None and w.shape == v.shape:
            merged[name] = Var(name, v.shape, max(v.bound, w.bound), v.fresh and w.fresh, min(v.level, w.level))
    ctx.env = merged


def _loop(ctx, kind, trips, header, body, new_vars=(), new_ints=(), prebody=(), pre_header=()):
    """Render a loop: the body is rendered again with the variables' bounds and memory flags
    joined over iterations until they settle (at most trips + 1 passes)."""
    level = ctx.level + 1
    start = ctx.names.count
    env_in = dict(ctx.env)
    for line in pre_header:
        ctx.emit(line)
    for _ in range(trips + 2):
        ctx.names.count = start
        b = ctx.fork()
        b.env = dict(env_in)
        b.loops.append(kind)
        for v in new_vars:
            b.env[v.name] = replace(v, level=level)
        b.ints += list(new_ints)
        head = header(b)          # the header reads the state at the start of an iteration
        b.depth += 1
        for line in prebody:
            b.emit(line)
        render_block(body, b)
        joined = {}
        for name, v in env_in.items():
            w = b.env.get(name)
            if w is not None and w.shape == v.shape:
                joined[name] = Var(name, v.shape, max(v.bound, w.bound), v.fresh and w.fresh, v.level)
        if joined == env_in:
            break
        env_in = joined
    ctx.emit(head)
    ctx.lines += b.lines
    ctx.env = env_in


def _int_name(ctx, table):
    names = PLAIN_INTS if ctx.names_mode == 0 else CLASH_INTS
    if table == "counter":
        names = PLAIN_COUNTERS if ctx.names_mode == 0 else CLASH_COUNTERS
    return names[min(ctx.level, len(names) - 1)]


def _arrays(ctx):
    return [v for v in ctx.env.values() if len(v.shape) >= 1]


def s_for(d, ctx):
    _, kind, p, body = d
    i = _int_name(ctx, "int")
    kind = kind % 9
    arrays = _arrays(ctx)
    if kind in (3, 4, 5, 6) and not arrays:
        kind = 0
    if kind == 0:
        k = p % 5
        _loop(ctx, "range", k, lambda b: f"for {i} in range({k}):", body, new_ints=[(i, 0, max(k - 1, 0))])
    elif kind == 1:
        if ctx.names.int_param:
            n = ctx.names.int_param
            _loop(ctx, "range", 3, lambda b: f"for {i} in range({n}):", body, new_ints=[(i, 0, 2)])
        else:
            _loop(ctx, "range", 2, lambda b: f"for {i} in range(2):", body, new_ints=[(i, 0, 1)])
    elif kind == 2:
        a, lo, hi, trips = (((1, 4), 1, 3, 3), ((0, 4, 2), 0, 2, 2), ((2, -1, -1), 0, 2, 3),
                            ((3, 0, -1), 1, 3, 3))[p % 4]
        spec = ", ".join(map(str, a))
        _loop(ctx, "range", trips, lambda b: f"for {i} in range({spec}):", body, new_ints=[(i, lo, hi)])
    elif kind in (3, 4):
        v = arrays[p % len(arrays)]
        ctx.env[v.name] = replace(v, fresh=False)  # the rows are views of it
        e = ctx.names.new()
        ev = Var(e, v.shape[1:], v.bound, False, 0)
        if kind == 3:
            _loop(ctx, "array", v.shape[0], lambda b: f"for {e} in {v.name}:", body, new_vars=[ev])
        else:
            _loop(ctx, "array", v.shape[0], lambda b: f"for {i}, {e} in enumerate({v.name}):", body,
                  new_vars=[ev], new_ints=[(i, 0, v.shape[0] - 1)])
    elif kind == 5:
        v = arrays[p % len(arrays)]
        same = [w for w in arrays if w.shape[0] == v.shape[0]]
        w = same[(p // 2) % len(same)]
        for u in (v, w):
            ctx.env[u.name] = replace(ctx.env[u.name], fresh=False)
        e1, e2 = ctx.names.new(), ctx.names.new()
        nv = [Var(e1, v.shape[1:], v.bound, False, 0), Var(e2, w.shape[1:], w.bound, False, 0)]
        _loop(ctx, "array", v.shape[0], lambda b: f"for {e1}, {e2} in zip({v.name}, {w.name}):", body,
              new_vars=nv)
    elif kind == 6:
        v = arrays[p % len(arrays)]
        style = ("range(len({0}))", "range({0}.shape[0])")[p // 2 % 2]
        _loop(ctx, "range", v.shape[0], lambda b: f"for {i} in {style.format(v.name)}:", body,
              new_ints=[(i, 0, v.shape[0] - 1)])
    else:  # a literal tuple or list of numbers (and maybe a scalar variable)
        e = ctx.names.new()
        scalars = [v for v in ctx.env.values() if v.shape == ()]
        items = ["0.5", "-1.25", "2.0"][: 1 + p % 3]
        bound = 2.0
        if p % 2 and scalars and not OPEN_BUG_U:
            s = scalars[(p // 2) % len(scalars)]
            items.insert(1, s.name)
            bound = max(bound, s.bound)
        seq = f"({', '.join(items)},)" if kind == 7 else f"[{', '.join(items)}]"
        _loop(ctx, "tuple", len(items), lambda b: f"for {e} in {seq}:", body,
              new_vars=[Var(e, (), bound, True, 0)])


def s_while(d, ctx):
    _, n, cond, body, style = d
    n = 1 + n % 4
    w = _int_name(ctx, "counter")
    style %= 3
    if style == 1:
        _loop(ctx, "while", n, lambda b: "while True:", body, new_ints=[(w, 1, n)],
              prebody=[f"if {w} >= {n}:", "    break", f"{w} += 1"], pre_header=[f"{w} = 0"])
        return

    def header(b):
        base = f"{w} < {n}"
        if cond is None:
            return f"while {base}:"
        b.ints.append((w, 0, n))
        c = rcond(cond, b)
        b.ints.pop()
        return f"while {base} and {c}:" if style == 0 else f"while {c} and {base}:"

    inc = f"{w} += 1" if style == 0 else f"{w} = {w} + 1"
    _loop(ctx, "while", n, header, body, new_ints=[(w, 1, n)], prebody=[inc], pre_header=[f"{w} = 0"])


_STMT = {
    "assign": s_assign, "aug": s_aug, "swap": s_swap, "tuple": s_tuple, "chain": s_chain,
    "unpack": s_unpack, "break": s_jump, "continue": s_jump, "return": s_return, "if": s_if,
    "for": s_for, "while": s_while,
}


# ------------------------------------------------------------------------------------------
# functions and modules


@dataclass
class Rendered:
    source: str
    fname: str
    params: list           # [(name, shape or "int")]
    wrt: object            # as passed to tapeless.grad
    wrt_names: tuple


def _render_helper(h, k, helpers, mode, names_mode, all_helpers):
    name = all_helpers[k]
    pnames = PLAIN_HELPER_PARAMS if names_mode == 0 else CLASH_HELPER_PARAMS
    if h[0] == "rec":
        _, shape_idx, expr = h
        shape = SHAPES[shape_idx % len(SHAPES)]
        p, m = pnames[0], "m"
        names = Names(names_mode, {p, m} | set(all_helpers))
        ctx = Ctx(mode, names_mode, helpers, names, (shape,))
        ctx.env[p] = Var(p, shape, CAP, shape == (), 0)
        e = coerce(rex(expr, ctx), shape)
        lines = [f"def {name}({p}, {m}):", f"    if {m} <= 0:", f"        return {p}",
                 f"    return {name}({strip(e.code)}, {m} - 1)"]
        sig = HelperSig(name, [(p, shape), (m, "int")], False, (shape,), CAP, rec=True)
        return lines, sig
    _, pshapes, default, body, rets, rshapes = h
    shapes = [SHAPES[s % len(SHAPES)] for s in pshapes]
    if default:
        shapes[-1] = ()
    params = list(zip(pnames, shapes))
    ret_shapes = tuple(SHAPES[s % len(SHAPES)] for s in rshapes[:len(rets)])
    names = Names(names_mode, set(pnames) | set(all_helpers))
    ctx = Ctx(mode, names_mode, helpers, names, ret_shapes)
    for p, s in params:
        ctx.env[p] = Var(p, s, CAP, s == (), 0)
    sig_line = ", ".join(p if not (default and i == len(params) - 1) else f"{p}=0.5"
                         for i, (p, s) in enumerate(params))
    render_block(body, ctx)
    if ctx.lines == ["    pass"]:
        ctx.lines = []
    parts = []
    for r, shape in zip(rets, ret_shapes):
        e = rex(r, ctx)
        e = cap(coerce(e, shape) if shape != () or e.shape == () else to_scalar(e, "sum"))
        ctx.ret_bounds.append(e.bound)
        parts.append(strip(e.code))
    lines = [f"def {name}({sig_line}):"] + ctx.lines + [f"    return {', '.join(parts)}"]
    sig = HelperSig(name, params, bool(default), ret_shapes, max(ctx.ret_bounds))
    return lines, sig


def render(prog, mode="plain") -> Rendered:
    """The module source of ``prog`` and what the runner needs to call it."""
    _, pshapes, int_param, helpers, body, ret, wrt_sel, names_mode = prog
    names_mode %= 2
    out = ['"""A program generated by tests/fuzz."""', "import math", "", "import numpy as np", "",
           "SCALE = 0.75"]
    if mode == "inst":
        out.append("_I = None  # the recorder, set by the runner")
    sigs = []
    helpers = helpers[:4]
    all_helpers = (PLAIN_HELPERS if names_mode == 0 else CLASH_HELPERS)[:len(helpers)]
    for k, h in enumerate(helpers):
        lines, sig = _render_helper(h, k, list(sigs), mode, names_mode, all_helpers)
        out += ["", ""] + lines
        sigs.append(sig)
    pnames = PLAIN_PARAMS if names_mode == 0 else CLASH_PARAMS
    shapes = [SHAPES[s % len(SHAPES)] for s in pshapes]
    params = list(zip(pnames, shapes))
    int_name = ("n" if names_mode == 0 else "t1") if int_param else None
    all_params = params + ([(int_name, "int")] if int_name else [])
    names = Names(names_mode, {p for p, _ in all_params} | {s.name for s in sigs} | {"f", "np", "math", "SCALE"})
    names.int_param = int_name
    ctx = Ctx(mode, names_mode, sigs, names, ((),))
    for p, s in params:
        ctx.env[p] = Var(p, s, IN_BOUND, s == (), 0)
    if int_name:
        ctx.ints.append((int_name, 0, 3))
    render_block(body, ctx)
    if ctx.lines == ["    pass"]:
        ctx.lines = []
    e = to_scalar(rex(ret, ctx), "sum")
    lines = [f"def f({', '.join(p for p, _ in all_params)}):"] + ctx.lines + [f"    return {strip(e.code)}"]
    out += ["", ""] + lines
    # with respect to: a non-empty subset of the float parameters, spelled in several ways
    n = len(params)
    mask = wrt_sel % (2 ** n - 1) + 1
    chosen = [k for k in range(n) if mask >> k & 1]
    style = (wrt_sel // (2 ** n)) % 3
    if len(chosen) == 1 and style == 0:
        wrt = chosen[0]
    elif len(chosen) == 1 and style == 1:
        wrt = params[chosen[0]][0]
    else:
        wrt = tuple(params[k][0] if style == 1 else k for k in chosen)
    return Rendered("\n".join(out) + "\n", "f", all_params, wrt, tuple(params[k][0] for k in chosen))
