"""The trainable Elman RNN: forward pass, masked cross-entropy loss and backpropagation through time.

This is ``rnn2.m``'s network made trainable, min-char-rnn style: the forward loop and the backward
loop sit side by side below, and every line of the backward pass is the derivative of one line of
the forward pass. ``matlab_ref/train/*.m`` is the same arithmetic written as plain MATLAB; the two
are compared element by element in ``tests/course/test_elman_octave.py``.

Shapes (MATLAB orientation, see the package docstring: columns are samples)

=========  ============  ======================================================================
name       shape         meaning
=========  ============  ======================================================================
whx        (H, I)        input -> hidden
whh        (H, 1)        diagonal recurrence ``whh.*h`` (the course's), or
           (H, H)        full recurrence ``whh*h`` (the general Elman network)
bias       (H, 1)        hidden bias
why        (O, H)        hidden -> output
by         (O, 1)        output bias; the course has none, so it starts at zeros to reproduce rnn2
x          (I, B, T)     inputs: column b of ``x[:, :, t]`` is sample b at time t (one-hot here)
targets    (B, T) int    0-based class index wanted at each step (MATLAB gets them 1-based)
mask       (B, T) float  1 where a step counts, 0 for padding; a masked step still runs forward
                         (the hidden state flows through it) but adds nothing to loss or gradient
hs         (H, B, T+1)   hidden states, ``hs[:, :, 0]`` = h0, ``hs[:, :, t+1]`` after input t
ys, ps     (O, B, T)     logits and softmax probabilities per step
=========  ============  ======================================================================

Loss: ``sum over b, t of mask[b, t] * -log softmax(ys[:, b, t])[targets[b, t]]``, divided by B
(mean over the batch, sum over time).

Summation order is part of the contract, because the Octave reference must round the same way:
the loss adds, for t = 1..T, the batch sum of that step, then divides by B once; every gradient
accumulates one time step at a time from t = T down to 1, starting from zeros. The reductions over
the batch (``sum(., 2)``) are sequential in both engines for B < 8; numpy switches to pairwise
summation from 8 elements on, which costs at most a few ULP more against Octave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnncore.models.batch import check_batch, initial_state, one_hot
from rnncore.models.output import log_softmax, nll_loss, output_grad
from rnncore.models.params import Params
from rnncore.models.recurrent import elman_step

__all__ = [
    "PARAM_NAMES",
    "ElmanParams",
    "ElmanCache",
    "init_params",
    "one_hot",
    "log_softmax",
    "forward",
    "nll_loss",
    "backward",
    "loss_and_grads",
    "hidden_grads",
    "hidden_grad_norms",
    "predict",
    "predict_classes",
]


@dataclass(frozen=True, eq=False)
class ElmanParams(Params):
    """The five weight arrays, course names, float64, MATLAB shapes (see the module table).

    Also used for gradients (same names and shapes) and for Adam's moment estimates; the shared
    behaviour (float64, shape check, ``as_dict``, ``map``, ...) is :class:`rnncore.models.params.Params`'.
    """

    whx: np.ndarray  # (H, I)
    whh: np.ndarray  # (H, 1) diagonal or (H, H) full
    bias: np.ndarray  # (H, 1)
    why: np.ndarray  # (O, H)
    by: np.ndarray  # (O, 1)

    MATRICES = ("whx", "why")

    def shape_rules(self):
        H, O = self.whx.shape[0], self.why.shape[0]
        return {"whh": ((H, 1), (H, H)), "bias": ((H, 1),), "why": ((O, H),), "by": ((O, 1),)}

    @property
    def n_in(self) -> int:
        return self.whx.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.whx.shape[0]

    @property
    def diagonal(self) -> bool:
        """True for the course's (H, 1) recurrence ``whh.*h``. With H = 1 both forms coincide."""
        return self.whh.shape[1] == 1


PARAM_NAMES = ElmanParams.names()  # ("whx", "whh", "bias", "why", "by")


@dataclass(frozen=True, eq=False)
class ElmanCache:
    """What the forward pass keeps for the backward pass."""

    x: np.ndarray  # (I, B, T) inputs
    hs: np.ndarray  # (H, B, T+1) hidden states, hs[:, :, 0] = h0
    ys: np.ndarray  # (O, B, T) logits
    ps: np.ndarray  # (O, B, T) softmax probabilities
    logps: np.ndarray  # (O, B, T) log probabilities


def init_params(rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int,
                recurrence: str = "diagonal", scale: float = 0.1) -> ElmanParams:
    """Random weights, every entry (biases included) drawn from normal(0, scale**2).

    Biases are random too so that a gradient check exercises them from a generic point; set them
    to zeros afterwards for a conventional start (:func:`rnncore.models.factory.init_params` does).
    ``recurrence`` is ``"diagonal"`` (whh (H, 1)) or ``"full"`` (whh (H, H)).
    Draw order: whx, whh, bias, why, by.
    """
    if recurrence not in ("diagonal", "full"):
        raise ValueError(f"recurrence must be 'diagonal' or 'full', got {recurrence!r}")
    whh_cols = 1 if recurrence == "diagonal" else n_hidden
    return ElmanParams(
        whx=rng.normal(0.0, scale, (n_hidden, n_in)),
        whh=rng.normal(0.0, scale, (n_hidden, whh_cols)),
        bias=rng.normal(0.0, scale, (n_hidden, 1)),
        why=rng.normal(0.0, scale, (n_out, n_hidden)),
        by=rng.normal(0.0, scale, (n_out, 1)),
    )


