"""Reductions and searches along a dimension (``sum``, ``max``, ``find``, ``norm``...) and the
functions that reshape or repeat arrays.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import math
import numpy as np

from .values import (
    Cell,
    MArray,
    MatlabError,
    _CHAR,
    _LOGICAL,
    _cell_to_obj,
    _dims,
    _dims_text,
    _expand,
    _mshape,
    _obj_to_cell,
    _prod,
    _text,
    _wrap,
    double,
    false,
    true,
    value,
)
from .indexing import _fold, _is_vector, _scalar, _size_of
from .arithmetic import _num_array

__all__ = [
    "linspace",
    "repmat",
    "reshape",
    "max",
    "min",
    "sum",
    "mean",
    "prod",
    "cumsum",
    "cumprod",
    "any",
    "all",
    "nnz",
    "find",
    "sub2ind",
    "ismember",
    "norm",
]


def _reduce_dim(a: np.ndarray, dim) -> int:
    """0-based axis of ``dim`` (1-based), or of the first non-singleton dimension."""
    if dim is not None and not (isinstance(dim, list) and not dim):
        d = int(_scalar(dim, "dim"))
        if d < 1:
            raise MatlabError("dim must be a positive integer")
        return d - 1
    shape = _mshape(a.shape)
    return next((k for k, s in enumerate(shape) if s != 1), 0)


def _along(a: np.ndarray, axis: int) -> np.ndarray:
    """a with ``axis`` present (MATLAB's trailing singleton dimensions made explicit)."""
    if axis >= a.ndim:
        a = a.reshape(a.shape + (1,) * (axis + 1 - a.ndim))
    return a


def _accumulate(ufunc, a: np.ndarray, axis: int, identity: float) -> np.ndarray:
    """A reduction in sequence order, element after element along ``axis``, as Octave's loops form it
    (numpy's own ``sum`` adds in pairs, which rounds differently)."""
    if a.shape == (0, 0):
        a = a.reshape(0, 1)  # Octave 7 reduces a 0x0 array as 0x1: sum([], 1) is 0, sum([], 3) is 0x1
    a = _along(a, axis)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 1
        return np.full(shape, identity)
    acc = ufunc.accumulate(a, axis=axis)
    return np.take(acc, [a.shape[axis] - 1], axis=axis)


def sum(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``sum``: along the first non-singleton dimension (or ``dim``); ``sum([])`` is 0."""
    a = _num_array(A, "sum")
    if a.shape == (0, 0) and dim is None:
        return double(0)
    with np.errstate(all="ignore"):
        # + 0.0: Octave's sum starts from +0, so a sum is never -0 (sum(-0, 3) is 0)
        return _wrap(_accumulate(np.add, a, _reduce_dim(a, dim), 0.0) + 0.0)


def prod(A, dim=None):
    """MATLAB ``prod``; ``prod([])`` is 1."""
    a = _num_array(A, "prod")
    if a.shape == (0, 0) and dim is None:
        return double(1)
    with np.errstate(all="ignore"):
        return _wrap(_accumulate(np.multiply, a, _reduce_dim(a, dim), 1.0))


def mean(A, dim=None):
    """MATLAB ``mean``: ``sum(A, dim) / size(A, dim)``; ``mean([])`` is NaN. As Octave 7's mean.m: text is
    an error, and without ``dim`` it averages along the first dimension longer than 1 (else the first),
    so ``mean(zeros(0, 3))`` is 0x1 and ``mean(ones(1, 1, 0))`` 1x1x0."""
    if isinstance(value(A), MArray) and value(A).dtype == _CHAR:
        raise MatlabError("mean: X must be a numeric vector or matrix")
    a = _num_array(A, "mean")
    if a.shape == (0, 0) and dim is None:
        return double(np.nan)
    axis = _reduce_dim(a, dim) if dim is not None else next((k for k, s in enumerate(_mshape(a.shape)) if s > 1), 0)
    n = _along(a, axis).shape[axis]
    with np.errstate(all="ignore"):
        return _wrap((_accumulate(np.add, a, axis, 0.0) + 0.0) / n)


def cumsum(A, dim=None):
    """MATLAB ``cumsum`` (of text an error, as in Octave 7)."""
    _no_text(A, "cumsum")
    a = _num_array(A, "cumsum")
    with np.errstate(all="ignore"):
        return _wrap(np.cumsum(_along(a, _reduce_dim(a, dim)), axis=_reduce_dim(a, dim)))


def cumprod(A, dim=None):
    """MATLAB ``cumprod`` (of text an error, as in Octave 7)."""
    _no_text(A, "cumprod")
    a = _num_array(A, "cumprod")
    with np.errstate(all="ignore"):
        return _wrap(np.cumprod(_along(a, _reduce_dim(a, dim)), axis=_reduce_dim(a, dim)))


def _no_text(A, what: str) -> None:
    if isinstance(value(A), MArray) and value(A).dtype == _CHAR:
        raise MatlabError(f"{what}: wrong type argument 'sq_string'")


def _is_placeholder(x) -> bool:
    """The ``[]`` of ``max(A, [], dim)`` and ``reshape(A, m, [])``."""
    if isinstance(x, list) and not isinstance(x, Cell):
        return len(x) == 0
    return isinstance(x, MArray) and x.size == 0


def _extremum(name: str, fmax, A, B, dim, nargout: int):
    if B is not None and not _is_placeholder(B):
        if dim is not None or nargout > 1:
            raise MatlabError(f"{name}(A, B) compares element by element: it takes no dim and has one output")
        for side in (A, B):
            if isinstance(value(side), MArray) and value(side).dtype == _CHAR:  # Octave 7 refuses text here
                raise MatlabError(f"{name}: cannot compute {name} of text (sq_string) element by element")
        x, y = _num_array(A, name), _num_array(B, name)
        with np.errstate(all="ignore"):
            out = fmax(*_expand([x, y], name))  # NaN is ignored, as in MATLAB
        both_logical = value(A).dtype == _LOGICAL and value(B).dtype == _LOGICAL
        return _wrap(out.astype(bool) if both_logical else out)
    v = value(A)
    a = _num_array(v, name)
    signed = isinstance(v, MArray) and v.dtype == _CHAR
    if signed:  # Octave compares characters as signed bytes (char(255) is below 'a'), and gives the code
        a = np.where(a > 127, a - 256, a)
    if a.shape == (0, 0) and dim is None:
        empty = _wrap(np.zeros((0, 0)))
        return (empty, empty) if nargout > 1 else empty
    axis = _reduce_dim(a, dim)
    a = _along(a, axis)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 0
        empty = _wrap(np.zeros(shape))
        return (empty, empty) if nargout > 1 else empty
    with np.errstate(all="ignore"):
        m = fmax.reduce(a, axis=axis, keepdims=True)
    out = _wrap(m.astype(bool) if v.dtype == _LOGICAL else np.where(m < 0, m + 256, m) if signed else m)
    if nargout <= 1:
        return out
    hit = (a == m) & ~np.isnan(a)
    first = np.argmax(hit, axis=axis)  # first occurrence; 0 (index 1) for an all-NaN column
    return out, _wrap(np.expand_dims(first, axis).astype(np.float64) + 1)


def max(A, B=None, dim=None, *, nargout: int = 1):  # noqa: A001 - MATLAB's name
    """MATLAB ``max(A)``, ``max(A, [], dim)``, ``max(A, B)``; ``[m, i] = max(...)`` with ``nargout=2``
    gives the 1-based index of the first maximum. NaN is ignored unless all are NaN."""
    return _extremum("max", np.fmax, A, B, dim, nargout)


def min(A, B=None, dim=None, *, nargout: int = 1):  # noqa: A001 - MATLAB's name
    """MATLAB ``min``, in the forms of :func:`max`."""
    return _extremum("min", np.fmin, A, B, dim, nargout)


def any(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``any`` along the first non-singleton dimension (or ``dim``); ``any([])`` is false; NaN
    counts as zero here (``any(NaN)`` is false, while ``all(NaN)`` is true)."""
    a = _num_array(A, "any")
    if a.shape == (0, 0) and dim is None:
        return false()
    axis = _reduce_dim(a, dim)
    if a.shape == (0, 0):
        a = a.reshape(0, 1)  # Octave 7 reduces a 0x0 array as 0x1: any([], 1) is false, any([], 3) 0x1
    a = _along(a, axis)
    return _wrap(np.any((a != 0) & ~np.isnan(a), axis=axis, keepdims=True))  # any ignores NaN, as in MATLAB


def all(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``all``; ``all([])`` is true."""
    a = _num_array(A, "all")
    if a.shape == (0, 0) and dim is None:
        return true()
    axis = _reduce_dim(a, dim)
    if a.shape == (0, 0):
        a = a.reshape(0, 1)  # Octave 7 reduces a 0x0 array as 0x1: all([], 1) is true, all([], 3) 0x1
    if axis >= len(_mshape(a.shape)) and a.size > 1:
        # Octave 7, all(A, dim) past A's dimensions: each element as a logical, NaN false ([0 1] for
        # all([NaN 1], 3)), while all(NaN) and all([NaN 1], 1) take NaN as true
        return _wrap((a != 0) & ~np.isnan(a))
    return _wrap(np.all(_along(a, axis) != 0, axis=axis, keepdims=True))


def nnz(A):
    """MATLAB ``nnz``: the number of non-zero elements."""
    return double(int(np.count_nonzero(_num_array(A, "nnz"))))


def find(A, n=None, *, nargout: int = 1):
    """MATLAB ``find``: 1-based linear indices of the non-zeros (a row for a row vector, else a
    column); ``find(A, n)`` the first n; ``[r, c] = find(A)`` with ``nargout=2`` (``3``: the values)."""
    a = _num_array(A, "find")
    shape = _mshape(a.shape)
    flat = a.reshape(-1, order="F")
    idx = np.flatnonzero(flat != 0)
    if n is not None:
        idx = idx[: int(_scalar(n, "find: n"))]

    def shaped(v):
        v = v.astype(np.float64)
        if v.size == 0 and shape[:2] in ((1, 1), (0, 0)):
            return _wrap(v.reshape(0, 0))  # Octave: find(0), find([]) and find(zeros(0, 0, 3)) are 0x0
        row = len(shape) == 2 and shape[0] == 1 and shape[1] != 1
        return _wrap(v.reshape(1, -1) if row else v.reshape(-1, 1))

    if nargout <= 1:
        return shaped(idx + 1)
    rows = idx % shape[0]
    cols = idx // shape[0]
    out = (shaped(rows + 1), shaped(cols + 1))
    return out + (shaped(flat[idx]),) if nargout >= 3 else out


def sub2ind(siz, *subs):
    """MATLAB ``sub2ind(size, i, j, ...)``: 1-based linear indices, column-major."""
    dims = [int(d) for d in _num_array(siz, "sub2ind").reshape(-1)]
    arrays = [_num_array(s, "sub2ind") for s in subs]
    shape = arrays[0].shape
    if _py.any(x.shape != shape for x in arrays):
        raise MatlabError("sub2ind: all subscripts must be of the same size")
    dims = (
        _fold(tuple(dims), len(arrays)) if len(arrays) <= len(dims) else tuple(dims) + (1,) * (len(arrays) - len(dims))
    )
    lin = np.zeros(shape)
    stride = 1
    for k, x in enumerate(arrays):
        if np.any((x < 1) | (x > dims[k]) | (x != np.floor(x))):
            raise MatlabError("sub2ind: index out of range")
        lin = lin + (x - 1) * stride
        stride *= dims[k]
    return _wrap(lin + 1)


def ismember(a, S, *, nargout: int = 1):
    """MATLAB ``ismember(a, S)``: which elements of a occur in S, and with ``nargout=2`` the 1-based
    index of each in S (0 if absent). ``a`` char and S a cell array of char: one answer. For an
    element S holds more than once, the index is the last one, as Octave gives it (MATLAB gives
    the first); the parity audit runs against Octave."""
    S = value(S)
    if isinstance(S, Cell):
        texts = [_text(x, "ismember: the cell's elements") for x in S]
        if isinstance(value(a), Cell):
            wanted = [_text(x, "ismember") for x in value(a)]
            tf = [w in texts for w in wanted]
            loc = [_last(texts, w) for w in wanted]
            shape = value(a).shape
            tf_arr = np.array(tf, dtype=bool).reshape(shape, order="F")
            loc_arr = np.array(loc, dtype=np.float64).reshape(shape, order="F")
        else:
            w = _text(a, "ismember")
            tf_arr = np.array([[w in texts]])
            loc_arr = np.array([[_last(texts, w)]], dtype=np.float64)
    else:
        x = _num_array(a, "ismember")
        s = _num_array(S, "ismember").reshape(-1, order="F")
        flat = x.reshape(-1, order="F")
        loc = np.zeros(flat.size)
        for i, v in enumerate(flat):
            hits = np.flatnonzero(s == v)
            loc[i] = hits[-1] + 1 if hits.size else 0
        tf_arr = (loc > 0).reshape(x.shape, order="F")
        loc_arr = loc.reshape(x.shape, order="F")
    tf_v = _wrap(tf_arr)
    return (tf_v, _wrap(loc_arr)) if nargout > 1 else tf_v


def _last(texts: list[str], w: str) -> int:
    return _py.max((k + 1 for k, t in enumerate(texts) if t == w), default=0)


def norm(A, p=None):
    """MATLAB ``norm``: 2-norm of a vector or matrix (largest singular value); p = 1, 2, Inf, 'fro'."""
    a = _num_array(A, "norm")
    if a.ndim > 2:
        raise MatlabError("norm: not defined for N-D arrays")
    kind = (
        2
        if p is None
        else (
            _text(p)
            if isinstance(p, str) or (isinstance(value(p), MArray) and value(p).dtype == _CHAR)
            else _scalar(p, "norm: p")
        )
    )
    if a.size == 0:
        return double(0)
    with np.errstate(all="ignore"):
        if _is_vector(a.shape):
            v = a.reshape(-1)
            if kind == "fro":
                kind = 2
            if kind == 2:
                # LAPACK's dnrm2-style scaling, as Octave computes a vector 2-norm
                scale = np.max(np.abs(v))
                if scale == 0 or not np.isfinite(scale):
                    return double(scale if not np.isnan(scale) else np.nan)
                return double(scale * np.sqrt(np.sum((v / scale) ** 2)))
            if kind == np.inf:
                return double(np.max(np.abs(v)))
            if kind == -np.inf:
                return double(np.min(np.abs(v)))
            return double(np.sum(np.abs(v) ** kind) ** (1.0 / kind))
        if kind == "fro":
            return double(np.sqrt(np.sum(a * a)))
        if kind in (1, 2, np.inf):
            return double(np.linalg.norm(a, ord=kind))
    raise MatlabError(f"norm: p = {kind} is not supported for a matrix")


def linspace(a, b, n=100):
    """MATLAB ``linspace(a, b, n)``: ``a + i*delta`` with the last element exactly b."""
    x1, x2, k = _scalar(a, "linspace"), _scalar(b, "linspace"), int(math.floor(_scalar(n, "linspace: n")))
    if k < 1:
        return _wrap(np.zeros((1, 0)))
    if k == 1:
        return _wrap(np.array([[x2]]))
    delta = (x2 - x1) / (k - 1)
    out = x1 + np.arange(k, dtype=np.float64) * delta
    out[-1] = x2
    return _wrap(out.reshape(1, -1))


def repmat(A, *reps):
    """MATLAB ``repmat(A, m, n, ...)`` or ``repmat(A, [m n ...])`` (``repmat(A, n)``: n x n)."""
    if isinstance(A, Cell):
        raise MatlabError("repmat of a cell array is outside rnncore translate's subset")
    v = value(A)
    a = v.view(np.ndarray)
    dims = (
        list(_dims(reps, "repmat"))
        if len(reps) != 1 or _num_array(reps[0], "repmat").size != 1
        else [int(_scalar(reps[0], "repmat"))] * 2
    )
    nd = _py.max(a.ndim, len(dims))
    a = a.reshape(a.shape + (1,) * (nd - a.ndim))
    dims = dims + [1] * (nd - len(dims))
    return _wrap(np.tile(a, dims))


def reshape(A, *dims):
    """MATLAB ``reshape``, column-major; one size may be ``[]`` (computed from the others)."""
    if len(dims) == 1:
        sizes = [int(d) for d in _num_array(dims[0], "reshape").reshape(-1)]
    else:
        sizes = [None if _is_placeholder(d) else int(_scalar(d, "reshape")) for d in dims]
    total = _prod(_size_of(A))
    if sizes.count(None) > 1:
        raise MatlabError("reshape: only one size may be []")
    if None in sizes:
        known = _prod(d for d in sizes if d is not None)
        if known == 0 or total % known:
            raise MatlabError(f"reshape: cannot reshape {total} elements with a [] size")
        sizes[sizes.index(None)] = total // known
    if _prod(sizes) != total:
        raise MatlabError(f"reshape: can't reshape {_dims_text(_size_of(A))} array to {_dims_text(sizes)} array")
    if isinstance(A, Cell):
        return _obj_to_cell(_cell_to_obj(A).reshape(sizes, order="F"))
    a = value(A).view(np.ndarray)
    return _wrap(a.reshape(sizes, order="F"))


# --------------------------------------------------------------------------------------------
