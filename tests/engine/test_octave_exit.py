"""Every Octave rnncore starts exits without a word, and leaves the user's Octave history alone.

Octave 7 saves its command history at exit into ~/.local/share/octave/history; where that folder does not
exist (a fresh machine) it prints "error: ignoring const execution_exception& while preparing to exit" (Octave
bug #62515), and where it does, it filled the user's history with the commands rnncore sends. The scripts here
run in their own process, with HOME a folder of the test's, as a user's script does.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytestmark = pytest.mark.octave

NOISE = "ignoring const execution_exception"  # Octave's line, without the "error: " and the end that may vary

SCRIPT = textwrap.dedent('''
    import numpy as np
    from rnncore.tool.testing import assert_parity


    def net():
        W = np.array([[0.5, -0.25], [0.125, 0.75]])
        return {"W": W, "h": np.tanh(W @ np.array([[1.0], [2.0]]))}


    result = assert_parity("matlab_ref/net.m", net, ["W", "h"])
    print("statuses", sorted((v, c.status) for v, c in result.comparisons.items()))
''')
NET = "W = [0.5 -0.25; 0.125 0.75];\nh = tanh(W*[1; 2]);\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "work" / "matlab_ref").mkdir(parents=True)
    (tmp_path / "work" / "matlab_ref" / "net.m").write_text(NET)
    (tmp_path / "work" / "check.py").write_text(SCRIPT)
    (tmp_path / "home").mkdir()
    return tmp_path


@pytest.fixture
def busy_core():
    """A process spinning on one core while the test runs: the exit must be clean when Octave is slow too."""
    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
    yield spin
    spin.kill()
    spin.wait()


def run_script(folder) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(folder / "home"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "check.py"], cwd=folder / "work", env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


def test_a_script_calling_assert_parity_exits_without_octaves_noise_on_a_fresh_machine(folder, busy_core, octave):
    # HOME is empty: no ~/.local/share/octave, the condition under which Octave 7 printed the line.
    run = run_script(folder)
    printed = run.stdout + run.stderr
    assert run.returncode == 0, printed[-3000:]
    assert "statuses [('W', 'pass'), ('h', 'pass')]" in run.stdout  # Octave did run
    assert NOISE not in printed, printed[-3000:]
    assert run.stderr == ""  # nothing else on stderr either
    assert busy_core.poll() is None  # the other core stayed busy throughout


def test_octave_sessions_write_no_history_into_the_users_home(folder, octave):
    history = folder / "home" / ".local" / "share" / "octave"
    history.mkdir(parents=True)  # where Octave 7 keeps its history, present: Octave would write there
    run = run_script(folder)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert "statuses [('W', 'pass'), ('h', 'pass')]" in run.stdout
    assert sorted(p.name for p in history.iterdir()) == []
