"""The workflow's steps as plain functions; the rules in ``workflow/rules/`` only wire them.

Each step takes its slice of the configuration as plain data (a case's :meth:`rnncore.config.Case.params`,
a training run, a study cell), reads its inputs, writes its outputs atomically and reports through
``log``, a callable taking one line. Tests call the steps directly. A step imports what it needs
inside its body: the files a rule runs are found from those imports (:func:`rnncore.pipeline.sources.step_sources`),
so that editing a module reruns exactly the steps that use it.

Parity, per case (``inputs_step`` -> ``octave_step`` and ``python_step`` -> ``compare_step``), then
for all cases (``summary_step``, ``verdict_step``, ``gate_step``, ``provenance_step``). A case
whose Octave or Python side fails (an error in the ``.m`` file, a timeout, an exception or an
import error in the port, a ``.m`` file that does not match its configuration) is written as that
side's error, and becomes the case's ``error`` rows: the other cases are compared and reported as
usual, and the gate fails at the end naming every row that did not pass. Only what stops every
case (Octave missing, a damaged intermediate file, a full disk) fails a job.

Training and the studies: ``train_step``, ``training_report_step``, ``lag_step``,
``lag_report_step``, ``vanishing_step``. Reports: ``report_step``, ``junit_step``, ``notebook_step``,
``notebook_index_step``, and
``reconcile_reports``, run after every workflow run, which removes any report that no longer
describes the current verdict.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rnncore import layout
from rnncore.io import EngineFile, Value, read_engine, write_atomic, write_engine

__all__ = ["inputs_step", "octave_step", "python_step", "compare_step", "summary_step", "verdict_step", "gate_step",
           "provenance_step", "train_step", "training_report_step", "lag_step", "lag_report_step", "vanishing_step",
           "report_step", "junit_step", "notebook_step", "notebook_index_step", "reconcile_reports"]

Log = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


def _tolerance(tol: Mapping):
    from rnncore.engine.parity import Tolerance

    return Tolerance(ulp=int(tol["ulp"]), atol=float(tol["atol"]))


# --------------------------------------------------------------------------- parity, per case


def inputs_step(case: Mapping, output, project=".", log: Log = _quiet) -> EngineFile:
    """Draw the case's inputs once (seeded, in Python) for both engines, or make them with its
    ``inputs_from`` function; a failure of that function is written as the inputs' error."""
    from rnncore.engine.inputs import draw_inputs
    from rnncore.engine.ports import USER_CODE, locate, resolve
    from rnncore.errors import ConfigError

    if case.get("captured"):  # the calls the course's scripts made, stored by `rnncore add <folder>`
        stored = read_engine(Path(project) / case["captured"]["file"], "inputs")
        draws = [{n: d[n] for n in case["inputs"]} for d in stored.draws]
        log(f"[rnncore] {case['name']}: {len(draws)} captured call(s) from {case['captured']['file']}")
        doc = EngineFile("inputs", draws, {"seed": 0, "names": list(case["inputs"]), "captured": stored.meta})
    elif case["inputs_from"]:
        target, args = case["inputs_from"]["function"], case["inputs_from"]["args"]
        try:
            with USER_CODE:
                made = resolve(target, project, key="inputs_from.function")(**args)
            if not isinstance(made, Mapping):
                raise TypeError(f"{target} returned {type(made).__name__}; it must return a mapping of names to arrays")
            draws = [{name: _array_value(name, v, target) for name, v in made.items()}]
        except ConfigError as exc:
            doc = EngineFile("inputs", [], {"seed": case["seed"]}, error=str(exc))
        except Exception as exc:  # the course's own code failed: the case's error, with its file and line
            doc = EngineFile("inputs", [], {"seed": case["seed"]}, error=f"{target}: {locate(exc, project)}")
        else:
            log(f"[rnncore] {case['name']}: inputs {', '.join(draws[0])} from {target}({args})")
            doc = EngineFile("inputs", draws, {"seed": case["seed"], "names": list(draws[0])})
    else:
        arrays = draw_inputs(case["inputs"], case["draws"], case["seed"])
        draws = [{n: Value("double", a.shape, data=a) for n, a in d.items()} for d in arrays]
        if case["inputs"]:
            log(f"[rnncore] {case['name']}: {len(draws)} draw(s) of {', '.join(case['inputs'])} (seed {case['seed']})")
        doc = EngineFile("inputs", draws, {"seed": case["seed"], "names": list(case["inputs"])})
    if doc.error:
        log(f"[rnncore] {case['name']}: ERROR making the inputs: {doc.error}")
    write_engine(output, doc)
    return doc


