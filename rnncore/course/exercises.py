"""Python side of ``matlab_ref/exercise_rnn1a.m``: Exercise RNN1a worked neuron by neuron.

The second worked parity case, and the example docs/porting.md follows. It
mirrors the script statement for statement (same loops, same order of additions), so that the
two agree to a few ULP; see the script for the slide references.
"""

import math

import numpy as np

from rnncore.course.rnn2 import COURSE_WEIGHTS

__all__ = ["exercise_rnn1a"]


def exercise_rnn1a():
    """``h1`` (3x1), ``h2`` (3x1), ``y1`` (4x1), ``p1`` (4x1), as the script computes them."""
    whx, why = COURSE_WEIGHTS.whx, COURSE_WEIGHTS.why
    bias, whh = COURSE_WEIGHTS.bias[:, 0], COURSE_WEIGHTS.whh[:, 0]
    X = [1.0, 0.0, 0.0, 0.0]  # P at t=1
    X2 = [0.0, 1.0, 0.0, 0.0]  # I at t=2
    h0 = [0.0, 0.0, 0.0]

    def layer(x, h_prev):
        h = []
        for n in range(3):  # neuron by neuron, as slide 12 draws it
            s = 0.0
            for k in range(4):
                s = s + whx[n, k] * x[k]
            h.append(math.tanh(s + whh[n] * h_prev[n] + bias[n]))
        return h

    h1 = layer(X, h0)
    h2 = layer(X2, h1)
    y1 = [why[i, 0] * h1[0] + why[i, 1] * h1[1] + why[i, 2] * h1[2] for i in range(4)]
    e = [math.exp(v) for v in y1]
    total = ((e[0] + e[1]) + e[2]) + e[3]  # MATLAB's sum, left to right
    p1 = [v / total for v in e]
    col = lambda v: np.array(v, dtype=np.float64).reshape(-1, 1)  # noqa: E731  list -> MATLAB column
    return {"h1": col(h1), "h2": col(h2), "y1": col(y1), "p1": col(p1)}
