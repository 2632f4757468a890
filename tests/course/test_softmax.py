"""Tests for the softmax port (rnncore.course.softmax) and its Octave shim (matlab_ref/compat/softmax.m).

MATLAB's softmax is column-wise: an SxQ matrix is Q samples. The Python function and the shim
follow the same algorithm step by step (shift by the NaN-ignoring column max, exp, divide by the
column sum, a zero sum replaced by 1), so they are expected to agree to the last bit or nearly.
"""

import shutil

import numpy as np
import pytest

from rnncore.engine.octave import run_script
from rnncore.engine.parity import ulp_distance
from rnncore.course.softmax import softmax

# The shim and the port share every step; only exp comes from different libraries (Octave calls
# glibc's exp, numpy its own loops). Both were measured to agree to 0 ULP on [-6, 6] here, the
# column sums add in the same order (top to bottom), and subtraction and division are correctly
# rounded in both. One ULP of exp in a numerator, plus one carried through the sum into the
# division, bounds the difference at 2 ULP.
MAX_ULP = 2


def reference_softmax(n: np.ndarray) -> np.ndarray:
    """Textbook per-column exp/sum, written out column by column (no max shift: small inputs only)."""
    out = np.empty_like(n, dtype=np.float64)
    for j in range(n.shape[1]):
        e = np.exp(n[:, j])
        out[:, j] = e / e.sum()
    return out


def assert_ulp_close(actual: np.ndarray, expected: np.ndarray, max_ulp: int) -> None:
    """Same shape, NaN in the same places, every other element within ``max_ulp`` ULP."""
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), strict=True)
    finite = ~np.isnan(expected)
    ulps = ulp_distance(actual[finite], expected[finite])
    assert ulps.size == 0 or int(ulps.max()) <= max_ulp, f"max ULP {int(ulps.max())} > {max_ulp}"


# --------------------------------------------------------------------------- Python, no Octave


def test_columns_sum_to_one_and_match_hand_computation():
    rng = np.random.default_rng(1)
    n = rng.uniform(-3, 3, size=(4, 6))
    a = softmax(n)
    assert a.shape == (4, 6) and a.dtype == np.float64
    # Shifting by the column max changes the rounding of exp's argument, so the port and the
    # unshifted textbook formula differ by a few ULP of the result; 1e-14 relative is ~45 ULP.
    np.testing.assert_allclose(a, reference_softmax(n), rtol=1e-14, atol=0, strict=True)
    # Four terms in [0, 1]: each addition rounds by at most half an ULP of 1.
    np.testing.assert_allclose(a.sum(axis=0), np.ones(6), rtol=0, atol=4 * np.finfo(float).eps, strict=True)
    assert (a > 0).all()


def test_each_column_is_independent():
    n = np.array([[0.0, 5.0], [1.0, -5.0]])
    a = softmax(n)
    # Each column computed on its own equals the corresponding column of the whole (bit for bit).
    np.testing.assert_array_equal(a[:, [0]], softmax(n[:, [0]]), strict=True)
    np.testing.assert_array_equal(a[:, [1]], softmax(n[:, [1]]), strict=True)


def test_row_vector_is_q_one_element_samples():
    a = softmax(np.array([[0.5, -3.0, 100.0, 7.0]]))
    np.testing.assert_array_equal(a, np.ones((1, 4)), strict=True)


def test_max_shift_makes_large_values_finite_and_exact():
    big = softmax(np.array([[1000.0], [1001.0]]))
    small = softmax(np.array([[0.0], [1.0]]))
    assert np.isfinite(big).all()
    # 1000-1001 and 1001-1001 are exactly -1 and 0, as 0-1 and 1-1 are: the same exp and division.
    np.testing.assert_array_equal(big, small, strict=True)
    np.testing.assert_allclose(small[:, 0], [1 / (1 + np.e), np.e / (1 + np.e)], rtol=1e-15, atol=0, strict=True)


