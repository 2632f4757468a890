"""Students' notebooks (rnncore.reports.notebooks): the port in cells, executed for real, with the verdict.

Unit tests build rnn2's notebook (no inputs, no Octave needed) from hand-made summary rows. The
workflow test runs `snakemake all` once (parity cases only) in a copy of the repository and builds
every shipped case's notebook from it with the workflow's step functions.
"""

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from report_data import ENGINE, row

from rnncore import layout
from rnncore.tool.notebook import main
from rnncore.reports.notebooks import build_index, build_notebook, port_cells
from rnncore.reports.verdict import parse_row

SHIPPED = ["rnn2", "exercise_rnn1a", "rnn2_random", "train_pig_diagonal", "train_pig_full", "train_plural_full",
           "lstm_plural"]

HAND_WRITTEN = '''"""A port.

Two functions."""

from __future__ import annotations

import numpy as np

SCALE = 2.0  # the script's constant


# Why: MATLAB's (n, 1) column.
def col(v):
    return np.asarray(v, dtype=float).reshape(-1, 1)


def run():
    # scale every element, as the script's loop does
    return {"x": col([1, 2]) * SCALE}
'''

TRANSLATED = '''"""Translated from demo.m."""
__translated_from__ = "demo.m"
import numpy as np
# %% the weights
w = np.ones((2, 2))  # w = ones(2)
# %% the loop
for t in range(2):  # for t = 1:2
    w = w * 2
'''


def _rows(case, statuses):
    return [parse_row({k: str(v) for k, v in row(case, var, "octave", "python", ENGINE, status, shape="3x4",
                                                  max_abs_err="1e-16", max_ulp=1, worst_row=1, worst_col=2,
                                                  worst_left="0.5", worst_right="0.5000000000000001",
                                                  n_elements=12).items()}) for var, status in statuses]


def _verdict_statuses(nb) -> dict[str, str]:
    """{"ht octave vs python": "pass"} from the notebook's verdict table."""
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Parity verdict"))
    out = {}
    for line in cell.source.splitlines():
        m = re.match(r"\| (✓ pass|✗ [^|]+?) \| `([^`]+)` \| (\S+) vs (\S+) \|", line)
        if m:
            word = m.group(1)
            status = "pass" if word == "✓ pass" else word.split(": ", 1)[1] if ": " in word else word[2:].lower()
            out[f"{m.group(2)} {m.group(3)} vs {m.group(4)}"] = status
    return out


def _outputs(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_hand_written_port_is_split_at_statements_and_keeps_its_comments():
    cells = port_cells(HAND_WRITTEN)
    kinds = [k for k, _ in cells]
    assert kinds == ["markdown", "code", "code", "code"]
    assert cells[0][1] == "A port.\n\nTwo functions."
    assert cells[1][1].startswith("from __future__ import annotations") and "SCALE = 2.0  # the script's constant" in cells[1][1]
    assert cells[2][1].startswith("# Why: MATLAB's (n, 1) column.\ndef col(v):")
    assert cells[3][1].startswith("def run():\n    # scale every element")
    # nothing lost: every non-blank line of the module is in a cell (the docstring as text)
    joined = "\n".join(t for _, t in cells[1:])
    body = HAND_WRITTEN.split('"""', 2)[2]
    assert [ln for ln in body.splitlines() if ln.strip()] == [ln for ln in joined.splitlines() if ln.strip()]


def test_translated_port_keeps_the_translators_sections_and_comments():
    cells = port_cells(TRANSLATED)
    assert [k for k, _ in cells] == ["markdown", "code", "code", "code"]
    assert cells[2][1] == "w = np.ones((2, 2))  # w = ones(2)"
    assert "# for t = 1:2" in cells[3][1]


@pytest.fixture(scope="module")
def rnn2_notebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nb") / "results" / "notebooks"
    rows = _rows("rnn2", [("ht", "pass"), ("y_out", "fail"), ("softmax_y_out", "pass")])
    out = build_notebook("rnn2", ROOT / "matlab_ref" / "rnn2.m", "rnncore.course.rnn2:rnn2",
                         ["ht", "y_out", "softmax_y_out"], None, rows, folder / "rnn2.ipynb")
    return out, rows


def test_notebook_shows_script_port_run_and_verdict(rnn2_notebook):
    out, _ = rnn2_notebook
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert any(s.startswith("## The MATLAB script: `rnn2.m`\n\n```matlab\n") and "softmax" in s for s in sources)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.source.startswith("def rnn2():") for c in code)
    assert all(c.execution_count for c in code)  # really executed
    text = _outputs(nb)
    assert "ht (3x4):" in text and "softmax_y_out (4x4):" in text and "0.4324" in text  # slide 14's value
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    assert _verdict_statuses(nb) == {"ht octave vs python": "pass", "y_out octave vs python": "fail",
                                     "softmax_y_out octave vs python": "pass"}
    verdict = next(s for s in sources if s.startswith("## Parity verdict"))
    assert "**✗ 1 of 3 comparisons do not pass**" in verdict and "0.5000000000000001" in verdict


