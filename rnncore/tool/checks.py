"""``rnncore check``: the configuration and every case's script, checked without running any of them.

1. The configuration: schema, names, files, every ``python:`` target (:func:`rnncore.pipeline.settings.load_settings`).
2. What reading each ``.m`` file tells (:func:`rnncore.pipeline.settings.check_scripts`): its kind, a function
   file's signature against the case's inputs and variables, draws of a script.
3. Each script's pre-flight (MISS_HIT, :func:`rnncore.engine.preflight.scan_m_file`): syntax, calls that
   wait for a person, workspace wipes, Octave-only syntax.
4. Octave's ``exist`` for every name the scripts call (one Octave session, rnncore's and the course's
   shims on its path): a name neither Octave nor a shim defines stops a run with "'name' undefined".
5. Each port, read (not run): a function whose body raises ``NotImplementedError`` at its top level
   is a skeleton (what ``rnncore add`` writes when ``rnncore translate`` refuses a script), a port
   not written yet; every run of it would be that case's ``error`` rows.

Problems (exit status 1): a configuration error, a ``check_scripts`` problem, a file that does not
parse, a call that waits for a person, an undefined name, a skeleton port. Warnings and notes are printed and do
not fail the check (notes only with ``verbose``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

__all__ = ["PROBLEM_KINDS", "CaseCheck", "check", "unwritten_port"]

PROBLEM_KINDS = frozenset({"parse-error", "blocking", "undefined"})  # pre-flight kinds that stop a run


@dataclass
class CaseCheck:
    name: str
    script: str
    problems: list[str]
    warnings: list[str]
    notes: list[str]


def unwritten_port(target: str, project) -> str | None:
    """The problem with the port ``target`` (``module:function``) if it is a skeleton, else None.

    Read, not run: a port is arbitrary code, and ``check`` runs nothing. Only a ``raise
    NotImplementedError`` at the top level of the function's body counts: it is reached on every call,
    whereas one inside an ``if`` is a port refusing some input, which is written.
    """
    import ast

    from rnncore.pipeline import sources

    project = Path(project)
    module, _, func = target.partition(":")
    path = sources.module_file(module, project)
    if path is None:
        return None  # the configuration's own check names a missing module
    try:
        node = sources.function_defined(path, func)
    except (SyntaxError, UnicodeDecodeError):
        return None  # the run reports a port that does not parse, with file and line
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for stmt in node.body:
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                shown = path.relative_to(project.resolve()) if path.is_relative_to(project.resolve()) else path
                return (f"{shown.as_posix()}:{stmt.lineno}: {func} raises NotImplementedError: the port is a "
                        f"skeleton, not written yet (write it by hand; its docstring lists the variables to return)")
    return None


def _findings(case, scan, session, project: Path) -> CaseCheck:
    script = project / case.script
    beside = {p.stem for p in script.resolve().parent.glob("*.m")}
    injected = set(case.inputs) | beside
    found = session.check_names(scan, injected=injected) if session is not None else list(scan.findings)
    out = CaseCheck(case.name, case.script, [], [], [])
    for f in found:
        if f.kind == "undefined" and case.inputs_from and f.name not in beside:
            out.notes.append(f"{f.message.split(': ', 1)[0]}: {f.name} is defined neither by Octave nor by a "
                             f"shim: fine if the case's inputs_from ({case.inputs_from['function']}) makes it")
        elif f.kind in PROBLEM_KINDS:
            out.problems.append(f.message)
        elif f.severity == "warning":
            out.warnings.append(f.message)
        else:
            out.notes.append(f.message)
    return out


def check(project=".", *, verbose: bool = False, out: Callable[[str], None] = print,
          err: Callable[[str], None] = print) -> int:
    """Run the checks in the course folder ``project``; returns the exit status (0 clean, 1 problems)."""
    from rnncore.engine.octave import OCTAVE_TIMEOUT_S, OctaveError, session
    from rnncore.pipeline.settings import check_scripts
    from rnncore.engine.preflight import scan_m_file
    from rnncore.errors import RnncoreError
    from rnncore.tool.project import settings as project_settings

    project = Path(project)
    try:
        settings = project_settings(project)
    except RnncoreError as exc:
        err(f"rnncore check: {exc}")
        return 1
    shown = settings.source
    out(f"rnncore check: {shown}: valid, {len(settings.cases)} case(s)")
    script_problems = check_scripts(settings)
    scans = {c.name: scan_m_file(project / c.script) for c in settings.cases}
    octave_error = None
    checks: list[CaseCheck] = []
    shims = settings.cases[0].shims if settings.cases else ()
    timeout = settings.cases[0].timeout_s if settings.cases else OCTAVE_TIMEOUT_S
    try:
        with session([project / s for s in shims], timeout=timeout) as octave:
            checks = [_findings(c, scans[c.name], octave, project) for c in settings.cases]
    except OctaveError as exc:
        octave_error = str(exc)
        checks = [_findings(c, scans[c.name], None, project) for c in settings.cases]
    for c in checks:
        c.problems[:0] = [p for p in script_problems if f"case {c.name!r}:" in p]
        unwritten = unwritten_port(settings.case(c.name).python, project)
        if unwritten:
            c.problems.append(unwritten)
        state = f"{len(c.problems)} problem(s)" if c.problems else "ok"
        out(f"  {c.name} ({c.script}): {state}" + (f", {len(c.warnings)} warning(s)" if c.warnings else ""))
        for line in c.problems:
            out(f"    problem: {line}")
        for line in c.warnings:
            out(f"    warning: {line}")
        for line in c.notes if verbose else ():
            out(f"    note: {line}")
    n_problems = sum(len(c.problems) for c in checks)
    if octave_error:
        err(f"rnncore check: could not ask Octave which names exist: {octave_error}")
    if n_problems:
        err(f"rnncore check: {n_problems} problem(s) in {sum(1 for c in checks if c.problems)} of {len(checks)} "
            f"case(s)")
        return 1
    if octave_error:
        return 1
    out(f"rnncore check: no problem in {len(checks)} case(s)" + ("" if verbose else " (notes: --verbose)"))
    return 0
