"""The values of the subset (double, logical and char :class:`MArray`, :class:`Cell`), their
shapes, and the functions that make them.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import contextvars
import functools
import keyword
import math
import numbers
from typing import Callable, Mapping
import numpy as np

from .registry import matlab_function

__all__ = [
    "MArray",
    "Cell",
    "Struct",
    "MatlabError",
    "ALL",
    "EPS",
    "undefined",
    "value",
    "double",
    "logical",
    "char",
    "cellarray",
    "function",
    "zeros",
    "ones",
    "eye",
    "true",
    "false",
    "cell",
    "if_and",
    "if_or",
    "sc_and",
    "sc_or",
]


class MatlabError(RuntimeError):
    """An error MATLAB raises at run time (an index out of bounds, ``error(...)`` in the script)."""

    def __init__(self, message: str, identifier: str = ""):
        super().__init__(message)
        self.identifier = identifier


_DOUBLE = np.dtype(np.float64)
_LOGICAL = np.dtype(np.bool_)
_CHAR = np.dtype(np.uint16)
_CLASSES = {_DOUBLE: "double", _LOGICAL: "logical", _CHAR: "char"}

EPS = float(np.finfo(np.float64).eps)  # MATLAB's eps: 2^-52


class _Undefined:
    """A variable MATLAB has not created yet (see :func:`undefined`)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return f"mr.undefined({self.name!r})"

    def error(self) -> "MatlabError":
        return MatlabError(f"'{self.name}' undefined: the variable is read before it is assigned")

    def _read(self, *args, **kwargs):
        raise self.error()

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)  # protocol probes (numpy, copy) see an ordinary object
        raise self.error()  # x.T

    # Any use as a value is MATLAB's "undefined" error, naming the variable.
    __bool__ = __array_ufunc__ = _read
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _read
    __pow__ = __rpow__ = __neg__ = __pos__ = __invert__ = __and__ = __rand__ = __or__ = __ror__ = _read
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _read
    __hash__ = None


def undefined(name: str) -> _Undefined:
    """The value of a variable MATLAB creates on its first indexed assignment (``ht(:,1) = ...``)
    before that runs: :func:`assign` then gives it the class of the assigned value, as MATLAB
    does; reading it is an error naming the variable, as in MATLAB."""
    return _Undefined(name)


class _Colon:
    """A bare ``:`` subscript."""

    def __repr__(self):
        return "mr.ALL"


#: The ``:`` of ``A(:, j)``: every index along that dimension.
ALL = _Colon()


# --------------------------------------------------------------------------------------------
# Shapes


def _mshape(shape) -> tuple[int, ...]:
    """MATLAB's size for a numpy shape: at least 2 dimensions, trailing singletons beyond 2 dropped."""
    if type(shape) is tuple:  # the common cases, kept fast: numpy shapes are tuples of ints
        if len(shape) == 2:
            return shape
        if len(shape) > 2 and shape[-1] != 1 and _py.all(type(d) is int for d in shape):
            return shape
    shape = tuple(int(d) for d in shape)
    if len(shape) < 2:
        shape = (1,) * (2 - len(shape)) + shape if len(shape) == 0 else (1, shape[0])
    while len(shape) > 2 and shape[-1] == 1:
        shape = shape[:-1]
    return shape


def _prod(dims) -> int:
    return int(math.prod(dims))


def _dims_text(shape) -> str:
    return "x".join(str(d) for d in shape)


# --------------------------------------------------------------------------------------------
# Floating-point errors

# True while a translated function runs (:func:`function` has entered np.errstate(all="ignore")
# for its whole body): the operations inside need not enter it again, which costs more than a
# small array's arithmetic.
_QUIET = contextvars.ContextVar("rnncore_translate_quiet", default=False)


def _quietly(fn, *args):
    """``fn(*args)`` with numpy's floating-point warnings off: MATLAB gives Inf and NaN silently."""
    if _QUIET.get():
        return fn(*args)
    with np.errstate(all="ignore"):
        return fn(*args)


# --------------------------------------------------------------------------------------------
# MArray


