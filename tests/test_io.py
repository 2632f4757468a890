"""rnncore.io: engine files (exact round trip, determinism, damaged files named), the CSV reader
and writer, and atomic writes."""

import json
import os
import stat
import zipfile

import numpy as np
import pytest

from rnncore.io import (ENGINE_FORMAT, ArtifactError, EngineFile, Value, format_float, read_csv, read_engine,
                        write_atomic, write_csv, write_engine)

TINY = 5e-324  # smallest positive subnormal
SUB = 2.2250738585072009e-308  # largest subnormal


def v(data, cls="double") -> Value:
    data = np.asarray(data, dtype=np.float64)
    return Value(cls, data.shape, data=data)


def special_values() -> np.ndarray:
    payload = np.array([0x7FF8000000000123], dtype=np.uint64).view(np.float64)[0]  # a NaN with a payload
    return np.array([
        [np.nan, np.inf, -np.inf, -0.0],
        [0.0, TINY, -TINY, SUB],
        [1 / 3, -2 / 3, np.finfo(np.float64).max, payload],
    ])


def sample() -> dict:
    rng = np.random.default_rng(12345)
    return {
        "special": v(special_values()),
        "rand": v(rng.standard_normal((3, 4)) * 10.0 ** rng.integers(-300, 300, (3, 4))),
        "cube": v(rng.uniform(-1, 1, (2, 3, 2))),
        "scalar": v([[np.pi]]),
        "empty": v(np.zeros((0, 3))),
        "flag": v([[1.0, 0.0]], "logical"),
        "text": v([[67.0, 65.0, 84.0]], "char"),
        "letters": Value("cell", (1, 2), items=(v([[67.0]], "char"), v([[1.0, 2.0]], "int8"))),
    }


def same_bits(got: Value, want: Value) -> None:
    assert (got.cls, got.shape) == (want.cls, want.shape)
    if want.cls == "cell":
        for a, b in zip(got.items, want.items):
            same_bits(a, b)
        return
    assert got.data.dtype == np.float64
    # Every bit, NaN payloads and -0.0 included: the engines' numbers must reach the comparison untouched.
    np.testing.assert_array_equal(got.data.view(np.uint64), want.data.view(np.uint64), strict=True)


# --------------------------------------------------------------------------- engine files


def test_round_trip_exact_bits_classes_and_cells(tmp_path):
    path = tmp_path / "python.npz"
    write_engine(path, EngineFile("python", [sample(), {"scalar": v([[2.0]])}], meta={"seed": 12345}))
    doc = read_engine(path, "python", 2)
    assert (doc.engine, doc.meta, doc.error) == ("python", {"seed": 12345}, None)
    assert set(doc.draws[0]) == set(sample())
    for name, want in sample().items():
        same_bits(doc.draws[0][name], want)
    same_bits(doc.draws[1]["scalar"], v([[2.0]]))


def test_arrays_come_back_column_major(tmp_path):
    """A port's BLAS calls can depend on memory layout; inputs reach ports column-major, as MATLAB holds them."""
    path = tmp_path / "inputs.npz"
    write_engine(path, EngineFile("inputs", [{"a": v(np.ascontiguousarray(np.arange(6.0).reshape(2, 3)))}]))
    a = read_engine(path).draws[0]["a"].data
    assert a.flags.f_contiguous
    np.testing.assert_array_equal(a, np.arange(6.0).reshape(2, 3), strict=True)


def test_an_error_file_holds_the_message_and_no_draws(tmp_path):
    path = tmp_path / "octave.npz"
    write_engine(path, EngineFile("octave", [], error="matlab_ref/x.m:3:1: error in x: 'foo' undefined"))
    doc = read_engine(path, "octave", 7)  # an error file is accepted whatever the number of draws
    assert doc.error.startswith("matlab_ref/x.m:3:1:") and doc.draws == []


def test_numpy_reads_it_and_the_bytes_are_deterministic(tmp_path):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    write_engine(a, EngineFile("python", [sample()], meta={"k": 1}))
    # The same values in another insertion order and memory layout.
    values = dict(reversed(list(sample().items())))
    values["rand"] = v(np.asfortranarray(values["rand"].data))
    write_engine(b, EngineFile("python", [values], meta={"k": 1}))
    assert a.read_bytes() == b.read_bytes()
    with np.load(a) as z:  # a plain .npz: numpy opens the arrays without rnncore
        np.testing.assert_array_equal(z["d0/scalar"], [[np.pi]], strict=True)
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # no clock in the bytes


