"""Port of matlab_ref/example_rnn.m: the same network, the same arithmetic, in numpy.

A port returns the script's variables as ``{name: array}``, each in MATLAB's shape (at least 2-D:
a column is ``(n, 1)``), so that rnncore compares them with Octave's element by element.
"""

import numpy as np


def softmax(n):
    """MATLAB's softmax: column by column, shifted by the column's maximum."""
    e = np.exp(n - n.max(axis=0, keepdims=True))
    total = e.sum(axis=0, keepdims=True)
    total[total == 0] = 1.0
    return e / total


def example_rnn():
    whx = np.array([[0.5, -0.3, 0.8], [0.1, 0.4, -0.6], [-0.7, 0.2, 0.3]])
    whh = np.array([[0.2], [-0.4], [0.5]])
    bias = np.array([[0.1], [-0.1], [0.05]])
    why = np.array([[0.3, -0.2, 0.6], [-0.5, 0.7, 0.1], [0.2, 0.4, -0.3]])
    letters = np.eye(3)  # C, A, T: one column per time step
    ht = np.zeros((3, 4))
    for t in range(3):  # MATLAB's t = 1:3; column t holds the state before letter t+1
        ht[:, t + 1 : t + 2] = np.tanh(whx @ letters[:, t : t + 1] + whh * ht[:, t : t + 1] + bias)
    y = why @ ht[:, 1:]
    return {"ht": ht, "y": y, "p": softmax(y)}
