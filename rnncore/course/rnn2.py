"""Python port of the course's ``rnn2.m`` (slide 14, "Matlab demo: Answer RNN1a").

A 3-neuron Elman network with diagonal recurrence reads the one-hot letters P, I, G and predicts
the next letter through a 4-way softmax. The port reproduces MATLAB's results array for array:

* ``ht`` (3x4): column 1 is the initial state ``[0 0 0]'``, column t+1 the state after letter t.
* ``y_out`` (4x4) and ``softmax_y_out`` (4x4): the script first assigns column 2, so MATLAB grows
  both arrays with a zero first column. That column is zeros, not ``softmax`` of zeros (which
  would be 0.25 everywhere).

The constants are the script's own, kept here rather than read from the .m file, so that the port
is an independent engine: the parity check compares two implementations, not one file twice.
The script's quirks are kept too: ``in_S`` repeats G's code and is never read by the loop.
"""

from dataclasses import dataclass

import numpy as np

from rnncore.models.elman import ElmanParams, check_recurrence
from rnncore.models.recurrent import elman_step
from rnncore.course.softmax import softmax

__all__ = ["RNN2Weights", "COURSE_WEIGHTS", "COURSE_INPUT", "rnn2_forward", "rnn2", "rnn2_loop", "course_params"]


@dataclass(frozen=True)
class RNN2Weights:
    """Weights of the course's network, MATLAB names and orientation."""

    whx: np.ndarray  # (3, 4) input -> hidden, one row per neuron
    whh: np.ndarray  # (3, 1) diagonal recurrent weight, used element-wise
    bias: np.ndarray  # (3, 1) hidden bias
    why: np.ndarray  # (4, 3) hidden -> output, one row per letter P, I, G, S


def _col(values):
    return np.array(values, dtype=np.float64).reshape(-1, 1)  # (n,) -> (n, 1) MATLAB column


COURSE_WEIGHTS = RNN2Weights(
    whx=np.array(
        [
            [0.287027, 0.84606, 0.572392, 0.486813],
            [0.902874, 0.871522, 0.691079, 0.18998],
            [0.537524, 0.09224, 0.558159, 0.491528],
        ]
    ),
    # 0.427043*[1 1 1]' and 0.567001*[1 1 1]': the product by 1 is exact, so plain constants match.
    whh=_col([0.427043] * 3),
    bias=_col([0.567001] * 3),
    why=np.array(
        [
            [0.37168, 0.974829459, 0.830034886],
            [0.39141, 0.282585823, 0.659835709],
            [0.64985, 0.09821557, 0.332487804],
            [0.91266, 0.32581642, 0.144630018],
        ]
    ),
)

# in=[in_P,in_I,in_G,in_S] with the script's in_S=[0 0 1 0]' (a copy of G; never used).
COURSE_INPUT = np.array(
    [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 1],
        [0, 0, 0, 0],
    ],
    dtype=np.float64,
)


def rnn2_forward(weights, inputs):
    """Run rnn2.m's loop ``for t = 1:length(in)-1`` over the columns of ``inputs``.

    Parameters
    ----------
    weights : RNN2Weights
        ``whh`` may be (H, 1) (diagonal, as in the course) or (H, H) (full).
    inputs : ndarray, shape (I, T)
        One input column per time step. As in the script, ``length(in)`` (the largest dimension)
        sets the number of steps, ``length(in)-1``; the last column is not fed.

    Returns
    -------
    dict with
        ``ht`` : (H, n+1), ``y_out`` : (O, n+1), ``softmax_y_out`` : (O, n+1), where
        n = length(in)-1; column 1 (index 0) is the zero initial state / MATLAB's zero fill.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    n_steps = max(inputs.shape) - 1  # MATLAB's length(in)-1
    H = weights.whx.shape[0]
    O = weights.why.shape[0]
    ht = np.zeros((H, n_steps + 1))
    y_out = np.zeros((O, n_steps + 1))
    softmax_y_out = np.zeros((O, n_steps + 1))
    for t in range(n_steps):  # MATLAB t = t+1; column t+1 (1-based) is index t+1 here too
        x = inputs[:, t : t + 1]  # (I, 1) keeps the column shape
        ht[:, t + 1 : t + 2] = elman_step(weights.whx, weights.whh, weights.bias, ht[:, t : t + 1], x)
        y_out[:, t + 1 : t + 2] = weights.why @ ht[:, t + 1 : t + 2]
        softmax_y_out[:, t + 1 : t + 2] = softmax(y_out[:, t + 1 : t + 2])
    return {"ht": ht, "y_out": y_out, "softmax_y_out": softmax_y_out}


def rnn2():
    """What rnn2.m computes with its own constants: ``ht`` (3x4), ``y_out`` (4x4), ``softmax_y_out`` (4x4)."""
    return rnn2_forward(COURSE_WEIGHTS, COURSE_INPUT)


def rnn2_loop(inputs):
    """Python side of ``matlab_ref/rnn2_loop.m``: rnn2.m's loop on given weights and input sequence.

    ``inputs`` maps ``whx`` (H, I), ``whh`` (H, 1), ``bias`` (H, 1), ``why`` (O, H) and ``in``
    (I, T) to arrays, as the parity workflow passes a case's drawn inputs.
    """
    weights = RNN2Weights(whx=inputs["whx"], whh=inputs["whh"], bias=inputs["bias"], why=inputs["why"])
    return rnn2_forward(weights, inputs["in"])


def course_params(recurrence: str = "diagonal") -> ElmanParams:
    """rnn2.m's weights as a trainable :class:`~rnncore.models.elman.ElmanParams`, output bias ``by`` zeros.

    ``recurrence="full"`` puts the course's (3, 1) ``whh`` on the diagonal of a (3, 3) matrix: the
    same network (``whh*h`` with a diagonal matrix is ``whh.*h``), whose off-diagonal weights only
    training moves.
    """
    w = COURSE_WEIGHTS
    check_recurrence(recurrence)
    whh = w.whh.copy() if recurrence == "diagonal" else np.diag(w.whh[:, 0])
    return ElmanParams(whx=w.whx.copy(), whh=whh, bias=w.bias.copy(), why=w.why.copy(),
                       by=np.zeros((w.why.shape[0], 1)))
