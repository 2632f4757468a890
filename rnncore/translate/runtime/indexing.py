"""Indexing, assignment with growth, deletion, ranges (``colon``) and concatenation, 1-based and
column-major as in MATLAB.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import itertools
import math
import sys
import numpy as np

from .values import (
    ALL,
    Cell,
    EPS,
    MArray,
    Struct,
    MatlabError,
    _CHAR,
    _DOUBLE,
    _LOGICAL,
    _Undefined,
    _cell_to_obj,
    _dims_text,
    _mshape,
    _numeric,
    _obj_to_cell,
    _plain,
    _prod,
    _truth,
    _value,
    _wrap,
    char,
    double,
    value,
)
from .workspace import call
from .registry import matlab_function
from .display import mark_range
from .structs import struct_assign, struct_index

__all__ = [
    "index",
    "assign",
    "delete",
    "content",
    "assign_content",
    "endof",
    "columns",
    "loop",
    "colon",
    "horzcat",
    "vertcat",
    "concat",
]


def _size_of(x) -> tuple[int, ...]:
    if type(x) is MArray:
        return _mshape(x.shape)
    if isinstance(x, Cell):
        return x.shape
    if isinstance(x, _Undefined):
        raise x.error()
    if callable(x) and not isinstance(x, np.ndarray):
        return (1, 1)
    v = value(x)
    return _mshape(v.shape)


def _subscript(s, extent: int, *, grow: bool = False) -> tuple[np.ndarray, tuple[int, ...]]:
    """0-based indices for one subscript, and the MATLAB shape the subscript has.

    ``s`` is :data:`ALL`, a number, a numeric array of positive integers or a logical mask. Without
    ``grow``, an index past ``extent`` is an error.
    """
    if s is ALL:
        return np.arange(extent), (extent, 1)
    k = _scalar_subscript(s)
    if k is not None and (grow or k < extent):
        return np.array([k]), (1, 1)
    v = value(s)
    if isinstance(v, Cell) or callable(v):
        raise MatlabError("subscripts must be either integers 1 to (2^63)-1 or logicals, not a cell array or "
                          "function handle")
    a = v.view(np.ndarray)
    if a.dtype == _LOGICAL:
        flat = a.reshape(-1, order="F")
        idx = np.flatnonzero(flat)
        if not grow and idx.size and idx[-1] >= extent:
            raise MatlabError(f"index ({idx[-1] + 1}): out of bound {extent}")
        # A(mask) is A(find(mask)), and find gives a row for a row mask, 0x0 for an empty result of a
        # 1x1 or 0x0 mask (so v(v > 0) of a scalar v <= 0 is 0x0), a column otherwise (Octave 7).
        shape = _mshape(a.shape)
        if shape in ((1, 1), (0, 0)) and idx.size == 0:
            return idx, (0, 0)
        is_row = len(shape) == 2 and shape[0] == 1
        return idx, ((1, idx.size) if is_row else (idx.size, 1))
    flat = _numeric(a).reshape(-1, order="F")
    bad = ~np.isfinite(flat) | (flat != np.floor(flat)) | (flat < 1)
    if bad.any():
        raise MatlabError(f"index ({flat[bad][0]:g}): subscripts must be either integers 1 to (2^63)-1 or " f"logicals")
    idx = flat.astype(np.int64) - 1
    if not grow and idx.size and idx.max() >= extent:
        raise MatlabError(f"index ({idx.max() + 1}): out of bound {extent}")
    return idx, _mshape(a.shape)


def _is_vector(shape) -> bool:
    return len(shape) == 2 and (shape[0] == 1 or shape[1] == 1)


def _fold(shape: tuple[int, ...], n: int) -> tuple[int, ...]:
    """The shape seen by n subscripts: the last one spans every remaining dimension."""
    if n < len(shape):
        return shape[: n - 1] + (_prod(shape[n - 1 :]),)
    return shape + (1,) * (n - len(shape))


def _scalar_subscript(s) -> int | None:
    """A subscript that is one number, as a 0-based index; None for anything else (fast path)."""
    if type(s) is int:
        k = s
    elif type(s) is float and s.is_integer():
        k = int(s)
    elif type(s) is MArray and s.size == 1 and s.dtype == _DOUBLE:
        x = float(s.view(np.ndarray).reshape(-1)[0])
        if not x.is_integer():
            return None
        k = int(x)
    else:
        return None
    return k - 1 if k >= 1 else None


def _simple(subs, shape) -> tuple | None:
    """numpy's basic slices for subscripts that are each ``:`` or one in-range number, else None."""
    if len(subs) != len(shape):
        return None
    out = []
    for s, extent in zip(subs, shape):
        if s is ALL:
            out.append(slice(None))
            continue
        k = _scalar_subscript(s)
        if k is None or k >= extent:
            return None
        out.append(slice(k, k + 1))
    return tuple(out)


