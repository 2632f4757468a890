"""``real`` and ``imag`` of the subset's values, which are all real (complex values are refused).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Courses call them to drop the rounding-level imaginary part a complex-step or FFT left, or in
checks such as ``any(imag(x))``; on a real value Octave gives the value as double, and zeros.
"""

from __future__ import annotations

import numpy as np

from .values import MArray, MatlabError, _wrap, value
from .registry import matlab_function

__all__ = ["real", "imag"]


def _real_array(x, what: str) -> np.ndarray:
    v = value(x)
    if not isinstance(v, MArray):
        raise MatlabError(f"{what}: wrong type argument; only numeric, logical and char arrays are in the subset")
    return np.asarray(v)


@matlab_function()
def real(x):
    """MATLAB ``real``: a real value as double (logical and char too, as in Octave)."""
    return _wrap(_real_array(x, "real").astype(np.float64))


@matlab_function()
def imag(x):
    """MATLAB ``imag``: zeros of x's size, double, since every value of the subset is real."""
    a = _real_array(x, "imag")
    return _wrap(np.zeros(a.shape))
