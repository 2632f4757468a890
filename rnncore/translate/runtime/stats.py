"""Descriptive statistics along a dimension (``var``, ``std``, ``median``, ``mode``), as Octave 7's
``scripts/statistics/*.m`` compute them, step for step, so that the roundings are the same.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Octave is the reference where it differs from MATLAB: each function says where.
"""

from __future__ import annotations

import numpy as np

from .values import MArray, MatlabError, _CHAR, _mshape, _text, _wrap, value
from .arithmetic import _num_array
from .reductions import _accumulate, _along, _is_placeholder
from .registry import matlab_function

__all__ = ["var", "std", "median", "mode", "histcounts"]


def _first_above_one(a: np.ndarray) -> int:
    """0-based axis of the first dimension of size > 1, else the first (Octave's ``find (sz > 1, 1)``)."""
    return next((k for k, s in enumerate(_mshape(a.shape)) if s > 1), 0)


def _dim_arg(dim, what: str) -> int:
    d = _num_array(dim, what).reshape(-1)
    if d.size != 1 or d[0] != np.floor(d[0]) or d[0] < 1:
        raise MatlabError(f"{what}: DIM must be an integer and a valid dimension")
    return int(d[0]) - 1


@matlab_function()
def var(A, w=None, dim=None):
    """Octave's ``var(x, w, dim)``: ``sumsq(center(x, dim), dim) / (n - 1 + w)``, w 0 (n-1) or 1 (n);
    default dim the first non-singleton one; ``var([])`` is NaN, an empty x NaN along dim, one
    observation 0 (NaN where x is NaN or Inf). ``dim`` may be 'all'. Weight vectors are outside the subset."""
    a = _num_array(A, "var")
    if w is None or _is_placeholder(w):
        weight = 0.0
    else:
        wv = _num_array(w, "var").reshape(-1)
        if wv.size != 1:
            raise MatlabError("var: a vector of weights W is outside rnncore translate's subset")
        weight = float(wv[0])
    default_dim = dim is None or _is_placeholder(dim)
    if not default_dim and isinstance(value(dim), MArray) and value(dim).dtype == _CHAR:
        if _text(dim).lower() != "all":
            raise MatlabError("var: DIM must be a positive integer scalar, vector, or 'all'")
        a, axis = a.reshape(-1, 1, order="F"), 0
    elif default_dim:
        axis = next((k for k, s in enumerate(_mshape(a.shape)) if s != 1), 0)
    else:
        axis = _dim_arg(dim, "var")
    a = _along(a, axis)
    n = a.shape[axis]
    if weight not in (0.0, 1.0) and n != 1:
        raise MatlabError("var: W must be 0, 1, or a vector of positive integers")
    if a.size == 0:
        if default_dim and a.shape == (0, 0):
            return _wrap(np.array(np.nan))
        shape = list(a.shape)
        shape[axis] = 1
        return _wrap(np.full(shape, np.nan))
    with np.errstate(all="ignore"):
        if n == 1:
            return _wrap(np.where(np.isnan(a) | np.isinf(a), np.nan, 0.0))
        centred = a - _accumulate(np.add, a, axis, 0.0) / n  # center.m: x - mean(x, dim)
        return _wrap(_accumulate(np.add, centred * centred, axis, 0.0) / (n - 1 + weight))


@matlab_function()
def std(A, w=None, dim=None):
    """Octave's ``std``: ``sqrt(var(...))`` (std.m), with var's arguments and rules."""
    with np.errstate(all="ignore"):
        return _wrap(np.sqrt(var(A, w, dim).view(np.ndarray)))


