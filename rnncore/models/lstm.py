"""A trainable LSTM: forward pass, masked cross-entropy loss and backpropagation through time.

The same shape of code as :mod:`rnncore.models.elman` (same data layout, output layer and loss
(:mod:`rnncore.models.batch`, :mod:`rnncore.models.output`), parameter base class and API),
so that training code can treat both models alike: :func:`loss_and_grads` returns
``(loss, grads, cache)`` with the gradients in an :class:`LSTMParams`, and
:func:`rnncore.models.optim.sgd_step` / :func:`rnncore.models.optim.adam_step` work on it unchanged (they only
use ``map`` and ``arrays``). The forward loop and the backward loop sit side by side below,
min-char-rnn style: every line of the backward pass is the derivative of one line of the forward
pass. ``matlab_ref/lstm/*.m`` is the same arithmetic written as plain MATLAB; the two are compared
element by element in ``tests/course/test_lstm_octave.py`` (through :mod:`rnncore.course.octave_lstm`).

One step (columns are samples; ``sigma`` is the logistic sigmoid ``1 ./ (1 + exp(-z))``)::

    a = (W*x + R*h_prev) + b          % (4H, B) pre-activations, gates stacked i; f; g; o
    i = sigma(a(1:H))                 % input gate
    f = sigma(a(H+1:2H))              % forget gate
    g = tanh(a(2H+1:3H))              % cell candidate
    o = sigma(a(3H+1:4H))             % output gate
    c = f.*c_prev + i.*g              % cell state
    h = o.*tanh(c)                    % hidden state
    y = why*h + by,  p = softmax(y)   % output at every step, as in the Elman model

Shapes (MATLAB orientation, see the package docstring: columns are samples)

=========  ============  ======================================================================
name       shape         meaning
=========  ============  ======================================================================
W          (4H, I)       input weights, row blocks i, f, g, o (H rows each)
R          (4H, H)       recurrent weights, same blocks
b          (4H, 1)       one bias, same blocks
why        (O, H)        hidden -> output
by         (O, 1)        output bias
x          (I, B, T)     inputs: column b of ``x[:, :, t]`` is sample b at time t (one-hot here)
targets    (B, T) int    0-based class index wanted at each step (MATLAB gets them 1-based)
mask       (B, T) float  1 where a step counts, 0 for padding; a masked step still runs forward
                         (the state flows through it) but adds nothing to loss or gradient
gates      (4H, B, T)    gate activations at each step, row blocks i, f, g, o (:class:`LSTMCache`)
i f g o    (H, B, T)     its blocks
cs, hs     (H, B, T+1)   cell and hidden states, ``[:, :, 0]`` = c0, h0; ``[:, :, t+1]`` after input t
ys, ps     (O, B, T)     logits and softmax probabilities per step
=========  ============  ======================================================================

Loss: ``sum over b, t of mask[b, t] * -log softmax(ys[:, b, t])[targets[b, t]]``, divided by B
(mean over the batch, sum over time): :func:`rnncore.models.output.nll_loss`, shared with the Elman model.

Mapping to MATLAB and PyTorch
-----------------------------
The gate order i, f, g, o (input gate, forget gate, cell candidate, output gate) is the one both
MATLAB's ``lstmLayer`` and PyTorch's ``torch.nn.LSTM`` use, so the weights map block for block
with no reordering:

============  ===============================  ===============================================
rnncore       MATLAB ``lstmLayer``             PyTorch ``nn.LSTM`` (one layer)
============  ===============================  ===============================================
``W``         ``InputWeights`` (4H x I)        ``weight_ih_l0`` (4H, I)
``R``         ``RecurrentWeights`` (4H x H)    ``weight_hh_l0`` (4H, H)
``b``         ``Bias`` (4H x 1)                ``bias_ih_l0 + bias_hh_l0`` (two (4H,) vectors)
============  ===============================  ===============================================

PyTorch adds two biases where MATLAB and this module have one; only their sum matters, so
:func:`to_pytorch` puts ``b`` in ``bias_ih_l0`` and zeros in ``bias_hh_l0``, and
:func:`from_pytorch` adds them. PyTorch's input is (T, B, I) (``batch_first=False``) and its
output (T, B, H): ``x.transpose(2, 1, 0)`` and back. Neither library's LSTM layer has the output
layer; ``why``/``by`` correspond to a ``fullyConnectedLayer`` (MATLAB) or ``nn.Linear`` (PyTorch)
applied at every step, followed by a softmax.

Initialisation (:func:`init_params`). ``W``, ``R`` and ``why`` are drawn from normal(0, scale**2);
the biases are *not* drawn: ``b`` is zeros except its forget block ``b[H:2H]``, which is set to
``forget_bias`` (1.0 by default, as MATLAB's ``BiasInitializer='unit-forget-gate'`` and Gers,
Schmidhuber & Cummins 2000 / Jozefowicz et al. 2015 recommend: the forget gate starts mostly
open, sigma(1) ~ 0.73, so the cell state and its gradient survive across many steps early in
training). ``by`` is zeros. PyTorch instead draws every weight and both biases from
uniform(-1/sqrt(H), 1/sqrt(H)); MATLAB draws ``InputWeights`` Glorot-uniform and
``RecurrentWeights`` orthogonal. A gradient check should start from a generic point, so tests
randomise ``b`` and ``by`` themselves.

Summation order is part of the contract with the Octave reference (as in :mod:`rnncore.models.elman`):
the pre-activation is ``(W@x + R@h_prev) + b``; ``c = (f*c_prev) + (i*g)``; the loss adds, for
t = 1..T, the batch sum of that step, then divides by B once; every gradient accumulates one time
step at a time from t = T down to 1, starting from zeros; every element-wise product is formed
left to right as written in the backward pass.

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
from typing import Mapping

import numpy as np

from rnncore.models.batch import (batch_major, c_ordered, check_batch, initial_state, one_hot, step_operands,
                                  sum_over_steps, sum_steps, take, time_major)
from rnncore.models.output import logits, nll_loss, output_forward, output_grads
from rnncore.models.params import Params

__all__ = [
    "PARAM_NAMES",
    "GATES",
    "LSTMParams",
    "LSTMCache",
    "gate_rows",
    "sigmoid",
    "init_params",
    "one_hot",
    "forward",
    "nll_loss",
    "backward",
    "loss_and_grads",
    "predict",
    "predict_classes",
    "hidden_grads",
    "hidden_grad_norms",
    "to_pytorch",
    "from_pytorch",
]

GATES = ("i", "f", "g", "o")  # row-block order of W, R and b: input, forget, cell candidate, output


def gate_rows(gate: str, n_hidden: int) -> slice:
    """Rows of ``W``, ``R`` and ``b`` that belong to ``gate`` (one of :data:`GATES`).

    ``gate_rows("f", H)`` is ``slice(H, 2H)``: MATLAB's ``H+1:2*H``.
    """
    k = GATES.index(gate)
    return slice(k * n_hidden, (k + 1) * n_hidden)


@dataclass(frozen=True, eq=False)
class LSTMParams(Params):
    """The five weight arrays, float64, MATLAB shapes (see the module table).

    Also used for gradients (same names and shapes) and for Adam's moment estimates; the shared
    behaviour (float64, shape check, ``as_dict``, ``map``, ...) is :class:`rnncore.models.params.Params`'.
    A ``W`` whose row count is not a multiple of 4 fails on construction too.
    """

    W: np.ndarray  # (4H, I)  MATLAB InputWeights, PyTorch weight_ih_l0
    R: np.ndarray  # (4H, H)  MATLAB RecurrentWeights, PyTorch weight_hh_l0
    b: np.ndarray  # (4H, 1)  MATLAB Bias, PyTorch bias_ih_l0 + bias_hh_l0
    why: np.ndarray  # (O, H)
    by: np.ndarray  # (O, 1)

    MATRICES = ("W", "why")

    def shape_rules(self):
        if self.W.shape[0] % 4 or self.W.shape[0] == 0:
            raise ValueError(f"W must have 4H rows (gates i, f, g, o), got shape {self.W.shape}")
        H, O = self.W.shape[0] // 4, self.why.shape[0]
        return {"R": ((4 * H, H),), "b": ((4 * H, 1),), "why": ((O, H),), "by": ((O, 1),)}

    @property
    def n_in(self) -> int:
        return self.W.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.W.shape[0] // 4

    def gate(self, name: str, gate: str) -> np.ndarray:
        """The block of weight ``name`` (``"W"``, ``"R"`` or ``"b"``) for ``gate``, e.g. ``gate("b", "f")``."""
        if name not in ("W", "R", "b"):
            raise ValueError(f"only W, R and b have gate blocks, not {name!r}")
        return getattr(self, name)[gate_rows(gate, self.n_hidden)]


PARAM_NAMES = LSTMParams.names()  # ("W", "R", "b", "why", "by")


@dataclass(frozen=True, eq=False)
class LSTMCache:
    """What the forward pass keeps for the backward pass: every gate, state and output per step.

    In the module table's (n, B, T) shapes, each a view of a time-major array (T, n, B) that the
    forward pass fills step by step (``cache.hs.transpose(2, 0, 1)`` gives it back, contiguous):
    a step's gates or state are then one contiguous block for the BLAS calls and element-wise
    operations. ``gates`` stacks the four gates as ``W``'s rows do; ``i``, ``f``, ``g``, ``o``
    are its blocks. ``ys`` is recomputed when first asked for: training never reads it.
    """

    params: LSTMParams  # the weights of this pass
    x: np.ndarray  # (I, B, T) inputs, the caller's array
    gates: np.ndarray  # (4H, B, T) gate activations, row blocks i, f, g, o (gate_rows)
    cs: np.ndarray  # (H, B, T+1) cell states, cs[:, :, 0] = c0
    tanh_cs: np.ndarray  # (H, B, T) tanh(cs[:, :, 1:]), kept for h = o*tanh(c) and its derivative
    hs: np.ndarray  # (H, B, T+1) hidden states, hs[:, :, 0] = h0 (same name as ElmanCache.hs)
    ps: np.ndarray  # (O, B, T) softmax probabilities
    logps: np.ndarray  # (O, B, T) log probabilities
    work: dict = field(default_factory=dict, repr=False)  # every array of the pass, for `reuse`

    @cached_property
    def ys(self) -> np.ndarray:
        """(O, B, T) logits ``why*h + by``, recomputed from ``hs`` (the same calls, the same bits)."""
        return batch_major(logits(self.params.why, self.params.by, time_major(self.hs)[1:]))

    def _gate(self, gate: str) -> np.ndarray:
        return self.gates[gate_rows(gate, self.gates.shape[0] // 4)]

    @property
    def i(self) -> np.ndarray:
        """(H, B, T) input gate."""
        return self._gate("i")

    @property
    def f(self) -> np.ndarray:
        """(H, B, T) forget gate."""
        return self._gate("f")

    @property
    def g(self) -> np.ndarray:
        """(H, B, T) cell candidate."""
        return self._gate("g")

    @property
    def o(self) -> np.ndarray:
        """(H, B, T) output gate."""
        return self._gate("o")

    @property
    def c(self) -> np.ndarray:
        """Alias of :attr:`cs`."""
        return self.cs

    @property
    def h(self) -> np.ndarray:
        """Alias of :attr:`hs`."""
        return self.hs


def _sigmoid(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:func:`sigmoid` of ``z`` written into ``out``: the same four operations, no temporaries.

    Call it under ``np.errstate(over="ignore", under="ignore")`` (see :func:`sigmoid`).
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    np.add(1.0, out, out=out)
    return np.divide(1.0, out, out=out)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))``, as the MATLAB reference writes it (``1 ./ (1 + exp(-z))``).

    For z < -709.78, exp(-z) overflows to inf and the result is exactly 0 (the correct limit);
    numpy's overflow (and, for z > 745, exp's underflow) warnings are silenced, as MATLAB gives none.
    """
    with np.errstate(over="ignore", under="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def init_params(rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int, forget_bias: float = 1.0,
                scale: float = 0.1) -> LSTMParams:
    """Random weights ``W``, ``R``, ``why`` from normal(0, scale**2) (drawn in that order).

    ``b`` is zeros except its forget-gate block ``b[H:2H]`` (:func:`gate_rows`), set to
    ``forget_bias``: 1.0 by default, MATLAB's ``'unit-forget-gate'`` initialisation; 0.0 gives
    all-zero biases. ``by`` is zeros. See the module docstring for why a positive forget bias
    helps, and for what MATLAB and PyTorch draw instead. ``forget_bias`` changes nothing but that
    block: the same ``rng`` state gives the same ``W``, ``R`` and ``why`` whatever its value.
    """
    H = n_hidden
    W = rng.normal(0.0, scale, (4 * H, n_in))
    R = rng.normal(0.0, scale, (4 * H, H))
    why = rng.normal(0.0, scale, (n_out, H))
    b = np.zeros((4 * H, 1))
    b[gate_rows("f", H)] = forget_bias
    return LSTMParams(W=W, R=R, b=b, why=why, by=np.zeros((n_out, 1)))