def _array_value(name: str, value, where: str) -> Value:
    import numpy as np

    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim < 2:
        raise ValueError(f"{where}: input {name!r} has shape {arr.shape}; inputs are MATLAB-shaped (at least 2-D)")
    return Value("double", arr.shape, data=arr)


def _inputs(path, case: Mapping) -> EngineFile:
    doc = read_engine(path, "inputs")
    if doc.error is None and len(doc.draws) != case["draws"]:
        from rnncore.errors import ArtifactError

        raise ArtifactError(f"{path}: holds {len(doc.draws)} draw(s) where the configuration asks for "
                            f"{case['draws']}; delete it and rerun")
    return doc


def octave_step(case: Mapping, inputs_file, output, log: Log = _quiet) -> EngineFile:
    """Run the case's ``.m`` file in Octave and store the requested variables with their MATLAB metadata.

    A script runs once, with the inputs assigned in its workspace first; a function file is called
    once per draw with the inputs as arguments, all draws in one session. Pre-flight warnings go to
    the log and, one line each, to stderr. A failure of the file (or a file that does not match its
    configuration) is written as the Octave side's error; only Octave missing raises.
    """
    from rnncore.engine.octave import OctaveError, OctaveNotFoundError, draws_random
    from rnncore.pipeline import sources
    from rnncore.engine.preflight import scan_m_file, script_problems

    inputs = _inputs(inputs_file, case)
    script = Path(case["script"])
    meta: dict = {}
    if inputs.error:
        doc = EngineFile("octave", [], meta, error=f"not run: the case's inputs failed: {inputs.error}")
        log(f"[rnncore] {case['name']}: {doc.error}")
        write_engine(output, doc)
        return doc
    scan = scan_m_file(script)
    problems = script_problems(script, case["inputs"], case["inputs_from"], case["variables"], case["draws"], scan,
                               leading=bool(case.get("captured")))
    if problems:
        doc = EngineFile("octave", [], meta, error=f"{script}: " + "; ".join(problems))
        log(f"[rnncore] {case['name']}: ERROR {doc.error}")
        write_engine(output, doc)
        return doc
    arrays = [{n: v.plain() for n, v in d.items()} for d in inputs.draws]
    log(f"[rnncore] running {script} in Octave ({scan.kind}, {len(arrays)} draw(s), timeout {case['timeout_s']:g} s)")
    record = draws_random(script, cached=sources.cached)
    try:
        result, draws, side = octave_side(script, scan, list(case["inputs"]) or list(arrays[0]), arrays,
                                          case["variables"], shims=case["shims"], timeout=case["timeout_s"], log=log,
                                          record=record)
        meta.update(side)
    except OctaveNotFoundError:
        raise
    except OctaveError as exc:
        doc = EngineFile("octave", [], meta, error=str(exc))
        log(f"[rnncore] {case['name']}: ERROR {exc}")
        print(f"rnncore: {case['name']}: {exc}", file=sys.stderr)
        write_engine(output, doc)
        return doc
    if record:  # the port replays these (python_step's random_file): stored with the run, exactly
        draws[0][RANDOM_VARIABLE] = _random_value(result.random)
        log(f"[rnncore] recorded {len(result.random)} random draw(s) for the port to replay")
    for f in result.findings:
        if f.severity == "warning":
            print(f"rnncore: {case['name']}: pre-flight: {f.message}", file=sys.stderr)
    log(f"[rnncore] shims on the path: {', '.join(result.shims_on_path) or 'none'}; "
        f"called: {', '.join(result.shims_used) or 'none'}")
    meta.update(versions=result.versions, shims_used=list(result.shims_used), shims_on_path=list(result.shims_on_path),
                preflight=[{"kind": f.kind, "severity": f.severity, "message": f.message} for f in result.findings])
    doc = EngineFile("octave", draws, meta)
    write_engine(output, doc)
    return doc


