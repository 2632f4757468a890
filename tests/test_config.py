"""Configuration (rnncore.config): the shipped config, and each kind of bad config giving one
ConfigError sentence that names the case (by name) and the key, before anything runs."""

import copy
import os

import pytest
import yaml

from rnncore.config import OCTAVE, PYTHON, ConfigError, comparison_pairs, read_config_file
from rnncore.pipeline.settings import check_scripts, load_settings
from rnncore.engine.ports import resolve
from rnncore.course.rnn2 import rnn2


def parse_config(config, root, validate=True):
    return load_settings(config, root, "config.yaml", schema=validate)


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
    assert [c.name for c in settings.cases] == ["rnn2", "exercise_rnn1a", "rnn2_random", "train_pig_diagonal",
                                                "train_pig_full", "train_plural_full", "lstm_plural"]
    train = settings.case("train_pig_full")
    assert train.inputs_from == {"function": "rnncore.course.octave_train:sgd_case_inputs",
                                 "args": {"task": "pig", "recurrence": "full", "epochs": 50, "lr": 0.1}}
    case = settings.case("rnn2")
    assert (case.draws, case.inputs, case.timeout_s, case.shims) == (1, {}, 120.0, ("matlab_ref/compat",))
    assert case.script == "matlab_ref/rnn2.m"
    assert case.python == "rnncore.course.rnn2:rnn2"
    assert case.variables == ("ht", "y_out", "softmax_y_out")
    tol = {"ulp": 16, "atol": 8.8817841970012523e-16}  # default tolerance: 16 ULP, 4*2^-52
    assert case.tolerance == tol and case.tolerance["atol"] == 4 * 2.0**-52
    ref_tol = {"ulp": 0, "atol": 5e-5}
    assert (case.reference.name, case.reference.file) == ("slides", "matlab_ref/reference/rnn2_slides.csv")
    assert case.reference.tolerance == ref_tol
    assert case.pairs() == [(OCTAVE, PYTHON, tol), ("slides", OCTAVE, ref_tol), ("slides", PYTHON, ref_tol)]
    # The steps build the pairs from the case's params (its reference a plain dict) with the same function.
    params = case.params()
    assert comparison_pairs(params["tolerance"], params["reference"]) == case.pairs()
    assert case.expected()[:2] == [("rnn2", "ht", "octave", "python"), ("rnn2", "y_out", "octave", "python")]
    assert len(settings.expected()) == 72
    drawn = settings.case("rnn2_random")
    assert (drawn.draws, drawn.seed) == (1000, 20261125)
    assert tuple(drawn.inputs) == ("whx", "whh", "bias", "why", "in")
    assert drawn.reference is None and drawn.pairs() == [(OCTAVE, PYTHON, tol)]
    # The study's settings are part of Settings, defaults in one place.
    assert settings.study.longlag_lags == (5, 10, 20, 50, 100)
    assert settings.study.vanishing == {"lag": 20, "seed": 0}
    assert check_scripts(settings) == []  # every .m file matches its case (MISS_HIT, no Octave)


def test_the_floor_keeps_the_training_blocks_and_the_pipeline_expands_them(shipped, root):
    """rnncore.config (the floor) cannot import the studies: it keeps the grid's blocks as given; the pipeline's
    load_settings expands them with the studies' own rules (one RunSpec per model x hidden x seed)."""
    import rnncore.config as floor

    bare = floor.load_settings(shipped, root, "config.yaml")
    assert bare.training == () and bare.training_blocks == tuple(shipped["training"])
    full = parse_config(shipped, root)
    assert full.cases == bare.cases and full.training_blocks == bare.training_blocks
    assert [s.run_id for s in full.training][:2] == ["pig-diagonal-h3-s0", "pig-full-h3-s0"]
    assert len(full.training) == sum(len(b["model"]) * len(b["hidden"]) * len(b["seed"]) for b in shipped["training"])


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c["training"][0].update(model=["diagonal", "gru"]),
     "config.yaml: training: training block 1, key 'model': unknown model 'gru', expected one of diagonal, full, lstm"),
    (lambda c: c["study"]["longlag"].update(hyper={"hiden": 4}),
     "config.yaml: study.longlag.hyper: LagSpec.__init__() got an unexpected keyword argument 'hiden'"),
])
def test_the_studies_checks_reach_the_configuration(shipped, root, change, expected):
    import rnncore.config as floor

    bad = mutated(shipped, change)  # past the schema (validate=False): the studies' own rules alone
    floor.load_settings(bad, root, "config.yaml", schema=False)  # the floor does not know them
    with pytest.raises(ConfigError) as info:
        parse_config(bad, root, validate=False)
    assert str(info.value) == expected


