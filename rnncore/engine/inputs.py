"""Inputs of a parity case: literal arrays, or seeded random draws generated here, in Python.

Both engines get the very same arrays: they are drawn once by :func:`draw_inputs`, written to
``results/engines/<case>/inputs.npz`` and read by the Octave and the Python step. Neither engine's
own random number generator is used, since Octave's and numpy's differ by design.

Input specifications (one key each, see ``workflow/schemas/config.schema.yaml``):

``{value: V}``
    A literal. A number is 1x1; a flat list ``[1, 2, 3]`` is a 1x3 row, as MATLAB reads
    ``[1 2 3]``; a list of lists gives the rows of a matrix. A literal is the same in every draw.
``{uniform: {shape: [r, c], low: a, high: b}}``
    Independent U(a, b) entries.
``{normal: {shape: [r, c], mean: m, std: s}}``
    Independent N(m, s^2) entries.
``{onehot: {classes: C, length: [lo, hi]}}``
    A C x T one-hot sequence (one column per time step) with T uniform in lo..hi and each
    column's class uniform in 1..C.

Draws are generated in order (draw 1 first; within a draw, inputs in configuration order) from
``numpy.random.default_rng(seed)``, so a (seed, n) pair always gives the same arrays.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# On the floor, so that loading the configuration checks literals without importing the engine; named
# here too, beside the draws.
from rnncore.literals import literal_array

__all__ = ["literal_array", "is_random", "draw_inputs"]


def is_random(spec: Mapping) -> bool:
    return "value" not in spec


def _draw(rng: np.random.Generator, spec: Mapping) -> np.ndarray:
    (kind, p), = spec.items()
    if kind == "value":
        return literal_array(p)
    if kind == "uniform":
        return rng.uniform(p["low"], p["high"], size=tuple(p["shape"]))
    if kind == "normal":
        return rng.normal(p["mean"], p["std"], size=tuple(p["shape"]))
    if kind == "onehot":
        lo, hi = p["length"]
        steps = int(rng.integers(lo, hi, endpoint=True))
        return np.eye(p["classes"])[:, rng.integers(0, p["classes"], size=steps)]  # (C, T)
    raise ValueError(f"unknown input kind {kind!r}")


def draw_inputs(specs: Mapping[str, Mapping], n: int = 1, seed: int = 0) -> list[dict[str, np.ndarray]]:
    """``n`` draws of every input in ``specs`` (ordered name -> specification)."""
    rng = np.random.default_rng(seed)
    return [{name: _draw(rng, spec) for name, spec in specs.items()} for _ in range(n)]
