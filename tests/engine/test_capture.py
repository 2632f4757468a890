"""Tests for rnncore.engine.capture: the calls a driver script makes to its folder's function files,
captured in a real Octave (fixture ``octave``), except the input checks, which refuse before Octave starts."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from rnncore.engine.capture import CaptureError, capture_calls
from rnncore.engine.octave import OctaveScriptError


def course(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


SQ = "function y = sq(x)\n  y = x .^ 2;\nend\n"


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_three_calls_of_different_sizes_give_three_draws_with_their_nargout(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": "a = sq(2);\nb = sq([1 2 3]);\n[r, c] = shape(ones(2, 3));\nsq(zeros(2, 2));\n",
        "sq.m": SQ,
        "shape.m": "function [r, c] = shape(x)\n  r = size(x, 1);\n  c = sq(size(x, 2));\nend\n",
    })
    before = digests(folder)
    result = capture_calls(folder, "drive", ["sq", "shape"], max_calls=8, octave_executable=octave)
    sq = result.functions["sq"]
    # sq(2), sq([1 2 3]), sq(3) from inside shape (a nested captured call), sq(zeros(2,2)) as a statement
    assert (sq.calls, sq.distinct) == (4, 4)
    assert [c.sizes for c in sq.kept] == [((1, 1),), ((1, 3),), ((1, 1),), ((2, 2),)]
    assert [c.nargout for c in sq.kept] == [1, 1, 1, 0]
    assert [c.call_index for c in sq.kept] == [1, 2, 3, 4]
    # Values exactly as Octave had them (integers: no tolerance needed).
    np.testing.assert_array_equal(sq.kept[1].args[0], np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(sq.kept[2].args[0], np.array([[3.0]]))
    assert sq.kept[0].classes == ("double",)
    shape = result.functions["shape"]
    assert [(c.nargout, c.sizes) for c in shape.kept] == [(2, ((2, 3),))]
    assert result.uncalled == ()
    assert digests(folder) == before  # the course's folder is never modified


def test_duplicate_calls_collapse(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": "for k = 1:5\n  y = sq([1 2]);\nend\ny = sq(int8([1 2]));\ny = sq([1 2]);\n",
        "sq.m": SQ,
    })
    f = capture_calls(folder, "drive.m", ["sq"], octave_executable=octave).functions["sq"]
    # Same values of another class (int8) are another call; repeats are counted, not kept.
    assert (f.calls, f.distinct) == (7, 2)
    assert [(c.call_index, c.classes) for c in f.kept] == [(1, ("double",)), (6, ("int8",))]


def test_the_cap_keeps_calls_spread_over_the_run(octave, tmp_path):
    folder = course(tmp_path / "c", {"drive.m": "for k = 1:20\n  y = sq(k);\nend\n", "sq.m": SQ})
    f = capture_calls(folder, "drive", ["sq"], max_calls=4, octave_executable=octave).functions["sq"]
    assert (f.calls, f.distinct) == (20, 20)
    # Candidates on a doubling stride (held <= 8): 1,5,9,13,17 at stride 4; then 4 of those 5, evenly:
    # round(linspace(1, 5, 4)) = [1 2 4 5] -> calls 1, 5, 13, 17.
    assert [c.distinct_index for c in f.kept] == [1, 5, 13, 17]
    assert [float(c.args[0][0, 0]) for c in f.kept] == [1.0, 5.0, 13.0, 17.0]
    again = capture_calls(folder, "drive", ["sq"], max_calls=4, octave_executable=octave).functions["sq"]
    assert [c.distinct_index for c in again.kept] == [1, 5, 13, 17]  # deterministic


def test_pause_returns_at_once_and_is_counted_with_its_line(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": "x = 1;\nfor k = 1:3\n  pause;\nend\nwaits(2);\nx = sq(x + 1);\n",
        "waits.m": "function waits(n)\n  pause(n);\nend\n",
        "sq.m": SQ,
    })
    lines = []
    result = capture_calls(folder, "drive", ["sq", "waits"], octave_executable=octave, log=lines.append)
    assert result.pauses == ((str(folder / "drive.m"), 3, 3), (str(folder / "waits.m"), 2, 1))
    assert f"[capture] pause at {folder / 'drive.m'}:3 returned at once (3 times)" in lines
    assert result.functions["sq"].kept[0].args[0][0, 0] == 2.0  # the run went on past the pauses


def test_input_fails_naming_the_course_file_and_line(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": "x = 1;\ny = ask(x);\n",
        "ask.m": "function y = ask(x)\n  % asks\n  y = input('how many? ') + x;\nend\n",
    })
    with pytest.raises(OctaveScriptError) as info:
        capture_calls(folder, "drive", ["ask"], octave_executable=octave)
    err = info.value
    assert (err.file, err.line) == (str(folder / "ask.m"), 3)
    assert str(err).startswith(f"{folder / 'ask.m'}:3:")
    assert "input waits for an answer" in str(err)
    assert "__rnncore_orig_" not in str(err) and "rnncore-capture-" not in str(err)


def test_a_function_no_script_calls_is_reported_as_uncalled(octave, tmp_path):
    folder = course(tmp_path / "c", {"drive.m": "y = sq(3);\n", "sq.m": SQ,
                                     "unused.m": "function z = unused(a)\n  z = a;\nend\n"})
    result = capture_calls(folder, "drive", ["sq", "unused"], octave_executable=octave)
    assert result.uncalled == ("unused",)
    assert (result.functions["unused"].calls, result.functions["unused"].kept) == (0, ())


def test_calls_survive_clear_all_and_handles_structs_cells(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": ("s.w = 2; s.name = 'ab';\nr = take(s, {1, 'a'});\nclear all\n"
                    "f = @sq;\nr = take(f, 1);\nf(4)\n"),
        "sq.m": SQ,
        "take.m": "function r = take(a, b)\n  r = 1;\nend\n",
    })
    result = capture_calls(folder, "drive", ["sq", "take"], octave_executable=octave)
    take = result.functions["take"].kept
    assert take[0].classes == ("struct", "cell") and take[0].uncapturable == ""
    s, c = take[0].args
    assert s["name"] == "ab" and float(np.asarray(s["w"]).ravel()[0]) == 2.0
    assert list(np.asarray(c, dtype=object).ravel()[1:]) == ["a"]
    assert take[1].classes == ("function_handle", "double") and take[1].args == ()
    assert take[1].uncapturable.startswith("argument 1 is a function handle")
    # Called as a statement through a handle after `clear all`: captured with nargout 0.
    assert [(c.nargout, float(c.args[0][0, 0])) for c in result.functions["sq"].kept] == [(0, 4.0)]


@pytest.mark.parametrize(("script", "functions", "max_calls", "message"), [
    ("nothere", ["sq"], 8, r"nothere\.m: no such driver script"),
    ("drive", ["missing"], 8, r"missing\.m: no such function file"),
    ("drive", ["drive"], 8, r"drive is the driver script"),
    ("drive", ["helper"], 8, r"helper\.m is a script, not a function file"),
    ("drive", ["sq"], 0, r"max_calls must be a whole number of at least 1"),
    ("drive", "sq", 8, r"functions must be a list of function names, not the string 'sq'"),
    ("drive", ["s q"], 8, r"'s q' is not a MATLAB function name"),
])
def test_bad_inputs_are_refused_before_octave_starts(tmp_path, script, functions, max_calls, message):
    folder = course(tmp_path / "c", {"drive.m": "y = sq(1);\n", "sq.m": SQ, "helper.m": "z = 1;\n"})
    with pytest.raises(CaptureError, match=message):
        capture_calls(folder, script, functions, max_calls=max_calls, octave_executable="/nonexistent/octave")


def test_a_timeout_names_the_course_script_not_the_copy(octave, tmp_path):
    from rnncore.engine.octave import OctaveTimeoutError

    folder = course(tmp_path / "c", {"drive.m": "y = sq(2);\nwhile true\nend\n", "sq.m": SQ})
    with pytest.raises(OctaveTimeoutError) as info:
        capture_calls(folder, "drive", ["sq"], timeout=3, octave_executable=octave)
    assert str(info.value).startswith(f"{folder / 'drive.m'}: still running after the 3 s timeout")
    assert "rnncore-capture-" not in str(info.value)


def test_duplicates_are_still_found_after_the_digest_table_grows(octave, tmp_path):
    # 1500 calls of 600 values: past the 1024-slot table's first doubling (at 513 digests).
    folder = course(tmp_path / "c", {"drive.m": "for k = 1:1500\n  y = sq(mod(k * 7, 600));\nend\n", "sq.m": SQ})
    f = capture_calls(folder, "drive", ["sq"], max_calls=3, octave_executable=octave).functions["sq"]
    assert (f.calls, f.distinct) == (1500, 600)
    # Stride 256 at the end (candidates 1, 257, 513): all three kept. The k-th distinct call is k = 1..600
    # (7 and 600 are coprime), whose value is mod(7k, 600).
    assert [c.distinct_index for c in f.kept] == [1, 257, 513]
    assert [c.args[0][0, 0] for c in f.kept] == [7.0, 599.0, 591.0]


def test_sparse_and_complex_arguments_are_told_apart(octave, tmp_path):
    folder = course(tmp_path / "c", {
        "drive.m": ("a = speye(3); b = a; b(2, 3) = 5;\ny = take(a);\ny = take(b);\ny = take(speye(3));\n"
                    "y = take(1 + 2i);\ny = take(1 - 2i);\n"),
        "take.m": "function r = take(a)\n  r = 1;\nend\n",
    })
    f = capture_calls(folder, "drive", ["take"], octave_executable=octave).functions["take"]
    assert (f.calls, f.distinct) == (5, 4)  # speye(3) twice is one call; conjugates differ
    assert [c.call_index for c in f.kept] == [1, 2, 4, 5]
