"""Functions that rearrange or build arrays from others without arithmetic (``fliplr``, ``circshift``,
``diag``, ``tril``, ``kron``, ``meshgrid``, ``ind2sub``...).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py

import numpy as np

from .values import Cell, MatlabError, _CHAR, _LOGICAL, _dims_text, _mshape, _prod, _wrap, value
from .arithmetic import _num_array
from .indexing import _cat, _scalar
from .reductions import _reduce_dim
from .registry import matlab_function

__all__ = ["fliplr", "flipud", "flip", "circshift", "diag", "tril", "triu", "kron", "meshgrid", "ind2sub", "rot90",
           "squeeze", "permute", "ipermute", "cat", "transpose", "ctranspose", "hankel"]


def _array(A, what: str) -> np.ndarray:
    """The elements of A in their own class (double, logical or char): rearranging keeps the class."""
    _num_array(A, what)  # refuses a cell or a handle with the function's name
    return value(A).view(np.ndarray)


@matlab_function()
def fliplr(A):
    """MATLAB ``fliplr``: the columns in reverse order."""
    return _wrap(np.flip(_array(A, "fliplr"), axis=1))


@matlab_function()
def flipud(A):
    """MATLAB ``flipud``: the rows in reverse order."""
    return _wrap(np.flip(_array(A, "flipud"), axis=0))


@matlab_function()
def flip(A, dim=None):
    """MATLAB ``flip(A, dim)``; dim defaults to the first non-singleton dimension."""
    a = _array(A, "flip")
    axis = _reduce_dim(a, dim)
    if axis >= a.ndim:
        return _wrap(a)
    return _wrap(np.flip(a, axis=axis))


@matlab_function()
def circshift(A, n, dim=None):
    """MATLAB ``circshift(A, n)`` (n a scalar: along the first non-singleton dimension; a vector:
    one shift per dimension) and ``circshift(A, n, dim)``."""
    a = _array(A, "circshift")
    shifts = _num_array(n, "circshift").reshape(-1)
    if np.any(shifts != np.floor(shifts)):
        raise MatlabError("circshift: N must be a vector of integers")
    if a.size == 0:
        return _wrap(a)
    if dim is not None:
        if shifts.size != 1:
            raise MatlabError("circshift: N must be a scalar when DIM is also specified")
        axes = [_reduce_dim(a, dim)]
    elif shifts.size == 1:
        axes = [_reduce_dim(a, None)]
    else:
        axes = list(range(shifts.size))
    a = a.reshape(a.shape + (1,) * (_py.max(axes) + 1 - a.ndim)) if _py.max(axes) >= a.ndim else a
    return _wrap(np.roll(a, [int(s) for s in shifts], axis=axes))


@matlab_function()
def diag(A, k=None):
    """MATLAB ``diag``: of a vector, the square matrix with it on diagonal k; of a matrix, diagonal k
    as a column."""
    a = _array(A, "diag")
    off = 0 if k is None else int(_scalar(k, "diag: K"))
    if a.ndim > 2:
        raise MatlabError("diag: requires a vector or a 2-D matrix")
    r, c = a.shape
    if r == 1 or c == 1:
        v = a.reshape(-1)
        m = v.size + abs(off)
        out = np.zeros((m, m), dtype=a.dtype)
        idx = np.arange(v.size)
        out[idx + _py.max(-off, 0), idx + _py.max(off, 0)] = v
        if r == 0 or c == 0:  # diag(zeros(1, 0)) is 0x0 (a 1x0 or 0x1 "vector")
            out = np.zeros((abs(off),) * 2, dtype=a.dtype)
        return _wrap(out)
    d = np.diagonal(a, offset=off)
    return _wrap(d.reshape(-1, 1).copy())


def _triangle(A, k, what: str, lower: bool):
    a = _array(A, what)
    if a.ndim > 2:
        raise MatlabError(f"{what}: need a 2-D matrix")
    off = 0 if k is None else int(_scalar(k, f"{what}: K"))
    r, c = np.indices(a.shape)
    keep = (c - r <= off) if lower else (c - r >= off)
    return _wrap(np.where(keep, a, np.zeros((), dtype=a.dtype)))


@matlab_function()
def tril(A, k=None):
    """MATLAB ``tril(A, k)``: the elements on and below diagonal k, the others 0."""
    return _triangle(A, k, "tril", True)


@matlab_function()
def triu(A, k=None):
    """MATLAB ``triu(A, k)``: the elements on and above diagonal k, the others 0."""
    return _triangle(A, k, "triu", False)


@matlab_function()
def kron(A, B):
    """MATLAB ``kron``: the Kronecker product (each product a single multiplication, as in Octave)."""
    x, y = _num_array(A, "kron"), _num_array(B, "kron")
    if x.ndim > 2 or y.ndim > 2:
        raise MatlabError("kron: only 2-D matrices are in rnncore translate's subset")
    with np.errstate(all="ignore"):
        return _wrap(np.kron(x, y))


@matlab_function(max_outputs=3)
def meshgrid(x, y=None, z=None, *, nargout: int = 1):
    """MATLAB ``[X, Y] = meshgrid(x, y)``: X repeats the row x once per element of y, Y the column y
    once per element of x; ``meshgrid(x)`` is ``meshgrid(x, x)``; three outputs with z: 3-D grids."""
    xv = _array(x, "meshgrid").reshape(-1, order="F")
    yv = xv if y is None else _array(y, "meshgrid").reshape(-1, order="F")
    if nargout > 2 or z is not None:
        zv = (xv if y is None else None) if z is None else _array(z, "meshgrid").reshape(-1, order="F")
        if zv is None:
            raise MatlabError("meshgrid: Z is needed for three outputs when Y is given")
        X, Y, Z = np.meshgrid(xv, yv, zv)  # numpy's 'xy' indexing: rows follow y, columns x, pages z
        return (_wrap(X), _wrap(Y), _wrap(Z))[: _py.max(nargout, 1)] if nargout > 1 else _wrap(X)
    X = np.tile(xv.reshape(1, -1), (yv.size, 1))
    Y = np.tile(yv.reshape(-1, 1), (1, xv.size))
    return (_wrap(X), _wrap(Y)) if nargout > 1 else _wrap(X)


@matlab_function(max_outputs=8)
def ind2sub(dims, ind, *, nargout: int = 1):
    """MATLAB ``[r, c, ...] = ind2sub(dims, ind)``: the subscripts of 1-based linear indices,
    column-major; the last output takes the product of the remaining dimensions (one output: the
    linear index itself)."""
    d = [int(v) for v in _num_array(dims, "ind2sub").reshape(-1)]
    i = _num_array(ind, "ind2sub")
    total = _prod(d)
    if i.size and (np.any(i < 1) or np.any(i != np.floor(i)) or np.any(i > total)):
        raise MatlabError("ind2sub: index out of range")
    k = _py.max(nargout, 1)
    folded = d[: k - 1] + [_prod(d[k - 1 :])] if k <= len(d) else d + [1] * (k - len(d))
    rest = i - 1
    out = []
    for size in folded[:-1]:
        out.append(_wrap(np.mod(rest, size) + 1))
        rest = np.floor(rest / size)
    out.append(_wrap(rest + 1))
    return tuple(out) if nargout > 1 else out[0]


@matlab_function()
def rot90(A, k=None):
    """MATLAB ``rot90(A, k)``: A turned k times by 90 degrees counterclockwise (k may be negative)."""
    a = _array(A, "rot90")
    turns = 1 if k is None else _scalar(k, "rot90: K")
    if turns != int(turns):
        raise MatlabError("rot90: K must be a single real integer")
    return _wrap(np.rot90(a, int(turns) % 4, axes=(0, 1)))


@matlab_function()
def squeeze(A):
    """MATLAB ``squeeze``: the singleton dimensions removed; a 2-D array (a row too) is unchanged."""
    a = _array(A, "squeeze")
    if a.ndim <= 2:
        return _wrap(a)
    shape = [s for s in a.shape if s != 1]
    shape = shape + [1] * (2 - len(shape))  # 1x1x3 becomes 3x1
    return _wrap(a.reshape(shape, order="F"))


def _permutation(perm, a: np.ndarray, what: str) -> list[int]:
    p = [int(v) for v in _num_array(perm, what).reshape(-1)]
    if sorted(p) != list(range(1, len(p) + 1)) or len(p) < a.ndim:
        raise MatlabError(f"{what}: PERM is not a valid permutation vector")
    return [v - 1 for v in p]


@matlab_function()
def permute(A, perm):
    """MATLAB ``permute(A, perm)``: dimension k of the result is dimension perm(k) of A."""
    a = _array(A, "permute")
    p = _permutation(perm, a, "permute")
    a = a.reshape(a.shape + (1,) * (len(p) - a.ndim))
    return _wrap(np.transpose(a, p))


@matlab_function()
def ipermute(A, perm):
    """MATLAB ``ipermute``: the inverse of ``permute(A, perm)``."""
    a = _array(A, "ipermute")
    p = _permutation(perm, a, "ipermute")
    a = a.reshape(a.shape + (1,) * (len(p) - a.ndim))
    return _wrap(np.transpose(a, np.argsort(p)))


@matlab_function()
def cat(dim, *items):
    """MATLAB ``cat(dim, A, B, ...)``: ``[A, B]`` for dim 2, ``[A; B]`` for dim 1, pages for dim 3 and
    beyond; [] operands are skipped and the class follows concatenation's rules (char wins, logical
    only when all are)."""
    axis = int(_scalar(dim, "cat: DIM")) - 1
    if axis < 0:
        raise MatlabError("cat: DIM must be a valid dimension")
    if axis < 2 or _py.any(isinstance(value(x), Cell) for x in items):
        if axis >= 2:
            raise MatlabError("cat of cell arrays along dimension 3 or beyond is outside rnncore translate's subset")
        return _cat(items, axis) if items else _wrap(np.zeros((0, 0)))
    arrays = [_array(x, "cat") for x in items]
    dtype = (_CHAR if _py.any(a.dtype == _CHAR for a in arrays)
             else _LOGICAL if arrays and _py.all(a.dtype == _LOGICAL for a in arrays) else np.float64)
    kept = [a.astype(dtype) for a in arrays if a.shape != (0, 0)]
    if not kept:
        return _wrap(np.zeros((0, 0), dtype=dtype))
    nd = _py.max(_py.max(a.ndim for a in kept), axis + 1)
    kept = [a.reshape(a.shape + (1,) * (nd - a.ndim)) for a in kept]
    first = kept[0]
    for a in kept[1:]:
        if _py.any(a.shape[k] != first.shape[k] for k in range(nd) if k != axis):
            raise MatlabError(
                f"concatenation operator not implemented for '{_dims_text(_mshape(first.shape))} by "
                f"{_dims_text(_mshape(a.shape))}' operations"
            )
    return _wrap(np.concatenate(kept, axis=axis))


@matlab_function()
def transpose(A):
    """MATLAB ``transpose(A)``, the function form of ``A.'``: 2-D values only, as in Octave."""
    a = _array(A, "transpose")
    if a.ndim > 2:
        raise MatlabError("transpose not defined for N-D objects")
    return _wrap(a.T.copy())


