"""Reductions and searches along a dimension (``sum``, ``max``, ``find``, ``norm``...) and the
functions that reshape or repeat arrays.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import functools
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
    _quietly,
    _text,
    _wrap,
    double,
    false,
    true,
    value,
)
from .indexing import _fold, _is_vector, _scalar, _size_of
from .arithmetic import _num_array
from .registry import matlab_function

__all__ = [
    "linspace",
    "logspace",
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
    "sort",
    "unique",
    "sortrows",
    "diff",
    "trapz",
    "histc",
    "accumarray",
]


def _reduce_dim(a: np.ndarray, dim) -> int:
    """0-based axis of ``dim`` (1-based), or of the first non-singleton dimension."""
    if type(dim) is int and dim >= 1:
        return dim - 1  # a literal dim, as the translator writes it
    if dim is not None and not (isinstance(dim, list) and not isinstance(dim, Cell) and not dim):
        if isinstance(dim, str) or (isinstance(value(dim), MArray) and value(dim).dtype == _CHAR):
            # sum(x, 'all') and the like: MATLAB 2018b's, not Octave 7's (it rejects them)
            raise MatlabError(f"unrecognized dimension argument '{_text(dim)}': Octave 7 takes a dimension number")
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


@matlab_function()
def sum(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``sum``: along the first non-singleton dimension (or ``dim``); ``sum([])`` is 0."""
    a = _num_array(A, "sum")
    if a.shape == (0, 0) and dim is None:
        return double(0)
    # + 0.0: Octave's sum starts from +0, so a sum is never -0 (sum(-0, 3) is 0)
    return _wrap(_quietly(_accumulate, np.add, _octave_empty(a), _reduce_dim(a, dim), 0.0) + 0.0)


@matlab_function()
def prod(A, dim=None):
    """MATLAB ``prod``; ``prod([])`` is 1."""
    a = _num_array(A, "prod")
    if a.shape == (0, 0) and dim is None:
        return double(1)
    with np.errstate(all="ignore"):
        return _wrap(_accumulate(np.multiply, _octave_empty(a), _reduce_dim(a, dim), 1.0))


@matlab_function()
def mean(A, dim=None):
    """MATLAB ``mean`` as Octave 7's mean.m computes it: ``sum(A, dim) / size(A, dim)`` with the
    default dim the first of size > 1 (not the first non-singleton one), so ``mean(zeros(0, 3))``
    is 0x1 in Octave (MATLAB: a 1x3 NaN row; the parity audit runs against Octave) and
    ``mean([])`` is ``sum([], 1) / 0``, NaN."""
    if isinstance(value(A), MArray) and value(A).dtype == _CHAR:
        raise MatlabError("mean: X must be a numeric vector or matrix")  # Octave 7's mean.m refuses text
    a = _num_array(A, "mean")
    if dim is None:
        shape = _mshape(a.shape)
        axis = next((k for k, s in enumerate(shape) if s > 1), 0)
    else:
        axis = _reduce_dim(a, dim)
    n = _along(a, axis).shape[axis]
    with np.errstate(all="ignore"):
        return _wrap((_accumulate(np.add, _octave_empty(a), axis, 0.0) + 0.0) / n)


def _octave_empty(a: np.ndarray) -> np.ndarray:
    """Octave reduces a 0x0 array as 0x1 (liboctave's reductions): ``sum([], 1)`` is 0, ``sum([], 2)``
    is 0x1."""
    return a.reshape(0, 1) if a.shape == (0, 0) else a


@matlab_function()
def cumsum(A, dim=None):
    """MATLAB ``cumsum`` (of text an error, as in Octave 7)."""
    _no_text(A, "cumsum")
    a = _num_array(A, "cumsum")
    with np.errstate(all="ignore"):
        return _wrap(np.cumsum(_along(a, _reduce_dim(a, dim)), axis=_reduce_dim(a, dim)))


