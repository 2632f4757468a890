"""A new parity case needs only a .m file, a Python function and a config entry: shown here with
small cases built in a temporary project, run through the workflow's steps against real Octave.
Every way a case can go wrong becomes that case's rows, never a crash of the others."""

import csv
import math

import pytest

from rnncore import layout
from rnncore.pipeline import steps as workflow
from rnncore.config import load_settings
from rnncore.engine.verdict_format import read_summary, read_verdict
from rnncore.errors import ParityGateError


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A course folder of the user's own: .m files and ports only (rnncore brings its shims)."""
    (tmp_path / "matlab_ref").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_settings(project, cases):
    config = {"octave": {"timeout_s": 20}, "tolerance": {"ulp": 16, "atol": 8.881784197001252e-16}, "cases": cases}
    return load_settings(config, project, "config.yaml")


def run_case(settings, name):
    case = settings.case(name).params()
    workflow.inputs_step(case, layout.inputs(name))
    workflow.octave_step(case, layout.inputs(name), layout.octave_engine(name))
    workflow.python_step(case, layout.inputs(name), layout.python_engine(name))
    rows = workflow.compare_step(case, layout.octave_engine(name), layout.python_engine(name),
                                 layout.case_summary(name))
    return {r["variable"]: r for r in rows}


def verdict_of(settings):
    cases = [{"name": c.name, "variables": list(c.variables), "expected": c.expected()} for c in settings.cases]
    workflow.summary_step(cases, {c.name: layout.case_summary(c.name) for c in settings.cases}, layout.summary())
    return workflow.verdict_step(layout.summary(), settings.expected(), "f" * 64, layout.verdict())


def table(name, variable, left="octave", right="python"):
    with open(layout.element_table(name, left, right, variable), newline="") as fh:
        return list(csv.DictReader(fh))


def test_missing_unsupported_classes_text_cells_and_nan_are_reported_not_crashed(project, octave):
    (project / "matlab_ref" / "odd.m").write_text(
        "a = [1 NaN 3];\nst.f = 1;\ntxt = 'PIGS';\nflag = [true false];\nn = 3;\nletters = {'C', 'A', 'T'};\n"
        "cnt = int32(4);\n")
    (project / "odd_port.py").write_text(
        "import numpy as np\n\n\ndef odd():\n"
        "    return {'a': np.array([[1.0, 2.0, 3.0]]), 'b': np.zeros((1, 1)), 'st': {'f': 1.0},\n"
        "            'txt': 'PIGS', 'flag': np.array([[1.0, 0.0]]), 'n': np.array([[3]]),\n"
        "            'letters': ['C', 'A', 'T'], 'cnt': np.array([[4]], dtype=np.int32)}\n")
    settings = make_settings(project, [{"name": "odd", "script": "matlab_ref/odd.m", "python": "odd_port:odd",
                                        "variables": ["a", "b", "st", "txt", "flag", "n", "letters", "cnt"]}])
    rows = run_case(settings, "odd")
    assert {v: r["status"] for v, r in rows.items()} == {
        "a": "fail", "b": "missing", "st": "unsupported", "txt": "pass", "flag": "class-mismatch",
        "n": "class-mismatch", "letters": "pass", "cnt": "pass"}
    assert (rows["b"]["shape_left"], rows["b"]["shape_right"]) == ("", "1x1")  # absent on the Octave side
    # Found on main: float where MATLAB has logical, int64 where it has double, passed with no note.
    assert (rows["flag"]["class_left"], rows["flag"]["class_right"]) == ("logical", "double")
    assert (rows["n"]["class_left"], rows["n"]["class_right"]) == ("double", "int64")
    assert (rows["letters"]["class_left"], rows["letters"]["n_elements"]) == ("cell", 3)
    # The NaN is the headline: max_abs_err NaN at its element, with the two values there.
    assert math.isnan(rows["a"]["max_abs_err"]) and (rows["a"]["worst_row"], rows["a"]["worst_col"]) == (1, 2)
    assert math.isnan(rows["a"]["worst_left"]) and rows["a"]["worst_right"] == 2.0
    assert [(r["col"], r["left"], r["verdict"], r["note"]) for r in table("odd", "a")] == [
        ("1", "1", "pass", ""), ("2", "NaN", "fail", "nan-left"), ("3", "3", "pass", "")]
    assert "name the fields" in rows["st"]["message"]

    doc = verdict_of(settings)
    assert doc["passed"] is False and doc["line"] == "5 of 8 comparisons fail"
    with pytest.raises(ParityGateError) as info:
        workflow.gate_step(layout.verdict(), layout.gate())
    message = str(info.value)
    assert "odd b octave-vs-python: missing: b is missing on the octave side" in message
    assert "odd st octave-vs-python: unsupported" in message
    assert "odd n octave-vs-python: class-mismatch: n is double on the octave side and int64" in message
    assert "odd a octave-vs-python: fail" in message and "elements: results/parity/odd/elements" in message
    with open(layout.summary(), newline="") as fh:  # NaN travels into the CSV as MATLAB's NaN
        assert [r["max_abs_err"] for r in csv.DictReader(fh) if r["variable"] == "a"] == ["NaN"]


