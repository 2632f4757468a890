"""The folders of a course that a course folder's files put on MATLAB's path (``addpath ../common``).

A course ships as a tree: ``stanford_dl/{common,ex1,cnn,...}``, and ``ex1``'s scripts reach
``../common`` (minFunc, the MNIST readers) with ``addpath ../common`` or
``addpath(genpath('../common'))``. :func:`path_folders` reads those calls in the folder's ``.m``
files (the pre-flight scan's parse tree, never run): a literal folder name, or ``genpath`` of one
(listed as Octave 7's ``genpath`` lists folders), resolved from the folder, where the scripts run.
Only folders inside the course (the folder's parent, as shipped) are followed; another (a computed
name, a folder outside the course, a missing one) is named in ``skipped``, not guessed at.

Who reads it: ``rnncore add <folder>`` ports each such folder into a package of its own and
captures the scripts' calls in a copy of the whole course; a function file's parity run puts the
same folders on Octave's path, as the scripts had when they called it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rnncore.engine.preflight import scan_m_file

__all__ = ["CoursePath", "path_folders"]


@dataclass(frozen=True)
class CoursePath:
    """The folders the files of one course folder add to the path, in MATLAB's search order."""

    folder: Path  # the course folder (resolved)
    course: Path  # the course as shipped: the folder's parent (resolved)
    folders: tuple[Path, ...]  # on the path, first searched first; the folder itself not included
    skipped: tuple[str, ...]  # addpath arguments not followed, each with file, line and why


def _genpath(where: Path, skip: tuple[str, ...]) -> list[Path]:
    # Octave 7's genpath.cc: the folder, then each sub-folder in sorted order and its own, except
    # class (@) and package (+) folders and the names to skip (`private` when none are given)
    out = [where]
    for name in sorted(os.listdir(where)):
        if name not in (".", "..") and name[0] not in "@+" and name not in skip and (where / name).is_dir():
            out += _genpath(where / name, skip)
    return out


def _entries(arg, folder: Path) -> list[Path] | str:
    """The folders one addpath argument (Scan.addpaths' form) names, or why none is followed."""
    if arg is None:
        return "is not a literal folder name (computed when the script runs)"
    if isinstance(arg, str):
        if arg.lower() in ("-begin", "-end"):
            return []
        return [folder / t for t in arg.split(os.pathsep) if t]
    _, top, skip = arg
    where = (folder / top).resolve()
    return _genpath(where, skip or ("private",)) if where.is_dir() else [where]


def path_folders(folder) -> CoursePath:
    """The folders the ``.m`` files of ``folder`` add to the path (see the module docstring).

    Order: ``addpath`` puts its folders first, so the last call's folders are searched first (in
    the order one call lists them); files are read in name order, calls in line order.
    """
    folder = Path(folder).resolve()
    course = folder.parent
    blocks, skipped = [], []
    for mfile in sorted(folder.glob("*.m")):
        for line, args in scan_m_file(mfile).addpaths:
            block = []
            for arg in args:
                got = _entries(arg, folder)
                if isinstance(got, str):
                    skipped.append(f"{mfile.name}:{line}: an addpath argument {got}")
                    continue
                for where in (p.resolve() for p in got):
                    shown = os.path.relpath(where, folder)
                    if where in (folder, course):
                        continue  # the folder itself, or the course's top (genpath('..')): its folders come on their own
                    if not where.is_relative_to(course):
                        skipped.append(f"{mfile.name}:{line}: addpath {shown}: outside the course {course.name}/, "
                                       f"not followed")
                    elif not where.is_dir():
                        skipped.append(f"{mfile.name}:{line}: addpath {shown}: no such folder")
                    elif any(where.glob("*.m")):
                        block.append(where)
            blocks.append(block)
    ordered: list[Path] = []
    for block in reversed(blocks):
        ordered += [p for p in block if p not in ordered]
    return CoursePath(folder, course, tuple(ordered), tuple(dict.fromkeys(skipped)))