def octave_side(script: Path, scan, names, arrays: list[Mapping], variables, *, shims, timeout: float, log: Log,
                record: bool):
    """Run one case's ``.m`` file in Octave: the one code path of the workflow (:func:`octave_step`) and of
    :func:`rnncore.tool.testing.parity`.

    A function file is called once per draw of ``arrays`` with ``names`` as its arguments, in order, all
    draws in one session; a script runs once with ``arrays[0]`` assigned in its workspace first. Returns
    the engine's result, one mapping of ``variables`` (a function's outputs by their own name: ``s.f``
    keeps ``s``) to :class:`Value` per draw, and the engine file's metadata of what was missing or could
    not be compared. A failure of the file raises :class:`rnncore.engine.octave.OctaveError`.
    """
    from rnncore.engine.octave import run_function_draws, run_script

    if scan.kind == "function":
        wanted = [v.split(".")[0] for v in variables]
        result = run_function_draws(script, names, _asked(scan.outputs, wanted), arrays, shim_dirs=shims,
                                    timeout=timeout, log=log, record_random=record)
        draws = [{v: d[v] for v in wanted if v in d} for d in result.matlab]
        return result, draws, {"missing": [], "unsupported": {}, "workspace": []}
    result = run_script(script, variables, shim_dirs=shims, timeout=timeout, log=log, require_all=False,
                        inputs=arrays[0], record_random=record)
    if result.missing:
        log(f"[rnncore] WARNING: {script} did not define {', '.join(result.missing)}; it defined: "
            f"{', '.join(result.workspace) or '(nothing)'}")
    for why in result.unsupported.values():
        log(f"[rnncore] WARNING: {why}")
    return result, [dict(result.matlab)], {
        "missing": list(result.missing), "unsupported": result.unsupported, "workspace": list(result.workspace),
        "classes": {n: c for n, (c, _) in result.described.items()}}


def _asked(outputs, wanted) -> list[str]:
    """The outputs to ask a function file for: up to the last one the case compares, as MATLAB's
    ``h = f(x)`` asks only for the first (a function may leave a later output unassigned when its
    caller's nargout does not ask for it)."""
    last = max((outputs.index(v) + 1 for v in wanted if v in outputs), default=len(outputs))
    return list(outputs[:last])


def python_step(case: Mapping, inputs_file, output, project=".", log: Log = _quiet, random_file=None) -> EngineFile:
    """Call the case's Python function (once per draw, given the inputs) and store what it returns.

    An import error or an exception of the port is written as the Python side's error, with the
    file and line in the course's code. A translated port reads data files (``load``...) from the
    script's folder, as the Octave run does. With ``random_file`` (the case's Octave engine file, for a
    script that draws random numbers), the port's ``rand``, ``randn``, ``randi`` and ``randperm``
    return the numbers Octave drew, in the same order (:func:`rnncore.translate.runtime.random.replaying`).
    """
    from rnncore.engine.ports import locate, resolve
    from rnncore.errors import ConfigError, PortError

    inputs = _inputs(inputs_file, case)
    target = case["python"]
    if inputs.error:
        doc = EngineFile("python", [], {"python": target}, error=f"not run: the case's inputs failed: {inputs.error}")
        write_engine(output, doc)
        return doc
    log(f"[rnncore] calling {target} on {len(inputs.draws)} draw(s)")
    replay = _random_stream(random_file, log)
    try:  # a port reads its data files from the script's folder, as the Octave run does
        with port_surroundings(Path(project) / Path(case["script"]).parent, replay):
            func = resolve(target, project)
            side = python_side(func, [{n: v.plain() for n, v in d.items()} for d in inputs.draws], list(case["inputs"]),
                               case["variables"], target, log)
    except (ConfigError, PortError) as exc:
        doc = EngineFile("python", [], {"python": target}, error=str(exc))
    except Exception as exc:  # the port failed: its own file and line
        doc = EngineFile("python", [], {"python": target}, error=f"{target}: {locate(exc, project)}")
    else:
        doc = EngineFile("python", side.draws, {"python": target, "missing": side.missing,
                                                "unsupported": side.unsupported, "problems": side.problems,
                                                "library": side.library, "library_values": side.library_values})
    if doc.error:
        log(f"[rnncore] {case['name']}: ERROR {doc.error}")
        print(f"rnncore: {case['name']}: {doc.error}", file=sys.stderr)
    for name, why in {**doc.meta.get("unsupported", {}), **doc.meta.get("problems", {})}.items():
        log(f"[rnncore] WARNING: {why}")
    write_engine(output, doc)
    return doc


@dataclass(frozen=True)
class PortRun:
    """What a port gave for one case (:func:`python_side`)."""

    draws: list  # per draw: variable -> Value, for each variable it returned and that can be compared
    missing: list  # variables the port did not return
    unsupported: dict  # variable -> why: a dict (a MATLAB struct) returned whole
    problems: dict  # variable -> why: a value that cannot be compared (rnncore.engine.ports.to_value)
    returned: list  # the names the port returned (of the first draw), sorted
    # library routine -> {"calls", "detail"}: what the port called that no port reproduces bit for bit
    # (the translator's runtime records it: rnncore.translate.runtime.provenance)
    library: dict = field(default_factory=dict)
    library_values: dict = field(default_factory=dict)  # variable -> the routine it came from whole