def _index_array(a: np.ndarray, subs) -> np.ndarray:
    shape = _mshape(a.shape)
    if len(subs) > 1:
        simple = _simple(subs, shape)
        if simple is not None:
            return a.reshape(shape)[simple]
    if len(subs) == 1:
        flat = a.reshape(-1, order="F")
        if subs[0] is ALL:
            return flat.reshape(-1, 1)
        idx, ishape = _subscript(subs[0], flat.size)
        out = flat[idx]
        if _is_vector(shape) and shape != (1, 1) and _is_vector(ishape):
            return out.reshape((1, -1) if shape[0] == 1 else (-1, 1))  # a vector keeps its orientation
        return out.reshape(ishape, order="F")
    shape = _fold(shape, len(subs))
    a = a.reshape(shape, order="F")
    idxs = [_subscript(s, shape[k])[0] for k, s in enumerate(subs)]
    return a[np.ix_(*idxs)]


def index(A, *subs):
    """MATLAB ``A(s1, s2, ...)``: 1-based subscripts, ``end`` already resolved (:func:`endof`),
    :data:`ALL` for ``:``, one subscript for linear (column-major) indexing. A function handle is
    called instead, a cell array gives a cell array."""
    if type(A) is MArray and subs:
        return _wrap(_index_array(A.view(np.ndarray), subs))  # the common case, its checks skipped
    if isinstance(A, _Undefined):
        raise A.error()
    if isinstance(A, Struct):
        return struct_index(A, subs) if subs else A
    if callable(A) and not isinstance(A, (MArray, Cell)):
        return call(A, *subs)
    if not subs:
        return value(A)
    if isinstance(A, Cell):
        return _obj_to_cell(_index_array(_cell_to_obj(A), subs))
    v = value(A)
    return _wrap(_index_array(v.view(np.ndarray), subs))


def content(c, *subs):
    """MATLAB ``c{s1, ...}``: the one element those subscripts select."""
    if not isinstance(c, Cell):
        raise MatlabError("brace indexing c{...} needs a cell array")
    sel = _index_array(_cell_to_obj(c), subs).reshape(-1)
    if sel.size != 1:
        raise MatlabError(
            f"c{{...}} selects {sel.size} elements here; a comma-separated list is outside "
            f"rnncore translate's subset"
        )
    return sel[0]


def endof(A, k: int, n: int) -> int:
    """The value of ``end`` in subscript k of n: the size of dimension k, or of every remaining
    dimension together when k is the last subscript. A variable not created yet has size 0x0."""
    shape = (0, 0) if isinstance(A, _Undefined) else _size_of(A)
    if k < n:
        return shape[k - 1] if k - 1 < len(shape) else 1
    return _prod(shape[k - 1 :]) if k - 1 < len(shape) else 1


def _convert_for(a_dtype, v: np.ndarray) -> np.ndarray:
    """The assigned values in the class of the array they go into (Octave's rules)."""
    if v.dtype == a_dtype:
        return v
    if a_dtype == _DOUBLE:
        return v.astype(np.float64)
    if a_dtype == _LOGICAL:
        return _truth(v, "assignment to a logical array")
    if a_dtype == _CHAR:
        return _assigned_char_codes(v)
    return v


