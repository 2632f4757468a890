"""`rnncore add matlab_ref/<folder>/`: a whole course folder in one command (issue #19), then `rnncore run`.

Two exercises with a `sigmoid.m` each (different code) in one course; each function file's case has
the calls its folder's driver made as draws, each asking for the outputs every call asked for.
"""

import yaml

pytest_plugins = ["course_fixture"]  # the `course` fixture
from rnncore.io import read_engine
from rnncore.tool.cli import main

SIGMOIDS = {"ex2": "function g = sigmoid(z)\n  g = 1 ./ (1 + exp(-z));\nend\n",
            "ex3": "function g = sigmoid(z)\n  g = 2 * z + 1;\nend\n"}
PREDICT = "function [p, q] = predict(x)\n  p = sigmoid(x) + 1;\n  if nargout > 1\n    q = p * 2;\n  end\nend\n"
DRIVER = "x = [0 1];\np = predict(x);\np2 = predict([1; 2; 3]);\npause;\nw = sigmoid(4);\n"
UNCALLED = "function y = unused(x)\n  y = x;\nend\n"
REFUSED = "function y = spectrum(x)\n  y = abs(fft(x));\nend\n"


def make_folder(course, name, extra=()):
    d = course / "matlab_ref" / name
    d.mkdir(parents=True)
    (d / "sigmoid.m").write_text(SIGMOIDS[name])
    (d / "predict.m").write_text(PREDICT)
    (d / f"{name}_driver.m").write_text(DRIVER)
    for file, text in extra:
        (d / file).write_text(text)
    return d


def test_two_folders_added_then_run_pass_and_a_rerun_changes_nothing(octave, course, capsys):
    make_folder(course, "ex2", [("unused.m", UNCALLED), ("spectrum.m", REFUSED)])
    make_folder(course, "ex3")
    assert main(["add", "matlab_ref/ex2"]) == 0
    out = capsys.readouterr().out
    assert "skeleton ports/ex2/spectrum.py: fft (line 2)" in out
    assert "no script calls: spectrum, unused" in out
    assert main(["add", "matlab_ref/ex3/"]) == 0
    capsys.readouterr()
    config = course / "config.yaml"
    cases = {c["name"]: c for c in yaml.safe_load(config.read_text())["cases"]}
    assert cases["ex2-predict"] == {"name": "ex2-predict", "script": "matlab_ref/ex2/predict.m",
                                    "python": "ports.ex2.predict:predict", "variables": ["p"],
                                    "captured": "matlab_ref/ex2/.rnncore/predict.npz"}
    assert cases["ex2-ex2_driver"]["variables"] == ["p", "p2", "w", "x"]
    assert {"ex3-sigmoid", "ex3-predict", "ex3-ex3_driver"} <= set(cases)
    # sigmoid: called by predict twice (1x2, 3x1) and by the script once (1x1): three draws, nargout 1.
    stored = read_engine(course / "matlab_ref" / "ex2" / ".rnncore" / "sigmoid.npz", "inputs")
    assert sorted(d["z"].shape for d in stored.draws) == [(1, 1), (1, 2), (3, 1)]
    assert stored.meta["nargout"] == [1, 1, 1]

    before = config.read_bytes()
    assert main(["add", "matlab_ref/ex2"]) == 0
    assert config.read_bytes() == before  # same case names: nothing appended, nothing changed

    assert main(["run"]) == 0  # every case passes: the ports of both folders agree with Octave
    summary = (course / "results" / "parity" / "summary.csv").read_text()
    for case in ("ex2-sigmoid", "ex3-sigmoid", "ex2-predict", "ex3-predict", "ex2-ex2_driver"):
        assert f"{case},"  in summary
