"""Data files: ``load``, ``save``, ``dlmread``, ``csvread`` and reading a file line by line or by format.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).

A relative file name is taken from the script's folder, as in the Octave run (which changes into
it): :func:`in_folder` says which folder that is (the parity workflow's Python step sets it; a port
run on its own uses the working folder).

``load`` reads what MATLAB and Octave write, told apart by the file's first bytes as Octave does:

* a MAT-file (``MATLAB 5.0 MAT-file``: MATLAB's ``save``, Octave's ``save -v7``/``-mat``), through
  :func:`scipy.io.loadmat`;
* Octave's own text format (``# Created by Octave``: what Octave's ``save`` writes by default,
  whatever the file's extension): scalars, matrices (N-D too), logicals, char rows and cells of them;
* anything else as a numeric text file: one matrix row per line, numbers separated by blanks or
  commas, ``%`` and ``#`` comments, every row as long as the first.

Values come back with MATLAB's classes and sizes; an integer, single, complex, struct or sparse
value is outside the subset and is refused with its file and variable named.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Iterator, Mapping

import numpy as np

from .registry import matlab_function
from .values import Cell, MArray, MatlabError, _CHAR, _plain, _text, _wrap, char, double, value

__all__ = ["in_folder", "load", "load_variables", "save", "dlmread", "csvread", "fopen", "fclose", "fgetl",
           "fgets", "feof", "fscanf", "textscan"]

_FOLDER: dict = {"path": None}


@contextlib.contextmanager
def in_folder(folder) -> Iterator[None]:
    """Inside, relative file names are taken from ``folder`` (the script's folder)."""
    saved = _FOLDER["path"]
    _FOLDER["path"] = Path(folder)
    try:
        yield
    finally:
        _FOLDER["path"] = saved
        _close_all()


def _path(name, what: str) -> Path:
    p = Path(_text(name, f"{what}: the file name"))
    base = _FOLDER["path"]
    return p if p.is_absolute() or base is None else base / p


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="latin-1")  # MATLAB's char codes 0-255, one byte each
    except OSError as exc:
        raise MatlabError(f"{what}: unable to read file '{path}': {exc.strerror or exc}") from None


# --------------------------------------------------------------------------------------------
# load


def _kind(path: Path, what: str) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(128)
    except OSError as exc:
        raise MatlabError(f"{what}: unable to find file '{path}': {exc.strerror or exc}") from None
    if head.startswith(b"MATLAB 5.0 MAT-file"):
        return "mat"
    if head.startswith(b"# Created by Octave"):
        return "octave-text"
    if head.startswith(b"Octave-1-"):
        return "octave-binary"
    if head.startswith(b"\x89HDF") or b"HDF" in head[:8]:
        return "hdf5"
    return "ascii"


@matlab_function()
def load(name, *names):
    """MATLAB ``X = load('data.txt')``: a numeric text file as a matrix. A MAT-file or Octave text
    file gives a struct in MATLAB (outside the subset): the command form ``load file.mat a b``
    is written as :func:`load_variables`."""
    path = _path(name, "load")
    kind = _kind(path, "load")
    if kind != "ascii":
        raise MatlabError(f"load('{path.name}') returns a struct of the file's variables, outside rnncore "
                          f"translate's subset; write `load {path.name} name1 name2` to create the variables")
    if names:
        raise MatlabError(f"load: {path.name} is a numeric text file; it has no variables to name")
    return _numeric_text(path)


