"""Library routines get their own status: a port that calls svd (LAPACK on both sides, another
driver) and differs from Octave is ``library``, not ``fail``; one that differs without calling one is
still ``fail``. Against a real Octave run, through the workflow's step functions and every report."""

import os
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from rnncore import layout
from rnncore.config import load_settings
from rnncore.engine import summary
from rnncore.engine.verdict_format import read_summary, read_verdict
from rnncore.errors import ParityGateError
from rnncore.io import read_engine
from rnncore.pipeline import steps

# A 4x3 matrix whose third left singular vector Octave's LAPACK driver (gesvd) and numpy's (gesdd)
# give with opposite signs (measured on this machine: U(1,3) is -0.712 in Octave, +0.712 in numpy).
SCRIPT = "A = [4 1 2; 1 3 0; 2 0 5; 1 1 1];\n[U, S, V] = svd(A);\ns = diag(S);\n"
PORTS = '''\
import numpy as np

from rnncore.translate import runtime as mr

A = np.array([[4.0, 1, 2], [1, 3, 0], [2, 0, 5], [1, 1, 1]])


def through_runtime():
    U, S, V = mr.svd(A, nargout=3)
    return {"U": U, "s": np.diag(np.asarray(S)).reshape(-1, 1).copy()}


def by_hand():
    # The same numbers, from numpy directly: no library routine is recorded, so a difference is the port's.
    U, s, Vt = np.linalg.svd(A)
    return {"U": U, "s": s.reshape(-1, 1)}
'''
TOL = {"ulp": 64, "atol": 1e-14}  # rounding of two LAPACK drivers on a 4x3 matrix: a few ULP


@pytest.fixture(scope="module")
def run(tmp_path_factory, octave):
    """Octave once; then three cases over it: through the runtime (reported, accepted) and by hand."""
    root = tmp_path_factory.mktemp("lib")
    (root / "matlab_ref").mkdir()
    (root / "matlab_ref" / "svd_case.m").write_text(SCRIPT)
    (root / "svd_ports.py").write_text(PORTS)
    base = {"script": "matlab_ref/svd_case.m", "variables": ["U", "s"]}
    config = {"octave": {"timeout_s": 60}, "tolerance": TOL, "cases": [
        {"name": "reported", "python": "svd_ports:through_runtime", **base},
        {"name": "accepted", "python": "svd_ports:through_runtime", "library": "accept", **base},
        {"name": "by_hand", "python": "svd_ports:by_hand", **base}]}
    settings = load_settings(config, root, "config.yaml")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        first = settings.cases[0].params()
        steps.inputs_step(first, layout.inputs("reported"))
        steps.octave_step(first, layout.inputs("reported"), layout.octave_engine("reported"))
        rows = {}
        for case in settings.cases:
            params = case.params()
            steps.python_step(params, layout.inputs("reported"), layout.python_engine(case.name), project=root)
            rows[case.name] = {r["variable"]: r for r in steps.compare_step(
                params, layout.octave_engine("reported"), layout.python_engine(case.name),
                layout.case_summary(case.name))}
    finally:
        os.chdir(cwd)
    return root, settings, rows


def test_the_python_side_records_which_routines_the_port_called(run):
    root, _, _ = run
    meta = read_engine(root / layout.python_engine("reported"), "python").meta
    assert list(meta["library"]) == ["svd"] and meta["library"]["svd"]["calls"] == 1
    assert "signs" in meta["library"]["svd"]["detail"]
    assert meta["library_values"] == {"U": "svd"}  # returned as svd gave it; s went through diag: unflagged
    assert read_engine(root / layout.python_engine("by_hand"), "python").meta["library"] == {}


def test_a_sign_flip_from_svd_is_library_not_fail_and_says_by_how_much(run):
    _, _, rows = run
    u = rows["reported"]["U"]
    assert u["status"] == "library", u
    # The flipped column: |0.712 - (-0.712)|; its 4 elements of U's 16 are outside the tolerance.
    assert 1.4 < u["max_abs_err"] < 1.9 and (u["n_fail"], u["n_elements"]) == (4, 16), u
    assert "svd (1 call: signs of the columns of U and V" in u["message"]
    assert "U is svd's own output" in u["message"]
    assert f"max_abs_err {u['max_abs_err']:.17g}" in u["message"]
    assert "library: accept" in u["message"]
    # The singular values agree to rounding: a pass stays a pass, even in a case that called svd.
    assert rows["reported"]["s"]["status"] == "pass" and rows["reported"]["s"]["message"] == ""


