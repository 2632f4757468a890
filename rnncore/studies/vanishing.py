"""The vanishing-gradient study: how much of the loss's gradient reaches a hidden state T - 1 - t steps back.

On the long-lag task of :mod:`rnncore.studies.longlag` the loss counts only the last (query) step, so
``dLoss/dh_t`` is zero except for what flowed back from the query through the recurrence, and its
norm as a function of the *distance* ``d = T - 1 - t`` (0 at the query step) is the quantity
Hochreiter (1991), Bengio, Simard & Frasconi (1994) and Hochreiter & Schmidhuber (1997) analyse:
for an Elman RNN each step back multiplies it by ``whh^T diag(1 - h^2)``, which shrinks it
geometrically when the recurrent weights are small (it vanishes) or grows it when they are large
(it explodes); the LSTM's cell carries it back multiplied by the forget gate, close to 1 when the
gate is open, so it survives across long lags (the "constant error carousel").

For the diagonal Elman RNN, the full Elman RNN and the LSTM, :func:`study` measures the profile at
initialisation and after training on the same lag (the very weights :func:`rnncore.studies.longlag.train_lag`
produces for the same :class:`~rnncore.studies.longlag.LagSpec`, so the workflow can reuse the grid's runs),
on a fixed probe batch of sequences. Norms are Frobenius norms over the H hidden units and the B
sequences of the batch; the loss is the mean over the batch (as in training), so the numbers do not
grow with B's size.

Measured with the defaults (L = 20, T = 22, seed 0, 64 probe sequences; ``ratio`` = norm at
distance d / norm at distance 0)::

    model     stage     d=1      d=5      d=10     d=21
    diagonal  init      9.5e-02  3.5e-05  3.4e-09  8.6e-18
    diagonal  trained   1.2e-01  6.5e-03  9.2e-05  6.9e-06
    full      init      3.4e-01  2.9e-03  6.0e-06  2.5e-11
    full      trained   4.5e-03  1.2e-12  1.1e-24  9.2e-49
    lstm      init      2.6e-03  2.7e-03  2.5e-03  2.0e-03
    lstm      trained   1.8e-01  1.1e-02  1.1e-02  3.5e-02

The Elman gradient falls by a roughly constant factor per step (geometrically) at init and still
after training (all three models solve L = 20); the LSTM's drops once, at distance 1 (from h_t
back into the gates through R and a nearly closed input gate), and then stays level across the
whole lag: the cell carries it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from rnncore.models import factory
from rnncore.models.factory import MODELS
from rnncore.studies.longlag import LagResult, LagSpec, initial_params, lag_grid, make_task, train_lag_model
from rnncore.io import write_csv

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

    ``model`` is ``"diagonal"``, ``"full"`` (Elman, :func:`rnncore.models.elman.hidden_grad_norms`)
    or ``"lstm"`` (:func:`rnncore.models.lstm.hidden_grad_norms`), and ``params`` must be its
    parameters (:func:`rnncore.models.factory.check_params`: TypeError otherwise); ``h_t`` is the hidden state after
    input t. ``profile[0]`` is the norm at the last step, ``profile[T-1]`` at the first. The
    distance is only meaningful when the loss counts the last step alone, so ``mask`` must be zero
    before the last step (:class:`ValueError` otherwise).
    """
    mask = np.asarray(mask, dtype=np.float64)
    if mask.ndim != 2 or np.any(mask[:, :-1] != 0):
        raise ValueError("gradient_profile needs a mask that is zero everywhere but the last step")
    norms = factory.hidden_grad_norms(factory.check_params(model, params), x, targets, mask)
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


def study(lag: int, seed: int, models: Iterable[str] = MODELS, n_probe: int = 64,
          trained: Iterable[LagResult] | Mapping[str, object] | None = None, log: Log = _quiet,
          per_model: Mapping[str, Mapping] | None = None, **hyper) -> list[dict]:
    """Rows (columns :data:`VANISHING_COLUMNS`) of the gradient profile of each model, at init and trained.

    Each model's spec is the one :func:`rnncore.studies.longlag.lag_grid` makes for ``(model, lag, seed)``
    with the same ``per_model`` (default :data:`rnncore.studies.longlag.DEFAULT_HYPER`) and ``hyper``, so
    pass the grid's keywords to study the grid's runs. The "init" weights are the ones training
    starts from (:func:`rnncore.studies.longlag.initial_params`); the "trained" ones come from ``trained``
    when it holds them (the :class:`~rnncore.studies.longlag.LagResult` list of a grid run, which keeps
    each run's ``params``: a result is used when its spec equals this model's spec; or a
    ``{model: params}`` mapping, used as given), otherwise from a training run here
    (:func:`rnncore.studies.longlag.train_lag_model`, deterministic: the same weights the grid's run gets).
    The probe batch is :func:`probe_batch` (the same sequences for every model and stage).
    ``ratio`` is ``grad_norm / grad_norm at distance 0`` of the same model and stage.
    """
    rows = []
    for model in models:
        spec = lag_grid([model], [lag], [seed], per_model=per_model, **hyper)[0]
        if isinstance(trained, Mapping):
            params = trained.get(model)
        else:
            params = next((r.params for r in (trained or ()) if r.spec == spec and r.params is not None), None)
        x, targets, mask = probe_batch(spec, n_probe)
        rows += _rows(model, "init", spec, gradient_profile(model, initial_params(spec), x, targets, mask))
        if params is None:
            params, result = train_lag_model(spec, log)
            log(f"vanishing: trained {model} at L={lag}, seed {seed}: accuracy {result.accuracy:.4f}")
        rows += _rows(model, "trained", spec, gradient_profile(model, params, x, targets, mask))
    return rows


def write_vanishing_csv(rows: Iterable[dict], path) -> None:
    """Rows of :func:`study` as CSV (:func:`rnncore.io.write_csv`: floats ``%.17g``, ``\\n`` line ends, atomically)."""
    write_csv(path, rows, VANISHING_COLUMNS)