def load_variables(name, *names) -> tuple:
    """The command form ``load file a b`` (and ``load('file', 'a', 'b')`` as a statement): the
    named variables of a MAT-file or Octave text file, in that order; of a numeric text file, the
    one matrix (the translator names it after the file)."""
    path = _path(name, "load")
    kind = _kind(path, "load")
    if kind == "ascii":
        return (_numeric_text(path),)
    if kind == "mat":
        found = _mat_variables(path)
    elif kind == "octave-text":
        found = _octave_text(path)
    else:
        raise MatlabError(f"load: {path} is in Octave's {kind} format, outside rnncore translate's subset; "
                          f"save it with -text or -v7")
    out = []
    for n in names:
        n = _text(n, "load: a variable name")
        if n not in found:
            raise MatlabError(f"load: variable '{n}' not found in {path.name} (it holds {', '.join(found) or 'none'})")
        out.append(found[n])
    return tuple(out)


_NUMBER_SPLIT = re.compile(r"[\s,;]+")


def _numeric_text(path: Path) -> MArray:
    rows, width = [], None
    for k, line in enumerate(_read_text(path, "load").splitlines(), 1):
        line = re.split(r"[%#]", line, maxsplit=1)[0].strip()
        if not line:
            continue
        try:
            row = [_number(t) for t in _NUMBER_SPLIT.split(line.strip(" ,;")) if t]
        except ValueError as exc:
            raise MatlabError(f"load: {path.name}:{k}: '{exc}' is not a number; a text file must hold numbers only") \
                from None
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise MatlabError(f"load: {path.name}:{k}: {len(row)} numbers where the rows above have {width}")
        rows.append(row)
    if not rows:
        return _wrap(np.zeros((0, 0)))
    return _wrap(np.array(rows, dtype=np.float64))


def _number(token: str) -> float:
    t = token.lower()
    special = {"inf": np.inf, "+inf": np.inf, "-inf": -np.inf, "nan": np.nan, "+nan": np.nan, "-nan": np.nan,
               "na": np.nan}
    if t in special:
        return special[t]
    try:
        return float(token)
    except ValueError:
        raise ValueError(token) from None


def _mat_variables(path: Path) -> dict:
    import scipy.io

    try:
        raw = scipy.io.loadmat(str(path), squeeze_me=False, mat_dtype=False, chars_as_strings=False)
    except Exception as exc:  # noqa: BLE001 - scipy raises several kinds for a damaged file
        raise MatlabError(f"load: {path.name} is not a readable MAT-file: {exc}") from None
    # scipy reads a logical as uint8 and drops the flag; whosmat still names the class
    logical = {name for name, _, cls in scipy.io.whosmat(str(path)) if cls == "logical"}
    return {k: _wrap(v != 0) if k in logical else _from_mat(v, f"{path.name}: variable '{k}'")
            for k, v in raw.items() if not k.startswith("__")}


def _from_mat(v, where: str):
    if isinstance(v, np.ndarray) and v.dtype == object:
        cell = np.empty(v.shape, dtype=object)
        for idx in np.ndindex(v.shape):
            cell[idx] = _from_mat(v[idx], f"{where} element")
        return Cell(list(cell.reshape(-1, order="F")), v.shape)
    arr = np.asarray(v)
    if arr.dtype.names is not None:
        raise MatlabError(f"load: {where} is a struct, outside rnncore translate's subset")
    if arr.dtype.kind in "US":
        text = arr.astype("U")
        codes = np.array([[ord(c) for c in row] for row in text.reshape(-1)] if text.size else [], dtype=np.uint16)
        return _wrap(codes.reshape(arr.shape[0], -1) if codes.size else np.zeros(arr.shape, dtype=np.uint16))
    if arr.dtype == np.bool_:
        return _wrap(arr)
    if arr.dtype == np.float64:
        return _wrap(arr)
    if arr.dtype.kind == "c":
        raise MatlabError(f"load: {where} is complex, outside rnncore translate's subset")
    if hasattr(v, "tocsc"):
        raise MatlabError(f"load: {where} is sparse, outside rnncore translate's subset")
    raise MatlabError(f"load: {where} is of class {arr.dtype} (an integer or single), outside rnncore translate's "
                      f"subset; save it as double")


