"""The trainable LSTM (rnncore.models.lstm): parameters, forward pass, BPTT, hidden-state gradients, PyTorch mapping.

No Octave here: gradients are checked against central finite differences, the forward pass against
a plain per-sample, per-step loop written below, and (when torch is installed) against
torch.nn.LSTM. Octave parity is in test_lstm_octave.py.
"""

import math

import numpy as np
import pytest

from rnncore.models import elman
from rnncore.models.lstm import (
    GATES,
    PARAM_NAMES,
    LSTMParams,
    forward,
    from_pytorch,
    gate_rows,
    hidden_grad_norms,
    hidden_grads,
    init_params,
    loss_and_grads,
    one_hot,
    predict,
    predict_classes,
    sigmoid,
    to_pytorch,
)
from rnncore.models.optim import adam_init, adam_step, sgd_step
from hidden_grad_check import numerical_hidden_grads, relative_error

EPS = np.finfo(np.float64).eps


def random_problem(seed, H=3, I=4, O=4, B=2, T=5, scale=0.5):
    """A random LSTM with random biases (a generic point) and a one-hot batch with a partial mask."""
    rng = np.random.default_rng(seed)
    p = init_params(rng, I, H, O, scale=scale)
    p = LSTMParams(p.W, p.R, rng.normal(0.0, scale, (4 * H, 1)), p.why, rng.normal(0.0, scale, (O, 1)))
    x = one_hot(rng.integers(0, I, (B, T)), I)
    targets = rng.integers(0, O, (B, T))
    mask = np.ones((B, T))
    mask[0, 3:] = 0.0  # sample 0 is padded after three steps
    if B > 1:
        mask[1, 0] = 0.0  # sample 1's first step does not count, yet its state flows on
    return p, x, targets, mask


# --------------------------------------------------------------------------- params


def test_params_validate_shapes_and_round_trip():
    p = init_params(np.random.default_rng(0), 4, 3, 5)
    assert (p.n_in, p.n_hidden, p.n_out) == (4, 3, 5)
    assert [a.shape for a in p.arrays()] == [(12, 4), (12, 3), (12, 1), (5, 3), (5, 1)]
    q = LSTMParams.from_dict(p.as_dict("g_"), prefix="g_")
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(getattr(q, name), getattr(p, name), strict=True)
    with pytest.raises(ValueError, match="b must have shape"):
        LSTMParams(p.W, p.R, p.b.ravel(), p.why, p.by)  # a 1-D bias would broadcast wrongly
    with pytest.raises(ValueError, match="4H rows"):
        LSTMParams(p.W[:11], p.R[:11], p.b[:11], p.why, p.by)
    with pytest.raises(ValueError, match="R must have shape"):
        LSTMParams(p.W, p.R.T, p.b, p.why, p.by)
    with pytest.raises(ValueError, match="why must have shape"):
        LSTMParams(p.W, p.R, p.b, p.why.T, p.by)


def test_gate_blocks_are_i_f_g_o():
    H = 3
    assert GATES == ("i", "f", "g", "o")
    assert [gate_rows(k, H) for k in GATES] == [slice(0, 3), slice(3, 6), slice(6, 9), slice(9, 12)]
    p = init_params(np.random.default_rng(1), 4, H, 4)
    np.testing.assert_array_equal(p.gate("W", "g"), p.W[6:9], strict=True)


@pytest.mark.parametrize("forget_bias", [1.0, 0.0, 2.5, -1.0])
def test_forget_bias_sets_exactly_the_f_block(forget_bias):
    H = 5
    p = init_params(np.random.default_rng(3), 4, H, 6, forget_bias=forget_bias)
    ref = init_params(np.random.default_rng(3), 4, H, 6, forget_bias=0.0)
    expected = np.zeros((4 * H, 1))
    expected[H : 2 * H] = forget_bias  # rows H+1..2H in MATLAB: the forget gate's
    np.testing.assert_array_equal(p.b, expected, strict=True)
    np.testing.assert_array_equal(p.gate("b", "f"), np.full((H, 1), forget_bias), strict=True)
    for k in ("i", "g", "o"):
        assert not np.any(p.gate("b", k)), k
    # The value changes nothing else: the same draws for W, R, why whatever the forget bias.
    for name in ("W", "R", "why", "by"):
        np.testing.assert_array_equal(getattr(p, name), getattr(ref, name), strict=True)
    assert not np.any(p.by)
    # Default is 1.0, MATLAB's 'unit-forget-gate'.
    d = init_params(np.random.default_rng(3), 4, H, 6)
    np.testing.assert_array_equal(d.gate("b", "f"), np.ones((H, 1)), strict=True)


