"""Tests for rnncore.engine.octave: finding Octave, error reporting (parse, runtime, custom, missing and
unsupported variables, timeout), MATLAB shapes and classes, inputs, logging, fresh sessions.

Everything except the "Octave not installed" tests runs a real GNU Octave (fixture ``octave``).
Each ``run_script`` starts a new Octave (~1-2 s), so tests share runs where they can.
"""

import contextlib
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from rnncore.engine.octave import (
    MissingVariableError,
    OctaveError,
    OctaveNotFoundError,
    OctaveScriptError,
    OctaveTimeoutError,
    UnsupportedVariableError,
    find_octave,
    run_script,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "m"


def write_script(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


def octave_children() -> set[int]:
    """PIDs of live (not zombie) processes whose parent is this Python and whose command line names octave."""
    found = set()
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == me and state != "Z" and b"octave" in cmdline:
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# --------------------------------------------------------------------------- Octave missing / broken


def test_find_octave_not_installed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no octave-cli, no octave
    monkeypatch.delenv("OCTAVE_EXECUTABLE", raising=False)
    with pytest.raises(OctaveNotFoundError, match="apt-get install octave"):
        find_octave()
    script = write_script(tmp_path, "s.m", "x = 1;\n")
    with pytest.raises(OctaveNotFoundError, match="apt-get install octave") as info:
        run_script(script, ["x"])
    assert "not installed" in str(info.value)


def test_octave_executable_env_points_nowhere(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-octave"
    monkeypatch.setenv("OCTAVE_EXECUTABLE", str(missing))
    with pytest.raises(OctaveNotFoundError, match="apt-get install octave") as info:
        find_octave()
    assert "OCTAVE_EXECUTABLE" in str(info.value) and str(missing) in str(info.value)
    script = write_script(tmp_path, "s.m", "x = 1;\n")
    with pytest.raises(OctaveNotFoundError, match="apt-get install octave"):
        run_script(script, ["x"])


@pytest.fixture
def fake_octave(tmp_path):
    """An executable that is not Octave: it exits at once with status 3."""
    fake = tmp_path / "fake-octave"
    fake.write_text("#!/bin/sh\necho 'fake octave refuses to start' >&2\nexit 3\n")
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize("how", ["env", "argument"])
def test_octave_that_exits_at_once(monkeypatch, tmp_path, fake_octave, how):
    script = write_script(tmp_path, "s.m", "x = 1;\n")
    kwargs = {}
    if how == "env":
        monkeypatch.setenv("OCTAVE_EXECUTABLE", str(fake_octave))
        assert find_octave() == str(fake_octave)
    else:
        kwargs["octave_executable"] = str(fake_octave)
    with pytest.raises(OctaveError) as info:
        run_script(script, ["x"], timeout=5, **kwargs)
    # Reported as its exit, not as the 5 s timeout: the runner did not wait for a process that had ended.
    assert not isinstance(info.value, OctaveTimeoutError)
    message = str(info.value)
    assert "could not start Octave" in message and str(fake_octave) in message
    assert "exited with status 3" in message
    assert "fake octave refuses to start" in message  # its stderr is passed on


def test_octave_that_hangs_at_start_is_killed(tmp_path):
    """oct2py's start-up check has no timeout; the runner's own probe must bound it and kill the tree."""
    # The shell forks `sleep` (a grandchild of the runner): killing only the shell would leave it.
    # Its argument is unique to this test run, so a leftover `sleep` is recognisable in /proc.
    tag = f"600.{os.getpid()}{time.monotonic_ns() % 100000}"
    fake = tmp_path / "hanging-octave"
    fake.write_text(f"#!/bin/sh\nsleep {tag}\n")
    fake.chmod(0o755)
    script = write_script(tmp_path, "s.m", "x = 1;\n")
    # The fake sleeps for ever: only the runner's 2 s start-up timeout can end this call.
    with pytest.raises(OctaveTimeoutError, match="could not start Octave") as info:
        run_script(script, ["x"], timeout=2, octave_executable=str(fake))
    assert "2 s timeout" in str(info.value)
    # A killed process lingers in /proc until its parent reaps it; on a loaded machine give it a moment.
    deadline = time.monotonic() + 5
    while (processes_mentioning(str(fake)) or processes_mentioning(tag)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(fake)) == []
    assert processes_mentioning(tag) == []


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if text.encode() in Path(f"/proc/{entry}/cmdline").read_bytes() and alive(int(entry)):
                found.append(int(entry))
        except OSError:
            continue
    return found


# --------------------------------------------------------------------------- script errors


def test_syntax_error_is_located(octave):
    script = FIXTURES / "syntax_error.m"
    with pytest.raises(OctaveScriptError) as info:
        run_script(script, ["a"], timeout=30)
    err = info.value
    assert err.line == 3  # the unclosed parenthesis
    assert err.file.endswith("syntax_error.m")
    message = str(err)
    assert "parse error" in message
    assert "syntax_error.m:3" in message


def test_runtime_error_is_located(octave):
    script = FIXTURES / "runtime_error.m"
    with pytest.raises(OctaveScriptError) as info:
        run_script(script, ["a"], timeout=30)
    err = info.value
    assert err.line == 3
    assert err.file == str(script.resolve())
    message = str(err)
    assert "runtime_error.m:3" in message
    assert "no_such_function_xyz" in message


def test_runtime_error_in_helper_points_at_helper(octave):
    """The innermost user frame (the function file) is reported, and the script's call site named."""
    script = FIXTURES / "calls_failing_helper.m"
    with pytest.raises(OctaveScriptError) as info:
        run_script(script, ["a"], timeout=30)
    err = info.value
    assert err.file == str((FIXTURES / "fixture_failing_helper.m").resolve())
    assert err.line == 4  # not 5, the script's line that called the helper
    message = str(err)
    assert "fixture_failing_helper.m:4" in message
    assert "undefined_in_helper_q" in message
    assert "calls_failing_helper.m:5" in message  # "(called from <script>:5)"


def test_custom_error_message_and_identifier(octave, tmp_path):
    script = write_script(tmp_path, "custom.m", "a = 1;\nerror('my:id', 'custom %d', 7);\n")
    with pytest.raises(OctaveScriptError) as info:
        run_script(script, ["a"], timeout=30)
    message = str(info.value)
    assert "custom 7" in message
    assert "my:id" in message
    assert info.value.line == 2


# --------------------------------------------------------------------------- variables


def test_missing_variable(octave, tmp_path):
    script = write_script(tmp_path, "ab.m", "a = 1;\nb = 2;\n")
    with pytest.raises(MissingVariableError) as info:
        run_script(script, ["a", "zz"], timeout=30)
    err = info.value
    assert err.missing == ("zz",)
    assert {"a", "b"} <= set(err.defined)
    message = str(err)
    assert "zz" in message and "a, b" in message

    result = run_script(script, ["a", "zz"], timeout=30, require_all=False)
    assert result.missing == ("zz",)
    assert list(result.values) == ["a"]
    np.testing.assert_array_equal(result.values["a"], np.array([[1.0]]), strict=True)


@contextlib.contextmanager
def _octave_started():
    """(Octave processes before, those this block starts), the second filled while it runs."""
    before = octave_children()
    seen: set[int] = set()
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            seen.update(octave_children() - before)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield before, seen
    finally:
        stop.set()
        watcher.join()


def test_timeout_kills_the_session(octave, tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCORE_OCTAVE_REUSE", "0")  # a session of its own, started (and killed) by this run

    script = write_script(tmp_path, "forever.m", "while true; end\n")
    with _octave_started() as (before, seen):  # `while true; end` ends only by the timeout, which the error names
        with pytest.raises(OctaveTimeoutError, match="3 s timeout"):
            run_script(script, [], timeout=3)
    assert seen, "the watcher never saw the run's Octave process"
    assert [pid for pid in seen if alive(pid)] == []
    assert octave_children() - before == set()


def test_shapes_and_classes(octave, tmp_path):
    script = write_script(
        tmp_path, "shapes.m",
        "s = 5; c = [1;2;3]; r = [1 2 3]; l = [true false]; i8 = int8([1 2]); e = zeros(0,3);\n",
    )
    names = ["s", "c", "r", "l", "i8", "e"]
    result = run_script(script, names, timeout=30)
    expected_shapes = {"s": (1, 1), "c": (3, 1), "r": (1, 3), "l": (1, 2), "i8": (1, 2), "e": (0, 3)}
    expected_classes = {"s": "double", "c": "double", "r": "double", "l": "logical", "i8": "int8", "e": "double"}
    assert {n: result.values[n].shape for n in names} == expected_shapes
    assert result.sizes == expected_shapes
    assert result.classes == expected_classes
    assert all(result.values[n].dtype == np.float64 for n in names)
    # Small integers: exact.
    np.testing.assert_array_equal(result.values["s"], np.array([[5.0]]), strict=True)
    np.testing.assert_array_equal(result.values["c"], np.array([[1.0], [2.0], [3.0]]), strict=True)
    np.testing.assert_array_equal(result.values["r"], np.array([[1.0, 2.0, 3.0]]), strict=True)
    np.testing.assert_array_equal(result.values["l"], np.array([[1.0, 0.0]]), strict=True)
    np.testing.assert_array_equal(result.values["i8"], np.array([[1.0, 2.0]]), strict=True)
    assert set(names) <= set(result.workspace)


def test_struct_is_unsupported_unless_its_fields_are_named(octave, tmp_path):
    script = write_script(tmp_path, "odd.m", "st.a = [1 2];\nst.b.c = 3;\nf = @(x) x;\n")
    with pytest.raises(UnsupportedVariableError) as info:
        run_script(script, ["st"], timeout=30)
    message = str(info.value)
    assert "'st'" in message and "MATLAB struct" in message and "s.a" in message  # says how to name fields
    result = run_script(script, ["st.a", "st.b.c", "st.zz", "f"], timeout=30, require_all=False)
    np.testing.assert_array_equal(result.values["st.a"], np.array([[1.0, 2.0]]), strict=True)
    np.testing.assert_array_equal(result.values["st.b.c"], np.array([[3.0]]), strict=True)
    assert result.missing == ("st.zz",)
    assert "MATLAB function_handle" in result.unsupported["f"]


def test_cells_text_and_logicals_come_back_with_their_classes(octave, tmp_path):
    script = write_script(tmp_path, "odd.m", "ce = {1, 'CAT'; [true false], int8(7)};\nch = ['abc'; 'def'];\n"
                                              "b = true;\n")
    result = run_script(script, ["ce", "ch", "b"], timeout=30)
    assert (result.classes["ce"], result.classes["ch"], result.classes["b"]) == ("cell", "char", "logical")
    ce = result.matlab["ce"]
    assert ce.shape == (2, 2)
    # Items in MATLAB's column-major cell order: ce{1,1}, ce{2,1}, ce{1,2}, ce{2,2}.
    assert [(i.cls, i.shape) for i in ce.items] == [("double", (1, 1)), ("logical", (1, 2)), ("char", (1, 3)),
                                                    ("int8", (1, 1))]
    np.testing.assert_array_equal(ce.items[2].data, np.array([[67.0, 65, 84]]), strict=True)  # 'CAT' by its codes
    # A 2x3 char array comes back as its character codes, shape kept: exact integers.
    np.testing.assert_array_equal(result.values["ch"], np.array([[97.0, 98, 99], [100, 101, 102]]), strict=True)
    np.testing.assert_array_equal(result.values["b"], np.array([[1.0]]), strict=True)
    assert "ce" not in result.values  # values holds arrays; a cell is in `matlab` only


def test_output_goes_to_log(octave, tmp_path):
    script = write_script(tmp_path, "show.m", "x = 42\n")
    lines: list[str] = []
    result = run_script(script, ["x"], timeout=30, log=lines.append)
    assert any("x = 42" in line for line in lines), lines
    np.testing.assert_array_equal(result.values["x"], np.array([[42.0]]), strict=True)


def test_inputs_are_visible(octave, tmp_path):
    script = write_script(tmp_path, "double_it.m", "y = 2*A;\n")
    a = np.array([[1.5, -2.0, 3.25], [0.1, 1e300, -7.0]])
    result = run_script(script, ["y"], timeout=30, inputs={"A": a})
    assert result.sizes["y"] == (2, 3)
    # Doubling is exact in binary floating point, so Octave must give 2*a bit for bit.
    np.testing.assert_array_equal(result.values["y"], 2 * a, strict=True)
    assert "A" in result.workspace


def test_rnn2_script(octave, root):
    names = ["ht", "y_out", "softmax_y_out"]
    result = run_script(root / "matlab_ref" / "rnn2.m", names,
                        shim_dirs=[root / "matlab_ref" / "compat"], timeout=60)
    assert result.classes == {n: "double" for n in names}
    assert result.sizes == {"ht": (3, 4), "y_out": (4, 4), "softmax_y_out": (4, 4)}
    assert {n: v.shape for n, v in result.values.items()} == result.sizes
    assert result.shims_used == ("softmax",)
    # every shim of matlab_ref/compat names a function Octave 7 lacks, so all are placed; one is called
    assert result.shims_on_path == ("gamrnd", "histcounts", "randsample", "softmax")
    assert "in_S" in result.workspace
    assert result.versions["octave"][:1].isdigit(), result.versions
    # Columns 2..4 are softmax outputs: sums of 4 values in [0, 1] each, so 1 within a few ULP.
    sums = result.values["softmax_y_out"][:, 1:].sum(axis=0)
    np.testing.assert_allclose(sums, np.ones(3), rtol=0, atol=4 * np.finfo(float).eps, strict=True)
    np.testing.assert_array_equal(result.values["softmax_y_out"][:, 0], np.zeros(4), strict=True)


def test_each_run_is_a_fresh_session(octave, tmp_path):
    first = write_script(tmp_path, "set_leak.m", "leak = 1;\n")
    second = write_script(tmp_path, "read_leak.m", "seen = exist('leak');\n")
    assert run_script(first, ["leak"], timeout=30).values["leak"].item() == 1.0
    result = run_script(second, ["seen"], timeout=30)
    np.testing.assert_array_equal(result.values["seen"], np.array([[0.0]]), strict=True)
    assert "leak" not in result.workspace


# --------------------------------------------------------------------------- unattended, and paths as data


@pytest.mark.parametrize(("call", "word"), [("x = input('enter a number: ');", "input"),
                                             ("keyboard;", "keyboard")])
def test_interactive_calls_fail_at_once_naming_file_and_line(octave, tmp_path, call, word):
    script = write_script(tmp_path, "asks.m", f"a = 1;\n{call}\nb = 2;\n")
    with pytest.raises(OctaveScriptError) as info:
        run_script(script, ["a", "b"], timeout=20)
    # Fails at the call, as a script error naming it, not by the 20 s timeout (the old runner blocked
    # until interrupted): a timeout would raise OctaveTimeoutError, not OctaveScriptError.
    assert not isinstance(info.value, OctaveTimeoutError)
    message = str(info.value)
    assert f"{script.resolve()}:2:" in message and word in message and "unattended" in message


@pytest.mark.parametrize("call", ["pause;", "pause(Inf);", "pause(30);"])
def test_a_pause_returns_at_once_and_is_logged_with_its_place(octave, tmp_path, call):
    # A pause changes no value: unattended, every form returns at once; the case's log says where and
    # how often (three times here: once in the loop's first pass is logged as it happens, the count at the end).
    script = write_script(tmp_path, "waits.m", f"a = 1;\nfor k = 1:3\n  {call}\nend\nb = 2;\n")
    lines = []
    result = run_script(script, ["b"], timeout=20, log=lines.append)
    np.testing.assert_array_equal(result.values["b"], np.array([[2.0]]), strict=True)
    place = f"{script.resolve()}:3"
    assert f"[rnncore] pause at {place} returned at once (unattended run)" in lines
    assert f"[rnncore] pause at {place} returned at once 3 time(s)" in lines


def test_pause_switches_still_answer(octave, tmp_path):
    script = write_script(tmp_path, "switch.m", "pause off\non = strcmp(pause('query'), 'on');\npause on\n")
    result = run_script(script, ["on"], timeout=20)
    np.testing.assert_array_equal(result.values["on"], np.array([[1.0]]), strict=True)  # logicals come back as double


def test_a_script_printing_forever_is_stopped_at_the_timeout(octave, tmp_path):
    # oct2py's own timeout restarts at every printed line; the watchdog counts wall-clock time.
    script = write_script(tmp_path, "chatty.m", "k = 0;\nwhile true\n  k = k + 1;\n  disp(k);\n  pause(0.01);\nend\n")
    with _octave_started() as (_, seen):
        with pytest.raises(OctaveTimeoutError, match="3 s timeout"):
            run_script(script, ["k"], timeout=3)
    assert seen, "the watcher never saw the run's Octave process"
    assert [pid for pid in seen if alive(pid)] == []
    # The next run starts a fresh session and works.
    again = run_script(write_script(tmp_path, "ok.m", "y = 3;\n"), ["y"], timeout=20)
    np.testing.assert_array_equal(again.values["y"], np.array([[3.0]]), strict=True)


def test_reading_standard_input_fails_instead_of_waiting(octave, tmp_path):
    script = write_script(tmp_path, "reads.m", "line = fgetl(stdin);\n")
    with pytest.raises(OctaveError, match="stdin") as info:
        run_script(script, ["line"], timeout=20)
    assert not isinstance(info.value, OctaveTimeoutError)  # failed at the read, did not wait for the timeout
    assert f"{script.resolve()}:1:" in str(info.value)


def test_file_name_with_quotes_and_spaces_runs_and_cannot_inject_code(octave, tmp_path):
    odd = write_script(tmp_path, "rnn2 it's.m", "y = 41 + 1;\n")
    result = run_script(odd, ["y"], timeout=30)
    np.testing.assert_array_equal(result.values["y"], np.array([[42.0]]), strict=True)
    # A legal file name that would run as code if the path were pasted into Octave source.
    evil = write_script(tmp_path, "x.m'),system('touch PWNED'),%.m", "z = 7;\n")
    result = run_script(evil, ["z"], timeout=30)
    np.testing.assert_array_equal(result.values["z"], np.array([[7.0]]), strict=True)
    assert not any(p.name.startswith("PWNED") for p in tmp_path.rglob("*"))
    assert not Path("PWNED").exists()


def test_a_reused_session_gives_every_script_a_fresh_start(octave, tmp_path):
    """Pooled sessions are reset before each run: the same bytes whatever ran before (two orders)."""
    leaky = write_script(tmp_path, "leaky.m",
                         "x = persist_count(); global G; G = 5; leak = 1; format long; addpath(tempdir);\n"
                         "cd(tempdir); warning('off', 'all'); r = rand(2); figure;\n")
    write_script(tmp_path, "persist_count.m",
                 "function n = persist_count()\n  persistent k;\n  if isempty(k), k = 0; end\n  k = k + 1;\n  n = k;\nend\n")
    probe = write_script(tmp_path, "probe.m",
                         "global G; g = isempty(G); seen = exist('leak'); r = rand(2); x = persist_count();\n"
                         "here = double(strcmp(pwd, fileparts(mfilename('fullpath')))); nfig = numel(get(0, 'children'));\n")
    names = ["g", "seen", "r", "x", "here", "nfig"]
    first = run_script(probe, names, timeout=30)
    run_script(leaky, ["r"], timeout=30)
    after = run_script(probe, names, timeout=30)
    for name in names:
        np.testing.assert_array_equal(after.values[name], first.values[name], strict=True, err_msg=name)
    np.testing.assert_array_equal(first.values["g"], np.array([[1.0]]), strict=True)  # no global left over
    np.testing.assert_array_equal(first.values["x"], np.array([[1.0]]), strict=True)  # persistent state cleared
    np.testing.assert_array_equal(first.values["here"], np.array([[1.0]]), strict=True)  # runs in its own folder


def test_a_run_after_the_last_runs_folder_was_deleted_still_works(octave, tmp_path):
    # The pooled session was left in the first script's folder; deleting it must not break the next run.
    gone = tmp_path / "gone"
    gone.mkdir()
    run_script(write_script(gone, "first.m", "a = 1;\n"), ["a"], timeout=20)
    import shutil

    shutil.rmtree(gone)
    result = run_script(write_script(tmp_path, "second.m", "b = 2;\n"), ["b"], timeout=20)
    np.testing.assert_array_equal(result.values["b"], np.array([[2.0]]), strict=True)


def test_run_scripts_captures_printed_text_on_request(octave, tmp_path):
    # Octave's display of `x = 3` and a printf with no final newline: the exact bytes must come back
    # (the translator's display tests compare them byte for byte).
    write_script(tmp_path, "shows.m", "x = 3\nprintf('a\\nb');\n")
    write_script(tmp_path, "fails.m", "disp(1); error('my:id', 'stop here');\n")
    from rnncore.engine.octave import run_scripts
    shown, failed = run_scripts(tmp_path, ["shows", "fails"], capture_output=True)
    assert shown.error is None and shown.output == "x = 3\na\nb"
    assert failed.error == "stop here" and failed.identifier == "my:id"
    quiet, = run_scripts(tmp_path, ["shows"])  # without the option the text is not kept
    assert quiet.output == ""


def test_run_scripts_describes_every_variable_exactly(octave, tmp_path):
    # What the translator's tests compare beyond numeric arrays: a 1x1 struct field by field (nested
    # ones too), a struct array by class and size, complex values, a sparse matrix as its full values,
    # a function handle by class and size; compared values stay Values as the fuzzer reads them.
    write_script(tmp_path, "kinds.m",
                 "s = struct('a', [1 2], 'b', 'hi'); s.c.d = {3, 'x'}; t = struct('a', {1, 2});\n"
                 "z = [1+2i, -0.5]; q = sparse([1 3], [2 2], [5 6], 3, 2); f = @(x) x + 1; e = struct();\n")
    from rnncore.engine.octave import run_scripts
    run, = run_scripts(tmp_path, ["kinds"])
    d = run.described
    assert sorted(d) == ["e", "f", "q", "s", "t", "z"]
    cls, size, fields = d["s"]
    assert (cls, size, list(fields)) == ("struct", (1, 1), ["a", "b", "c"])
    np.testing.assert_array_equal(fields["a"][2], np.array([[1.0, 2.0]]), strict=True)
    assert fields["b"][:2] == ("char", (1, 2)) and fields["b"][2].tolist() == [[104.0, 105.0]]
    inner = fields["c"][2]["d"]
    assert inner[:2] == ("cell", (1, 2)) and inner[2][0][2].tolist() == [[3.0]] and inner[2][1][0] == "char"
    assert d["t"] == ("struct", (1, 2), None) and d["f"] == ("function_handle", (1, 1), None)
    assert d["e"] == ("struct", (1, 1), {})
    np.testing.assert_array_equal(d["z"][2], np.array([[1 + 2j, -0.5 + 0j]]), strict=True)
    np.testing.assert_array_equal(d["q"][2], np.array([[0.0, 5.0], [0.0, 0.0], [0.0, 6.0]]), strict=True)
    assert run.classes["q"] == "double" and run.values["q"].data.shape == (3, 2)  # sparse: compared as full
    assert "complex" in run.unsupported["z"] and "struct" in run.unsupported["s"]


def test_run_scripts_runs_in_the_folder_with_shims_and_warnings_off_on_request(octave, tmp_path):
    # A data file read by relative name (the folder is the working folder, as MATLAB's run makes it);
    # a shim for a name Octave lacks; with warnings=False a warning is not captured with the text; a
    # pause's note goes to the log, not into the script's printed text.
    (tmp_path / "data.txt").write_text("4 5\n")
    shims = tmp_path / "shims"
    shims.mkdir()
    write_script(shims, "rnncore_test_shim.m", "function y = rnncore_test_shim(x)\n  y = 2 * x;\nend\n")
    write_script(tmp_path, "reads.m", "d = load('data.txt'); y = rnncore_test_shim(3);\n"
                                      "warning('a warning'); pause(0); disp(1)\n")
    from rnncore.engine.octave import run_scripts
    lines = []
    run, = run_scripts(tmp_path, ["reads"], capture_output=True, shim_dirs=[shims], warnings=False, log=lines.append)
    assert run.error is None, run.error
    np.testing.assert_array_equal(run.values["d"].data, np.array([[4.0, 5.0]]), strict=True)
    np.testing.assert_array_equal(run.values["y"].data, np.array([[6.0]]), strict=True)
    assert run.output == "1\n"
    assert any("pause at" in line and "1 time(s)" in line for line in lines), lines
    loud, = run_scripts(tmp_path, ["reads"], capture_output=True, shim_dirs=[shims])
    assert "warning: a warning" in loud.output


def test_a_function_returning_a_sparse_matrix_gives_its_values_full(octave, tmp_path):
    """A function case's output that is sparse (class double) comes back as the full matrix it holds,
    as the port's (runtime.sparse holds it full); it used to stop `rnncore run` with a traceback."""
    from rnncore.engine.octave import run_function_draws

    (tmp_path / "adjacency.m").write_text("function A = adjacency(n)\n  A = sparse(1:n-1, 2:n, 1, n, n);\nend\n")
    result = run_function_draws(tmp_path / "adjacency.m", ["n"], ["A"], [{"n": np.array([[3.0]])}], timeout=60)
    assert result.classes == [{"A": "double"}]
    np.testing.assert_array_equal(result.draws[0]["A"], [[0, 1, 0], [0, 0, 1], [0, 0, 0]])


def test_a_sparse_variable_a_script_leaves_comes_back_full(octave, tmp_path):
    """PRMLT's mrf_demo leaves a sparse adjacency matrix: compared as the full matrix it holds (it stopped
    `rnncore run` with a traceback)."""
    script = write_script(tmp_path, "adjacency_script.m", "A = sparse([1 2], [2 3], [5 7], 3, 3);\n")
    result = run_script(script, ["A"], timeout=60)
    assert result.classes["A"] == "double"
    np.testing.assert_array_equal(result.values["A"], [[0, 5, 0], [0, 0, 7], [0, 0, 0]])


def test_int64_values_come_back_exactly(octave, tmp_path):
    """Octave's int64/uint64 values are read with their own dtype: as doubles, 2^53 + 1 would be 2^53."""
    from rnncore.engine.octave import run_scripts

    write_script(tmp_path, "big_ints.m", "a = int64(2)^53 + 1;\nb = intmax('uint64');\nc = {int64(-2)^63};\n")
    run = run_scripts(tmp_path, ["big_ints"], octave_executable=octave)[0]
    assert run.error is None, run.error
    assert (run.values["a"].data.dtype, run.values["a"].data.tolist()) == (np.int64, [[2**53 + 1]])
    assert (run.values["b"].data.dtype, run.values["b"].data.tolist()) == (np.uint64, [[2**64 - 1]])
    assert run.values["c"].items[0].data.tolist() == [[-(2**63)]]
