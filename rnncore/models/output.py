"""The output layer both models put on their hidden states: ``y = why*h + by``, softmax, loss.

At every step t the hidden state ``h`` (H, B) of either model (:mod:`rnncore.models.elman`,
:mod:`rnncore.models.lstm`) goes through the same layer::

    y = why*h + by                        % (O, B) logits
    p = softmax(y)                        % (O, B) probabilities, column by column
    loss = sum over t, b of mask(b, t) * -log p(target(b, t), b), divided by B

(mean over the batch, sum over time). Its gradient with respect to ``y`` is
``(p - onehot(target)) .* mask / B``.

Summation order is part of the contract with the Octave reference: the loss adds, for
t = 1..T, the batch sum of that step, then divides by B once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_softmax", "nll_loss", "output_grad"]


def log_softmax(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise ``(log softmax(y), softmax(y))`` for logits ``y`` of shape (O, B).

    Stable: each column is shifted by its maximum first, so ``exp`` cannot overflow and
    ``log(s)`` has ``s >= 1``. The probabilities are formed exactly as ``rnncore.course.softmax`` forms
    them (``fmax`` shift, ``exp``, column sum, divide), so they match rnn2's bit for bit.
    """
    z = y - np.fmax.reduce(y, axis=0, keepdims=True)  # (O, B), max ignores NaN like MATLAB's
    e = np.exp(z)
    s = e.sum(axis=0, keepdims=True)  # (1, B), >= 1: the max entry contributes exp(0)
    return z - np.log(s), e / s


def nll_loss(cache, targets, mask) -> float:
    """Masked cross-entropy of a forward pass (its ``logps``, (O, B, T)), mean over the batch."""
    _, B, T = cache.logps.shape
    cols = np.arange(B)
    loss = 0.0
    for t in range(T):
        nll = -cache.logps[targets[:, t], cols, t]  # (B,) -log p of the wanted class
        loss = loss + np.sum(mask[:, t] * nll)  # one step's batch sum, added in time order
    return float(loss / B)


def output_grad(ps: np.ndarray, targets, mask, t: int) -> np.ndarray:
    """d loss / d y at step t, (O, B): ``(p - onehot(target)) * mask / B`` (softmax + cross-entropy)."""
    _, B, _ = ps.shape
    dy = ps[:, :, t].copy()  # (O, B)
    dy[targets[:, t], np.arange(B)] -= 1.0
    return dy * (mask[:, t] / B)  # (B,) broadcasts along the columns
