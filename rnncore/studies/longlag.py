"""A long-time-lag task: remember the first symbol across L distractors, for Elman RNNs and the LSTM.

The course's slides say "RNN suffers from the vanishing gradient problem ... LSTM can fix the
vanishing gradient problem". This module makes that claim measurable with the kind of task
Hochreiter & Schmidhuber (1997, "Long Short-Term Memory", Neural Computation 9(8):1735-1780,
Section 5) built to separate the two: the information needed at the end of a sequence is given
only at its start, with a long stretch of irrelevant input in between.

The task ("remember the first symbol", a variant of their Experiment 2's "noise-free /
noisy sequences with long time lags" and of the classic latching problem of Bengio, Simard &
Frasconi 1994)::

    t = 0          1 ... L          L + 1
        class c    L distractors    query ?       target at the query step: c
        (K kinds)  (D kinds, iid)                 mask: 1 at the query step only

The alphabet (one-hot input rows) is the K class symbols ``0..K-1``, then the D distractor
symbols ``K..K+D-1``, then the query symbol ``K+D``: ``I = K + D + 1`` inputs, ``O = K`` outputs,
``T = L + 2`` steps. Every sequence has the same length, so the query always sits at the last
step; the loss counts only that step (``mask[:, -1] = 1``), so the error reaching ``h_t`` has
travelled ``T - 1 - t`` steps back (the distance of :mod:`rnncore.studies.vanishing`). Chance is 1/K.
Why this task rather than the adding or temporal-order problems: its answer is a pure copy of one
early input (nothing to compute, so a failure can only be a failure to carry information across
the lag), its chance level is exact, and its loss at chance (``log K``) tells at a glance whether
a model learnt anything; the distractors are drawn iid, so no statistic of the middle of the
sequence predicts the class.

Training (:func:`train_lag`): Adam (:func:`rnncore.models.optim.adam_step`) with gradient clipping by
global norm, on minibatches of ``batch`` sequences drawn fresh at every step from a seeded rng;
the same budget (``steps``) for every model. It stops early when the running accuracy is
perfect: every query of the last ``patience`` minibatches was answered correctly (``patience``
consecutive minibatches at 100% training accuracy, i.e. ``patience * batch`` sequences in a row;
the accuracy is read from the forward pass the gradient step already made, so the check costs
nothing). The reported accuracy is measured afterwards on ``eval_n`` fresh sequences drawn from
an rng of their own (seeded by the spec's seed and lag), never seen in training.

The default configuration (:class:`LagSpec` defaults and :data:`DEFAULT_HYPER`) and why
-----------------------------------------------------------------------------------------
K = 2 classes, D = 4 distractor symbols, H = 12 hidden units, minibatches of 32, at most 600 Adam
steps, gradients clipped to global norm 1, early stop after ``patience = 50`` perfect minibatches
(1600 sequences in a row), evaluation on 1000 fresh sequences; weights ~ N(0, 0.1^2) for every
model. Lags 5, 10, 20, 50, 100 and seeds 0-4 (:data:`DEFAULT_LAGS`, :data:`DEFAULT_SEEDS`).

* LSTM: lr 0.02, forget-gate bias +4 and input-gate bias -4 (sigma(4) = 0.982, sigma(-4) = 0.018;
  the idea of the "chrono" initialisation of Tallec & Ollivier 2018, with one value instead of a
  random one). Measured: with only a forget bias (1 to 5, input bias 0) training at L = 100 failed
  in about half of the seeds, whatever the lr (0.005-0.05) or K (2 or 4): with the input gate half
  open, every distractor writes into the cell, which drifts (|c| ~ 12 after 100 steps at forget
  bias 5), saturates tanh(c) and cuts the gradient; the loss then pushes the memory shut. With the
  input gate nearly closed at the start the cell stays clean, the class symbols learn to open it,
  and every run of the default grid (5 seeds x 5 lags) reaches 100% in 60-135 steps (8 more seeds
  at L = 50 and L = 100 as well). K = 4 also works but needs ~2x the steps and stayed below 99% in 2 of 16
  runs at L = 100 within 300 steps.
* Elman RNNs, the same steps, init and clipping, lr tuned per model over 0.003-0.3 on lags 10-100
  (seeds 0-2, 600 steps): diagonal 0.3, full 0.03 (0.1 and 0.03 were equal at L = 50-100, 0.03
  more reliable at L = 10-20). Both biases start at 0.
* Measured on the default grid: both RNNs reach 100% up to L = 20 in every seed; at L = 50 the
  diagonal RNN solves 3 of 5 seeds (mean 0.794) and the full one 4 of 5 (mean 0.903); at L = 100 the
  diagonal one none (mean 0.526, best 0.661) and the full one 2 of 5 (mean 0.743). The LSTM: 100% in
  all 25 runs. So with Adam, clipping and a tuned lr the Elman RNN holds out longer than the
  "fails from lags ~10" of the older literature (which trained with plain gradient descent), but
  becomes unreliable from L = 50 on, and its gradient vanishes (:mod:`rnncore.studies.vanishing`).
* Not in the default grid, but one keyword away (``per_model={"diagonal": {"lr": 0.03,
  "rnn_radius": 1.0}}``): a diagonal RNN whose recurrent weights start at +-1 (an identity-like
  initialisation, Le, Jaitly & Hinton 2015) solved L = 50 and L = 100 in 3 of 3 seeds within
  50 steps: each unit then starts as a lossless integrator of its input, and on this task, where
  one integrator that ignores the distractors suffices, that is enough. The full RNN with spectral
  radius 1 still failed at L = 100 (0 of 3 seeds, lr 0.01 and 0.03).

Cost (one core, numpy with OPENBLAS_NUM_THREADS=1, measured as process CPU time on the shared
2-core machine): one training step at T = 102 (L = 100) takes ~25 ms for the LSTM and ~12 ms for
an Elman RNN, so an LSTM run at L = 100 costs 3-5 s and an RNN run that uses its whole budget
7-9 s; the default grid (75 runs) ~130 s, dominated by the RNN runs that fail and so use all 600
steps. A larger grid is a keyword away: ``lag_grid(lags=(5, 10, 20, 50, 100, 200),
seeds=range(10), steps=2000)``.

Everything is deterministic per :class:`LagSpec`: the initial weights come from
``default_rng([seed, 0])``, the training stream from ``default_rng([seed, 1, lag])``, the
evaluation set from ``default_rng([seed, 2, lag])``; only ``wall_s`` differs between reruns.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import count

import numpy as np

from rnncore.models import factory
from rnncore.models.batch import one_hot
from rnncore.models.factory import MODELS
from rnncore.models.loop import train_steps
from rnncore.models.optim import adam_init, adam_step
from rnncore.io import write_csv

__all__ = [
    "DEFAULT_HYPER",
    "DEFAULT_LAGS",
    "DEFAULT_SEEDS",
    "LAG_COLUMNS",
    "LAG_SUMMARY_COLUMNS",
    "MODELS",
    "LagResult",
    "LagSpec",
    "init_model",
    "initial_params",
    "lag_grid",
    "lag_rows",
    "lag_summary_rows",
    "make_task",
    "query_accuracy",
    "run_grid",
    "task_sizes",
    "train_lag",
    "train_lag_model",
    "write_lag_csv",
    "write_lag_summary_csv",
]

DEFAULT_LAGS = (5, 10, 20, 50, 100)
DEFAULT_SEEDS = (0, 1, 2, 3, 4)

Log = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


# --------------------------------------------------------------------------- the task


def task_sizes(n_classes: int, n_distractors: int) -> tuple[int, int]:
    """``(I, O)``: inputs ``K + D + 1`` (classes, distractors, query) and outputs ``K``."""
    return n_classes + n_distractors + 1, n_classes


def make_task(L: int, n: int, rng: np.random.Generator, n_classes: int = 4, n_distractors: int = 4
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` sequences of the remember-the-first-symbol task with lag ``L`` (see the module docstring).

    Returns ``(x, targets, mask)``: ``x`` float64 one-hot (K+D+1, n, L+2); ``targets`` int64
    (n, L+2), the class ``c`` at every step (only the last counts); ``mask`` float64 (n, L+2), 1 at
    the last step (the query) and 0 elsewhere. Draws, in this order: the n classes, then the
    n x L distractors (row by row).
    """
    if L < 0 or n < 1 or n_classes < 2 or n_distractors < 1:
        raise ValueError(f"need L >= 0, n >= 1, n_classes >= 2, n_distractors >= 1; got {L}, {n}, "
                         f"{n_classes}, {n_distractors}")
    K, D = n_classes, n_distractors
    T = L + 2
    cls = rng.integers(0, K, size=n)
    symbols = np.empty((n, T), dtype=np.int64)
    symbols[:, 0] = cls
    symbols[:, 1:L + 1] = K + rng.integers(0, D, size=(n, L))
    symbols[:, L + 1] = K + D  # the query
    x = one_hot(symbols, K + D + 1)
    targets = np.repeat(cls[:, None], T, axis=1).astype(np.int64)
    mask = np.zeros((n, T))
    mask[:, -1] = 1.0
    return x, targets, mask


