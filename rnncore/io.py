"""Files between the workflow's steps: atomic writes, engine files, the one CSV reader and writer.

* :func:`write_atomic` writes through a temporary file in the same folder and renames it, so a
  reader sees a whole file or none; an interrupted write leaves the old file, never a partial one.
* Engine files (:class:`EngineFile`, ``results/engines/<case>/{inputs,octave,python}.npz``) hold
  what one engine produced for a case: per draw, each variable as a :class:`Value` (MATLAB class,
  size, values), plus metadata, or the error that stopped that side. They are zip archives of
  ``.npy`` arrays (``numpy.load`` reads them) and one ``engine.json``: exact (every bit of every
  double, NaN payloads included), compact at any size, and the same bytes for the same values
  (entries in a fixed order, with a fixed timestamp: a plain ``np.savez`` stamps the time of day).
* :func:`write_csv` / :func:`read_csv`: every CSV rnncore writes. Numbers travel as numbers until
  they are written; floats are written by :func:`format_float` (``%.17g``, which reads back to the
  same double, and MATLAB's ``NaN``/``Inf``/``-Inf``); ``None`` is an empty field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnncore.errors import ArtifactError

__all__ = ["ArtifactError", "write_atomic", "format_float", "write_csv", "read_csv", "Value", "EXACT_DTYPES",
           "EngineFile", "write_engine", "read_engine", "ENGINE_FORMAT"]

ENGINE_FORMAT = "rnncore-engine/2"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: no clock in the bytes


def write_atomic(path, data) -> None:
    """Write ``data`` (``str``, ``bytes``, or a callable writing to a binary file) to ``path`` atomically.

    Parent folders are created. The file gets mode 0o644 (``mkstemp``'s 0o600 is too strict for a
    report). On any failure, a full disk included, the old file (or none) stays and the temporary
    file is removed; the error names the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, str):
                fh.write(data.encode("utf-8"))
            elif isinstance(data, (bytes, bytearray)):
                fh.write(data)
            else:
                data(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ArtifactError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_float(x) -> str:
    """``'%.17g'`` (round-trips every double through ``float()``), with MATLAB-style ``NaN``/``Inf``/``-Inf``;
    ``-0.0`` gives ``"-0"``."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return "%.17g" % x


# --------------------------------------------------------------------------- CSV


def _field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return format_float(value)
    return str(value)


def csv_text(rows, columns, header: bool = True, first: int = 1) -> str:
    """The CSV text of ``rows`` (mappings with exactly ``columns``), lines ending in ``\\n``; without
    ``header`` the rows only (a later chunk of a streamed table whose first row is number ``first``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(columns)
    for i, row in enumerate(rows, start=first - 1):
        if set(row) != set(columns):
            extra, lacking = sorted(set(row) - set(columns)), sorted(set(columns) - set(row))
            raise ValueError(f"row {i + 1}: columns differ (extra {extra}, missing {lacking})")
        writer.writerow([_field(row[c]) for c in columns])
    return buf.getvalue()


def write_csv(path, rows, columns) -> None:
    """Write ``rows`` (mappings with exactly ``columns``) as CSV, atomically; see the module docstring."""
    write_atomic(path, csv_text(rows, columns))


def read_csv(path, columns=None) -> list[dict[str, str]]:
    """Read a CSV rnncore wrote; fields stay text. With ``columns``, the header must be exactly those.

    A missing file, a wrong header, a row with the wrong number of fields or a last line without
    its newline (a truncated file) raise :class:`ArtifactError` naming the file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if text and not text.endswith("\n"):
        raise ArtifactError(f"{path}: the last line has no newline; the file is truncated. Delete it and rerun.")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ArtifactError(f"{path}: empty file; delete it and rerun")
    if columns is not None and header != list(columns):
        raise ArtifactError(f"{path}:1: expected the columns {','.join(columns)}, got {','.join(header)}")
    rows = []
    for fields in reader:
        if len(fields) != len(header):
            raise ArtifactError(f"{path}:{reader.line_num}: {len(fields)} fields where the header has "
                                f"{len(header)}; the file is damaged. Delete it and rerun.")
        rows.append(dict(zip(header, fields)))
    return rows


# --------------------------------------------------------------------------- engine files


# The classes whose values a double cannot always hold (beyond 2^53): their data keeps this dtype.
EXACT_DTYPES = {"int64": "int64", "uint64": "uint64"}


@dataclass(frozen=True, eq=False)
class Value:
    """One MATLAB value as an engine holds it.

    ``cls`` is MATLAB's ``class()`` (``double``, ``single``, ``logical``, ``char``, ``int8`` ...
    ``uint64``, ``cell``). An array carries ``data``: float64 in MATLAB's shape (at least 2-D; a
    ``char`` array as its character codes, a ``logical`` as 0/1), except an ``int64`` or ``uint64``
    array, whose data may keep its own dtype (:data:`EXACT_DTYPES`): a double holds every integer
    only up to 2^53, and a rounded 2^53 + 1 would compare equal to 2^53. A cell carries ``items``:
    its elements in MATLAB's column-major order, each a :class:`Value`, and ``data`` is None. A 1x1
    ``struct`` (a captured call's argument: a course's ``model``) carries ``fields``: (name, Value)
    pairs in MATLAB's field order.
    """

    cls: str
    shape: tuple[int, ...]
    data: np.ndarray | None = None
    items: tuple["Value", ...] | None = field(default=None)
    fields: tuple[tuple[str, "Value"], ...] | None = field(default=None)

    def __post_init__(self):
        object.__setattr__(self, "shape", tuple(int(n) for n in self.shape))
        if self.cls == "cell":
            if self.items is None or len(self.items) != math.prod(self.shape):
                raise ValueError(f"a cell of size {self.shape} needs {math.prod(self.shape)} items")
        elif self.cls == "struct":
            if self.fields is None or self.shape != (1, 1):
                raise ValueError(f"a struct of size {self.shape} needs fields, and only 1x1 structs are held")
        elif self.data is None or tuple(self.data.shape) != self.shape:
            raise ValueError(f"a {self.cls} of size {self.shape} needs data of that shape")

    def plain(self):
        """The value as the engines pass an argument on: the array (``data``), a struct as a dict of
        its fields' plain values (oct2py makes it a struct; a port takes a dict as one)."""
        if self.cls == "struct":
            return {name: v.plain() for name, v in self.fields}
        return self.data

    @property
    def size_text(self) -> str:
        """MATLAB's size as reports print it, e.g. ``3x4``."""
        return "x".join(str(n) for n in self.shape)