@contextlib.contextmanager
def port_surroundings(folder, replay):
    """What a port runs inside: one user call at a time (:data:`rnncore.engine.ports.USER_CODE`), the
    Octave run's random draws replayed (``replay``, a context manager), relative file names taken from
    the script's ``folder``."""
    from rnncore.engine.ports import USER_CODE
    from rnncore.translate.runtime.files import in_folder

    with USER_CODE, replay, in_folder(folder):
        yield


def python_side(func, draws: list[Mapping], names, variables, where: str, log: Log = _quiet) -> PortRun:
    """Call a port once per draw and keep ``variables`` as MATLAB values: the one code path of the
    workflow (:func:`python_step`) and of :func:`rnncore.tool.testing.parity`. A port that returns no
    mapping raises :class:`rnncore.errors.PortError`; an exception of the port propagates."""
    from rnncore.engine.ports import call_port, lookup, to_value
    from rnncore.errors import PortError
    from rnncore.translate.runtime.provenance import library_calls, library_of, reset_library_calls

    kept_draws, missing, unsupported, problems, returned = [], [], {}, {}, []
    library, library_values = {}, {}
    for i, draw in enumerate(draws):
        at = where + (f" (draw {i + 1})" if len(draws) > 1 else "")
        reset_library_calls()  # what this draw's port calls, read just after
        values = call_port(func, draw, list(names))
        for call in library_calls():
            library.setdefault(call.function, {"calls": 0, "detail": call.detail})["calls"] += 1
        if not isinstance(values, Mapping):
            raise PortError(f"{at} returned {type(values).__name__}; it must return a mapping of variable names "
                            f"to values")
        if i == 0:
            returned = sorted(map(str, values))
        kept = {}
        for name in variables:
            try:
                value = lookup(values, name)
            except KeyError:
                if i == 0:
                    missing.append(name)
                    log(f"[rnncore] WARNING: {at} did not return {name}; it returned: {', '.join(returned)}")
                continue
            if isinstance(value, Mapping):  # a struct: compared field by field, when the case names them
                unsupported[name] = (f"{at} returned a dict (a MATLAB struct) for {name!r}; name the fields to "
                                     f"compare, e.g. `variables: [{name}.a, {name}.b]`")
                continue
            if library_of(value):  # returned as the routine gave it (arithmetic drops the flag)
                library_values.setdefault(name, library_of(value))
            try:
                kept[name] = to_value(name, value, at)
            except PortError as exc:  # this variable cannot be compared; the others still are
                problems.setdefault(name, str(exc))
        kept_draws.append(kept)
    return PortRun(kept_draws, missing, unsupported, problems, returned, dict(sorted(library.items())),
                   library_values)


RANDOM_VARIABLE = "__rnncore_random__"  # the Octave run's random draws, in its engine file


def _random_value(random) -> Value:
    """The recorded draws as one cell of the engine file: each item's class is the function that drew."""
    items = tuple(Value(kind, size, data=values.reshape(size, order="F")) for kind, size, values in random)
    return Value("cell", (1, len(items)), items=items)


def _random_stream(random_file, log: Log):
    """The replay of the Octave run's draws (a context manager), or numpy's generator when there are none."""
    from rnncore.translate.runtime.random import Draw, replaying

    if random_file is None:
        return replaying(None)
    doc = read_engine(random_file, "octave")
    recorded = doc.draws[0].get(RANDOM_VARIABLE) if doc.error is None and doc.draws else None
    if recorded is None:  # Octave failed (the comparison reports it) or drew nothing
        return replaying(None)
    log(f"[rnncore] replaying the {len(recorded.items)} random draw(s) of the Octave run")
    return replaying([Draw(v.cls, v.shape, v.data.reshape(-1, order="F")) for v in recorded.items])


