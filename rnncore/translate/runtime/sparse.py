"""Sparse matrices held full: ``sparse`` builds the full matrix of the same values, ``full`` keeps it,
``nonzeros`` lists them, ``spdiags(v, d, m, n)`` builds one from diagonals.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Courses mostly build an indicator matrix with ``sparse(i, j, 1, m, n)`` (duplicates summed, as
``accumarray`` does) and take ``full`` of it or multiply with it. A port holds that matrix full:
the class (double or logical), size and every element are Octave's. What it cannot keep, and why
``issparse`` is left outside the subset: Octave's product of a sparse matrix skips the zeros it
does not store, so ``sparse(...) * B`` is ``0`` where the full product meets ``0 * Inf`` (``NaN``);
and a sparse value displayed, or left in a workspace, prints as Octave's list of non-zeros. Keep
sparse values away from Inf and NaN, and ``full`` them before they are shown or returned.
"""

from __future__ import annotations

import numpy as np

from .arithmetic import _num_array
from .registry import matlab_function
from .values import _CHAR, _LOGICAL, MArray, MatlabError, _text, _wrap, value

__all__ = ["sparse", "full", "nonzeros", "spdiags"]


def _index(x, what: str) -> np.ndarray:
    a = _num_array(x, "sparse").reshape(-1, order="F")
    bad = (a != np.floor(a)) | (a < 1)
    if np.any(bad):
        k = float(a[np.argmax(bad)])
        shown = f"{k:g}" if k == np.floor(k) else f"{k:.4g}"
        raise MatlabError(f"index ({shown},_): subscripts must be either integers 1 to (2^63)-1 or logicals"
                          if what == "row" else
                          f"index (_,{shown}): subscripts must be either integers 1 to (2^63)-1 or logicals")
    return a.astype(np.int64)


def _size(x) -> int:
    a = _num_array(x, "sparse").reshape(-1)
    if a.size != 1 or a[0] < 0 or a[0] != np.floor(a[0]):
        raise MatlabError("sparse: dimensions M and N must be non-negative integers")
    return int(a[0])


@matlab_function()
def sparse(*args):
    """MATLAB ``sparse(A)``, ``sparse(m, n)`` and ``sparse(i, j, v[, m, n[, nzmax | 'unique']])``:
    the full matrix Octave's sparse one holds. Repeated (i, j) pairs add up in the order given (a
    logical v: any of them), or the last one wins with ``'unique'``; a scalar i, j or v goes with
    every element of the others."""
    if len(args) == 1:
        v = value(args[0])
        if not isinstance(v, MArray) or v.dtype == _CHAR:
            raise MatlabError("sparse: wrong type argument; only numeric and logical matrices can be sparse")
        a = np.asarray(v)
        if a.ndim > 2:
            raise MatlabError("sparse: A must be a 2-D matrix")
        return _wrap(a.copy() if a.dtype == _LOGICAL else a.astype(np.float64))
    if len(args) == 2:
        return _wrap(np.zeros((_size(args[0]), _size(args[1]))))
    if len(args) not in (3, 5, 6):
        raise MatlabError("Invalid call to sparse")
    i, j = _index(args[0], "row"), _index(args[1], "column")
    vv = value(args[2])
    if not isinstance(vv, MArray) or vv.dtype == _CHAR:
        raise MatlabError("sparse: wrong type argument; the values must be numeric or logical")
    is_logical = vv.dtype == _LOGICAL
    v = np.asarray(vv).reshape(-1, order="F")
    counts = {c for c in (i.size, j.size, v.size) if c != 1}
    if len(counts) > 1:
        raise MatlabError("sparse: dimension mismatch")
    n_el = counts.pop() if counts else 1
    i, j, v = (np.broadcast_to(a, (n_el,)) for a in (i, j, v))
    if len(args) >= 5:
        m, n = _size(args[3]), _size(args[4])
        if i.size and i.max() > m:
            raise MatlabError(f"sparse: row index {int(i.max())}out of bound {m}")  # Octave's spacing
        if j.size and j.max() > n:
            raise MatlabError(f"sparse: column index {int(j.max())}out of bound {n}")
    else:
        m = int(i.max()) if i.size else 0
        n = int(j.max()) if j.size else 0
    unique = len(args) == 6 and isinstance(value(args[5]), MArray) and value(args[5]).dtype == _CHAR
    if unique and _text(args[5], "sparse: the option") != "unique":
        raise MatlabError("sparse: invalid option")
    flat = (i - 1) + (j - 1) * m  # column-major linear index
    if is_logical:
        out = np.zeros(m * n, dtype=bool)
        if unique:
            out[flat] = v  # numpy assigns in order: the last one stays
        else:
            np.logical_or.at(out, flat, v)
    else:
        out = np.zeros(m * n)
        if unique:
            out[flat] = v.astype(np.float64)
        else:
            np.add.at(out, flat, v.astype(np.float64))  # in the order given, as Octave sums them
    return _wrap(out.reshape((m, n), order="F"))


@matlab_function()
def full(A):
    """MATLAB ``full``: a port's matrices are all full, so the value itself."""
    v = value(A)
    if not isinstance(v, MArray):
        raise MatlabError("full: wrong type argument")
    return _wrap(np.asarray(v).copy())


@matlab_function()
def nonzeros(A):
    """MATLAB ``nonzeros``: the non-zero elements of A in column-major order, as a column of A's
    class (Octave's nonzeros.m: ``[~, ~, v] = find(A); v = v(:)``; NaN counts as non-zero)."""
    v = value(A)
    if not isinstance(v, MArray):
        raise MatlabError("nonzeros: A must be a numeric, logical, or character array")
    a = np.asarray(v).reshape(-1, order="F")
    return _wrap(a[a != 0].reshape(-1, 1).copy())


@matlab_function()
def spdiags(*args):
    """Octave's ``spdiags(v, d, m, n)`` (spdiags.m), held full: column k of v on diagonal ``d(k)``
    of an m-by-n matrix, aligned as spdiags.m aligns it (by row when ``m >= n``). Extracting
    diagonals (one or two arguments) and replacing them (three) are not in the subset yet."""
    if len(args) != 4:
        raise MatlabError("spdiags with fewer than four arguments (extracting or replacing diagonals) is not in "
                          "rnncore translate's subset yet; spdiags(v, d, m, n) is")
    vv = value(args[0])
    if not isinstance(vv, MArray) or vv.dtype == _CHAR or vv.ndim > 2:
        raise MatlabError("spdiags: V must be a numeric or logical matrix")
    V = np.asarray(vv)
    d = _num_array(args[1], "spdiags").reshape(-1, order="F")
    m, n = _size(args[2]), _size(args[3])
    # [j, i, v] = find(v): rows j and columns i of the non-zeros, in column-major order
    cols, rows = np.nonzero(V.T)
    vals = V[rows, cols]
    i = cols + 1
    offset = np.maximum(np.minimum(d, n - m), 0) if m >= n else d
    if i.size and i.max() > offset.size:
        raise MatlabError(f"index ({int(i.max())}): out of bound {offset.size}")
    j = rows + 1 + offset[i - 1]
    i = j - d[i - 1]
    keep = (i > 0) & (i <= m) & (j > 0) & (j <= n)
    flat = (i[keep] - 1).astype(np.int64) + (j[keep] - 1).astype(np.int64) * m
    if V.dtype == _LOGICAL:
        out = np.zeros(m * n, dtype=bool)
        np.logical_or.at(out, flat, vals[keep])
    else:
        out = np.zeros(m * n)
        np.add.at(out, flat, vals[keep].astype(np.float64))
    return _wrap(out.reshape((m, n), order="F"))
