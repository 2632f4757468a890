"""Captured calls stored with a function file's case (rnncore.tool.addfolder.store_calls), from a real
Octave run of the driver script (rnncore.engine.capture.capture_calls)."""

import numpy as np

from rnncore.engine.capture import capture_calls
from rnncore.io import read_engine
from rnncore.tool.addfolder import store_calls

SIGMOID = """function [g, d] = sigmoid(z)
  g = 1 ./ (1 + exp(-z));
  if nargout > 1
    d = g .* (1 - g);
  end
end
"""
DRIVER = """a = sigmoid(0);
b = sigmoid([1 2]);
[c, d] = sigmoid([1; 2; 3]);
b2 = sigmoid([1 2]);  % the same call again: counted, not stored twice
t = label('ab');
"""
LABEL = "function n = label(s)\n  n = numel(s);\nend\n"
UNUSED = "function y = unused(x)\n  y = x;\nend\n"


def _both_engines(params, project):
    """The workflow's inputs, Octave and Python steps of one case, run in ``project``."""
    import os

    from rnncore.pipeline import steps

    cwd = os.getcwd()
    os.chdir(project)
    try:
        steps.inputs_step(params, "inputs.npz")
        return (steps.octave_step(params, "inputs.npz", "octave.npz"),
                steps.python_step(params, "inputs.npz", "python.npz", project=project))
    finally:
        os.chdir(cwd)


def _ported_and_stored(project, name, function, source, driver):
    """matlab_ref/<name>/ with <function>.m and driver.m, ported, the driver's calls captured and stored."""
    from rnncore.tool.addfolder import port_folder

    folder = project / "matlab_ref" / name
    folder.mkdir(parents=True)
    (folder / f"{function}.m").write_text(source)
    (folder / "driver.m").write_text(driver)
    port_folder(folder, project=project)
    return store_calls(folder, function, [capture_calls(folder, "driver", [function], timeout=60)])


def test_three_calls_of_different_sizes_give_three_draws_with_their_nargout(octave, tmp_path):
    folder = tmp_path / "ex2"
    folder.mkdir()
    (folder / "sigmoid.m").write_text(SIGMOID)
    (folder / "label.m").write_text(LABEL)
    (folder / "unused.m").write_text(UNUSED)
    (folder / "driver.m").write_text(DRIVER)
    result = capture_calls(folder, "driver", ["label", "sigmoid", "unused"], timeout=60)
    assert result.uncalled == ("unused",)

    stored = store_calls(folder, "sigmoid", [result])
    assert stored.path == folder / ".rnncore" / "sigmoid.npz"
    assert (stored.draws, stored.nargout, stored.skipped) == (3, (1, 1, 2), ())
    doc = read_engine(stored.path, "inputs", 3)
    assert [d["z"].shape for d in doc.draws] == [(1, 1), (1, 2), (3, 1)]
    # The arguments exactly as Octave passed them (small integers: exact in binary).
    np.testing.assert_array_equal(doc.draws[2]["z"].data, np.array([[1.0], [2.0], [3.0]]))
    assert doc.meta["nargout"] == [1, 1, 2] and doc.meta["arguments"] == ["z"]

    text = store_calls(folder, "label", [result])
    (draw,) = read_engine(text.path, "inputs", 1).draws
    assert draw["s"].cls == "char" and draw["s"].data.tolist() == [[97.0, 98.0]]  # 'ab' as its codes

    assert store_calls(folder, "unused", [result]).path is None  # no call: no draws, nothing written
    assert not (folder / ".rnncore" / "unused.npz").exists()

    # Same run, same bytes.
    before = stored.path.read_bytes()
    store_calls(folder, "sigmoid", [capture_calls(folder, "driver", ["label", "sigmoid", "unused"], timeout=60)])
    assert stored.path.read_bytes() == before


def test_a_case_of_captured_calls_runs_in_both_engines_and_agrees(octave, tmp_path):
    """The folder's ports (port_folder), the driver's captured calls (store_calls) as a case's
    `captured:` draws, through the workflow's inputs, Octave and Python steps."""
    from rnncore.config import load_settings
    from rnncore.tool.addfolder import port_folder

    folder = tmp_path / "matlab_ref" / "ex2"
    folder.mkdir(parents=True)
    (folder / "sigmoid.m").write_text(SIGMOID)
    (folder / "label.m").write_text(LABEL)
    (folder / "driver.m").write_text(DRIVER)
    port_folder(folder, project=tmp_path)
    stored = store_calls(folder, "sigmoid", [capture_calls(folder, "driver", ["label", "sigmoid"], timeout=60)])
    raw = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 16, "atol": 8.8817841970012523e-16},
           "cases": [{"name": "ex2-sigmoid", "script": "matlab_ref/ex2/sigmoid.m", "python": "ports.ex2.sigmoid:sigmoid",
                      "variables": ["g"], "captured": "matlab_ref/ex2/.rnncore/sigmoid.npz"}]}
    case = load_settings(raw, tmp_path, "config.yaml").case("ex2-sigmoid")
    assert (case.draws, list(case.inputs)) == (stored.draws, ["z"])
    params = case.params()
    oct_doc, py_doc = _both_engines(params, tmp_path)
    assert oct_doc.error is None and py_doc.error is None, (oct_doc.error, py_doc.error)
    assert [d["g"].shape for d in oct_doc.draws] == [(1, 1), (1, 2), (3, 1)]
    for o, p in zip(oct_doc.draws, py_doc.draws):
        # exp differs between Octave's libm and numpy in the last bit at most: 4 eps on values below 1.
        np.testing.assert_allclose(p["g"].data, o["g"].data, rtol=0, atol=4 * np.finfo(float).eps)


