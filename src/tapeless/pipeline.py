"""The stages that turn a function into its gradient, in order, in one place.

``REVERSE`` lists them; each takes the :class:`Work` of one function and updates it.
:func:`stages` runs them one by one and shows the code after each, for people who want to
watch a function become its gradient.
"""

from __future__ import annotations

import builtins
import types

import gast

from . import fence, source
from .analysis.aliases import check_augmented, insert_guards
from .analysis.activity import active_variables, annotate_defined
from .analysis.shapes import Shapes, output_params, python_floats, scalar_variables
from .astutil import assign, call, const, load, names_loaded, names_stored, store, target_names, tuple_
from .codegen.emit import Comments, to_source
from .codegen.load import compile_functions
from .errors import NonDifferentiable
from .passes.desugar import Desugar, LowerJumps, check_iterators
from .passes.normalize import Normalize
from .passes.resolve import local_names, resolve
from .runtime import like_argument, make_seed, unshared, zeros_like
from .simplify.inplace import accumulate_in_place
from .simplify import (dead_code, fold, inline_temporaries, live_in, merge_accumulations, propagate_constant,
                       propagate_copies)
from .transform.naming import Namer
from .transform.forward import Forward
from .transform.ops import zero
from .transform.reverse import Reverse
from .transform.saves import plan_saves


class Work:
    """Everything known about one function being transformed."""

    def __init__(self, func, wrt, session, role="top", returns="grad"):
        self.func = func
        self.returns = returns  # for the top function: "grad" or "value_and_grad"
        self.wrt = list(wrt)  # parameter names
        self.session = session
        self.role = role  # "top": one gradient function; "helper": a forward and a backward half
        self.fs = None
        self.namer = None
        self.body = None
        self.active = None
        self.fwd = self.bwd = None
        self.result = None  # the returned atom(s)
        self.functions = []  # generated FunctionDefs
        self.comments = Comments()

    # used by the reverse transform for calls to user functions
    def helper(self, func, active_params, node):
        return self.session.helper(func, active_params, self.namer)

    @property
    def params(self):
        a = self.fs.tree.args
        return [p.id for p in a.posonlyargs + a.args + a.kwonlyargs]


# -- the stages --------------------------------------------------------------------------

def parse(w):
    w.fs = source.load(w.func)
    w.body = w.fs.tree.body


def check_syntax(w):
    fence.check(w.fs)


def resolve_calls(w):
    resolve(w.fs, w.fs.tree)
    w.locals = local_names(w.fs.tree)
    w.namer = Namer(w.locals | names_loaded(w.fs.tree) | set(w.fs.closure), _visible(w.fs, w.locals))


def desugar(w):
    sugar = Desugar(w.fs, w.namer)
    w.body = sugar.block(w.body)
    w.augmented = sugar.augmented
    check_iterators(w.fs, w.body)


def lower_jumps(w):
    lower = LowerJumps(w.namer)
    w.body = lower.function(w.body)
    w.returned = lower.returned  # the flag of early returns, or None


def normalize(w):
    w.body = Normalize(w.fs, w.namer, w.locals).block(w.body)
    last = w.body[-1] if w.body else None
    if not isinstance(last, gast.Return) or last.value is None:
        raise NonDifferentiable(f"{w.fs.name} must return a value to be differentiated",
                                w.fs.location(last or w.fs.tree), "end the function with return <value>")
    w.body, ret = w.body[:-1], last
    w.ret_origin = getattr(ret, "origin", ret)
    value = ret.value
    if isinstance(value, gast.Constant) or (w.role == "top" and not isinstance(value, gast.Name)):
        name = w.namer.fresh("value")
        w.body.append(assign(name, value, origin=w.ret_origin))
        value = load(name)
    w.result = value


def analyse(w):
    annotate_defined(w.params, w.body)
    w.active = active_variables(w.body, w.wrt)
    w.scalars = scalar_variables(w.params, w.body, checked=w.role != "helper", returned=w.returned)
    w.used_as_scalars = w.scalars  # check_args names these as used in conditions or math functions
    # when the output's shape follows from parameters' shapes, the check that it is a scalar
    # is made on those arguments before the function runs, and the output need not be computed
    w.output_params = output_params(w.params, w.body, w.result, w.scalars) if w.role == "top" else None
    if w.output_params and not w.output_params <= w.scalars:  # so those arguments are 0-d too,
        # and what is computed from them alone (analysed again only when that adds to it)
        w.scalars = scalar_variables(w.params, w.body, returned=w.returned, known=w.output_params)
    w.shapes = Shapes(w.params, w.body, w.scalars)
    guarded = check_augmented(w.fs, w.augmented, w.body, w.scalars, w.locals)
    if guarded:
        w.body = insert_guards(w.fs, w.body, guarded, lambda: w.namer.bind("unshared", unshared))


