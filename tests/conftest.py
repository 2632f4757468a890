"""Shared fixtures, and the test tiers.

Tests that need GNU Octave take the ``octave`` fixture. Without Octave they skip on a developer's
machine but fail under CI (``CI=true``): every parity claim must come from a real Octave run, and
a CI machine that lost Octave must not turn the parity tests green by skipping them.

The tiers are real (:func:`pytest_collection_modifyitems`): a test that takes the ``octave`` fixture,
directly or through another fixture, carries the ``octave`` marker; one that runs the shipped workflow
(``shipped_run``, ``repo_copy``) carries ``workflow``. So ``-m "not octave and not workflow"``, the fast
tier, selects no test that needs Octave, and a test of that tier that starts Octave anyway fails
(:func:`_octave_is_off_limits`): it finds a stand-in that records the start instead of Octave.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore.engine.octave import OctaveNotFoundError, find_octave
from rnncore.config import in_ci

ROOT = Path(__file__).resolve().parents[1]
# Fixtures whose tests run `snakemake` on a copy of the repository: the workflow tier.
WORKFLOW_FIXTURES = ("shipped_run", "repo_copy")


def pytest_collection_modifyitems(config, items):
    """The ``octave`` marker on every test that uses the ``octave`` fixture (at any depth: ``fixturenames``
    is the closure), ``workflow`` on every test that uses a workflow fixture; tests may carry them already."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "octave" in names and item.get_closest_marker("octave") is None:
            item.add_marker(pytest.mark.octave)
        if names.intersection(WORKFLOW_FIXTURES) and item.get_closest_marker("workflow") is None:
            item.add_marker(pytest.mark.workflow)


# A stand-in for Octave, found first (OCTAVE_EXECUTABLE, and first on PATH) by every test of the fast tier:
# it records that it was started, in the file $RNNCORE_TEST_OCTAVE_LOG, and fails as a missing Octave would.
_STAND_IN = """#!/bin/sh
echo "$0 $*" >> "$RNNCORE_TEST_OCTAVE_LOG"
echo "rnncore tests: a test without the octave marker started Octave" >&2
exit 1
"""


@pytest.fixture(scope="session")
def _octave_stand_in(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("octave-off-limits")
    for name in ("octave-cli", "octave"):
        (folder / name).write_text(_STAND_IN)
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture(autouse=True)
def _octave_is_off_limits(request, monkeypatch, tmp_path_factory):
    """A test of the fast tier (neither ``octave`` nor ``workflow``) that starts Octave fails, naming itself."""
    if request.node.get_closest_marker("octave") or request.node.get_closest_marker("workflow"):
        yield
        return
    folder = request.getfixturevalue("_octave_stand_in")
    log = tmp_path_factory.mktemp("octave-starts") / "started.log"
    monkeypatch.setenv("OCTAVE_EXECUTABLE", str(folder / "octave-cli"))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("RNNCORE_TEST_OCTAVE_LOG", str(log))
    yield
    if log.exists():
        pytest.fail(f"{request.node.nodeid} started Octave ({log.read_text().strip()}) but has no octave marker: "
                    f"take the `octave` fixture", pytrace=False)


@pytest.fixture(scope="session")
def octave() -> str:
    """Path of the Octave executable; fails under CI and skips elsewhere when Octave is missing."""
    try:
        return find_octave()
    except OctaveNotFoundError as exc:
        if in_ci():
            pytest.fail(f"CI=true and Octave is missing: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A copy of the tracked project files (no results/, no .snakemake/) to run the workflow in."""
    return copy_repo(tmp_path / "repo")


def copy_repo(dest: Path) -> Path:
    """A copy of the tracked project files (no results/, no .snakemake/) to run the workflow in."""
    for rel in ("Snakefile", "config", "workflow", "profiles", "rnncore", "matlab_ref", "pyproject.toml"):
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    (dest / "results").mkdir()
    return dest


def snakemake(repo: Path, *args, env=None, timeout=1200) -> subprocess.CompletedProcess:
    """`python -m snakemake ARGS` in ``repo``, with the copy's own rnncore first on the path."""
    env = {**os.environ, "PYTHONPATH": str(repo), **(env or {})}
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory, octave) -> Path:
    """One `snakemake all` of every shipped parity case, one small training run and no study, shared by the
    end-to-end tests that only read its results (copy it before changing anything)."""
    repo = copy_repo(tmp_path_factory.mktemp("shipped") / "repo")
    set_config(repo, training=[{"task": "pig", "model": ["diagonal"], "hidden": [3], "seed": [0], "epochs": 200,
                                "optimizer": "sgd", "lr": 0.1}], study={})
    run = snakemake(repo, "all")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (repo / "run.log").write_text(run.stdout + run.stderr)
    return repo


def set_config(repo: Path, *, cases=None, training=None, extra_cases=(), study=None) -> None:
    """Edit a copy's config: keep only the named ``cases`` (plus ``extra_cases``), replace ``training``.

    Workflow tests run `snakemake` many times; the training grid and the study are exercised once
    by `.ci/run`'s `snakemake all`, so copies drop them (``training=[]``, ``study={}``) or shrink
    them to keep the suite short.
    """
    import yaml

    path = repo / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text())
    if cases is not None:
        cfg["cases"] = [c for c in cfg["cases"] if c["name"] in cases]
    cfg["cases"] += list(extra_cases)
    if training is not None:
        cfg["training"] = training
    if study is not None:
        cfg["study"] = study
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))


@pytest.fixture(autouse=True)
def _forget_course_ports():
    """A course's `ports` package (rnncore add <folder> writes one) imported by one test must not shadow the
    `ports` module of the next test's course folder: the engine refuses a port loaded from elsewhere."""
    yield
    for name in [m for m in sys.modules if m == "ports" or m.startswith("ports.")]:
        del sys.modules[name]
