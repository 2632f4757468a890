"""Control flow beside if/for/while: ``switch`` matching, ``try``/``catch err`` and ``lasterr``, and
the reads a nested assignment needs (``x{k}(i) = v``, ``s.a.b = v``, ``s(k).f = v``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import numpy as np

from .registry import matlab_function
from .values import Cell, MArray, MatlabError, Struct, _DOUBLE, _Undefined, _plain, _text, char, undefined, value

__all__ = ["switch_match", "caught", "lasterr", "rethrow", "index_for_assign", "content_for_assign", "field_for_assign"]


def _is_equal(v, label) -> bool:
    """Octave's test of a switch value against one case label (octave_value::is_equal): the same
    number of rows and columns, and ``v == label`` true everywhere (an empty result matches)."""
    if not isinstance(v, MArray) or not isinstance(label, MArray):
        return False  # cells, structs and handles have no ==
    if v.shape[:2] != label.shape[:2]:
        return False
    eq = np.asarray(_plain(v)) == np.asarray(_plain(label))  # char compares by code, as Octave's ==
    return bool(np.all(eq))


def switch_match(v, label) -> bool:
    """Whether ``case label`` matches ``switch v``; a cell label matches when any element does.

    Octave's rule, which is the reference here: text compares as ``strcmp`` would for rows of the
    same length, and a number against text compares the character codes (``switch 'a'`` matches
    ``case 97`` in Octave, not in MATLAB)."""
    v, label = value(v), value(label)
    if isinstance(label, Cell):
        return any(_is_equal(v, value(x)) for x in label)
    return _is_equal(v, label)


_LAST = {"message": ""}


def caught(exc: MatlabError) -> Struct:
    """The ``err`` of ``catch err``: in Octave 7 a struct with fields message, identifier and stack.
    The message is also what :func:`lasterr` gives from then on."""
    _LAST["message"] = str(exc)
    stack = Struct(("file", "name", "line", "column"),
                   [{"file": char(""), "name": char(""), "line": value(0.0), "column": value(0.0)}], (1, 1))
    return Struct.scalar({"message": char(str(exc)), "identifier": char(getattr(exc, "identifier", "") or ""),
                          "stack": stack})


@matlab_function(statement=True)
def rethrow(err) -> None:
    """MATLAB ``rethrow(err)``: raise again the error a ``catch err`` caught (its message and identifier)."""
    from .structs import field

    v = value(err)
    if not isinstance(v, Struct):
        raise MatlabError("rethrow: the argument must be the error a catch caught")
    raise MatlabError(_text(field(v, "message")), _text(field(v, "identifier")) if "identifier" in v.fields else "")


@matlab_function()
def lasterr():
    """MATLAB ``lasterr``: the message of the last error caught by a translated ``try``."""
    return char(_LAST["message"])


def _absent(x) -> bool:
    return isinstance(x, _Undefined) or isinstance(x, MArray) and x.size == 0 and x.dtype == _DOUBLE


def index_for_assign(A, *subs):
    """``A(subs)`` as a nested assignment ``A(subs).f = v`` reads it: undefined where A or those
    elements do not exist yet (the assignment then creates them, as MATLAB does)."""
    from .indexing import index

    if _absent(A):
        return undefined("")
    try:
        return index(A, *subs)
    except MatlabError:
        return undefined("")  # past the end: the element is created; a bad subscript fails in mr.assign


def content_for_assign(c, *subs):
    """``c{subs}`` as ``c{subs}(i) = v`` reads it: undefined when the cell or that element does not exist yet."""
    from .indexing import content

    if _absent(c):
        return undefined("")
    if not isinstance(c, Cell):
        raise MatlabError("brace assignment c{...}(...) = x needs a cell array")
    try:
        return content(c, *subs)
    except MatlabError:
        return undefined("")


def field_for_assign(s, name):
    """``s.f`` as ``s.f(i) = v`` or ``s.f.g = v`` reads it: undefined when s or the field does not exist yet."""
    from .structs import field

    if _absent(s):
        return undefined("")
    if isinstance(s, Struct) and s.shape == (1, 1) and _text(name, "a field name") not in s.fields:
        return undefined("")
    return field(s, name)
