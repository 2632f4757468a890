"""Tests for rnncore.engine.parity: ULP distance, tolerance policy, special values,
element ordering, CSV determinism."""

import csv
import math

import numpy as np
import pandas as pd
import pytest

from rnncore.engine.parity import (
    ELEMENT_COLUMNS,
    Comparison,
    Tolerance,
    compare,
    format_float,
    ulp_distance,
    write_elements_csv,
)

FMAX = np.finfo(np.float64).max
TINY = 5e-324  # smallest positive subnormal


def bits(x: float) -> int:
    return int(np.array(x, dtype=np.float64).view(np.uint64))


def cmp1(left: float, right: float, tol: Tolerance) -> Comparison:
    return compare("v", "octave", np.array([[left]]), "python", np.array([[right]]), tol)


def row0(c: Comparison) -> dict:
    return c.elements.iloc[0].to_dict()


# --------------------------------------------------------------------------- ulp_distance


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1.0, np.nextafter(1.0, 2.0), 1),
        (-0.0, 0.0, 0),
        (0.0, -0.0, 0),
        (-TINY, TINY, 2),
        (0.0, TINY, 1),
        (np.inf, FMAX, 1),
        (-np.inf, -FMAX, 1),
        (2.5, 2.5, 0),
        (-1.0, 1.0, 2 * bits(1.0)),
        (-FMAX, FMAX, 2 * bits(FMAX)),
    ],
)
def test_ulp_distance_known_pairs(a, b, expected):
    d = ulp_distance(np.array(a), np.array(b))
    assert d.dtype == np.uint64
    assert int(d) == expected
    # Symmetric.
    assert int(ulp_distance(np.array(b), np.array(a))) == expected


def test_ulp_distance_extremes_do_not_overflow():
    d = int(ulp_distance(np.array(-FMAX), np.array(FMAX)))
    assert d == 2 * 0x7FEFFFFFFFFFFFFF == 18437736874454810622
    assert d > 2**63  # would have wrapped negative in int64
    assert int(ulp_distance(np.array(-np.inf), np.array(np.inf))) == 2 * 0x7FF0000000000000
    assert 2 * bits(1.0) == 0x7FE0000000000000


def test_ulp_distance_elementwise_shape_and_values():
    a = np.array([[1.0, -2.0], [0.0, 3.0]])
    b = np.array([[np.nextafter(1.0, 2.0), -2.0], [-0.0, np.nextafter(np.nextafter(3.0, 4.0), 4.0)]])
    np.testing.assert_array_equal(ulp_distance(a, b), np.array([[1, 0], [0, 2]], dtype=np.uint64), strict=True)


def test_ulp_distance_matches_nextafter_steps():
    x = np.float64(-1.5e-310)  # subnormal, crosses zero below
    y = x
    for _ in range(37):
        y = np.nextafter(y, np.inf)
    assert int(ulp_distance(np.array(x), np.array(y))) == 37


# --------------------------------------------------------------------------- Tolerance


def test_tolerance_describe():
    assert Tolerance(4, 0.0).describe() == "ulp<=4 or abs<=0"
    assert Tolerance(0, 1e-15).describe() == "ulp<=0 or abs<=1e-15"
    assert Tolerance(16, 4 * 2.0**-52).describe() == "ulp<=16 or abs<=8.881784197001252e-16"
    # The text reads back to the same double, so a report states the tolerance exactly.
    assert float(Tolerance(0, 0.1 + 0.2).describe().split("<=")[-1]) == 0.1 + 0.2
    assert Tolerance(np.int64(2), 0).describe() == "ulp<=2 or abs<=0"
    assert Tolerance(np.int64(2), 0).ulp.__class__ is int


