"""Text and console: ``sprintf``/``fprintf`` formats, ``disp``/``display``, ``num2str``, ``error``.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import math
import numbers
import re
import sys
import numpy as np

from .values import (
    Cell,
    MArray,
    MatlabError,
    _CHAR,
    _LOGICAL,
    _dims_text,
    _mshape,
    _refuse,
    _text,
    _wrap,
    char,
    logical,
    value,
)
from .indexing import _scalar
from .arithmetic import _num_array

__all__ = ["fprintf", "sprintf", "disp", "display", "num2str", "error", "warning", "strcmp", "upper", "lower"]


_SPEC = re.compile(r"%(?P<flags>[-+ 0#]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?(?P<conv>[diouxXfFeEgGcs])")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v", '"': '"', "'": "'"}


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
            m = re.match(r"x([0-9a-fA-F]{1,4})|([0-7]{1,3})", fmt[i + 1 :])
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
    if conv in "diouxXc" and (x != math.floor(x) or x > 9223372036854775807):
        conv = "g"  # Octave prints a non-integer (or one past int64) given to an integer conversion with %g
    elif conv in "di" and x < -9223372036854775808:
        x = -9223372036854775808.0  # and saturates one below int64 (Octave 7: sprintf('%d', -1e20))
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
                data[k : k + 1] = [float(ord(c)) for c in item]  # a numeric conversion takes codes
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
        rows = [
            " ".join((f"{int(x):>6d}" if np.isfinite(x) else f"{x:>6}") if ints else f"{x:>10.4f}" for x in row)
            for row in a.astype(np.float64).tolist()
        ]
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
