"""Text and console: ``sprintf``/``fprintf``/``printf`` as Octave's printf, ``disp``/``display`` (their
text is :mod:`.display`'s), ``num2str``/``int2str``/``mat2str`` as Octave 7's, ``error``, ``warning``.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import builtins as _py
import math
import re
import sys
import numpy as np

from .values import (
    Cell,
    MArray,
    MatlabError,
    Struct,
    _CHAR,
    _LOGICAL,
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
from .display import disp_text, display_text
from .registry import matlab_function

__all__ = ["fprintf", "printf", "sprintf", "disp", "display", "num2str", "int2str", "mat2str", "error", "warning",
           "strcmp", "upper", "lower"]


_SPEC = re.compile(r"%(?P<flags>[-+ 0#]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d*))?(?P<conv>[diouxXfeEgGcs])")
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


_INT64_MAX = 9.223372036854775807e18  # numeric_limits<int64_t>::max() as Octave compares it, a double
_UINT64_MAX = 1.8446744073709551615e19


def _format_number(spec: re.Match, x: float) -> str:
    """One numeric conversion as Octave's do_numeric_printf_conv does it: Inf and NaN as text
    (``+`` flag kept, precision dropped); an integer conversion of a value that is not an integer
    of its range (a fraction, beyond int64, a negative for ``%u``/``%x``/``%o``) becomes ``%g``
    with the same flags, width and precision."""
    flags, width, prec, conv = spec["flags"], spec["width"] or "", spec["prec"], spec["conv"]
    if not math.isfinite(x):
        text = "NaN" if math.isnan(x) else ("Inf" if x > 0 else "-Inf")
        if "+" in flags and not text.startswith("-"):
            text = "+" + text
        return f"%{'-' if '-' in flags else ''}{width}s" % text
    if conv in "dic":
        whole = x == math.trunc(x) and x <= _INT64_MAX
    elif conv in "ouxX":
        whole = x == math.trunc(x) and 0 <= x <= _UINT64_MAX
    else:
        whole = True
    if conv == "s":
        return ""  # a number that is no character code, printed with %s: Octave prints nothing
    if not whole:
        conv = "g"
    if conv == "c":
        return _wide_char(flags, width, _py.max(int(x), -(2**63)))
    if conv in "diuoxX":
        return _c_integer(flags, width, prec, conv, int(x) if conv in "uoxX" else _py.max(int(x), -(2**63)))
    precision = f".{prec}" if prec is not None else ""
    return f"%{flags}{width}{precision}{conv}" % x


def _wide_char(flags: str, width: str, code: int) -> str:
    """%c of a number that is no char code (below 0, above 255): Octave passes it to C's %lc as a
    32-bit wide character. The console gets its UTF-8 bytes, padded to the width in bytes; no such
    character prints nothing; NUL ends Octave's C string, so only the padding before it shows."""
    wc = code % 2**32
    w = int(width or 0)
    if wc == 0:
        return "" if "-" in flags else " " * _py.max(w - 1, 0)
    if wc > 0x10FFFF or 0xD800 <= wc <= 0xDFFF:
        return ""
    ch = chr(wc)
    pad = " " * _py.max(w - len(ch.encode("utf-8")), 0)
    return ch + pad if "-" in flags else pad + ch


def _c_integer(flags: str, width: str, prec: str | None, conv: str, v: int) -> str:
    """C's printf of an integer (Python's % differs: it signs unsigned conversions, writes 0o for
    %#o, and zero-pads even when a precision is given)."""
    if conv not in "di":
        sign = ""  # unsigned conversions take no sign, nor the + and space flags
    elif v < 0:
        sign = "-"
    else:
        sign = "+" if "+" in flags else " " if " " in flags else ""
    digits = {"d": str, "i": str, "u": str, "o": lambda n: format(n, "o"), "x": lambda n: format(n, "x"),
              "X": lambda n: format(n, "X")}[conv](abs(v))
    if prec is not None:
        p = int(prec or 0)
        digits = "" if p == 0 and v == 0 else digits.rjust(p, "0")
    prefix = ""
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and v != 0:
            prefix = "0" + conv
    body = sign + prefix + digits
    w = int(width or 0)
    if "-" in flags:
        return body.ljust(w)
    if "0" in flags and prec is None:
        return sign + prefix + digits.rjust(w - len(sign) - len(prefix), "0")
    return body.rjust(w)


