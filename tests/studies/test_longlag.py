"""The long-time-lag task and its training runs (rnncore.studies.longlag): exact data, determinism, a short LSTM run."""

import csv
import math

import numpy as np
import pytest

from rnncore.io import read_csv
from rnncore.models import elman

from rnncore.models import lstm
from rnncore.studies.longlag import (
    DEFAULT_HYPER,
    DEFAULT_LAGS,
    DEFAULT_SEEDS,
    LAG_COLUMNS,
    LAG_SUMMARY_COLUMNS,
    MODELS,
    LagResult,
    LagSpec,
    init_model,
    lag_grid,
    lag_rows,
    lag_summary_rows,
    make_task,
    query_accuracy,
    task_sizes,
    train_lag,
    train_lag_model,
    write_lag_csv,
    write_lag_summary_csv,
)


def test_task_shapes_targets_and_mask_are_exact():
    L, n, K, D = 3, 6, 2, 4
    x, targets, mask = make_task(L, n, np.random.default_rng(7), n_classes=K, n_distractors=D)
    T = L + 2
    assert x.shape == (K + D + 1, n, T) and x.dtype == np.float64
    assert targets.shape == (n, T) and targets.dtype == np.int64
    assert mask.shape == (n, T) and mask.dtype == np.float64
    # the same draws, made by hand: classes first, then the n x L distractors
    rng = np.random.default_rng(7)
    cls = rng.integers(0, K, size=n)
    distractors = K + rng.integers(0, D, size=(n, L))
    symbols = np.column_stack([cls, distractors, np.full(n, K + D)])
    np.testing.assert_array_equal(x, elman.one_hot(symbols, K + D + 1), strict=True,
                                  err_msg="x is one-hot: class, L distractors, query")
    np.testing.assert_array_equal(targets, np.repeat(cls[:, None], T, axis=1), strict=True,
                                  err_msg="the target is the first symbol's class")
    expected_mask = np.zeros((n, T))
    expected_mask[:, -1] = 1.0
    np.testing.assert_array_equal(mask, expected_mask, strict=True, err_msg="only the query step counts")
    # symbol sets are disjoint: class symbols only at t = 0, the query only at the end
    assert np.all(x[:K, :, 1:].sum(axis=0) == 0) and np.all(x[K + D, :, :-1] == 0)
    assert task_sizes(K, D) == (K + D + 1, K)


def test_task_edge_cases_and_errors():
    x, _, _ = make_task(0, 3, np.random.default_rng(0), n_classes=4, n_distractors=1)
    assert x.shape == (6, 3, 2)  # L = 0: the class, then at once the query
    with pytest.raises(ValueError):
        make_task(-1, 3, np.random.default_rng(0))
    with pytest.raises(ValueError):
        make_task(3, 3, np.random.default_rng(0), n_classes=1)
    with pytest.raises(ValueError, match="model"):
        LagSpec(model="gru", lag=5, seed=0)


def test_init_model_gate_biases_and_rnn_radius():
    p = init_model("lstm", np.random.default_rng(0), 7, 5, 2, forget_bias=4.0, input_bias=-4.0)
    assert isinstance(p, lstm.LSTMParams)
    np.testing.assert_array_equal(p.gate("b", "f"), np.full((5, 1), 4.0), strict=True, err_msg="forget bias")
    np.testing.assert_array_equal(p.gate("b", "i"), np.full((5, 1), -4.0), strict=True, err_msg="input bias")
    np.testing.assert_array_equal(p.gate("b", "g"), np.zeros((5, 1)), strict=True, err_msg="other biases zero")
    for model in ("diagonal", "full"):
        q = init_model(model, np.random.default_rng(0), 7, 5, 2)
        assert isinstance(q, elman.ElmanParams) and q.diagonal == (model == "diagonal")
        np.testing.assert_array_equal(q.bias, np.zeros((5, 1)), strict=True, err_msg="conventional zero bias")
        r = init_model(model, np.random.default_rng(0), 7, 5, 2, rnn_radius=1.0)
        radius = np.max(np.abs(r.whh)) if model == "diagonal" else np.max(np.abs(np.linalg.eigvals(r.whh)))
        np.testing.assert_allclose(radius, 1.0, rtol=1e-12, atol=0, strict=False,
                                   err_msg="rnn_radius sets the recurrent spectral radius")


SMALL = {"hidden": 8, "steps": 60, "batch": 16, "eval_n": 200}


def test_same_spec_gives_the_same_result_except_wall_time():
    for model in ("lstm", "diagonal"):
        spec = LagSpec(model=model, lag=4, seed=3, **{**SMALL, "steps": 25, "patience": 0})
        p1, r1 = train_lag_model(spec)
        p2, r2 = train_lag_model(spec)
        assert r1.same_as(r2), (r1, r2)
        assert r1.loss_curve == r2.loss_curve and len(r1.loss_curve) == r1.steps == 25
        for a, b in zip(p1.arrays(), p2.arrays()):
            np.testing.assert_array_equal(a, b, strict=True, err_msg="trained weights must be identical")
        # another seed is another run
        r3 = train_lag(LagSpec(model=model, lag=4, seed=4, **{**SMALL, "steps": 25, "patience": 0}))
        assert r3.loss_curve != r1.loss_curve


