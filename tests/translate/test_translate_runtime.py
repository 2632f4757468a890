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


# --------------------------------------------------------------------------- X = mr.assign(X, ..., reuse=True)


def test_assignment_in_place_never_changes_another_value(port):
    """``A(i, j) = v`` may write into A's array when nothing else holds it (mr.assign's reuse=True,
    which the translator writes for it); an alias, a slice read before, an anonymous function's
    captured value, a function's argument and the caller's input all keep their values."""
    out = port("""
A = zeros(2, 3, 2);
B = A;
s = A(:, :, 1);
g = @() A(1, 1, 1);
A(:, :, 1) = [1 2 3; 4 5 6];
A(2, 3, 2) = 9;
c = g();
C = zeros(2, 2);
for k = 1:2
  C(k, :) = [k k];
end
""")()
    assert np.all(out["B"] == 0) and out["B"].shape == (2, 3, 2)  # the alias made before
    assert np.all(out["s"] == 0) and out["s"].shape == (2, 3)  # the slice read before
    assert out["c"].tolist() == [[0.0]]  # the value captured when g was made
    assert out["A"][:, :, 0].tolist() == [[1, 2, 3], [4, 5, 6]] and out["A"][1, 2, 1] == 9
    assert out["C"].tolist() == [[1, 1], [2, 2]]
    f = port("function [y, x] = f(x)\ny = x;\nx(1, 2) = 5;\nend\n", "f")
    x = np.zeros((2, 2))
    res = f(x)
    assert np.all(x == 0)  # the caller's input
    assert np.all(res["y"] == 0) and res["x"].tolist() == [[0, 5], [0, 0]]  # y = x before the change


def test_assign_reuses_the_array_only_when_nothing_else_holds_it():
    """What reuse=True does, directly: in place (the same object back) for a variable alone holding
    a fresh array; a copy when another name or a view holds the array or its memory."""
    one = mr.double(1)
    X = mr.zeros(2, 3, 2)
    Y = mr.assign(X, 1, 2, 2, value=one, reuse=True)
    assert Y is X and np.asarray(X)[0, 1, 1] == 1.0
    del Y
    A = mr.zeros(2, 3)
    B = A
    A = mr.assign(A, 1, 1, value=one, reuse=True)
    assert A is not B and np.asarray(B)[0, 0] == 0.0 and np.asarray(A)[0, 0] == 1.0
    C = mr.zeros(2, 3, 2)
    view = mr.index(C, mr.ALL, mr.ALL, 1)  # a view of C's memory
    C = mr.assign(C, mr.ALL, mr.ALL, 1, value=mr.ones(2, 3), reuse=True)
    assert np.all(np.asarray(view) == 0) and np.all(np.asarray(C)[:, :, 0] == 1)
    D = mr.zeros(2, 3)
    D = mr.assign(D, 1, 1, value=one)  # without reuse: always a new array
    E = mr.assign(D, 2, 2, value=one)
    assert E is not D and np.asarray(D)[1, 1] == 0.0


def test_outputs_handed_over_uncopied_share_nothing(port):
    """An output only the function's variable holds is returned without a copy (mr.outputs); two
    outputs of one value, or an output that is a slice of another, still come back as separate
    arrays: changing one returned array changes no other."""
    f = port("function [a, b, c, d] = f(x)\na = zeros(2, 3);\nb = a;\nc = x + 1;\nd = c(:, 1);\nend\n", "f")
    x = np.ones((2, 3))
    out = f(x)
    for name in "abcd":
        assert type(out[name]) is np.ndarray and out[name].dtype == np.float64
    out["a"][0, 0] = 7.0
    out["c"][0, 0] = 8.0
    assert out["b"][0, 0] == 0.0 and np.all(x == 1.0)
    assert out["d"].tolist() == [[2.0], [2.0]]
    names = ["a", "b", "c", "d"]
    assert not any(np.shares_memory(out[p], out[q]) for p in names for q in names if p < q)
    assert not np.shares_memory(out["c"], x)