def test_the_same_difference_without_a_library_call_is_the_ports_fail(run):
    _, _, rows = run
    assert rows["by_hand"]["U"]["status"] == "fail"
    assert rows["by_hand"]["U"]["max_abs_err"] == rows["reported"]["U"]["max_abs_err"]


def test_the_gate_fails_a_library_row_unless_its_case_accepts_it(run):
    _, _, rows = run
    assert rows["accepted"]["U"]["status"] == "library-accepted"
    assert "the case accepts it (library: accept)" in rows["accepted"]["U"]["message"]
    expected = lambda name: [(name, v, "octave", "python") for v in ("U", "s")]  # noqa: E731
    judged = [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows["accepted"].values()]
    doc = summary.verdict(judged, expected("accepted"), "0" * 64)
    assert doc["passed"] and doc["line"] == ("2 of 2 comparisons pass (1 of them a library routine's difference "
                                             "accepted by its case)")
    assert doc["counts"] == {"pass": 1, "library-accepted": 1}
    judged = [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows["reported"].values()]
    doc = summary.verdict(judged, expected("reported"), "0" * 64)
    assert not doc["passed"]
    with pytest.raises(ParityGateError, match=r"reported U octave-vs-python: library: the port called library"):
        summary.check_gate(doc)


def test_every_report_shows_the_library_statuses(run, tmp_path):
    """summary.md, JUnit and the HTML page, from the three cases' summary and verdict."""
    from rnncore.reports.ci import summary_markdown, write_junit
    from rnncore.reports.html import build_html
    from rnncore.reports.inputs import ReportInputs

    root, settings, _ = run
    cwd = os.getcwd()
    os.chdir(root)
    try:
        cases = [{"name": c.name, "variables": list(c.variables), "expected": c.expected()} for c in settings.cases]
        steps.summary_step(cases, {c.name: layout.case_summary(c.name) for c in settings.cases}, layout.summary())
        steps.verdict_step(layout.summary(), settings.expected(), "0" * 64, layout.verdict())
        assert [r["status"] for r in read_summary(layout.summary())] == [
            "library", "pass", "library-accepted", "pass", "fail", "pass"]
        assert read_verdict(layout.verdict())["line"] == "2 of 6 comparisons fail"
        inputs = ReportInputs.from_layout({}, root=".", training=False, study=False)
        md = summary_markdown(inputs)
        junit = ET.parse(write_junit(layout.summary(), layout.verdict(), tmp_path / "junit.xml")).getroot()
        page = build_html(inputs, tmp_path / "report.html").read_text(encoding="utf-8")
    finally:
        os.chdir(cwd)
    assert "| ⚠️ library-accepted | 1 |" in md and "| ❌ library | 1 |" in md and "| ❌ fail | 1 |" in md
    assert "✗ LIBRARY `reported U octave-vs-python`: the port called library routine(s) svd" in md
    cases = {s.get("name"): s for s in junit.iter("testsuite")}
    (reported,) = [tc for tc in cases["reported"].iter("testcase") if tc.get("name").startswith("U ")]
    assert reported.find("failure").get("type") == "library"
    (accepted,) = [tc for tc in cases["accepted"].iter("testcase") if tc.get("name").startswith("U ")]
    assert accepted.find("failure") is None and "svd" in accepted.find("skipped").get("message")
    assert cases["accepted"].get("skipped") == "1" and cases["accepted"].get("failures") == "0"
    assert '<tr class="bad lib">' in page and '<tr class="lib">' in page and '<tr class="bad">' in page
    assert "⚠ library (accepted)" in page and "✗ LIBRARY" in page
    assert 'class="legend"' in page and "library: accept" in page
    assert "1 of 2 pass, 1 library-accepted" in page  # the accepted case's count: not 2 of 2 pass
