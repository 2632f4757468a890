"""The checked steps of a translated function's plain-numpy body (see :mod:`rnncore.translate.specialise`).

A specialised body holds its values as base ``numpy.ndarray`` float64 arrays (an array the
translator proved 3-D-capable held with its trailing singleton, ``(H, B, 1)``), Python ints and
bools. Each step here either gives exactly what the ``mr`` runtime gives on the same values, or
raises :class:`Unproven`: the translated function then runs its general body from the start (the
plain body is only generated for functions without side effects, so running again is invisible).

Imported by the generated code as ``mp``; not part of ``mr``'s MATLAB functions.
"""

from __future__ import annotations

import numpy as np

from .arithmetic import matrix_product, product_cannot_overflow
from .values import MArray, value

__all__ = ["Unproven", "double2", "double3", "whole", "matmul", "put", "log", "sqrt", "nargin", "outputs", "view2",
           "general", "sum", "max", "min", "index1", "assign1", "call", "take", "colon", "put1"]

_DOUBLE = np.dtype(np.float64)


class Unproven(Exception):
    """A value or a shape the plain body did not prove: the general body decides instead."""


def double2(x) -> np.ndarray:
    """A real double MATLAB value of two dimensions, as its base ndarray."""
    if type(x) is MArray or type(x) is np.ndarray:
        if x.dtype is _DOUBLE and x.ndim == 2:
            return x.view(np.ndarray)
    raise Unproven


def double3(x) -> np.ndarray:
    """A real double MATLAB value of at most three dimensions, held with three (a trailing 1 kept)."""
    if type(x) is MArray or type(x) is np.ndarray:
        if x.dtype is _DOUBLE:
            a = x.view(np.ndarray)
            if a.ndim == 3:
                return a
            if a.ndim == 2:
                return a.reshape(a.shape + (1,))
    raise Unproven


def view2(x) -> np.ndarray:
    """A runtime result (a MATLAB value) that the body holds as a 2-D double array."""
    return double2(x)


def general(a):
    """A plain value handed to the ``mr`` runtime: its MATLAB value (a held trailing 1 dropped)."""
    if type(a) is np.ndarray:
        return value(a)
    return a