def _assigned_char_codes(v: np.ndarray) -> np.ndarray:
    """Numbers assigned into text, as Octave 7 converts them (``s(2) = 66.7`` is 'C'): rounded half
    away from zero; a code outside its one-byte characters (0-255, Inf too) is 0, with Octave's
    "range error" warning; NaN is an error."""
    x = np.asarray(v, dtype=np.float64)
    if np.isnan(x).any():
        raise MatlabError("invalid conversion from NaN to character")
    t = np.trunc(x)
    r = t + np.where(np.abs(x - t) >= 0.5, np.sign(x), 0.0)
    bad = (r < 0) | (r > 255)
    if bad.any():
        print("warning: range error for conversion to character value", file=sys.stderr)
    return np.where(bad, 0.0, r).astype(np.uint16)


def _set_grid(new: np.ndarray, idxs, v: np.ndarray, grid) -> None:
    if new.dtype == object:  # element by element: numpy would unpack array elements
        vals = v.reshape(-1, order="F")
        for pos, combo in enumerate(itertools.product(*[range(len(i)) for i in reversed(idxs)])):
            where = tuple(idxs[k][j] for k, j in enumerate(reversed(combo)))
            new[where] = vals[0] if vals.size == 1 else vals[pos]
        return
    if v.size == 1:
        new[np.ix_(*idxs)] = v.reshape(())
    else:
        new[np.ix_(*idxs)] = v.reshape(grid, order="F")


def _assign_array(a: np.ndarray, subs, v: np.ndarray, fill) -> np.ndarray:
    """A copy of ``a`` with ``a(subs) = v``, grown (filled with ``fill``) when a subscript is past the end."""
    shape = _mshape(a.shape)
    vshape = _mshape(v.shape)
    if len(subs) == 1:
        if subs[0] is ALL:
            return _assign_all(a, v, shape)
        return _assign_linear(a, subs[0], v, fill, shape, vshape)
    if a.dtype != object:
        new = _assign_in_place(a, subs, v, shape, vshape)
        if new is not None:
            return new
    return _assign_subscripts(a, subs, v, fill, shape, vshape)


def _assign_all(a: np.ndarray, v: np.ndarray, shape) -> np.ndarray:
    """``A(:) = v``: every element, by a scalar or by as many elements in column-major order."""
    n = a.size
    if v.size == 1:
        new = np.empty(a.shape, dtype=a.dtype)
        new[...] = v.reshape(-1)[0] if a.dtype != object else None
        if a.dtype == object:
            for i in np.ndindex(new.shape):
                new[i] = v.reshape(-1)[0]
        return new
    if v.size != n:
        raise MatlabError(f"=: nonconformant arguments (op1 is {_dims_text(shape)}, op2 is {_dims_text(_mshape(v.shape))})")
    return v.reshape(-1, order="F").reshape(shape, order="F").astype(a.dtype)


def _assign_linear(a: np.ndarray, sub, v: np.ndarray, fill, shape, vshape) -> np.ndarray:
    """``A(I) = v`` by linear index; a row or a column (or an empty array) grows along its length."""
    n = a.size
    idx, _ = _subscript(sub, n, grow=True)
    if v.size != 1 and v.size != idx.size:  # Octave checks the sizes before it resizes
        raise MatlabError(f"=: nonconformant arguments (op1 is 1x{idx.size}, op2 is {_dims_text(vshape)})")
    need = int(idx.max()) + 1 if idx.size else 0
    if need > n:
        # Octave's Array<T>::resize1: 0xN and 1xN grow into a row (0x1 too), Nx1 into a column;
        # anything else (2x0, a matrix, an N-D array) is an invalid resize
        if len(shape) == 2 and shape[0] in (0, 1):
            newshape = (1, need)
        elif len(shape) == 2 and shape[1] == 1:
            newshape = (need, 1)
        else:
            raise MatlabError(
                f"A(I) = X: cannot grow a {_dims_text(shape)} array by linear index {need} "
                f"(Octave: resize ambiguous)"
            )
    else:
        newshape = shape
    flat = (
        np.full(_py.max(need, n), fill, dtype=a.dtype) if a.dtype != object else np.empty(_py.max(need, n), object)
    )
    if a.dtype == object:
        for i in range(n, flat.size):
            flat[i] = fill
    flat[:n] = a.reshape(-1, order="F")
    _set_grid(flat, [idx], v.reshape(-1, order="F"), (idx.size,))
    return flat.reshape(newshape, order="F")