_PERCENT = object()  # a "%%" element of a format
_EMPTY = object()  # what an empty argument gives a numeric conversion: nothing is printed


def _elements(text: str) -> list:
    """printf_format_list: the format as literal texts, ``%%`` and conversions, in order."""
    elements: list = []
    pos = 0
    while pos < len(text):
        pct = text.find("%", pos)
        if pct < 0:
            elements.append(text[pos:])
            break
        if pct > pos:
            elements.append(text[pos:pct])
        if text.startswith("%%", pct):
            elements.append(_PERCENT)
            pos = pct + 2
            continue
        m = _SPEC.match(text, pct)
        if not m or "*" in (m["width"] or "") or "*" in (m["prec"] or ""):
            raise MatlabError(f"the format conversion at {text[pct:pct + 6]!r} is outside rnncore translate's subset")
        elements.append(m)
        pos = m.end()
    return elements


def _x_nint(x: float) -> float:
    return math.floor(x + 0.5) if math.isfinite(x) else x


class _Values:
    """printf_value_cache: the arguments read element by element (column-major), across arguments.

    ``%s`` takes the rest of a char argument whole, and of a numeric argument the run of elements
    that are character codes (integers 0..255) as one text; ``%c`` takes a code as a character; an
    empty argument gives one empty value. A char element met by a numeric conversion is its code."""

    def __init__(self, args):
        self.values: list[tuple[str, object]] = []
        for a in args:
            v = value(a)
            if isinstance(v, Cell) or callable(v):
                raise MatlabError("sprintf: wrong type argument 'cell array'" if isinstance(v, Cell)
                                  else "sprintf: wrong type argument 'function handle'")
            if v.dtype == _CHAR:
                self.values.append(("char", _text(v)))
            else:
                self.values.append(("num", v.view(np.ndarray).reshape(-1, order="F").astype(np.float64).tolist()))
        self.val_idx = 0
        self.elt_idx = 0
        self.ok = True

    def exhausted(self) -> bool:
        return self.val_idx >= len(self.values)

    def next(self, conv: str | None = None):
        """get_next_value: a str (text for %s/%c), a float, or _EMPTY; sets ok False when none is left."""
        if self.exhausted():
            self.ok = False
        result = None
        while not self.exhausted():
            kind, data = self.values[self.val_idx]
            n = len(data)
            if self.elt_idx < n:
                if conv == "s" and kind == "char":
                    result = data[self.elt_idx:]
                    self.elt_idx = n
                elif conv == "s":
                    end = self.elt_idx
                    while end < n and _x_nint(data[end]) == data[end] and 0 <= data[end] <= 255:
                        end += 1
                    if end > self.elt_idx:
                        result = "".join(chr(int(c)) for c in data[self.elt_idx:end])
                        self.elt_idx = end
                    else:
                        result = data[self.elt_idx]
                        self.elt_idx += 1
                else:
                    result = data[self.elt_idx]
                    self.elt_idx += 1
                    if conv == "c" and kind == "num" and _x_nint(result) == result and 0 <= result < 256:
                        result = chr(int(result))
                if self.elt_idx >= n:
                    self.elt_idx = 0
                    self.val_idx += 1
                break
            self.val_idx += 1
            if n == 0:
                result = "" if conv in ("s", "c") else _EMPTY
                break
        return result


def _format_text(spec: re.Match, text: str) -> str:
    """do_printf_string: precision cuts the text, width pads it (right-aligned unless ``-``)."""
    if spec["prec"] is not None:
        text = text[: int(spec["prec"] or 0)]
    width = int(spec["width"] or 0)
    return text.ljust(width) if "-" in spec["flags"] else text.rjust(width)


