"""A gradient check's tolerance, derived from the measured difference of the function underneath.

The worked example of docs/tolerances.md ("Gradient checks"): stanford_dl's computeNumericalGradient.m
(central differences, epsilon 1e-4) on a least-squares cost whose value Octave and numpy round a
few ULP apart (their BLAS sum X*t in another order). Against a real Octave run.
"""

import shutil
import sys

import numpy as np
import pytest

from rnncore import layout
from rnncore.config import load_settings
from rnncore.pipeline import steps

CORPUS = "tests/fixtures/corpus/stanford_dl/cnn/computeNumericalGradient.m"
SCRIPT = """\
X = sin((1:60)' * (1:5));
y = cos(1:60)';
theta = [0.3; -1.2; 2.5; 0.7; 1.9];
J = @(t) sum((X * t - y) .^ 2) / 2;
numgrad = computeNumericalGradient(J, theta);
fs = zeros(numel(theta), 2);  % the values of J that numgrad divides: J(theta +- epsilon e_i)
for i = 1:numel(theta)
  T = theta; T(i) = T(i) + 1e-4; fs(i, 1) = J(T);
  T = theta; T(i) = T(i) - 1e-4; fs(i, 2) = J(T);
end
"""
PORT = '''\
import numpy as np

X = np.sin(np.arange(1, 61.0)[:, None] * np.arange(1, 6.0)[None, :])
y = np.cos(np.arange(1, 61.0))[:, None]
THETA = np.array([[0.3], [-1.2], [2.5], [0.7], [1.9]])


def J(t):
    return np.sum((X @ t - y) ** 2) / 2


def gradient_check():
    numgrad, fs = np.zeros((5, 1)), np.zeros((5, 2))
    for i in range(5):
        plus, minus = THETA.copy(), THETA.copy()
        plus[i] += 1e-4
        minus[i] -= 1e-4
        fs[i] = J(plus), J(minus)
        numgrad[i] = (fs[i, 0] - fs[i, 1]) / (2 * 1e-4)
    return {"numgrad": numgrad, "fs": fs}
'''
ULP = {"ulp": 16, "atol": 0.0}  # what a plain computation of this size is held to


def _run(root, config) -> dict:
    settings = load_settings(config, root, "config.yaml")
    rows = {}
    for case in settings.cases:
        params = case.params()
        steps.inputs_step(params, layout.inputs(case.name))
        steps.octave_step(params, layout.inputs(case.name), layout.octave_engine(case.name))
        steps.python_step(params, layout.inputs(case.name), layout.python_engine(case.name), project=root)
        for r in steps.compare_step(params, layout.octave_engine(case.name), layout.python_engine(case.name),
                                    layout.case_summary(case.name)):
            rows[(case.name, r["variable"])] = r
    return rows


def test_the_gradient_gets_the_tolerance_the_measured_difference_of_f_allows(tmp_path, monkeypatch, root, octave):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "matlab_ref").mkdir()
    shutil.copy(root / CORPUS, tmp_path / "matlab_ref")
    (tmp_path / "matlab_ref" / "gradcheck.m").write_text(SCRIPT)
    (tmp_path / "gc_port.py").write_text(PORT)
    case = {"name": "plain", "script": "matlab_ref/gradcheck.m", "python": "gc_port:gradient_check",
            "variables": ["fs", "numgrad"]}
    # 1. Held to ULPs, f agrees to a few ULP and its finite difference does not: dividing a 1e-14
    #    difference by 2h = 2e-4 leaves it, in a gradient of size ~100, tens of thousands of ULP apart.
    rows = _run(tmp_path, {"octave": {"timeout_s": 60}, "tolerance": ULP, "cases": [case]})
    fs, numgrad = rows[("plain", "fs")], rows[("plain", "numgrad")]
    assert fs["status"] == "pass" and 0 < fs["max_ulp"] <= 16, fs  # measured here: 3 ULP
    assert numgrad["status"] == "fail" and numgrad["max_ulp"] > 1000, numgrad
    d = fs["max_abs_err"]
    assert d > 0
    # The gradient differs by no more than the bound the measured d gives: d/h for a central difference.
    assert numgrad["max_abs_err"] <= d / 1e-4 * (1 + 1e-6), (numgrad["max_abs_err"], d)

    # 2. The case states the measured d; the tolerance follows from it and the summary says how.
    derived = {**case, "name": "derived", "tolerance": {"ulp": 16, "gradient": {"f_abs_err": d, "h": 1e-4}}}
    rows = _run(tmp_path, {"octave": {"timeout_s": 60}, "tolerance": ULP, "cases": [derived]})
    numgrad = rows[("derived", "numgrad")]
    assert numgrad["status"] == "pass", numgrad
    assert numgrad["tol_atol"] == d / 1e-4 * 2  # safety 2 by default
    assert numgrad["message"].startswith(f"atol {d / 1e-4 * 2!r} from a gradient check: f's measured "
                                         f"max_abs_err {d!r} x 1/h (h 0.0001, central difference)"), numgrad
    assert rows[("derived", "fs")]["message"] == numgrad["message"]  # the case's tolerance, on each of its rows

    # 3. A port whose gradient is off by more than rounding still fails under the derived tolerance.
    (tmp_path / "gc_port.py").write_text(PORT.replace("(2 * 1e-4)", "(2 * 1.0001e-4)"))
    sys.modules.pop("gc_port", None)  # the port's module was imported by the first runs
    rows = _run(tmp_path, {"octave": {"timeout_s": 60}, "tolerance": ULP, "cases": [derived]})
    assert rows[("derived", "numgrad")]["status"] == "fail"
    assert np.isfinite(rows[("derived", "numgrad")]["max_abs_err"])
