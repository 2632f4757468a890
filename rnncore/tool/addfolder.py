"""The ports of a whole course folder (issue #19, first part of ``rnncore add matlab_ref/<folder>/``).

Every ``.m`` of the folder becomes a module of a package of its own, ``ports/<folder>/``, so that
same-named functions of different exercises (three ``sigmoid.m``, one per exercise folder) never
meet: a port imports a sibling function relatively (``from .sigmoid import sigmoid``), from its own
package. Each file is translated on its own (:func:`rnncore.translate.translate_source`, the folder's
other files given as the functions it may call), so one file outside the translator's subset does
not stop the others: it gets a skeleton that raises ``NotImplementedError`` naming the construct
and the line, and the listing says which construct stops each skeleton.

A port already there is rewritten only when it is rnncore's own (the same text as the translation,
or a skeleton rnncore wrote); a port edited by hand is kept and listed, never overwritten.

Captured calls: :func:`store_calls` writes the calls a driver script made (captured by
:func:`rnncore.engine.capture.capture_calls`) as the draws of a function file's case. Not built yet:
the command itself (cases appended to ``config.yaml``, a case key reading the stored draws).
"""

from __future__ import annotations

import json
import keyword
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncore.errors import RnncoreError
from rnncore.io import write_atomic

__all__ = ["FolderError", "FilePort", "FolderPorts", "StoredCalls", "package_name", "port_folder", "store_calls"]

_SKELETON_MARK = "# rnncore add: skeleton"  # how a later `add` recognises a skeleton it may rewrite
_INIT = '"""Ports of matlab_ref/{folder}/ written by `rnncore add`: one module per .m file."""\n'


class FolderError(RnncoreError):
    """The folder cannot be ported as it is; the message says why."""


@dataclass(frozen=True)
class FilePort:
    """The port of one ``.m`` file of the folder."""

    source: Path  # the .m file
    kind: str  # "script" | "function" | "class"
    module: str  # path of the port, relative to the course folder
    translated: bool
    construct: str = ""  # what stops the translation ('' when translated)
    line: int = 0  # where (0 when translated)
    reason: str = ""  # the translator's sentence
    kept: bool = False  # a port edited by hand, left as it was


@dataclass(frozen=True)
class FolderPorts:
    package: str  # ports.<folder>
    files: tuple[FilePort, ...]  # in file-name order

    @property
    def skeletons(self) -> tuple[FilePort, ...]:
        return tuple(f for f in self.files if not f.translated)


def package_name(folder: Path) -> str:
    """The Python package name of a course folder: its name, ``-`` and spaces as ``_``."""
    name = folder.name.replace("-", "_").replace(" ", "_")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise FolderError(f"{folder}: its name cannot name a Python package of ports (ports/{name}/); rename the "
                          f"folder to letters, digits and _")
    return name


def _skeleton(path: Path, label: str, scan, exc) -> str:
    """A port to write by hand, for a file the translator refuses: calling it raises, naming why."""
    name = path.stem
    if scan.kind == "function":
        args = [a for a in scan.inputs if a != "varargin" and a != "~"]
        params = ", ".join(args + (["*varargin"] if "varargin" in scan.inputs else []))
        what = f"function [{', '.join(scan.outputs)}] = {scan.function_name}({', '.join(scan.inputs)})"
        returns = f"{{{', '.join(repr(o) for o in scan.outputs)}}} as a mapping of output names to values"
    else:
        params, what, returns = "inputs=None", "a script", "every variable it leaves as a mapping of names to values"
    message = f"port of {label} to write by hand: {exc}"
    why = str(exc).replace('"""', "'''").replace("\\", "/")
    return (f'"""Port of {label} ({what}): to be written by hand.\n\n'
            f"`rnncore translate` could not translate it: {why}\n\n"
            f"Return {returns}.\n"
            f'"""\n\n{_SKELETON_MARK}\n\n\n'
            f"def {name}({params}):\n"
            f"    raise NotImplementedError({json.dumps(message)})\n")


def _ours(text: str) -> bool:
    """Whether a port is rnncore's own: a translation (never to be edited) or a skeleton still raising."""
    return text.startswith('"""Python port of') or (_SKELETON_MARK in text and 'NotImplementedError("port of' in text)


