"""Engine output files (rnncore.io): exact round trip, determinism, damaged files reported
with their path, and atomic writes."""

import json
import stat

import numpy as np
import pytest

from rnncore.io import FORMAT, ArtifactError, read_engine_output, write_atomic, write_engine_output

TINY = 5e-324  # smallest positive subnormal
SUB = 2.2250738585072009e-308  # largest subnormal


def special_values() -> np.ndarray:
    return np.array([
        [np.nan, np.inf, -np.inf, -0.0],
        [0.0, TINY, -TINY, SUB],
        [1 / 3, -2 / 3, np.finfo(np.float64).max, np.finfo(np.float64).tiny],
    ])


def sample_values() -> dict:
    rng = np.random.default_rng(12345)
    return {
        "special": special_values(),
        "rand": rng.standard_normal((3, 4)) * 10.0 ** rng.integers(-300, 300, (3, 4)),
        "cube": rng.uniform(-1, 1, (2, 3, 2)),
        "scalar": np.array([[np.pi]]),
        "empty": np.zeros((0, 3)),
    }


def assert_same_bits(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape
    assert got.dtype == np.float64
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan, strict=True)
    # Everything but NaN (whose payload JSON cannot carry) keeps its exact bit pattern, -0.0 included.
    np.testing.assert_array_equal(got[~nan].view(np.int64), want[~nan].view(np.int64), strict=True)


# --------------------------------------------------------------------------- round trip


def test_round_trip_exact_bits(tmp_path):
    values = sample_values()
    path = tmp_path / "python.json"
    write_engine_output(path, "python", values, meta={"seed": 12345})
    engine, got, doc = read_engine_output(path)
    assert engine == "python"
    assert doc["format"] == FORMAT
    assert doc["meta"] == {"seed": 12345}
    assert set(got) == set(values)
    for name, want in values.items():
        assert_same_bits(got[name], want)


def test_signed_zero_and_infinities(tmp_path):
    path = tmp_path / "e.json"
    write_engine_output(path, "octave", {"z": np.array([[-0.0, 0.0, np.inf, -np.inf]])})
    z = read_engine_output(path)[1]["z"]
    np.testing.assert_array_equal(np.signbit(z), [[True, False, False, True]], strict=True)
    np.testing.assert_array_equal(z, np.array([[-0.0, 0.0, np.inf, -np.inf]]), strict=True)


def test_column_major_order_and_shape(tmp_path):
    path = tmp_path / "e.json"
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    cube = np.arange(12, dtype=np.float64).reshape((2, 3, 2), order="F")  # MATLAB reshape(0:11, 2, 3, 2)
    write_engine_output(path, "python", {"a": a, "cube": cube})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["variables"]["a"]["size"] == [2, 3]
    assert doc["variables"]["a"]["data"] == [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]  # MATLAB's a(:)
    assert doc["variables"]["cube"]["size"] == [2, 3, 2]
    assert doc["variables"]["cube"]["data"] == [float(v) for v in range(12)]
    _, got, _ = read_engine_output(path)
    np.testing.assert_array_equal(got["a"], a, strict=True)
    np.testing.assert_array_equal(got["cube"], cube, strict=True)
    assert got["cube"][1, 2, 1] == 11.0  # MATLAB cube(2,3,2)


def test_non_contiguous_and_integer_input(tmp_path):
    path = tmp_path / "e.json"
    base = np.arange(24, dtype=np.float64).reshape(4, 6)
    values = {"view": base[::2, ::3], "ints": np.array([[1, 2], [3, 4]]), "fortran": np.asfortranarray(base)}
    write_engine_output(path, "python", values)
    _, got, _ = read_engine_output(path)
    for name, want in values.items():
        np.testing.assert_array_equal(got[name], np.asarray(want, dtype=np.float64), strict=True)


def test_classes_stored(tmp_path):
    path = tmp_path / "e.json"
    write_engine_output(path, "octave", {"a": np.ones((1, 1)), "b": np.ones((1, 2))}, classes={"b": "single"})
    doc = read_engine_output(path)[2]
    assert doc["variables"]["a"]["class"] == "double"  # default
    assert doc["variables"]["b"]["class"] == "single"


def test_one_dimensional_input_rejected(tmp_path):
    path = tmp_path / "e.json"
    for bad in (np.ones(3), np.float64(1.0)):
        with pytest.raises(ValueError, match=r"'v' has shape .*at least 2-D"):
            write_engine_output(path, "python", {"v": bad})
    assert not path.exists()


