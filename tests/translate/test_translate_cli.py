"""``rnncore translate SCRIPT.m [-o PORT.py]`` (rnncore.tool.translate.main): output, exit status, messages."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from rnncore.tool.translate import main
from rnncore.translate import translate_file, translate_source


def test_prints_the_port_of_a_standalone_script(tmp_path, capsys):
    script = tmp_path / "tiny.m"
    script.write_text("% a tiny script\nx = [1 2 3];\ny = x(end) * 2;\n")
    assert main([str(script)]) == 0
    out = capsys.readouterr().out
    assert out == translate_file(script).modules["tiny"]
    assert "def tiny():" in out and "# line 3" in out


def test_writes_the_port_and_it_runs(tmp_path, capsys):
    script = tmp_path / "tiny.m"
    script.write_text("x = [1 2 3];\ny = x(end) * 2;\n")
    port = tmp_path / "out" / "tiny_port.py"
    assert main([str(script), "-o", str(port)]) == 0
    assert port.exists() and not (tmp_path / "out" / "__init__.py").exists()  # nothing else needed
    spec = importlib.util.spec_from_file_location("tiny_port", port)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.tiny()["y"].tolist() == [[6.0]]  # x(end) * 2 with x = [1 2 3]


def test_called_function_files_become_sibling_modules(tmp_path, capsys):
    (tmp_path / "twice.m").write_text("function y = twice(x)\ny = 2 * x;\nend\n")
    (tmp_path / "main_script.m").write_text("a = twice(3);\n")
    assert main([str(tmp_path / "main_script.m")]) == 2  # a package cannot go to stdout
    assert "give -o PORT.py" in capsys.readouterr().err
    out = tmp_path / "pkg"
    assert main([str(tmp_path / "main_script.m"), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["__init__.py", "main_script.py", "twice.py"]
    assert "from .twice import twice" in (out / "main_script.py").read_text()
    sys.path.insert(0, str(tmp_path))
    try:
        from pkg.main_script import main_script
    finally:
        sys.path.remove(str(tmp_path))
    assert main_script()["a"].tolist() == [[6.0]]


def test_translation_error_is_one_sentence_and_status_1(tmp_path, capsys):
    script = tmp_path / "bad.m"
    script.write_text("a = 1;\nglobal G\nb = 2;\n")
    assert main([str(script), "-o", str(tmp_path / "bad.py")]) == 1
    err = capsys.readouterr().err
    assert err == (f"{script}:2: a global declaration is not supported by rnncore translate (pass the value as an "
                   f"argument instead).\n")
    assert not (tmp_path / "bad.py").exists()


@pytest.mark.parametrize("argv", [[], ["a.m", "b.m"], ["--bogus", "x.m"], ["missing.m"], ["notes.txt"]])
def test_usage_errors_are_status_2(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x = 1;\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "rnncore translate: error:" in err and "Traceback" not in err


def test_same_source_gives_the_same_bytes(root):
    """Deterministic output: no time stamps, no absolute paths, no dict-order accidents."""
    first = translate_file(root / "matlab_ref" / "train" / "elman_train_script.m")
    second = translate_file(root / "matlab_ref" / "train" / "elman_train_script.m")
    assert first.modules == second.modules
    assert list(first.modules) == ["elman_train_script", "elman_forward", "elman_log_softmax", "elman_loss_grads",
                                   "elman_train_sgd"]
    assert str(root) not in "".join(first.modules.values())
    text = (root / "matlab_ref" / "rnn2.m").read_text()
    assert translate_source(text, "rnn2.m") == first_rnn2(root)


def first_rnn2(root):
    return translate_file(root / "matlab_ref" / "rnn2.m").modules["rnn2"]


def test_generated_code_keeps_comments_and_marks_lines(root):
    source = translate_file(root / "matlab_ref" / "rnn2.m").modules["rnn2"]
    assert "in_S=[0 0 1 0]' repeats G's one-hot code" in source  # the header comment, as the docstring
    assert "# line 43: recuurent layer" in source  # a trailing comment, on its statement's marker
    assert "# https://stackoverflow.com/questions/50050056/simple-rnn-example-showing-numerics" in source
    assert "np.tanh(" in source and "eval(" not in source and "exec(" not in source
