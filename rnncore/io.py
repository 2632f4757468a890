"""The intermediate files between workflow steps: one engine's variables, exactly, as JSON.

An engine file holds, for each variable, its MATLAB ``class``, its ``size`` and its values in
MATLAB's column-major order. Floats are written by ``repr`` (Python's shortest round-trip form),
so reading them back gives the same bits; NaN and infinities use JSON's common extension
(``NaN``, ``Infinity``). JSON rather than ``.npz``: a zip archive stamps the time into its
entries, and the project promises the same bytes for the same inputs.

Files are written to a temporary name and renamed, so a reader sees a whole file or none; a
truncated or hand-damaged file is reported with its path, never half-read.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["ArtifactError", "write_atomic", "write_engine_output", "write_engine_draws", "read_engine_output",
           "read_engine_draws"]

FORMAT = "rnncore-engine-output/1"


class ArtifactError(ValueError):
    """An intermediate file is missing, truncated or not what the next step expects."""


def write_atomic(path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    Parent folders are created. The file gets mode 0o644 (``mkstemp``'s 0o600 is too strict for a
    report); an interrupted write leaves the old file, or none, never a partial one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _encode_variables(engine: str, values: dict, classes: dict | None) -> dict:
    variables = {}
    for name in sorted(values):
        arr = np.asarray(values[name], dtype=np.float64)
        if arr.ndim < 2:
            raise ValueError(f"{engine}: variable {name!r} has shape {arr.shape}; MATLAB arrays are at least 2-D")
        variables[name] = {
            "class": (classes or {}).get(name, "double"),
            "size": list(arr.shape),
            "data": [float(v) for v in arr.ravel(order="F")],  # MATLAB's A(:) order
        }
    return variables


def write_engine_output(path, engine: str, values: dict, classes: dict | None = None, meta: dict | None = None):
    """Store ``values`` (name -> array in MATLAB orientation, >= 2-D) produced by ``engine``."""
    doc = {"format": FORMAT, "engine": engine, "meta": meta or {},
           "variables": _encode_variables(engine, values, classes)}
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=True, allow_nan=True) + "\n")


def write_engine_draws(path, engine: str, draws: list[dict], classes: list[dict] | None = None,
                       meta: dict | None = None):
    """Store one ``{name: array}`` per draw (random-input cases); see :func:`read_engine_draws`."""
    classes = classes or [None] * len(draws)
    doc = {"format": FORMAT, "engine": engine, "meta": meta or {},
           "draws": [_encode_variables(engine, d, c) for d, c in zip(draws, classes)]}
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=True, allow_nan=True) + "\n")


def _load(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read engine output: {exc.strerror}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArtifactError(
            f"{path}:{exc.lineno}: engine output is not valid JSON ({exc.msg}); the file is truncated or "
            f"damaged. Delete it and rerun the workflow to regenerate it."
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ArtifactError(f"{path}: not an rnncore engine output (expected format {FORMAT!r})")
    if (not isinstance(doc.get("engine"), str) or not isinstance(doc.get("variables", {}), dict)
            or not isinstance(doc.get("draws", []), list)):
        raise ArtifactError(f"{path}: engine output is damaged: 'engine' must be text, 'variables' an object "
                            f"and 'draws' a list")
    return doc


def _decode_variables(path: Path, variables) -> dict[str, np.ndarray]:
    if not isinstance(variables, dict):
        raise ArtifactError(f"{path}: engine output is damaged: a draw is not an object")
    values = {}
    for name, var in variables.items():
        try:
            size = tuple(int(s) for s in var["size"])
            if any(s < 0 for s in size):  # reshape would infer a -1 instead of checking it
                raise ValueError(f"negative size {list(size)}")
            if any(v is None for v in var["data"]):  # np.array would read JSON null as NaN
                raise ValueError("null in data")
            data = np.array(var["data"], dtype=np.float64)
            values[name] = data.reshape(size, order="F")  # (prod(size),) -> size, column-major
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtifactError(f"{path}: variable {name!r} is damaged: {exc}") from None
    return values


def read_engine_output(path) -> tuple[str, dict[str, np.ndarray], dict]:
    """Read a single-run engine file: ``(engine, {name: array}, document)``; :class:`ArtifactError` if damaged."""
    path = Path(path)
    doc = _load(path)
    if "draws" in doc:
        raise ArtifactError(f"{path}: holds {len(doc['draws'])} draws; read it with read_engine_draws")
    return doc["engine"], _decode_variables(path, doc.get("variables", {})), doc


def read_engine_draws(path) -> tuple[str, list[dict[str, np.ndarray]], dict]:
    """Read any engine file as a list of draws (a single run is one draw)."""
    path = Path(path)
    doc = _load(path)
    if "draws" in doc:
        return doc["engine"], [_decode_variables(path, d) for d in doc["draws"]], doc
    return doc["engine"], [_decode_variables(path, doc.get("variables", {}))], doc
