"""Smoke test of benchmarks/train_epoch.py: it runs, and its CSV has the documented shape.

``--quick`` runs H = 3 only, one repetition of two epochs, so the whole run is a few seconds (most
of it Octave starting). Nothing here looks at how fast anything is: speed is measured by the
benchmark, never asserted in a test.
"""

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "train_epoch.py"

REQUIRED_COLUMNS = {
    "model", "hidden", "engine", "status", "ms_per_epoch_median", "ms_p25", "ms_p75", "repetitions",
    "epochs_per_rep", "threads", "ratio_pytorch_over_rnncore", "ratio_octave_over_rnncore",
    "loss_last", "loss_rel_diff_vs_rnncore", "numpy_version", "numpy_blas", "torch_version",
    "octave_version", "octave_blas",
}


def _run(out: Path, *extra: str, hide_torch: bool = False) -> list[dict]:
    args = [str(SCRIPT), "--quick", "--out", str(out), *extra]
    if hide_torch:
        # `import torch` raises ImportError when sys.modules maps it to None: PyTorch "not installed".
        code = ("import runpy, sys; sys.modules['torch'] = None; sys.argv = sys.argv[1:]; "
                "runpy.run_path(sys.argv[0], run_name='__main__')")
        cmd = [sys.executable, "-c", code, *args]
    else:
        cmd = [sys.executable, *args]
    proc = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"benchmark failed:\n{proc.stdout}\n{proc.stderr}"
    assert out.is_file()
    with open(out, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
        assert not missing, f"CSV lacks columns {sorted(missing)}"
        return list(reader)


def _torch_installed() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _check_ok_row(row: dict) -> None:
    for col in ("ms_per_epoch_median", "ms_p25", "ms_p75"):
        value = float(row[col])
        assert math.isfinite(value) and value > 0, f"{row['engine']} {row['model']}: {col} = {row[col]!r}"
    assert int(row["repetitions"]) == 1
    assert int(row["epochs_per_rep"]) == 2
    assert math.isfinite(float(row["loss_last"]))
    # Same model, data, weights and optimizer: the engines agree to rounding.
    assert float(row["loss_rel_diff_vs_rnncore"]) < 1e-9


def test_quick_benchmark_writes_every_engine(tmp_path, octave):
    """Every engine, Octave's included: the `octave` fixture puts this test in the octave tier (it used to
    start Octave from the fast tier wherever Octave was installed)."""
    rows = _run(tmp_path / "bench.csv")
    assert {(r["model"], r["hidden"]) for r in rows} == {("full", "3"), ("lstm", "3")}
    by_engine = {}
    for r in rows:
        by_engine.setdefault(r["engine"], []).append(r)
    assert set(by_engine) == {"rnncore", "octave", "pytorch"}

    for r in by_engine["rnncore"]:
        assert r["status"] == "ok", r["status"]

    if _torch_installed():
        for r in by_engine["pytorch"]:
            assert r["status"] == "ok", r["status"]
            assert float(r["ratio_pytorch_over_rnncore"]) > 0
    else:
        for r in by_engine["pytorch"]:
            assert r["status"].startswith("skipped") and "not installed" in r["status"]
            assert r["torch_version"] == "not installed"

    for r in by_engine["octave"]:
        assert r["status"] == "ok", r["status"]
        assert r["octave_version"] and r["octave_blas"]
        assert float(r["ratio_octave_over_rnncore"]) > 0

    for r in rows:
        if r["status"] == "ok":
            _check_ok_row(r)
        else:
            assert r["ms_per_epoch_median"] == ""


def test_quick_benchmark_without_torch(tmp_path):
    """PyTorch is optional: without it the benchmark still runs and says so in the CSV."""
    rows = _run(tmp_path / "bench.csv", "--engines", "rnncore", "pytorch", hide_torch=True)
    torch_rows = [r for r in rows if r["engine"] == "pytorch"]
    assert len(torch_rows) == 2
    for r in torch_rows:
        assert r["status"].startswith("skipped") and "not installed" in r["status"]
        assert r["ms_per_epoch_median"] == "" and r["ratio_pytorch_over_rnncore"] == ""
        assert r["torch_version"] == "not installed"
    for r in rows:
        if r["engine"] == "rnncore":
            assert r["status"] == "ok"
            _check_ok_row(r)


@pytest.mark.parametrize("argv", [["--repetitions", "0"], ["--epochs", "0"]])
def test_rejects_nonsense_arguments(tmp_path, argv):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path / "x.csv"), *argv],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert not (tmp_path / "x.csv").exists()


# --------------------------------------------------------------------------- benchmarks/course_scale.py

COURSE_SCALE = ROOT / "benchmarks" / "course_scale.py"


