"""The documentation site (mkdocs.yml, docs/): what docs/hooks.py generates while it builds,
the API reference's coverage, the navigation and the links. None of this needs MkDocs: CI
builds the site itself with ``mkdocs build --strict`` (.ci/run)."""

import inspect
import pathlib
import re
import subprocess
import sys
import unicodedata

import pytest

import tapeless
import tapeless.pipeline as pipeline
import tapeless.testing
from tapeless.rules import registry

from test_docs import load_hooks

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))


@pytest.fixture(scope="module")
def hooks():
    return load_hooks()


# -- the hook module -----------------------------------------------------------------------

def test_the_hook_module_imports_without_mkdocs():
    code = ("import sys, importlib.util\n"
            "sys.modules['mkdocs'] = None  # any import of mkdocs now fails\n"
            f"spec = importlib.util.spec_from_file_location('h', {str(DOCS / 'hooks.py')!r})\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_rules_table_has_a_row_for_every_registered_rule(hooks):
    table = registry.registered(builtin_only=True)
    forward_only = {k for k, rule in registry._FORWARD.items()
                    if k not in table["reverse"] and rule.template.__module__.startswith("tapeless.rules.")}
    rows = hooks.rule_rows()
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(table["reverse"]) | set(table["nondifferentiable"]) | forward_only
    for r in rows:
        assert r["reverse"] == (r["key"] in table["reverse"])
        assert r["forward"] == (registry.lookup_forward(r["key"]) is not None)
        assert r["nondifferentiable"] == (r["key"] in table["nondifferentiable"])

    text = hooks.rules_table()
    lines = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(lines) == len(rows)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "two registry keys would share a row name"
    for r in rows:
        assert any(line.startswith(f"| `{r['name']}` |") for line in lines), r["name"]
    # a few rows spelled out
    assert "| `np.sin` | yes | yes |" in lines
    assert "| `a @ b` | yes | yes |" in lines
    assert "| `x.sum()` | yes | yes |" in lines
    assert "| `np.argmax` | derivative 0 | derivative 0 |" in lines
    assert "| `tapeless.unbroadcast` | no | yes |" in lines


def test_the_rules_table_is_on_the_supported_page():
    assert "<!-- generated: rules-table -->" in (DOCS / "supported.md").read_text()


def test_a_user_rule_is_not_in_the_table(hooks):
    def my_function(x):
        return x

    tapeless.nondifferentiable(my_function)
    try:
        assert my_function not in {r["key"] for r in hooks.rule_rows()}
    finally:
        registry._NONDIFF.pop(my_function)


def test_the_stage_listings_are_what_the_pipeline_gives(hooks):
    example = hooks.load_module("docs/stage_example.py")
    expected = pipeline.stages(example.f)
    for name, code in expected:
        assert hooks.stage_listing(*name.split()) == ("python", code.strip() + "\n")
    every = hooks.all_stages()
    assert every.count("??? example") == len(expected)
    previous = None
    for number, (name, code) in enumerate(expected, start=1):
        assert f'"{number}. after {name}"' in every
        if code != previous:
            body = "\n".join(("    " + line) if line else "" for line in code.strip().splitlines())
            assert body in every, name
        previous = code
    with pytest.raises(KeyError, match="no pipeline stage"):
        hooks.stage_listing("no", "such", "stage")


def test_every_marker_names_a_generator(hooks):
    kinds = set(hooks.LISTINGS) | set(hooks.BUILD_ONLY)
    used = set()
    for page in PAGES:
        for kind, _ in hooks.markers(page.read_text()):
            assert kind in kinds, f"docs/{page.name}: unknown marker kind {kind!r}"
            used.add(kind)
    assert {"stage", "gradient", "tour", "rules-table", "all-stages", "finite-differences", "error"} <= used


def test_an_unknown_marker_fails_the_build(hooks):
    with pytest.raises(RuntimeError, match="unknown marker kind"):
        hooks.refresh("<!-- generated: nonsense -->\n", build=True)


def test_checking_committed_listings_does_not_build_the_plot(hooks, monkeypatch):
    def no(*args):
        raise AssertionError("build-only content generated while checking committed listings")

    monkeypatch.setitem(hooks.BUILD_ONLY, "finite-differences", no)
    text = (DOCS / "tutorial.md").read_text()
    assert "<!-- generated: finite-differences -->" in text
    assert hooks.refresh(text) == text


def test_an_unknown_marker_fails_even_when_only_checking(hooks):
    with pytest.raises(RuntimeError, match="unknown marker kind"):
        hooks.refresh("<!-- generated: nonsense -->\n")


def test_build_only_content_is_inserted_after_its_marker(hooks):
    text = "# Rules\n\n<!-- generated: rules-table -->\n\nafter\n"
    assert hooks.refresh(text) == text  # not when checking committed listings
    built = hooks.refresh(text, build=True)
    assert built.startswith("# Rules\n\n<!-- generated: rules-table -->\n\nRead from")
    assert built.endswith("\nafter\n") and "| `np.sin` | yes | yes |" in built


def test_a_listing_marker_without_a_block_gets_one(hooks):
    text = "<!-- generated: stage parse -->\ntext\n"
    assert hooks.refresh(text).startswith("<!-- generated: stage parse -->\n```python\ndef f(x, n):\n")
    assert hooks.refresh(text).endswith("```\ntext\n")


def test_the_finite_differences_plot_is_required(hooks, tmp_path, monkeypatch):
    monkeypatch.setattr(hooks, "ROOT", tmp_path)
    monkeypatch.setattr(hooks, "_fd_cache", {})
    with pytest.raises(FileNotFoundError, match="finite_differences.py"):
        hooks.finite_differences()


_FD_OUTPUT = """\
f(x) = x**2 + 3x + 5, at x = 2.0: exact derivative (by hand) 7.0
  best forward difference: h = 1e-07, error 8.18e-08
  best central difference: h = 1e-01, error 1.07e-14
  tapeless gradient:       7.0, error 0.00e+00  (exactly 0: drawn at machine epsilon in the plot)

g(x) = sin(x) exp(-x), at x = 1.0: exact derivative (by hand) -0.11079376530669924
  best forward difference: h = 1e-08, error 3.30e-09
  best central difference: h = 1e-05, error 1.67e-11
  tapeless gradient:       -0.11079376530669924, error 0.00e+00
"""


def test_what_the_tutorial_says_about_finite_differences_is_checked(hooks):
    hooks.check_finite_difference_claims(_FD_OUTPUT)
    with pytest.raises(RuntimeError, match="exactly 0"):
        hooks.check_finite_difference_claims(_FD_OUTPUT.replace("7.0, error 0.00e+00", "7.0, error 1.00e-16"))
    with pytest.raises(RuntimeError, match="eighth"):
        hooks.check_finite_difference_claims(_FD_OUTPUT.replace("error 8.18e-08", "error 8.18e-14"))
    with pytest.raises(RuntimeError, match="does not describe"):
        hooks.check_finite_difference_claims("something else entirely\n")


def test_scripts_run_in_a_scratch_folder(hooks, tmp_path):
    before = sorted(p.name for p in ROOT.iterdir())
    printed = hooks.run_script("docs/sgd_example.py")
    assert printed.startswith("epoch 0  loss ")
    assert sorted(p.name for p in ROOT.iterdir()) == before


# -- the API reference ---------------------------------------------------------------------

def _directives():
    return re.findall(r"^::: ([\w.]+)", (DOCS / "api.md").read_text(), re.M)


def test_every_public_name_is_in_the_api_reference():
    documented = set(_directives())
    wanted = {f"tapeless.{name}" for name in tapeless.__all__}
    wanted |= {f"tapeless.testing.{name}" for name in tapeless.testing.__all__}
    assert wanted - documented == set()


def _resolve(path):
    module, _, rest = path.partition(".")
    obj = __import__(module)
    for part in rest.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("path", _directives())
def test_everything_in_the_api_reference_has_a_docstring_of_its_own(path):
    """And so do the public methods and properties of its classes (the exceptions' attributes
    are described in docs/api.md instead)."""
    obj = _resolve(path)
    if inspect.isclass(obj):
        assert (vars(obj).get("__doc__") or "").strip(), f"{path} has no docstring"
        if issubclass(obj, BaseException):
            return
        for name, member in vars(obj).items():
            if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                assert (member.__doc__ or "").strip(), f"{path}.{name} has no docstring"
    else:
        assert (obj.__doc__ or "").strip(), f"{path} has no docstring"


def test_docstrings_in_the_reference_use_no_sphinx_roles():
    """mkdocstrings renders Markdown: :func:`x` would show up as it is written."""
    for path in _directives():
        obj = _resolve(path)
        docs = [obj.__doc__ or ""] + [getattr(m, "__doc__", "") or "" for m in vars(obj).values()
                                      if inspect.isclass(obj) and (inspect.isfunction(m) or isinstance(m, property))]
        for doc in docs:
            assert not re.search(r":(func|class|meth|mod|attr):`", doc), f"{path}: {doc!r}"


# -- navigation, pages, links --------------------------------------------------------------

def _config():
    return (ROOT / "mkdocs.yml").read_text()


def _nav():
    nav = _config().split("\nnav:\n", 1)[1]
    return re.findall(r"^  - (.+?): (\S+\.md)$", nav.split("\n\n", 1)[0], re.M)


def test_every_page_is_in_the_navigation_and_every_entry_exists():
    entries = [page for _, page in _nav()]
    assert entries[0] == "index.md"
    assert sorted(entries) == sorted(p.name for p in PAGES)
    titles = [title for title, _ in _nav()]
    for title in ("Home", "Tutorial", "How it works", "Supported Python and NumPy", "Errors",
                  "Performance", "API reference"):
        assert title in titles


def test_the_configuration_uses_the_hook_and_keeps_python_files_out_of_the_site():
    config = _config()
    assert re.search(r"^hooks:\n  - docs/hooks\.py$", config, re.M)
    assert re.search(r"^docs_dir: docs$", config, re.M)
    assert re.search(r"^  name: material$", config, re.M)
    assert "mkdocstrings" in config
    exclude = config.split("exclude_docs: |\n", 1)[1].split("\n\n", 1)[0]
    assert "*.py" in exclude.split()


def _slug(heading):
    """The anchor Python-Markdown's toc extension gives a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _prose(text):
    """A page without its code blocks and code spans, where links are not links."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(page):
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", _prose(page.read_text()), re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_between_pages_resolve(page):
    for target in re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text())):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = DOCS / path if path else page
        assert linked.suffix == ".md" and linked.is_file(), f"docs/{page.name}: broken link {target}"
        if anchor:
            assert anchor in _anchors(linked), f"docs/{page.name}: no heading for {target}"


def test_every_example_is_on_the_home_page():
    index = (DOCS / "index.md").read_text()
    for example in sorted((ROOT / "examples").glob("*.py")):
        assert f"`examples/{example.name}`" in index, f"docs/index.md does not list examples/{example.name}"


def test_ci_builds_the_site_strictly():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r'mkdocs"? build --strict', ci)
    assert "site/" in (ROOT / ".gitignore").read_text().split()
