"""`snakemake all` end to end, in a copy of the project so the working tree's results/ stay untouched."""

import csv
import os
import subprocess
import sys

import pytest
import yaml

pytestmark = pytest.mark.workflow


def snakemake(repo, *args, timeout=600):
    # PYTHONPATH: the copy's own rnncore, not the installed one, runs in the copy's jobs.
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=timeout)


def read_rows(repo):
    with open(repo / "results/parity/summary.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_snakemake_all_passes_reruns_on_port_edits_and_fails_on_a_broken_port(repo_copy, octave):
    run = snakemake(repo_copy, "all")
    assert run.returncode == 0, run.stderr[-3000:]
    n_rows = len(read_rows(repo_copy))
    # One row per variable and pair: octave-vs-python, plus slides-vs-octave and slides-vs-python
    # where the case has published values (rnn2: 3 variables x 3 pairs, exercise_rnn1a: 4 x 3, ...).
    cases = yaml.safe_load((repo_copy / "config" / "config.yaml").read_text())["cases"]
    assert n_rows == sum(len(c["variables"]) * (3 if "reference" in c else 1) for c in cases)
    assert (repo_copy / "results/parity/gate.txt").read_text().startswith(f"parity passed: {n_rows} of {n_rows}")
    for rel in ("results/parity/provenance.json", "results/parity/rnn2/elements/slides-vs-python/ht.csv",
                "results/logs/rnn2/octave.log"):
        assert (repo_copy / rel).is_file(), rel
    # The bare run found its cores in profiles/default (no --cores given).
    assert "Provided cores" in run.stderr

    # Nothing to do on a second run ...
    dry = snakemake(repo_copy, "all", "-n")
    assert dry.returncode == 0 and "Nothing to be done" in dry.stdout + dry.stderr

    # ... but editing the port, an imported module no rule names as its script, reruns the parity.
    port = repo_copy / "rnncore" / "rnn2.py"
    text = port.read_text()
    assert "[0.287027, 0.84606" in text
    port.write_text(text.replace("[0.287027, 0.84606", "[0.287027001, 0.84606"))  # whx(1,1) + 1e-9
    dry = snakemake(repo_copy, "all", "-n")
    assert "python_run" in dry.stdout and "parity_case" in dry.stdout, dry.stdout[-3000:]

    run = snakemake(repo_copy, "all")
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert f"parity failed for 3 of {n_rows} comparisons" in out
    for v in ("ht", "y_out", "softmax_y_out"):
        assert f"rnn2 {v} octave-vs-python: fail" in out
    # The reports stay, complete and marked; only the gate's marker is missing.
    rows = read_rows(repo_copy)
    assert len(rows) == n_rows
    assert sorted(r["status"] for r in rows) == ["fail"] * 3 + ["pass"] * (n_rows - 3)
    assert not (repo_copy / "results/parity/gate.txt").exists()


def test_bad_config_key_stops_before_anything_runs(repo_copy):
    cfg = repo_copy / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("    variables:", "    varaibles:"))
    run = snakemake(repo_copy, "all", "-n")
    assert run.returncode != 0
    assert "varaibles" in run.stdout + run.stderr
