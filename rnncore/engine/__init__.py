"""The MATLAB-parity engine: run a ``.m`` file in GNU Octave, run its Python port, compare them.

``octave`` runs a script or function file in a fresh Octave session (through oct2py); ``preflight``
scans a ``.m`` file with MISS_HIT before it runs; ``inputs`` draws a case's inputs for both engines;
``reference`` reads published values (the slides); ``parity`` compares two arrays element by
element in ULPs; ``summary`` folds comparisons into summary rows, the gate and the provenance.

This wing knows nothing of the course's models: it imports nothing from ``rnncore.models``,
``rnncore.course`` or ``rnncore.studies`` (``tests/test_architecture.py`` checks).
"""
