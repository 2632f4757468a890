"""Which values came from a library routine that no port reproduces bit for bit.

``svd``, ``eig``, ``pinv``, ``fminsearch``... are LAPACK or an optimiser in Octave and numpy/scipy
in a port: the same mathematics, another sequence of roundings (or, for singular and eigen vectors,
another sign, which is equally correct). A parity difference in such a value is not a translation
error, so the runtime records every call of one (:func:`library_calls`) and flags the value it
returns (its ``library`` attribute), and the engine can give those comparisons their own status.

The record is per process, in call order; the engine clears it before running a port
(:func:`reset_library_calls`) and reads it after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LibraryCall", "library_calls", "reset_library_calls", "library_of"]


@dataclass(frozen=True)
class LibraryCall:
    function: str  # the MATLAB function, e.g. "svd"
    detail: str  # what is not reproducible bit for bit, e.g. "signs of U and V"


_CALLS: list[LibraryCall] = []


def library_calls() -> tuple[LibraryCall, ...]:
    """Every library-routine call since the last :func:`reset_library_calls`, in order."""
    return tuple(_CALLS)


def reset_library_calls() -> None:
    _CALLS.clear()


def library_of(x) -> str | None:
    """The library function a runtime value came from, or None (the flag lives on the value the
    routine returned; arithmetic on it gives a new, unflagged value)."""
    return getattr(x, "library", None)


def _from_library(function: str, detail: str, *values):
    """Record one call and flag its returned values (MArrays); returns the values unchanged."""
    _CALLS.append(LibraryCall(function, detail))
    for v in values:
        if isinstance(v, np.ndarray):
            v.library = function
    return values[0] if len(values) == 1 else values
