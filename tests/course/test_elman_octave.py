"""The trainable Elman RNN against its plain-MATLAB reference (matlab_ref/train/) running in GNU Octave.

Both engines start from the same pushed-in weights and data (neither draws random numbers), so any
difference is rounding: glibc's tanh/exp/log against numpy's SIMD ones (<= 3 ULP, see docs/tolerances.md), and
Octave's BLAS against numpy's bundled OpenBLAS (their kernels sum in other orders, with or without
fused multiply-add).

Tolerances, from measurements of Octave 7.3 (with Debian's reference BLAS, and again with Debian's
OpenBLAS 0.3.21, the same numbers to within a few ULP) against numpy 2.4 / OpenBLAS 0.3.31, over
random problems like the ones below (H=4, I=O=4, B=3, T=5, weights ~ N(0, 0.5^2), lr=0.1;
eps = 2^-52 ~ 2.2e-16):

* loss and gradients from the same weights (one forward + BPTT; 15 problems per variant): loss
  <= 2 ULP; gradients <= 4 eps absolute (up to ~1500 ULP, but only on entries near zero formed by
  cancellation, where ULPs mean nothing). Hence ``ulp<=16`` for the loss and ``ulp<=16 or
  abs<=16 eps`` for gradients: 4-8x margin.
* 20 epochs of SGD (117 well-conditioned problems of 120): the loss curves stay within 4 ULP at
  every epoch; final weights within 3 eps and final gradients within 15.5 eps absolute. Hence
  ``ulp<=16`` for losses and ``ulp<=64 or abs<=64 eps`` (1.4e-14) for weights and gradients.

These bounds hold for *well-conditioned* training, which the test problems are, and the test checks
it: the loss falls at every epoch, and (in Python alone) starting 1 ULP away moves the final
weights and gradients by at most 16 eps. Where training is ill-conditioned, rounding differences
grow with the dynamics themselves, not with the port: with lr=0.5 (loss oscillating) the loss
curves part by up to ~1500 ULP within 20 epochs, and the 3 problems of 120 excluded above amplify
a 1-ULP nudge of their start, Python against Python, into 68-4800 eps. ``loss_divergence`` and
``loss_ulp_growth`` locate such a parting; a porting slip (a wrong term, a learning rate off by
1e-9) shows from the first update on, by orders of magnitude (``test_a_porting_slip_is_caught``).
"""


import numpy as np
import pytest
from plain_matlab import reference_problems

from rnncore.models.elman import PARAM_NAMES, init_params, loss_and_grads, one_hot
from rnncore.course.octave_train import (
    RESULT_NAMES,
    TRAIN_SCRIPT,
    loss_ulp_growth,
    run_octave_sgd,
    train_sgd,
)
from rnncore.engine.parity import Tolerance, compare
from rnncore.engine.summary import loss_divergence

EPS = np.finfo(np.float64).eps
LR = 0.1
EPOCHS = 20

# Losses are O(1) (2..7 here), so ULPs are meaningful everywhere: no absolute floor.
LOSS_TOL = Tolerance(ulp=16, atol=0.0)
# Gradients from the same weights: 16 eps absolute covers entries near zero (see module docstring).
GRAD_TOL = Tolerance(ulp=16, atol=16 * EPS)
# Weights and gradients after 20 epochs: rounding differences of 20 updates, 64 eps absolute.
TRAINED_TOL = Tolerance(ulp=64, atol=64 * EPS)


def problem(recurrence, seed=2024):
    """Seeded weights and data: H=4, I=O=4, B=3, T=5, some steps masked."""
    rng = np.random.default_rng(seed)
    params = init_params(rng, 4, 4, 4, recurrence, scale=0.5)
    B, T = 3, 5
    x = one_hot(rng.integers(0, 4, (B, T)), 4)
    targets = rng.integers(0, 4, (B, T))
    mask = np.ones((B, T))
    mask[0, 3:] = 0.0  # padding at the end of sample 0
    mask[2, 4] = 0.0
    return params, x, targets, mask


def first_apart(py_losses, oc_losses):
    """The first epoch (1-based) whose losses differ beyond LOSS_TOL, as divergence.csv reports it."""
    cmp = compare("losses", "python", py_losses, "octave", oc_losses, LOSS_TOL)
    return loss_divergence(cmp.elements.to_dict("records"))["first_divergence_epoch"]


def check_pair(name, python, octave, tol):
    """compare() one variable, print its worst distance, and fail with the worst element."""
    cmp = compare(name, "python", python, "octave", octave, tol)
    print(f"{name:10s} max_ulp {cmp.max_ulp:>6} max_abs {cmp.max_abs_err:.3g} "
          f"({cmp.max_abs_err / EPS:.1f} eps)  [{tol.describe()}]")
    assert cmp.status == "pass", (
        f"{name}: {cmp.status}, {cmp.n_fail}/{cmp.n_elements} elements outside {tol.describe()}; worst "
        f"(row, col) {cmp.worst}, max_ulp {cmp.max_ulp}, max_abs {cmp.max_abs_err:.3g}\n"
        f"{cmp.elements[cmp.elements.verdict != 'pass'].head()}")
    return cmp