def reverse(w):
    w.start_as_none = set()
    rev = Reverse(w)
    w.fwd = rev.forward(w.body)
    state = set()
    outputs = w.result.elts if isinstance(w.result, gast.Tuple) else [w.result]
    w.seeds, pre = [], []
    for out in outputs:
        if isinstance(out, gast.Name) and out.id in w.active and out.id not in state:
            state.add(out.id)
            w.seeds.append(w.namer.adjoint(out.id))
        elif isinstance(out, gast.Name) and out.id in w.active:
            extra = w.namer.numbered("dout")
            w.seeds.append(extra)
            d = w.namer.adjoint(out.id)
            pre.append(assign(d, gast.BinOp(left=load(d), op=gast.Add(), right=load(extra))))
        else:
            w.seeds.append(w.namer.numbered("dout"))
    w.bwd = pre + rev.backward(w.body, state)
    for p in w.wrt:
        if p not in state:
            w.bwd.append(assign(w.namer.adjoint(p), zero(w, p), origin=w.ret_origin))
    w.bwd.append(gast.Return(value=_maybe_tuple([load(w.namer.adjoint(p)) for p in w.wrt])))


def simplify_backward(w):
    primal = set(w.params) | names_stored(w.fwd)
    w.primal = primal
    adjoints = (names_stored(w.bwd) | set(w.seeds)) - primal
    if w.output_params is not None:  # the adjoint of a scalar output checked up front is 1.0
        w.bwd = propagate_constant(w.bwd, w.seeds[0], 1.0, adjoints)
    w.floats = python_floats(w.fwd, w.params)
    w.bwd = fold(w.bwd, adjoints, w.floats)
    w.bwd = propagate_copies(w.bwd, protected=frozenset(primal))
    w.bwd = dead_code(w.bwd, removable=lambda n: n not in primal)
    w.adjoint_names = adjoints


def plan(w):
    if w.role == "top":
        # each gradient ends in its argument's type: ``like_argument(dx, x)`` reads the
        # argument, so the backward sweep must restore it if the function rebinds it
        w.recast = w.namer.fresh("recast")
        w.bwd = w.bwd[:-1] + _recast(w, w.recast, w.bwd[-1]) + w.bwd[-1:]
    w.fwd, w.bwd, _ = plan_saves(w, w.fwd, w.bwd, w.primal)
    w.fwd = [assign(v, const(None)) for v in sorted(w.start_as_none - set(w.params))] + w.fwd
    w.bwd = merge_accumulations(propagate_copies(dead_code(w.bwd), protected=frozenset(w.primal)))
    # adjoints of generated temporaries used once go into their use (within one line's block,
    # now that the restores are in place), where signs can cancel: -(-dp / t4 ** 2 * t3) is
    # dp / t4 ** 2 * t3
    temps = {d for v, d in w.namer.adjoints().items() if v not in w.locals and v not in w.params}
    w.bwd = fold(merge_accumulations(inline_temporaries(w.bwd, temps - w.primal, same_origin=True)),
                 w.adjoint_names, w.floats)
    zeros = w.namer.env_name(zeros_like)
    w.bwd = accumulate_in_place(w.bwd, zeros, set(w.params) - names_stored(w.fwd), w.namer.env_name(like_argument))


def simplify_forward(w):
    keep = names_loaded(w.bwd)
    if w.role != "top" or w.output_params is None or w.returns != "grad":
        keep |= names_loaded(w.result)  # the output is returned, or checked after it is computed
    temps = w.namer.taken - w.locals
    w.fwd = dead_code(w.fwd, keep=keep)
    w.fwd = inline_temporaries(w.fwd, temps, keep=keep)