@matlab_function()
def ctranspose(A):
    """MATLAB ``ctranspose(A)``, the function form of ``A'``: the subset's values are real, so ``A.'``."""
    a = _array(A, "ctranspose")
    if a.ndim > 2:
        raise MatlabError("transpose not defined for N-D objects")
    return _wrap(a.T.copy())


@matlab_function()
def hankel(c, r=None):
    """Octave's ``hankel(c)`` and ``hankel(c, r)`` (hankel.m): ``H(i, j)`` is element ``i + j - 1``
    of ``[c(:); zeros(numel(c), 1)]`` or of ``[c(:); r(2:end)(:)]``; where ``r(1)`` and ``c(end)``
    differ, the column wins, with Octave's warning."""
    import sys

    def vector(x, what):
        a = _array(x, "hankel")
        if a.ndim != 2 or (a.shape[0] != 1 and a.shape[1] != 1):
            raise MatlabError(what)
        return a.reshape(-1, order="F")

    if r is None:
        cv = vector(c, "hankel: C must be a vector")
        nr = nc = cv.size
        data = np.concatenate([cv.astype(np.float64), np.zeros(nr)])
    else:
        cv = vector(c, "hankel: C and R must be vectors")
        rv = vector(r, "hankel: C and R must be vectors")
        if cv.size == 0 or rv.size == 0:
            raise MatlabError("index (0): out of bound; value 0 out of bound 0")
        if rv[0] != cv[-1]:
            sys.stderr.write("warning: hankel: column wins anti-diagonal conflict\n")
        nr, nc = cv.size, rv.size
        both_logical = value(c).dtype == _LOGICAL and value(r).dtype == _LOGICAL
        data = np.concatenate([cv, rv[1:]])
        data = data if both_logical else data.astype(np.float64)
    i = np.arange(nr).reshape(-1, 1)
    j = np.arange(nc).reshape(1, -1)
    return _wrap(data[i + j].copy() if nr and nc else np.zeros((nr, nc), dtype=data.dtype))