@pytest.mark.parametrize(
    ("ulp", "atol", "field", "shown"),
    [
        (-1, 0.0, "ulp", "-1"),
        (1.5, 0.0, "ulp", "1.5"),
        (True, 0.0, "ulp", "True"),
        ("3", 0.0, "ulp", "'3'"),
        (1, -1e-12, "atol", "-1e-12"),
        (1, float("nan"), "atol", "nan"),
        (1, float("inf"), "atol", "inf"),
        (1, "0", "atol", "'0'"),
    ],
)
def test_tolerance_validation(ulp, atol, field, shown):
    with pytest.raises(ValueError, match=rf"Tolerance\.{field}.*{shown}"):
        Tolerance(ulp, atol)


def test_ulp_threshold_three_ulps_apart():
    a = 1.0
    b = a
    for _ in range(3):
        b = float(np.nextafter(b, 2.0))
    assert int(ulp_distance(np.array(a), np.array(b))) == 3

    for ulp, verdict in [(4, "pass"), (3, "pass"), (2, "fail")]:
        c = cmp1(a, b, Tolerance(ulp, 0.0))
        assert c.status == verdict
        r = row0(c)
        assert r["verdict"] == verdict
        assert r["ulp"] == 3
        assert r["abs_err"] == b - a
        assert r["note"] == ""
        assert c.max_ulp == 3
        assert c.n_fail == (1 if verdict == "fail" else 0)


def test_atol_floor_near_zero():
    c = cmp1(1e-20, 0.0, Tolerance(4, 1e-15))
    r = row0(c)
    assert r["verdict"] == "pass"
    assert r["abs_err"] == 1e-20
    assert r["ulp"] == bits(1e-20)  # astronomically many ULPs: only atol saves it
    assert r["rel_err"] == 2.0
    assert c.status == "pass"

    c0 = cmp1(1e-20, 0.0, Tolerance(4, 0.0))
    assert c0.status == "fail"
    assert row0(c0)["verdict"] == "fail"


# --------------------------------------------------------------------------- special values


def test_nan_both_passes():
    c = cmp1(np.nan, np.nan, Tolerance(0, 0.0))
    r = row0(c)
    assert (r["verdict"], r["note"], r["abs_err"], r["rel_err"], r["ulp"]) == ("pass", "nan-both", 0.0, 0.0, 0)
    assert c.status == "pass"
    assert c.max_abs_err == 0.0
    assert c.max_ulp == 0


@pytest.mark.parametrize(("left", "right", "note"), [(np.nan, 1.0, "nan-left"), (1.0, np.nan, "nan-right"),
                                                     (np.nan, np.inf, "nan-left"), (-np.inf, np.nan, "nan-right")])
def test_nan_one_side_fails(left, right, note):
    c = cmp1(left, right, Tolerance(10**6, 1e300))  # no tolerance can rescue it
    r = row0(c)
    assert r["verdict"] == "fail"
    assert r["note"] == note
    assert math.isnan(r["abs_err"]) and math.isnan(r["rel_err"])
    assert r["ulp"] is None
    assert c.status == "fail"
    # No ULP exists, but the report still points at the failing element.
    assert c.max_ulp is None and c.worst == (1, 1)
    assert math.isnan(c.max_abs_err)


@pytest.mark.parametrize("inf", [np.inf, -np.inf])
def test_same_inf_passes(inf):
    c = cmp1(inf, inf, Tolerance(0, 0.0))
    r = row0(c)
    assert (r["verdict"], r["note"], r["abs_err"], r["rel_err"], r["ulp"]) == ("pass", "inf-both", 0.0, 0.0, 0)
    assert c.status == "pass"


@pytest.mark.parametrize(("left", "right"), [(np.inf, FMAX), (-FMAX, -np.inf), (np.inf, -np.inf), (0.0, np.inf)])
def test_inf_mismatch_fails_even_if_one_ulp(left, right):
    # inf vs max is 1 ULP by the bit ordering; the policy must not let it pass.
    c = cmp1(left, right, Tolerance(2**70, 1e300))
    r = row0(c)
    assert r["verdict"] == "fail"
    assert r["note"] == "inf-mismatch"
    assert r["abs_err"] == math.inf
    assert math.isnan(r["rel_err"])
    assert r["ulp"] is None
    assert c.status == "fail"
    assert c.max_ulp is None


