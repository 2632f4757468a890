"""Reports for CI: a short Markdown summary for the job page and a JUnit XML file for test-result viewers.

Both are built from ``parity/summary.csv`` and ``parity/verdict.json`` (read through
:mod:`rnncore.reports.verdict`, numbers as numbers) and carry the verdict's fingerprint, so that a
stale report can be told from a current one (:func:`embedded_fingerprint`).

* :func:`write_summary_md` writes ``results/summary.md``: the verdict line, counts by status, the rows
  that fail or come closest to their tolerance (with both values at the worst element), the
  message of every row whose side crashed, the comparisons the configuration expects but the
  summary lacks, how the training loss curves agree, and the headline learning results when the
  run produced them. Short enough for ``$GITHUB_STEP_SUMMARY``. Its last line is
  ``<!-- rnncore-verdict: HEX -->``.
* :func:`write_junit` writes ``results/parity/junit.xml``: one ``<testcase>`` per summary row
  (``classname`` = case, ``name`` = ``"{variable} {left}-vs-{right}"``): ``<failure>`` for fail,
  shape-mismatch, class-mismatch, missing and unsupported, ``<error>`` with the message for error;
  a comparison the verdict lists as absent is an ``<error>`` test case too. Every testsuite has
  ``<property name="rnncore.verdict" value="HEX"/>``.

Both are pure functions of their inputs (no time, no host, no absolute path): the same inputs give
the same bytes.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from rnncore.io import read_csv, write_atomic
from rnncore.reports.fingerprint import JUNIT_PROPERTY, embedded_fingerprint, markdown_line
from rnncore.reports.inputs import ReportInputs
from rnncore.reports.text import exact, num, status_word, tol_text, ulp_text, worst_text
from rnncore.engine.verdict_format import STATUSES
from rnncore.reports.verdict import FAILURE_STATUSES, ParityRow, Verdict, read_rows, worst_first

__all__ = ["WORST_ROWS", "embedded_fingerprint", "junit_xml", "summary_markdown", "write_junit", "write_summary_md"]

# Rows listed under "worst rows" in the Markdown summary (failing rows are all counted, the first
# ones listed).
WORST_ROWS = 8

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _exists(path) -> bool:
    return path is not None and Path(path).is_file()


# --------------------------------------------------------------------------- JUnit


def _x(text) -> str:
    return _INVALID_XML.sub("?", "" if text is None else str(text))


def _failure_message(r: ParityRow) -> str:
    if r.status == "error" or (r.message and r.max_ulp is None and r.max_abs_err is None):
        return f"{r.status}: {r.message}" if r.message else r.status
    text = (f"{r.status}: max |err| {num(r.max_abs_err)}, max ULP {ulp_text(r)}, worst element {worst_text(r)}"
            f" ({r.left} {exact(r.worst_left)}, {r.right} {exact(r.worst_right)}); {r.n_fail} of {r.n_elements} "
            f"elements outside {tol_text(r)}; shapes {r.shape_left or '-'} vs {r.shape_right or '-'}")
    return f"{text}. {r.message}" if r.message else text


def junit_xml(rows: list[ParityRow], verdict: Verdict) -> str:
    """The JUnit XML text: one testsuite per case (first-seen order), one testcase per row or absent comparison."""
    absent: dict[str, list[str]] = {}
    for label in verdict.absent:
        absent.setdefault(label.split(" ", 1)[0], []).append(label)
    cases = list(dict.fromkeys([r.case for r in rows] + list(absent)))

    def counts(rs: list[ParityRow], n_absent: int) -> dict:
        return {"tests": str(len(rs) + n_absent), "failures": str(sum(r.status in FAILURE_STATUSES for r in rs)),
                "errors": str(sum(r.status == "error" for r in rs) + n_absent), "skipped": "0"}

    root = ET.Element("testsuites", {"name": "rnncore parity", **counts(rows, len(verdict.absent))})

    def suite(name: str, rs: list[ParityRow], labels: list[str]) -> ET.Element:
        s = ET.SubElement(root, "testsuite", {"name": _x(name), **counts(rs, len(labels))})
        props = ET.SubElement(s, "properties")
        ET.SubElement(props, "property", {"name": JUNIT_PROPERTY, "value": _x(verdict.fingerprint)})
        return s

    for case in cases:
        case_rows = [r for r in rows if r.case == case]
        s = suite(case, case_rows, absent.get(case, []))
        for r in case_rows:
            tc = ET.SubElement(s, "testcase", {"classname": _x(r.case), "name": _x(f"{r.variable} {r.pair}")})
            if r.passed:
                continue
            tag = "error" if r.status == "error" else "failure"
            el = ET.SubElement(tc, tag, {"message": _x(_failure_message(r)), "type": _x(r.status)})
            el.text = _x("".join(f"{k}: {v}\n" for k, v in r.text.items()))
        for label in absent.get(case, []):
            parts = label.split(" ", 1)
            tc = ET.SubElement(s, "testcase", {"classname": _x(case), "name": _x(parts[1] if len(parts) > 1 else label)})
            ET.SubElement(tc, "error", {"type": "absent", "message": _x(
                f"absent: the configuration expects {label} but summary.csv has no row for it")})
    if not cases:  # nothing compared: a suite still carries the verdict
        suite("rnncore parity", [], [])
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(summary, verdict, out) -> Path:
    """Write the JUnit XML of ``summary.csv`` and ``verdict.json`` to ``out``; return ``out``."""
    out = Path(out)
    write_atomic(out, junit_xml(read_rows(summary), Verdict.read(verdict)))
    return out


# --------------------------------------------------------------------------- Markdown


def _md(text) -> str:
    """Text safe in a Markdown table cell: no pipe, no raw HTML, one line."""
    text = "" if text is None else str(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _code(text) -> str:
    """A code span: literal inside (no entity), so only pipes, backticks and newlines change."""
    text = "" if text is None else str(text)
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def _pct(v: float, digits: int = 1) -> str:
    return "—" if math.isnan(v) else f"{100 * v:.{digits}f}%"


def _parity_lines(rows: list[ParityRow] | None, verdict: Verdict | None) -> list[str]:
    if rows is None or verdict is None:
        what = "parity/summary.csv" if rows is None else "parity/verdict.json"
        return ["## rnncore parity: ❌ no verdict", "",
                f"`{what}` was not produced by this run: the parity stage did not finish (see the job log).", ""]
    head = f"## rnncore parity: {'✅' if verdict.passed else '❌'} {_md(verdict.line)}"
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    lines = [head, "", "| status | rows |", "| --- | ---: |"]
    lines += [f"| {'✅' if s == 'pass' else '❌'} {_md(s)} | {n} |" for s, n in counts.items() if n]
    if verdict.absent:
        lines.append(f"| ❌ absent | {len(verdict.absent)} |")
    lines.append("")
    ordered = worst_first(rows)
    n_failing = sum(not r.passed for r in rows)
    chosen = ordered[:max(WORST_ROWS, 0)]
    if chosen:
        title = "Failing rows, then the closest to their tolerance" if n_failing else "Closest to their tolerance"
        lines += [f"### {title}", "",
                  ("An element passes when either bound holds: a large ULP count on a value near zero passes by the "
                   "absolute bound. ULP is `-` where the tolerance is absolute only."), "",
                  "| status | case | variable | left vs right | max ULP | max abs err | worst element | values there | tolerance |",
                  "| --- | --- | --- | --- | ---: | ---: | --- | --- | --- |"]
        for r in chosen:
            mark = "✅ pass" if r.passed else f"❌ **{_md(r.status)}**"
            values = "—" if r.worst_left is None and r.worst_right is None else (
                f"{_md(r.left)} {_code(exact(r.worst_left))} / {_md(r.right)} {_code(exact(r.worst_right))}")
            lines.append(f"| {mark} | {_code(r.case)} | {_code(r.variable)} | {_md(r.left)} vs {_md(r.right)} | "
                         f"{_md(ulp_text(r))} | {_md(num(r.max_abs_err))} | {_md(worst_text(r))} | {values} | "
                         f"{_md(tol_text(r))} |")
        listed = sum(not r.passed for r in chosen)
        if n_failing > listed:
            lines += ["", f"… and {n_failing - listed} more failing rows in `parity/summary.csv`."]
        lines.append("")
    messages = [r for r in ordered if not r.passed and r.message]
    if messages:
        lines += ["### Messages", ""]
        lines += [f"- {status_word(r.status)} {_code(r.label)}: {_md(r.message)}" for r in messages]
        lines.append("")
    if verdict.absent:
        lines += ["### Expected but absent from the summary", ""]
        lines += [f"- ❌ {_code(a)}" for a in verdict.absent]
        lines.append("")
    return lines


def _divergence_lines(path) -> list[str]:
    if not _exists(path):
        return []
    parts = []
    for d in read_csv(Path(path)):
        when = f"part at epoch {d['first_divergence_epoch']}" if d.get("first_divergence_epoch") else "never part"
        parts.append(f"{_code(d.get('case'))} {when} (max {num(_float(d.get('max_ulp')))} ULP over "
                     f"{num(_float(d.get('epochs')))} epochs)")
    return ["Training parity, Octave vs Python loss per epoch: " + "; ".join(parts) + ".", ""] if parts else []


def _learning_lines(inputs: ReportInputs) -> list[str]:
    lines = ["### Learning results", ""]
    if _exists(inputs.training_pig):
        parts = []
        for r in read_csv(inputs.training_pig):
            before, after = r.get("prediction_before", "?"), r.get("prediction_after", "?")
            parts.append(f"{_md(r.get('model'))} {_md(before)} → **{_md(after)}** {'✅' if after == 'S' else '❌'} "
                         f"(p(S) {num(_float(r.get('p_S_before')), 4)} → {num(_float(r.get('p_S_after')), 4)})")
        lines.append("- PIG, letter predicted after P, I, G (target S): " + ("; ".join(parts) or "no runs") + ".")
    elif inputs.training_pig is not None:
        lines.append("- PIG before/after: not produced by this run (`training/pig.csv`).")
    if _exists(inputs.training_summary):
        plural = [r for r in read_csv(inputs.training_summary) if r.get("task") == "plural"]
        parts = [f"{_md(r.get('model'))} (h={_md(r.get('hidden'))}) {_pct(_float(r.get('heldout_acc_mean')))} ± "
                 f"{num(100 * _float(r.get('heldout_acc_std')), 2)} over {_md(r.get('n_seeds'))} seeds" for r in plural]
        lines.append("- Plural suffix, held-out accuracy: " + ("; ".join(parts) or "no plural runs") + ".")
        if _exists(inputs.training_errors):
            stems = sorted({r.get("stem", "") for r in read_csv(inputs.training_errors)})
            shown = ", ".join(_code(s) for s in stems[:12]) + (" …" if len(stems) > 12 else "")
            lines.append(f"  Held-out stems missed by some run: {shown if stems else 'none'}.")
    elif inputs.training_summary is not None:
        lines.append("- Plural held-out accuracy: not produced by this run (`training/summary.csv`).")
    if _exists(inputs.longlag_summary):
        rows = [r for r in read_csv(inputs.longlag_summary) if math.isfinite(_float(r.get("lag")))]
        if rows:
            longest = max(int(_float(r["lag"])) for r in rows)
            at = sorted((r for r in rows if int(_float(r["lag"])) == longest),
                        key=lambda r: (r.get("model") != "lstm", r.get("model", "")))
            parts = [f"{_md(r.get('model'))} {_pct(_float(r.get('mean_accuracy')))} "
                     f"(min {_pct(_float(r.get('min_accuracy')))})" for r in at]
            lines.append(f"- Long lag L = {longest}, mean accuracy over seeds: " + "; ".join(parts) + ".")
    elif inputs.longlag_summary is not None:
        lines.append("- Long-lag study: not produced by this run (`study/longlag_summary.csv`).")
    if len(lines) == 2:
        return []
    return lines + [""]


def summary_markdown(inputs: ReportInputs) -> str:
    """The Markdown text of :func:`write_summary_md`."""
    rows = read_rows(inputs.summary) if _exists(inputs.summary) else None
    verdict = Verdict.read(inputs.verdict) if _exists(inputs.verdict) else None
    lines = _parity_lines(rows, verdict) + _divergence_lines(inputs.divergence) + _learning_lines(inputs)
    lines.append("Full report: `report/index.html` (one self-contained page, in the run's `results` artifact); "
                 "JUnit: `parity/junit.xml`.")
    lines.append("")
    lines.append(markdown_line(verdict.fingerprint if verdict else ""))
    return "\n".join(lines) + "\n"


def write_summary_md(inputs: ReportInputs, out) -> Path:
    """Write the CI job summary (Markdown; see the module docstring) to ``out``; return ``out``."""
    out = Path(out)
    write_atomic(out, summary_markdown(inputs))
    return out