@dataclass(eq=False)
class EngineFile:
    """What one engine produced for one case: one ``{name: Value}`` per draw, or the error that stopped it.

    ``engine`` is ``"octave"``, ``"python"`` or ``"inputs"``. ``meta`` is JSON-able (versions, shims,
    the workspace, variables missing or unsupported and why). ``error`` is one sentence naming the
    file and line where that side failed; then ``draws`` is empty.
    """

    engine: str
    draws: list[dict[str, Value]]
    meta: dict = field(default_factory=dict)
    error: str | None = None


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    # Column-major, as MATLAB stores it: the same values give the same bytes whatever the producer's layout.
    dtype = arr.dtype if arr.dtype.name in EXACT_DTYPES.values() else np.float64  # int64/uint64 kept exact
    np.lib.format.write_array(buf, np.asfortranarray(arr, dtype=dtype), allow_pickle=False)
    return buf.getvalue()


def _encode(prefix: str, value: Value, entries: list) -> dict:
    doc = {"class": value.cls, "shape": list(value.shape)}
    if value.cls == "cell":
        doc["items"] = [_encode(f"{prefix}/{k}", item, entries) for k, item in enumerate(value.items)]
    elif value.cls == "struct":  # a list of pairs: MATLAB's field order is part of the value
        doc["fields"] = [[name, _encode(f"{prefix}/{k}", v, entries)] for k, (name, v) in enumerate(value.fields)]
    else:
        entries.append((f"{prefix}.npy", _npy(value.data)))
    return doc


