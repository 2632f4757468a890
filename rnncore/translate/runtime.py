"""MATLAB's semantics for the Python that ``rnncore translate`` writes (imported there as ``mr``).

Orientation, once: values have MATLAB's shapes (at least 2-D, a column is (n, 1), a scalar (1, 1),
trailing singleton dimensions beyond the second dropped), elements are ordered column-major, and
subscripts are 1-based, exactly as in the ``.m`` file; nothing here converts to 0-based or row-major
for the reader.

Values
------
=====================  ================================================================
MATLAB class           Python value inside a translated function
=====================  ================================================================
double                 :class:`MArray` of dtype float64
logical                :class:`MArray` of dtype bool
char                   :class:`MArray` of dtype uint16 (the character codes)
cell                   :class:`Cell` (a list of the elements in column-major order)
function_handle        a Python callable (``lambda``)
=====================  ================================================================

Why a subclass of ``numpy.ndarray``: numpy's operators disagree with MATLAB's in a few places that
give no error, just another number. ``True + True`` is ``True`` in numpy (logical or) and 2 in
MATLAB; uint16 arithmetic wraps around in numpy, while MATLAB's char arithmetic is double; numpy
broadcasts a (3, 4) array against a (3, 4, 2) one by adding dimensions on the *left*, MATLAB on the
*right*; ``(-8) ** (1/3)`` is NaN in numpy and complex in MATLAB. :meth:`MArray.__array_ufunc__`
settles all of these, so the generated code can keep numpy's own operators (``+ - * / **``,
comparisons, ``& | ~``) and element-wise functions (``np.tanh``, ``np.exp`` ...). ``if`` and
``while`` test an :class:`MArray` as MATLAB does (true when non-empty and all non-zero).

Value semantics: no function here changes an array in place; :func:`assign` returns a new array,
so an alias (``b = a``, a captured variable of a ``lambda``) never sees a later change of ``a``.

At the boundary of a translated function (:func:`outputs`, :func:`workspace`) values become the
port contract of rnncore's parity cases: float64 and bool numpy arrays, ``str`` for a 1xN char
row, a list (:class:`Cell`) for a cell array.

Complex numbers, integer classes, structs and strings (``"..."``) are outside the subset: an
operation that would produce a complex result raises :class:`MatlabError` instead.
"""

from __future__ import annotations

import builtins as _py
import functools
import itertools
import keyword
import math
import numbers
import re
import sys
from typing import Callable, Mapping

import numpy as np

