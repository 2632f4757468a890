"""A new parity case needs only a .m file, a Python function and a config entry: shown here with
small cases built in a temporary project, run through the workflow's steps against real Octave."""

import csv
import shutil

import numpy as np
import pytest

from rnncore import workflow
from rnncore.config import parse_config
from rnncore.engine.summary import ParityGateError


@pytest.fixture
def project(tmp_path, root, monkeypatch):
    """A minimal project: the schema, the shims, and folders for a user's .m files and ports."""
    shutil.copytree(root / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    shutil.copytree(root / "matlab_ref" / "compat", tmp_path / "matlab_ref" / "compat")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def make_settings(project, cases):
    config = {"octave": {"timeout_s": 60}, "shims": ["matlab_ref/compat"],
              "tolerance": {"ulp": 16, "atol": 8.881784197001252e-16}, "cases": cases}
    return parse_config(config, project)


def run_case(settings, name, out):
    workflow.inputs_step(settings, name, out / "inputs.json")
    workflow.octave_step(settings, name, out / "inputs.json", out / "octave.json")
    workflow.python_step(settings, name, out / "inputs.json", out / "python.json")
    rows = workflow.parity_step(settings, name, out / "octave.json", out / "python.json", out / "elements",
                                out / "summary.csv")
    return {r["variable"]: r for r in rows}


def test_missing_unsupported_text_and_nan_are_reported_not_crashed(project, octave, tmp_path):
    (project / "matlab_ref" / "odd.m").write_text(
        "a = [1 NaN 3];\nc = {1, 2};\ntxt = 'PIGS';\nflag = [true false];\n")
    (project / "odd_port.py").write_text(
        "import numpy as np\n\n\ndef odd():\n"
        "    return {'a': np.array([[1.0, 2.0, 3.0]]), 'b': np.zeros((1, 1)), 'c': np.ones((1, 2)),\n"
        "            'txt': 'PIGS', 'flag': np.array([[True, False]])}\n")
    settings = make_settings(project, [{"name": "odd", "script": "matlab_ref/odd.m", "python": "odd_port:odd",
                                        "variables": ["a", "b", "c", "txt", "flag"]}])
    out = tmp_path / "out"
    rows = run_case(settings, "odd", out)
    assert {v: r["status"] for v, r in rows.items()} == {
        "a": "fail", "b": "missing", "c": "unsupported", "txt": "pass", "flag": "pass"}
    assert (rows["b"]["shape_left"], rows["b"]["shape_right"]) == ("", "1x1")  # absent on the Octave side
    with open(out / "elements" / "octave-vs-python" / "a.csv", newline="") as fh:
        a = list(csv.DictReader(fh))
    assert [(r["col"], r["left"], r["verdict"], r["note"]) for r in a] == [
        ("1", "1", "pass", ""), ("2", "NaN", "fail", "nan-left"), ("3", "3", "pass", "")]
    log = (out / "octave.json").read_text()
    assert '"unsupported"' in log and "MATLAB cell" in log

    workflow.summary_step(settings, {"odd": out / "summary.csv"}, out / "all.csv")
    with pytest.raises(ParityGateError) as info:
        workflow.gate_step(out / "all.csv", out / "gate.txt")
    message = str(info.value)
    assert "odd b octave-vs-python: missing on the octave side" in message
    assert "odd c octave-vs-python: unsupported" in message
    assert "odd a octave-vs-python: fail" in message and "elements:" in message


def test_function_case_with_draws_names_the_worst_draw(project, octave, tmp_path):
    (project / "matlab_ref" / "scale.m").write_text(
        "function [y, n] = scale(x, k)\n%SCALE  y = k*x, n = number of elements\ny = k*x;\nn = numel(x);\nend\n")
    # Wrong only when k is large: the gate must find that one draw among many.
    (project / "scale_port.py").write_text(
        "import numpy as np\n\n\ndef scale(inputs):\n"
        "    x, k = inputs['x'], inputs['k']\n"
        "    y = k * x if k[0, 0] < 0.99 else k * x * (1 + 1e-12)\n"
        "    return {'y': y, 'n': np.array([[x.size]])}\n")
    settings = make_settings(project, [{
        "name": "scale", "script": "matlab_ref/scale.m", "python": "scale_port:scale", "variables": ["y", "n"],
        "inputs": {"x": {"normal": {"shape": [2, 3], "mean": 0, "std": 1}},
                   "k": {"uniform": {"shape": [1, 1], "low": 0, "high": 1}}},
        "draws": {"n": 300, "seed": 7}}])
    case = settings.case("scale")
    assert (case.kind, case.outputs) == ("function", ("y", "n"))
    draws = workflow.inputs_step(settings, "scale", tmp_path / "probe.json")
    expected_bad = [i + 1 for i, d in enumerate(draws) if d["k"][0, 0] >= 0.99]
    assert expected_bad, "the seed must give at least one large k"

    rows = run_case(settings, "scale", tmp_path / "out")
    y = rows["y"]
    assert (y["status"], y["draws"]) == ("fail", 300)
    assert y["worst_draw"] in expected_bad
    assert y["n_fail"] == 6 * len(expected_bad)  # every element of every bad draw
    assert rows["n"]["status"] == "pass"
    with open(tmp_path / "out" / "elements" / "octave-vs-python" / "y.draws.csv", newline="") as fh:
        per_draw = list(csv.DictReader(fh))
    assert [int(r["draw"]) for r in per_draw if r["status"] == "fail"] == expected_bad


def test_script_inputs_are_injected_into_octave_and_passed_to_python(project, octave, tmp_path):
    (project / "matlab_ref" / "uses_input.m").write_text("y = 2*A + b;\n")
    (project / "uses_input_port.py").write_text(
        "def uses_input(inputs):\n    return {'y': 2 * inputs['A'] + inputs['b']}\n")
    settings = make_settings(project, [{
        "name": "inj", "script": "matlab_ref/uses_input.m", "python": "uses_input_port:uses_input",
        "variables": ["y"], "inputs": {"A": {"value": [[1, 2], [3, 4]]}, "b": {"value": 0.5}}}])
    rows = run_case(settings, "inj", tmp_path / "out")
    assert rows["y"]["status"] == "pass" and rows["y"]["shape_left"] == "2x2"
    assert rows["y"]["max_abs_err"] == "0"  # 2*A + b is exact in binary for these numbers