def write_engine(path, doc: EngineFile) -> None:
    """Write ``doc`` to ``path`` (a ``.npz``) atomically and deterministically."""
    entries: list[tuple[str, bytes]] = []
    draws = [{name: _encode(f"d{i}/{name}", value, entries) for name, value in sorted(d.items())}
             for i, d in enumerate(doc.draws)]
    head = {"format": ENGINE_FORMAT, "engine": doc.engine, "error": doc.error, "meta": doc.meta, "draws": draws}
    text = json.dumps(head, indent=1, sort_keys=True, allow_nan=True) + "\n"

    def write(fh):
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as z:
            for name, data in [("engine.json", text.encode("utf-8")), *entries]:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.external_attr = 0o644 << 16
                info.create_system = 3
                z.writestr(info, data)

    write_atomic(path, write)


def _decode(z: zipfile.ZipFile, path: Path, prefix: str, doc) -> Value:
    try:
        cls, shape = str(doc["class"]), tuple(int(n) for n in doc["shape"])
        if any(n < 0 for n in shape):
            raise ValueError(f"negative size {list(shape)}")
        if cls == "cell":
            return Value(cls, shape, items=tuple(_decode(z, path, f"{prefix}/{k}", item)
                                                 for k, item in enumerate(doc["items"])))
        if cls == "struct":
            return Value(cls, shape, fields=tuple((str(name), _decode(z, path, f"{prefix}/{k}", v))
                                                  for k, (name, v) in enumerate(doc["fields"])))
        with z.open(f"{prefix}.npy") as fh:
            data = np.lib.format.read_array(fh, allow_pickle=False)
        if data.dtype != np.float64 and data.dtype != EXACT_DTYPES.get(cls):
            raise ValueError(f"dtype {data.dtype}, expected float64")
        # Column-major, as MATLAB holds it: a port's BLAS calls (and so its last bits) can depend on the
        # memory layout of the arrays it is given, and inputs have always reached ports this way.
        return Value(cls, shape, data=np.asfortranarray(data))
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, OSError) as exc:
        name = prefix.partition("/")[2]
        raise ArtifactError(f"{path}: variable {name!r} is damaged ({exc}); delete the file and rerun") from None


def read_engine(path, engine: str | None = None, draws: int | None = None) -> EngineFile:
    """Read an engine file; with ``engine`` / ``draws``, check it holds that engine's results and that
    many draws (an error file holds none). Anything damaged or unexpected is an :class:`ArtifactError`."""
    path = Path(path)
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArtifactError(f"{path}: engine file missing; rerun the workflow to make it") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArtifactError(f"{path}: not a readable engine file ({exc}); it is truncated or damaged. "
                            f"Delete it and rerun.") from None
    with z:
        try:
            head = json.loads(z.read("engine.json").decode("utf-8"))
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ArtifactError(f"{path}: engine file without a readable engine.json ({exc}); delete it and "
                                f"rerun") from None
        if not isinstance(head, dict) or head.get("format") != ENGINE_FORMAT:
            raise ArtifactError(f"{path}: not an rnncore engine file (expected format {ENGINE_FORMAT!r})")
        if not isinstance(head.get("draws"), list) or not isinstance(head.get("meta"), dict):
            raise ArtifactError(f"{path}: engine file is damaged: 'draws' must be a list and 'meta' an object")
        doc = EngineFile(engine=str(head.get("engine")), meta=head["meta"], error=head.get("error"),
                         draws=[{name: _decode(z, path, f"d{i}/{name}", v) for name, v in d.items()}
                                for i, d in enumerate(head["draws"])])
    if engine is not None and doc.engine != engine:
        raise ArtifactError(f"{path}: holds {doc.engine!r} results where {engine!r} results were expected")
    if draws is not None and doc.error is None and len(doc.draws) != draws:
        raise ArtifactError(f"{path}: holds {len(doc.draws)} draw(s) where {draws} were expected; delete it "
                            f"and rerun")
    return doc
