"""The plain-MATLAB scanner (tests/course/plain_matlab.py) that the reference tests rely on."""

from plain_matlab import octave_only_syntax, reference_problems

from rnncore.engine.preflight import scan_m_file


def test_scanner_flags_octave_only_constructs():
    bad = ["x += 1;", "g_W -= lr*g;", "if a != b", "y = !a;", "# comment", "x = 1; # trailing",
           's = "text";', "endfunction", "endif", "endfor", "printf('%d\\n', 3);", "i++;", "y = x**2;",
           "do", "until t > 3", "puts('x');"]
    for line in bad:
        assert octave_only_syntax(line), f"scanner missed {line!r}"


def test_scanner_passes_plain_matlab():
    good = ["x = x + 1;", "if a ~= b", "y = ~a;", "% comment with # and != and \"quotes\"",
            "fprintf('%d != %s # \"x\"\\n', 3, 'a');", "g = dhraw * hprev';", "z = x'';", "s = 'it''s';",
            "for t = T:-1:1", "end", "a = b' * c.';", "d_o = dh .* tc;", "dcnext = dc .* fg;"]
    for line in good:
        assert not octave_only_syntax(line), f"scanner flagged plain MATLAB {line!r}: {octave_only_syntax(line)}"


def test_scanner_agrees_with_miss_hit(tmp_path):
    # rnncore.engine.preflight (MISS_HIT's MATLAB parser) is the second opinion on the references.
    f = tmp_path / "bad_octave.m"
    f.write_text("x = 1;\nx += 1;  # Octave only\nif x != 2\n  printf('%d\\n', x);\nendif\n")
    assert [n for n, _, _ in octave_only_syntax(f.read_text())] == [2, 2, 3, 4, 5]
    assert "not-matlab" in {finding.kind for finding in scan_m_file(f).findings}


def test_reference_problems_names_each_file_and_reason(tmp_path):
    wrong_name = tmp_path / "forward.m"
    wrong_name.write_text("function y = fwd(x)\n  y = x;\nend\n")
    draws = tmp_path / "script.m"
    draws.write_text("x = randn(3, 1);\n")
    clean = tmp_path / "clean.m"
    clean.write_text("function y = clean(x)\n  y = x';  % transpose, not a string\nend\n")
    problems = reference_problems([wrong_name, draws, clean])
    assert problems == ["forward.m defines fwd: MATLAB finds functions by file name",
                        "script.m calls randn: a reference reads only pushed-in numbers"]
