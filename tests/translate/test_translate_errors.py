"""A construct outside the subset stops the translation with one sentence naming file, line and construct.

Nothing is translated approximately: each of these files is valid MATLAB (or, for the last
cases, valid Octave), and each must raise TranslationError whose message is exactly
``<file>:<line>: <construct> is not supported by rnncore translate (<reason>).`` on one line.
"""

from __future__ import annotations

import re

import pytest

from rnncore.translate import TranslationError, translate_file, translate_source

MESSAGE = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+): (?P<construct>[^\n]+) is not supported by rnncore "
                     r"translate \((?P<reason>[^\n]+)\)\.$")

# name: (MATLAB text, line of the construct, text the construct's name must contain)
CASES = {
    "global": ("a = 1;\nglobal G\n", 2, "a global declaration"),
    "rand": ("n = 3;\nx = rand(n, 1);\n", 2, "rand"),
    "cellfun": ("c = {1, 2};\nn = cellfun(@numel, c);\n", 2, "cellfun"),
    "comma_list": ("c = {1, 2};\nx = [c{:}];\n", 2, "the comma-separated list c{:}"),
    "complex_literal": ("z = 1 + 3i;\n", 1, "the imaginary number 3i"),
    "imaginary_unit": ("a = 2;\nz = a * i;\n", 2, "the imaginary unit i"),
    "hex_literal": ("m = 0x1F;\n", 1, "the integer literal 0x1F"),
    "clearvars": ("a = 1;\nclearvars -except a\n", 2, "clearvars -except a"),
    "unknown_command": ("a = 1;\npkg load statistics\n", 2, "the command `pkg load statistics`"),
    "eval": ("a = 1;\n\neval('b = 2;');\n", 3, "eval"),
    "nested_function": ("function y = f(x)\ny = g(x);\n  function z = g(w)\n    z = w;\n  end\nend\n", 3,
                        "a nested function"),
    "unknown_name_in_function": ("function y = f(x)\n% help\ny = frobnicate(x);\nend\n", 3, "the function frobnicate"),
    "parfor": ("s = 0;\nparfor k = 1:3\n  s = s + k;\nend\n", 2, "a parfor loop"),
    "index_of_index": ("A = [1 2; 3 4];\nb = A(1, :)(2);\n", 2, "the indexing A(1, :)"),
    "handle_to_unsupported": ("f = @cellfun;\n", 1, "the function handle @cellfun"),
    "octave_syntax": ("x = 1;\nx += ...\n  2;\n", 2, "the Octave-only `+=`"),
    "syntax_error": ("a = 1;\nb = (2 + ;\n", 2, "this line"),
    "brace_on_a_function": ("a = 1;\nb = a';\nc = numel{1};\n", 3, "the brace index numel{1}"),
    "comma_list_target": ("c = {1, 2};\nc{:} = 0;\n", 2, "the comma-separated list c{:}"),
    # issue #19: what stays outside the grown subset, named
    "exist_without_var": ("a = 1;\nb = exist('sin');\n", 2, "exist without 'var'"),
    "nargout_in_script": ("a = 1;\nn = nargout;\n", 2, "nargout in a script"),
    "varargin_not_last": ("function y = f(varargin, x)\ny = x;\nend\n", 1, "the parameter varargin"),
    "varargout_not_last": ("function [varargout, y] = f(x)\ny = x;\nend\n", 1, "the output varargout"),
    "octave_increment": ("y = 1;\nx = y++;\n", 2, "the Octave-only `++`"),
    "octave_unwind_protect": ("x = 1;\nunwind_protect\n  y = 2;\nunwind_protect_cleanup\n  z = 3;\n"
                              "end_unwind_protect\n", 2, "the Octave-only `unwind_protect`"),
    "octave_escape": ("a = 'ok';\nb = \"a\\qb\";\n", 2, "the escape \\q"),
    "inline_of_a_variable": ("t = 'x + 1';\nf = inline(t);\n", 2, "inline of text that is not written in the call"),
    "func2str_of_a_variable": ("f = @(x) x + 1;\ns = func2str(f);\n", 2, "func2str of a variable"),
    "str2func_sees_no_workspace": ("a = 2;\nf = str2func('@(x) x + a');\n", 2, "str2func('@(x) x + a')"),
    "pause_value": ("p = pause(1);\n", 1, "the value of pause"),
    # issue #23: the message blames what is wrong
    "unknown_function_two_outputs": ("x = [3 1 2];\n[D, index] = NR_QuickSort(x, 1);\n", 2,
                                     "the function NR_QuickSort"),
    "unknown_function_one_output": ("x = [3 1 2];\n\nD = NR_QuickSort(x);\n", 3, "the function NR_QuickSort"),
    "array_asked_for_two_outputs": ("x = [1 2];\n[a, b] = x(1);\n", 2, "[...] = x(...) on the array x"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unsupported_construct_is_named_with_file_and_line(name):
    text, line, construct = CASES[name]
    with pytest.raises(TranslationError) as info:
        translate_source(text, f"bad_{name}.m")
    message = str(info.value)
    m = MESSAGE.match(message)
    assert m, f"not one sentence in the agreed form: {message!r}"
    assert m["file"] == f"bad_{name}.m"
    assert int(m["line"]) == line, message
    assert construct in m["construct"], message
    assert (info.value.file, info.value.line) == (f"bad_{name}.m", line)


def test_calling_a_script_beside_the_file_is_refused(tmp_path):
    (tmp_path / "helper.m").write_text("z = 1;\n")
    (tmp_path / "main_script.m").write_text("a = 1;\nhelper();\n")
    with pytest.raises(TranslationError, match=r"main_script\.m:2: calling the script helper\.m is not supported"):
        translate_file(tmp_path / "main_script.m")


def test_the_error_names_the_called_file_that_has_the_construct(tmp_path):
    """An unsupported construct in a function file the script calls is reported in that file."""
    (tmp_path / "callee.m").write_text("function y = callee(x)\n% help\ny = x;\nglobal G\nend\n")
    (tmp_path / "caller.m").write_text("a = callee(1);\n")
    with pytest.raises(TranslationError) as info:
        translate_file(tmp_path / "caller.m")
    assert info.value.file == str(tmp_path / "callee.m")
    assert info.value.line == 4
    assert info.value.construct == "a global declaration"


def test_a_classdef_file_is_refused():
    with pytest.raises(TranslationError, match=r"^k\.m:1: a classdef file is not supported"):
        translate_source("classdef k\n  properties\n    a\n  end\nend\n", "k.m")


def test_an_unknown_function_is_named_with_where_it_was_looked_for(tmp_path):
    """Issue #23: a call of a function that is not beside the script is not taken for an input variable."""
    (tmp_path / "sorter.m").write_text("x = [3 1 2];\n[D, index] = NR_QuickSort(x, 1);\n")
    with pytest.raises(TranslationError) as info:
        translate_file(tmp_path / "sorter.m")
    assert str(info.value) == (
        f"{tmp_path / 'sorter.m'}:2: the function NR_QuickSort is not supported by rnncore translate "
        f"(NR_QuickSort.m is not in the folder of sorter.m, and NR_QuickSort is not a MATLAB function rnncore "
        f"translate supports; if NR_QuickSort is an input variable of the script, read it whole once, as in "
        f"n = numel(NR_QuickSort), before indexing it).")


@pytest.mark.parametrize("text", ["y = data(2) + numel(data);\n", "y = data(end);\n", "y = data(:, 1);\n",
                                  "if exist('data', 'var')\n  y = data(1);\nend\n"])
def test_an_input_read_whole_or_with_end_stays_an_input(text):
    """A name read whole, or indexed with end or :, is an array: the script's input, as before."""
    source = translate_source(text, "reads_input.m")
    assert 'data = mr.given(inputs, "data")' in source


def test_the_octave_test_is_no_input_of_the_script():
    """exist('OCTAVE_VERSION', 'builtin') asks about Octave, not about a variable the case gives."""
    source = translate_source("if exist('OCTAVE_VERSION', 'builtin')\n  a = 1;\nelse\n  a = 2;\nend\n", "which.m")
    assert "inputs" not in source and "mr.double(5)" in source
