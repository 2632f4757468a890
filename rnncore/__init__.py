"""rnncore: MATLAB course material on recurrent networks, ported to Python and audited against GNU Octave.

Orientation, stated once for the whole package: arrays mirror MATLAB's. A vector is a column
(shape ``(n, 1)``), a sequence or a batch runs along columns (``ht[:, t]`` is the hidden state at
time ``t``), and reports print MATLAB's 1-based ``row`` and ``col``. Python code indexes 0-based
as usual; only files written for people (CSVs, logs, messages) use 1-based indices.
"""

__version__ = "0.1.0"
