"""Declared memory of parity jobs (rnncore.engine.memory): scaled by the data, floored by the case."""

from rnncore.engine.memory import BASE_MB, inputs_bytes, job_mb


def _file(path, nbytes):
    path.write_bytes(b"\0" * nbytes)
    return path


def test_inputs_bytes_counts_every_draw_of_every_input():
    specs = {"X": {"normal": {"shape": [200, 300], "mean": 0, "std": 1}},
             "seq": {"onehot": {"classes": 4, "length": [3, 12]}},  # at most 4 x 12
             "w": {"value": [[1, 2, 3], [4, 5, 6]]}}
    assert inputs_bytes(specs, draws=1) == 8 * (200 * 300 + 4 * 12 + 6)
    assert inputs_bytes(specs, draws=5) == 5 * 8 * (200 * 300 + 4 * 12 + 6)
    assert inputs_bytes({}) == 0


def test_small_cases_declare_the_base():
    assert job_mb("inputs", specs={"w": {"value": 1}}) == BASE_MB["inputs"] + 1  # 8 bytes round up
    assert job_mb("octave") == BASE_MB["octave"]
    assert job_mb("python") == BASE_MB["python"]
    assert job_mb("compare") == BASE_MB["compare"]


def test_runs_scale_with_the_inputs_file_and_comparisons_with_both_engine_files(tmp_path):
    mb = 2**20
    inputs = _file(tmp_path / "inputs.npz", 32 * mb)  # a 2000 x 2000 double input
    assert job_mb("octave", inputs) == BASE_MB["octave"] + 8 * 32
    assert job_mb("python", inputs) == BASE_MB["python"] + 6 * 32
    left, right = _file(tmp_path / "octave.npz", 128 * mb), _file(tmp_path / "python.npz", 128 * mb)
    assert job_mb("compare", left, right) == 500 + 8 * 256  # above the 2000 MB floor
    # A file not made yet (bundled with its maker on a cluster) counts as empty, not as an error.
    assert job_mb("python", tmp_path / "absent.npz") == BASE_MB["python"]


def test_the_cases_mem_mb_is_a_floor_under_every_job(tmp_path):
    for job in ("inputs", "octave", "python", "compare"):
        assert job_mb(job, floor=12000) == 12000
    inputs = _file(tmp_path / "inputs.npz", 2**30)
    assert job_mb("octave", inputs, floor=3000) == BASE_MB["octave"] + 8 * 1024


def test_declared_integers_round_up():
    got = job_mb("inputs", specs={"x": {"uniform": {"shape": [1, 3], "low": 0, "high": 1}}})
    assert isinstance(got, int) and got == BASE_MB["inputs"] + 1  # 4 x 24 bytes: a fraction of a MB, rounded up
