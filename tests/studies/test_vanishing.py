"""The vanishing-gradient study (rnncore.studies.vanishing): profile shapes, decay at initialisation, finite differences.

The numbers asserted here were measured first (seeded, so they are fixed): on the long-lag task
with L = 20 (T = 22), K = 2 classes, 4 distractors, H = 12, 64 probe sequences, initial weights
~ N(0, 0.1^2), the Elman RNN's ||dLoss/dh_t|| at the largest distance (21) is 8.6e-18 (diagonal)
and 2.5e-11 (full) of its value at distance 0; the LSTM's (forget bias 4, input bias -4) drops to
2.6e-3 at distance 1 (the path from h_t back into the gates goes through R ~ N(0, 0.1^2) and an
almost closed input gate) and then stays flat: 2.0e-3 at distance 21, 0.79 of its value at
distance 1, because the cell carries the error back multiplied by the forget gate (sigma(4) = 0.98).
"""

import csv

import numpy as np
import pytest

from rnncore.models import elman

from rnncore.models import lstm
from rnncore.studies.longlag import LagSpec, init_model, lag_grid, make_task, run_grid, task_sizes, train_lag_model
from rnncore.studies.vanishing import VANISHING_COLUMNS, gradient_profile, probe_batch, study, write_vanishing_csv

K, D, H = 2, 4, 12


def _task(L, n=64, seed=0):
    return make_task(L, n, np.random.default_rng([seed, 3, L]), K, D)


def _init(model, scale=0.1, seed=0):
    n_in, n_out = task_sizes(K, D)
    return init_model(model, np.random.default_rng([seed, 0]), n_in, H, n_out, forget_bias=4.0, input_bias=-4.0,
                      init_scale=scale)


@pytest.mark.parametrize("model", ["diagonal", "full", "lstm"])
def test_profile_shape_and_distance_order(model):
    x, targets, mask = _task(7)
    T = x.shape[2]
    p = _init(model)
    prof = gradient_profile(model, p, x, targets, mask)
    assert prof.shape == (T,) and prof.dtype == np.float64
    assert np.all(np.isfinite(prof)) and np.all(prof > 0)
    by_time = (lstm if model == "lstm" else elman).hidden_grad_norms(p, x, targets, mask)
    # profile[d] is the norm of dLoss/dh_t at t = T - 1 - d: the time-indexed norms reversed, exactly
    np.testing.assert_array_equal(prof, by_time[::-1], strict=True,
                                  err_msg="profile must be indexed by distance T - 1 - t")


def test_profile_rejects_a_loss_before_the_last_step_and_a_wrong_model():
    x, targets, mask = _task(3)
    bad = mask.copy()
    bad[:, 0] = 1.0
    with pytest.raises(ValueError, match="last step"):
        gradient_profile("lstm", _init("lstm"), x, targets, bad)
    with pytest.raises(TypeError):
        gradient_profile("lstm", _init("full"), x, targets, mask)
    with pytest.raises(TypeError):
        gradient_profile("diagonal", _init("full"), x, targets, mask)
    with pytest.raises(ValueError, match="model must be"):
        gradient_profile("gru", _init("full"), x, targets, mask)


def test_elman_gradient_vanishes_at_init_and_lstm_gradient_does_not():
    x, targets, mask = _task(20)
    prof = {m: gradient_profile(m, _init(m), x, targets, mask) for m in ("diagonal", "full", "lstm")}
    ratio = {m: p[-1] / p[0] for m, p in prof.items()}
    print("\nratio of ||dL/dh|| at distance 21 to distance 0:", {m: f"{r:.2e}" for m, r in ratio.items()})
    # Elman, small weights: each step back multiplies by whh^T diag(1 - h^2), norm ~0.1-0.35
    assert ratio["diagonal"] < 1e-12, ratio  # measured 8.6e-18
    assert ratio["full"] < 1e-8, ratio  # measured 2.5e-11
    for m in ("diagonal", "full"):
        assert np.all(np.diff(prof[m]) < 0), f"{m}: the norm must fall at every step back"
    # LSTM: one drop at distance 1 (through R into the gates), then the cell carries it (f ~ 0.98)
    assert ratio["lstm"] > 1e-3, ratio  # measured 2.0e-3
    assert prof["lstm"][-1] / prof["lstm"][1] > 0.5, prof["lstm"]  # measured 0.79
    assert ratio["lstm"] > 1e6 * ratio["full"], ratio  # measured 8e7


def _suffix_loss(model, p, x, targets, mask, t, h, c):
    """Loss of the steps after t, starting from state (h, c) after input t; loss only at the last step."""
    T = x.shape[2]
    B = x.shape[1]
    if t == T - 1:  # no step left: the output layer at the last step alone
        y = p.why @ h + p.by
        logp, _ = elman.log_softmax(y)
        return float(np.sum(mask[:, -1] * -logp[targets[:, -1], np.arange(B)]) / B)
    sl = slice(t + 1, T)
    if model == "lstm":
        return lstm.loss_and_grads(p, x[:, :, sl], targets[:, sl], mask[:, sl], h, c)[0]
    return elman.loss_and_grads(p, x[:, :, sl], targets[:, sl], mask[:, sl], h)[0]