def test_a_struct_field_named_in_variables_is_compared(project, octave):
    (project / "matlab_ref" / "net.m").write_text("net.w = [1 2; 3 4];\nnet.b = 0.5;\n")
    (project / "net_port.py").write_text(
        "import numpy as np\n\n\ndef net():\n    return {'net': {'w': np.array([[1.0, 2.0], [3.0, 4.0]]), 'b': 0.5}}\n")
    settings = make_settings(project, [{"name": "net", "script": "matlab_ref/net.m", "python": "net_port:net",
                                        "variables": ["net.w", "net.b"]}])
    rows = run_case(settings, "net")
    assert {v: r["status"] for v, r in rows.items()} == {"net.w": "pass", "net.b": "pass"}
    assert rows["net.w"]["shape_left"] == "2x2"


def test_function_case_with_draws_names_the_worst_draw(project, octave):
    (project / "matlab_ref" / "scale.m").write_text(
        "function [y, n] = scale(x, k)\n%SCALE  y = k*x, n = number of elements\ny = k*x;\nn = numel(x);\nend\n")
    # Wrong only when k is large: the gate must find that one draw among many.
    (project / "scale_port.py").write_text(
        "import numpy as np\n\n\ndef scale(inputs):\n"
        "    x, k = inputs['x'], inputs['k']\n"
        "    y = k * x if k[0, 0] < 0.99 else k * x * (1 + 1e-12)\n"
        "    return {'y': y, 'n': np.array([[float(x.size)]])}\n")
    settings = make_settings(project, [{
        "name": "scale", "script": "matlab_ref/scale.m", "python": "scale_port:scale", "variables": ["y", "n"],
        "inputs": {"x": {"normal": {"shape": [2, 3], "mean": 0, "std": 1}},
                   "k": {"uniform": {"shape": [1, 1], "low": 0, "high": 1}}},
        "draws": {"n": 300, "seed": 7}}])
    probe = workflow.inputs_step(settings.case("scale").params(), project / "probe.npz")
    expected_bad = [i + 1 for i, d in enumerate(probe.draws) if d["k"].data[0, 0] >= 0.99]
    assert expected_bad, "the seed must give at least one large k"

    rows = run_case(settings, "scale")
    y = rows["y"]
    assert (y["status"], y["draws"]) == ("fail", 300)
    assert y["worst_draw"] in expected_bad
    assert y["n_fail"] == 6 * len(expected_bad)  # every element of every bad draw
    assert rows["n"]["status"] == "pass"
    with open(layout.draws_table("scale", "octave", "python", "y"), newline="") as fh:
        per_draw = list(csv.DictReader(fh))
    assert [int(r["draw"]) for r in per_draw if r["status"] == "fail"] == expected_bad


