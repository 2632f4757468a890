"""rnncore.engine.preflight: MISS_HIT-based checks of .m files before an unattended Octave run (no Octave needed)."""

from pathlib import Path

import pytest

from rnncore.engine.preflight import Finding, Scan, scan_m_file, undefined_findings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "preflight"


def where(scan: Scan) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.kind, f.name) for f in scan.findings]


def test_rnn2_is_a_script_calling_builtins_and_softmax():
    scan = scan_m_file(ROOT / "matlab_ref" / "rnn2.m")
    assert scan.kind == "script"
    assert scan.function_name is None and scan.inputs == () and scan.outputs == ()
    # `clear` (line 24) is a command; in(:,t), ht(:,t), whx are indexed variables; t is the loop variable.
    assert scan.called == {"clear": (24, 1), "length": (41, 11), "softmax": (45, 24), "tanh": (43, 13)}
    for variable in ("ht", "whx", "why", "whh", "bias", "in", "t", "y_out", "softmax_y_out"):
        assert variable not in scan.called
    assert list(scan.called) == sorted(scan.called)


def test_rnn2_plain_clear_is_reported_as_information():
    scan = scan_m_file(ROOT / "matlab_ref" / "rnn2.m")
    assert where(scan) == [(24, 1, "wipes-workspace", "clear")]
    (clear,) = scan.findings
    assert clear.severity == "info"
    assert clear.message.startswith(f"{ROOT / 'matlab_ref' / 'rnn2.m'}:24:1: clear with no argument")
    assert "injected" in clear.message


def test_interactive_wiping_and_graphics_calls_are_located():
    scan = scan_m_file(FIXTURES / "interactive.m")
    assert where(scan) == [
        (2, 5, "blocking", "input"),
        (3, 1, "blocking", "keyboard"),
        (4, 1, "pause", "pause"),
        (5, 1, "wipes-workspace", "clear all"),
        (6, 1, "wipes-workspace", "close all"),
        (7, 1, "wipes-workspace", "clc"),
        (8, 1, "graphics", "figure"),
        (8, 9, "graphics", "plot"),
        (9, 1, "pause", "pause"),
        (10, 1, "graphics", "hold"),
    ]
    by_place = {(f.line, f.column): f for f in scan.findings}
    assert "key press" in by_place[(9, 1)].message  # bare pause waits for a key, pause(1) sleeps
    assert "seconds" in by_place[(4, 1)].message
    assert [f.severity for f in scan.findings] == [
        "warning", "warning", "info", "warning", "info", "info", "info", "info", "info", "info"]
    for f in scan.findings:
        assert f.message.startswith(f"{FIXTURES / 'interactive.m'}:{f.line}:{f.column}: ")
    assert scan.called["hold"] == (10, 1)  # command syntax `hold on` counts as a call
    assert "x" not in scan.called


def test_function_file_signature_and_local_function():
    scan = scan_m_file(FIXTURES / "f.m")
    assert scan.kind == "function"
    assert scan.function_name == "f"
    assert scan.inputs == ("x", "y")
    assert scan.outputs == ("a", "b")
    assert scan.called == {"numel": (3, 16)}  # not twice (local), not x/y/a/b/z/q, not `end`
    assert scan.findings == ()


def test_varargin_and_ignored_inputs_are_kept_in_order(tmp_path):
    m = tmp_path / "g.m"
    m.write_text("function varargout = g(~, n, varargin)\nvarargout = {n, varargin{:}};\nend\n")
    scan = scan_m_file(m)
    assert (scan.kind, scan.function_name) == ("function", "g")
    assert scan.inputs == ("~", "n", "varargin")
    assert scan.outputs == ("varargout",)
    assert scan.called == {}


def test_flow_insensitive_variables_and_calls(tmp_path):
    m = tmp_path / "s.m"
    m.write_text(
        "a = b(2);\n"            # read before b is assigned below: still an index (flow-insensitive)
        "b = zeros(3, 1);\n"
        "[c, ~] = size(b);\n"
        "s.f = 1; v = s.f;\n"
        "h = @(u) u + w;\n"      # u is the lambda's parameter, w is not defined anywhere
        "p = @sin;\n"
        "for k = 1:c, disp(k), end\n"
        "try, error('x'), catch err, disp(err.message), end\n"
        "m = containers.Map();\n"
        "format long\n"
    )
    scan = scan_m_file(m)
    assert scan.called == {
        "containers.Map": (9, 5), "disp": (7, 14), "error": (8, 6), "format": (10, 1),
        "sin": (6, 6), "size": (3, 10), "w": (5, 14), "zeros": (2, 5)}


