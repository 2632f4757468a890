"""The Python port of rnn2.m against the numbers the course slides print (slides 13-16), and the
Elman step's diagonal/full/batch forms.

The slide values are transcribed here as literals (the slide deck is not part of the repository).
MATLAB indices in comments are 1-based; the arrays are indexed 0-based.
"""

import math

import numpy as np
import pytest

from rnncore.models.recurrent import elman_step
from rnncore.course.rnn2 import COURSE_INPUT, COURSE_WEIGHTS, RNN2Weights, rnn2, rnn2_forward

# Slides 14-16 print the arrays in MATLAB's `format short` (4 decimals). A correctly rounded
# 4-decimal printout is at most half a unit of the 4th decimal from the true value.
PRINT_ATOL = 5e-5

SLIDE_HT = np.array([
    [0, 0.6932, 0.9365, 0.9120],
    [0, 0.8996, 0.9491, 0.9307],
    [0, 0.8021, 0.7623, 0.8958],
])
SLIDE_Y_OUT = np.array([
    [0, 1.8003, 1.9061, 1.9898],
    [0, 1.0548, 1.1378, 1.2111],
    [0, 0.8055, 0.9553, 0.9819],
    [0, 1.0417, 1.2742, 1.2651],
])
SLIDE_SOFTMAX_Y_OUT = np.array([
    [0, 0.4324, 0.4198, 0.4332],
    [0, 0.2052, 0.1947, 0.1988],
    [0, 0.1599, 0.1622, 0.1581],
    [0, 0.2025, 0.2232, 0.2099],
])

EPS = np.finfo(np.float64).eps


@pytest.fixture(scope="module")
def out():
    return rnn2()


# --------------------------------------------------------------------------- slide numbers


@pytest.mark.parametrize(
    ("matlab_index", "printed"),
    [
        ((1, 2), 0.6932),  # slide 13, worked by hand
        ((2, 2), 0.8996),  # slide 13, worked by hand
        ((3, 2), 0.8021),  # slide 14, Answer8
        ((1, 3), 0.9365),  # slide 14, Answer8
        ((2, 3), 0.9491),  # slide 14, Answer8
    ],
)
def test_worked_examples(out, matlab_index, printed):
    r, c = matlab_index
    # 4-decimal printout: within half a unit of the 4th decimal.
    np.testing.assert_allclose(out["ht"][r - 1, c - 1], printed, rtol=0, atol=PRINT_ATOL, strict=True)


@pytest.mark.parametrize(
    ("name", "printed"),
    [("ht", SLIDE_HT), ("y_out", SLIDE_Y_OUT), ("softmax_y_out", SLIDE_SOFTMAX_Y_OUT)],
)
def test_full_printout(out, name, printed):
    # 4-decimal printout: within half a unit of the 4th decimal, no relative part.
    np.testing.assert_allclose(out[name], printed, rtol=0, atol=PRINT_ATOL, strict=True)


def test_shapes_and_zero_first_columns(out):
    assert set(out) == {"ht", "y_out", "softmax_y_out"}
    assert out["ht"].shape == (3, 4)
    assert out["y_out"].shape == (4, 4)
    assert out["softmax_y_out"].shape == (4, 4)
    for name in out:
        assert out[name].dtype == np.float64
        # ht(:,1) is the zero initial state; MATLAB grows y_out/softmax_y_out with zeros, so their
        # first column is exactly 0, not softmax of zeros (0.25).
        np.testing.assert_array_equal(out[name][:, 0], np.zeros(out[name].shape[0]), strict=True)


def test_prediction_at_t3_is_P(out):
    # Slide 16: "the last prediction is the P"; rows are P, I, G, S.
    last = out["softmax_y_out"][:, -1]
    assert int(np.argmax(last)) == 0
    assert "PIGS"[int(np.argmax(last))] == "P"


def test_in_S_is_never_fed(out):
    # The loop runs t = 1:length(in)-1 = 1:3, so the 4th column (in_S) never reaches the network.
    for fourth in ([0, 0, 0, 1], [0, 0, 1, 0], [5.0, -3.0, 1e6, np.nan]):
        changed = COURSE_INPUT.copy()
        changed[:, 3] = fourth
        other = rnn2_forward(COURSE_WEIGHTS, changed)
        for name in out:
            np.testing.assert_array_equal(other[name], out[name], strict=True)


def test_course_input_is_not_mutated():
    before = COURSE_INPUT.copy()
    rnn2()
    np.testing.assert_array_equal(COURSE_INPUT, before, strict=True)


# --------------------------------------------------------------------------- elman_step


def _random_step(rng, H=3, I=4, B=1):
    whx = rng.uniform(-1, 1, (H, I))
    whh = rng.uniform(-1, 1, (H, 1))
    bias = rng.uniform(-1, 1, (H, 1))
    h = rng.uniform(-1, 1, (H, B))
    x = rng.uniform(-1, 1, (I, B))
    return whx, whh, bias, h, x


@pytest.mark.parametrize("seed", range(5))
def test_full_diagonal_whh_is_bit_identical(seed):
    # whh @ h with a diagonal matrix adds only exact zeros (0*h_j) to each d_i*h_i, so the result
    # must equal the element-wise whh.*h bit for bit.
    rng = np.random.default_rng(seed)
    whx, whh, bias, h, x = _random_step(rng, B=3)
    diag = elman_step(whx, whh, bias, h, x)
    full = elman_step(whx, np.diag(whh.ravel()), bias, h, x)
    np.testing.assert_array_equal(full, diag, strict=True)


