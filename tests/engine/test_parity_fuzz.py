"""The comparator fuzzed: rnncore.engine.parity on random pairs against an independent oracle.

Every property below restates the documented semantics (README "What the reports say" and the
docstring of :mod:`rnncore.engine.parity`) in plain Python and checks the comparator against it on
pairs drawn by hypothesis: subnormals, signed zeros, NaNs with any payload (quiet or signalling,
either sign), infinities, neighbours a few ULP apart, every integer class, logical and char, empty
and N-D arrays, cells. The oracle shares no code with the comparator: ULP distances come from
``math.frexp`` and exact fractions (checked themselves against ``np.nextafter`` stepping and
``math.ulp``), never from the bit reinterpretation :func:`ulp_distance` uses.

Runs are derandomized (the same examples every run, so a failure reproduces) and Octave-free. The
seed is a hash of each test's source: editing a test draws other examples, so whatever a property
must see (int64 beyond 2**53, ties of huge ULPs) is made frequent by its strategy, not left to luck.
"""

from __future__ import annotations

import csv
import math
import struct
from fractions import Fraction

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnncore.engine.parity import Tolerance, compare, compare_values, ulp_distance, write_elements_csv
from rnncore.io import Value

FMAX = float(np.finfo(np.float64).max)
TINY = 5e-324  # smallest positive subnormal
MIN_NORMAL = 2.0**-1022