def port_folder(folder, *, project=".", dry_run: bool = False) -> FolderPorts:
    """Translate every ``.m`` of ``folder`` into ``ports/<folder>/`` (see the module docstring)."""
    from rnncore.engine.preflight import scan_m_file
    from rnncore.translate import TranslationError, translate_source
    from rnncore.translate import _read as read_m  # the translator's own reading (UTF-8, else Latin-1)

    project, folder = Path(project), Path(folder)
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such folder")
    if not folder.resolve().is_relative_to(project.resolve()):
        raise FolderError(f"{folder} is outside the course folder {project.resolve()}; copy it into matlab_ref/ first")
    files = sorted(p for p in folder.glob("*.m") if p.is_file())
    if not files:
        raise FolderError(f"{folder}: holds no .m file")
    package = package_name(folder)
    out_dir = project / "ports" / package
    texts = {p.stem: read_m(p) for p in files}
    ports, writes = [], {}
    for path in files:
        label = path.resolve().relative_to(project.resolve()).as_posix()
        module = f"ports/{package}/{path.stem}.py"
        scan = scan_m_file(path)
        if not path.stem.isidentifier() or keyword.iskeyword(path.stem):
            raise FolderError(f"{label}: its name cannot name a Python module; rename the file")
        others = {k: v for k, v in texts.items() if k != path.stem}
        try:
            if scan.kind == "class":
                raise TranslationError(str(path), 1, "a classdef file", "classes are outside the subset")
            text = translate_source(texts[path.stem], str(path), functions=others)
        except TranslationError as exc:
            text = _skeleton(path, label, scan, exc)
            port = FilePort(path, scan.kind, module, False, exc.construct, exc.line, str(exc))
        else:
            port = FilePort(path, scan.kind, module, True)
        target = project / module
        if target.exists():
            old = target.read_text(encoding="utf-8")
            if old != text and not _ours(old):
                port = FilePort(**{**port.__dict__, "kept": True})
                ports.append(port)
                continue
        writes[target] = text
        ports.append(port)
    init = out_dir / "__init__.py"
    if not init.exists():
        writes[init] = _INIT.format(folder=folder.name)
    top = project / "ports" / "__init__.py"
    if not top.exists():
        writes[top] = '"""Python ports of the MATLAB files in matlab_ref/."""\n'
    if not dry_run:
        for target, text in writes.items():
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                write_atomic(target, text)
    return FolderPorts(f"ports.{package}", tuple(ports))


# --------------------------------------------------------------------------- captured calls, stored


@dataclass(frozen=True)
class StoredCalls:
    """The captured calls of one function file, as stored for its case."""

    function: str
    path: Path | None  # the inputs file written (None: no call could be stored)
    draws: int
    nargout: tuple[int, ...]  # per draw, the nargout the course's call asked for
    skipped: tuple[str, ...]  # calls not stored, each with why


def _value(arg, cls: str, size) -> "Value | None":
    from rnncore.io import Value

    size = tuple(int(s) for s in size)
    if cls == "char" and isinstance(arg, str):
        codes = np.array([ord(c) for c in arg], dtype=np.float64).reshape(size) if arg else np.zeros(size)
        return Value("char", size, data=codes)
    if isinstance(arg, (np.ndarray, int, float, bool, np.number, np.bool_)) and cls in _STORED_CLASSES:
        data = np.asarray(arg, dtype=np.float64)
        if data.shape != size:
            data = data.reshape(size, order="F")
        return Value(cls, size, data=data)
    return None


_STORED_CLASSES = {"double", "single", "logical", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                   "uint64"}


def store_calls(folder, function: str, results, *, project=".") -> StoredCalls:
    """Write the calls of ``function`` captured by each of ``results`` (capture_calls' answers, one per
    driver script, in script order) to ``<folder>/.rnncore/<function>.npz``, an inputs file
    (:func:`rnncore.io.write_engine`: exact float64, fixed bytes) with one draw per distinct call.

    A call is stored when it gives every declared argument (no ``varargin``) as a numeric, logical
    or char array; another (a cell, a struct, a handle, fewer arguments) is listed with why.
    """
    from rnncore.engine.preflight import scan_m_file
    from rnncore.io import EngineFile, write_engine

    folder = Path(folder)
    scan = scan_m_file(folder / f"{function}.m")
    names = list(scan.inputs)
    draws, nargouts, origins, skipped, seen = [], [], [], [], set()
    for result in results:
        calls = result.functions.get(function)
        for call in (calls.kept if calls else ()):
            where = f"{result.script.name} call {call.call_index}"
            if call.uncapturable:
                skipped.append(f"{where}: {call.uncapturable}")
                continue
            if "varargin" in names or len(call.args) != len(names):
                skipped.append(f"{where}: {len(call.args)} argument(s) where {function}.m declares "
                               f"({', '.join(names)})")
                continue
            values = [_value(a, c, s) for a, c, s in zip(call.args, call.classes, call.sizes)]
            bad = [f"{n} (a {c})" for n, v, c in zip(names, values, call.classes) if v is None]
            if bad:
                skipped.append(f"{where}: {', '.join(bad)}: only numeric, logical and char arrays are stored")
                continue
            key = (call.nargout, tuple((v.cls, v.shape, v.data.tobytes(order="F")) for v in values))
            if key in seen:  # the same call made by two scripts: one draw
                continue
            seen.add(key)
            draws.append(dict(zip(names, values)))
            nargouts.append(int(call.nargout))
            origins.append(where)
    path = None
    if draws:
        path = folder / ".rnncore" / f"{function}.npz"
        path.parent.mkdir(exist_ok=True)
        meta = {"function": function, "arguments": names, "nargout": nargouts, "calls": origins}
        write_engine(path, EngineFile("inputs", draws, meta))
    return StoredCalls(function, path, len(draws), tuple(nargouts), tuple(skipped))
