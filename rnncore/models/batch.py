"""The data a model reads, in the layout both models share: one-hot inputs, checks, initial states.

Columns are samples (MATLAB orientation, see the package docstring):

=========  ============  ======================================================================
name       shape         meaning
=========  ============  ======================================================================
x          (I, B, T)     inputs: column b of ``x[:, :, t]`` is sample b at time t (one-hot here)
targets    (B, T) int    0-based class index wanted at each step (MATLAB gets them 1-based)
mask       (B, T) float  1 where a step counts, 0 for padding; a masked step still runs forward
                         (the state flows through it) but adds nothing to loss or gradient
h0, c0     (H, B)        initial states, or (H, 1) for one start shared by every sample
=========  ============  ======================================================================
"""

from __future__ import annotations

import numpy as np

__all__ = ["one_hot", "check_batch", "initial_state"]


def one_hot(indices, n_classes: int) -> np.ndarray:
    """(B, T) 0-based class indices -> (n_classes, B, T) float64 one-hot inputs.

    Indices outside ``[0, n_classes)`` raise ValueError: numpy indexing would wrap ``-1`` to the
    last class without a word, and a wrong input is worse than no input.
    """
    indices = np.asarray(indices)
    if indices.ndim != 2:
        raise ValueError(f"indices must be (B, T), got shape {indices.shape}")
    if indices.dtype.kind not in "iu":
        raise ValueError(f"indices must be integer class indices, got dtype {indices.dtype}")
    if indices.size and (indices.min() < 0 or indices.max() >= n_classes):
        raise ValueError(f"class indices must be in [0, {n_classes}), got min {indices.min()}, max {indices.max()}")
    out = np.zeros((n_classes,) + indices.shape)
    b, t = np.indices(indices.shape)
    out[indices, b, t] = 1.0
    return out


def check_batch(params, x, targets=None, mask=None, require_targets: bool = False):
    """``(x, targets, mask)`` as float64 / integer / float64 arrays, checked against ``params``.

    ``params`` is any :class:`rnncore.models.params.Params` (it gives ``n_in`` and ``n_out``).
    ``targets`` must be 0-based class indices in ``[0, n_out)``. With ``require_targets``, missing
    targets or mask raise ValueError (the loss needs both).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3 or x.shape[0] != params.n_in:
        raise ValueError(f"x must be (I={params.n_in}, B, T), got shape {x.shape}")
    _, B, T = x.shape
    if require_targets and (targets is None or mask is None):
        raise ValueError("targets and mask are required")
    if targets is not None:
        targets = np.asarray(targets)
        if targets.shape != (B, T) or targets.dtype.kind not in "iu":
            raise ValueError(f"targets must be integer (B={B}, T={T}), got {targets.dtype} {targets.shape}")
        if targets.size and (targets.min() < 0 or targets.max() >= params.n_out):
            raise ValueError(f"targets must be 0-based class indices in [0, {params.n_out})")
    if mask is not None:
        mask = np.asarray(mask, dtype=np.float64)
        if mask.shape != (B, T):
            raise ValueError(f"mask must be (B={B}, T={T}), got shape {mask.shape}")
    return x, targets, mask


def initial_state(s0, H: int, B: int, name: str) -> np.ndarray:
    """``s0`` (H, B) or (H, 1) as a fresh (H, B) float64 array; zeros for None."""
    if s0 is None:
        return np.zeros((H, B))
    s0 = np.asarray(s0, dtype=np.float64)
    if s0.shape not in ((H, B), (H, 1)):
        raise ValueError(f"{name} must be (H={H}, B={B}) or (H={H}, 1), got shape {s0.shape}")
    return np.broadcast_to(s0, (H, B)).copy()