# database=None with derandomize: every run draws the same examples, and no example saved by an
# earlier run on this machine changes what a run tests. 150 examples a property (more for the core
# one) keep the file near 20 s on a loaded CI core; deadline=None: timing is no verdict here.
FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def from_bits(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def to_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


# --------------------------------------------------------------------------- the oracle


def ordinal(x: float) -> int:
    """Position of ``x`` on the number line of doubles: 0 for both zeros, +-k for the k-th double away from 0.

    Computed from the value (frexp and exact fractions), not from its encoding: a normal double
    ``m * 2**e`` (0.5 <= m < 1) is preceded by the 2**52 subnormals and 2**52 doubles for each of
    the (e + 1021) binades below its own, plus its place ``m * 2**53 - 2**52`` in its binade.
    Inf is the next one after the largest finite double (the docstring's "1 above max").
    """
    if math.isinf(x):
        return int(math.copysign(ordinal(FMAX) + 1, x))
    a = abs(x)
    if a == 0:
        return 0
    if a < MIN_NORMAL:
        k = Fraction(a) * 2**1074  # a multiple of the smallest subnormal
    else:
        m, e = math.frexp(a)
        k = (e + 1021) * 2**52 + Fraction(m) * 2**53
    assert k.denominator == 1
    return int(k) if x > 0 else -int(k)


def oracle_ulp(a: float, b: float) -> int:
    return abs(ordinal(a) - ordinal(b))


def expect_element(l: float, r: float, tol: Tolerance) -> dict:
    """One element as the README's tables describe it: verdict, note, abs_err, ulp and the exact rel_err."""
    if math.isnan(l) and math.isnan(r):  # NaN against NaN at the same place passes
        return dict(passed=True, note="nan-both", abs_err=0.0, rel_err=0.0, ulp=0)
    if math.isnan(l) or math.isnan(r):  # NaN on one side always fails; NaN outranks Inf
        return dict(passed=False, note="nan-left" if math.isnan(l) else "nan-right", abs_err=math.nan,
                    rel_err=math.nan, ulp=None)
    if math.isinf(l) or math.isinf(r):
        if l == r:
            return dict(passed=True, note="inf-both", abs_err=0.0, rel_err=0.0, ulp=0)
        return dict(passed=False, note="inf-mismatch", abs_err=math.inf, rel_err=math.nan, ulp=None)
    ulp = oracle_ulp(l, r)
    abs_err = abs(l - r)  # the IEEE difference (Inf when it exceeds the range), as documented
    exact = abs(Fraction(l) - Fraction(r))
    rel = Fraction(0) if exact == 0 else exact / ((abs(Fraction(l)) + abs(Fraction(r))) / 2)
    signed_zero = l == 0 and r == 0 and math.copysign(1.0, l) != math.copysign(1.0, r)
    return dict(passed=ulp <= tol.ulp or abs_err <= tol.atol, note="signed-zero" if signed_zero else "",
                abs_err=abs_err, rel_err=rel, ulp=ulp)


def column_major(nrow: int, n: int) -> list[tuple[int, int]]:
    """MATLAB's 1-based (row, col) of the first ``n`` elements of an array with ``nrow`` rows."""
    return [(k % nrow + 1, k // nrow + 1) for k in range(n)]


def expect_comparison(ls: list[float], rs: list[float], where: list[tuple[int, int]], tol: Tolerance) -> dict:
    """Status and headline of a same-shape comparison of ``ls``/``rs``, element k at ``where[k]``."""
    el = [expect_element(l, r, tol) for l, r in zip(ls, rs)]
    failing = [k for k, e in enumerate(el) if not e["passed"]]
    ulps = [e["ulp"] for e in el if e["ulp"] is not None]
    if any(e["note"] in ("nan-left", "nan-right") for e in el):
        max_abs = math.nan
    elif any(e["note"] == "inf-mismatch" for e in el):
        max_abs = math.inf
    else:
        max_abs = max((e["abs_err"] for e in el), default=math.nan)
    # Worst: a NaN or Inf on one side first, else the failing element with the largest ULP, else
    # (all pass) the largest ULP; ties go to the first in column-major order.
    one_sided = [k for k in failing if el[k]["ulp"] is None]
    pool = failing if failing else range(len(el))
    ranked = [k for k in pool if el[k]["ulp"] is not None]
    if one_sided:
        w = one_sided[0]
    elif ranked:
        w = min(ranked, key=lambda k: (-el[k]["ulp"], k))
    else:
        w = None
    return dict(elements=el, status="fail" if failing else "pass", n_fail=len(failing),
                max_ulp=max(ulps) if ulps else None, max_abs_err=max_abs,
                worst=None if w is None else where[w],
                worst_values=(None, None) if w is None else (ls[w], rs[w]))


def same_float(got, want) -> bool:
    """Equal as values, NaN matching NaN (the payload of a computed error is not part of the contract)."""
    if got is None or want is None:
        return got is want
    return (math.isnan(got) and math.isnan(want)) or got == want


def assert_rel_err(got: float, want, where) -> None:
    if isinstance(want, float):  # NaN for a one-sided special value, 0 for agreement
        assert same_float(got, want), where
        return
    # Three rounded operations (difference, sum, quotient; near the top of the range a quarter-scaled
    # partner) each within half an ULP: 4 ULP of relative error is a generous bound, and a wrong
    # formula (|l-r|/max, a halved sum of subnormals rounding to 0) is off by far more.
    assert want == 0 and got == 0 or abs(Fraction(got) - want) <= want * Fraction(4, 2**52), (where, got,
                                                                                            float(want))


def check_against_oracle(c, ls, rs, positions, tol, status=None, names=None) -> None:
    """``c`` against the oracle: every element at ``positions``, then the headline; ``status`` overrides
    pass/fail (a class mismatch), ``names`` the note of an element that has none (a cell's ``{k}``)."""
    want = expect_comparison(ls, rs, positions, tol)
    rows = c.table.rows()
    assert len(rows) == len(ls) == c.n_elements
    for k, (row, e) in enumerate(zip(rows, want["elements"])):
        where = (k, ls[k], rs[k], tol)
        assert (row["row"], row["col"]) == positions[k], where
        # The values themselves are kept to the bit: sign of zero and NaN payload included.
        assert to_bits(row["left"]) == to_bits(ls[k]) and to_bits(row["right"]) == to_bits(rs[k]), where
        assert row["verdict"] == ("pass" if e["passed"] else "fail"), where
        assert row["note"] == (e["note"] or (names[k] if names else "")), where
        assert row["ulp"] == e["ulp"], where
        assert same_float(row["abs_err"], e["abs_err"]), where
        assert_rel_err(row["rel_err"], e["rel_err"], where)
    assert c.status == (status or want["status"])
    assert c.n_fail == want["n_fail"]
    assert c.max_ulp == want["max_ulp"]
    assert same_float(c.max_abs_err, want["max_abs_err"])
    assert c.worst == want["worst"]
    got_values = tuple(None if v is None else to_bits(v) for v in c.worst_values)
    assert got_values == tuple(None if v is None else to_bits(v) for v in want["worst_values"])


# --------------------------------------------------------------------------- strategies

SPECIAL = [0.0, -0.0, TINY, -TINY, MIN_NORMAL, -MIN_NORMAL, MIN_NORMAL - TINY, FMAX, -FMAX, 1.0, -1.0,
           2.0**-52, 2.0**1023, math.inf, -math.inf]

# NaNs of every kind: either sign, quiet or signalling, any payload.
nans = st.builds(lambda sign, payload: from_bits((sign << 63) | (0x7FF << 52) | payload),
                 st.integers(0, 1), st.integers(1, 2**52 - 1))
subnormals = st.builds(lambda sign, k: math.copysign(k * TINY, -1.0 if sign else 1.0), st.integers(0, 1),
                       st.integers(0, 2**52 - 1))
finites = st.floats(allow_nan=False, allow_infinity=False) | subnormals | st.sampled_from(SPECIAL[:-2])
floats = finites | nans | st.sampled_from(SPECIAL)
not_nan = finites | st.sampled_from([math.inf, -math.inf])  # ulp_distance is meaningless at NaN


def stepped(x: float, k: int) -> float:
    """``x`` moved ``k`` doubles up (k < 0: down) by repeated nextafter."""
    with np.errstate(over="ignore"):  # FMAX steps up to Inf, as intended
        for _ in range(abs(k)):
            x = float(np.nextafter(x, math.inf if k > 0 else -math.inf))
    return x


# Cancellation residue: ~1e-231 against 0 is 2**60 ULP away (passing only by atol), and such
# neighbours differ by fewer ULP than a float64 count of ULPs can tell apart.
residues = st.builds(lambda k: (0.0, from_bits((1 << 60) + k)), st.integers(0, 3))
pairs = st.builds(
    lambda pair, swap: pair[::-1] if swap else pair,
    st.one_of(
        st.tuples(floats, floats),  # unrelated
        floats.map(lambda x: (x, x)),  # identical
        st.builds(lambda x, k: (x, stepped(x, k)), finites, st.integers(-40, 40)),  # a few ULP apart
        floats.map(lambda x: (x, -x)),  # sign flipped: +0 vs -0, -TINY vs TINY, Inf vs -Inf, -NaN
        st.tuples(nans, nans),  # NaN vs NaN with other payloads
        st.tuples(subnormals, subnormals),
        st.tuples(floats, st.sampled_from([math.inf, -math.inf])),  # Inf, one ULP above FMAX by the bits
        residues,
    ),
    st.booleans(),
)

tolerances = st.builds(
    Tolerance,
    st.integers(0, 64) | st.integers(0, 2**70),
    st.sampled_from([0.0, TINY, MIN_NORMAL, 4 * 2.0**-52, 1e-9, 1.0, 1e300])
    | st.floats(min_value=0.0, allow_nan=False, allow_infinity=False),
)

# MATLAB sizes: at least 2-D, zero-length sides (0x0, 1x0, 0x3) and trailing dimensions included.
shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=6) | hnp.array_shapes(
    min_dims=3, max_dims=4, min_side=0, max_side=3)


def layout(a: np.ndarray, how: str) -> np.ndarray:
    """The same MATLAB array in another memory layout: the comparison must not depend on it."""
    if how == "F":
        return np.asfortranarray(a)
    if how == "strided":  # a non-contiguous view into a larger buffer
        big = np.empty(a.shape + (2,), dtype=a.dtype)
        big[..., 0] = a
        return big[..., 0]
    return np.ascontiguousarray(a)


@st.composite
def paired_arrays(draw, pairs=pairs):
    shape = draw(shapes)
    n = math.prod(shape)
    ps = draw(st.lists(pairs, min_size=n, max_size=n))
    ls, rs = [p[0] for p in ps], [p[1] for p in ps]
    left = np.array(ls, dtype=np.float64).reshape(shape, order="F")
    right = np.array(rs, dtype=np.float64).reshape(shape, order="F")
    how = draw(st.sampled_from(["C", "F", "strided"]))
    return shape, ls, rs, layout(left, how), layout(right, how)


# --------------------------------------------------------------------------- the oracle checked itself


@FUZZ
@given(finites, st.integers(-60, 60))
def test_oracle_agrees_with_nextafter_stepping(x, k):
    # Each nextafter step is one position (-TINY -> -0 -> +TINY: the zeros share one), until it stops at Inf.
    y, moves = x, 0
    for _ in range(abs(k)):
        nxt = stepped(y, 1 if k > 0 else -1)
        moves += nxt != y and not (nxt == 0 and y == 0)
        y = nxt
    assert oracle_ulp(x, y) == moves, (x, k, y)
    assert int(ulp_distance(np.array(x), np.array(y))) == moves, (x, k, y)


@FUZZ
@given(st.floats(min_value=MIN_NORMAL, max_value=FMAX, allow_infinity=False), st.integers(0, 2**52 - 1))
def test_oracle_agrees_with_math_ulp_within_a_binade(x, j):
    # Within one binade doubles are evenly spaced math.ulp(x) apart.
    m, e = math.frexp(x)
    lo = math.ldexp(0.5, e)
    y = lo + j * math.ulp(lo)
    assert oracle_ulp(x, y) == abs(Fraction(x) - Fraction(y)) / Fraction(math.ulp(lo))


# --------------------------------------------------------------------------- float64 arrays


@FUZZ
@given(st.lists(st.tuples(not_nan, not_nan), min_size=1, max_size=12))
def test_ulp_distance_matches_the_oracle(ps):
    a = np.array([p[0] for p in ps])
    b = np.array([p[1] for p in ps])
    got = ulp_distance(a, b)
    assert got.dtype == np.uint64 and got.shape == a.shape
    assert [int(d) for d in got] == [oracle_ulp(x, y) for x, y in ps]
    np.testing.assert_array_equal(ulp_distance(b, a), got, strict=True)  # symmetric


@settings(FUZZ, max_examples=300)
@given(paired_arrays(), tolerances)
def test_compare_matches_the_oracle(arrays, tol):
    shape, ls, rs, left, right = arrays
    c = compare("x", "octave", left, "python", right, tol)
    assert (c.shape_left, c.shape_right) == (shape, shape)
    check_against_oracle(c, ls, rs, column_major(shape[0], len(ls)), tol)


# --------------------------------------------------------------------------- integer classes, logical

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_]


def fits(dtype, v: int) -> bool:
    if dtype is np.bool_:
        return v in (0, 1)
    info = np.iinfo(dtype)
    return info.min <= v <= info.max


# Where a double stops holding every integer (2**53 + 1), and the extremes of the 64-bit classes.
INT_EDGES = [2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**62 + 1, 2**63 - 1, -(2**63), -(2**63) + 1, 2**64 - 1]


def integer_values(dtype):
    return hnp.from_dtype(np.dtype(dtype)) | st.sampled_from([v for v in INT_EDGES if fits(dtype, v)] or [0])


@st.composite
def integer_arrays(draw, dl):
    """Two arrays of integer classes (``dl`` on the left, the right's own), equal in most places, extremes included."""
    shape = draw(shapes)
    dr = draw(st.sampled_from([dl, *INT_DTYPES]))
    left = draw(hnp.arrays(dl, shape, elements=integer_values(dl)))
    other = draw(hnp.arrays(dr, shape, elements=integer_values(dr)))
    how = draw(hnp.arrays(np.int8, shape, elements=st.integers(0, 3)))
    lv = [int(v) for v in left.ravel(order="F")]
    ov = [int(v) for v in other.ravel(order="F")]
    rv = []
    for v, o, h in zip(lv, ov, how.ravel(order="F").tolist()):
        # 0: the same value, 1/2: one below/above (the closest integers that differ), 3: unrelated.
        cand = {0: v, 1: v - 1, 2: v + 1}.get(h, o)
        rv.append(cand if fits(dr, cand) else o)
    right = np.array(rv, dtype=dr).reshape(shape, order="F")
    return shape, lv, rv, left, right


# One run per left class: a draw of the class would favour the first ones and could miss int64.
@pytest.mark.parametrize("dtype", INT_DTYPES, ids=lambda d: np.dtype(d).name)
@settings(FUZZ, max_examples=30)
@given(data=st.data(), tol=tolerances)
def test_integer_arrays_compare_exactly(dtype, data, tol):
    shape, lv, rv, left, right = data.draw(integer_arrays(dtype))
    # Python compares int with float exactly: float(v) == v iff the double holds v itself.
    inexact = [(k, v, side) for side, vs in (("octave", lv), ("python", rv)) for k, v in enumerate(vs)
               if float(v) != v]
    if inexact:
        # A double cannot hold it: a rounded comparison could pass two different integers (2**53 + 1
        # and 2**53), so the comparator must refuse it by name rather than answer.
        k, v, side = inexact[0]
        with pytest.raises(ValueError, match=rf"'x' \({side}\).*{v}.*\({k % shape[0] + 1}, {k // shape[0] + 1}\)"):
            compare("x", "octave", left, "python", right, tol)
        return
    c = compare("x", "octave", left, "python", right, tol)
    check_against_oracle(c, [float(v) for v in lv], [float(v) for v in rv], column_major(shape[0], len(lv)), tol)
    if tol == Tolerance(0, 0.0):  # then equality of the integers is the whole verdict
        assert c.n_fail == sum(a != b for a, b in zip(lv, rv))


# --------------------------------------------------------------------------- MATLAB classes, cells

CLASSES = ["double", "single", "logical", "char", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
           "uint64"]


def class_values(cls: str):
    """Element values a MATLAB value of class ``cls`` can hold, as the float64 a Value carries."""
    if cls == "double":
        return floats
    if cls == "single":
        return st.floats(width=32).map(float)
    if cls == "logical":
        return st.sampled_from([0.0, 1.0])
    if cls == "char":
        return st.integers(0, 0xFFFF).map(float)
    info = np.iinfo(getattr(np, cls))
    # Value.data is float64: an int64 beyond 2**53 reaches the comparator already rounded.
    return st.integers(max(info.min, -2**53), min(info.max, 2**53)).map(float)


small_shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=3)