def _octave_text(path: Path) -> dict:
    lines = _read_text(path, "load").splitlines()
    reader = _OctaveText(lines, path.name)
    out = {}
    while True:
        name = reader.next_name()
        if name is None:
            return out
        out[name] = reader.value(f"{path.name}: variable '{name}'")


class _OctaveText:
    """Octave's text format (``save -text``), one variable after another."""

    def __init__(self, lines, file):
        self.lines, self.at, self.file = lines, 0, file

    def next_name(self):
        while self.at < len(self.lines):
            line = self.lines[self.at]
            self.at += 1
            if line.startswith("# name: "):
                return line[len("# name: "):].strip()
        return None

    def header(self, key: str) -> str:
        while self.at < len(self.lines) and not self.lines[self.at].strip():
            self.at += 1
        line = self.lines[self.at] if self.at < len(self.lines) else ""
        if not line.startswith(f"# {key}: "):
            raise MatlabError(f"load: {self.file}:{self.at + 1}: expected '# {key}:' in Octave's text format")
        self.at += 1
        return line[len(f"# {key}: "):].strip()

    def numbers(self, n: int, where: str) -> list[float]:
        out = []
        while len(out) < n:
            if self.at >= len(self.lines):
                raise MatlabError(f"load: {where}: the file ends before its {n} values")
            out += [_number(t) for t in self.lines[self.at].split()]
            self.at += 1
        return out

    def value(self, where: str):
        kind = self.header("type")
        if kind in ("scalar", "bool"):
            x = self.numbers(1, where)[0]
            return _wrap(np.array([[x]], dtype=bool if kind == "bool" else np.float64))
        if kind in ("matrix", "bool matrix"):
            dt = bool if kind == "bool matrix" else np.float64
            line = self.lines[self.at] if self.at < len(self.lines) else ""
            if line.startswith("# ndims: "):  # an N-D array: its sizes on the next line, then one value a line
                ndims = int(self.header("ndims"))
                dims = [int(d) for d in self.numbers(ndims, where)]
                vals = self.numbers(int(np.prod(dims)), where)
                return _wrap(np.array(vals, dtype=np.float64).reshape(dims, order="F").astype(dt))
            r, c = int(self.header("rows")), int(self.header("columns"))
            rows = [self.numbers(c, where) if c else [] for _ in range(r)]
            return _wrap(np.array(rows, dtype=np.float64).reshape(r, c).astype(dt))
        if kind in ("sq_string", "string"):
            n = int(self.header("elements"))
            rows = []
            for _ in range(n):
                length = int(self.header("length"))
                text = self.lines[self.at] if self.at < len(self.lines) else ""
                self.at += 1
                rows.append([ord(ch) for ch in text[:length]])
            if n == 1:
                return char("".join(map(chr, rows[0])))
            return _wrap(np.array(rows, dtype=np.uint16).reshape(n, -1))
        if kind == "cell":
            r, c = int(self.header("rows")), int(self.header("columns"))
            items = []
            for k in range(r * c):
                if self.next_name() != "<cell-element>":
                    raise MatlabError(f"load: {where}: a cell element is missing")
                items.append(self.value(f"{where} element {k + 1}"))
            return Cell(items, (r, c))
        raise MatlabError(f"load: {where} is of Octave type '{kind}', outside rnncore translate's subset")


# --------------------------------------------------------------------------------------------
# save