def test_signed_zero_passes_with_note():
    c = cmp1(0.0, -0.0, Tolerance(0, 0.0))
    r = row0(c)
    assert (r["verdict"], r["note"], r["abs_err"], r["rel_err"], r["ulp"]) == ("pass", "signed-zero", 0.0, 0.0, 0)
    assert c.status == "pass"
    # Values are kept bit-exact, sign included.
    assert math.copysign(1.0, r["right"]) == -1.0


def test_rel_err_symmetric_and_overflow_free():
    p1023 = 2.0**1023
    # Columns: ordinary, swapped, subnormal vs 0 (mean would underflow to 0),
    # sum of magnitudes overflows (2.5 * 2**1023), 2|l-r| overflows, zeros.
    left = np.array([[1.0, 3.0, TINY, p1023, 1.5 * p1023 / 2, 0.0]])
    right = np.array([[3.0, 1.0, 0.0, 1.5 * p1023, -p1023 / 2, 0.0]])
    c = compare("v", "a", left, "b", right, Tolerance(0, 0.0))
    rel = c.elements["rel_err"].to_numpy()
    # Operands are powers of two times small integers, so each expected value
    # is the single correctly rounded quotient: exact equality is the claim.
    np.testing.assert_array_equal(rel, np.array([1.0, 1.0, 2.0, 2.0 / 5.0, 2.0, 0.0]), strict=True)


def test_opposite_sign_extremes():
    c = cmp1(-FMAX, FMAX, Tolerance(0, 0.0))
    r = row0(c)
    assert r["abs_err"] == math.inf  # IEEE |l - r| overflows
    assert r["rel_err"] == 2.0
    assert r["ulp"] == 2 * bits(FMAX)
    assert r["verdict"] == "fail"
    assert c.max_ulp == 18437736874454810622


# --------------------------------------------------------------------------- ordering / summary


def test_elements_column_major_one_based():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)  # [[0,1,2],[3,4,5]]
    c = compare("A", "octave", a, "python", a.copy(), Tolerance(0, 0.0))
    e = c.elements
    assert list(e.columns) == list(ELEMENT_COLUMNS)
    np.testing.assert_array_equal(e["row"].to_numpy(), np.array([1, 2, 1, 2, 1, 2]), strict=True)
    np.testing.assert_array_equal(e["col"].to_numpy(), np.array([1, 1, 2, 2, 3, 3]), strict=True)
    np.testing.assert_array_equal(e["left"].to_numpy(), np.array([0.0, 3.0, 1.0, 4.0, 2.0, 5.0]), strict=True)
    assert c.status == "pass" and c.n_elements == 6 and c.n_fail == 0
    assert c.max_abs_err == 0.0 and c.max_ulp == 0 and c.worst == (1, 1)


def test_ndim3_collapses_trailing_dims():
    a = np.arange(12, dtype=np.float64).reshape(2, 3, 2)
    c = compare("A", "o", a, "p", a, Tolerance(0, 0.0))
    e = c.elements
    np.testing.assert_array_equal(e["col"].to_numpy(), np.repeat(np.arange(1, 7), 2), strict=True)
    np.testing.assert_array_equal(e["left"].to_numpy(), a.ravel(order="F"), strict=True)
    # MATLAB A(2, 5) == A(2, 2, 2) for size [2 3 2].
    hit = e[(e["row"] == 2) & (e["col"] == 5)]
    assert hit["left"].item() == a[1, 1, 1]
    assert c.summary_row()["shape_left"] == "2x3x2"


