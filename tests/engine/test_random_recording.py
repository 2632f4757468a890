"""The Octave side of random numbers in a parity run: run_script(record_random=True) records every
draw of rand, randn and randperm (randi's through rand), in call order, exactly; the recorders are
on the path only for that run, so a pooled session's next case draws from Octave's own functions."""

from __future__ import annotations

import numpy as np

from rnncore.engine.octave import run_script


def test_draws_before_a_clear_all_are_kept_and_match_the_values(tmp_path, octave):
    (tmp_path / "s.m").write_text("a = rand(2, 3);\nclear all\nb = randn(1, 4);\nc = randperm(4);\n")
    result = run_script(tmp_path / "s.m", ["b", "c"], record_random=True)
    assert [(k, s) for k, s, _ in result.random] == [("rand", (2, 3)), ("randn", (1, 4)), ("randperm", (1, 4))]
    np.testing.assert_array_equal(result.random[1][2], result.values["b"].ravel(order="F"))  # bit for bit
    np.testing.assert_array_equal(result.random[2][2], result.values["c"].ravel(order="F"))


def test_a_session_after_a_recorded_run_uses_octaves_own_functions(tmp_path, octave, monkeypatch):
    monkeypatch.setenv("RNNCORE_OCTAVE_REUSE", "1")
    (tmp_path / "s.m").write_text("x = rand(1, 2);\nwhere = which('rand');\n")
    recorded = run_script(tmp_path / "s.m", ["x", "where"], record_random=True)
    plain = run_script(tmp_path / "s.m", ["x", "where"])
    text = lambda r: "".join(map(chr, r.values["where"].ravel().astype(int)))  # noqa: E731
    assert text(recorded).endswith("recording/rand.m")
    assert "recording" not in text(plain) and plain.random == ()
    # the same seed (every session starts from rand('state', 0)): the recorder changes no number
    np.testing.assert_array_equal(recorded.values["x"], plain.values["x"])
