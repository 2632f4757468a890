"""The trainable Elman RNN (rnncore.models.elman, rnncore.models.optim, rnncore.course.octave_train's Python side).

No Octave here: gradients are checked against central finite differences, the forward pass against
rnn2's, and training against the course's PIG task (slides 13-16). Octave parity is in
test_elman_octave.py.
"""

import math

import numpy as np

from rnncore.course.rnn2 import course_params
import pytest

from rnncore.models.elman import (
    ElmanParams,
    PARAM_NAMES,
    forward,
    hidden_grad_norms,
    hidden_grads,
    init_params,
    log_softmax,
    loss_and_grads,
    one_hot,
    predict,
    predict_classes,
)
from rnncore.course.octave_train import loss_ulp_growth, train_sgd
from rnncore.engine.summary import loss_divergence
from rnncore.models.optim import adam_init, adam_step, clip_by_global_norm, global_norm, sgd_step
from rnncore.engine.parity import Tolerance, compare, ulp_distance
from hidden_grad_check import numerical_hidden_grads, relative_error
from rnncore.course.rnn2 import COURSE_INPUT, rnn2

EPS = np.finfo(np.float64).eps
P, I, G, S = range(4)  # the course's letters, in the order of why's rows


def random_problem(seed, n_hidden, recurrence, B=3, T=4, n_in=4, n_out=4, scale=0.5):
    """A random net and a random one-hot batch whose mask zeros some steps."""
    rng = np.random.default_rng(seed)
    params = init_params(rng, n_in, n_hidden, n_out, recurrence, scale=scale)
    x = one_hot(rng.integers(0, n_in, (B, T)), n_in)
    targets = rng.integers(0, n_out, (B, T))
    mask = np.ones((B, T))
    mask[0, 2:] = 0.0  # sample 0 is padded after two steps
    if B > 1:
        mask[1, 0] = 0.0  # sample 1's first step does not count, yet its state flows on
    return params, x, targets, mask


def pig_task():
    """Slide 16's task: read P, I, G and predict the next letter, I, G, S (one sequence, B = 1)."""
    x = one_hot(np.array([[P, I, G]]), 4)  # (4, 1, 3)
    targets = np.array([[I, G, S]])
    mask = np.ones((1, 3))
    return x, targets, mask


# --------------------------------------------------------------------------- params


def test_params_validate_shapes_and_round_trip():
    p = init_params(np.random.default_rng(0), 4, 3, 5)
    assert p.diagonal and (p.n_in, p.n_hidden, p.n_out) == (4, 3, 5)
    assert [a.shape for a in p.arrays()] == [(3, 4), (3, 1), (3, 1), (5, 3), (5, 1)]
    q = ElmanParams.from_dict(p.as_dict("g_"), prefix="g_")
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(getattr(q, name), getattr(p, name), strict=True)
    assert not init_params(np.random.default_rng(0), 4, 3, 5, "full").diagonal
    with pytest.raises(ValueError, match="bias must have shape"):
        ElmanParams(p.whx, p.whh, p.bias.ravel(), p.why, p.by)  # a 1-D bias would broadcast wrongly
    with pytest.raises(ValueError, match="whh must have shape"):
        ElmanParams(p.whx, np.ones((3, 2)), p.bias, p.why, p.by)


def test_init_params_is_seeded():
    a = init_params(np.random.default_rng(7), 4, 5, 4, "full")
    b = init_params(np.random.default_rng(7), 4, 5, 4, "full")
    for x, y in zip(a.arrays(), b.arrays()):
        np.testing.assert_array_equal(x, y, strict=True)


def test_one_hot_sets_exactly_one_entry_per_sample_and_step():
    x = one_hot(np.array([[2, 0], [1, 2]]), 3)  # (B=2, T=2) -> (3, 2, 2)
    expected = np.zeros((3, 2, 2))
    expected[2, 0, 0] = expected[0, 0, 1] = expected[1, 1, 0] = expected[2, 1, 1] = 1.0
    np.testing.assert_array_equal(x, expected, strict=True)


@pytest.mark.parametrize("bad", [-1, 3, 7])
def test_one_hot_rejects_out_of_range_indices(bad):
    """-1 used to wrap silently to the last class (numpy indexing), 3 raised a bare IndexError."""
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 3\)"):
        one_hot(np.array([[0, bad]]), 3)