__all__ = [
    # values
    "MArray", "Cell", "MatlabError", "ALL", "EPS", "undefined",
    "value", "double", "logical", "char", "cellarray", "function",
    # workspace and calls
    "py_name", "matlab_name", "given", "outputs", "take", "workspace", "exist_var", "nargin", "call",
    # indexing and growth
    "index", "assign", "delete", "content", "assign_content", "endof", "columns", "colon",
    "horzcat", "vertcat", "concat",
    # construction
    "zeros", "ones", "eye", "true", "false", "cell", "linspace", "repmat", "reshape",
    # arithmetic MATLAB spells differently from numpy
    "mtimes", "mrdivide", "mldivide", "mpower", "mod", "rem", "round", "bsxfun", "softmax",
    # sizes and predicates
    "size", "numel", "length", "ndims", "isempty", "iscell", "ischar", "islogical", "isnumeric", "isequal",
    # reductions and searches
    "max", "min", "sum", "mean", "prod", "cumsum", "cumprod", "any", "all", "nnz", "find", "sub2ind",
    "ismember", "norm",
    # text and console
    "fprintf", "sprintf", "disp", "display", "num2str", "error", "warning", "strcmp", "upper", "lower",
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
    if type(shape) is tuple and len(shape) == 2:
        return shape  # the common case, kept fast: numpy shapes are tuples of ints
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
# MArray


_LOGICAL_UFUNCS = {
    np.bitwise_and: np.logical_and, np.bitwise_or: np.logical_or, np.bitwise_xor: np.logical_xor,
    np.invert: np.logical_not, np.logical_and: np.logical_and, np.logical_or: np.logical_or,
    np.logical_xor: np.logical_xor, np.logical_not: np.logical_not,
}
# Element-wise functions whose real argument outside this range gives a complex result in MATLAB.
_REAL_DOMAIN = {np.sqrt: (0.0, np.inf), np.log: (0.0, np.inf), np.log2: (0.0, np.inf),
                np.log10: (0.0, np.inf), np.arcsin: (-1.0, 1.0), np.arccos: (-1.0, 1.0)}


class MArray(np.ndarray):
    """A MATLAB double, logical or char array: a numpy array whose operators follow MATLAB.

    Create one with :func:`value`, :func:`double`, :func:`logical` or :func:`char`, never by hand.
    """

    __array_priority__ = 20.0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
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
                args = [_numeric(a) for a in args]
                _check_real(ufunc, args)
            if len(args) == 2:
                args = _expand(args, ufunc.__name__)
            try:
                result = ufunc(*args, **kwargs)
            except ValueError as exc:
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
        raise MatlabError("a cell array cannot be an operand of an arithmetic or logical operator; "
                          "take its contents with c{k}")
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
            raise MatlabError(f"{ufunc.__name__} of a value outside [{lo:g}, {hi:g}] is complex in MATLAB; "
                              f"complex values are outside rnncore translate's subset")
    elif ufunc is np.power:
        base, expo = (np.asarray(a, dtype=np.float64) for a in args)
        try:
            base, expo = np.broadcast_arrays(*_expand([base, expo], "power"))
        except ValueError:
            return  # the operation itself reports the size mismatch
        if np.any((base < 0) & np.isfinite(expo) & (expo != np.floor(expo))):
            raise MatlabError("a negative number to a non-integer power is complex in MATLAB; complex values "
                              "are outside rnncore translate's subset")


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
        raise MatlabError(f"operator {op}: nonconformant arguments (op1 is {_dims_text(_mshape(sa))}, "
                          f"op2 is {_dims_text(_mshape(sb))})")
    return [a, b]


def _wrap(arr) -> MArray:
    """A numpy result as an MArray of MATLAB's shape and class."""
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
            raise MatlabError(f"internal: a {_dims_text(self.shape)} cell needs {_prod(self.shape)} elements, "
                              f"got {len(self)}")

    def __repr__(self):
        return f"Cell({list.__repr__(self)}, shape={self.shape})"

    @property
    def T(self):  # noqa: N802 - numpy's name, so that c' translates like A'
        obj = _cell_to_obj(self)
        return _obj_to_cell(obj.T) if obj.ndim == 2 else _refuse("transposing an N-D cell")

    def _refuse(self, *args):
        raise MatlabError("a cell array cannot be an operand of an arithmetic, comparison or logical "
                          "operator; take its contents with c{k}")

    __add__ = __radd__ = __iadd__ = __mul__ = __rmul__ = __imul__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = None

    def __bool__(self):
        raise MatlabError("a cell array cannot be used as a condition")


def _refuse(what: str):
    raise MatlabError(f"{what} is outside rnncore translate's subset")


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
    if isinstance(x, (MArray, Cell)):
        return x
    if isinstance(x, _Undefined):
        raise x.error()
    if isinstance(x, str):
        return char(x)
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
        raise MatlabError(f"a 1-D array of shape {arr.shape} has no MATLAB shape; pass ({arr.size}, 1) for a "
                          f"column or (1, {arr.size}) for a row")
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


def double(x=None):
    """MATLAB ``double``: numbers, logical and char (their codes) as double; ``double([])`` is 0x0."""
    if isinstance(x, list) and not isinstance(x, Cell):
        arr = np.array(x, dtype=np.float64)
        if arr.size == 0:
            return _wrap(np.zeros((0, 0)))
        return _wrap(arr if arr.ndim >= 2 else arr.reshape(1, -1))
    v = value(x)
    if isinstance(v, Cell) or callable(v):
        raise MatlabError("double: a cell array or function handle cannot be converted to double")
    return _wrap(_plain(v).astype(np.float64))


def logical(x):
    """MATLAB ``logical``: non-zero is true; NaN is an error."""
    v = value(x)
    if isinstance(v, Cell):
        raise MatlabError("logical: a cell array cannot be converted to logical")
    return _wrap(_truth(_plain(v), "logical"))


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
    def wrapper(*args):
        return fn(*(None if a is None else value(a) for a in args))

    return wrapper


def true(*dims):
    """MATLAB ``true``, ``true(n)``, ``true(m, n, ...)``."""
    return _wrap(np.ones(_dims(dims, "true"), dtype=bool))


def false(*dims):
    """MATLAB ``false``, ``false(n)``, ``false(m, n, ...)``."""
    return _wrap(np.zeros(_dims(dims, "false"), dtype=bool))


def zeros(*dims):
    """MATLAB ``zeros``: ``zeros(n)`` is n x n, ``zeros(m, n, ...)``, ``zeros([m n ...])``."""
    return _wrap(np.zeros(_dims(dims, "zeros")))


def ones(*dims):
    """MATLAB ``ones``: sizes as for :func:`zeros`."""
    return _wrap(np.ones(_dims(dims, "ones")))


def eye(*dims):
    """MATLAB ``eye(n)`` or ``eye(m, n)``."""
    shape = _dims(dims, "eye")
    if len(shape) > 2:
        raise MatlabError("eye: an identity matrix has two dimensions")
    return _wrap(np.eye(shape[0], shape[1]))


def cell(*dims) -> Cell:
    """MATLAB ``cell(m, n)``: an m x n cell array of empty ``[]``."""
    shape = _dims(dims, "cell")
    return Cell([double([]) for _ in range(_prod(shape))], shape)


# --------------------------------------------------------------------------------------------
# Names, workspaces, calls

_RESERVED = frozenset(keyword.kwlist) | {"np", "mr", "inputs", "locals", "bool"}


def py_name(name: str) -> str:
    """The Python name of a MATLAB identifier: a trailing ``_`` added to Python keywords and to the
    names the generated module itself uses (``in`` -> ``in_``, and then ``in_`` -> ``in__``)."""
    return name + "_" if name.rstrip("_") in _RESERVED else name


def matlab_name(name: str) -> str:
    """Inverse of :func:`py_name`."""
    return name[:-1] if name.endswith("_") and name.rstrip("_") in _RESERVED else name


def given(inputs: Mapping | None, name: str):
    """A variable of a script's workspace before it runs (the case's inputs), else :func:`undefined`."""
    if inputs is None or name not in inputs:
        return undefined(name)
    return value(inputs[name])


def nargin(*params) -> MArray:
    """MATLAB ``nargin``: how many arguments the caller gave (trailing ``None`` = not given)."""
    n = len(params)
    while n and params[n - 1] is None:
        n -= 1
    return double(n)


def exist_var(name, scope: Mapping) -> MArray:
    """MATLAB ``exist(name, 'var')`` (1 or 0, a double), from the ``locals()`` of the translated function."""
    v = scope.get(py_name(_text(name, "exist: the name")))
    return double(1 if v is not None and not isinstance(v, _Undefined) else 0)  # exist gives a double, 1 for a variable


def _contract(v):
    """A MATLAB value as the parity contract returns it (see the module docstring)."""
    if isinstance(v, Cell):
        return Cell([_contract(x) for x in v], v.shape)
    if isinstance(v, MArray):
        a = v.view(np.ndarray)
        if v.dtype == _CHAR:
            if a.ndim == 2 and a.shape[0] == 1:
                return _text(v)
            return a.copy()  # a char array other than a row ('' is 0x0) has no str form: its uint16 codes
        return a.copy()  # the caller may change it in place; the port's own arrays must not change
    return v


def outputs(scope: Mapping, *names: str) -> dict:
    """The outputs of a translated function, by name, as the parity contract returns them.

    An output the function never assigned is left out; :func:`take` then reports it, as MATLAB
    does only when the caller asks for it.
    """
    out = {}
    for name in names:
        v = scope.get(py_name(name))
        if v is not None and not isinstance(v, _Undefined):
            out[name] = _contract(v)
    return out


def take(result: Mapping, *names: str):
    """The named outputs of a translated function's result, as MATLAB values (one, or a tuple)."""
    values = []
    for name in names:
        if name not in result:
            raise MatlabError(f"output argument {name!r} was not assigned a value by the called function")
        values.append(value(result[name]))
    return values[0] if len(values) == 1 else tuple(values)


def workspace(scope: Mapping) -> dict:
    """Every variable a translated script leaves in its workspace (its ``locals()``), by MATLAB name."""
    out = {}
    for name, v in scope.items():
        if name.startswith("_") or name in ("inputs", "nargin") or v is None or isinstance(v, _Undefined):
            continue
        out[matlab_name(name)] = _contract(v)
    return out


def call(f, *args):
    """Call a function handle with MATLAB values; the result is a MATLAB value."""
    if not callable(f) or isinstance(f, (MArray, Cell)):
        raise MatlabError("only a function handle can be called")
    return value(f(*(value(a) for a in args)))


# --------------------------------------------------------------------------------------------
# Indexing


def _size_of(x) -> tuple[int, ...]:
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
        raise MatlabError("a subscript must be numeric or logical, not a cell array or function handle")
    a = v.view(np.ndarray)
    if a.dtype == _LOGICAL:
        flat = a.reshape(-1, order="F")
        idx = np.flatnonzero(flat)
        if not grow and idx.size and idx[-1] >= extent:
            raise MatlabError(f"index ({idx[-1] + 1}): out of bound {extent}")
        is_row = a.ndim == 2 and a.shape[0] == 1
        return idx, ((1, idx.size) if is_row else (idx.size, 1))
    flat = _numeric(a).reshape(-1, order="F")
    bad = ~np.isfinite(flat) | (flat != np.floor(flat)) | (flat < 1)
    if bad.any():
        raise MatlabError(f"index ({flat[bad][0]:g}): subscripts must be either integers 1 to (2^63)-1 or "
                          f"logicals")
    idx = flat.astype(np.int64) - 1
    if not grow and idx.size and idx.max() >= extent:
        raise MatlabError(f"index ({idx.max() + 1}): out of bound {extent}")
    return idx, _mshape(a.shape)


def _is_vector(shape) -> bool:
    return len(shape) == 2 and (shape[0] == 1 or shape[1] == 1)


def _fold(shape: tuple[int, ...], n: int) -> tuple[int, ...]:
    """The shape seen by n subscripts: the last one spans every remaining dimension."""
    if n < len(shape):
        return shape[:n - 1] + (_prod(shape[n - 1:]),)
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
    if isinstance(A, _Undefined):
        raise A.error()
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
        raise MatlabError(f"c{{...}} selects {sel.size} elements here; a comma-separated list is outside "
                          f"rnncore translate's subset")
    return sel[0]


def endof(A, k: int, n: int) -> int:
    """The value of ``end`` in subscript k of n: the size of dimension k, or of every remaining
    dimension together when k is the last subscript. A variable not created yet has size 0x0."""
    shape = (0, 0) if isinstance(A, _Undefined) else _size_of(A)
    if k < n:
        return shape[k - 1] if k - 1 < len(shape) else 1
    return _prod(shape[k - 1:]) if k - 1 < len(shape) else 1


def _convert_for(a_dtype, v: np.ndarray) -> np.ndarray:
    """The assigned values in the class of the array they go into (Octave's rules)."""
    if v.dtype == a_dtype:
        return v
    if a_dtype == _DOUBLE:
        return v.astype(np.float64)
    if a_dtype == _LOGICAL:
        return _truth(v, "assignment to a logical array")
    if a_dtype == _CHAR:
        return np.asarray(_plain(char(_wrap(v))))
    return v


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
        n = a.size
        if subs[0] is ALL:
            if v.size == 1:
                new = np.empty(a.shape, dtype=a.dtype)
                new[...] = v.reshape(-1)[0] if a.dtype != object else None
                if a.dtype == object:
                    for i in np.ndindex(new.shape):
                        new[i] = v.reshape(-1)[0]
                return new
            if v.size != n:
                raise MatlabError(f"A(:) = X: X must have {n} elements, it has {v.size}")
            return v.reshape(-1, order="F").reshape(shape, order="F").astype(a.dtype)
        idx, _ = _subscript(subs[0], n, grow=True)
        need = int(idx.max()) + 1 if idx.size else 0
        if need > n:
            if n == 0 and shape[1] != 1 or shape[0] == 1 and len(shape) == 2:
                newshape = (1, need)
            elif len(shape) == 2 and shape[1] == 1:
                newshape = (need, 1)
            else:
                raise MatlabError(f"A(I) = X: cannot grow a {_dims_text(shape)} array by linear index {need} "
                                  f"(Octave: resize ambiguous)")
        else:
            newshape = shape
        flat = np.full(_py.max(need, n), fill, dtype=a.dtype) if a.dtype != object else np.empty(_py.max(need, n), object)
        if a.dtype == object:
            for i in range(n, flat.size):
                flat[i] = fill
        flat[:n] = a.reshape(-1, order="F")
        if v.size != 1 and v.size != idx.size:
            raise MatlabError(f"=: nonconformant arguments (op1 is 1x{idx.size}, op2 is {_dims_text(vshape)})")
        _set_grid(flat, [idx], v.reshape(-1, order="F"), (idx.size,))
        return flat.reshape(newshape, order="F")

    simple = _simple(subs, shape) if a.dtype != object else None
    if simple is not None:
        grid = tuple(1 if isinstance(sl, slice) and sl.stop is not None else d for sl, d in zip(simple, shape))
        if v.size == 1 or [d for d in grid if d != 1] == [d for d in vshape if d != 1]:
            new = a.reshape(shape).copy()
            new[simple] = v.reshape(()) if v.size == 1 else v.reshape(grid, order="F")
            return new
    folded = len(subs) < len(shape)
    work = _fold(shape, len(subs))
    vdims = [d for d in vshape if d != 1]
    idxs, vpos = [], 0
    for k, s in enumerate(subs):
        if s is ALL and work[k] == 0:  # ':' over an empty dimension takes its length from the value
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
    if folded and newshape != work:
        raise MatlabError(f"A(I,J,...) = X: cannot grow a {_dims_text(shape)} array through {len(subs)} subscripts")
    grid = tuple(len(i) for i in idxs)
    if v.size != 1 and [d for d in grid if d != 1] != vdims:
        raise MatlabError(f"=: nonconformant arguments (op1 is {_dims_text(_mshape(grid))}, "
                          f"op2 is {_dims_text(vshape)})")
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




def assign(A, *subs, value):  # noqa: A002 - `value` reads as MATLAB's right-hand side
    """MATLAB ``A(s1, ...) = value``: a new array. Growth past the end zero-fills (MATLAB's rule for a
    vector grown by a linear index keeps its orientation; ``[]`` grows into a row); ``A`` may be
    :func:`undefined`, and then takes the class of ``value``."""
    v = _value(value)
    if isinstance(A, _Undefined):
        A = Cell() if isinstance(v, Cell) else _wrap(np.zeros((0, 0), dtype=v.dtype))
    if isinstance(A, Cell):
        if not isinstance(v, Cell):
            raise MatlabError("c(i) = x needs a cell on the right (c(i) = {x}), or use c{i} = x")
        return _obj_to_cell(_assign_array(_cell_to_obj(A), subs, _cell_to_obj(v), double([])))
    if isinstance(v, Cell):
        raise MatlabError("a cell array cannot be assigned into a numeric, logical or char array")
    if callable(A) or callable(v):
        raise MatlabError("function handles cannot be indexed into or assigned into arrays")
    a = _value(A).view(np.ndarray)
    vv = _convert_for(a.dtype, v.view(np.ndarray))
    return _wrap(_assign_array(a, subs, vv, 0))


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
        keep = np.ones(flat.size, dtype=bool)
        keep[idx] = False
        rest = flat[keep]
        return rest.reshape(-1, 1) if len(shape) == 2 and shape[1] == 1 and shape[0] != 1 else rest.reshape(1, -1)
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
        obj = _cell_to_obj(A)
        obj = obj.reshape(obj.shape[0], -1, order="F")
        for j in range(obj.shape[1]):
            yield _obj_to_cell(obj[:, j:j + 1])
        return
    a = value(A).view(np.ndarray)
    a = a.reshape(a.shape[0], -1, order="F")
    for j in range(a.shape[1]):
        yield _wrap(a[:, j:j + 1])


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


def colon(a, b, c=None):
    """MATLAB's range ``a:b`` or ``a:step:limit`` (``colon(a, step, limit)``), as a 1xN row.

    The number of elements and the elements themselves follow Octave's range arithmetic (a
    tolerant floor of ``(limit - base + inc) / inc``; element i is ``base + i*inc``, the last one
    clipped to ``limit``), so non-integer steps give the same doubles as the reference engine.
    """
    is_char = _py.all(isinstance(value(x), MArray) and value(x).dtype == _CHAR for x in ((a, b) if c is None else (a, c)))
    base, inc, limit = (_scalar(a, "colon base"), 1.0, _scalar(b, "colon limit")) if c is None else \
        (_scalar(a, "colon base"), _scalar(b, "colon increment"), _scalar(c, "colon limit"))
    if not (math.isfinite(base) and math.isfinite(inc)) or math.isnan(limit):
        raise MatlabError("colon: a range needs a finite base and increment")
    if inc == 0 or (inc > 0 and base > limit) or (inc < 0 and base < limit):
        n = 0
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
    return char(_wrap(row)) if is_char else _wrap(row)


# --------------------------------------------------------------------------------------------
# Concatenation


def _cat(items, axis: int):
    vals = [value(x) for x in items]
    if _py.any(isinstance(v, Cell) for v in vals):
        if not _py.all(isinstance(v, Cell) for v in vals):
            raise MatlabError("concatenation of a cell array with a non-cell value; wrap the value in {}")
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
        kept = [np.asarray(_plain(char(_wrap(a)))) for a in kept]
    elif arrays and _py.all(a.dtype == _LOGICAL for a in arrays):
        dtype = _LOGICAL
    else:
        dtype = _DOUBLE
        kept = [a.astype(np.float64) for a in kept]
    if not kept:
        return _wrap(np.zeros((0, 0), dtype=dtype))
    return _wrap(_concat_arrays(kept, axis))


def _concat_arrays(arrays, axis: int) -> np.ndarray:
    nd = _py.max(a.ndim for a in arrays)
    arrays = [a.reshape(a.shape + (1,) * (nd - a.ndim)) for a in arrays]
    # MATLAB also skips empty operands whose other dimensions do not fit ([zeros(1,0), 5] is 5)
    fits = [a for a in arrays if a.shape[axis] > 0 or _py.all(a.shape[k] == arrays[0].shape[k]
                                                          for k in range(nd) if k != axis)]
    arrays = [a for a in fits if a.size > 0] or fits[:1]
    first = arrays[0]
    for a in arrays[1:]:
        if _py.any(a.shape[k] != first.shape[k] for k in range(nd) if k != axis):
            what = "horizontal" if axis == 1 else "vertical"
            raise MatlabError(f"{what} dimensions mismatch ({_dims_text(_mshape(first.shape))} vs "
                              f"{_dims_text(_mshape(a.shape))})")
    return np.concatenate(arrays, axis=axis)


def horzcat(*items):
    """MATLAB ``[a, b, ...]``."""
    return _cat(items, 1)


def vertcat(*items):
    """MATLAB ``[a; b; ...]``."""
    return _cat(items, 0)


def concat(rows):
    """MATLAB ``[a, b; c, d]``: each row concatenated horizontally, then the rows vertically."""
    return vertcat(*[horzcat(*r) for r in rows])


# --------------------------------------------------------------------------------------------
# Arithmetic MATLAB spells differently from numpy


def _num_array(x, what: str) -> np.ndarray:
    v = value(x)
    if not isinstance(v, MArray):
        raise MatlabError(f"{what}: operands must be numeric, logical or char arrays")
    return _numeric(v.view(np.ndarray))


def mtimes(a, b):
    """MATLAB ``a * b``: a matrix product, or element-wise when either side is a scalar."""
    x, y = _num_array(a, "operator *"), _num_array(b, "operator *")
    if x.size == 1 or y.size == 1:
        return _wrap(x) * _wrap(y)
    if x.ndim > 2 or y.ndim > 2:
        raise MatlabError("operator *: not defined for N-D arrays")
    if x.shape[1] != y.shape[0]:
        raise MatlabError(f"operator *: nonconformant arguments (op1 is {_dims_text(x.shape)}, "
                          f"op2 is {_dims_text(y.shape)})")
    with np.errstate(all="ignore"):
        return _wrap(x @ y)


def mldivide(a, b):
    """MATLAB ``a \\ b``: solve ``a*x = b`` (least squares when a is not square); element-wise
    ``b ./ a`` when a is a scalar."""
    x, y = _num_array(a, "operator \\"), _num_array(b, "operator \\")
    if x.size == 1:
        return _wrap(y) / x.reshape(())
    if x.ndim > 2 or y.ndim > 2 or x.shape[0] != y.shape[0]:
        raise MatlabError(f"operator \\: nonconformant arguments (op1 is {_dims_text(_mshape(x.shape))}, "
                          f"op2 is {_dims_text(_mshape(y.shape))})")
    with np.errstate(all="ignore"):
        if x.shape[0] == x.shape[1]:
            try:
                return _wrap(np.linalg.solve(x, y))
            except np.linalg.LinAlgError:
                raise MatlabError("operator \\: the matrix is singular") from None
        return _wrap(np.linalg.lstsq(x, y, rcond=None)[0])


def mrdivide(a, b):
    """MATLAB ``a / b``: element-wise when b is a scalar, else ``(b' \\ a')'``."""
    x, y = _num_array(a, "operator /"), _num_array(b, "operator /")
    if y.size == 1:
        return _wrap(x) / _wrap(y)
    return mldivide(_wrap(y.T), _wrap(x.T)).T


def mpower(a, b):
    """MATLAB ``a ^ b``: a power of scalars, or an integer power of a square matrix."""
    x, y = _num_array(a, "operator ^"), _num_array(b, "operator ^")
    if x.size == 1 and y.size == 1:
        return _wrap(x) ** _wrap(y)
    if y.size == 1 and x.ndim == 2 and x.shape[0] == x.shape[1] and float(y.reshape(())) == int(y.reshape(())):
        p = int(y.reshape(()))
        with np.errstate(all="ignore"):
            if p < 0:
                return _wrap(np.linalg.matrix_power(np.linalg.inv(x), -p))
            return _wrap(np.linalg.matrix_power(x, p))
    raise MatlabError("operator ^: only scalars, and square matrices to an integer power, are in "
                      "rnncore translate's subset (use .^ for an element-wise power)")


def mod(a, b):
    """MATLAB ``mod``: ``a - floor(a./b).*b`` with the sign of b; ``mod(a, 0)`` is a."""
    x, y = np.broadcast_arrays(*_expand([_num_array(a, "mod"), _num_array(b, "mod")], "mod"))
    with np.errstate(all="ignore"):
        q = x / y
        n = np.floor(q)
        r = x - y * n
        near = (y != np.round(y)) & (np.abs((q - np.round(q)) / np.round(q)) < EPS)
        r = np.where(near, 0.0, r)
        r = np.where((x != y) & (y != 0), np.copysign(np.abs(r), y), r)
        r = np.where(y == 0, x, r)
    return _wrap(r)


def rem(a, b):
    """MATLAB ``rem``: ``a - fix(a./b).*b`` with the sign of a; ``rem(a, 0)`` is NaN."""
    x, y = np.broadcast_arrays(*_expand([_num_array(a, "rem"), _num_array(b, "rem")], "rem"))
    with np.errstate(all="ignore"):
        q = x / y
        r = x - y * np.trunc(q)
        near = (y != np.round(y)) & (np.abs((q - np.round(q)) / np.round(q)) < EPS)
        r = np.where(near, 0.0, r)
        r = np.where((x != y) & (y != 0), np.copysign(np.abs(r), x), r)
        r = np.where(y == 0, np.nan, r)
    return _wrap(r)


def round(x):  # noqa: A001 - MATLAB's name
    """MATLAB ``round``: halves away from zero (numpy's ``np.round`` rounds them to even)."""
    a = _num_array(x, "round")
    t = np.trunc(a)
    return _wrap(t + np.where(np.abs(a - t) >= 0.5, np.sign(a), 0.0))


def bsxfun(f, a, b):
    """MATLAB ``bsxfun(f, a, b)``: f applied with singleton expansion (f a handle)."""
    return call(f, a, b)


def softmax(n):
    """The Deep Learning Toolbox ``softmax`` (column-wise): :func:`rnncore.course.softmax.softmax`."""
    from rnncore.course.softmax import softmax as course_softmax

    return _wrap(course_softmax(_num_array(n, "softmax")))


# --------------------------------------------------------------------------------------------
# Sizes and predicates


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
    out.append(_prod(shape[nargout - 1:]) if nargout - 1 < len(shape) else 1)
    return tuple(double(d) for d in out)


def numel(A):
    """MATLAB ``numel``."""
    return double(_prod(_size_of(A)))


def length(A):
    """MATLAB ``length``: the largest dimension, 0 for an empty array."""
    shape = _size_of(A)
    return double(0 if 0 in shape else _py.max(shape))


def ndims(A):
    """MATLAB ``ndims``."""
    return double(len(_size_of(A)))


def isempty(A):
    """MATLAB ``isempty``."""
    return logical(0 in _size_of(A))


def iscell(A):
    A = value(A)
    return logical(isinstance(A, Cell))


def ischar(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _CHAR)


def islogical(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _LOGICAL)


def isnumeric(A):
    A = value(A)
    return logical(isinstance(A, MArray) and A.dtype == _DOUBLE)


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


# --------------------------------------------------------------------------------------------
# Reductions and searches


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
        return _wrap(_accumulate(np.add, a, _reduce_dim(a, dim), 0.0))


def prod(A, dim=None):
    """MATLAB ``prod``; ``prod([])`` is 1."""
    a = _num_array(A, "prod")
    if a.shape == (0, 0) and dim is None:
        return double(1)
    with np.errstate(all="ignore"):
        return _wrap(_accumulate(np.multiply, a, _reduce_dim(a, dim), 1.0))


def mean(A, dim=None):
    """MATLAB ``mean``: ``sum(A, dim) / size(A, dim)``; ``mean([])`` is NaN."""
    a = _num_array(A, "mean")
    if a.shape == (0, 0) and dim is None:
        return double(np.nan)
    axis = _reduce_dim(a, dim)
    n = _along(a, axis).shape[axis]
    with np.errstate(all="ignore"):
        return _wrap(_accumulate(np.add, a, axis, 0.0) / n)


def cumsum(A, dim=None):
    """MATLAB ``cumsum``."""
    a = _num_array(A, "cumsum")
    with np.errstate(all="ignore"):
        return _wrap(np.cumsum(_along(a, _reduce_dim(a, dim)), axis=_reduce_dim(a, dim)))


def cumprod(A, dim=None):
    """MATLAB ``cumprod``."""
    a = _num_array(A, "cumprod")
    with np.errstate(all="ignore"):
        return _wrap(np.cumprod(_along(a, _reduce_dim(a, dim)), axis=_reduce_dim(a, dim)))


def _is_placeholder(x) -> bool:
    """The ``[]`` of ``max(A, [], dim)`` and ``reshape(A, m, [])``."""
    if isinstance(x, list) and not isinstance(x, Cell):
        return len(x) == 0
    return isinstance(x, MArray) and x.size == 0


def _extremum(name: str, fmax, A, B, dim, nargout: int):
    if B is not None and not _is_placeholder(B):
        if dim is not None or nargout > 1:
            raise MatlabError(f"{name}(A, B) compares element by element: it takes no dim and has one output")
        x, y = _num_array(A, name), _num_array(B, name)
        with np.errstate(all="ignore"):
            out = fmax(*_expand([x, y], name))  # NaN is ignored, as in MATLAB
        both_logical = value(A).dtype == _LOGICAL and value(B).dtype == _LOGICAL
        return _wrap(out.astype(bool) if both_logical else out)
    v = value(A)
    a = _num_array(v, name)
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
    out = _wrap(m.astype(bool) if v.dtype == _LOGICAL else m)
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
    """MATLAB ``any`` along the first non-singleton dimension (or ``dim``); ``any([])`` is false."""
    a = _num_array(A, "any")
    if a.shape == (0, 0) and dim is None:
        return false()
    axis = _reduce_dim(a, dim)
    return _wrap(np.any(_along(a, axis) != 0, axis=axis, keepdims=True))


def all(A, dim=None):  # noqa: A001 - MATLAB's name
    """MATLAB ``all``; ``all([])`` is true."""
    a = _num_array(A, "all")
    if a.shape == (0, 0) and dim is None:
        return true()
    axis = _reduce_dim(a, dim)
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
    dims = _fold(tuple(dims), len(arrays)) if len(arrays) <= len(dims) else tuple(dims) + (1,) * (len(arrays) - len(dims))
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
    kind = 2 if p is None else (_text(p) if isinstance(p, str) or (isinstance(value(p), MArray) and value(p).dtype == _CHAR)
                                else _scalar(p, "norm: p"))
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
    dims = list(_dims(reps, "repmat")) if len(reps) != 1 or _num_array(reps[0], "repmat").size != 1 \
        else [int(_scalar(reps[0], "repmat"))] * 2
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
# Text and console

_SPEC = re.compile(r"%(?P<flags>[-+ 0#]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?(?P<conv>[diouxXfFeEgGcs])")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v", '"': '"',
            "'": "'"}


