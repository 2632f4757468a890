"""The ports of a whole course folder (issue #19, first part of ``rnncore add matlab_ref/<folder>/``).

Every ``.m`` of the folder becomes a module of a package of its own, ``ports/<folder>/``, so that
same-named functions of different exercises (three ``sigmoid.m``, one per exercise folder) never
meet: a port imports a sibling function relatively (``from .sigmoid import sigmoid``), from its own
package. Each file is translated on its own (:func:`rnncore.translate.translate_source`, the folder's
other files given as the functions it may call), so one file outside the translator's subset does
not stop the others: it gets a skeleton that raises ``NotImplementedError`` naming the construct
and the line, and the listing says which construct stops each skeleton.

The folders the folder's files add to the path (``addpath ../common``, ``genpath``), inside the
course as shipped (the folder's parent), are ported too, each into its own package named by its
place in the course (``ports/common/``, ``ports/common_minFunc_2012_minFunc/``), with re-export
modules that make their functions callable from the folder's ports (a port imports what it calls
from its own package; a re-export is the path's counterpart there: the folder's own file first,
then the path in MATLAB's order; :mod:`rnncore.engine.coursepath` reads the path); the scripts'
calls are captured in a copy of the whole course, so ``addpath ../common`` resolves in Octave too.

A port already there is rewritten only when it is rnncore's own (the same text as the translation,
or a skeleton rnncore wrote); a port edited by hand is kept and listed, never overwritten.

Captured calls: :func:`store_calls` writes the calls a driver script made (captured by
:func:`rnncore.engine.capture.capture_calls`) as the draws of a function file's case. Not built yet:
the command itself (cases appended to ``config.yaml``, a case key reading the stored draws).
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from rnncore.errors import RnncoreError
from rnncore.io import write_atomic

__all__ = ["FolderError", "FilePort", "FolderPorts", "StoredCalls", "package_name", "port_folder", "store_calls", "add_folder"]

_SKELETON_MARK = "# rnncore add: skeleton"  # how a later `add` recognises a skeleton it may rewrite
_REEXPORT_MARK = "# rnncore add: path re-export"  # ... and a re-export of a function on the path
_INIT = '"""Ports of {folder}/ written by `rnncore add`: one module per .m file."""\n'


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
    path: tuple["FolderPorts", ...] = ()  # the packages of the folders its files add to the path, path order
    path_skipped: tuple[str, ...] = ()  # addpath arguments not followed, each with why

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
    """Whether a port is rnncore's own: a translation (never to be edited), a skeleton still raising, or
    a re-export of a function on the path."""
    return (text.startswith('"""Python port of') or (_SKELETON_MARK in text and 'NotImplementedError("port of' in text)
            or _REEXPORT_MARK in text)


def port_folder(folder, *, project=".", dry_run: bool = False) -> FolderPorts:
    """Translate every ``.m`` of ``folder`` into ``ports/<folder>/`` (see the module docstring), and
    every folder its files put on the path (``addpath ../common``) into its own package
    (:mod:`rnncore.engine.coursepath`), with the re-exports that make those functions callable."""
    from rnncore.engine.coursepath import path_folders

    project, folder = Path(project), Path(folder)
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such folder")
    if not folder.resolve().is_relative_to(project.resolve()):
        raise FolderError(f"{folder} is outside the course folder {project.resolve()}; copy it into matlab_ref/ first")
    if not any(p.is_file() for p in folder.glob("*.m")):
        raise FolderError(f"{folder}: holds no .m file")
    path = path_folders(folder)
    packages = {path.folder: package_name(folder)}
    for d in path.folders:
        packages[d] = _path_package(d, path.course)
    texts = {d: _m_texts(d) for d in packages}
    writes: dict[Path, str] = {}
    done = []
    for d, package in packages.items():
        # MATLAB's search order as the folder's scripts see it: the folder (where they run) first,
        # then the path. A path folder's own files come first for its own ports; the exercise folder
        # is not in their view, so `common` translates the same for every exercise that reaches it.
        order = [d] + [f for f in path.folders if f != d] if d != path.folder else [d, *path.folders]
        visible: dict[str, Path] = {}
        for f in order:
            for stem in texts[f]:
                visible.setdefault(stem, f)
        done.append(_port_package(d, package, texts, visible, packages, project, writes))
    top = project / "ports" / "__init__.py"
    if not top.exists():
        writes[top] = '"""Python ports of the MATLAB files in matlab_ref/."""\n'
    if not dry_run:
        for target, text in writes.items():
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                write_atomic(target, text)
    main, *rest = done
    return FolderPorts(main.package, main.files, tuple(rest), path.skipped)