def test_a_case_is_plain_data_for_its_jobs(shipped, root):
    params = parse_config(shipped, root).case("rnn2_random").params()
    assert params["name"] == "rnn2_random" and params["draws"] == 1000
    assert yaml.safe_load(yaml.safe_dump(params)) == params  # nothing but plain data: repr-stable for reruns


def test_mem_mb_is_a_resource_not_a_setting(shipped, root):
    """A case's mem_mb reaches the jobs' declared memory, but not their params: changing it reruns nothing."""
    c = mutated(shipped, lambda c: case0(c).__setitem__("mem_mb", 6000))
    case = parse_config(c, root).cases[0]
    assert case.mem_mb == 6000 and parse_config(shipped, root).cases[0].mem_mb == 0
    assert "mem_mb" not in case.params() and case.params() == parse_config(shipped, root).cases[0].params()


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
    assert parse_config(c, root).cases[0].tolerance == {"ulp": 3, "atol": 0.0}


def test_a_gradient_check_tolerance_is_derived_from_the_measured_difference_of_f(shipped, root):
    # computeNumericalGradient.m (stanford_dl): central difference with epsilon 1e-4; f measured 4.44e-16
    # apart (2 ULP at 1.0). Each of f(x+h), f(x-h) may be off by d, so (pos-neg)/(2h) by 2d/(2h) = d/h.
    grad = {"f_abs_err": 4.440892098500626e-16, "h": 1e-4, "safety": 2}
    c = mutated(shipped, lambda c: case0(c).__setitem__("tolerance", {"ulp": 16, "gradient": grad}))
    tol = parse_config(c, root).cases[0].tolerance
    assert (tol["ulp"], tol["atol"]) == (16, 4.440892098500626e-16 / 1e-4 * 2)
    assert abs(tol["atol"] - 8.881784197001252e-12) <= 1e-27  # d/h*2, to the rounding of two operations
    assert tol["why"] == ("atol 8.881784197001252e-12 from a gradient check: f's measured max_abs_err "
                          "4.440892098500626e-16 x 1/h (h 0.0001, central difference) x safety 2.0")
    # A forward difference (f(x+h)-f(x))/h carries both errors over h alone: twice as wide.
    forward = {**grad, "difference": "forward"}
    c = mutated(shipped, lambda c: case0(c).__setitem__("tolerance", {"ulp": 16, "gradient": forward}))
    assert parse_config(c, root).cases[0].tolerance["atol"] == 2 * tol["atol"]


@pytest.mark.parametrize("tolerance, expected", [
    ({"ulp": 1, "gradient": {"f_abs_err": 1e-16, "h": 1e-4, "safety": 0.5}}, "safety"),
    ({"ulp": 1, "gradient": {"f_abs_err": 1e-16, "h": 0}}, "h"),
    ({"ulp": 1, "gradient": {"h": 1e-4}}, "f_abs_err"),
    ({"ulp": 1}, "tolerance"),
    ({"ulp": 1, "atol": 0, "gradient": {"f_abs_err": 1e-16, "h": 1e-4}}, "tolerance"),
])
def test_a_bad_gradient_tolerance_is_one_sentence_naming_the_case(shipped, root, tolerance, expected):
    with pytest.raises(ConfigError) as info:
        parse_config(mutated(shipped, lambda c: case0(c).__setitem__("tolerance", tolerance)), root)
    message = str(info.value)
    assert "rnn2" in message and expected in message, message
    assert "\n" not in message and len(message) < 400


