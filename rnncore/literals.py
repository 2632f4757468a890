"""What a literal input in the configuration means: a YAML number, list or list of lists read as MATLAB reads
``[1 2 3]``, a float64 array of two dimensions.

On the floor of the package (it imports nothing of rnncore) because two layers need the same answer:
loading the configuration checks every literal (:func:`rnncore.config.load_settings`), and the engine
gives it to both engines (:mod:`rnncore.engine.inputs`). Its own module, so that a change to the
configuration's code does not rerun the workflow's input jobs.
"""

from __future__ import annotations

import numpy as np

__all__ = ["literal_array"]


def literal_array(value, name: str = "value") -> np.ndarray:
    """A YAML literal as a MATLAB-shaped float64 array (number -> 1x1, list -> 1xn row, rows -> matrix)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, list)):
        raise ValueError(f"{name}: a literal must be a number, a list or a list of lists, got {value!r}")
    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        widths = {len(r) for r in value}
        if len(widths) != 1:
            raise ValueError(f"{name}: rows have different lengths {sorted(widths)}")
    arr = np.array(value, dtype=np.float64)
    if arr.ndim == 0:
        return arr.reshape(1, 1)  # scalar -> 1x1
    if arr.ndim == 1:
        return arr.reshape(1, -1)  # [1, 2, 3] -> 1x3, MATLAB's [1 2 3]
    if arr.ndim == 2:
        return arr
    raise ValueError(f"{name}: literal nests deeper than a matrix (shape {arr.shape})")
