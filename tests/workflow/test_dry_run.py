"""Parsing the workflow has no side effects: `snakemake -n` (and a configuration that does not load) writes and
deletes nothing under results/, nor the scan cache. What a run must repair, a real run repairs in its jobs.

Found on main: after a finished run, `tolerance:` misspelt `tolerence:` and `snakemake -n all` removed
verdict.json, gate.txt, the reports and every notebook, and wrote INCOMPLETE.txt; a dry run also wrote
.snakemake/rnncore/scan.json.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import snakemake
from rnncore import layout

pytestmark = pytest.mark.workflow

SCAN_CACHE = Path(".snakemake") / "rnncore" / "scan.json"


def snapshot(repo: Path) -> dict[str, tuple[int, str, int]]:
    """(size, sha256, mtime_ns) of every file under results/, and of the scan cache."""
    files = [p for p in sorted((repo / layout.RESULTS).rglob("*")) if p.is_file()] + [repo / SCAN_CACHE]
    return {str(p.relative_to(repo)): (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest(),
                                       p.stat().st_mtime_ns) for p in files if p.is_file()}


@pytest.fixture
def finished(shipped_run, tmp_path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(shipped_run, repo, symlinks=True)  # modification times kept: still up to date
    return repo


def test_a_dry_run_changes_nothing(finished):
    before = snapshot(finished)
    assert str(SCAN_CACHE) in before  # the real run kept its scan cache (written when its jobs started)
    assert str(Path(layout.verdict())) in before and str(Path(layout.report_html())) in before
    dry = snakemake(finished, "-n", "all")
    assert dry.returncode == 0 and "Nothing to be done" in dry.stdout + dry.stderr, dry.stderr[-3000:]
    assert snapshot(finished) == before


def test_a_dry_run_with_a_misspelt_key_says_so_and_changes_nothing(finished):
    path = finished / "config" / "config.yaml"
    path.write_text(path.read_text().replace("\ntolerance:", "\ntolerence:", 1))
    before = snapshot(finished)
    for args in (["-n", "all"], ["all"]):  # a real run with a bad configuration deletes nothing either
        run = snakemake(finished, *args)
        out = run.stdout + run.stderr
        assert run.returncode == 1, out[-3000:]
        assert "unknown key 'tolerence'" in out and "Traceback" not in out, out[-3000:]
        assert snapshot(finished) == before
    assert not (finished / layout.incomplete()).exists()


def test_a_deleted_table_is_planned_by_a_dry_run_and_remade_by_a_real_one(finished):
    """The verdict stands on its tables: one deleted by hand is remade, and the verdict from it, by the run's
    jobs (Snakemake alone would skip the missing intermediate file, the verdict built from it being there)."""
    table = finished / layout.case_summary("rnn2")
    kept = table.read_bytes()
    table.unlink()
    before = snapshot(finished)
    dry = snakemake(finished, "-n", "all")
    out = dry.stdout + dry.stderr
    assert dry.returncode == 0, out[-3000:]
    assert "rule compare_rnn2:" in out and "rule parity_verdict:" in out, out[-3000:]
    assert snapshot(finished) == before
    real = snakemake(finished, "all")
    assert real.returncode == 0, (real.stdout + real.stderr)[-3000:]
    assert table.read_bytes() == kept
    verdict = finished / layout.verdict()
    assert verdict.stat().st_mtime_ns > before[str(Path(layout.verdict()))][2]  # remade, from the new table
    assert not (finished / layout.incomplete()).exists()
    again = snakemake(finished, "-n", "all")
    assert "Nothing to be done" in again.stdout + again.stderr, (again.stdout + again.stderr)[-3000:]
