"""Optimisers for any model's parameters (:class:`rnncore.models.params.Params`): plain SGD, and Adam with
gradient clipping.

Pure functions: each returns new parameter (and state) objects and never writes into its inputs.
``sgd_step`` is the update the Octave reference (``matlab_ref/train/elman_train_sgd.m``) makes,
``w = w - lr*g``, in the same order of operations; Adam and clipping are Python-only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rnncore.models.params import Params

__all__ = ["sgd_step", "global_norm", "clip_by_global_norm", "AdamState", "adam_init", "adam_step"]


def sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """``w - lr*g`` for every weight (the product first, as MATLAB's ``w - lr*g`` rounds)."""
    return params.map(lambda w, g: w - lr * g, grads)


def global_norm(grads: Params) -> float:
    """sqrt of the sum of squares of every entry of every array (the 2-norm of all of them as one vector)."""
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads.arrays()))


def clip_by_global_norm(grads: Params, max_norm: float) -> tuple[Params, float]:
    """``(clipped, norm)``: all gradients scaled by one factor so that their global norm is <= max_norm.

    ``norm`` is the global norm before clipping. Gradients already within ``max_norm`` come back
    unchanged (same values). Otherwise they are scaled by ``max_norm / norm``; in exact arithmetic
    that lands on ``max_norm``, but the scaled entries, their squares, their sum and the square root
    each round, so the recomputed norm can come out a few ULP above ``max_norm``. The factor is
    therefore nudged down one representable double at a time until :func:`global_norm` of the result
    is ``<= max_norm``: the guarantee is exact for the norm as this module computes it, and the
    clipped norm stays within a few ULP below ``max_norm`` (each nudge moves it by ~1 ULP).
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    norm = global_norm(grads)
    if not math.isfinite(norm):
        raise FloatingPointError(f"gradient global norm is {norm}; refusing to clip a non-finite gradient")
    if norm <= max_norm:
        return grads, norm
    scale = max_norm / norm
    for _ in range(64):  # a handful of nudges suffice; the bound only guards against a logic error
        clipped = grads.map(lambda g: g * scale)
        if global_norm(clipped) <= max_norm:
            return clipped, norm
        scale = math.nextafter(scale, 0.0)
    raise AssertionError(f"could not clip norm {norm!r} to {max_norm!r}")  # pragma: no cover


@dataclass(frozen=True, eq=False)
class AdamState:
    """Adam's running moments (same names and shapes as the parameters) and the step count."""

    m: Params  # first moment (mean of gradients), bias-uncorrected
    v: Params  # second moment (mean of squared gradients), bias-uncorrected
    t: int  # number of steps taken so far


def adam_init(params: Params) -> AdamState:
    """Zero moments, t = 0."""
    zeros = params.map(np.zeros_like)
    return AdamState(m=zeros, v=zeros, t=0)


def adam_step(params: Params, grads: Params, state: AdamState, lr: float, beta1: float = 0.9,
              beta2: float = 0.999, eps: float = 1e-8, clip_norm: float | None = 5.0
              ) -> tuple[Params, AdamState]:
    """One Adam update (Kingma & Ba 2015, Algorithm 1), gradients first clipped to ``clip_norm``.

    Clipping (``clip_norm=None`` turns it off) bounds the step when BPTT's gradient explodes; Adam
    then scales each weight's step by its own gradient history.
    """
    if clip_norm is not None:
        grads, _ = clip_by_global_norm(grads, clip_norm)
    t = state.t + 1
    m = state.m.map(lambda m, g: beta1 * m + (1.0 - beta1) * g, grads)
    v = state.v.map(lambda v, g: beta2 * v + (1.0 - beta2) * (g * g), grads)
    # Bias correction: the moments start at zero, so early on they underestimate the true means.
    c1 = 1.0 - beta1**t
    c2 = 1.0 - beta2**t
    new = params.map(lambda w, m, v: w - lr * (m / c1) / (np.sqrt(v / c2) + eps), m, v)
    return new, AdamState(m=m, v=v, t=t)