def assemble(w):
    describe = _describer(w.fs)
    bwd = w.comments.annotate(w.bwd, describe)
    args = gast.arguments(**{k: getattr(w.fs.tree.args, k) for k in gast.arguments._fields})
    if w.role == "top":
        shaping = w.output_params
        # besides the differentiated arguments: those that shape the output, and those the
        # code treats as scalars (it relies on them being 0-d, which NumPy does not enforce)
        checked = w.wrt + [p for p in w.params if p not in w.wrt and (p in (shaping or ()) or p in w.scalars)]
        seed_fn = make_seed(tuple(checked), frozenset(checked) & w.used_as_scalars, wrt=len(w.wrt), output_shape=shaping)
        value = w.result.id
        # the arguments are checked before the function runs; the output after, unless its
        # shape follows from the arguments' (then they were checked for it)
        checker = w.namer.bind("check_args", seed_fn.check_args)
        # check_args says whether a gradient may come out in another type than its argument's
        recast = w.recast
        check_call = call(checker, *[load(p) for p in checked])
        if all(p in w.scalars or p in (shaping or ()) for p in checked):
            # every checked argument must be a number: Python floats pass without a call
            type_, float_ = w.namer.bind("type", builtins.type), w.namer.bind("float", builtins.float)
            test = _any([_compare(call(type_, load(p)), gast.IsNot(), load(float_)) for p in checked])
            check_call = gast.BoolOp(op=gast.And(), values=[test, check_call])
        start = [assign(recast, check_call)]
        if shaping is None:
            check = call(w.namer.bind("seed", seed_fn), load(value))
        else:
            check = const(1.0)
        used = w.seeds[0] in live_in(bwd)  # read before the backward sweep assigns it
        seeding = [assign(w.seeds[0], check)] if used else [] if shaping is not None else [gast.Expr(value=check)]
        if w.returns == "grad":
            w.functions = [_def(w.namer.fresh(f"{w.fs.name}_grad"), args, start + w.fwd + seeding + bwd)]
        else:
            keep = []
            if value in names_stored(bwd):  # the backward sweep restores earlier values of it
                kept = w.namer.fresh(f"{value}_out")
                keep = [assign(kept, load(value))]
                value = kept
            ret = gast.Return(value=tuple_([load(value), bwd[-1].value]))
            w.functions = [_def(w.namer.fresh(f"{w.fs.name}_value_and_grad"), args,
                                start + w.fwd + seeding + keep + bwd[:-1] + [ret])]
    else:
        primal = set(w.params) | names_stored(w.fwd)
        tape = sorted(live_in(bwd) & primal)
        surely = set(w.params) | {n for st in w.fwd if isinstance(st, gast.Assign) for n in target_names(st.targets[0])}
        w.fwd = [assign(n, const(None)) for n in tape if n not in surely] + w.fwd
        fwd_ret = gast.Return(value=tuple_([w.result, _maybe_tuple([load(n) for n in tape]) if tape else const(None)]))
        tape_param = tape[0] if len(tape) == 1 else w.namer.fresh("tape")
        unpack = [assign(tuple_([store(n) for n in tape], gast.Store()), load(tape_param))] if len(tape) > 1 else []
        bwd_args = gast.arguments(args=[_param(tape_param)] + [_param(s) for s in w.seeds], posonlyargs=[],
                                  vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
        fwd_def = _def(w.fwd_name, args, w.fwd + [fwd_ret])
        bwd_def = _def(w.bwd_name, bwd_args, unpack + bwd)
        w.functions = [fwd_def, bwd_def]


REVERSE = [parse, check_syntax, resolve_calls, desugar, lower_jumps, normalize, analyse, reverse,
           simplify_backward, plan, simplify_forward, assemble]


# -- forward mode ------------------------------------------------------------------------------

def forward(w):
    w.fwd = Forward(w).block(w.body)
    # a parameter not differentiated but later carrying a derivative (x, y = y, x) starts at zero
    w.fwd = [assign(w.namer.adjoint(p), _tangent_of(w, load(p), as_zero=True))
             for p in w.params if p in w.active and p not in w.wrt] + w.fwd
    outputs = w.result.elts if isinstance(w.result, gast.Tuple) else [w.result]
    w.tangent_result = [_tangent_of(w, o) for o in outputs]


def _tangent_of(w, node, as_zero=False):
    """The tangent of a returned atom: its tangent name, a tuple of them, or a zero."""
    if isinstance(node, gast.Tuple):
        return tuple_([_tangent_of(w, e) for e in node.elts])
    if isinstance(node, gast.Name) and node.id in w.active and not as_zero:
        return load(w.namer.adjoint(node.id))
    if isinstance(node, gast.Name):
        return zero(w, node)
    return const(0.0)


def simplify_tangents(w):
    result = names_loaded(w.result) | names_loaded(w.tangent_result)
    primal = set(w.params) | names_stored(w.body)
    w.fwd = fold(w.fwd)
    w.fwd = propagate_copies(w.fwd, protected=frozenset(primal), keep=result)
    w.fwd = dead_code(w.fwd, keep=result)
    w.fwd = inline_temporaries(w.fwd, w.namer.taken - w.locals, keep=result)


def assemble_forward(w):
    describe = _describer(w.fs)
    body = w.comments.annotate(w.fwd, describe)
    a = w.fs.tree.args
    w.tangent_params = {p: w.namer.adjoint(p) for p in w.wrt}
    args = gast.arguments(args=a.args, posonlyargs=a.posonlyargs, vararg=None,
                          kwonlyargs=a.kwonlyargs + [_param(w.tangent_params[p]) for p in w.wrt],
                          kw_defaults=a.kw_defaults + [None for _ in w.wrt], kwarg=None, defaults=a.defaults)
    tangent = w.tangent_result[0] if not isinstance(w.result, gast.Tuple) else tuple_(w.tangent_result)
    body = body + [gast.Return(value=tuple_([w.result, tangent]))]
    w.functions = [_def(w.jvp_name, args, body)]


FORWARD = [parse, check_syntax, resolve_calls, desugar, lower_jumps, normalize, analyse, forward,
           simplify_tangents, assemble_forward]


def run(w):
    for stage in REVERSE:
        stage(w)
    return w


# -- helpers -------------------------------------------------------------------------------

def _recast(w, flag, ret):
    """``if flag: dx = like_argument(dx, x)`` for each gradient the return statement ``ret``
    returns; one returned as an expression, a value of the function, or twice, is named first."""
    like = w.namer.bind("like_argument", like_argument)
    values = list(ret.value.elts) if isinstance(ret.value, gast.Tuple) else [ret.value]
    named, cast, seen = [], [], set()
    for i, (p, v) in enumerate(zip(w.wrt, values)):
        if not isinstance(v, gast.Name) or v.id in w.primal or v.id in seen:
            adjoint = w.namer.adjoint(p)
            name = adjoint if adjoint not in names_stored(w.bwd) | names_loaded(ret) | seen else w.namer.numbered("grad")
            named.append(assign(name, v))
            values[i] = v = load(name)
        seen.add(v.id)
        cast.append(assign(v.id, call(like, load(v.id), load(p))))
    if isinstance(ret.value, gast.Tuple):
        ret.value.elts = values
    else:
        ret.value = values[0]
    return named + [gast.If(test=load(flag), body=cast, orelse=[])]


def _compare(left, op, right):
    return gast.Compare(left=left, ops=[op], comparators=[right])


def _any(tests):
    return tests[0] if len(tests) == 1 else gast.BoolOp(op=gast.Or(), values=tests)


def _maybe_tuple(elts):
    return elts[0] if len(elts) == 1 else tuple_(elts)


def _param(name):
    return gast.Name(id=name, ctx=gast.Param(), annotation=None, type_comment=None)


def _def(name, args, body):
    return gast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                            type_comment=None, type_params=[])