def forward(params: LSTMParams, x, h0=None, c0=None, reuse: LSTMCache | None = None) -> LSTMCache:
    """Run the LSTM over ``x`` (I, B, T) from ``h0`` and ``c0`` ((H, B) or (H, 1), zeros by default).

    ``reuse``: the cache of an earlier pass that this one takes over, as in
    :func:`rnncore.models.elman.forward` (its arrays are overwritten; the numbers are the same).

    ``W*x_t`` does not depend on the state, so it is formed for every step before the loop (one
    BLAS call per step inside ``np.matmul``, the step loop's own), and the output layer runs once
    after it (:func:`rnncore.models.output.output_forward`). The loop holds the recurrence alone
    and writes every result straight into its slot of the cache's arrays.
    """
    x, _, _ = check_batch(params, x)
    I, B, T = x.shape
    H, O = params.n_hidden, params.n_out
    W, R, b = params.W, params.R, params.b
    ri, rf, rg, ro = (gate_rows(k, H) for k in GATES)
    i_f = slice(ri.start, rf.stop)  # the i and f blocks, adjacent rows
    work = {} if reuse is None else reuse.work
    gates = take(work, "gates", (T, 4 * H, B))  # i; f; g; o of every step
    hs = take(work, "hs", (T + 1, H, B))  # hs[t+1], cs[t+1]: the states after input t
    cs = take(work, "cs", (T + 1, H, B))
    tanh_cs = take(work, "tanh_cs", (T, H, B))
    hs[0] = initial_state(h0, H, B, "h0")
    cs[0] = initial_state(c0, H, B, "c0")
    xs = take(work, "xs", (T, I, B))  # inputs time-major: x_t contiguous
    np.copyto(xs, x.transpose(2, 0, 1))
    xws = np.matmul(W, xs, out=take(work, "xws", (T, 4 * H, B)))  # (T, 4H, B) W*x_t, every step
    a = take(work, "a", (4 * H, B))  # one step's pre-activations
    rh = take(work, "rh", (4 * H, B))  # one step's R*h_prev
    ig = take(work, "ig", (H, B))  # one step's i.*g
    with np.errstate(over="ignore", under="ignore"):  # sigmoid's exp may overflow: see sigmoid()
        for t in range(T):
            gt = gates[t]  # (4H, B) view
            np.add(xws[t], np.matmul(R, hs[t], out=rh), out=a)  # (4H, B) W*x + R*h_prev
            a += b  # (4H, 1) broadcast: (W*x + R*h_prev) + b
            _sigmoid(a[i_f], out=gt[i_f])  # (2H, B) i, f = sigma(a)
            np.tanh(a[rg], out=gt[rg])  # (H, B) g = tanh(a)
            _sigmoid(a[ro], out=gt[ro])  # (H, B) o = sigma(a)
            np.multiply(gt[rf], cs[t], out=cs[t + 1])  # (H, B) f.*c_prev
            cs[t + 1] += np.multiply(gt[ri], gt[rg], out=ig)  # (H, B) c = f.*c_prev + i.*g
            np.tanh(cs[t + 1], out=tanh_cs[t])  # (H, B)
            np.multiply(gt[ro], tanh_cs[t], out=hs[t + 1])  # (H, B) h = o.*tanh(c)
    logps, ps = output_forward(params.why, params.by, hs[1:], take(work, "logps", (T, O, B)),
                               take(work, "ps", (T, O, B)))  # (T, O, B) each
    return LSTMCache(params=params, x=x, gates=batch_major(gates), cs=batch_major(cs),
                     tanh_cs=batch_major(tanh_cs), hs=batch_major(hs), ps=batch_major(ps),
                     logps=batch_major(logps), work=work)