def test_one_hot_rejects_non_integer_indices():
    with pytest.raises(ValueError, match="integer"):
        one_hot(np.array([[0.0, 1.5]]), 3)


# --------------------------------------------------------------------------- forward


def test_forward_reproduces_rnn2_bit_for_bit():
    """Same step function, same softmax arithmetic: rnn2's numbers exactly, not approximately."""
    ref = rnn2()
    x = COURSE_INPUT[:, None, :3]  # P, I, G as (I=4, B=1, T=3); rnn2 never feeds the 4th column
    cache = forward(course_params(), x)
    np.testing.assert_array_equal(cache.hs[:, 0, :], ref["ht"], strict=True)  # includes h0 = 0
    np.testing.assert_array_equal(cache.ys[:, 0, :], ref["y_out"][:, 1:], strict=True)
    np.testing.assert_array_equal(cache.ps[:, 0, :], ref["softmax_y_out"][:, 1:], strict=True)


def test_batch_columns_are_independent_sequences():
    params, x, _, _ = random_problem(3, 4, "full", B=3, T=5)
    ps = predict(params, x)
    for b in range(3):
        alone = predict(params, x[:, b : b + 1, :])
        # One column alone takes other BLAS kernels than three together: a few ULP, not more.
        np.testing.assert_allclose(alone[:, 0, :], ps[:, b, :], rtol=8 * EPS, atol=0, strict=True)


def test_log_softmax_is_stable_and_consistent():
    y = np.array([[1000.0, -1000.0, 0.0], [1001.0, -1002.0, 0.0]])  # exp(1000) would overflow
    logp, p = log_softmax(y)
    assert np.all(np.isfinite(logp))
    # Column sums of a softmax are 1 up to rounding of a 2-term sum and one division.
    np.testing.assert_allclose(p.sum(axis=0), np.ones(3), rtol=2 * EPS, atol=0, strict=True)
    # log p and p come from the same shifted logits: exp(log p) = p to a couple of rounding errors.
    np.testing.assert_allclose(np.exp(logp), p, rtol=4 * EPS, atol=0, strict=True)


def test_loss_is_masked_mean_over_batch_sum_over_time():
    params, x, targets, mask = random_problem(1, 4, "diagonal")
    loss, _, cache = loss_and_grads(params, x, targets, mask)
    B, T = targets.shape
    nll = -np.log(cache.ps[targets, np.arange(B)[:, None], np.arange(T)[None, :]])  # (B, T)
    # Independent route (log of p instead of log-softmax, another summation order): a few ULP.
    np.testing.assert_allclose(loss, (mask * nll).sum() / B, rtol=16 * EPS, atol=0, strict=True)


def test_masked_steps_ignore_their_targets():
    params, x, targets, mask = random_problem(2, 4, "full")
    other = targets.copy()
    other[mask == 0] = (targets[mask == 0] + 1) % 4
    la, ga, _ = loss_and_grads(params, x, targets, mask)
    lb, gb, _ = loss_and_grads(params, x, other, mask)
    assert la == lb  # exactly: a masked step contributes 0 * (something finite)
    for a, b in zip(ga.arrays(), gb.arrays()):
        np.testing.assert_array_equal(a, b, strict=True)


# --------------------------------------------------------------------------- gradients


def numerical_grads(params, x, targets, mask, h0, step):
    """Central differences (L(w+h) - L(w-h)) / 2h, one weight at a time."""
    out = {}
    for name in PARAM_NAMES:
        w = getattr(params, name)
        g = np.zeros_like(w)
        for idx in np.ndindex(w.shape):
            def loss_at(delta):
                moved = w.copy()
                moved[idx] += delta
                return loss_and_grads(ElmanParams(**{**params.as_dict(), name: moved}), x, targets, mask, h0)[0]

            g[idx] = (loss_at(step) - loss_at(-step)) / (2 * step)
        out[name] = g
    return out