def test_library_is_report_unless_the_case_accepts(shipped, root):
    assert parse_config(shipped, root).cases[0].library == "report"
    c = mutated(shipped, lambda c: case0(c).__setitem__("library", "accept"))
    assert parse_config(c, root).cases[0].params()["library"] == "accept"
    with pytest.raises(ConfigError, match="library"):
        parse_config(mutated(shipped, lambda c: case0(c).__setitem__("library", "ignore")), root)


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
    "random-input-without-draws": (lambda c: case1(c).pop("draws"), ["case 'rnn2_random'", "inputs.whx", "draws"]),
    "inputs-and-inputs-from": (lambda c: c["cases"][3].update(inputs={"a": {"value": 1}}),
                               ["case 'train_pig_diagonal'", "not both"]),
    "ragged-literal": (lambda c: case0(c).update(inputs={"a": {"value": [[1, 2], [3]]}}), ["case 'rnn2'", "inputs.a"]),
    "two-kinds-in-one-input": (
        lambda c: case1(c)["inputs"]["whx"].update(value=1), ["cases[rnn2_random].inputs.whx"]),
    "unknown-input-kind": (lambda c: case1(c)["inputs"].update(zz={"poisson": {}}), ["cases[rnn2_random].inputs.zz"]),
    "unknown-top-level-key": (lambda c: c.update(bogus=1), ["(top level)", "bogus"]),
    "misspelled-case-key": (lambda c: _rename(case0(c), "script", "scirpt"), ["cases[rnn2]", "unknown key 'scirpt'", "the keys here are"]),
    "extra-case-key": (lambda c: case0(c).update(scirpt="matlab_ref/rnn2.m"), ["cases[rnn2]", "unknown key 'scirpt'", "the keys here are"]),
    "case-name-escapes-results": (lambda c: case0(c).update(name="../x"), ["cases[../x].name", "../x"]),
    "case-name-with-slash": (lambda c: case0(c).update(name="a/b"), ["cases[a/b].name", "a/b"]),
    "missing-variables": (lambda c: case0(c).pop("variables"), ["cases[rnn2]", "'variables' is required"]),
    "mem-mb-too-small": (lambda c: case0(c).update(mem_mb=10), ["cases[rnn2].mem_mb", "10"]),
    "mem-mb-not-integer": (lambda c: case0(c).update(mem_mb="2G"), ["cases[rnn2].mem_mb", "2G"]),
    "empty-variables": (lambda c: case0(c).update(variables=[]), ["cases[rnn2].variables"]),
    "variable-not-identifier": (lambda c: case0(c).update(variables=["ht", "1x"]), ["cases[rnn2].variables[2]", "1x"]),
    "variable-with-space": (lambda c: case0(c).update(variables=["y out"]), ["cases[rnn2].variables[1]", "y out"]),
    "duplicate-variable": (lambda c: case0(c).update(variables=["ht", "ht"]), ["cases[rnn2].variables"]),
    "duplicate-case-names": (
        lambda c: c["cases"].append(copy.deepcopy(case0(c))),
        ["case 'rnn2'", "already used"],
    ),
    "script-missing": (
        lambda c: case0(c).update(script="matlab_ref/nope.m"),
        ["case 'rnn2'", "script", "matlab_ref/nope.m", "does not exist"],
    ),
    "script-not-dot-m": (lambda c: case0(c).update(script="matlab_ref/rnn2.py"), ["cases[rnn2].script"]),
    "script-outside-repo": (
        lambda c: case0(c).update(script="../../etc/passwd.m"),
        ["cases[rnn2].script", "../../etc/passwd.m"],
    ),
    "script-absolute": (lambda c: case0(c).update(script="/etc/passwd.m"), ["cases[rnn2].script", "/etc/passwd.m"]),
    "python-expression": (lambda c: case0(c).update(python="os.system('x')"), ["cases[rnn2].python", "os.system"]),
    "python-without-function": (lambda c: case0(c).update(python="rnncore.course.rnn2"), ["cases[rnn2].python"]),
    "negative-default-ulp": (lambda c: c["tolerance"].update(ulp=-1), ["tolerance.ulp", "-1"]),
    "negative-case-ulp": (
        lambda c: case0(c).update(tolerance={"ulp": -1, "atol": 0}),
        ["cases[rnn2].tolerance.ulp", "-1"],
    ),
    "negative-reference-ulp": (
        lambda c: case0(c)["reference"]["tolerance"].update(ulp=-1),
        ["cases[rnn2].reference.tolerance.ulp", "-1"],
    ),
    "fractional-ulp": (lambda c: c["tolerance"].update(ulp=1.5), ["tolerance.ulp"]),
    "negative-atol": (lambda c: c["tolerance"].update(atol=-1e-9), ["tolerance.atol"]),
    "reference-named-octave": (
        lambda c: case0(c)["reference"].update(name="octave"),
        ["cases[rnn2].reference.name"],
    ),
    "reference-file-missing": (
        lambda c: case0(c)["reference"].update(file="matlab_ref/reference/nope.csv"),
        ["case 'rnn2'", "reference.file", "nope.csv"],
    ),
    "shim-folder-missing": (lambda c: c.update(shims=["matlab_ref/nope"]), ["shims", "matlab_ref/nope", "does not exist"]),
    "zero-timeout": (lambda c: c["octave"].update(timeout_s=0), ["octave.timeout_s"]),
    "infinite-timeout": (lambda c: c["octave"].update(timeout_s=float("inf")), ["octave.timeout_s", "maximum"]),
    "no-cases": (lambda c: c.update(cases=[]), ["cases"]),
    "missing-cases": (lambda c: c.pop("cases"), ["(top level)", "cases"]),
    # Found on main: a typo in `python:` surfaced only after the whole workflow reran, named `cases[7]`.
    "python-module-typo": (lambda c: case0(c).update(python="rnncore.ports:catrnn"),
                           ["case 'rnn2'", "python", "rnncore.ports", "not a file of the project"]),
    "python-function-typo": (lambda c: case0(c).update(python="rnncore.course.rnn2:rnn3"),
                             ["case 'rnn2'", "python", "rnncore/course/rnn2.py defines no function 'rnn3'"]),
    "python-takes-no-inputs": (lambda c: case1(c).update(python="rnncore.course.rnn2:rnn2"),
                               ["case 'rnn2_random'", "rnn2() in ", "must take one argument"]),
    "inputs-from-unknown-argument": (lambda c: c["cases"][3]["inputs_from"]["args"].update(bogus=1),
                                     ["case 'train_pig_diagonal'", "inputs_from.function", "no argument 'bogus'"]),
    # Found on main: `inputs_from: {function: "os:system", ...}` ran a shell command.
    "inputs-from-standard-library": (lambda c: c["cases"][3]["inputs_from"].update(function="os:system",
                                                                                   args={"command": "touch PWNED"}),
                                     ["case 'train_pig_diagonal'", "module 'os'", "not a file of the project"]),
    "python-from-site-packages": (lambda c: case0(c).update(python="numpy:zeros"), ["module 'numpy'"]),
}