_LOGICAL_UFUNCS = {
    np.bitwise_and: np.logical_and,
    np.bitwise_or: np.logical_or,
    np.bitwise_xor: np.logical_xor,
    np.invert: np.logical_not,
    np.logical_and: np.logical_and,
    np.logical_or: np.logical_or,
    np.logical_xor: np.logical_xor,
    np.logical_not: np.logical_not,
}
# MATLAB's operator for a numpy ufunc, for error messages.
_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: ".*", np.divide: "./", np.true_divide: "./",
              np.power: ".^", np.equal: "==", np.not_equal: "!=", np.less: "<", np.less_equal: "<=",
              np.greater: ">", np.greater_equal: ">=", np.logical_and: "&", np.logical_or: "|"}
# Element-wise functions whose real argument outside this range gives a complex result in MATLAB.
_REAL_DOMAIN = {
    np.sqrt: (0.0, np.inf),
    np.log: (0.0, np.inf),
    np.log2: (0.0, np.inf),
    np.log10: (0.0, np.inf),
    np.arcsin: (-1.0, 1.0),
    np.arccos: (-1.0, 1.0),
}
# Octave 7's mathematical functions that refuse text (sign('a') is "signum: argument must be numeric"),
# by Octave's name; abs, floor, ceil, fix, round, isnan and isinf take text as its codes.
_NUMERIC_ONLY = {np.sign: "signum", np.exp: "exp", np.log: "log", np.log2: "log2", np.log10: "log10", np.sqrt: "sqrt",
                 np.sin: "sin", np.cos: "cos", np.tan: "tan", np.sinh: "sinh", np.cosh: "cosh", np.tanh: "tanh",
                 np.arctan: "atan"}
# The ufuncs MArray.__array_ufunc__'s fast path leaves to the general path: MATLAB's logical
# operators, and those whose real arguments can give a complex result (checked by _check_real).
_SLOW_UFUNCS = frozenset(_LOGICAL_UFUNCS) | frozenset(_REAL_DOMAIN) | {np.power, np.float_power}


class MArray(np.ndarray):
    """A MATLAB double, logical or char array: a numpy array whose operators follow MATLAB.

    Create one with :func:`value`, :func:`double`, :func:`logical` or :func:`char`, never by hand.
    """

    __array_priority__ = 20.0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs and ufunc not in _SLOW_UFUNCS:
            # The common case, kept cheap: double operands only (MArray, or a Python float or int),
            # all arrays with the same number of dimensions. Every step skipped below is one the
            # general path takes as a no-op on such operands (_plain gives the base ndarray,
            # _numeric keeps a double, _check_real does not apply, _expand returns the operands
            # as they are), so the result is the same array.
            args = []
            ndim = -1
            for x in inputs:
                tx = type(x)
                if tx is MArray:
                    if x.dtype is not _DOUBLE or (ndim >= 0 and x.ndim != ndim):
                        break
                    ndim = x.ndim
                    args.append(x.view(np.ndarray))
                elif tx is float or tx is int:
                    args.append(x)
                else:
                    break
            else:
                try:
                    result = _quietly(ufunc, *args)  # MATLAB gives Inf and NaN silently
                except ValueError:
                    result = None  # the general path below names the error as Octave does (nonconformant...)
                if result is not None:
                    if type(result) is np.ndarray and result.ndim == 2 and result.dtype in _CLASSES:
                        return result.view(MArray)
                    return _wrap_result(result)
        if kwargs.get("out") is not None:
            raise MatlabError("in-place operations are not part of MATLAB's value semantics")
        args = [_plain(x) for x in inputs]
        with np.errstate(all="ignore"):  # MATLAB gives Inf and NaN silently
            if method != "__call__":
                return _wrap_result(getattr(ufunc, method)(*[_numeric(a) for a in args], **kwargs))
            if ufunc in _LOGICAL_UFUNCS:
                ufunc = _LOGICAL_UFUNCS[ufunc]
                args = [_truth(a, ufunc.__name__) for a in args]
            else:
                if ufunc in _NUMERIC_ONLY and _py.any(isinstance(a, np.ndarray) and a.dtype == _CHAR for a in args):
                    raise MatlabError(f"{_NUMERIC_ONLY[ufunc]}: argument must be numeric")
                args = [_numeric(a) for a in args]
                _check_real(ufunc, args)
            if len(args) == 2:
                args = _expand(args, ufunc.__name__)
            try:
                result = _power(*args) if ufunc is np.power else ufunc(*args, **kwargs)
            except ValueError as exc:
                if len(args) == 2 and "broadcast" in str(exc):
                    raise MatlabError(
                        f"operator {_OPERATORS.get(ufunc, ufunc.__name__)}: nonconformant arguments (op1 is "
                        f"{_dims_text(_mshape(np.shape(args[0])))}, op2 is {_dims_text(_mshape(np.shape(args[1])))})"
                    ) from None
                raise MatlabError(f"{ufunc.__name__}: {exc}") from None
        return _wrap_result(result)

    def __bool__(self):
        """MATLAB's ``if A``: true when A is non-empty and every element is non-zero."""
        a = self.view(np.ndarray)
        if a.size == 0:
            return False
        if a.dtype == _DOUBLE and np.isnan(a).any():
            raise MatlabError("NaN cannot be converted to a logical value")
        return bool(np.all(a != 0))

    def __iter__(self):
        raise MatlabError("a MATLAB array is not iterated element by element; use mr.columns for a for loop")

    @property
    def T(self):  # noqa: N802 - numpy's name: A' translates to A.T
        """MATLAB's ``A'``: an N-D array (0x0x0 too) has no transpose."""
        if self.ndim > 2:
            raise MatlabError("transpose not defined for N-D objects")
        return np.ndarray.transpose(self)

    def __repr__(self):
        a = self.view(np.ndarray)
        if self.dtype == _CHAR and a.ndim == 2 and a.shape[0] == 1:
            return f"MArray(char {_dims_text(self.shape)}: {''.join(map(chr, a.reshape(-1).tolist()))!r})"
        return f"MArray({_CLASSES.get(self.dtype, self.dtype)} {_dims_text(self.shape)}: {a!r})"

    __str__ = __repr__


