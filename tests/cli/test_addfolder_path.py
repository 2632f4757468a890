"""A course folder whose scripts reach a sibling folder of the course (``addpath ../common``), as shipped.

``rnncore add matlab_ref/<course>/<folder>/`` reads the folder's ``addpath`` calls
(rnncore.tool.coursepath.path_folders), ports each folder on the path into a package of its own
with re-exports in the folder's package (translation only, first tests), and captures the scripts'
calls in a copy of the whole course, so that the script finds ``../common`` in Octave too (last test).
"""

import numpy as np
import pytest
import yaml

from rnncore.tool.addfolder import port_folder
from test_addfolder_ports import _forget_ports, _import  # each test's course has its own ports package
from rnncore.engine.coursepath import path_folders

SCALE = "function y = scale(x)\n  y = 3 * x;\nend\n"  # in ../common
DEEP = "function y = deep(x)\n  y = x - 1;\nend\n"  # in ../common/tools, reached by genpath
OFFSET = "function y = offset(x)\n  y = scale(x) + deep(x);\nend\n"  # the folder's own, calling the path's
OWN_DEEP = "function y = deep(x)\n  y = 100 * x;\nend\n"  # another folder's deep: it shadows the path's there
DRIVER = ("addpath ../common\naddpath(genpath('../common/tools'));\naddpath(['../', 'elsewhere']);\n"
          "a = offset([1 2]);\nb = offset(5);\n")


@pytest.fixture
def shipped(tmp_path):
    """matlab_ref/crs/{common, common/tools, ex, other}: a course as shipped."""
    crs = tmp_path / "matlab_ref" / "crs"
    for folder, files in {"common": {"scale.m": SCALE}, "common/tools": {"deep.m": DEEP},
                          "ex": {"offset.m": OFFSET, "driver.m": DRIVER},
                          "other": {"deep.m": OWN_DEEP, "offset.m": OFFSET,
                                    "run_other.m": "addpath ../common/tools ../common\nc = offset(2);\n"}}.items():
        (crs / folder).mkdir(parents=True)
        for name, text in files.items():
            (crs / folder / name).write_text(text)
    _forget_ports()
    yield tmp_path
    _forget_ports()


def test_the_path_is_read_from_literal_addpath_calls_last_added_first(shipped):
    crs = (shipped / "matlab_ref" / "crs").resolve()
    path = path_folders(crs / "ex")
    # addpath puts its folders first: genpath('../common/tools') (the later call) before ../common.
    assert path.folders == (crs / "common" / "tools", crs / "common")
    assert path.skipped == ("driver.m:3: an addpath argument is not a literal folder name (computed when the script "
                            "runs)",)
    # one call naming two folders keeps their order: ../common/tools first
    assert path_folders(crs / "other").folders == (crs / "common" / "tools", crs / "common")


def test_path_folders_get_packages_of_their_own_reached_through_reexports(shipped):
    crs = shipped / "matlab_ref" / "crs"
    ports = port_folder(crs / "ex", project=shipped)
    assert [p.package for p in ports.path] == ["ports.common_tools", "ports.common"]
    assert all(f.translated for p in (ports, *ports.path) for f in p.files)
    assert (shipped / "ports" / "common" / "scale.py").is_file()
    assert (shipped / "ports" / "ex" / "scale.py").read_text().count("from ..common.scale import scale") == 1
    x = np.array([[1.0, 2.0]])
    # offset = 3x + (x - 1), through the re-exports of ../common's scale and ../common/tools' deep
    np.testing.assert_array_equal(_import(shipped, "ports.ex.offset").offset(x)["y"], 3 * x + x - 1)
    # A folder's own file comes first: other/deep.m shadows common/tools/deep.m (no re-export there)
    port_folder(crs / "other", project=shipped)
    assert not (shipped / "ports" / "other" / "deep.py").read_text().startswith('"""deep: ')
    np.testing.assert_array_equal(_import(shipped, "ports.other.offset").offset(x)["y"], 3 * x + 100 * x)
    # A second run changes nothing
    before = {p: p.read_bytes() for p in sorted((shipped / "ports").rglob("*.py"))}
    port_folder(crs / "ex", project=shipped)
    assert {p: p.read_bytes() for p in sorted((shipped / "ports").rglob("*.py"))} == before


@pytest.mark.octave
def test_add_captures_a_script_that_reaches_a_sibling_folder_and_run_passes(octave, tmp_path, monkeypatch, capsys):
    from rnncore.tool.cli import main
    from rnncore.tool.scaffold import init_course

    init_course(tmp_path)
    crs = tmp_path / "matlab_ref" / "crs"
    for folder, files in {"common": {"scale.m": SCALE}, "ex": {"offset.m": "function y = offset(x)\n  "
                                                                          "y = scale(x) + 1;\nend\n",
                                                            "count.m": "function n = count(c)\n  n = numel(c);\nend\n",
                                                            "driver.m": "addpath ../common\na = offset([1 2]);\n"
                                                                        "b = offset(5);\nk = count({1, 2});\n"}}.items():
        (crs / folder).mkdir(parents=True)
        for name, text in files.items():
            (crs / folder / name).write_text(text)
    _forget_ports()
    monkeypatch.chdir(tmp_path)
    try:
        assert main(["add", "matlab_ref/crs/ex"]) == 0
        out = capsys.readouterr().out
        assert "on the path: 1 file(s) ported into ports/common/, 0 skeleton(s)" in out
        # called with a cell: no case, and said so (not listed among the functions no script calls)
        assert "called, no call storable (no case): count (c (a cell): only numeric, logical and char arrays" in out
        assert "no script calls" not in out
        cases = {c["name"]: c for c in yaml.safe_load((tmp_path / "config.yaml").read_text())["cases"]}
        assert cases["ex-offset"]["captured"] == "matlab_ref/crs/ex/.rnncore/offset.npz"
        assert cases["ex-driver"]["variables"] == ["a", "b", "k"] and "ex-count" not in cases
        assert main(["run"]) == 0
        summary = (tmp_path / "results" / "parity" / "summary.csv").read_text()
        rows = [line for line in summary.splitlines() if line.startswith(("ex-offset,", "ex-driver,"))]
        assert len(rows) == 4 and all(",pass," in line for line in rows), rows  # a, b, k of the script; y
    finally:
        _forget_ports()
