"""From comparisons to a verdict: the summary rows, the verdict the gate judges, and the provenance record.

``results/parity/summary.csv`` has one row per (case, variable, left, right), in configuration
order, with :data:`SUMMARY_COLUMNS`; every value is a pure function of the inputs, so reruns give
the same bytes (versions and hashes, which differ between machines, go to ``provenance.json``).

``results/parity/verdict.json`` (:func:`verdict`) is the one statement of whether parity holds:
the gate writes it whatever the outcome, from the summary rows and the rows the configuration
expects (so a lost or truncated row is an ``absent`` one, never a silent pass), and stamps it with
the fingerprint of what it judged (:func:`rnncore.pipeline.sources.fingerprint`). Every report is built
from it and carries that fingerprint, so a report that describes anything else can be found and
removed (:func:`rnncore.pipeline.steps.reconcile_reports`).

The format of both files (columns, statuses from best to worst, format version, reader and writer)
is :mod:`rnncore.engine.verdict_format`'s, which the reports, the rules and the command line read
them with.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from importlib import metadata

from rnncore import layout
from rnncore.errors import ArtifactError, ParityGateError
from rnncore.engine.verdict_format import SEVERITY, SUMMARY_COLUMNS, VERDICT_FORMAT
from rnncore.io import read_csv, write_atomic, write_csv

__all__ = ["DRAW_COLUMNS", "DIVERGENCE_COLUMNS", "aggregate_draws", "status_rows", "write_draws", "verdict",
           "check_gate", "describe_row", "loss_divergence", "divergence_row", "write_divergence", "provenance",
           "write_provenance"]

# One row per draw of a random-input case, beside its element table.
DRAW_COLUMNS = ["draw", "shape_left", "shape_right", "max_abs_err", "max_ulp", "worst_row", "worst_col",
                "n_elements", "n_fail", "status"]

DIVERGENCE_COLUMNS = ["case", "epochs", "first_divergence_epoch", "ulp_epoch_1", "ulp_last_epoch", "max_ulp",
                      "max_ulp_epoch", "max_abs_err", "tolerance"]


# --------------------------------------------------------------------------- rows


def _worst_key(cmp) -> tuple:
    """Failing draws before passing ones, then the largest ULP (none: NaN/Inf/shape, counts as largest)."""
    failing = cmp.status != "pass"
    ulp = float("inf") if cmp.max_ulp is None and failing else (cmp.max_ulp or 0)
    return (failing, ulp)


def aggregate_draws(case: str, comparisons: list) -> tuple[dict, int, list[dict]]:
    """Fold the comparisons of one (variable, left, right) over all draws into one summary row.

    Returns ``(summary_row, worst_index, draw_rows)``: the row reports the worst draw's shapes,
    classes, worst element and its values, the largest ``max_abs_err`` and ``max_ulp`` over all
    draws, the total element and failure counts, and the most serious status; ``draw_rows`` has
    one row per draw (:data:`DRAW_COLUMNS`). ``worst_index`` is 0-based; reports show it 1-based.
    """
    worst = max(range(len(comparisons)), key=lambda i: (_worst_key(comparisons[i]), -i))
    draw_rows = []
    for i, cmp in enumerate(comparisons):
        r = cmp.summary_row()
        draw_rows.append({"draw": i + 1, **{k: r[k] for k in DRAW_COLUMNS if k != "draw"}})
    row = {"case": case, **comparisons[worst].summary_row()}
    errs = [c.max_abs_err for c in comparisons if c.n_elements]  # draws where elements were compared
    ulps = [c.max_ulp for c in comparisons if c.max_ulp is not None]
    row.update({
        # NaN (a NaN on one side, or no element-wise comparison) outranks everything, then Inf.
        "max_abs_err": float("nan") if any(e != e for e in errs) else max(errs, default=float("nan")),
        "max_ulp": max(ulps) if ulps else None,
        "draws": len(comparisons),
        "worst_draw": worst + 1,
        "n_elements": sum(c.n_elements for c in comparisons),
        "n_fail": sum(c.n_fail for c in comparisons),
        "status": max((c.status for c in comparisons), key=SEVERITY.__getitem__),
    })
    return {k: row[k] for k in SUMMARY_COLUMNS}, worst, draw_rows


def status_rows(case: str, pairs, variables, status: str, message: str, draws: int = 1,
                classes: dict | None = None) -> list[dict]:
    """Rows without numbers: every (pair, variable) of a case that could not be compared, with why.

    ``pairs`` are ``(left, right, tolerance)``; used for ``error`` (a side of the case failed to
    run) and ``unsupported``.
    """
    rows = []
    for left, right, tol in pairs:
        for variable in variables:
            rows.append({"case": case, "variable": variable, "left": left, "right": right,
                         "class_left": (classes or {}).get((left, variable), ""),
                         "class_right": (classes or {}).get((right, variable), ""), "shape_left": "",
                         "shape_right": "", "max_abs_err": None, "max_ulp": None, "worst_row": None,
                         "worst_col": None, "worst_left": None, "worst_right": None, "draws": draws,
                         "worst_draw": None, "n_elements": 0, "n_fail": 0, "tolerance": tol.describe(),
                         "tol_ulp": tol.ulp, "tol_atol": tol.atol, "status": status, "message": message})
    return rows


def write_draws(rows: list[dict], path) -> None:
    write_csv(path, rows, DRAW_COLUMNS)


# --------------------------------------------------------------------------- the verdict


def _key(row) -> str:
    return f"{row['case']} {row['variable']} {row['left']}-vs-{row['right']}"


def verdict(rows: list[dict], expected: list[tuple[str, str, str, str]], fingerprint: str) -> dict:
    """The verdict on ``rows`` (summary rows read back as text) against the ``expected`` (case,
    variable, left, right) of the configuration, stamped with ``fingerprint``.

    It passes when every expected row is present exactly once, no other row is, and every row's
    status is ``pass``.
    """
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    seen: dict[str, int] = {}
    for r in rows:
        seen[_key(r)] = seen.get(_key(r), 0) + 1
    wanted = [f"{c} {v} {left}-vs-{right}" for c, v, left, right in expected]
    absent = [k for k in wanted if k not in seen]
    extra = sorted(k for k in seen if k not in set(wanted)) + sorted(k for k, n in seen.items() if n > 1)
    failing = [{"case": r["case"], "variable": r["variable"], "left": r["left"], "right": r["right"],
                "status": r["status"], "message": describe_row(r)} for r in rows if r["status"] != "pass"]
    n_bad = len(failing) + len(absent) + len(extra)
    total = len(wanted)
    passed = n_bad == 0 and total > 0
    if passed:
        line = f"{total} of {total} comparisons pass"
    elif total == 0:
        line = "nothing was compared: the configuration has no parity case"
    else:
        line = f"{min(n_bad, total)} of {total} comparisons fail"
    return {"format": VERDICT_FORMAT, "fingerprint": fingerprint, "passed": passed, "rows": total,
            "counts": dict(sorted(counts.items(), key=lambda kv: SEVERITY.get(kv[0], 99))), "line": line,
            "failing": failing, "absent": absent, "unexpected": extra}


def check_gate(doc: dict) -> str:
    """The verdict's line if it passed; else :class:`ParityGateError` naming every row that did not."""
    if doc["passed"]:
        return doc["line"]
    lines = [f"  - {f['message']}" for f in doc["failing"]]
    lines += [f"  - {k}: absent from {layout.summary()} (the configuration expects it; its case's files are "
              f"damaged or were removed: run again)" for k in doc["absent"]]
    lines += [f"  - {k}: in {layout.summary()} but not expected once by the configuration" for k in doc["unexpected"]]
    raise ParityGateError(f"parity failed: {doc['line']}:\n" + "\n".join(lines))


