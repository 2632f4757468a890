"""Element-wise numerical parity between two engines (e.g. Octave vs Python).

Two float arrays in MATLAB orientation are compared element by element and a
variable passes iff every element satisfies

    ulp_distance(left, right) <= tol.ulp   OR   |left - right| <= tol.atol

ULP distance
------------
The ULP ("unit in the last place") distance between two float64 values is the
number of representable doubles one has to step through to get from one to the
other. It is computed exactly on the bit patterns: the IEEE-754 encoding of a
non-negative double, read as an unsigned integer, is monotonic in the value, so
every double is mapped to the signed integer ``+magnitude`` or ``-magnitude``
(sign-magnitude -> two's-complement-like ordering) and the distance is the
difference of those integers. Consequences:

* ``-0.0`` and ``+0.0`` both map to 0, so they are 0 ULP apart;
* ``1.0`` and ``nextafter(1, 2)`` are 1 ULP apart;
* the smallest negative and positive subnormals are 2 ULP apart;
* ``inf`` is 1 ULP above the largest finite double (the encoding continues),
  which is why non-finite values are classified *before* the ULP test below;
* the distance between ``-max`` and ``+max`` is just below 2**64, so results
  are returned as ``uint64`` and never overflow.

ULP distance is meaningless around zero (1e-300 and 0 are ~2**62 ULP apart),
hence the absolute floor ``atol``.

Special-value policy (``note`` column of the element table)
-----------------------------------------------------------
=================  =======  ========  ========  ====  =======================
case               verdict  abs_err   rel_err   ulp   note
=================  =======  ========  ========  ====  =======================
NaN both sides     pass     0         0         0     ``nan-both``
NaN left only      fail     NaN       NaN       None  ``nan-left``
NaN right only     fail     NaN       NaN       None  ``nan-right``
same Inf           pass     0         0         0     ``inf-both``
Inf vs other       fail     Inf       NaN       None  ``inf-mismatch``
+0 vs -0           pass     0         0         0     ``signed-zero``
=================  =======  ========  ========  ====  =======================

NaN takes precedence over Inf (NaN vs Inf is ``nan-left``/``nan-right``).
``inf-mismatch`` covers Inf vs any finite value and +Inf vs -Inf; it can
never pass, whatever the tolerance.

``rel_err`` is the symmetric relative error ``|l-r| / ((|l|+|r|)/2)``, 0 when
``l == r``. ``abs_err`` is the IEEE result ``|l - r|``, which is Inf for two
finite values of opposite sign whose difference exceeds the float64 range
(rel_err is still computed without overflow in that case).

Orientation
-----------
Inputs must have ndim >= 2 (MATLAB never produces fewer). Element ``(row, col)``
is 1-based; for ndim > 2 the trailing dimensions are collapsed in column-major
order, i.e. ``col`` is MATLAB's linear index in ``A(i, j)`` with ``j`` beyond
``size(A, 2)``. Element tables list elements in column-major order.

Statuses
--------
``pass`` iff every element passes, else ``fail``. ``missing`` when either side
is None (empty table). ``shape-mismatch`` when the numpy shapes differ (also
(2, 3) vs (2, 3, 1)): one row per position of the union of the two collapsed
(row, col) grids, absent values empty, verdict ``shape-mismatch`` everywhere,
note ``left-only``/``right-only`` or, where both exist, the special-value note
(usually ""). Neither missing nor shape mismatch raises.

``worst`` points a reader at the element to look at: when some elements fail,
the first NaN or Inf on one side only (column-major), else the first failing
element among those with the largest ULP; when all pass, the element with the
largest ULP. ``max_ulp`` is over elements with a ULP. ``max_abs_err`` is NaN
when a NaN stands on one side only and Inf when an Inf does, so a row's
headline never looks better than its worst element.

MATLAB values (:func:`compare_values`)
--------------------------------------
:func:`compare_values` compares two :class:`rnncore.io.Value` s: the MATLAB
class is part of parity (``class-mismatch`` when the two sides differ, unless
``check_class=False``; a side without a class, such as printed reference
values, is not checked), and a cell is compared element by element: the same
cell size, each item of the same class and size, their values in cell order
(the element table's ``row``/``col`` are the item's place in the cell and
``note`` says ``{k}`` for the k-th element of a longer item).

Element tables
--------------
:func:`write_elements_csv` writes every element up to ``limit`` elements; a
larger comparison writes every failing element (up to ``limit`` of them) and
the ``WORST_ROWS`` passing elements with the largest ULP, in column-major
order, so a table stays readable at any size; the summary row counts every
element.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from rnncore.io import Value, csv_text, format_float, write_atomic

__all__ = ["Tolerance", "Comparison", "ulp_distance", "compare", "compare_values", "format_float",
           "write_elements_csv", "ELEMENT_COLUMNS", "ELEMENT_LIMIT", "WORST_ROWS"]

ELEMENT_COLUMNS: tuple[str, ...] = (
    "row", "col", "left", "right", "abs_err", "rel_err", "ulp", "verdict", "note",
)
ELEMENT_LIMIT = 10_000  # element tables up to this many elements are written whole
WORST_ROWS = 100  # beyond it: the failing elements, and this many with the largest ULP

# The notes an element can carry, by code (uint8 per element: a large comparison holds no Python strings).
NOTES = ("", "signed-zero", "inf-mismatch", "inf-both", "nan-right", "nan-left", "nan-both", "left-only",
         "right-only")
_NOTE = {name: np.uint8(i) for i, name in enumerate(NOTES)}
# Verdict codes: pass, fail, shape-mismatch.
VERDICTS = ("pass", "fail", "shape-mismatch")

_SIGN_BIT = np.uint64(1 << 63)
_MAGNITUDE_MASK = np.uint64((1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1


@dataclass(frozen=True)
class Tolerance:
    """Pass criterion ``ulp_distance <= ulp or abs_err <= atol``.

    ``ulp`` is a non-negative integer, ``atol`` a finite non-negative float
    (absolute floor for values near zero, where ULP distance is meaningless).
    """

    ulp: int
    atol: float

    def __post_init__(self) -> None:
        # bool is an Integral subclass; True as "1 ULP" is almost surely a bug.
        if isinstance(self.ulp, bool) or not isinstance(self.ulp, numbers.Integral) or self.ulp < 0:
            raise ValueError(f"Tolerance.ulp must be an integer >= 0, got {self.ulp!r}")
        if isinstance(self.atol, bool) or not isinstance(self.atol, numbers.Real):
            raise ValueError(f"Tolerance.atol must be a finite float >= 0, got {self.atol!r}")
        atol = float(self.atol)
        if not math.isfinite(atol) or atol < 0:
            raise ValueError(f"Tolerance.atol must be a finite float >= 0, got {self.atol!r}")
        # Normalise numpy scalars so describe()/hash/eq are type-stable.
        object.__setattr__(self, "ulp", int(self.ulp))
        object.__setattr__(self, "atol", atol)

    def describe(self) -> str:
        # repr is the shortest text that reads back to the same double: exact, and 5e-05 stays 5e-05.
        atol = "0" if self.atol == 0 else repr(self.atol)
        return f"ulp<={self.ulp} or abs<={atol}"


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of representable float64 values between ``a`` and ``b``.

    Parameters
    ----------
    a, b : array_like, broadcastable; converted to float64.

    Returns
    -------
    ndarray of uint64, broadcast shape of ``a`` and ``b``.

    Notes
    -----
    Exact and overflow-free: magnitudes are < 2**63, so both ``|ma - mb|``
    (same sign) and ``ma + mb`` (opposite signs) fit in uint64. ``+-0`` are
    0 apart; ``inf`` is 1 above the largest finite value. The result at NaN
    positions is meaningless (it depends on the payload); callers must mask
    NaN (and decide Inf) themselves, as :func:`compare` does.
    """
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    bits_a = a.view(np.uint64)
    bits_b = b.view(np.uint64)
    mag_a = bits_a & _MAGNITUDE_MASK
    mag_b = bits_b & _MAGNITUDE_MASK
    same_sign = (bits_a & _SIGN_BIT) == (bits_b & _SIGN_BIT)
    # max - min instead of a - b: unsigned subtraction would wrap silently.
    same = np.maximum(mag_a, mag_b) - np.minimum(mag_a, mag_b)
    return np.asarray(np.where(same_sign, same, mag_a + mag_b), dtype=np.uint64)



