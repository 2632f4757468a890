"""The LSTM (rnncore.models.lstm) against its plain-MATLAB reference (matlab_ref/lstm/) running in GNU Octave.

Both engines start from the same pushed-in weights, data and initial states (neither draws random
numbers), so any difference is rounding. Where it comes from, measured on this project's machine
(Octave 7.3 with Debian's OpenBLAS 0.3.21, numpy 2.4 with OpenBLAS 0.3.31, AVX2):

* numpy's own SIMD ``np.tanh`` differs from glibc's ``tanh`` (which Octave calls) by up to 3 ULP on
  ~28% of arguments; ``np.exp`` and ``np.log`` agree with glibc bit for bit on this CPU. The sigmoid
  is ``1 ./ (1 + exp(-z))`` in both engines, so it agrees wherever its argument does.
* matrix products: ``W*x`` is exact (x is one-hot). ``R*h``, ``why*h`` and the backward products
  use each engine's OpenBLAS kernel; for the small net (H = 3) they round alike, for H = 8 they do
  not (different kernels in the two OpenBLAS versions), which adds a few ULP per product.
* batch sums ``sum(., 2)``: sequential in both for B < 8 (numpy is pairwise from 8 elements).

``test_differences_are_only_tanh`` pins the first point down: with glibc's tanh (and exp, log)
substituted in the Python engine, the small net agrees with Octave bit for bit on every name over
30 problems, so the summation orders of the port match MATLAB's exactly and the whole difference
is numpy's tanh.

A 3-ULP difference in tanh then compounds over the T steps: through the cell state
``c = f.*c_prev + i.*g`` (the forget gate, < 1, damps it), through ``R*h`` into every gate of the
next step, and back again through BPTT. Measured over 50 random problems per configuration,
weights and biases ~ N(0, s^2), ``eps = 2^-52 ~ 2.2e-16``:

==========================  =====================  ==========================================
configuration               max abs difference     max ULP (all elements / elements >= 1/16)
==========================  =====================  ==========================================
H=3, B=2, T=5, s=0.5        <= 3 eps (loss 8 eps)  up to ~4000 / <= 9;   loss <= 2 ULP
H=3, B=2, T=5, s=1.0        <= 4 eps               up to ~4000 / <= 16;  loss <= 2 ULP
H=8, B=3, T=20, s=0.5       <= 6 eps (loss 48)     up to ~4e5  / <= 52;  loss <= 3 ULP
H=8, B=3, T=50, s=1.0       <= 1024 eps            up to ~7e4  / <= 220; loss <= 3 ULP
==========================  =====================  ==========================================

Huge ULP counts occur only on entries near zero that are formed by cancellation (a logit or a
gradient entry of 1e-5 differing by 1 eps is thousands of ULP), so ULPs alone would be the wrong
measure; every array here is O(0.01..10), so an absolute floor of a few eps is the right one for
those entries. Hence, for the configurations tested here (T <= 20, s = 0.5):

* ``LOSS_TOL``: ``ulp <= 16`` (the loss is O(1..10), its ULPs are meaningful; 5x the 3 measured).
* ``TOL`` for gates, states, logits, probabilities and gradients: ``ulp <= 64 or abs <= 16 eps``
  (3.6e-15): 2.7x the largest absolute difference (6 eps) and >= 1.2x the largest ULP count of
  entries >= 1/16 measured at T = 20 (4x at T = 5). A porting slip (a wrong term, a swapped gate,
  a transposed weight) changes values by ~1e-2..1, twelve orders above it;
  ``test_a_porting_slip_is_caught`` shows even a 1e-9 relative change of R fails.

Long sequences with large weights (the T = 50, s = 1.0 row) are outside these bounds: the network
amplifies rounding differences with its own dynamics, not because of the port. Python against
Python from weights nudged by 1 ULP differs by up to ~3000 eps there (30 problems), more than
Python against Octave; the same nudge moves the T = 5 net by <= 8 eps.

Run with ``-s`` to see each name's observed max ULP and max absolute difference.
"""

import math

import numpy as np
import pytest
from plain_matlab import reference_problems

from rnncore.models.lstm import LSTMParams, init_params, one_hot
from rnncore.engine.octave import run_function_draws
from rnncore.course.octave_lstm import (
    LSTM_SCRIPT,
    RESULT_NAMES,
    STATE_NAMES,
    flatten,
    python_lstm_reference,
    run_octave_lstm,
    unflatten,
)
from rnncore.engine.parity import Tolerance, compare, ulp_distance