@matlab_function()
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
    # Two arguments are always max(A, B), an empty B too (max(zeros(2, 3, 0), zeros(2, 3, 0)) is 2x3x0,
    # max([1 2], []) nonconformant); B is the placeholder of max(A, [], dim) only before a dim.
    if B is not None and (dim is None or not _is_placeholder(B)):
        if isinstance(B, list) and not B:
            B = _wrap(np.zeros((0, 0)))  # the literal [] (a port passes it as a list)
        if dim is not None or nargout > 1:
            raise MatlabError(f"{name}(A, B) compares element by element: it takes no dim and has one output")
        for side in (A, B):
            if isinstance(value(side), MArray) and value(side).dtype == _CHAR:  # Octave 7 refuses text here
                raise MatlabError(f"{name}: cannot compute {name} of text (sq_string) element by element")
        x, y = _num_array(A, name), _num_array(B, name)
        try:
            with np.errstate(all="ignore"):
                out = fmax(*_expand([x, y], name))  # NaN is ignored, as in MATLAB
        except ValueError:
            raise MatlabError(f"{name}: nonconformant arguments (op1 is {_dims_text(_mshape(x.shape))}, "
                              f"op2 is {_dims_text(_mshape(y.shape))})") from None
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
    m = _quietly(functools.partial(fmax.reduce, axis=axis, keepdims=True), a)
    out = _wrap(m.astype(bool) if v.dtype == _LOGICAL else np.where(m < 0, m + 256, m) if signed else m)
    if nargout <= 1:
        return out
    hit = (a == m) & ~np.isnan(a)
    first = np.argmax(hit, axis=axis)  # first occurrence; 0 (index 1) for an all-NaN column
    return out, _wrap(np.expand_dims(first, axis).astype(np.float64) + 1)


@matlab_function(max_outputs=2)
def max(A, B=None, dim=None, *, nargout: int = 1):  # noqa: A001 - MATLAB's name
    """MATLAB ``max(A)``, ``max(A, [], dim)``, ``max(A, B)``; ``[m, i] = max(...)`` with ``nargout=2``
    gives the 1-based index of the first maximum. NaN is ignored unless all are NaN."""
    return _extremum("max", np.fmax, A, B, dim, nargout)


@matlab_function(max_outputs=2)
def min(A, B=None, dim=None, *, nargout: int = 1):  # noqa: A001 - MATLAB's name
    """MATLAB ``min``, in the forms of :func:`max`."""
    return _extremum("min", np.fmin, A, B, dim, nargout)


