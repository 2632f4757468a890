"""Which source files a workflow job runs, so that editing one reruns exactly the jobs that run it.

Snakemake's code trigger sees a rule's own code, not the modules it imports, so each rule lists
its sources as inputs. They are found statically, by reading code, never by running it:

* :func:`module_file` (:mod:`rnncore.pysource`) finds the file a module name stands for under the project folder (``ports.cat``
  is ``ports/cat.py``) or inside rnncore itself; anything else (the standard library,
  site-packages) is not part of a course and is never a source.
* :func:`closure` follows ``import`` statements (at any depth of a module, relative ones too) from
  some modules to every module of the project or of rnncore they reach.
* :func:`step_sources` does the same for one step function of ``rnncore/pipeline/steps.py``: the module's
  top-level imports, the imports inside that function and inside the helpers it calls. So editing
  ``engine/parity.py`` reruns the comparisons, but not the Octave runs, whose step never imports it.
* :func:`rnncore.engine.preflight.m_dependencies` does the same for a ``.m`` file (read with
  MISS_HIT): the ``.m`` files beside it it calls and the shims, transitively.

What reading a file told is cached per file by size and modification time, in
``.snakemake/rnncore/scan.json`` between runs (:func:`save_cache`), so a run where nothing changed
parses no ``.m`` file and no Python module.
* :func:`fingerprint` hashes a set of files and settings: what a verdict judged.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# Finding and reading a module's file is on the floor (rnncore.pysource): the configuration and the engine
# read code that way too. Named here as well, for the workflow's rules.
from rnncore.pysource import RNNCORE_DIR, function_defined, imported_names, module_file, parse_module

__all__ = ["RNNCORE_DIR", "module_file", "function_defined", "closure", "step_sources", "cached", "sha256",
           "relative_paths", "fingerprint", "save_cache"]

_WORKFLOW = RNNCORE_DIR / "pipeline" / "steps.py"
_parse = parse_module


def _module_imports(path: Path, name: str) -> list[str]:
    def scan():
        try:
            return sorted(imported_names([_parse(path)], name, path.name == "__init__.py"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            return []  # it does not even parse: the job that imports it reports that, with file and line

    return _CACHE.get("py", path, name, scan)


def closure(modules: Iterable[str], project) -> dict[str, Path]:
    """Every module of the project or of rnncore that importing ``modules`` can reach, with its file.

    Names that are not files of the project (the standard library, site-packages, a name imported
    from a module rather than a submodule) are skipped. Imports inside functions count: a module's
    sources are all that its code may import.
    """
    project = Path(project).resolve()
    found: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = module_file(name, project)
        if path is None:
            continue
        found[name] = path
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # importing a.b.c runs a and a.b first
        todo.extend(_module_imports(path, name))
    return dict(sorted(found.items()))


def step_sources(step: str, project=None) -> list[Path]:
    """The files ``rnncore.pipeline.steps.<step>`` runs: steps.py, and the modules it imports at the top,
    inside the step and inside the workflow helpers the step calls, with all they import."""
    names = _CACHE.get("step", _WORKFLOW, step, lambda: _step_imports(step))
    # steps.py itself, but not the imports of its other steps: those are not this step's sources.
    found = closure(["rnncore", *names], project or RNNCORE_DIR.parent)
    return sorted({_WORKFLOW, *found.values()})


def _step_imports(step: str) -> list[str]:
    tree = _parse(_WORKFLOW)
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if step not in functions:
        raise KeyError(f"rnncore.pipeline.steps has no step {step!r}")
    seen, todo = set(), [step]
    while todo:  # the step and the module's own functions it refers to, transitively
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(n.id for n in ast.walk(functions[name]) if isinstance(n, ast.Name) and n.id in functions)
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return sorted(imported_names(top + [functions[n] for n in sorted(seen)], "rnncore.pipeline.steps", False))


# --------------------------------------------------------------------------- MATLAB files

class _ScanCache:
    """What reading a file told (the modules a ``.py`` file imports, the names a ``.m`` file calls),
    kept per file while its size and modification time stay the same, in memory and in
    ``.snakemake/rnncore/scan.json`` (relative to the working directory) between runs."""

    PATH = Path(".snakemake") / "rnncore" / "scan.json"

    def __init__(self):
        self.entries, self.loaded_from, self.dirty = {}, None, False

    def _load(self) -> None:
        where = _resolved(str(self.PATH), os.getcwd())
        if self.loaded_from != where:
            try:
                self.entries = json.loads(where.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}
            self.loaded_from = where

    def get(self, kind: str, path: Path, extra: str, compute):
        self._load()
        st = path.stat()
        # Relative to the project where it can be, so that a copied or moved folder keeps its cache.
        shown = _relative(_resolved(str(path), os.getcwd()), self.loaded_from.parents[2])
        key = f"{kind}:{shown}:{extra}"
        stamp = [st.st_size, st.st_mtime_ns]
        entry = self.entries.get(key)
        if entry and entry["stamp"] == stamp:
            return entry["value"]
        value = compute()
        self.entries[key] = {"stamp": stamp, "value": value}
        self.dirty = True
        return value

    def save(self) -> None:
        """Write the cache if it changed (best effort: a read-only folder only loses the speed-up)."""
        if not self.dirty or self.loaded_from is None:
            return
        try:
            self.loaded_from.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.loaded_from.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.loaded_from)
            self.dirty = False
        except OSError:
            pass


_CACHE = _ScanCache()
save_cache = _CACHE.save


def cached(kind: str, path: Path, compute):
    """``compute()`` for ``path``, cached while the file's size and modification time stay the same."""
    return _CACHE.get(kind, Path(path), "", compute)


# --------------------------------------------------------------------------- fingerprints


@lru_cache(maxsize=4096)
def _sha256(path: str, stamp: tuple) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256(path) -> str:
    """SHA-256 of a file's bytes (cached per size and modification time)."""
    st = os.stat(path)
    return _sha256(str(Path(path).resolve()), (st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=None)
def _resolved(path: str, cwd: str) -> Path:
    # The workflow fingerprints each case's files per job at start-up: thousands of calls on a few dozen
    # paths, and Path.resolve is a system call per path component.
    return (Path(cwd) / path).resolve()


@lru_cache(maxsize=None)
def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else as it is (POSIX spelling)."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def relative_paths(paths: Iterable, root=".") -> list[str]:
    """The paths, resolved, relative to ``root`` where inside it (else absolute), sorted, once each."""
    cwd = os.getcwd()
    root = _resolved(str(root), cwd)
    return sorted({_relative(_resolved(str(p), cwd), root) for p in paths})


def fingerprint(files: Iterable, settings=None, root=None) -> str:
    """SHA-256 over the files' contents (by path relative to ``root``) and ``settings`` (JSON-able)."""
    cwd = os.getcwd()
    root = _resolved(str(root or "."), cwd)
    h = hashlib.sha256()
    for path in sorted({_resolved(str(f), cwd) for f in files}):
        rel = _relative(path, root)
        st = os.stat(path)
        h.update(f"{rel}\0{_sha256(str(path), (st.st_size, st.st_mtime_ns))}\n".encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return h.hexdigest()
