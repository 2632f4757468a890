"""Every .m the project ships, translated without hand edits, passes its own parity case.

The cases are the ones in config/config.yaml, with their inputs (drawn, or made by inputs_from) and
their tolerances; only the port changes: each case's `python:` names the translation instead of the
hand-written port, and the case runs through the workflow's own steps (inputs, Octave, Python,
compare), exactly as `snakemake all` runs it. The training and LSTM scripts call function files
beside them; those are translated too, into sibling modules of one package
(rnncore.translate.translate_file).
"""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from rnncore.pipeline import steps as workflow
from rnncore.config import load_settings
from rnncore.translate import translate_file

SHIPPED_CASES = ["rnn2", "exercise_rnn1a", "rnn2_random", "train_pig_diagonal", "train_pig_full",
                 "train_plural_full", "lstm_plural"]


@pytest.fixture(scope="module")
def settings(root):
    return load_settings(yaml.safe_load((root / "config" / "config.yaml").read_text()), root, "config.yaml")


def test_every_shipped_m_file_has_a_case(root, settings):
    """The list above covers every script and function file the cases run (their callees are
    translated with them)."""
    assert sorted(SHIPPED_CASES) == sorted(c.name for c in settings.cases)


@pytest.mark.octave
@pytest.mark.parametrize("case_name", SHIPPED_CASES)
def test_translation_passes_the_parity_case(case_name, octave, settings, root, tmp_path, monkeypatch):
    case = settings.case(case_name)
    translation = translate_file(root / case.script)
    package = tmp_path / f"ports_{case_name}"  # a package name of its own: modules stay imported across tests
    translation.write(package / f"{translation.main}.py")
    (package / "__init__.py").touch()
    params = dataclasses.replace(
        case, script=str(root / case.script), python=f"ports_{case_name}.{translation.main}:{translation.main}",
        shims=tuple(str(root / s) for s in case.shims),
        reference=None if case.reference is None else dataclasses.replace(case.reference,
                                                                           file=str(root / case.reference.file)),
    ).params()
    monkeypatch.chdir(tmp_path)  # results/ of this run, and the project the translated port belongs to
    workflow.inputs_step(params, "inputs.npz", project=tmp_path)
    workflow.octave_step(params, "inputs.npz", "octave.npz")
    python = workflow.python_step(params, "inputs.npz", "python.npz", project=tmp_path)
    assert python.error is None, python.error
    rows = workflow.compare_step(params, "octave.npz", "python.npz", "summary.csv")
    assert len(rows) == len(case.expected())
    bad = [f"{r['variable']} {r['left']}-vs-{r['right']}: {r['status']} {r['message']} (max_ulp {r['max_ulp']}, "
           f"{r['tolerance']})" for r in rows if r["status"] != "pass"]
    assert bad == []