def _bptt(params: LSTMParams, cache: LSTMCache, targets, mask) -> tuple[LSTMParams, np.ndarray]:
    """``(grads, dhs)``: BPTT gradients and ``dhs[:, :, t]`` = d loss / d h after input t, (H, B, T).

    Walks t = T..1; ``dh_next`` and ``dc_next`` carry d loss / d h[t] and d loss / d c[t] from step
    t+1 back through the recurrence (``R`` for h, the forget gate for c). Only that recursion runs
    step by step, writing each result into its slot; the output layer's terms are formed for all
    steps before it, the weight gradients after it, each as sums over steps in the MATLAB loop's
    order (:func:`rnncore.models.batch.sum_over_steps`, :func:`rnncore.models.batch.sum_steps`).
    Every product is formed left to right as the MATLAB reference writes it.
    """
    cs = time_major(cache.cs)  # (T+1, H, B)
    gates, tanh_cs, ps = time_major(cache.gates), time_major(cache.tanh_cs), time_major(cache.ps)
    T, H, B = tanh_cs.shape
    ri, rf, rg, ro = (gate_rows(k, H) for k in GATES)
    i_f = slice(ri.start, rf.stop)  # the i and f blocks, adjacent rows
    R, why, work = params.R, params.why, cache.work
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
    das = take(work, "das", (T, 4 * H, B))  # d loss / d a of every step, blocks i, f, g, o
    dh_next = take(work, "dh_next", (H, B))
    dh_next.fill(0.0)  # nothing flows back from beyond the last step
    dc_next = take(work, "dc_next", (H, B))
    dc_next.fill(0.0)
    dc = take(work, "dc", (H, B))
    dtanh = take(work, "dtanh", (H, B))  # one step's 1 - tanh(c).^2
    dsig = take(work, "dsig", (4 * H, B))  # one step's 1 - sigma (i, f, o) and 1 - g.^2 (g)
    for t in reversed(range(T)):
        gt, da, dh = gates[t], das[t], dhs[t]  # (4H, B), (4H, B), (H, B) views
        dh += dh_next  # (H, B) dh = why'*dy + dh_next
        # h = o.*tanh(c), tanh' = 1 - tanh.^2; c also flows on to step t+1 through dc_next
        np.multiply(dh, tanh_cs[t], out=da[ro])  # (H, B) d_o = dh.*tanh_c
        np.multiply(tanh_cs[t], tanh_cs[t], out=dtanh)
        np.subtract(1.0, dtanh, out=dtanh)  # (H, B) 1 - tanh_c.^2
        np.multiply(dh, gt[ro], out=dc)
        dc *= dtanh
        dc += dc_next  # (H, B) dc = dh.*o.*(1 - tanh_c.^2) + dc_next
        # c = f.*c_prev + i.*g
        np.multiply(dc, gt[rg], out=da[ri])  # (H, B) d_i = dc.*g
        np.multiply(dc, cs[t], out=da[rf])  # (H, B) d_f = dc.*c_prev
        np.multiply(dc, gt[ri], out=da[rg])  # (H, B) d_g = dc.*i
        np.multiply(dc, gt[rf], out=dc_next)  # (H, B) dc_next = dc.*f
        # i, f, o = sigma(a), sigma' = sigma.*(1 - sigma); g = tanh(a), tanh' = 1 - g.^2
        da[i_f] *= gt[i_f]  # (2H, B) d_i.*i; d_f.*f
        da[ro] *= gt[ro]  # (H, B) d_o.*o
        np.subtract(1.0, gt, out=dsig)  # (4H, B) 1 - sigma (the g rows are overwritten next)
        np.multiply(gt[rg], gt[rg], out=dsig[rg])
        np.subtract(1.0, dsig[rg], out=dsig[rg])  # (H, B) 1 - g.^2
        da *= dsig  # (4H, B) da, blocks i, f, g, o
        # a = (W*x + R*h_prev) + b: back to h_prev
        np.matmul(R.T, da, out=dh_next)  # (H, B)
    g_W = sum_over_steps(das, x_ops, 0, work, "W")  # (4H, I) da*x'
    g_R = sum_over_steps(das, h_ops, 0, work, "R")  # (4H, H) da*h_prev'
    g_b = sum_steps(das.sum(axis=2, keepdims=True))  # (4H, 1) sum(da, 2)
    return LSTMParams(W=g_W, R=g_R, b=g_b, why=g_why, by=g_by), batch_major(dhs)