def compare_step(case: Mapping, octave_file, python_file, summary_file, manifest_file=None, log: Log = _quiet) -> list[dict]:
    """Compare every configured pair of the case, variable by variable (and draw by draw).

    Writes ``layout.element_table(...)`` for every pair and variable (for a case with several
    draws, the worst draw's elements, and ``layout.draws_table(...)`` with one row per draw), their
    SHA-256 to ``manifest_file`` (checked by :func:`summary_step` before anything reads them), and
    the case's summary rows to ``summary_file``; returns the rows. A failing comparison is data, not
    an error: the gate decides.
    """
    from rnncore.config import comparison_pairs
    from rnncore.engine import summary, verdict_format
    from rnncore.engine.parity import ELEMENT_LIMIT, compare_values, write_elements_csv
    from rnncore.engine.reference import load_reference

    name, n = case["name"], case["draws"]
    octave, python = _read_or_remove(octave_file, "octave", n), _read_or_remove(python_file, "python", n)
    pairs = [(left, right, _tolerance(tol))
             for left, right, tol in comparison_pairs(case["tolerance"], case["reference"])]
    sides = {"octave": octave, "python": python}
    if case["reference"]:
        ref = case["reference"]
        values = load_reference(ref["file"])
        sides[ref["name"]] = EngineFile("reference", [{k: Value("", a.shape, data=a) for k, a in values.items()}])
    failed = [(side, doc.error) for side, doc in sides.items() if doc.error]
    rows = []
    if failed:
        message = "; ".join(f"{side}: {err}" for side, err in failed)
        rows = summary.status_rows(name, pairs, case["variables"], "error", message, n)
        log(f"[rnncore] {name}: error: {message}")
        _clear_tables(case)
    else:
        unsupported = {side: doc.meta.get("unsupported", {}) for side, doc in sides.items()}
        problems = python.meta.get("problems", {})
        check_class = case["compare"] == "class"
        for left, right, tol in pairs:
            for variable in case["variables"]:
                table = layout.element_table(name, left, right, variable)
                why = [unsupported[s][variable] for s in (left, right) if variable in unsupported[s]]
                broken = problems.get(variable) if "python" in (left, right) else None
                if why or broken:
                    status, message = ("error", f"python: {broken}") if broken else ("unsupported", why[0])
                    rows += summary.status_rows(name, [(left, right, tol)], [variable], status, message, n)
                    write_atomic(table, "")  # a table for every expected row: nothing to show here
                    continue
                comps = [compare_values(variable, left, lv.get(variable), right, rv.get(variable), tol,
                                        check_class=check_class)
                         for lv, rv in zip(_draws(sides[left], n), _draws(sides[right], n))]
                row, worst, draw_rows = summary.aggregate_draws(name, comps)
                why = _derivation(case, left)
                if why and not row["message"]:  # a derived tolerance says where it comes from
                    row["message"] = why
                if "python" in (left, right):  # a library routine's difference gets its own status
                    row = summary.library_row(row, python.meta.get("library", {}), case.get("library") == "accept",
                                              python.meta.get("library_values", {}).get(variable))
                limit = None if case["full_tables"] else ELEMENT_LIMIT
                written = write_elements_csv(comps[worst], table, limit)
                if n > 1:
                    summary.write_draws(draw_rows, layout.draws_table(name, left, right, variable))
                rows.append(row)
                shown = "" if written == row["n_elements"] or n > 1 else f", {written} of {row['n_elements']} in table"
                log(f"[rnncore] {name} {variable} {left}-vs-{right}: {row['status']} (max_ulp {row['max_ulp']}, "
                    f"max_abs_err {row['max_abs_err']}, {row['tolerance']}{shown})"
                    + (f": {row['message']}" if row["message"] else ""))
    verdict_format.write_summary(rows, summary_file)
    if manifest_file is not None:
        from rnncore.pipeline import sources

        tables = [t for left, right in _pairs(case) for v in case["variables"]
                  for t in [layout.element_table(name, left, right, v)]
                  + ([layout.draws_table(name, left, right, v)] if n > 1 else [])]
        write_atomic(manifest_file, "".join(f"{sources.sha256(t)}  {t}\n" for t in tables))
    return rows


def _derivation(case: Mapping, left: str) -> str:
    """How the tolerance of the pair whose left side is ``left`` was derived ("" when it was stated)."""
    tol = case["tolerance"] if left == "octave" else case["reference"]["tolerance"]
    return tol.get("why", "")


def _read_or_remove(path, engine: str, n: int) -> EngineFile:
    """An engine file, or (damaged) removed so that the next run remakes it, and named."""
    from rnncore.errors import ArtifactError

    try:
        return read_engine(path, engine, n)
    except ArtifactError as exc:
        Path(path).unlink(missing_ok=True)
        raise ArtifactError(f"{exc}; it has been removed: run again to remake it") from None


def _pairs(case: Mapping) -> list[tuple[str, str]]:
    """(left, right) of every comparison of the case (its params), as the configuration builds them."""
    from rnncore.config import comparison_pairs

    return [(left, right) for left, right, _ in comparison_pairs(case["tolerance"], case["reference"])]


def _draws(doc: EngineFile, n: int) -> list[dict]:
    return doc.draws if len(doc.draws) == n else doc.draws * n  # a reference is one example for every draw


def _clear_tables(case: Mapping) -> None:
    """A case that could not be compared still has every table its rule promises: empty ones."""
    for left, right in _pairs(case):
        for v in case["variables"]:
            write_atomic(layout.element_table(case["name"], left, right, v), "")
            if case["draws"] > 1:
                write_atomic(layout.draws_table(case["name"], left, right, v), "")


# --------------------------------------------------------------------------- parity, all cases


