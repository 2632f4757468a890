"""`rnncore.tool.testing.assert_parity` and the `matlab_parity` pytest fixture, against real Octave: the same engine,
tolerances and shims as `rnncore run`; a failure shows the worst elements with both values."""

import importlib.metadata

import numpy as np
import pytest

from rnncore.engine.parity import Tolerance
from rnncore.errors import RnncoreError
from rnncore.tool.scaffold import init_course
from rnncore.tool.testing import ParityAssertionError, assert_parity, parity

pytest_plugins = ["pytester"]

NET = """% a course-style script: one Elman step and MATLAB's softmax (rnncore's shim in Octave)
W = [0.5 -0.25; 0.125 0.75];
x = [1; 2];
h = tanh(W*x);
p = softmax(h);
"""


def net():
    W = np.array([[0.5, -0.25], [0.125, 0.75]])
    h = np.tanh(W @ np.array([[1.0], [2.0]]))
    e = np.exp(h - h.max(axis=0, keepdims=True))
    return {"W": W, "h": h, "p": e / e.sum(axis=0, keepdims=True)}


def net_off():
    out = net()
    out["h"] = out["h"].copy()
    out["h"][1, 0] += 1e-9  # MATLAB's h(2,1)
    return out


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "matlab_ref").mkdir()
    (tmp_path / "matlab_ref" / "net.m").write_text(NET)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_right_port_passes_with_rnncores_defaults_and_its_shim(folder, octave):
    result = assert_parity("matlab_ref/net.m", net, ["W", "h", "p"])
    assert result.tolerance == Tolerance(16, 8.8817841970012523e-16)  # no config.yaml here: rnncore's defaults
    assert {v: c.status for v, c in result.comparisons.items()} == {"W": "pass", "h": "pass", "p": "pass"}
    assert result["W"].max_ulp == 0 and result["h"].shape_left == (2, 1)


def test_a_port_off_by_1e9_fails_with_the_worst_elements(folder, octave):
    with pytest.raises(ParityAssertionError) as info:
        assert_parity("matlab_ref/net.m", net_off, ["W", "h", "p"])
    assert isinstance(info.value, AssertionError)
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0] == ("MATLAB parity failed for 1 of 3 variable(s): matlab_ref/net.m in Octave vs "
                        "test_testing:net_off in Python, tolerance ulp<=16 or abs<=8.881784197001252e-16")
    assert lines[1].startswith("  W: pass (max ULP 0")
    assert lines[2].startswith("  h: fail, 1 of 2 elements outside the tolerance (max ULP ")
    assert lines[4] == "worst elements (1-based row and col; at most 10 per variable):"
    assert lines[5].split() == ["variable", "row", "col", "octave", "python", "abs_err", "rel_err", "ulp"]
    row = lines[6].split()
    assert row[:3] == ["h", "2", "1"]  # 1-based: the element the port changed
    comparison = info.value.result["h"]
    octave_value, python_value = comparison.worst_values
    assert float(row[3]) == octave_value and float(row[4]) == python_value  # to the last bit (%.17g)
    np.testing.assert_allclose(python_value - octave_value, 1e-9, rtol=1e-6, strict=True)
    assert int(row[7]) == comparison.max_ulp > 10**6
    assert len(lines) == 7  # only the failing element is listed


def test_the_course_folders_tolerance_applies_and_arguments_override_it(folder, octave, monkeypatch):
    (folder / "config.yaml").write_text("octave: {timeout_s: 30}\ntolerance: {ulp: 16, atol: 1.0e-6}\ncases: []\n")
    (folder / "tests").mkdir()
    (folder / "tests" / "deep").mkdir()
    monkeypatch.chdir(folder / "tests" / "deep")  # found from a subfolder too: the nearest with a configuration
    result = assert_parity("matlab_ref/net.m", net_off, ["h"])
    assert result.tolerance == Tolerance(16, 1e-6) and result["h"].status == "pass"
    with pytest.raises(ParityAssertionError, match="tolerance ulp<=16 or abs<=0"):
        assert_parity("matlab_ref/net.m", net_off, ["h"], atol=0)
    (folder / "config.yaml").write_text("tolerance: {ulp: -1, atol: 0}\n")
    with pytest.raises(RnncoreError, match=r"config.yaml: tolerance.ulp: must be an integer >= 0, got -1"):
        assert_parity("matlab_ref/net.m", net, ["h"])