def test_init_params_is_seeded_and_scaled():
    a = init_params(np.random.default_rng(7), 4, 50, 4, scale=0.2)
    b = init_params(np.random.default_rng(7), 4, 50, 4, scale=0.2)
    for x, y in zip(a.arrays(), b.arrays()):
        np.testing.assert_array_equal(x, y, strict=True)
    assert 0.17 < a.R.std() < 0.23  # 10000 draws of normal(0, 0.2^2)


def test_sigmoid_saturates_without_warnings():
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(all="raise"):
        s = sigmoid(z)
    assert s[0] == 0.0 and s[2] == 0.5 and s[4] == 1.0
    assert 0 < s[1] < 1e-17


# --------------------------------------------------------------------------- forward


def loop_forward(p: LSTMParams, x, h0, c0):
    """The textbook equations, one sample and one step at a time, scalar arithmetic (math.exp/tanh).

    Independent of rnncore.models.lstm: no matmul, no gate slicing helper, plain Python sums.
    Returns gates i, f, g, o (H, B, T), cs and hs (H, B, T+1), ps (O, B, T).
    """
    I, B, T = x.shape
    H, O = p.R.shape[1], p.why.shape[0]
    out = {k: np.zeros((H, B, T)) for k in "ifgo"}
    cs = np.zeros((H, B, T + 1))
    hs = np.zeros((H, B, T + 1))
    ps = np.zeros((O, B, T))

    def sig(z):
        return 1.0 / (1.0 + math.exp(-z))

    for b in range(B):
        h = [float(v) for v in h0[:, b]]
        c = [float(v) for v in c0[:, b]]
        cs[:, b, 0], hs[:, b, 0] = c, h
        for t in range(T):
            a = [sum(p.W[r, k] * x[k, b, t] for k in range(I)) + sum(p.R[r, k] * h[k] for k in range(H)) + p.b[r, 0]
                 for r in range(4 * H)]
            i = [sig(a[u]) for u in range(H)]
            f = [sig(a[H + u]) for u in range(H)]
            g = [math.tanh(a[2 * H + u]) for u in range(H)]
            o = [sig(a[3 * H + u]) for u in range(H)]
            c = [f[u] * c[u] + i[u] * g[u] for u in range(H)]
            h = [o[u] * math.tanh(c[u]) for u in range(H)]
            y = [sum(p.why[q, u] * h[u] for u in range(H)) + p.by[q, 0] for q in range(O)]
            m = max(y)
            e = [math.exp(v - m) for v in y]
            s = sum(e)
            for k, v in zip("ifgo", (i, f, g, o)):
                out[k][:, b, t] = v
            cs[:, b, t + 1], hs[:, b, t + 1] = c, h
            ps[:, b, t] = [v / s for v in e]
    return out, cs, hs, ps


@pytest.mark.parametrize("seed", range(5))
def test_forward_matches_a_per_sample_per_step_loop(seed):
    """Vectorised forward against the scalar loop above.

    Tolerance: atol = 16 eps (3.6e-15) on values of size <= 1 (gates, probabilities, h) or a few
    (c). The two differ only by rounding: BLAS dot products (fused multiply-add) against plain
    Python sums, numpy's SIMD tanh against glibc's math.tanh (<= 3 ULP apart), compounding over
    T = 5 steps; measured <= 1.25 eps (2.8e-16) over these five seeds, so 16 eps leaves a 12x
    margin. A wrong gate order, a missing term or a transposed weight changes values by ~0.1,
    fourteen orders above the tolerance.
    """
    p, x, _, _ = random_problem(seed, H=3, I=4, O=4, B=2, T=5, scale=0.8)
    rng = np.random.default_rng(100 + seed)
    h0, c0 = rng.uniform(-0.9, 0.9, (3, 2)), rng.normal(0.0, 1.0, (3, 2))
    cache = forward(p, x, h0, c0)
    gates, cs, hs, ps = loop_forward(p, x, h0, c0)
    for k in GATES:
        np.testing.assert_allclose(getattr(cache, k), gates[k], rtol=0, atol=16 * EPS, strict=True, err_msg=k)
    np.testing.assert_allclose(cache.cs, cs, rtol=0, atol=16 * EPS, strict=True)
    np.testing.assert_allclose(cache.hs, hs, rtol=0, atol=16 * EPS, strict=True)
    np.testing.assert_allclose(cache.ps, ps, rtol=0, atol=16 * EPS, strict=True)
    np.testing.assert_array_equal(cache.tanh_cs, np.tanh(cache.cs[:, :, 1:]), strict=True)
    assert cache.c is cache.cs and cache.h is cache.hs
    # h = o .* tanh(c) exactly as cached
    np.testing.assert_array_equal(cache.hs[:, :, 1:], cache.o * cache.tanh_cs, strict=True)