def test_notebook_is_deterministic_with_stable_ids_and_no_timings(rnn2_notebook):
    out, rows = rnn2_notebook
    first = out.read_bytes()
    again = build_notebook("rnn2", ROOT / "matlab_ref" / "rnn2.m", "rnncore.course.rnn2:rnn2",
                           ["ht", "y_out", "softmax_y_out"], None, rows, out)
    assert again.read_bytes() == first
    nb = json.loads(first)
    assert [c["id"] for c in nb["cells"]] == [f"rnn2-{i}" for i in range(len(nb["cells"]))]
    text = first.decode("utf-8")
    assert '"execution"' not in text and "iopub" not in text and not re.search(r"20\d\d-\d\d-\d\dT", text)
    assert nb["metadata"]["language_info"] == {"name": "python"}


def test_a_port_that_does_not_parse_still_gets_its_notebook_showing_the_error(tmp_path, monkeypatch):
    """Found by the failure-mode matrix: a port with a syntax error made the notebook job crash with a
    traceback. Its notebook now holds the port as one cell, and running it shows the SyntaxError."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken_port.py").write_text("x = (1 +\n")
    (tmp_path / "extra.m").write_text("x = 1;\n")
    assert port_cells("x = (1 +\n") == [("code", "x = (1 +")]
    out = build_notebook("extra", tmp_path / "extra.m", "broken_port:extra", ["x"], None,
                         _rows("extra", [("x", "error")]), tmp_path / "nb" / "extra.ipynb")
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source == "x = (1 +"
    assert [o.get("ename") for o in code[0].outputs] == ["SyntaxError"]
    assert _verdict_statuses(nb) == {"x octave vs python": "error"}


def test_index_links_every_case_with_its_verdict(tmp_path):
    rows = _rows("rnn2", [("ht", "pass")]) + _rows("broken", [("x", "fail"), ("y", "pass")])
    out = build_index([("rnn2", "matlab_ref/rnn2.m"), ("broken", "b.m"), ("never", "n.m")], rows,
                      tmp_path / "index.ipynb")
    text = nbformat.read(out, as_version=4).cells[0].source
    assert "| [rnn2](rnn2.ipynb) | `rnn2.m` | ✓ pass: all 1 comparisons |" in text
    assert "| [broken](broken.ipynb) | `b.m` | ✗ FAIL: 1 of 2 comparisons do not pass |" in text
    assert "| [never](never.ipynb) | `n.m` | not compared in this run |" in text


def test_main_needs_a_case_and_knows_the_configured_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "matlab_ref", tmp_path / "matlab_ref")
    with pytest.raises(SystemExit):
        main([])
    capsys.readouterr()
    assert main(["nope"]) == 1
    assert "no case named 'nope'" in capsys.readouterr().err
    assert main(["rnn2_random", "--no-execute"]) == 1  # its inputs were never drawn here
    assert "results/engines/rnn2_random/inputs.npz is absent" in capsys.readouterr().err
    assert main(["rnn2", "--no-execute", "--index"]) == 0
    assert (tmp_path / layout.notebook("rnn2")).is_file() and (tmp_path / layout.notebooks_index()).is_file()
    nb = nbformat.read(tmp_path / layout.notebook("rnn2"), as_version=4)
    assert "not produced by this run" in nb.cells[-1].source


# --------------------------------------------------------------------------- every shipped case, for real


@pytest.mark.octave
@pytest.mark.workflow
def test_every_shipped_case_notebook_runs_and_shows_the_summarys_verdict(shipped_run, monkeypatch):
    """The workflow's own notebooks (built and run by nbclient in the shared run) show the summary's verdict."""
    import yaml

    monkeypatch.chdir(shipped_run)
    config = yaml.safe_load((shipped_run / "config" / "config.yaml").read_text())
    specs = {c["name"]: c for c in config["cases"]}
    assert sorted(specs) == sorted(SHIPPED)
    with open(layout.summary(), encoding="utf-8", newline="") as fh:
        summary = list(csv.DictReader(fh))
    for case in SHIPPED:
        spec = specs[case]
        nb = nbformat.read(layout.notebook(case), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.execution_count for c in code), case
        assert not any(o.get("output_type") == "error" for c in code for o in c.outputs), case
        text = _outputs(nb)
        for variable in spec["variables"]:
            assert re.search(rf"^{re.escape(variable)} \(\d+x\d+\):$", text, re.MULTILINE), (case, variable)
        expected = {f"{r['variable']} {r['left']} vs {r['right']}": r["status"] for r in summary if r["case"] == case}
        assert expected and _verdict_statuses(nb) == expected, case
    text = nbformat.read(layout.notebooks_index(), as_version=4).cells[0].source
    assert all(f"[{c}]({c}.ipynb)" in text for c in SHIPPED)
    assert Path(layout.notebooks_index()).parent == Path(layout.notebook("rnn2")).parent


def test_the_kernel_does_not_write_to_the_runs_console(tmp_path, monkeypatch):
    # ipykernel can log a zmq traceback on its own stderr at shutdown (CI saw "Socket operation on
    # non-socket" in a run that worked): the kernel is started with its stdout and stderr closed off.
    import subprocess

    import nbclient
    from nbformat import v4

    from rnncore.reports import notebooks

    seen = {}

    def spy(self, **kwargs):
        seen.update(kwargs)
        return self.nb
    monkeypatch.setattr(nbclient.NotebookClient, "execute", spy)
    notebooks._execute(v4.new_notebook(cells=[v4.new_code_cell("1")]), tmp_path / "nb", 30)
    assert seen["stdout"] == subprocess.DEVNULL and seen["stderr"] == subprocess.DEVNULL
    assert "PYTHONPATH" in seen["env"]
