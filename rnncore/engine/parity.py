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
the first failing element (column-major) among those with the largest ULP, or
the first failing one if none of them has a ULP (NaN/Inf mismatches); when all
pass, the element with the largest ULP. ``max_ulp`` is over elements with a ULP.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from rnncore.io import write_atomic

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Tolerance",
    "Comparison",
    "ulp_distance",
    "compare",
    "format_float",
    "write_elements_csv",
    "ELEMENT_COLUMNS",
]

ELEMENT_COLUMNS: tuple[str, ...] = (
    "row", "col", "left", "right", "abs_err", "rel_err", "ulp", "verdict", "note",
)
_INT_COLUMNS = frozenset({"row", "col", "ulp"})
_FLOAT_COLUMNS = frozenset({"left", "right", "abs_err", "rel_err"})

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


def format_float(x: float) -> str:
    """``'%.17g'`` (round-trips every double through ``float()``), with
    MATLAB-style ``NaN``/``Inf``/``-Inf``; ``-0.0`` gives ``"-0"``."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return "%.17g" % x


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare` for one variable.

    ``elements`` has columns :data:`ELEMENT_COLUMNS`: ``row``/``col`` int64;
    ``left``/``right``/``abs_err``/``rel_err`` float64 (object with ``None``
    for absent positions when ``status == "shape-mismatch"``); ``ulp`` object
    (Python ``int`` or ``None``); ``verdict``/``note`` object (str).
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
    # DataFrames don't support ==/hash/short repr; keep them out of those.
    elements: pd.DataFrame = field(compare=False, repr=False)

    def summary_row(self) -> dict:
        worst_row, worst_col = self.worst if self.worst is not None else ("", "")
        return {
            "variable": self.variable,
            "left": self.left,
            "right": self.right,
            "shape_left": _format_shape(self.shape_left),
            "shape_right": _format_shape(self.shape_right),
            "max_abs_err": format_float(self.max_abs_err),
            "max_ulp": "" if self.max_ulp is None else self.max_ulp,
            "worst_row": worst_row,
            "worst_col": worst_col,
            "n_elements": self.n_elements,
            "n_fail": self.n_fail,
            "tolerance": self.tolerance.describe(),
            "status": self.status,
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
        raise ValueError(
            f"variable {variable!r} ({side}): dtype {raw.dtype} is not real numeric "
            "(bool/int/float required)"
        )
    if raw.ndim < 2:
        raise ValueError(
            f"variable {variable!r} ({side}): shape {raw.shape} has ndim < 2; "
            "callers must pass MATLAB-shaped (>= 2-D) arrays"
        )
    return raw.astype(np.float64, copy=False)


def _collapse(shape: tuple[int, ...]) -> tuple[int, int]:
    """(rows, cols) with trailing dims folded into cols, as MATLAB A(i, j)."""
    return shape[0], math.prod(shape[1:])


def _element_stats(l: np.ndarray, r: np.ndarray, tol: Tolerance) -> dict[str, np.ndarray]:
    """Per-element errors for 1-D float64 ``l``, ``r`` of equal length n.

    Returns abs_err, rel_err (float64, n), ulp (uint64, n), ulp_valid,
    passed (bool, n) and note (object, n).
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

    note = np.full(l.shape, "", dtype=object)
    note[signed_zero] = "signed-zero"
    note[inf_mismatch] = "inf-mismatch"
    note[inf_both] = "inf-both"
    note[nan_r & ~nan_l] = "nan-right"
    note[nan_l & ~nan_r] = "nan-left"
    note[nan_both] = "nan-both"
    return {
        "abs_err": abs_err,
        "rel_err": rel_err,
        "ulp": ulp,
        "ulp_valid": ulp_valid,
        "passed": passed,
        "note": note,
    }


def _ulp_objects(ulp: np.ndarray, valid: np.ndarray) -> np.ndarray:
    out = ulp.astype(object)  # Python ints: exact, and can coexist with None
    out[~valid] = None
    return out


