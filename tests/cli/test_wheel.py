"""rnncore as a new user gets it: the wheel built from this checkout, installed (not editable) into a fresh
virtual environment, used in an empty folder: `rnncore init`, `rnncore add` on a course-style script of our own,
`rnncore run` passing, then failing on a port off by 1e-9; and the pytest fixture through the wheel's entry point.

One wheel and one environment serve every test here (session-scoped). The wheel is built as a user builds it:
`python -m build`, isolated, so pip fetches the setuptools pyproject.toml asks for from the package index (the
machine's own setuptools may be older: Python 3.11 ships 65.5.0). The environment sees this machine's packages
(`--system-site-packages`, `pip install --no-deps`: fast and offline); every test checks that the `rnncore` it
runs is the wheel's, not this checkout nor an editable install.
"""

from __future__ import annotations

import ast
import csv
import importlib.metadata
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from rnncore import __version__

pytestmark = pytest.mark.workflow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    build_log: str  # what `python -m build` printed (stdout and stderr)
    venv: Path
    site: Path  # the venv's site-packages, where the wheel's rnncore lives
    env: dict

    def run(self, *args, cwd, timeout=600):
        return subprocess.run([str(a) for a in args], cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def rnncore(self, *args, cwd, timeout=600):
        return self.run(self.venv / "bin" / "rnncore", *args, cwd=cwd, timeout=timeout)


def _checked(run: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    assert run.returncode == 0, f"{what} failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    # The checkout's files as git sees them (tracked, and new files not ignored): no results/, no build/.
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    src = work / "src"
    for rel in filter(None, listed):
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes((ROOT / rel).read_bytes())
    # sdist, then the wheel from the sdist (what pip does from PyPI), each in an isolated environment with the
    # build requirements of pyproject.toml fetched by pip (about 5 s here once pip's cache holds setuptools).
    built = _checked(subprocess.run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(src)],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, timeout=600), "python -m build (isolated: needs the package index)")
    (wheel,) = (work / "dist").glob("rnncore-*.whl")
    venv = work / "venv"
    _checked(subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], capture_output=True,
                            text=True, timeout=300), "python -m venv")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PIP_DISABLE_PIP_VERSION_CHECK="1",
               VIRTUAL_ENV=str(venv), PYTHONDONTWRITEBYTECODE="1")
    _checked(subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index",
                             str(wheel)], env=env, capture_output=True, text=True, timeout=600), "pip install")
    where = _checked(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import rnncore, sysconfig; print(rnncore.__file__); "
                                             "print(sysconfig.get_paths()['purelib'])"],
        env=env, cwd=work, capture_output=True, text=True), "import rnncore").stdout.split("\n")
    module, site = Path(where[0]), Path(where[1])
    assert module == site / "rnncore" / "__init__.py", module
    assert not module.resolve().is_relative_to(ROOT.resolve()) and "/work/main" not in str(module.resolve())
    return Installed(wheel, built.stdout, venv, site, env)


def test_the_build_prints_no_packaging_warning(installed):
    # setuptools warns "Package would be ignored" for a folder of data inside a package that pyproject.toml
    # does not list; and the `license` table is deprecated (unsupported by setuptools from 2027-02-18).
    assert "Successfully built rnncore-" in installed.build_log
    for warning in ("would be ignored", "Deprecat", "SetuptoolsWarning"):
        assert warning.lower() not in installed.build_log.lower(), (warning, installed.build_log[-4000:])