def test_syntax_error_is_a_finding_not_an_exception():
    scan = scan_m_file(FIXTURES / "syntax_error.m")
    assert scan.kind == "script"
    assert scan.called == {}
    assert where(scan) == [(3, 10, "parse-error", ";")]
    (error,) = scan.findings
    assert error.message.startswith(f"{FIXTURES / 'syntax_error.m'}:3:10: MISS_HIT cannot parse")
    assert "expected IDENTIFIER, found SEMICOLON" in error.message


def test_unparsable_function_file_still_gives_its_signature(tmp_path):
    m = tmp_path / "brk.m"
    m.write_text("% broken\nfunction [a, b] = brk(x, varargin)\n  a = (x + ;\nend\n")
    scan = scan_m_file(m)
    assert (scan.kind, scan.function_name, scan.inputs, scan.outputs) == (
        "function", "brk", ("x", "varargin"), ("a", "b"))
    assert where(scan) == [(3, 12, "parse-error", ";")]


def test_octave_only_syntax_is_reported_and_still_checked():
    scan = scan_m_file(FIXTURES / "octave_only.m")
    assert (scan.kind, scan.function_name, scan.inputs, scan.outputs) == (
        "function", "octave_only", ("n",), ("r",))
    assert where(scan) == [
        (1, 1, "not-matlab", "#"),
        (6, 7, "not-matlab", "+="),
        (7, 3, "not-matlab", "endfor"),
        (8, 3, "not-matlab", "printf"),
        (9, 1, "not-matlab", "endfunction"),
    ]
    assert all(f.severity == "info" for f in scan.findings)
    assert scan.findings[0].message.startswith(f"{FIXTURES / 'octave_only.m'}:1:1: not MATLAB syntax")
    assert "(and 1 more)" in scan.findings[0].message  # one finding per construct, not per comment
    assert scan.called == {"printf": (8, 3)}  # r (+=) and k (for) are variables


def test_octave_grammar_fallback_for_script_global_functions(tmp_path):
    m = tmp_path / "octscript.m"
    m.write_text("1;\nfunction y = helper(x)\n  y = 2*x;\nend\nz = helper(3);\nw = other(z)\n")
    scan = scan_m_file(m)
    assert scan.kind == "script"
    assert where(scan) == [(2, 14, "not-matlab", "helper")]
    assert "script-global functions" in scan.findings[0].message
    assert scan.called == {"other": (6, 5)}


def test_script_local_function_called_before_its_definition(tmp_path):
    # Octave 7.3 defines a script's trailing functions only when execution reaches them.
    scan = scan_m_file(FIXTURES / "script_local_function.m")
    assert scan.called == {"disp": (3, 1)}
    assert where(scan) == [(2, 5, "undefined", "helper")]
    assert "helper.m" in scan.findings[0].message


def test_clear_forms(tmp_path):
    m = tmp_path / "c.m"
    m.write_text("clear x y\nclear -all\nclear('functions')\nclear classes\nclearvars -except a\n"
                 "close\npause off\nclear variables\n")
    scan = scan_m_file(m)
    assert where(scan) == [
        (2, 1, "wipes-workspace", "clear all"),
        (3, 1, "wipes-workspace", "clear functions"),
        (4, 1, "wipes-workspace", "clear classes"),
        (5, 1, "wipes-workspace", "clearvars"),
        (6, 1, "graphics", "close"),
        (8, 1, "wipes-workspace", "clear"),
    ]


def test_a_variable_named_like_a_hazard_is_not_one(tmp_path):
    m = tmp_path / "v.m"
    m.write_text("input = 3;\ntitle = 'x';\ndisp(input + numel(title))\n")
    scan = scan_m_file(m)
    assert scan.findings == ()
    assert scan.called == {"disp": (3, 1), "numel": (3, 14)}


