"""rnn2.m parity end to end, through the workflow's step functions, against a real Octave run."""

import dataclasses
import filecmp
import os
import shutil

import pytest
import yaml

from rnncore import layout
from rnncore.pipeline import steps as workflow
from rnncore.config import load_settings
from rnncore.engine.verdict_format import read_summary
from rnncore.errors import ParityGateError
from rnncore.io import read_engine


@pytest.fixture(scope="module")
def settings(root):
    full = load_settings(yaml.safe_load((root / "config" / "config.yaml").read_text()), root, "config.yaml")
    return dataclasses.replace(full, cases=(full.case("rnn2"),))  # the course example alone


@pytest.fixture(scope="module")
def engines(settings, tmp_path_factory, octave, root):
    """The Octave side of rnn2, run once for the module, in a folder laid out as a run's results (`octave`:
    fails under CI, skips elsewhere, when Octave is missing; and puts its tests in the octave tier)."""
    out = tmp_path_factory.mktemp("engines")
    case = settings.case("rnn2").params()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        workflow.inputs_step(case, out / "inputs.npz")
        lines = []
        workflow.octave_step(case, out / "inputs.npz", out / "octave.npz", log=lines.append)
    finally:
        os.chdir(cwd)
    assert any(line.startswith("ht =") for line in lines), "Octave's display output must reach the log"
    return out


def run_parity(settings, engines, where, root, python="rnncore.course.rnn2:rnn2"):
    """python_step + compare_step + summary, verdict and gate, with results/ in ``where``; (rows, gate error)."""
    case = dataclasses.replace(settings.case("rnn2"), python=python).params()
    where.mkdir(parents=True, exist_ok=True)
    (where / "matlab_ref").symlink_to(root / "matlab_ref")
    cwd = os.getcwd()
    os.chdir(where)
    try:
        workflow.python_step(case, engines / "inputs.npz", "python.npz", project=root)
        workflow.compare_step(case, engines / "octave.npz", "python.npz", layout.case_summary("rnn2"))
        rows = workflow.summary_step([{"name": "rnn2", "variables": case["variables"],
                                       "expected": settings.case("rnn2").expected()}],
                                     {"rnn2": layout.case_summary("rnn2")}, layout.summary())
        workflow.verdict_step(layout.summary(), settings.expected(), "0" * 64, layout.verdict())
        try:
            workflow.gate_step(layout.verdict(), layout.gate())
            return rows, None
        except ParityGateError as exc:
            return rows, exc
    finally:
        os.chdir(cwd)


def test_rnn2_all_nine_rows_pass(settings, engines, tmp_path, root):
    rows, err = run_parity(settings, engines, tmp_path, root)
    assert err is None
    assert [(r["variable"], r["left"], r["right"]) for r in rows] == [
        (v, left, right)
        for left, right in (("octave", "python"), ("slides", "octave"), ("slides", "python"))
        for v in ("ht", "y_out", "softmax_y_out")
    ]
    assert all(r["status"] == "pass" for r in rows)
    for r in rows:
        if r["left"] == "octave":
            # Measured 1-2 ULP on this example (tanh/exp and BLAS rounding); "a handful" is the claim.
            assert int(r["max_ulp"]) <= 4, r
            assert (r["class_left"], r["class_right"]) == ("double", "double")
        else:
            # The slides print 4 decimals: half a unit of the last one; ULPs say nothing there (tol_ulp 0).
            assert float(r["max_abs_err"]) <= 5e-5 and r["tol_ulp"] == "0", r
    assert (tmp_path / layout.gate()).read_text() == "9 of 9 comparisons pass\n"


def test_octave_side_records_shim_and_matlab_metadata(engines):
    doc = read_engine(engines / "octave.npz", "octave", 1)
    assert doc.meta["shims_used"] == ["softmax"]
    assert {n: v.shape for n, v in doc.draws[0].items()} == {"ht": (3, 4), "y_out": (4, 4), "softmax_y_out": (4, 4)}
    assert {v.cls for v in doc.draws[0].values()} == {"double"}
    assert "in_S" in doc.meta["workspace"]


def test_port_off_by_1e9_fails_the_gate(settings, engines, tmp_path, root):
    rows, err = run_parity(settings, engines, tmp_path, root, "tests.broken_ports:rnn2_whx_off_by_1e9")
    assert err is not None
    by_pair = {(r["variable"], r["left"], r["right"]): r for r in rows}
    # Octave sees the slip; the 4-decimal slides cannot.
    for v in ("ht", "y_out", "softmax_y_out"):
        assert by_pair[(v, "octave", "python")]["status"] == "fail"
        assert by_pair[(v, "slides", "python")]["status"] == "pass"
        assert f"rnn2 {v} octave-vs-python: fail" in str(err)
    ht = by_pair[("ht", "octave", "python")]
    assert int(ht["max_ulp"]) > 10**6
    assert (ht["worst_row"], ht["worst_col"]) == ("1", "2")  # whx(1,1) feeds neuron 1 first at t=1: ht(1,2)
    assert float(ht["worst_left"]) != float(ht["worst_right"])  # both values at the worst element are reported
    assert not (tmp_path / layout.gate()).exists()
    # The reports are written all the same.
    assert (tmp_path / layout.summary()).is_file()
    assert (tmp_path / layout.element_table("rnn2", "octave", "python", "ht")).is_file()


def test_transposed_and_missing_variables_are_reported_not_crashed(settings, engines, tmp_path, root):
    rows, err = run_parity(settings, engines, tmp_path / "t", root, "tests.broken_ports:rnn2_squeezed")
    ht = next(r for r in rows if (r["variable"], r["left"], r["right"]) == ("ht", "octave", "python"))
    assert (ht["status"], ht["shape_left"], ht["shape_right"]) == ("shape-mismatch", "3x4", "4x3")
    assert "ht is 3x4 on the octave side and 4x3 on the python side" in str(err)

    rows, err = run_parity(settings, engines, tmp_path / "m", root, "tests.broken_ports:rnn2_without_softmax")
    missing = [r for r in rows if r["status"] == "missing"]
    assert [(r["variable"], r["left"], r["right"]) for r in missing] == [
        ("softmax_y_out", "octave", "python"), ("softmax_y_out", "slides", "python")]
    assert "missing on the python side" in str(err)


def test_two_runs_give_byte_identical_reports(settings, engines, tmp_path, root):
    run_parity(settings, engines, tmp_path / "a", root)
    run_parity(settings, engines, tmp_path / "b", root)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "results").rglob("*.csv"))
    assert len(files) == 9 + 2  # nine element tables, the case summary and the summary
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])
    assert read_summary(tmp_path / "a" / layout.summary()) == read_summary(tmp_path / "b" / layout.summary())


def test_second_octave_run_gives_identical_engine_file(settings, engines, tmp_path, root):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        workflow.octave_step(settings.case("rnn2").params(), engines / "inputs.npz", tmp_path / "octave.npz")
    finally:
        os.chdir(cwd)
    assert (tmp_path / "octave.npz").read_bytes() == (engines / "octave.npz").read_bytes()
    shutil.rmtree(tmp_path)