def summary_step(cases: list[Mapping], case_summaries: Mapping[str, str], output, divergence=None,
                 log: Log = _quiet) -> list[dict]:
    """Concatenate the case summaries in configuration order into ``output``; check each holds
    exactly its case's expected rows (a damaged one is named and removed, so the next run remakes it).

    With ``divergence`` (a path), also write one row per training case (a case comparing a
    ``losses`` curve): the first epoch where Octave and Python part beyond tolerance, and how the
    difference grows over the epochs (:func:`rnncore.engine.summary.divergence_row`).
    """
    from rnncore.engine import summary, verdict_format
    from rnncore.errors import ArtifactError

    from rnncore.pipeline import sources

    rows = []
    for case in cases:
        path = case_summaries[case["name"]]
        manifest = Path(layout.case_manifest(case["name"]))
        if manifest.exists():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                digest, _, table = line.partition("  ")
                if not Path(table).is_file() or sources.sha256(table) != digest:
                    Path(path).unlink(missing_ok=True)  # the next run compares the case again
                    raise ArtifactError(f"{table}: the element table was changed or removed after the comparison "
                                        f"wrote it; its case's summary has been removed: run again to remake both")
        try:
            case_rows = verdict_format.read_summary(path)
        except ArtifactError as exc:
            Path(path).unlink(missing_ok=True)
            why = str(exc).replace(" Delete it and rerun.", "").rstrip(".")
            raise ArtifactError(f"{why}. It has been removed: run again to remake it.") from None
        got = [(r["case"], r["variable"], r["left"], r["right"]) for r in case_rows]
        want = [tuple(e) for e in case["expected"]]
        if got != want:
            Path(path).unlink(missing_ok=True)
            raise ArtifactError(f"{path}: holds {len(got)} row(s) where case {case['name']!r} has {len(want)} "
                                f"comparisons; the file was damaged. It has been removed: run again to remake it.")
        rows += case_rows
    verdict_format.write_summary(rows, output)
    if divergence is not None:
        div = []
        for case in cases:
            if "losses" in case["variables"]:
                row = next(r for r in rows if r["case"] == case["name"] and r["variable"] == "losses"
                           and r["left"] == "octave")
                if row["status"] == "error":
                    continue
                d = summary.divergence_row(case["name"], layout.element_table(case["name"], "octave", "python",
                                                                               "losses"), row["tolerance"])
                div.append(d)
                log(f"[rnncore] {case['name']}: loss curves within {d['tolerance']} "
                    + (f"until epoch {d['first_divergence_epoch']}" if d["first_divergence_epoch"] else
                       f"at all {d['epochs']} epochs") + f"; max {d['max_ulp']} ULP at epoch {d['max_ulp_epoch']}")
        summary.write_divergence(div, divergence)
    counts = {s: sum(r["status"] == s for r in rows) for s in dict.fromkeys(r["status"] for r in rows)}
    log(f"[rnncore] {len(rows)} comparisons: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return rows


def verdict_step(summary_file, expected, fingerprint: str, output, judged=(), log: Log = _quiet) -> dict:
    """Judge ``summary_file`` against the ``expected`` rows and write the verdict (pass or fail).

    The verdict records the SHA-256 of the summary and of every file in ``judged`` (the case
    summaries and their element manifests): it stands only while those files do
    (:func:`reconcile_reports`).
    """
    from rnncore.pipeline import sources
    from rnncore.engine import summary, verdict_format

    doc = summary.verdict(verdict_format.read_summary(summary_file), [tuple(e) for e in expected], fingerprint)
    doc["judged"] = {str(p): sources.sha256(p) for p in [summary_file, *judged]}
    verdict_format.write_verdict(doc, output)
    log(f"[rnncore] verdict: {doc['line']}")
    for f in doc["failing"]:
        log(f"[rnncore]   {f['message']}")
    return doc


def gate_step(verdict_file, output, log: Log = _quiet) -> str:
    """Write ``output`` if the verdict passed; else raise :class:`ParityGateError` naming every row that did not."""
    from rnncore.engine import summary, verdict_format

    line = summary.check_gate(verdict_format.read_verdict(verdict_file))
    log(f"[rnncore] {line}")
    write_atomic(output, line + "\n")
    return line


def provenance_step(cases: list[Mapping], octave_files: Mapping[str, str], sources: list[str], output,
                    log: Log = _quiet) -> dict:
    """Record versions, the SHA-256 of every file each case ran, and the shims it called."""
    from rnncore.pipeline import sources as src
    from rnncore.engine import summary

    meta = {}
    for case in cases:
        doc = read_engine(octave_files[case["name"]], "octave")
        meta[case["name"]] = doc.meta
    info = [{"name": c["name"], "script": c["script"], "python": c["python"],
             "files": {f: src.sha256(f) for f in c["files"]}} for c in cases]
    doc = summary.provenance(info, meta, {f: src.sha256(f) for f in sorted(set(sources))})
    summary.write_provenance(doc, output)
    for name, entry in doc["cases"].items():
        log(f"[rnncore] {name}: shims used: {', '.join(entry['shims_used']) or 'none'}")
    return doc


# --------------------------------------------------------------------------- training and the studies


def train_step(run: Mapping, output, log: Log = _quiet) -> None:
    """Train one run of the grid (progress goes to ``log``) and store its losses and metrics."""
    from rnncore.studies.training import RunSpec, train_run, write_run

    write_run(train_run(RunSpec(**run), log=log), output)


TRAINING_ERROR_COLUMNS = ["run_id", "stem", "suffix", "predicted"]


def training_report_step(run_files: list[str], metrics, summary, pig, errors, by_ending=None,
                         log: Log = _quiet) -> None:
    """Aggregate the runs: one metrics row per run, mean and spread over seeds, PIG predictions,
    the held-out stems each plural model gets wrong and (``by_ending``) its held-out accuracy per ending."""
    from rnncore.io import write_csv
    from rnncore.studies import training

    results = [training.read_run(path) for path in run_files]
    write_csv(metrics, training.metrics_rows(results), training.METRICS_COLUMNS)
    summary_rows = training.summary_rows(results)
    write_csv(summary, summary_rows, training.SUMMARY_COLUMNS)
    write_csv(pig, training.pig_rows(results), training.PIG_COLUMNS)
    wrong = [{"run_id": r.run_id, "stem": stem, "suffix": true, "predicted": predicted}
             for r in sorted(results, key=lambda r: r.run_id) if r.spec.task == "plural"
             for stem, true, predicted in r.errors]
    write_csv(errors, wrong, TRAINING_ERROR_COLUMNS)
    if by_ending is not None:
        write_csv(by_ending, training.heldout_by_ending_rows(results), training.HELDOUT_BY_ENDING_COLUMNS)
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


def lag_report_step(run_files, rows_out, summary_out, plot_out, log: Log = _quiet) -> list[dict]:
    """Concatenate the long-lag runs; mean, min and max accuracy per (model, lag) over seeds; the plot."""
    from rnncore.io import read_csv, write_csv
    from rnncore.reports import figures
    from rnncore.studies import longlag

    rows = [r for path in run_files for r in read_csv(path)]
    write_csv(rows_out, rows, longlag.LAG_COLUMNS)
    summary = longlag.lag_summary_rows(rows)
    for r in summary:
        log(f"[rnncore] {r['model']} L={r['lag']}: mean accuracy {r['mean_accuracy']:.4f}, min "
            f"{r['min_accuracy']:.4f} over {r['n_seeds']} seeds")
    write_csv(summary_out, summary, longlag.LAG_SUMMARY_COLUMNS)
    figures.plot_accuracy_vs_lag(summary, plot_out)
    return summary


def vanishing_step(lag: int, seed: int, hyper: Mapping, csv_out, plot_out, log: Log = _quiet) -> None:
    """||dLoss/dh_t|| against the distance from the loss, for each model at init and after training."""
    from rnncore.reports import figures
    from rnncore.studies import vanishing

    rows = vanishing.study(lag, seed, log=log, **dict(hyper))
    vanishing.write_vanishing_csv(rows, csv_out)
    figures.plot_vanishing(rows, plot_out)


# --------------------------------------------------------------------------- reports


def report_step(references: Mapping[str, str], training: bool, study: bool, html, md, log: Log = _quiet) -> None:
    """The HTML report and the Markdown summary, from the verdict and the run's named result files.

    ``references`` maps each case with published values to its reference file; ``training`` and
    ``study`` say whether the run has those stages (their sections say so when it has not).
    """
    from rnncore.reports.ci import write_summary_md
    from rnncore.reports.html import build_html
    from rnncore.reports.inputs import ReportInputs

    inputs = ReportInputs.from_layout(references, training=training, study=study)
    build_html(inputs, html)
    log(f"[rnncore] wrote {html}")
    write_summary_md(inputs, md)
    log(f"[rnncore] wrote {md}")


def junit_step(summary_file, verdict_file, output, log: Log = _quiet) -> None:
    """JUnit XML: one test case per summary row (and per absent row), carrying the verdict's fingerprint."""
    from rnncore.reports.ci import write_junit

    write_junit(summary_file, verdict_file, output)
    log(f"[rnncore] wrote {output}")


def notebook_step(case: Mapping, summary_file, verdict_file, output, log: Log = _quiet) -> None:
    """The case's notebook for students: its ``.m`` source, the port in cells, the port run, the verdict."""
    from rnncore.engine.verdict_format import read_verdict
    from rnncore.reports.notebooks import notebook_step as build

    inputs = layout.inputs(case["name"]) if (case["inputs"] or case["inputs_from"]) else None
    build(case["name"], case["script"], case["python"], case["variables"], inputs, summary_file, output, log=log,
          fingerprint=read_verdict(verdict_file)["fingerprint"])


def notebook_index_step(entries, summary_file, verdict_file, output, log: Log = _quiet) -> None:
    """The chapter's index notebook: every case's notebook with its verdict."""
    from rnncore.engine.verdict_format import read_verdict
    from rnncore.reports.notebooks import index_step

    index_step([tuple(e) for e in entries], summary_file, output, log=log,
               fingerprint=read_verdict(verdict_file)["fingerprint"])


def _reports() -> list[Path]:
    """Every file under results/ that states a verdict (besides verdict.json and gate.txt)."""
    notebooks = sorted(Path(layout.notebooks_index()).parent.glob("*.ipynb"))
    return [Path(layout.report_html()), Path(layout.summary_md()), Path(layout.junit()), *notebooks]


def remove_unconfigured(cases, log: Log = _quiet) -> list[str]:
    """Remove the results of cases no longer in the configuration: they would state a verdict on a
    case that is not there. Returns the removed paths."""
    import shutil

    removed = []
    for folder in (Path(layout.case_summary("x")).parent.parent, Path(layout.inputs("x")).parent.parent):
        if folder.is_dir():
            for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in cases):
                shutil.rmtree(sub)
                removed.append(str(sub))
    notebooks = Path(layout.notebooks_index()).parent
    for nb in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else []:
        if nb.stem not in cases and str(nb) != layout.notebooks_index():
            nb.unlink()
            removed.append(str(nb))
    for p in removed:
        log(f"rnncore: removed {p}: its case is no longer configured")
    return removed


