"""The vanishing-gradient study: how much of the loss's gradient reaches a hidden state T - 1 - t steps back.

On the long-lag task of :mod:`rnncore.longlag` the loss counts only the last (query) step, so
``dLoss/dh_t`` is zero except for what flowed back from the query through the recurrence, and its
norm as a function of the *distance* ``d = T - 1 - t`` (0 at the query step) is the quantity
Hochreiter (1991), Bengio, Simard & Frasconi (1994) and Hochreiter & Schmidhuber (1997) analyse:
for an Elman RNN each step back multiplies it by ``whh^T diag(1 - h^2)``, which shrinks it
geometrically when the recurrent weights are small (it vanishes) or grows it when they are large
(it explodes); the LSTM's cell carries it back multiplied by the forget gate, close to 1 when the
gate is open, so it survives across long lags (the "constant error carousel").

For the diagonal Elman RNN, the full Elman RNN and the LSTM, :func:`study` measures the profile at
initialisation and after training on the same lag (the very weights :func:`rnncore.longlag.train_lag`
produces for the same :class:`~rnncore.longlag.LagSpec`, so the workflow can reuse the grid's runs),
on a fixed probe batch of sequences. Norms are Frobenius norms over the H hidden units and the B
sequences of the batch; the loss is the mean over the batch (as in training), so the numbers do not
grow with B's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from . import elman, lstm
from .longlag import LagResult, LagSpec, initial_params, make_task, train_lag_model, write_rows_csv

__all__ = [
    "STAGES",
    "VANISHING_COLUMNS",
    "gradient_profile",
    "probe_batch",
    "study",
    "write_vanishing_csv",
]

VANISHING_COLUMNS = ("model", "stage", "lag", "seed", "distance", "grad_norm", "ratio")
STAGES = ("init", "trained")

Log = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


def gradient_profile(model: str, params, x, targets, mask) -> np.ndarray:
    """(T,) array: ``profile[d]`` = ||dLoss/dh_t|| for ``t = T - 1 - d``, i.e. indexed by distance.

    ``model`` is ``"diagonal"``, ``"full"`` (Elman, :func:`rnncore.lstm.elman_hidden_grad_norms`)
    or ``"lstm"`` (:func:`rnncore.lstm.hidden_grad_norms`); ``h_t`` is the hidden state after
    input t. ``profile[0]`` is the norm at the last step, ``profile[T-1]`` at the first. The
    distance is only meaningful when the loss counts the last step alone, so ``mask`` must be zero
    before the last step (:class:`ValueError` otherwise).
    """
    mask = np.asarray(mask, dtype=np.float64)
    if mask.ndim != 2 or np.any(mask[:, :-1] != 0):
        raise ValueError("gradient_profile needs a mask that is zero everywhere but the last step")
    if model == "lstm":
        if not isinstance(params, lstm.LSTMParams):
            raise TypeError("model 'lstm' needs LSTMParams")
        norms = lstm.hidden_grad_norms(params, x, targets, mask)
    elif model in ("diagonal", "full"):
        # H = 1 is both diagonal and full; anything else must match the model named
        if not isinstance(params, elman.ElmanParams) or (
                params.diagonal != (model == "diagonal") and params.n_hidden != 1):
            raise TypeError(f"model {model!r} needs ElmanParams with a {model} whh")
        norms = lstm.elman_hidden_grad_norms(params, x, targets, mask)
    else:
        raise ValueError(f"model must be 'diagonal', 'full' or 'lstm', got {model!r}")
    return np.ascontiguousarray(norms[::-1])


def probe_batch(spec: LagSpec, n: int = 64):
    """The fixed probe sequences of :func:`study`: ``make_task`` with ``default_rng([seed, 3, lag])``."""
    return make_task(spec.lag, n, np.random.default_rng([spec.seed, 3, spec.lag]), spec.n_classes,
                     spec.n_distractors)


def _rows(model: str, stage: str, spec: LagSpec, profile: np.ndarray) -> list[dict]:
    base = profile[0]
    return [{"model": model, "stage": stage, "lag": spec.lag, "seed": spec.seed, "distance": d,
             "grad_norm": float(g), "ratio": float(g / base) if base > 0 else float("nan")}
            for d, g in enumerate(profile)]


def study(lag: int, seed: int, models: Iterable[str] = ("diagonal", "full", "lstm"), n_probe: int = 64,
          trained: Iterable[LagResult] | Mapping[str, object] | None = None, log: Log = _quiet,
          **hyper) -> list[dict]:
    """Rows (columns :data:`VANISHING_COLUMNS`) of the gradient profile of each model, at init and trained.

    For each model the spec is ``LagSpec(model, lag, seed, **hyper)`` (pass the same ``hyper`` as
    the lag grid, e.g. ``**longlag.DEFAULT_HYPER[model]`` is applied by :func:`rnncore.longlag.lag_grid`;
    here ``hyper`` may instead be a mapping ``per_model={model: {...}}``). The "init" weights are
    the ones training starts from (:func:`rnncore.longlag.init_model` with the spec's seed); the
    "trained" ones come from ``trained`` when it holds them (the :class:`~rnncore.longlag.LagResult`
    list of a grid run, whose ``params`` are kept, or a ``{model: params}`` mapping), otherwise from
    a training run here (:func:`rnncore.longlag.train_lag_model`). The probe batch is
    :func:`probe_batch` (the same sequences for every model and stage). ``ratio`` is
    ``grad_norm / grad_norm at distance 0`` of the same model and stage.
    """
    from .longlag import DEFAULT_HYPER

    per_model = hyper.pop("per_model", DEFAULT_HYPER)
    found: dict[str, object] = {}
    if isinstance(trained, Mapping):
        found = dict(trained)
    elif trained is not None:
        for r in trained:
            if r.spec.lag == lag and r.spec.seed == seed and r.params is not None:
                found.setdefault(r.spec.model, r.params)
    rows = []
    for model in models:
        spec = LagSpec(model=model, lag=lag, seed=seed, **{**hyper, **per_model.get(model, {})})
        x, targets, mask = probe_batch(spec, n_probe)
        params0 = initial_params(spec)
        rows += _rows(model, "init", spec, gradient_profile(model, params0, x, targets, mask))
        params = found.get(model)
        if params is None:
            params, result = train_lag_model(spec, log)
            log(f"vanishing: trained {model} at L={lag}, seed {seed}: accuracy {result.accuracy:.4f}")
        rows += _rows(model, "trained", spec, gradient_profile(model, params, x, targets, mask))
    return rows


def write_vanishing_csv(rows: Iterable[dict], path) -> None:
    """Rows of :func:`study` as CSV (floats by :func:`rnncore.parity.format_float`, ``\\n`` line ends), atomically."""
    write_rows_csv(rows, VANISHING_COLUMNS, path)