SCALED = """function y = scaled(x, k)
  if nargin < 2
    k = 2;
  end
  y = k * full(x);
end
"""
SCALED_DRIVER = "a = scaled([1 2]);\nb = scaled(sparse([0 3; 4 0]));\nc = scaled(5, 10);\n"


def test_calls_with_fewer_arguments_and_sparse_ones_are_stored_and_run_in_both_engines(octave, tmp_path):
    """Most calls give one argument of two (nargin 1): those are the draws, the case's inputs the first
    parameter only; the sparse argument is stored as the full matrix it holds (PRMLT's normalize(X),
    mrfBethe(A) with a sparse adjacency A)."""
    from rnncore.config import load_settings
    from rnncore.pipeline.settings import check_scripts

    stored = _ported_and_stored(tmp_path, "ex4", "scaled", SCALED, SCALED_DRIVER)
    assert stored.draws == 2 and len(stored.skipped) == 1
    assert "2 argument(s) where scaled.m declares (x, k) and the stored calls give 1" in stored.skipped[0]
    doc = read_engine(stored.path, "inputs", 2)
    assert doc.meta["arguments"] == ["x"]
    np.testing.assert_array_equal(doc.draws[1]["x"].data, [[0, 3], [4, 0]])
    raw = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 0, "atol": 0.0},
           "cases": [{"name": "ex4-scaled", "script": "matlab_ref/ex4/scaled.m", "python": "ports.ex4.scaled:scaled",
                      "variables": ["y"], "captured": "matlab_ref/ex4/.rnncore/scaled.npz"}]}
    settings = load_settings(raw, tmp_path, "config.yaml")
    assert check_scripts(settings) == []  # the first parameter only: a valid case of captured calls
    params = settings.case("ex4-scaled").params()
    oct_doc, py_doc = _both_engines(params, tmp_path)
    assert oct_doc.error is None and py_doc.error is None, (oct_doc.error, py_doc.error)
    for o, p, want in zip(oct_doc.draws, py_doc.draws, ([[2, 4]], [[0, 6], [8, 0]])):
        np.testing.assert_array_equal(o["y"].data, want)  # k = 2 by default: exact doubles
        np.testing.assert_array_equal(p["y"].data, want)


PREDICT = "function y = predict(model, x)\n  y = model.w' * x + model.b;\nend\n"
PREDICT_DRIVER = ("model = struct('w', [1; 2], 'b', 3, 'name', 'lin');\ny1 = predict(model, [1; 1]);\n"
                  "model.w = [0.5; -1];\ny2 = predict(model, [2; 4]);\n")


def test_a_struct_argument_is_stored_field_by_field_and_runs_in_both_engines(octave, tmp_path):
    """A course's `model` struct (PRMLT's logitBinPred(model, X)): stored as a 1x1 struct of its
    fields, in their order, and passed to Octave as a struct and to the port as a dict."""
    from rnncore.config import load_settings

    stored = _ported_and_stored(tmp_path, "ex5", "predict", PREDICT, PREDICT_DRIVER)
    assert (stored.draws, stored.skipped) == (2, ())
    model = read_engine(stored.path, "inputs", 2).draws[1]["model"]
    assert model.cls == "struct" and [name for name, _ in model.fields] == ["w", "b", "name"]
    np.testing.assert_array_equal(dict(model.fields)["w"].data, [[0.5], [-1.0]])
    raw = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 0, "atol": 0.0},
           "cases": [{"name": "ex5-predict", "script": "matlab_ref/ex5/predict.m",
                      "python": "ports.ex5.predict:predict", "variables": ["y"],
                      "captured": "matlab_ref/ex5/.rnncore/predict.npz"}]}
    oct_doc, py_doc = _both_engines(load_settings(raw, tmp_path, "config.yaml").case("ex5-predict").params(), tmp_path)
    assert oct_doc.error is None and py_doc.error is None, (oct_doc.error, py_doc.error)
    for o, p, want in zip(oct_doc.draws, py_doc.draws, (6.0, 0.0)):  # 1 + 2 + 3; 0.5 * 2 - 4 + 3: exact
        assert o["y"].data.tolist() == p["y"].data.tolist() == [[want]]
