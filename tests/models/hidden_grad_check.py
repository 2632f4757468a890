"""Finite-difference checks of d loss / d h_t, shared by test_elman.py and test_lstm.py."""

import numpy as np

from rnncore.models.output import log_softmax

STEP = 1e-5


def relative_error(a, n):
    """max|a - n| / max(|a| + |n|) over the whole array (see test_bptt_matches_finite_differences)."""
    return np.max(np.abs(a - n)) / max(np.max(np.abs(a) + np.abs(n)), 1e-300)


def _suffix_loss(loss_fn, x, targets, mask, t, state):
    """Loss of steps t+1..T started from ``state`` (h_t, and c_t for the LSTM) (0 if t is the last step)."""
    if t + 1 == x.shape[2]:
        return 0.0
    return loss_fn(x[:, :, t + 1 :], targets[:, t + 1 :], mask[:, t + 1 :], *state)


def _step_loss(why, by, h, targets_t, mask_t):
    """Step t's share of the loss, read from h_t: sum over b of mask * -log softmax(why h + by)[target], / B."""
    logp, _ = log_softmax(why @ h + by)
    B = h.shape[1]
    return float(np.sum(mask_t * -logp[targets_t, np.arange(B)]) / B)


def numerical_hidden_grads(loss_fn, why, by, hs, cs, x, targets, mask, step=STEP):
    """d loss / d h_t by central differences on h_t alone, c_t held fixed: (H, B, T).

    The loss splits at h_t into the steps before t (independent of h_t), step t's output, and the
    steps after t, which depend on h_t (and c_t) only as their initial state.
    """
    H, B, T = hs.shape[0], hs.shape[1], hs.shape[2] - 1
    out = np.zeros((H, B, T))
    for t in range(T):
        h = hs[:, :, t + 1]
        state_c = () if cs is None else (cs[:, :, t + 1],)
        for idx in np.ndindex(H, B):
            def at(delta):
                moved = h.copy()
                moved[idx] += delta
                return (_step_loss(why, by, moved, targets[:, t], mask[:, t])
                        + _suffix_loss(loss_fn, x, targets, mask, t, (moved, *state_c)))

            out[(*idx, t)] = (at(step) - at(-step)) / (2 * step)
    return out
