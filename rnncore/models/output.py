"""The output layer both models put on their hidden states: ``y = why*h + by``, softmax, loss.

At every step t the hidden state ``h`` (H, B) of either model (:mod:`rnncore.models.elman`,
:mod:`rnncore.models.lstm`) goes through the same layer::

    y = why*h + by                        % (O, B) logits
    p = softmax(y)                        % (O, B) probabilities, column by column
    loss = sum over t, b of mask(b, t) * -log p(target(b, t), b), divided by B
    dy = (p - onehot(target)) .* mask / B % d loss / d y, softmax and cross-entropy together

(mean over the batch, sum over time). Nothing here feeds back into the recurrence, so this module
runs the layer once over all T steps, on time-major arrays: ``hs`` (T+1, H, B) in, ``ys``/``ps``/
``logps`` (T, O, B) out, where ``[t]`` is the (H, B) or (O, B) matrix the per-step code would form.
Each step's matrix product is still its own BLAS call (``np.matmul`` over a stack calls the same
routine once per step on the same operands), and every element-wise operation is the per-step one,
so the numbers are the per-step code's bit for bit (``tests/models/test_bit_identity.py``); only
the Python overhead of T separate calls is gone.

Summation order is part of the contract with the Octave reference: the loss adds, for
t = 1..T, the batch sum of that step, then divides by B once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_softmax", "logits", "output_forward", "nll_loss", "output_grads"]


def log_softmax(y: np.ndarray, out: np.ndarray | None = None, p_out: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """``(log softmax(y), softmax(y))`` over the classes (axis -2) of logits ``y``, (O, B) or (T, O, B).

    Stable: each column is shifted by its maximum first, so ``exp`` cannot overflow and
    ``log(s)`` has ``s >= 1``. The probabilities are formed exactly as ``rnncore.course.softmax``
    forms them (``fmax`` shift, ``exp``, column sum, divide), so they match rnn2's bit for bit.
    ``out=y`` writes log p over the logits instead of into a new array; ``p_out`` receives p.
    """
    z = np.subtract(y, np.fmax.reduce(y, axis=-2, keepdims=True), out=out)  # max ignores NaN like MATLAB's
    e = np.exp(z, out=p_out)
    s = e.sum(axis=-2, keepdims=True)  # (1, B) per step, >= 1: the max entry contributes exp(0)
    z -= np.log(s)  # log p = z - log(s), in z's buffer
    e /= s  # p = e / s, in e's buffer
    return z, e


def logits(why: np.ndarray, by: np.ndarray, hs: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``ys`` (T, O, B) from the states after each input ``hs`` (T, H, B): ``why*h_t + by`` for every t."""
    ys = np.matmul(why, hs, out=out)  # (T, O, B): one BLAS call per step, the step loop's own
    ys += by  # (O, 1) broadcast; by = 0 adds exactly nothing
    return ys


def output_forward(why: np.ndarray, by: np.ndarray, hs: np.ndarray, logps_out: np.ndarray | None = None,
                   ps_out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(logps, ps)``, each (T, O, B), from ``hs`` (T, H, B); the logits' buffer becomes ``logps``.

    ``logps_out`` and ``ps_out``, when given, are the (T, O, B) arrays to write them into.

    The logits are not kept (the caches recompute them from ``hs`` when asked: the same calls,
    the same bits), which saves a (T, O, B) array per pass.
    """
    ys = logits(why, by, hs, out=logps_out)
    return log_softmax(ys, out=ys, p_out=ps_out)


def _target_index(targets: np.ndarray):
    """Index ``(t, class, b)`` that picks each step's wanted class from a (T, O, B) array."""
    B, T = targets.shape
    return np.arange(T)[:, None], targets.T, np.arange(B)[None, :]


def nll_loss(cache, targets, mask) -> float:
    """Masked cross-entropy of a forward pass (its ``logps``, (O, B, T)), mean over the batch.

    Each step's batch sum is formed as the step loop formed it (``sum(mask(:, t) .* nll)``, one
    row of a (T, B) array), then the T sums are added in time order, then divided by B once.
    """
    logps = cache.logps.transpose(2, 0, 1)  # (T, O, B); the models' own caches hold this layout
    B = logps.shape[2]
    nll = -logps[_target_index(np.asarray(targets))]  # (T, B): -log p of the wanted class
    mask_tm = np.ascontiguousarray(np.asarray(mask, dtype=np.float64).T)  # (T, B), rows contiguous
    per_step = (mask_tm * nll).sum(axis=1)  # (T,) one batch sum per step, each along a contiguous row
    loss = 0.0
    for s in per_step:  # added in time order, as MATLAB's loop adds them
        loss = loss + s
    return float(loss / B)


def output_grads(ps: np.ndarray, targets, mask, out: np.ndarray | None = None) -> np.ndarray:
    """d loss / d y of every step, (T, O, B): ``(p - onehot(target)) * mask / B`` from ``ps`` (T, O, B).

    Formed without copying ``ps`` first: every entry is ``p * (mask / B)`` but the wanted class's,
    which is ``(p - 1) * (mask / B)``, the two operations the step loop made on it. ``out``, when
    given, is the (T, O, B) array to write into.
    """
    B = ps.shape[2]
    scale = np.asarray(mask, dtype=np.float64).T / B  # (T, B): mask / B, as the step loop divides it
    dys = np.multiply(ps, scale[:, None, :], out=out)  # (T, O, B), broadcast along the classes
    idx = _target_index(np.asarray(targets))
    dys[idx] = (ps[idx] - 1.0) * scale
    return dys
