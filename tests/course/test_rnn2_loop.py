"""rnn2.m's loop as a function (matlab_ref/rnn2_loop.m) is the original code: on the slide's
example it returns exactly what rnn2.m computes, so random draws through it audit the course's
code, not a rewrite of it."""

import time

import numpy as np

from rnncore.engine.inputs import draw_inputs
from rnncore.engine.octave import run_function_draws, run_script
from rnncore.engine.parity import ulp_distance
from rnncore.course.rnn2 import COURSE_INPUT, COURSE_WEIGHTS, rnn2, rnn2_forward, rnn2_loop

NAMES = ["ht", "y_out", "softmax_y_out"]
EXAMPLE = {"whx": COURSE_WEIGHTS.whx, "whh": COURSE_WEIGHTS.whh, "bias": COURSE_WEIGHTS.bias,
           "why": COURSE_WEIGHTS.why, "in": COURSE_INPUT}


def test_function_form_equals_the_original_script_bit_for_bit(octave, root):
    shims = [root / "matlab_ref" / "compat"]
    original = run_script(root / "matlab_ref" / "rnn2.m", NAMES, shim_dirs=shims, timeout=60)
    loop = run_function_draws(root / "matlab_ref" / "rnn2_loop.m", list(EXAMPLE), NAMES, [EXAMPLE],
                              shim_dirs=shims, timeout=60)
    for name in NAMES:
        # Same statements, same engine, same inputs: no rounding may differ.
        np.testing.assert_array_equal(loop.draws[0][name], original.values[name], strict=True)
    assert loop.shims_used == ("softmax",)


def test_python_function_form_equals_the_port():
    for name, value in rnn2_loop(EXAMPLE).items():
        np.testing.assert_array_equal(value, rnn2()[name], strict=True)


def test_thousand_draws_in_one_session_stay_within_the_default_tolerance(octave, root):
    specs = {"whx": {"uniform": {"shape": [3, 4], "low": -1, "high": 1}},
             "whh": {"uniform": {"shape": [3, 1], "low": -1, "high": 1}},
             "bias": {"uniform": {"shape": [3, 1], "low": -1, "high": 1}},
             "why": {"uniform": {"shape": [4, 3], "low": -1, "high": 1}},
             "in": {"onehot": {"classes": 4, "length": [4, 12]}}}
    draws = draw_inputs(specs, 1000, seed=3)
    assert len({d["in"].shape[1] for d in draws}) == 9  # every length 4..12 occurs
    t0 = time.monotonic()
    res = run_function_draws(root / "matlab_ref" / "rnn2_loop.m", list(specs), NAMES, draws,
                             shim_dirs=[root / "matlab_ref" / "compat"], timeout=120)
    elapsed = time.monotonic() - t0
    worst_ulp, worst_abs = 0, 0.0
    for d, oc in zip(draws, res.draws):
        py = rnn2_forward(COURSE_WEIGHTS.__class__(d["whx"], d["whh"], d["bias"], d["why"]), d["in"])
        for name in NAMES:
            assert oc[name].shape == py[name].shape == (3 if name == "ht" else 4, d["in"].shape[1])
            u = ulp_distance(oc[name], py[name])
            err = np.abs(oc[name] - py[name])
            # The configured default: ulp<=16 or abs<=4*2^-52 (see config/config.yaml).
            assert np.all((u <= 16) | (err <= 4 * 2.0**-52)), (name, int(u.max()), float(err.max()))
            worst_ulp, worst_abs = max(worst_ulp, int(u.max())), max(worst_abs, float(err.max()))
    print(f"1000 draws: {elapsed:.2f} s in Octave, worst {worst_ulp} ULP, worst abs error {worst_abs:.3g}")
