"""The models compute today the very bits the plain per-step loops computed (reference_loops.py).

Not a tolerance: every state, output, loss, gradient and hidden-state gradient must be the same
float64 bit pattern (so ``-0.0`` differs from ``0.0`` here, and NaN payloads would count), because
the workflow's results, audited against Octave, must not move when the code is made faster. The
cases cover the course's shapes (B = 1 and the plural task's B = 525, T = 10, 28 symbols), both
Elman recurrences, H = 1 (where diagonal and full coincide), batches below and above numpy's
pairwise-summation block of 8, fully masked steps and given initial states.
"""

import numpy as np
import pytest

import reference_loops as ref
from rnncore.course.tasks import plural_task
from rnncore.models import elman, factory, lstm


def assert_same_bits(actual, expected, what):
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype == np.float64, (what, actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    a = np.ascontiguousarray(actual).view(np.uint64)
    e = np.ascontiguousarray(expected).view(np.uint64)
    n = int(np.count_nonzero(a != e))
    assert n == 0, f"{what}: {n} of {a.size} entries differ in their bits"


def _norms(dhs):
    """The vanishing-gradient study's norms as they were computed: on a C-ordered (H, B, T) array
    (numpy's reduction order, and so its rounding, follows the memory layout)."""
    dhs = np.ascontiguousarray(dhs)
    return np.sqrt(np.sum(dhs * dhs, axis=(0, 1)))


def _data(rng, I, O, B, T):
    x = elman.one_hot(rng.integers(0, I, (B, T)), I)
    targets = rng.integers(0, O, (B, T))
    mask = (rng.random((B, T)) > 0.3).astype(np.float64)
    mask[:, min(1, T - 1)] = 0.0  # one step masked for every sample: its dy has -0.0 entries
    return x, targets, mask


CASES = [(H, B, T) for H in (1, 3, 16) for B in (1, 3, 9, 40) for T in (1, 5)]


def _check_elman(p, x, targets, mask, h0):
    loss, grads, cache = elman.loss_and_grads(p, x, targets, mask, h0)
    fw = ref.elman_forward(*p.arrays(), x, h0)
    rg, rdh = ref.elman_backward(*p.arrays(), x, fw["hs"], fw["ps"], targets, mask)
    for k in ("hs", "ys", "ps", "logps"):
        assert_same_bits(getattr(cache, k), fw[k], k)
    assert_same_bits(loss, ref.nll_loss(fw["logps"], targets, mask), "loss")
    for k in elman.PARAM_NAMES:
        assert_same_bits(getattr(grads, k), rg[k], "g_" + k)
    assert_same_bits(elman.hidden_grads(p, x, targets, mask, h0), rdh, "dhs")
    assert_same_bits(elman.hidden_grad_norms(p, x, targets, mask, h0), _norms(rdh), "norms")
    assert_same_bits(elman.predict(p, x, h0), fw["ps"], "predict")


def _check_lstm(p, x, targets, mask, h0, c0):
    loss, grads, cache = lstm.loss_and_grads(p, x, targets, mask, h0, c0)
    fw = ref.lstm_forward(*p.arrays(), x, h0, c0)
    rg, rdh = ref.lstm_backward(*p.arrays(), x, fw, targets, mask)
    for k in ("i", "f", "g", "o", "cs", "tanh_cs", "hs", "ys", "ps", "logps"):
        assert_same_bits(getattr(cache, k), fw[k], k)
    assert_same_bits(loss, ref.nll_loss(fw["logps"], targets, mask), "loss")
    for k in lstm.PARAM_NAMES:
        assert_same_bits(getattr(grads, k), rg[k], "g_" + k)
    assert_same_bits(lstm.hidden_grads(p, x, targets, mask, h0, c0), rdh, "dhs")
    assert_same_bits(lstm.hidden_grad_norms(p, x, targets, mask, h0, c0), _norms(rdh), "norms")


@pytest.mark.parametrize(("H", "B", "T"), CASES)
@pytest.mark.parametrize("recurrence", ["diagonal", "full"])
def test_elman_is_bit_identical_to_the_step_loop(recurrence, H, B, T):
    rng = np.random.default_rng([H, B, T])
    x, targets, mask = _data(rng, 5, 6, B, T)
    p = elman.init_params(rng, 5, H, 6, recurrence, scale=0.7)  # biases drawn: a generic point
    h0 = rng.normal(size=(H, B)) if B % 3 == 0 else None
    _check_elman(p, x, targets, mask, h0)


@pytest.mark.parametrize(("H", "B", "T"), CASES)
def test_lstm_is_bit_identical_to_the_step_loop(H, B, T):
    rng = np.random.default_rng([H, B, T, 1])
    x, targets, mask = _data(rng, 5, 6, B, T)
    p = lstm.init_params(rng, 5, H, 6, scale=0.7)
    p = lstm.LSTMParams(p.W, p.R, rng.normal(size=p.b.shape), p.why, rng.normal(size=p.by.shape))
    h0 = rng.normal(size=(H, 1)) if B % 3 == 0 else None
    c0 = rng.normal(size=(H, B)) if B % 3 == 0 else None
    _check_lstm(p, x, targets, mask, h0, c0)


@pytest.mark.parametrize(("I", "O"), [(1, 6), (5, 1), (1, 1)])
@pytest.mark.parametrize("H", [1, 4])
@pytest.mark.parametrize("model", ["diagonal", "full", "lstm"])
def test_one_input_or_one_output_is_bit_identical(model, H, I, O):
    """A dimension of 1 makes numpy's matmul see a vector and choose its routine by strides."""
    rng = np.random.default_rng([H, I, O])
    x, targets, mask = _data(rng, I, O, 12, 4)
    p = factory.init_params(model, rng, I, H, O, scale=0.7)
    if model == "lstm":
        _check_lstm(p, x, targets, mask, None, None)
    else:
        _check_elman(p, x, targets, mask, None)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("H", [3, 8, 16, 32, 64])
@pytest.mark.parametrize("model", ["diagonal", "full", "lstm"])
def test_plural_task_is_bit_identical(model, H, order):
    """The benchmark's and the training grid's data: B = 525 nouns, T = 10, 28 symbols, at the
    workflow's H = 8 too. ``order="F"``: the inputs laid out column-major, as an array that came
    back from Octave is; numpy's matmul picks its BLAS routine (and so its rounding) by the
    operands' layout, so the products must see the layout the step loop saw."""
    data = plural_task("train")
    n = data.x.shape[0]  # the alphabet's size
    p = factory.init_params(model, np.random.default_rng(H), n, H, n, scale=0.3)
    x, targets, mask = np.asarray(data.x, order=order), np.asarray(data.targets), np.asarray(data.mask)
    if model == "lstm":
        _check_lstm(p, x, targets, mask, None, None)
    else:
        _check_elman(p, x, targets, mask, None)


def test_saturated_and_extreme_values_keep_their_bits():
    """Huge weights: sigmoid at 0 and 1 exactly, tanh at +-1, probabilities that underflow to 0."""
    rng = np.random.default_rng(3)
    x, targets, mask = _data(rng, 4, 5, 6, 4)
    p = lstm.init_params(rng, 4, 3, 5, scale=400.0)
    _check_lstm(p, x, targets, mask, None, None)
    _check_elman(elman.init_params(rng, 4, 3, 5, "full", scale=400.0), x, targets, mask, None)


@pytest.mark.parametrize("model", ["diagonal", "full", "lstm"])
def test_reusing_the_previous_cache_changes_no_bit(model):
    """A training loop that hands each pass the previous cache (``reuse``) computes what fresh
    passes compute; a pass on other shapes through the same cache gets arrays of its own shape."""
    from rnncore.models.optim import sgd_step

    rng = np.random.default_rng(11)
    x, targets, mask = _data(rng, 5, 6, 9, 4)
    p = q = factory.init_params(model, rng, 5, 7, 6, scale=0.7)
    cache = None
    for epoch in range(3):
        loss_a, grads_a, fresh = factory.loss_and_grads(p, x, targets, mask)
        loss_b, grads_b, cache = factory.loss_and_grads(q, x, targets, mask, reuse=cache)
        assert_same_bits(loss_b, loss_a, f"loss, epoch {epoch}")
        for name, a, b in zip(p.names(), grads_a.arrays(), grads_b.arrays()):
            assert_same_bits(b, a, f"g_{name}, epoch {epoch}")
        for name in ("hs", "ps", "logps", "ys"):
            assert_same_bits(getattr(cache, name), getattr(fresh, name), f"{name}, epoch {epoch}")
        p, q = sgd_step(p, grads_a, 0.5), sgd_step(q, grads_b, 0.5)
    x2, targets2, mask2 = _data(rng, 5, 6, 4, 6)  # other B and T through the same workspace
    loss_c, grads_c, _ = factory.loss_and_grads(p, x2, targets2, mask2, reuse=cache)
    loss_d, grads_d, _ = factory.loss_and_grads(p, x2, targets2, mask2)
    assert_same_bits(loss_c, loss_d, "loss, new shapes")
    for a, b in zip(grads_c.arrays(), grads_d.arrays()):
        assert_same_bits(a, b, "grads, new shapes")
