"""The workflow's steps as plain functions; ``workflow/scripts/*.py`` only call them.

Each step reads its inputs, writes its outputs atomically (a reader sees a whole file or none)
and reports through ``log``, a callable taking one line. Tests call the steps directly; Snakemake
only wires them together. Expected failures (bad configuration, Octave missing or failing, a
damaged intermediate file, a failed parity gate) raise one of :data:`USER_ERRORS`, whose message
is meant for a person; :func:`run_step` prints it without a traceback and exits non-zero.

Steps, in workflow order:

``inputs_step``    draw the case's inputs once, for both engines -> results/engines/<case>/inputs.json
``octave_step``    run a case's MATLAB script in Octave -> engine file (results/engines/<case>/octave.json)
``python_step``    run a case's Python callable          -> engine file (results/engines/<case>/python.json)
``parity_step``    compare every pair and variable       -> element CSVs + the case's summary CSV
``summary_step``   concatenate the case summaries        -> results/parity/summary.csv
``provenance_step`` versions, hashes, shims              -> results/parity/provenance.json
``gate_step``      fail the run if any row is not ``pass`` -> results/parity/gate.txt
"""

from __future__ import annotations

import shutil
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

import numpy as np

from rnncore.engine import summary as report
from rnncore.io import ArtifactError, read_engine_draws, write_atomic, write_engine_draws
from rnncore.config import OCTAVE, PYTHON, Case, ConfigError, Settings, resolve_callable
from rnncore.engine.inputs import draw_inputs
from rnncore.engine.octave import OctaveError, run_function_draws, run_script
from rnncore.engine.parity import compare, write_elements_csv
from rnncore.engine.reference import ReferenceFileError, load_reference

__all__ = ["PortError", "USER_ERRORS", "inputs_step", "octave_step", "python_step", "parity_step", "summary_step",
           "provenance_step", "gate_step", "run_step"]

Log = Callable[[str], None]

INPUTS = "inputs"  # engine label of the drawn inputs file


class PortError(ValueError):
    """The Python side of a case returned something that cannot be compared."""


USER_ERRORS = (ConfigError, OctaveError, ArtifactError, ReferenceFileError, PortError, report.ParityGateError)


def _quiet(line: str) -> None:
    pass


def inputs_step(settings: Settings, case_name: str, output, log: Log = _quiet) -> list[dict]:
    """Draw the case's inputs once (seeded, in Python) for both engines; see :mod:`rnncore.engine.inputs`."""
    case = settings.case(case_name)
    if case.inputs_from:
        spec, args = case.inputs_from
        made = resolve_callable(spec)(**dict(args))
        if not isinstance(made, Mapping):
            raise PortError(f"{spec} returned {type(made).__name__}; it must return a mapping of names to arrays")
        draws = [{name: np.asarray(v, dtype=np.float64) for name, v in made.items()}]
        log(f"[rnncore] {case.name}: inputs {', '.join(draws[0])} from {spec}({dict(args)})")
    else:
        draws = draw_inputs(case.inputs, case.draws, case.seed)
    if case.inputs:
        log(f"[rnncore] {case.name}: {len(draws)} draw(s) of {', '.join(case.inputs)} (seed {case.seed})")
    write_engine_draws(output, INPUTS, draws, None, {"seed": case.seed, "names": list(draws[0])})
    return draws


def _inputs(path, case: Case) -> list[dict[str, np.ndarray]]:
    engine, draws, _ = read_engine_draws(path)
    names_ok = case.inputs_from is not None or all(set(d) == set(case.inputs) for d in draws)
    if engine != INPUTS or len(draws) != case.draws or not names_ok:
        raise ArtifactError(f"{path}: does not hold the {case.draws} draw(s) of ({', '.join(case.inputs)}) the "
                            f"configuration asks for; delete it and rerun")
    return draws