def forward(params: ElmanParams, x, h0=None) -> ElmanCache:
    """Run the network over ``x`` (I, B, T) from ``h0`` (H, B) or (H, 1), zeros by default.

    Each step is ``rnncore.models.recurrent.elman_step`` (the one definition of the hidden update, also
    used by rnn2), then ``y = why*h + by`` and a column softmax.
    """
    x, _, _ = check_batch(params, x)
    _, B, T = x.shape
    H, O = params.n_hidden, params.n_out
    h = initial_state(h0, H, B, "h0")  # (H, B)
    hs = np.zeros((H, B, T + 1))
    hs[:, :, 0] = h
    ys = np.zeros((O, B, T))
    ps = np.zeros((O, B, T))
    logps = np.zeros((O, B, T))
    for t in range(T):
        # The step reads h, a contiguous (H, B) array (not a strided slice of hs), so numpy takes the
        # same matmul path as rnn2's column and the two agree bit for bit.
        x_t = np.ascontiguousarray(x[:, :, t])  # (I, B)
        h = elman_step(params.whx, params.whh, params.bias, h, x_t)  # (H, B)
        hs[:, :, t + 1] = h
        y = params.why @ h + params.by  # (O, B); by = 0 adds exactly nothing
        ys[:, :, t] = y
        logps[:, :, t], ps[:, :, t] = log_softmax(y)
    return ElmanCache(x=x, hs=hs, ys=ys, ps=ps, logps=logps)


def _bptt(params: ElmanParams, cache: ElmanCache, targets, mask) -> tuple[ElmanParams, np.ndarray]:
    """``(grads, dhs)``: BPTT gradients and ``dhs[:, :, t]`` = d loss / d h after input t, (H, B, T).

    Walks t = T..1; ``dh_next`` carries d loss / d h[t] from step t+1 back through the recurrence.
    """
    hs, ps, x = cache.hs, cache.ps, cache.x
    _, B, T = ps.shape
    whh, why = params.whh, params.why
    diagonal = params.diagonal
    g = {name: np.zeros_like(getattr(params, name)) for name in PARAM_NAMES}
    dhs = np.zeros((params.n_hidden, B, T))
    dh_next = np.zeros_like(hs[:, :, 0])  # (H, B): nothing flows back from beyond the last step
    for t in reversed(range(T)):
        h, h_prev, x_t = hs[:, :, t + 1], hs[:, :, t], x[:, :, t]
        dy = output_grad(ps, targets, mask, t)  # (O, B)
        # y = why*h + by
        g["why"] = g["why"] + dy @ h.T
        g["by"] = g["by"] + dy.sum(axis=1, keepdims=True)
        dh = why.T @ dy + dh_next  # (H, B): from the output and from step t+1
        dhs[:, :, t] = dh
        # h = tanh(a), tanh' = 1 - h^2
        dh_raw = (1.0 - h * h) * dh
        # a = (whx*x + whh(.)*h_prev) + bias
        g["bias"] = g["bias"] + dh_raw.sum(axis=1, keepdims=True)
        g["whx"] = g["whx"] + dh_raw @ x_t.T
        if diagonal:  # whh.*h_prev: each neuron sees only its own past
            g["whh"] = g["whh"] + (dh_raw * h_prev).sum(axis=1, keepdims=True)
            dh_next = whh * dh_raw
        else:  # whh*h_prev
            g["whh"] = g["whh"] + dh_raw @ h_prev.T
            dh_next = whh.T @ dh_raw
    return ElmanParams(**g), dhs


def backward(params: ElmanParams, cache: ElmanCache, targets, mask) -> ElmanParams:
    """Gradients of :func:`nll_loss` by backpropagation through time, as an :class:`ElmanParams`."""
    return _bptt(params, cache, targets, mask)[0]


def loss_and_grads(params: ElmanParams, x, targets, mask, h0=None) -> tuple[float, ElmanParams, ElmanCache]:
    """``(loss, grads, cache)``: the forward pass, the masked loss and BPTT in one call."""
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    cache = forward(params, x, h0)
    return nll_loss(cache, targets, mask), backward(params, cache, targets, mask), cache


def hidden_grads(params: ElmanParams, x, targets, mask, h0=None) -> np.ndarray:
    """(H, B, T) array: ``[:, :, t]`` = d loss / d h_t, the ``dh`` of the backward pass at step t.

    ``h_t`` is the hidden state after input t (``cache.hs[:, :, t+1]``, 0-based t), and the
    derivative is total: through the output at step t and through every later step. It is the
    ``dh`` that :func:`backward`'s recursion forms anyway (one loop gives both).
    """
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    return _bptt(params, forward(params, x, h0), targets, mask)[1]


def hidden_grad_norms(params: ElmanParams, x, targets, mask, h0=None) -> np.ndarray:
    """(T,) array: ``norms[t]`` = ||d loss / d h_t||, Frobenius over H and B (see :func:`hidden_grads`).

    For the vanishing-gradient study, let only the last step count (``mask[:, :-1] = 0``): then
    ``norms[t]`` is how much of the last step's error reaches step t.
    """
    dhs = hidden_grads(params, x, targets, mask, h0)
    return np.sqrt(np.sum(dhs * dhs, axis=(0, 1)))


def predict(params: ElmanParams, x, h0=None) -> np.ndarray:
    """Softmax probabilities (O, B, T) for inputs ``x`` (I, B, T)."""
    return forward(params, x, h0).ps


def predict_classes(params: ElmanParams, x, h0=None) -> np.ndarray:
    """Most probable class (B, T), 0-based (the first one on ties, like MATLAB's ``max``)."""
    return np.argmax(predict(params, x, h0), axis=0)