# --------------------------------------------------------------------------- models


def init_model(model: str, rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int,
               forget_bias: float = 1.0, init_scale: float = 0.1, rnn_radius: float | None = None,
               input_bias: float = 0.0):
    """Initial weights of ``model`` (one of :data:`MODELS`).

    :func:`rnncore.models.factory.init_params` (normal(0, init_scale**2) weights). LSTM: forget-gate
    bias ``forget_bias``, input-gate bias ``input_bias``, other biases 0. Elman ("diagonal" /
    "full"): both biases zero (a conventional start); with ``rnn_radius`` the recurrent
    weights are rescaled so that their spectral radius is ``rnn_radius`` (diagonal: every
    |whh_i| = rnn_radius, sign kept), the usual remedy that lets an RNN's gradient survive longer
    at the start (e.g. Le, Jaitly & Hinton 2015 use the identity).
    """
    p = factory.init_params(model, rng, n_in, n_hidden, n_out, scale=init_scale, forget_bias=forget_bias)
    mod = factory.module(model)  # only this model's module: a job runs (and depends on) its own model
    if model == "lstm":
        if input_bias:
            b = p.b.copy()
            b[mod.gate_rows("i", n_hidden)] = input_bias
            p = mod.LSTMParams(W=p.W, R=p.R, b=b, why=p.why, by=p.by)
        return p
    if rnn_radius is None:
        return p
    if model == "diagonal":
        whh = np.where(p.whh < 0, -rnn_radius, rnn_radius)
    else:
        rho = float(np.max(np.abs(np.linalg.eigvals(p.whh))))
        whh = p.whh * (rnn_radius / rho)
    return mod.ElmanParams(whx=p.whx, whh=whh, bias=p.bias, why=p.why, by=p.by)


