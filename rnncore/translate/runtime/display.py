"""What Octave 7 prints for ``disp(x)`` and for a statement without a semicolon (``x = ...``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).

Students compare printed answers, so a port prints the text Octave prints, character for character.
The rules are Octave's own (``libinterp/corefcn/pr-output.cc`` and the ``print``/``print_raw``/
``print_name_tag`` methods of ``libinterp/octave-value/ov-*.cc``, release 7.3), restricted to what
the runtime's values can be and to Octave's defaults in a headless ``octave-cli``:

* ``format short`` unless the port runs ``format`` (:func:`set_format`): ``output_precision`` is 5
  significant digits;
* ``fixed_point_format`` is false, so no common scale factor is printed: each matrix gets one
  field width and number of decimals computed from its largest and smallest magnitudes;
* ``print_empty_dimensions`` is true (``[](0x3)``), ``split_long_rows`` is true, ``format loose``
  (blank lines around a matrix);
* the terminal is 80 columns wide (a session without a terminal reports no size, and Octave's
  command editor then assumes 80): rows wider than that are split into ``Columns N through M:``.

A range written with ``:`` (``x = 0:0.25:1``) is printed by Octave with a layout of its own, one
column wider than the same numbers in a matrix: :func:`~rnncore.translate.runtime.colon` marks its
result so that the port prints it the same way (any operation on it gives a plain matrix, in
Octave 7 as here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .values import Cell, MArray, MatlabError, Struct, _CHAR, _LOGICAL, _mshape, value

__all__ = ["display_format"]  # disp and display themselves are in text.py

TERMINAL_WIDTH = 80  # command_editor::terminal_cols() without a terminal
_DIGITS10 = 16  # pr_output_traits<double>::DIGITS10
_MAX_FIELD_WIDTH = 21  # pr_output_traits<double>::MAX_FIELD_WIDTH


class _Settings:
    """The ``format`` in force, as Octave keeps it for the whole session (a port's ``format long``
    holds until the next ``format``, in that port and the ones called after it, as in Octave)."""

    precision = 5  # output_precision: 5 for format short, 16 for format long
    style = ""  # "" (fixed or e by magnitude), "e" (format short e / long e) or "g" (short g / long g)
    compact = False  # format compact: no blank lines around a matrix's name and column headers


SETTINGS = _Settings()


def set_format(*words: str) -> None:
    """Octave's ``format`` command: ``format`` alone resets to ``short`` and ``loose``; otherwise
    ``short``/``long`` optionally followed by ``e``/``g`` (or ``shortg``, ``longe``, ...),
    ``compact``, ``loose``. Other styles (bank, rat, hex, +, eng) are refused by the translator."""
    if not words:
        SETTINGS.precision, SETTINGS.style, SETTINGS.compact = 5, "", False
        return
    ws = [w.lower() for w in words]
    i = 0
    while i < len(ws):
        w = ws[i]
        if w in ("short", "long"):
            SETTINGS.precision, SETTINGS.style = (5 if w == "short" else 16), ""
            if i + 1 < len(ws) and ws[i + 1] in ("e", "g"):
                SETTINGS.style = ws[i + 1]
                i += 1
        elif w in ("shorte", "shortg", "longe", "longg"):
            SETTINGS.precision, SETTINGS.style = (5 if w.startswith("short") else 16), w[-1]
        elif w in ("compact", "loose"):
            SETTINGS.compact = w == "compact"
        else:
            raise ValueError(f"format {' '.join(words)}: only short, long, their e and g forms, compact and "
                             f"loose are in rnncore translate's subset")
        i += 1


def format_words_ok(words) -> bool:
    """Whether :func:`set_format` takes these words (the translator asks before writing the call)."""
    saved = (SETTINGS.precision, SETTINGS.style, SETTINGS.compact)
    try:
        set_format(*words)
        return True
    except ValueError:
        return False
    finally:
        SETTINGS.precision, SETTINGS.style, SETTINGS.compact = saved


def display_format(*words) -> None:
    """MATLAB's ``format ...`` statement in a port (the translator writes the words as text)."""
    try:
        set_format(*[str(w) for w in words])
    except ValueError as exc:
        raise MatlabError(str(exc)) from None


