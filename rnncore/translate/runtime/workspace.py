"""Names, workspaces and calls: how a translated function meets its inputs, outputs and callers.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import inspect

import keyword
import sys
from typing import Callable, Mapping
import numpy as np

from .values import Cell, MArray, MatlabError, Struct, _CHAR, _DOUBLE, _Undefined, _text, double, undefined, value

__all__ = ["py_name", "matlab_name", "given", "outputs", "take", "workspace", "exist_var", "nargin", "call",
           "handle", "take_first", "take_outputs", "cslist"]


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
    if isinstance(v, Struct):
        from .structs import contract

        return contract(v)
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
    does only when the caller asks for it. A double array that only the returning function's
    variable holds (no other variable, argument, container or view: :func:`_sole_output`) is
    handed over as it is instead of copied: once the function returns, nobody else sees it.
    """
    out = {}
    for name in names:
        v = scope.get(py_name(name))
        if v is not None and not isinstance(v, _Undefined):
            if type(v) is MArray and _refcount(v) == _SOLE_OUTPUT_REFS and _sole_output(v):
                out[name] = v.view(np.ndarray)
            else:
                out[name] = _contract(v)
    return out


def _refcount(x) -> int:
    return sys.getrefcount(x)


def _base_refcount(v) -> int:
    return sys.getrefcount(v.base)


def _sole_output(v) -> bool:
    """A double array, C-contiguous (as a copy would be), owning its memory or the only holder of
    the array that owns it. With :func:`outputs`' count of ``v`` itself, nothing else can see it."""
    if v.dtype is not _DOUBLE or not v.flags.c_contiguous:
        return False
    if v.flags.owndata:
        return True
    # v.base read afresh each time: a local variable holding it would count as one more holder.
    return type(v.base) is np.ndarray and v.base.flags.owndata and _base_refcount(v) == _SOLE_OUTPUT_BASE_REFS


def _calibrate_outputs() -> tuple[int, int]:
    """The counts :func:`outputs` sees for an output that the function's variable alone holds, and
    for its base array: measured through the same steps (``mr.outputs(locals(), ...)`` called from
    a function, the value read from the scope into a variable), so that they hold on any CPython."""

    def probe(scope: Mapping, *names: str):
        for name in names:
            v = scope.get(py_name(name))
            return _refcount(v), _base_refcount(v)

    def translated():
        X = np.zeros((2, 2)).view(MArray)  # noqa: F841 - read through locals()
        return probe(locals(), "X")

    return translated()


_SOLE_OUTPUT_REFS, _SOLE_OUTPUT_BASE_REFS = _calibrate_outputs()


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


def call(f, *args, nargout: int = 1):
    """Call a function handle with MATLAB values; the result is a MATLAB value, or with ``nargout``
    above 1 (``[a, b] = f(x)``) a tuple of that many. Handles that can give several outputs (to
    functions with several, :func:`handle`, or anonymous functions whose body calls one) take a
    keyword ``nargout``; others give one."""
    if not callable(f) or isinstance(f, (MArray, Cell)):
        if nargout > 1:
            raise MatlabError(f"[...] = x(...) asks an array for {nargout} outputs; only a function gives several")
        raise MatlabError("only a function handle can be called")
    given = [value(a) for a in args]
    code = getattr(f, "__code__", None)
    if code is not None and f.__name__ == "<lambda>" and not code.co_flags & inspect.CO_VARARGS:
        if len(given) > code.co_argcount:
            raise MatlabError("@<anonymous>: function called with too many inputs")  # Octave's words
        # A parameter not given is undefined, an error only where the body reads it ('y' undefined)
        given += [undefined(name) for name in code.co_varnames[len(given):code.co_argcount]]
    if nargout <= 1:
        return value(f(*given))
    if not _takes_nargout(f):
        raise MatlabError(f"the function handle gives one output; it was asked for {nargout}")
    out = f(*given, nargout=nargout)
    return tuple(value(x) for x in out)


def _takes_nargout(f) -> bool:
    import inspect

    try:
        return "nargout" in inspect.signature(f).parameters
    except (TypeError, ValueError):
        return False  # a numpy ufunc or builtin: one output


def cslist(c) -> list:
    """The elements of ``c{:}`` passed as arguments (``f(varargin{:})``), in column-major order."""
    if not isinstance(c, Cell):
        raise MatlabError("c{:} needs a cell array")
    return list(c)


def take_outputs(result: Mapping, names: tuple, nargout: int):
    """The first ``nargout`` (at least one) outputs of a function whose last output is ``varargout``:
    the named ones, then the elements of the cell varargout, as MATLAB hands them out."""
    fixed = names[:-1]
    n = max(nargout, 1)
    out = [take(result, f) for f in fixed[:n]]
    extra = n - len(fixed)
    if extra > 0:
        if "varargout" not in result:
            raise MatlabError("output argument 'varargout' was not assigned a value by the called function")
        more = value(result["varargout"])
        if not isinstance(more, Cell) or len(more) < extra:
            got = len(more) if isinstance(more, Cell) else "no cell"
            raise MatlabError(f"the function was asked for {extra} outputs from varargout; it gave {got}")
        out += [value(x) for x in list(more)[:extra]]
    return out[0] if len(out) == 1 else tuple(out)


def take_first(result: Mapping, names: tuple, nargout: int):
    """The first ``nargout`` (at least one) of the named outputs, as :func:`take` gives them."""
    if names[-1:] == ("varargout",):
        return take_outputs(result, names, nargout)
    if nargout > len(names):
        raise MatlabError(f"the function was asked for {nargout} outputs; it has {len(names)}")
    return take(result, *names[:max(nargout, 1)])


def handle(fn, names: tuple, pass_nargout: bool = False):
    """``@f`` for a translated function ``fn`` with outputs ``names``: a callable giving the first
    output, or the first ``nargout`` (``pass_nargout``: ``fn`` reads nargout itself)."""

    def f(*args, nargout: int = 1):
        result = fn(*args, nargout=max(nargout, 1)) if pass_nargout else fn(*args)
        return take_first(result, names, nargout)

    f.__name__ = getattr(fn, "__name__", "handle")
    return f


# --------------------------------------------------------------------------------------------