def _plain(x):
    """An operand as numpy sees it: the base ndarray of an MArray, anything else unchanged."""
    if isinstance(x, MArray):
        return x.view(np.ndarray)
    if isinstance(x, Cell):
        raise MatlabError(
            "a cell array cannot be an operand of an arithmetic or logical operator; " "take its contents with c{k}"
        )
    if isinstance(x, str):
        raise MatlabError("internal: text reached an operator without mr.char")
    if isinstance(x, _Undefined):
        raise x.error()
    return x


def _numeric(a):
    """logical and char take part in arithmetic as double, as in MATLAB."""
    if isinstance(a, np.ndarray) and a.dtype != _DOUBLE:
        if a.dtype.kind == "c":
            raise MatlabError("complex values are outside rnncore translate's subset")
        return a.astype(np.float64)
    if isinstance(a, (bool, np.bool_)):
        return float(a)
    return a


def _truth(a, op: str):
    """MATLAB's conversion of an operand of ``& | ~`` to logical (non-zero is true; NaN is an error)."""
    a = np.asarray(a)
    if a.dtype == _LOGICAL:
        return a
    a = _numeric(a)
    if np.isnan(a).any():
        raise MatlabError(f"{op}: NaN cannot be converted to a logical value")
    return a != 0


def _check_real(ufunc, args) -> None:
    """Refuse what MATLAB answers with a complex number (numpy would give NaN)."""
    if ufunc in _REAL_DOMAIN:
        lo, hi = _REAL_DOMAIN[ufunc]
        x = np.asarray(args[0], dtype=np.float64)
        if np.any((x < lo) | (x > hi)):
            raise MatlabError(
                f"{ufunc.__name__} of a value outside [{lo:g}, {hi:g}] is complex in MATLAB; "
                f"complex values are outside rnncore translate's subset"
            )
    elif ufunc is np.power:
        base, expo = (np.asarray(a, dtype=np.float64) for a in args)
        try:
            base, expo = np.broadcast_arrays(*_expand([base, expo], "power"))
        except ValueError:
            return  # the operation itself reports the size mismatch
        if np.any((base < 0) & np.isfinite(expo) & (expo != np.floor(expo))):
            raise MatlabError(
                "a negative number to a non-integer power is complex in MATLAB; complex values "
                "are outside rnncore translate's subset"
            )