#: The attribute :func:`colon` sets on a range it makes: (base, increment, limit).
RANGE_ATTRIBUTE = "_octave_range"


def mark_range(row: MArray, base: float, inc: float, limit: float) -> MArray:
    """Remember that ``row`` is Octave's range ``base:inc:limit`` (kept only when it has two or
    more elements: Octave turns a range of one or none into a matrix). A view or any result computed
    from ``row`` is a new object without the mark, as arithmetic and indexing give a matrix in Octave."""
    if row.size >= 2:
        setattr(row, RANGE_ATTRIBUTE, (base, inc, limit))
    return row


# --------------------------------------------------------------------------------------------
# Number formats (make_real_format, make_real_matrix_format, make_range_format)


@dataclass(frozen=True)
class _Format:
    """One float_format: a field width, a precision, and fixed, scientific or general (C's %g)."""

    width: int
    precision: int
    kind: str  # "f", "e" or "g"

    def __call__(self, x: float) -> str:
        """pr_any_float: zero is "0" (also -0), Inf and NaN are words, all right-aligned."""
        if x == 0:
            text = "0"
        elif math.isinf(x):
            text = "-Inf" if x < 0 else "Inf"
        elif math.isnan(x):
            text = "NaN"
        else:
            # C++ streams with fixed/scientific/neither print as printf's %f/%e/%g (precision 0
            # with %g means 1, as in printf).
            text = f"%.{self.precision}{self.kind}" % x
        return text.rjust(self.width)


def _num_digits(x: float) -> int:
    return math.floor(math.log10(x)) + 1


def _lead_and_decimals(x: int, prec: int) -> tuple[int, int, int]:
    """The digits left and right of the point one magnitude needs, and x as the exponent test uses it."""
    if x > 0:
        return x, (prec - x if prec > x else prec), x + 1
    if x < 0:
        return 1, (prec - x if prec > x else prec), -x + 1
    return 1, (prec - 1 if prec > 1 else prec), 1


def _too_wide(ld: int, rd: int, fw: int, prec: int) -> bool:
    return ld + rd > _DIGITS10 or fw > _MAX_FIELD_WIDTH or ld + rd > 1.5 * prec


def _scalar_format(x: float) -> _Format:
    prec = SETTINGS.precision
    inf_or_nan = not math.isfinite(x)
    int_only = not inf_or_nan and math.floor(x + 0.5) == x  # octave::math::x_nint
    ax = abs(x)
    digits = 0 if (inf_or_nan or ax == 0) else _num_digits(ax)
    ld = rd = 0
    if inf_or_nan:
        fw = 3
    elif int_only:
        fw = ld = digits
    else:
        if digits > 0:
            ld, rd = digits, (prec - digits if prec > digits else prec)
        elif digits < 0:
            ld, rd = 1, (prec - digits if prec > digits else prec)
        else:
            ld, rd = 1, (prec - 1 if prec > digits else prec)
        fw = ld + 1 + rd
    if SETTINGS.style or _too_wide(ld, rd, fw, prec):
        if SETTINGS.style == "g":
            return _Format(prec, prec, "g")
        return _Format(3 if inf_or_nan else prec + 5, prec - 1, "e")
    if inf_or_nan or int_only:
        return _Format(fw, ld, "g")
    return _Format(fw, rd, "f")