def _visible(fs, locals_):
    def visible(name):
        if name in locals_:
            return False, None
        try:
            return True, fs.lookup(name)
        except KeyError:
            return False, None
    return visible


def _describer(fs):
    def describe(origin):
        loc = fs.location(origin)
        if loc is None:
            return None
        return f"{loc.line.strip()}   ({fs.short_filename}:{loc.lineno})"
    return describe


class HelperRef:
    def __init__(self, fwd_cell, bwd_cell):
        self.fwd_cell, self.bwd_cell = fwd_cell, bwd_cell
        self.fwd = self.bwd = None


class Session:
    """One transformation request: the top function and every helper it reaches."""

    def __init__(self):
        self.helpers = {}  # (func, active params) -> (Work, cells)
        self.markers = {}
        self.order = []

    def helper(self, func, active_params, caller_namer):
        key = (func, active_params)
        if key not in self.helpers:
            w = Work(func, active_params, self, role="helper")
            cells = (types.CellType(), types.CellType())
            self.helpers[key] = (w, cells)
            self.markers[key] = (ref_marker(cells[0]), ref_marker(cells[1]))
            self.order.append(key)
            w.fwd_name = f"{func.__name__}_fwd"
            w.bwd_name = f"{func.__name__}_bwd"
            _run_helper(w)
        w, (fcell, bcell) = self.helpers[key]
        ref = HelperRef(fcell, bcell)
        fmark, bmark = self.markers[key]
        ref.arity = len(w.result.elts) if isinstance(w.result, gast.Tuple) else None
        ref.fwd = caller_namer.bind(w.fwd_name, fmark)
        ref.bwd = caller_namer.bind(w.bwd_name, bmark)
        return ref

    def forward_helper(self, func, active_params, caller_namer):
        key = ("jvp", func, active_params)
        if key not in self.helpers:
            w = Work(func, active_params, self, role="jvp")
            cell = types.CellType()
            self.helpers[key] = (w, (cell,))
            self.markers[key] = (ref_marker(cell),)
            self.order.append(key)
            _run_forward(w)
        w, (cell,) = self.helpers[key]
        arity = len(w.result.elts) if isinstance(w.result, gast.Tuple) else None
        name = caller_namer.bind(w.jvp_name, self.markers[key][0])
        return ForwardRef(cell, name, {p: w.namer.adjoint(p) for p in w.wrt}, arity)