def test_undefined_findings_reports_exactly_the_false_names():
    scan = scan_m_file(ROOT / "matlab_ref" / "rnn2.m")
    found = undefined_findings(scan, {"clear": True, "length": True, "tanh": True, "softmax": False,
                                      "not_called": False})
    assert found == [Finding(
        line=45, column=24, kind="undefined", name="softmax",
        message=found[0].message)]
    assert found[0].message.startswith(f"{ROOT / 'matlab_ref' / 'rnn2.m'}:45:24: softmax is called")
    assert found[0].severity == "warning"
    assert undefined_findings(scan, {}) == []  # names the caller did not check are not reported


def test_undefined_findings_are_sorted_by_first_use():
    scan = scan_m_file(ROOT / "matlab_ref" / "rnn2.m")
    found = undefined_findings(scan, dict.fromkeys(scan.called, False))
    assert [(f.line, f.column, f.name) for f in found] == [
        (24, 1, "clear"), (41, 11, "length"), (43, 13, "tanh"), (45, 24, "softmax")]


@pytest.mark.parametrize("content", [b"", b"% only a comment\n", b"% caf\xe9\r\nx = sqrt(2);\r\n"])
def test_odd_files_do_not_raise(tmp_path, content):
    m = tmp_path / "odd.m"
    m.write_bytes(content)
    scan = scan_m_file(m)
    assert scan.kind == "script" and scan.findings == ()
    assert scan.called == ({"sqrt": (2, 5)} if b"sqrt" in content else {})


def test_more_octave_only_tokens_are_translated_in_place(tmp_path):
    m = tmp_path / "o.m"
    m.write_text("x = 1;\nif x != 2 && !x\n  y = x ** 2;\nendif\nunwind_protect\n  x++;\n"
                 "unwind_protect_cleanup\n  z = foo(y);\nend_unwind_protect\ns = 'a += b # c';\n")
    scan = scan_m_file(m)
    assert where(scan) == [
        (2, 6, "not-matlab", "!="), (2, 14, "not-matlab", "!"), (3, 9, "not-matlab", "**"),
        (4, 1, "not-matlab", "endif"), (5, 1, "not-matlab", "unwind_protect"), (6, 4, "not-matlab", "++"),
        (7, 1, "not-matlab", "unwind_protect_cleanup"), (9, 1, "not-matlab", "end_unwind_protect"),
    ]  # nothing inside the string on line 10
    assert scan.called == {"foo": (8, 7)}  # columns are the file's, not the translation's


def test_octave_syntax_skips_lexing_only_files_with_no_octave_only_text():
    """octave_syntax skips its lexer pass when the text has none of the characters its rules look
    for (_MAY_BE_OCTAVE); that must never skip a file the lexer would find something in."""
    from rnncore.engine import preflight

    octave_only = ["# c\n", "x = 1; # c\n", "y = x != 2;\n", "y = !x;\n", "y = x ** 2;\n", "y = x .** 2;\n",
                   "x += 1;\n", "x -= 1;\n", "x *= 2;\n", "x /= 2;\n", "x ^= 2;\n", "x++;\n", "x--;\n",
                   "if x\nendif\n", "for k = 1:2\nendfor\n", "while 0\nendwhile\n", "switch x\nendswitch\n",
                   "function f\nendfunction\n", "try\nend_try_catch\n", "unwind_protect\nend_unwind_protect\n"]
    for text in octave_only:
        assert preflight._MAY_BE_OCTAVE.search(text), text
        assert preflight.octave_syntax("t.m", text), text  # the lexer finds it, so the filter must let it through
    matlab = "x = [1 -2; 3 4]';\ny = x.^2 ~= 1 & ~x;\nfor k = 1:2\n  s = sprintf('%d', k);\nend\n% a comment\n"
    assert not preflight._MAY_BE_OCTAVE.search(matlab)  # the fast path is taken ...
    with pytest.MonkeyPatch.context() as mp:  # ... and gives what the lexer gives
        mp.setattr(preflight, "_MAY_BE_OCTAVE", preflight.re.compile(""))
        assert preflight.octave_syntax("t.m", matlab) == []
