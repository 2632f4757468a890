"""MATLAB's ``assert``: a condition that must hold, or an observed value that must equal an expected one.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Follows Octave 7's assert.m: which form a call is, when it passes, and the error it raises.
"""

from __future__ import annotations

import numpy as np

from .registry import matlab_function
from .text import error as _error
from .values import _CHAR, _LOGICAL, MArray, MatlabError, value

__all__ = ["assert_"]


def _is_char(x) -> bool:
    if isinstance(x, str):
        return True
    v = value(x)
    return isinstance(v, MArray) and v.dtype == _CHAR


def _holds(v) -> bool:
    """assert.m's test of a condition: numeric or logical, not empty, all elements non-zero."""
    if not isinstance(v, MArray) or v.dtype == _CHAR or v.size == 0:
        return False
    a = np.asarray(v)
    return bool(np.all(a != 0))  # NaN != 0: a NaN passes, as in Octave's all()


def _equal(observed, expected, tol) -> bool:
    """assert.m's comparison of two numeric, logical or char arrays: the same size, NaN and Inf at
    the same places, and the rest within ``tol`` (0: exactly; > 0: absolute; < 0: relative)."""
    o, e = value(observed), value(expected)
    if not isinstance(o, MArray) or not isinstance(e, MArray):
        raise MatlabError("assert (observed, expected): only numeric, logical and char values are in "
                          "rnncore translate's subset")
    if _is_char(expected) != _is_char(observed):
        return False
    if o.shape != e.shape:
        return False
    a, b = np.asarray(o, dtype=np.float64), np.asarray(e, dtype=np.float64)
    t = np.broadcast_to(np.asarray(value(tol), dtype=np.float64), a.shape) if np.size(value(tol)) else None
    if t is None:
        return False
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    inf_a, inf_b = np.isinf(a), np.isinf(b)
    if not np.array_equal(inf_a, inf_b) or not np.array_equal(a[inf_a], b[inf_b]):
        return False
    finite = ~np.isnan(a) & ~inf_a
    with np.errstate(all="ignore"):
        err = np.abs(a - b)
        rel = np.where(t < 0, err / np.abs(b), err)
    bad = finite & np.where(t == 0, a != b, rel > np.abs(t))
    return not bool(np.any(bad))


@matlab_function(statement=True, name="assert")
def assert_(cond, *args) -> None:
    """MATLAB ``assert(cond)``, ``assert(cond, errmsg, ...)`` (raises ``error(errmsg, ...)`` when
    the condition fails) and ``assert(observed, expected[, tol])``. Which form a call is, and when
    it passes, are Octave's; the one-argument failure reads ``assert (cond) failed`` (Octave puts
    the argument's source text there) and a failed comparison raises only the first line of
    Octave's table of differences."""
    c = value(cond)
    if not args or (isinstance(c, MArray) and c.dtype == _LOGICAL and _is_char(args[0])):
        if _holds(c):
            return
        if not args:
            raise MatlabError("assert (cond) failed")
        _error(*args)
    if len(args) > 2:
        raise MatlabError("Invalid call to assert")
    tol = args[1] if len(args) == 2 else np.zeros((1, 1))
    if not _equal(cond, args[0], tol):
        raise MatlabError("ASSERT errors for:  assert (cond,expected,tol)")
