"""The parity results as every report reads them: ``summary.csv`` rows and ``verdict.json``, typed.

The engine writes numbers as text (``%.17g``, ``NaN``, ``Inf``, empty when there is none); this
module turns them back into numbers once, so that no report parses a number (or a tolerance) on its
own. The contract (columns, statuses, the verdict's format and its reader) is
:mod:`rnncore.engine.verdict_format`'s, where the engine writes it. A report embeds the verdict's
fingerprint (see :mod:`rnncore.reports.fingerprint`) so that a stale report can be told from a
current one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rnncore.engine.verdict_format import STATUSES, SUMMARY_COLUMNS, read_summary, read_verdict
from rnncore.io import ArtifactError

__all__ = ["ENGINES", "FAILURE_STATUSES", "ParityRow", "Verdict", "read_rows", "parse_row", "worst_first"]

# The two engines; any other name on a side of a row is a published reference (e.g. "slides").
ENGINES = ("octave", "python")
# JUnit <failure> for these, <error> for "error" (a side crashed: no numbers at all).
FAILURE_STATUSES = frozenset(STATUSES) - {"pass", "error"}


def _float(text: str) -> float:
    """``%.17g`` text (also ``NaN``, ``Inf``, ``-Inf``) -> float; empty or junk -> NaN (never raises)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _optional_float(text: str) -> float | None:
    return None if text is None or str(text).strip() == "" else _float(text)


def _int(text: str) -> int | None:
    """An integer column; empty -> None. ``3.0`` is read as 3, NaN/Inf as None (an index cannot be)."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return int(text)
    except ValueError:
        v = _float(text)
        return int(v) if math.isfinite(v) and v == int(v) else None


@dataclass(frozen=True)
class ParityRow:
    """One comparison: ``variable`` of ``case``, ``left`` against ``right``, with its numbers as numbers."""

    case: str
    variable: str
    left: str
    right: str
    class_left: str
    class_right: str
    shape_left: str
    shape_right: str
    max_abs_err: float | None  # None when there is none (NaN: a NaN was compared)
    max_ulp: int | None  # None: no ULP (NaN/Inf elements, shape mismatch, missing)
    worst_row: int | None  # 1-based
    worst_col: int | None
    worst_left: float | None  # the two values at the worst element
    worst_right: float | None
    draws: int
    worst_draw: int | None
    n_elements: int
    n_fail: int
    tolerance: str  # the engine's description, shown as is
    tol_ulp: int  # 0: only the absolute bound applies
    tol_atol: float
    status: str
    message: str
    text: dict = field(default_factory=dict, compare=False, repr=False)  # the row as written, for JUnit

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def pair(self) -> str:
        return f"{self.left}-vs-{self.right}"

    @property
    def label(self) -> str:
        """``"rnn2 ht octave-vs-python"``: the name a row has in every report (and in verdict.json's ``absent``)."""
        return f"{self.case} {self.variable} {self.pair}"

    @property
    def ulp_applies(self) -> bool:
        """False when the tolerance is an absolute bound only (a ULP count then means nothing)."""
        return self.tol_ulp > 0

    @property
    def reference(self) -> str | None:
        """The published reference on a side of this row (e.g. ``"slides"``), or None for Octave vs Python."""
        for side in (self.left, self.right):
            if side not in ENGINES:
                return side
        return None

    @property
    def worst(self) -> tuple[int, int] | None:
        if self.worst_row is None or self.worst_col is None:
            return None
        return self.worst_row, self.worst_col

    @property
    def margin(self) -> float:
        """How much of its tolerance the row uses (1 = at the bound; NaN when unknown). The larger of the
        two ratios is an upper bound: an element passes when either one is <= 1."""
        ratios = []
        if self.ulp_applies and self.max_ulp is not None:
            ratios.append(self.max_ulp / self.tol_ulp)
        if self.tol_atol > 0 and self.max_abs_err is not None and math.isfinite(self.max_abs_err):
            ratios.append(self.max_abs_err / self.tol_atol)
        return min(ratios) if ratios else math.nan


def parse_row(text: dict, where: str = "summary.csv") -> ParityRow:
    """One row of the contract (a dict of strings) as a :class:`ParityRow`; raises :class:`ArtifactError`
    when a column is missing or the status is unknown."""
    missing = [c for c in SUMMARY_COLUMNS if c not in text or text[c] is None]
    if missing:
        raise ArtifactError(f"{where}: row lacks the column(s) {', '.join(missing)}")
    status = text["status"].strip()
    if status not in STATUSES:
        raise ArtifactError(f"{where}: unknown status {status!r} (expected one of {', '.join(STATUSES)})")
    return ParityRow(
        case=text["case"], variable=text["variable"], left=text["left"], right=text["right"],
        class_left=text["class_left"], class_right=text["class_right"],
        shape_left=text["shape_left"], shape_right=text["shape_right"],
        max_abs_err=_optional_float(text["max_abs_err"]), max_ulp=_int(text["max_ulp"]),
        worst_row=_int(text["worst_row"]), worst_col=_int(text["worst_col"]),
        worst_left=_optional_float(text["worst_left"]), worst_right=_optional_float(text["worst_right"]),
        draws=_int(text["draws"]) or 1, worst_draw=_int(text["worst_draw"]),
        n_elements=_int(text["n_elements"]) or 0, n_fail=_int(text["n_fail"]) or 0,
        tolerance=text["tolerance"], tol_ulp=_int(text["tol_ulp"]) or 0, tol_atol=_float(text["tol_atol"]),
        status=status, message=text["message"], text={c: text[c] for c in SUMMARY_COLUMNS})


def read_rows(path) -> list[ParityRow]:
    """Every row of ``summary.csv`` in file order; :class:`ArtifactError` names a damaged file and row."""
    return [parse_row(raw, f"{path}: row {i}") for i, raw in enumerate(read_summary(path), start=1)]


def worst_first(rows: list[ParityRow]) -> list[ParityRow]:
    """Rows that do not pass first (file order), then passing rows by how much tolerance they use."""
    bad = [r for r in rows if not r.passed]
    good = sorted((r for r in rows if r.passed), key=lambda r: -(r.margin if math.isfinite(r.margin) else -1.0))
    return bad + good


@dataclass(frozen=True)
class Verdict:
    """``verdict.json``: the gate's one decision about ``summary.csv`` (written pass or fail)."""

    fingerprint: str
    passed: bool
    rows: int
    counts: dict
    line: str
    failing: list = field(default_factory=list)  # dicts: case, variable, left, right, status, message
    absent: list = field(default_factory=list)  # "<case> <variable> <left>-vs-<right>"

    @classmethod
    def read(cls, path) -> "Verdict":
        """``verdict.json`` read (and checked) by :func:`rnncore.engine.verdict_format.read_verdict`."""
        doc = read_verdict(path)
        return cls(fingerprint=doc["fingerprint"], passed=doc["passed"], rows=doc["rows"], counts=doc["counts"],
                   line=doc["line"], failing=doc["failing"], absent=[str(a) for a in doc["absent"]])
