"""Parity kept in the pytest suite: each test runs a MATLAB script in GNU Octave and its Python port,
and compares every element with the tolerance of config.yaml (rnncore's `matlab_parity` fixture).
A failure shows the worst elements: row and column (1-based), both values, the error and the ULP.
"""

from ports.example_rnn import example_rnn


def test_example_rnn(matlab_parity):
    matlab_parity("matlab_ref/example_rnn.m", example_rnn, ["ht", "y", "p"])
