"""`snakemake all` end to end (the session's shared run of every shipped case), then the same project
edited: a port off by 1e-9 fails the gate, naming the rows, while every report is still written."""

import csv
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import set_config, snakemake
from rnncore import layout
from rnncore.io import read_engine
from rnncore.reports.fingerprint import embedded_fingerprint

pytestmark = pytest.mark.workflow


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_snakemake_all_writes_every_report_of_one_verdict(shipped_run):
    repo = shipped_run
    rows = read_csv(repo / layout.summary())
    # One row per variable and pair: octave-vs-python, plus slides-vs-octave and slides-vs-python
    # where the case has published values (rnn2: 3 variables x 3 pairs, exercise_rnn1a: 4 x 3, ...).
    cases = yaml.safe_load((repo / "config" / "config.yaml").read_text())["cases"]
    n_rows = sum(len(c["variables"]) * (3 if "reference" in c else 1) for c in cases)
    assert len(rows) == n_rows and all(r["status"] == "pass" for r in rows)
    assert (repo / layout.gate()).read_text() == f"{n_rows} of {n_rows} comparisons pass\n"
    out = (repo / "run.log").read_text()
    # The closing line, and no Octave start-up noise (oct2py's default session is never started).
    assert f"rnncore: {n_rows} of {n_rows} comparisons pass; report: results/report/index.html" in out
    assert "ignoring const execution_exception" not in out and "X11 DISPLAY" not in out
    assert "Provided cores" in out  # the bare run found its cores in profiles/default
    pig = read_csv(repo / layout.training_pig())
    assert [(r["model"], r["prediction_before"], r["prediction_after"]) for r in pig] == [("diagonal", "P", "S")]
    verdict = json.loads((repo / layout.verdict()).read_text())
    assert verdict["passed"] and verdict["line"] == f"{n_rows} of {n_rows} comparisons pass"
    reports = [repo / layout.report_html(), repo / layout.summary_md(), repo / layout.junit(),
               *[repo / layout.notebook(c["name"]) for c in cases], repo / layout.notebooks_index()]
    for path in reports:
        assert embedded_fingerprint(path) == verdict["fingerprint"], path
    for rel in (layout.provenance(), layout.element_table("rnn2", "slides", "python", "ht"), layout.log("rnn2", "octave")):
        assert (repo / rel).is_file(), rel
    assert not (repo / layout.incomplete()).exists()


def test_nothing_to_do_then_a_port_slip_fails_the_gate_and_every_report_says_so(shipped_run, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(shipped_run, repo, symlinks=True)
    dry = snakemake(repo, "all", "-n")
    assert dry.returncode == 0 and "Nothing to be done" in dry.stdout + dry.stderr

    # Editing the port, a module no rule names as its script, reruns its cases' Python side.
    port = repo / "rnncore" / "course" / "rnn2.py"
    text = port.read_text()
    assert "[0.287027, 0.84606" in text
    port.write_text(text.replace("[0.287027, 0.84606", "[0.287027001, 0.84606"))  # whx(1,1) + 1e-9
    dry = snakemake(repo, "all", "-n")
    assert "python_run" in dry.stdout and "compare_rnn2" in dry.stdout, dry.stdout[-3000:]
    # The Octave side of rnn2 does not run the port (the training cases' inputs do: rnn2's weights).
    assert "output: results/engines/rnn2/octave.npz" not in dry.stdout

    run = snakemake(repo, "all")
    assert run.returncode != 0
    out = run.stdout + run.stderr
    n_rows = len(read_csv(repo / layout.summary()))
    # rnn2's port and the exercise's (which reuses the port's weights) both carry the slip; the slides,
    # at 4 decimals, cannot see it, and the training cases push the same weights to both engines.
    failing = [("rnn2", v) for v in ("ht", "y_out", "softmax_y_out")] + [
        ("exercise_rnn1a", v) for v in ("h1", "h2", "y1", "p1")]
    assert f"parity failed: {len(failing)} of {n_rows} comparisons fail" in out
    for case, v in failing:
        assert f"{case} {v} octave-vs-python: fail" in out
    rows = read_csv(repo / layout.summary())
    assert sorted((r["case"], r["variable"]) for r in rows if r["status"] != "pass") == sorted(failing)
    assert not (repo / layout.gate()).exists()
    # Every report was rebuilt from the failing verdict (keep-going): none says pass.
    verdict = json.loads((repo / layout.verdict()).read_text())
    assert not verdict["passed"]
    for path in (repo / layout.report_html(), repo / layout.summary_md(), repo / layout.junit()):
        assert embedded_fingerprint(path) == verdict["fingerprint"], path
    assert "7 of" in (repo / layout.summary_md()).read_text()


def test_every_parity_job_has_one_blas_thread_unless_the_user_says_otherwise(repo_copy, octave):
    """Jobs run side by side, one core each: Octave's and numpy's BLAS get one thread each (workflow
    common.smk), and an OPENBLAS_NUM_THREADS the user exported is kept. The case reports what it saw:
    Octave its environment, the port the BLAS pool of numpy in the Snakemake process (threadpoolctl),
    where the parity jobs run as threads."""
    (repo_copy / "matlab_ref" / "threads.m").write_text("n = str2double(getenv('OPENBLAS_NUM_THREADS'));\n")
    (repo_copy / "threads_port.py").write_text(
        "import numpy as np\nfrom threadpoolctl import threadpool_info\n\n\ndef threads():\n"
        "    blas = [p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas']\n"
        "    return {'n': np.array([[float(max(blas))]])}\n")
    set_config(repo_copy, cases=[], training=[], study={},
               extra_cases=[{"name": "threads", "script": "matlab_ref/threads.m", "python": "threads_port:threads",
                             "variables": ["n"]}])
    inherited = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    for exported, expected in ((None, 1.0), ("2", 2.0)):
        env = {**inherited, "PYTHONPATH": str(repo_copy), **({"OPENBLAS_NUM_THREADS": exported} if exported else {})}
        run = subprocess.run([sys.executable, "-m", "snakemake", "parity", "--forceall"], cwd=repo_copy, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        for engine in (layout.octave_engine("threads"), layout.python_engine("threads")):
            value = read_engine(repo_copy / engine).draws[0]["n"].data
            assert value.tolist() == [[expected]], (engine, exported)