@st.composite
def matlab_values(draw, cls=None, shape=None):
    cls = cls or draw(st.sampled_from(CLASSES))
    shape = shape if shape is not None else draw(small_shapes)
    xs = draw(st.lists(class_values(cls), min_size=math.prod(shape), max_size=math.prod(shape)))
    return Value(cls, shape, data=np.array(xs, dtype=np.float64).reshape(shape, order="F")), xs


@st.composite
def value_pairs(draw):
    """Two MATLAB values, usually of one size (a printed reference has no class: "")."""
    lval, ls = draw(matlab_values())
    cr = draw(st.sampled_from([lval.cls, lval.cls, lval.cls, ""] + CLASSES))
    shape = lval.shape if draw(st.integers(0, 4)) else draw(small_shapes)
    if shape == lval.shape and cr in ("double", ""):
        # A near copy: most elements equal or a few ULP off, as two engines produce.
        rs = [draw(st.sampled_from([x, x, stepped(x, draw(st.integers(-3, 3))) if math.isfinite(x) else x]))
              for x in ls]
        rval = Value(cr, shape, data=np.array(rs, dtype=np.float64).reshape(shape, order="F"))
    else:
        rval, rs = draw(matlab_values(cr or "double", shape))
        rval = Value(cr, rval.shape, data=rval.data)
    cl = draw(st.sampled_from([lval.cls] * 5 + [""]))
    return Value(cl, lval.shape, data=lval.data), ls, rval, rs