def verdict_standing() -> str | None:
    """The fingerprint of ``verdict.json`` if it still stands on the very files it judged (the
    summaries and every element table, byte for byte); None if any is missing or changed, or there is
    no readable verdict."""
    from rnncore.pipeline import sources
    from rnncore.engine.verdict_format import read_verdict
    from rnncore.errors import ArtifactError

    try:
        doc = read_verdict(layout.verdict())
    except ArtifactError:
        return None
    judged = doc.get("judged", {})
    if not judged or any(not Path(p).is_file() or sources.sha256(p) != h for p, h in judged.items()):
        return None
    return doc.get("fingerprint")


def reconcile_reports(fingerprint: str | None, failed: str | None = None, log: Log = _quiet) -> list[str]:
    """Remove every verdict and report that does not describe ``fingerprint`` (the current sources;
    None when they cannot even be read, as with a broken configuration: then every one goes).

    Run after every workflow run, successful or not: the verdict (``verdict.json``, ``gate.txt``)
    stays only if it judged these very sources, and each report only if it was built from that
    verdict. What was removed is listed in ``results/INCOMPLETE.txt`` with ``failed`` (what went
    wrong in this run), so that no file under ``results/`` states a verdict that does not hold;
    the file is deleted again once nothing is stale. Returns the removed paths.
    """

    removed = []
    current = None
    if Path(layout.verdict()).exists():
        current = verdict_standing()
        if current is None or current != fingerprint:
            current = None
            for p in (layout.verdict(), layout.gate()):
                if Path(p).exists():
                    Path(p).unlink()
                    removed.append(p)
    elif Path(layout.gate()).exists():
        Path(layout.gate()).unlink()
        removed.append(layout.gate())
    for path in _reports():
        if path.exists() and (current is None or _embedded_fingerprint(path) != current):
            path.unlink()
            removed.append(str(path))
    note = Path(layout.incomplete())
    if removed:
        text = ((f"The last workflow run did not finish: {failed}\n" if failed else
                 "The last workflow run did not rebuild every report.\n")
                + "These files described an earlier state of the sources (scripts, ports, configuration) and were\n"
                  "removed rather than left to state a verdict that no longer holds:\n"
                + "".join(f"  {p}\n" for p in removed)
                + "Run `snakemake all` to remake them.\n")
        write_atomic(note, text)
        for p in removed:
            log(f"rnncore: removed {p}: it described an earlier run (see {note})")
    else:
        note.unlink(missing_ok=True)
    return removed


def _embedded_fingerprint(path: Path) -> str | None:
    from rnncore.reports.fingerprint import embedded_fingerprint

    return embedded_fingerprint(path)
