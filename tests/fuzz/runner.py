"""Run one fuzz program: write it to a real module, differentiate it in reverse and in forward
mode, compare both with finite differences and with each other, and say what happened (an
:class:`Outcome`).

tapeless reads a function's source, so programs must live in real ``.py`` files: each program
(and its instrumented twin) is written to a fresh file in a temporary directory and imported
with importlib under a name used once.
"""

from __future__ import annotations

import atexit
import importlib.util
import itertools
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass

import numpy as np

import tapeless
from tapeless.testing import GradientMismatch, check_grads, numerical_grad

from .instrument import Recorder
from .render import render

MARGIN = 1e-3          # inputs closer than this to a kink or a branch flip are discarded
RTOL, ATOL = 1e-5, 1e-6
MAX_VALUE = 1e6

REFUSALS = (tapeless.UnsupportedSyntax, tapeless.MissingRule, tapeless.NonDifferentiable)
MODES = ("reverse", "forward")
# TAPELESS_FUZZ_ORDER2=1: also check second derivatives (forward over reverse) against central
# differences of the gradient (check_grads(order=2)); off by default (slower)
ORDER2 = os.environ.get("TAPELESS_FUZZ_ORDER2", "") not in ("", "0")


@dataclass
class Outcome:
    kind: str            # "ok", "reject" (inputs unusable), "refused", "bug"
    reason: str = ""     # a short label, for hypothesis.event and statistics
    report: str = ""     # for a bug or a refusal: the program, the call, what went wrong


_DIR: list = []
_COUNT = itertools.count()


def _tmpdir():
    if not _DIR:
        d = tempfile.mkdtemp(prefix="tapeless-fuzz-")
        atexit.register(shutil.rmtree, d, True)
        _DIR.append(d)
    return _DIR[0]


