"""Configuration parsing (rnncore.config): the shipped config, and each kind of bad config giving a
ConfigError that names the offending key."""

import copy
import os

import pytest
import yaml

from rnncore.config import OCTAVE, PYTHON, ConfigError, parse_config, resolve_callable
from rnncore.engine.parity import Tolerance
from rnncore.course.rnn2 import rnn2


@pytest.fixture(scope="module")
def shipped(root) -> dict:
    return yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))


def mutated(config: dict, change) -> dict:
    """A deep copy of ``config`` with ``change`` applied (the loaded YAML is never modified)."""
    c = copy.deepcopy(config)
    change(c)
    return c


def case0(c: dict) -> dict:
    return c["cases"][0]


# --------------------------------------------------------------------------- the shipped config


def test_shipped_config_parses(shipped, root):
    settings = parse_config(shipped, root)
    assert settings.root == root
    assert settings.timeout_s == 120.0
    assert settings.shim_dirs == (root / "matlab_ref" / "compat",)
    assert [c.name for c in settings.cases] == ["rnn2", "exercise_rnn1a", "rnn2_random", "train_pig_diagonal",
                                                "train_pig_full", "train_plural_full", "lstm_plural"]
    train = settings.case("train_pig_full")
    assert train.inputs_from == ("rnncore.course.octave_train:sgd_case_inputs",
                                 (("epochs", 50), ("lr", 0.1), ("recurrence", "full"), ("task", "pig")))
    case = settings.case("rnn2")
    assert (case.kind, case.draws, case.inputs) == ("script", 1, {})
    assert case.script == root / "matlab_ref" / "rnn2.m"
    assert case.python == "rnncore.course.rnn2:rnn2"
    assert case.variables == ("ht", "y_out", "softmax_y_out")
    tol = Tolerance(ulp=16, atol=8.8817841970012523e-16)  # default tolerance: 16 ULP, 4*2^-52
    assert case.tolerance == tol
    assert case.tolerance.atol == 4 * 2.0**-52
    ref_tol = Tolerance(ulp=0, atol=5e-5)
    assert case.reference.name == "slides"
    assert case.reference.file == root / "matlab_ref" / "reference" / "rnn2_slides.csv"
    assert case.reference.tolerance == ref_tol
    assert case.pairs() == [(OCTAVE, PYTHON, tol), ("slides", OCTAVE, ref_tol), ("slides", PYTHON, ref_tol)]
    assert case.pairs()[0][:2] == ("octave", "python")

    drawn = settings.case("rnn2_random")
    # A function file: its arguments are the inputs, in order; its outputs hold the variables.
    assert (drawn.kind, drawn.draws, drawn.seed) == ("function", 1000, 20261125)
    assert tuple(drawn.inputs) == ("whx", "whh", "bias", "why", "in")
    assert drawn.outputs == ("ht", "y_out", "softmax_y_out")
    assert drawn.reference is None and drawn.pairs() == [(OCTAVE, PYTHON, tol)]


def test_shipped_config_parses_without_schema(shipped, root):
    assert parse_config(shipped, root, validate=False) == parse_config(shipped, root)


def test_parse_does_not_modify_the_input(shipped, root):
    before = copy.deepcopy(shipped)
    parse_config(shipped, root)
    assert shipped == before


def test_unknown_case_name(shipped, root):
    with pytest.raises(ConfigError, match=r"no case named 'nope'.*rnn2"):
        parse_config(shipped, root).case("nope")


def test_case_tolerance_overrides_default(shipped, root):
    c = mutated(shipped, lambda c: case0(c).__setitem__("tolerance", {"ulp": 3, "atol": 0}))
    assert parse_config(c, root).cases[0].tolerance == Tolerance(ulp=3, atol=0.0)


def test_case_without_reference_has_one_pair(shipped, root):
    c = mutated(shipped, lambda c: case0(c).pop("reference"))
    case = parse_config(c, root).cases[0]
    assert case.reference is None
    assert [p[:2] for p in case.pairs()] == [("octave", "python")]


