"""The command line's surface: --help everywhere, exit statuses (0 ok, 1 failure, 2 usage), `check` and `report`.
`run` itself is exercised end to end from an installed wheel (test_wheel.py)."""

import subprocess
import sys
import webbrowser

import pytest

from conftest import ROOT

pytest_plugins = ["course_fixture"]  # the `course` fixture
from rnncore.tool.addcase import append_case, case_entry
from rnncore.tool.cli import COMMANDS, main
from rnncore.tool.runner import snakemake_command, targets


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: rnncore {command}")


def test_python_m_rnncore_is_the_same_command_line():
    run = subprocess.run([sys.executable, "-m", "rnncore", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "usage: rnncore" in run.stdout
    for command in COMMANDS:
        assert f"    {command}" in run.stdout


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["run", "--cores", "0"], ["run", "--cores", "two"], ["add"],
                                  ["report", "--bogus"], ["translate"], ["notebook", "--bogus"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_run_outside_a_course_folder_and_with_an_unknown_case(course, tmp_path, monkeypatch, capsys):
    assert main(["run", "example", "nope"]) == 2
    assert capsys.readouterr().err.strip() == ("rnncore run: no case named 'example', 'nope' in config.yaml; its "
                                               "cases: example_rnn")
    (course / "config.yaml").write_text((course / "config.yaml").read_text().replace("variables:", "varaibles:"))
    assert main(["run"]) == 1
    assert "unknown key 'varaibles'" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "no configuration in" in err and "`rnncore init DIR` makes one" in err
    assert not (tmp_path / "results").exists() and not (tmp_path / ".snakemake").exists()


def test_run_asks_snakemake_for_the_packaged_workflow_and_profile(course):
    from rnncore import resources
    from rnncore.config import load_settings, read_config_file

    settings = load_settings(read_config_file("config.yaml"), course, "config.yaml")
    cmd = snakemake_command(targets(settings), cores=2)
    assert cmd[:3] == [sys.executable, "-m", "snakemake"]
    assert cmd[cmd.index("--snakefile") + 1] == str(resources.snakefile())
    assert cmd[cmd.index("--workflow-profile") + 1] == str(resources.profile_dir("default"))
    assert cmd[-5:] == ["--cores", "2", "parity", "results/report/index.html", "results/summary.md"]
    assert targets(settings, ["example_rnn"]) == ["results/parity/example_rnn/summary.csv"]
    assert targets(settings, everything=True) == ["all"]
    # This repository's configuration also trains models: its report waits for them, so a parity run skips it.
    repo = load_settings(read_config_file(ROOT / "config" / "config.yaml"), ROOT, "config/config.yaml")
    assert targets(repo) == ["parity"]


def test_check_passes_on_a_new_course_folder(course, octave, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "config.yaml: valid, 1 case(s)" in out and "example_rnn (matlab_ref/example_rnn.m): ok" in out
    assert main(["check", "--verbose"]) == 0
    assert "note: matlab_ref/example_rnn.m:7:1: clear with no argument" in capsys.readouterr().out


def test_check_names_undefined_functions_and_prompts_with_file_and_line(course, octave, capsys):
    (course / "matlab_ref" / "needs.m").write_text("x = [1; 2];\nk = input('k? ');\ny = no_such_fn_rnncore(x);\n"
                                                   "z = softmax(x);\n")
    (course / "ports" / "needs.py").write_text("def needs():\n    return {}\n")
    config = course / "config.yaml"
    config.write_text(append_case(config.read_text(), case_entry("needs", "matlab_ref/needs.m", "ports.needs:needs",
                                                                 ["y"])))
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert "  needs (matlab_ref/needs.m): 2 problem(s)" in captured.out
    assert "problem: matlab_ref/needs.m:2:5: input waits for an answer" in captured.out
    assert ("problem: matlab_ref/needs.m:3:5: no_such_fn_rnncore is called but is neither defined in Octave"
            in captured.out)
    assert "softmax is called" not in captured.out  # rnncore's shim defines it
    assert "example_rnn (matlab_ref/example_rnn.m): ok" in captured.out
    assert captured.err.strip() == "rnncore check: 2 problem(s) in 1 of 2 case(s)"


def test_check_names_a_bad_key_and_a_missing_port(course, capsys):
    config = course / "config.yaml"
    good = config.read_text()
    config.write_text(good.replace("ports.example_rnn:example_rnn", "ports.example_rnn:example"))
    assert main(["check"]) == 1
    assert "case 'example_rnn': python: ports/example_rnn.py defines no function 'example'" in capsys.readouterr().err
    config.write_text(good.replace("timeout_s: 120", "timeout_s: -1"))
    assert main(["check"]) == 1
    assert "octave.timeout_s" in capsys.readouterr().err


SWITCH = "mode = 'tanh';\nx = [0.25; -0.5];\nswitch mode\n  case 'tanh'\n    h = tanh(x);\n  otherwise\n    h = x;\nend\n"


def test_check_says_a_skeleton_port_is_not_written_yet(course, octave, capsys):
    """Found on main: `check` said "ok" for the skeleton `rnncore add` writes when the translator refuses a
    script (switch is outside its subset), a port every run of which is that case's error rows."""
    (course / "matlab_ref" / "switching.m").write_text(SWITCH)
    assert main(["add", "matlab_ref/switching.m", "--name", "sw"]) == 0
    assert "a skeleton to complete by hand" in capsys.readouterr().out
    port = course / "ports" / "sw.py"
    raise_line = next(i for i, line in enumerate(port.read_text().splitlines(), 1) if "raise NotImplementedError" in line)
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert "  sw (matlab_ref/switching.m): 1 problem(s)" in captured.out
    assert (f"problem: ports/sw.py:{raise_line}: switching raises NotImplementedError: the port is a skeleton, not "
            f"written yet" in captured.out)
    assert "example_rnn (matlab_ref/example_rnn.m): ok" in captured.out
    assert captured.err.strip() == "rnncore check: 1 problem(s) in 1 of 2 case(s)"
    # Written by hand (a refusal left inside a branch is a port that runs): ok again.
    port.write_text("import numpy as np\n\n\ndef switching(mode='tanh'):\n    if mode != 'tanh':\n"
                    "        raise NotImplementedError(mode)\n    x = np.array([[0.25], [-0.5]])\n"
                    "    h = np.tanh(x)\n    return {'flags': h > 0, 'h': h, 'mode': 'tanh', 'x': x}\n")
    assert main(["check"]) == 0
    assert "  sw (matlab_ref/switching.m): ok" in capsys.readouterr().out


class _Browser:
    def __init__(self, works):
        self.works, self.opened = works, []

    def open(self, url):
        self.opened.append(url)
        return self.works


def test_report_says_where_the_report_is_and_opens_it_where_a_browser_exists(course, monkeypatch, capsys):
    assert main(["report"]) == 1
    assert "no report in" in capsys.readouterr().err
    html = course / "results" / "report" / "index.html"
    html.parent.mkdir(parents=True)
    html.write_text("<html></html>\n")
    assert main(["report"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == str(html.resolve())
    browser = _Browser(works=True)
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    assert main(["report", "--open"]) == 0
    assert browser.opened == [html.resolve().as_uri()]
    monkeypatch.setattr(webbrowser, "get", lambda: _Browser(works=False))
    assert main(["report", "--open"]) == 1
    assert "no web browser could be started here" in capsys.readouterr().err

    def none():
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert main(["report", "--open"]) == 1


def test_translate_and_notebook_are_delegated(course, capsys):
    assert main(["translate", "matlab_ref/example_rnn.m"]) == 0
    assert "def example_rnn():" in capsys.readouterr().out
    assert main(["notebook", "nope"]) == 1
    assert "no case named 'nope'" in capsys.readouterr().err
