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
    return getattr(func, "__wrapped_function__", func)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tapeless",
        description="Print the derivative code tapeless generates for a function.")
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="print the generated gradient source of FILE.py:FUNCTION",
                          description="Print the generated gradient source of a function in a file.")
    show.add_argument("target", metavar="FILE.py:FUNCTION", help="the file and the function in it")
    show.add_argument("--wrt", nargs="+", metavar="NAME",
                      help="the parameters to differentiate with respect to (default: the first)")
    show.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                      help="reverse mode (the default) or forward mode")
    args = parser.parse_args(argv)
    from . import api

    func = _load(args.target)
    wrt = 0 if not args.wrt else (args.wrt[0] if len(args.wrt) == 1 else tuple(args.wrt))
    try:
        print(api.grad(func, wrt, mode=args.mode).source, end="")
    except TapelessError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0
