"""Reports for CI: a short Markdown summary for the job page and a JUnit XML file for test-result viewers.

* :func:`write_summary_md` writes ``results/summary.md``: the pass/fail count by status, the rows
  that fail or come closest to their tolerance, how the training-parity loss curves agree, and the
  headline learning results when the run produced them (PIG before/after training, held-out plural
  accuracy per model, accuracy at the longest lag). Short enough for ``$GITHUB_STEP_SUMMARY``.
* :func:`write_junit` writes ``results/parity/junit.xml``: one ``<testcase>`` per row of
  ``parity/summary.csv`` (``classname`` = case, ``name`` = ``"{variable} {left}-vs-{right}"``), a
  ``<failure>`` for every row whose status is not ``pass``, its message carrying the status, the
  largest absolute error and ULP distance, the worst element and the tolerance.

Both are pure functions of their input files (no time, no host, no absolute path), so the same
inputs give the same bytes; both write atomically.
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from rnncore.io import write_atomic
from rnncore.engine.summary import read_summary

__all__ = ["WORST_ROWS", "junit_xml", "summary_markdown", "write_junit", "write_summary_md"]

# Rows listed under "worst rows" in the Markdown summary (failing rows are all counted, the first
# ones listed).
WORST_ROWS = 8

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------- shared


def _read_csv(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO("\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))))


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _ulp_bound(tolerance: str) -> float:
    """The ULP part of ``"ulp<=16 or abs<=8.9e-16"`` (NaN when absent)."""
    for part in str(tolerance or "").split(" or "):
        key, _, value = part.strip().partition("<=")
        if key == "ulp":
            return _float(value)
    return math.nan


def _worst_element(row: dict) -> str:
    if not row.get("worst_row"):
        return "none"
    text = f"({row['worst_row']},{row['worst_col']})"
    draws = row.get("draws") or "1"
    if draws not in ("", "1") and row.get("worst_draw"):
        text += f" of draw {row['worst_draw']}/{draws}"
    return text


def _failure_message(row: dict) -> str:
    return (f"{row['status']}: max_abs_err={row['max_abs_err'] or 'n/a'} max_ulp={row['max_ulp'] or 'n/a'} "
            f"worst element {_worst_element(row)}; {row['n_fail']} of {row['n_elements']} elements outside "
            f"tolerance {row['tolerance']}; shapes {row['shape_left'] or '-'} vs {row['shape_right'] or '-'}")


# --------------------------------------------------------------------------- JUnit


def _x(text) -> str:
    return _INVALID_XML.sub("?", "" if text is None else str(text))


def junit_xml(rows: list[dict]) -> str:
    """The JUnit XML text of summary rows: one testsuite per case (first-seen order), one testcase per row."""
    cases = list(dict.fromkeys(r["case"] for r in rows))
    failures_total = sum(r["status"] != "pass" for r in rows)
    root = ET.Element("testsuites", {"name": "rnncore parity", "tests": str(len(rows)),
                                     "failures": str(failures_total), "errors": "0", "skipped": "0"})
    for case in cases:
        case_rows = [r for r in rows if r["case"] == case]
        suite = ET.SubElement(root, "testsuite", {
            "name": _x(case), "tests": str(len(case_rows)),
            "failures": str(sum(r["status"] != "pass" for r in case_rows)), "errors": "0", "skipped": "0"})
        for r in case_rows:
            tc = ET.SubElement(suite, "testcase", {"classname": _x(r["case"]),
                                                   "name": _x(f"{r['variable']} {r['left']}-vs-{r['right']}")})
            if r["status"] != "pass":
                failure = ET.SubElement(tc, "failure", {"message": _x(_failure_message(r)), "type": _x(r["status"])})
                failure.text = _x("".join(f"{k}: {v}\n" for k, v in r.items()))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(summary_csv, out) -> Path:
    """Write the JUnit XML of ``parity/summary.csv`` to ``out`` (see the module docstring); return ``out``."""
    out = Path(out)
    write_atomic(out, junit_xml(read_summary(summary_csv)))
    return out


# --------------------------------------------------------------------------- Markdown


def _md(text) -> str:
    """Text safe in a Markdown table cell: no pipe, no raw HTML, one line."""
    text = "" if text is None else str(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _code(text) -> str:
    """A code span in a table cell: literal inside (no entity), so only pipes, backticks and newlines change."""
    text = "" if text is None else str(text)
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def _num(text, digits: int = 3) -> str:
    v = _float(text)
    if math.isnan(v):
        return _md(text) if text not in (None, "") else "—"
    if v == int(v) and abs(v) < 1e15 and re.fullmatch(r"-?\d+", str(text).strip() or "x"):
        return str(int(v))
    return f"{v:.{digits}g}"


def _pct(v: float, digits: int = 1) -> str:
    return "—" if math.isnan(v) else f"{100 * v:.{digits}f}%"


def _worst_rows(rows: list[dict]) -> tuple[list[dict], int]:
    """Failing rows first (in order), then the passing rows with a ULP bound by largest max_ulp."""
    failing = [r for r in rows if r["status"] != "pass"]
    passing = [(i, r) for i, r in enumerate(rows) if r["status"] == "pass" and _ulp_bound(r["tolerance"]) > 0]
    passing.sort(key=lambda t: (-(_float(t[1]["max_ulp"]) if not math.isnan(_float(t[1]["max_ulp"])) else -1), t[0]))
    chosen = (failing + [r for _, r in passing])[:WORST_ROWS]
    return chosen, len(failing)


def _parity_lines(results_dir: Path, rows: list[dict] | None) -> list[str]:
    if rows is None:
        return ["## rnncore parity: no summary", "",
                (f"`{_md(results_dir.name)}/parity/summary.csv` was not produced by this run: the parity stage did "
                 "not finish (see the job log)."), ""]
    bad = [r for r in rows if r["status"] != "pass"]
    head = (f"## rnncore parity: ❌ {len(bad)} of {len(rows)} comparisons fail" if bad
            else f"## rnncore parity: ✅ all {len(rows)} comparisons pass")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = ["pass", "fail", "shape-mismatch", "missing", "unsupported"]
    statuses = [s for s in order if s in counts] + sorted(s for s in counts if s not in order)
    lines = [head, "", "| status | rows |", "| --- | ---: |"]
    lines += [f"| {'✅' if s == 'pass' else '❌'} {_md(s)} | {counts[s]} |" for s in statuses]
    lines.append("")
    chosen, n_failing = _worst_rows(rows)
    if chosen:
        title = "Failing rows, then the largest ULP distances" if n_failing else "Largest ULP distances"
        lines += [f"### {title}", "",
                  ("An element passes when either bound of its tolerance holds: a large ULP count on a value near "
                   "zero passes by the absolute bound."), "",
                  "| status | case | variable | left vs right | max ULP | max abs err | worst (row,col) | tolerance |",
                  "| --- | --- | --- | --- | ---: | ---: | --- | --- |"]
        for r in chosen:
            mark = "✅ pass" if r["status"] == "pass" else f"❌ **{_md(r['status'])}**"
            lines.append(f"| {mark} | {_code(r['case'])} | {_code(r['variable'])} | {_md(r['left'])} vs "
                         f"{_md(r['right'])} | {_num(r['max_ulp'])} | {_num(r['max_abs_err'])} | "
                         f"{_md(_worst_element(r))} | {_code(r['tolerance'])} |")
        listed = sum(r["status"] != "pass" for r in chosen)
        if n_failing > listed:
            lines += ["", f"… and {n_failing - listed} more failing rows in `parity/summary.csv`."]
        lines.append("")
    ref_rows = [r for r in rows if not _ulp_bound(r["tolerance"]) > 0]
    if ref_rows:
        worst = max(ref_rows, key=lambda r: (_float(r["max_abs_err"]) if not math.isnan(_float(r["max_abs_err"]))
                                             else math.inf))
        lines += [(f"Against printed values ({len(ref_rows)} rows with an absolute bound only, e.g. the slides): "
                   f"largest error {_num(worst['max_abs_err'])} in {_code(worst['case'])} {_code(worst['variable'])} "
                   f"({_md(worst['left'])} vs {_md(worst['right'])}, tolerance {_code(worst['tolerance'])})."), ""]
    div = results_dir / "parity" / "training_divergence.csv"
    if div.exists():
        drows = _read_csv(div)
        if drows:
            parts = []
            for d in drows:
                when = f"part at epoch {d['first_divergence_epoch']}" if d.get("first_divergence_epoch") else "never part"
                parts.append(f"{_code(d['case'])} {when} (max {_num(d.get('max_ulp'))} ULP over "
                             f"{_num(d.get('epochs'))} epochs)")
            lines += ["Training parity, Octave vs Python loss per epoch: " + "; ".join(parts) + ".", ""]
    return lines


def _learning_lines(results_dir: Path) -> list[str]:
    training, study = results_dir / "training", results_dir / "study"
    lines = ["### Learning results", ""]
    pig = training / "pig.csv"
    if pig.exists():
        parts = []
        for r in _read_csv(pig):
            before, after = r.get("prediction_before", "?"), r.get("prediction_after", "?")
            parts.append(f"{_md(r.get('model'))} {_md(before)} → **{_md(after)}** {'✅' if after == 'S' else '❌'} "
                         f"(p(S) {_float(r.get('p_S_before')):.4f} → {_float(r.get('p_S_after')):.4f})")
        lines.append("- PIG, letter predicted after P, I, G (target S): " + ("; ".join(parts) or "no runs") + ".")
    else:
        lines.append(f"- PIG before/after: not produced by this run (`{_md(results_dir.name)}/training/pig.csv`).")
    summary = training / "summary.csv"
    if summary.exists():
        plural = [r for r in _read_csv(summary) if r.get("task") == "plural"]
        parts = [f"{_md(r.get('model'))} (h={_md(r.get('hidden'))}) {_pct(_float(r.get('heldout_acc_mean')))} ± "
                 f"{100 * _float(r.get('heldout_acc_std')):.1f} over {_md(r.get('n_seeds'))} seeds" for r in plural]
        lines.append("- Plural suffix, held-out accuracy: " + ("; ".join(parts) or "no plural runs") + ".")
        errors = training / "heldout_errors.csv"
        if errors.exists():
            stems = sorted({r.get("stem", "") for r in _read_csv(errors)})
            shown = ", ".join(_code(s) for s in stems[:12]) + (" …" if len(stems) > 12 else "")
            lines.append(f"  Held-out stems missed by some run: {shown if stems else 'none'}.")
    else:
        lines.append(f"- Plural held-out accuracy: not produced by this run "
                     f"(`{_md(results_dir.name)}/training/summary.csv`).")
    lag = study / "longlag_summary.csv"
    if lag.exists():
        rows = _read_csv(lag)
        lags = [int(_float(r.get("lag"))) for r in rows if not math.isnan(_float(r.get("lag")))]
        if lags:
            longest = max(lags)
            at = [r for r in rows if not math.isnan(_float(r.get("lag"))) and int(_float(r["lag"])) == longest]
            at.sort(key=lambda r: (r.get("model") != "lstm", r.get("model", "")))
            parts = [f"{'**' if r.get('model') == 'lstm' else ''}{_md(r.get('model'))} "
                     f"{_pct(_float(r.get('mean_accuracy')))}{'**' if r.get('model') == 'lstm' else ''} "
                     f"(min {_pct(_float(r.get('min_accuracy')))})" for r in at]
            lines.append(f"- Long lag L = {longest}, mean accuracy over seeds: " + "; ".join(parts) + ".")
    else:
        lines.append(f"- Long-lag study: not produced by this run (`{_md(results_dir.name)}/study/longlag_summary.csv`).")
    lines.append("")
    return lines


def summary_markdown(results_dir) -> str:
    """The Markdown text of :func:`write_summary_md`."""
    results_dir = Path(results_dir)
    path = results_dir / "parity" / "summary.csv"
    rows = read_summary(path) if path.exists() else None
    lines = _parity_lines(results_dir, rows) + _learning_lines(results_dir)
    lines.append(f"Full report: `{_md(results_dir.name)}/report/index.html` (one self-contained page, in the "
                 "run's `results` artifact); JUnit: `parity/junit.xml`.")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_summary_md(results_dir, out) -> Path:
    """Write the CI job summary of ``results_dir`` to ``out`` (Markdown; see the module docstring); return ``out``."""
    out = Path(out)
    write_atomic(out, summary_markdown(results_dir))
    return out