def _assign_in_place(a: np.ndarray, subs, v: np.ndarray, shape, vshape, reuse: bool = False) -> np.ndarray | None:
    """The fast path: subscripts numpy can take as they are (:func:`_simple`), inside the array and
    matching the value's shape; None when they are not. ``reuse``: write into ``a`` itself (the
    caller has made sure nothing else sees it, :func:`_sole`) instead of into a copy."""
    simple = _simple(subs, shape)
    if simple is None:
        return None
    grid = tuple(1 if isinstance(sl, slice) and sl.stop is not None else d for sl, d in zip(simple, shape))
    if v.size == 1 or [d for d in grid if d != 1] == [d for d in vshape if d != 1]:
        new = a if reuse else a.reshape(shape).copy()
        new[simple] = v.reshape(()) if v.size == 1 else v.reshape(grid, order="F")
        return new
    return None


def _assign_subscripts(a: np.ndarray, subs, v: np.ndarray, fill, shape, vshape) -> np.ndarray:
    """``A(I, J, ...) = v`` in general: fewer subscripts than dimensions fold the trailing ones; the
    array grows past its end (not through folded dimensions); ``:`` over an empty dimension takes
    its length from the value."""
    folded = len(subs) < len(shape)
    work = _fold(shape, len(subs))
    vdims = [d for d in vshape if d != 1]
    # ':' takes its length from the value only when every dimension of the array is 0 (Octave's
    # Array<T>::assign, "all_zero"): zeros(0, 3)(:, 1) = [1; 2] is nonconformant (op1 is 0x1)
    inquire = not _py.any(shape)
    idxs, vpos = [], 0
    for k, s in enumerate(subs):
        if s is ALL and work[k] == 0 and inquire:  # ':' over an empty dimension takes its length from the value
            extent = 1 if v.size == 1 else (vdims[vpos] if vpos < len(vdims) else 1)
            if v.size != 1 and vpos < len(vdims):
                vpos += 1
            idx = np.arange(extent)
        else:
            idx, _ = _subscript(s, work[k], grow=True)
            if idx.size != 1 and v.size != 1 and vpos < len(vdims):
                vpos += 1
        idxs.append(idx)
    newshape = tuple(_py.max(work[k], int(i.max()) + 1 if i.size else 0) for k, i in enumerate(idxs))
    grid = tuple(len(i) for i in idxs)
    if v.size != 1 and [d for d in grid if d != 1] != vdims:  # Octave checks this before any resizing
        if v.size == 0 and 0 in grid:
            # Octave's Array<T>::assign: "any empty RHS can be assigned to an empty LHS", and does
            # nothing (no resize): zeros(0, 2)(:, 2) = zeros(0, 2) leaves it 0x2
            return a.copy()
        raise MatlabError(
            f"=: nonconformant arguments (op1 is {_dims_text(_mshape(grid))}, " f"op2 is {_dims_text(vshape)})"
        )
    if folded and newshape != work:
        if _py.any(work) or not _py.all(np.array_equal(i, np.arange(n)) for i, n in zip(idxs, newshape)):
            raise MatlabError(f"A(I,J,...) = X: cannot grow a {_dims_text(shape)} array through {len(subs)} subscripts")
        # Octave's "A = []; A(1:m, 1:n) = X": an array whose folding is empty in every dimension,
        # indexed from 1 to the end in each, becomes a new array of those extents (zeros(0, 3, 0)(1, 1) = 5)
        folded = False
    if newshape != work:
        new = np.empty(newshape, dtype=a.dtype)
        if a.dtype == object:
            for i in np.ndindex(newshape):
                new[i] = fill
        else:
            new[...] = fill
        new[tuple(slice(0, d) for d in work)] = a.reshape(work, order="F")
    else:
        new = a.reshape(work, order="F").copy()
    _set_grid(new, idxs, v, grid)
    if folded:
        return new.reshape(shape, order="F")
    return new.reshape(_mshape(new.shape), order="F")


def _refcount(x) -> int:
    return sys.getrefcount(x)


