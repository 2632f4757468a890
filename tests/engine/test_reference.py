"""Published reference values (rnncore.engine.reference): the shipped slide file, and malformed files
reported with file, line and what is wrong."""

import numpy as np
import pytest

from rnncore.engine.reference import ReferenceFileError, load_reference

HEADER = "variable,row,col,value,source"


def write_csv(tmp_path, *lines, name="ref.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def full_2x2(source="printout"):
    """Body lines of a complete 2x2 variable ``a``, lines 2-5 of the file after the header."""
    return [f"a,1,1,1.5,{source}", f"a,2,1,2.5,{source}", f"a,1,2,3.5,{source}", f"a,2,2,4.5,{source}"]


# --------------------------------------------------------------------------- the shipped file


@pytest.fixture(scope="module")
def slides(root):
    return load_reference(root / "matlab_ref" / "reference" / "rnn2_slides.csv")


def test_shipped_slides_load(slides):
    assert list(slides) == ["ht", "y_out", "softmax_y_out"]
    assert slides["ht"].shape == (3, 4)
    assert slides["y_out"].shape == (4, 4)
    assert slides["softmax_y_out"].shape == (4, 4)
    for arr in slides.values():
        assert arr.dtype == np.float64


def test_shipped_slides_values_exactly_as_parsed(slides):
    # 1-based ht(2,2) on the slides is [1, 1] here; the value is the parsed text, bit for bit.
    assert slides["ht"][1, 1] == 0.8996
    assert slides["ht"][0, 1] == 0.6932
    assert slides["ht"][2, 3] == 0.8958
    assert slides["y_out"][3, 2] == 1.2742
    assert slides["softmax_y_out"][0, 3] == 0.4332
    np.testing.assert_array_equal(
        slides["ht"],
        np.array([
            [0, 0.6932, 0.9365, 0.9120],
            [0, 0.8996, 0.9491, 0.9307],
            [0, 0.8021, 0.7623, 0.8958],
        ]),
        strict=True,
    )
    for arr in slides.values():
        np.testing.assert_array_equal(arr[:, 0], np.zeros(arr.shape[0]), strict=True)


# --------------------------------------------------------------------------- good small files


def test_comments_blank_lines_and_repeats(tmp_path):
    path = write_csv(tmp_path, "# a comment", "", HEADER, *full_2x2(), "a,2,2,4.5,worked example")
    out = load_reference(path)
    np.testing.assert_array_equal(out["a"], np.array([[1.5, 3.5], [2.5, 4.5]]), strict=True)


# --------------------------------------------------------------------------- malformed files


def test_repeat_disagreeing_with_printout(tmp_path):
    path = write_csv(tmp_path, "# comment", HEADER, *full_2x2(), "a,2,1,2.4,slide 14 Answer8")
    with pytest.raises(ReferenceFileError) as info:
        load_reference(path)
    msg = str(info.value)
    assert f"{path}:7:" in msg  # the repeat's line (comment, header, 4 elements, repeat)
    assert "a(2,1)" in msg
    assert "slide 14 Answer8" in msg and "printout" in msg  # both sources
    assert "line 4" in msg  # where the printout's value is
    assert "2.4" in msg and "2.5" in msg


def test_missing_element(tmp_path):
    lines = full_2x2()
    del lines[1]  # a(2,1)
    path = write_csv(tmp_path, HEADER, *lines, "a,1,3,5.5,printout")  # 2x3, also a(2,3) missing
    with pytest.raises(ReferenceFileError) as info:
        load_reference(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "first a(2,1)" in msg  # column-major first missing element
    assert "2 element(s)" in msg and "2x3" in msg


@pytest.mark.parametrize("value", ["abc", "", "0,6932", "nan", "inf", "-Infinity"])
def test_value_not_a_finite_number(tmp_path, value):
    field = f'"{value}"' if "," in value else value
    path = write_csv(tmp_path, HEADER, f"a,1,1,{field},printout")
    with pytest.raises(ReferenceFileError, match=r"a\(1,1\) value .* is not (a number|finite)") as info:
        load_reference(path)
    assert f"{path}:2:" in str(info.value)


@pytest.mark.parametrize("row, col", [("0", "1"), ("1", "0"), ("-1", "2")])
def test_index_must_be_1_based(tmp_path, row, col):
    path = write_csv(tmp_path, HEADER, "a,1,1,1,printout", f"a,{row},{col},1,printout")
    with pytest.raises(ReferenceFileError, match=r"1-based") as info:
        load_reference(path)
    assert f"{path}:3:" in str(info.value)


@pytest.mark.parametrize("row, col", [("x", "1"), ("1.5", "1"), ("1", "")])
def test_index_not_an_integer(tmp_path, row, col):
    path = write_csv(tmp_path, HEADER, f"a,{row},{col},1,printout")
    with pytest.raises(ReferenceFileError, match=r"row and col must be integers") as info:
        load_reference(path)
    assert f"{path}:2:" in str(info.value)


@pytest.mark.parametrize(
    "header",
    ["variable,row,col,value", "name,row,col,value,source", "variable,col,row,value,source", "a,1,1,1,printout"],
)
def test_wrong_header(tmp_path, header):
    path = write_csv(tmp_path, "# comment", header, "a,1,1,1,printout")
    with pytest.raises(ReferenceFileError, match=r"expected the header variable,row,col,value,source") as info:
        load_reference(path)
    assert f"{path}:2:" in str(info.value)


def test_empty_file(tmp_path):
    path = write_csv(tmp_path, "# only a comment")
    with pytest.raises(ReferenceFileError, match=r"expected the header") as info:
        load_reference(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("line", ["a,1,1,1", "a,1,1,1,printout,extra", "a"])
def test_wrong_field_count(tmp_path, line):
    path = write_csv(tmp_path, HEADER, "a,1,1,1,printout", line)
    with pytest.raises(ReferenceFileError, match=r"expected 5 fields") as info:
        load_reference(path)
    assert f"{path}:3:" in str(info.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(ReferenceFileError, match=r"cannot read") as info:
        load_reference(path)
    assert str(path) in str(info.value)