def backward(params: LSTMParams, cache: LSTMCache, targets, mask) -> LSTMParams:
    """Gradients of :func:`nll_loss` by backpropagation through time, as an :class:`LSTMParams`."""
    return _bptt(params, cache, targets, mask)[0]


def loss_and_grads(params: LSTMParams, x, targets, mask, h0=None, c0=None, reuse: LSTMCache | None = None
                   ) -> tuple[float, LSTMParams, LSTMCache]:
    """``(loss, grads, cache)``: the forward pass, the masked loss and BPTT in one call.

    ``reuse``: the previous call's cache, taken over (see :func:`forward`); the gradients are
    always new arrays.
    """
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    cache = forward(params, x, h0, c0, reuse)
    return nll_loss(cache, targets, mask), backward(params, cache, targets, mask), cache


def predict(params: LSTMParams, x, h0=None, c0=None) -> np.ndarray:
    """Softmax probabilities (O, B, T) for inputs ``x`` (I, B, T)."""
    return forward(params, x, h0, c0).ps


def predict_classes(params: LSTMParams, x, h0=None, c0=None) -> np.ndarray:
    """Most probable class (B, T), 0-based (the first one on ties, like MATLAB's ``max``)."""
    return np.argmax(predict(params, x, h0, c0), axis=0)


