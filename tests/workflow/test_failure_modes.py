"""The fault matrix: every way a run can go wrong ends with a clear message and a non-zero exit,
leaves no file under results/ stating a verdict that no longer holds, and a clean rerun after the
fault is fixed gives the very bytes of a run that never saw it.

Each fault starts from a copy of one passing project (`reference`: the course's rnn2 and a user's
`cat` case whose port lives at the project root, outside rnncore), so the fault run and the rerun
are the incremental runs a user makes. Snakemake runs in those copies (see conftest).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import yaml

from conftest import copy_repo, set_config
from rnncore import layout
from rnncore.reports.fingerprint import embedded_fingerprint

pytestmark = pytest.mark.workflow

CAT_M = """% A 2-neuron RNN reading C, A, T: the kind of script a lecturer adds.
W = [0.5 -0.25 0.125; 0.75 0.5 -0.5];
X = eye(3);
H = zeros(2, 4);
for t = 1:3
  H(:, t+1) = tanh(W*X(:, t) + 0.5*H(:, t));
end
Y = sum(H, 1);
"""

CAT_PORT = """import numpy as np


def cat_rnn():
    W = np.array([[0.5, -0.25, 0.125], [0.75, 0.5, -0.5]])
    X = np.eye(3)
    H = np.zeros((2, 4))
    for t in range(3):
        H[:, t + 1] = np.tanh(W @ X[:, t] + 0.5 * H[:, t])
    return {"H": H, "Y": H.sum(axis=0, keepdims=True)}
