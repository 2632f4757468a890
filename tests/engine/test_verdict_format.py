"""The one owner of the parity results' format: its readers refuse what its writers never write."""

import json

import pytest

from rnncore.engine import summary, verdict_format
from rnncore.errors import ArtifactError
from rnncore.reports import verdict as report_verdict


def _doc(**changes):
    doc = {"format": verdict_format.VERDICT_FORMAT, "fingerprint": "ab", "passed": True, "rows": 1,
           "counts": {"pass": 1}, "line": "1 of 1 comparisons pass", "failing": [], "absent": [], "unexpected": []}
    return doc | changes


def test_the_engine_and_the_reports_share_one_list_of_statuses_and_columns():
    # One order, best to worst: the summary's worst draw, the verdict's counts and the reports' lists.
    assert verdict_format.STATUSES[1:4] == ("fail", "class-mismatch", "shape-mismatch")
    assert report_verdict.STATUSES is verdict_format.STATUSES
    assert report_verdict.FAILURE_STATUSES == {"fail", "class-mismatch", "shape-mismatch", "missing", "unsupported"}
    assert summary.SUMMARY_COLUMNS is verdict_format.SUMMARY_COLUMNS


def test_a_written_verdict_reads_back_whole(tmp_path):
    path = tmp_path / "verdict.json"
    verdict_format.write_verdict(_doc(), path)
    assert verdict_format.read_verdict(path) == _doc()
    typed = report_verdict.Verdict.read(path)
    assert (typed.fingerprint, typed.passed, typed.rows, typed.line) == ("ab", True, 1, "1 of 1 comparisons pass")


@pytest.mark.parametrize("text, message", [
    ("{\n\"format\": ", r"verdict.json:2: the verdict is damaged \(not JSON"),
    (json.dumps({"format": "rnncore-verdict/0"}), "not a verdict file"),
    (json.dumps(_doc(passed="yes")), "lacks 'passed' or it is not a bool"),
    (json.dumps({k: v for k, v in _doc().items() if k != "fingerprint"}), "lacks 'fingerprint'"),
])
def test_a_damaged_verdict_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "verdict.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArtifactError, match=message):
        verdict_format.read_verdict(path)
    with pytest.raises(ArtifactError, match=message):
        report_verdict.Verdict.read(path)


def test_the_reports_read_the_summary_the_engine_writes(tmp_path):
    row = {c: "" for c in verdict_format.SUMMARY_COLUMNS} | {"case": "c", "variable": "x", "left": "octave",
                                                            "right": "python", "status": "class-mismatch",
                                                            "draws": 1, "n_elements": 0, "n_fail": 0}
    verdict_format.write_summary([row], tmp_path / "summary.csv")
    (parsed,) = report_verdict.read_rows(tmp_path / "summary.csv")
    assert (parsed.case, parsed.status, parsed.draws) == ("c", "class-mismatch", 1)
    bad = dict(row, status="exploded")
    verdict_format.write_summary([bad], tmp_path / "bad.csv")
    with pytest.raises(ArtifactError, match=r"bad.csv: row 1: unknown status 'exploded'"):
        report_verdict.read_rows(tmp_path / "bad.csv")
