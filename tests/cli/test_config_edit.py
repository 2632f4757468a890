"""`rnncore add` appends its case to the configuration's text: comments and layout stay, and the result reads
back as the old configuration plus the case, or nothing is written."""

import pytest
import yaml

from rnncore.tool.addcase import append_case, case_entry
from rnncore.errors import ConfigError
from rnncore.tool.scaffold import course_files

ENTRY = case_entry("cat_rnn", "matlab_ref/cat rnn.m", "ports.cat_rnn:cat_rnn", ["H", "Y"])


def check_appended(old: str, new: str) -> None:
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    assert after == {**before, "cases": before["cases"] + [ENTRY]}
    assert list(after) == list(before)  # the keys in their order


def test_appends_after_the_last_case_with_its_comments_and_keeps_every_other_line():
    old = course_files()["config.yaml"]
    new = append_case(old, ENTRY)
    check_appended(old, new)
    assert new.startswith(old)  # the template ends with the cases: nothing before the entry changed
    assert new[len(old):] == ("\n  - name: cat_rnn\n    script: matlab_ref/cat rnn.m\n"
                              "    python: ports.cat_rnn:cat_rnn\n    variables: [H, Y]\n")
    # The comment indented under the example case stays with it, above the new entry.
    assert new.index("# reference: numbers printed") < new.index("- name: cat_rnn")


def test_a_key_after_the_cases_keeps_its_own_comment_and_stays_after_them():
    old = ("octave: {timeout_s: 5}\ntolerance: {ulp: 1, atol: 0}\ncases:\n- name: a\n  script: a.m\n"
           "  python: p:a\n  variables: [x]   # trailing\n\n# the study, below\nstudy: {}\n")
    new = append_case(old, ENTRY)
    check_appended(old, new)
    # A blank line sets the new entry apart from a case of several lines; the dash is where the others' are.
    assert new == old.replace("[x]   # trailing\n", "[x]   # trailing\n\n- name: cat_rnn\n  script: matlab_ref/cat "
                              "rnn.m\n  python: ports.cat_rnn:cat_rnn\n  variables: [H, Y]\n")


@pytest.mark.parametrize("text", ["matlab_ref/x.m", "on", "1.5", "a: b.m", "#x.m", "it's.m", "tab\there.m"])
def test_scalars_read_back_as_themselves(text):
    from rnncore.tool.addcase import _scalar

    assert yaml.safe_load(f"k: {_scalar(text)}") == {"k": text}
    assert (_scalar(text) == text) == (text in ("matlab_ref/x.m", "it's.m"))


@pytest.mark.parametrize("cases", ["cases: []  # none yet\n", "cases:\n"])
def test_an_empty_cases_list_gets_its_first_entry(cases):
    old = "octave: {timeout_s: 5}\n" + cases + "tolerance: {ulp: 1, atol: 0}\n"
    new = append_case(old, ENTRY)
    assert yaml.safe_load(new)["cases"] == [ENTRY]
    assert yaml.safe_load(new)["tolerance"] == {"ulp": 1, "atol": 0}
    if "#" in cases:
        assert "cases:  # none yet\n" in new


def test_a_file_without_a_final_newline_is_appended_to():
    old = "octave: {timeout_s: 5}\ncases:\n  - name: a\n    script: a.m\n    python: p:a\n    variables: [x]"
    new = append_case(old, ENTRY)
    check_appended(old, new)
    assert new.startswith(old + "\n")


def test_flow_style_cases_are_refused_with_the_entry_to_paste():
    old = "octave: {timeout_s: 5}\ncases: [{name: a, script: a.m, python: 'p:a', variables: [x]}]\n"
    with pytest.raises(ConfigError, match=r"config.yaml:2: `cases:` is written in flow style") as info:
        append_case(old, ENTRY)
    assert "- name: cat_rnn" in str(info.value)


def test_no_cases_key_is_refused():
    with pytest.raises(ConfigError, match="has no `cases:` list"):
        append_case("octave: {timeout_s: 5}\n", ENTRY)