def _matrix_format(a: np.ndarray) -> _Format:
    prec = SETTINGS.precision
    finite = a[np.isfinite(a)]
    inf_or_nan = finite.size < a.size
    int_or_inf_or_nan = _all_int_or_inf_or_nan(a)
    magnitudes = np.abs(finite)
    max_abs = float(magnitudes.max()) if finite.size else 0.0
    min_abs = float(magnitudes.min()) if finite.size else 0.0
    x_max = 0 if max_abs == 0 else _num_digits(max_abs)
    x_min = 0 if min_abs == 0 else _num_digits(min_abs)
    ld = rd = 0
    if int_or_inf_or_nan:
        digits = max(x_max, x_min)
        fw = 2 if digits <= 0 else digits + 1
        if inf_or_nan and fw < 4:
            fw = 4
        rd = fw
    else:
        ld_max, rd_max, x_max = _lead_and_decimals(x_max, prec)
        ld_min, rd_min, x_min = _lead_and_decimals(x_min, prec)
        ld, rd = max(ld_max, ld_min), max(rd_max, rd_min)
        fw = 1 + ld + 1 + rd
        if inf_or_nan and fw < 4:
            fw = 4
    if SETTINGS.style or _too_wide(ld, rd, fw, prec):
        if SETTINGS.style == "g":
            return _Format(prec + 6, prec, "g")
        ex = 5 if (x_max > 100 or x_min > 100) else 4
        fw = max(2 + prec + ex, 4 if inf_or_nan else 0)
        return _Format(fw, prec - 1, "e")
    return _Format(fw, rd, "g" if int_or_inf_or_nan else "f")


def _all_int_or_inf_or_nan(a: np.ndarray) -> bool:
    """NDArray::all_elements_are_int_or_inf_or_nan as Octave 7 runs it: the test is the float
    (single precision) overload, so each element is first rounded to single. A magnitude below
    single's smallest subnormal (~1.4e-45) counts as 0, an integer ([1e-60 1] prints as integers),
    and one beyond single's range as Inf."""
    with np.errstate(over="ignore"):
        f = a.astype(np.float32)
    return bool(np.all(np.isnan(f) | (np.floor(f + np.float32(0.5)) == f)))


def _range_format(base: float, inc: float, limit: float) -> _Format:
    """make_range_format: the widths come from the range's base and limit (the limit as written,
    1:2:10 is as wide as 10), and a range is one column wider than a matrix."""
    prec = SETTINGS.precision
    r_min, r_max = (base, limit) if limit >= base else (limit, base)
    all_ints = base == round(base) and inc == round(inc)
    x_max = 0 if r_max == 0 else _num_digits(abs(r_max))
    x_min = 0 if r_min == 0 else _num_digits(abs(r_min))
    ld = rd = 0
    if all_ints:
        fw = max(x_max, x_min) + 1
        rd = fw
    else:
        ld_max, rd_max, x_max = _lead_and_decimals(x_max, prec)
        ld_min, rd_min, x_min = _lead_and_decimals(x_min, prec)
        ld, rd = max(ld_max, ld_min), max(rd_max, rd_min)
        fw = ld + rd + 3
    if SETTINGS.style or _too_wide(ld, rd, fw, prec):
        if SETTINGS.style == "g":
            return _Format(prec + 6, prec, "g")
        ex = 5 if (x_max > 100 or x_min > 100) else 4
        return _Format(3 + prec + ex, prec - 1, "e")
    return _Format(fw, rd, "g" if all_ints else "f")


# --------------------------------------------------------------------------------------------
# The printer: Octave's indentation state (octave_base_value::indent/newline) and the layouts


