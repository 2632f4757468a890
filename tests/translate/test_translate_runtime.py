"""What the runtime refuses, and what it promises at the boundary of a port (no Octave needed)."""

from __future__ import annotations

import importlib.util
import itertools

import numpy as np
import pytest

from rnncore.translate import runtime as mr
from rnncore.translate import translate_source


@pytest.fixture
def port(tmp_path):
    """Translate MATLAB text into a module file, import it, and return the port's function."""
    count = itertools.count()

    def make(text: str, name: str = "snippet"):
        path = tmp_path / f"{name}_{next(count)}.py"
        path.write_text(translate_source(text, f"{name}.m"))
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)

    return make


@pytest.mark.parametrize("text", ["x = sqrt(-1);", "x = log(-2);", "x = (-8) .^ (1/3);", "y = [-1 4];\nx = sqrt(y);"])
def test_a_complex_result_raises_instead_of_nan(text, port):
    """MATLAB answers with a complex number; numpy would give NaN silently."""
    with pytest.raises(mr.MatlabError, match="complex"):
        port(text)()


def test_reading_a_variable_before_it_exists_names_it(port):
    with pytest.raises(mr.MatlabError, match="'y' undefined"):
        port("x = 1;\nif x > 2\n  y(2) = 1;\nend\nz = y + 1;\n")()


def test_operators_follow_matlab_on_logical_and_char():
    t = mr.true(1, 2)
    assert (t + t).dtype == np.float64 and (t + t).tolist() == [[2.0, 2.0]]  # numpy: [[True, True]]
    s = mr.char("ab")
    assert (s * 2).tolist() == [[194.0, 196.0]]  # uint16 in numpy would stay uint16
    a = mr.zeros(2, 3, 2) + mr.double([[1, 2, 3], [4, 5, 6]])  # MATLAB pads trailing dimensions
    assert np.asarray(a)[:, :, 1].tolist() == [[1, 2, 3], [4, 5, 6]]


def test_a_cell_refuses_arithmetic_and_comparison():
    c = mr.cellarray([[1, 2]])
    with pytest.raises(mr.MatlabError):
        c * 2  # a plain list would repeat itself
    with pytest.raises(mr.MatlabError):
        c == c  # noqa: B015 - a plain list would compare as a whole


def test_boundary_values_follow_the_port_contract(port):
    out = port("a = [1 2; 3 4];\nb = a > 2;\nc = 'text';\nd = {1, 'x'};\ne = '';\nf = 5;\n")()
    assert out["a"].dtype == np.float64 and out["a"].shape == (2, 2) and type(out["a"]) is np.ndarray
    assert out["b"].dtype == bool
    assert out["c"] == "text"
    assert isinstance(out["d"], list) and list(out["d"])[1] == "x" and out["d"].shape == (1, 2)
    assert out["e"].dtype == np.uint16 and out["e"].shape == (0, 0)  # '' is a 0x0 char: its codes
    assert out["f"].shape == (1, 1)


def test_a_1d_argument_is_refused_rather_than_guessed(port):
    f = port("function y = f(x)\ny = x';\nend\n", "f")
    with pytest.raises(mr.MatlabError, match="1-D"):
        f(np.arange(3.0))
    assert f(np.arange(3.0).reshape(1, 3))["y"].shape == (3, 1)


def test_outputs_are_copies(port):
    f = port("function y = f(x)\ny = x;\nend\n", "f")
    x = np.ones((2, 2))
    y = f(x)["y"]
    y[0, 0] = 7.0
    assert x[0, 0] == 1.0


def test_anonymous_functions_capture_values_when_made(port):
    out = port("k = 2;\ng = @(x) k * x;\nk = 10;\nc = g(5);\n")()
    assert out["c"].tolist() == [[10.0]]  # Python's closures would see k = 10 and give 50