# --------------------------------------------------------------------------- bad configs


def _rename(d: dict, old: str, new: str) -> None:
    d[new] = d.pop(old)


def case1(c):
    return c["cases"][2]  # rnn2_random


BAD = {
    # id: (change, substrings the message must contain)
    "random-input-without-draws": (lambda c: case1(c).pop("draws"), ["cases[2].inputs.whx", "draws"]),
    "inputs-and-inputs-from": (lambda c: c["cases"][3].update(inputs={"a": {"value": 1}}),
                               ["cases[3].inputs_from", "not both"]),
    "draws-on-a-script": (lambda c: case0(c).update(draws={"n": 3, "seed": 1}), ["cases[0].draws", "script"]),
    "inputs-out-of-order": (
        lambda c: case1(c).update(inputs=dict(reversed(list(case1(c)["inputs"].items())))),
        ["cases[2].inputs", "takes (whx, whh, bias, why, in)"]),
    "variable-not-an-output": (lambda c: case1(c).update(variables=["ht", "zz"]), ["cases[2].variables", "zz"]),
    "ragged-literal": (lambda c: case0(c).update(inputs={"a": {"value": [[1, 2], [3]]}}), ["cases[0].inputs.a"]),
    "two-kinds-in-one-input": (
        lambda c: case1(c)["inputs"]["whx"].update(value=1), ["cases.2.inputs.whx"]),
    "unknown-input-kind": (lambda c: case1(c)["inputs"].update(zz={"poisson": {}}), ["cases.2.inputs.zz"]),
    "unknown-top-level-key": (lambda c: c.update(bogus=1), ["(top level)", "bogus"]),
    "misspelled-case-key": (lambda c: _rename(case0(c), "script", "scirpt"), ["cases.0", "scirpt"]),
    "extra-case-key": (lambda c: case0(c).update(scirpt="matlab_ref/rnn2.m"), ["cases.0", "scirpt"]),
    "case-name-escapes-results": (lambda c: case0(c).update(name="../x"), ["cases.0.name", "../x"]),
    "case-name-with-slash": (lambda c: case0(c).update(name="a/b"), ["cases.0.name", "a/b"]),
    "missing-variables": (lambda c: case0(c).pop("variables"), ["cases.0", "variables"]),
    "empty-variables": (lambda c: case0(c).update(variables=[]), ["cases.0.variables"]),
    "variable-not-identifier": (lambda c: case0(c).update(variables=["ht", "1x"]), ["cases.0.variables.1", "1x"]),
    "variable-with-space": (lambda c: case0(c).update(variables=["y out"]), ["cases.0.variables.0", "y out"]),
    "duplicate-variable": (lambda c: case0(c).update(variables=["ht", "ht"]), ["cases.0.variables"]),
    "duplicate-case-names": (
        lambda c: c["cases"].append(copy.deepcopy(case0(c))),
        ["cases[7].name", "cases[0]", "rnn2"],
    ),
    "script-missing": (
        lambda c: case0(c).update(script="matlab_ref/nope.m"),
        ["cases[0].script", "matlab_ref/nope.m", "does not exist"],
    ),
    "script-not-dot-m": (lambda c: case0(c).update(script="matlab_ref/rnn2.py"), ["cases.0.script"]),
    "script-outside-repo": (
        lambda c: case0(c).update(script="../../etc/passwd.m"),
        ["cases.0.script", "../../etc/passwd.m"],
    ),
    "script-absolute": (lambda c: case0(c).update(script="/etc/passwd.m"), ["cases.0.script", "/etc/passwd.m"]),
    "python-expression": (lambda c: case0(c).update(python="os.system('x')"), ["cases.0.python", "os.system"]),
    "python-without-function": (lambda c: case0(c).update(python="rnncore.course.rnn2"), ["cases.0.python"]),
    "negative-default-ulp": (lambda c: c["tolerance"].update(ulp=-1), ["tolerance.ulp", "-1"]),
    "negative-case-ulp": (
        lambda c: case0(c).update(tolerance={"ulp": -1, "atol": 0}),
        ["cases.0.tolerance.ulp", "-1"],
    ),
    "negative-reference-ulp": (
        lambda c: case0(c)["reference"]["tolerance"].update(ulp=-1),
        ["cases.0.reference.tolerance.ulp", "-1"],
    ),
    "fractional-ulp": (lambda c: c["tolerance"].update(ulp=1.5), ["tolerance.ulp"]),
    "negative-atol": (lambda c: c["tolerance"].update(atol=-1e-9), ["tolerance.atol"]),
    "reference-named-octave": (
        lambda c: case0(c)["reference"].update(name="octave"),
        ["cases.0.reference.name"],
    ),
    "reference-file-missing": (
        lambda c: case0(c)["reference"].update(file="matlab_ref/reference/nope.csv"),
        ["cases[0].reference.file", "nope.csv"],
    ),
    "shim-folder-missing": (lambda c: c.update(shims=["matlab_ref/nope"]), ["shims[0]", "matlab_ref/nope"]),
    "zero-timeout": (lambda c: c["octave"].update(timeout_s=0), ["octave.timeout_s"]),
    "no-cases": (lambda c: c.update(cases=[]), ["cases"]),
    "missing-cases": (lambda c: c.pop("cases"), ["(top level)", "cases"]),
}


