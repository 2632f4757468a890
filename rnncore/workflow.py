"""The workflow's steps as plain functions; ``workflow/scripts/*.py`` only call them.

Each step reads its inputs, writes its outputs atomically (a reader sees a whole file or none)
and reports through ``log``, a callable taking one line. Tests call the steps directly; Snakemake
only wires them together. Expected failures (bad configuration, Octave missing or failing, a
damaged intermediate file, a failed parity gate) raise one of :data:`USER_ERRORS`, whose message
is meant for a person; :func:`run_step` prints it without a traceback and exits non-zero.

Steps, in workflow order:

``octave_step``    run a case's MATLAB script in Octave -> engine file (results/engines/<case>/octave.json)
``python_step``    run a case's Python callable          -> engine file (results/engines/<case>/python.json)
``parity_step``    compare every pair and variable       -> element CSVs + the case's summary CSV
``summary_step``   concatenate the case summaries        -> results/parity/summary.csv
``provenance_step`` versions, hashes, shims              -> results/parity/provenance.json
``gate_step``      fail the run if any row is not ``pass`` -> results/parity/gate.txt
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

import numpy as np

from . import report
from .artifacts import ArtifactError, read_engine_output, write_atomic, write_engine_output
from .cases import OCTAVE, PYTHON, ConfigError, Settings, resolve_callable
from .octave import OctaveError, run_script
from .parity import compare, write_elements_csv
from .reference import ReferenceFileError, load_reference

__all__ = ["PortError", "USER_ERRORS", "octave_step", "python_step", "parity_step", "summary_step",
           "provenance_step", "gate_step", "run_step"]

Log = Callable[[str], None]


class PortError(ValueError):
    """The Python side of a case returned something that cannot be compared."""


USER_ERRORS = (ConfigError, OctaveError, ArtifactError, ReferenceFileError, PortError, report.ParityGateError)


def _quiet(line: str) -> None:
    pass


def octave_step(settings: Settings, case_name: str, output, log: Log = _quiet) -> None:
    """Run the case's script in Octave and store the requested variables with their MATLAB metadata.

    A variable the script does not define is logged (with those it did define) and left out of the
    engine file, so the comparison reports it as ``missing`` and the gate fails on it.
    """
    case = settings.case(case_name)
    log(f"[rnncore] running {case.script} in Octave (timeout {settings.timeout_s:g} s)")
    result = run_script(case.script, case.variables, shim_dirs=settings.shim_dirs, timeout=settings.timeout_s,
                        log=log, require_all=False)
    if result.missing:
        log(f"[rnncore] WARNING: {case.script} did not define {', '.join(result.missing)}; it defined: "
            f"{', '.join(result.workspace) or '(nothing)'}")
    log(f"[rnncore] shims on the path: {', '.join(result.shims_on_path) or 'none'}; "
        f"called by the script: {', '.join(result.shims_used) or 'none'}")
    meta = {
        "versions": result.versions,
        "sizes": {k: list(v) for k, v in result.sizes.items()},
        "shims_used": list(result.shims_used),
        "shims_on_path": list(result.shims_on_path),
        "missing": list(result.missing),
        "workspace": list(result.workspace),
    }
    write_engine_output(output, OCTAVE, result.values, result.classes, meta)


def python_step(settings: Settings, case_name: str, output, log: Log = _quiet) -> None:
    """Call the case's Python function and store the requested variables."""
    case = settings.case(case_name)
    func = resolve_callable(case.python)
    log(f"[rnncore] calling {case.python}()")
    values = func()
    if not isinstance(values, Mapping):
        raise PortError(f"{case.python} returned {type(values).__name__}; it must return a mapping of "
                        f"variable names to arrays")
    kept = {}
    for name in case.variables:
        if name not in values:
            log(f"[rnncore] WARNING: {case.python} did not return {name}; it returned: "
                f"{', '.join(sorted(map(str, values)))}")
            continue
        arr = np.asarray(values[name])
        if arr.dtype.kind not in "biuf":
            raise PortError(f"{case.python}: variable {name!r} has dtype {arr.dtype}; return real numeric arrays")
        if arr.ndim < 2:
            raise PortError(f"{case.python}: variable {name!r} has shape {arr.shape}; return MATLAB-shaped "
                            f"arrays (at least 2-D, e.g. ({arr.size}, 1) for a column)")
        kept[name] = arr
    missing = [v for v in case.variables if v not in kept]
    write_engine_output(output, PYTHON, kept, None, {"python": case.python, "missing": missing})