def test_short_lstm_run_solves_a_small_lag_and_rnn_result_is_reported():
    """L = 5 with the default hyperparameters: the LSTM reaches 100% on 200 fresh sequences (measured: 100%
    after ~40 steps, < 1 s). The Elman RNN's result at the same lag is whatever it is: only its validity is checked."""
    hyper = {**SMALL, "steps": 200}
    r = train_lag(LagSpec(model="lstm", lag=5, seed=0, **{**hyper, **DEFAULT_HYPER["lstm"]}))
    assert r.accuracy == 1.0, r
    assert r.stopped_early and r.steps < 200
    assert r.final_loss < 0.5 and math.isfinite(r.eval_loss)
    for model in ("diagonal", "full"):
        rr = train_lag(LagSpec(model=model, lag=5, seed=0, **{**hyper, **DEFAULT_HYPER[model]}))
        print(f"\n{model} RNN at L=5: accuracy {rr.accuracy:.3f} after {rr.steps} steps")
        assert 0.0 <= rr.accuracy <= 1.0
        assert rr.accuracy * 200 == round(rr.accuracy * 200)  # a count of correct answers out of eval_n
        assert 1 <= rr.steps <= 200 and math.isfinite(rr.final_loss)


def test_early_stop_rule_is_patience_perfect_minibatches():
    spec = LagSpec(model="lstm", lag=3, seed=1, **{**SMALL, "steps": 300, "patience": 5})
    _, r = train_lag_model(spec)
    assert r.stopped_early and r.steps < 300
    spec0 = LagSpec(model="lstm", lag=3, seed=1, **{**SMALL, "steps": r.steps + 5, "patience": 0})
    r0 = train_lag(spec0)
    assert not r0.stopped_early and r0.steps == r.steps + 5  # patience 0 never stops early
    assert r0.loss_curve[:r.steps] == r.loss_curve  # the same stream of minibatches up to the stop


def test_query_accuracy():
    ps = np.zeros((2, 3, 4))
    ps[0, :, -1] = [0.9, 0.2, 0.6]
    ps[1, :, -1] = [0.1, 0.8, 0.4]
    targets = np.array([[0] * 4, [1] * 4, [1] * 4])
    assert query_accuracy(ps, targets) == 2 / 3


def test_grid_order_and_overrides():
    specs = lag_grid(models=("full", "lstm"), lags=(5, 10), seeds=(0, 1), steps=7, per_model={"lstm": {"lr": 0.5}})
    assert [(s.model, s.lag, s.seed) for s in specs] == [
        (m, L, s) for m in ("full", "lstm") for L in (5, 10) for s in (0, 1)]
    assert all(s.steps == 7 for s in specs)
    assert {s.lr for s in specs if s.model == "lstm"} == {0.5}
    assert {s.lr for s in specs if s.model == "full"} == {LagSpec.__dataclass_fields__["lr"].default}
    # keywords for every run win over the per-model defaults
    assert {s.lr for s in lag_grid(lags=(5,), seeds=(0,), lr=0.07)} == {0.07}
    assert {s.lr for s in lag_grid(lags=(5,), seeds=(0,))} == {DEFAULT_HYPER[m]["lr"] for m in MODELS}
    default = lag_grid()
    assert len(default) == len(MODELS) * len(DEFAULT_LAGS) * len(DEFAULT_SEEDS)
    for s in default:
        for k, v in DEFAULT_HYPER[s.model].items():
            assert getattr(s, k) == v


def _fake(model, lag, seed, acc, steps=10, wall=0.5):
    return LagResult(spec=LagSpec(model=model, lag=lag, seed=seed), accuracy=acc, final_loss=0.25, eval_loss=0.3,
                     steps=steps, stopped_early=False, wall_s=wall)


def test_rows_summary_and_csv_bytes(tmp_path):
    results = [_fake("full", 5, 0, 1.0), _fake("full", 5, 1, 0.5, steps=20), _fake("lstm", 5, 0, 0.75)]
    rows = lag_rows(results)
    assert [tuple(r) for r in rows] == [LAG_COLUMNS] * 3
    assert rows[1] == {"model": "full", "lag": 5, "seed": 1, "accuracy": 0.5, "final_loss": 0.25, "steps": 20,
                       "wall_s": 0.5}
    summary = lag_summary_rows(rows)
    assert summary == [
        {"model": "full", "lag": 5, "n_seeds": 2, "mean_accuracy": 0.75, "min_accuracy": 0.5, "max_accuracy": 1.0,
         "mean_steps": 15.0},
        {"model": "lstm", "lag": 5, "n_seeds": 1, "mean_accuracy": 0.75, "min_accuracy": 0.75, "max_accuracy": 0.75,
         "mean_steps": 10.0},
    ]
    path = tmp_path / "lag.csv"
    write_lag_csv(results, path)
    # the workflow's report step summarises the rows read back as text: the same summary, to the bit
    assert lag_summary_rows(read_csv(path, LAG_COLUMNS)) == summary
    assert path.read_bytes() == (b"model,lag,seed,accuracy,final_loss,steps,wall_s\n"
                                 b"full,5,0,1,0.25,10,0.5\nfull,5,1,0.5,0.25,20,0.5\nlstm,5,0,0.75,0.25,10,0.5\n")
    spath = tmp_path / "summary.csv"
    write_lag_summary_csv(results, spath)
    with spath.open(newline="") as fh:
        back = list(csv.reader(fh))
    assert tuple(back[0]) == LAG_SUMMARY_COLUMNS
    assert back[1] == ["full", "5", "2", "0.75", "0.5", "1", "15"]
    # a rerun with other wall times changes only the per-run file, never the summary
    before = spath.read_bytes()
    write_lag_summary_csv([_fake("full", 5, 0, 1.0, wall=9.0), _fake("full", 5, 1, 0.5, steps=20, wall=3.0),
                           _fake("lstm", 5, 0, 0.75)], spath)
    assert spath.read_bytes() == before