def _base_refcount(A) -> int:
    return sys.getrefcount(A.base)


def _calibrate() -> tuple[int, int]:
    """The reference counts :func:`assign` sees for an array that a translated function's variable
    alone holds (``X = mr.assign(X, ..., reuse=True)``), and for the base array of such an array:
    measured through the same calls, so that they hold on any CPython."""

    def probe(A, *subs, value, reuse=False):
        return _refcount(A), _base_refcount(A)

    def caller():
        X = np.zeros((2, 2)).view(MArray)
        return probe(X, 1, 1, value=0.0, reuse=True)

    return caller()


def _sole(A) -> bool:
    """True when nothing but the caller's variable (the one the result is assigned back to) holds
    ``A`` or its memory: no other variable, no container, no view (a view holds its base array).
    Then writing into ``A`` cannot change any other MATLAB value. Called from :func:`assign` only
    (the counts are calibrated for that call)."""
    if not A.flags.c_contiguous:
        return False  # a copy is C-contiguous: keep every array's layout what it would be
    if A.flags.owndata:
        return True
    # A.base read afresh each time: a local variable holding it would count as one more holder.
    return type(A.base) is np.ndarray and A.base.flags.owndata and _base_refcount(A) == _SOLE_BASE_REFS


def assign(A, *subs, value, reuse=False):  # noqa: A002 - `value` reads as MATLAB's right-hand side
    """MATLAB ``A(s1, ...) = value``: a new array. Growth past the end zero-fills (MATLAB's rule for a
    vector grown by a linear index keeps its orientation; ``[]`` grows into a row); ``A`` may be
    :func:`undefined`, and then takes the class of ``value``.

    ``reuse=True`` (the translator writes it for ``X = mr.assign(X, ...)``, the result bound to the
    variable it was read from): when that variable alone holds ``A`` and its memory, ``A`` is
    written in place and returned, instead of a copy; nobody else can see the difference, and a
    loop filling an array slice by slice does not copy the whole array at each step."""
    if (type(A) is MArray and type(value) is MArray and len(subs) > 1 and A.dtype is _DOUBLE
            and value.dtype is _DOUBLE):
        # The common case, its checks skipped: a double into a double by subscripts that are each
        # ``:`` or one number inside the array (the general path below gives the same array).
        # Counted before any view of A is made here (a view holds A or its base).
        if reuse and _refcount(A) == _SOLE_REFS and _sole(A):
            v = value.view(np.ndarray)
            if _assign_in_place(A.view(np.ndarray), subs, v, A.shape, _mshape(v.shape), reuse=True) is not None:
                return A
        a, v = A.view(np.ndarray), value.view(np.ndarray)
        new = _assign_in_place(a, subs, v, _mshape(a.shape), _mshape(v.shape))
        if new is not None:
            return _wrap(new)
    v = _value(value)
    if isinstance(A, Struct) or isinstance(v, Struct):
        return struct_assign(A, subs, v)
    if isinstance(A, _Undefined):
        A = Cell() if isinstance(v, Cell) else _wrap(np.zeros((0, 0), dtype=v.dtype))
    if isinstance(A, Cell):
        if not isinstance(v, Cell):
            if callable(v) and not isinstance(v, np.ndarray):
                raise MatlabError("c(i) = x needs a cell on the right (c(i) = {x}), or use c{i} = x")
            v = Cell([v])  # Octave takes c(i) = x as c(i) = {x} (MATLAB refuses it)
        return _obj_to_cell(_assign_array(_cell_to_obj(A), subs, _cell_to_obj(v), double([])))
    if isinstance(v, Cell):
        raise MatlabError("a cell array cannot be assigned into a numeric, logical or char array")
    if callable(A) or callable(v):
        raise MatlabError("function handles cannot be indexed into or assigned into arrays")
    a = _value(A).view(np.ndarray)
    vv = _convert_for(a.dtype, v.view(np.ndarray))
    return _wrap(_assign_array(a, subs, vv, 0))


_SOLE_REFS, _SOLE_BASE_REFS = _calibrate()