def query_accuracy(ps: np.ndarray, targets: np.ndarray) -> float:
    """Fraction of sequences whose most probable class at the query (last) step is the target."""
    return float(np.mean(np.argmax(ps[:, :, -1], axis=0) == targets[:, -1]))


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class LagSpec:
    """One training run: a model, a lag, a seed and the hyperparameters (see :func:`train_lag`).

    ``lr`` is Adam's step size, ``clip`` the global-norm bound on each gradient (``None``: none),
    ``patience`` the early-stopping window (consecutive perfect minibatches; 0 never stops early).
    ``forget_bias`` applies to the LSTM only, ``rnn_radius`` to the Elman models only.
    """

    model: str
    lag: int
    seed: int
    hidden: int = 12
    steps: int = 600
    batch: int = 32
    lr: float = 0.02
    clip: float | None = 1.0
    eval_n: int = 1000
    n_classes: int = 2
    n_distractors: int = 4
    forget_bias: float = 4.0
    input_bias: float = -4.0
    init_scale: float = 0.1
    rnn_radius: float | None = None
    patience: int = 50

    def __post_init__(self):
        factory.check_model(self.model)
        if self.lag < 0 or self.steps < 0 or self.batch < 1 or self.eval_n < 1 or self.hidden < 1:
            raise ValueError(f"invalid LagSpec {self}")