def load(source, stem="fuzzprog"):
    """Write ``source`` to a new module file and import it."""
    name = f"{stem}_{os.getpid()}_{next(_COUNT)}"
    path = os.path.join(_tmpdir(), name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def unload(mod):
    sys.modules.pop(mod.__name__, None)
    try:
        os.remove(mod.__file__)
    except OSError:
        pass


def fmt(a):
    if isinstance(a, np.ndarray):
        return f"np.array({a.tolist()!r})"
    return repr(a)


def _copy(args):
    return [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]


class Context:
    """The program, its inputs and how to print them, for reports."""

    def __init__(self, prog, args):
        self.prog = prog
        self.args = args
        self.r = render(prog)
        self.source = self.r.source
        self.call = f"tapeless.grad(f, wrt={self.r.wrt!r})({', '.join(fmt(a) for a in args)})"

    def report(self, what, detail="", grad_source=None):
        text = [what, "---- program ----", self.source.rstrip(), "---- call ----", self.call]
        if detail:
            text += ["---- details ----", detail.rstrip()]
        if grad_source and len(grad_source) < 6000:
            text += ["---- generated gradient ----", grad_source.rstrip()]
        return "\n".join(text)


def run(prog, args, *, rtol=RTOL, atol=ATOL) -> Outcome:
    cx = Context(prog, args)
    inst = render(prog, mode="inst")
    mod = load(cx.source)
    imod = load(inst.source, "fuzzinst")
    try:
        return _run(cx, mod, imod, rtol, atol)
    finally:
        unload(mod)
        unload(imod)


def _run(cx, mod, imod, rtol, atol):
    args = cx.args
    rec = Recorder()
    imod._I = rec
    # 1. the instrumented twin: how close to a kink, and is the value sane?
    try:
        with np.errstate(all="raise"):
            vi = imod.f(*_copy(args))
    except (FloatingPointError, OverflowError, ValueError, ZeroDivisionError) as exc:
        return Outcome("reject", f"arithmetic error: {type(exc).__name__}")
    except RecursionError:
        return Outcome("reject", "recursion")
    except Exception as exc:  # the generator wrote an invalid program: our bug, not tapeless's
        return Outcome("bug", "generator", cx.report(f"GENERATOR: the program raised {exc!r}"))
    if not np.all(np.isfinite(vi)) or abs(float(np.sum(vi))) > MAX_VALUE:
        return Outcome("reject", "value out of range")
    if rec.margin < MARGIN:
        return Outcome("reject", "near a kink")
    before = _copy(args)
    with np.errstate(all="ignore"):
        v = mod.f(*args)
    for a, b in zip(args, before):
        if isinstance(a, np.ndarray) and not np.array_equal(a, b):
            return Outcome("bug", "generator", cx.report("GENERATOR: the program modifies its argument"))
    if not (v == vi or np.allclose(v, vi, rtol=1e-13, atol=0)):
        return Outcome("bug", "generator", cx.report(f"GENERATOR: plain {v!r} != instrumented {vi!r}"))
    # 2. differentiate, in both modes
    grads = {}
    for mode in MODES:
        try:
            grads[mode] = tapeless.grad(mod.f, wrt=cx.r.wrt, mode=mode)
        except REFUSALS as exc:
            if mode == "forward":  # reverse mode accepted the program: the modes must agree
                return Outcome("bug", f"forward mode refuses: {type(exc).__name__}: {exc.message[:80]}",
                               cx.report(f"BUG: reverse mode accepts the program, forward mode refuses it: "
                                         f"{type(exc).__name__}", str(exc)))
            return Outcome("refused", f"{type(exc).__name__}: {exc.message}",
                           cx.report(f"REFUSED at transform time: {type(exc).__name__}", str(exc)))
        except Exception as exc:
            kind = type(exc).__name__
            return Outcome("bug", f"{mode} transform crash: {kind}: {str(exc)[:80]}",
                           cx.report(f"BUG: tapeless.grad(mode={mode!r}) raised {kind}", _tb(exc)))
    g = grads["reverse"]
    grad_source = getattr(g, "source", None)
    # 3. run both and compare them with finite differences and with each other (the dot-product
    # test: <J u, 1> from forward mode equals <u, J^T 1> from reverse mode)
    try:
        with np.errstate(all="ignore"):
            result = check_grads(mod.f, _copy(args), wrt=cx.r.wrt, modes=("rev", "fwd"), rtol=rtol, atol=atol)
    except GradientMismatch as exc:
        return _confirm(cx, mod, grads, grad_source, str(exc), rtol, atol)
    except tapeless.TapelessError as exc:
        kind = type(exc).__name__
        return Outcome("refused", f"run time {kind}: {str(exc).splitlines()[0][:100]}",
                       cx.report(f"REFUSED at run time: {kind}", str(exc), grad_source))
    except Exception as exc:
        kind = type(exc).__name__
        return Outcome("bug", f"gradient crash: {kind}: {str(exc)[:80]}",
                       cx.report(f"BUG: the gradient raised {kind}", _tb(exc), grad_source))
    results = result if isinstance(cx.r.wrt, tuple) else (result,)
    for r in results:
        if not np.all(np.isfinite(r)):
            return Outcome("bug", "non-finite gradient",
                           cx.report("BUG: non-finite gradient", repr(result), grad_source))
    # 4. value_and_grad (both modes) agrees with f and grad
    for mode in MODES:
        try:
            with np.errstate(all="ignore"):
                value, result2 = tapeless.value_and_grad(mod.f, wrt=cx.r.wrt, mode=mode)(*_copy(args))
        except Exception as exc:
            return Outcome("bug", f"{mode} value_and_grad crash: {type(exc).__name__}",
                           cx.report(f"BUG: value_and_grad(mode={mode!r}) raised", _tb(exc)))
        if not np.allclose(value, v, rtol=1e-12, atol=1e-12):
            return Outcome("bug", f"{mode} value_and_grad value",
                           cx.report(f"BUG: value_and_grad(mode={mode!r})'s value differs from f",
                                     f"f: {v!r}\nvalue_and_grad: {value!r}"))
        results2 = result2 if isinstance(cx.r.wrt, tuple) else (result2,)
        tol = 1e-12 if mode == "reverse" else 1e-9
        for a, b in zip(results, results2):
            if np.shape(a) != np.shape(b) or not np.allclose(a, b, rtol=tol, atol=tol):
                return Outcome("bug", f"{mode} value_and_grad gradient",
                               cx.report(f"BUG: value_and_grad(mode={mode!r})'s gradient differs from grad",
                                         f"grad: {result!r}\nvalue_and_grad: {result2!r}"))
    # 5. the same floats as NumPy scalars and as 0-d arrays: the same gradients, in the
    # arguments' types, and the arguments untouched
    for kind, convert in _KINDS:
        outcome = _same_for(kind, convert, cx, mod, grads, results, grad_source)
        if outcome is not None:
            return outcome
    # 6. a gradient is a new value each call: not an argument, not the previous call's result
    outcome = _fresh(cx, grads, grad_source)
    if outcome is not None:
        return outcome
    if ORDER2:
        return _second_order(cx, mod, grad_source)
    return Outcome("ok")


_KINDS = (("np.float64", np.float64), ("0-d array", np.array), ("float32", np.float32))


def _fresh(cx, grads, grad_source):
    """Two calls of each gradient: equal values, no array shared with the arguments or between
    the calls, and the first result unchanged by the second call. An Outcome for a bug, or None."""
    args = _copy(cx.args)
    for mode, g in grads.items():
        with np.errstate(all="ignore"):
            first = g(*args)
            kept = [np.copy(r) for r in (first if isinstance(cx.r.wrt, tuple) else (first,))]
            second = g(*args)
        first = first if isinstance(cx.r.wrt, tuple) else (first,)
        second = second if isinstance(cx.r.wrt, tuple) else (second,)
        for a, b, k in zip(first, second, kept):
            shared = [x for x in args if isinstance(x, np.ndarray) and isinstance(a, np.ndarray)
                      and np.shares_memory(a, x)]
            if shared or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.shares_memory(a, b)):
                return Outcome("bug", f"{mode} gradient shares memory",
                               cx.report(f"BUG: the {mode} gradient shares memory with "
                                         f"{'an argument' if shared else 'the next call’s result'}", "", grad_source))
            if not (np.array_equal(a, b, equal_nan=True) and np.array_equal(a, k, equal_nan=True)):
                return Outcome("bug", f"{mode} gradient changes between calls",
                               cx.report(f"BUG: two calls of the {mode} gradient differ",
                                         f"first: {k!r}\nfirst, after the second call: {a!r}\nsecond: {b!r}",
                                         grad_source))
    return None