def assign_content(c, *subs, value):  # noqa: A002
    """MATLAB ``c{s1, ...} = value`` (``c`` may be :func:`undefined` or ``[]``; the cell grows with ``[]``)."""
    v = _value(value)
    if isinstance(c, _Undefined) or isinstance(c, MArray) and c.size == 0 and c.dtype == _DOUBLE:
        c = Cell()
    if not isinstance(c, Cell):
        raise MatlabError("brace assignment c{...} = x needs a cell array")
    one = np.empty((1, 1), dtype=object)
    one[0, 0] = v
    return _obj_to_cell(_assign_array(_cell_to_obj(c), subs, one, double([])))


def delete(A, *subs):
    """MATLAB ``A(s1, ...) = []``: the array without the selected elements, rows or columns."""
    if callable(A) and not isinstance(A, (MArray, Cell)):
        raise MatlabError("can't perform indexed assignment for function handle type")
    if isinstance(A, Cell):
        return _obj_to_cell(_delete_array(_cell_to_obj(A), subs))
    v = value(A)
    return _wrap(_delete_array(v.view(np.ndarray), subs))


def _delete_array(a: np.ndarray, subs) -> np.ndarray:
    shape = _mshape(a.shape)
    if len(subs) == 1:
        if subs[0] is ALL:
            return a.reshape(-1)[:0].reshape(0, 0)
        flat = a.reshape(-1, order="F")
        idx, _ = _subscript(subs[0], flat.size)
        if idx.size == 0:
            return a  # nothing deleted: the array keeps its size
        keep = np.ones(flat.size, dtype=bool)
        keep[idx] = False
        rest = flat[keep]
        col_vec = len(shape) == 2 and shape[1] == 1 and shape[0] != 1
        # Octave 7 (Array<T>::delete_elements): a vector keeps its orientation, and so does one
        # element deleted from a matrix by a scalar subscript (a row); other elements deleted from a
        # matrix or an N-D array (a mask, a list) index it with the complement, which gives a column;
        # all of them deleted, a 1x0 row.
        one = _scalar_subscript(subs[0]) is not None
        s0 = subs[0]
        if isinstance(s0, MArray) and s0.dtype == _LOGICAL and np.array_equal(idx, np.arange(idx.size)):
            one = True  # a mask of the first k elements is a contiguous deletion too: a row
        if col_vec or (not _is_vector(shape) and rest.size and not one):
            return rest.reshape(-1, 1)
        if shape == (1, 1) and idx.size > 1:
            return rest.reshape(0, 1)  # Octave: x = 1; x([1 1]) = [] is 0x1
        return rest.reshape(1, -1)
    named = [k for k, s in enumerate(subs) if s is not ALL]
    if len(named) == 1 and named[0] < len(shape) - 1 and len(subs) < len(shape):
        # Octave deletes along that dimension of the N-D array itself, not of its 2-D folding
        # (A(:, 2) = [] of a 2x2x2 array is 2x1x2): Array<T>::delete_elements (dim, i)
        k = named[0]
        idx = _subscript(subs[k], shape[k])[0]
        keep = np.ones(shape[k], dtype=bool)
        keep[idx] = False
        out = np.compress(keep, a.reshape(shape), axis=k)
        return out.reshape(_mshape(out.shape), order="F")
    work = _fold(shape, len(subs))
    idxs = [np.arange(work[k]) if s is ALL else _subscript(s, work[k])[0] for k, s in enumerate(subs)]
    partial = [k for k, i in enumerate(idxs) if not np.array_equal(np.unique(i), np.arange(work[k]))]
    if len(partial) > 1:
        raise MatlabError("a null assignment A(...) = [] can delete along one dimension only")
    if not partial:
        k = next((k for k, s in enumerate(subs) if s is not ALL), 0)
    else:
        k = partial[0]
    keep = np.ones(work[k], dtype=bool)
    keep[idxs[k]] = False
    out = np.compress(keep, a.reshape(work, order="F"), axis=k)
    return out.reshape(_mshape(out.shape), order="F")


