"""The translator's differential fuzzer: generated MATLAB programs, run in Octave and as ports.

* :mod:`rnncore.fuzz.program`: a program as a tree of statements and expressions (what the
  shrinker cuts);
* :mod:`rnncore.fuzz.generate`: programs inside ``rnncore translate``'s subset, drawn from a seed;
* :mod:`rnncore.fuzz.differential`: many programs in one Octave session and their ports in this
  process, every variable compared; each program's outcome (match, refused, both-raise, mismatch);
* :mod:`rnncore.fuzz.shrink`: a mismatch cut down to a minimal program that still mismatches.

It sits above :mod:`rnncore.translate` and :mod:`rnncore.engine`, as the tool does.
"""
