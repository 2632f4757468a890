"""Random numbers in a parity run: Octave's draws recorded, the port's draws replayed from them.

A script that initialises weights at random is compared element by element: the Octave run
records every draw (rnncore.engine.octave.run_script(record_random=True)), the translated port,
inside rnncore.translate.runtime.random.replaying, returns the same numbers in the same order. Its
arithmetic on them is the script's (W = randn(3, 4) * 0.1 is one multiplication in both), so the
results are expected to be bit for bit equal: the tolerance is 0 ULP, 0 absolute. A port that
draws in another order stops with a message naming the call; outside a parity run, numpy's
generator is used, deterministically for a seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from port_loader import load_port
from rnncore.engine.octave import draws_random, run_script
from rnncore.translate.runtime import MatlabError
from rnncore.translate.runtime.random import Draw, replaying

SCRIPT = """rand('seed', 42);
W = randn(3, 4) * 0.1;
b = rand(3, 1);
p = randperm(5);
k = randi(10, 2, 2);
rng(3);
c = rand(1, 2) + 1;
rng('default');
e = randi([3 7], 1, 4);
"""
NAMES = ["W", "b", "p", "k", "c", "e"]


def _draws(result) -> list[Draw]:
    return [Draw(kind, size, values) for kind, size, values in result.random]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, octave):
    folder = tmp_path_factory.mktemp("random")
    (folder / "weights.m").write_text(SCRIPT)
    result = run_script(folder / "weights.m", NAMES, record_random=True)
    port, _ = load_port(folder / "weights.m", folder / "ports", "random_ports_weights")
    return folder, result, port


def test_the_octave_run_records_every_draw_in_call_order(recorded):
    _, result, _ = recorded
    kinds = [(kind, size) for kind, size, _ in result.random]
    # randi draws through rand in Octave 7's randi.m: rand(M, 1), M a little more than the count asked for
    assert [k for k, _ in kinds] == ["randn", "rand", "randperm", "rand", "rand", "rand"]
    assert kinds[0][1] == (3, 4) and kinds[1][1] == (3, 1) and kinds[2][1] == (1, 5) and kinds[4][1] == (1, 2)
    assert kinds[3][1][1] == 1 and kinds[3][1][0] >= 4
    np.testing.assert_array_equal(result.random[1][2], result.values["b"].reshape(-1, order="F"))
    assert sorted(result.values["p"].ravel().tolist()) == [1, 2, 3, 4, 5]


def test_the_replayed_port_equals_octave_element_by_element(recorded):
    _, result, port = recorded
    with replaying(_draws(result)):
        got = port()
    for name in NAMES:
        assert got[name].shape == result.sizes[name], name
        # 0 ULP: the same doubles went through the same single operation (or none) on both sides
        np.testing.assert_array_equal(got[name], result.values[name], err_msg=name)
    assert set(np.unique(got["e"])) <= {3, 4, 5, 6, 7}


def test_a_port_that_draws_in_another_order_fails_naming_the_call(recorded):
    _, result, _ = recorded
    from rnncore.translate.runtime import random as mr_random

    with pytest.raises(MatlabError, match=r"rand\(3, 1\): random call 1 asks for a 3x1 rand where the Octave "
                                          r"run's call 1 drew a 3x4 randn"):
        with replaying(_draws(result)):
            mr_random.rand(3, 1)


def test_a_port_that_draws_less_than_the_script_is_named(recorded):
    _, result, _ = recorded
    from rnncore.translate.runtime import random as mr_random

    with pytest.raises(MatlabError, match=r"made 1 random call\(s\) where the Octave run made 6"):
        with replaying(_draws(result)):
            mr_random.randn(3, 4)


def test_outside_a_parity_run_numpy_draws_deterministically_for_a_seed(recorded):
    _, result, port = recorded
    with replaying(None):
        first = port()
    with replaying(None):
        second = port()
    for name in NAMES:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)
        assert first[name].shape == result.sizes[name]
    assert not np.array_equal(first["W"], result.values["W"])  # numpy's numbers, not Octave's
    assert sorted(first["p"].ravel().tolist()) == [1, 2, 3, 4, 5]
    assert np.all((first["k"] >= 1) & (first["k"] <= 10) & (first["k"] == np.floor(first["k"])))
    assert np.all((first["b"] > 0) & (first["b"] < 1))


def test_a_seed_restarts_numpys_stream():
    from rnncore.translate.runtime import random as r

    with replaying(None):
        r.rng(7)
        a = np.asarray(r.rand(2, 3))  # plain arrays: numpy's testing functions work in place on MArrays
        r.rand("seed", 7)
        b = np.asarray(r.rand(2, 3))
        r.rng(8)
        c = np.asarray(r.rand(2, 3))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(a, np.random.default_rng(7).random(6).reshape((2, 3), order="F"))


def test_refused_generator_calls_say_why():
    from rnncore.translate.runtime import random as r

    with pytest.raises(MatlabError, match=r"rng\('shuffle'\): only rng\(s\) and rng\('default'\)"):
        r.rng("shuffle")
    with pytest.raises(MatlabError, match=r"rng without a seed .* seed it with rng\(s\)"):
        r.rng()
    with pytest.raises(MatlabError, match=r"only double random numbers"):
        r.rand(2, "single")


def test_only_scripts_that_draw_are_recorded(tmp_path):
    (tmp_path / "plain.m").write_text("x = 1;\n")
    assert not draws_random(tmp_path / "plain.m")
    (tmp_path / "init.m").write_text("function W = init(n)\nW = randn(n);\nend\n")
    assert not draws_random(tmp_path / "plain.m")  # a function beside it that it never calls
    (tmp_path / "calls.m").write_text("W = init(3);\n")
    assert draws_random(tmp_path / "calls.m")  # a function it calls draws


def test_a_parity_case_that_draws_at_random_passes_through_the_workflow_steps(tmp_path, monkeypatch, octave):
    from rnncore import layout
    from rnncore.config import load_settings
    from rnncore.pipeline import steps
    from rnncore.translate import translate_file

    monkeypatch.chdir(tmp_path)
    (tmp_path / "matlab_ref").mkdir()
    (tmp_path / "matlab_ref" / "weights.m").write_text(SCRIPT)
    translate_file(tmp_path / "matlab_ref" / "weights.m").write(tmp_path / "weights.py")
    # a hand-written port that draws b before W: the replay must stop it, not compare other numbers
    (tmp_path / "swapped.py").write_text(
        "from rnncore.translate import runtime as mr\n\n\ndef swapped():\n"
        "    b = mr.rand(3, 1)\n    W = mr.randn(3, 4) * 0.1\n    return {'W': W, 'b': b}\n")
    config = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 0, "atol": 0.0}, "cases": [
        {"name": "weights", "script": "matlab_ref/weights.m", "python": "weights:weights", "variables": NAMES},
        {"name": "swapped", "script": "matlab_ref/weights.m", "python": "swapped:swapped", "variables": ["W", "b"]}]}
    settings = load_settings(config, tmp_path, "config.yaml")
    rows = {}
    for name in ("weights", "swapped"):
        case = settings.case(name).params()
        steps.inputs_step(case, layout.inputs(name))
        steps.octave_step(case, layout.inputs(name), layout.octave_engine(name))
        steps.python_step(case, layout.inputs(name), layout.python_engine(name), project=tmp_path,
                          random_file=layout.octave_engine(name))
        rows[name] = steps.compare_step(case, layout.octave_engine(name), layout.python_engine(name),
                                        layout.case_summary(name))
    assert [(r["variable"], r["status"]) for r in rows["weights"]] == [(n, "pass") for n in NAMES]
    assert {r["n_elements"] for r in rows["weights"] if r["variable"] == "W"} == {12}
    assert {r["status"] for r in rows["swapped"]} == {"error"}
    message = rows["swapped"][0]["message"]
    assert "swapped.py" in message and "random call 1 asks for a 3x1 rand" in message, message


def test_a_function_file_called_once_per_draw_replays_every_calls_draws(tmp_path, monkeypatch, octave):
    from rnncore import layout
    from rnncore.config import load_settings
    from rnncore.pipeline import steps
    from rnncore.translate import translate_file

    monkeypatch.chdir(tmp_path)
    (tmp_path / "matlab_ref").mkdir()
    (tmp_path / "matlab_ref" / "init.m").write_text("function W = init(s)\nW = randn(2, 3) * s + randperm(3);\nend\n")
    translate_file(tmp_path / "matlab_ref" / "init.m").write(tmp_path / "init.py")
    config = {"octave": {"timeout_s": 60}, "tolerance": {"ulp": 0, "atol": 0.0}, "cases": [
        {"name": "init", "script": "matlab_ref/init.m", "python": "init:init", "variables": ["W"],
         "inputs": {"s": {"uniform": {"shape": [1, 1], "low": 1, "high": 2}}}, "draws": {"n": 3, "seed": 5}}]}
    case = load_settings(config, tmp_path, "config.yaml").case("init").params()
    steps.inputs_step(case, layout.inputs("init"))
    octave_doc = steps.octave_step(case, layout.inputs("init"), layout.octave_engine("init"))
    recorded = octave_doc.draws[0][steps.RANDOM_VARIABLE]
    assert [v.cls for v in recorded.items] == ["randn", "randperm"] * 3  # every draw's calls, in order
    steps.python_step(case, layout.inputs("init"), layout.python_engine("init"), project=tmp_path,
                      random_file=layout.octave_engine("init"))
    (row,) = steps.compare_step(case, layout.octave_engine("init"), layout.python_engine("init"),
                                layout.case_summary("init"))
    assert row["status"] == "pass", row