# --------------------------------------------------------------------------- vanishing gradients


def hidden_grads(params: LSTMParams, x, targets, mask, h0=None, c0=None) -> np.ndarray:
    """(H, B, T) array: ``[:, :, t]`` = d loss / d h_t, the ``dh`` of the backward pass at step t.

    ``h_t`` is the hidden state after input t (``cache.hs[:, :, t+1]``, 0-based t), and the
    derivative is total: through the output at step t and through every later step (before it
    is split into the gates). The loss is :func:`nll_loss`, mean over the batch.
    """
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    # A fresh C-ordered array, not the time-major view: reductions over it (the study's norms) then
    # add in the order, and round the way, they always did.
    return np.ascontiguousarray(_bptt(params, forward(params, x, h0, c0), targets, mask)[1])


def hidden_grad_norms(params: LSTMParams, x, targets, mask, h0=None, c0=None) -> np.ndarray:
    """(T,) array: ``norms[t]`` = ||d loss / d h_t||, Frobenius over H and B (see :func:`hidden_grads`).

    For the vanishing-gradient study, let only the last step count (``mask[:, :-1] = 0``): then
    ``norms[t]`` is how much of the last step's error reaches step t, and its decay as t goes
    back is the vanishing (or, growing, the exploding) gradient.
    :func:`rnncore.models.elman.hidden_grad_norms` gives the same for the Elman model.
    """
    dhs = hidden_grads(params, x, targets, mask, h0, c0)
    return np.sqrt(np.sum(dhs * dhs, axis=(0, 1)))