def save(scope: Mapping, *args) -> None:
    """MATLAB ``save file a b`` / ``save('file', 'a', 'b')``: a MAT-file (``scipy.io.savemat``, which
    MATLAB, Octave and :func:`load` read); with ``-ascii``, MATLAB's numeric text (``%.8e``, one row a
    line). ``scope`` is the translated function's ``locals()``."""
    from .workspace import py_name

    words = [_text(a, "save: an argument") for a in args]
    options = {w.lower() for w in words if w.startswith("-")}
    rest = [w for w in words if not w.startswith("-")]
    if not rest:
        raise MatlabError("save: give the file name")
    path = _path(rest[0], "save")
    names = rest[1:] or sorted(n for n, v in scope.items() if not n.startswith("_") and isinstance(v, (MArray, Cell))
                               and n not in ("inputs",))
    vals = {}
    for n in names:
        v = scope.get(py_name(n))
        if not isinstance(v, (MArray, Cell)):
            raise MatlabError(f"save: no variable '{n}' to save in {path.name}")
        vals[n] = v
    unknown = options - {"-ascii", "-double", "-tabs", "-mat", "-v7", "-v6", "-text"}
    if unknown:
        raise MatlabError(f"save: option {sorted(unknown)[0]} is outside rnncore translate's subset")
    if "-text" in options:
        raise MatlabError("save -text (Octave's text format) is outside rnncore translate's subset; use -v7 or -ascii")
    try:
        if "-ascii" in options:
            _save_ascii(path, vals, "\t" if "-tabs" in options else " ", "-double" in options)
        else:
            _save_mat(path, vals)
    except OSError as exc:
        raise MatlabError(f"save: unable to write file '{path}': {exc.strerror or exc}") from None


def _save_ascii(path: Path, vals: dict, sep: str, dbl: bool) -> None:
    """Octave's ``save -ascii``: every number as ``' %.8e'`` (``%.16e`` with ``-double``), one matrix row
    a line; with ``-tabs``, numbers joined by tabs."""
    fmt = "%.16e" if dbl else "%.8e"

    def number(x: float) -> str:
        return fmt % x if np.isfinite(x) else ("NaN" if np.isnan(x) else "Inf" if x > 0 else "-Inf")

    lines = []
    for n, v in vals.items():
        if isinstance(v, Cell) or v.ndim > 2:
            raise MatlabError(f"save -ascii: '{n}' is not a numeric matrix")
        for row in _plain(v).astype(np.float64):
            lines.append("\t".join(map(number, row)) if sep == "\t" else "".join(" " + number(x) for x in row))
    path.write_text("".join(line + "\n" for line in lines))


def _refuse_nd_char():
    raise MatlabError("save: an N-D char array is outside rnncore translate's subset")


def _save_mat(path: Path, vals: dict) -> None:
    import scipy.io

    def plain(v):
        if isinstance(v, Cell):
            obj = np.empty(len(v), dtype=object)
            for i, x in enumerate(v):
                obj[i] = plain(x)
            return obj.reshape(v.shape, order="F")
        a = v.view(np.ndarray)
        if v.dtype == _CHAR:  # savemat writes text from str: a char row as its string, a char matrix by rows
            return np.array(["".join(map(chr, r)) for r in a]) if a.ndim == 2 else _refuse_nd_char()
        return a

    scipy.io.savemat(str(path), {n: plain(v) for n, v in vals.items()}, format="5", do_compression=False,
                     oned_as="column")


# --------------------------------------------------------------------------------------------
# dlmread, csvread


@matlab_function()
def dlmread(name, sep=None, r0=None, c0=None):
    """MATLAB ``dlmread(file)``, ``dlmread(file, sep)``, ``dlmread(file, sep, r0, c0)`` (0-based
    offsets): numbers separated by ``sep`` (else by commas, tabs or blanks); an empty field or a
    short row is filled with 0."""
    path = _path(name, "dlmread")
    delim = None if sep is None else _text(sep, "dlmread: the separator")
    delim = {"\\t": "\t"}.get(delim, delim)
    rows = []
    for k, line in enumerate(_read_text(path, "dlmread").splitlines(), 1):
        if not line.strip():
            continue
        fields = re.split(r"\s*,\s*|\t|\s+", line.strip()) if not delim else line.split(delim)
        try:
            rows.append([_number(f.strip()) if f.strip() else 0.0 for f in fields])
        except ValueError as exc:
            raise MatlabError(f"dlmread: {path.name}:{k}: '{exc}' is not a number") from None
    width = max((len(r) for r in rows), default=0)
    a = np.zeros((len(rows), width))
    for i, r in enumerate(rows):
        a[i, :len(r)] = r
    i0 = 0 if r0 is None else int(_plain(value(r0)).reshape(-1)[0])
    j0 = 0 if c0 is None else int(_plain(value(c0)).reshape(-1)[0])
    return _wrap(a[i0:, j0:])