def test_the_wheel_holds_every_module_and_data_file_of_the_package(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    files = {rel: data for rel, data in tracked("rnncore").items() if "__pycache__" not in rel}
    assert "rnncore/engine/octave.py" in files and "rnncore/reports/templates/report.css" in files
    # A new subpackage (or data folder) that pyproject.toml's explicit `packages` does not list is left out.
    assert sorted(set(files) - names) == []


def test_the_wheel_requires_what_a_course_folder_needs_without_an_extra(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(meta).decode()
    required = {re.split(r"[<>=!~ ;\[]", line.split(": ", 1)[1], maxsplit=1)[0].lower()
                for line in text.splitlines() if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    assert "pytest" in required  # the course folder's tests/ and pytest.ini, and rnncore's pytest plugin
    # Every module the files of `rnncore init` import comes from rnncore or one of its requirements.
    from rnncore.tool.scaffold import course_files

    imported = set()
    for rel, source in course_files().items():
        if rel.endswith(".py"):
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    imported.add(node.module.split(".")[0])
    assert {"numpy", "ports"} <= imported
    providers = importlib.metadata.packages_distributions()
    for module in sorted(imported - {"ports"} - set(sys.stdlib_module_names)):  # ports: the folder's own
        dists = {d.lower() for d in providers.get(module, [])}
        assert dists & (required | {"rnncore"}), (module, dists, sorted(required))


def tracked(folder: str) -> dict[str, bytes]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", folder], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return {rel: (ROOT / rel).read_bytes() for rel in filter(None, listed)}


def test_the_wheel_ships_the_workflow_profiles_shims_and_course_files(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        for folder, inside in (("workflow", "rnncore/_workflow"), ("profiles", "rnncore/_profiles"),
                               ("matlab_ref", "rnncore/_matlab")):
            files = tracked(folder)
            assert files, folder
            for rel, data in files.items():
                packaged = inside + rel[len(folder):]
                assert packaged in names, packaged
                assert wheel.read(packaged) == data, packaged  # the same bytes
            shipped = {n for n in names if n.startswith(inside + "/")}
            assert len(shipped) == len(files), sorted(shipped)  # nothing else (no __pycache__)
        assert "rnncore/tool/templates/course/dot-github/workflows/parity.yml" in names
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = wheel.read(entry_points).decode()
        assert "[console_scripts]\nrnncore = rnncore.tool.cli:main" in text
        assert "[pytest11]\nrnncore = rnncore.tool.pytest_plugin" in text
    # The installed package finds its own copies, not this checkout's.
    run = _checked(installed.run(installed.venv / "bin" / "python", "-c",
                                 "from rnncore import resources as r\n"
                                 "for p in (r.snakefile(), r.schema_path(), r.profile_dir() / 'config.yaml', "
                                 "r.compat_dir() / 'softmax.m', r.matlab_dir() / 'rnn2.m'):\n"
                                 "    print(p, p.is_file())", cwd=installed.venv), "resources")
    for line in run.stdout.splitlines():
        path, exists = line.rsplit(" ", 1)
        assert exists == "True" and Path(path).is_relative_to(installed.site / "rnncore"), line


# A course-style script of our own: an Elman RNN reading C, A, T with its weights in a struct and its
# vocabulary made by eval (outside `rnncore translate`'s subset, so `rnncore add` writes a skeleton and
# the port below is ours).
CAT_RNN = """%cat_rnn.m  An Elman RNN reads the letters C, A, T (one-hot over the vocabulary 'ACT').
clear
net.Whx = [0.4 -0.6 0.3; 0.2 0.5 -0.1; -0.3 0.1 0.8];
net.Whh = [0.1 0.2 0; -0.2 0.1 0.3; 0 -0.1 0.2];
net.b = [0.05; -0.02; 0.1];
net.Why = [0.6 -0.4 0.2; -0.1 0.3 0.5; 0.2 0.2 -0.6];
eval('vocab = ''ACT'';');
letters = 'CAT';
h = zeros(3, 1);
H = zeros(3, numel(letters));
for t = 1:numel(letters)
  x = double(vocab' == letters(t));
  h = tanh(net.Whx*x + net.Whh*h + net.b);
  H(:, t) = h;
end
Y = softmax(net.Why*H)
"""

PORT = '''"""Port of matlab_ref/cat_rnn.m (written by the test)."""

import numpy as np

WHX = np.array([[0.4, -0.6, 0.3], [0.2, 0.5, -0.1], [-0.3, 0.1, 0.8]])
WHH = np.array([[0.1, 0.2, 0.0], [-0.2, 0.1, 0.3], [0.0, -0.1, 0.2]])
B = np.array([[0.05], [-0.02], [0.1]])
WHY = np.array([[0.6, -0.4, 0.2], [-0.1, 0.3, 0.5], [0.2, 0.2, -0.6]])


def cat_rnn():
    vocab, letters = "ACT", "CAT"
    h = np.zeros((3, 1))
    H = np.zeros((3, 3))
    for t, letter in enumerate(letters):
        x = np.array([[float(v == letter)] for v in vocab])
        h = np.tanh(WHX @ x + WHH @ h + B)
        H[:, t : t + 1] = h
    z = WHY @ H
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return {"vocab": vocab, "letters": letters, "h": h, "H": H, "t": 3.0, "x": x,
            "Y": e / e.sum(axis=0, keepdims=True)}
'''


def rows(folder: Path) -> dict[tuple[str, str], str]:
    with open(folder / "results" / "parity" / "summary.csv", newline="") as fh:
        return {(r["case"], r["variable"]): r["status"] for r in csv.DictReader(fh)}


def test_init_add_run_pass_then_fail_from_the_installed_wheel(installed, tmp_path, octave):
    run = _checked(installed.rnncore("init", "course", cwd=tmp_path), "rnncore init")
    course = tmp_path / "course"
    assert (course / "config.yaml").is_file() and (course / ".github" / "workflows" / "parity.yml").is_file()
    # Its CI installs rnncore from where this one came from: the wheel's file (pip's direct_url.json, PEP 610).
    (step,) = [s for s in yaml.safe_load((course / ".github" / "workflows" / "parity.yml").read_text())["jobs"][
        "parity"]["steps"] if s.get("name") == "rnncore"]
    assert step["env"] == {"RNNCORE_SPEC": str(installed.wheel)}
    (course / "matlab_ref" / "cat_rnn.m").write_text(CAT_RNN)

    run = _checked(installed.rnncore("add", "matlab_ref/cat_rnn.m", cwd=course), "rnncore add")
    listed = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines() if line.startswith("  ")
              and len(line.split()) >= 4}
    assert listed["H"] == ["double", "3x3", "yes"] and listed["Y"] == ["double", "3x3", "yes"]
    assert listed["letters"] == ["char", "1x3", "yes"] and listed["net"][:3] == ["struct", "1x1", "no:"]
    assert "wrote ports/cat_rnn.py (a skeleton to complete by hand" in run.stdout
    skeleton = (course / "ports" / "cat_rnn.py").read_text()
    assert "raise NotImplementedError" in skeleton and ["H", "double", "3x3"] in [line.split() for line in
                                                                                  skeleton.splitlines()]
    (course / "ports" / "cat_rnn.py").write_text(PORT)  # the port, by hand

    run = installed.rnncore("run", cwd=course)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    statuses = rows(course)
    expected = {("cat_rnn", v) for v in ("H", "Y", "h", "letters", "t", "vocab", "x")} | {
        ("example_rnn", v) for v in ("ht", "y", "p")}
    assert statuses == {key: "pass" for key in expected}
    assert "rnncore run: parity passed (every case): 10 of 10 comparisons pass" in run.stdout
    assert "rnncore run: report: results/report/index.html" in run.stdout
    assert (course / "results" / "report" / "index.html").is_file()
    # The jobs ran the wheel's workflow (and its rnncore), from the installed package.
    assert f"{installed.site}/rnncore/_matlab/compat/softmax.m" in (
        course / "results" / "parity" / "provenance.json").read_text()
    report = _checked(installed.rnncore("report", cwd=course), "rnncore report")
    assert report.stdout.splitlines()[0] == str((course / "results" / "report" / "index.html").resolve())

    # A slip of 1e-9 in one weight: every row it reaches fails, and both runs say which.
    (course / "ports" / "cat_rnn.py").write_text(PORT.replace("[[0.4, -0.6, 0.3]", "[[0.400000001, -0.6, 0.3]"))
    run = installed.rnncore("run", cwd=course)
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "rnncore run: parity FAILED (every case): 3 of 10 comparisons fail" in run.stdout
    for v in ("H", "Y", "h"):
        assert f"  - cat_rnn {v} octave-vs-python: fail" in run.stdout, v
    assert rows(course) == {**{key: "pass" for key in expected},
                            **{("cat_rnn", v): "fail" for v in ("H", "Y", "h")}}
    assert "rnncore run: report: results/report/index.html" in run.stdout  # built all the same

    run = installed.rnncore("run", "cat_rnn", cwd=course)  # one case: nothing to redo, the same verdict
    assert run.returncode == 1
    assert "rnncore run: parity FAILED (case cat_rnn): 3 of 7 comparisons fail" in run.stdout
    assert "  - cat_rnn H octave-vs-python: fail, 3 of 9 elements outside" in run.stdout


WRONG_TEST = '''
from ports.example_rnn import example_rnn


def off():
    out = example_rnn()
    out["p"] = out["p"] + 1e-9
    return out


def test_off(matlab_parity):
    matlab_parity("matlab_ref/example_rnn.m", off, ["p"])
'''


def test_pytest_in_a_course_folder_finds_the_fixture_through_the_wheels_entry_point(installed, tmp_path, octave):
    _checked(installed.rnncore("init", "course", cwd=tmp_path), "rnncore init")
    course = tmp_path / "course"
    (course / "tests" / "test_off.py").write_text(WRONG_TEST)
    run = installed.run(installed.venv / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", cwd=course)
    out = run.stdout
    assert run.returncode == 1, out[-3000:] + run.stderr[-3000:]
    assert f"rnncore-{__version__}" in out.split("collected", 1)[0]  # the plugin, from the installed distribution
    assert "1 failed, 1 passed" in out
    assert "p: fail, 9 of 9 elements outside the tolerance" in out
    assert "worst elements (1-based row and col; at most 10 per variable):" in out