def _path_package(folder: Path, course: Path) -> str:
    """The ports package of a folder on the path: its path in the course joined by ``_``
    (``common_minFunc_2012_minFunc``), flat under ``ports/`` so that no package shares a name with a
    function's module."""
    parts = folder.relative_to(course).parts
    name = "_".join(p.replace("-", "_").replace(" ", "_") for p in parts)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise FolderError(f"{folder}: {'/'.join(parts)} cannot name a Python package of ports (ports/{name}/); "
                          f"rename the folder to letters, digits and _")
    return name


def _reexport(module: str, name: str, into: str, source: str, label: str) -> str:
    """A module of package ``ports.<into>`` re-exporting ``name`` of ``ports.<source>.<module>``
    (relatively, so the ports folder may be imported under any name); ``label`` is the ``.m`` file."""
    return (f'"""{name}: {label}, on the path of the files of ports/{into}/ (their addpath), as `rnncore add` '
            f'found it.\n\nIts port lives in ports/{source}/; this module is its name here, as MATLAB\'s path makes '
            f'it\ncallable from this folder.\n"""\n\n{_REEXPORT_MARK}\n\n'
            f"from ..{source}.{module} import {name}  # noqa: F401\n")


def _m_texts(folder: Path) -> dict[str, str]:
    from rnncore.translate import read_m_file as read_m  # the translator's own reading (UTF-8, else Latin-1)

    return {p.stem: read_m(p) for p in sorted(folder.glob("*.m")) if p.is_file()}


_IMPORT = re.compile(r"^from \.(\w+) import (\w+)$", re.M)  # how a port imports a function it calls


def _port_package(folder: Path, package: str, texts: dict, visible: dict, packages: dict,
                  project: Path, writes: dict) -> FolderPorts:
    """The ports of one folder's files into ``ports/<package>/`` (added to ``writes``), and a
    re-export for each function they import that another folder of the path holds."""
    from rnncore.engine.preflight import scan_m_file
    from rnncore.translate import TranslationError, translate_source

    out_dir = project / "ports" / package
    own = texts[folder]
    functions = {stem: texts[where][stem] for stem, where in visible.items()}
    ports, reached = [], {}
    for stem in own:
        path = folder / f"{stem}.m"
        label = path.resolve().relative_to(project.resolve()).as_posix()
        module = f"ports/{package}/{stem}.py"
        scan = scan_m_file(path)
        if not stem.isidentifier() or keyword.iskeyword(stem):
            raise FolderError(f"{label}: its name cannot name a Python module; rename the file")
        others = {k: v for k, v in functions.items() if k != stem}
        try:
            if scan.kind == "class":
                raise TranslationError(str(path), 1, "a classdef file", "classes are outside the subset")
            text = translate_source(own[stem], str(path), functions=others)
        except TranslationError as exc:
            text = _skeleton(path, label, scan, exc)
            port = FilePort(path, scan.kind, module, False, exc.construct, exc.line, str(exc))
        else:
            port = FilePort(path, scan.kind, module, True)
            reached.update((m, n) for m, n in _IMPORT.findall(text) if m not in own)
        if _stays(project / module, text):
            ports.append(FilePort(**{**port.__dict__, "kept": True}))
            continue
        writes[project / module] = text
        ports.append(port)
    for module, name in sorted(reached.items()):
        where = visible[module]
        label = (where / f"{module}.m").resolve().relative_to(project.resolve()).as_posix()
        text = _reexport(module, name, package, packages[where], label)
        if not _stays(out_dir / f"{module}.py", text):
            writes[out_dir / f"{module}.py"] = text
    init = out_dir / "__init__.py"
    if not init.exists():
        writes[init] = _INIT.format(folder=folder.resolve().relative_to(project.resolve()).as_posix())
    return FolderPorts(f"ports.{package}", tuple(ports))


