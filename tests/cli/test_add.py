"""`rnncore add SCRIPT.m`: one Octave run lists every variable with its class and size, then the port and the
case are written; everything that stops it writes nothing."""

import importlib.util
import shutil

import pytest
import yaml

from conftest import ROOT

pytest_plugins = ["course_fixture"]  # the `course` fixture
from rnncore.tool.cli import main
from rnncore.config import load_settings, read_config_file
from rnncore.tool.testing import parity


def load_port(path, name):
    """The port's function, imported from its file under a unique name (no `ports` package cached)."""
    spec = importlib.util.spec_from_file_location(f"_port_{path.parent.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def listing(out):
    """variable -> (class, size, compared) from the table `rnncore add` prints."""
    rows = {}
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split() == ["variable", "class", "size", "compared"])
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        name, cls, size, compared = line.split(maxsplit=3)
        rows[name] = (cls, size, compared)
    return rows


def test_add_exercise_rnn1a_lists_its_variables_and_writes_a_translated_port_that_passes(course, octave, capsys):
    shutil.copy(ROOT / "matlab_ref" / "exercise_rnn1a.m", course / "matlab_ref")
    old_config = (course / "config.yaml").read_text()
    assert main(["add", "matlab_ref/exercise_rnn1a.m"]) == 0
    out = capsys.readouterr().out
    rows = listing(out)
    for name, size in (("h1", "3x1"), ("h2", "3x1"), ("y1", "4x1"), ("p1", "4x1"), ("whx", "3x4")):
        assert rows[name] == ("double", size, "yes"), name
    assert len(rows) == 15  # and every other variable the script leaves (X, bias, loop counters, ...)
    assert "wrote ports/exercise_rnn1a.py (translated by rnncore translate" in out
    assert "next: rnncore run exercise_rnn1a" in out

    # The case is appended to the text; every byte of the old configuration is still there.
    new_config = (course / "config.yaml").read_text()
    assert new_config.startswith(old_config)
    settings = load_settings(read_config_file(course / "config.yaml"), course, "config.yaml")
    case = settings.case("exercise_rnn1a")
    assert (case.script, case.python) == ("matlab_ref/exercise_rnn1a.m", "ports.exercise_rnn1a:exercise_rnn1a")
    assert set(case.variables) == set(rows) and {"h1", "h2", "y1", "p1"} <= set(case.variables)

    # The translated port agrees with Octave on every variable, within the folder's tolerance.
    port = load_port(course / "ports" / "exercise_rnn1a.py", "exercise_rnn1a")
    result = parity("matlab_ref/exercise_rnn1a.m", port, list(case.variables))
    assert {v: c.status for v, c in result.comparisons.items()} == {v: "pass" for v in case.variables}


SWITCHING = """% A course-style script outside rnncore translate's subset (eval), with a struct.
mode = 'tanh';
x = [0.25; -0.5];
eval('h = tanh(x);');
flags = h > 0;
net.w = 3;
"""


def test_a_script_outside_the_translated_subset_gets_a_skeleton_without_octaves_values(course, octave, capsys):
    (course / "matlab_ref" / "switching.m").write_text(SWITCHING)
    assert main(["add", "matlab_ref/switching.m", "--name", "sw"]) == 0
    out = capsys.readouterr().out
    rows = listing(out)
    assert rows == {"flags": ("logical", "2x1", "yes"), "h": ("double", "2x1", "yes"), "mode": ("char", "1x4", "yes"),
                    "net": ("struct", "1x1",
                            "no: a struct: name its fields in `variables` to compare them (net.field)"),
                    "x": ("double", "2x1", "yes")}
    assert "wrote ports/sw.py (a skeleton to complete by hand" in out
    assert "switching.m:4" in out and "eval" in out  # why it was not translated: file, line, construct
    text = (course / "ports" / "sw.py").read_text()
    # The docstring lists each variable's class and size; Octave's numbers are nowhere in the port.
    for line in ("    flags     logical  2x1", "    h         double   2x1", "    mode      char     1x4",
                 "    net       struct   1x1  (not compared"):
        assert line in text, line
    assert "0.2449186624" not in text and "0.24491866240370913" not in text  # tanh(0.25)
    port = load_port(course / "ports" / "sw.py", "switching")
    with pytest.raises(NotImplementedError, match=r"return flags \(logical 2x1\), h \(double 2x1\), mode \(char "
                                                  r"1x4\), x \(double 2x1\) as a mapping"):
        port()
    case = load_settings(read_config_file(course / "config.yaml"), course, "config.yaml").case("sw")
    assert (case.python, case.variables) == ("ports.sw:switching", ("flags", "h", "mode", "x"))