@matlab_function()
def csvread(name, r0=None, c0=None):
    """MATLAB ``csvread(file)`` and ``csvread(file, r0, c0)``: :func:`dlmread` with commas."""
    return dlmread(name, ",", r0, c0)


# --------------------------------------------------------------------------------------------
# fopen and friends: a file is read whole when opened, then consumed from a position


class _Open:
    def __init__(self, path: Path, text: str):
        self.path, self.text, self.pos = path, text, 0


_OPEN: dict[int, _Open] = {}


def _close_all() -> None:
    _OPEN.clear()


def _file(fid, what: str) -> _Open:
    v = np.asarray(_plain(value(fid))).reshape(-1)
    f = _OPEN.get(int(v[0])) if v.size == 1 else None
    if f is None:
        raise MatlabError(f"{what}: invalid stream number = {v[0] if v.size else '[]'}")
    return f


@matlab_function(max_outputs=2)
def fopen(name, mode=None, *, nargout: int = 1):
    """MATLAB ``fid = fopen(file)`` / ``fopen(file, 'r')``: -1 when the file cannot be opened
    (``[fid, msg] = fopen(...)`` gives the reason). Writing to a file is outside the subset."""
    m = "r" if mode is None else _text(mode, "fopen: the mode")
    if m.replace("t", "").replace("b", "") != "r":
        raise MatlabError(f"fopen(..., '{m}'): only reading a file is in rnncore translate's subset; write "
                          f"results with save")
    path = _path(name, "fopen")
    try:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        fid, msg = double(-1), char(exc.strerror or str(exc))
    else:
        n = 3
        while n in _OPEN:
            n += 1
        _OPEN[n] = _Open(path, text)
        fid, msg = double(n), char("")
    return (fid, msg) if nargout > 1 else fid


@matlab_function()
def fclose(fid):
    """MATLAB ``fclose(fid)`` and ``fclose('all')``: 0."""
    if isinstance(fid, str) or (isinstance(value(fid), MArray) and value(fid).dtype == _CHAR):
        _close_all()
        return double(0)
    f = _file(fid, "fclose")
    for k, v in list(_OPEN.items()):
        if v is f:
            del _OPEN[k]
    return double(0)


@matlab_function()
def feof(fid):
    """MATLAB ``feof(fid)``: 1 once everything has been read (a double, as Octave gives it)."""
    f = _file(fid, "feof")
    return double(1 if f.pos >= len(f.text) else 0)


def _line(fid, keep: bool, what: str):
    f = _file(fid, what)
    if f.pos >= len(f.text):
        return double(-1)
    end = f.text.find("\n", f.pos)
    end = len(f.text) if end < 0 else end + 1
    line = f.text[f.pos:end]
    f.pos = end
    return char(line if keep else line.rstrip("\n").rstrip("\r"))


@matlab_function()
def fgetl(fid):
    """MATLAB ``fgetl``: the next line without its newline; -1 at the end of the file."""
    return _line(fid, False, "fgetl")


@matlab_function()
def fgets(fid):
    """MATLAB ``fgets``: the next line with its newline; -1 at the end of the file."""
    return _line(fid, True, "fgets")


_CONVERSION = re.compile(r"%(\*?)(\d*)(?:\.\d+)?(l?[dfgeiu]|s)")
_FLOAT = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[Ii]nf|NaN)")