def _engine(path, expected: str) -> tuple[dict[str, np.ndarray], dict]:
    engine, values, doc = read_engine_output(path)
    if engine != expected:
        raise ArtifactError(f"{path}: holds {engine!r} results where {expected!r} results were expected")
    return values, doc


def parity_step(settings: Settings, case_name: str, octave_file, python_file, elements_dir, summary_file,
                log: Log = _quiet) -> list[dict]:
    """Compare every configured pair of the case, variable by variable.

    Writes ``elements_dir/<left>-vs-<right>/<variable>.csv`` (one row per element) and the case's
    summary rows to ``summary_file``; returns the rows. A failing comparison is data, not an error:
    the gate step decides.
    """
    case = settings.case(case_name)
    sides = {OCTAVE: _engine(octave_file, OCTAVE)[0], PYTHON: _engine(python_file, PYTHON)[0]}
    if case.reference:
        sides[case.reference.name] = load_reference(case.reference.file)
    rows = []
    for left, right, tol in case.pairs():
        for variable in case.variables:
            cmp = compare(variable, left, sides[left].get(variable), right, sides[right].get(variable), tol)
            write_elements_csv(cmp, Path(elements_dir) / f"{left}-vs-{right}" / f"{variable}.csv")
            row = {"case": case.name, **cmp.summary_row()}
            rows.append(row)
            log(f"[rnncore] {case.name} {variable} {left}-vs-{right}: {row['status']} "
                f"(max_ulp {row['max_ulp'] or 'n/a'}, max_abs_err {row['max_abs_err']}, {row['tolerance']})")
    report.write_summary(rows, summary_file)
    return rows


def summary_step(settings: Settings, case_summaries: Mapping[str, str | Path], output, log: Log = _quiet) -> list[dict]:
    """Concatenate the per-case summaries in configuration order into ``output``."""
    rows = []
    for case in settings.cases:
        case_rows = report.read_summary(case_summaries[case.name])
        if any(r["case"] != case.name for r in case_rows):
            raise ArtifactError(f"{case_summaries[case.name]}: holds rows of another case than {case.name!r}")
        rows += case_rows
    report.write_summary(rows, output)
    counts = {s: sum(r["status"] == s for r in rows) for s in dict.fromkeys(r["status"] for r in rows)}
    log(f"[rnncore] {len(rows)} comparisons: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return rows


def provenance_step(settings: Settings, octave_files: Mapping[str, str | Path], output, log: Log = _quiet) -> dict:
    """Record versions, hashes and the shims each case used, beside the reports."""
    docs = {name: _engine(path, OCTAVE)[1] for name, path in octave_files.items()}
    doc = report.provenance(settings.root, settings, docs)
    report.write_provenance(doc, output)
    for name, entry in doc["cases"].items():
        log(f"[rnncore] {name}: shims used: {', '.join(entry['shims_used']) or 'none'}")
    return doc


def gate_step(summary_file, output, log: Log = _quiet) -> str:
    """Raise :class:`report.ParityGateError` naming every row that is not ``pass``; else write ``output``."""
    verdict = report.check_gate(report.read_summary(summary_file), Path(summary_file).parent)
    log(f"[rnncore] {verdict}")
    write_atomic(output, verdict + "\n")
    return verdict


def run_step(step: Callable, log_path, **kwargs) -> None:
    """Run ``step`` for a Snakemake rule: lines go to the rule's log; expected errors exit 1 without a traceback.

    The log keeps everything (Octave's output, warnings, the error); the error message is also
    printed to stderr so that it shows in Snakemake's own output.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as fh:
        def log(line: str) -> None:
            fh.write(line + "\n")
            fh.flush()

        try:
            step(log=log, **kwargs)
        except USER_ERRORS as exc:
            log(f"[rnncore] ERROR: {exc}")
            print(f"rnncore: {exc}", file=sys.stderr)
            sys.exit(1)
        except Exception:
            log(traceback.format_exc())
            raise
