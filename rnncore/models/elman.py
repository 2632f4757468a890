"""The trainable Elman RNN: forward pass, masked cross-entropy loss and backpropagation through time.

This is ``rnn2.m``'s network made trainable, min-char-rnn style: the forward loop and the backward
loop sit side by side below, and every line of the backward pass is the derivative of one line of
the forward pass. ``matlab_ref/train/*.m`` is the same arithmetic written as plain MATLAB; the two
are compared element by element in ``tests/test_elman_octave.py``.

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

from dataclasses import dataclass, fields
from typing import Callable, Mapping

import numpy as np

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
    "predict",
    "predict_classes",
]

PARAM_NAMES = ("whx", "whh", "bias", "why", "by")


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays is elementwise, not a bool
class ElmanParams:
    """The five weight arrays, course names, float64, MATLAB shapes (see the module table).

    Also used for gradients (same names and shapes) and for Adam's moment estimates.
    Shapes are checked on construction: a 1-D ``bias`` or a transposed ``why`` fails here rather
    than broadcasting silently into a wrong answer.
    """

    whx: np.ndarray  # (H, I)
    whh: np.ndarray  # (H, 1) diagonal or (H, H) full
    bias: np.ndarray  # (H, 1)
    why: np.ndarray  # (O, H)
    by: np.ndarray  # (O, 1)

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, np.asarray(getattr(self, f.name), dtype=np.float64))
        if self.whx.ndim != 2 or self.why.ndim != 2:
            raise ValueError(f"whx and why must be 2-D, got {self.whx.shape} and {self.why.shape}")
        H = self.whx.shape[0]
        O = self.why.shape[0]
        expected = {"whh": [(H, 1), (H, H)], "bias": [(H, 1)], "why": [(O, H)], "by": [(O, 1)]}
        for name, shapes in expected.items():
            got = getattr(self, name).shape
            if got not in shapes:
                want = " or ".join(str(s) for s in shapes)
                raise ValueError(f"{name} must have shape {want} for whx of shape {self.whx.shape}, got {got}")

    @property
    def n_in(self) -> int:
        return self.whx.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.whx.shape[0]

    @property
    def n_out(self) -> int:
        return self.why.shape[0]

    @property
    def diagonal(self) -> bool:
        """True for the course's (H, 1) recurrence ``whh.*h``. With H = 1 both forms coincide."""
        return self.whh.shape[1] == 1

    def as_dict(self, prefix: str = "") -> dict[str, np.ndarray]:
        """``{prefix + name: array}`` for the five names, e.g. ``prefix="g_"`` for gradients."""
        return {prefix + name: getattr(self, name) for name in PARAM_NAMES}

    @classmethod
    def from_dict(cls, d: Mapping[str, np.ndarray], prefix: str = "") -> "ElmanParams":
        """Inverse of :meth:`as_dict`; other keys of ``d`` are ignored."""
        return cls(**{name: d[prefix + name] for name in PARAM_NAMES})

    def map(self, fn: Callable[..., np.ndarray], *others: "ElmanParams") -> "ElmanParams":
        """``ElmanParams(fn(self.whx, o.whx, ...), ...)``: apply ``fn`` name by name."""
        return ElmanParams(*(fn(getattr(self, n), *(getattr(o, n) for o in others)) for n in PARAM_NAMES))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """The five arrays in :data:`PARAM_NAMES` order."""
        return tuple(getattr(self, n) for n in PARAM_NAMES)


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
    to zeros afterwards for a conventional start. ``recurrence`` is ``"diagonal"`` (whh (H, 1)) or
    ``"full"`` (whh (H, H)). Draw order: whx, whh, bias, why, by.
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


def _check_data(params: ElmanParams, x, targets=None, mask=None):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3 or x.shape[0] != params.n_in:
        raise ValueError(f"x must be (I={params.n_in}, B, T), got shape {x.shape}")
    _, B, T = x.shape
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


def forward(params: ElmanParams, x, h0=None) -> ElmanCache:
    """Run the network over ``x`` (I, B, T) from ``h0`` (H, B) or (H, 1), zeros by default.

    Each step is ``rnncore.models.recurrent.elman_step`` (the one definition of the hidden update, also
    used by rnn2), then ``y = why*h + by`` and a column softmax.
    """
    x, _, _ = _check_data(params, x)
    _, B, T = x.shape
    H, O = params.n_hidden, params.n_out
    # h0 (H, B), or (H, 1) for one start shared by every sample
    h = np.zeros((H, B)) if h0 is None else np.broadcast_to(np.asarray(h0, dtype=np.float64), (H, B)).copy()
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


def nll_loss(cache: ElmanCache, targets, mask) -> float:
    """Masked cross-entropy: sum over t of (sum over b of mask * -log p[target]), divided by B."""
    _, B, T = cache.ps.shape
    cols = np.arange(B)
    loss = 0.0
    for t in range(T):
        nll = -cache.logps[targets[:, t], cols, t]  # (B,) -log p of the wanted class
        loss = loss + np.sum(mask[:, t] * nll)  # one step's batch sum, added in time order
    return float(loss / B)


def backward(params: ElmanParams, cache: ElmanCache, targets, mask) -> ElmanParams:
    """Gradients of :func:`nll_loss` by backpropagation through time, as an :class:`ElmanParams`.

    Walks t = T..1; ``dh_next`` carries d loss / d h[t] from step t+1 back through the recurrence.
    """
    hs, ps, x = cache.hs, cache.ps, cache.x
    _, B, T = ps.shape
    whh, why = params.whh, params.why
    diagonal = params.diagonal
    g = {name: np.zeros_like(getattr(params, name)) for name in PARAM_NAMES}
    cols = np.arange(B)
    dh_next = np.zeros_like(hs[:, :, 0])  # (H, B): nothing flows back from beyond the last step
    for t in reversed(range(T)):
        h, h_prev, x_t = hs[:, :, t + 1], hs[:, :, t], x[:, :, t]
        # softmax + cross-entropy: d loss / d y = (p - onehot(target)) * mask / B
        dy = ps[:, :, t].copy()  # (O, B)
        dy[targets[:, t], cols] -= 1.0
        dy = dy * (mask[:, t] / B)  # (B,) broadcasts along the columns
        # y = why*h + by
        g["why"] = g["why"] + dy @ h.T
        g["by"] = g["by"] + dy.sum(axis=1, keepdims=True)
        dh = why.T @ dy + dh_next  # (H, B): from the output and from step t+1
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
    return ElmanParams(**g)


def loss_and_grads(params: ElmanParams, x, targets, mask, h0=None) -> tuple[float, ElmanParams, ElmanCache]:
    """``(loss, grads, cache)``: the forward pass, the masked loss and BPTT in one call."""
    x, targets, mask = _check_data(params, x, targets, mask)
    if targets is None or mask is None:
        raise ValueError("targets and mask are required")
    cache = forward(params, x, h0)
    return nll_loss(cache, targets, mask), backward(params, cache, targets, mask), cache


def predict(params: ElmanParams, x, h0=None) -> np.ndarray:
    """Softmax probabilities (O, B, T) for inputs ``x`` (I, B, T)."""
    return forward(params, x, h0).ps


def predict_classes(params: ElmanParams, x, h0=None) -> np.ndarray:
    """Most probable class (B, T), 0-based (the first one on ties, like MATLAB's ``max``)."""
    return np.argmax(predict(params, x, h0), axis=0)
