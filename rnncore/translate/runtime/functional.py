"""A function applied to every element (``cellfun``, ``arrayfun``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
One output per call (a handle written by the translator gives its function's first output);
``'UniformOutput'`` is the only option.
"""

from __future__ import annotations

import builtins as _py
import importlib

import numpy as np

from .values import Cell, MArray, MatlabError, _CHAR, _obj_to_cell, _text, _wrap, value
from .workspace import call
from .registry import MATLAB_FUNCTIONS, matlab_function

__all__ = ["cellfun", "arrayfun"]

# cellfun's names that Octave evaluates itself (for speed), with their meaning on one element
_LEGACY = {
    "isempty": lambda x: 0 in _shape(x),
    "length": lambda x: 0 if 0 in _shape(x) else _py.max(_shape(x)),
    "ndims": lambda x: len(_shape(x)),
    "numel": lambda x: int(np.prod(_shape(x))),
    "prodofsize": lambda x: int(np.prod(_shape(x))),
    "isreal": lambda x: isinstance(x, MArray),
}


def _shape(x) -> tuple:
    return tuple(x.shape)


def _is_text(x) -> bool:
    v = value(x) if not isinstance(x, str) else x
    return isinstance(v, str) or (isinstance(v, MArray) and v.dtype == _CHAR)


def _split_options(what: str, args: tuple) -> tuple[list, bool]:
    """The data arguments and the UniformOutput flag (options are name/value pairs at the end)."""
    data, uniform = list(args), True
    while len(data) >= 2 and _is_text(data[-2]):
        name = _text(data[-2], f"{what}: option name").lower()
        if name != "uniformoutput":
            raise MatlabError(f"{what}: the option '{name}' is outside rnncore translate's subset")
        flag = value(data[-1])
        if not isinstance(flag, MArray) or flag.size != 1:
            raise MatlabError(f"{what}: UniformOutput must be a logical scalar")
        uniform = bool(flag.reshape(-1)[0])
        data = data[:-2]
    if not data:
        raise MatlabError(f"{what}: no data to apply the function to")
    return data, uniform


def _function(what: str, f):
    if _is_text(f):
        name = _text(f, f"{what}: function name")
        if what == "cellfun" and name in _LEGACY:
            rule = _LEGACY[name]
            return lambda x: _wrap(np.array(rule(x)))
        if name not in MATLAB_FUNCTIONS:
            raise MatlabError(f"{what}: the function '{name}' is not one rnncore translate supports")
        runtime = importlib.import_module(__package__)  # the package: every registered function by name
        return getattr(runtime, MATLAB_FUNCTIONS[name].python)
    if not callable(f) or isinstance(f, (MArray, Cell)):
        raise MatlabError(f"{what}: the first argument must be a function handle or name")
    return f


def _collect(what: str, results: list, shape: tuple, uniform: bool):
    if not uniform:
        obj = np.empty(len(results), dtype=object)
        for k, r in enumerate(results):
            obj[k] = r
        return _obj_to_cell(obj.reshape(shape, order="F"))
    if not results:
        return _wrap(np.zeros(shape))
    classes = set()
    values = []
    for k, r in enumerate(results):
        if not isinstance(r, MArray) or r.size != 1:
            raise MatlabError(
                f"{what}: all values must be scalars when UniformOutput = true; use the 'UniformOutput', "
                "false options"
            )
        classes.add(r.dtype)
        values.append(r.reshape(-1)[0])
    if len(classes) > 1:
        raise MatlabError(f"{what}: return values must be of the same type (element 1 and a later one differ)")
    dtype = classes.pop()
    return _wrap(np.array(values, dtype=dtype).reshape(shape, order="F"))


@matlab_function()
def cellfun(f, *args):
    """MATLAB ``cellfun(f, C, ...)``: f applied to the elements of the cell arrays C, ... (of one
    size), a handle or a name ('isempty', 'length', ... as Octave evaluates them); the results an
    array of the cells' size (``'UniformOutput', false``: a cell array)."""
    data, uniform = _split_options("cellfun", args)
    cells = [value(c) for c in data]
    if not _py.all(isinstance(c, Cell) for c in cells):
        raise MatlabError("cellfun: C must be a cell array")
    shape = cells[0].shape
    if _py.any(c.shape != shape for c in cells):
        raise MatlabError("cellfun: all the input arguments must have the same size and shape")
    fn = _function("cellfun", f)
    results = [call(fn, *items) for items in zip(*cells)]
    return _collect("cellfun", results, shape, uniform)


@matlab_function()
def arrayfun(f, *args):
    """MATLAB ``arrayfun(f, A, ...)``: f applied to the elements of the arrays A, ... (of one size),
    each element a 1x1 value of its array's class (a 1x1 cell for a cell array); the results an
    array of that size (``'UniformOutput', false``: a cell array)."""
    data, uniform = _split_options("arrayfun", args)
    arrays = [value(a) for a in data]
    shape = tuple(arrays[0].shape)
    if _py.any(tuple(a.shape) != shape for a in arrays):
        raise MatlabError("arrayfun: all the input arguments must have the same size and shape")
    fn = _function("arrayfun", f)

    def elements(a):
        if isinstance(a, Cell):
            return [Cell([x]) for x in a]
        flat = a.view(np.ndarray).reshape(-1, order="F")
        return [_wrap(flat[k : k + 1].reshape(1, 1)) for k in range(flat.size)]

    results = [call(fn, *items) for items in zip(*(elements(a) for a in arrays))]
    return _collect("arrayfun", results, shape, uniform)

