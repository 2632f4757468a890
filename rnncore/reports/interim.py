"""Interim bridge, to delete when the engine writes the new contract: the engine's current
``summary.csv`` (16 columns, tolerance as text, no ``verdict.json``) made into the contract the
reports read (:data:`rnncore.reports.verdict.COLUMNS` plus a ``verdict.json``).

Only this module parses the tolerance text and looks up the worst element's two values in the
element tables, the engine's job once it writes ``tol_ulp``, ``tol_atol``, ``worst_left`` and
``worst_right`` itself. :func:`ensure_contract` is a no-op on files that already follow the contract.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from rnncore import layout
from rnncore.io import write_atomic
from rnncore.reports.verdict import COLUMNS, STATUSES, VERDICT_FORMAT

__all__ = ["ensure_contract", "upgrade_summary", "verdict_of"]


def _tolerance(text: str) -> tuple[int, str]:
    ulp, atol = 0, "NaN"
    for part in str(text or "").split(" or "):
        key, _, value = part.strip().partition("<=")
        if key == "ulp":
            ulp = int(float(value))
        elif key == "abs":
            atol = repr(float(value))
    return ulp, atol


def _worst_values(root: Path, row: dict) -> tuple[str, str]:
    path = root / layout.element_table(row["case"], row["left"], row["right"], row["variable"])
    if not row.get("worst_row") or not path.exists():
        return "", ""
    with path.open(encoding="utf-8", newline="") as fh:
        for e in csv.DictReader(fh):
            if e.get("row") == row["worst_row"] and e.get("col") == row["worst_col"]:
                return e.get("left", ""), e.get("right", "")
    return "", ""


def _message(row: dict) -> str:
    status = row["status"]
    if status == "shape-mismatch":
        return f"{row['left']} has shape {row['shape_left'] or 'none'}, {row['right']} {row['shape_right'] or 'none'}."
    if status == "missing":
        lacking = [s for s, k in ((row["left"], "shape_left"), (row["right"], "shape_right")) if not row[k]]
        return f"{' and '.join(lacking) or 'a side'} does not define {row['variable']}."
    if status == "unsupported":
        return f"{row['variable']} is held in a MATLAB class that is not compared."
    return ""


def upgrade_summary(text: str, root=".") -> str:
    """The contract CSV text of a 16-column engine summary (``text``); element tables under ``root``."""
    root = Path(root)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in csv.DictReader(io.StringIO(text)):
        tol_ulp, tol_atol = _tolerance(row.get("tolerance", ""))
        worst_left, worst_right = _worst_values(root, row)
        w.writerow({**{c: row.get(c, "") for c in COLUMNS},
                    "class_left": "double" if row.get("shape_left") else "",
                    "class_right": "double" if row.get("shape_right") else "",
                    "worst_left": worst_left, "worst_right": worst_right,
                    "tol_ulp": tol_ulp, "tol_atol": tol_atol, "message": _message(row)})
    return buf.getvalue()


def verdict_of(summary_text: str, absent=()) -> dict:
    """The ``verdict.json`` content the gate will write for a contract summary (fingerprint: SHA-256 of its text)."""
    rows = list(csv.DictReader(io.StringIO(summary_text)))
    counts = {s: n for s in STATUSES if (n := sum(r["status"] == s for r in rows))}
    failing = [{k: r[k] for k in ("case", "variable", "left", "right", "status", "message")}
               for r in rows if r["status"] != "pass"]
    bad = len(failing) + len(absent)
    total = len(rows) + len(absent)
    return {"format": VERDICT_FORMAT, "fingerprint": hashlib.sha256(summary_text.encode("utf-8")).hexdigest(),
            "passed": bad == 0, "rows": len(rows), "counts": counts,
            "line": f"{total} of {total} comparisons pass" if bad == 0 else f"{bad} of {total} comparisons fail",
            "failing": failing, "absent": list(absent)}


def ensure_contract(summary, verdict, workdir, root=".") -> tuple[Path, Path]:
    """(summary, verdict) paths that follow the contract: the given ones when they do, else upgraded
    copies written to ``workdir``."""
    summary, verdict, workdir = Path(summary), Path(verdict), Path(workdir)
    text = summary.read_text(encoding="utf-8")
    header = text.split("\n", 1)[0].split(",")
    if header == COLUMNS and verdict.exists():
        return summary, verdict
    if header != COLUMNS:
        text = upgrade_summary(text, root)
        summary = workdir / "summary.csv"
        write_atomic(summary, text)
    if not verdict.exists():
        verdict = workdir / "verdict.json"
        write_atomic(verdict, json.dumps(verdict_of(text), indent=2, sort_keys=True) + "\n")
    return summary, verdict