@pytest.mark.parametrize("recurrence", ["diagonal", "full"])
@pytest.mark.parametrize(("n_hidden", "random_h0"), [(3, False), (4, True), (5, False)])
def test_bptt_matches_finite_differences(recurrence, n_hidden, random_h0):
    """Every gradient of both variants against central differences, with step h = 1e-5.

    Error budget of (L(w+h) - L(w-h)) / 2h: truncation h^2/6 * |L'''| ~ 1e-11 (L''' = O(1) here),
    plus rounding eps * |L| / h ~ 2.2e-16 * 5 / 1e-5 ~ 1e-10. h = 1e-5 sits near the optimum
    (eps^(1/3) ~ 6e-6) where the two balance. Against gradients of size ~0.1-1 that is a relative
    error around 1e-9 to 1e-10 (measured: at most 2.6e-10 over these six cases), so 1e-6 has three
    orders of margin, and a wrong term in BPTT (an error of the gradient's own size) is many orders
    above it. The error is relative to the whole array, max|a-n| / max(|a|+|n|): entries whose true
    gradient is exactly 0 (inputs never seen) would make an element-wise relative error meaningless.
    """
    params, x, targets, mask = random_problem(10 * n_hidden + (recurrence == "full"), n_hidden, recurrence)
    h0 = np.random.default_rng(99).uniform(-0.9, 0.9, (n_hidden, 3)) if random_h0 else None
    _, grads, _ = loss_and_grads(params, x, targets, mask, h0)
    numeric = numerical_grads(params, x, targets, mask, h0, step=1e-5)
    for name in PARAM_NAMES:
        a, n = getattr(grads, name), numeric[name]
        assert a.shape == getattr(params, name).shape
        rel = np.max(np.abs(a - n)) / max(np.max(np.abs(a) + np.abs(n)), 1e-300)
        assert rel <= 1e-6, f"{recurrence} H={n_hidden} d{name}: relative error {rel:.3g}\n{a}\n{n}"
        assert np.any(a != 0), f"d{name} is all zeros: the check would prove nothing"


@pytest.mark.parametrize("recurrence", ["diagonal", "full"])
def test_elman_hidden_grads_match_finite_differences_and_elman_backward(recurrence):
    rng = np.random.default_rng(12)
    p = init_params(rng, 4, 3, 4, recurrence, scale=0.6)
    _, x, targets, mask = random_problem(12, 3, recurrence, B=2, T=6)
    dhs = hidden_grads(p, x, targets, mask)
    cache = forward(p, x)

    def loss_fn(x_, t_, m_, h0):
        return loss_and_grads(p, x_, t_, m_, h0)[0]

    numeric = numerical_hidden_grads(loss_fn, p.why, p.by, cache.hs, None, x, targets, mask)
    assert relative_error(dhs, numeric) <= 1e-6, (dhs, numeric)
    # The recursion is backward's: through tanh, dh_t gives its bias gradient (summed over t, b).
    _, grads, _ = loss_and_grads(p, x, targets, mask)
    dh_raw = (1.0 - cache.hs[:, :, 1:] ** 2) * dhs
    np.testing.assert_allclose(dh_raw.sum(axis=(1, 2))[:, None], grads.bias, rtol=0, atol=1e-15, strict=True)
    norms = hidden_grad_norms(p, x, targets, mask)
    np.testing.assert_array_equal(norms, np.linalg.norm(dhs.reshape(-1, 6), axis=0), strict=True)


@pytest.mark.parametrize("B", [1, 3])
def test_full_whh_equal_to_diag_gives_same_loss_and_gradients(B):
    params, x, targets, mask = random_problem(5, 4, "diagonal", B=B, T=5)
    full = ElmanParams(params.whx, np.diag(params.whh[:, 0]), params.bias, params.why, params.by)
    ld, gd, cd = loss_and_grads(params, x, targets, mask)
    lf, gf, cf = loss_and_grads(full, x, targets, mask)
    # Forward: diag(w) @ h adds exact zeros to w_i*h_i, so every state and the loss agree exactly.
    np.testing.assert_array_equal(cf.hs, cd.hs, strict=True)
    assert lf == ld
    for name in ("whx", "bias", "why", "by"):
        np.testing.assert_array_equal(getattr(gf, name), getattr(gd, name), strict=True)
    dwhh_diag, dwhh_full = gd.whh[:, 0], np.diag(gf.whh)
    if B == 1:
        # One product per entry and step: the matmul and the element-wise product round alike.
        np.testing.assert_array_equal(dwhh_full, dwhh_diag, strict=True)
    else:
        # Over B = 3 samples the full form sums with OpenBLAS's fused multiply-add (one rounding per
        # term) and the diagonal form with separate products (two): a few ULP of the largest term
        # per sum. Measured <= 12 ULP over 20 seeds; 1e-14 absolute is ~45 ULP of these O(0.1) values.
        np.testing.assert_allclose(dwhh_full, dwhh_diag, rtol=0, atol=1e-14, strict=True)
    off_diagonal = gf.whh[~np.eye(4, dtype=bool)]
    assert np.all(off_diagonal != 0), "the full variant has off-diagonal gradients too"


