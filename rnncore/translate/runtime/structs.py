"""Structs: ``s.f``, ``s.(name)``, ``struct(...)``, ``isfield``, ``fieldnames``, ``rmfield``, ``isstruct``,
and struct arrays as courses build them (``s(k).f = v``, ``struct('f', {1, 2})``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values). A
struct is a :class:`Struct`; at the boundary of a translated function a 1x1 struct becomes a
``dict`` of its fields (the parity engine reads a case's ``s.f`` from it), a struct array an
object array of such dicts, of the struct array's size.
"""

from __future__ import annotations

import numpy as np

from .registry import matlab_function
from .values import Cell, MArray, MatlabError, Struct, _CHAR, _DOUBLE, _Undefined, _mshape, _prod, _text, char
from .values import double, logical, value

__all__ = ["struct", "field", "setfield", "isfield", "fieldnames", "rmfield", "isstruct", "struct_index",
           "struct_assign", "optimset"]


def _name(name, what: str) -> str:
    text = _text(name, what)
    if not text.isidentifier():
        raise MatlabError(f"{what}: {text!r} is not a valid field name")
    return text


@matlab_function()
def struct(*args) -> Struct:
    """MATLAB ``struct('a', 1, 'b', 2)``; a cell value makes a struct array of the cell's size, each
    element taking its element (a 1x1 cell is one value for every element: ``struct('c', {{1, 2}})``)."""
    if len(args) % 2:
        raise MatlabError("struct: the arguments must be field/value pairs")
    names = [_name(args[k], "struct: field name") for k in range(0, len(args), 2)]
    values = [value(args[k]) for k in range(1, len(args), 2)]
    shape = None
    for v in values:
        if isinstance(v, Cell) and v.shape != (1, 1):
            if shape is not None and v.shape != shape:
                raise MatlabError("struct: the cell arrays of values must have the same size")
            shape = v.shape
    if shape is None:
        shape = (1, 1)
    n = _prod(shape)
    elements = []
    for k in range(n):
        e = {}
        for name, v in zip(names, values):
            e[name] = (v[k] if v.shape != (1, 1) else v[0]) if isinstance(v, Cell) else v
        elements.append(e)
    return Struct(dict.fromkeys(names), elements, shape)


def _scalar_struct(s, what: str) -> Struct:
    if isinstance(s, _Undefined):
        raise s.error()
    if not isinstance(s, Struct):
        raise MatlabError(f"{what}: only a struct has fields; this is a {_class(s)}")
    if s.shape != (1, 1):
        raise MatlabError(f"{what}: the struct array is {'x'.join(map(str, s.shape))}; a field of a struct "
                          f"array is a comma-separated list, outside rnncore translate's subset (index one "
                          f"element first, s(k).f)")
    return s


@matlab_function(name="getfield")
def field(s, name):
    """MATLAB ``s.f`` and ``s.(name)``."""
    f = _text(name, "a dynamic field name")
    s = _scalar_struct(s, f"reading the field {f}")
    if f not in s.elements[0]:
        raise MatlabError(f"invalid use of undefined value: the struct has no field {f!r}")
    return s.elements[0][f]


@matlab_function()
def setfield(s, name, v):
    """MATLAB ``s.f = v`` (``s`` may be undefined or ``[]``: a new 1x1 struct): a new struct."""
    f = _name(name, "a field name")
    v = value(v)
    if isinstance(s, _Undefined) or isinstance(s, MArray) and s.size == 0 and s.dtype == _DOUBLE:
        s = Struct()
    s = _scalar_struct(s, f"assigning the field {f}")
    fields = s.fields if f in s.fields else s.fields + (f,)
    element = dict(s.elements[0])
    element[f] = v
    return Struct(fields, [element], (1, 1))


@matlab_function()
def isstruct(s):
    return logical(isinstance(s, Struct))


@matlab_function()
def isfield(s, name):
    """MATLAB ``isfield(s, 'f')``; a cell of names gives a logical array of its size."""
    s = value(s)
    names = value(name)
    if isinstance(names, Cell):
        return logical(np.array([isinstance(s, Struct) and _is_name_in(x, s) for x in names],
                                dtype=bool).reshape(names.shape, order="F"))
    return logical(isinstance(s, Struct) and _is_name_in(names, s))


def _is_name_in(x, s: Struct) -> bool:
    return isinstance(x, MArray) and x.dtype == _CHAR and _text(x) in s.fields


@matlab_function()
def fieldnames(s) -> Cell:
    """MATLAB ``fieldnames(s)``: a column cell of the field names, in order."""
    s = value(s)
    if not isinstance(s, Struct):
        raise MatlabError("fieldnames: the argument must be a struct")
    return Cell([char(f) for f in s.fields], (len(s.fields), 1))


@matlab_function()
def rmfield(s, name) -> Struct:
    """MATLAB ``rmfield(s, 'f')`` (or a cell of names)."""
    s = value(s)
    if not isinstance(s, Struct):
        raise MatlabError("rmfield: the first argument must be a struct")
    names = value(name)
    gone = [_text(x, "rmfield: field name") for x in names] if isinstance(names, Cell) else [_text(names)]
    for f in gone:
        if f not in s.fields:
            raise MatlabError(f"rmfield: structure does not contain remove field {f}")
    fields = tuple(f for f in s.fields if f not in gone)
    return Struct(fields, [{f: e[f] for f in fields} for e in s.elements], s.shape)


