"""MATLAB's search path in a port: ``addpath`` and ``rmpath`` change nothing.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
A port reaches other functions through its Python imports, which the translator writes from the
files it found, so the search path a script sets up for MATLAB has no counterpart at run time.
"""

from __future__ import annotations

from .registry import matlab_function
from .values import MatlabError, _text

__all__ = ["addpath", "rmpath"]


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