# --------------------------------------------------------------------------- training on PIG


def test_pig_before_training_predicts_p_at_t3():
    x, _, _ = pig_task()
    # Slide 16: with the course's weights the network answers P (0.4332) after reading G.
    assert predict_classes(course_params(), x)[0, 2] == P


def test_sgd_on_pig_learns_s_at_t3():
    x, targets, mask = pig_task()
    out = train_sgd(course_params(), x, targets, mask, lr=0.1, epochs=50)
    losses = out["losses"][0]
    assert out["losses"].shape == (1, 50)
    # Slide 16's probabilities of the wanted letters: -log(0.2052) - log(0.1622) - log(0.2099).
    np.testing.assert_allclose(losses[0], 4.96382, rtol=0, atol=5e-4, strict=True)  # 4-decimal slides
    assert np.all(np.diff(losses) < 0), "full-batch SGD with a small step must go down every epoch"
    assert out["loss_final"][0, 0] < 0.2 * losses[0]
    trained = ElmanParams.from_dict(out)
    assert predict_classes(trained, x)[0, 2] == S
    np.testing.assert_array_equal(predict_classes(trained, x), targets, strict=True)


def test_train_sgd_is_a_loop_of_sgd_steps():
    params, x, targets, mask = random_problem(4, 3, "full")
    out = train_sgd(params, x, targets, mask, lr=0.3, epochs=2)
    p = params
    for e in range(2):
        loss, g, _ = loss_and_grads(p, x, targets, mask)
        assert out["losses"][0, e] == loss
        p = sgd_step(p, g, 0.3)
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(out[name], getattr(p, name), strict=True)
    loss, g, _ = loss_and_grads(p, x, targets, mask)
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(out["g_" + name], getattr(g, name), strict=True)
    assert out["loss_final"].shape == (1, 1) and out["loss_final"][0, 0] == loss


# --------------------------------------------------------------------------- Adam and clipping


def test_clip_by_global_norm_bounds_the_norm():
    """The clipped norm is <= max_norm exactly, and below it by a few ULP at most.

    Scaling by max_norm/norm lands on max_norm only in exact arithmetic; the scaled entries, their
    squares, the sum and the sqrt each round, so the recomputed norm can exceed max_norm by a few
    ULP. clip_by_global_norm nudges the factor down one double at a time until it does not, so the
    bound holds exactly (for global_norm as computed) and the shortfall stays within 16 ULP.
    Measured over 3000 random clips: without the nudge about one in five lands 1-3 ULP above.
    """
    rng = np.random.default_rng(0)
    p = init_params(rng, 4, 5, 4, "full")
    for trial in range(300):
        grads = p.map(lambda w: rng.normal(0.0, 10.0 ** rng.uniform(-1, 3), w.shape))
        max_norm = float(rng.choice([1.0, 5.0, 0.1, 3.7]))
        clipped, norm = clip_by_global_norm(grads, max_norm)
        assert norm == global_norm(grads)
        new_norm = global_norm(clipped)
        if norm <= max_norm:
            assert clipped is grads
        else:
            assert new_norm <= max_norm
            assert new_norm >= max_norm * (1 - 16 * EPS), (trial, new_norm, max_norm)
            # one common factor: the direction is kept
            ratio = clipped.whx / grads.whx
            np.testing.assert_allclose(ratio, np.full_like(ratio, max_norm / norm), rtol=16 * EPS, atol=0,
                                       strict=True)