def describe_row(row: dict) -> str:
    """One line on a summary row (read back as text) for the console and the gate."""
    pair = _key(row)
    status = row["status"]
    if status == "error":
        return f"{pair}: error: {row['message']}"
    if status in ("missing", "unsupported", "class-mismatch") or (status == "shape-mismatch" and row["message"]):
        return f"{pair}: {status}: {row['message']}"
    where = ""
    if row["worst_row"]:
        where = f" at ({row['worst_row']},{row['worst_col']})"
        if row["worst_left"] or row["worst_right"]:
            where += f" ({row['left']} {row['worst_left']}, {row['right']} {row['worst_right']})"
        if str(row.get("draws", "1")) not in ("", "1"):
            where += f" of draw {row['worst_draw']} (of {row['draws']})"
    table = layout.element_table(row["case"], row["left"], row["right"], row["variable"])
    if status == "pass":
        return f"{pair}: pass (max_ulp {row['max_ulp'] or 'n/a'}{where}, max_abs_err {row['max_abs_err']})"
    return (f"{pair}: {status}, {row['n_fail']} of {row['n_elements']} elements outside {row['tolerance']}; "
            f"max_ulp {row['max_ulp'] or 'n/a'}, max_abs_err {row['max_abs_err']}{where}\n      elements: {table}")


