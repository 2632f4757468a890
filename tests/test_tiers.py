"""The test tiers are real: ``-m "not octave and not workflow"`` selects no test that needs Octave or runs
the workflow, and a test of that tier that starts Octave fails (tests/conftest.py).

Both are checked from outside, by running pytest in a subprocess: the whole suite's collection (no test
runs), and a two-test file under a copy of the conftest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, WORKFLOW_FIXTURES

FAST = "not octave and not workflow"

# A pytest plugin that writes what the collection selected and deselected, with each test's fixtures.
_PROBE = '''
import json, os

_deselected = []


def pytest_deselected(items):
    _deselected.extend(items)


def _entry(item):
    return {"id": item.nodeid, "fixtures": sorted(getattr(item, "fixturenames", ())),
            "markers": sorted({m.name for m in item.iter_markers()})}


def pytest_collection_finish(session):
    with open(os.environ["TIER_PROBE_OUT"], "w") as fh:
        json.dump({"selected": [_entry(i) for i in session.items],
                   "deselected": [_entry(i) for i in _deselected]}, fh)
'''


def _pytest(args, cwd, tmp_path, **env) -> subprocess.CompletedProcess:
    path = os.pathsep.join(p for p in (str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd,
                          env={**os.environ, "PYTHONPATH": path, **env}, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=600)


def test_the_fast_tier_selects_no_test_that_needs_octave_or_the_workflow(tmp_path):
    (tmp_path / "tier_probe.py").write_text(_PROBE)
    out = tmp_path / "tiers.json"
    run = _pytest(["--collect-only", "-q", "-p", "tier_probe", "-m", FAST], ROOT, tmp_path,
                  TIER_PROBE_OUT=str(out))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    tiers = json.loads(out.read_text())
    selected, deselected = tiers["selected"], tiers["deselected"]
    needs = {"octave": ("octave",), "workflow": WORKFLOW_FIXTURES}
    leaks = [t["id"] for t in selected if any(f in t["fixtures"] for names in needs.values() for f in names)]
    assert leaks == []
    # Every test that takes the octave fixture (directly or through another fixture) is marked and left out.
    octave_users = [t for t in selected + deselected if "octave" in t["fixtures"]]
    assert all("octave" in t["markers"] for t in octave_users)
    assert {t["id"] for t in octave_users} <= {t["id"] for t in deselected}
    # 52 tests took the fixture when the tiers were made real (issue #21); far fewer means it lost them.
    assert len(octave_users) >= 50
    assert len(selected) >= 500  # and the fast tier is still most of the suite


def test_no_test_hides_the_octave_fixture_from_the_tiers():
    """``request.getfixturevalue("octave")`` is invisible to ``fixturenames``: its test would stay in the fast
    tier. A fixture that needs Octave names ``octave`` among its arguments instead."""
    hidden = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "tests").rglob("*.py")) if p != Path(__file__)
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"getfixturevalue\(\s*[\"']octave[\"']", line)]
    assert hidden == []


def test_a_fast_test_that_starts_octave_fails_and_says_why(tmp_path):
    suite = tmp_path / "suite"
    suite.mkdir()
    shutil.copy2(ROOT / "tests" / "conftest.py", suite / "conftest.py")
    (suite / "pytest.ini").write_text("[pytest]\nmarkers =\n    octave: needs Octave\n    workflow: runs snakemake\n")
    (suite / "test_sneaky.py").write_text(
        "import subprocess\n"
        "from rnncore.engine.octave import find_octave\n\n\n"
        "def test_starts_octave_unmarked():\n"
        "    subprocess.run([find_octave(), '--version'], stdin=subprocess.DEVNULL, capture_output=True)\n\n\n"
        "def test_plain():\n"
        "    assert 1 + 1 == 2\n")
    run = _pytest(["-q", "-p", "no:rnncore", "--strict-markers", "test_sneaky.py"], suite, tmp_path)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out[-3000:]
    assert "2 passed, 1 error" in out, out[-3000:]  # the sneaky test ran, then its teardown failed it
    assert "test_sneaky.py::test_starts_octave_unmarked started Octave" in out
    assert "has no octave marker: take the `octave` fixture" in out
