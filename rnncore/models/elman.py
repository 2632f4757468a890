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

Layout and speed: inside, every per-step array is time-major, (T, n, B), so that step t is one
contiguous block; the cache shows the (n, B, T) views of the table above. Only the recurrence runs
step by step, writing each result into its slot; the output layer, softmax, loss and the weight
gradients' terms are formed for all steps at once, each step still by its own BLAS call and every
sum in MATLAB's order, so the numbers are the plain step loop's bit for bit
(``tests/models/test_bit_identity.py`` against ``tests/models/reference_loops.py``). A training
loop that passes each call the previous cache (``reuse=``) also writes every pass into the same
memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from rnncore.models.factory import REGISTRY
from rnncore.models.batch import (batch_major, c_ordered, check_batch, initial_state, one_hot, step_operands,
                                  sum_over_steps, sum_steps, take, time_major)
from rnncore.models.output import log_softmax, logits, nll_loss, output_forward, output_grads
from rnncore.models.params import Params
from rnncore.models.recurrent import elman_update

__all__ = [
    "PARAM_NAMES",
    "RECURRENCES",
    "check_recurrence",
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
    """What the forward pass keeps for the backward pass, in the module table's (n, B, T) shapes.

    ``hs``, ``ps`` and ``logps`` are views of time-major arrays (T, n, B) that the forward pass
    fills step by step (``cache.hs.transpose(2, 0, 1)`` gives one back, contiguous): a step's state
    is then one contiguous (n, B) block, which BLAS and the element-wise operations read and write
    without copies. ``ys`` is recomputed from ``hs`` when first asked for (the same calls, the same
    bits): training never reads it, and not keeping it saves a (T, O, B) array per pass.
    """

    params: ElmanParams  # the weights of this pass
    x: np.ndarray  # (I, B, T) inputs, the caller's array
    hs: np.ndarray  # (H, B, T+1) hidden states, hs[:, :, 0] = h0
    ps: np.ndarray  # (O, B, T) softmax probabilities
    logps: np.ndarray  # (O, B, T) log probabilities
    work: dict = field(default_factory=dict, repr=False)  # every array of the pass, for `reuse`

    @cached_property
    def ys(self) -> np.ndarray:
        """(O, B, T) logits ``why*h + by``."""
        return batch_major(logits(self.params.why, self.params.by, time_major(self.hs)[1:]))


# The forms of whh, one per Elman model of the registry.
RECURRENCES = tuple(m.recurrence for m in REGISTRY.values() if m.recurrence is not None)


def check_recurrence(recurrence: str) -> str:
    """``recurrence`` itself if it is one of :data:`RECURRENCES`, else ValueError naming them."""
    if recurrence not in RECURRENCES:
        raise ValueError(f"recurrence must be {' or '.join(map(repr, RECURRENCES))}, got {recurrence!r}")
    return recurrence


def init_params(rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int,
                recurrence: str = "diagonal", scale: float = 0.1) -> ElmanParams:
    """Random weights, every entry (biases included) drawn from normal(0, scale**2).

    Biases are random too so that a gradient check exercises them from a generic point; set them
    to zeros afterwards for a conventional start (:func:`rnncore.models.factory.init_params` does).
    ``recurrence`` is ``"diagonal"`` (whh (H, 1)) or ``"full"`` (whh (H, H)).
    Draw order: whx, whh, bias, why, by.
    """
    check_recurrence(recurrence)
    whh_cols = 1 if recurrence == "diagonal" else n_hidden
    return ElmanParams(
        whx=rng.normal(0.0, scale, (n_hidden, n_in)),
        whh=rng.normal(0.0, scale, (n_hidden, whh_cols)),
        bias=rng.normal(0.0, scale, (n_hidden, 1)),
        why=rng.normal(0.0, scale, (n_out, n_hidden)),
        by=rng.normal(0.0, scale, (n_out, 1)),
    )


def forward(params: ElmanParams, x, h0=None, reuse: ElmanCache | None = None) -> ElmanCache:
    """Run the network over ``x`` (I, B, T) from ``h0`` (H, B) or (H, 1), zeros by default.

    ``reuse``: the cache of an earlier pass that this one takes over. Its arrays are overwritten
    (so it must not be read afterwards) instead of new ones being allocated, the numbers are the
    same: for a training loop, where the previous pass's cache is dead anyway (see
    :func:`rnncore.models.batch.take` for why it pays).

    Each step is ``rnncore.models.recurrent.elman_update`` on ``whx*x_t`` (the hidden update rnn2
    uses too, so the two agree bit for bit). The input term ``whx*x_t`` does not depend on the
    state, so it is formed for every step before the loop (one BLAS call per step inside
    ``np.matmul``, the step loop's own); the output layer ``y = why*h + by`` and its softmax do
    not feed back, so they run once over all steps after it
    (:func:`rnncore.models.output.output_forward`). The loop holds the recurrence alone.
    """
    x, _, _ = check_batch(params, x)
    I, B, T = x.shape
    H, O = params.n_hidden, params.n_out
    work = {} if reuse is None else reuse.work
    hs = take(work, "hs", (T + 1, H, B))  # (T+1, H, B): hs[t+1] = h after input t
    hs[0] = initial_state(h0, H, B, "h0")
    xs = take(work, "xs", (T, I, B))  # inputs time-major: x_t contiguous, so BLAS takes rnn2's route
    np.copyto(xs, x.transpose(2, 0, 1))
    xws = np.matmul(params.whx, xs, out=take(work, "xws", (T, H, B)))  # (T, H, B) whx*x_t, every step
    rec = take(work, "rec", (H, B))  # one step's whh(.)*h_prev
    for t in range(T):
        elman_update(xws[t], params.whh, params.bias, hs[t], hs[t + 1], rec)  # (H, B) tanh((whx*x + whh(.)*h) + bias)
    logps, ps = output_forward(params.why, params.by, hs[1:], take(work, "logps", (T, O, B)),
                               take(work, "ps", (T, O, B)))  # (T, O, B) each
    return ElmanCache(params=params, x=x, hs=batch_major(hs), ps=batch_major(ps), logps=batch_major(logps),
                      work=work)


def _bptt(params: ElmanParams, cache: ElmanCache, targets, mask) -> tuple[ElmanParams, np.ndarray]:
    """``(grads, dhs)``: BPTT gradients and ``dhs[:, :, t]`` = d loss / d h after input t, (H, B, T).

    Walks t = T..1; ``dh_next`` carries d loss / d h[t] from step t+1 back through the recurrence.
    Only that recursion runs step by step: the output layer's terms are formed for all steps
    before it, the weight gradients after it, each as sums over steps in the MATLAB loop's order
    (:func:`rnncore.models.batch.sum_over_steps`, :func:`rnncore.models.batch.sum_steps`).
    """
    hs, ps = time_major(cache.hs), time_major(cache.ps)  # (T+1, H, B), (T, O, B)
    T, H, B = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    whh, why, work = params.whh, params.why, cache.work
    # softmax + cross-entropy: dy = (p - onehot(target)) * mask / B
    dys = output_grads(ps, targets, mask, out=take(work, "dys", ps.shape))  # (T, O, B)
    # The states as the step loop kept them, (H, B, T+1) C-ordered: the products below then take
    # its BLAS routes (step_operands); the inputs are the caller's array as it came.
    h_ops = step_operands(c_ordered(cache.hs, work, "hs_c"))  # (T+1, B, H) h_t'
    x_ops = step_operands(cache.x)  # (T, B, I) x_t'
    # y = why*h + by
    g_why = sum_over_steps(dys, h_ops, 1, work, "why")  # (O, H) dy*h'
    g_by = sum_steps(dys.sum(axis=2, keepdims=True))  # (O, 1) sum(dy, 2)
    # the output's share of dh; the loop adds the recurrence's
    dhs = np.matmul(why.T, dys, out=take(work, "dhs", (T, H, B)))  # (T, H, B)
    # h = tanh(a), tanh' = 1 - h^2
    dh_raws = np.multiply(hs[1:], hs[1:], out=take(work, "dh_raws", (T, H, B)))  # h.^2, 1 - h.^2, d loss / d a
    np.subtract(1.0, dh_raws, out=dh_raws)
    dh_next = take(work, "dh_next", (H, B))
    dh_next.fill(0.0)  # nothing flows back from beyond the last step
    for t in reversed(range(T)):
        dhs[t] += dh_next  # (H, B) dh = why'*dy + dh_next
        dh_raws[t] *= dhs[t]  # (H, B) dh_raw = (1 - h.^2) .* dh
        # a = (whx*x + whh(.)*h_prev) + bias: back to h_prev
        if params.diagonal:  # whh.*h_prev: each neuron sees only its own past
            np.multiply(whh, dh_raws[t], out=dh_next)  # (H, B)
        else:  # whh*h_prev
            np.matmul(whh.T, dh_raws[t], out=dh_next)  # (H, B)
    g_bias = sum_steps(dh_raws.sum(axis=2, keepdims=True))  # (H, 1) sum(dh_raw, 2)
    g_whx = sum_over_steps(dh_raws, x_ops, 0, work, "whx")  # (H, I) dh_raw*x'
    if params.diagonal:
        g_whh = sum_steps(np.multiply(dh_raws, hs[:-1]).sum(axis=2, keepdims=True))  # (H, 1) sum(dh_raw.*h_prev, 2)
    else:
        g_whh = sum_over_steps(dh_raws, h_ops, 0, work, "whh")  # (H, H) dh_raw*h_prev'
    grads = ElmanParams(whx=g_whx, whh=g_whh, bias=g_bias, why=g_why, by=g_by)
    return grads, batch_major(dhs)


def backward(params: ElmanParams, cache: ElmanCache, targets, mask) -> ElmanParams:
    """Gradients of :func:`nll_loss` by backpropagation through time, as an :class:`ElmanParams`."""
    return _bptt(params, cache, targets, mask)[0]


def loss_and_grads(params: ElmanParams, x, targets, mask, h0=None, reuse: ElmanCache | None = None
                   ) -> tuple[float, ElmanParams, ElmanCache]:
    """``(loss, grads, cache)``: the forward pass, the masked loss and BPTT in one call.

    ``reuse``: the previous call's cache, taken over (see :func:`forward`); the gradients are
    always new arrays.
    """
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    cache = forward(params, x, h0, reuse)
    return nll_loss(cache, targets, mask), backward(params, cache, targets, mask), cache


def hidden_grads(params: ElmanParams, x, targets, mask, h0=None) -> np.ndarray:
    """(H, B, T) array: ``[:, :, t]`` = d loss / d h_t, the ``dh`` of the backward pass at step t.

    ``h_t`` is the hidden state after input t (``cache.hs[:, :, t+1]``, 0-based t), and the
    derivative is total: through the output at step t and through every later step. It is the
    ``dh`` that :func:`backward`'s recursion forms anyway (one loop gives both).
    """
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    # A fresh C-ordered array, not the time-major view: reductions over it (the study's norms) then
    # add in the order, and round the way, they always did.
    return np.ascontiguousarray(_bptt(params, forward(params, x, h0), targets, mask)[1])


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
