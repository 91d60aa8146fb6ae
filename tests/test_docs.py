"""The documents show what the code does: listings in the docs are checked against it."""

import os
import pathlib
import re
import runpy
import sys

import tapeless.pipeline as pipeline
from tapeless.rules import registry

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _check_blocks(path, pattern, expected, label):
    """Each listing in ``path`` (found by ``pattern``) equals ``expected[name]``; with
    TAPELESS_UPDATE_SNAPSHOTS set, rewrite the listings instead (then review the diff)."""
    doc = path.read_text()
    if os.environ.get("TAPELESS_UPDATE_SNAPSHOTS"):
        def fresh(match):
            name = match.group(1)
            return match.group(0).replace(match.group(2), expected[name].strip() + "\n")
        path.write_text(re.sub(pattern, fresh, doc, flags=re.S))
        doc = path.read_text()
    blocks = re.findall(pattern, doc, re.S)
    assert blocks
    for name, text in blocks:
        assert text.strip() == expected[name].strip(), f"{path.name}: the {name} {label} is out of date"
    return {name for name, _ in blocks}


def test_architecture_listings_match_the_pipeline():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import stage_example
    finally:
        sys.path.pop(0)
    stages = dict(pipeline.stages(stage_example.f))
    stages["assemble"] = stages["assemble"].split("\n\ndef f_value_and_grad")[0]
    names = _check_blocks(ROOT / "docs" / "architecture.md", r"<!-- stage: ([a-z ]+) -->\n```python\n(.*?)```",
                          stages, "listing")
    assert len(names) >= 5


def test_readme_tour_shows_the_real_generated_source(capsys):
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    printed = capsys.readouterr().out
    source = printed.split("The generated gradient source:\n", 1)[1]
    _check_blocks(ROOT / "README.md", r"(prints)\n\n```python\n(.*?)```", {"prints": source}, "tour")
    assert "7.000000" in printed and "7.000010" in printed


_SYMBOLS = {"Add": "+", "Sub": "-", "Mult": "*", "Div": "/", "Pow": "**", "MatMult": "@", "Mod": "%",
            "FloorDiv": "//", "USub": "-x", "UAdd": "+x", "Not": "not", "Invert": "~", "BitAnd": "&",
            "BitOr": "|", "BitXor": "^", "LShift": "<<", "RShift": ">>", "Compare": "<", "BoolOp": "and"}


def doc_name(key):
    if isinstance(key, tuple):
        if key[0] == "method":
            return f".{key[1]}()"
        if key[0] == "attr":
            return f".{key[1]}"
        if key[0] == "op":
            return _SYMBOLS[key[1]]
        return "x[...]"
    return registry.display_name(key)


def test_supported_functions_are_all_documented():
    doc = (ROOT / "docs" / "supported.md").read_text()
    table = registry.registered(builtin_only=True)
    missing = sorted({doc_name(key) for kind in ("reverse", "nondifferentiable") for key in table[kind]
                      if f"`{doc_name(key)}`" not in doc})
    assert not missing, f"docs/supported.md does not mention: {missing}"


def test_modes_listings_match_the_generated_code():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import modes_example
    finally:
        sys.path.pop(0)
    import tapeless

    generated = {
        "reverse": tapeless.grad(modes_example.energy).source,
        "forward": tapeless.grad(modes_example.energy, mode="forward").source,
        "hvp": tapeless.hvp(modes_example.energy).source,
    }
    names = _check_blocks(ROOT / "docs" / "modes.md", r"<!-- source: ([a-z]+) -->\n```python\n(.*?)```",
                          generated, "listing")
    assert names == set(generated)