"""

CAT = {"name": "cat", "script": "matlab_ref/cat_rnn.m", "python": "course_ports:cat_rnn", "variables": ["H", "Y"]}


def snakemake(repo, *args, env=None, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(repo), **(env or {})}
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=timeout)


def copy_project(dest: Path) -> Path:
    copy_repo(dest)
    (dest / "matlab_ref" / "cat_rnn.m").write_text(CAT_M)
    (dest / "course_ports.py").write_text(CAT_PORT)
    set_config(dest, cases=["rnn2"], extra_cases=[CAT], training=[], study={})
    return dest


@pytest.fixture(scope="module")
def reference(tmp_path_factory, octave) -> Path:
    """A project whose `snakemake all` passed: the state every fault starts from and returns to."""
    repo = copy_project(tmp_path_factory.mktemp("reference") / "repo")
    run = snakemake(repo, "all")
    assert run.returncode == 0, run.stderr[-3000:]
    return repo


@pytest.fixture
def project(reference, tmp_path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(reference, dest, symlinks=True)  # results and .snakemake too: an up-to-date project
    return dest


def csv_bytes(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted((repo / "results").rglob("*.csv"))}


def verdict_files(repo: Path) -> list[Path]:
    notebooks = sorted((repo / "results" / "notebooks").glob("*.ipynb"))
    return [repo / p for p in (layout.report_html(), layout.summary_md(), layout.junit())] + notebooks


def _results_bytes(repo: Path) -> dict[str, bytes]:
    """Every file under results/ (or results itself, when it is a file), by path."""
    results = repo / layout.RESULTS
    files = [results] if results.is_file() else sorted(p for p in results.rglob("*") if p.is_file())
    return {str(p.relative_to(repo)): p.read_bytes() for p in files}


def assert_no_standing_verdict(repo: Path) -> None:
    """After a failed run: no 'pass' anywhere that no longer holds."""
    assert not (repo / layout.gate()).exists(), "gate.txt survived a failed run"
    verdict = repo / layout.verdict()
    if verdict.exists():
        doc = json.loads(verdict.read_text())
        assert doc["passed"] is False, "verdict.json says pass after a failed run"
        current = doc["fingerprint"]
    else:
        current = None
    for path in verdict_files(repo):
        if path.exists():
            assert current is not None and embedded_fingerprint(path) == current, \
                f"{path.relative_to(repo)} describes another verdict than the current one"
    for path in repo.rglob("PWNED*"):
        raise AssertionError(f"{path}: a configured string ran as code")


# --------------------------------------------------------------------------- the faults


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(repo: Path) -> None:
        f = repo / path
        text = f.read_text()
        assert old in text, f"{old!r} not in {path}"
        f.write_text(text.replace(old, new, 1))
    return apply


def add_case(case: dict, files: dict[str, str]) -> Callable[[Path], None]:
    def apply(repo: Path) -> None:
        for rel, text in files.items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text)
        set_config(repo, extra_cases=[case])
    return apply


def change_config(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(repo: Path) -> None:
        path = repo / "config" / "config.yaml"
        cfg = yaml.safe_load(path.read_text())
        change(cfg)
        path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return apply


def truncate(rel: str, keep_lines: int | None = None) -> Callable[[Path], None]:
    def apply(repo: Path) -> None:
        f = repo / rel
        time.sleep(0.01)  # a later mtime than whatever was built from it
        if keep_lines is None:
            data = f.read_bytes()
            f.write_bytes(data[: len(data) // 2])
        else:
            f.write_text("".join(f.read_text().splitlines(keepends=True)[:keep_lines]))
    return apply


def remove(rel: str) -> Callable[[Path], None]:
    return lambda repo: (repo / rel).unlink()


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(repo: Path) -> None:
        for change in changes:
            change(repo)
    return apply


@dataclass
class Fault:
    apply: Callable[[Path], None]
    messages: list[str]  # each must appear in the run's output
    target: str = "all"
    exit: int = 1
    check: Callable[[Path, str], None] | None = None
    fix: Callable[[Path], None] | None = None  # default: restore config, ports and .m files
    env: dict = field(default_factory=dict)


def _summary_rows(repo: Path) -> list[dict]:
    import csv

    with open(repo / layout.summary(), newline="") as fh:
        return list(csv.DictReader(fh))


def _statuses(case: str, expected: dict[str, str]) -> Callable[[Path, str], None]:
    def check(repo: Path, out: str) -> None:
        got = {r["variable"]: r["status"] for r in _summary_rows(repo) if r["case"] == case and r["left"] == "octave"}
        assert got == expected, got
    return check


def _every_case_reported(case: str) -> Callable[[Path, str], None]:
    """Found on main: one failing script blanked every report. Now every case is in every report."""
    def check(repo: Path, out: str) -> None:
        rows = _summary_rows(repo)
        assert {r["case"] for r in rows} == {"rnn2", "cat", case}
        assert all(r["status"] == "pass" for r in rows if r["case"] != case)
        assert all(r["status"] == "error" for r in rows if r["case"] == case)
        junit = (repo / layout.junit()).read_text()
        assert f'classname="{case}"' in junit and "<error" in junit
        for rel in (layout.report_html(), layout.summary_md()):
            text = (repo / rel).read_text()
            assert case in text, f"{rel} does not report the crashed case"
    return check


def _stale_reports_listed(repo: Path, out: str) -> None:
    """Found on main: after a failing `snakemake parity`, summary.md and index.html still said pass."""
    note = (repo / layout.incomplete()).read_text()
    assert "results/report/index.html" in note and "results/summary.md" in note
    assert "parity_gate" in note and "snakemake all` failed" not in note  # names what failed, not another target
    assert not (repo / layout.report_html()).exists() and not (repo / layout.summary_md()).exists()
    junit = (repo / layout.junit()).read_text()
    assert 'failures="2"' in junit  # rebuilt with the failure by this very target


def _headline_at_nan(repo: Path, out: str) -> None:
    row = next(r for r in _summary_rows(repo) if (r["case"], r["variable"], r["left"]) == ("cat", "H", "octave"))
    assert (row["max_abs_err"], row["worst_row"], row["worst_col"], row["worst_right"]) == ("NaN", "2", "3", "NaN")
    assert (repo / layout.report_html()).exists()  # Inf and NaN reach every report without a crash


def _infinite_reports(repo: Path, out: str) -> None:
    row = next(r for r in _summary_rows(repo) if (r["case"], r["variable"], r["left"]) == ("cat", "H", "octave"))
    assert (row["max_abs_err"], row["worst_right"]) == ("Inf", "Inf")
    for rel in (layout.report_html(), layout.summary_md(), layout.junit()):
        assert (repo / rel).exists(), rel


def _nothing_ran(repo: Path, out: str) -> None:
    assert "Building DAG" not in out and "Traceback" not in out
    assert "additionalProperties" not in out and "$schema" not in out  # one sentence, not a schema dump


def _no_traceback(repo: Path, out: str) -> None:
    assert "Traceback (most recent call last)" not in out


def _provenance_names_the_port(repo: Path, out: str) -> None:
    prov = json.loads((repo / layout.provenance()).read_text())
    assert "course_ports.py" in prov["cases"]["cat"]["files"]  # found on main: no SHA-256 for a port outside rnncore


def _restore_results(repo: Path) -> None:
    (repo / "results").unlink()
    shutil.move(repo / "results.moved", repo / "results")


def _results_is_a_file(repo: Path) -> None:
    shutil.move(repo / "results", repo / "results.moved")
    (repo / "results").write_text("not a folder\n")


PORT_OFF = edit("course_ports.py", "[[0.5, -0.25", "[[0.500000001, -0.25")
RAISES = "\n\ndef extra():\n    data = [1, 2]\n    return {'x': data[5]}\n"
RAISES_LINE = (CAT_PORT + RAISES).splitlines().index("    return {'x': data[5]}") + 1
TAKES_INPUTS = "\n\ndef extra_in(inputs):\n    return {'x': 1.0}\n"
SCRIPT = {"name": "extra", "python": "course_ports:extra", "variables": ["x"]}
EXTRA_PORT = "\n\ndef extra():\n    return {'x': np.array([[1.0, 2.0, 3.0]])}\n"


def extra_case(m_text: str, port: str = EXTRA_PORT, script: str = "matlab_ref/extra.m", **changes):
    return add_case({**SCRIPT, "script": script, **changes},
                    {script: m_text, "course_ports.py": CAT_PORT + port})


FAULTS = {
    # 10.1: a port outside rnncore is tracked: a 1e-9 change reruns its case and fails it.
    "port-outside-rnncore-edited": Fault(PORT_OFF, ["cat H octave-vs-python: fail", "cat Y octave-vs-python: fail"],
                                         check=_statuses("cat", {"H": "fail", "Y": "fail"})),
    # 10.2: a failing `snakemake parity` leaves no green report of the earlier run.
    "stale-green-reports": Fault(PORT_OFF, ["parity failed: 2 of 11 comparisons fail"], target="parity",
                                 check=_stale_reports_listed),
    # 10.3: one script failing at run time: its rows are errors, every other case reported.
    "script-runtime-error": Fault(extra_case("x = 1;\ny = undefined_thing(2);\n"),
                                  ["extra: ", "matlab_ref/extra.m:2", "undefined_thing"],
                                  check=_every_case_reported("extra")),
    "port-raises": Fault(extra_case("x = [1 2 3];\n", RAISES),
                         [f"course_ports.py:{RAISES_LINE}: IndexError: list index out of range"],
                         check=_every_case_reported("extra")),
    "port-does-not-import": Fault(add_case({**SCRIPT, "script": "matlab_ref/extra.m", "python": "bad_port:extra"},
                                           {"matlab_ref/extra.m": "x = 1;\n", "bad_port.py": "x = (1 +\n"}),
                                  ["bad_port.py:1: SyntaxError"], check=_every_case_reported("extra")),
    # 10.4: the MATLAB class is part of parity.
    "int64-where-double": Fault(extra_case("x = [1 2 3];\n",
                                           "\n\ndef extra():\n    return {'x': np.array([[1, 2, 3]])}\n"),
                                ["extra x octave-vs-python: class-mismatch: x is double on the octave side and int64"]),
    "float-where-logical": Fault(extra_case("x = [true false true];\n"),
                                 ["x is logical on the octave side and double on the python side"]),
    # 10.5: a typo in `python:` stops the run before any job, naming the case.
    "python-typo": Fault(change_config(lambda c: c["cases"][1].update(python="course_ports:cat_rnm")),
                         ["case 'cat': python: course_ports.py defines no function 'cat_rnm'"], check=_nothing_ran),
    # 10.6: a configured function cannot come from the standard library or site-packages.
    "inputs-from-os-system": Fault(change_config(lambda c: c["cases"][1].update(inputs_from={
        "function": "os:system", "args": {"command": "touch PWNED"}})),
        ["case 'cat': inputs_from.function: module 'os'", "not a file of the project"], check=_nothing_ran),
    # 10.7: the gate knows what to expect; damaged intermediates are remade or named.
    "case-summary-cut": Fault(truncate(layout.case_summary("rnn2"), keep_lines=4),
                              ["results/parity/rnn2/summary.csv: holds 3 row(s) where case 'rnn2' has 9",
                               "run again to remake it"], fix=lambda repo: None),
    "case-summary-deleted": Fault(remove(layout.case_summary("rnn2")), [], exit=0),
    "element-table-cut": Fault(truncate(layout.element_table("cat", "octave", "python", "H"), keep_lines=3),
                               ["results/parity/cat/elements/octave-vs-python/H.csv: the element table was changed"],
                               fix=lambda repo: None),
    "element-table-deleted": Fault(remove(layout.element_table("cat", "octave", "python", "H")), [], exit=0),
    "engine-file-truncated": Fault(truncate(layout.python_engine("cat")),
                                   ["results/engines/cat/python.npz", "truncated or damaged", "run again to remake it"],
                                   fix=lambda repo: None),
    # 10.8: no path is Octave source; names with quotes and spaces work.
    "file-name-injection": Fault(extra_case("x = [1 2 3];\n", script="matlab_ref/x.m'),system('touch PWNED4'),%.m"),
                                 [], exit=0),
    "file-name-with-quote": Fault(extra_case("x = [1 2 3];\n", script="matlab_ref/rnn2 it's.m"), [], exit=0),
    # 10.9: interactive calls fail at once with the file and line.
    "input": Fault(extra_case("a = 1;\nx = input('enter a number: ');\n"),
                   ["matlab_ref/extra.m:2", "input waits for an answer"]),
    "keyboard": Fault(extra_case("keyboard;\nx = 1;\n"), ["matlab_ref/extra.m:1", "keyboard"]),
    "timeout": Fault(both(extra_case("t0 = tic;\nwhile toc(t0) < 30\nend\nx = 1;\n"),
                          change_config(lambda c: c["octave"].update(timeout_s=3))),
                     ["matlab_ref/extra.m: still running after the 3 s timeout"]),
    # 10.10: special values reach every report.
    "inf-from-port": Fault(edit("course_ports.py", 'return {"H": H,', 'H[1, 2] = np.inf\n    return {"H": H,'),
                           ["cat H octave-vs-python: fail"], check=_infinite_reports),
    "nan-from-port": Fault(edit("course_ports.py", 'return {"H": H,', 'H[1, 2] = np.nan\n    return {"H": H,'),
                           ["cat H octave-vs-python: fail"], check=_headline_at_nan),
    # 10.11: a sentence, not a traceback.
    "infinite-timeout": Fault(change_config(lambda c: c["octave"].update(timeout_s=float("inf"))),
                              ["octave.timeout_s: inf is greater than the maximum of 86400"], check=_nothing_ran),
    "misspelt-key": Fault(change_config(lambda c: c["cases"][1].update(varaibles=c["cases"][1].pop("variables"))),
                          ["cases[cat]: unknown key 'varaibles'"], check=_nothing_ran),
    "duplicate-key": Fault(edit("config/config.yaml", "  python: course_ports:cat_rnn\n",
                                "  python: course_ports:cat_rnn\n  python: course_ports:other\n"),
                           ["key 'python' is given twice"], check=_nothing_ran),
    "results-is-a-file": Fault(_results_is_a_file, ["results is a file"], check=_nothing_ran, fix=_restore_results),
    "script-does-not-match-case": Fault(extra_case("x = 1;\n", TAKES_INPUTS, draws={"n": 2, "seed": 1},
                                                   inputs={"a": {"uniform": {"shape": [1, 1], "low": 0, "high": 1}}},
                                                   python="course_ports:extra_in"),
                                        ["draws: extra.m is a script"]),
}


def _fix_default(project: Path, reference: Path) -> None:
    shutil.copy2(reference / "config" / "config.yaml", project / "config" / "config.yaml")
    shutil.copy2(reference / "course_ports.py", project / "course_ports.py")
    for p in (project / "matlab_ref").iterdir():
        if p.is_file() and not (reference / "matlab_ref" / p.name).exists():
            p.unlink()
    (project / "bad_port.py").unlink(missing_ok=True)


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault(name, project, reference):
    fault = FAULTS[name]
    fault.apply(project)
    before = _results_bytes(project)
    run = snakemake(project, fault.target, env=fault.env)
    out = run.stdout + run.stderr
    assert run.returncode == fault.exit, out[-4000:]
    for text in fault.messages:
        assert text in out, f"{text!r} not in the output:\n{out[-4000:]}"
    _no_traceback(project, out)
    if fault.exit and fault.check is _nothing_ran:
        # The configuration did not load, so no run started: parsing the workflow deletes nothing (a dry
        # run must not), the last run's results stay byte for byte, and the next run that loads the
        # configuration reconciles them with its sources.
        assert _results_bytes(project) == before
        assert not list(project.rglob("PWNED*")), "a configured string ran as code"
    elif fault.exit:
        assert_no_standing_verdict(project)
    if fault.check:
        fault.check(project, out)
    if name in ("input", "keyboard"):
        # Fails at the call (found on main: blocked until interrupted), not by the case's timeout.
        assert "still running after" not in out, out[-4000:]

    (fault.fix or (lambda p: _fix_default(p, reference)))(project)
    rerun = snakemake(project, "all")
    assert rerun.returncode == 0, (rerun.stdout + rerun.stderr)[-4000:]
    assert csv_bytes(project) == csv_bytes(reference)  # the same bytes as a run that never saw the fault
    assert not (project / layout.incomplete()).exists()
    assert (project / layout.gate()).read_text() == "11 of 11 comparisons pass\n"


def test_the_reference_run_records_every_source_of_each_case(reference):
    _provenance_names_the_port(reference, "")
    files = json.loads((reference / layout.provenance()).read_text())["cases"]["rnn2"]["files"]
    assert {"matlab_ref/rnn2.m", "matlab_ref/compat/softmax.m", "rnncore/course/rnn2.py",
            "rnncore/engine/octave.py", "rnncore/engine/parity.py"} <= set(files)
    assert "rnncore/models/lstm.py" not in files  # exactly what the case runs, nothing more


def test_octave_missing_stops_with_install_hint(project):
    # The project is up to date: nothing needs Octave. Edit a script so that its case runs again.
    with open(project / "matlab_ref" / "cat_rnn.m", "a") as fh:
        fh.write("% edited\n")
    run = snakemake(project, "all", env={"OCTAVE_EXECUTABLE": "/nonexistent/octave-cli"})
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "is not an executable" in out and "apt-get install octave" in out
    assert_no_standing_verdict(project)


# --------------------------------------------------------------------------- interrupted


def octave_pids(inside: Path) -> set[str]:
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


def test_ctrl_c_then_rerun_finishes_with_the_same_bytes(project, reference):
    (project / "matlab_ref" / "slow.m").write_text("t0 = tic;\nwhile toc(t0) < 20\nend\nx = [1 2 3];\n")
    (project / "course_ports.py").write_text(CAT_PORT + EXTRA_PORT)
    set_config(project, extra_cases=[{**SCRIPT, "script": "matlab_ref/slow.m"}])
    env = {**os.environ, "PYTHONPATH": str(project)}
    proc = subprocess.Popen([sys.executable, "-m", "snakemake", "all"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    log = project / layout.log("extra", "octave")
    # Interrupt once the slow case's Octave is running (its log says so and its process exists), not
    # after some guessed delay. The deadline only bounds the wait; it asserts no speed.
    deadline = time.monotonic() + 300
    while not (log.exists() and "running" in log.read_text() and octave_pids(project)):
        assert proc.poll() is None and time.monotonic() < deadline, "the slow case never started"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole foreground group
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0
    # Found on main: a pexpect dump and `ValueError: could not convert string to float: 'double'`.
    assert "pexpect" not in out and "could not convert" not in out, out[-3000:]
    assert_no_standing_verdict(project)
    # A killed process lingers in /proc until reaped: wait for it to go (bounded), then assert.
    deadline = time.monotonic() + 30
    while octave_pids(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert octave_pids(project) == set(), "an Octave session outlived the interrupted run"

    _fix_default(project, reference)
    rerun = snakemake(project, "all")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert csv_bytes(project) == csv_bytes(reference)


def test_two_cores_give_the_same_bytes_as_one(reference, tmp_path):
    one = copy_project(tmp_path / "one")
    run = snakemake(one, "all", "--cores", "1")
    assert run.returncode == 0, run.stderr[-2000:]
    assert csv_bytes(one) == csv_bytes(reference)  # the reference ran on every core
