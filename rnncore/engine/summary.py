"""Parity reports: the summary table, the gate that fails the run, and the provenance record.

``results/parity/summary.csv`` has one row per (case, variable, left, right), in configuration
order, with :data:`SUMMARY_COLUMNS`. Everything in it is a pure function of the inputs, so reruns
give the same bytes; versions and hashes, which differ between machines, go to
``provenance.json`` beside it instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import platform
import sys
from importlib import metadata
from pathlib import Path

from rnncore.io import ArtifactError, write_atomic
from rnncore.engine.parity import format_float

__all__ = ["SUMMARY_COLUMNS", "DRAW_COLUMNS", "ParityGateError", "write_summary", "read_summary", "check_gate",
           "aggregate_draws", "write_draws", "provenance", "write_provenance", "sha256"]

SUMMARY_COLUMNS = ["case", "variable", "left", "right", "shape_left", "shape_right", "max_abs_err", "max_ulp",
                   "worst_row", "worst_col", "draws", "worst_draw", "n_elements", "n_fail", "tolerance", "status"]

# One row per draw of a random-input case, beside its element table.
DRAW_COLUMNS = ["draw", "shape_left", "shape_right", "max_abs_err", "max_ulp", "worst_row", "worst_col",
                "n_elements", "n_fail", "status"]

# When draws disagree on the status, the row shows the most serious.
_SEVERITY = {"pass": 0, "fail": 1, "shape-mismatch": 2, "missing": 3, "unsupported": 4}


class ParityGateError(RuntimeError):
    """At least one comparison did not pass; the message names every such row."""


def _write_csv(rows: list[dict], columns: list[str], path) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, buf.getvalue())


def write_summary(rows: list[dict], path) -> None:
    """Write summary rows (dicts with :data:`SUMMARY_COLUMNS`, values already formatted) atomically."""
    _write_csv(rows, SUMMARY_COLUMNS, path)


def _worst_key(cmp) -> tuple:
    """Sort key: failing draws before passing ones, then the largest ULP (none: NaN/Inf/shape, counts as largest)."""
    failing = cmp.status != "pass"
    ulp = float("inf") if cmp.max_ulp is None and failing else (cmp.max_ulp or 0)
    return (failing, ulp)


def aggregate_draws(case: str, comparisons: list) -> tuple[dict, int, list[dict]]:
    """Fold the comparisons of one (variable, left, right) over all draws into one summary row.

    Returns ``(summary_row, worst_index, draw_rows)``: the row reports the worst draw's shapes,
    worst element and ULP, the largest ``max_abs_err`` and ``max_ulp`` over all draws, the total
    element and failure counts, and the most serious status; ``draw_rows`` has one row per draw
    (:data:`DRAW_COLUMNS`). ``worst_index`` is 0-based; reports show it 1-based.
    """
    worst = max(range(len(comparisons)), key=lambda i: (_worst_key(comparisons[i]), -i))
    draw_rows = []
    for i, cmp in enumerate(comparisons):
        r = cmp.summary_row()
        draw_rows.append({"draw": i + 1, **{k: r[k] for k in DRAW_COLUMNS if k != "draw"}})
    row = {"case": case, **comparisons[worst].summary_row()}
    errs = [c.max_abs_err for c in comparisons if c.max_abs_err == c.max_abs_err]  # drop NaN
    ulps = [c.max_ulp for c in comparisons if c.max_ulp is not None]
    row.update({
        "max_abs_err": format_float(max(errs) if errs else float("nan")),
        "max_ulp": max(ulps) if ulps else "",
        "draws": len(comparisons),
        "worst_draw": worst + 1,
        "n_elements": sum(c.n_elements for c in comparisons),
        "n_fail": sum(c.n_fail for c in comparisons),
        "status": max((c.status for c in comparisons), key=_SEVERITY.__getitem__),
    })
    return {k: row[k] for k in SUMMARY_COLUMNS}, worst, draw_rows


def unsupported_row(case: str, variable: str, left: str, right: str, tolerance, draws: int) -> dict:
    """The row of a variable one side holds in a MATLAB class that is not compared (cell, struct, ...)."""
    return {"case": case, "variable": variable, "left": left, "right": right, "shape_left": "", "shape_right": "",
            "max_abs_err": "NaN", "max_ulp": "", "worst_row": "", "worst_col": "", "draws": draws, "worst_draw": "",
            "n_elements": 0, "n_fail": 0, "tolerance": tolerance.describe(), "status": "unsupported"}


DIVERGENCE_COLUMNS = ["case", "epochs", "first_divergence_epoch", "ulp_epoch_1", "ulp_last_epoch", "max_ulp",
                      "max_ulp_epoch", "max_abs_err", "tolerance"]


def divergence_row(case: str, elements_csv) -> dict:
    """How a training case's Octave and Python loss curves part, from its ``losses`` element table.

    ``losses`` is a 1 x epochs row, so the table's ``col`` is the epoch: the first failing column is
    the first epoch the two sides part beyond tolerance (empty if none), and the ULP at the first
    and last epoch and the largest show how the rounding difference grows through training.
    """
    path = Path(elements_csv)
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read the loss table: {exc.strerror}") from None
    if not rows or any(k not in rows[0] for k in ("col", "ulp", "verdict", "abs_err")):
        raise ArtifactError(f"{path}: not an element table of a loss curve")
    ulps = [int(r["ulp"]) if r["ulp"] else None for r in rows]
    known = [(u, i) for i, u in enumerate(ulps) if u is not None]
    worst = max(known, key=lambda t: (t[0], -t[1])) if known else (None, None)
    failing = [int(r["col"]) for r in rows if r["verdict"] != "pass"]
    errs = [float(r["abs_err"]) for r in rows if r["abs_err"] not in ("", "NaN")]
    return {"case": case, "epochs": len(rows), "first_divergence_epoch": failing[0] if failing else "",
            "ulp_epoch_1": "" if ulps[0] is None else ulps[0],
            "ulp_last_epoch": "" if ulps[-1] is None else ulps[-1],
            "max_ulp": "" if worst[0] is None else worst[0],
            "max_ulp_epoch": "" if worst[1] is None else int(rows[worst[1]]["col"]),
            "max_abs_err": format_float(max(errs)) if errs else "NaN", "tolerance": ""}


def write_divergence(rows: list[dict], path) -> None:
    _write_csv(rows, DIVERGENCE_COLUMNS, path)


def write_draws(rows: list[dict], path) -> None:
    _write_csv(rows, DRAW_COLUMNS, path)


def read_summary(path) -> list[dict]:
    """Read a summary CSV back; a missing header or a short row is an :class:`ArtifactError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read parity summary: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != SUMMARY_COLUMNS:
        raise ArtifactError(f"{path}:1: expected the columns {','.join(SUMMARY_COLUMNS)}, got {reader.fieldnames}")
    rows = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise ArtifactError(f"{path}:{reader.line_num}: row has the wrong number of fields; the file is damaged")
        rows.append(row)
    if not text.endswith("\n"):
        raise ArtifactError(f"{path}: does not end with a newline; the file is truncated")
    return rows


def _describe(row: dict, parity_dir: Path | None) -> str:
    pair = f"{row['case']} {row['variable']} {row['left']}-vs-{row['right']}"
    if parity_dir is not None and row["status"] in ("fail", "shape-mismatch"):
        table = parity_dir / row["case"] / "elements" / f"{row['left']}-vs-{row['right']}" / f"{row['variable']}.csv"
        return f"{_describe(row, None)}\n      elements: {table}"
    if row["status"] == "missing":
        side = row["left"] if not row["shape_left"] else row["right"]
        return f"{pair}: missing on the {side} side"
    if row["status"] == "unsupported":
        return (f"{pair}: unsupported, a MATLAB class that is not compared element by element (cell, struct, "
                f"complex); see results/logs/{row['case']}/octave.log")
    if row["status"] == "shape-mismatch":
        return f"{pair}: shape-mismatch ({row['shape_left']} vs {row['shape_right']})"
    worst = f" at ({row['worst_row']},{row['worst_col']})" if row["worst_row"] else ""
    if str(row.get("draws", "1")) not in ("", "1"):
        worst += f" of draw {row['worst_draw']} (of {row['draws']})"
    return (f"{pair}: {row['status']}, {row['n_fail']} of {row['n_elements']} elements outside "
            f"{row['tolerance']}; max_ulp {row['max_ulp'] or 'n/a'}{worst}, max_abs_err {row['max_abs_err']}")


def check_gate(rows: list[dict], parity_dir=None) -> str:
    """Return a one-line verdict if every row passes, else raise :class:`ParityGateError` naming the others.

    With ``parity_dir`` (the folder of summary.csv), each failing row also names its element table.
    """
    if not rows:
        raise ParityGateError("the parity summary has no rows: nothing was compared")
    bad = [r for r in rows if r["status"] != "pass"]
    if bad:
        parity_dir = Path(parity_dir) if parity_dir is not None else None
        lines = "\n".join(f"  - {_describe(r, parity_dir)}" for r in bad)
        raise ParityGateError(f"parity failed for {len(bad)} of {len(rows)} comparisons:\n{lines}")
    return f"parity passed: {len(rows)} of {len(rows)} comparisons within tolerance"


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


def provenance(root, settings, engine_docs: dict[str, dict]) -> dict:
    """Versions, hashes and shims behind a parity run.

    ``engine_docs`` maps each case name to its Octave engine document (see rnncore.io), whose
    ``meta`` records the Octave side: versions and the shims the script called.
    """
    root = Path(root)

    def rel(p):
        return Path(p).resolve().relative_to(root.resolve()).as_posix()

    cases = {}
    for case in settings.cases:
        meta = engine_docs.get(case.name, {}).get("meta", {})
        entry = {
            "script": rel(case.script),
            "script_sha256": sha256(case.script),
            "python": case.python,
            "shims_used": meta.get("shims_used", []),
            "shims_on_path": meta.get("shims_on_path", []),
            "octave": meta.get("versions", {}),
        }
        if case.reference:
            entry["reference"] = {"file": rel(case.reference.file), "sha256": sha256(case.reference.file)}
        cases[case.name] = entry
    shims = {rel(p): sha256(p) for d in settings.shim_dirs for p in sorted(Path(d).glob("*.m"))}
    sources = {rel(p): sha256(p) for p in sorted((root / "rnncore").rglob("*.py"))}
    return {
        "cases": cases,
        "shims": shims,
        "python_sources": sources,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "packages": {d: _version(d) for d in ("numpy", "scipy", "pandas", "oct2py", "snakemake", "rnncore")},
        "numpy_build": _numpy_blas(),
    }


def write_provenance(doc: dict, path) -> None:
    write_atomic(path, json.dumps(doc, indent=2, sort_keys=True) + "\n")
