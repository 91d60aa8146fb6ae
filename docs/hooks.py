"""Build-time generation for the documentation site: an MkDocs hook module (see mkdocs.yml).

Pages never hold pasted output. Wherever a page shows code tapeless generates, output an
example prints, or a table taken from the code, the markdown has a marker comment::

    <!-- generated: KIND ARG ... -->

and this module fills it in by running the library when the site is built. There are two sorts
of marker:

* **Listings** (``LISTINGS``): the marker is followed by a fenced code block, kept in the
  committed file so the page reads well on GitHub too. At build time the block's body is
  replaced by freshly generated text, so the site shows what the code does today whatever is
  committed; ``tests/test_docs.py`` fails when a committed copy is out of date
  (``TAPELESS_UPDATE_SNAPSHOTS=1`` rewrites them).
* **Build-only content** (``BUILD_ONLY``): a table of every registered rule, every pipeline stage,
  the finite-differences plot. Nothing follows the marker in the committed file; the build
  inserts the content after it.

This module imports without MkDocs installed (MkDocs objects are imported inside the hook
functions), so the tests can check what it generates.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import os
import pathlib
import re
import runpy
import subprocess
import sys
import tempfile
import textwrap

DOCS = pathlib.Path(__file__).resolve().parent
ROOT = DOCS.parent

# <!-- generated: KIND ARG ... --> on a line of its own, then (for a listing) the fenced block
# that holds the committed copy.
MARKER = re.compile(r"^<!-- generated: (?P<spec>[^>]*?) -->\n", re.M)
FENCE = re.compile(r"```(?P<lang>[a-z]*)\n(?P<body>.*?)^```(?:\n|\Z)", re.M | re.S)


# -- loading the files the pages show --------------------------------------------------------

def _path(relative):
    """A file named relative to the repository root, which must exist."""
    path = (ROOT / relative).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"the docs show {relative}, but there is no such file ({path})")
    return path


def load_module(relative):
    """Import a Python file of the repository (``docs/stage_example.py``) as a module named after
    the file, reusing it if that file is already imported under that name."""
    path = _path(relative)
    name = path.stem
    known = sys.modules.get(name)
    if known is not None and pathlib.Path(getattr(known, "__file__", "") or "").resolve() == path:
        return known
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _target(spec):
    """``docs/file.py:name`` -> the object; ``docs/file.py`` -> the module."""
    relative, _, name = spec.partition(":")
    obj = load_module(relative)
    for part in filter(None, name.split(".")):
        obj = getattr(obj, part)
    return obj


def _relative_paths(text):
    """Absolute paths of the repository written as paths from its root, so that a listing reads
    the same on every machine."""
    return text.replace(str(ROOT) + os.sep, "").replace(str(ROOT).replace("\\", "/") + "/", "")


def run_script(relative, argv=()):
    """What a Python file of the repository prints when run as a script, run in this process with
    a scratch folder as the working directory (files it writes land there)."""
    path = _path(relative)
    out = io.StringIO()
    old_argv, old_cwd = sys.argv, os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        sys.argv = [str(path), *argv]
        os.chdir(scratch)
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(str(path), run_name="__main__")
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
    return out.getvalue()


# -- listings: generated code and output, also committed under their markers -----------------

def _stages():
    import tapeless.pipeline as pipeline

    example = load_module("docs/stage_example.py")
    return [(name, code.strip() + "\n") for name, code in pipeline.stages(example.f)]


def stage_listing(*words):
    """``stage NAME``: the function of ``docs/stage_example.py`` as pipeline stage NAME leaves it
    (``tapeless.pipeline.stages``)."""
    name = " ".join(words)
    stages = dict(_stages())
    if name not in stages:
        raise KeyError(f"no pipeline stage named {name!r}; the stages are: {', '.join(stages)}")
    return "python", stages[name]


def source_listing(spec):
    """``source FILE[:NAME,NAME...]``: the source of a file of the repository, or of functions
    in it (separated by blank lines)."""
    relative, _, names = spec.partition(":")
    if not names:
        return "python", _path(relative).read_text()
    parts = []
    for name in names.split(","):
        obj = _target(f"{relative}:{name}")
        obj = getattr(obj, "__wrapped_function__", obj)  # a @tapeless.differentiate function
        parts.append(textwrap.dedent(inspect.getsource(obj)).rstrip("\n") + "\n")
    return "python", "\n\n".join(parts)


def _options(words):
    options = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {word!r}")
        options[key] = value
    return options


def gradient_listing(spec, *words):
    """``gradient FILE:NAME [wrt=a,b] [mode=forward]``: the source tapeless generates for the
    gradient of a function (the decorator's ``wrt`` and ``mode`` for a decorated function)."""
    import tapeless

    obj = _target(spec)
    options = _options(words)
    unknown = set(options) - {"wrt", "mode"}
    if unknown:
        raise ValueError(f"unknown options {sorted(unknown)} for gradient {spec}")
    if isinstance(obj, tapeless.Differentiable) and not options:
        return "python", obj.grad.source
    wrt = options.get("wrt", "0")
    wrt = tuple(int(w) if w.isdigit() else w for w in wrt.split(",")) if "," in wrt else (
        int(wrt) if wrt.isdigit() else wrt)
    return "python", tapeless.grad(obj, wrt, mode=options.get("mode", "reverse")).source


def hvp_listing(spec):
    """``hvp FILE:NAME``: the forward-over-reverse code of ``tapeless.hvp`` for the function."""
    import tapeless

    return "python", tapeless.hvp(_target(spec)).source


def output_listing(relative):
    """``output FILE``: what a script prints (run as ``python FILE`` in a scratch folder)."""
    return "text", _relative_paths(run_script(relative))


TOUR_HEADER = "The generated gradient source:\n"


def tour_listing():
    """``tour``: the gradient source ``examples/quickstart.py`` prints (the README's tour)."""
    printed = run_script("examples/quickstart.py")
    if TOUR_HEADER not in printed:
        raise RuntimeError(f"examples/quickstart.py no longer prints {TOUR_HEADER.strip()!r}")
    return "python", printed.split(TOUR_HEADER, 1)[1]


def error_listing(spec):
    """``error FILE:NAME``: the exception the function ``NAME`` raises, as Python reports it
    (``TypeName: message``), with paths from the repository root."""
    try:
        _target(spec)()
    except Exception as exc:  # noqa: BLE001 -- the point is to show whatever it raises
        return "text", _relative_paths(f"{type(exc).__name__}: {exc}") + "\n"
    raise RuntimeError(f"{spec} was expected to raise an error, and did not")


_TRACEBACK_RUNNER = """
import importlib.util, sys, traceback
path, name = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location(name.split(":")[0], path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
try:
    getattr(module, name.split(":")[1])()
except Exception:
    print(traceback.format_exc(), end="")
else:
    sys.exit("no error")
"""


def traceback_listing(spec):
    """``traceback FILE:NAME``: the end of the traceback of the error the function ``NAME``
    raises inside generated code, as ``traceback.format_exc`` shows it in a fresh interpreter,
    from the first generated frame on (without the ``^^^`` lines, which depend on the Python
    version)."""
    import tapeless

    relative, _, name = spec.partition(":")
    path = _path(relative)
    env = dict(os.environ)
    package_parent = str(pathlib.Path(tapeless.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", _TRACEBACK_RUNNER, str(path), f"{path.stem}:{name}"],
                          capture_output=True, text=True, cwd=str(path.parent), env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{spec} was expected to raise an error:\n{done.stdout}{done.stderr}")
    lines = done.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith('  File "<tapeless:')), None)
    if start is None:
        raise RuntimeError(f"the traceback of {spec} has no frame in generated code:\n{done.stdout}")
    kept = [line for line in lines[start:] if line.strip().strip("^~") != ""]
    return "text", _relative_paths("\n".join(["Traceback (most recent call last):", "  ...", *kept])) + "\n"


LISTINGS = {
    "stage": stage_listing,
    "source": source_listing,
    "gradient": gradient_listing,
    "hvp": hvp_listing,
    "output": output_listing,
    "tour": tour_listing,
    "error": error_listing,
    "traceback": traceback_listing,
}


# -- build-only content ----------------------------------------------------------------------

_OPERATORS = {
    "Add": "a + b", "Sub": "a - b", "Mult": "a * b", "Div": "a / b", "Pow": "a ** b", "MatMult": "a @ b",
    "Mod": "a % b", "FloorDiv": "a // b", "USub": "-a", "UAdd": "+a", "Not": "not a", "Invert": "~a",
    "BitAnd": "a & b", "BitOr": "a | b", "BitXor": "a ^ b", "LShift": "a << b", "RShift": "a >> b",
    "Compare": "a < b, a == b, ... (comparisons)", "BoolOp": "a and b, a or b",
}

# (family, title): a rule's family is the module its template is in (tapeless/rules/<family>.py)
FAMILIES = [
    ("operators", "Operators"),
    ("elementwise", "Elementwise functions"),
    ("scalar", "Scalar functions (math and builtins)"),
    ("reductions", "Reductions"),
    ("linalg", "Linear algebra"),
    ("shape", "Shape and indexing"),
    ("nondifferentiable", "Not differentiated (derivative zero)"),
    ("generated", "Helpers that generated code calls (forward rules, for second derivatives)"),
]


def rule_name(key):
    """How the table names a registry key: ``np.sin``, ``a + b``, ``x.sum()``, ``x.T``, ``x[...]``."""
    from tapeless.rules import registry

    if isinstance(key, tuple):
        kind = key[0]
        if kind == "op":
            return _OPERATORS.get(key[1], registry.display_name(key))
        if kind == "method":
            return f"x.{key[1]}()"
        if kind == "attr":
            return f"x.{key[1]}"
        if kind == "subscript":
            return "x[...]"
    return registry.display_name(key)


def _family(rule):
    module = rule.template.__module__
    prefix = "tapeless.rules."
    return module[len(prefix):] if module.startswith(prefix) else module


def rule_rows():
    """One row per built-in registry entry: ``key``, ``name``, ``family``, ``reverse``,
    ``forward`` (has a rule in that mode) and ``nondifferentiable``.

    Reverse rules and nondifferentiable declarations come from ``registry.registered(
    builtin_only=True)``; the forward-only rules are tapeless's own, those whose template is in
    ``tapeless/rules/`` (the helpers generated code calls, differentiated for second order)."""
    from tapeless.rules import registry

    table = registry.registered(builtin_only=True)
    rows = []
    for key, rule in table["reverse"].items():
        rows.append({"key": key, "name": rule_name(key), "family": _family(rule), "reverse": True,
                     "forward": registry.lookup_forward(key) is not None, "nondifferentiable": False})
    for key in table["nondifferentiable"]:
        rows.append({"key": key, "name": rule_name(key), "family": "nondifferentiable", "reverse": False,
                     "forward": False, "nondifferentiable": True})
    seen = set(table["reverse"]) | set(table["nondifferentiable"])
    for key, rule in registry._FORWARD.items():  # no public listing of forward rules exists
        if key not in seen and rule.template.__module__.startswith("tapeless.rules."):
            rows.append({"key": key, "name": rule_name(key), "family": _family(rule), "reverse": False,
                         "forward": True, "nondifferentiable": False})
    return rows


def rules_table():
    """``rules-table``: every built-in rule, from the registry, one table per family."""
    rows = rule_rows()
    titles = dict(FAMILIES)
    families = [f for f, _ in FAMILIES] + sorted({r["family"] for r in rows} - set(titles))
    n_reverse = sum(r["reverse"] for r in rows)
    n_both = sum(r["reverse"] and r["forward"] for r in rows)
    n_forward_only = sum(r["forward"] and not r["reverse"] for r in rows)
    n_zero = sum(r["nondifferentiable"] for r in rows)
    out = [f"Read from `tapeless.rules.registry` when this page was built: {n_reverse} functions, methods "
           f"and operators with a reverse-mode rule ("
           f"{'each' if n_both == n_reverse else f'{n_both} of them'} with a forward-mode rule too), "
           f"{n_forward_only} with a forward-mode rule only, and {n_zero} declared not differentiated.", ""]
    for family in families:
        members = [r for r in rows if r["family"] == family]
        if not members:
            continue
        where = f"`rules/{family}.py`" if (ROOT / "src" / "tapeless" / "rules" / f"{family}.py").exists() else ""
        out += [f"### {titles.get(family, family)}", ""]
        if where:
            out += [f"Registered in {where}.", ""]
        out += ["| function | reverse mode | forward mode |", "|---|---|---|"]
        for r in members:
            if r["nondifferentiable"]:
                reverse = forward = "derivative 0"
            else:
                reverse, forward = ("yes" if r["reverse"] else "no"), ("yes" if r["forward"] else "no")
            out.append(f"| `{r['name']}` | {reverse} | {forward} |")
        out.append("")
    return "\n".join(out)


def all_stages():
    """``all-stages``: the function of ``docs/stage_example.py`` after every stage, in order."""
    out, previous = [], None
    for number, (name, code) in enumerate(_stages(), start=1):
        out.append(f'??? example "{number}. after {name}"')
        out.append("")
        if code == previous:
            out.append("    No change for this function.")
        else:
            out.append(textwrap.indent(f"```python\n{code}```", "    "))
        out.append("")
        previous = code
    return "\n".join(out)


FD_SCRIPT = "examples/finite_differences.py"
FD_IMAGE = "generated/finite_differences.png"  # where the plot is in the built site
_fd_cache = {}


def finite_differences():
    """Run ``examples/finite_differences.py`` (as ``python FILE PLOT.png`` in a scratch folder):
    ``(what it printed, the PNG's bytes)``, once per build. Raises if the script is missing or
    fails, or no longer shows what docs/tutorial.md says about it."""
    if "result" in _fd_cache:
        return _fd_cache["result"]
    script = ROOT / FD_SCRIPT
    if not script.is_file():
        raise FileNotFoundError(f"docs/tutorial.md shows the plot of {FD_SCRIPT}, which does not exist")
    with tempfile.TemporaryDirectory() as scratch:
        plot = pathlib.Path(scratch) / "finite_differences.png"
        done = subprocess.run([sys.executable, str(script), str(plot)], cwd=scratch, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{FD_SCRIPT} failed (exit status {done.returncode}):\n{done.stderr}")
        if not plot.is_file():
            raise RuntimeError(f"{FD_SCRIPT} did not write its plot to {plot}")
        image = plot.read_bytes()
    printed = "".join(line for line in done.stdout.splitlines(keepends=True) if not line.startswith("wrote "))
    check_finite_difference_claims(printed)
    _fd_cache["result"] = (printed, image)
    return _fd_cache["result"]


def check_finite_difference_claims(printed):
    """What docs/tutorial.md says about the output of examples/finite_differences.py: tapeless's
    gradient has error exactly 0 in every case, and the best forward difference is still wrong
    around the eighth digit (relative error between 1e-10 and 1e-6). Raises if not."""
    exact = [float(v) for v in re.findall(r"exact derivative \(by hand\) (\S+)", printed)]
    tapeless_errors = [float(v) for v in re.findall(r"tapeless gradient: .*, error (\S+)", printed)]
    best_forward = [float(v) for v in re.findall(r"best forward difference: h = \S+, error (\S+)", printed)]
    if not exact or not (len(exact) == len(tapeless_errors) == len(best_forward)):
        raise RuntimeError(f"{FD_SCRIPT} prints something docs/tutorial.md does not describe:\n{printed}")
    if any(e != 0.0 for e in tapeless_errors):
        raise RuntimeError(f"docs/tutorial.md says tapeless's error is exactly 0, but {FD_SCRIPT} printed:\n{printed}")
    for value, error in zip(exact, best_forward):
        if not 1e-10 <= error / abs(value) <= 1e-6:
            raise RuntimeError(f"docs/tutorial.md says the best forward difference is wrong around the eighth "
                               f"digit, but {FD_SCRIPT} printed:\n{printed}")


def finite_differences_content():
    """``finite-differences``: the plot and the table ``examples/finite_differences.py`` makes."""
    printed, _ = finite_differences()
    return "\n".join([
        f"![Error of the forward and central differences against the step h, for the two functions, "
        f"next to the error of tapeless's gradient]({FD_IMAGE})",
        "",
        f"What `python {FD_SCRIPT}` printed when this page was built:",
        "",
        f"```text\n{printed.rstrip()}\n```",
        "",
    ])


BUILD_ONLY = {
    "rules-table": rules_table,
    "all-stages": all_stages,
    "finite-differences": finite_differences_content,
}


# -- filling in the markers ------------------------------------------------------------------

def markers(text):
    """The ``(kind, args)`` of every marker in a page, in order."""
    found = []
    for m in MARKER.finditer(text):
        kind, *args = m.group("spec").split() or [""]
        found.append((kind, tuple(args)))
    return found


def generate(kind, args):
    """The content of one marker: ``(language, code)`` for a listing, markdown for the rest."""
    if kind in LISTINGS:
        return LISTINGS[kind](*args)
    if kind in BUILD_ONLY:
        return BUILD_ONLY[kind](*args)
    raise KeyError(f"unknown marker kind {kind!r}; known: {', '.join([*LISTINGS, *BUILD_ONLY])}")


def refresh(text, build=False, where="page"):
    """``text`` with every listing replaced by freshly generated code; with ``build``, the
    build-only content inserted after its markers too. A listing marker not followed by a code
    block gets one."""
    out, pos = [], 0
    for m in MARKER.finditer(text):
        spec = m.group("spec").split()
        if not spec:
            raise ValueError(f"{where}: an empty generated marker")
        kind, args = spec[0], spec[1:]
        out.append(text[pos:m.end()])
        pos = m.end()
        if kind in BUILD_ONLY and not build:
            continue
        try:
            content = generate(kind, args)
        except Exception as exc:
            raise RuntimeError(f"{where}: cannot generate <!-- generated: {' '.join(spec)} -->: "
                               f"{type(exc).__name__}: {exc}") from exc
        if kind in LISTINGS:
            lang, body = content
            body = body.rstrip("\n") + "\n"
            fence = FENCE.match(text, pos)
            if fence:
                pos = fence.end()
            out.append(f"```{lang}\n{body}```\n")
        elif build:
            out.append("\n" + content.rstrip("\n") + "\n")
    out.append(text[pos:])
    return "".join(out)


# -- the MkDocs hooks ------------------------------------------------------------------------

def on_pre_build(config):
    _fd_cache.clear()  # each build (mkdocs serve rebuilds) runs the example again


def on_files(files, config):
    """Add the plot of examples/finite_differences.py to the site, made by running it now."""
    from mkdocs.structure.files import File

    _, image = finite_differences()
    if hasattr(File, "generated"):  # MkDocs >= 1.6
        files.append(File.generated(config, FD_IMAGE, content=image))
        return files
    scratch = tempfile.mkdtemp(prefix="tapeless-docs-")
    _fd_cache["scratch"] = scratch
    target = pathlib.Path(scratch) / FD_IMAGE
    target.parent.mkdir(parents=True)
    target.write_bytes(image)
    files.append(File(FD_IMAGE, scratch, config["site_dir"], config["use_directory_urls"]))
    return files


def on_page_markdown(markdown, page, config, files):
    return refresh(markdown, build=True, where=f"docs/{page.file.src_uri}")


def on_post_build(config):
    scratch = _fd_cache.pop("scratch", None)
    if scratch:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