def test_worst_is_largest_ulp_first_in_column_major_on_ties():
    a = np.ones((2, 2))
    b = a.copy()
    step2 = np.nextafter(np.nextafter(1.0, 2.0), 2.0)
    b[1, 1] = step2  # column-major index 3
    b[0, 1] = step2  # column-major index 2 -> must win the tie
    b[1, 0] = np.nextafter(1.0, 2.0)
    c = compare("A", "o", a, "p", b, Tolerance(1, 0.0))
    assert c.worst == (1, 2)
    assert c.max_ulp == 2
    assert c.n_fail == 2 and c.status == "fail"
    assert c.max_abs_err == step2 - 1.0


def test_summary_row_order_and_format():
    c = compare("W", "octave", np.array([[1.0, 2.0]]), "python", np.array([[1.0, np.nextafter(2.0, 3.0)]]),
                Tolerance(4, 0.0))
    s = c.summary_row()
    assert list(s) == ["variable", "left", "right", "class_left", "class_right", "shape_left", "shape_right",
                       "max_abs_err", "max_ulp", "worst_row", "worst_col", "worst_left", "worst_right", "n_elements",
                       "n_fail", "tolerance", "tol_ulp", "tol_atol", "status", "message"]
    # Numbers travel as numbers (the CSV writer formats them); the worst element's two values ride along.
    assert s == {
        "variable": "W", "left": "octave", "right": "python", "class_left": "", "class_right": "",
        "shape_left": "1x2", "shape_right": "1x2", "max_abs_err": 4.4408920985006262e-16, "max_ulp": 1,
        "worst_row": 1, "worst_col": 2, "worst_left": 2.0, "worst_right": np.nextafter(2.0, 3.0), "n_elements": 2,
        "n_fail": 0, "tolerance": "ulp<=4 or abs<=0", "tol_ulp": 4, "tol_atol": 0.0, "status": "pass", "message": "",
    }


def test_bool_and_int_inputs_are_accepted():
    c = compare("B", "o", np.array([[True, False]]), "p", np.array([[1, 0]], dtype=np.int32), Tolerance(0, 0.0))
    assert c.status == "pass"
    assert c.elements["left"].dtype == np.float64


@pytest.mark.parametrize(
    ("dtype", "big", "near"),
    [(np.int64, 2**53 + 1, 2**53), (np.uint64, 2**64 - 1, 2**64 - 2), (np.int64, -(2**63), -(2**63) + 1)],
)
def test_integers_a_double_cannot_hold_are_refused_not_rounded(dtype, big, near):
    """Found by the fuzz (test_parity_fuzz): 2**53 + 1 and 2**53 (int64) passed with 0 ULP, both rounded to 2**53."""
    left = np.array([[1, 2], [3, big]], dtype=dtype)
    right = np.array([[1, 2], [3, near]], dtype=dtype)
    side, where = ("octave", left) if float(big) != big else ("python", right)
    with pytest.raises(ValueError, match=rf"'I' \({side}\): {np.dtype(dtype)} value {where[1, 1]} at \(2, 2\) "
                                         r"is not exactly a double"):
        compare("I", "octave", left, "python", right, Tolerance(0, 0.0))
    # Integers a double holds exactly, however large, are compared as before.
    exact = np.array([[2**62, -(2**53)]], dtype=np.int64)
    assert compare("I", "o", exact, "p", exact.copy(), Tolerance(0, 0.0)).status == "pass"
    c = compare("I", "o", np.array([[2**53]], dtype=np.uint64), "p", np.array([[2**53 - 1]], dtype=np.int64),
                Tolerance(0, 0.0))
    assert c.status == "fail" and c.max_ulp == 1  # 2**53 - 1 and 2**53 are neighbouring doubles