def _frame(columns: dict, float_dtype=np.float64) -> pd.DataFrame:
    import pandas as pd  # here, not at module level: workflow steps that never compare skip its ~0.4 s import

    """DataFrame with the fixed column order and stable dtypes."""
    return pd.DataFrame(
        {
            "row": pd.Series(columns["row"], dtype=np.int64),
            "col": pd.Series(columns["col"], dtype=np.int64),
            "left": pd.Series(columns["left"], dtype=float_dtype),
            "right": pd.Series(columns["right"], dtype=float_dtype),
            "abs_err": pd.Series(columns["abs_err"], dtype=float_dtype),
            "rel_err": pd.Series(columns["rel_err"], dtype=float_dtype),
            "ulp": pd.Series(columns["ulp"], dtype=object),
            "verdict": pd.Series(columns["verdict"], dtype=object),
            "note": pd.Series(columns["note"], dtype=object),
        },
        columns=list(ELEMENT_COLUMNS),
    )


def _empty_frame() -> pd.DataFrame:
    return _frame({c: [] for c in ELEMENT_COLUMNS})


def compare(
    variable: str,
    left_name: str,
    left: np.ndarray | None,
    right_name: str,
    right: np.ndarray | None,
    tol: Tolerance,
) -> Comparison:
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
        If an array is complex/object/non-numeric or has ndim < 2.
    """
    lv = _as_matlab_array(variable, left_name, left)
    rv = _as_matlab_array(variable, right_name, right)
    shape_l = None if lv is None else tuple(int(n) for n in lv.shape)
    shape_r = None if rv is None else tuple(int(n) for n in rv.shape)

    def result(status, elements, *, max_abs_err=math.nan, max_ulp=None, worst=None, n_fail=0):
        return Comparison(
            variable=variable, left=left_name, right=right_name,
            shape_left=shape_l, shape_right=shape_r, tolerance=tol, status=status,
            max_abs_err=max_abs_err, max_ulp=max_ulp, worst=worst,
            n_elements=len(elements), n_fail=n_fail, elements=elements,
        )

    if lv is None or rv is None:
        return result("missing", _empty_frame())
    if shape_l != shape_r:
        elements = _shape_mismatch_frame(lv, rv, tol)
        # Every row carries verdict "shape-mismatch", none passes.
        return result("shape-mismatch", elements, n_fail=len(elements))

    nrow, ncol = _collapse(shape_l)
    n = nrow * ncol
    # copy(): ravel may return a view, and the table must not alias caller data.
    l = lv.ravel(order="F").copy()
    r = rv.ravel(order="F").copy()
    st = _element_stats(l, r, tol)
    k = np.arange(n, dtype=np.int64)
    elements = _frame({
        "row": k % nrow + 1 if nrow else k,
        "col": k // nrow + 1 if nrow else k,
        "left": l, "right": r,
        "abs_err": st["abs_err"], "rel_err": st["rel_err"],
        "ulp": _ulp_objects(st["ulp"], st["ulp_valid"]),
        "verdict": np.where(st["passed"], "pass", "fail").astype(object),
        "note": st["note"],
    })

    n_fail = int(np.count_nonzero(~st["passed"]))
    finite_err = st["abs_err"][~np.isnan(st["abs_err"])]
    max_abs_err = float(finite_err.max()) if finite_err.size else math.nan
    valid_idx = np.flatnonzero(st["ulp_valid"])
    # argmax returns the first maximum -> ties resolve in column-major order.
    max_ulp = int(st["ulp"][valid_idx].max()) if valid_idx.size else None
    failing = np.flatnonzero(~st["passed"])
    candidates = failing if failing.size else valid_idx
    with_ulp = np.intersect1d(candidates, valid_idx)
    if with_ulp.size:
        w = int(with_ulp[np.argmax(st["ulp"][with_ulp])])
    elif candidates.size:
        w = int(candidates[0])
    else:
        w = None
    worst = None if w is None else (w % nrow + 1, w // nrow + 1)
    return result(
        "pass" if n_fail == 0 else "fail", elements,
        max_abs_err=max_abs_err, max_ulp=max_ulp, worst=worst, n_fail=n_fail,
    )


def _shape_mismatch_frame(lv: np.ndarray, rv: np.ndarray, tol: Tolerance) -> pd.DataFrame:
    """Rows for the union of both (row, col) grids, column-major."""
    lr, lc = _collapse(lv.shape)
    rr, rc = _collapse(rv.shape)
    l2 = lv.reshape((lr, lc), order="F")
    r2 = rv.reshape((rr, rc), order="F")
    nrow, ncol = max(lr, rr), max(lc, rc)
    # Grids shaped (ncol, nrow): C-order ravel() then walks rows fastest,
    # i.e. MATLAB column-major order.
    cols, rows = np.meshgrid(np.arange(ncol), np.arange(nrow), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    in_l = (rows < lr) & (cols < lc)
    in_r = (rows < rr) & (cols < rc)
    keep = in_l | in_r
    rows, cols, in_l, in_r = rows[keep], cols[keep], in_l[keep], in_r[keep]
    both = in_l & in_r
    m = rows.size

    left = np.full(m, None, dtype=object)
    right = np.full(m, None, dtype=object)
    abs_err = np.full(m, None, dtype=object)
    rel_err = np.full(m, None, dtype=object)
    ulp = np.full(m, None, dtype=object)
    note = np.full(m, "", dtype=object)
    # tolist() yields Python floats, which format_float handles like np.float64.
    left[in_l] = l2[rows[in_l], cols[in_l]].tolist()
    right[in_r] = r2[rows[in_r], cols[in_r]].tolist()
    note[in_l & ~in_r] = "left-only"
    note[in_r & ~in_l] = "right-only"
    if both.any():
        st = _element_stats(l2[rows[both], cols[both]], r2[rows[both], cols[both]], tol)
        abs_err[both] = st["abs_err"].tolist()
        rel_err[both] = st["rel_err"].tolist()
        ulp[both] = _ulp_objects(st["ulp"], st["ulp_valid"])
        # Keep special-value notes (nan-both, ...) for overlapping positions.
        note[both] = st["note"]
    return _frame({
        "row": rows + 1, "col": cols + 1,
        "left": left, "right": right, "abs_err": abs_err, "rel_err": rel_err,
        "ulp": ulp,
        "verdict": np.full(m, "shape-mismatch", dtype=object),
        "note": note,
    }, float_dtype=object)


def _is_absent(value) -> bool:
    return value is None or (type(value).__name__ == "NAType")  # pd.NA, without importing pandas


def _csv_column(column: str, values: list) -> list[str]:
    """Format one column; per-column dispatch keeps large tables fast."""
    if column in _FLOAT_COLUMNS:
        return ["" if _is_absent(v) else format_float(v) for v in values]
    if column in _INT_COLUMNS:
        return ["" if _is_absent(v) else str(int(v)) for v in values]
    return ["" if _is_absent(v) else str(v) for v in values]


def write_elements_csv(cmp: Comparison, path) -> None:
    """Write ``cmp.elements`` as CSV (columns :data:`ELEMENT_COLUMNS`).

    Floats use :func:`format_float`, ints are plain, ``None`` is an empty
    field, lines end in ``\\n``: identical input gives identical bytes. The
    file is written with :func:`rnncore.io.write_atomic`, so readers
    never see a partial file.
    """
    df = cmp.elements
    columns = [_csv_column(c, df[c].tolist()) for c in ELEMENT_COLUMNS]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ELEMENT_COLUMNS)
    writer.writerows(zip(*columns))
    write_atomic(path, buf.getvalue())