def test_inputs_reach_a_script_and_a_function_file_as_the_workflow_gives_them(folder, octave):
    (folder / "matlab_ref" / "scaled.m").write_text("y = k * x;\nn = numel(x);\n")
    (folder / "matlab_ref" / "scale.m").write_text("function [y, n] = scale(x, k)\ny = k * x;\nn = numel(x);\nend\n")
    inputs = {"x": np.array([[1.5, -2.0, 0.25]]), "k": np.array([[3.0]])}

    def by_mapping(given):
        return {"y": given["k"] * given["x"], "n": np.array([[float(given["x"].size)]])}

    def scale(x, k):  # a function file's port, as rnncore translate writes it: its arguments one by one
        return {"y": k * x, "n": np.array([[float(x.size)]])}

    assert assert_parity("matlab_ref/scaled.m", by_mapping, ["y", "n"], inputs=inputs).passed
    assert assert_parity("matlab_ref/scale.m", scale, ["y", "n"], inputs=inputs).passed
    assert assert_parity("matlab_ref/scale.m", by_mapping, ["y"], inputs=inputs).passed
    # Numbers are 1x1 doubles on both sides, as in the workflow; a 1-D array has no MATLAB shape.
    assert assert_parity("matlab_ref/scale.m", scale, ["y", "n"], inputs={"x": inputs["x"], "k": 3}).passed
    with pytest.raises(RnncoreError, match=r"input 'x' has shape \(3,\); give it MATLAB's shape"):
        assert_parity("matlab_ref/scale.m", scale, ["y"], inputs={"x": [1.5, -2.0, 0.25], "k": 3})
    with pytest.raises(RnncoreError, match=r"scale.m takes \(x, k\) but inputs gives \(x\)"):
        assert_parity("matlab_ref/scale.m", scale, ["y"], inputs={"x": inputs["x"]})
    with pytest.raises(RnncoreError, match=r"z not among scale.m's outputs \(y, n\)"):
        assert_parity("matlab_ref/scale.m", scale, ["z"], inputs=inputs)


def test_a_port_named_as_module_function_and_what_cannot_be_compared(folder, octave):
    (folder / "ports_testing_net.py").write_text(
        "import numpy as np\n\n\ndef port():\n    return {'W': np.array([0.5, -0.25]), 'h': np.zeros((2, 1))}\n")
    result = parity("matlab_ref/net.m", "ports_testing_net:port", ["W", "h", "gone", "x"])
    statuses = {v: (c.status, c.message) for v, c in result.comparisons.items()}
    assert statuses["W"][0] == "unsupported" and "has shape (2,); return MATLAB-shaped arrays" in statuses["W"][1]
    assert statuses["h"][0] == "fail"
    assert statuses["gone"] == ("missing", "gone is missing on the octave side: net.m did not define it (it defined: "
                                           "W, h, p, x)")
    assert statuses["x"] == ("missing", "x is missing on the python side: ports_testing_net:port did not return it "
                                        "(it returned: W, h)")
    with pytest.raises(RnncoreError, match="no such MATLAB file"):
        parity("matlab_ref/absent.m", net, ["h"])


def test_a_script_that_draws_random_numbers_gets_them_replayed_in_its_port_as_in_the_workflow(folder, octave):
    # The same code path as `rnncore run` (rnncore.pipeline.steps.octave_side / python_side): Octave's draws
    # are recorded and the port's mr.rand returns them, so a faithful port matches to the last bit.
    (folder / "matlab_ref" / "noisy.m").write_text("x = rand(2, 3);\ny = 2 * x + randn(2, 1);\n")

    def port():
        import rnncore.translate.runtime as mr

        x = mr.rand(2, 3)
        return {"x": x, "y": 2 * x + mr.randn(2, 1)}

    result = assert_parity("matlab_ref/noisy.m", port, ["x", "y"])
    assert result["x"].max_ulp == 0 and result["y"].max_ulp == 0  # the very numbers Octave drew: exact
    assert result["x"].shape_left == (2, 3)


# --------------------------------------------------------------------------- the fixture, in a course folder


def plugin_args():
    """`-p rnncore.tool.pytest_plugin` unless an installed rnncore already registers it (pytest11 entry point): pytest
    refuses one plugin registered under two names."""
    registered = any(ep.value == "rnncore.tool.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11"))
    return [] if registered else ["-p", "rnncore.tool.pytest_plugin"]


WRONG = '''
import numpy as np

from ports.example_rnn import example_rnn


def off_by_1e9():
    out = example_rnn()
    out["y"] = out["y"].copy()
    out["y"][1, 2] += 1e-9  # MATLAB's y(2,3)
    return out


def test_off(matlab_parity):
    matlab_parity("matlab_ref/example_rnn.m", off_by_1e9, ["ht", "y", "p"])
'''


def test_the_fixture_passes_a_right_port_and_fails_a_wrong_one_with_the_element_table(pytester, octave):
    init_course(pytester.path)  # tests/test_parity.py: the example case through the fixture
    (pytester.path / "tests" / "test_wrong.py").write_text(WRONG)
    result = pytester.runpytest_subprocess(*plugin_args())
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "ParityAssertionError: MATLAB parity failed for 1 of 3 variable(s): matlab_ref/example_rnn.m" in out
    assert "y: fail, 1 of 9 elements outside the tolerance" in out
    result.stdout.re_match_lines([r"E\s+variable\s+row\s+col\s+octave\s+python\s+abs_err\s+rel_err\s+ulp",
                                  r"E\s+y\s+2\s+3\s+-?0\.\d{10,}\s+-?0\.\d{10,}\s+1e-09\s+\S+\s+\d{7,}$"])


def test_without_octave_the_fixture_skips_except_under_ci(pytester, monkeypatch):
    init_course(pytester.path)
    monkeypatch.setenv("OCTAVE_EXECUTABLE", "/nonexistent/octave-cli")
    monkeypatch.delenv("CI", raising=False)
    result = pytester.runpytest_subprocess("-rs", *plugin_args())
    result.assert_outcomes(skipped=1)
    assert "GNU Octave is missing" in result.stdout.str()
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_subprocess(*plugin_args())
    result.assert_outcomes(errors=1)
    assert "CI=true and GNU Octave is missing" in result.stdout.str()
