"""The format of the parity results, owned in one place: ``summary.csv``'s columns and statuses, and
``verdict.json``'s format, writer and reader.

The engine writes these files (:mod:`rnncore.engine.summary`); the reports
(:mod:`rnncore.reports.verdict`), the workflow's rules and the command line read them, all through
this module, so that a column, a status or the format version cannot drift between a writer and
its readers. It holds no logic about what the rows mean.

``summary.csv`` has :data:`SUMMARY_COLUMNS`; every value is text written by :func:`rnncore.io.write_csv`
(``%.17g``, ``NaN``, ``Inf``, empty when there is none). ``verdict.json`` is ``{"format":
VERDICT_FORMAT, "fingerprint", "passed", "rows", "counts", "line", "failing", "absent", "unexpected"}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from rnncore.errors import ArtifactError
from rnncore.io import read_csv, write_atomic, write_csv

__all__ = ["SUMMARY_COLUMNS", "STATUSES", "SEVERITY", "VERDICT_FORMAT", "write_summary", "read_summary",
           "write_verdict", "read_verdict"]

SUMMARY_COLUMNS = ["case", "variable", "left", "right", "class_left", "class_right", "shape_left", "shape_right",
                   "max_abs_err", "max_ulp", "worst_row", "worst_col", "worst_left", "worst_right", "draws",
                   "worst_draw", "n_elements", "n_fail", "tolerance", "tol_ulp", "tol_atol", "status", "message"]

# From best to worst: a row over several draws takes its worst draw's status, the verdict counts them
# in this order, and reports list them in it. ``pass``; ``fail`` (some element outside the tolerance);
# ``class-mismatch`` (the MATLAB classes differ: double vs int64, logical vs double...);
# ``shape-mismatch``; ``missing`` (one side lacks the variable); ``unsupported`` (a MATLAB class that
# is not compared, e.g. a struct without named fields); ``error`` (that side of the case failed to run).
STATUSES = ("pass", "fail", "class-mismatch", "shape-mismatch", "missing", "unsupported", "error")
SEVERITY = {s: i for i, s in enumerate(STATUSES)}

VERDICT_FORMAT = "rnncore-verdict/1"
# Keys every verdict has, with the type its readers rely on.
_VERDICT_KEYS = {"fingerprint": str, "passed": bool, "rows": int, "counts": dict, "line": str, "failing": list,
                 "absent": list}


def write_summary(rows: list[dict], path) -> None:
    """Write summary rows (mappings with :data:`SUMMARY_COLUMNS`; numbers as numbers) atomically."""
    write_csv(path, rows, SUMMARY_COLUMNS)


def read_summary(path) -> list[dict]:
    """Read a summary CSV back (fields as text); a wrong header or a short row is an :class:`ArtifactError`."""
    return read_csv(path, SUMMARY_COLUMNS)


def write_verdict(doc: dict, path) -> None:
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=True) + "\n")


def read_verdict(path) -> dict:
    """``verdict.json`` as written; :class:`ArtifactError` (naming the file) when it is unreadable,
    not JSON, of another format, or lacks a key (or has one of the wrong type)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read the verdict: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{path}:{exc.lineno}: the verdict is damaged (not JSON: {exc.msg}); delete it "
                            f"and rerun") from None
    except ValueError as exc:  # not UTF-8
        raise ArtifactError(f"{path}: the verdict is damaged ({exc}); delete it and rerun") from None
    if not isinstance(doc, dict) or doc.get("format") != VERDICT_FORMAT:
        raise ArtifactError(f"{path}: not a verdict file (expected format {VERDICT_FORMAT!r})")
    for key, kind in _VERDICT_KEYS.items():
        if not isinstance(doc.get(key), kind):
            raise ArtifactError(f"{path}: the verdict lacks {key!r} or it is not a {kind.__name__}; the file is "
                                f"damaged: delete it and rerun")
    return doc