def test_long_double_a_double_cannot_hold_is_refused():
    if np.finfo(np.longdouble).nmant <= 52:
        pytest.skip("long double is a double on this platform")  # nothing is rounded there
    third = np.longdouble(1) / np.longdouble(3)
    with pytest.raises(ValueError, match=r"'L' \(python\): .* at \(1, 2\) is not exactly a double"):
        compare("L", "octave", np.array([[1.0, 1 / 3]]), "python", np.array([[1.0, third]], dtype=np.longdouble),
                Tolerance(0, 0.0))
    assert compare("L", "o", np.array([[0.5]], dtype=np.longdouble), "p", np.array([[0.5]]), Tolerance(0, 0.0)
                   ).status == "pass"


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        (np.array([[1 + 2j]]), r"'Z'.*complex128"),
        (np.array([[1.0]], dtype=object), r"'Z'.*object"),
        (np.array([1.0, 2.0]), r"'Z'.*\(2,\).*ndim < 2"),
        (np.array(1.0), r"'Z'.*\(\).*ndim < 2"),
    ],
)
def test_invalid_inputs_raise(value, pattern):
    with pytest.raises(ValueError, match=pattern):
        compare("Z", "o", value, "p", np.ones((1, 1)), Tolerance(0, 0.0))
    with pytest.raises(ValueError, match=pattern):
        compare("Z", "o", np.ones((1, 1)), "p", value, Tolerance(0, 0.0))


def test_empty_arrays_pass_vacuously():
    c = compare("E", "o", np.zeros((0, 3)), "p", np.zeros((0, 3)), Tolerance(0, 0.0))
    assert c.status == "pass" and c.n_elements == 0 and c.worst is None and c.max_ulp is None
    assert math.isnan(c.max_abs_err)
    assert list(c.elements.columns) == list(ELEMENT_COLUMNS)


# --------------------------------------------------------------------------- missing / shape mismatch


@pytest.mark.parametrize(
    ("left", "right", "shapes"),
    [(None, np.ones((2, 2)), (None, (2, 2))), (np.ones((2, 2)), None, ((2, 2), None)), (None, None, (None, None))],
)
def test_missing(left, right, shapes):
    c = compare("M", "octave", left, "python", right, Tolerance(0, 0.0))
    assert c.status == "missing"
    assert (c.shape_left, c.shape_right) == shapes
    assert c.elements.empty and list(c.elements.columns) == list(ELEMENT_COLUMNS)
    assert (c.n_elements, c.n_fail, c.max_ulp, c.worst) == (0, 0, None, None)
    assert math.isnan(c.max_abs_err)
    s = c.summary_row()
    assert s["shape_left"] == ("" if shapes[0] is None else "2x2")
    assert s["shape_right"] == ("" if shapes[1] is None else "2x2")
    assert math.isnan(s["max_abs_err"])
    assert (s["max_ulp"], s["worst_row"], s["status"]) == (None, None, "missing")
    assert "missing on the" in s["message"]


def test_shape_mismatch_union_grid(tmp_path):
    left = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # 2x3
    right = np.array([[1.0, 2.5], [np.nan, 5.0], [7.0, 8.0]])  # 3x2
    c = compare("S", "octave", left, "python", right, Tolerance(0, 0.0))
    assert c.status == "shape-mismatch"
    assert (c.shape_left, c.shape_right) == ((2, 3), (3, 2))
    e = c.elements
    assert list(zip(e["row"], e["col"])) == [(1, 1), (2, 1), (3, 1), (1, 2), (2, 2), (3, 2), (1, 3), (2, 3)]
    assert list(e["note"]) == ["", "nan-right", "right-only", "", "", "right-only", "left-only", "left-only"]
    assert set(e["verdict"]) == {"shape-mismatch"}
    assert list(e["left"]) == [1.0, 4.0, None, 2.0, 5.0, None, 3.0, 6.0]
    assert e["right"].iloc[6] is None and e["right"].iloc[7] is None
    # Overlapping positions still carry their errors.
    assert e["abs_err"].iloc[3] == 0.5
    assert e["ulp"].iloc[0] == 0 and e["ulp"].iloc[3] == bits(2.5) - bits(2.0)
    assert e["ulp"].iloc[2] is None
    assert (c.n_elements, c.n_fail, c.max_ulp, c.worst) == (8, 8, None, None)
    assert math.isnan(c.max_abs_err)

    path = tmp_path / "s.csv"
    write_elements_csv(c, path)
    lines = path.read_text().splitlines()
    assert lines[3] == "3,1,,7,,,,shape-mismatch,right-only"
    assert lines[2] == "2,1,4,NaN,NaN,NaN,,shape-mismatch,nan-right"