def test_nan_in_a_column_makes_that_column_nan():
    # max ignores the NaN (MATLAB's max does too), but exp(NaN) is NaN and so is the column sum:
    # the whole column becomes NaN. Other columns are untouched.
    n = np.array([[1.0, 1.0], [np.nan, 2.0], [2.0, 3.0]])
    with np.errstate(invalid="ignore"):
        a = softmax(n)
    assert np.isnan(a[:, 0]).all()
    np.testing.assert_array_equal(a[:, [1]], softmax(n[:, [1]]), strict=True)


def test_all_minus_inf_column_is_nan():
    # The column max is -Inf and -Inf - (-Inf) is NaN, so the zero-sum guard never applies:
    # the toolbox algorithm (and so MATLAB) gives NaN here, not a uniform column.
    n = np.array([[-np.inf, -np.inf], [-np.inf, 0.0]])
    with np.errstate(invalid="ignore"):
        a = softmax(n)
    assert np.isnan(a[:, 0]).all()
    # A column with one finite entry: the -Inf entries get exactly 0, the finite one 1.
    np.testing.assert_array_equal(a[:, 1], [0.0, 1.0], strict=True)


def test_empty_inputs():
    assert softmax(np.zeros((3, 0))).shape == (3, 0)
    assert softmax(np.zeros((0, 3))).shape == (0, 3)  # Octave's shim returns 0x3 too


@pytest.mark.parametrize("bad", [np.array([1.0, 2.0, 3.0]), np.zeros((2, 2, 2)), 1.0])
def test_non_2d_input_is_rejected(bad):
    with pytest.raises(ValueError, match="2-D"):
        softmax(bad)


def test_output_is_float64():
    a = softmax(np.array([[1, 2], [3, 4]], dtype=np.int32))
    assert a.dtype == np.float64
    a = softmax(np.array([[1, 2], [3, 4]], dtype=np.float32))
    assert a.dtype == np.float64


# --------------------------------------------------------------------------- the Octave shim

# One Octave run computes every case; each test checks one output.
SHIM_SCRIPT = """\
S_rand = softmax(A_rand);
S_row = softmax(A_row);
S_big = softmax(A_big);
S_special = softmax(A_special);
S_empty = softmax(A_empty);
S_empty_rows = softmax(A_empty_rows);
S_hand = softmax([1; 2; 3]);
"""

SHIM_INPUTS = {
    "A_rand": np.random.default_rng(20240601).uniform(-6, 6, size=(5, 7)),
    "A_row": np.array([[0.5, -3.0, 100.0, 7.0, 0.0]]),
    "A_big": np.array([[1000.0, 1e308, -1e308, 700.0], [1001.0, -1e308, -1e308, 710.0], [999.0, 0.0, 1.0, 705.0]]),
    # columns: a -Inf entry, all -Inf, a NaN, all NaN, a +Inf, +Inf and -Inf, plain
    "A_special": np.array([
        [-np.inf, -np.inf, 1.0, np.nan, np.inf, np.inf, 0.25],
        [0.0, -np.inf, np.nan, np.nan, 1.0, -np.inf, 0.5],
        [1.0, -np.inf, 2.0, np.nan, 2.0, 0.0, 0.75],
    ]),
    "A_empty": np.zeros((3, 0)),
    "A_empty_rows": np.zeros((0, 3)),
}

OUTPUTS = {
    "S_rand": "A_rand", "S_row": "A_row", "S_big": "A_big", "S_special": "A_special",
    "S_empty": "A_empty", "S_empty_rows": "A_empty_rows",
}


@pytest.fixture(scope="module")
def shim_run(octave, root, tmp_path_factory):
    script = tmp_path_factory.mktemp("softmax_shim") / "shim_cases.m"
    script.write_text(SHIM_SCRIPT)
    return run_script(script, [*OUTPUTS, "S_hand"], shim_dirs=[root / "matlab_ref" / "compat"],
                      inputs=SHIM_INPUTS, timeout=60)


