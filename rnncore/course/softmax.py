"""Softmax with MATLAB's column semantics (Deep Learning Toolbox ``softmax``).

MATLAB's ``softmax(N)`` treats an SxQ matrix as Q samples, one per column, and normalises each
column on its own. A 1xQ row vector is therefore Q one-element samples and maps to all ones; this
is not numpy/scipy's convention (``scipy.special.softmax`` normalises the whole array unless given
an axis), which is why the port has its own function instead of calling scipy's.

The steps follow the toolbox algorithm, in the same order, so that the two engines round alike:
shift by the column maximum (``max`` ignores NaN, as MATLAB's does), ``exp``, divide by the
column sum, a zero sum replaced by 1. ``matlab_ref/compat/softmax.m`` is the same algorithm for
Octave, which lacks the function.
"""

import numpy as np

__all__ = ["softmax"]


def softmax(n):
    """Column-wise softmax of ``n`` with MATLAB's semantics.

    Parameters
    ----------
    n : array_like, shape (S, Q)
        Q net-input column vectors. 1-D input is rejected: MATLAB has no 1-D arrays, and guessing
        row or column would change the answer.

    Returns
    -------
    a : ndarray, shape (S, Q), float64
        Each column is non-negative and sums to 1 (up to rounding).
    """
    n = np.asarray(n, dtype=np.float64)
    if n.ndim != 2:
        raise ValueError(f"softmax expects a 2-D (S, Q) array as MATLAB does, got shape {n.shape}")
    if n.shape[0] == 0:
        return n.copy()  # 0xQ: no rows to normalise (fmax.reduce would raise); the Octave shim returns 0xQ too
    # fmax.reduce skips NaN like MATLAB's max; an all-NaN column stays NaN.
    nmax = np.fmax.reduce(n, axis=0, keepdims=True)  # (1, Q)
    numerator = np.exp(n - nmax)  # (S, Q)
    denominator = numerator.sum(axis=0, keepdims=True)  # (1, Q)
    denominator[denominator == 0] = 1.0
    return numerator / denominator