def columns(A):
    """The columns a MATLAB ``for`` loop visits: ``for v = A`` runs over ``A(:, j)`` in turn (N-D
    arrays as ``reshape(A, size(A, 1), [])``). MATLAB evaluates A once, before the loop."""
    if isinstance(A, Cell):
        obj = _fold_2d(_cell_to_obj(A))
        for j in range(obj.shape[1]):
            yield _obj_to_cell(obj[:, j : j + 1])
        return
    a = _fold_2d(value(A).view(np.ndarray))
    for j in range(a.shape[1]):
        yield _wrap(a[:, j : j + 1])


def _fold_2d(a: np.ndarray) -> np.ndarray:
    """``reshape(A, size(A, 1), [])``, also for an empty A (numpy cannot infer -1 from 0 elements)."""
    return a.reshape(a.shape[0], _prod(a.shape[1:]), order="F")


def loop(A):
    """A ``for`` loop over ``A``: ``(the loop variable before the first pass, the columns it visits)``.

    Octave runs no pass over an empty ``A`` (``1:0``, ``zeros(0, 3)``, ``{}``) and leaves the
    variable holding ``A`` itself, folded to two dimensions (``zeros(0, 3, 2)`` gives 0x6); over a
    non-empty ``A`` the first pass assigns its first column anyway, so that is the value given."""
    if isinstance(A, Cell):
        empty = len(A) == 0
        folded = _obj_to_cell(_fold_2d(_cell_to_obj(A))) if empty else None
    else:
        a = value(A)
        empty = a.size == 0
        folded = _wrap(_fold_2d(a.view(np.ndarray))) if empty else None
    if empty:
        return folded, iter(())
    cols = columns(A)
    first = next(cols)
    return first, itertools.chain([first], cols)


def _scalar(x, what: str) -> float:
    v = value(x)
    if isinstance(v, Cell) or callable(v):
        raise MatlabError(f"{what} must be numeric")
    a = _numeric(v.view(np.ndarray)).reshape(-1, order="F")
    if a.size == 0:
        raise MatlabError(f"{what} is empty")
    return float(a[0])


def _xtfloor(x: float, ct: float) -> float:
    """Hagerty's FL5 tolerant floor, as Octave's range code uses it."""
    q = 1.0 - ct if x < 0 else 1.0
    rmax = q / (2.0 - ct)
    t1 = 1.0 + math.floor(x)
    t1 = (ct / q) * (-t1 if t1 < 0 else t1)
    t1 = rmax if rmax < t1 else t1
    t1 = ct if ct > t1 else t1
    t1 = math.floor(x + t1)
    if x <= 0 or (t1 - x) < rmax:
        return t1
    return t1 - 1


def _teq(u: float, v: float, ct: float) -> bool:
    tu, tv = abs(u), abs(v)
    return abs(u - v) < (tu if tu > tv else tv) * ct


@matlab_function()
def colon(a, b, c=None):
    """MATLAB's range ``a:b`` or ``a:step:limit`` (``colon(a, step, limit)``), as a 1xN row.

    The number of elements and the elements themselves follow Octave's range arithmetic (a
    tolerant floor of ``(limit - base + inc) / inc``; element i is ``base + i*inc``, the last one
    clipped to ``limit``), so non-integer steps give the same doubles as the reference engine.
    """
    is_char = _py.all(
        isinstance(value(x), MArray) and value(x).dtype == _CHAR for x in ((a, b) if c is None else (a, c))
    )
    base, inc, limit = (
        (_scalar(a, "colon base"), 1.0, _scalar(b, "colon limit"))
        if c is None
        else (_scalar(a, "colon base"), _scalar(b, "colon increment"), _scalar(c, "colon limit"))
    )
    if not (math.isfinite(base) and math.isfinite(inc)) or math.isnan(limit):
        raise MatlabError("colon: a range needs a finite base and increment")
    if inc == 0 or (inc > 0 and base > limit) or (inc < 0 and base < limit):
        n = 0
    elif (limit <= base and base + inc < limit) or (limit >= base and base + inc > limit):
        n = 1  # Octave (Range.cc, xinit): one step overshoots the limit, so the base alone
    else:
        ct = 3.0 * EPS
        n = int(_py.max(_xtfloor((limit - base + inc) / inc, ct), 0))
        if not _teq(base + (n - 1) * inc, limit, ct):
            if _teq(base + n * inc, limit, ct):
                n += 1
            elif _teq(base + (n - 2) * inc, limit, ct):
                n -= 1
    if n > 0:
        out = base + np.arange(n, dtype=np.float64) * inc
        final = base + (n - 1) * inc
        if (inc > 0 and final >= limit) or (inc < 0 and final <= limit):
            final = limit
        if base == math.floor(base) and inc == math.floor(inc):
            final = float(np.round(final))
        out[-1] = final if n > 1 else base
    else:
        out = np.zeros(0)
    row = out.reshape(1, -1)
    if is_char:
        return char(_wrap(row))
    return mark_range(_wrap(row), base, inc, limit)  # Octave prints a range its own way