def octave_step(settings: Settings, case_name: str, inputs_file, output, log: Log = _quiet) -> None:
    """Run the case's .m file in Octave and store the requested variables with their MATLAB metadata.

    A script runs once, with the inputs assigned in its workspace first; a function file is called
    once per draw with the inputs as arguments, all draws in one session. A variable a script does
    not define is logged (with those it did define) and left out of the engine file, so the
    comparison reports it as ``missing`` and the gate fails on it.
    """
    case = settings.case(case_name)
    draws = _inputs(inputs_file, case)
    log(f"[rnncore] running {case.script} in Octave ({case.kind}, {len(draws)} draw(s), "
        f"timeout {settings.timeout_s:g} s)")
    if case.kind == "function":
        result = run_function_draws(case.script, list(case.inputs) or list(draws[0]), case.outputs, draws,
                                    shim_dirs=settings.shim_dirs, timeout=settings.timeout_s, log=log)
        values = [{v: d[v] for v in case.variables} for d in result.draws]
        classes = [{v: c[v] for v in case.variables} for c in result.classes]
        meta = {"missing": [], "workspace": []}
    else:
        result = run_script(case.script, case.variables, shim_dirs=settings.shim_dirs, timeout=settings.timeout_s,
                            log=log, require_all=False, inputs=draws[0])
        if result.missing:
            log(f"[rnncore] WARNING: {case.script} did not define {', '.join(result.missing)}; it defined: "
                f"{', '.join(result.workspace) or '(nothing)'}")
        for name, why in result.unsupported.items():
            log(f"[rnncore] WARNING: {why}")
        values, classes = [result.values], [result.classes]
        meta = {"missing": list(result.missing), "workspace": list(result.workspace),
                "unsupported": result.unsupported,
                "sizes": {k: list(v) for k, v in result.sizes.items()}}
    log(f"[rnncore] shims on the path: {', '.join(result.shims_on_path) or 'none'}; "
        f"called: {', '.join(result.shims_used) or 'none'}")
    meta.update(versions=result.versions, shims_used=list(result.shims_used),
                shims_on_path=list(result.shims_on_path),
                preflight=[{"kind": f.kind, "severity": f.severity, "message": f.message} for f in result.findings])
    write_engine_draws(output, OCTAVE, values, classes, meta)


def python_step(settings: Settings, case_name: str, inputs_file, output, log: Log = _quiet) -> None:
    """Call the case's Python function (once per draw, given the inputs) and store the requested variables."""
    case = settings.case(case_name)
    draws = _inputs(inputs_file, case)
    func = resolve_callable(case.python)
    log(f"[rnncore] calling {case.python} on {len(draws)} draw(s)")
    kept_draws, kept_classes = [], []
    for i, draw in enumerate(draws):
        where = f"{case.python}" + (f" (draw {i + 1})" if len(draws) > 1 else "")
        values = func(dict(draw)) if draw else func()
        if not isinstance(values, Mapping):
            raise PortError(f"{where} returned {type(values).__name__}; it must return a mapping of "
                            f"variable names to arrays")
        kept, classes = {}, {}
        for name in case.variables:
            if name not in values:
                if i == 0:
                    log(f"[rnncore] WARNING: {where} did not return {name}; it returned: "
                        f"{', '.join(sorted(map(str, values)))}")
                continue
            value = values[name]
            if isinstance(value, str):
                # MATLAB text: a 1xN char array, compared by character codes like the Octave side.
                value = np.array([[ord(c) for c in value]], dtype=np.float64).reshape(1, len(value))
                classes[name] = "char"
            arr = np.asarray(value)
            if arr.dtype.kind not in "biuf":
                raise PortError(f"{where}: variable {name!r} has dtype {arr.dtype}; return real numeric arrays "
                                f"(or a str for MATLAB text)")
            classes.setdefault(name, "logical" if arr.dtype.kind == "b" else "double")
            if arr.ndim < 2:
                raise PortError(f"{where}: variable {name!r} has shape {arr.shape}; return MATLAB-shaped "
                                f"arrays (at least 2-D, e.g. ({arr.size}, 1) for a column)")
            kept[name] = arr
        kept_draws.append(kept)
        kept_classes.append(classes)
    missing = [v for v in case.variables if v not in kept_draws[0]]
    write_engine_draws(output, PYTHON, kept_draws, kept_classes, {"python": case.python, "missing": missing})


def _engine(path, expected: str, n: int | None = None) -> tuple[list[dict[str, np.ndarray]], dict]:
    engine, draws, doc = read_engine_draws(path)
    if engine != expected:
        raise ArtifactError(f"{path}: holds {engine!r} results where {expected!r} results were expected")
    if n is not None and len(draws) != n:
        raise ArtifactError(f"{path}: holds {len(draws)} draw(s) where {n} were expected; delete it and rerun")
    return draws, doc