def _power(base, expo):
    """Octave's ``.^`` of doubles, to the bit: C's ``pow`` (numpy's own power is a vectorised
    approximation that can be an ulp off, which ``exp`` then makes hundreds of ulps), except a matrix
    to the power 2, 3 or -1, which Octave's elem_xpow computes as ``a*a``, ``a*a*a`` and ``1/a``."""
    if np.size(expo) == 1 and np.size(base) != 1 and np.ndim(expo) <= np.ndim(base):
        a, b = np.asarray(base), float(np.reshape(expo, ()))
        if b == 2:
            return a * a
        if b == 3:
            return a * a * a
        if b == -1:
            return 1.0 / a
    return np.float_power(base, expo)


def _expand(args, op: str):
    """MATLAB's implicit expansion pads the shorter shape with trailing singleton dimensions."""
    a, b = args
    na, nb = np.ndim(a), np.ndim(b)
    if na == nb or na < 2 or nb < 2:
        return args  # numpy's broadcasting is MATLAB's here; a size mismatch raises ValueError
    if na != nb:
        if na < nb:
            a = np.reshape(a, np.shape(a) + (1,) * (nb - na))
        else:
            b = np.reshape(b, np.shape(b) + (1,) * (na - nb))
    sa, sb = np.shape(a), np.shape(b)
    if len(sa) == len(sb) and _py.any(x != y and x != 1 and y != 1 for x, y in zip(sa, sb)):
        raise MatlabError(
            f"operator {op}: nonconformant arguments (op1 is {_dims_text(_mshape(sa))}, "
            f"op2 is {_dims_text(_mshape(sb))})"
        )
    return [a, b]


def _wrap(arr) -> MArray:
    """A numpy result as an MArray of MATLAB's shape and class."""
    if type(arr) is np.ndarray and arr.ndim == 2 and arr.dtype is _DOUBLE:
        return arr.view(MArray)  # the common case: already MATLAB's shape and class
    arr = np.asarray(arr)
    if arr.dtype not in _CLASSES:
        if arr.dtype.kind == "c":
            raise MatlabError("complex values are outside rnncore translate's subset")
        if arr.dtype.kind not in "biuf":
            raise MatlabError(f"internal: no MATLAB class for numpy dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    shape = _mshape(arr.shape)
    if arr.shape != shape:
        arr = arr.reshape(shape)  # only adds or drops singleton dimensions: the element order is kept
    return arr.view(MArray)


def _wrap_result(result):
    if isinstance(result, tuple):
        return tuple(_wrap(r) for r in result)
    return _wrap(result)


# --------------------------------------------------------------------------------------------
# Cell


class Cell(list):
    """A MATLAB cell array: a list of its elements in column-major order, and its MATLAB ``shape``.

    Arithmetic, comparison and truth tests raise :class:`MatlabError`, as in MATLAB (a plain list
    would repeat under ``*`` or compare as a whole under ``==``).
    """

    def __init__(self, items=(), shape=None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self)) if len(self) else (0, 0)
        self.shape = _mshape(shape)
        if _prod(self.shape) != len(self):
            raise MatlabError(
                f"internal: a {_dims_text(self.shape)} cell needs {_prod(self.shape)} elements, " f"got {len(self)}"
            )

    def __repr__(self):
        return f"Cell({list.__repr__(self)}, shape={self.shape})"

    @property
    def T(self):  # noqa: N802 - numpy's name, so that c' translates like A'
        obj = _cell_to_obj(self)
        return _obj_to_cell(obj.T) if obj.ndim == 2 else _refuse("transposing an N-D cell")

    def _refuse(self, *args):
        raise MatlabError(
            "a cell array cannot be an operand of an arithmetic, comparison or logical "
            "operator; take its contents with c{k}"
        )

    __add__ = __radd__ = __iadd__ = __mul__ = __rmul__ = __imul__ = _refuse
    __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __pow__ = __rpow__ = _refuse
    __and__ = __rand__ = __or__ = __ror__ = __invert__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = None

    def __neg__(self):
        raise MatlabError("unary operator '-' not implemented for 'cell' operands")

    def __pos__(self):
        raise MatlabError("unary operator '+' not implemented for 'cell' operands")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """np.sign(c), np.abs(c) ...: Octave's "signum: not defined for cell" (numpy would read a
        cell's elements as an array, or fail with a ValueError)."""
        raise MatlabError(f"{_NUMERIC_ONLY.get(ufunc, ufunc.__name__)}: not defined for cell")

    def __bool__(self):
        raise MatlabError("a cell array cannot be used as a condition")