@matlab_function()
def any(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``any`` along the first non-singleton dimension (or ``dim``); ``any([])`` is false; NaN
    counts as zero here (``any(NaN)`` is false, while ``all(NaN)`` is true)."""
    if isinstance(value(A), Cell):
        return _wrap(np.zeros((0, 0), dtype=bool))  # Octave 7: any of a cell array is a 0x0 logical
    a = _num_array(A, "any")
    if a.shape == (0, 0) and dim is None:
        return false()
    axis = _reduce_dim(a, dim)
    if a.shape == (0, 0):
        a = a.reshape(0, 1)  # Octave 7 reduces a 0x0 array as 0x1: any([], 1) is false, any([], 3) 0x1
    a = _along(a, axis)
    return _wrap(np.any((a != 0) & ~np.isnan(a), axis=axis, keepdims=True))  # any ignores NaN, as in MATLAB


@matlab_function()
def all(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``all``; ``all([])`` is true."""
    if isinstance(value(A), Cell):
        return _wrap(np.zeros((0, 0), dtype=bool))  # Octave 7: all of a cell array is a 0x0 logical
    a = _num_array(A, "all")
    if a.shape == (0, 0) and dim is None:
        return true()
    axis = _reduce_dim(a, dim)
    if a.shape == (0, 0):
        a = a.reshape(0, 1)  # Octave 7 reduces a 0x0 array as 0x1: all([], 1) is true, all([], 3) 0x1
    a = _along(a, axis)
    true_ = a != 0
    if _prod(a.shape[:axis]) > 1:
        # Octave 7 reduces along a dimension with more than one element before it with its
        # element-by-element loop, which takes NaN as false (all([NaN; 2], 2) is [0; 1], all([NaN 1], 3)
        # is [0 1]); along the first dimension, or after singletons only, NaN is true (all(NaN),
        # all([NaN 2]), all(NaN, 3)).
        true_ &= ~np.isnan(a)
    return _wrap(np.all(true_, axis=axis, keepdims=True))


@matlab_function()
def nnz(A):
    """MATLAB ``nnz``: the number of non-zero elements."""
    return double(int(np.count_nonzero(_num_array(A, "nnz"))))


@matlab_function(max_outputs=3)
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


@matlab_function()
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


@matlab_function(max_outputs=2)
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


@matlab_function()
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


@matlab_function()
def linspace(a, b, n=100):
    """MATLAB ``linspace(a, b, n)`` as Octave 7 computes it (liboctave's ``linspace``): filled from
    both ends, element i as ``a + i*delta`` in the first half and ``b - i*delta`` in the second,
    the middle one of an odd count ``(a + b)/2`` (0 when ``a == -b``). The plain ``a + i*delta``
    differs from Octave by up to about a thousand ULP near b (``linspace(-100, 100, 1000)``)."""
    x1, x2, k = _scalar(a, "linspace"), _scalar(b, "linspace"), int(math.floor(_scalar(n, "linspace: n")))
    if k < 1:
        return _wrap(np.zeros((1, 0)))
    if k == 1 or x1 == x2:
        return _wrap(np.full((1, k), x2))
    with np.errstate(all="ignore"):
        delta = (x2 - x1) / (k - 1)
        nan_delta = math.isinf(delta)
        if nan_delta:
            delta = math.nan
        out = np.empty(k)
        out[0], out[-1] = x1, x2
        half = k // 2
        i = np.arange(1, half, dtype=np.float64)
        out[1:half] = x1 + i * delta
        out[k - 2 : k - 1 - half : -1] = x2 - i * delta
        if k % 2 == 1:
            out[half] = 0.0 if x1 == -x2 else (math.nan if nan_delta else (x1 + x2) / 2)
    return _wrap(out.reshape(1, -1))


@matlab_function()
def logspace(a, b, n=50):
    """Octave's ``logspace(a, b, n)`` (logspace.m): ``10 .^ linspace(a, b, n)``, b = pi standing for
    log10(pi)."""
    top = _scalar(b, "logspace")
    if top == math.pi:
        top = math.log10(math.pi)
    x = linspace(a, double(top), n).view(np.ndarray)
    # the C library's pow, as Octave's 10 .^ x calls it (numpy's vectorised power can differ by 1 ULP)
    return _wrap(np.array([[_pow10(e) for e in x.reshape(-1)]]).reshape(x.shape))


def _pow10(e: float) -> float:
    try:
        return math.pow(10.0, e)
    except OverflowError:  # C's pow gives Inf
        return math.inf


@matlab_function()
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


@matlab_function()
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


def _sort_mode(mode) -> bool:
    """True for 'descend'."""
    word = _text(mode, "sort: MODE").lower()
    if word not in ("ascend", "descend"):
        raise MatlabError('sort: MODE must be either "ascend" or "descend"')
    return word == "descend"


def _stable_order(a: np.ndarray, axis: int, descend: bool) -> np.ndarray:
    """0-based indices that sort ``a`` along ``axis`` as Octave's sort does: stable (equal elements
    keep their order, -0 equal to 0), NaN last ascending and first descending."""
    nan = np.isnan(a)
    key = np.where(nan, 0.0, a)
    if descend:
        key = -key
    # lexsort's last key is the primary one: NaN position first, then the value
    nan_key = ~nan if descend else nan
    return np.lexsort((key, nan_key), axis=axis) if a.size else np.zeros(a.shape, dtype=np.intp)


@matlab_function(max_outputs=2)
def sort(A, dim=None, mode=None, *, nargout: int = 1):
    """MATLAB ``sort(x)``, ``sort(x, dim)``, ``sort(x, mode)``, ``sort(x, dim, mode)``; mode 'ascend'
    or 'descend'. Stable, NaN last ascending and first descending (Octave's order); ``[s, i] = sort(x)``
    gives the 1-based permutation. Logical and char stay their class."""
    if isinstance(value(A), Cell):
        raise MatlabError("sort of a cell array is outside rnncore translate's subset")
    v = value(A)
    descend = False
    if dim is not None and (isinstance(dim, str) or (isinstance(value(dim), MArray) and value(dim).dtype == _CHAR)):
        dim, mode = None, dim
    if mode is not None:
        descend = _sort_mode(mode)
    a = _num_array(v, "sort")
    axis = _reduce_dim(a, dim)
    a = _along(a, axis)
    order = _stable_order(a, axis, descend)
    s = np.take_along_axis(v.view(np.ndarray).reshape(a.shape), order, axis=axis)
    out = _wrap(s)
    if nargout <= 1:
        return out
    return out, _wrap(order.astype(np.float64) + 1)


@matlab_function(max_outputs=3)
def unique(A, *options, nargout: int = 1):
    """Octave 7's ``unique`` (unique.m): the sorted distinct values (a row for a row vector, else a
    column), ``[y, i, j]`` with ``y = x(i)`` and ``x = y(j)``, i and j columns; i the first
    occurrence (``'last'``: the last); ``'rows'`` for distinct rows, ``'stable'`` for the order of first
    appearance. Every NaN is distinct. An empty x gives 0x1 (0x0 for ``[]``) and ``i = j = []``."""
    words = {_text(o, "unique: options").lower() for o in options}
    if not words <= {"rows", "first", "last", "sorted", "stable"}:
        raise MatlabError("unique: invalid option")
    if {"first", "last"} <= words or {"sorted", "stable"} <= words:
        raise MatlabError("unique: conflicting options")
    rows, last, stable = "rows" in words, "last" in words, "stable" in words
    v = value(A)
    if isinstance(v, Cell):
        raise MatlabError("unique of a cell array is outside rnncore translate's subset")
    x = v.view(np.ndarray)
    a = _num_array(v, "unique")
    n = a.shape[0] if rows else a.size
    empty = _wrap(np.zeros((0, 0)))
    if n == 0:
        y = x if (rows or x.shape == (0, 0)) else np.zeros((0, 1), dtype=x.dtype)
        return (_wrap(y), empty, empty)[: _py.max(nargout, 1)] if nargout > 1 else _wrap(y)
    if n == 1:
        one = double(1)
        return (_wrap(x), one, one)[:nargout] if nargout > 1 else _wrap(x)
    if rows:
        if a.ndim > 2:
            raise MatlabError("unique: 'rows' needs a 2-D matrix")
        if np.any(np.isnan(a)):
            raise MatlabError(_NAN_ROWS.format(what="unique(..., 'rows')"))
        keys = [np.where(np.isnan(a[:, c]), 0.0, a[:, c]) for c in range(a.shape[1] - 1, -1, -1)]
        nans = [np.isnan(a[:, c]) for c in range(a.shape[1] - 1, -1, -1)]
        order = np.lexsort([k for pair in zip(keys, nans) for k in pair])  # sortrows: stable, NaN last
        srt = a[order]
        match = np.all(srt[:-1] == srt[1:], axis=1)
        pick = lambda keep: x[order[keep]]  # noqa: E731
    else:
        flat = a.reshape(-1, order="F")
        order = _stable_order(flat, 0, False)
        srt = flat[order]
        match = srt[:-1] == srt[1:]
        xs = x.reshape(-1, order="F")
        row = _mshape(x.shape)[0] == 1 and len(_mshape(x.shape)) == 2

        def pick(keep):
            y = xs[order[keep]]
            return y.reshape(1, -1) if row else y.reshape(-1, 1)

    # a run of equal sorted elements keeps its first (its last with 'last'): match[k] is "k equals k+1"
    keep = ~np.concatenate((match, [False])) if last else ~np.concatenate(([False], match))
    first_of_run = ~np.concatenate(([False], match))
    if stable:
        # each distinct value at the position of its first appearance
        run = np.cumsum(first_of_run) - 1
        firsts = np.full(int(run[-1]) + 1, n)
        np.minimum.at(firsts, run, order)
        kept = np.sort(firsts)
        y = x[kept] if rows else (xs[kept].reshape(1, -1) if row else xs[kept].reshape(-1, 1))
        if nargout > 2:
            raise MatlabError("unique: the third output with 'stable' is not implemented in Octave 7")
        return (_wrap(y), _wrap(kept.astype(np.float64).reshape(-1, 1) + 1)) if nargout > 1 else _wrap(y)
    y = _wrap(pick(keep))
    if nargout <= 1:
        return y
    i = _wrap(order[keep].astype(np.float64).reshape(-1, 1) + 1)
    j = np.empty(n)
    j[order] = np.cumsum(first_of_run)
    return (y, i, _wrap(j.reshape(-1, 1)))[:nargout]


# Octave sorts rows with a comparator (__sort_rows_idx__) for which NaN is neither smaller nor
# larger than anything, so the order of rows holding NaN depends on the sort's internals.
_NAN_ROWS = "{what} of rows holding NaN is outside rnncore translate's subset (Octave's order for them is not defined)"


@matlab_function(max_outputs=2)
def sortrows(A, c=None, *, nargout: int = 1):
    """Octave's ``sortrows(A)`` and ``sortrows(A, c)``: the rows in lexicographic order of the columns
    c (all of them by default; a negative column sorts descending), stable (equal rows keep their
    order); ``[B, i] = sortrows(...)`` gives the row permutation as a column."""
    v = value(A)
    if isinstance(v, Cell):
        raise MatlabError("sortrows of a cell array is outside rnncore translate's subset")
    a = _num_array(v, "sortrows")
    if a.ndim > 2:
        raise MatlabError("sortrows: A must be a 2-D matrix")
    cols = list(range(1, a.shape[1] + 1)) if c is None else [int(x) for x in _num_array(c, "sortrows").reshape(-1)]
    if _py.any(x == 0 or abs(x) > a.shape[1] for x in cols):
        raise MatlabError("sortrows: all elements of C must be in the range [1, columns (A)]")
    picked = a[:, [abs(x) - 1 for x in cols]] if cols else a[:, :0]
    if np.any(np.isnan(picked)):
        raise MatlabError(_NAN_ROWS.format(what="sortrows"))
    # lexsort: the last key is the primary one; a descending column sorts on its negation (stable)
    keys = [picked[:, k] if x > 0 else -picked[:, k] for k, x in reversed(list(enumerate(cols)))]
    order = np.lexsort(keys) if keys and a.shape[0] else np.arange(a.shape[0])
    out = _wrap(v.view(np.ndarray)[order, :])
    return (out, _wrap(order.astype(np.float64).reshape(-1, 1) + 1)) if nargout > 1 else out


@matlab_function()
def diff(A, k=None, dim=None):
    """MATLAB ``diff(x)``, ``diff(x, k)``, ``diff(x, k, dim)``: k-th differences along dim (default
    the first non-singleton dimension); along a given dim not longer than k the result is empty; a
    scalar gives 0x0, as in Octave. Without dim and k at least the dimension's length, MATLAB goes on
    along the next dimension and Octave 7 gives sizes that follow neither rule (1x7 with k = 7: 1x6;
    5x4 with k = 5, 6, 7, 8: 5x1, 5x1, 5x1, 5x3): refused, with a request for dim."""
    a = _num_array(A, "diff")
    order = 1 if k is None or _is_placeholder(k) else int(_scalar(k, "diff: K"))
    if order < 0:
        raise MatlabError("diff: order K must be non-negative")
    axis = _reduce_dim(a, dim)
    a = _along(a, axis)
    if dim is None and order > 0:
        if a.shape[axis] == 1:
            return _wrap(np.zeros((0, 0)))
        if 0 < a.shape[axis] <= order:
            raise MatlabError(
                f"diff: order {order} on a {_dims_text(_mshape(a.shape))} array without DIM is outside "
                "rnncore translate's subset (Octave and MATLAB give different sizes); give DIM"
            )
    with np.errstate(all="ignore"):
        for _ in range(order):
            a = np.diff(a, axis=axis) if a.shape[axis] > 0 else a
    return _wrap(a)


@matlab_function()
def trapz(X, Y=None, dim=None):
    """Octave's ``trapz`` (trapz.m), its operations in its order: ``trapz(y)``, ``trapz(y, dim)``,
    ``trapz(x, y)`` (x a scalar spacing, a vector of positions, or positions of y's shape) and
    ``trapz(x, y, dim)``; dim defaults to the first dimension of size > 1."""
    first = _num_array(X, "trapz")
    if Y is not None and dim is None and _num_array(Y, "trapz").size == 1 and first.size != 1:
        y, x, dim = first, None, Y  # trapz(y, dim)
    elif Y is None:
        y, x = first, None
    else:
        y, x = _num_array(Y, "trapz"), first
    if dim is None:
        axis = next((k for k, s in enumerate(_mshape(y.shape)) if s > 1), 0)
    else:
        d = _scalar(dim, "trapz: DIM")
        if d != int(d) or not 1 <= d <= len(_mshape(y.shape)):
            raise MatlabError("trapz: DIM must be an integer and a valid dimension")
        axis = int(d) - 1
    y = _along(y, axis)
    n = y.shape[axis]
    pairs = np.take(y, range(1, n), axis=axis) + np.take(y, range(0, _py.max(n - 1, 0)), axis=axis)
    with np.errstate(all="ignore"):
        if x is None:
            return _wrap(0.5 * _accumulate(np.add, _octave_empty(pairs), axis, 0.0))
        if x.size == 1:
            return _wrap(float(x.reshape(-1)[0]) * 0.5 * _accumulate(np.add, _octave_empty(pairs), axis, 0.0))
        if _is_vector(x.shape):
            if x.size != n:
                raise MatlabError("trapz: length of X and length of Y along DIM must match")
            shape = [1] * y.ndim
            shape[axis] = n
            steps = np.diff(x.reshape(-1).reshape(shape), axis=axis)
        else:
            if _mshape(x.shape) != _mshape(y.shape):
                raise MatlabError("trapz: X and Y must have same shape")
            steps = np.diff(_along(x, axis), axis=axis)
        return _wrap(0.5 * _accumulate(np.add, _octave_empty(steps * pairs), axis, 0.0))


@matlab_function(max_outputs=2)
def histc(X, edges, dim=None, *, nargout: int = 1):
    """Octave's ``histc(x, edges)``: n(k) counts ``edges(k) <= x < edges(k+1)``, the last bin
    ``x == edges(end)``; along dim (default: the first of size > 1); ``[n, idx]`` gives each element's
    bin (0 outside). Unsorted edges are sorted, as Octave does after its warning."""
    a = _num_array(X, "histc")
    e = np.sort(_num_array(edges, "histc").reshape(-1, order="F"))
    if e.size == 0:
        empty = _wrap(np.zeros((0, 0)))
        return (empty, empty) if nargout > 1 else empty
    axis = next((k for k, s in enumerate(_mshape(a.shape)) if s > 1), 0) if dim is None else _reduce_dim(a, dim)
    a = _along(a, axis)
    idx = np.searchsorted(e, a, side="right")  # lookup(): the number of edges <= x
    idx = np.where(a <= e[-1], idx, 0)
    idx = np.where(np.isnan(a), 0, idx)
    counts = np.stack([np.sum(idx == b, axis=axis) for b in range(1, e.size + 1)], axis=axis)
    n = _wrap(counts.astype(np.float64))
    return (n, _wrap(idx.astype(np.float64))) if nargout > 1 else n


@matlab_function()
def accumarray(subs, vals, sz=None):
    """Octave's ``accumarray(subs, vals)`` and ``accumarray(subs, vals, sz)`` (accumarray.m): the sums
    of vals at the subscripts, added in the order given. One column of subs is linear indices (a
    column result, or ``reshape(..., sz)``); several columns (a row vector is one subscript) are one
    subscript per row. A scalar vals counts. Other functions than the sum are outside the subset."""
    s = _num_array(subs, "accumarray")
    if s.ndim != 2:
        raise MatlabError("accumarray: SUBS must be a 2-D matrix")
    v = _num_array(vals, "accumarray").reshape(-1, order="F")
    if v.size > 1 and v.size != s.shape[0]:
        raise MatlabError("accumarray: dimension mismatch")
    if s.size and (np.any(s < 1) or np.any(s != np.floor(s))):
        raise MatlabError("accumarray: indices must be positive integers")
    shape = None if sz is None or _is_placeholder(sz) else [int(d) for d in _num_array(sz, "accumarray").reshape(-1)]
    if s.shape[1] > 1:
        if shape is None:
            shape = [int(c) for c in s.max(axis=0)]
        elif len(shape) != s.shape[1]:
            raise MatlabError("accumarray: dimensions mismatch")
        if _py.any(np.any(s[:, k] > d) for k, d in enumerate(shape)):
            raise MatlabError("accumarray: index out of bound; value out of bound")
        strides = np.cumprod([1] + shape[:-1])
        linear = ((s - 1) @ np.array(strides, dtype=np.float64)).astype(np.intp)
    else:
        if shape is not None and len(shape) < 2:
            raise MatlabError("accumarray: needs at least 2 dimensions")
        linear = s.reshape(-1).astype(np.intp) - 1
    total = _prod(shape) if shape is not None else (int(linear.max()) + 1 if linear.size else 0)
    if linear.size and linear.max() >= total:
        raise MatlabError("accumarray: index out of bound; value out of bound")
    out = np.zeros(total)
    with np.errstate(all="ignore"):
        for k, x in zip(linear, np.broadcast_to(v, linear.shape) if v.size == 1 else v):
            out[k] += x
    return _wrap(out.reshape(shape, order="F") if shape is not None else out.reshape(-1, 1))


# --------------------------------------------------------------------------------------------