def _collapse(shape: tuple[int, ...]) -> tuple[int, int]:
    """(rows, cols) with trailing dims folded into cols, as MATLAB A(i, j)."""
    return shape[0], math.prod(shape[1:])


def _element_stats(l: np.ndarray, r: np.ndarray, tol: Tolerance) -> dict[str, np.ndarray]:
    """Per-element errors for 1-D float64 ``l``, ``r`` of equal length n.

    Returns abs_err, rel_err (float64, n), ulp (uint64, n), ulp_valid,
    passed (bool, n) and note (uint8 codes of :data:`NOTES`, n).
    """
    nan_l, nan_r = np.isnan(l), np.isnan(r)
    any_nan = nan_l | nan_r
    inf_l, inf_r = np.isinf(l), np.isinf(r)
    nan_both = nan_l & nan_r
    inf_both = ~any_nan & inf_l & inf_r & (l == r)
    inf_mismatch = ~any_nan & (inf_l | inf_r) & ~inf_both
    finite = ~any_nan & ~inf_l & ~inf_r
    signed_zero = (l == 0) & (r == 0) & (np.signbit(l) != np.signbit(r))

    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        abs_err = np.abs(l - r)
        total = np.abs(l) + np.abs(r)
        # 2|l-r| / (|l|+|r|) instead of |l-r| / ((|l|+|r|)/2): doubling is
        # exact, whereas halving the sum of two subnormals can round it to 0.
        two_abs = 2.0 * abs_err
        rel_err = two_abs / total
        # Near the top of the range the sum or the doubled difference
        # overflows; scaling by 1/4 is exact there (up to rounding of a much
        # smaller partner, which the sum does not see anyway).
        big = finite & ~(np.isfinite(total) & np.isfinite(two_abs))
        if big.any():
            ql, qr = l[big] * 0.25, r[big] * 0.25
            rel_err[big] = (2.0 * np.abs(ql - qr)) / (np.abs(ql) + np.abs(qr))
    rel_err[finite & (l == r)] = 0.0

    abs_err[nan_both | inf_both] = 0.0
    rel_err[nan_both | inf_both] = 0.0
    abs_err[nan_l ^ nan_r] = np.nan
    rel_err[nan_l ^ nan_r] = np.nan
    abs_err[inf_mismatch] = np.inf
    rel_err[inf_mismatch] = np.nan

    ulp = ulp_distance(l, r)
    ulp[nan_both] = 0  # payloads may differ; NaN-vs-NaN is agreement by policy
    ulp_valid = finite | nan_both | inf_both

    # Only finite pairs go through the numeric test: inf is 1 ULP from max,
    # and NaN ULPs are payload noise.
    max_ulp = np.uint64(min(tol.ulp, _UINT64_MAX))
    passed = nan_both | inf_both | (finite & ((ulp <= max_ulp) | (abs_err <= tol.atol)))

    note = np.zeros(l.shape, dtype=np.uint8)  # codes of NOTES
    note[signed_zero] = _NOTE["signed-zero"]
    note[inf_mismatch] = _NOTE["inf-mismatch"]
    note[inf_both] = _NOTE["inf-both"]
    note[nan_r & ~nan_l] = _NOTE["nan-right"]
    note[nan_l & ~nan_r] = _NOTE["nan-left"]
    note[nan_both] = _NOTE["nan-both"]
    return {
        "abs_err": abs_err,
        "rel_err": rel_err,
        "ulp": ulp,
        "ulp_valid": ulp_valid,
        "passed": passed,
        "note": note,
    }