# --------------------------------------------------------------------------- determinism


def test_same_values_give_identical_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_engine_output(a, "python", sample_values(), meta={"k": 1})
    # Same values in another insertion order and memory layout.
    values = dict(reversed(list(sample_values().items())))
    values["rand"] = np.asfortranarray(values["rand"])
    write_engine_output(b, "python", values, meta={"k": 1})
    assert a.read_bytes() == b.read_bytes()
    write_engine_output(a, "python", sample_values(), meta={"k": 1})  # rewrite in place
    assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------- damaged files


def test_truncated_file(tmp_path):
    path = tmp_path / "python.json"
    write_engine_output(path, "python", sample_values())
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"truncated or\s+damaged") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "python.json"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"truncated") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("marker", ["rnncore-engine-output/2", "", None])
def test_wrong_format_marker(tmp_path, marker):
    path = tmp_path / "python.json"
    write_engine_output(path, "python", {"a": np.ones((1, 1))})
    doc = json.loads(path.read_text(encoding="utf-8"))
    if marker is None:
        del doc["format"]
    else:
        doc["format"] = marker
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"not an rnncore engine output") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("text", ["[1, 2]", '"rnncore-engine-output/1"', "null"])
def test_not_an_object(tmp_path, text):
    path = tmp_path / "python.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"not an rnncore engine output") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nope" / "python.json"
    with pytest.raises(ArtifactError, match=r"cannot read engine output") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


def _damage(tmp_path, change):
    path = tmp_path / "python.json"
    write_engine_output(path, "python", {"ht": np.ones((3, 4)), "y_out": np.ones((4, 4))})
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["variables"]["y_out"]["data"].pop(),  # 15 values for 4x4
        lambda d: d["variables"]["y_out"]["data"].append(1.0),  # 17 values
        lambda d: d["variables"]["y_out"].update(size=[4, 5]),
        lambda d: d["variables"]["y_out"].update(size=[-1, 4]),  # numpy would infer -1 -> 4
        lambda d: d["variables"]["y_out"].update(size=[-4, -4]),
        lambda d: d["variables"]["y_out"].pop("size"),
        lambda d: d["variables"]["y_out"].pop("data"),
        lambda d: d["variables"]["y_out"].update(data=["x"] * 16),
        lambda d: d["variables"].update(y_out=3),
    ],
    ids=["short", "long", "size", "inferred-size", "negative-size", "no-size", "no-data", "text", "not-object"],
)
def test_damaged_variable_named(tmp_path, change):
    path = _damage(tmp_path, change)
    with pytest.raises(ArtifactError, match=r"variable 'y_out' is damaged") as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    "change",
    [lambda d: d.pop("engine"), lambda d: d.update(engine=3), lambda d: d.update(variables=[1, 2])],
    ids=["no-engine", "engine-not-text", "variables-not-object"],
)
def test_damaged_document_reported_with_path(tmp_path, change):
    # A hand-damaged file is an ArtifactError naming the path, not a KeyError/AttributeError.
    path = _damage(tmp_path, change)
    with pytest.raises(ArtifactError) as info:
        read_engine_output(path)
    assert str(path) in str(info.value)


# --------------------------------------------------------------------------- write_atomic


def test_write_atomic_creates_parents_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "a" / "b" / "report.txt"
    write_atomic(path, "first\n")
    write_atomic(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert [p.name for p in path.parent.iterdir()] == ["report.txt"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_write_atomic_mode_ignores_umask(tmp_path):
    import os

    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "f.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == 0o644


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path):
    path = tmp_path / "report.txt"
    write_atomic(path, "old\n")
    with pytest.raises(TypeError):
        write_atomic(path, b"not text")  # fails while writing the temporary file
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_write_atomic_keeps_newlines_and_utf8(tmp_path):
    path = tmp_path / "r.txt"
    text = "a\r\nb\nµ ± 5e-05\n"
    write_atomic(path, text)
    assert path.read_bytes() == text.encode("utf-8")


def test_engine_output_written_atomically(tmp_path):
    path = tmp_path / "out" / "python.json"
    write_engine_output(path, "python", {"a": np.ones((1, 1))})
    assert [p.name for p in path.parent.iterdir()] == ["python.json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8").endswith("}\n")
