"""The Elman recurrent step, with the course's diagonal recurrence or a full recurrent matrix.

The course (slides 11-14) writes one step of a 3-neuron layer as::

    ht(:,t+1) = tanh(whx*in(:,t) + whh.*ht(:,t) + bias)

with ``whh`` a column vector used element-wise: each neuron feeds back only its own previous
output, a diagonal recurrence. The general Elman network uses a full matrix, ``whh*ht(:,t)``.
``elman_step`` takes either, told apart by the shape of ``whh``.

Columns are samples (see the package docstring), so the same code runs one sequence element
(``x`` of shape (I, 1)) or a batch (``x`` of shape (I, B)).
"""

import numpy as np

__all__ = ["recurrent_term", "elman_update", "elman_step"]


def recurrent_term(whh, h, out=None):
    """``whh.*h`` for a diagonal ``whh`` of shape (H, 1); ``whh*h`` for a full one of shape (H, H).

    ``h`` has shape (H, B). A 1x1 ``whh`` is both and gives the same number either way. ``out``,
    when given, is the (H, B) array to write the result into.
    """
    H = h.shape[0]
    if whh.shape == (H, 1):
        return np.multiply(whh, h, out=out)  # (H, 1) broadcast over the B columns
    if whh.shape == (H, H):
        return np.matmul(whh, h, out=out)
    raise ValueError(f"whh must be ({H}, 1) (diagonal) or ({H}, {H}) (full) for {H} neurons, got {whh.shape}")


def elman_update(xw, whh, bias, h_prev, out=None, rec=None):
    """``tanh((xw + whh(.)*h_prev) + bias)``: the step once the input term ``xw = whx*x`` is formed.

    :func:`elman_step` is this with ``xw = whx @ x``; ``rnncore.models.elman.forward`` forms the
    input term of every step first (it does not depend on the state) and then runs this over time.
    ``out`` (H, B), when given, receives the new state (the result is written straight into the
    states array instead of a temporary; it may be ``xw`` itself), ``rec`` (H, B) the recurrent
    term. The additions are MATLAB's left-to-right order.
    """
    a = np.add(xw, recurrent_term(whh, h_prev, out=rec), out=out)  # (H, B)
    a += bias  # (H, 1) broadcast: the same rounding as (xw + ...) + bias
    return np.tanh(a, out=a)


def elman_step(whx, whh, bias, h_prev, x):
    """One recurrent step: ``tanh(whx*x + whh(.)*h_prev + bias)``.

    Parameters
    ----------
    whx : ndarray, shape (H, I)
        Input weights.
    whh : ndarray, shape (H, 1) or (H, H)
        Recurrent weights: a column for the course's diagonal recurrence, a matrix for a full one.
    bias : ndarray, shape (H, 1)
    h_prev : ndarray, shape (H, B)
        Previous hidden state.
    x : ndarray, shape (I, B)
        Inputs, one column per sample.

    Returns
    -------
    ndarray, shape (H, B)
        The new hidden state. The sum is formed in MATLAB's left-to-right order,
        ``(whx*x + whh.*h_prev) + bias``, so that both engines round the same way.
    """
    return elman_update(whx @ x, whh, bias, h_prev)
