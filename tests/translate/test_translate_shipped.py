"""Every .m the project ships, translated without hand edits, passes its own parity case.

The cases are the ones in config/config.yaml, with their inputs (drawn, or made by inputs_from) and
their tolerances; Octave runs through the workflow's own engine (run_script for a script,
run_function_draws for a function file), and each variable is compared with
rnncore.engine.parity.compare exactly as the workflow compares the hand-written ports. The
training and LSTM scripts call function files beside them; those are translated too, into
sibling modules of one package (rnncore.translate.translate_file).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
import yaml

from port_loader import load_port
from rnncore.config import parse_config, resolve_callable
from rnncore.engine.inputs import draw_inputs
from rnncore.engine.octave import run_function_draws, run_script
from rnncore.engine.parity import compare

SHIPPED_CASES = ["rnn2", "exercise_rnn1a", "rnn2_random", "train_pig_diagonal", "train_pig_full",
                 "train_plural_full", "lstm_plural"]


@pytest.fixture(scope="module")
def settings(root):
    return parse_config(yaml.safe_load((root / "config" / "config.yaml").read_text()), root)


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("shipped_ports")


def test_every_shipped_m_file_has_a_case(root, settings):
    """The list above covers every script and function file the cases run (their callees are
    translated with them)."""
    run = {c.script.resolve() for c in settings.cases}
    assert {settings.case(n).script.resolve() for n in SHIPPED_CASES} == run


def _inputs(case):
    if case.inputs_from:
        spec, args = case.inputs_from
        return [resolve_callable(spec)(**dict(args))]
    if case.inputs:
        return draw_inputs(case.inputs, case.draws, case.seed)
    return [{}]


@pytest.mark.octave
@pytest.mark.parametrize("case_name", SHIPPED_CASES)
def test_translation_passes_the_parity_case(case_name, octave, settings, ports_root):
    case = settings.case(case_name)
    port, _ = load_port(case.script, ports_root, f"shipped_{case_name}")
    draws = _inputs(case)
    with contextlib.redirect_stdout(io.StringIO()):  # the scripts display and print as they run
        if case.kind == "function":
            python = [port(*[d[name] for name in case.inputs]) for d in draws]
        else:
            python = [port(dict(draws[0])) if draws[0] else port()]
    if case.kind == "function":
        result = run_function_draws(case.script, list(case.inputs), case.outputs, draws,
                                    shim_dirs=settings.shim_dirs, timeout=settings.timeout_s)
        octave_draws = result.draws
    else:
        result = run_script(case.script, case.variables, shim_dirs=settings.shim_dirs, timeout=settings.timeout_s,
                            inputs=draws[0])
        octave_draws = [result.values]
    assert len(python) == len(octave_draws) == case.draws
    for name in case.variables:
        for k, (py, oc) in enumerate(zip(python, octave_draws)):
            got = py[name]
            assert isinstance(got, np.ndarray) and got.dtype == np.float64, f"{name}: {type(got)}"
            assert got.shape == oc[name].shape, f"{case_name} draw {k + 1}: {name} {got.shape} vs {oc[name].shape}"
        # every draw's elements side by side in one 1 x N row: one comparison per variable
        left = np.hstack([oc[name].reshape(1, -1, order="F") for oc in octave_draws])
        right = np.hstack([py[name].reshape(1, -1, order="F") for py in python])
        verdict = compare(name, "octave", left, "python", right, case.tolerance)
        assert verdict.status == "pass", (
            f"{case_name}: {name} {verdict.status} (max {verdict.max_ulp} ULP, worst element {verdict.worst}) "
            f"beyond {case.tolerance}")