def whole(x) -> int:
    """A count or bound given as a MATLAB value (``zeros(1, n)``, ``1:n``): a non-negative integer."""
    if type(x) is int:
        return x
    if (type(x) is MArray or type(x) is np.ndarray) and x.dtype is _DOUBLE and x.size == 1:
        v = float(x.reshape(-1)[0])
        if v.is_integer() and 0 <= v < 2.0 ** 53:
            return int(v)
    raise Unproven


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MATLAB ``a * b`` of two 2-D doubles: the matrix product (``mr.mtimes``'s own ``matrix_product``), or
    the element-wise product when a side is 1x1."""
    if a.size != 1 and b.size != 1:
        if a.shape[1] != b.shape[0] or not product_cannot_overflow(a, b):
            raise Unproven  # the general body names Octave's error, or refuses a product that may overflow
        return matrix_product(a, b)
    return a * b


def put(a: np.ndarray, key: tuple, v) -> None:
    """``a(...) = v`` into an array the body owns, where the subscripts select ``a[key]`` in bounds:
    v of the selection's shape, or one value (MATLAB repeats it)."""
    if type(v) is np.ndarray:
        target = a[key]
        if v.shape != target.shape and v.size != 1:
            raise Unproven  # another shape: MATLAB's rules (or its error) in the general body
        a[key] = v
    elif type(v) is int or type(v) is float:
        a[key] = v
    else:
        raise Unproven


def log(a: np.ndarray) -> np.ndarray:
    """``log`` where MATLAB's answer is real (a negative element gives a complex number)."""
    if (a < 0).any():
        raise Unproven
    return np.log(a)


def sqrt(a: np.ndarray) -> np.ndarray:
    """``sqrt`` where MATLAB's answer is real."""
    if (a < 0).any():
        raise Unproven
    return np.sqrt(a)


def nargin(*params) -> int:
    """How many arguments the caller gave (trailing ``None`` = not given), as ``mr.nargin`` counts."""
    n = len(params)
    while n and params[n - 1] is None:
        n -= 1
    return n


def outputs(**values) -> dict:
    """The outputs of a plain body as ``mr.outputs`` gives them: 2-D double arrays of MATLAB's shape
    (a held trailing 1 dropped); a copy of any array another value may hold (a view, an argument,
    the same array twice), so that the caller owns what it gets."""
    out = values  # a new dict of this call's own
    seen = set()
    for name, v in values.items():
        if type(v) is np.ndarray:
            if v.base is not None or id(v) in seen:
                v = v.copy()
            seen.add(id(v))
            if v.ndim == 3 and v.shape[2] == 1:
                v = v.reshape(v.shape[:2])
            out[name] = v
        elif type(v) is bool:
            out[name] = np.array([[v]])
        elif type(v) is int or type(v) is float:
            out[name] = np.array([[float(v)]])
        else:
            raise Unproven
    return out


def _axis(a: np.ndarray, dim) -> int:
    """0-based axis of a 2-D array's reduction: ``dim`` (a literal 1 or 2), else the first
    non-singleton dimension (``mr``'s ``_reduce_dim``)."""
    if dim is None:
        return 0 if a.shape[0] != 1 else (1 if a.shape[1] != 1 else 0)
    if dim == 1 or dim == 2:
        return dim - 1
    raise Unproven


def sum(a: np.ndarray, dim=None) -> np.ndarray:  # noqa: A001 - MATLAB's name
    """``sum`` of a 2-D double as ``mr.sum`` forms it: in sequence order (``np.add.accumulate``), its
    last element, ``+ 0.0`` (Octave's sum starts from +0)."""
    axis = _axis(a, dim)
    if a.shape[axis] == 0:
        raise Unproven  # an empty sum: Octave's shapes, in the general body
    if a.shape[axis] == 1:
        return a + 0.0  # the accumulation of one element is that element
    acc = np.add.accumulate(a, axis=axis)
    return (acc[-1:] if axis == 0 else acc[:, -1:]) + 0.0


def _extremum(fm, a: np.ndarray, placeholder, dim) -> np.ndarray:
    if not (type(placeholder) is list and not placeholder):
        raise Unproven  # max(A, B): element by element, in the general body
    axis = _axis(a, dim)
    if a.shape[axis] == 0:
        raise Unproven
    return fm.reduce(a, axis=axis, keepdims=True)  # NaN ignored unless all are NaN, as ``mr.max``


def max(a: np.ndarray, placeholder=None, dim=None) -> np.ndarray:  # noqa: A001 - MATLAB's name
    """``max(A, [], dim)`` of a 2-D double, as ``mr.max`` gives it."""
    return _extremum(np.fmax, a, placeholder, dim)


def min(a: np.ndarray, placeholder=None, dim=None) -> np.ndarray:  # noqa: A001 - MATLAB's name
    """``min(A, [], dim)`` of a 2-D double, as ``mr.min`` gives it."""
    return _extremum(np.fmin, a, placeholder, dim)


def _linear(idx: np.ndarray, n: int) -> np.ndarray:
    """0-based indices of a double subscript array whose every element is an integer in 1..n."""
    flat = idx.reshape(-1, order="F")
    if flat.size <= 16:  # a few subscripts: checked in Python, cheaper than numpy's calls on them
        ks = []
        for x in flat.tolist():
            if not (1 <= x <= n) or x != int(x):
                raise Unproven  # a fraction, NaN, 0 or past the end: MATLAB's error (or growth) there
            ks.append(int(x) - 1)
        return np.array(ks, dtype=np.int64)
    k = flat.astype(np.int64)
    if (k != flat).any() or k.min() < 1 or k.max() > n:
        raise Unproven
    return k - 1


def index1(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``A(I)`` of 2-D doubles by linear index, in bounds: ``mr.index``'s own steps (a vector keeps
    its orientation, else the result has I's shape)."""
    k = _linear(idx, a.size)
    out = a.reshape(-1, order="F")[k]
    if (a.shape[0] == 1 or a.shape[1] == 1) and a.shape != (1, 1) and (idx.shape[0] == 1 or idx.shape[1] == 1):
        return out.reshape((1, -1) if a.shape[0] == 1 else (-1, 1))
    return out.reshape(idx.shape, order="F")


def assign1(a: np.ndarray, idx: np.ndarray, v) -> np.ndarray:
    """A copy of ``a`` with ``A(I) = v`` by linear index, in bounds, v one value or one per index:
    ``mr.assign``'s own steps (a column-major copy, written, folded back)."""
    n = a.size
    k = _linear(idx, n)
    if type(v) is np.ndarray:
        if v.size != 1 and v.size != k.size:
            raise Unproven
        vals = v.reshape(()) if v.size == 1 else v.reshape(-1, order="F")
    elif type(v) is int or type(v) is float:
        vals = v
    else:
        raise Unproven
    flat = a.flatten(order="F")  # a new contiguous column-major copy, as mr.assign's np.full + copy
    flat[k] = vals
    return flat.reshape(a.shape, order="F")


def call(f, *args) -> dict:
    """A translated function's outputs, from its plain body when it has one and that body proves the
    call (we are already inside a translated function: floating-point warnings are off), else from
    the function itself."""
    plain = getattr(f, "plain", None)
    if plain is not None:
        try:
            return plain(*args)
        except Exception:  # not proven there: the function's general body decides
            pass
    return f(*args)


def take(result: dict, *names: str):
    """The named outputs of a call (:func:`call`), as they are; one missing is MATLAB's error, which
    the general body raises."""
    try:
        values = [result[n] for n in names]
    except KeyError:
        raise Unproven from None
    return values[0] if len(values) == 1 else values


def colon(first: int, last: int) -> np.ndarray:
    """``first:last`` of two integers (held exactly): the 1xN double row ``mr.colon`` gives."""
    if type(first) is not int or type(last) is not int:
        raise Unproven
    return np.arange(first, last + 1, dtype=np.float64).reshape(1, -1)


def put1(a: np.ndarray, k: int, v) -> None:
    """``A(k) = v`` into a 2-D array the body owns, k a positive integer inside it (column-major),
    v one value; anything else (growth, several values) is the general body's."""
    rows = a.shape[0]
    if k > a.size:
        raise Unproven
    if type(v) is np.ndarray:
        if v.size != 1:
            raise Unproven
        v = v.reshape(-1)[0]
    elif type(v) is not int and type(v) is not float:
        raise Unproven
    a[(k - 1) % rows, (k - 1) // rows] = v