@pytest.fixture(scope="module", params=["diagonal", "full"])
def runs(request, octave):
    """Each variant trained in both engines: 0 epochs (gradients at the start) and EPOCHS epochs."""
    params, x, targets, mask = problem(request.param)
    lines = []
    out = {"recurrence": request.param, "problem": (params, x, targets, mask), "log": lines}
    for epochs in (0, EPOCHS):
        out[epochs] = (train_sgd(params, x, targets, mask, LR, epochs),
                       run_octave_sgd(params, x, targets, mask, LR, epochs, log=lines.append))
    return out


@pytest.mark.octave
def test_same_names_and_matlab_shapes(runs):
    py, oc = runs[EPOCHS]
    assert set(py) == set(oc) == set(RESULT_NAMES)
    for name in RESULT_NAMES:
        assert py[name].shape == oc[name].shape, name
    assert oc["losses"].shape == (1, EPOCHS)
    assert oc["whh"].shape == ((4, 1) if runs["recurrence"] == "diagonal" else (4, 4))
    assert runs[0][1]["losses"].shape == (1, 0)
    assert any("elman_train_sgd: 20 epochs" in line for line in runs["log"]), runs["log"]


@pytest.mark.octave
def test_loss_and_gradients_at_the_same_weights(runs):
    """One forward + BPTT from identical weights: the core of the port, tightest tolerance."""
    py, oc = runs[0]
    params, x, targets, mask = runs["problem"]
    assert py["loss_final"][0, 0] == loss_and_grads(params, x, targets, mask)[0]
    print(f"\n[{runs['recurrence']}] loss and gradients at the initial weights, python vs octave")
    check_pair("loss", py["loss_final"], oc["loss_final"], LOSS_TOL)
    for name in PARAM_NAMES:
        check_pair("g_" + name, py["g_" + name], oc["g_" + name], GRAD_TOL)
        np.testing.assert_array_equal(oc[name], getattr(params, name), strict=True)  # 0 epochs: untouched


@pytest.mark.octave
def test_sgd_training_matches_octave(runs):
    py, oc = runs[EPOCHS]
    params, x, targets, mask = runs["problem"]
    # Precondition for the tolerances: a well-conditioned run (see the module docstring). The loss
    # falls at every epoch in both engines ...
    assert np.all(np.diff(py["losses"][0]) < 0) and np.all(np.diff(oc["losses"][0]) < 0)
    # ... and a start 1 ULP away moves the Python result by only a few eps.
    rng = np.random.default_rng(0)
    nudged = params.map(lambda w: w * (1 + EPS * rng.choice([-1.0, 1.0], w.shape)))
    py2 = train_sgd(nudged, x, targets, mask, LR, EPOCHS)
    spread = max(np.max(np.abs(py2[k] - py[k])) for k in RESULT_NAMES) / EPS
    assert spread <= 16, f"ill-conditioned run ({spread:.0f} eps from a 1-ULP nudge): tolerances do not apply"

    growth = loss_ulp_growth(py["losses"], oc["losses"])
    print(f"\n[{runs['recurrence']}] {EPOCHS} epochs of SGD, lr={LR}, python vs octave")
    print(f"loss ULP per epoch: {growth.tolist()}  (1-ULP-nudge spread in Python: {spread:.1f} eps)")
    assert first_apart(py["losses"], oc["losses"]) is None
    check_pair("losses", py["losses"], oc["losses"], LOSS_TOL)
    check_pair("loss_final", py["loss_final"], oc["loss_final"], LOSS_TOL)
    for name in PARAM_NAMES:
        check_pair(name, py[name], oc[name], TRAINED_TOL)
    for name in PARAM_NAMES:
        check_pair("g_" + name, py["g_" + name], oc["g_" + name], TRAINED_TOL)
    assert oc["loss_final"][0, 0] < oc["losses"][0, 0]


@pytest.mark.octave
def test_a_porting_slip_is_caught(octave):
    """The tolerances are tight enough to see a real mistake: a learning rate off by 1e-9."""
    params, x, targets, mask = problem("full", seed=7)
    py = train_sgd(params, x, targets, mask, LR * (1 + 1e-9), 3)
    oc = run_octave_sgd(params, x, targets, mask, LR, 3)
    assert first_apart(py["losses"], oc["losses"]) == 2  # epoch 1 precedes any update
    assert compare("whx", "python", py["whx"], "octave", oc["whx"], TRAINED_TOL).status == "fail"


# --------------------------------------------------------------------------- plain MATLAB


def test_reference_is_plain_matlab(root):
    files = sorted((root / "matlab_ref" / "train").glob("*.m"))
    assert {"elman_forward.m", "elman_loss_grads.m", "elman_train_sgd.m", "elman_train_script.m"} <= {f.name for f in files}
    assert TRAIN_SCRIPT.is_file()
    problems = reference_problems(files)
    assert not problems, "the MATLAB reference is not plain MATLAB:\n" + "\n".join(problems)