@pytest.mark.parametrize("model", ["diagonal", "full", "lstm"])
def test_profile_agrees_with_finite_differences(model):
    """Tiny case (H = 3, B = 2, T = 5, weights ~ N(0, 0.5^2)): perturb each h_t and rerun the rest."""
    rng = np.random.default_rng(42)
    n_in, n_out = task_sizes(K, D)
    p = init_model(model, rng, n_in, 3, n_out, forget_bias=1.0, init_scale=0.5)
    x, targets, mask = make_task(3, 2, rng, K, D)
    T = x.shape[2]
    if model == "lstm":
        cache = lstm.forward(p, x)
        hs, cs = cache.hs, cache.cs
    else:
        hs, cs = elman.forward(p, x).hs, None
    eps = 1e-6
    numeric = np.zeros(T)
    for t in range(T):
        h = hs[:, :, t + 1]
        c = None if cs is None else cs[:, :, t + 1]
        g = np.zeros_like(h)
        for idx in np.ndindex(h.shape):
            hp, hm = h.copy(), h.copy()
            hp[idx] += eps
            hm[idx] -= eps
            g[idx] = (_suffix_loss(model, p, x, targets, mask, t, hp, c)
                      - _suffix_loss(model, p, x, targets, mask, t, hm, c)) / (2 * eps)
        numeric[t] = np.sqrt(np.sum(g * g))
    prof = gradient_profile(model, p, x, targets, mask)
    np.testing.assert_allclose(prof, numeric[::-1], rtol=1e-6, atol=1e-10, strict=True,
                               err_msg="profile must equal ||dLoss/dh_t|| by central differences, by distance")


def test_study_rows_and_csv(tmp_path):
    """Rows for every model x stage x distance; 'trained' from given weights (no training here) or a short run."""
    lag, seed = 4, 0
    hyper = {"hidden": 6, "steps": 15, "batch": 8, "eval_n": 20, "n_classes": K, "n_distractors": D}
    spec = LagSpec(model="lstm", lag=lag, seed=seed, **hyper)
    trained_lstm, _ = train_lag_model(spec)
    rows = study(lag, seed, models=("full", "lstm"), n_probe=8, trained={"lstm": trained_lstm},
                 per_model={}, **hyper)
    T = lag + 2
    assert len(rows) == 2 * 2 * T
    assert all(tuple(r) == VANISHING_COLUMNS for r in rows)
    assert [(r["model"], r["stage"]) for r in rows[::T]] == [("full", "init"), ("full", "trained"),
                                                             ("lstm", "init"), ("lstm", "trained")]
    assert [r["distance"] for r in rows[:T]] == list(range(T))
    for block in range(4):
        rs = rows[block * T:(block + 1) * T]
        assert rs[0]["ratio"] == 1.0
        np.testing.assert_allclose([r["ratio"] for r in rs], [r["grad_norm"] / rs[0]["grad_norm"] for r in rs],
                                   rtol=0, atol=0, strict=True, err_msg="ratio is grad_norm / grad_norm at distance 0")
    # the given trained weights are the ones measured
    x, targets, mask = probe_batch(spec, 8)
    np.testing.assert_array_equal([r["grad_norm"] for r in rows[3 * T:]],
                                  gradient_profile("lstm", trained_lstm, x, targets, mask), strict=True,
                                  err_msg="'trained' rows must use the weights passed in")
    # the init rows use the weights training starts from: a rerun gives the same rows
    assert study(lag, seed, models=("full", "lstm"), n_probe=8, trained={"lstm": trained_lstm},
                 per_model={}, **hyper) == rows
    path = tmp_path / "vanishing.csv"
    write_vanishing_csv(rows, path)
    first = path.read_bytes()
    assert b"\r" not in first
    with path.open(newline="") as fh:
        back = list(csv.DictReader(fh))
    assert tuple(back[0]) == VANISHING_COLUMNS and len(back) == len(rows)
    assert float(back[5]["grad_norm"]) == rows[5]["grad_norm"]  # %.17g round-trips
    write_vanishing_csv(rows, path)
    assert path.read_bytes() == first


def test_study_reuses_the_grids_trained_weights_and_trains_only_what_is_missing():
    hyper = {"hidden": 5, "steps": 10, "batch": 8, "eval_n": 20}
    results = run_grid(lag_grid(models=("diagonal", "lstm"), lags=(3,), seeds=(1,), **hyper))
    lines = []
    rows = study(3, 1, models=("diagonal", "lstm"), n_probe=4, trained=results, log=lines.append, **hyper)
    assert not any("trained" in line for line in lines), lines  # both models came from the grid
    spec = results[1].spec
    x, targets, mask = probe_batch(spec, 4)
    T = x.shape[2]
    np.testing.assert_array_equal([r["grad_norm"] for r in rows[3 * T:]],
                                  gradient_profile("lstm", results[1].params, x, targets, mask), strict=True,
                                  err_msg="the grid's trained LSTM must be the one measured")
    # without the LSTM among the results it is trained here: deterministic, so the same rows
    lines.clear()
    again = study(3, 1, models=("diagonal", "lstm"), n_probe=4, trained=results[:1], log=lines.append, **hyper)
    assert sum("vanishing: trained" in line for line in lines) == 1  # only the LSTM was missing
    assert again == rows