def parity_step(settings: Settings, case_name: str, octave_file, python_file, elements_dir, summary_file,
                log: Log = _quiet) -> list[dict]:
    """Compare every configured pair of the case, variable by variable (and draw by draw).

    Writes ``elements_dir/<left>-vs-<right>/<variable>.csv`` (one row per element; for a case with
    several draws, the elements of the worst draw, and ``<variable>.draws.csv`` with one row per
    draw) and the case's summary rows to ``summary_file``; returns the rows. A failing comparison
    is data, not an error: the gate step decides.
    """
    case = settings.case(case_name)
    (octave_draws, octave_doc), (python_draws, _) = (_engine(octave_file, OCTAVE, case.draws),
                                                     _engine(python_file, PYTHON, case.draws))
    sides = {OCTAVE: octave_draws, PYTHON: python_draws}
    unsupported = {OCTAVE: octave_doc.get("meta", {}).get("unsupported", {})}
    if case.reference:
        sides[case.reference.name] = [load_reference(case.reference.file)]
    rows = []
    for left, right, tol in case.pairs():
        for variable in case.variables:
            why = [unsupported[side][variable] for side in (left, right) if variable in unsupported.get(side, {})]
            if why:
                rows.append(report.unsupported_row(case.name, variable, left, right, tol, case.draws))
                log(f"[rnncore] {case.name} {variable} {left}-vs-{right}: unsupported: {why[0]}")
                continue
            comps = [compare(variable, left, lv.get(variable), right, rv.get(variable), tol)
                     for lv, rv in zip(sides[left], sides[right])]
            row, worst, draw_rows = report.aggregate_draws(case.name, comps)
            pair_dir = Path(elements_dir) / f"{left}-vs-{right}"
            write_elements_csv(comps[worst], pair_dir / f"{variable}.csv")
            if len(comps) > 1:
                report.write_draws(draw_rows, pair_dir / f"{variable}.draws.csv")
            rows.append(row)
            worst_at = f", worst draw {row['worst_draw']} of {row['draws']}" if len(comps) > 1 else ""
            log(f"[rnncore] {case.name} {variable} {left}-vs-{right}: {row['status']} "
                f"(max_ulp {row['max_ulp'] or 'n/a'}, max_abs_err {row['max_abs_err']}, {row['tolerance']}{worst_at})")
    report.write_summary(rows, summary_file)
    return rows


def summary_step(settings: Settings, case_summaries: Mapping[str, str | Path], output, log: Log = _quiet,
                 divergence=None) -> list[dict]:
    """Concatenate the per-case summaries in configuration order into ``output``.

    With ``divergence`` (a path), also write one row per training case (a case comparing a
    ``losses`` curve): the first epoch where Octave and Python part beyond tolerance, and how the
    difference grows over the epochs (:func:`report.divergence_row`).
    """
    rows = []
    for case in settings.cases:
        case_rows = report.read_summary(case_summaries[case.name])
        if any(r["case"] != case.name for r in case_rows):
            raise ArtifactError(f"{case_summaries[case.name]}: holds rows of another case than {case.name!r}")
        rows += case_rows
    report.write_summary(rows, output)
    if divergence is not None:
        div = []
        for case in settings.cases:
            if "losses" in case.variables:
                table = Path(case_summaries[case.name]).parent / "elements" / "octave-vs-python" / "losses.csv"
                row = report.divergence_row(case.name, table)
                row["tolerance"] = case.tolerance.describe()
                div.append(row)
                log(f"[rnncore] {case.name}: loss curves within {row['tolerance']} "
                    + (f"until epoch {row['first_divergence_epoch']}" if row["first_divergence_epoch"] else
                       f"at all {row['epochs']} epochs") + f"; max {row['max_ulp']} ULP at epoch {row['max_ulp_epoch']}")
        report.write_divergence(div, divergence)
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


def train_step(settings: Settings, run_id: str, output, log: Log = _quiet) -> None:
    """Train one run of the grid (progress goes to ``log``) and store its losses and metrics."""
    from rnncore.studies.training import train_run, write_run

    result = train_run(settings.run(run_id), log=log)
    write_run(result, output)


TRAINING_ERROR_COLUMNS = ["run_id", "stem", "suffix", "predicted"]


def training_report_step(settings: Settings, run_files: Mapping[str, str | Path], metrics, summary, pig, errors,
                         log: Log = _quiet, by_ending=None) -> None:
    """Aggregate the runs: one metrics row per run, mean and spread over seeds, PIG predictions,
    the held-out stems each plural model gets wrong and (``by_ending``) its held-out accuracy per ending."""
    from rnncore.studies import training

    results = [training.read_run(run_files[spec.run_id]) for spec in settings.training]
    training.write_csv(training.metrics_rows(results), training.METRICS_COLUMNS, metrics)
    summary_rows = training.summary_rows(results)
    training.write_csv(summary_rows, training.SUMMARY_COLUMNS, summary)
    training.write_csv(training.pig_rows(results), training.PIG_COLUMNS, pig)
    wrong = [{"run_id": r.run_id, "stem": stem, "suffix": true, "predicted": predicted}
             for r in sorted(results, key=lambda r: r.run_id) if r.spec.task == "plural"
             for stem, true, predicted in r.errors]
    training.write_csv(wrong, TRAINING_ERROR_COLUMNS, errors)
    if by_ending is not None:
        training.write_csv(training.heldout_by_ending_rows(results), training.HELDOUT_BY_ENDING_COLUMNS, by_ending)
    for row in summary_rows:
        log(f"[rnncore] {row['task']} {row['model']} h{row['hidden']}: held-out {row['heldout_acc_mean']} "
            f"(std {row['heldout_acc_std']}) over {row['n_seeds']} seed(s), train {row['train_acc_mean']}")


