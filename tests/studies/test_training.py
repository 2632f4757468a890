"""Training runs (rnncore.studies.training): the grid, one run per spec, the per-run JSON and the CSV reports.

Fast on purpose (a few seconds): plural runs here are a handful of epochs with a small H; the long
runs whose accuracy the project reports belong to the workflow, not to this file.
"""

import csv
import json
import math
import re

import numpy as np

from rnncore.course.rnn2 import course_params
import pytest

from rnncore.models import elman

from rnncore.models import lstm
from rnncore.io import ArtifactError, write_csv
from rnncore.course.octave_train import train_sgd
from rnncore.models.optim import adam_init, adam_step, clip_by_global_norm, sgd_step
from rnncore.engine.parity import format_float
from rnncore.course.tasks import ENDING_GROUPS, PigPrediction, ending_group, pig_task, plural_task
from rnncore.studies.training import (
    HELDOUT_BY_ENDING_COLUMNS,
    METRICS_COLUMNS,
    PIG_COLUMNS,
    SUMMARY_COLUMNS,
    RunResult,
    RunSpec,
    expand_grid,
    heldout_by_ending,
    heldout_by_ending_rows,
    initial_params,
    metrics_rows,
    pig_rows,
    read_run,
    summary_rows,
    train_run,
    training_data,
    write_run,
)

EPS = np.finfo(np.float64).eps


def block(**kw):
    base = {"task": "plural", "model": ["full"], "hidden": [8], "seed": [0], "epochs": 10, "optimizer": "adam",
            "lr": 0.01}
    base.update(kw)
    return base


def pig_spec(model="diagonal", **kw):
    return RunSpec(**{"task": "pig", "model": model, "hidden": 3, "seed": 0, "epochs": 50, "optimizer": "sgd",
                      "lr": 0.1, **kw})


def small_plural_spec(**kw):
    return RunSpec(**{"task": "plural", "model": "full", "hidden": 4, "seed": 0, "epochs": 4, "optimizer": "adam",
                      "lr": 0.01, "clip": 5.0, **kw})


@pytest.fixture(scope="module")
def pig_runs():
    """The lead's PIG default, SGD lr 0.1 for 50 epochs, for both Elman models (~0.1 s each)."""
    logs = {}
    runs = {}
    for model in ("diagonal", "full"):
        logs[model] = []
        runs[model] = train_run(pig_spec(model), log=logs[model].append)
    return runs, logs


@pytest.fixture(scope="module")
def plural_run():
    return train_run(small_plural_spec())


# --------------------------------------------------------------------------- RunSpec and expand_grid


def test_run_spec_defaults_run_id_and_normalised_numbers():
    s = RunSpec("plural", "lstm", 16, 3, 300, "adam", 1)
    assert s.run_id == "plural-lstm-h16-s3"
    assert s.clip is None and s.weight_decay == 0.0
    assert type(s.lr) is float and s == RunSpec("plural", "lstm", 16, 3, 300, "adam", 1.0)
    with pytest.raises(ValueError, match="epochs: must be an integer >= 1, got 0"):
        RunSpec("plural", "lstm", 16, 3, 0, "adam", 0.01)


def test_expand_grid_order_is_block_then_model_hidden_seed_as_listed():
    blocks = [
        {"task": "pig", "model": ["full", "diagonal"], "hidden": [3], "seed": [0], "epochs": 50,
         "optimizer": "sgd", "lr": 0.1},
        block(model=["lstm", "diagonal"], hidden=[16, 8], seed=[2, 0], clip=5.0, weight_decay=1e-4),
    ]
    specs = expand_grid(blocks)
    assert [s.run_id for s in specs] == [
        "pig-full-h3-s0", "pig-diagonal-h3-s0",
        "plural-lstm-h16-s2", "plural-lstm-h16-s0", "plural-lstm-h8-s2", "plural-lstm-h8-s0",
        "plural-diagonal-h16-s2", "plural-diagonal-h16-s0", "plural-diagonal-h8-s2", "plural-diagonal-h8-s0",
    ]
    assert specs[0] == RunSpec("pig", "full", 3, 0, 50, "sgd", 0.1, clip=None, weight_decay=0.0)
    assert specs[2] == RunSpec("plural", "lstm", 16, 2, 10, "adam", 0.01, clip=5.0, weight_decay=1e-4)
    assert expand_grid([]) == []


