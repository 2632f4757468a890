"""Functions courses call that Octave 7 lacks (``randsample``, ``gamrnd``, ``histcounts``) and Octave's
``randg``: rnncore's compatibility shims (``matlab_ref/compat/``) in Octave, the runtime's functions in
the port, compared on one script. And command syntax for the runtime's statements (``addpath ../common``).

The random ones draw through recorded generators (``randperm``, ``randi``'s ``rand``, ``randg``), so
the port replays Octave's very draws and takes the same arithmetic steps on them: the expected
difference is 0 ULP (each result is a draw, an index, or one multiplication of a draw).
"""

from __future__ import annotations

import numpy as np
import pytest

from port_loader import load_port
from rnncore.engine.octave import draws_random, run_script
from rnncore.resources import compat_dir
from rnncore.translate.runtime import MatlabError
from rnncore.translate.runtime.random import Draw, replaying
from rnncore.translate.runtime.stats import histcounts
from test_translate_snippets import Snippet, check_snippet, run_snippets

RANDOM = """rand('seed', 7); randn('seed', 7);
s1 = randsample(10, 4);
s2 = randsample([5 6 7 8], 2);
s3 = randsample(5, 3, true);
g1 = gamrnd(2, 3, 2, 2);
g2 = gamrnd([1 2; 3 -1], 1);
g3 = randg(2.5, 1, 3);
g4 = gamrnd(0.5, [1 2 3]);
"""
RANDOM_NAMES = ["s1", "s2", "s3", "g1", "g2", "g3", "g4"]
HIST = """x = [0.1 0.5 0.5 0.99 1 -2 NaN 0.3];
[n, e, b] = histcounts(x, [0; 0.5; 1]);
[~, ~, c] = histcounts([0.2; 0.7; 0.7], [0 0.25 0.5 0.75 1]);
m = histcounts(x, [0 1 1 2]);
"""
HIST_NAMES = ["n", "e", "b", "c", "m"]


@pytest.fixture(scope="module")
def shimmed(tmp_path_factory, octave):
    folder = tmp_path_factory.mktemp("course_builtins")
    (folder / "draws.m").write_text(RANDOM)
    (folder / "hist.m").write_text(HIST)
    shims = [compat_dir()]
    draws = run_script(folder / "draws.m", RANDOM_NAMES, shim_dirs=shims, record_random=True)
    hist = run_script(folder / "hist.m", HIST_NAMES, shim_dirs=shims)
    return folder, draws, hist


@pytest.mark.octave
def test_random_shims_record_their_draws_and_the_port_replays_them_bit_for_bit(shimmed):
    folder, result, _ = shimmed
    assert draws_random(folder / "draws.m")
    assert {"randsample", "gamrnd"} <= set(result.shims_used)
    kinds = [kind for kind, _, _ in result.random]
    assert kinds == ["randperm", "randperm", "rand", "randg", "randg", "randg", "randg"]
    port, _ = load_port(folder / "draws.m", folder / "ports", "course_builtins_draws")
    with replaying([Draw(k, s, v) for k, s, v in result.random]):
        got = port()
    for name in RANDOM_NAMES:
        assert got[name].shape == result.sizes[name], name
        np.testing.assert_array_equal(got[name], result.values[name], err_msg=name)  # 0 ULP: see the docstring
    assert result.sizes["s1"] == (4, 1) and len(set(result.values["s1"].ravel())) == 4
    assert set(result.values["s2"].ravel()) <= {5, 6, 7, 8} and result.sizes["s2"] == (1, 2)
    assert np.isnan(result.values["g2"][1, 1]) and np.all(result.values["g1"] > 0)  # shape -1: NaN


@pytest.mark.octave
def test_histcounts_port_equals_the_shim_in_octave(shimmed):
    folder, _, result = shimmed
    assert "histcounts" in result.shims_used
    port, _ = load_port(folder / "hist.m", folder / "ports", "course_builtins_hist")
    got = port()
    for name in HIST_NAMES:  # counts, edges and bin numbers: exact
        assert got[name].shape == result.sizes[name], name
        np.testing.assert_array_equal(got[name], result.values[name], err_msg=name)
    np.testing.assert_array_equal(result.values["n"], [[2, 4]])  # 0.5 opens bin 2; 1 is in the closed last bin
    np.testing.assert_array_equal(result.values["b"], [[1, 2, 2, 2, 2, 0, 0, 1]])


def test_histcounts_refuses_the_bin_count_forms_the_shim_refuses():
    with pytest.raises(MatlabError, match="only histcounts\\(X, EDGES\\)"):
        histcounts(np.array([[1.0, 2.0]]), 3.0)
    with pytest.raises(MatlabError, match="nondecreasing"):
        histcounts(np.array([[1.0, 2.0]]), np.array([[2.0, 1.0]]))


SNIPPETS = {
    # command syntax for a runtime statement: `addpath dir` is addpath('dir'); `disp word` prints it
    "command_statements": Snippet("""
        addpath .
        disp hello
        x = 3;
    """, output=True),
}


@pytest.fixture(scope="module")
def course_runs(octave, tmp_path_factory):
    return run_snippets(SNIPPETS, "cb", octave, tmp_path_factory)


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_course_snippet_matches_octave(name, course_runs, tmp_path_factory):
    runs, folder = course_runs
    check_snippet(SNIPPETS[name], f"cb_{name}", runs[f"cb_{name}"], folder, tmp_path_factory.mktemp("cb_ports"))