@dataclass(frozen=True)
class LagResult:
    """What :func:`train_lag` measured. ``accuracy`` is on the fresh evaluation set."""

    spec: LagSpec
    accuracy: float  # evaluation accuracy at the query step, on eval_n fresh sequences
    final_loss: float  # training loss of the last minibatch (the masked CE per sequence)
    eval_loss: float  # the same loss on the evaluation set
    steps: int  # optimiser steps taken (< spec.steps when it stopped early)
    stopped_early: bool
    wall_s: float  # seconds for training and evaluation (the only field that varies between reruns)
    loss_curve: tuple[float, ...] = field(default=(), repr=False)  # training loss at every step
    # The trained weights (ElmanParams or LSTMParams), for rnncore.studies.vanishing; not compared by ==.
    params: object = field(default=None, compare=False, repr=False)

    def same_as(self, other: LagResult) -> bool:
        """Equal in everything but ``wall_s``."""
        return replace(self, wall_s=0.0) == replace(other, wall_s=0.0)


def initial_params(spec: LagSpec):
    """The weights training starts from: :func:`init_model` with ``default_rng([spec.seed, 0])``."""
    n_in, n_out = task_sizes(spec.n_classes, spec.n_distractors)
    return init_model(spec.model, np.random.default_rng([spec.seed, 0]), n_in, spec.hidden, n_out,
                      forget_bias=spec.forget_bias, init_scale=spec.init_scale, rnn_radius=spec.rnn_radius,
                      input_bias=spec.input_bias)