@pytest.mark.parametrize("blocks, message", [
    # duplicate run id across blocks, and within one block
    ([block(), block(model=["diagonal", "full"])],
     "training block 2, key 'seed': run id plural-full-h8-s0 is already produced by training block 1"),
    ([block(seed=[0, 1, 0])], "training block 1, key 'seed': run id plural-full-h8-s0 is produced twice"),
    # pig starts from rnn2.m's 3-neuron Elman network
    ([block(), block(task="pig", hidden=[3, 4])], "training block 2, key 'hidden': task pig starts from rnn2.m"),
    ([block(task="pig", hidden=[3], model=["lstm"])], "training block 1, key 'model': task pig starts from rnn2.m"),
    # unknown names
    ([block(task="pigs")], "training block 1, key 'task': unknown task 'pigs'"),
    ([block(model=["full", "gru"])], "training block 1, key 'model': unknown model 'gru'"),
    ([block(optimizer="rmsprop")], "training block 1, key 'optimizer': unknown optimizer 'rmsprop'"),
    # epochs < 1
    ([block(epochs=0)], "training block 1, key 'epochs': must be an integer >= 1, got 0"),
    # malformed blocks
    ([block(seeds=[1])], "training block 1, key 'seeds': unknown key"),
    ([{k: v for k, v in block().items() if k != "lr"}], "training block 1, key 'lr': missing"),
    ([block(hidden=8)], "training block 1, key 'hidden': must be a non-empty list"),
    ([block(lr="1e-2")], "training block 1, key 'lr': must be a finite number > 0, got '1e-2' (YAML reads"),
    ([block(clip=0.0)], "training block 1, key 'clip': must be a finite number > 0 or null"),
    ([block(weight_decay=-1.0)], "training block 1, key 'weight_decay': must be a finite number >= 0"),
])
def test_expand_grid_errors_name_block_and_key(blocks, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        expand_grid(blocks)


# --------------------------------------------------------------------------- initial weights


def test_initial_params_pig_is_rnn2_and_full_is_the_same_network():
    course = course_params()
    diag = initial_params(pig_spec("diagonal"), 4, 4)
    full = initial_params(pig_spec("full"), 4, 4)
    for name in elman.PARAM_NAMES:
        np.testing.assert_array_equal(getattr(diag, name), getattr(course, name), strict=True)
    np.testing.assert_array_equal(full.whh, np.diag(course.whh[:, 0]), strict=True)
    assert full.whh.shape == (3, 3)
    # whh*h with a diagonal whh adds exact zeros to whh.*h, so the outputs are the same bits.
    x = pig_task().x
    np.testing.assert_array_equal(elman.predict(full, x), elman.predict(diag, x), strict=True)
    with pytest.raises(ValueError, match="4 inputs and 4 outputs"):
        initial_params(pig_spec(), 27, 27)


def test_initial_params_plural_elman_and_lstm():
    for model in ("diagonal", "full"):
        spec = RunSpec("plural", model, 5, 7, 1, "adam", 0.01)
        p = initial_params(spec, 27, 27)
        drawn = elman.init_params(np.random.default_rng(7), 27, 5, 27, recurrence=model, scale=0.1)
        for name in ("whx", "whh", "why"):
            np.testing.assert_array_equal(getattr(p, name), getattr(drawn, name), strict=True)
        np.testing.assert_array_equal(p.bias, np.zeros((5, 1)), strict=True)
        np.testing.assert_array_equal(p.by, np.zeros((27, 1)), strict=True)
        assert p.whh.shape == ((5, 1) if model == "diagonal" else (5, 5))
    p = initial_params(RunSpec("plural", "lstm", 5, 7, 1, "adam", 0.01), 27, 27)
    assert isinstance(p, lstm.LSTMParams) and p.n_hidden == 5
    np.testing.assert_array_equal(p.gate("b", "f"), np.ones((5, 1)), strict=True)
    np.testing.assert_array_equal(p.gate("b", "i"), np.zeros((5, 1)), strict=True)


# --------------------------------------------------------------------------- PIG


@pytest.mark.parametrize("model", ["diagonal", "full"])
def test_pig_run_predicts_p_before_and_s_after(pig_runs, model):
    r = pig_runs[0][model]
    assert r.before.letter == "P" and r.after.letter == "S"
    # Slide 16 prints the untrained column to 4 decimals: P 0.4332, I 0.1988, G 0.1581, S 0.2099.
    np.testing.assert_allclose(r.before.column, [[0.4332], [0.1988], [0.1581], [0.2099]], rtol=0, atol=5e-5,
                               strict=True)
    for p in (r.before, r.after):
        assert p.column.shape == (4, 1)
        # Four probabilities e/s each rounded once, then summed: within a few ULP of 1; 8 eps is ample.
        np.testing.assert_allclose(p.column.sum(), 1.0, rtol=0, atol=8 * EPS, strict=True)
    assert r.losses.shape == (50,)
    assert np.all(np.diff(r.losses) < 0), "full-batch SGD with a small step goes down every epoch"
    assert r.final_loss < r.losses[-1] < 0.4 * r.losses[0]
    assert r.train_acc == 1.0 and math.isnan(r.heldout_acc) and r.errors == ()
    assert r.wall_s > 0


def test_pig_diagonal_run_is_the_octave_audited_sgd_loop(pig_runs):
    """The diagonal pig run is rnncore.course.octave_train.train_sgd (the loop compared with Octave), bit for bit."""
    task = pig_task()
    out = train_sgd(course_params(), task.x, task.targets, task.mask, lr=0.1, epochs=50)
    r = pig_runs[0]["diagonal"]
    np.testing.assert_array_equal(r.losses, out["losses"][0], strict=True)
    assert r.final_loss == out["loss_final"][0, 0]


def test_progress_lines_logged(pig_runs):
    lines = pig_runs[1]["diagonal"]
    progress = [line for line in lines if line.startswith("epoch ")]
    # default: every tenth of the epochs (here 5), plus the first epoch
    assert [int(re.match(r"epoch (\d+)/50 loss \S+$", line).group(1)) for line in progress] == [1] + list(
        range(5, 51, 5))
    r = pig_runs[0]["diagonal"]
    assert progress[0] == f"epoch 1/50 loss {r.losses[0]:.6g}"
    assert lines[0].startswith("pig-diagonal-h3-s0: 50 epochs, sgd lr 0.1,")
    assert lines[-1].startswith("pig-diagonal-h3-s0: done in ") and "predicts P -> S" in lines[-1]
    custom = []
    train_run(pig_spec(epochs=45), log=custom.append, progress_every=20)
    assert [line.split()[1] for line in custom if line.startswith("epoch ")] == ["1/45", "20/45", "40/45", "45/45"]


def test_diverging_run_raises_naming_run_and_epoch(monkeypatch):
    # A real divergence is hard to provoke reliably (tanh saturates, log-softmax stays finite), so the
    # loss is made NaN from the second epoch on, as an overflowing weight would make it.
    real = elman.loss_and_grads
    calls = []

    def nan_from_epoch_2(*args, **kwargs):
        loss, grads, cache = real(*args, **kwargs)
        calls.append(loss)
        return (math.nan if len(calls) >= 2 else loss), grads, cache

    monkeypatch.setattr(elman, "loss_and_grads", nan_from_epoch_2)
    with pytest.raises(FloatingPointError, match=r"pig-diagonal-h3-s0: loss is nan at epoch 2/3"):
        train_run(pig_spec(epochs=3))


# --------------------------------------------------------------------------- plural


def test_plural_run_fields(plural_run):
    r = plural_run
    assert isinstance(r, RunResult) and r.run_id == "plural-full-h4-s0"
    assert r.losses.shape == (4,) and r.losses.dtype == np.float64 and not r.losses.flags.writeable
    assert np.all(np.isfinite(r.losses)) and math.isfinite(r.final_loss)
    assert r.final_loss < r.losses[0]
    assert 0.0 <= r.train_acc <= 1.0 and 0.0 <= r.heldout_acc <= 1.0
    assert r.before is None and r.after is None
    held = plural_task("heldout")
    true = dict(zip(held.words, held.suffixes))
    assert list(r.errors) == sorted(r.errors)
    for stem, suffix, predicted in r.errors:
        assert true[stem] == suffix and predicted != suffix and len(predicted) == 2
    # the errors are exactly the held-out nouns the accuracy counts as wrong
    assert len(r.errors) == round((1.0 - r.heldout_acc) * held.n_samples)
    # per ending: every held-out stem counted once, in its group, the wrong ones being the errors
    groups = [g for g, _, _ in r.heldout_by_ending]
    assert groups == list(ENDING_GROUPS), "the noun list holds out stems of every ending group"
    n = {g: sum(ending_group(w) == g for w in held.words) for g in ENDING_GROUPS}
    wrong = {g: sum(ending_group(e[0]) == g for e in r.errors) for g in ENDING_GROUPS}
    assert {g: (k, right) for g, k, right in r.heldout_by_ending} == {g: (n[g], n[g] - wrong[g]) for g in groups}
    assert sum(right for _, _, right in r.heldout_by_ending) == round(r.heldout_acc * held.n_samples)


def test_heldout_by_ending_counts_in_group_order():
    stems = ["MOTH", "PIG", "BUS", "PATH", "SHAH", "BRICK"]
    right = [False, True, True, True, False, True]
    assert heldout_by_ending(stems, right) == (("-S", 1, 1), ("-TH", 2, 1), ("-H", 1, 0), ("-CK", 1, 1),
                                               ("other", 1, 1))
    assert heldout_by_ending([], []) == ()
    with pytest.raises(ValueError):  # zip(strict=True): one flag per stem
        heldout_by_ending(stems, right[:-1])


def test_plural_run_is_deterministic_and_seed_dependent(plural_run):
    again = train_run(small_plural_spec())
    np.testing.assert_array_equal(again.losses, plural_run.losses, strict=True)
    assert again.final_loss == plural_run.final_loss and again.errors == plural_run.errors
    other = train_run(small_plural_spec(seed=1))
    assert not np.array_equal(other.losses, plural_run.losses)


def test_lstm_plural_run_is_deterministic():
    spec = small_plural_spec(model="lstm", epochs=3)
    a, b = train_run(spec), train_run(spec)
    np.testing.assert_array_equal(a.losses, b.losses, strict=True)
    assert a.final_loss < a.losses[0]


def test_sgd_clip_and_weight_decay_are_the_documented_updates():
    """losses[1] of a run is the loss after one update as RunSpec documents it: clip, step, then
    w *= 1 - lr*wd for every parameter. Same operations in the same order, so equal bits."""
    data = training_data("plural")
    for spec in (small_plural_spec(optimizer="sgd", lr=0.5, clip=1.0, weight_decay=0.1, epochs=2),
                 small_plural_spec(optimizer="adam", lr=0.01, clip=1.0, weight_decay=0.1, epochs=2),
                 small_plural_spec(model="lstm", optimizer="adam", lr=0.01, clip=None, epochs=2)):
        model = lstm if spec.model == "lstm" else elman
        p = initial_params(spec, len(data.alphabet), len(data.alphabet))
        loss0, g, _ = model.loss_and_grads(p, data.x, data.targets, data.mask)
        if spec.optimizer == "sgd":
            g, norm = clip_by_global_norm(g, spec.clip)
            assert norm > spec.clip, "the test must exercise clipping"
            p = sgd_step(p, g, spec.lr)
        else:
            p, _ = adam_step(p, g, adam_init(p), lr=spec.lr, clip_norm=spec.clip)
        if spec.weight_decay:
            p = p.map(lambda w: w * (1.0 - spec.lr * spec.weight_decay))
        loss1 = model.loss_and_grads(p, data.x, data.targets, data.mask)[0]
        r = train_run(spec)
        np.testing.assert_array_equal(r.losses, [loss0, loss1], strict=True)


# --------------------------------------------------------------------------- one JSON per run


def assert_same_result(a: RunResult, b: RunResult):
    assert a.spec == b.spec
    np.testing.assert_array_equal(a.losses, b.losses, strict=True)
    for name in ("final_loss", "train_acc", "heldout_acc", "wall_s"):
        x, y = getattr(a, name), getattr(b, name)
        assert (math.isnan(x) and math.isnan(y)) or x == y, name
    assert a.errors == b.errors
    assert a.heldout_by_ending == b.heldout_by_ending
    for name in ("before", "after"):
        p, q = getattr(a, name), getattr(b, name)
        assert (p is None) == (q is None)
        if p is not None:
            assert p.letter == q.letter
            np.testing.assert_array_equal(p.column, q.column, strict=True)


def test_write_read_round_trip_exact(tmp_path, pig_runs, plural_run):
    # a result with awkward floats: errors to round-trip and a loss that is not a short decimal
    odd = RunResult(spec=small_plural_spec(epochs=2), losses=np.array([1 / 3, math.pi]), final_loss=2 ** -1074,
                    train_acc=0.1 + 0.2, heldout_acc=169 / 172, wall_s=1e-9,
                    errors=(("BUS", "ES", "S_"), ("CAT", "S_", "ES")),
                    heldout_by_ending=(("-S", 3, 2), ("-TH", 2, 2), ("other", 4, 3)))
    for r in (pig_runs[0]["diagonal"], pig_runs[0]["full"], plural_run, odd):
        path = tmp_path / "runs" / f"{r.run_id}.json"
        write_run(r, path)
        back = read_run(path)
        assert_same_result(back, r)
        first = path.read_bytes()
        write_run(back, path)
        assert path.read_bytes() == first, "the same result gives the same bytes"
    doc = json.loads((tmp_path / "runs" / "pig-diagonal-h3-s0.json").read_text())
    assert doc["run_id"] == "pig-diagonal-h3-s0" and doc["before"]["letter"] == "P" and doc["after"]["letter"] == "S"


def test_read_run_damaged_files_name_the_file(tmp_path, plural_run):
    path = tmp_path / "r.json"
    write_run(plural_run, path)
    text = path.read_text()
    doc = json.loads(text)
    cases = {
        "truncated": (text[: len(text) // 2], "is not valid JSON"),
        "not ours": (json.dumps({"format": "something"}), "not an rnncore training run"),
        "short losses": (json.dumps({**doc, "losses": doc["losses"][:-1]}), "3 losses for 4 epochs"),
        "bad spec": (json.dumps({**doc, "spec": {**doc["spec"], "model": "gru"}}), "unknown model 'gru'"),
        "run id": (json.dumps({**doc, "run_id": "x"}), "does not match its spec"),
        "missing key": (json.dumps({k: v for k, v in doc.items() if k != "wall_s"}), "missing keys ['wall_s']"),
        "null loss": (json.dumps({**doc, "final_loss": None}), "'final_loss' must be a number"),
        "old format": (json.dumps({**doc, "format": "rnncore-training-run/1"}),
                       "training run of format 'rnncore-training-run/1', this rnncore reads 'rnncore-training-run/2'"),
        "no by ending": (json.dumps({k: v for k, v in doc.items() if k != "heldout_by_ending"}),
                         "missing keys ['heldout_by_ending']"),
        "unknown ending": (json.dumps({**doc, "heldout_by_ending": [["-Q", 3, 3]]}),
                           "'heldout_by_ending' must be a list of [ending group"),
        "more right than stems": (json.dumps({**doc, "heldout_by_ending": [["-S", 3, 4]]}),
                                  "'heldout_by_ending' must be a list of [ending group"),
        "out of order": (json.dumps({**doc, "heldout_by_ending": [["-TH", 3, 3], ["-S", 3, 3]]}),
                         "groups ['-TH', '-S'] repeat or are out of order"),
        "disagrees with errors": (json.dumps({**doc, "heldout_by_ending": [[g, n, n] for g, n, _ in
                                                                          doc["heldout_by_ending"]],
                                              "errors": [["BUS", "ES", "S_"]]}),
                                  "'heldout_by_ending' counts 0 wrong held-out stems, 'errors' lists 1"),
    }
    for name, (damaged, message) in cases.items():
        path.write_text(damaged)
        with pytest.raises(ArtifactError, match=re.escape(str(path)) + ".*" + re.escape(message)):
            read_run(path)
    with pytest.raises(ArtifactError, match=re.escape(str(tmp_path / "missing.json"))):
        read_run(tmp_path / "missing.json")


# --------------------------------------------------------------------------- CSV reports


def fake(task, model, hidden, seed, final_loss, train_acc, heldout_acc, wall_s, epochs=2, by_ending=()):
    spec = RunSpec(task, model, hidden, seed, epochs, "adam", 0.01, clip=5.0)
    return RunResult(spec=spec, losses=np.linspace(2.0, 1.0, epochs), final_loss=final_loss, train_acc=train_acc,
                     heldout_acc=heldout_acc, wall_s=wall_s, heldout_by_ending=by_ending)


@pytest.fixture
def hand_made():
    return [
        fake("plural", "lstm", 8, 1, 0.25, 1.0, 0.95, 3.0),
        fake("plural", "full", 8, 2, 0.1, 0.99, 0.9, 1.5),
        fake("plural", "full", 8, 0, 0.3, 0.97, 1.0, 1.25),
        fake("plural", "full", 16, 0, 0.05, 1.0, 0.975, 2.0),
        fake("plural", "full", 8, 1, 0.2, 0.98, 0.95, 1.0),
        fake("pig", "diagonal", 3, 0, 0.8, 1.0, math.nan, 0.05),
    ]


def test_metrics_rows_sorted_and_formatted(hand_made):
    rows = metrics_rows(hand_made)
    assert [(r["task"], r["model"], r["hidden"], r["seed"]) for r in rows] == [
        ("pig", "diagonal", 3, 0), ("plural", "full", 8, 0), ("plural", "full", 8, 1), ("plural", "full", 8, 2),
        ("plural", "full", 16, 0), ("plural", "lstm", 8, 1)]
    assert all(list(r) == METRICS_COLUMNS for r in rows)
    assert rows[0]["heldout_acc"] == "NaN" and rows[0]["final_loss"] == "0.80000000000000004"
    assert rows[3] == {"task": "plural", "model": "full", "hidden": 8, "seed": 2, "epochs": 2,
                       "final_loss": format_float(0.1), "train_acc": format_float(0.99),
                       "heldout_acc": format_float(0.9), "wall_s": format_float(1.5)}
    with pytest.raises(ValueError, match="run plural-full-h8-s0 appears twice"):
        metrics_rows(hand_made + [hand_made[2]])


def test_summary_rows_mean_and_population_std(hand_made):
    rows = summary_rows(hand_made)
    assert [(r["task"], r["model"], r["hidden"], r["n_seeds"]) for r in rows] == [
        ("pig", "diagonal", 3, 1), ("plural", "full", 8, 3), ("plural", "full", 16, 1), ("plural", "lstm", 8, 1)]
    assert all(list(r) == SUMMARY_COLUMNS for r in rows)
    full8 = rows[1]
    # seeds 0, 1, 2 of plural-full-h8 (the order of the results must not matter: sorted by seed first)
    values = {"final_loss": [0.3, 0.2, 0.1], "train_acc": [0.97, 0.98, 0.99], "heldout_acc": [1.0, 0.95, 0.9]}
    for name, v in values.items():
        # The same numbers in the same order through the same numpy calls: equal text, not just close.
        assert full8[f"{name}_mean"] == format_float(np.mean(v))
        assert full8[f"{name}_std"] == format_float(np.std(v, ddof=0))
        # and what the strings say, against the definition (rounding of mean/std only: 4 eps relative)
        np.testing.assert_allclose(float(full8[f"{name}_std"]), math.sqrt(sum((x - sum(v) / 3) ** 2 for x in v) / 3),
                                   rtol=4 * EPS, atol=0, strict=True)
    assert full8["wall_s_mean"] == format_float(np.mean([1.25, 1.0, 1.5]))
    assert rows[0]["heldout_acc_mean"] == "NaN" and rows[0]["heldout_acc_std"] == "NaN"
    assert rows[2]["final_loss_std"] == "0", "one seed: population std is 0 (ddof=1 would be NaN)"
    with pytest.raises(ValueError, match="differ in more than their seed"):
        summary_rows(hand_made + [fake("plural", "full", 8, 3, 0.1, 1.0, 1.0, 1.0, epochs=3)])


def test_pig_rows(pig_runs, plural_run):
    rows = pig_rows([pig_runs[0]["full"], plural_run, pig_runs[0]["diagonal"]])
    assert [r["model"] for r in rows] == ["diagonal", "full"]
    assert all(list(r) == PIG_COLUMNS for r in rows)
    r = pig_runs[0]["diagonal"]
    assert rows[0]["prediction_before"] == "P" and rows[0]["prediction_after"] == "S"
    assert rows[0]["p_P_before"] == format_float(r.before.column[0, 0])
    assert rows[0]["p_S_after"] == format_float(r.after.column[3, 0])


def test_write_csv_byte_identical_and_readable(tmp_path, hand_made, pig_runs):
    a, b = tmp_path / "a" / "metrics.csv", tmp_path / "b.csv"
    rows = metrics_rows(hand_made)
    write_csv(a, rows, METRICS_COLUMNS)
    write_csv(b, metrics_rows(list(reversed(hand_made))), METRICS_COLUMNS)
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    assert data.splitlines()[0] == b"task,model,hidden,seed,epochs,final_loss,train_acc,heldout_acc,wall_s"
    with open(a, newline="") as fh:
        back = list(csv.DictReader(fh))
    assert back == [{k: str(v) for k, v in r.items()} for r in rows]
    for r in back:  # %.17g reads back to the same double
        assert float(r["wall_s"]) == next(h.wall_s for h in hand_made if h.run_id == f"{r['task']}-{r['model']}-"
                                                                                   f"h{r['hidden']}-s{r['seed']}")
    write_csv(a, summary_rows(hand_made), SUMMARY_COLUMNS)
    first = a.read_bytes()
    write_csv(a, summary_rows(hand_made), SUMMARY_COLUMNS)
    assert a.read_bytes() == first
    pig = pig_rows(pig_runs[0].values())
    write_csv(a, pig, PIG_COLUMNS)
    first = a.read_bytes()
    write_csv(a, pig, PIG_COLUMNS)
    assert a.read_bytes() == first
    with pytest.raises(ValueError, match=r"row 1: columns differ \(extra \[\], missing \['wall_s'\]\)"):
        write_csv(a, [{k: v for k, v in rows[0].items() if k != "wall_s"}], METRICS_COLUMNS)


def test_pig_prediction_type_is_the_tasks_one(pig_runs):
    assert isinstance(pig_runs[0]["diagonal"].after, PigPrediction)


def test_heldout_by_ending_rows_mean_spread_and_wrong_counts(tmp_path):
    runs = [
        fake("plural", "full", 8, 1, 0.1, 1.0, 0.9, 1.0, by_ending=(("-S", 4, 4), ("-TH", 5, 3), ("other", 10, 10))),
        fake("plural", "full", 8, 0, 0.1, 1.0, 0.9, 1.0, by_ending=(("-S", 4, 3), ("-TH", 5, 5), ("other", 10, 10))),
        fake("plural", "full", 8, 2, 0.1, 1.0, 0.9, 1.0, by_ending=(("-S", 4, 4), ("-TH", 5, 4), ("other", 10, 10))),
        fake("plural", "lstm", 8, 0, 0.1, 1.0, 0.9, 1.0, by_ending=(("-TH", 5, 0),)),
        fake("pig", "diagonal", 3, 0, 0.8, 1.0, math.nan, 0.05),  # pig runs are skipped
    ]
    rows = heldout_by_ending_rows(runs)
    assert all(list(r) == HELDOUT_BY_ENDING_COLUMNS for r in rows)
    assert [(r["model"], r["ending"], r["n_heldout"], r["n_seeds"], r["n_wrong"]) for r in rows] == [
        ("full", "-S", 4, 3, 1), ("full", "-TH", 5, 3, 3), ("full", "other", 10, 3, 0), ("lstm", "-TH", 5, 1, 5)]
    th = rows[1]  # seeds 0, 1, 2 got 5, 3 and 4 of the 5 -TH stems right
    assert th["acc_mean"] == format_float(np.mean([1.0, 0.6, 0.8]))
    assert th["acc_std"] == format_float(np.std([1.0, 0.6, 0.8], ddof=0))
    # the definition, not numpy: mean 0.8, population std sqrt(0.08/3); rounding of a few ops only
    np.testing.assert_allclose(float(th["acc_mean"]), 0.8, rtol=4 * EPS, atol=0, strict=True)
    np.testing.assert_allclose(float(th["acc_std"]), math.sqrt(0.08 / 3), rtol=4 * EPS, atol=0, strict=True)
    assert (th["acc_min"], th["acc_max"]) == ("0.59999999999999998", "1")
    assert rows[3]["acc_mean"] == "0" and rows[3]["acc_std"] == "0"
    write_csv(tmp_path / "by_ending.csv", rows, HELDOUT_BY_ENDING_COLUMNS)
    assert (tmp_path / "by_ending.csv").read_text().splitlines()[0] == ",".join(HELDOUT_BY_ENDING_COLUMNS)
    # seeds that held out different stems were trained on different lists: refuse to average them
    with pytest.raises(ValueError, match=r"runs of plural-full-h8 hold out different numbers of -S stems"):
        heldout_by_ending_rows(runs[:2] + [fake("plural", "full", 8, 2, 0.1, 1.0, 0.9, 1.0,
                                                by_ending=(("-S", 5, 5), ("-TH", 5, 4), ("other", 10, 10)))])
    with pytest.raises(ValueError, match=r"plural run plural-full-h8-s3 has no held-out accuracy per ending"):
        heldout_by_ending_rows(runs[:3] + [fake("plural", "full", 8, 3, 0.1, 1.0, 0.9, 1.0)])


# Found on main, tried as a new user: every trained model got every short -TH stem wrong (MOTH, PATH,
# BATH, MONTH: the list's only H-final stems ended in CH or SH), and, once the list covered the other
# endings, stems ending in a vowel + S (CANVAS, MADRAS, DAIS) were mistaken for a vowel-final stem
# followed by the suffix S, until the encoding marked the stem's end. Every plural run of the default
# grid, as configured (9 runs, ~40 s on one core, most of it the LSTM), must reach 98% on the held-out
# stems of every ending group. Groups hold 5 to 35 stems, so 98% means none wrong: the bound is that
# of the issue, not tuned to the groups' sizes.
HELDOUT_FLOOR = 0.98


@pytest.fixture(scope="module")
def default_plural_runs(root):
    import yaml

    blocks = yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))["training"]
    specs = [s for s in expand_grid(blocks) if s.task == "plural"]
    assert {s.model for s in specs} == {"diagonal", "full", "lstm"}
    return [train_run(s) for s in specs]


# The shipped configuration's training stage at full size (minutes on a loaded machine): an end-to-end
# check like the workflow's, so in the workflow tier, out of the fast one (-m "not octave and not workflow").
@pytest.mark.workflow
def test_default_grid_gets_every_ending_group_right(default_plural_runs):
    for r in default_plural_runs:
        by_ending = {g: (n, right) for g, n, right in r.heldout_by_ending}
        assert list(by_ending) == list(ENDING_GROUPS), r.run_id
        for g, (n, right) in by_ending.items():
            assert n >= 5, (r.run_id, g, n)
            assert right / n >= HELDOUT_FLOOR, (r.run_id, g, n, right, r.errors)
        assert r.train_acc == 1.0, (r.run_id, r.train_acc)