def _refuse(what: str):
    raise MatlabError(f"{what} is outside rnncore translate's subset")


class Struct:
    """A MATLAB struct array: its field names in order and, for each element (column-major), a dict
    of the fields' values; a 1x1 struct (``s.a = 1``) has one element. A value: functions of
    :mod:`.structs` return a new Struct, never change one."""

    __slots__ = ("fields", "elements", "shape")

    def __init__(self, fields=(), elements=None, shape=None):
        self.fields = tuple(fields)
        self.elements = [{}] if elements is None else list(elements)
        self.shape = _mshape(shape if shape is not None else ((1, 1) if len(self.elements) == 1 else
                                                              (1, len(self.elements))))
        if _prod(self.shape) != len(self.elements):
            raise MatlabError(f"internal: a {_dims_text(self.shape)} struct needs {_prod(self.shape)} elements")

    @classmethod
    def scalar(cls, fields: dict) -> "Struct":
        """A 1x1 struct of these fields, in this order."""
        return cls(tuple(fields), [dict(fields)], (1, 1))

    def __repr__(self):
        return f"Struct({self.fields!r}, {self.elements!r}, shape={self.shape})"

    def _refuse(self, *args):
        raise MatlabError("a struct cannot be an operand of an arithmetic, comparison or logical operator")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __pow__ = __rpow__ = __neg__ = __pos__ = __invert__ = __and__ = __rand__ = __or__ = __ror__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = None

    def __bool__(self):
        raise MatlabError("a struct cannot be used as a condition")


def _cell_to_obj(c: Cell) -> np.ndarray:
    flat = np.empty(len(c), dtype=object)
    for i, item in enumerate(c):
        flat[i] = item  # one by one: numpy would otherwise unpack array elements
    return flat.reshape(c.shape, order="F")


def _obj_to_cell(a: np.ndarray) -> Cell:
    return Cell(list(a.reshape(-1, order="F")), _mshape(a.shape))


# --------------------------------------------------------------------------------------------
# Making values


def value(x):
    """Any Python value as a MATLAB value: numbers -> (1, 1) double, bool -> logical, str -> char,
    list -> cell, numpy arrays by dtype (integers become double; 1-D arrays are refused, MATLAB has
    none). MATLAB values and callables pass through unchanged."""
    if type(x) is MArray or isinstance(x, (MArray, Cell, Struct)):
        return x
    if type(x) is float or type(x) is int:  # the common number, before the slower checks below
        return np.array([[float(x)]]).view(MArray)
    if type(x) is np.ndarray and x.dtype is _DOUBLE and x.ndim >= 2:
        return _wrap(x)  # a double array (a translated function's output, a case's input)
    if isinstance(x, _Undefined):
        raise x.error()
    if isinstance(x, str):
        return char(x)
    if isinstance(x, dict):
        return Struct.scalar({str(k): value(v) for k, v in x.items()})  # the port contract's struct
    if isinstance(x, list):
        return Cell([value(v) for v in x])
    if isinstance(x, (bool, np.bool_)):
        return _wrap(np.array([[bool(x)]]))
    if isinstance(x, numbers.Number) and not isinstance(x, np.ndarray):
        if isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real):
            raise MatlabError("complex values are outside rnncore translate's subset")
        return _wrap(np.array([[float(x)]]))
    if callable(x) and not isinstance(x, np.ndarray):
        return x
    if x is None:
        raise MatlabError("internal: None has no MATLAB value")
    arr = np.asarray(x)
    if arr.ndim == 1:
        raise MatlabError(
            f"a 1-D array of shape {arr.shape} has no MATLAB shape; pass ({arr.size}, 1) for a "
            f"column or (1, {arr.size}) for a row"
        )
    if arr.dtype == _LOGICAL:
        return _wrap(arr)
    if arr.dtype.kind in "iuf":
        return _wrap(arr.astype(np.float64, copy=False))
    if arr.dtype.kind == "U" and arr.ndim == 0:
        return char(str(arr))
    raise MatlabError(f"a numpy array of dtype {arr.dtype} has no MATLAB value in rnncore translate's subset")