def test_shape_mismatch_ndim_only():
    # (2,3) vs (2,3,1) are the same MATLAB array but differ as numpy shapes.
    a = np.ones((2, 3))
    c = compare("S", "o", a, "p", a.reshape(2, 3, 1), Tolerance(0, 0.0))
    assert c.status == "shape-mismatch"
    assert list(c.elements["note"]) == [""] * 6


# --------------------------------------------------------------------------- format_float / CSV


def test_format_float_specials():
    assert format_float(float("nan")) == "NaN"
    assert format_float(math.inf) == "Inf"
    assert format_float(-math.inf) == "-Inf"
    assert format_float(-0.0) == "-0"
    assert format_float(0.0) == "0"
    assert format_float(np.float64(0.1)) == "0.10000000000000001"
    assert format_float(TINY) == "4.9406564584124654e-324"
    assert format_float(FMAX) == "1.7976931348623157e+308"


def test_format_float_round_trips_bitwise():
    rng = np.random.default_rng(0)
    n = 10_000
    raw = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
    sign = raw & np.uint64(1 << 63)
    mantissa = raw & np.uint64((1 << 52) - 1)
    third = n // 3
    # Force a third subnormal (exponent 0) and a third huge (exponent 0x7FE);
    # the rest are random finite patterns spanning all exponents.
    exp = (raw >> np.uint64(52)) & np.uint64(0x7FF)
    exp[:third] = 0
    exp[third:2 * third] = 0x7FE
    exp[exp == 0x7FF] = 0x7FE  # drop Inf/NaN: NaN has no bitwise round trip
    patterns = sign | (exp << np.uint64(52)) | mantissa
    values = patterns.view(np.float64)
    assert np.count_nonzero((values != 0) & (np.abs(values) < np.finfo(np.float64).tiny)) >= third - 5
    assert np.count_nonzero(np.abs(values) > 1e307) >= third

    back = np.array([float(format_float(x)) for x in values.tolist()], dtype=np.float64)
    np.testing.assert_array_equal(back.view(np.int64), values.view(np.int64), strict=True)
    for special in (math.inf, -math.inf, -0.0, 0.0):
        assert bits(float(format_float(special))) == bits(special)