class ForwardRef:
    def __init__(self, cell, name, tangent_params, arity):
        self.cell, self.name, self.tangent_params, self.arity = cell, name, tangent_params, arity




def _run_forward(w):
    for stage in FORWARD[:3]:
        stage(w)
    w.jvp_name = w.namer.fresh(f"{w.fs.name}_jvp")
    for p in w.wrt:  # tangent parameters are named first, so they read dx for x
        w.namer.adjoint(p)
    for stage in FORWARD[3:]:
        stage(w)


class ref_marker:
    """Stands in the environment for a generated function not compiled yet."""

    def __init__(self, cell):
        self.cell = cell



def _run_helper(w):
    for stage in REVERSE[:3]:
        stage(w)
    w.fwd_name = w.namer.fresh(w.fwd_name)
    w.bwd_name = w.namer.fresh(w.bwd_name)
    for stage in REVERSE[3:]:
        stage(w)


def _cells(w):
    code, closure = w.func.__code__, w.func.__closure__ or ()
    cells = dict(zip(code.co_freevars, closure))  # the user's own cells: later changes are seen
    for name, obj in w.namer.env.items():
        cells[name] = obj.cell if isinstance(obj, ref_marker) else types.CellType(obj)
    return cells


def build(func, wrt, returns="grad"):
    """Transform ``func``: the generated function returning the gradient (``returns="grad"``)
    or the value and the gradient (``"value_and_grad"``), with its source on ``.source``."""
    session = Session()
    top = run(Work(func, wrt, session, returns=returns))
    (fn_def,) = top.functions
    own = to_source(top.functions, top.comments)
    fn = compile_functions(own, {fn_def.name}, _cells(top), top.fs.globals, f"gradient of {_where(top.fs)}")[fn_def.name]
    fn.__defaults__ = func.__defaults__
    fn.__kwdefaults__ = func.__kwdefaults__
    fn.source = "\n\n".join([own] + _compile_helpers(session))
    fn.tapeless_gradient = returns == "grad"  # its gradient is taken by forward mode (forward over reverse)
    fn._repr_markdown_ = lambda: f"```python\n{fn.source}```"  # notebooks show the code
    what = "value and gradient" if returns == "value_and_grad" else "gradient"
    fn.__doc__ = f"The {what} of {func.__qualname__} with respect to {', '.join(wrt)} (generated by tapeless)."
    return fn


