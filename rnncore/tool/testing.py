"""MATLAB parity in a pytest (or unittest) suite: :func:`assert_parity`, and the ``matlab_parity`` fixture
(:mod:`rnncore.tool.pytest_plugin`) over it.

::

    from rnncore.tool.testing import assert_parity
    from ports.cat_rnn import cat_rnn

    def test_cat_rnn():
        assert_parity("matlab_ref/cat_rnn.m", cat_rnn, ["H", "Y"])

runs ``cat_rnn.m`` in GNU Octave and ``cat_rnn()`` in Python and compares ``H`` and ``Y`` element by
element with the same engine as ``rnncore run``: the MATLAB class and size must agree, and each
element must be within ``ulp`` representable doubles or ``atol`` in absolute terms
(:func:`rnncore.engine.parity.compare_values`). On failure it raises :class:`ParityAssertionError`
whose message, like ``num_regression``'s obtained-vs-expected table or matlab.unittest's AbsTol/RelTol
diagnostic, lists each variable's status and the worst elements: the variable, MATLAB's 1-based row
and column, the Octave and Python values to the last bit, the absolute and relative error and the
ULP distance.

**Defaults from the course folder.** The tolerance (``tolerance.ulp``/``atol``), the Octave timeout and
the shim folders come from the configuration of the nearest folder at or above the current one
(``config.yaml`` or ``config/config.yaml``, :mod:`rnncore.tool.project`), else rnncore's defaults (16 ULP,
4*2^-52, 120 s). rnncore's own shims (MATLAB's toolbox ``softmax``) are always on Octave's path, as in
the workflow. A relative ``script`` is taken from that folder.

**Inputs** (a mapping of names to arrays) are assigned in a script's workspace before it runs, or
passed to a function file as its arguments (in the order of its signature); the port receives them
as the workflow gives them (:func:`rnncore.engine.ports.call_port`): one mapping, or one by one when
it takes them so. A port may be a callable or ``"module:function"`` of the course folder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from rnncore.errors import RnncoreError

__all__ = ["ParityAssertionError", "ParityResult", "assert_parity", "parity", "format_failure", "MAX_ROWS"]

MAX_ROWS = 10  # worst elements shown per failing variable


class ParityAssertionError(AssertionError):
    """Some variable did not match; ``result`` holds every comparison."""

    def __init__(self, message: str, result: "ParityResult"):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class ParityResult:
    """The comparisons of one :func:`parity` call, variable by variable, in the order asked."""

    script: str
    port: str
    tolerance: object  # rnncore.engine.parity.Tolerance
    comparisons: dict  # variable -> rnncore.engine.parity.Comparison

    @property
    def passed(self) -> bool:
        return all(c.status == "pass" for c in self.comparisons.values())

    def __getitem__(self, variable: str):
        return self.comparisons[variable]


def _port_label(port) -> str:
    if isinstance(port, str):
        return port
    return f"{getattr(port, '__module__', '?')}:{getattr(port, '__qualname__', repr(port))}"


def _absent(variable: str, status: str, message: str, left, right, tol):
    """The comparison of a variable one side could not give: ``missing``, or ``unsupported`` (a class or
    value that is not compared), with the reason."""
    from dataclasses import replace

    from rnncore.engine.parity import compare_values

    return replace(compare_values(variable, "octave", left, "python", right, tol), status=status, message=message)


def _input(name: str, value):
    """An input as the workflow gives it to both engines: a float64 array of MATLAB's shape (a number is 1x1),
    or a str (a char row)."""
    if isinstance(value, str):
        return value
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        raise RnncoreError(f"assert_parity: input {name!r} has shape {arr.shape}; give it MATLAB's shape, e.g. "
                           f"({arr.size}, 1) for a column or (1, {arr.size}) for a row")
    return arr


def parity(script, port, variables: Sequence[str] | str, *, inputs: Mapping | None = None, ulp: int | None = None,
           atol: float | None = None, check_class: bool = True, project=None, timeout: float | None = None,
           shims: Sequence = (), octave_log: Callable[[str], None] | None = None) -> ParityResult:
    """Run ``script`` in Octave and ``port`` in Python and compare ``variables``; see the module docstring.

    Returns the :class:`ParityResult` without judging it (:func:`assert_parity` does). Problems of
    the test's own making (a missing file, a port that does not return a mapping, inputs that do not
    match a function file's signature) raise :class:`RnncoreError`; a failure of the ``.m`` file the
    engine's :class:`rnncore.engine.octave.OctaveError` (file and line); an exception in the port
    propagates unchanged.
    """
    from rnncore.engine.octave import run_function_draws, run_script
    from rnncore.engine.parity import Tolerance, compare_values
    from rnncore.engine.ports import call_port, lookup, resolve, to_value
    from rnncore.engine.preflight import scan_m_file
    from rnncore.errors import PortError
    from rnncore.tool.project import defaults, find_project

    variables = [variables] if isinstance(variables, str) else list(variables)
    if not variables:
        raise RnncoreError("assert_parity: name at least one variable to compare")
    root = Path(project) if project is not None else (find_project(Path.cwd()) or Path.cwd())
    settings = defaults(root)
    tol = Tolerance(ulp=settings.ulp if ulp is None else ulp, atol=settings.atol if atol is None else atol)
    path = next((p for p in (root / script, Path(script)) if p.is_file()), None)  # the folder's, else as given
    if path is None:
        raise RnncoreError(f"assert_parity: {script}: no such MATLAB file (in {root} nor in {Path.cwd()})")
    shim_dirs = [Path(s) if Path(s).is_absolute() else root / s for s in shims] + list(settings.shim_dirs)
    timeout = settings.timeout if timeout is None else float(timeout)
    given = {name: _input(name, value) for name, value in (inputs or {}).items()}
    label = _port_label(port)
    func = resolve(port, root) if isinstance(port, str) else port

    # Octave.
    scan = scan_m_file(path)
    octave: dict = {}
    absent: dict[str, tuple[str, str]] = {}  # variable -> (status, why)
    if scan.kind == "function":
        wanted = [a for a in scan.inputs if a != "~"]
        if sorted(given) != sorted(wanted):
            raise RnncoreError(f"assert_parity: {path.name} takes ({', '.join(scan.inputs)}) but inputs gives "
                               f"({', '.join(given) or 'nothing'}); give each argument by name")
        order = wanted
        outs = [v for v in variables if v.split(".")[0] not in scan.outputs]
        if outs:
            raise RnncoreError(f"assert_parity: {', '.join(outs)} not among {path.name}'s outputs "
                               f"({', '.join(scan.outputs)})")
        result = run_function_draws(path, order, scan.outputs, [{n: given[n] for n in order}], shim_dirs=shim_dirs,
                                    timeout=timeout, log=octave_log)
        drawn = result.matlab[0]
        for v in variables:
            head, _, rest = v.partition(".")
            octave[v] = drawn.get(head) if not rest else None
            if rest:
                absent[v] = ("unsupported", f"{v}: a struct field of a function's output is not compared here")
    elif scan.kind == "script":
        order = list(given)
        result = run_script(path, variables, shim_dirs=shim_dirs, timeout=timeout, log=octave_log, inputs=given,
                            require_all=False)
        octave = {v: result.matlab.get(v) for v in variables}
        for v in result.missing:
            absent[v] = ("missing", f"{v} is missing on the octave side: {path.name} did not define it (it "
                                    f"defined: {', '.join(result.workspace) or 'nothing'})")
        absent.update({v: ("unsupported", msg) for v, msg in result.unsupported.items()})
    else:
        raise RnncoreError(f"assert_parity: {path} is a classdef file; give a script or a function file")

    # Python.
    values = call_port(func, given, order)
    if not isinstance(values, Mapping):
        raise RnncoreError(f"assert_parity: {label} returned {type(values).__name__}; a port returns a mapping of "
                           f"variable names to values")
    python: dict = {}
    for v in variables:
        try:
            python[v] = to_value(v, lookup(values, v), label)
        except KeyError:
            python[v] = None
            absent.setdefault(v, ("missing", f"{v} is missing on the python side: {label} did not return it (it "
                                             f"returned: {', '.join(sorted(map(str, values)))})"))
        except PortError as exc:
            python[v] = None
            absent.setdefault(v, ("unsupported", str(exc)))

    comparisons = {}
    for v in variables:
        if v in absent or octave[v] is None or python[v] is None:
            status, why = absent.get(v, ("missing", ""))
            comparisons[v] = _absent(v, status, why or f"{v} is missing", octave[v], python[v], tol)
        else:
            comparisons[v] = compare_values(v, "octave", octave[v], "python", python[v], tol, check_class=check_class)
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return ParityResult(shown, label, tol, comparisons)


def _number(x) -> str:
    if x is None:
        return ""
    from rnncore.io import format_float

    return format_float(x)


def _short(x) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Inf" if x > 0 else "-Inf")
    return f"{x:.3g}"


def _worst_rows(cmp, limit: int) -> list[dict]:
    t = cmp.table
    if not len(t):
        return []
    failing = np.flatnonzero(~t.passed)
    if not len(failing):
        return []
    nan_first = t.ulp_valid[failing].astype(np.int8)  # 0: no ULP distance (NaN, Inf, missing) sorts first
    ulp = np.where(t.ulp_valid[failing], t.ulp[failing], 0).astype(np.float64)
    err = np.nan_to_num(np.asarray(t.abs_err[failing], dtype=np.float64), nan=np.inf)
    order = np.lexsort((failing, -err, -ulp, nan_first))  # non-finite first, then largest ULP, |err|, position
    return t.rows(failing[order][:limit])


def format_failure(result: ParityResult, max_rows: int = MAX_ROWS) -> str:
    """The message of a failed :func:`assert_parity`: each variable's status, then the worst elements."""
    failing = [c for c in result.comparisons.values() if c.status != "pass"]
    lines = [f"MATLAB parity failed for {len(failing)} of {len(result.comparisons)} variable(s): {result.script} "
             f"in Octave vs {result.port} in Python, tolerance {result.tolerance.describe()}"]
    for v, c in result.comparisons.items():
        if c.status == "pass":
            lines.append(f"  {v}: pass (max ULP {c.max_ulp}, max |err| {_short(c.max_abs_err)})")
        elif c.status == "fail":
            lines.append(f"  {v}: fail, {c.n_fail} of {c.n_elements} elements outside the tolerance (max ULP "
                         f"{c.max_ulp if c.max_ulp is not None else 'n/a'}, max |err| {_short(c.max_abs_err)})")
        else:
            lines.append(f"  {v}: {c.status}: {c.message}")
    header = ("variable", "row", "col", "octave", "python", "abs_err", "rel_err", "ulp")
    table = []
    for c in failing:
        for r in _worst_rows(c, max_rows):
            table.append((c.variable, str(r["row"]), str(r["col"]), _number(r["left"]), _number(r["right"]),
                          _short(r["abs_err"]), _short(r["rel_err"]), "" if r["ulp"] is None else str(r["ulp"])))
    if table:
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
        lines.append(f"worst elements (1-based row and col; at most {max_rows} per variable):")
        for row in [header, *table]:
            lines.append("  " + "  ".join(cell.rjust(w) if i in (1, 2, 5, 6, 7) else cell.ljust(w)
                                          for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    return "\n".join(lines)


def assert_parity(script, port, variables: Sequence[str] | str, *, inputs: Mapping | None = None,
                  ulp: int | None = None, atol: float | None = None, check_class: bool = True, project=None,
                  timeout: float | None = None, shims: Sequence = (), max_rows: int = MAX_ROWS) -> ParityResult:
    """Compare ``script`` (in Octave) and ``port`` (in Python) on ``variables``; raise
    :class:`ParityAssertionError` with the table of the worst elements unless every one passes.

    ``ulp``/``atol`` override the course folder's tolerance; ``check_class=False`` compares the
    values only (as a case's ``compare: values``); ``shims`` adds shim folders. Returns the
    :class:`ParityResult` when everything passes.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    result = parity(script, port, variables, inputs=inputs, ulp=ulp, atol=atol, check_class=check_class,
                    project=project, timeout=timeout, shims=shims)
    if not result.passed:
        raise ParityAssertionError(format_failure(result, max_rows), result)
    return result