def test_initial_state_shapes_and_defaults():
    p, x, _, _ = random_problem(4, B=3)
    zero = forward(p, x)
    assert zero.cs.shape == zero.hs.shape == (3, 3, 6)
    assert zero.i.shape == (3, 3, 5) and zero.ps.shape == (4, 3, 5)
    assert not np.any(zero.hs[:, :, 0]) and not np.any(zero.cs[:, :, 0])
    shared = np.array([[0.1], [-0.2], [0.3]])
    a = forward(p, x, h0=shared, c0=shared)
    b = forward(p, x, h0=np.repeat(shared, 3, axis=1), c0=np.repeat(shared, 3, axis=1))
    np.testing.assert_array_equal(a.hs, b.hs, strict=True)
    with pytest.raises(ValueError, match="h0 must be"):
        forward(p, x, h0=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="x must be"):
        forward(p, x[:3])


def test_batch_columns_are_independent_sequences():
    p, x, _, _ = random_problem(3, H=4, B=3, T=6)
    ps = predict(p, x)
    for b in range(3):
        alone = predict(p, x[:, b : b + 1, :])
        # One column alone may take other BLAS kernels than three together: a few ULP, not more.
        np.testing.assert_allclose(alone[:, 0, :], ps[:, b, :], rtol=16 * EPS, atol=0, strict=True)
    assert predict_classes(p, x).shape == (3, 6)


def test_loss_is_masked_mean_over_batch_sum_over_time():
    p, x, targets, mask = random_problem(1)
    loss, _, cache = loss_and_grads(p, x, targets, mask)
    B, T = targets.shape
    nll = -np.log(cache.ps[targets, np.arange(B)[:, None], np.arange(T)[None, :]])  # (B, T)
    np.testing.assert_allclose(loss, (mask * nll).sum() / B, rtol=16 * EPS, atol=0, strict=True)


def test_masked_steps_ignore_their_targets():
    p, x, targets, mask = random_problem(2)
    other = targets.copy()
    other[mask == 0] = (targets[mask == 0] + 1) % 4
    la, ga, _ = loss_and_grads(p, x, targets, mask)
    lb, gb, _ = loss_and_grads(p, x, other, mask)
    assert la == lb
    for a, b in zip(ga.arrays(), gb.arrays()):
        np.testing.assert_array_equal(a, b, strict=True)


# --------------------------------------------------------------------------- gradients


STEP = 1e-5


def numerical_grads(p, x, targets, mask, h0=None, c0=None, step=STEP):
    """Central differences (L(w+h) - L(w-h)) / 2h, one weight at a time."""
    out = {}
    for name in PARAM_NAMES:
        w = getattr(p, name)
        g = np.zeros_like(w)
        for idx in np.ndindex(w.shape):
            def loss_at(delta):
                moved = w.copy()
                moved[idx] += delta
                return loss_and_grads(LSTMParams(**{**p.as_dict(), name: moved}), x, targets, mask, h0, c0)[0]

            g[idx] = (loss_at(step) - loss_at(-step)) / (2 * step)
        out[name] = g
    return out


