"""Sizes and predicates (``size``, ``numel``, ``isempty``, ``isequal``...).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import numpy as np

from .values import (
    Cell,
    MArray,
    MatlabError,
    _CHAR,
    _DOUBLE,
    _LOGICAL,
    _mshape,
    _numeric,
    _plain,
    _prod,
    double,
    false,
    logical,
    true,
    value,
)
from .indexing import _scalar, _size_of
from .registry import matlab_function

__all__ = ["size", "numel", "length", "ndims", "isempty", "iscell", "ischar", "islogical", "isnumeric", "isequal",
           "isreal"]


@matlab_function(max_outputs=8)
def size(A, dim=None, *, nargout: int = 1):
    """MATLAB ``size(A)``, ``size(A, dim)`` and ``[m, n, ...] = size(A)`` (``nargout``: the last
    output takes the product of the remaining dimensions)."""
    shape = _size_of(A)
    if dim is not None:
        d = int(_scalar(dim, "size: dim"))
        if d < 1:
            raise MatlabError("size: dim must be a positive integer")
        return double(shape[d - 1] if d <= len(shape) else 1)
    if nargout <= 1:
        return double([list(shape)])
    out = [shape[k] if k < len(shape) else 1 for k in range(nargout - 1)]
    out.append(_prod(shape[nargout - 1 :]) if nargout - 1 < len(shape) else 1)
    return tuple(double(d) for d in out)


@matlab_function()
def numel(A):
    """MATLAB ``numel``."""
    return double(_prod(_size_of(A)))


@matlab_function()
def length(A):
    """MATLAB ``length``: the largest dimension, 0 for an empty array."""
    shape = _size_of(A)
    return double(0 if 0 in shape else _py.max(shape))


@matlab_function()
def ndims(A):
    """MATLAB ``ndims``."""
    return double(len(_size_of(A)))


@matlab_function()
def isempty(A):
    """MATLAB ``isempty``."""
    return logical(0 in _size_of(A))


@matlab_function()
def iscell(A):
    A = value(A)
    return logical(isinstance(A, Cell))


@matlab_function()
def ischar(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _CHAR)


@matlab_function()
def islogical(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _LOGICAL)


@matlab_function()
def isnumeric(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _DOUBLE)


@matlab_function()
def isequal(a, b, *more):
    """MATLAB ``isequal``: same size and values (class aside; NaN is not equal to NaN)."""
    vals = [value(x) for x in (a, b, *more)]
    first = vals[0]
    for other in vals[1:]:
        if isinstance(first, Cell) or isinstance(other, Cell):
            if not (isinstance(first, Cell) and isinstance(other, Cell)) or first.shape != other.shape:
                return false()
            if not _py.all(bool(isequal(x, y)) for x, y in zip(first, other)):
                return false()
            continue
        x, y = _numeric(_plain(first)), _numeric(_plain(other))
        if _mshape(x.shape) != _mshape(y.shape) or not np.array_equal(x, y):
            return false()
    return true()


@matlab_function()
def isreal(A):
    """MATLAB ``isreal``: true for double, logical and char (the subset has no complex values: an
    operation that would make one raises); false for a cell or a struct. fmincg tests its step with it."""
    return logical(isinstance(value(A), MArray))


# --------------------------------------------------------------------------------------------
