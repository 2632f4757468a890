"""Failure modes of the whole workflow: each ends with a clear message, a non-zero exit, and no
report that looks complete but is not. Runs `snakemake` in copies of the project (see conftest)."""

import filecmp
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import set_config

pytestmark = pytest.mark.workflow


def snakemake(repo, *args, env=None, timeout=600):
    env = {**os.environ, "PYTHONPATH": str(repo), **(env or {})}
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=timeout)


def keep_cases(repo, *names, extra=()):
    """Cut the copy's configuration down to some cases (plus extra ones), no training, to keep it short."""
    set_config(repo, cases=names, training=[], extra_cases=extra, study={})


def csv_files(repo):
    return sorted(str(p.relative_to(repo)) for p in (repo / "results").rglob("*.csv"))


def assert_same_bytes(a, b):
    files = csv_files(a)
    assert files == csv_files(b) and files
    files += sorted(str(p.relative_to(a)) for p in (a / "results" / "engines").rglob("*.json"))
    match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert (mismatch, errors) == ([], []), mismatch


def test_octave_missing_stops_with_install_hint_and_no_summary(repo_copy):
    keep_cases(repo_copy, "rnn2")
    run = snakemake(repo_copy, "all", env={"OCTAVE_EXECUTABLE": "/nonexistent/octave-cli"})
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "is not an executable" in out and "apt-get install octave" in out
    assert not (repo_copy / "results/parity/summary.csv").exists()
    assert not (repo_copy / "results/parity/gate.txt").exists()


def test_truncated_intermediate_file_is_named_and_stale_reports_removed(repo_copy, octave):
    keep_cases(repo_copy, "rnn2")
    assert snakemake(repo_copy, "all").returncode == 0
    damaged = repo_copy / "results/engines/rnn2/python.json"
    text = damaged.read_text()
    time.sleep(0.01)  # a later mtime than the reports built on it
    damaged.write_text(text[: len(text) // 2])

    run = snakemake(repo_copy, "all")
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "results/engines/rnn2/python.json" in out and "truncated or damaged" in out
    # The reports of the earlier run no longer describe the inputs: gone, and said so.
    for rel in ("results/parity/summary.csv", "results/parity/gate.txt", "results/parity/rnn2/summary.csv"):
        assert not (repo_copy / rel).exists(), rel
    note = (repo_copy / "results/parity/INCOMPLETE.txt").read_text()
    assert "results/parity/summary.csv" in note

    damaged.unlink()  # as the message says: delete it and rerun
    assert snakemake(repo_copy, "all").returncode == 0
    assert (repo_copy / "results/parity/gate.txt").is_file()
    assert not (repo_copy / "results/parity/INCOMPLETE.txt").exists()


SLOW_CASE = {
    "name": "slow",
    "script": "matlab_ref/slow.m",
    "python": "slow_port:slow",
    "variables": ["s"],
}


def add_slow_case(repo, seconds):
    (repo / "matlab_ref" / "slow.m").write_text(f"t0 = tic;\nwhile toc(t0) < {seconds}\nend\ns = 1;\n")
    (repo / "slow_port.py").write_text("import numpy as np\n\n\ndef slow():\n    return {'s': np.ones((1, 1))}\n")


def octave_pids(inside):
    """Octave processes working inside ``inside`` (other Octave sessions on the machine are not ours)."""
    out = subprocess.run(["pgrep", "-f", "octave"], capture_output=True, text=True).stdout
    pids = set()
    for pid in out.split():
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd.startswith(str(inside)):
            pids.add(pid)
    return pids


def test_ctrl_c_then_rerun_finishes_with_the_same_bytes(repo_copy, tmp_path, octave):
    add_slow_case(repo_copy, 4)
    keep_cases(repo_copy, "rnn2", extra=[SLOW_CASE])
    env = {**os.environ, "PYTHONPATH": str(repo_copy)}
    proc = subprocess.Popen([sys.executable, "-m", "snakemake", "all"], cwd=repo_copy, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    log = repo_copy / "results/logs/slow/octave.log"
    deadline = time.monotonic() + 120
    while not (log.exists() and "running" in log.read_text()):
        assert proc.poll() is None and time.monotonic() < deadline, "the slow case never started"
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole foreground group
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert not (repo_copy / "results/parity/gate.txt").exists()
    time.sleep(1.0)
    assert octave_pids(repo_copy) == set(), "an Octave session outlived the interrupted run"

    rerun = snakemake(repo_copy, "all")
    assert rerun.returncode == 0, rerun.stderr[-3000:]

    # An uninterrupted run elsewhere gives the same bytes.
    clean = tmp_path / "clean"
    import shutil

    shutil.copytree(repo_copy, clean, ignore=shutil.ignore_patterns("results", ".snakemake", "__pycache__"))
    (clean / "results").mkdir()
    assert snakemake(clean, "all").returncode == 0
    assert_same_bytes(repo_copy, clean)


def test_two_cores_give_the_same_bytes_as_one(repo_copy, tmp_path, octave):
    import shutil

    add_slow_case(repo_copy, 1)
    keep_cases(repo_copy, "rnn2", "exercise_rnn1a", extra=[SLOW_CASE])
    other = tmp_path / "one-core"
    shutil.copytree(repo_copy, other)
    two = snakemake(repo_copy, "all", "--cores", "2")
    one = snakemake(other, "all", "--cores", "1")
    assert (two.returncode, one.returncode) == (0, 0), two.stderr[-2000:] + one.stderr[-2000:]
    assert_same_bytes(repo_copy, other)
