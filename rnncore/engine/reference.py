"""Published reference values: numbers printed in course material, transcribed into a CSV file.

Format (see ``matlab_ref/reference/rnn2_slides.csv``): ``#`` comment lines, then a header
``variable,row,col,value,source`` and one line per printed element, 1-based MATLAB indices. Every
element of a variable's array must be printed once by the main printout; other sources (a worked
example repeating one element) may give the same element again, and must then agree with it
as a number, so that a slip in transcription is caught here rather than blamed on a port.
Arrays are sized by the largest row and column given.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

__all__ = ["ReferenceFileError", "load_reference"]

HEADER = ["variable", "row", "col", "value", "source"]


class ReferenceFileError(ValueError):
    """The reference file is malformed; the message names the file and line."""


def load_reference(path) -> dict[str, np.ndarray]:
    """Read a reference CSV into ``{variable: array}`` (float64, MATLAB orientation)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReferenceFileError(f"{path}: cannot read reference values: {exc.strerror}") from None
    body = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    if not body or next(csv.reader([body[0][1]])) != HEADER:
        where = f"{path}:{body[0][0]}" if body else str(path)
        raise ReferenceFileError(f"{where}: expected the header {','.join(HEADER)}")
    first: dict[tuple[str, int, int], tuple[str, int, str]] = {}  # element -> (text, line, source)
    for lineno, line in body[1:]:
        fields = next(csv.reader([line]))
        if len(fields) != len(HEADER):
            raise ReferenceFileError(f"{path}:{lineno}: expected {len(HEADER)} fields, got {len(fields)}: {line!r}")
        variable, row, col, value, source = (f.strip() for f in fields)
        try:
            r, c = int(row), int(col)
        except ValueError:
            raise ReferenceFileError(f"{path}:{lineno}: row and col must be integers, got {row!r}, {col!r}") from None
        if r < 1 or c < 1:
            raise ReferenceFileError(f"{path}:{lineno}: row and col are 1-based (MATLAB), got ({r}, {c})")
        try:
            number = float(value)
        except ValueError:
            raise ReferenceFileError(f"{path}:{lineno}: {variable}({r},{c}) value {value!r} is not a number") from None
        if not math.isfinite(number):
            raise ReferenceFileError(f"{path}:{lineno}: {variable}({r},{c}) value {value!r} is not finite")
        key = (variable, r, c)
        if key in first:
            text, line0, source0 = first[key]
            if float(text) != number:
                raise ReferenceFileError(
                    f"{path}:{lineno}: {variable}({r},{c}) = {value} ({source}) disagrees with {text} "
                    f"({source0}, line {line0})"
                )
            continue
        first[key] = (value, lineno, source)
    out = {}
    for variable in dict.fromkeys(k[0] for k in first):  # first-seen order
        cells = {(r, c): float(v[0]) for (name, r, c), v in first.items() if name == variable}
        rows, cols = max(r for r, _ in cells), max(c for _, c in cells)
        absent = [(r, c) for c in range(1, cols + 1) for r in range(1, rows + 1) if (r, c) not in cells]
        if absent:
            r, c = absent[0]
            raise ReferenceFileError(
                f"{path}: {variable} is {rows}x{cols} but {len(absent)} element(s) are not given, "
                f"first {variable}({r},{c})"
            )
        arr = np.empty((rows, cols))
        for (r, c), v in cells.items():
            arr[r - 1, c - 1] = v  # 1-based file -> 0-based array
        out[variable] = arr
    return out