def test_csv_deterministic_and_exact(tmp_path):
    rng = np.random.default_rng(1)
    left = rng.standard_normal((4, 5)) * 10.0 ** rng.integers(-300, 300, (4, 5))
    right = np.nextafter(left, np.inf)
    left[0, 0], right[0, 0] = np.nan, np.nan
    left[1, 0], right[1, 0] = np.inf, 1.0
    left[2, 0], right[2, 0] = 0.0, -0.0
    left[3, 0] = np.nan
    c = compare("R", "octave", left, "python", right, Tolerance(0, 0.0))

    p1, p2 = tmp_path / "a.csv", tmp_path / "b.csv"
    write_elements_csv(c, p1)
    write_elements_csv(c, p2)
    write_elements_csv(c, p1)  # overwrite in place: still identical, no temp files left
    assert p1.read_bytes() == p2.read_bytes()
    assert b"\r" not in p1.read_bytes()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.csv", "b.csv"]

    with open(p1, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(ELEMENT_COLUMNS)
    body = rows[1:]
    assert len(body) == 20
    assert body[0][6:] == ["0", "pass", "nan-both"]
    assert body[1][4:] == ["Inf", "NaN", "", "fail", "inf-mismatch"]
    assert body[2][2:] == ["0", "-0", "0", "0", "0", "pass", "signed-zero"]
    assert body[3][6:] == ["", "fail", "nan-left"]

    e = c.elements
    for col in ("left", "right", "abs_err", "rel_err"):
        reread = np.array([float(r[ELEMENT_COLUMNS.index(col)]) for r in body], dtype=np.float64)
        # Bitwise equality (NaNs here are the default quiet NaN on both sides).
        np.testing.assert_array_equal(reread.view(np.int64), e[col].to_numpy().view(np.int64), strict=True)
    assert [int(r[0]) for r in body] == e["row"].tolist()
    assert [int(r[6]) if r[6] else None for r in body] == e["ulp"].tolist()


def test_comparison_is_frozen_and_hashable():
    c = cmp1(1.0, 1.0, Tolerance(0, 0.0))
    with pytest.raises(AttributeError):
        c.status = "fail"  # type: ignore[misc]
    assert isinstance(hash(c), int)
    assert isinstance(c.elements, pd.DataFrame)


# --------------------------------------------------------------------------- headline, classes, cells, size

from rnncore.engine.parity import ELEMENT_LIMIT, WORST_ROWS, compare_values  # noqa: E402
from rnncore.io import Value  # noqa: E402


def test_nan_on_one_side_is_the_headline_not_a_good_neighbour():
    """Found on main: with a NaN the row said max_abs_err 1.1e-16, max_ulp 1 "at (2,3)" where (2,3) was the NaN."""
    left = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    right = left.copy()
    right[0, 0] = np.nextafter(1.0, 2.0)  # 1 ULP away: passes
    right[1, 2] = np.nan
    c = compare("N", "octave", left, "python", right, Tolerance(16, 0.0))
    assert c.status == "fail" and c.worst == (2, 3)
    assert math.isnan(c.max_abs_err)  # the headline shows the NaN, not the 1-ULP neighbour's 2.2e-16
    assert c.worst_values[0] == 6.0 and math.isnan(c.worst_values[1])
    # An Inf on one side outranks a large but finite distance too.
    right[1, 2], right[0, 1] = np.inf, 2.5
    c = compare("N", "octave", left, "python", right, Tolerance(16, 0.0))
    assert c.worst == (2, 3) and c.max_abs_err == math.inf


def _v(data, cls="double"):
    data = np.asarray(data, dtype=np.float64)
    return Value(cls, data.shape, data=data)


@pytest.mark.parametrize(("left_cls", "right_cls"), [("double", "int64"), ("logical", "double"),
                                                     ("double", "single"), ("char", "double")])
def test_class_is_part_of_parity(left_cls, right_cls):
    """Found on main: a port returning int64 where MATLAB has double, or float for logical, passed silently."""
    c = compare_values("x", "octave", _v([[1, 0]], left_cls), "python", _v([[1, 0]], right_cls), Tolerance(0, 0.0))
    assert c.status == "class-mismatch"
    assert (c.class_left, c.class_right) == (left_cls, right_cls)
    assert f"{left_cls} on the octave side and {right_cls} on the python side" in c.message
    # ... unless the case asks for values only; the classes are still reported.
    c = compare_values("x", "octave", _v([[1, 0]], left_cls), "python", _v([[1, 0]], right_cls), Tolerance(0, 0.0),
                       check_class=False)
    assert c.status == "pass" and c.summary_row()["class_right"] == right_cls


def test_printed_reference_values_have_no_class_to_check():
    c = compare_values("p", "slides", _v([[0.25]], ""), "octave", _v([[0.25]]), Tolerance(0, 5e-5))
    assert c.status == "pass"


def _cell(*items, shape=None):
    return Value("cell", shape or (1, len(items)), items=tuple(items))


def _text(s):
    return _v([[ord(ch) for ch in s]], "char")


def test_cells_compare_item_by_item():
    octave = _cell(_text("C"), _text("AT"), _v([[1.0, 2.0]]))
    same = compare_values("letters", "octave", octave, "python", _cell(_text("C"), _text("AT"), _v([[1.0, 2.0]])),
                          Tolerance(0, 0.0))
    assert same.status == "pass" and same.n_elements == 5 and (same.class_left, same.class_right) == ("cell", "cell")
    # The element table points at the cell position; a longer item's k-th element is noted {k}.
    assert same.table.rows()[2] == {"row": 1, "col": 2, "left": 84.0, "right": 84.0, "abs_err": 0.0, "rel_err": 0.0,
                                    "ulp": 0, "verdict": "pass", "note": "{2}"}
    wrong = compare_values("letters", "octave", octave, "python", _cell(_text("C"), _text("AX"), _v([[1.0, 2.0]])),
                           Tolerance(0, 0.0))
    assert wrong.status == "fail" and wrong.worst == (1, 2) and wrong.worst_values == (84.0, 88.0)
    short = compare_values("letters", "octave", octave, "python", _cell(_text("C"), _text("A"), _v([[1.0, 2.0]])),
                           Tolerance(0, 0.0))
    assert short.status == "shape-mismatch" and "letters{2} is 1x2 on the octave side and 1x1" in short.message
    kinds = compare_values("letters", "octave", octave, "python", _cell(_text("C"), _text("AT"), _v([[1.0, 2.0]],
                                                                                               "int32")),
                           Tolerance(0, 0.0))
    assert kinds.status == "class-mismatch" and "letters{3} is double on the octave side and int32" in kinds.message
    not_cell = compare_values("letters", "octave", octave, "python", _text("CAT"), Tolerance(0, 0.0))
    assert not_cell.status == "class-mismatch"


def test_large_tables_keep_every_failing_element_and_the_worst(tmp_path):
    n = ELEMENT_LIMIT + 5000
    left = np.linspace(1.0, 2.0, n).reshape(1, n)
    right = left.copy()
    right[0, 7] += 1e-9  # fails
    right[0, 100:100 + 2 * WORST_ROWS] = np.nextafter(right[0, 100:100 + 2 * WORST_ROWS], 3.0)  # 1 ULP, pass
    c = compare("big", "octave", left, "python", right, Tolerance(16, 0.0))
    written = write_elements_csv(c, tmp_path / "big.csv")
    rows = list(csv.DictReader((tmp_path / "big.csv").open()))
    assert written == len(rows) == 1 + WORST_ROWS  # the failing one and the worst passing ones, no more
    assert rows[0]["col"] == "8" and rows[0]["verdict"] == "fail"
    assert c.n_elements == n  # the summary row still counts every element
    assert write_elements_csv(c, tmp_path / "all.csv", limit=None) == n


def test_large_tables_rank_passing_elements_by_their_exact_ulp(tmp_path):
    """Found by the comparator fuzz: ULPs were ranked as float64, so 2**60 + 1 tied with 2**60 and the worst
    element (the one the summary row points at) was left out of the table."""
    n = WORST_ROWS + 1
    magnitudes = np.full(n, 2**60, dtype=np.uint64)  # 2**60 ULP from 0: ~1e-231, passes only by atol
    magnitudes[-1] += 1
    c = compare("t", "octave", np.zeros((1, n)), "python", magnitudes.view(np.float64).reshape(1, n),
                Tolerance(0, 1e-200))
    assert c.status == "pass" and c.worst == (1, n) and c.max_ulp == 2**60 + 1
    assert write_elements_csv(c, tmp_path / "t.csv", limit=10) == WORST_ROWS
    rows = list(csv.DictReader((tmp_path / "t.csv").open()))
    # The largest ULP, then the first WORST_ROWS - 1 of the ties in column-major order.
    assert [r["col"] for r in rows] == [str(k) for k in range(1, WORST_ROWS)] + [str(n)]
    assert rows[-1]["ulp"] == str(2**60 + 1)