_value = value  # for functions whose keyword argument is named `value`


def _dims(args, what: str) -> tuple[int, ...]:
    """The size arguments of zeros/ones/...: none (1x1), n (nxn), [m n ...] or m, n, ...."""
    if not args:
        return (1, 1)
    if len(args) == 1:
        v = np.asarray(_plain(value(args[0])), dtype=np.float64).reshape(-1, order="F")
        dims = [v[0], v[0]] if v.size == 1 else list(v)
    else:
        dims = []
        for a in args:
            v = np.asarray(_plain(value(a)), dtype=np.float64).reshape(-1)
            if v.size != 1:
                raise MatlabError(f"{what}: each size argument must be a scalar")
            dims.append(v[0])
    out = []
    for d in dims:
        if not np.isfinite(d) or d != np.floor(d):
            raise MatlabError(f"{what}: sizes must be integers, got {d:g}")
        out.append(_py.max(int(d), 0))  # MATLAB treats a negative size as 0
    return _mshape(out)


@matlab_function()
def double(x=None):
    """MATLAB ``double``: numbers, logical and char (their codes) as double; ``double([])`` is 0x0."""
    if type(x) is float or type(x) is int:
        return np.array([[float(x)]]).view(MArray)  # the common case (a literal, a size)
    if isinstance(x, list) and not isinstance(x, Cell):
        arr = np.array(x, dtype=np.float64)
        if arr.size == 0:
            return _wrap(np.zeros((0, 0)))
        return _wrap(arr if arr.ndim >= 2 else arr.reshape(1, -1))
    v = value(x)
    if isinstance(v, Cell) or callable(v):
        raise MatlabError("double: a cell array or function handle cannot be converted to double")
    return _wrap(_plain(v).astype(np.float64))


@matlab_function()
def logical(x):
    """MATLAB ``logical``: non-zero is true; NaN is an error."""
    v = value(x)
    if isinstance(v, Cell):
        raise MatlabError("logical: a cell array cannot be converted to logical")
    return _wrap(_truth(_plain(v), "logical"))


@matlab_function()
def char(x):
    """MATLAB ``char``: text (a ``str``) or character codes as a char array; ``''`` is 0x0."""
    if isinstance(x, str):
        codes = [ord(c) for c in x]
        if _py.any(c > 0xFFFF for c in codes):
            raise MatlabError("char: characters beyond U+FFFF have no MATLAB char code")
        arr = np.array([codes], dtype=np.uint16) if codes else np.zeros((0, 0), dtype=np.uint16)
        return _wrap(arr)
    v = value(x)
    if isinstance(v, Cell):
        raise MatlabError("char of a cell array (a padded char matrix) is outside rnncore translate's subset")
    a = _numeric(_plain(v))
    if np.any((a < 0) | (a > 0xFFFF) | (a != np.floor(a))):
        raise MatlabError("char: codes must be integers from 0 to 65535")
    return _wrap(a.astype(np.uint16))


def _text(x, what: str = "text") -> str:
    """A char row (or a ``str``) as a Python string."""
    if isinstance(x, str):
        return x
    v = value(x)
    if not isinstance(v, MArray) or v.dtype != _CHAR:
        raise MatlabError(f"{what} must be a char array")
    return "".join(map(chr, v.view(np.ndarray).reshape(-1, order="F").tolist()))