def test_shim_is_the_one_used(shim_run):
    # every shim of matlab_ref/compat names a function Octave 7 lacks, so all are placed; one is called
    assert shim_run.shims_on_path == ("gamrnd", "histcounts", "randsample", "softmax")
    assert shim_run.shims_used == ("softmax",)


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_shim_matches_python(shim_run, name):
    inp = SHIM_INPUTS[OUTPUTS[name]]
    with np.errstate(invalid="ignore", over="ignore"):  # Inf - Inf; -1e308 - 1e308
        expected = softmax(inp)
    got = shim_run.values[name]
    assert shim_run.classes[name] == "double"
    assert shim_run.sizes[name] == inp.shape
    assert_ulp_close(got, expected, MAX_ULP)


def test_shim_special_values(shim_run):
    got = shim_run.values["S_special"]
    # NaN columns: all -Inf (-Inf - -Inf), any NaN, any +Inf (Inf - Inf); the others are exact.
    for j in (1, 2, 3, 4, 5):
        assert np.isnan(got[:, j]).all(), (j, got[:, j])
    assert got[0, 0] == 0.0 and np.isfinite(got[:, 0]).all()
    assert not np.isnan(got[:, 6]).any()


def test_shim_large_values(shim_run):
    got = shim_run.values["S_big"]
    assert np.isfinite(got).all()
    # 1e308 against -1e308: the shifted -2e308 overflows to -Inf and exp gives exactly 0.
    np.testing.assert_array_equal(got[:, 1], [1.0, 0.0, 0.0], strict=True)
    np.testing.assert_array_equal(got[:, 2], [0.0, 0.0, 1.0], strict=True)


def test_shim_row_vector_is_all_ones(shim_run):
    np.testing.assert_array_equal(shim_run.values["S_row"], np.ones((1, 5)), strict=True)


def test_shim_hand_computed_value(shim_run):
    e = np.exp([1.0, 2.0, 3.0])
    expected = (e / e.sum()).reshape(3, 1)
    got = shim_run.values["S_hand"]
    assert got.shape == (3, 1)
    # The shim shifts by 3 first (exp(-2), exp(-1), exp(0)) while this formula does not: the two
    # roundings differ by a few ULP at most; 1e-15 relative is ~4.5 ULP.
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0, strict=True)


# --------------------------------------------------------------------------- shim placement


@pytest.fixture
def shim_dir_with_fake_tanh(root, tmp_path):
    shims = tmp_path / "shims"
    shims.mkdir()
    shutil.copy2(root / "matlab_ref" / "compat" / "softmax.m", shims / "softmax.m")
    # tanh is an Octave builtin: the runner must not put this wrong version on the path.
    (shims / "tanh.m").write_text("function y = tanh(x)\ny = x*0 + 42;\nend\n")
    return shims


def test_shim_only_for_names_octave_lacks(octave, tmp_path, shim_dir_with_fake_tanh):
    script = tmp_path / "both.m"
    script.write_text("t = tanh([0 0.5 -1]);\ns = softmax([1; 2]);\n")
    result = run_script(script, ["t", "s"], shim_dirs=[shim_dir_with_fake_tanh], timeout=60)
    assert result.shims_on_path == ("softmax",)
    assert result.shims_used == ("softmax",)
    # Octave's tanh (libm) vs numpy's: both within an ULP of the true value, so at most 2 apart.
    # The fake would have given 42.
    expected = np.tanh(np.array([[0.0, 0.5, -1.0]]))
    assert_ulp_close(result.values["t"], expected, 2)
    assert_ulp_close(result.values["s"], softmax(np.array([[1.0], [2.0]])), MAX_ULP)


def test_shim_on_path_but_not_used(octave, tmp_path, shim_dir_with_fake_tanh):
    script = tmp_path / "no_softmax.m"
    script.write_text("t = tanh(0.5);\n")
    result = run_script(script, ["t"], shim_dirs=[shim_dir_with_fake_tanh], timeout=60)
    assert result.shims_on_path == ("softmax",)
    assert result.shims_used == ()
    assert_ulp_close(result.values["t"], np.tanh(np.array([[0.5]])), 2)