def _same_for(kind, convert, cx, mod, grads, results, grad_source):
    """Run both gradients with every Python float argument converted to ``kind``; an Outcome
    for a bug, or None."""
    single = convert is np.float32  # float32 everywhere: check types; values differ by rounding
    args = [convert(a) if type(a) is float or single and isinstance(a, np.ndarray) else a for a in cx.args]
    if all(a is b for a, b in zip(args, cx.args)):
        return None
    names = cx.r.wrt_names
    params = [p for p, _ in cx.r.params]
    before = _copy(args)
    try:  # a program may update a 0-d array in place (x = y; x += x): then it is not the same program
        with np.errstate(all="ignore"):
            mod.f(*args)
    except Exception:
        return None
    if any(isinstance(a, np.ndarray) and not np.array_equal(a, b) for a, b in zip(args, before)):
        return None
    for mode, g in grads.items():
        before = _copy(args)
        try:
            with np.errstate(all="ignore"):
                got = g(*args)
        except Exception as exc:
            if isinstance(exc, tapeless.UnsupportedSyntax) and "in-place update" in str(exc):
                return None  # x += ... on the caller's 0-d array: refused by design
            kind_exc = type(exc).__name__
            return Outcome("bug", f"{mode} with {kind} arguments: {kind_exc}",
                           cx.report(f"BUG: the {mode} gradient raised {kind_exc} with {kind} arguments "
                                     "where Python floats worked", _tb(exc), grad_source))
        got = got if isinstance(cx.r.wrt, tuple) else (got,)
        for name, want, have in zip(names, results, got):
            arg = args[params.index(name)]
            if isinstance(arg, np.ndarray):
                same_type = type(have) is np.ndarray and have.shape == arg.shape and have.dtype == arg.dtype
            else:
                same_type = type(have) is type(arg)
            if not same_type or not single and not np.allclose(have, want, rtol=1e-12, atol=1e-12):
                return Outcome("bug", f"{mode} with {kind} arguments: {'type' if not same_type else 'value'}",
                               cx.report(f"BUG: with {kind} arguments the {mode} gradient of {name} differs",
                                         f"Python floats: {want!r}\n{kind}: {have!r} ({type(have).__name__})",
                                         grad_source))
        for a, b in zip(args, before):
            if isinstance(a, np.ndarray) and not np.array_equal(a, b):
                return Outcome("bug", f"{mode} modifies a {kind} argument",
                               cx.report(f"BUG: the {mode} gradient modifies a {kind} argument", "", grad_source))
    return None


