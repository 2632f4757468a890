"""The corpus: course-style scripts of our own, translated untouched, against Octave.

tests/translate/corpus/ holds scripts (c01_...m to c14_...m) in the style of the course and the
function files they call (c_tanh_layer.m, c_normalize.m with subfunctions; diff_ok.m,
unique_rows.m). Each script is translated with the function files it calls, run, and its whole
workspace must equal Octave's: every variable, its class and size, numbers within the parity
workflow's default tolerance (ulp<=16 or abs<=4*2^-52), text and logicals exactly. All scripts
run in one Octave process.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from miss_hit_core import m_ast

from octave_batch import assert_same_workspace, run_batch
from port_loader import load_port
from rnncore.translate.parse import parse

CORPUS = Path(__file__).resolve().parent / "corpus"
SCRIPTS = sorted(p.stem for p in CORPUS.glob("c[0-9]*.m"))
FUNCTIONS = sorted(p.stem for p in CORPUS.glob("*.m") if p.stem not in SCRIPTS)


def _nodes(tree):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for key, value in vars(node).items():
            if key == "n_parent":
                continue
            if key.startswith("n_") and isinstance(value, m_ast.Node):
                stack.append(value)
            elif key.startswith("l_") and isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, m_ast.Node))


def test_corpus_covers_the_constructs_it_is_for():
    """At least 12 scripts, and between them: a function file with a subfunction, a while loop
    with break, growth by assignment past the end, end arithmetic in an index, anonymous functions,
    char and cell data."""
    assert len(SCRIPTS) >= 12
    trees = {p.stem: parse(p.read_text(), str(p)).tree for p in CORPUS.glob("*.m")}
    kinds = {name: {type(n).__name__ for n in _nodes(t)} for name, t in trees.items()}
    assert any(isinstance(t, m_ast.Function_File) and len(t.l_functions) > 1 for t in trees.values())
    assert any(isinstance(n, m_ast.While_Statement) and any(isinstance(b, m_ast.Break_Statement)
                                                             for b in _nodes(n)) for t in trees.values()
               for n in _nodes(t))
    assert any("Lambda_Function" in k for k in kinds.values())
    assert any("Cell_Expression" in k for k in kinds.values())
    assert any("Char_Array_Literal" in k for k in kinds.values())
    texts = {p.stem: p.read_text() for p in CORPUS.glob("c*.m")}
    assert any("(end+1" in t or "(:, end+1)" in t for t in texts.values())  # growth by assignment
    assert any("end-" in t or "end/" in t for t in texts.values())  # end arithmetic in an index


@pytest.fixture(scope="module")
def octave_runs(octave, tmp_path_factory):
    files = {name: (CORPUS / f"{name}.m").read_text() for name in FUNCTIONS}
    scripts = {name: (CORPUS / f"{name}.m").read_text() for name in SCRIPTS}
    return run_batch(scripts, tmp_path_factory.mktemp("corpus_octave"), octave, files=files)


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus_ports")


@pytest.mark.octave
@pytest.mark.parametrize("name", SCRIPTS)
def test_corpus_script_matches_octave(name, octave_runs, ports_root):
    run = octave_runs[name]
    assert run.error is None, f"Octave failed on {name}: {run.error}"
    port, _ = load_port(CORPUS / f"{name}.m", ports_root, f"corpus_{name}")
    with contextlib.redirect_stdout(io.StringIO()):
        workspace = port()
    assert_same_workspace(run.workspace, workspace)
