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
    "switch": ("x = 2;\nswitch x\n  case 1\n    y = 1;\nend\n", 2, "a switch statement"),
    "try": ("a = 1;\ntry\n  b = 2;\ncatch\n  b = 3;\nend\n", 2, "a try/catch statement"),
    "struct_assign": ("s = 1;\ns.a = 3;\n", 2, "struct field access s.a"),
    "struct_read": ("x = 1;\n\ny = x.f + 1;\n", 3, "struct field access x.f"),
    "global": ("a = 1;\nglobal G\n", 2, "a global declaration"),
    "string_literal": ("a = 'ok';\nb = \"text\";\n", 2, 'the string literal "text"'),
    "tic": ("n = 3;\nt0 = tic;\n", 2, "tic"),
    "cellfun": ("c = {1, 2};\nn = cellfun(@numel, c);\n", 2, "cellfun"),
    "comma_list": ("c = {1, 2};\nx = [c{:}];\n", 2, "the comma-separated list c{:}"),
    "complex_literal": ("z = 1 + 3i;\n", 1, "the imaginary number 3i"),
    "imaginary_unit": ("a = 2;\nz = a * i;\n", 2, "the imaginary unit i"),
    "hex_literal": ("m = 0x1F;\n", 1, "the integer literal 0x1F"),
    "clearvars": ("a = 1;\nclearvars -except a\n", 2, "clearvars -except a"),
    "unknown_command": ("a = 1;\npkg load statistics\n", 2, "the command `pkg load statistics`"),
    "exist_without_var": ("a = 1;\nb = exist('a');\n", 2, "exist without 'var'"),
    "eval": ("a = 1;\n\neval('b = 2;');\n", 3, "eval"),
    "nargout": ("function y = f(x)\nif nargout > 1\n  y = 1;\nend\ny = x;\nend\n", 2, "nargout"),
    "nested_function": ("function y = f(x)\ny = g(x);\n  function z = g(w)\n    z = w;\n  end\nend\n", 3,
                        "a nested function"),
    "varargin": ("function y = f(varargin)\ny = 1;\nend\n", 1, "the parameter varargin"),
    "unknown_name_in_function": ("function y = f(x)\n% help\ny = frobnicate(x);\nend\n", 3, "the name frobnicate"),
    "parfor": ("s = 0;\nparfor k = 1:3\n  s = s + k;\nend\n", 2, "a parfor loop"),
    "index_of_index": ("A = [1 2; 3 4];\nb = A(1, :)(2);\n", 2, "the indexing A(1, :)"),
    "handle_to_unsupported": ("f = @cellfun;\n", 1, "the function handle @cellfun"),
    "octave_syntax": ("x = 1;\nx += 2;\n", 2, "the Octave-only `+=`"),
    "syntax_error": ("a = 1;\nb = (2 + ;\n", 2, "this line"),
    "octave_endif": ("x = 1;\nif x\n  y = 2;\nendif\n", 4, "the Octave-only `endif`"),
    "brace_on_a_function": ("a = 1;\nb = a';\nc = numel{1};\n", 3, "the brace index numel{1}"),
    "comma_list_target": ("c = {1, 2};\nc{:} = 0;\n", 2, "the comma-separated list c{:}"),
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
    (tmp_path / "callee.m").write_text("function y = callee(x)\n% help\ny = x;\nswitch y\n  case 1\n    y = 2;\nend\nend\n")
    (tmp_path / "caller.m").write_text("a = callee(1);\n")
    with pytest.raises(TranslationError) as info:
        translate_file(tmp_path / "caller.m")
    assert info.value.file == str(tmp_path / "callee.m")
    assert info.value.line == 4
    assert info.value.construct == "a switch statement"


def test_a_classdef_file_is_refused():
    with pytest.raises(TranslationError, match=r"^k\.m:1: a classdef file is not supported"):
        translate_source("classdef k\n  properties\n    a\n  end\nend\n", "k.m")