def _format(fmt, args) -> str:
    """Octave's printf (oct-stream.cc, do_printf): the format's elements in turn, each conversion
    taking the next value; the format starts again while values remain, and printing stops at the
    first conversion met once they are all used (or at the format's end)."""
    elements = _elements(_unescape(_text(fmt, "the format")))
    if not elements:
        return ""
    has_conversions = _py.any(isinstance(e, re.Match) for e in elements)
    values = _Values(args)
    out: list[str] = []
    k = 0
    while True:
        e = elements[k]
        if e is _PERCENT:
            out.append("%")
        elif isinstance(e, str):
            out.append(e)
        else:
            conv = e["conv"]
            item = values.next(conv if conv in "sc" else None)
            if not values.ok:
                break
            if isinstance(item, str) and conv in "sc":
                out.append(_format_text(e, item))
            elif isinstance(item, str):
                out.append(_format_number(e, float(ord(item))))  # a char's code
            elif item is not _EMPTY:
                out.append(_format_number(e, item))
        k += 1
        if k >= len(elements):
            if not (has_conversions and not values.exhausted()):
                break
            k = 0
        if values.exhausted() and isinstance(elements[k], re.Match):
            break
    return "".join(out)


@matlab_function()
def sprintf(fmt, *args):
    """MATLAB ``sprintf``: the formatted text as a char row (1x0 when empty)."""
    text = _format(fmt, args)
    return char(text) if text else _wrap(np.zeros((1, 0), dtype=np.uint16))


@matlab_function(statement=True)
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


@matlab_function(statement=True)
def printf(fmt, *args) -> None:
    """Octave's ``printf(format, ...)``: ``fprintf`` to the console."""
    sys.stdout.write(_format(fmt, args))


def _rows_text(fmt: str, a: np.ndarray) -> MArray:
    """What num2str and int2str do with their format: one line per row of ``a`` (an N-D array's
    pages side by side), split at newlines, padded into a char matrix, blank columns trimmed."""
    rows = np.transpose(a, (1, *range(2, a.ndim), 0))  # permute(x, [2, 3:nd, 1]): sprintf reads rows first
    text = _format(fmt, (_wrap(rows),))
    lines = [line for line in text.split("\n") if line]
    return _trimmed_char_matrix(lines)


def _trimmed_char_matrix(lines: list[str]) -> MArray:
    """char(lines) padded with spaces, then strtrim: columns blank in every row dropped at both ends."""
    if not lines:
        return char("")
    width = _py.max(len(line) for line in lines)
    padded = [line.ljust(width) for line in lines]
    keep = [j for j in range(width) if _py.any(not row[j].isspace() for row in padded)]
    if not keep:
        return char("")
    padded = [row[keep[0] : keep[-1] + 1] for row in padded]
    return _wrap(np.array([[ord(c) for c in row] for row in padded], dtype=np.uint16))


def _repeat_format(fmt: str, nc: int) -> str:
    """num2str's ``[deblank(repmat(fmt, 1, nc)), "\n"]`` unless fmt has several conversions or is %s/%c."""
    conversions = fmt.replace("%%", "").count("%")
    if conversions > 1 or fmt in ("%s", "%c"):
        return fmt
    return (fmt * nc).rstrip(" \t\n\v\f\r\0") + "\n"


@matlab_function()
def num2str(x, arg=None):
    """Octave 7's ``num2str`` (scripts/general/num2str.m): integers with ``%{digits+3}.0f``, others
    with ``%{n+7}.{n}g`` where n = max(digits + 5, 5) capped at 16, logicals with ``%3d``; one
    line per row (a char matrix), blank columns trimmed. ``num2str(x, prec)`` uses
    ``%{prec+7}.{prec}g``, ``num2str(x, format)`` the format. Char stays char."""
    v = value(x)
    if isinstance(v, MArray) and v.dtype == _CHAR:
        return v
    a = _num_array(v, "num2str")
    if a.size == 0:
        return char("")
    if arg is not None:
        if isinstance(arg, str) or (isinstance(value(arg), MArray) and value(arg).dtype == _CHAR):
            fmt = _text(arg, "num2str: the format")
        else:
            prec = _scalar(arg, "num2str: the precision")
            if prec < 0 or prec != math.floor(prec):
                raise MatlabError("num2str: PRECISION must be a scalar integer >= 0")
            fmt = f"%{int(prec) + 7}.{int(prec)}g"
    elif v.dtype == _LOGICAL:
        fmt = "%3d"
    else:
        flat = a.reshape(-1)
        valid = flat[np.isfinite(flat)]
        top = np.max(np.abs(valid)) if valid.size else 0.0
        ndgt = int(math.floor(math.log10(top))) if top > 0 else 0
        if ndgt > 15 or np.any(valid != np.trunc(valid)):
            ndgt = _py.min(_py.max(ndgt + 5, 5), 16)
            fmt = f"%{ndgt + 7}.{ndgt}g"
        else:
            ndgt += 3
            if valid.size < flat.size:
                ndgt = _py.max(ndgt, 5)
            fmt = f"%{ndgt}.0f"
    fmt = _unescape(fmt)  # do_string_escapes, as num2str.m does before sprintf
    return _rows_text(_repeat_format(fmt, a.shape[1] * (a.ndim - 1)), a.astype(np.float64))