@pytest.mark.parametrize(("seed", "random_state"), [(0, False), (1, True), (2, False), (3, True)])
def test_bptt_matches_finite_differences(seed, random_state):
    """Every gradient (W, R, b, why, by) against central differences; H=3, I=4, O=4, B=2, T=5, partial mask.

    Step h = 1e-5. Error budget of (L(w+h) - L(w-h)) / 2h: truncation h^2/6 * |L'''| ~ 1e-11
    (L''' = O(1) for these O(1) weights), plus rounding of the two losses eps * |L| / h ~
    2.2e-16 * 7 / 1e-5 ~ 2e-10. h = 1e-5 sits near the optimum (3 eps |L| / |L'''|)^(1/3) ~ 1e-5
    where the two balance. Against gradients of size ~0.01-1 that is a relative error around
    1e-8 to 1e-10 (measured: at most 1.6e-9 over these cases), so 1e-6 keeps two to three orders
    of margin, while a wrong term in BPTT (an error of the gradient's own size) gives ~1e-1.
    The error is relative to the whole array, max|a-n| / max(|a|+|n|): an entry whose true
    gradient is exactly 0 (an input never seen) would make an element-wise ratio meaningless.
    """
    p, x, targets, mask = random_problem(seed)
    h0 = c0 = None
    if random_state:
        rng = np.random.default_rng(50 + seed)
        h0, c0 = rng.uniform(-0.9, 0.9, (3, 2)), rng.normal(0.0, 1.0, (3, 2))
    _, grads, _ = loss_and_grads(p, x, targets, mask, h0, c0)
    numeric = numerical_grads(p, x, targets, mask, h0, c0)
    for name in PARAM_NAMES:
        a, n = getattr(grads, name), numeric[name]
        assert a.shape == getattr(p, name).shape
        rel = relative_error(a, n)
        print(f"d{name}: relative error {rel:.2e}")
        assert rel <= 1e-6, f"d{name}: relative error {rel:.3g}\n{a}\n{n}"
        assert np.any(a != 0), f"d{name} is all zeros: the check would prove nothing"
    for k in GATES:  # every gate block of W, R and b gets a gradient
        assert np.any(grads.gate("R", k) != 0), k


def test_lstm_hidden_grads_match_finite_differences():
    p, x, targets, mask = random_problem(11, T=6)
    dhs = hidden_grads(p, x, targets, mask)
    cache = forward(p, x)

    def loss_fn(x_, t_, m_, h0, c0):
        return loss_and_grads(p, x_, t_, m_, h0, c0)[0]

    numeric = numerical_hidden_grads(loss_fn, p.why, p.by, cache.hs, cache.cs, x, targets, mask)
    assert dhs.shape == (3, 2, 6)
    assert relative_error(dhs, numeric) <= 1e-6, (dhs, numeric)
    norms = hidden_grad_norms(p, x, targets, mask)
    assert norms.shape == (6,)
    np.testing.assert_allclose(norms, np.sqrt((numeric**2).sum(axis=(0, 1))), rtol=1e-6, atol=0, strict=True)
    np.testing.assert_array_equal(norms, np.linalg.norm(dhs.reshape(-1, 6), axis=0), strict=True)


def test_vanishing_gradient_study():
    """Only the last step counts: the Elman gradient fades going back in time, the LSTM's does not.

    Same data for both (T = 40, B = 2). The Elman net (full whh, weights ~ N(0, 0.3^2)) multiplies
    d loss / d h by whh.T diag(1 - h^2) per step, norm well below 1. The LSTM with a forget bias of
    3 (sigma(3) ~ 0.95) carries d loss / d c through c = f .* c_prev + ..., a factor ~0.95 per step.
    """
    T, B = 40, 2
    rng = np.random.default_rng(5)
    x = one_hot(rng.integers(0, 4, (B, T)), 4)
    targets = rng.integers(0, 4, (B, T))
    mask = np.zeros((B, T))
    mask[:, -1] = 1.0
    e = elman.hidden_grad_norms(elman.init_params(np.random.default_rng(6), 4, 8, 4, "full", scale=0.3),
                                x, targets, mask)
    lstm_norms = hidden_grad_norms(init_params(np.random.default_rng(6), 4, 8, 4, forget_bias=3.0, scale=0.3),
                                   x, targets, mask)
    print(f"\n||dL/dh_1|| / ||dL/dh_T||: elman {e[0] / e[-1]:.2e}, lstm {lstm_norms[0] / lstm_norms[-1]:.2e}")
    assert e.shape == lstm_norms.shape == (T,)
    assert np.all(e > 0) and np.all(lstm_norms > 0)
    assert e[0] / e[-1] < 1e-10
    assert lstm_norms[0] / lstm_norms[-1] > 1e-3


# --------------------------------------------------------------------------- training


