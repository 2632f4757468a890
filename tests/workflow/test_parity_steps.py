"""rnn2.m parity end to end, through the workflow's step functions, against a real Octave run."""

import dataclasses
import filecmp

import pytest
import yaml

from rnncore import workflow
from rnncore.config import parse_config
from rnncore.engine.summary import ParityGateError, read_summary


@pytest.fixture(scope="module")
def settings(root):
    full = parse_config(yaml.safe_load((root / "config" / "config.yaml").read_text()), root)
    return dataclasses.replace(full, cases=(full.case("rnn2"),))  # the course example alone


@pytest.fixture(scope="module")
def octave_file(settings, tmp_path_factory, request):
    request.getfixturevalue("octave")  # fail under CI, skip elsewhere, when Octave is missing
    out = tmp_path_factory.mktemp("engines") / "octave.json"
    workflow.inputs_step(settings, "rnn2", out.parent / "inputs.json")
    lines = []
    workflow.octave_step(settings, "rnn2", out.parent / "inputs.json", out, log=lines.append)
    assert any(line.startswith("ht =") for line in lines), "Octave's display output must reach the log"
    return out


def _with_port(settings, python):
    case = dataclasses.replace(settings.case("rnn2"), python=python)
    return dataclasses.replace(settings, cases=(case,))


def run_parity(settings, octave_file, out_dir):
    """python_step + parity_step + summary_step + gate_step into ``out_dir``; returns (rows, gate error)."""
    workflow.python_step(settings, "rnn2", octave_file.parent / "inputs.json", out_dir / "python.json")
    workflow.parity_step(settings, "rnn2", octave_file, out_dir / "python.json", out_dir / "elements",
                         out_dir / "case_summary.csv")
    rows = workflow.summary_step(settings, {"rnn2": out_dir / "case_summary.csv"}, out_dir / "summary.csv")
    try:
        workflow.gate_step(out_dir / "summary.csv", out_dir / "gate.txt")
        return rows, None
    except ParityGateError as exc:
        return rows, exc


def test_rnn2_all_nine_rows_pass(settings, octave_file, tmp_path):
    rows, err = run_parity(settings, octave_file, tmp_path)
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
        else:
            # The slides print 4 decimals: half a unit of the last one.
            assert float(r["max_abs_err"]) <= 5e-5, r
    assert (tmp_path / "gate.txt").read_text() == "parity passed: 9 of 9 comparisons within tolerance\n"


def test_octave_side_records_shim_and_matlab_metadata(octave_file):
    from rnncore.io import read_engine_draws

    engine, draws, doc = read_engine_draws(octave_file)
    assert len(draws) == 1
    assert engine == "octave"
    assert doc["meta"]["shims_used"] == ["softmax"]
    assert doc["meta"]["sizes"] == {"ht": [3, 4], "y_out": [4, 4], "softmax_y_out": [4, 4]}
    assert {v["class"] for v in doc["draws"][0].values()} == {"double"}
    assert "in_S" in doc["meta"]["workspace"]


def test_port_off_by_1e9_fails_the_gate(settings, octave_file, tmp_path):
    rows, err = run_parity(_with_port(settings, "broken_ports:rnn2_whx_off_by_1e9"), octave_file, tmp_path)
    assert err is not None
    by_pair = {(r["variable"], r["left"], r["right"]): r for r in rows}
    # Octave sees the slip; the 4-decimal slides cannot.
    for v in ("ht", "y_out", "softmax_y_out"):
        assert by_pair[(v, "octave", "python")]["status"] == "fail"
        assert by_pair[(v, "slides", "python")]["status"] == "pass"
        assert f"rnn2 {v} octave-vs-python: fail" in str(err)
    assert int(by_pair[("ht", "octave", "python")]["max_ulp"]) > 10**6
    assert (by_pair[("ht", "octave", "python")]["worst_row"], by_pair[("ht", "octave", "python")]["worst_col"]) \
        == ("1", "2")  # whx(1,1) feeds neuron 1 first at t=1, i.e. ht(1,2)
    assert not (tmp_path / "gate.txt").exists()
    # The reports are written all the same.
    assert (tmp_path / "summary.csv").is_file()
    assert (tmp_path / "elements" / "octave-vs-python" / "ht.csv").is_file()


def test_transposed_and_missing_variables_are_reported_not_crashed(settings, octave_file, tmp_path):
    rows, err = run_parity(_with_port(settings, "broken_ports:rnn2_squeezed"), octave_file, tmp_path / "t")
    ht = next(r for r in rows if (r["variable"], r["left"], r["right"]) == ("ht", "octave", "python"))
    assert (ht["status"], ht["shape_left"], ht["shape_right"]) == ("shape-mismatch", "3x4", "4x3")
    assert "shape-mismatch (3x4 vs 4x3)" in str(err)

    rows, err = run_parity(_with_port(settings, "broken_ports:rnn2_without_softmax"), octave_file, tmp_path / "m")
    missing = [r for r in rows if r["status"] == "missing"]
    assert [(r["variable"], r["left"], r["right"]) for r in missing] == [
        ("softmax_y_out", "octave", "python"), ("softmax_y_out", "slides", "python")]
    assert "missing on the python side" in str(err)


def test_two_runs_give_byte_identical_reports(settings, octave_file, tmp_path):
    run_parity(settings, octave_file, tmp_path / "a")
    run_parity(settings, octave_file, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert len(files) == 9 + 2  # nine element tables, the case summary and the summary
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])
    assert read_summary(tmp_path / "a" / "summary.csv") == read_summary(tmp_path / "b" / "summary.csv")


def test_second_octave_run_gives_identical_engine_file(settings, octave_file, tmp_path):
    workflow.octave_step(settings, "rnn2", octave_file.parent / "inputs.json", tmp_path / "octave.json")
    assert (tmp_path / "octave.json").read_bytes() == octave_file.read_bytes()