@dataclass(frozen=True, eq=False)
class _Elements:
    """Per-element columns of a comparison, in column-major order, as numpy arrays.

    ``left``/``right`` are NaN where a side has no element (a shape mismatch); ``has_left`` /
    ``has_right`` tell those apart from a real NaN. ``ulp`` is meaningful where ``ulp_valid``.
    """

    row: np.ndarray  # int64, 1-based
    col: np.ndarray  # int64, 1-based
    left: np.ndarray
    right: np.ndarray
    has_left: np.ndarray
    has_right: np.ndarray
    abs_err: np.ndarray
    rel_err: np.ndarray
    ulp: np.ndarray  # uint64
    ulp_valid: np.ndarray
    verdict: np.ndarray  # uint8 codes of VERDICTS: pass, fail, shape-mismatch
    note: np.ndarray  # uint8 codes of NOTES
    item: np.ndarray | None = None  # cells: the element's 1-based index within its item (0: a 1x1 item)

    def __len__(self) -> int:
        return len(self.row)

    @staticmethod
    def empty() -> "_Elements":
        f, b, u = np.zeros(0), np.zeros(0, dtype=bool), np.zeros(0, np.uint8)
        return _Elements(np.zeros(0, np.int64), np.zeros(0, np.int64), f, f, b, b, f, f, np.zeros(0, np.uint64), b,
                         u, u)

    @property
    def passed(self) -> np.ndarray:
        return self.verdict == 0

    def rows(self, idx=None) -> list[dict]:
        """Element-table rows (mappings of :data:`ELEMENT_COLUMNS`) for the indices ``idx`` (default all)."""
        idx = np.arange(len(self)) if idx is None else np.asarray(idx, dtype=np.intp)
        # Whole columns to Python lists first: indexing numpy scalars element by element is ten times slower.
        has_l, has_r = self.has_left[idx], self.has_right[idx]
        both = (has_l & has_r).tolist()
        # A cell's element without a note of its own names its item, {k} (0: a 1x1 item, no name).
        items = self.item[idx].tolist() if self.item is not None else [0] * len(idx)
        notes = [NOTES[code] or (f"{{{item}}}" if item else "") for code, item in zip(self.note[idx].tolist(), items)]
        columns = zip(self.row[idx].tolist(), self.col[idx].tolist(), self.left[idx].tolist(),
                      self.right[idx].tolist(), has_l.tolist(), has_r.tolist(), both, self.abs_err[idx].tolist(),
                      self.rel_err[idx].tolist(), self.ulp[idx].tolist(), self.ulp_valid[idx].tolist(),
                      self.verdict[idx].tolist(), notes)
        return [{"row": row, "col": col, "left": left if hl else None, "right": right if hr else None,
                 "abs_err": abs_err if b else None, "rel_err": rel_err if b else None,
                 "ulp": ulp if uv else None, "verdict": VERDICTS[verdict], "note": note}
                for row, col, left, right, hl, hr, b, abs_err, rel_err, ulp, uv, verdict, note in columns]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Result of :func:`compare` / :func:`compare_values` for one variable.

    ``elements`` is a pandas DataFrame with columns :data:`ELEMENT_COLUMNS` (built on first use;
    the workflow itself never needs pandas): ``row``/``col`` int64; ``left``/``right``/``abs_err``/
    ``rel_err`` float64 (object with ``None`` for absent positions when ``status ==
    "shape-mismatch"``); ``ulp`` object (Python ``int`` or ``None``); ``verdict``/``note`` object.
    """

    variable: str
    left: str
    right: str
    shape_left: tuple[int, ...] | None
    shape_right: tuple[int, ...] | None
    tolerance: Tolerance
    status: str
    max_abs_err: float
    max_ulp: int | None
    worst: tuple[int, int] | None
    n_elements: int
    n_fail: int
    class_left: str = ""
    class_right: str = ""
    message: str = ""
    worst_values: tuple[float | None, float | None] = (None, None)
    table: _Elements = field(default_factory=_Elements.empty, repr=False)

    @property
    def elements(self):
        import pandas as pd  # only for callers that want a table to look at

        t = self.table
        mismatch = self.status == "shape-mismatch" or not (t.has_left.all() and t.has_right.all())
        rows = t.rows()
        if not mismatch:
            return pd.DataFrame({
                "row": pd.Series(t.row, dtype=np.int64), "col": pd.Series(t.col, dtype=np.int64),
                "left": pd.Series(t.left, dtype=np.float64), "right": pd.Series(t.right, dtype=np.float64),
                "abs_err": pd.Series(t.abs_err, dtype=np.float64), "rel_err": pd.Series(t.rel_err, dtype=np.float64),
                "ulp": pd.Series([r["ulp"] for r in rows], dtype=object),
                "verdict": pd.Series([r["verdict"] for r in rows], dtype=object),
                "note": pd.Series([r["note"] for r in rows], dtype=object),
            }, columns=list(ELEMENT_COLUMNS))
        frame = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in ELEMENT_COLUMNS},
                             columns=list(ELEMENT_COLUMNS))
        frame["row"] = frame["row"].astype(np.int64)
        frame["col"] = frame["col"].astype(np.int64)
        return frame

    def summary_row(self) -> dict:
        """The comparison as one summary row: numbers stay numbers (see :mod:`rnncore.engine.summary`)."""
        worst_row, worst_col = self.worst if self.worst is not None else (None, None)
        return {
            "variable": self.variable,
            "left": self.left,
            "right": self.right,
            "class_left": self.class_left,
            "class_right": self.class_right,
            "shape_left": _format_shape(self.shape_left),
            "shape_right": _format_shape(self.shape_right),
            "max_abs_err": self.max_abs_err,
            "max_ulp": self.max_ulp,
            "worst_row": worst_row,
            "worst_col": worst_col,
            "worst_left": self.worst_values[0],
            "worst_right": self.worst_values[1],
            "n_elements": self.n_elements,
            "n_fail": self.n_fail,
            "tolerance": self.tolerance.describe(),
            "tol_ulp": self.tolerance.ulp,
            "tol_atol": self.tolerance.atol,
            "status": self.status,
            "message": self.message,
        }


def _format_shape(shape: tuple[int, ...] | None) -> str:
    return "" if shape is None else "x".join(str(n) for n in shape)


def _as_matlab_array(variable: str, side: str, x) -> np.ndarray | None:
    """Validate and convert one side to float64 with ndim >= 2."""
    if x is None:
        return None
    raw = np.asarray(x)
    # b/i/u/f only: a silent cast of complex (drops imag) or object would hide bugs.
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"variable {variable!r} ({side}): dtype {raw.dtype} is not real numeric "
                         "(bool/int/float required)")
    if raw.ndim < 2:
        raise ValueError(f"variable {variable!r} ({side}): shape {raw.shape} has ndim < 2; "
                         "callers must pass MATLAB-shaped (>= 2-D) arrays")
    out = raw.astype(np.float64, copy=False)
    if raw.dtype.kind in "iu" and raw.dtype.itemsize > 4 or raw.dtype.kind == "f" and raw.dtype.itemsize > 8:
        # int64/uint64 beyond 2**53 and long double do not fit a double: rounded, two different
        # values (2**53 + 1 and 2**53) would compare equal, so such a value is refused by name.
        if raw.dtype.kind == "f":
            inexact = (out.astype(raw.dtype) != raw) & ~np.isnan(raw)
        else:
            # The cast back is exact below 2**63 (int64) / 2**64 (uint64); at or above it, no value of the dtype.
            inside = out < (2.0**63 if raw.dtype.kind == "i" else 2.0**64)
            inexact = ~inside | (np.where(inside, out, 0).astype(raw.dtype) != raw)
        if inexact.any():
            k = int(np.flatnonzero(inexact.ravel(order="F"))[0])
            value = raw.ravel(order="F")[k]
            raise ValueError(f"variable {variable!r} ({side}): {raw.dtype} value {value} at ({k % raw.shape[0] + 1}, "
                             f"{k // raw.shape[0] + 1}) is not exactly a double, and rounding it could make two "
                             "different values compare equal; convert it to float64 on purpose first")
    return out


def _equal_shape_elements(l: np.ndarray, r: np.ndarray, nrow: int, tol: Tolerance, item=None) -> _Elements:
    st = _element_stats(l, r, tol)
    n = len(l)
    k = np.arange(n, dtype=np.int64)
    true = np.ones(n, dtype=bool)
    return _Elements(
        row=k % nrow + 1 if nrow else k, col=k // nrow + 1 if nrow else k, left=l, right=r,
        has_left=true, has_right=true, abs_err=st["abs_err"], rel_err=st["rel_err"], ulp=st["ulp"],
        ulp_valid=st["ulp_valid"], verdict=(~st["passed"]).astype(np.uint8), note=st["note"], item=item)


def _verdict(variable, left_name, right_name, shape_l, shape_r, tol, t: _Elements, **extra) -> Comparison:
    """Status, counts, headline numbers and worst element of a same-shape element table."""
    passed = t.passed
    n_fail = int(np.count_nonzero(~passed))
    one_sided_nan = np.isnan(t.abs_err)
    inf_mismatch = t.note == _NOTE["inf-mismatch"]
    if one_sided_nan.any():
        max_abs_err = math.nan
    elif inf_mismatch.any():
        max_abs_err = math.inf
    else:
        finite_err = t.abs_err[~np.isnan(t.abs_err)]
        max_abs_err = float(finite_err.max()) if finite_err.size else math.nan
    valid_idx = np.flatnonzero(t.ulp_valid)
    max_ulp = int(t.ulp[valid_idx].max()) if valid_idx.size else None
    special = np.flatnonzero(~passed & ~t.ulp_valid)
    # Masks, not set operations: np.intersect1d sorts, which takes seconds at millions of elements.
    candidates = np.flatnonzero((~passed if n_fail else np.ones_like(passed)) & t.ulp_valid)
    if special.size:  # a NaN or Inf on one side is worse than any distance
        w = int(special[0])
    elif candidates.size:
        w = int(candidates[np.argmax(t.ulp[candidates])])  # argmax: the first maximum, column-major
    elif n_fail:
        w = int(np.flatnonzero(~passed)[0])
    else:
        w = None
    worst = None if w is None else (int(t.row[w]), int(t.col[w]))
    values = (None, None) if w is None else (float(t.left[w]), float(t.right[w]))
    status = extra.pop("status", None) or ("pass" if n_fail == 0 else "fail")
    return Comparison(variable=variable, left=left_name, right=right_name, shape_left=shape_l, shape_right=shape_r,
                      tolerance=tol, status=status, max_abs_err=max_abs_err, max_ulp=max_ulp, worst=worst,
                      n_elements=len(t), n_fail=n_fail, worst_values=values, table=t, **extra)


def compare(variable: str, left_name: str, left, right_name: str, right, tol: Tolerance) -> Comparison:
    """Compare two MATLAB-shaped arrays element by element.

    Parameters
    ----------
    left, right : array_like with ndim >= 2 (bool/int/float), or None if the
        variable is missing on that side.

    Returns
    -------
    Comparison with status ``"pass"``, ``"fail"``, ``"shape-mismatch"`` or
    ``"missing"``. Missing and shape mismatch never raise.

    Raises
    ------
    ValueError
        If an array is complex/object/non-numeric or has ndim < 2, or holds an int64/uint64 (or long
        double) value that a double cannot hold exactly (named with its place).
    """
    lv = _as_matlab_array(variable, left_name, left)
    rv = _as_matlab_array(variable, right_name, right)
    shape_l = None if lv is None else tuple(int(n) for n in lv.shape)
    shape_r = None if rv is None else tuple(int(n) for n in rv.shape)
    if lv is None or rv is None:
        side = left_name if lv is None else right_name
        return Comparison(variable, left_name, right_name, shape_l, shape_r, tol, "missing", math.nan, None, None,
                          0, 0, message=f"{variable} is missing on the {side} side")
    if shape_l != shape_r:
        t = _shape_mismatch_elements(lv, rv, tol)
        return Comparison(variable, left_name, right_name, shape_l, shape_r, tol, "shape-mismatch", math.nan, None,
                          None, len(t), len(t), table=t,
                          message=f"{variable} is {_format_shape(shape_l)} on the {left_name} side and "
                                  f"{_format_shape(shape_r)} on the {right_name} side")
    nrow, _ = _collapse(shape_l)
    # copy(): ravel may return a view, and the table must not alias caller data.
    t = _equal_shape_elements(lv.ravel(order="F").copy(), rv.ravel(order="F").copy(), nrow, tol)
    return _verdict(variable, left_name, right_name, shape_l, shape_r, tol, t)


def _shape_mismatch_elements(lv: np.ndarray, rv: np.ndarray, tol: Tolerance) -> _Elements:
    """Rows for the union of both (row, col) grids, column-major."""
    lr, lc = _collapse(lv.shape)
    rr, rc = _collapse(rv.shape)
    l2 = lv.reshape((lr, lc), order="F")
    r2 = rv.reshape((rr, rc), order="F")
    nrow, ncol = max(lr, rr), max(lc, rc)
    # Grids shaped (ncol, nrow): C-order ravel() then walks rows fastest, i.e. MATLAB column-major order.
    cols, rows = np.meshgrid(np.arange(ncol), np.arange(nrow), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    in_l = (rows < lr) & (cols < lc)
    in_r = (rows < rr) & (cols < rc)
    keep = in_l | in_r
    rows, cols, in_l, in_r = rows[keep], cols[keep], in_l[keep], in_r[keep]
    both = in_l & in_r
    m = rows.size
    left, right = np.full(m, np.nan), np.full(m, np.nan)
    left[in_l] = l2[rows[in_l], cols[in_l]]
    right[in_r] = r2[rows[in_r], cols[in_r]]
    abs_err, rel_err = np.full(m, np.nan), np.full(m, np.nan)
    ulp, ulp_valid = np.zeros(m, dtype=np.uint64), np.zeros(m, dtype=bool)
    note = np.zeros(m, dtype=np.uint8)
    note[in_l & ~in_r] = _NOTE["left-only"]
    note[in_r & ~in_l] = _NOTE["right-only"]
    if both.any():
        st = _element_stats(left[both], right[both], tol)
        abs_err[both], rel_err[both] = st["abs_err"], st["rel_err"]
        ulp[both], ulp_valid[both] = st["ulp"], st["ulp_valid"]
        note[both] = st["note"]  # keep special-value notes (nan-both, ...) for overlapping positions
    return _Elements(row=(rows + 1).astype(np.int64), col=(cols + 1).astype(np.int64), left=left, right=right,
                     has_left=in_l, has_right=in_r, abs_err=abs_err, rel_err=rel_err, ulp=ulp, ulp_valid=ulp_valid,
                     verdict=np.full(m, 2, dtype=np.uint8), note=note)


def _cell_items(variable: str, left_name: str, right_name: str, lv: Value, rv: Value) -> str | None:
    """Why two cells cannot be compared item by item (None when they can)."""
    for k, (a, b) in enumerate(zip(lv.items, rv.items), start=1):
        if a.cls == "cell" or b.cls == "cell":
            return f"{variable}{{{k}}} is a nested cell; only cells of numbers, logicals and text are compared"
        if a.shape != b.shape:
            return (f"{variable}{{{k}}} is {a.size_text} on the {left_name} side and {b.size_text} on the "
                    f"{right_name} side")
    return None


def compare_values(variable: str, left_name: str, left: Value | None, right_name: str, right: Value | None,
                   tol: Tolerance, *, check_class: bool = True) -> Comparison:
    """Compare two MATLAB values: class, size and every element (see the module docstring)."""
    cl = "" if left is None else left.cls
    cr = "" if right is None else right.cls
    if left is None or right is None:
        side = left_name if left is None else right_name
        return Comparison(variable, left_name, right_name, None if left is None else left.shape,
                          None if right is None else right.shape, tol, "missing", math.nan, None, None, 0, 0,
                          class_left=cl, class_right=cr, message=f"{variable} is missing on the {side} side")
    if (left.cls == "cell") != (right.cls == "cell"):
        return Comparison(variable, left_name, right_name, left.shape, right.shape, tol, "class-mismatch", math.nan,
                          None, None, 0, 0, class_left=cl, class_right=cr,
                          message=f"{variable} is a {cl} on the {left_name} side and a {cr} on the {right_name} side")
    if left.cls == "cell":
        if left.shape != right.shape:
            t = _Elements.empty()
            return Comparison(variable, left_name, right_name, left.shape, right.shape, tol, "shape-mismatch",
                              math.nan, None, None, 0, 0, class_left=cl, class_right=cr, table=t,
                              message=f"{variable} is a {left.size_text} cell on the {left_name} side and a "
                                      f"{right.size_text} cell on the {right_name} side")
        why = _cell_items(variable, left_name, right_name, left, right)
        if why:
            return Comparison(variable, left_name, right_name, left.shape, right.shape, tol, "shape-mismatch",
                              math.nan, None, None, 0, 0, class_left=cl, class_right=cr, message=why)
        classes = [(k, a.cls, b.cls) for k, (a, b) in enumerate(zip(left.items, right.items), start=1)
                   if a.cls != b.cls and a.cls and b.cls]
        cmp = _compare_cell(variable, left_name, right_name, left, right, tol)
        if check_class and classes:
            k, a, b = classes[0]
            return _replace(cmp, status="class-mismatch", class_left=cl, class_right=cr,
                            message=f"{variable}{{{k}}} is {a} on the {left_name} side and {b} on the "
                                    f"{right_name} side" + (f" ({len(classes)} items differ)" if len(classes) > 1
                                                            else ""))
        return _replace(cmp, class_left=cl, class_right=cr)
    cmp = compare(variable, left_name, left.data, right_name, right.data, tol)
    cmp = _replace(cmp, class_left=cl, class_right=cr)
    if check_class and cl and cr and cl != cr and cmp.status in ("pass", "fail"):
        cmp = _replace(cmp, status="class-mismatch",
                       message=f"{variable} is {cl} on the {left_name} side and {cr} on the {right_name} side"
                               + ("" if cmp.status == "pass" else f"; its values differ too ({cmp.n_fail} of "
                                                                   f"{cmp.n_elements} elements)"))
    return cmp


def _replace(cmp: Comparison, **changes) -> Comparison:
    from dataclasses import replace

    return replace(cmp, **changes)


def _compare_cell(variable, left_name, right_name, left: Value, right: Value, tol: Tolerance) -> Comparison:
    nrow, _ = _collapse(left.shape)
    ls, rs, rows, cols, items = [], [], [], [], []
    for k, (a, b) in enumerate(zip(left.items, right.items)):
        n = math.prod(a.shape)
        ls.append(a.data.ravel(order="F"))
        rs.append(b.data.ravel(order="F"))
        rows.append(np.full(n, k % nrow + 1 if nrow else k, dtype=np.int64))
        cols.append(np.full(n, k // nrow + 1 if nrow else k, dtype=np.int64))
        items.append(np.arange(1, n + 1, dtype=np.int64) if n > 1 else np.zeros(n, dtype=np.int64))
    cat = (lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dt))
    l, r = cat(ls, np.float64), cat(rs, np.float64)
    t = _equal_shape_elements(l, r, 1, tol, item=cat(items, np.int64))
    t = _Elements(row=cat(rows, np.int64), col=cat(cols, np.int64), **{
        f: getattr(t, f) for f in ("left", "right", "has_left", "has_right", "abs_err", "rel_err", "ulp", "ulp_valid",
                                   "verdict", "note", "item")})
    return _verdict(variable, left_name, right_name, left.shape, right.shape, tol, t)


_CHUNK = 65536  # element-table rows formatted at a time


def write_elements_csv(cmp: Comparison, path, limit: int | None = ELEMENT_LIMIT) -> int:
    """Write the comparison's element table as CSV (columns :data:`ELEMENT_COLUMNS`); return its row count.

    Floats use :func:`format_float`, ints are plain, an absent value is an empty field, lines end
    in ``\\n``: identical input gives identical bytes. With more than ``limit`` elements only the
    failing ones (at most ``limit``) and the :data:`WORST_ROWS` passing ones with the largest ULP are written
    (column-major order); ``limit=None`` writes every element. Written atomically.
    """
    t = cmp.table
    idx = None
    if limit is not None and len(t) > limit:
        failing = np.flatnonzero(~t.passed)[:limit]
        valid = np.flatnonzero(t.ulp_valid & t.passed)  # how close the passing ones came
        # ~ulp ranks uint64 ULPs exactly, largest first (as float64, 2**60 + 1 would tie with 2**60).
        top = valid[np.argsort(~t.ulp[valid], kind="stable")[:WORST_ROWS]]
        idx = np.union1d(failing, top)
    idx = np.arange(len(t)) if idx is None else idx

    def stream(fh) -> None:
        # A full table of millions of elements is written a chunk at a time: memory stays that of a chunk.
        fh.write(csv_text((), ELEMENT_COLUMNS).encode())
        for start in range(0, len(idx), _CHUNK):
            fh.write(csv_text(t.rows(idx[start:start + _CHUNK]), ELEMENT_COLUMNS, header=False,
                              first=start + 1).encode())

    write_atomic(path, stream)
    return len(idx)
