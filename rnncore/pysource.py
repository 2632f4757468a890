"""A project's Python modules, read from their source and never run: which file a module name is, how a file
defines a name, which modules a file imports.

On the floor of the package (beside config, io, errors, layout, resources) because every layer reads code
this way: the configuration checks that a case's ``python:`` target exists (:mod:`rnncore.config`), the
engine finds a port's file (:mod:`rnncore.engine.ports`), the pipeline follows imports to each job's
sources (:mod:`rnncore.pipeline.sources`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["RNNCORE_DIR", "module_file", "function_defined", "parse_module", "imported_names", "uncached"]

RNNCORE_DIR = Path(__file__).resolve().parent  # the package; its parent is a root for `rnncore.*` names


def _roots(project: Path, name: str) -> list[Path]:
    top = name.split(".")[0]
    return [RNNCORE_DIR.parent] if top == "rnncore" else [project]


def uncached(kind: str, path: Path, compute):
    """``compute()``: the default of a reader taking a ``cached(kind, path, compute)`` hook, which the
    workflow fills with its scan cache (:func:`rnncore.pipeline.sources.cached`) so that a file read in
    an earlier run is not read again while its size and modification time stay the same."""
    return compute()


def module_file(name: str, project) -> Path | None:
    """The ``.py`` file module ``name`` is, under ``project`` (or in rnncore for ``rnncore.*``); else None."""
    return _module_file(name, _resolved(str(project), os.getcwd()))


@lru_cache(maxsize=None)
def _resolved(project: str, cwd: str) -> Path:
    # Asked thousands of times at the workflow's start-up with the same folder; Path.resolve is a system
    # call per path component.
    return (Path(cwd) / project).resolve()


@lru_cache(maxsize=None)
def _module_file(name: str, project: Path) -> Path | None:
    parts = name.split(".")
    for root in _roots(project, name):
        base = root.joinpath(*parts)
        for candidate in (base.parent / f"{parts[-1]}.py", base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


@lru_cache(maxsize=None)
def _tree(path: Path, mtime_ns: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def parse_module(path: Path) -> ast.Module:
    """The syntax tree of a ``.py`` file (kept while its modification time stays the same)."""
    return _tree(path, path.stat().st_mtime_ns)


def function_defined(path, function: str) -> ast.AST | None:
    """How the module file ``path`` defines the top-level name ``function``: its ``def`` (whose
    arguments can then be checked), an assignment or an import of that name; None if it does not."""
    found = None
    for node in parse_module(Path(path)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            found = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == function for t in targets):
                found = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == function for a in node.names):
                found = node
    return found  # the last binding wins, as at run time


def imported_names(nodes: Iterable[ast.AST], module: str, is_package: bool) -> set[str]:
    """Module names the import statements among ``nodes`` (walked in depth) may load, relative ones
    resolved against ``module`` (a package's own name when ``is_package``)."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Import):
                names.update(a.name for a in n.names)
            elif isinstance(n, ast.ImportFrom):
                if n.level:
                    base = package.split(".")
                    base = base[: len(base) - (n.level - 1)] if n.level > 1 else base
                    mod = ".".join([*base, n.module] if n.module else base)
                else:
                    mod = n.module or ""
                if mod:
                    names.add(mod)
                    names.update(f"{mod}.{a.name}" for a in n.names if a.name != "*")  # may be submodules
    return names