@pytest.mark.parametrize("change, expected", list(BAD.values()), ids=list(BAD))
def test_bad_config(shipped, root, change, expected):
    with pytest.raises(ConfigError) as info:
        parse_config(mutated(shipped, change), root)
    message = str(info.value)
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"
    assert "\n" not in message and len(message) < 400  # one sentence, not a schema dump


@pytest.mark.parametrize("script", ["../../etc/passwd.m", "/etc/passwd.m", "matlab_ref/../../x.m"])
def test_script_outside_repo_rejected_without_schema(shipped, root, script):
    # The inside-the-project check holds on its own, for callers that skip the schema.
    c = mutated(shipped, lambda c: case0(c).update(script=script))
    with pytest.raises(ConfigError, match=r"case 'rnn2': script: .*points outside the project") as info:
        parse_config(c, root, validate=False)
    assert script in str(info.value)


def test_script_that_is_a_folder_rejected(shipped, root):
    c = mutated(shipped, lambda c: case0(c).update(script="matlab_ref"))
    with pytest.raises(ConfigError, match=r"case 'rnn2': script: file 'matlab_ref' does not exist"):
        parse_config(c, root, validate=False)


def test_nothing_named_in_the_config_runs_while_checking_it(shipped, root, monkeypatch):
    called = []
    monkeypatch.setattr(os, "system", lambda cmd: called.append(cmd) or 0)
    for change in (lambda c: case0(c).update(python="os:system"),
                   lambda c: c["cases"][3]["inputs_from"].update(function="os:system", args={"command": "x"})):
        with pytest.raises(ConfigError):
            parse_config(mutated(shipped, change), root)
    assert called == []