def train_lag_model(spec: LagSpec, log: Log = _quiet):
    """``(params, result)``: :func:`train_lag` that also returns the trained weights."""
    start = time.perf_counter()
    params = initial_params(spec)
    data_rng = np.random.default_rng([spec.seed, 1, spec.lag])
    state = adam_init(params)
    perfect_run = 0
    report_every = max(1, spec.steps // 10)

    def update(p, grads):
        nonlocal state
        p, state = adam_step(p, grads, state, spec.lr, clip_norm=spec.clip)
        return p

    def observe(step, loss, cache, targets):
        nonlocal perfect_run
        acc = query_accuracy(cache.ps, targets)  # before this step's update: the running accuracy
        perfect_run = perfect_run + 1 if acc == 1.0 else 0
        if step % report_every == 0:
            log(f"{spec.model} L={spec.lag} seed={spec.seed} step {step}: loss {loss:.4f} batch acc {acc:.3f}")
        return bool(spec.patience) and perfect_run >= spec.patience

    batches = (make_task(spec.lag, spec.batch, data_rng, spec.n_classes, spec.n_distractors) for _ in count())
    # reuse: each step writes into the previous step's arrays (observe reads them before the next step)
    params, curve = train_steps(params, batches, update, spec.steps, reuse=True, observe=observe)
    step = len(curve)
    loss = curve[-1] if curve else math.nan
    stopped = bool(spec.patience) and perfect_run >= spec.patience
    x, targets, mask = make_task(spec.lag, spec.eval_n, np.random.default_rng([spec.seed, 2, spec.lag]),
                                 spec.n_classes, spec.n_distractors)
    ps = factory.predict(params, x)
    accuracy = query_accuracy(ps, targets)
    eval_loss = float(-np.mean(np.log(ps[targets[:, -1], np.arange(spec.eval_n), -1])))
    wall = time.perf_counter() - start
    log(f"{spec.model} L={spec.lag} seed={spec.seed}: accuracy {accuracy:.4f} after {step} steps "
        f"({'stopped early' if stopped else 'full budget'}), {wall:.1f} s")
    return params, LagResult(spec=spec, accuracy=accuracy, final_loss=float(loss), eval_loss=eval_loss,
                             steps=step, stopped_early=stopped, wall_s=wall,
                             loss_curve=tuple(float(v) for v in curve),
                             params=params)


def train_lag(spec: LagSpec, log: Log = _quiet) -> LagResult:
    """Train ``spec.model`` on the task with lag ``spec.lag``; see the module docstring for the rules."""
    return train_lag_model(spec, log)[1]


# --------------------------------------------------------------------------- grid and CSV

# Per-model hyperparameters of the default grid (how they were chosen: the module docstring). Every
# other field, steps included, is the same for every model: the RNNs get the LSTM's budget.
DEFAULT_HYPER = {
    "lstm": {"lr": 0.02},
    "diagonal": {"lr": 0.3},
    "full": {"lr": 0.03},
}


def lag_grid(models: Iterable[str] = MODELS, lags: Iterable[int] = DEFAULT_LAGS,
             seeds: Iterable[int] = DEFAULT_SEEDS, per_model: dict | None = None, **hyper) -> list[LagSpec]:
    """Every (model, lag, seed) as a :class:`LagSpec`, models outermost, then lags, then seeds.

    ``per_model`` (default :data:`DEFAULT_HYPER`, the tuned learning rates) sets :class:`LagSpec`
    fields for one model; ``hyper`` sets fields for every run and wins over ``per_model`` (so
    ``lr=0.05`` gives every model that rate, and ``steps=2000`` every model that budget).
    """
    per_model = DEFAULT_HYPER if per_model is None else per_model
    specs = []
    for model in models:
        fields = {**per_model.get(model, {}), **hyper}
        for lag in lags:
            for seed in seeds:
                specs.append(LagSpec(model=model, lag=int(lag), seed=int(seed), **fields))
    return specs


def run_grid(specs: Iterable[LagSpec], log: Log = _quiet) -> list[LagResult]:
    """:func:`train_lag` for each spec, in order (single process: the results do not depend on it)."""
    return [train_lag(s, log) for s in specs]


LAG_COLUMNS = ("model", "lag", "seed", "accuracy", "final_loss", "steps", "wall_s")
LAG_SUMMARY_COLUMNS = ("model", "lag", "n_seeds", "mean_accuracy", "min_accuracy", "max_accuracy", "mean_steps")


def lag_rows(results: Iterable[LagResult]) -> list[dict]:
    """One row per run, columns :data:`LAG_COLUMNS` (floats still floats; the writer formats them)."""
    return [{"model": r.spec.model, "lag": r.spec.lag, "seed": r.spec.seed, "accuracy": r.accuracy,
             "final_loss": r.final_loss, "steps": r.steps, "wall_s": r.wall_s} for r in results]


def lag_summary_rows(rows: Iterable[dict]) -> list[dict]:
    """One row per (model, lag) over seeds, columns :data:`LAG_SUMMARY_COLUMNS`, in first-seen order.

    ``rows`` are :func:`lag_rows` (numbers) or those rows read back from their CSV (text): ``%.17g``
    reads back to the same double, so both give the same summary, to the bit.
    """
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["model"], int(r["lag"])), []).append(r)
    summary = []
    for (model, lag), rs in groups.items():
        acc = [float(r["accuracy"]) for r in rs]
        summary.append({"model": model, "lag": lag, "n_seeds": len(rs), "mean_accuracy": float(np.mean(acc)),
                        "min_accuracy": min(acc), "max_accuracy": max(acc),
                        "mean_steps": float(np.mean([float(r["steps"]) for r in rs]))})
    return summary


def write_lag_csv(results: Iterable[LagResult], path) -> None:
    """:func:`lag_rows` of ``results`` to ``path``. ``wall_s`` is the one column that varies between reruns."""
    write_csv(path, lag_rows(results), LAG_COLUMNS)


def write_lag_summary_csv(results: Iterable[LagResult], path) -> None:
    """:func:`lag_summary_rows` of ``results`` to ``path`` (byte-identical across reruns)."""
    write_csv(path, lag_summary_rows(lag_rows(results)), LAG_SUMMARY_COLUMNS)