def _class(v) -> str:
    if isinstance(v, Cell):
        return "cell"
    if isinstance(v, MArray):
        return {"f": "double", "b": "logical", "u": "char"}.get(v.dtype.kind, str(v.dtype))
    return "function handle" if callable(v) else type(v).__name__


# Octave 7's optimization options (__all_opts__), in its order: optimset spells a name as listed here.
_OPTIONS = ("AutoScaling", "ComplexEqn", "Display", "FinDiffType", "FunValCheck", "GradObj", "Jacobian",
            "MaxFunEvals", "MaxIter", "OutputFcn", "TolFun", "TolX", "TypicalX", "Updating")


@matlab_function()
def optimset(*args) -> Struct:
    """Octave's ``optimset``: with no argument every option, ``[]``; ``optimset('MaxIter', 50, ...)``
    a struct of the options given, in the order given, names spelled as Octave lists them (any case
    is accepted; an unknown name is kept as written, as Octave does after its warning);
    ``optimset(old, 'name', v, ...)`` old's options updated."""
    if not args:
        return Struct.scalar({name: double([]) for name in _OPTIONS})
    base = Struct()
    if isinstance(value(args[0]), Struct):
        base, args = value(args[0]), args[1:]
    if len(args) % 2:
        raise MatlabError("optimset: the arguments must be name/value pairs")
    canonical = {name.lower(): name for name in _OPTIONS}
    out = base
    for k in range(0, len(args), 2):
        name = _text(args[k], "optimset: option name")
        out = setfield(out, canonical.get(name.lower(), name), args[k + 1])
    return out


# -- struct arrays: s(k), s(k) = t ------------------------------------------------------------


def _obj(s: Struct) -> np.ndarray:
    flat = np.empty(len(s.elements), dtype=object)
    for i, e in enumerate(s.elements):
        flat[i] = e
    return flat.reshape(s.shape, order="F")


def _from_obj(fields, a: np.ndarray) -> Struct:
    return Struct(fields, list(a.reshape(-1, order="F")), _mshape(a.shape))


def struct_index(s: Struct, subs) -> Struct:
    """``s(k)``, ``s(i, j)``, ``s(2:3)``: the selected elements, a struct array."""
    from .indexing import _index_array

    return _from_obj(s.fields, _index_array(_obj(s), subs))


def struct_assign(s, subs, v) -> Struct:
    """``s(k) = t`` with ``t`` a struct of the same fields (``s`` may be undefined or ``[]``); growth
    fills new elements with every field ``[]``, as MATLAB does."""
    from .indexing import _assign_array

    v = value(v)
    if not isinstance(v, Struct):
        raise MatlabError("s(k) = x needs a struct on the right when s is a struct")
    if isinstance(s, _Undefined) or isinstance(s, MArray) and s.size == 0 and s.dtype == _DOUBLE:
        s = Struct(v.fields, [], (0, 0))
    lacking = [f for f in s.fields if f not in v.fields]
    if lacking and s.elements:
        raise MatlabError(f"s(k) = t: t has no field {lacking[0]!r}; the elements of a struct array have the same "
                          f"fields")
    fields = s.fields + tuple(f for f in v.fields if f not in s.fields)  # s(k).new = x adds a field to all
    s = Struct(fields, [{f: e.get(f, double([])) for f in fields} for e in s.elements], s.shape)
    rhs = _obj(Struct(s.fields, [{f: e[f] for f in s.fields} for e in v.elements], v.shape))
    blank = {f: double([]) for f in s.fields}
    out = _assign_array(_obj(s), subs, rhs, None)
    flat = out.reshape(-1, order="F")
    for i, e in enumerate(flat):
        if e is None:
            flat[i] = dict(blank)
    return _from_obj(s.fields, flat.reshape(out.shape, order="F"))


def contract(s: Struct):
    """A struct as the parity contract returns it: a dict of fields (a 1x1 struct), else an object
    array of such dicts of the struct array's size."""
    from .workspace import _contract

    dicts = [{f: _contract(e[f]) for f in s.fields} for e in s.elements]
    if s.shape == (1, 1):
        return dicts[0]
    a = np.empty(len(dicts), dtype=object)
    for i, d in enumerate(dicts):
        a[i] = d
    return a.reshape(s.shape, order="F")


def show(s: Struct, show_value) -> str:
    """A readable rendering of a struct for disp/display (console only; not compared), in the shape of
    Octave's: its kind, then one ``name = value`` line per field."""
    if s.shape != (1, 1):
        return f"  {'x'.join(map(str, s.shape))} struct array containing the fields:\n\n" + \
            "\n".join(f"    {f}" for f in s.fields)
    rows = []
    for f in s.fields:
        text = show_value(s.elements[0][f])
        rows.append(f"    {f} = {text}" if "\n" not in text else f"    {f} =\n\n{text}\n")
    return "  scalar structure containing the fields:\n\n" + "\n".join(rows)
