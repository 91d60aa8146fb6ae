"""The documents show what the code does: listings in the docs are checked against it."""

import pathlib
import re
import runpy
import sys

import tapeless.pipeline as pipeline
from tapeless.rules import registry

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_architecture_listings_match_the_pipeline():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import stage_example
    finally:
        sys.path.pop(0)
    stages = dict(pipeline.stages(stage_example.f))
    doc = (ROOT / "docs" / "architecture.md").read_text()
    blocks = re.findall(r"<!-- stage: ([a-z ]+) -->\n```python\n(.*?)```", doc, re.S)
    assert len(blocks) >= 5
    for name, text in blocks:
        expected = stages[name]
        if name == "assemble":
            expected = expected.split("\n\ndef f_value_and_grad")[0]
        assert text.strip() == expected.strip(), f"docs/architecture.md: the '{name}' listing is out of date"


def test_readme_tour_shows_the_real_generated_source(capsys):
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    printed = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"prints\n\n```python\n(.*?)```", readme, re.S).group(1)
    assert shown.strip() in printed
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
    doc = (ROOT / "docs" / "modes.md").read_text()
    blocks = dict(re.findall(r"<!-- source: ([a-z]+) -->\n```python\n(.*?)```", doc, re.S))
    assert set(blocks) == set(generated)
    for name, text in blocks.items():
        assert text.strip() == generated[name].strip(), f"docs/modes.md: the {name} listing is out of date"