@FUZZ
@given(value_pairs(), tolerances, st.booleans())
def test_compare_values_class_and_size(pair, tol, check_class):
    lval, ls, rval, rs = pair
    c = compare_values("x", "octave", lval, "python", rval, tol, check_class=check_class)
    assert (c.class_left, c.class_right) == (lval.cls, rval.cls)
    if lval.shape != rval.shape:  # the size is reported before the class
        assert c.status == "shape-mismatch" and c.n_fail == c.n_elements
        return
    differ = check_class and lval.cls and rval.cls and lval.cls != rval.cls
    check_against_oracle(c, ls, rs, column_major(lval.shape[0], len(ls)), tol,
                         status="class-mismatch" if differ else None)
    if differ:
        assert c.message.startswith(f"x is {lval.cls} on the octave side and {rval.cls} on the python side")


CELL_CHANGES = ["none", "none", "none", "item-size", "item-class", "nested", "cell-size", "not-a-cell"]


@st.composite
def cell_pairs(draw):
    """Two cells of MATLAB values, the right one the left one with values nudged and maybe one change."""
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=3))
    n = math.prod(shape)
    left = [draw(matlab_values()) for _ in range(n)]
    right = []
    for lval, ls in left:
        if lval.cls == "double":
            rs = [draw(st.sampled_from([x, stepped(x, 1) if math.isfinite(x) else x, math.nan])) for x in ls]
            right.append((Value("double", lval.shape, data=np.array(rs, dtype=np.float64).reshape(
                lval.shape, order="F")), rs))
        else:
            right.append(draw(matlab_values(lval.cls, lval.shape)))
    change = draw(st.sampled_from(CELL_CHANGES))
    k = draw(st.integers(0, max(n - 1, 0)))
    rshape = shape
    if change == "item-size" and n:
        old = left[k][0].shape
        right[k] = draw(matlab_values(left[k][0].cls, draw(small_shapes.filter(lambda s: s != old))))
    elif change == "item-class" and n:
        right[k] = draw(matlab_values(draw(st.sampled_from([c for c in CLASSES if c != left[k][0].cls])),
                                      left[k][0].shape))
    elif change == "nested" and n:  # a cell of the item's own size: only its class tells it apart
        a = left[k][0]
        right[k] = (Value("cell", a.shape, items=tuple(Value("double", (1, 1), data=np.array([[x]]))
                                                      for x in left[k][1])), None)
    elif change == "cell-size":
        rshape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=3).filter(lambda s: s != shape))
        right = [draw(matlab_values()) for _ in range(math.prod(rshape))]
    lcell = Value("cell", shape, items=tuple(v for v, _ in left))
    if change == "not-a-cell":
        return lcell, left, right[k][0] if n else Value("double", (0, 0), data=np.zeros((0, 0))), None
    return lcell, left, Value("cell", rshape, items=tuple(v for v, _ in right)), right


