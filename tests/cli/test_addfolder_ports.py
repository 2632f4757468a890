"""``rnncore add <folder>``'s ports: one package per course folder (rnncore.tool.addfolder.port_folder).

Two exercises with a ``sigmoid.m`` each (different code) must both be portable into one course; a
file outside the translator's subset gets a skeleton naming the construct and line; a second run
changes nothing, and a port edited by hand is never overwritten. Translation only: no Octave here.
"""

import importlib
import sys

import numpy as np
import pytest

from rnncore.tool.addfolder import FolderError, port_folder

SIGMOID_A = "function g = sigmoid(z)\n  g = 1 ./ (1 + exp(-z));\nend\n"
SIGMOID_B = "function g = sigmoid(z)\n  g = 2 * z;\nend\n"  # another exercise's function of the same name
PREDICT = "function p = predict(x)\n  p = sigmoid(x) + 1;\nend\n"
DRIVER = "x = [0 1];\np = predict(x);\n"
REFUSED = "function y = spectrum(x)\n  y = abs(fft(x));\nend\n"  # fft: outside the subset (tests/test_corpus_fixtures.py)


@pytest.fixture
def course(tmp_path):
    for folder, sigmoid in (("ex2", SIGMOID_A), ("ex3", SIGMOID_B)):
        d = tmp_path / "matlab_ref" / folder
        d.mkdir(parents=True)
        (d / "sigmoid.m").write_text(sigmoid)
        (d / "predict.m").write_text(PREDICT)
        (d / f"{folder}_driver.m").write_text(DRIVER)
    (tmp_path / "matlab_ref" / "ex3" / "spectrum.m").write_text(REFUSED)
    _forget_ports()  # another test's course may have imported its own `ports` package
    yield tmp_path
    _forget_ports()


def _forget_ports():
    for name in [m for m in sys.modules if m == "ports" or m.startswith("ports.")]:
        del sys.modules[name]  # each test's course has its own ports package


def _import(course, module):
    sys.path.insert(0, str(course))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(course))


def test_same_named_functions_of_two_folders_coexist_each_importing_its_own(course):
    a = port_folder(course / "matlab_ref" / "ex2", project=course)
    b = port_folder(course / "matlab_ref" / "ex3", project=course)
    assert (a.package, b.package) == ("ports.ex2", "ports.ex3")
    assert [f.module for f in a.files] == ["ports/ex2/ex2_driver.py", "ports/ex2/predict.py", "ports/ex2/sigmoid.py"]
    assert all(f.translated for f in a.files)
    for init in ("ports/__init__.py", "ports/ex2/__init__.py", "ports/ex3/__init__.py"):
        assert (course / init).is_file()
    x = np.array([[0.0, 1.0]])
    p2 = _import(course, "ports.ex2.predict").predict(x)["p"]
    p3 = _import(course, "ports.ex3.predict").predict(x)["p"]
    # Each predict calls its own folder's sigmoid: 1/(1+e^-x) + 1 and 2x + 1 (1e-15: exp's rounding).
    np.testing.assert_allclose(p2, 1 / (1 + np.exp(-x)) + 1, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(p3, 2 * x + 1)


def test_a_file_outside_the_subset_gets_a_skeleton_naming_construct_and_line(course):
    ports = port_folder(course / "matlab_ref" / "ex3", project=course)
    (skeleton,) = ports.skeletons
    assert (skeleton.source.name, skeleton.kind, skeleton.line) == ("spectrum.m", "function", 2)
    assert "fft" in skeleton.construct
    module = _import(course, "ports.ex3.spectrum")
    with pytest.raises(NotImplementedError, match=r"spectrum\.m:2: .*fft"):
        module.spectrum(np.array([[1.0, 2.0]]))


def test_a_second_run_changes_nothing_and_keeps_a_port_edited_by_hand(course):
    folder = course / "matlab_ref" / "ex2"
    port_folder(folder, project=course)
    before = {p: p.read_bytes() for p in sorted((course / "ports").rglob("*.py"))}
    port_folder(folder, project=course)
    assert {p: p.read_bytes() for p in sorted((course / "ports").rglob("*.py"))} == before
    edited = course / "ports" / "ex2" / "sigmoid.py"
    edited.write_text("def sigmoid(z):\n    return {'g': z}\n")
    again = port_folder(folder, project=course)
    assert edited.read_text() == "def sigmoid(z):\n    return {'g': z}\n"
    assert [f.source.name for f in again.files if f.kept] == ["sigmoid.m"]


def test_a_folder_outside_the_course_or_without_m_files_is_refused(course, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "a.m").write_text("a = 1;\n")
    with pytest.raises(FolderError, match="outside the course folder"):
        port_folder(elsewhere, project=course)
    (course / "matlab_ref" / "empty").mkdir()
    with pytest.raises(FolderError, match="holds no .m file"):
        port_folder(course / "matlab_ref" / "empty", project=course)
