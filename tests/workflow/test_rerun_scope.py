"""Reruns exactly as wide as the edit: after a finished run, edit one thing and ask Snakemake's dry run
which jobs it would run. Each rule's inputs are the sources it actually runs, so:

* a no-op run plans nothing and parses no .m file;
* a template edit reruns only the report;
* models/lstm.py reruns only the LSTM's jobs (and what aggregates them);
* engine/parity.py reruns the comparisons, no Octave run and no training;
* a port module outside rnncore reruns its own case;
* a changed `study.lags` reruns only the study.

"What aggregates them" is the summary, the verdict and everything built from the verdict (the gate,
JUnit, the report, the notebooks: each carries the verdict's fingerprint), and the training and
study reports.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, set_config
from test_failure_modes import copy_project

pytestmark = pytest.mark.workflow

AGGREGATES = {"all", "parity_summary", "parity_verdict", "parity_gate", "parity_junit", "provenance", "report",
              "notebook", "notebooks", "training_report", "lag_report"}


def snakemake(repo, *args, env=None):
    env = {**os.environ, "PYTHONPATH": str(repo), **(env or {})}
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def finished(tmp_path_factory, octave) -> Path:
    """A project with every stage small but present, after a complete `snakemake all`."""
    repo = copy_project(tmp_path_factory.mktemp("scope") / "repo")
    shipped = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["cases"]
    set_config(repo, extra_cases=[c for c in shipped if c["name"] == "lstm_plural"],
               training=[{"task": "pig", "model": ["diagonal"], "hidden": [3], "seed": [0], "epochs": 20,
                          "optimizer": "sgd", "lr": 0.1},
                         {"task": "plural", "model": ["lstm"], "hidden": [4], "seed": [0], "epochs": 3,
                          "optimizer": "adam", "lr": 0.01, "clip": 5.0}],
               study={"longlag": {"models": ["diagonal", "lstm"], "lags": [5], "seeds": [0],
                                  "hyper": {"steps": 20, "eval_n": 50, "patience": 0}},
                      "vanishing": {"lag": 5, "seed": 0}})
    run = snakemake(repo, "all")
    assert run.returncode == 0, run.stderr[-3000:]
    return repo


@pytest.fixture
def project(finished, tmp_path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(finished, dest, symlinks=True)  # modification times kept: still up to date
    return dest


def planned(repo: Path, env=None) -> list[tuple[str, str]]:
    """(rule, wildcards) of every job `snakemake all -n` would run."""
    run = snakemake(repo, "all", "-n", env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    jobs, rule = [], None
    for line in (run.stdout + run.stderr).splitlines():
        m = re.match(r"^(?:local)?rule (\w+):$", line.strip())
        if m:
            rule = m.group(1)
            jobs.append((rule, ""))
        elif rule and line.strip().startswith("wildcards:"):
            jobs[-1] = (rule, line.split(":", 1)[1].strip())
    return sorted(jobs)


def work(jobs) -> list[tuple[str, str]]:
    """The jobs that are not aggregates: what the edit really touched."""
    return sorted(j for j in jobs if j[0] not in AGGREGATES)


def touch_up(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_a_no_op_plans_nothing_and_parses_no_m_file(project, tmp_path):
    poison = tmp_path / "poison"
    poison.mkdir()
    (poison / "sitecustomize.py").write_text(
        "import miss_hit_core.m_parser as p\n\n\ndef _refuse(*args, **kwargs):\n"
        "    raise RuntimeError('a .m file was parsed')\n\n\np.MATLAB_Parser.__init__ = _refuse\n")
    env = {"PYTHONPATH": f"{poison}{os.pathsep}{project}"}
    assert planned(project, env=env) == []
    run = snakemake(project, "all", env=env)
    assert run.returncode == 0 and "Nothing to be done" in run.stdout + run.stderr
    # The poison works: a changed .m file must be read, and the run says so.
    touch_up(project / "matlab_ref" / "cat_rnn.m", "% edited\n")
    probe = snakemake(project, "all", "-n", env=env)
    assert "a .m file was parsed" in probe.stdout + probe.stderr


def test_a_template_edit_reruns_only_the_report(project):
    touch_up(project / "rnncore" / "reports" / "templates" / "report.css", "\n/* edited */\n")
    assert planned(project) == [("all", ""), ("report", "")]


def test_the_lstm_reruns_only_lstm_jobs(project):
    touch_up(project / "rnncore" / "models" / "lstm.py", "\n# edited\n")
    assert work(planned(project)) == [
        ("case_inputs", "case=lstm_plural"), ("compare_lstm_plural", ""), ("lag_run", "model=lstm, lag=5"),
        ("octave_run", "case=lstm_plural"), ("python_run", "case=lstm_plural"), ("train_run", "run_id=plural-lstm-h4-s0"),
        ("vanishing", "")]


def test_the_comparison_reruns_comparisons_and_no_engine_or_training(project):
    touch_up(project / "rnncore" / "engine" / "parity.py", "\n# edited\n")
    assert work(planned(project)) == [("compare_cat", ""), ("compare_lstm_plural", ""), ("compare_rnn2", "")]


def test_a_port_outside_rnncore_reruns_its_case(project):
    path = project / "course_ports.py"
    path.write_text(path.read_text().replace("[[0.5, -0.25", "[[0.500000001, -0.25"))
    assert work(planned(project)) == [("compare_cat", ""), ("python_run", "case=cat")]


def test_a_changed_study_lag_reruns_only_the_study(project):
    path = project / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text())
    cfg["study"]["longlag"]["lags"] = [5, 6]
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    assert work(planned(project)) == [("lag_run", "model=diagonal, lag=6"), ("lag_run", "model=lstm, lag=6")]
    assert {rule for rule, _ in planned(project)} - {"lag_run"} == {"lag_report", "report", "all"}