# --------------------------------------------------------------------------- training divergence


def _ulp(field) -> int | None:
    return None if field is None or field == "" else int(field)


def _abs_err(field) -> float | None:
    value = None if field is None or field == "" else float(field)
    return None if value is None or math.isnan(value) else value


def loss_divergence(elements) -> dict:
    """How two loss curves part, from the element rows of their comparison (``losses`` is a
    1 x epochs row, so an element's ``col`` is its epoch): the first failing epoch (None if none),
    the ULP at the first and last epoch and the largest (with its epoch), the largest absolute
    error (NaN if none is known). ``elements`` are element-table rows as written (text, read back
    from the CSV) or as compared (numbers: ``Comparison.elements`` records); both give the same.
    """
    rows = list(elements)
    ulps = [_ulp(r["ulp"]) for r in rows]
    known = [(u, i) for i, u in enumerate(ulps) if u is not None]
    worst = max(known, key=lambda t: (t[0], -t[1])) if known else (None, None)
    failing = [int(r["col"]) for r in rows if r["verdict"] != "pass"]
    errs = [e for e in (_abs_err(r["abs_err"]) for r in rows) if e is not None]
    return {"epochs": len(rows), "first_divergence_epoch": failing[0] if failing else None,
            "ulp_epoch_1": ulps[0] if rows else None, "ulp_last_epoch": ulps[-1] if rows else None,
            "max_ulp": worst[0], "max_ulp_epoch": None if worst[1] is None else int(rows[worst[1]]["col"]),
            "max_abs_err": max(errs) if errs else float("nan")}


def divergence_row(case: str, elements_csv, tolerance: str) -> dict:
    """A training case's row of ``divergence.csv``: :func:`loss_divergence` of its Octave and Python
    loss curves, from its ``losses`` element table; the ULPs show how the rounding difference grows
    through training."""
    rows = read_csv(elements_csv)
    if not rows or any(k not in rows[0] for k in ("col", "ulp", "verdict", "abs_err")):
        raise ArtifactError(f"{elements_csv}: not an element table of a loss curve")
    return {"case": case, **loss_divergence(rows), "tolerance": tolerance}


def write_divergence(rows: list[dict], path) -> None:
    write_csv(path, rows, DIVERGENCE_COLUMNS)


# --------------------------------------------------------------------------- provenance


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _numpy_blas() -> dict:
    import numpy as np

    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]
        return {k: deps[k].get("name", "") + " " + deps[k].get("version", "") for k in ("blas", "lapack") if k in deps}
    except Exception as exc:  # show_config's layout is not a stable API
        return {"error": f"numpy.show_config gave no BLAS information: {exc}"}


def provenance(cases: list[dict], octave_meta: dict[str, dict], sources: dict[str, str]) -> dict:
    """Versions, hashes and shims behind a parity run.

    ``cases``: per case ``{"name", "script", "python"}`` and its ``files`` (every file its jobs
    run, relative path -> SHA-256); ``octave_meta``: per case the meta of its Octave engine file
    (versions, shims called); ``sources``: every file of the run (path -> SHA-256).
    """
    out = {}
    for case in cases:
        meta = octave_meta.get(case["name"], {})
        out[case["name"]] = {"script": case["script"], "python": case["python"], "files": case["files"],
                             "shims_used": meta.get("shims_used", []), "shims_on_path": meta.get("shims_on_path", []),
                             "octave": meta.get("versions", {})}
    return {
        "cases": out,
        "sources": sources,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "packages": {d: _version(d) for d in ("numpy", "scipy", "pandas", "oct2py", "snakemake", "rnncore")},
        "numpy_build": _numpy_blas(),
    }


def write_provenance(doc: dict, path) -> None:
    write_atomic(path, json.dumps(doc, indent=2, sort_keys=True) + "\n")