def _stays(target: Path, text: str) -> bool:
    """Whether ``target`` is a port edited by hand, kept instead of ``text``."""
    if not target.exists():
        return False
    old = target.read_text(encoding="utf-8")
    return old != text and not _ours(old)


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
    import scipy.sparse

    if cls == "struct" and size == (1, 1) and isinstance(arg, dict):  # first: oct2py's Struct makes any attribute
        fields = [(str(name), _field(v)) for name, v in arg.items()]
        return None if any(v is None for _, v in fields) else Value("struct", (1, 1), fields=tuple(fields))
    if scipy.sparse.issparse(arg) and cls in _STORED_CLASSES:  # sparse (from oct2py): the values it holds
        arg = arg.toarray()
    if isinstance(arg, (np.ndarray, int, float, bool, np.number, np.bool_)) and cls in _STORED_CLASSES:
        data = np.asarray(arg, dtype=np.float64)
        if data.shape != size:
            data = data.reshape(size, order="F")
        return Value(cls, size, data=data)
    return None


def _field(v) -> "Value | None":
    """A struct field as oct2py brought it back, when its class is certain: a double array (oct2py
    keeps MATLAB's 2-D shape), text, or a 1x1 struct of those; None for anything else (a logical and
    a uint8 come back alike, a cell or an empty array as a list)."""
    from rnncore.io import Value

    if isinstance(v, np.ndarray) and v.dtype == np.float64 and v.ndim == 2:
        return Value("double", v.shape, data=v)
    if isinstance(v, str):
        return _value(v, "char", (1, len(v)))
    if isinstance(v, dict):
        return _value(v, "struct", (1, 1))
    return None


def _key(v) -> tuple:
    """Every byte of a stored value, for telling distinct calls apart."""
    if v.cls == "struct":
        return ("struct", tuple((name, _key(f)) for name, f in v.fields))
    return (v.cls, v.shape, v.data.tobytes(order="F"))


_STORED_CLASSES = {"double", "single", "logical", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                   "uint64"}


def store_calls(folder, function: str, results, *, project=".") -> StoredCalls:
    """Write the calls of ``function`` captured by each of ``results`` (capture_calls' answers, one per
    driver script, in script order) to ``<folder>/.rnncore/<function>.npz``, an inputs file
    (:func:`rnncore.io.write_engine`: exact float64, fixed bytes) with one draw per distinct call.

    A call is stored when its arguments are numeric, logical or char arrays (a sparse matrix as the
    full matrix it holds) or 1x1 structs of double arrays and text (a course's ``model``), and the function declares no ``varargin``. The draws of one case give the
    same arguments, so the calls stored are those with the number of arguments most calls gave (the
    larger on a tie: ``normalize(X)`` and ``normalize(X, dim)`` both occur; the case's inputs are the
    first that many declared parameters); another call (a cell, a struct, a handle, another number
    of arguments) is listed with why.
    """
    from collections import Counter

    from rnncore.engine.preflight import scan_m_file
    from rnncore.io import EngineFile, write_engine

    folder = Path(folder)
    scan = scan_m_file(folder / f"{function}.m")
    declared = list(scan.inputs)
    kept = [(result, call) for result in results if result.functions.get(function)
            for call in result.functions[function].kept]
    given = Counter(len(call.args) for _, call in kept if not call.uncapturable and len(call.args) <= len(declared))
    names = declared[:max(given, key=lambda n: (given[n], n))] if given else declared
    draws, nargouts, origins, skipped, seen = [], [], [], [], set()
    for result, call in kept:
        where = f"{result.script.name} call {call.call_index}"
        if call.uncapturable:
            skipped.append(f"{where}: {call.uncapturable}")
            continue
        if "varargin" in declared or len(call.args) != len(names):
            skipped.append(f"{where}: {len(call.args)} argument(s) where {function}.m declares "
                           f"({', '.join(declared)})" + (f" and the stored calls give {len(names)}"
                                                          if "varargin" not in declared else ""))
            continue
        values = [_value(a, c, s) for a, c, s in zip(call.args, call.classes, call.sizes)]
        bad = [f"{n} (a {c})" for n, v, c in zip(names, values, call.classes) if v is None]
        if bad:
            skipped.append(f"{where}: {', '.join(bad)}: only numeric, logical and char arrays and 1x1 structs of "
                           f"double arrays and text are stored")
            continue
        key = (call.nargout, tuple(_key(v) for v in values))
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


