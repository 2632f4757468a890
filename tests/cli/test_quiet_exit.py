"""`rnncore add`, `check` and `run`, each in its own process as a user runs them, print nothing of Octave's exit.

Octave 7 saves its history at exit into ~/.local/share/octave/history; where that folder does not exist (a
fresh machine, a CI runner) it prints "error: ignoring const execution_exception& while preparing to exit"
(Octave bug #62515), which reached the user's terminal from every Octave rnncore started. Each test here runs
the command with HOME an empty folder, so the condition of a fresh machine holds whatever this machine's home
holds, and looks for the line in everything the command printed.
"""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytest_plugins = ["course_fixture"]  # the `course` fixture

pytestmark = pytest.mark.octave

NOISE = "ignoring const execution_exception"  # Octave's line, without the "error: " and the end that may vary


def fresh_machine_env(tmp_path) -> dict:
    """This environment with an empty HOME (no ~/.local/share/octave) and this checkout's rnncore importable."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def rnncore(*args, cwd, env, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def assert_quiet(run: subprocess.CompletedProcess, status: int = 0) -> None:
    printed = run.stdout + run.stderr
    assert run.returncode == status, printed[-3000:]
    assert NOISE not in printed, printed[-3000:]


def test_add_prints_no_exit_noise(course, tmp_path, octave):
    (course / "matlab_ref" / "two.m").write_text("a = [1 2; 3 4];\nb = a' * 2;\n")
    run = rnncore("add", "matlab_ref/two.m", cwd=course, env=fresh_machine_env(tmp_path))
    assert_quiet(run)
    assert "ran matlab_ref/two.m in Octave" in run.stdout and (course / "ports" / "two.py").is_file()


def test_check_prints_no_exit_noise(course, tmp_path, octave):
    run = rnncore("check", cwd=course, env=fresh_machine_env(tmp_path))
    assert_quiet(run)
    assert "example_rnn (matlab_ref/example_rnn.m): ok" in run.stdout  # it did ask Octave


def test_run_prints_no_exit_noise(course, tmp_path, octave):
    run = rnncore("run", "--cores", "2", cwd=course, env=fresh_machine_env(tmp_path))
    assert_quiet(run)
    assert "rnncore run: parity passed (every case): 3 of 3 comparisons pass" in run.stdout