EPS = np.finfo(np.float64).eps
LOSS_TOL = Tolerance(ulp=16, atol=0.0)
TOL = Tolerance(ulp=64, atol=16 * EPS)
GRAD_NAMES = ("g_W", "g_R", "g_b", "g_why", "g_by")
REF_DIR = LSTM_SCRIPT.parent
N_SWEEP = 30


def tolerance(name):
    return LOSS_TOL if name == "loss" else TOL


def problem(seed, H=3, I=4, O=4, B=2, T=5, scale=0.5, random_state=True):
    """Seeded weights (random biases too: a generic point), one-hot data, a partial mask, h0 and c0."""
    rng = np.random.default_rng(seed)
    p = init_params(rng, I, H, O, scale=scale)
    p = LSTMParams(p.W, p.R, rng.normal(0.0, scale, (4 * H, 1)), p.why, rng.normal(0.0, scale, (O, 1)))
    x = one_hot(rng.integers(0, I, (B, T)), I)
    targets = rng.integers(0, O, (B, T))
    mask = np.ones((B, T))
    mask[0, T // 2 + 1 :] = 0.0  # padding at the end of sample 0
    if B > 1:
        mask[1, 0] = 0.0
    h0 = rng.uniform(-0.5, 0.5, (H, B)) if random_state else np.zeros((H, B))
    c0 = rng.normal(0.0, 0.5, (H, B)) if random_state else np.zeros((H, B))
    return p, x, targets, mask, h0, c0


def check_pair(name, python, octave, tol):
    """compare() one variable, print its worst distance, and fail with the worst element."""
    cmp = compare(name, "python", python, "octave", octave, tol)
    print(f"{name:7s} {'x'.join(map(str, python.shape)):>6s}  max_ulp {cmp.max_ulp:>7}  "
          f"max_abs {cmp.max_abs_err / EPS:6.2f} eps  [{tol.describe()}]")
    assert cmp.status == "pass", (
        f"{name}: {cmp.status}, {cmp.n_fail}/{cmp.n_elements} elements outside {tol.describe()}; worst "
        f"(row, col) {cmp.worst}, max_ulp {cmp.max_ulp}, max_abs {cmp.max_abs_err:.3g}\n"
        f"{cmp.elements[cmp.elements.verdict != 'pass'].head()}")
    return cmp


# --------------------------------------------------------------------------- the driver script


@pytest.fixture(scope="module")
def small(octave):
    """The brief's net (H=3, I=4, O=4, B=2, T=5, partial mask, random h0 and c0) in both engines."""
    p, x, targets, mask, h0, c0 = problem(2024)
    lines = []
    oc = run_octave_lstm(p, x, targets, mask, timeout=120, log=lines.append, h0=h0, c0=c0)
    py = python_lstm_reference(p, x, targets, mask, h0=h0, c0=c0)
    return {"problem": (p, x, targets, mask, h0, c0), "python": py, "octave": oc, "log": lines}


@pytest.mark.octave
def test_same_names_and_matlab_shapes(small):
    py, oc = small["python"], small["octave"]
    assert set(py) == set(oc) == set(RESULT_NAMES)
    H, I, O, B, T = 3, 4, 4, 2, 5
    expected = {**{n: (H, B * T) for n in ("gate_i", "gate_f", "gate_g", "gate_o")},
                "cs": (H, B * (T + 1)), "hs": (H, B * (T + 1)),
                "ys": (O, B * T), "ps": (O, B * T), "logps": (O, B * T), "loss": (1, 1),
                "g_W": (4 * H, I), "g_R": (4 * H, H), "g_b": (4 * H, 1), "g_why": (O, H), "g_by": (O, 1)}
    for name in RESULT_NAMES:
        assert py[name].shape == oc[name].shape == expected[name], name
    assert any("lstm_script: H = 3, B = 2, T = 5" in line for line in small["log"]), small["log"]
    # The pushed initial states come back as the first B columns; unflatten undoes the layout.
    p, x, targets, mask, h0, c0 = small["problem"]
    np.testing.assert_array_equal(unflatten(oc["hs"], B)[:, :, 0], h0, strict=True)
    np.testing.assert_array_equal(unflatten(oc["cs"], B)[:, :, 0], c0, strict=True)


@pytest.mark.octave
def test_every_name_matches_octave(small):
    py, oc = small["python"], small["octave"]
    print("\nH=3 I=4 O=4 B=2 T=5, partial mask, random h0 and c0: python vs octave")
    for name in RESULT_NAMES:
        check_pair(name, py[name], oc[name], tolerance(name))
    # Sanity of the reference itself: probabilities sum to 1, masked steps' targets do not matter.
    np.testing.assert_allclose(oc["ps"].sum(axis=0), 1.0, rtol=0, atol=4 * EPS)
    assert np.all(np.abs(oc["g_R"]) > 0)


@pytest.mark.octave
def test_longer_sequence_matches_octave(octave):
    """H=8, B=3, T=20: rounding differences compound over more steps and bigger products, within TOL."""
    p, x, targets, mask, h0, c0 = problem(77, H=8, I=5, O=5, B=3, T=20)
    oc = run_octave_lstm(p, x, targets, mask, timeout=120, h0=h0, c0=c0)
    py = python_lstm_reference(p, x, targets, mask, h0=h0, c0=c0)
    print("\nH=8 I=5 O=5 B=3 T=20: python vs octave")
    for name in RESULT_NAMES:
        check_pair(name, py[name], oc[name], tolerance(name))


@pytest.mark.octave
@pytest.mark.parametrize("dims", [dict(B=1, T=1), dict(H=1, O=2, B=3, T=1)])
def test_singleton_dimensions_round_trip(octave, dims):
    """T = 1 (MATLAB drops the trailing singleton of X and of every 3-D array), B = 1, H = 1: same shapes."""
    p, x, targets, mask, h0, c0 = problem(5, **dims)
    oc = run_octave_lstm(p, x, targets, mask, timeout=120, h0=h0, c0=c0)
    py = python_lstm_reference(p, x, targets, mask, h0=h0, c0=c0)
    for name in RESULT_NAMES:
        assert py[name].shape == oc[name].shape, (name, py[name].shape, oc[name].shape)
        assert compare(name, "python", py[name], "octave", oc[name], tolerance(name)).status == "pass", name


@pytest.mark.octave
def test_a_porting_slip_is_caught(small):
    """The tolerances see a real mistake: R off by a relative 1e-9, or the f and i gates swapped."""
    p, x, targets, mask, h0, c0 = small["problem"]
    oc = small["octave"]
    nudged = LSTMParams(p.W, p.R * (1 + 1e-9), p.b, p.why, p.by)
    py = python_lstm_reference(nudged, x, targets, mask, h0=h0, c0=c0)
    assert compare("hs", "python", py["hs"], "octave", oc["hs"], TOL).status == "fail"
    assert compare("g_R", "python", py["g_R"], "octave", oc["g_R"], TOL).status == "fail"
    H = p.n_hidden
    swap = np.r_[H : 2 * H, 0:H, 2 * H : 4 * H]  # rows of f first, then i: the wrong gate order
    swapped = LSTMParams(p.W[swap], p.R[swap], p.b[swap], p.why, p.by)
    py = python_lstm_reference(swapped, x, targets, mask, h0=h0, c0=c0)
    assert all(compare(n, "python", py[n], "octave", oc[n], tolerance(n)).status == "fail"
               for n in ("cs", "hs", "loss"))


# --------------------------------------------------------------------------- 30 problems in one session


FORWARD_OUT = ("GI", "GF", "GG", "GO", "CS", "HS", "Y", "P", "LOGP")  # lstm_forward's outputs, in order
GRADS_OUT = ("loss",) + GRAD_NAMES  # lstm_loss_grads's outputs, in order


@pytest.fixture(scope="module")
def sweep(octave):
    """N_SWEEP problems like ``small`` (two weight scales), lstm_forward.m and lstm_loss_grads.m called per problem."""
    problems = [problem(seed, scale=0.5 if seed % 2 else 1.0) for seed in range(N_SWEEP)]
    draws = [dict(W=p.W, R=p.R, b=p.b, why=p.why, by=p.by, X=x, TGT=(t + 1).astype(np.float64), MASK=m, h0=h0, c0=c0)
             for p, x, t, m, h0, c0 in problems]
    fwd = run_function_draws(REF_DIR / "lstm_forward.m", ["W", "R", "b", "why", "by", "X", "h0", "c0"],
                             list(FORWARD_OUT), draws, timeout=300)
    grads = run_function_draws(REF_DIR / "lstm_loss_grads.m",
                               ["W", "R", "b", "why", "by", "X", "TGT", "MASK", "h0", "c0"],
                               list(GRADS_OUT), draws, timeout=300)
    octave_results = []
    for f, g in zip(fwd.draws, grads.draws):
        out = {name: flatten(f[o]) for name, o in zip(STATE_NAMES, FORWARD_OUT)}
        out.update(g)
        octave_results.append(out)
    return {"problems": problems, "octave": octave_results, "blas": fwd.versions.get("blas", "")}


@pytest.mark.octave
def test_sweep_of_problems_matches_octave(sweep):
    worst = {name: [0, 0.0] for name in RESULT_NAMES}
    for (p, x, t, m, h0, c0), oc in zip(sweep["problems"], sweep["octave"]):
        py = python_lstm_reference(p, x, t, m, h0=h0, c0=c0)
        for name in RESULT_NAMES:
            cmp = compare(name, "python", py[name], "octave", oc[name], tolerance(name))
            assert cmp.status == "pass", (name, cmp.max_ulp, cmp.max_abs_err, cmp.worst)
            worst[name][0] = max(worst[name][0], cmp.max_ulp)
            worst[name][1] = max(worst[name][1], cmp.max_abs_err / EPS)
    print(f"\n{N_SWEEP} problems (H=3 I=4 O=4 B=2 T=5): worst over all, python vs octave")
    for name, (u, a) in worst.items():
        print(f"{name:7s} max_ulp {u:>7}  max_abs {a:6.2f} eps  [{tolerance(name).describe()}]")


def _libm(fn):
    """numpy-compatible wrapper of a math-module (glibc) function, element by element.

    Honours ``out=`` as the ufunc does: the models write results into their slots of the cache.
    """
    vec = np.vectorize(fn, otypes=[np.float64])

    def call(a, *args, out=None, **kwargs):
        result = vec(np.asarray(a, dtype=np.float64))
        if out is None:
            return result
        out[...] = result
        return out

    return call


@pytest.mark.octave
def test_differences_are_only_tanh(sweep, monkeypatch):
    """With glibc's tanh, exp and log in the Python engine, the 30 problems agree with Octave bit for bit.

    This proves the port's order of operations is MATLAB's exactly (a reordered sum or product
    would show up here as a few ULP) and that numpy's SIMD tanh is the whole difference measured
    above. It relies on both engines' OpenBLAS rounding these tiny products (H = 3) alike, as the
    project's setup (Debian's OpenBLAS for Octave) gives; with another BLAS under Octave (the
    reference BLAS has no fused multiply-add) it falls back to asserting TOL.
    """
    monkeypatch.setattr(np, "tanh", _libm(math.tanh))
    monkeypatch.setattr(np, "exp", _libm(math.exp))
    monkeypatch.setattr(np, "log", _libm(math.log))
    exact = "openblas" in sweep["blas"].lower()
    worst = 0
    for (p, x, t, m, h0, c0), oc in zip(sweep["problems"], sweep["octave"]):
        py = python_lstm_reference(p, x, t, m, h0=h0, c0=c0)
        for name in RESULT_NAMES:
            u = int(ulp_distance(py[name], oc[name]).max())
            worst = max(worst, u)
            if exact:
                assert u == 0, f"{name}: {u} ULP with glibc's tanh: the order of operations differs from MATLAB's"
            else:
                assert compare(name, "py", py[name], "oc", oc[name], tolerance(name)).status == "pass", name
    print(f"\nwith glibc tanh/exp/log in Python: max ULP {worst} over {N_SWEEP} problems "
          f"(Octave BLAS: {sweep['blas']})")


# --------------------------------------------------------------------------- plain MATLAB


def test_reference_is_plain_matlab(root):
    files = sorted((root / "matlab_ref" / "lstm").glob("*.m"))
    assert {"lstm_forward.m", "lstm_loss_grads.m", "lstm_script.m"} <= {f.name for f in files}
    assert LSTM_SCRIPT.is_file()
    problems = reference_problems(files)
    assert not problems, "the MATLAB reference is not plain MATLAB:\n" + "\n".join(problems)