def build_split(func, wrt):
    """The two halves of ``func``'s reverse mode, for any output (not only scalars):
    ``fwd(*args) -> (value, tape)`` and ``bwd(tape, *cotangents) -> gradient(s)``, and the
    number of outputs (None for a single value). ``fwd.source`` shows both."""
    session = Session()
    ref = session.helper(func, tuple(wrt), Namer(set()))
    texts = _compile_helpers(session)
    fwd, bwd = ref.fwd_cell.cell_contents, ref.bwd_cell.cell_contents
    fwd.source = bwd.source = "\n\n".join(texts)
    return fwd, bwd, ref.arity


def build_jvp(func, wrt):
    """The generated forward-mode function of ``func``: ``f_jvp(*args, dx=..., ...)`` returns
    ``(value, tangent)``; its ``.source`` shows it and the helpers it calls; its
    ``.tangent_params`` maps each differentiated parameter to its tangent's keyword."""
    session = Session()
    ref = session.forward_helper(func, tuple(wrt), Namer(set()))
    texts = _compile_helpers(session)
    fn = ref.cell.cell_contents
    fn.source = "\n\n".join(texts)
    fn.tangent_params = ref.tangent_params
    fn.arity = ref.arity
    return fn


def _compile_helpers(session):
    """Compile every helper half in the session, fill their cells, return their sources."""
    texts = []
    for key in session.order:
        if key[0] == "jvp":
            texts.append(_compile_forward(session, key))
            continue
        w, (fcell, bcell) = session.helpers[key]
        text = to_source(w.functions, w.comments)
        funcs = compile_functions(text, {w.fwd_name, w.bwd_name}, _cells(w), w.fs.globals,
                                  f"gradient of {_where(w.fs)}")
        funcs[w.fwd_name].__defaults__ = w.func.__defaults__
        funcs[w.fwd_name].__kwdefaults__ = w.func.__kwdefaults__
        fcell.cell_contents = funcs[w.fwd_name]
        bcell.cell_contents = funcs[w.bwd_name]
        texts.append(text)
    return texts


def _compile_forward(session, key):
    w, (cell,) = session.helpers[key]
    text = to_source(w.functions, w.comments)
    fn = compile_functions(text, {w.jvp_name}, _cells(w), w.fs.globals,
                           f"forward mode of {_where(w.fs)}")[w.jvp_name]
    fn.__defaults__ = w.func.__defaults__
    fn.__kwdefaults__ = w.func.__kwdefaults__
    cell.cell_contents = fn
    return text


def _where(fs):
    return f"{fs.func.__qualname__} ({fs.short_filename}:{fs.func.__code__.co_firstlineno})"


# -- watching the stages ---------------------------------------------------------------------

def _show(w):
    """The code as it stands after the last stage run on ``w``."""
    from .transform.reverse import is_marker

    if w.functions:
        return to_source(w.functions, w.comments)
    comments = Comments()

    def render(stmts):
        out = []
        for s in stmts:
            if is_marker(s):
                kind, data = s.marker
                names = target_names(data.targets[0]) if isinstance(data, gast.Assign) else []
                out.append(comments.marker(f"[{kind.replace('_', ' ')}{': ' + ', '.join(names) if names else ''}]"))
                continue
            for field in ("body", "orelse"):
                if getattr(s, field, None):
                    setattr(s, field, render(getattr(s, field)))
            out.append(s)
        return out

    import copy

    if w.fwd is None:
        body = copy.deepcopy(w.body)
        if w.result is not None:
            body = body + [gast.Return(value=w.result)]
        args = w.fs.tree.args
        return to_source([_def(w.fs.name, args, render(body or [gast.Pass()]))], comments)
    fwd, bwd = render(copy.deepcopy(w.fwd)), render(copy.deepcopy(w.bwd))
    marker = comments.marker("---- backward sweep ----")
    return to_source([_def(w.fs.name + "_grad", w.fs.tree.args, fwd + [marker] + bwd)], comments)


def stages(func, wrt=0):
    """Run the reverse pipeline on ``func`` stage by stage.

    Returns a list of ``(stage name, source text)``: the function as each stage leaves it.
    Markers where values may be saved and restored show as ``# [save: x]`` comments until
    the save-planning stage turns them into code (or drops them).
    """
    from .api import _wrt_names

    names, _ = _wrt_names(func, wrt)
    w = Work(func, names, Session())
    out = []
    for stage in REVERSE:
        stage(w)
        if stage in (check_syntax,):
            continue
        out.append((stage.__name__.replace("_", " "), _show(w)))
    return out
