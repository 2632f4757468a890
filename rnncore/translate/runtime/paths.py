"""MATLAB's search path in a port: ``addpath`` and ``rmpath`` change nothing; ``genpath`` lists folders.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
A port reaches other functions through its Python imports, which the translator writes from the
files it found, so the search path a script sets up for MATLAB has no counterpart at run time.
"""

from __future__ import annotations

import os

from .registry import matlab_function
from .values import MatlabError, _text, char

__all__ = ["addpath", "rmpath", "genpath"]


def _folders(args, what: str) -> None:
    # the arguments are still MATLAB text, as Octave requires (a number is an error there too)
    if not args:
        raise MatlabError(f"Invalid call to {what}")
    for a in args:
        _text(a, f"{what}: DIR")


@matlab_function(statement=True)
def addpath(*args) -> None:
    """MATLAB ``addpath(dir, ...)``: nothing to do in a port (its imports are its path)."""
    _folders(args, "addpath")


@matlab_function(statement=True)
def rmpath(*args) -> None:
    """MATLAB ``rmpath(dir, ...)``: nothing to do in a port (its imports are its path)."""
    _folders(args, "rmpath")


def _genpath(dirname: str, base, skip: tuple[str, ...]) -> list[str]:
    # Octave 7's genpath.cc: the folder, then each sub-folder (in sorted order) and its own, except
    # ".", "..", class (@) and package (+) folders and the names to skip; a missing folder: nothing
    where = dirname if base is None or os.path.isabs(dirname) else os.path.join(base, dirname)
    if not os.path.isdir(where):
        return []
    out = [dirname]
    for elt in sorted(os.listdir(where)):
        if elt in (".", "..") or elt[0] in "@+" or elt in skip:
            continue
        nm = dirname + elt if dirname.endswith("/") else dirname + "/" + elt  # file_ops::concat
        full = where + elt if where.endswith("/") else where + "/" + elt
        if os.path.isdir(full):
            out += _genpath(nm, base, skip)
    return out


@matlab_function()
def genpath(dirname, *skip):
    """Octave's ``genpath(dir)`` and ``genpath(dir, skip, ...)``: dir and every folder below it,
    joined with ``:`` (``private`` folders skipped unless skip names are given, which replace it).
    A relative dir is taken from the script's folder, as the Octave run does (it runs there)."""
    from .files import _FOLDER  # the script's folder, which load and fopen read from too

    name = _text(dirname, "genpath: DIR")
    names = tuple(_text(s, "genpath: SKIP") for s in skip) if skip else ("private",)
    base = _FOLDER["path"]
    return char(os.pathsep.join(_genpath(name, None if base is None else str(base), names)))