def test_clip_by_global_norm_matches_definition():
    g = ElmanParams(whx=[[3.0]], whh=[[0.0]], bias=[[0.0]], why=[[4.0]], by=[[0.0]])
    clipped, norm = clip_by_global_norm(g, 1.0)
    assert norm == 5.0
    # 3/5 and 4/5 are not exact doubles: within an ULP or two of the exact values.
    np.testing.assert_allclose([clipped.whx[0, 0], clipped.why[0, 0]], [0.6, 0.8], rtol=2 * EPS, atol=0,
                               strict=True)
    assert math.hypot(clipped.whx[0, 0], clipped.why[0, 0]) <= 1.0


def test_adam_with_clipping_reduces_pig_loss():
    x, targets, mask = pig_task()
    params = course_params()
    state = adam_init(params)
    first = None
    for _ in range(100):
        loss, grads, _ = loss_and_grads(params, x, targets, mask)
        first = loss if first is None else first
        params, state = adam_step(params, grads, state, lr=0.05, clip_norm=1.0)
    final = loss_and_grads(params, x, targets, mask)[0]
    assert state.t == 100
    assert final < 0.05 * first
    np.testing.assert_array_equal(predict_classes(params, x), targets, strict=True)


def test_optimisers_are_pure():
    params, x, targets, mask = random_problem(6, 3, "diagonal")
    before = [a.copy() for a in params.arrays()]
    _, grads, _ = loss_and_grads(params, x, targets, mask)
    gbefore = [a.copy() for a in grads.arrays()]
    state = adam_init(params)
    sgd_step(params, grads, 0.1)
    adam_step(params, grads, state, 0.1, clip_norm=1e-3)
    clip_by_global_norm(grads, 1e-3)
    for a, b in zip(params.arrays(), before):
        np.testing.assert_array_equal(a, b, strict=True)
    for a, b in zip(grads.arrays(), gbefore):
        np.testing.assert_array_equal(a, b, strict=True)
    assert state.t == 0 and not np.any(state.m.whx)


def test_adam_first_step_moves_each_weight_by_lr():
    # At t = 1 the bias-corrected step is g / (|g| + eps): lr in the direction of -sign(g).
    params, x, targets, mask = random_problem(8, 3, "full")
    _, grads, _ = loss_and_grads(params, x, targets, mask)
    new, _ = adam_step(params, grads, adam_init(params), lr=1e-3, clip_norm=None)
    for name in PARAM_NAMES:
        g = getattr(grads, name)
        step = getattr(params, name) - getattr(new, name)
        expected = 1e-3 * g / (np.abs(g) + 1e-8)
        # w - (w - step) recovers step up to the rounding of w (|w| <= ~2, eps*2 ~ 4.4e-16).
        np.testing.assert_allclose(step, expected, rtol=0, atol=1e-15, strict=True)


# --------------------------------------------------------------------------- divergence helpers


def _first_apart(a, b, tol):
    return loss_divergence(compare("losses", "a", a, "b", b, tol).elements.to_dict("records"))


def test_loss_divergence_and_ulp_growth():
    a = np.array([[3.0, 2.5, 2.0, 1.5]])
    b = a.copy()
    assert _first_apart(a, b, Tolerance(ulp=0, atol=0.0))["first_divergence_epoch"] is None
    b[0, 2] = np.nextafter(b[0, 2], 3.0)
    b[0, 3] = b[0, 3] + 1e-9
    np.testing.assert_array_equal(loss_ulp_growth(a, b), ulp_distance(a, b).ravel(), strict=True)
    assert loss_ulp_growth(a, b)[2] == 1
    d = _first_apart(a, b, Tolerance(ulp=0, atol=0.0))
    assert d["first_divergence_epoch"] == 3  # 1-based epoch
    assert (d["epochs"], d["ulp_epoch_1"], d["max_ulp_epoch"]) == (4, 0, 4)
    assert d["max_abs_err"] == abs(b[0, 3] - a[0, 3])
    assert _first_apart(a, b, Tolerance(ulp=1, atol=0.0))["first_divergence_epoch"] == 4
    assert _first_apart(a, b, Tolerance(ulp=1, atol=1e-8))["first_divergence_epoch"] is None
