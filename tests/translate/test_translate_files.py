"""Data files in a translated port, against Octave reading the very same files.

Each script below runs in Octave (one process, octave_batch) in a folder holding small data files
written here, and files Octave itself writes first (``save -v7`` MAT-files and Octave's default text
format); its port, translated and run with that folder as the script's folder, must leave the same
workspace: the same names, classes and sizes, numbers within the parity workflow's default
tolerance (octave_batch.DEFAULT_TOLERANCE; the readers parse the same decimal text to the nearest
double, so they are in fact equal), text and logicals exactly.
"""

from __future__ import annotations

import pytest

from octave_batch import assert_same_workspace, run_batch
from port_loader import load_port
from rnncore.translate import translate_source
from rnncore.translate.errors import TranslationError
from rnncore.translate.runtime import MatlabError
from rnncore.translate.runtime.files import in_folder

DATA = {
    "ex1data1.txt": "6.1101,17.592\n5.5277,9.1302\n8.5186,13.662\n7.0032,11.854\n",
    "spaces.dat": "% a comment line\n1 2.5 -3\n4e-3 Inf 6\n",
    "grid.csv": "1,2,3\n4,,6\n7,8,9\n",
    "tabs.txt": "1\t2\n3\t4\n",
    "lines.txt": "header line\n1 2\n3 4\n5 6\n",
    "table.csv": "name,score\nada,1.5\nbob,-2\n",
}

SCRIPTS = {
    # runs first: the files Octave writes for the readers below
    "f_write": """
        A = [1.5 -2; 3 1e-3]; E = reshape(1:12, 2, 3, 2); t = 'abc'; c = {1, 'xy'}; L = [true false];
        save -v7 written7.mat A t c L E
        save writtentext.txt A t c L E
        x = [1 2; 3 4.25]; save octave_ascii.txt x -ascii
    """,
    "f_text": """
        load ex1data1.txt
        data = load('ex1data1.txt');
        X = data(:, 1); y = data(:, 2); m = length(y);
        S = load('spaces.dat');
    """,
    "f_dlm": """
        A = csvread('grid.csv'); B = dlmread('grid.csv', ','); C = csvread('grid.csv', 1, 0);
        D = dlmread('tabs.txt'); E = dlmread('grid.csv', ',', 1, 1);
    """,
    "f_mat_v7": """
        load written7.mat A t c L E
        s = size(E);
    """,
    "f_octave_text": """
        load writtentext.txt A t c L E
        s = size(E);
    """,
    "f_fopen": """
        fid = fopen('lines.txt');
        h = fgetl(fid);
        v = fscanf(fid, '%f', [2 Inf]);
        done = feof(fid);
        fclose(fid);
        fid = fopen('table.csv');
        C = textscan(fid, '%s %f', 'Delimiter', ',', 'HeaderLines', 1);
        fclose(fid);
        names = C{1}; vals = C{2};
        clear fid ans
        missing = fopen('no_such_file.txt');
    """,
    "f_save": """
        x = [1 2; 3 4.25]; w = 'text';
        save('roundtrip.mat', 'x', 'w');
        save port_ascii.txt x -ascii
        clear x w
        load roundtrip.mat x w
        y = load('port_ascii.txt');
    """,
}


def _script(code: str) -> str:
    lines = code.strip("\n").split("\n")
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory, octave):
    """The data files, every script run in Octave, and what Octave wrote with save -ascii."""
    folder = tmp_path_factory.mktemp("files")
    for name, text in DATA.items():
        (folder / name).write_text(text)
    runs = run_batch({name: _script(code) for name, code in SCRIPTS.items()}, folder, octave)
    written = (folder / "port_ascii.txt").read_bytes()
    return folder, runs, written


@pytest.mark.octave
@pytest.mark.parametrize("name", [n for n in SCRIPTS if n != "f_write"])
def test_the_port_reads_files_as_octave_does(name, folder, tmp_path_factory):
    where, runs, _ = folder
    run = runs[name]
    assert run.error is None, f"Octave failed on {name}: {run.error}"
    port, _ = load_port(where / f"{name}.m", tmp_path_factory.mktemp("ports"), f"files_{name}")
    with in_folder(where):
        workspace = port()
    assert_same_workspace(run.workspace, workspace)


@pytest.mark.octave
def test_save_ascii_writes_octaves_bytes(folder, tmp_path):
    where, runs, octave_bytes = folder
    from rnncore.translate.runtime import double, save

    with in_folder(tmp_path):
        save({"x": double([[1, 2], [3, 4.25]])}, "-ascii", "mine.txt", "x")
    assert (tmp_path / "mine.txt").read_bytes() == octave_bytes


def test_load_of_a_mat_file_without_names_is_refused_at_translation():
    with pytest.raises(TranslationError, match=r"load results\.mat without variable names is not supported .*"
                                               r"name the variables to create: load results\.mat name1 name2"):
        translate_source("load results.mat\n", "s.m")


def test_imread_is_refused_with_the_reason():
    with pytest.raises(TranslationError, match=r"imread is not supported .*integer \(uint8\)"):
        translate_source("img = imread('cat.png');\n", "s.m")


def test_reader_errors_name_the_file_and_line(tmp_path):
    from rnncore.translate.runtime import load

    (tmp_path / "ragged.txt").write_text("1 2\n3\n")
    (tmp_path / "words.txt").write_text("1 2\nx 4\n")
    with in_folder(tmp_path):
        with pytest.raises(MatlabError, match=r"ragged\.txt:2: 1 numbers where the rows above have 2"):
            load("ragged.txt")
        with pytest.raises(MatlabError, match=r"words\.txt:2: 'x' is not a number"):
            load("words.txt")
        with pytest.raises(MatlabError, match=r"unable to find file .*nowhere\.txt"):
            load("nowhere.txt")


def test_a_struct_from_load_is_refused(tmp_path):
    from rnncore.translate.runtime import double, load, save

    with in_folder(tmp_path):
        save({"a": double(1)}, "s.mat", "a")
        with pytest.raises(MatlabError, match=r"returns a struct .* `load s\.mat name1 name2`"):
            load("s.mat")


@pytest.mark.parametrize(("text", "message"), [
    ("f = 'a.txt';\nload(f);\n",
     r"e\.m:2: load as a statement without literal file and variable names .*X = load\(name\)"),
    ("f = 'a.mat';\nsave(f, 'x');\n", r"e\.m:2: save as a statement without literal file and variable names"),
    ("y = save('a');\n", r"e\.m:1: the value of save\(\.\.\.\) is not supported .*write it as a statement"),
])
def test_load_and_save_whose_names_are_not_literal_are_refused_at_translation(text, message):
    with pytest.raises(TranslationError, match=message):
        translate_source(text, "e.m")


def test_the_command_form_creates_the_variables_it_names():
    code = translate_source("load ex1data1.txt\nX = ex1data1(:, 1);\nload w.mat A b\nc = A * b;\n", "s.m")
    assert '(ex1data1,) = mr.load_variables("ex1data1.txt", "ex1data1")' in code
    assert 'A, b = mr.load_variables("w.mat", "A", "b")' in code


def test_preflight_takes_a_loaded_file_for_a_variable_not_a_call(tmp_path):
    from rnncore.engine.preflight import scan_m_file

    (tmp_path / "s.m").write_text("load ex1data1.txt\nX = ex1data1(:, 1);\nload w.mat A\nB = A(2);\nC = frob(1);\n")
    called = set(scan_m_file(tmp_path / "s.m").called)
    assert "ex1data1" not in called and "A" not in called
    assert "frob" in called  # a real call is still one