@pytest.mark.parametrize("change, expected", list(BAD.values()), ids=list(BAD))
def test_bad_config(shipped, root, change, expected):
    with pytest.raises(ConfigError) as info:
        parse_config(mutated(shipped, change), root)
    message = str(info.value)
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"


@pytest.mark.parametrize("script", ["../../etc/passwd.m", "/etc/passwd.m", "matlab_ref/../../x.m"])
def test_script_outside_repo_rejected_without_schema(shipped, root, script):
    # The inside-the-repository check holds on its own, for callers that skip the schema.
    c = mutated(shipped, lambda c: case0(c).update(script=script))
    with pytest.raises(ConfigError, match=r"cases\[0\]\.script: .*points outside the repository") as info:
        parse_config(c, root, validate=False)
    assert script in str(info.value)


def test_negative_ulp_rejected_without_schema(shipped, root):
    c = mutated(shipped, lambda c: c["tolerance"].update(ulp=-1))
    with pytest.raises(ConfigError, match=r"^tolerance: invalid tolerance"):
        parse_config(c, root, validate=False)


def test_script_that_is_a_folder_rejected(shipped, root):
    c = mutated(shipped, lambda c: case0(c).update(script="matlab_ref"))
    with pytest.raises(ConfigError, match=r"cases\[0\]\.script: file 'matlab_ref' does not exist"):
        parse_config(c, root, validate=False)


def test_python_spec_is_never_evaluated(shipped, root, monkeypatch):
    called = []
    monkeypatch.setattr(os, "system", lambda cmd: called.append(cmd) or 0)
    c = mutated(shipped, lambda c: case0(c).update(python="os.system('x')"))
    with pytest.raises(ConfigError, match=r"cases\.0\.python"):
        parse_config(c, root)
    with pytest.raises(ConfigError):
        resolve_callable("os.system('x')")  # not an importable module name, so nothing runs
    assert called == []


# --------------------------------------------------------------------------- resolve_callable


def test_resolve_callable_returns_the_function():
    assert resolve_callable("rnncore.course.rnn2:rnn2") is rnn2


def test_resolve_missing_module():
    spec = "rnncore.no_such_module:rnn2"
    with pytest.raises(ConfigError, match=r"cannot import module") as info:
        resolve_callable(spec)
    assert spec in str(info.value)


def test_resolve_missing_attribute():
    spec = "rnncore.course.rnn2:no_such_function"
    with pytest.raises(ConfigError, match=r"no function 'no_such_function'") as info:
        resolve_callable(spec)
    assert spec in str(info.value)


def test_resolve_attribute_that_is_not_callable():
    spec = "rnncore.course.rnn2:COURSE_INPUT"
    with pytest.raises(ConfigError) as info:
        resolve_callable(spec)
    assert spec in str(info.value)
