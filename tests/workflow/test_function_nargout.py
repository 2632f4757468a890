"""A function-file case asks Octave for the outputs it compares, as MATLAB's ``h = f(x)`` does.

A course's function may assign a later output only when its caller asks for it (``if nargout > 1``);
asking for every declared output would then fail in Octave where the course's own call works.
"""

import os

import numpy as np
import pytest

from rnncore.config import load_settings
from rnncore.io import read_engine
from rnncore.pipeline import steps

FUNCTION = """function [h, grad] = halfcost(x)
  h = 2 * x;
  if all(x > 0)  % no gradient for this x: [h, grad] = halfcost(x) fails in MATLAB too, h = halfcost(x) works
    grad = 2 * ones(size(x));
  end
end
"""


@pytest.fixture
def course(tmp_path):
    (tmp_path / "matlab_ref").mkdir()
    (tmp_path / "matlab_ref" / "halfcost.m").write_text(FUNCTION)
    (tmp_path / "ports").mkdir()  # the configuration checks that the port exists; only Octave's side runs here
    (tmp_path / "ports" / "__init__.py").write_text("")
    (tmp_path / "ports" / "halfcost.py").write_text("def halfcost(inputs):\n    raise NotImplementedError\n")
    return tmp_path


def run_octave_side(course, variables, inputs):
    raw = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 16, "atol": 8.8817841970012523e-16}, "cases": [{"name": "halfcost", "script": "matlab_ref/halfcost.m", "python": "ports.halfcost:halfcost",
                      "variables": variables, "inputs": inputs}]}
    case = load_settings(raw, course, "config.yaml").case("halfcost").params()
    cwd = os.getcwd()
    os.chdir(course)
    try:
        steps.inputs_step(case, course / "inputs.npz")
        steps.octave_step(case, course / "inputs.npz", course / "octave.npz")
    finally:
        os.chdir(cwd)
    return read_engine(course / "octave.npz")


def test_a_case_comparing_the_first_output_calls_with_nargout_one(octave, course):
    doc = run_octave_side(course, ["h"], {"x": {"value": [1.5, -2.0]}})
    assert doc.error is None
    (draw,) = doc.draws
    assert list(draw) == ["h"]
    np.testing.assert_array_equal(draw["h"].data, np.array([[3.0, -4.0]]))  # 2 * x, exact in binary


def test_a_case_comparing_the_second_output_gets_both(octave, course):
    doc = run_octave_side(course, ["grad"], {"x": {"value": [1.5, 2.0]}})
    assert doc.error is None
    (draw,) = doc.draws
    np.testing.assert_array_equal(draw["grad"].data, np.array([[2.0, 2.0]]))