@FUZZ
@given(cell_pairs(), tolerances, st.booleans())
def test_cells_item_by_item(pair, tol, check_class):
    lcell, left, rcell, right = pair
    c = compare_values("x", "octave", lcell, "python", rcell, tol, check_class=check_class)
    if rcell.cls != "cell":
        assert c.status == "class-mismatch" and c.n_elements == 0
        return
    if lcell.shape != rcell.shape:
        assert c.status == "shape-mismatch" and c.n_elements == 0
        return
    # The first item that is a nested cell or of another size makes it a shape mismatch, named {k}.
    for k, ((a, _), (b, _)) in enumerate(zip(left, right), start=1):
        if b.cls == "cell":
            assert c.status == "shape-mismatch" and c.message.startswith(f"x{{{k}}} is a nested cell"), c.message
            return
        if a.shape != b.shape:
            assert c.status == "shape-mismatch" and c.message == (
                f"x{{{k}}} is {a.size_text} on the octave side and {b.size_text} on the python side"), c.message
            return
    nrow = lcell.shape[0]
    ls, rs, where, names = [], [], [], []
    for k, ((a, xs), (b, ys)) in enumerate(zip(left, right)):
        ls += xs
        rs += ys
        where += [(k % nrow + 1, k // nrow + 1)] * len(xs)  # a cell's element points at its item
        names += [f"{{{j}}}" if len(xs) > 1 else "" for j in range(1, len(xs) + 1)]
    differ = [k for k, ((a, _), (b, _)) in enumerate(zip(left, right), start=1) if a.cls != b.cls]
    check_against_oracle(c, ls, rs, where, tol, names=names,
                         status="class-mismatch" if check_class and differ else None)
    if check_class and differ:
        k = differ[0]
        assert c.message.startswith(f"x{{{k}}} is {left[k - 1][0].cls} on the octave side and "
                                    f"{right[k - 1][0].cls} on the python side")


# --------------------------------------------------------------------------- shape mismatch


@st.composite
def mismatched_arrays(draw):
    sl = draw(shapes)
    # Any other size, the transpose, a trailing 1 (the same MATLAB array, another numpy shape), the 2-D fold.
    sr = draw(st.one_of(shapes, st.just(sl[::-1]), st.just(sl + (1,)), st.just((sl[0], math.prod(sl[1:]))))
              .filter(lambda s: s != sl))
    ls = draw(st.lists(floats, min_size=math.prod(sl), max_size=math.prod(sl)))
    rs = draw(st.lists(floats, min_size=math.prod(sr), max_size=math.prod(sr)))
    return sl, ls, sr, rs


@FUZZ
@given(mismatched_arrays(), tolerances)
def test_shape_mismatch_lists_the_union_of_both_grids(arrays, tol):
    sl, ls, sr, rs = arrays
    left = np.array(ls, dtype=np.float64).reshape(sl, order="F")
    right = np.array(rs, dtype=np.float64).reshape(sr, order="F")
    c = compare("x", "octave", left, "python", right, tol)
    assert c.status == "shape-mismatch" and (c.shape_left, c.shape_right) == (sl, sr)
    assert c.message == (f"x is {'x'.join(map(str, sl))} on the octave side and {'x'.join(map(str, sr))} on the "
                         f"python side")
    # MATLAB's A(i, j) grid of each side: trailing dimensions folded into the columns.
    (lr, lc), (rr, rc) = (sl[0], math.prod(sl[1:])), (sr[0], math.prod(sr[1:]))
    want = []
    for j in range(max(lc, rc)):
        for i in range(max(lr, rr)):
            in_l, in_r = i < lr and j < lc, i < rr and j < rc
            if not (in_l or in_r):
                continue
            lx = ls[i + j * lr] if in_l else None
            rx = rs[i + j * rr] if in_r else None
            if in_l and in_r:
                e = expect_element(lx, rx, tol)
                note, ulp, abs_err = e["note"], e["ulp"], e["abs_err"]
            else:
                note, ulp, abs_err = ("left-only" if in_l else "right-only"), None, None
            want.append(((i + 1, j + 1), lx, rx, note, ulp, abs_err))
    rows = c.table.rows()
    assert len(rows) == len(want) == c.n_elements == c.n_fail
    for row, (pos, lx, rx, note, ulp, abs_err) in zip(rows, want):
        assert (row["row"], row["col"]) == pos
        assert row["verdict"] == "shape-mismatch" and row["note"] == note and row["ulp"] == ulp, (row, pos)
        for got, x in ((row["left"], lx), (row["right"], rx)):
            assert (got is None and x is None) or to_bits(got) == to_bits(x), (row, pos)
        assert same_float(row["abs_err"], abs_err), (row, pos)
    assert (c.worst, c.max_ulp) == (None, None) and math.isnan(c.max_abs_err)


# --------------------------------------------------------------------------- element CSV


@FUZZ
@given(paired_arrays(pairs | residues), tolerances, st.integers(0, 40), st.integers(0, 8))
def test_element_csv_keeps_the_failing_and_the_closest_passing(arrays, tol, limit, worst_rows):
    shape, ls, rs, left, right = arrays
    c = compare("x", "octave", left, "python", right, tol)
    el = [expect_element(l, r, tol) for l, r in zip(ls, rs)]
    if len(el) <= limit:
        keep = list(range(len(el)))
    else:
        failing = [k for k, e in enumerate(el) if not e["passed"]][:limit]
        passing = sorted((k for k, e in enumerate(el) if e["passed"]), key=lambda k: (-el[k]["ulp"], k))
        keep = sorted(set(failing) | set(passing[:worst_rows]))
    import tempfile
    from pathlib import Path
    from unittest import mock

    with tempfile.TemporaryDirectory() as tmp, mock.patch("rnncore.engine.parity.WORST_ROWS", worst_rows):
        path = Path(tmp) / "x.csv"
        assert write_elements_csv(c, path, limit=limit) == len(keep)
        with path.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
    positions = column_major(shape[0], len(ls))
    assert [(int(r["row"]), int(r["col"])) for r in rows] == [positions[k] for k in keep]
    for r, k in zip(rows, keep):
        # %.17g reads back to the same double (NaN payloads are not kept in text).
        assert same_float(float(r["left"]), ls[k]) and same_float(float(r["right"]), rs[k])
        assert math.copysign(1.0, float(r["left"])) == math.copysign(1.0, ls[k]) or math.isnan(ls[k])
        assert r["ulp"] == ("" if el[k]["ulp"] is None else str(el[k]["ulp"]))
        assert r["verdict"] == ("pass" if el[k]["passed"] else "fail") and r["note"] == el[k]["note"]