def test_script_inputs_are_injected_into_octave_and_passed_to_python(project, octave):
    (project / "matlab_ref" / "uses_input.m").write_text("y = 2*A + b;\n")
    (project / "uses_input_port.py").write_text(
        "def uses_input(inputs):\n    return {'y': 2 * inputs['A'] + inputs['b']}\n")
    settings = make_settings(project, [{
        "name": "inj", "script": "matlab_ref/uses_input.m", "python": "uses_input_port:uses_input",
        "variables": ["y"], "inputs": {"A": {"value": [[1, 2], [3, 4]]}, "b": {"value": 0.5}}}])
    rows = run_case(settings, "inj")
    assert rows["y"]["status"] == "pass" and rows["y"]["shape_left"] == "2x2"
    assert rows["y"]["max_abs_err"] == 0.0  # 2*A + b is exact in binary for these numbers


# --------------------------------------------------------------------------- a case that fails to run


def test_a_broken_script_or_port_is_that_cases_error_and_the_others_are_reported(project, octave):
    """Found on main: one .m failing at run time blanked every report; JUnit had no entry for it."""
    (project / "matlab_ref" / "good.m").write_text("x = [1 2 3];\n")
    (project / "matlab_ref" / "bad.m").write_text("x = 1;\ny = undefined_thing(2);\n")
    (project / "matlab_ref" / "asks.m").write_text("x = input('a number: ');\n")
    (project / "ports.py").write_text(
        "import numpy as np\n\n\ndef good():\n    return {'x': np.array([[1.0, 2.0, 3.0]])}\n\n\n"
        "def crashes():\n    data = [1, 2]\n    return {'x': np.array([[data[5]]])}\n")
    settings = make_settings(project, [
        {"name": "good", "script": "matlab_ref/good.m", "python": "ports:good", "variables": ["x"]},
        {"name": "bad", "script": "matlab_ref/bad.m", "python": "ports:good", "variables": ["x", "y"]},
        {"name": "asks", "script": "matlab_ref/asks.m", "python": "ports:good", "variables": ["x"]},
        {"name": "port", "script": "matlab_ref/good.m", "python": "ports:crashes", "variables": ["x"]},
    ])
    rows = {name: run_case(settings, name) for name in ("good", "bad", "asks", "port")}
    assert rows["good"]["x"]["status"] == "pass"
    assert [r["status"] for r in rows["bad"].values()] == ["error", "error"]
    assert "matlab_ref/bad.m:2" in rows["bad"]["x"]["message"] and "undefined_thing" in rows["bad"]["x"]["message"]
    assert "matlab_ref/asks.m:1" in rows["asks"]["x"]["message"] and "input" in rows["asks"]["x"]["message"]
    # Found on main: a port raising IndexError showed a raw traceback. Now: its file, line and exception.
    assert rows["port"]["x"]["message"] == "python: ports:crashes: ports.py:10: IndexError: list index out of range"
    doc = verdict_of(settings)
    assert doc["counts"] == {"pass": 1, "error": 4} and doc["line"] == "4 of 5 comparisons fail"
    assert read_verdict(layout.verdict())["failing"][0]["status"] == "error"
    assert [r["status"] for r in read_summary(layout.summary())] == ["pass", "error", "error", "error", "error"]


def test_a_port_that_cannot_be_imported_is_that_cases_error(project, octave):
    (project / "matlab_ref" / "good.m").write_text("x = 1;\n")
    (project / "broken_port.py").write_text("import numpy as np\n\nx = 1 +\n")
    settings = make_settings(project, [
        {"name": "imp", "script": "matlab_ref/good.m", "python": "broken_port:f", "variables": ["x"]}])
    rows = run_case(settings, "imp")
    assert rows["x"]["status"] == "error"
    assert "broken_port.py:3: SyntaxError" in rows["x"]["message"]


def test_a_script_that_does_not_match_its_case_is_an_error_named_by_the_case(project, octave):
    (project / "matlab_ref" / "plain.m").write_text("y = 1;\n")
    (project / "p.py").write_text("def p(inputs):\n    return {'y': 1.0}\n")
    settings = make_settings(project, [{
        "name": "drawn", "script": "matlab_ref/plain.m", "python": "p:p", "variables": ["y"],
        "inputs": {"a": {"uniform": {"shape": [1, 1], "low": 0, "high": 1}}}, "draws": {"n": 2, "seed": 1}}])
    rows = run_case(settings, "drawn")
    assert rows["y"]["status"] == "error" and "draws: plain.m is a script" in rows["y"]["message"]