@matlab_function()
def median(A, dim=None):
    """Octave's ``median``: the middle element along dim (default: the first of size > 1), the mean
    ``(a + b) / 2`` of the two middle ones for an even count, NaN where the slice holds a NaN. An
    empty x is an error in Octave 7 (MATLAB returns NaN)."""
    a = _num_array(A, "median")
    if a.size == 0:
        raise MatlabError("median: X cannot be an empty matrix")
    axis = _first_above_one(a) if dim is None else _dim_arg(dim, "median")
    a = _along(a, axis)
    n = a.shape[axis]
    s = np.sort(a, axis=axis, kind="stable")  # NaN sorts last; their slices become NaN below
    k = (n + 1) // 2
    with np.errstate(all="ignore"):
        if n % 2 == 1:
            out = np.take(s, [k - 1], axis=axis)
        else:
            out = (np.take(s, [k - 1], axis=axis) + np.take(s, [k], axis=axis)) / 2
        out = np.where(np.any(np.isnan(a), axis=axis, keepdims=True), np.nan, out)
    if value(A).dtype == np.bool_:
        return _wrap(out != 0)
    return _wrap(out)


@matlab_function(max_outputs=2)
def mode(A, dim=None, *, nargout: int = 1):
    """Octave's ``mode``: the most frequent value along dim (default: the first of size > 1), the
    smallest of tied ones; ``[m, f] = mode(x)`` also gives the frequency. Every NaN counts on its own
    (NaN ~= NaN), so a NaN is the mode only of an all-NaN slice. ``mode([])`` is 1x0."""
    v = value(A)
    a = _num_array(v, "mode")
    axis = _first_above_one(a) if dim is None else _dim_arg(dim, "mode")
    if axis >= a.ndim:
        return (_wrap(a), _wrap(np.ones(a.shape))) if nargout > 1 else _wrap(a)
    moved = np.moveaxis(np.sort(a, axis=axis, kind="stable"), axis, -1)
    flat = moved.reshape(int(np.prod(moved.shape[:-1])), moved.shape[-1])
    m = np.zeros(flat.shape[0])
    f = np.zeros(flat.shape[0])
    for i, row in enumerate(flat):
        if row.size == 0:
            continue
        starts = np.flatnonzero(np.concatenate(([True], row[1:] != row[:-1])))
        counts = np.diff(np.concatenate((starts, [row.size])))
        best = int(np.argmax(counts))  # the first run of the largest count: the smallest value
        m[i], f[i] = row[starts[best]], counts[best]
    shape = list(moved.shape[:-1]) + [1]
    m_out = np.moveaxis(m.reshape(shape), -1, axis)
    f_out = np.moveaxis(f.reshape(shape), -1, axis)
    mode_v = _wrap(m_out != 0) if v.dtype == np.bool_ else _wrap(m_out)
    return (mode_v, _wrap(f_out)) if nargout > 1 else mode_v



@matlab_function(max_outputs=3)
def histcounts(x, edges=None, *, nargout: int = 1):
    """MATLAB ``[N, EDGES, BIN] = histcounts(X, EDGES)`` as rnncore's shim computes it in Octave 7 (which
    has none): N(k) counts EDGES(k) <= X < EDGES(k+1), the last bin closed; N and EDGES rows; BIN the
    size of X, 0 outside the edges and for NaN. Bins chosen by MATLAB's rules (no EDGES, or a
    number of bins) are refused, as the shim refuses them."""
    e = None if edges is None else _num_array(edges, "histcounts")
    if e is None or e.size < 2 or min(e.shape) != 1:
        raise MatlabError("histcounts: only histcounts(X, EDGES) with EDGES a vector of at least two bin edges "
                          "is supported")
    e = e.astype(np.float64).reshape(1, -1, order="F")
    if np.any(np.diff(e[0]) < 0) or np.any(np.isnan(e)):
        raise MatlabError("histcounts: EDGES must be nondecreasing")
    xs = _num_array(x, "histcounts")
    nb = e.shape[1] - 1
    bin_ = np.zeros(xs.shape)
    for k in range(1, nb + 1):  # the shim's loop: a later bin wins where two would hold an element
        lo, hi = e[0, k - 1], e[0, k]
        bin_[(xs >= lo) & ((xs < hi) if k < nb else (xs <= hi))] = k
    n = np.array([[np.count_nonzero(bin_ == k) for k in range(1, nb + 1)]], dtype=np.float64)
    return (_wrap(n), _wrap(e), _wrap(bin_))[:max(nargout, 1)] if nargout > 1 else _wrap(n)