# --------------------------------------------------------------------------------------------
# Concatenation


def _cat(items, axis: int):
    vals = [value(x) for x in items]
    if _py.any(isinstance(v, Cell) for v in vals):
        if not _py.all(isinstance(v, Cell) for v in vals):
            raise MatlabError("concatenation of a cell array with a non-cell value (Octave wraps the value in {}, "
                              "MATLAB refuses it) is outside rnncore translate's subset; wrap the value in {}")
        objs = [_cell_to_obj(v) for v in vals if v.shape != (0, 0)]
        if not objs:
            return Cell()
        return _obj_to_cell(_concat_arrays(objs, axis))
    if _py.any(callable(v) and not isinstance(v, np.ndarray) for v in vals):
        raise MatlabError("function handles cannot be concatenated")
    arrays = [v.view(np.ndarray) for v in vals]
    kept = [a for a in arrays if a.shape != (0, 0)]
    if _py.any(a.dtype == _CHAR for a in arrays):
        dtype = _CHAR
        kept = [a if a.dtype == _CHAR else _char_codes(a) for a in kept]
    elif arrays and _py.all(a.dtype == _LOGICAL for a in arrays):
        dtype = _LOGICAL
    else:
        dtype = _DOUBLE
        kept = [a.astype(np.float64) for a in kept]
    if not kept:
        return _wrap(np.zeros((0, 0), dtype=dtype))
    return _wrap(_concat_arrays(kept, axis))


def _char_codes(a: np.ndarray) -> np.ndarray:
    """Numbers concatenated with text, as Octave 7 makes them characters: truncated toward zero,
    modulo 256 (its characters are bytes), NaN and Inf as 0 (``['a' -1 300]`` is codes 97 255 44)."""
    x = np.asarray(a, dtype=np.float64)
    x = np.where(np.isfinite(x), np.trunc(x), 0.0)
    return np.mod(x, 256).astype(np.uint16)


def _concat_arrays(arrays, axis: int) -> np.ndarray:
    nd = _py.max(a.ndim for a in arrays)
    arrays = [a.reshape(a.shape + (1,) * (nd - a.ndim)) for a in arrays]
    # MATLAB also skips empty operands whose other dimensions do not fit ([zeros(1,0), 5] is 5)
    fits = [
        a
        for a in arrays
        if a.shape[axis] > 0 or _py.all(a.shape[k] == arrays[0].shape[k] for k in range(nd) if k != axis)
    ]
    arrays = [a for a in fits if a.size > 0] or fits[:1]
    first = arrays[0]
    for a in arrays[1:]:
        if _py.any(a.shape[k] != first.shape[k] for k in range(nd) if k != axis):
            what = "horizontal" if axis == 1 else "vertical"
            raise MatlabError(
                f"{what} dimensions mismatch ({_dims_text(_mshape(first.shape))} vs " f"{_dims_text(_mshape(a.shape))})"
            )
    return np.concatenate(arrays, axis=axis)


@matlab_function()
def horzcat(*items):
    """MATLAB ``[a, b, ...]``."""
    return _cat(items, 1)


@matlab_function()
def vertcat(*items):
    """MATLAB ``[a; b; ...]``."""
    return _cat(items, 0)


def concat(rows):
    """MATLAB ``[a, b; c, d]``: each row concatenated horizontally, then the rows vertically."""
    return vertcat(*[horzcat(*r) for r in rows])


# --------------------------------------------------------------------------------------------
