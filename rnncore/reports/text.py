"""How every report writes a number, a tolerance and a status, so the page, the Markdown summary,
JUnit and the notebooks say the same thing the same way (and none crashes on NaN, Inf or nothing)."""

from __future__ import annotations

import math

from rnncore.reports.verdict import ParityRow

__all__ = ["exact", "num", "status_word", "tol_text", "ulp_text", "worst_text"]


def _special(x) -> str | None:
    """The text of a value that has no digits to show (None, NaN, +-Inf), else None."""
    if x is None:
        return "—"
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return None


def num(x, digits: int = 3) -> str:
    """A number compactly (``digits`` significant digits); None -> "—"; NaN and Inf spelled out."""
    special = _special(x)
    if special is not None:
        return special
    x = float(x)
    if x == int(x) and abs(x) < 1e6:
        return str(int(x))
    return f"{x:.{digits}g}"


def exact(x) -> str:
    """A value to the last bit: the shortest text that reads back as the same double (1 ULP shows)."""
    special = _special(x)
    return special if special is not None else repr(float(x))


def tol_text(row: ParityRow) -> str:
    atol = num(row.tol_atol, 2)
    return f"ULP ≤ {row.tol_ulp} or |err| ≤ {atol}" if row.ulp_applies else f"|err| ≤ {atol} (absolute only)"


def ulp_text(row: ParityRow) -> str:
    """The row's max ULP, or "-" where only the absolute bound applies (a ULP count there means nothing)."""
    if not row.ulp_applies:
        return "-"
    if row.max_ulp is None:
        return "—"
    if row.passed and row.max_ulp > row.tol_ulp:
        # Above the ULP bound yet passing: those elements pass by the absolute bound (values near zero).
        return f"{row.max_ulp} (by |err|)"
    return str(row.max_ulp)


def worst_text(row: ParityRow) -> str:
    """``(2, 10)``, ``(2, 10) of draw 684/1000``, or "—" when the row names no element."""
    if row.worst is None:
        return "—"
    text = f"({row.worst[0]}, {row.worst[1]})"
    if row.draws > 1 and row.worst_draw:
        text += f" of draw {row.worst_draw}/{row.draws}"
    return text


def status_word(status: str) -> str:
    """The status in words, failing ones marked by a word (FAIL, ERROR, ABSENT) and not by colour alone."""
    if status == "pass":
        return "✓ pass"
    if status == "fail":
        return "✗ FAIL"
    if status in ("error", "absent"):
        return f"✗ {status.upper()}"
    if status == "library-accepted":  # passes the gate, but not as an earned pass: its own word
        return "⚠ library (accepted)"
    if status == "library":
        return "✗ LIBRARY"
    return f"✗ FAIL: {status}"