def cellarray(rows) -> Cell:
    """A cell array literal ``{a, b; c, d}`` from its rows (each a list of elements)."""
    rows = [r for r in rows if len(r)]
    if not rows:
        return Cell()
    width = len(rows[0])
    if _py.any(len(r) != width for r in rows):
        raise MatlabError("vertical dimensions mismatch in a cell array literal")
    obj = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):
        for j, item in enumerate(r):
            obj[i, j] = value(item)
    return _obj_to_cell(obj)


def function(fn: Callable) -> Callable:
    """Decorator of every translated MATLAB function: its arguments become MATLAB values.

    A caller from Python may pass plain numpy arrays, numbers, ``str`` and lists; ``None`` stands
    for an argument not given (``nargin`` counts the others).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # kwargs: nargout=, for a function that reads nargout
        args = [None if a is None else value(a) for a in args]
        if _QUIET.get():
            return fn(*args, **kwargs)
        # Floating-point warnings off once for the whole call (see _quietly), not per operation.
        token = _QUIET.set(True)
        try:
            with np.errstate(all="ignore"):
                return fn(*args, **kwargs)
        finally:
            _QUIET.reset(token)

    return wrapper


@matlab_function()
def true(*dims):
    """MATLAB ``true``, ``true(n)``, ``true(m, n, ...)``."""
    return _wrap(np.ones(_dims(dims, "true"), dtype=bool))


@matlab_function()
def false(*dims):
    """MATLAB ``false``, ``false(n)``, ``false(m, n, ...)``."""
    return _wrap(np.zeros(_dims(dims, "false"), dtype=bool))


@matlab_function()
def zeros(*dims):
    """MATLAB ``zeros``: ``zeros(n)`` is n x n, ``zeros(m, n, ...)``, ``zeros([m n ...])``."""
    return _wrap(np.zeros(_dims(dims, "zeros")))


@matlab_function()
def ones(*dims):
    """MATLAB ``ones``: sizes as for :func:`zeros`."""
    return _wrap(np.ones(_dims(dims, "ones")))


@matlab_function()
def eye(*dims):
    """MATLAB ``eye(n)`` or ``eye(m, n)``."""
    shape = _dims(dims, "eye")
    if len(shape) > 2:
        raise MatlabError("eye: an identity matrix has two dimensions")
    return _wrap(np.eye(shape[0], shape[1]))


@matlab_function()
def cell(*dims) -> Cell:
    """MATLAB ``cell(m, n)``: an m x n cell array of empty ``[]``."""
    shape = _dims(dims, "cell")
    return Cell([double([]) for _ in range(_prod(shape))], shape)


# --------------------------------------------------------------------------------------------


def if_and(a, right: Callable):
    """``if a & b`` (or ``while``): Octave does not evaluate b when a is one value that is false;
    otherwise it is ``a & b`` element by element, tested as MATLAB tests a condition."""
    return bool(sc_and(a, right))


def if_or(a, right: Callable):
    """``if a | b``: Octave does not evaluate b when a is one value that is true; otherwise ``a | b``."""
    return bool(sc_or(a, right))


def sc_and(a, right: Callable):
    """``a & b`` where Octave's parser made it short-circuit: the condition of an if/while and, within
    it, every ``&``/``|`` under another ``&``/``|`` (not under ``&&``, ``||`` or ``~``). A value: when
    a is one value, the truth of ``a & b`` (b not evaluated when a is false), else ``a & b``."""
    a = value(a) if not isinstance(a, bool) else a
    _logical_operand(a, "&")
    if isinstance(a, bool) or a.size == 1:
        return bool(a) and bool(value(a) & value(right()))
    return a & value(right())


def sc_or(a, right: Callable):
    """``a | b`` where Octave's parser made it short-circuit (see :func:`sc_and`)."""
    a = value(a) if not isinstance(a, bool) else a
    _logical_operand(a, "|")
    if isinstance(a, bool) or a.size == 1:
        return bool(a) or bool(value(a) | value(right()))
    return a | value(right())


def _logical_operand(a, op: str) -> None:
    """A cell array left of & or | in a condition: Octave's operator error (not a Python AttributeError)."""
    if isinstance(a, Cell):
        raise MatlabError(f"binary operator '{op}' not implemented for 'cell' by 'bool' operations")
