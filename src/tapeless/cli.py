"""The command line: ``python -m tapeless show path/to/file.py:function``."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import pathlib
import sys

from .errors import TapelessError


def _load(target):
    path, sep, name = target.rpartition(":")
    if not sep or not path or not name:
        raise SystemExit(f"tapeless: expected FILE.py:FUNCTION, got {target!r}")
    file = pathlib.Path(path)
    if not file.is_file():
        raise SystemExit(f"tapeless: no such file: {path}")
    sys.path.insert(0, str(file.resolve().parent))
    spec = importlib.util.spec_from_file_location(file.stem, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[file.stem] = module
    with contextlib.redirect_stdout(sys.stderr):  # what the module prints is not the source
        spec.loader.exec_module(module)
    func = module
    for part in name.split("."):
        func = getattr(func, part, None)
        if func is None:
            raise SystemExit(f"tapeless: {path} has no function {name!r}")
    return func


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tapeless",
        description="Print the derivative code tapeless generates for a function.")
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="print the generated gradient source of FILE.py:FUNCTION",
                          description="Print the generated gradient source of a function in a file.")
    show.add_argument("target", metavar="FILE.py:FUNCTION", help="the file and the function in it")
    show.add_argument("--wrt", nargs="+", action="extend", metavar="NAME",
                      help="the parameters to differentiate with respect to (default: those of the "
                           "function's @tapeless.differentiate, else the first)")
    show.add_argument("--mode", choices=("reverse", "forward"),
                      help="reverse mode or forward mode (default: the function's "
                           "@tapeless.differentiate mode, else reverse)")
    parser.epilog = show.epilog = ("The file is imported to find the function, so its top-level code runs "
                                   "(what it prints goes to stderr).")
    args = parser.parse_args(argv)
    from . import api

    found = _load(args.target)
    func = getattr(found, "__wrapped_function__", found)
    decorated = isinstance(found, api.Differentiable)
    if args.wrt:
        wrt = args.wrt[0] if len(args.wrt) == 1 else tuple(args.wrt)
    else:
        wrt = found.wrt if decorated else 0
    mode = args.mode or (found.mode if decorated else "reverse")
    try:
        print(api.grad(func, wrt, mode=mode).source, end="")
    except TapelessError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0