def test_duplicate_yaml_keys_are_refused_with_file_and_line(tmp_path):
    """Found on main: `python:` given twice was silently accepted, the last one winning."""
    path = tmp_path / "config.yaml"
    path.write_text("octave:\n  timeout_s: 20\ncases:\n  - name: a\n    python: m:f\n    python: m:g\n")
    with pytest.raises(ConfigError, match=r"config.yaml:6: key 'python' is given twice .*first on line 5"):
        read_config_file(path)


def test_not_yaml_is_named_with_file_and_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("cases:\n  - name: [a\n")
    with pytest.raises(ConfigError, match=r"config.yaml:\d+: not valid YAML"):
        read_config_file(path)


# --------------------------------------------------------------------------- what only the .m file tells


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: (case0(c).update(draws={"n": 3, "seed": 1}), case0(c).pop("reference")), "draws: rnn2.m is a script"),
    (lambda c: case1(c).update(inputs=dict(reversed(list(case1(c)["inputs"].items())))),
     "rnn2_loop.m takes (whx, whh, bias, why, in)"),
    (lambda c: case1(c).update(variables=["ht", "zz"]), "zz not among rnn2_loop.m's outputs"),
], ids=["draws-on-a-script", "inputs-out-of-order", "variable-not-an-output"])
def test_script_problems_are_named_by_case(shipped, root, change, expected):
    problems = check_scripts(parse_config(mutated(shipped, change), root, validate=False))
    assert len(problems) == 1 and expected in problems[0] and "case 'rnn" in problems[0]


# --------------------------------------------------------------------------- resolving a port


def test_resolve_returns_the_function(root):
    assert resolve("rnncore.course.rnn2:rnn2", root) is rnn2


@pytest.mark.parametrize(("target", "pattern"), [
    ("rnncore.no_such_module:rnn2", "not a file of the project"),
    ("rnncore.course.rnn2:no_such_function", "has no function 'no_such_function'"),
    ("rnncore.course.rnn2:COURSE_INPUT", "has no function 'COURSE_INPUT'"),
    ("os:system", "module 'os'"),
])
def test_resolve_refuses_what_is_not_a_function_of_the_project(root, target, pattern):
    with pytest.raises(ConfigError, match=pattern) as info:
        resolve(target, root)
    assert target in str(info.value)


def test_the_schema_names_exactly_the_models_of_the_registry():
    # The schema cannot import the factory: this is what keeps its two model lists in step with it.
    from rnncore import resources
    from rnncore.models.factory import MODELS

    schema = yaml.safe_load(resources.schema_path().read_text(encoding="utf-8"))
    training = schema["properties"]["training"]["items"]["properties"]["model"]["items"]["enum"]
    longlag = schema["properties"]["study"]["properties"]["longlag"]["properties"]["models"]["items"]["enum"]
    assert training == longlag == list(MODELS)