# --------------------------------------------------------------------------- the command


def add_folder(folder, *, project=".", out=print, err=print, stream=None) -> int:
    """``rnncore add matlab_ref/<folder>/``: ports, captured calls and cases for a whole folder.

    1. every ``.m`` ported into ``ports/<folder>/`` (:func:`port_folder`);
    2. every driver script run once in Octave (its workspace: the script's case, as ``add SCRIPT.m``
       does) and once more with the calls of the folder's function files captured
       (:func:`rnncore.engine.capture.capture_calls`);
    3. each called function file's calls stored (:func:`store_calls`) and its case appended with
       ``captured:``, comparing the outputs every captured call asked for (the smallest nargout);
    4. cases appended to the configuration as ``add`` appends them; a case whose name is there
       already is left as it is (its captures were refreshed in step 3), so a rerun never duplicates.

    One line per file on ``out``; the full listing in ``results/logs/add-<UTC time>.log``. Returns the
    exit status: 1 when a script could not run (the others are still added).
    """
    import sys
    import time

    from rnncore.config import read_config_file, validate
    from rnncore.engine.capture import capture_calls
    from rnncore.engine.octave import OctaveError, OctaveNotFoundError
    from rnncore.engine.preflight import scan_m_file
    from rnncore.tool.addcase import CASE_NAME, append_case, describe_script
    from rnncore.tool.progress import LiveLine, command_log, elapsed_text
    from rnncore.tool.project import config_file, defaults, no_config_message

    project, folder = Path(project), Path(folder)
    source = config_file(project)
    if source is None:
        raise FolderError(no_config_message(project))
    shown = source.relative_to(project).as_posix() if source.is_relative_to(project) else str(source)
    validate(read_config_file(source), shown)
    ports = port_folder(folder, project=project)
    settings = defaults(project)
    rel_folder = folder.resolve().relative_to(project.resolve()).as_posix()
    prefix = package_name(folder)
    scans = {f.source.stem: scan_m_file(f.source) for f in ports.files}
    # The scripts reach folders of the course beside this one (addpath ../common): the capture
    # copies the course as shipped so that they resolve there as they do in place.
    context = folder.resolve().parent if ports.path else None
    functions = sorted(n for n, s in scans.items() if s.kind == "function")
    scripts = sorted(n for n, s in scans.items() if s.kind == "script")
    live = LiveLine(sys.stdout if stream is None else stream, "rnncore add: ")
    log_path = command_log(project, "add")
    start, lines, entries, captures, failed = time.monotonic(), [], [], [], 0
    with open(log_path, "w", encoding="utf-8") as log:
        def listing(line: str) -> None:
            log.write(line + "\n")

        for f in [f for p in (ports, *ports.path) for f in p.files]:
            state = ("translated" if f.translated else f"skeleton ({f.construct}, line {f.line})")
            listing(f"{f.module}: {'kept (edited by hand)' if f.kept else state}")
        for why in ports.path_skipped:
            listing(f"path: {why}")
        for i, name in enumerate(scripts):
            live.update(f"{i} of {len(scripts)} script(s) run; running {name}.m in Octave; "
                        f"{elapsed_text(time.monotonic() - start)}")
            listing(f"==> {rel_folder}/{name}.m")
            try:
                described = describe_script(folder / f"{name}.m", shim_dirs=settings.shim_dirs,
                                            timeout=settings.timeout, log=listing)
                captured = capture_calls(folder, name, functions, shim_dirs=settings.shim_dirs,
                                         timeout=settings.timeout, log=listing, context=context)
            except OctaveNotFoundError:
                live.clear()
                raise
            except (OctaveError, RnncoreError) as exc:
                failed += 1
                listing(f"rnncore add: {exc}")
                lines.append(f"  {rel_folder}/{name}.m: not run: {exc}")
                continue
            captures.append(captured)
            called = [n for n, c in captured.functions.items() if c.calls]
            lines.append(f"  {rel_folder}/{name}.m: {len(described.compared)} variable(s) compared; calls "
                         f"{', '.join(called) or 'none of the folder functions'}")
            if described.compared:
                entries.append({"name": _case_name(prefix, name), "script": f"{rel_folder}/{name}.m",
                                "python": f"ports.{prefix}.{name}:{name}", "variables": described.compared})
        live.clear()
        uncalled, unstored = [], []
        for name in functions:
            stored = store_calls(folder, name, captures, project=project)
            for why in stored.skipped:
                listing(f"{name}: call not stored: {why}")
            if stored.path is None and stored.skipped:  # called, but no call could be stored: said, not hidden
                unstored.append(f"{name} ({stored.skipped[0].split(': ', 1)[1]})")
                lines.append(f"  {rel_folder}/{name}.m: called, no call storable: {stored.skipped[0]}")
                continue
            if stored.path is None:
                uncalled.append(name)
                continue
            outputs = list(scans[name].outputs)
            wanted = outputs[:max(1, min(stored.nargout))] if outputs else []
            lines.append(f"  {rel_folder}/{name}.m: {stored.draws} captured call(s)"
                         + (f", {len(stored.skipped)} not storable" if stored.skipped else ""))
            if wanted:
                entries.append({"name": _case_name(prefix, name), "script": f"{rel_folder}/{name}.m",
                                "python": f"ports.{prefix}.{name}:{name}", "variables": wanted,
                                "captured": stored.path.resolve().relative_to(project.resolve()).as_posix()})
        text = source.read_text(encoding="utf-8")
        existing = {c.get("name") for c in (yaml.safe_load(text) or {}).get("cases") or []}
        added = []
        for entry in entries:
            if not CASE_NAME.fullmatch(entry["name"]):
                lines.append(f"  {entry['script']}: no case: {entry['name']!r} cannot name a case")
                continue
            if entry["name"] in existing:
                continue  # rerun: the case is there; its captures were refreshed above
            text = append_case(text, entry, shown)
            added.append(entry["name"])
        if added:
            write_atomic(source, text)
        for line in lines:
            listing(line)
    for line in lines:
        out(line)
    skeletons = ports.skeletons
    out(f"rnncore add: {rel_folder}: {len(ports.files)} file(s) ported into ports/{prefix}/, "
        f"{len(skeletons)} skeleton(s); {len(added)} case(s) added to {shown} in "
        f"{elapsed_text(time.monotonic() - start)}")
    for f in skeletons:
        out(f"  skeleton {f.module}: {f.construct} (line {f.line})")
    for p in ports.path:
        out(f"  on the path: {len(p.files)} file(s) ported into ports/{p.package[len('ports.'):]}/, "
            f"{len(p.skeletons)} skeleton(s)")
    for why in ports.path_skipped:
        out(f"  path: {why}")
    if unstored:
        out(f"  called, no call storable (no case): {'; '.join(unstored)}")
    if uncalled:
        out(f"  no script calls: {', '.join(uncalled)} (no case: its inputs are not guessed)")
    out(f"rnncore add: the full listing: {log_path.relative_to(project).as_posix()}")
    if failed:
        err(f"rnncore add: {failed} script(s) could not run (the reason is beside each)")
    return 1 if failed else 0


def _case_name(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"