def _second_order(cx, mod, grad_source):
    """H v by forward over reverse against central differences of the gradient, as
    ``check_grads(order=2)`` does; a mismatch is confirmed with a second step size."""
    args = cx.args
    try:
        with np.errstate(all="ignore"):
            for name in cx.r.wrt_names:
                check_grads(mod.f, _copy(args), wrt=name, modes=("rev",), order=2, rtol=1e-4, atol=1e-5)
    except GradientMismatch as exc:
        if "second" not in str(exc):
            return Outcome("reject", "check_grads tolerance")
        from tapeless.testing import _check_second_order
        for h in (1e-4, 1e-6):  # another step size agrees: finite differences were the problem
            try:
                with np.errstate(all="ignore"):
                    for name in cx.r.wrt_names:
                        _check_second_order(mod.f, _copy(args), name, {}, 3, 0, h=h)
                return Outcome("reject", "second order tolerance")
            except GradientMismatch:
                pass
        return Outcome("bug", "wrong second derivative",
                       cx.report("BUG: wrong second derivative (order=2)", str(exc), grad_source))
    except REFUSALS as exc:
        return Outcome("bug", f"second order refused: {type(exc).__name__}: {exc.message[:80]}",
                       cx.report(f"BUG: the gradient is accepted, its derivative refused: {type(exc).__name__}",
                                 str(exc), grad_source))
    except Exception as exc:
        kind = type(exc).__name__
        return Outcome("bug", f"second order crash: {kind}: {str(exc)[:80]}",
                       cx.report(f"BUG: second order raised {kind}", _tb(exc), grad_source))
    return Outcome("ok")


def _tb(exc):
    import traceback
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])


def _confirm(cx, mod, grads, grad_source, message, rtol, atol):
    """check_grads disagreed: compare full finite-difference gradients at two step sizes, and
    call it a bug only if they agree with each other and not with tapeless (in either mode), or
    if the two modes disagree with each other."""
    args = cx.args
    names = cx.r.wrt_names
    params = [p for p, _ in cx.r.params]
    got = {}
    for mode, g in grads.items():
        with np.errstate(all="ignore"):
            r = g(*_copy(args))
        got[mode] = r if isinstance(cx.r.wrt, tuple) else (r,)
    lines = []
    bug = unstable = False
    for j, name in enumerate(names):
        k = params.index(name)
        with np.errstate(all="ignore"):
            fd1 = numerical_grad(mod.f, _copy(args), k, h=1e-4)
            fd2 = numerical_grad(mod.f, _copy(args), k, h=1e-6)
        scale = max(1.0, float(np.max(np.abs(fd1))))
        fd_agree = np.allclose(fd1, fd2, rtol=1e-4, atol=1e-5 * scale)
        unstable |= not fd_agree
        rev, fwd = got["reverse"][j], got["forward"][j]
        modes_agree = np.shape(rev) == np.shape(fwd) and np.allclose(rev, fwd, rtol=1e-9, atol=1e-9 * scale)
        for mode in grads:
            gk = got[mode][j]
            off = not np.allclose(gk, fd2, rtol=1e-4, atol=1e-5 * scale)
            lines.append(f"d/d{name}: {mode:7} {np.round(np.asarray(gk, dtype=float), 8).tolist()!r}")
            bug |= off and fd_agree
        lines.append(f"      finite differences {np.round(np.asarray(fd2, dtype=float), 8).tolist()!r}")
        bug |= not modes_agree
    if not bug:
        return Outcome("reject", "finite differences unstable" if unstable else "check_grads tolerance")
    return Outcome("bug", "wrong gradient",
                   cx.report("BUG: wrong gradient", message + "\n" + "\n".join(lines), grad_source))
