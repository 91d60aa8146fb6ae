"""python -m tapeless show FILE.py:FUNCTION"""

import pathlib
import subprocess
import sys

import pytest

import tapeless
from tapeless.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_show_prints_the_generated_source(capsys):
    assert main(["show", str(ROOT / "tests" / "snapshot_cases.py") + ":pendulum", "--wrt", "damping", "theta0"]) == 0
    import snapshot_cases

    assert capsys.readouterr().out == tapeless.grad(snapshot_cases.pendulum, ("damping", "theta0")).source


def test_show_forward_mode(capsys):
    assert main(["show", str(ROOT / "tests" / "snapshot_cases.py") + ":poly", "--mode", "forward"]) == 0
    assert capsys.readouterr().out.startswith("def poly_jvp(x, *, dx):")


def test_show_reports_errors_in_the_users_file_with_a_nonzero_exit(capsys):
    assert main(["show", str(ROOT / "tests" / "error_cases.py") + ":uses_try"]) == 1
    err = capsys.readouterr().err
    assert "UnsupportedSyntax" in err and "error_cases.py:21:5: try/except is not supported" in err


def test_show_takes_a_repeated_wrt_as_one_list(capsys):
    target = str(ROOT / "tests" / "snapshot_cases.py") + ":pendulum"
    assert main(["show", target, "--wrt", "damping", "--wrt", "theta0"]) == 0
    import snapshot_cases

    assert capsys.readouterr().out == tapeless.grad(snapshot_cases.pendulum, ("damping", "theta0")).source


def test_show_defaults_to_the_decorators_wrt_and_mode(capsys):
    # examples/pendulum.py decorates final_angle with wrt=("damping", "theta0")
    target = str(ROOT / "examples" / "pendulum.py") + ":final_angle"
    assert main(["show", target]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("return ddamping, dtheta")
    assert main(["show", target, "--wrt", "damping"]) == 0  # an explicit --wrt wins
    assert capsys.readouterr().out.rstrip().endswith("return ddamping")


def test_show_refuses_a_bad_target():
    with pytest.raises(SystemExit, match="expected FILE.py:FUNCTION"):
        main(["show", "no_colon.py"])
    with pytest.raises(SystemExit, match="has no function 'nope'"):
        main(["show", str(ROOT / "tests" / "snapshot_cases.py") + ":nope"])


def test_module_entry_point_and_help():
    out = subprocess.run([sys.executable, "-m", "tapeless", "show", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--wrt" in out.stdout and "--mode" in out.stdout


def test_notebooks_show_the_code_as_markdown():
    import snapshot_cases

    g = tapeless.grad(snapshot_cases.poly)
    assert g._repr_markdown_() == f"```python\n{g.source}```"
