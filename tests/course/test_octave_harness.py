"""The harness of the Octave references (rnncore.course.octave_harness): the workspaces the Elman and LSTM
cases push, and what their Python sides read back. No Octave needed: the runs are in test_*_octave.py."""

import numpy as np
import pytest

from rnncore.course import octave_lstm, octave_train
from rnncore.course.octave_harness import matlab_targets, python_targets, task_batch


@pytest.mark.parametrize("make", [octave_train.sgd_case_inputs, octave_lstm.lstm_case_inputs])
def test_an_unknown_task_is_refused_by_every_reference(make):
    with pytest.raises(ValueError, match="task must be one of 'pig', 'plural', got 'plurals'"):
        make(task="plurals")


def test_targets_go_to_matlab_one_based_and_come_back():
    t = np.array([[0, 3, 1], [2, 0, 0]])
    m = matlab_targets(t)
    assert m.dtype == np.float64 and m.tolist() == [[1.0, 4.0, 2.0], [3.0, 1.0, 1.0]]
    back = python_targets(m)
    assert back.dtype == np.int64 and np.array_equal(back, t)


def test_the_elman_workspace_names_its_starting_weights_and_reads_back():
    ws = octave_train.sgd_case_inputs(task="pig", recurrence="diagonal", epochs=3, lr=0.25)
    x, targets, mask = task_batch("pig")
    assert sorted(ws) == sorted(["whx0", "whh0", "bias0", "why0", "by0", "X", "TGT", "MASK", "lr", "epochs"])
    assert np.array_equal(ws["X"], x) and np.array_equal(ws["TGT"], targets + 1) and np.array_equal(ws["MASK"], mask)
    assert (ws["lr"].tolist(), ws["epochs"].tolist()) == ([[0.25]], [[3.0]])
    assert octave_train.REFERENCE.params(ws).keys() == set(octave_train.PARAM_NAMES)
    # the Python side trains from exactly those weights: its first loss is the loss at them
    out = octave_train.train_sgd_case(ws)
    assert out["losses"].shape == (1, 3) and np.isfinite(out["losses"]).all()


def test_the_lstm_workspace_keeps_the_first_samples_and_reads_back():
    ws = octave_lstm.lstm_case_inputs(task="plural", hidden=2, seed=1, samples=4)
    x, targets, mask = task_batch("plural", samples=4)
    assert ws["X"].shape[1] == 4 and np.array_equal(ws["X"], x) and np.array_equal(ws["TGT"], targets + 1)
    assert ws["H0"].shape == ws["C0"].shape == (2, 4) and not ws["H0"].any()
    out = octave_lstm.lstm_case(ws)
    assert set(out) == set(octave_lstm.RESULT_NAMES) and out["loss"].shape == (1, 1)
