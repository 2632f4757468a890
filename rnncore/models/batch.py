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

Inside, the models keep per-step arrays time-major, (T, n, B): step t is then one contiguous
(n, B) block that a BLAS call or an element-wise operation reads or writes without a copy, and a
stack of steps is one array that ``np.matmul`` runs through with one BLAS call per step. Their
caches show the (n, B, T) view of it (:func:`batch_major`); :func:`time_major` turns it back.
"""

from __future__ import annotations

import numpy as np

__all__ = ["one_hot", "check_batch", "initial_state", "time_major", "batch_major", "step_operands", "c_ordered",
           "sum_over_steps", "sum_steps", "take"]


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


def batch_major(a: np.ndarray) -> np.ndarray:
    """(T, n, B) time-major -> the (n, B, T) view the models' tables document (no copy)."""
    return a.transpose(1, 2, 0)


def time_major(a: np.ndarray) -> np.ndarray:
    """(n, B, T) -> (T, n, B) view; contiguous when ``a`` came from :func:`batch_major`."""
    return a.transpose(2, 0, 1)


def step_operands(b: np.ndarray) -> np.ndarray:
    """(T', B, n) view whose ``[t]`` is ``b[:, :, t].T``: the right operands of the steps' ``a @ b_t.T``.

    numpy's matmul picks its route by the operands' layout (BLAS gemm on the array as it is, or on
    a copy of a strided one; gemv or its own C loop when the product has a dimension 1), and
    OpenBLAS its kernel, and so the rounding, by their transposition. To give the per-step code's
    bits whatever the shapes, ``b`` must be laid out as that code held it: the caller's ``x`` as
    it came, and the states as a C-ordered (n, B, T+1) array (``np.ascontiguousarray`` of a
    cache's ``hs`` view, or :func:`c_ordered`).
    """
    return b.transpose(2, 1, 0)


def take(work: dict | None, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape`` for ``name``: ``work[name]`` when it has that shape (its values are
    stale: the caller overwrites every entry), else a new one, stored in ``work`` for next time.

    ``work`` is a cache's workspace (see ``reuse`` in the models' ``forward``): a training loop
    that hands each pass the previous pass's cache writes every pass into the same memory instead
    of fresh pages, whose first touch costs a page fault each (on this project's machine, half
    the time of a small network's epoch). ``None``: always a new array.
    """
    a = None if work is None else work.get(name)
    if a is None or a.shape != shape:
        a = np.empty(shape)
        if work is not None:
            work[name] = a
    return a


def c_ordered(b: np.ndarray, work: dict | None, name: str) -> np.ndarray:
    """``b`` copied into a C-ordered array of its shape (from ``work``, see :func:`take`)."""
    out = take(work, name, b.shape)
    np.copyto(out, b)
    return out


# A stack of T products (T, m, n) above this many entries is not formed: its fresh pages would
# cost more (page faults, memory traffic) than the T - 1 separate calls it saves. 2**15 doubles
# is 256 KiB: every stack at the course's sizes up to H = 16 is formed, none at H = 256.
STACK_LIMIT = 2**15


def sum_over_steps(a: np.ndarray, b_ops: np.ndarray, first: int = 0, work: dict | None = None,
                   name: str = "terms") -> np.ndarray:
    """``sum over t of a[t] @ b_ops[first + t]``, (m, n), added one step at a time from t = T down to 1.

    ``a`` is (T, m, B) time-major, ``b_ops`` a (T', B, n) stack of right operands
    (:func:`step_operands`). The sum starts from zeros and adds the steps in the MATLAB loop's
    order (``g = g + ...`` inside ``for t = T:-1:1``), each product the per-step code's own BLAS
    call, so the result is that code's bit for bit. Small stacks of products are formed with one
    ``np.matmul`` call; large ones one step at a time into one reused buffer (same calls, same bits).
    Their buffer comes from ``work`` under ``name`` (:func:`take`); the sum is always a new array.
    """
    T, m, _ = a.shape
    n = b_ops.shape[2]
    g = np.zeros((m, n))
    if T * m * n <= STACK_LIMIT:
        terms = np.matmul(a, b_ops[first:first + T], out=take(work, name, (T, m, n)))
        for t in reversed(range(T)):
            g += terms[t]
    else:
        term = take(work, name, (m, n))
        for t in reversed(range(T)):
            g += np.matmul(a[t], b_ops[first + t], out=term)
    return g


def sum_steps(terms: np.ndarray) -> np.ndarray:
    """``sum over t of terms[t]`` for a (T, ...) stack, added from t = T down to 1, from zeros.

    A reduction over the stacked axis could add in another order (numpy sums pairwise from 8
    terms on) and round differently; the MATLAB loop adds one step at a time.
    """
    g = np.zeros(terms.shape[1:])
    for t in reversed(range(terms.shape[0])):
        g += terms[t]
    return g
