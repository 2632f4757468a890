"""MATLAB's constants called as functions (``Inf(2, 3)``, ``NaN(1, n)``, ``eps(x)``) and the
floating-point limits (``realmin``, ``realmax``, ``flintmax``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
A bare ``Inf``, ``NaN`` or ``eps`` is written by the translator as a number (its CONSTANTS); these
functions are the forms with arguments.
"""

from __future__ import annotations

import numpy as np

from .values import MatlabError, _CHAR, _dims, _text, _wrap, double, value
from .arithmetic import _num_array
from .registry import matlab_function

__all__ = ["Inf", "inf", "NaN", "nan", "eps", "realmin", "realmax", "flintmax"]


def _class_free(dims: tuple, what: str) -> tuple:
    """The size arguments, refusing a class name other than 'double' ('single' is outside the subset)."""
    if dims and isinstance(value(dims[-1]), np.ndarray) and value(dims[-1]).dtype == _CHAR:
        if _text(dims[-1]).lower() != "double":
            raise MatlabError(f"{what}: only the class 'double' is in rnncore translate's subset")
        dims = dims[:-1]
    return dims


def _filled(x: float, dims: tuple, what: str):
    return _wrap(np.full(_dims(_class_free(dims, what), what), x))


@matlab_function()
def Inf(*dims):  # noqa: N802 - MATLAB's name
    """MATLAB ``Inf(n)``, ``Inf(m, n, ...)``, ``Inf([m n])``."""
    return _filled(np.inf, dims, "Inf")


@matlab_function()
def inf(*dims):
    """MATLAB ``inf(...)``, the same as ``Inf(...)``."""
    return _filled(np.inf, dims, "inf")


@matlab_function()
def NaN(*dims):  # noqa: N802 - MATLAB's name
    """MATLAB ``NaN(n)``, ``NaN(m, n, ...)``, ``NaN([m n])``."""
    return _filled(np.nan, dims, "NaN")


@matlab_function()
def nan(*dims):
    """MATLAB ``nan(...)``, the same as ``NaN(...)``."""
    return _filled(np.nan, dims, "nan")


@matlab_function()
def eps(*args):
    """MATLAB ``eps`` (2^-52), ``eps(x)`` (the distance from abs(x) to the next larger double, element
    by element; the smallest subnormal for 0 and subnormals, NaN for Inf and NaN) and ``eps(m, n)``."""
    if len(args) == 1 and not (isinstance(value(args[0]), np.ndarray) and value(args[0]).dtype == _CHAR):
        a = np.abs(_num_array(args[0], "eps"))
        with np.errstate(all="ignore"):
            out = np.spacing(a)
        out = np.where(np.isfinite(a), out, np.nan)
        return _wrap(np.where(a < np.finfo(float).tiny, 2.0**-1074, out))
    return _filled(2.0**-52, args, "eps")


@matlab_function()
def realmin(*dims):
    """MATLAB ``realmin``: the smallest normalized double, 2^-1022."""
    return _filled(np.finfo(float).tiny, dims, "realmin") if dims else double(np.finfo(float).tiny)


@matlab_function()
def realmax(*dims):
    """MATLAB ``realmax``: the largest finite double."""
    return _filled(np.finfo(float).max, dims, "realmax") if dims else double(np.finfo(float).max)


@matlab_function()
def flintmax(*dims):
    """MATLAB ``flintmax``: 2^53, the largest double up to which every integer is exact."""
    return _filled(2.0**53, dims, "flintmax") if dims else double(2.0**53)