@pytest.mark.parametrize("argv, message", [
    (["add", "matlab_ref/example_rnn.m"],
     "config.yaml already has a case named 'example_rnn'; give another with --name"),
    (["add", "matlab_ref/example_rnn.m", "--name", "taken"], "ports/taken.py already exists"),
    (["add", "matlab_ref/example_rnn.m", "--name", "no good"], "--name 'no good' cannot name a case: a case name is 1 "
                                                               "to 64 letters, digits, _ or -"),
    (["add", "matlab_ref/my script.m"], "the script's name 'my script' cannot name a case"),
    (["add", "matlab_ref/f.m"], "matlab_ref/f.m is a function file (function [y] = f(x)); rnncore add runs scripts"),
    (["add", "matlab_ref/crash.m"], "crash.m:2:"),
    (["add", "matlab_ref/broken.m"], "broken.m:1:"),
    (["add", "matlab_ref/nothing.m"], "leaves no variable that can be compared"),
    (["add", "matlab_ref/absent.m"], "matlab_ref/absent.m: no such file"),
    (["add", "ports/example_rnn.py"], "not a .m file"),
    (["add", "../outside.m"], "is outside the course folder"),
])
def test_what_stops_add_writes_nothing(course, octave, capsys, argv, message):
    (course / "ports" / "taken.py").write_text("# mine\n")
    (course / "matlab_ref" / "f.m").write_text("function y = f(x)\ny = 2 * x;\nend\n")
    (course / "matlab_ref" / "crash.m").write_text("a = 1;\nb = [1 2] * [3 4];\n")
    (course / "matlab_ref" / "broken.m").write_text("a = [1 2;\n")
    (course / "matlab_ref" / "nothing.m").write_text("s.a = 1;\n")
    (course / "matlab_ref" / "my script.m").write_text("a = 1;\n")
    (course.parent / "outside.m").write_text("a = 1;\n")
    before = snapshot(course)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("rnncore add: ") and message in err, err
    assert "Traceback" not in err and err.count("\n") <= 3
    assert snapshot(course) == before


def test_dry_run_lists_the_variables_and_writes_nothing(course, octave, capsys):
    before = snapshot(course)
    assert main(["add", "matlab_ref/example_rnn.m", "--name", "again", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert listing(out)["ht"] == ("double", "3x4", "yes") and listing(out)["p"] == ("double", "3x3", "yes")
    assert "dry run: would write ports/again.py and append case 'again' to config.yaml" in out
    assert "  - name: again" in out
    assert snapshot(course) == before


def test_add_runs_its_script_through_the_workflows_octave_step(course, octave, capsys, monkeypatch):
    # One way to run a case's script in Octave: `rnncore add` lists what the workflow's own step
    # (rnncore.pipeline.steps.octave_side) brings back, not what a call of its own would.
    from rnncore.pipeline import steps

    calls = []
    real = steps.octave_side

    def spy(script, *args, **kwargs):
        calls.append(script.name)
        return real(script, *args, **kwargs)

    monkeypatch.setattr(steps, "octave_side", spy)
    assert main(["add", "matlab_ref/example_rnn.m", "--name", "again", "--dry-run"]) == 0
    assert calls == ["example_rnn.m"]
    assert listing(capsys.readouterr().out)["ht"] == ("double", "3x4", "yes")


def test_add_outside_a_course_folder_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.m").write_text("a = 1;\n")
    assert main(["add", "x.m"]) == 1
    assert "no configuration in" in capsys.readouterr().err and not (tmp_path / "ports").exists()


def test_the_case_added_to_a_repository_style_config_keeps_its_comments(tmp_path, monkeypatch, octave, capsys):
    # config/config.yaml (this repository's layout) rather than config.yaml; the entry is indented as the others.
    (tmp_path / "config").mkdir()
    (tmp_path / "matlab_ref").mkdir()
    text = ("# top comment\noctave:\n  timeout_s: 30   # seconds\ntolerance: {ulp: 16, atol: 8.8817841970012523e-16}\n"
            "cases:\n    - name: first\n      script: matlab_ref/first.m\n      python: ports.first:first\n"
            "      variables: [a]\n# after the cases\n")
    (tmp_path / "config" / "config.yaml").write_text(text)
    (tmp_path / "matlab_ref" / "first.m").write_text("a = 1;\n")
    (tmp_path / "matlab_ref" / "second.m").write_text("b = [1 2 3];\n")
    (tmp_path / "ports").mkdir()
    (tmp_path / "ports" / "first.py").write_text("def first():\n    return {}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["add", "matlab_ref/second.m"]) == 0
    new = (tmp_path / "config" / "config.yaml").read_text()
    assert new == text.replace("# after the cases\n", "\n    - name: second\n      script: matlab_ref/second.m\n"
                               "      python: ports.second:second\n      variables: [b]\n# after the cases\n")
    assert (tmp_path / "ports" / "__init__.py").is_file()  # the ports folder became a package
    assert yaml.safe_load(new)["cases"][1]["variables"] == ["b"]