@matlab_function()
def int2str(x):
    """Octave 7's ``int2str``: rounded, ``%{digits+3}.0f`` per element (at least 5 wide with
    Inf/NaN), one line per row, blank columns trimmed. Char stays char."""
    v = value(x)
    if isinstance(v, MArray) and v.dtype == _CHAR:
        return v
    a = _num_array(v, "int2str")
    if a.size == 0:
        return char("")
    a = a.astype(np.float64)
    t = np.trunc(a)
    with np.errstate(invalid="ignore"):  # Inf - Inf on the way; the where keeps Inf and NaN
        # halves away from zero, as Octave's round; -0.4 rounds to -0 (printed "-0", as in Octave)
        a = np.where(np.abs(a - t) >= 0.5, t + np.sign(a), t)
    flat = a.reshape(-1)
    valid = flat[np.isfinite(flat)]
    top = np.max(np.abs(valid)) if valid.size else 0.0
    ndgt = (int(math.floor(math.log10(top))) if top > 0 else 0) + 3
    if valid.size < flat.size:
        ndgt = _py.max(ndgt, 5)
    fmt = f"%{ndgt}.0f" * (a.shape[1] * (a.ndim - 1)) + "\n"
    return _rows_text(fmt, a)


@matlab_function()
def mat2str(x, n=None):
    """Octave 7's ``mat2str``: ``%.15g`` (or ``%.{n}g``) per element, ``[a b;c d]``, no brackets
    for a scalar, ``true``/``false`` for logicals."""
    v = value(x)
    if not isinstance(v, MArray) or v.dtype == _CHAR:
        raise MatlabError("mat2str: X must be a numeric or logical array")
    a = v.view(np.ndarray)
    if a.ndim > 2:
        raise MatlabError("mat2str: X must be two dimensional")
    digits = 15 if n is None else int(_scalar(n, "mat2str: the precision"))
    if v.dtype == _LOGICAL:
        items = [["true" if b else "false" for b in row] for row in a.tolist()]
    else:
        spec = _SPEC.match(f"%.{digits}g")
        items = [[_format_number(spec, float(e)) for e in row] for row in a.tolist()]
    if a.size == 0:
        return char("[]")
    if a.size == 1:
        return char(items[0][0])
    return char("[" + ";".join(" ".join(row) for row in items) + "]")


@matlab_function(statement=True)
def disp(x) -> None:
    """MATLAB ``disp``: the value on the console, as Octave 7 prints it (:mod:`.display`)."""
    sys.stdout.write(disp_text(x))


def display(name: str, x, handle_text: str | None = None) -> None:
    """What Octave prints for a statement without a semicolon: ``name = value`` (:mod:`.display`);
    the translator passes Octave's text of a function handle it assigns."""
    sys.stdout.write(display_text(name, x, handle_text))


@matlab_function(statement=True)
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


@matlab_function(statement=True)
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


@matlab_function()
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


@matlab_function()
def upper(s):
    """MATLAB ``upper`` of a char array."""
    return char(_text(s, "upper").upper()) if _mshape(value(s).shape)[0] <= 1 else _refuse("upper of a char matrix")


@matlab_function()
def lower(s):
    """MATLAB ``lower`` of a char array."""
    return char(_text(s, "lower").lower()) if _mshape(value(s).shape)[0] <= 1 else _refuse("lower of a char matrix")
