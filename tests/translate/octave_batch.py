"""Run many MATLAB scripts in one GNU Octave process and read back every workspace exactly.

Starting Octave costs about a second (more through oct2py), so the translator's tests run all their
scripts in one ``octave-cli`` process: each script runs inside its own function (so workspaces
never mix) through ``evalc`` (so its printed output is captured), and every variable it leaves is
written to a text file as class, size and values, numbers with ``%.17g`` (which reads back to the
same double). Cell arrays are written element by element. Nothing of Octave's own number
formatting is involved, so the comparison sees Octave's exact results.

:func:`assert_same_workspace` compares such a workspace with what a translated port returned: the
same variable names, the same MATLAB class and size of each, and the values within a parity
tolerance (:func:`rnncore.engine.parity.compare`), text and logicals exactly.
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncore.engine.parity import Tolerance, compare
from rnncore.resources import compat_dir

# The parity workflow's default Octave-vs-Python tolerance (config/config.yaml explains it).
DEFAULT_TOLERANCE = Tolerance(ulp=16, atol=8.8817841970012523e-16)

_RUNNER = r"""
function rnncore_batch_run(rnncore_name__)
  rnncore_batch_state('name', rnncore_name__);
  try
    rnncore_out__ = evalc(rnncore_name__);
  catch rnncore_err__
    rnncore_batch_state('error', rnncore_err__.message);
    return
  end
  rnncore_batch_state('output', rnncore_out__);
  rnncore_names__ = who;
  for rnncore_k__ = 1:numel(rnncore_names__)
    if isempty(regexp(rnncore_names__{rnncore_k__}, '^rnncore_.*__$', 'once'))
      rnncore_batch_dump(rnncore_names__{rnncore_k__}, eval(rnncore_names__{rnncore_k__}));
    end
  end
end
"""

_DUMP = r"""
function rnncore_batch_dump(name, v)
  fid = rnncore_batch_state('fid');
  sz = sprintf('%d ', size(v));
  if iscell(v)
    fprintf(fid, 'V\t%s\tcell\t%s\t\n', name, sz);
    for k = 1:numel(v)
      rnncore_batch_dump(sprintf('%s{%d}', name, k), v{k});
    end
  elseif isstruct(v) && numel(v) == 1
    fprintf(fid, 'V\t%s\tstruct\t%s\t\n', name, sz);
    f = fieldnames(v);
    for k = 1:numel(f)
      rnncore_batch_dump(sprintf('%s.%s', name, f{k}), v.(f{k}));
    end
  elseif isnumeric(v) || islogical(v) || ischar(v)
    fprintf(fid, 'V\t%s\t%s\t%s\t%s\n', name, class(v), sz, sprintf('%.17g ', double(v(:))));
  else
    fprintf(fid, 'V\t%s\t%s\t%s\t\n', name, class(v), sz);
  end
end
"""

_STATE = r"""
function varargout = rnncore_batch_state(what, arg)
  % no output unless asked, so that a call as a statement leaves no `ans` in the script's workspace
  persistent fid
  switch what
    case 'open'
      fid = fopen(arg, 'w');
    case 'close'
      fclose(fid);
    case 'fid'
      varargout{1} = fid;
    case 'name'
      fprintf(fid, 'S\t%s\n', arg);
    case 'error'
      fprintf(fid, 'E\t%s\n', sprintf('%d ', double(arg)));
    case 'output'
      fprintf(fid, 'O\t%s\n', sprintf('%d ', double(arg)));
  end