def lag_step(model: str, lag: int, seeds, hyper: Mapping, output, log: Log = _quiet) -> None:
    """Train ``model`` on the long-lag task at lag ``lag`` for every seed; one CSV row per seed."""
    from rnncore.studies import longlag

    specs = longlag.lag_grid(models=[model], lags=[lag], seeds=seeds, **dict(hyper))
    results = []
    for spec in specs:
        r = longlag.train_lag(spec, log)
        log(f"[rnncore] {model} L={lag} seed {spec.seed}: accuracy {r.accuracy:.4f} after {r.steps} steps "
            f"({r.wall_s:.1f} s)")
        results.append(r)
    longlag.write_lag_csv(results, output)


def _read_csv(path) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


def lag_report_step(run_files, rows_out, summary_out, plot_out, log: Log = _quiet) -> list[dict]:
    """Concatenate the long-lag runs; mean, min and max accuracy per (model, lag) over seeds; the plot."""
    from rnncore.studies import longlag
    from rnncore.reports import figures as plots

    rows = [r for path in run_files for r in _read_csv(path)]
    longlag.write_rows_csv(rows, longlag.LAG_COLUMNS, rows_out)
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["model"], int(r["lag"])), []).append(r)
    summary = []
    for (model, lag), rs in groups.items():
        acc = [float(r["accuracy"]) for r in rs]
        summary.append({"model": model, "lag": lag, "n_seeds": len(rs), "mean_accuracy": float(np.mean(acc)),
                        "min_accuracy": min(acc), "max_accuracy": max(acc),
                        "mean_steps": float(np.mean([float(r["steps"]) for r in rs]))})
        log(f"[rnncore] {model} L={lag}: mean accuracy {np.mean(acc):.4f}, min {min(acc):.4f} over {len(rs)} seeds")
    longlag.write_rows_csv(summary, longlag.LAG_SUMMARY_COLUMNS, summary_out)
    plots.plot_accuracy_vs_lag(summary, plot_out)
    return summary


def vanishing_step(lag: int, seed: int, hyper: Mapping, csv_out, plot_out, log: Log = _quiet) -> None:
    """||dLoss/dh_t|| against the distance from the loss, for each model at init and after training."""
    from rnncore.reports import figures as plots
    from rnncore.studies import vanishing

    rows = vanishing.study(lag, seed, log=log, **dict(hyper))
    vanishing.write_vanishing_csv(rows, csv_out)
    plots.plot_vanishing(rows, plot_out)


def invalidate_stale_reports(settings: Settings, results="results", log: Log = _quiet) -> list[Path]:
    """After a failed run, delete every parity report that no longer matches its inputs.

    Snakemake deletes the outputs of a failed job, but a report made by an earlier run from inputs
    that this run has since deleted or remade would stay and look complete. A report is stale when
    one of its inputs is missing or newer than it; removing a stale report makes the reports built
    on it stale in turn. What was removed is listed in ``parity/INCOMPLETE.txt``, which the next
    successful run deletes. Returns the removed paths.
    """
    results = Path(results)
    parity, engines = results / "parity", results / "engines"
    plan = []  # (report, its inputs, extra paths removed with it), upstream first
    for case in settings.cases:
        plan.append((parity / case.name / "summary.csv",
                     [engines / case.name / f for f in ("inputs.json", "octave.json", "python.json")],
                     [parity / case.name / "elements"]))
    plan.append((parity / "summary.csv", [parity / c.name / "summary.csv" for c in settings.cases], []))
    plan.append((parity / "training_divergence.csv", [parity / c.name / "summary.csv" for c in settings.cases], []))
    plan.append((parity / "provenance.json", [engines / c.name / "octave.json" for c in settings.cases], []))
    plan.append((parity / "gate.txt", [parity / "summary.csv", parity / "provenance.json"], []))
    removed = []
    for report_path, inputs, extra in plan:
        if not report_path.exists():
            continue
        built = report_path.stat().st_mtime
        if any(not p.exists() or p.stat().st_mtime > built for p in inputs):
            for p in (report_path, *extra):
                if p.is_dir():
                    shutil.rmtree(p)
                elif p.exists():
                    p.unlink()
                removed.append(p)
    if removed:
        note = ("The last `snakemake all` failed before these reports could be remade from its inputs, so\n"
                "they were removed rather than left to describe an earlier run:\n"
                + "".join(f"  {p}\n" for p in removed) + "Fix the error above and run `snakemake all` again.\n")
        write_atomic(parity / "INCOMPLETE.txt", note)
        for p in removed:
            log(f"[rnncore] removed stale report {p}")
    return removed


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