class _Printer:
    """Octave's output stream state while printing: the indent level of nested cells and whether
    the stream is at the beginning of a line (only ``indent``/``newline`` change it, as in Octave)."""

    def __init__(self):
        self.parts: list[str] = []
        self.level = 0
        self.at_line_start = True

    def write(self, text: str) -> None:
        self.parts.append(text)

    def indent(self) -> None:
        if self.at_line_start:
            self.parts.append(" " * self.level)
            self.at_line_start = False

    def newline(self) -> None:
        self.parts.append("\n")
        self.at_line_start = True

    def text(self) -> str:
        return "".join(self.parts)

    # -- one value ---------------------------------------------------------------------------

    def print_with_name(self, name: str, v) -> None:
        """octave_base_value::print_with_name: the name tag, the value, a blank line after a block."""
        pad_after = self.name_tag(name, v)
        self.print(v)
        if pad_after and not SETTINGS.compact:
            self.newline()

    def name_tag(self, name: str, v, handle_text: str | None = None) -> bool:
        """print_name_tag: ``name = `` before a value printed on the same line, else ``name =`` and
        (except for a cell) a blank line; True when a blank line is due after the value."""
        self.indent()
        kind = _kind(v)
        if kind == "handle" and handle_text is not None and not handle_text.startswith("@("):
            self.write(f"{name} = ")  # a simple handle (@sin) prints on the name's line
            return False
        if kind == "cell":
            if len(v) == 0 or len(v.shape) > 2:
                self.write(f"{name} = ")
                return False
            self.write(f"{name} =")
            self.newline()
            return True
        if _prints_inline(v, kind):
            self.write(f"{name} = ")
            return False
        self.write(f"{name} =")
        self.newline()
        if not SETTINGS.compact:
            self.newline()
        return True

    def print(self, v, handle_text: str | None = None) -> None:
        """octave_value::print: the value and a newline (a cell ends its own last line)."""
        kind = _kind(v)
        if kind == "cell":
            self.cell(v)
            return
        if kind == "handle":
            # Octave prints a handle's parse tree back; the translator gives that text where the
            # handle is written (f = @(x) ... without a semicolon). A handle met elsewhere (in a
            # cell, through a variable) has lost its MATLAB text in the port.
            self.write(handle_text or "<function handle>")
        else:
            self.raw(v, kind)
        self.newline()

    def raw(self, v: MArray, kind: str) -> None:
        a = v.view(np.ndarray)
        shape = _mshape(a.shape)
        if kind == "char":
            if len(shape) > 2:
                self.nd_pages(v, kind)
                return
            self.write("\n".join("".join(map(chr, row)) for row in a.tolist()))
            return
        if a.size == 0:
            self.write(f"[]({'x'.join(str(d) for d in shape)})")
            return
        if len(shape) > 2:
            self.nd_pages(v, kind)
            return
        if a.size == 1:
            self.indent()  # octave_base_scalar::print_raw
            x = a.reshape(-1)[0]
            self.write(str(int(x)) if kind == "logical" else _scalar_format(float(x))(float(x)))
            return
        if kind == "logical":
            self.int_matrix(a.astype(np.int64))
            return
        rng = getattr(v, RANGE_ATTRIBUTE, None)
        if rng is not None:
            self.range_row(a.reshape(-1), _range_format(*rng))
            return
        fmt = _matrix_format(a.astype(np.float64))
        self.columns(a.astype(np.float64), fmt, fmt.width + 2)

    def columns(self, a: np.ndarray, fmt, column_width: int) -> None:
        """octave_print_matrix_internal: rows of right-aligned fields two spaces apart, split into
        blocks of columns that fit the terminal."""
        nr, nc = a.shape
        extra = self.level
        total = nc * column_width
        max_width = max(TERMINAL_WIDTH - extra, 0)
        inc = nc
        if total > max_width:
            inc = max(max_width // column_width, 1)
        rows = a.tolist()
        for col in range(0, nc, inc):
            lim = min(col + inc, nc)
            self.column_header(total, max_width, lim, col, extra)
            for i in range(nr):
                self.write(" " * extra + "".join("  " + fmt(x) for x in rows[i][col:lim]))
                if i < nr - 1:
                    self.write("\n")

    def range_row(self, elems: np.ndarray, fmt: _Format) -> None:
        """octave_print_internal for a range: as a one-row matrix, but the split is computed before
        the indent is taken from the width (Octave's order)."""
        n = elems.size
        column_width = fmt.width + 2
        total = n * column_width
        max_width = TERMINAL_WIDTH
        inc = n
        if total > max_width:
            inc = max(max_width // column_width, 1)
        extra = self.level
        max_width = max(max_width - extra, 0)
        values = elems.tolist()
        for col in range(0, n, inc):
            lim = min(col + inc, n)
            self.column_header(total, max_width, lim, col, extra)
            self.write(" " * extra + "".join("  " + fmt(x) for x in values[col:lim]))

    def int_matrix(self, a: np.ndarray) -> None:
        """A logical matrix prints as Octave's integer matrices: the width of the widest number."""
        digits = 1 if np.any(a != 0) else 0  # log10 of 0 counts as no digits
        fw = digits
        self.columns(a, lambda x: str(x).rjust(fw), fw + 2)

    def column_header(self, total: int, max_width: int, lim: int, col: int, extra: int) -> None:
        """pr_col_num_header: ``Columns N through M:`` (``and`` for two, ``Column N:`` for one)."""
        if total <= max_width:
            return
        if col != 0:
            self.write("\n" if SETTINGS.compact else "\n\n")
        n = lim - col
        if n == 1:
            head = f" Column {col + 1}:\n"
        elif n == 2:
            head = f" Columns {col + 1} and {lim}:\n"
        else:
            head = f" Columns {col + 1} through {lim}:\n"
        self.write(" " * extra + head + ("" if SETTINGS.compact else "\n"))

    def nd_pages(self, v: MArray, kind: str) -> None:
        """print_nd_array: each page ``ans(:,:,k)`` as a matrix of its own (its own format)."""
        a = v.view(np.ndarray)
        shape = _mshape(a.shape)
        pages = a.reshape(shape[0], shape[1], -1, order="F")
        count = pages.shape[2]
        for k in range(count):
            index = np.unravel_index(k, shape[2:], order="F")
            name = "ans(:,:," + ",".join(str(i + 1) for i in index) + ")"
            page = np.ascontiguousarray(pages[:, :, k]).view(MArray)
            if k != count - 1:
                self.print_with_name(name, page)
            else:
                self.name_tag(name, page)
                self.raw(page, _kind(page))

    def cell(self, c: Cell) -> None:
        """octave_cell::print_raw: ``{``, each element by name ``[i,j]`` one level deeper, ``}``."""
        if len(c.shape) > 2:
            self.indent()
            self.write("{" + "x".join(str(d) for d in c.shape) + " Cell Array}")
            self.newline()
            return
        nr, nc = c.shape
        if nr == 0 or nc == 0:
            self.indent()
            self.write(f"{{}}({nr}x{nc})")
            self.newline()
            return
        self.indent()
        self.write("{")
        self.newline()
        self.level += 2
        for j in range(nc):
            for i in range(nr):
                self.print_with_name(f"[{i + 1},{j + 1}]", c[i + j * nr])
        self.level -= 2
        self.indent()
        self.write("}")
        self.newline()


def _kind(v) -> str:
    if isinstance(v, Cell):
        return "cell"
    if callable(v) and not isinstance(v, np.ndarray):
        return "handle"
    v = value(v)
    if v.dtype == _CHAR:
        return "char"
    if v.dtype == _LOGICAL:
        return "logical"
    return "double"


def _prints_inline(v, kind: str) -> bool:
    """print_as_scalar: a value printed on the line of its name."""
    if kind == "handle":
        return False
    shape = _mshape(value(v).shape)
    if kind == "char":
        return shape[0] <= 1  # octave_char_matrix_str: rows() <= 1, whatever the other dimensions
    if getattr(v, RANGE_ATTRIBUTE, None) is not None:
        return False
    return all(d == 1 for d in shape) or any(d == 0 for d in shape)


# --------------------------------------------------------------------------------------------
# Entry points


def disp_text(x) -> str:
    """The text of ``disp(x)`` (it ends with a newline)."""
    if isinstance(x, Struct):  # Octave's layout of a struct, approximately (structs.show)
        from .structs import show

        return show(x, lambda v: disp_text(v).rstrip("\n").strip()) + "\n"
    p = _Printer()
    p.print(_as_value(x))
    return p.text()


def display_text(name: str, x, handle_text: str | None = None) -> str:
    """The text of the statement ``name = x`` without a semicolon (Octave's ``display``);
    ``handle_text`` is Octave's text of a function handle x (the translator's octave_text)."""
    if isinstance(x, Struct):
        return f"{name} =\n\n" + disp_text(x) + "\n"
    v = _as_value(x)
    p = _Printer()
    blank_after = p.name_tag(name, v, handle_text)
    p.print(v, handle_text)
    if blank_after:
        p.newline()
    return p.text()


def _as_value(x):
    if isinstance(x, (MArray, Cell)) or (callable(x) and not isinstance(x, np.ndarray)):
        return x
    return value(x)