def test_full_diagonal_whh_on_course_network(out):
    w = COURSE_WEIGHTS
    full = RNN2Weights(whx=w.whx, whh=np.diag(w.whh.ravel()), bias=w.bias, why=w.why)
    other = rnn2_forward(full, COURSE_INPUT)
    for name in out:
        np.testing.assert_array_equal(other[name], out[name], strict=True)


@pytest.mark.parametrize("seed", range(5))
def test_batch_equals_single_columns_bit_for_bit_one_hot(seed):
    # With one-hot inputs (the course's, and the benchmark's) every product in whx*x is exact (by 1
    # or 0) and the sums add exact zeros, and the diagonal recurrence is element-wise: a batch of B
    # columns must give B single-column steps bit for bit.
    rng = np.random.default_rng(seed)
    whx, whh, bias, h, _ = _random_step(rng, B=6)
    x = np.eye(4)[:, rng.integers(0, 4, 6)]
    batch = elman_step(whx, whh, bias, h, x)
    assert batch.shape == (3, 6)
    singles = np.hstack([elman_step(whx, whh, bias, h[:, b : b + 1], x[:, b : b + 1]) for b in range(6)])
    np.testing.assert_array_equal(batch, singles, strict=True)


@pytest.mark.parametrize("full", [False, True])
def test_batch_equals_single_columns_dense_inputs(full):
    # Not bit for bit: for dense x, numpy hands whx @ x to BLAS, and OpenBLAS uses gemm for B > 1
    # columns but gemv for one, with different summation order / FMA use (measured: 1-2 ULP of the
    # pre-activation, which cancellation near 0 turns into many ULP of tanh's result). Each
    # pre-activation is a sum of I + 2 terms; any two orders of it differ by at most
    # 2 * gamma_(I+2) * sum(|terms|), gamma_n = n*u/(1-n*u), u = eps/2, and tanh (slope <= 1, each
    # result within 1 ULP <= eps/2 for |tanh| < 1) adds at most eps.
    rng = np.random.default_rng(42)
    whx, whh, bias, h, x = _random_step(rng, B=5)
    if full:
        whh = rng.uniform(-1, 1, (3, 3))
    batch = elman_step(whx, whh, bias, h, x)
    assert batch.shape == (3, 5)
    singles = np.hstack([elman_step(whx, whh, bias, h[:, b : b + 1], x[:, b : b + 1]) for b in range(5)])
    rec = np.abs(whh) @ np.abs(h) if full else np.abs(whh) * np.abs(h)
    n = 4 + (3 if full else 1) + 1
    u = EPS / 2
    bound = 2 * (n * u / (1 - n * u)) * (np.abs(whx) @ np.abs(x) + rec + np.abs(bias)) + EPS
    assert np.all(np.abs(batch - singles) <= bound), np.abs(batch - singles) / bound


@pytest.mark.parametrize("shape", [(3, 2), (1, 3), (3,), (2, 2), (4, 1)])
def test_wrong_whh_shape_raises(shape):
    rng = np.random.default_rng(0)
    whx, _, bias, h, x = _random_step(rng)
    with pytest.raises(ValueError, match=r"whh") as info:
        elman_step(whx, np.ones(shape), bias, h, x)
    assert str(shape) in str(info.value)


def test_first_step_by_hand(out):
    # ht(:,2) = tanh(whx*in_P + whh.*0 + bias). The argument is computed exactly alike here and in
    # the port: whx*[1 0 0 0]' multiplies by exact 1s and 0s and adds exact zeros, whh.*0 is 0, so
    # both form the same double fl(whx(i,1) + bias(i)). Only tanh itself may differ: numpy's
    # (possibly SIMD) tanh and the C library's math.tanh are both faithfully rounded, so for the
    # same argument they agree to within 1 ULP of the result.
    w = COURSE_WEIGHTS
    for i in range(3):
        expected = math.tanh(float(w.whx[i, 0]) + float(w.bias[i, 0]))
        got = float(out["ht"][i, 1])
        assert abs(got - expected) <= np.spacing(expected), (i, got, expected)


# --------------------------------------------------------------------------- other sizes


def test_random_weights_longer_sequence():
    rng = np.random.default_rng(2024)
    weights = RNN2Weights(
        whx=rng.uniform(-1, 1, (3, 4)),
        whh=rng.uniform(-1, 1, (3, 1)),
        bias=rng.uniform(-1, 1, (3, 1)),
        why=rng.uniform(-1, 1, (4, 3)),
    )
    inputs = np.eye(4)[:, rng.integers(0, 4, 6)]  # (4, 6): length(in) = 6, 5 steps fed
    res = rnn2_forward(weights, inputs)
    assert res["ht"].shape == (3, 6)
    assert res["y_out"].shape == (4, 6)
    assert res["softmax_y_out"].shape == (4, 6)
    for name in res:
        np.testing.assert_array_equal(res[name][:, 0], np.zeros(res[name].shape[0]), strict=True)
    sm = res["softmax_y_out"][:, 1:]
    assert np.all(sm > 0)
    # Four terms in (0, 1] each rounded once, then divided: the column sum is 1 within a few ULP.
    np.testing.assert_allclose(sm.sum(axis=0), np.ones(5), rtol=0, atol=4 * EPS, strict=True)
