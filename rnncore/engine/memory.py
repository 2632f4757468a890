"""Memory a parity job declares (Snakemake's ``mem_mb``), scaled by the size of the data it handles.

A cluster kills a job that uses more memory than it declared, and a scheduler packs jobs by what they
declare: each figure here covers what the job was measured to use, with margin. Measured with
``benchmarks/large_variable.py`` (one N x N variable, N = 1000, 2000, 3000; peak RSS of each step in a
process of its own, Python's and Octave's together):

=========  =============================================  =====================================
job        measured                                        declared
=========  =============================================  =====================================
inputs     ~30 bytes per input element (8 of them kept)   1000 MB + 4x the inputs' bytes
octave     Python ~30, Octave ~40 bytes per element       2000 MB + 8x the inputs file
python     ~30 bytes per element                          1000 MB + 6x the inputs file
compare    ~110 bytes per element: 14x one engine file    max(2000 MB, 500 MB + 8x both engine files)
=========  =============================================  =====================================

The comparison holds, per element, both values, the errors, the ULP distance, the verdict and note
codes and the 1-based row and column, which is where its 110 bytes go. The runs' figures scale with
their *inputs*, the only data they can see before they start: a script that makes large variables
from small inputs (or none) says so with the case's ``mem_mb``, a floor under every one of its jobs.
A file not there yet (a job bundled on a cluster with the one that makes it) counts as empty.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from rnncore.engine.inputs import literal_array

__all__ = ["BASE_MB", "job_mb", "inputs_bytes"]

MB = 2**20
BASE_MB = {"inputs": 1000, "octave": 2000, "python": 1000, "compare": 2000}
_PER_BYTE = {"inputs": 4, "octave": 8, "python": 6}  # declared MB per MB of the inputs


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def inputs_bytes(specs: Mapping[str, Mapping], draws: int = 1) -> int:
    """Bytes of float64 data the case's input specifications make (every draw): known before any run."""
    total = 0
    for spec in specs.values():
        (kind, p), = spec.items()
        if kind == "value":
            n = literal_array(p).size
        elif kind == "captured":  # calls stored by `rnncore add <folder>`: a few, kept under a cap
            n = 0
        elif kind == "onehot":
            n = p["classes"] * p["length"][1]  # the longest sequence
        else:
            n = math.prod(p["shape"])
        total += 8 * n * draws
    return total


def job_mb(job: str, *files, specs: Mapping | None = None, draws: int = 1, floor: int = 0) -> int:
    """``mem_mb`` of a case's ``job`` (``inputs``, ``octave``, ``python`` or ``compare``), from the sizes of
    ``files`` (a run's inputs file, a comparison's two engine files) or, for ``inputs``, from the input
    ``specs`` and ``draws``; never below ``floor`` (the case's ``mem_mb``)."""
    if job == "inputs":
        need = BASE_MB[job] + _PER_BYTE[job] * inputs_bytes(specs or {}, draws) / MB
    elif job == "compare":
        need = max(BASE_MB[job], 500 + 8 * sum(_size(f) for f in files) / MB)
    else:
        need = BASE_MB[job] + _PER_BYTE[job] * sum(_size(f) for f in files) / MB
    return int(math.ceil(max(need, floor or 0)))