# --------------------------------------------------------------------------- PyTorch mapping


def to_pytorch(params: LSTMParams) -> dict[str, np.ndarray]:
    """``torch.nn.LSTM`` (one layer) state as numpy arrays: ``weight_ih_l0`` = W, ``weight_hh_l0`` = R,
    ``bias_ih_l0`` = b (as a (4H,) vector), ``bias_hh_l0`` = zeros.

    Load it with ``lstm.load_state_dict({k: torch.from_numpy(v) for k, v in d.items()})`` on an
    ``nn.LSTM(I, H, dtype=torch.float64)``. The output layer (``why``, ``by``) is not part of it.
    """
    return {
        "weight_ih_l0": params.W.copy(),
        "weight_hh_l0": params.R.copy(),
        "bias_ih_l0": params.b[:, 0].copy(),
        "bias_hh_l0": np.zeros(4 * params.n_hidden),
    }


def from_pytorch(state: Mapping[str, np.ndarray], why, by) -> LSTMParams:
    """Inverse of :func:`to_pytorch`: ``b = bias_ih_l0 + bias_hh_l0`` (the one bias MATLAB has).

    ``state`` holds numpy arrays (or anything ``np.asarray`` takes, e.g. CPU tensors);
    ``why`` (O, H) and ``by`` (O, 1) are the output layer (``nn.Linear``'s ``weight`` and
    ``bias[:, None]``).
    """
    b = np.asarray(state["bias_ih_l0"], dtype=np.float64) + np.asarray(state["bias_hh_l0"], dtype=np.float64)
    return LSTMParams(W=state["weight_ih_l0"], R=state["weight_hh_l0"], b=b[:, None], why=why, by=by)
