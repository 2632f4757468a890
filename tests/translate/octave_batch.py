"""Run many MATLAB scripts in one GNU Octave session and read back every workspace exactly.

A thin adapter over the engine's own batch runner (:func:`rnncore.engine.octave.run_scripts`, which the
fuzzer uses too): one pooled Octave session, each script in a workspace of its own with its printed
output captured by ``evalc``, every variable brought back exactly (doubles as doubles, not as Octave's
display of them), warnings off (evalc would capture them with the text), figures invisible, and the
compatibility shims (``matlab_ref/compat``) on the path for names Octave lacks. It turns the engine's
:class:`~rnncore.engine.octave.ScriptRun` into the :class:`OctRun` the translator's tests read.

:func:`assert_same_workspace` compares such a workspace with what a translated port returned: the
same variable names, the same MATLAB class and size of each, and the values within a parity
tolerance (:func:`rnncore.engine.parity.compare`), text and logicals exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncore.engine.octave import IDENTIFIER, OCTAVE_TIMEOUT_S, run_scripts
from rnncore.engine.parity import Tolerance, compare
from rnncore.resources import compat_dir

# The parity workflow's default Octave-vs-Python tolerance (config/config.yaml explains it).
DEFAULT_TOLERANCE = Tolerance(ulp=16, atol=8.8817841970012523e-16)


@dataclass
class OctValue:
    """One value from Octave: its class, size and data (column-major numbers, a cell's elements, a 1x1
    struct's fields by name; None for what is compared by class and size only)."""

    cls: str
    size: tuple[int, ...]
    data: object  # np.ndarray (flat, column-major) | list[OctValue] | dict[str, OctValue] | None

    def array(self) -> np.ndarray:
        data = np.asarray(self.data)
        return data.astype(np.complex128 if np.iscomplexobj(data) else np.float64).reshape(self.size, order="F")


@dataclass
class OctRun:
    """What one script did: its workspace, or the error it stopped with, and its printed output."""

    workspace: dict[str, OctValue]
    error: str | None
    output: str


def run_batch(scripts: dict[str, str], workdir: Path, octave: str, *, files: dict[str, str] | None = None,
              timeout: float = OCTAVE_TIMEOUT_S) -> dict[str, OctRun]:
    """Run each script (name -> MATLAB text) in one Octave session, in ``workdir``; ``files`` are function
    files (name -> text) the scripts may call. Returns name -> :class:`OctRun`."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {}).items():
        (workdir / f"{name}.m").write_text(text)
    # Octave runs a script by its file name, which must be an identifier: a name that is not one is
    # run under a stand-in of ours
    stems = {name: name if IDENTIFIER.match(name) else f"rnncore_script_{k}" for k, name in enumerate(scripts)}
    for name, text in scripts.items():
        (workdir / f"{stems[name]}.m").write_text(text)
    runs = run_scripts(workdir, list(stems.values()), timeout=timeout, octave_executable=octave,
                       capture_output=True, shim_dirs=(compat_dir(),), warnings=False)
    return {name: OctRun({var: _value(d) for var, d in run.described.items()}, run.error, run.output)
            for name, run in zip(scripts, runs)}


def _value(described: tuple) -> OctValue:
    """An :class:`OctValue` from one of :attr:`ScriptRun.described`'s (class, size, payload)."""
    cls, size, payload = described
    if isinstance(payload, tuple):
        payload = [_value(item) for item in payload]
    elif isinstance(payload, dict):
        payload = {name: _value(item) for name, item in payload.items()}
    elif payload is not None:
        payload = payload.reshape(-1, order="F")
    return OctValue(cls, size, payload)


def python_class(v) -> str:
    """The MATLAB class a port's value stands for, under the port contract."""
    if isinstance(v, str):
        return "char"
    if isinstance(v, list):
        return "cell"
    if isinstance(v, dict) or isinstance(v, np.ndarray) and v.dtype == object and v.size and \
            all(isinstance(x, dict) for x in v.ravel()):
        return "struct"
    if callable(v):
        return "function_handle"
    a = np.asarray(v)
    if a.dtype == np.uint16:
        return "char"  # a char array other than a row: its codes
    return {"b": "logical", "f": "double"}.get(a.dtype.kind, f"numpy {a.dtype}")


def assert_same_value(name: str, oct_value: OctValue, py_value, tol: Tolerance = DEFAULT_TOLERANCE) -> None:
    """The port's value equals Octave's: class, size, and values (numbers within ``tol``)."""
    cls = python_class(py_value)
    assert cls == oct_value.cls, f"{name}: class {cls} in Python, {oct_value.cls} in Octave"
    if oct_value.cls == "function_handle":
        return
    if oct_value.cls == "struct":
        shape = (1, 1) if isinstance(py_value, dict) else tuple(py_value.shape)
        assert shape == oct_value.size, f"{name}: struct of size {shape} in Python, {oct_value.size} in Octave"
        if isinstance(oct_value.data, dict):  # a 1x1 struct: the same fields in the same order, each the same
            assert list(py_value) == list(oct_value.data), \
                f"{name}: fields {list(py_value)} in Python, {list(oct_value.data)} in Octave"
            for f, o in oct_value.data.items():
                assert_same_value(f"{name}.{f}", o, py_value[f], tol)
        return
    if oct_value.cls == "cell":
        shape = getattr(py_value, "shape", (1, len(py_value)))
        assert tuple(shape) == oct_value.size, f"{name}: cell of size {shape} in Python, {oct_value.size} in Octave"
        for k, (o, p) in enumerate(zip(oct_value.data, py_value), 1):
            assert_same_value(f"{name}{{{k}}}", o, p, tol)
        return
    expected = oct_value.array()
    if isinstance(py_value, str):  # a 1xN char row
        got = np.array([[ord(c) for c in py_value]], dtype=np.float64).reshape(1, len(py_value))
    else:
        got = np.asarray(py_value, dtype=np.float64)
    assert got.shape == expected.shape, f"{name}: size {got.shape} in Python, {expected.shape} in Octave"
    if oct_value.cls in ("char", "logical") or expected.size == 0:
        np.testing.assert_array_equal(got, expected, err_msg=f"{name} ({oct_value.cls}) differs", strict=True)
        return
    result = compare(name, "octave", expected, "python", got, tol)
    if result.status != "pass":
        bad = result.elements[result.elements["verdict"] != "pass"].head(5)
        raise AssertionError(f"{name}: {result.status} beyond {tol}:\n{bad.to_string()}")


def assert_same_workspace(oct_ws: dict[str, OctValue], py_ws: dict, tol: Tolerance = DEFAULT_TOLERANCE) -> None:
    """The same variable names, each with the same class, size and values."""
    assert sorted(py_ws) == sorted(oct_ws), f"variables differ: Python {sorted(py_ws)}, Octave {sorted(oct_ws)}"
    for name in oct_ws:
        assert_same_value(name, oct_ws[name], py_ws[name], tol)