@pytest.mark.octave
@pytest.mark.workflow
def test_course_scale_at_three_cases(tmp_path, octave):
    """The course-scale benchmark runs at N = 3: every phase exits 0, the no-op run runs nothing, and the
    edit of one port reruns that one case only (its Python run, comparison and the verdict), not the others.

    Job counts, not seconds: the timings are the benchmark's to report, never a test's to assert.
    """
    out = tmp_path / "course_scale.csv"
    proc = subprocess.run([sys.executable, str(COURSE_SCALE), "--n", "3", "--out", str(out)], check=False,
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out, newline="") as fh:
        rows = {r["phase"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == ["cold", "edit", "noop"]
    assert all(r["exit"] == "0" and r["n_cases"] == "3" and r["checkout"] == "this" for r in rows.values())
    assert all(float(r["seconds"]) > 0 and r["cpu_model"] and int(r["cores"]) >= 1 for r in rows.values())
    # The peak resident set of the Snakemake process: at least the interpreter with Snakemake and numpy
    # loaded (about 100 MB here; 20 MB is a floor no Python with them imported goes under).
    assert all(float(r["peak_rss_mb"]) > 20 and r["loadavg_start"] and r["timestamp_utc"] for r in rows.values())
    cold, noop, edit = (int(rows[p]["jobs"]) for p in ("cold", "noop", "edit"))
    # Cold: per case at least an Octave run, a Python run and a comparison, plus the aggregate jobs.
    assert cold >= 3 * 3
    assert noop == 0
    # One port edited: its Python run and comparison, then the five aggregate jobs (summary, verdict, gate,
    # JUnit, target): 7. The two untouched cases' jobs (three or more each) and every Octave run stay done.
    assert edit == 7, edit
    assert cold - edit >= 2 * 3 + 1, (cold, edit)
    assert "marginal cost" not in proc.stdout  # one N: no slope to print


# --------------------------------------------------------------------------- benchmarks/add_folder.py

ADD_FOLDER = ROOT / "benchmarks" / "add_folder.py"


@pytest.mark.octave
def test_add_folder_on_four_files(tmp_path, octave):
    """The add-folder benchmark runs `rnncore add` on a generated folder of one driver script and three
    function files: it exits 0, every file is ported and gets its case (the script's, and each function's
    from its captured call), and the split adds up. Seconds are reported, never asserted."""
    out = tmp_path / "add_folder.csv"
    proc = subprocess.run([sys.executable, str(ADD_FOLDER), "--scripts", "1", "--functions", "3", "--out", str(out)],
                          check=False, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out, newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["files"], row["scripts"], row["functions"], row["cases_added"], row["exit"]) == ("4", "1", "3", "4", "0")
    assert "0 skeleton(s); 4 case(s) added" in proc.stdout
    parts = [float(row[k]) for k in ("translate_s", "describe_s", "capture_s", "rest_s")]
    assert all(p > 0 for p in parts[:3]), row  # one translation per file, two Octave runs of the script
    # Each value is rounded to the millisecond on its own: the sums agree within a few of them.
    assert sum(parts) == pytest.approx(float(row["seconds_total"]), abs=0.005)
    assert float(row["octave_own_s"]) > 0
    assert float(row["overhead_s"]) == pytest.approx(float(row["seconds_total"]) - float(row["octave_own_s"]),
                                                     abs=0.005)
    assert row["octave_version"] and row["cpu_model"] and int(row["cores"]) >= 1


# --------------------------------------------------------------------------- benchmarks/large_variable.py

LARGE_VARIABLE = ROOT / "benchmarks" / "large_variable.py"


@pytest.mark.octave
@pytest.mark.workflow
def test_large_variable_at_n_300(tmp_path, octave):
    """The large-variable benchmark runs at N = 300 (90,000 elements, beyond the 10,000 an element table
    holds whole): every step's measured peak is within what the workflow declares for it, the engine
    file holds the doubles exactly once (npz: 8 bytes each, plus a header), and the element table holds
    the 100 worst passing elements only (every element passes: tanh agrees within the 4 ULP budget)."""
    out = tmp_path / "large.csv"
    proc = subprocess.run([sys.executable, str(LARGE_VARIABLE), "--n", "300", "--out", str(out)], check=False,
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out, newline="") as fh:
        rows = {r["what"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == ["compare", "inputs", "octave", "python", "workflow"]
    for what in ("inputs", "octave", "python", "compare"):
        assert 0 < int(rows[what]["peak_mb"]) <= int(rows[what]["declared_mb"]), rows[what]
    whole = rows["workflow"]
    # 300 x 300 doubles = 0.69 MB; the npz adds a few hundred bytes of header, rounded to 0.1 MB.
    assert float(whole["engine_file_mb"]) == pytest.approx(0.7, abs=0.05)
    assert int(whole["table_rows"]) == 100  # WORST_ROWS


# --------------------------------------------------------------------------- benchmarks/translated_port.py

TRANSLATED_PORT = ROOT / "benchmarks" / "translated_port.py"


@pytest.mark.octave
def test_translated_port_quick(tmp_path, octave):
    """The translated-port benchmark runs (pig, 2 epochs, one run per engine): every engine ok, and the
    three engines computed the same training. Times are printed, never asserted."""
    out = tmp_path / "translated.csv"
    proc = subprocess.run([sys.executable, str(TRANSLATED_PORT), "--quick", "--out", str(out)], check=False,
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out, newline="") as fh:
        rows = {r["engine"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == ["handwritten", "octave", "translated"]
    for r in rows.values():
        assert r["status"] == "ok", r["status"]
        assert r["config"] == "pig" and r["epochs"] == "2" and r["runs"] == "1"
        assert float(r["ms_best"]) > 0 and r["cpu_model"] and int(r["cores"]) >= 1
    # Only that the benchmark timed the same computation (the parity tests hold each port to its case's
    # tolerance): measured, the translated port equals the hand-written one bit for bit here and Octave
    # differs by 2e-14 relative at most (rounding); 1e-12 fails on any porting error, not on rounding.
    assert float(rows["translated"]["max_rel_diff_vs_handwritten"]) < 1e-12
    assert float(rows["octave"]["max_rel_diff_vs_handwritten"]) < 1e-12
    assert "translated/octave" in proc.stdout