def test_optimisers_accept_lstm_params():
    """rnncore.models.optim works on LSTMParams unchanged: the two models train alike."""
    rng = np.random.default_rng(9)
    p = init_params(rng, 4, 6, 4, scale=0.3)
    # Learn to echo the previous input: target at t is the input at t-1 (sample 0 masked at t = 0).
    seq = rng.integers(0, 4, (4, 8))
    x = one_hot(seq, 4)
    targets = np.roll(seq, 1, axis=1)
    mask = np.ones((4, 8))
    mask[:, 0] = 0.0
    first, g, _ = loss_and_grads(p, x, targets, mask)
    q = sgd_step(p, g, 0.1)
    assert isinstance(q, LSTMParams)
    assert loss_and_grads(q, x, targets, mask)[0] < first
    state = adam_init(p)
    for _ in range(300):
        _, g, _ = loss_and_grads(p, x, targets, mask)
        p, state = adam_step(p, g, state, lr=0.02, clip_norm=5.0)
    assert isinstance(p, LSTMParams) and isinstance(state.m, LSTMParams)
    final = loss_and_grads(p, x, targets, mask)[0]
    assert final < 0.1 * first
    pred = predict_classes(p, x)
    np.testing.assert_array_equal(pred[:, 1:], targets[:, 1:], strict=True)


# --------------------------------------------------------------------------- PyTorch


def test_pytorch_mapping_round_trips_without_torch():
    p, _, _, _ = random_problem(21)
    d = to_pytorch(p)
    assert d["weight_ih_l0"].shape == (12, 4) and d["bias_ih_l0"].shape == (12,)
    half = {**d, "bias_ih_l0": d["bias_ih_l0"] / 2, "bias_hh_l0": d["bias_ih_l0"] / 2}  # only the sum matters
    for state in (d, half):
        q = from_pytorch(state, p.why, p.by)
        for name in PARAM_NAMES:
            np.testing.assert_array_equal(getattr(q, name), getattr(p, name), strict=True)


def test_forward_matches_torch_lstm():
    """torch.nn.LSTM in float64 with the documented mapping gives the same gates' result: h and c per step.

    Tolerance atol = 1e-14 (~45 eps) on h in (-1, 1) and c of size ~1: torch's own vectorised
    sigmoid/tanh and its GEMM differ from numpy's by a few ULP per step; measured <= 2 eps here.
    torch is an optional extra: without it this test skips (the only skip in this file), saying so in the
    summary (-ra); `.ci/run` installs it (torch==2.13.0, the CPU build) and prints whether it is present.
    """
    torch = pytest.importorskip("torch", reason="torch is not installed (pip install torch==2.13.0, the CPU build; "
                                               "the `bench` extra): the mapping to torch.nn.LSTM is not checked")
    p, x, _, _ = random_problem(22, H=5, I=4, O=4, B=3, T=7, scale=0.8)
    rng = np.random.default_rng(23)
    h0, c0 = rng.uniform(-0.9, 0.9, (5, 3)), rng.normal(0.0, 1.0, (5, 3))
    net = torch.nn.LSTM(input_size=4, hidden_size=5, num_layers=1, dtype=torch.float64)
    # PyTorch's two biases: split b unevenly, to show that only their sum is MATLAB's Bias.
    state = to_pytorch(p)
    state["bias_hh_l0"] = rng.normal(0.0, 1.0, 20)
    state["bias_ih_l0"] = p.b[:, 0] - state["bias_hh_l0"]
    net.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    q = from_pytorch(state, p.why, p.by)
    np.testing.assert_allclose(q.b, p.b, rtol=0, atol=4 * EPS, strict=True)
    with torch.no_grad():
        out, (h_n, c_n) = net(torch.from_numpy(x.transpose(2, 1, 0).copy()),  # (T, B, I)
                              (torch.from_numpy(h0.T[None].copy()), torch.from_numpy(c0.T[None].copy())))
    cache = forward(q, x, h0, c0)
    hs_torch = out.numpy().transpose(2, 1, 0)  # (T, B, H) -> (H, B, T)
    print(f"\nmax |h - h_torch| = {np.max(np.abs(cache.hs[:, :, 1:] - hs_torch)) / EPS:.1f} eps")
    np.testing.assert_allclose(cache.hs[:, :, 1:], hs_torch, rtol=0, atol=1e-14, strict=True)
    np.testing.assert_allclose(cache.hs[:, :, -1], h_n.numpy()[0].T, rtol=0, atol=1e-14, strict=True)
    np.testing.assert_allclose(cache.cs[:, :, -1], c_n.numpy()[0].T, rtol=0, atol=1e-14, strict=True)
    # The output layer is nn.Linear(H, O) then softmax, at every step.
    lin = torch.nn.Linear(5, 4, dtype=torch.float64)
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(p.why))
        lin.bias.copy_(torch.from_numpy(p.by[:, 0]))
        ps_torch = torch.softmax(lin(out), dim=-1).numpy().transpose(2, 1, 0)
    np.testing.assert_allclose(cache.ps, ps_torch, rtol=0, atol=1e-14, strict=True)