# --------------------------------------------------------------------------- damaged engine files


def test_truncated_or_empty_file_is_named(tmp_path):
    path = tmp_path / "python.npz"
    write_engine(path, EngineFile("python", [sample()]))
    data = path.read_bytes()
    for cut in (data[: len(data) // 2], b""):
        path.write_bytes(cut)
        with pytest.raises(ArtifactError, match="truncated or damaged") as info:
            read_engine(path)
        assert str(path) in str(info.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ArtifactError, match="engine file missing") as info:
        read_engine(tmp_path / "nope" / "python.npz")
    assert "nope" in str(info.value)


def _rewrite(path, change):
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    change(entries)
    with zipfile.ZipFile(path, "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)


def _head(change):
    def edit(entries):
        doc = json.loads(entries["engine.json"])
        change(doc)
        entries["engine.json"] = json.dumps(doc).encode()
    return edit


@pytest.mark.parametrize("change", [
    _head(lambda d: d["draws"][0]["ht"].update(shape=[4, 5])),
    _head(lambda d: d["draws"][0]["ht"].update(shape=[-1, 4])),
    _head(lambda d: d["draws"][0]["ht"].pop("class")),
    lambda e: e.pop("d0/ht.npy"),
    lambda e: e.update({"d0/ht.npy": b"\x93NUMPY garbage"}),
], ids=["size", "negative-size", "no-class", "no-array", "garbage-array"])
def test_damaged_variable_is_named(tmp_path, change):
    path = tmp_path / "python.npz"
    write_engine(path, EngineFile("python", [{"ht": v(np.ones((3, 4))), "y": v(np.ones((1, 1)))}]))
    _rewrite(path, change)
    with pytest.raises(ArtifactError, match=r"variable 'ht' is damaged") as info:
        read_engine(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("change", [
    lambda e: e.pop("engine.json"),
    _head(lambda d: d.update(format="something/else")),
    _head(lambda d: d.update(draws={"not": "a list"})),
], ids=["no-head", "wrong-format", "draws-not-list"])
def test_damaged_document_is_named(tmp_path, change):
    path = tmp_path / "python.npz"
    write_engine(path, EngineFile("python", [{"y": v(np.ones((1, 1)))}]))
    _rewrite(path, change)
    with pytest.raises(ArtifactError) as info:
        read_engine(path)
    assert str(path) in str(info.value)


def test_wrong_engine_or_draw_count_is_named(tmp_path):
    path = tmp_path / "python.npz"
    write_engine(path, EngineFile("python", [{"y": v(np.ones((1, 1)))}]))
    with pytest.raises(ArtifactError, match="holds 'python' results where 'octave'"):
        read_engine(path, "octave")
    with pytest.raises(ArtifactError, match="holds 1 draw\\(s\\) where 3 were expected"):
        read_engine(path, "python", 3)


def test_values_check_their_shape():
    with pytest.raises(ValueError, match="needs data of that shape"):
        Value("double", (2, 2), data=np.ones((2, 3)))
    with pytest.raises(ValueError, match="needs 2 items"):
        Value("cell", (1, 2), items=(v([[1.0]]),))


# --------------------------------------------------------------------------- CSV


def test_csv_numbers_are_written_exactly_and_read_back(tmp_path):
    path = tmp_path / "t.csv"
    rows = [{"a": 0.1, "b": 3, "c": None, "d": "text, with comma", "e": np.float64(-0.0)},
            {"a": float("nan"), "b": np.int64(-2), "c": float("inf"), "d": "", "e": True}]
    write_csv(path, rows, ["a", "b", "c", "d", "e"])
    assert path.read_text() == ('a,b,c,d,e\n0.10000000000000001,3,,"text, with comma",-0\n'
                                'NaN,-2,Inf,,1\n')
    back = read_csv(path, ["a", "b", "c", "d", "e"])
    assert float(back[0]["a"]) == 0.1 and back[1]["c"] == "Inf"


def test_csv_rows_must_have_exactly_the_columns(tmp_path):
    with pytest.raises(ValueError, match="extra \\['z'\\]"):
        write_csv(tmp_path / "t.csv", [{"a": 1, "z": 2}], ["a"])


@pytest.mark.parametrize(("text", "pattern"), [
    ("a,b\n1,2", "truncated"),
    ("a,b\n1\n", ":2: 1 fields where the header has 2"),
    ("x,y\n1,2\n", ":1: expected the columns a,b"),
    ("", "empty file"),
])
def test_csv_damage_is_named_with_file_and_line(tmp_path, text, pattern):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ArtifactError, match=pattern) as info:
        read_csv(path, ["a", "b"])
    assert str(path) in str(info.value)


def test_format_float_round_trips():
    for x in (0.1, -0.0, 5e-324, 1.7976931348623157e308, 1 / 3):
        assert float(format_float(x)) == x
    assert [format_float(x) for x in (float("nan"), float("inf"), -float("inf"), -0.0)] == ["NaN", "Inf", "-Inf", "-0"]


# --------------------------------------------------------------------------- write_atomic


def test_write_atomic_creates_parents_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "a" / "b" / "report.txt"
    write_atomic(path, "first\n")
    write_atomic(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert [p.name for p in path.parent.iterdir()] == ["report.txt"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_write_atomic_mode_ignores_umask(tmp_path):
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "f.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == 0o644


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path):
    path = tmp_path / "report.txt"
    write_atomic(path, "old\n")

    def fail(fh):
        fh.write(b"half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomic(path, fail)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_full_disk_is_named_not_a_traceback(tmp_path, monkeypatch):
    """Found on main: a full disk gave `OSError: [Errno 28]` naming no file."""
    import errno

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    path = tmp_path / "results" / "summary.csv"
    with pytest.raises(ArtifactError, match="No space left on device") as info:
        write_atomic(path, "x\n")
    assert str(path) in str(info.value)
    assert list(path.parent.iterdir()) == []


def test_write_atomic_keeps_newlines_and_utf8(tmp_path):
    path = tmp_path / "r.txt"
    text = "a\r\nb\nµ ± 5e-05\n"
    write_atomic(path, text)
    assert path.read_bytes() == text.encode("utf-8")


def test_engine_file_written_atomically_with_its_format(tmp_path):
    path = tmp_path / "out" / "python.npz"
    write_engine(path, EngineFile("python", [{"a": v(np.ones((1, 1)))}]))
    assert [p.name for p in path.parent.iterdir()] == ["python.npz"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with zipfile.ZipFile(path) as z:
        assert json.loads(z.read("engine.json"))["format"] == ENGINE_FORMAT


def test_int64_beyond_2_53_stays_exact_and_the_comparator_sees_it(tmp_path):
    """An int64/uint64 Value keeps its own dtype through an engine file: rounded to a double,
    2^53 + 1 would become 2^53 and compare equal to it (the comparator refuses such a value by name)."""
    from rnncore.engine.parity import Tolerance, compare_values

    big = Value("int64", (1, 2), data=np.array([[2**53 + 1, -(2**63)]], dtype=np.int64))
    top = Value("uint64", (1, 1), data=np.array([[2**64 - 1]], dtype=np.uint64))
    path = tmp_path / "octave.npz"
    write_engine(path, EngineFile("octave", [{"big": big, "top": top}]))
    got = read_engine(path, "octave", 1).draws[0]
    assert got["big"].data.dtype == np.int64 and got["big"].data.tolist() == [[2**53 + 1, -(2**63)]]
    assert got["top"].data.dtype == np.uint64 and got["top"].data.tolist() == [[2**64 - 1]]
    near = Value("int64", (1, 2), data=np.array([[2**53, -(2**63)]], dtype=np.int64))
    with pytest.raises(ValueError, match=r"int64 value 9007199254740993 at \(1, 1\) is not exactly a double"):
        compare_values("big", "octave", got["big"], "python", near, Tolerance(16, 0.0))


def test_a_port_returns_int64_exactly():
    from rnncore.engine.ports import to_value

    got = to_value("n", np.array([[2**53 + 1]], dtype=np.int64), "port.py")
    assert (got.cls, got.data.dtype, got.data.tolist()) == ("int64", np.int64, [[2**53 + 1]])