end
"""


@dataclass
class OctValue:
    """One value from Octave: its class, size and data (column-major numbers, or a cell's elements)."""

    cls: str
    size: tuple[int, ...]
    data: object  # np.ndarray (flat, column-major) | list[OctValue] | None

    def array(self) -> np.ndarray:
        return np.asarray(self.data, dtype=np.float64).reshape(self.size, order="F")


@dataclass
class OctRun:
    """What one script did: its workspace, or the error it stopped with, and its printed output."""

    workspace: dict[str, OctValue]
    error: str | None
    output: str


def run_batch(scripts: dict[str, str], workdir: Path, octave: str, *, files: dict[str, str] | None = None,
              timeout: float = 120.0) -> dict[str, OctRun]:
    """Run each script (name -> MATLAB text) in one Octave process; ``files`` are function files
    (name -> text) the scripts may call. Returns name -> :class:`OctRun`."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, text in {**(files or {}), **scripts}.items():
        (workdir / f"{name}.m").write_text(text)
    for name, text in (("rnncore_batch_run", _RUNNER), ("rnncore_batch_dump", _DUMP),
                       ("rnncore_batch_state", _STATE)):
        (workdir / f"{name}.m").write_text(text.lstrip())
    out = workdir / "rnncore_batch.out"
    main = [
        "crash_dumps_octave_core(false);",
        "try, graphics_toolkit('gnuplot'); set(0, 'defaultfigurevisible', 'off'); catch, end",
        "warning('off', 'all');",
        f"if ~exist('softmax'), addpath('{compat_dir()}'); end",
        f"rnncore_batch_state('open', '{out}');",
        *[f"rnncore_batch_run('{name}');" for name in scripts],
        "rnncore_batch_state('close');",
    ]
    (workdir / "rnncore_batch_main.m").write_text("\n".join(main) + "\n")
    cmd = [octave, "--no-gui", "--no-init-file", "--quiet", "--eval", f"cd('{workdir}'); rnncore_batch_main"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, start_new_session=True, env={**os.environ, "DISPLAY": ""})
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if not out.exists():
        raise RuntimeError(f"Octave wrote no results (exit {proc.returncode}): {err[-2000:]}")
    return _parse(out.read_text())


def _codes(text: str) -> str:
    return "".join(chr(int(c)) for c in text.split())


def _parse(text: str) -> dict[str, OctRun]:
    runs: dict[str, OctRun] = {}
    current = None
    for row in text.split("\n"):
        if not row:
            continue
        kind, _, rest = row.partition("\t")
        if kind == "S":
            current = runs[rest] = OctRun({}, None, "")
        elif kind == "E":
            current.error = _codes(rest)
        elif kind == "O":
            current.output = _codes(rest)
        elif kind == "V":
            name, cls, size, values = rest.split("\t")
            dims = tuple(int(d) for d in size.split())
            data = [] if cls == "cell" else (np.array([float(v) for v in values.split()]) if values.strip()
                                             else np.zeros(0))
            value = OctValue(cls, dims, data if cls in ("cell", "double", "logical", "char") else None)
            if cls == "struct":
                value.data = {} if dims == (1, 1) else None  # a 1x1 struct's fields follow it, by name
            if "." in name and not name.endswith("}") and _is_field(current.workspace, name):
                parent, _, fname = name.rpartition(".")  # a field of a struct written just before it
                _find(current.workspace, parent).data[fname] = value
            elif "{" in name:  # an element of a cell written just before it
                parent = name[:name.rindex("{")]
                _find(current.workspace, parent).data.append(value)
            else:
                current.workspace[name] = value
    return runs


def _is_field(ws: dict[str, OctValue], name: str) -> bool:
    parent = name.rpartition(".")[0]
    try:
        return _find(ws, parent).cls == "struct"
    except (KeyError, IndexError, AttributeError):
        return False


def _find(ws: dict[str, OctValue], name: str) -> OctValue:
    if "." in name and not name.endswith("}"):  # s.f, s.f.g
        parent, _, fname = name.rpartition(".")
        holder = _find(ws, parent)
        if holder.cls == "struct" and isinstance(holder.data, dict):
            return holder.data[fname]
    root, _, rest = name.partition("{")
    value = ws[root] if root in ws else _find(ws, root)
    while rest:
        k, _, rest = rest.partition("}")
        value = value.data[int(k) - 1]
        rest = rest[1:] if rest.startswith("{") else rest
    return value


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