def _unescape(fmt: str) -> str:
    """The escape sequences fprintf and sprintf interpret in their format (not in their data)."""
    out, i = [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "\\" and i + 1 < len(fmt):
            nxt = fmt[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            m = re.match(r"x([0-9a-fA-F]{1,4})|([0-7]{1,3})", fmt[i + 1:])
            if m:
                out.append(chr(int(m.group(1), 16) if m.group(1) else int(m.group(2), 8)))
                i += 1 + m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _format_number(spec: re.Match, x: float) -> str:
    flags, width, prec, conv = spec["flags"], spec["width"] or "", spec["prec"], spec["conv"]
    if not math.isfinite(x):
        text = "NaN" if math.isnan(x) else ("Inf" if x > 0 else "-Inf")
        if "+" in flags and x > 0:
            text = "+" + text
        return f"%{'-' if '-' in flags else ''}{width}s" % text
    if conv in "diouxXc" and x != math.floor(x):
        conv = "g"  # Octave prints a non-integer given to an integer conversion with %g (same flags)
    elif conv == "c":
        return f"%{'-' if '-' in flags else ''}{width}s" % chr(int(x))
    elif conv in "diu":
        conv = "d"
    precision = f".{prec}" if prec is not None else ""
    fmt = f"%{flags}{width}{precision}{conv}"
    return fmt % (int(x) if conv in "doxX" else x)


def _format(fmt, args) -> str:
    """MATLAB's sprintf: the format is applied to the data (every argument's elements, column-major;
    a char argument met by %s is taken whole) again and again until the data run out."""
    text = _unescape(_text(fmt, "the format"))
    parts = []  # literal strings and conversion matches, in order
    pos = 0
    while pos < len(text):
        pct = text.find("%", pos)
        if pct < 0:
            parts.append(text[pos:])
            break
        if pct > pos:
            parts.append(text[pos:pct])
        if text.startswith("%%", pct):
            parts.append("%")
            pos = pct + 2
            continue
        m = _SPEC.match(text, pct)
        if not m or "*" in (m["width"] or "") or "*" in (m["prec"] or ""):
            raise MatlabError(f"the format conversion at {text[pct:pct + 6]!r} is outside rnncore translate's subset")
        parts.append(m)
        pos = m.end()
    data: list = []
    for a in args:
        v = value(a)
        if isinstance(v, Cell):
            raise MatlabError("sprintf: wrong type argument 'cell'")
        arr = v.view(np.ndarray).reshape(-1, order="F")
        if v.dtype == _CHAR:
            data.append(_text(v))
        else:
            data.extend(float(x) for x in arr.astype(np.float64))
    convs = [p for p in parts if not isinstance(p, str)]
    if not convs:
        return "".join(parts)
    if not args:
        return ""
    out, k = [], 0
    while True:
        for p in parts:
            if isinstance(p, str):
                out.append(p)
                continue
            if k >= len(data):
                if _py.all(isinstance(d, str) and not d for d in data) or not data:
                    out.append("")
                    continue
                return "".join(out)
            item = data[k]
            if isinstance(item, str):
                if p["conv"] == "s":
                    out.append(f"%{p['flags']}{p['width'] or ''}{'.' + p['prec'] if p['prec'] else ''}s" % item)
                    k += 1
                    continue
                data[k:k + 1] = [float(ord(c)) for c in item]  # a numeric conversion takes codes
                if k >= len(data):
                    return "".join(out)
                item = data[k]
            if p["conv"] == "s":
                if item != math.floor(item):
                    raise MatlabError("a non-integer number printed with %s is outside rnncore translate's subset")
                out.append(f"%{p['flags']}{p['width'] or ''}s" % chr(int(item)))
            else:
                out.append(_format_number(p, item))
            k += 1
        if k >= len(data):
            return "".join(out)


def sprintf(fmt, *args):
    """MATLAB ``sprintf``: the formatted text as a char row (1x0 when empty)."""
    text = _format(fmt, args)
    return char(text) if text else _wrap(np.zeros((1, 0), dtype=np.uint16))


def fprintf(fmt, *args) -> None:
    """MATLAB ``fprintf(format, ...)`` to the console (``fprintf(1, ...)`` too)."""
    if not isinstance(fmt, str) and isinstance(value(fmt), MArray) and value(fmt).dtype != _CHAR:
        fid = _scalar(fmt, "fprintf: fid")
        if fid not in (1.0, 2.0) or not args:
            raise MatlabError("fprintf: only the console (fid 1 or 2) is in rnncore translate's subset")
        stream = sys.stdout if fid == 1 else sys.stderr
        stream.write(_format(args[0], args[1:]))
        return
    sys.stdout.write(_format(fmt, args))


def num2str(x):
    """MATLAB ``num2str`` of a number or a row of numbers (char stays char), as Octave 7 formats it:
    integers with ``%{digits+3}.0f``, others with ``%{n+7}.{n}g`` where n = max(log10 of the
    largest magnitude + 5, 5) capped at 16, logicals with ``%3d``; one field per column, trimmed."""
    v = value(x)
    if isinstance(v, MArray) and v.dtype == _CHAR:
        return v
    a = _num_array(v, "num2str")
    if a.size == 0:
        return char("")
    if a.ndim > 2 or a.shape[0] > 1:
        raise MatlabError("num2str of a matrix (a char matrix) is outside rnncore translate's subset")
    vals = a.reshape(-1)
    if v.dtype == _LOGICAL:
        spec = "%3d"
    else:
        valid = vals[np.isfinite(vals)]
        top = np.max(np.abs(valid)) if valid.size else 0.0
        ndgt = int(math.floor(math.log10(top))) if top > 0 else 0
        if ndgt > 15 or np.any(valid != np.trunc(valid)):
            ndgt = _py.min(_py.max(ndgt + 5, 5), 16)
            spec = f"%{ndgt + 7}.{ndgt}g"
        else:
            ndgt += 3
            if valid.size < vals.size:
                ndgt = _py.max(ndgt, 5)
            spec = f"%{ndgt}.0f"
    match = _SPEC.match(spec)
    return char("".join(_format_number(match, float(x)) for x in vals).strip())


def _show(v) -> str:
    """A readable rendering of a value for disp/display (console only; not compared)."""
    if isinstance(v, Cell):
        return "{" + ", ".join(_show(x) for x in v) + "}"
    if callable(v) and not isinstance(v, np.ndarray):
        return "@<anonymous function>"
    v = value(v)
    a = v.view(np.ndarray)
    if a.size == 0:
        return "" if v.dtype == _CHAR else f"[]({_dims_text(_mshape(a.shape))})"
    if v.dtype == _CHAR:
        if a.ndim == 2:
            return "\n".join("".join(map(chr, row)) for row in a.tolist())
        return repr(a)
    if a.size == 1:
        x = a.reshape(())
        return str(int(x)) if v.dtype == _LOGICAL or float(x).is_integer() else f"{float(x):.4f}"
    if a.ndim == 2:
        ints = v.dtype == _LOGICAL or np.all(a[np.isfinite(a)] == np.floor(a[np.isfinite(a)]))
        rows = [" ".join((f"{int(x):>6d}" if np.isfinite(x) else f"{x:>6}") if ints else f"{x:>10.4f}"
                         for x in row) for row in a.astype(np.float64).tolist()]
        return "\n".join(rows)
    return repr(a)


def disp(x) -> None:
    """MATLAB ``disp``: the value on the console (formatting approximates MATLAB's)."""
    print(_show(x))


def display(name: str, x) -> None:
    """What MATLAB prints for a statement without a semicolon: ``name = value``."""
    text = _show(x)
    print(f"{name} = {text}" if "\n" not in text else f"{name} =\n\n{text}\n")


def error(*args):
    """MATLAB ``error(msg)``, ``error(fmt, ...)``, ``error(id, fmt, ...)``: raises :class:`MatlabError`."""
    if not args:
        raise MatlabError("error: called with no message")
    first = _text(args[0], "error: the message")
    ident = ""
    rest = args[1:]
    if rest and re.fullmatch(r"[A-Za-z][\w-]*(:[\w-]+)+", first):
        ident, first, rest = first, _text(rest[0], "error: the format"), rest[1:]
    message = _format(first, rest) if rest or ident else first
    raise MatlabError(message, identifier=ident)


def warning(*args) -> None:
    """MATLAB ``warning(fmt, ...)`` to stderr; ``warning('off'|'on', ...)`` changes nothing here."""
    if not args:
        return
    first = _text(args[0], "warning: the message")
    if first in ("off", "on", "query", "error"):
        return
    rest = args[1:]
    if rest and re.fullmatch(r"[A-Za-z][\w-]*(:[\w-]+)+", first):
        first, rest = _text(rest[0]), rest[1:]
    sys.stderr.write("warning: " + (_format(first, rest) if rest else first) + "\n")


def strcmp(a, b):
    """MATLAB ``strcmp``: true when both are the same text; element-wise against a cell array."""
    va, vb = value(a), value(b)
    if isinstance(va, Cell) or isinstance(vb, Cell):
        cells, other = (va, vb) if isinstance(va, Cell) else (vb, va)
        if isinstance(other, Cell):
            if other.shape != cells.shape:
                raise MatlabError("strcmp: cell arrays of different sizes")
            res = [_is_text(x) and _is_text(y) and _same_text(x, y) for x, y in zip(cells, other)]
        else:
            res = [_is_text(x) and _is_text(other) and _same_text(x, other) for x in cells]
        return _wrap(np.array(res, dtype=bool).reshape(cells.shape, order="F"))
    return logical(_is_text(va) and _is_text(vb) and _same_text(va, vb))


def _is_text(v) -> bool:
    return isinstance(v, MArray) and v.dtype == _CHAR


def _same_text(x, y) -> bool:
    return _mshape(x.shape) == _mshape(y.shape) and np.array_equal(x.view(np.ndarray), y.view(np.ndarray))


def upper(s):
    """MATLAB ``upper`` of a char array."""
    return char(_text(s, "upper").upper()) if _mshape(value(s).shape)[0] <= 1 else _refuse("upper of a char matrix")


def lower(s):
    """MATLAB ``lower`` of a char array."""
    return char(_text(s, "lower").lower()) if _mshape(value(s).shape)[0] <= 1 else _refuse("lower of a char matrix")
