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

from .artifacts import ArtifactError, write_atomic

__all__ = ["SUMMARY_COLUMNS", "ParityGateError", "write_summary", "read_summary", "check_gate", "provenance",
           "sha256"]

SUMMARY_COLUMNS = ["case", "variable", "left", "right", "shape_left", "shape_right", "max_abs_err", "max_ulp",
                   "worst_row", "worst_col", "n_elements", "n_fail", "tolerance", "status"]


class ParityGateError(RuntimeError):
    """At least one comparison did not pass; the message names every such row."""


def write_summary(rows: list[dict], path) -> None:
    """Write summary rows (dicts with :data:`SUMMARY_COLUMNS`, values already formatted) atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, buf.getvalue())


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
    if row["status"] == "shape-mismatch":
        return f"{pair}: shape-mismatch ({row['shape_left']} vs {row['shape_right']})"
    worst = f" at ({row['worst_row']},{row['worst_col']})" if row["worst_row"] else ""
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

    ``engine_docs`` maps each case name to its Octave engine document (see rnncore.artifacts), whose
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