@matlab_function()
def fscanf(fid, fmt, size=None):
    """MATLAB ``fscanf(fid, '%f')`` (and ``%d``, ``%g``, ``%e``, several per format, with commas or
    blanks between): the numbers, a column; ``fscanf(fid, fmt, [m n])`` / ``[m Inf]`` fills an m-row
    matrix column by column. Reading stops at the first text that is not a number."""
    f = _file(fid, "fscanf")
    fmt = _text(fmt, "fscanf: the format")
    if not _CONVERSION.search(fmt) or any(c[2] == "s" for c in _CONVERSION.findall(fmt)):
        raise MatlabError(f"fscanf(fid, '{fmt}'): only numeric conversions (%f, %d, %g, %e) are in rnncore "
                          f"translate's subset")
    limit = np.inf
    rows = None
    if size is not None:
        s = np.asarray(_plain(value(size)), dtype=np.float64).reshape(-1)
        if s.size == 1:
            limit = s[0]
        else:
            rows, limit = int(s[0]), s[0] * s[1]
    out = []
    text = f.text
    while len(out) < limit:
        m = re.compile(r"[\s,;]*").match(text, f.pos)
        pos = m.end()
        m = _FLOAT.match(text, pos)
        if not m:
            f.pos = pos  # as Octave: the blanks before what stopped the reading are consumed
            break
        out.append(_number(m.group()))
        f.pos = m.end()
    a = np.array(out, dtype=np.float64).reshape(-1, 1)
    if rows is not None:
        cols = -(-len(out) // rows) if rows else 0
        full = np.zeros(rows * cols)
        full[:len(out)] = out
        return _wrap(full.reshape((rows, cols), order="F"))
    return _wrap(a if out else np.zeros((0, 1)))


@matlab_function()
def textscan(fid, fmt, *options):
    """MATLAB ``C = textscan(fid, '%f %f %s', 'Delimiter', ',', 'HeaderLines', 1)``: a 1xK cell, one
    column per conversion (numbers as a double column, ``%s`` as a cell column of text)."""
    f = _file(fid, "textscan")
    fmt = _text(fmt, "textscan: the format")
    convs = [c for c in _CONVERSION.findall(fmt)]
    if not convs:
        raise MatlabError(f"textscan(fid, '{fmt}'): give one conversion per column (%f, %d, %s)")
    opts = {}
    for k in range(0, len(options) - 1, 2):
        opts[_text(options[k], "textscan: an option name").lower()] = options[k + 1]
    if len(options) % 2:
        raise MatlabError("textscan: options come in name, value pairs")
    delim = _text(opts.pop("delimiter"), "textscan: Delimiter") if "delimiter" in opts else None
    delim = {"\\t": "\t"}.get(delim, delim)
    header = int(np.asarray(_plain(value(opts.pop("headerlines")))).reshape(-1)[0]) if "headerlines" in opts else 0
    if opts:
        raise MatlabError(f"textscan: option '{next(iter(opts))}' is outside rnncore translate's subset")
    lines = f.text[f.pos:].splitlines()
    f.pos = len(f.text)
    columns: list[list] = [[] for c in convs if not c[0]]
    for k, line in enumerate(lines[header:], header + 1):
        if not line.strip():
            continue
        fields = [x.strip() for x in (line.split(delim) if delim else line.split())]
        kept = 0
        for j, (skip, _, kind) in enumerate(convs):
            if skip:
                continue
            field = fields[j] if j < len(fields) else ""
            if kind == "s":
                columns[kept].append(field)
            else:
                try:
                    columns[kept].append(_number(field) if field else np.nan)
                except ValueError:
                    raise MatlabError(f"textscan: line {k}: '{field}' is not a number for {kind}") from None
            kept += 1
    out = []
    for col, (_, _, kind) in zip(columns, [c for c in convs if not c[0]]):
        if kind == "s":
            out.append(Cell([char(s) for s in col], (len(col), 1)) if col else Cell())
        else:
            out.append(_wrap(np.array(col, dtype=np.float64).reshape(-1, 1)))
    return Cell(out, (1, len(out)))
