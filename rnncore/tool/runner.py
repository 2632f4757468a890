"""``rnncore run`` and ``rnncore report``: the packaged workflow, run in a course folder by Snakemake itself.

Snakemake is started as ``python -m snakemake --snakefile <rnncore's Snakefile> --workflow-profile
<rnncore's default profile>`` with the course folder as its working directory: the rules read the
folder's ``config.yaml`` and write its ``results/`` (:mod:`rnncore.layout`), while the workflow, its
profile and the shims stay in the installed package (:mod:`rnncore.resources`). In a checkout of
rnncore they are the repository's own ``workflow/`` and ``profiles/default``, the same files a bare
``snakemake all`` uses there.

Targets: every case's parity (the rule ``parity``: verdict, gate, JUnit) and the report, or ``all``
(training and the studies too), or, with case names, those cases' comparisons
(``results/parity/<case>/summary.csv``, judged here) and the report, rebuilt from every case's
results: the named cases' as just made, the others' as their last run left them (the report gives
each case's time). That holds only while the others' results are current: a dry run first asks
Snakemake which cases it would run for the report, and if any other case's results are out of date
(its files changed since) or missing, only the named cases run and the report is left to a run of
every case, which the closing lines say.

The console: Snakemake's whole output goes to ``results/logs/run-<UTC time>.log`` (``--verbose``:
to the console too); a person sees one live line (:mod:`rnncore.tool.progress`), the workflow's own
sentences (an error naming what to fix), then the closing lines: jobs done, the verdict, each row
that did not pass with its worst element, where the report and the log are. Exit status: 0 when
Snakemake succeeded and every row compared passed, 130 when interrupted, else 1.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence, TextIO

from rnncore import layout, resources
from rnncore.tool.progress import LiveLine, SnakemakeProgress, command_log, elapsed_text, is_workflow_message

__all__ = ["snakemake_command", "targets", "run", "report", "MAX_LISTED"]

MAX_LISTED = 20  # failing rows listed in the closing lines; the rest are in results/parity/summary.csv


def snakemake_command(targets: Sequence[str], *, cores: int | None = None) -> list[str]:
    """The command running rnncore's packaged workflow for ``targets`` in the current folder."""
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(resources.snakefile()),
           "--workflow-profile", str(resources.profile_dir("default"))]
    if cores:
        cmd += ["--cores", str(cores)]
    return cmd + list(targets)


def targets(settings, cases: Sequence[str] = (), everything: bool = False) -> list[str]:
    """What Snakemake is asked for (see the module docstring)."""
    if everything:
        return ["all"]
    if cases:
        return [layout.case_summary(c) for c in cases]
    out = ["parity"]
    if not settings.training and not settings.study.lag_jobs and not settings.study.vanishing:
        out += [layout.report_html(), layout.summary_md()]  # the report waits for training otherwise
    return out


def _rows_verdict(settings, cases: Sequence[str], project: Path) -> dict | None:
    """The verdict on just ``cases`` from their own summaries (None when one is absent)."""
    from rnncore.engine import summary, verdict_format
    from rnncore.errors import ArtifactError

    rows = []
    for name in cases:
        path = project / layout.case_summary(name)
        if not path.is_file():
            return None
        try:
            rows += verdict_format.read_summary(path)
        except ArtifactError:
            return None
    expected = [row for name in cases for row in settings.case(name).expected()]
    return summary.verdict(rows, expected, "")


def _closing(doc: dict | None, what: str, out: Callable[[str], None]) -> bool:
    if doc is None:
        out(f"rnncore run: no verdict on {what}: the run stopped before every comparison was made (the log says "
            f"where)")
        return False
    out(f"rnncore run: parity {'passed' if doc['passed'] else 'FAILED'} ({what}): {doc['line']}")
    problems = [f["message"] for f in doc["failing"]] + [f"{k}: absent" for k in doc["absent"]] + [
        f"{k}: not expected" for k in doc.get("unexpected", [])]
    for message in problems[:MAX_LISTED]:
        first, *more = message.splitlines()
        out("\n".join([f"  - {first}", *(f"    {line.strip()}" for line in more)]))
    if len(problems) > MAX_LISTED:
        out(f"  ... and {len(problems) - MAX_LISTED} more rows: see {layout.summary()}")
    return bool(doc["passed"])


_REMOVED = re.compile(r"^rnncore: removed (\S+): ")  # pipeline.steps: reconcile_reports, remove_unconfigured
_SNAKEMAKE_ERROR = re.compile(r"^(\w*(Error|Exception)\b|Error in rule )")
_FILE_LISTS = re.compile(r"^\s+(input|output|jobid|conda-env|wildcards|resources):")  # a failed job's, in the log


@dataclass
class _Outcome:
    status: int
    progress: SnakemakeProgress
    messages: list[str]  # the workflow's own sentences (rnncore: ...), shown as they came
    removed: list[str]  # results the workflow removed because they no longer held (told in one line at the end)
    errors: list[str]  # Snakemake's error lines, shown at the end when the workflow said nothing
    interrupted: bool = False


def _snakemake(cmd: list[str], project: Path, log: TextIO, live: LiveLine | None, *, verbose: bool,
               say: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic,
               start: float | None = None, doing: str | None = None) -> _Outcome:
    """Run ``cmd`` in ``project``, its whole output to ``log``; on the console the live line (or, with
    ``verbose``, every line as it comes) and the workflow's own sentences. Ctrl-C: Snakemake gets it too
    (same process group) and stops its jobs; it gets 60 s to do so, a second Ctrl-C kills it. ``doing``:
    what the live line says instead of the jobs' progress (a dry run runs none)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # lines as they are written, not in 8 KiB blocks
    proc = subprocess.Popen(cmd, cwd=project, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace", env=env)
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    # A thread reads, so that the live line's clock keeps moving while Snakemake is silent.
    threading.Thread(target=pump, daemon=True).start()
    progress, messages, removed, errors = SnakemakeProgress(), [], [], []
    start, deadline = clock() if start is None else start, None

    def status() -> str:
        return f"{doing}; {elapsed_text(clock() - start)}" if doing else progress.describe(clock() - start)
    while True:
        try:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                if deadline is not None and clock() > deadline:
                    proc.kill()
                elif live is not None:
                    live.update(status())
                continue
            if line is None:
                break
            log.write(line)
            text = line.rstrip("\n")
            progress.feed(text)
            if verbose:
                if live is not None:
                    live.message(text)
            else:
                gone = _REMOVED.match(text)
                if gone:
                    removed.append(gone.group(1))
                elif is_workflow_message(text):
                    messages.append(text)
                    if live is not None:
                        live.clear()
                    say(text)
                elif _SNAKEMAKE_ERROR.match(text) or (errors and len(errors) < 6 and text.strip()
                                                      and not _FILE_LISTS.match(text)):
                    errors.append(text)
                if live is not None:
                    live.update(status())
        except KeyboardInterrupt:
            if deadline is not None:
                proc.kill()
            deadline = clock() + 60
    status = proc.wait()
    log.flush()
    if live is not None:
        live.clear()
    return _Outcome(status, progress, messages, removed, errors, interrupted=deadline is not None)


def run(cases: Sequence[str] = (), *, everything: bool = False, cores: int | None = None, verbose: bool = False,
        project=".", out: Callable[[str], None] = print, err: Callable[[str], None] = print,
        stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> int:
    """``rnncore run``: Snakemake for the targets, then the closing verdict; returns the exit status.

    Snakemake's output goes to ``results/logs/run-<time>.log``; the console gets one live line on
    ``stream`` (default: standard output), or every line with ``verbose``, then the closing lines.
    """
    from rnncore.engine.verdict_format import read_verdict
    from rnncore.errors import RnncoreError
    from rnncore.tool.project import settings as project_settings

    started = clock()
    project = Path(project)
    try:
        settings = project_settings(project)
    except RnncoreError as exc:
        err(f"rnncore run: {exc}")
        return 1
    names = [c.name for c in settings.cases]
    unknown = [c for c in cases if c not in names]
    if unknown:
        err(f"rnncore run: no case named {', '.join(map(repr, unknown))} in {settings.source}; its cases: {', '.join(names)}")
        return 2
    cases = list(dict.fromkeys(cases))
    try:
        log_path = command_log(project, "run")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w", encoding="utf-8")
    except OSError as exc:
        err(f"rnncore run: cannot write the run's log under {project / layout.RESULTS}: "
            f"{exc.strerror or exc}; rnncore writes its results into the folder results/ here")
        return 1
    shown_log = log_path.relative_to(project).as_posix()
    stream = sys.stdout if stream is None else stream
    live = LiveLine(stream, "rnncore run: ", every=30.0, clock=clock)
    full = targets(settings, (), everything)
    report_built = everything or layout.report_html() in full
    stale: list[str] = []
    with log:
        goal = targets(settings, cases, everything)
        if cases and report_built and not everything:
            # One case's run rebuilds the report from every case's results when the others' are current:
            # a dry run asks Snakemake which cases the report would make it run (running none).
            dry = _snakemake(snakemake_command([*full, *goal], cores=cores) + ["--dry-run"], project, log, live,
                             verbose=verbose, say=err, clock=clock, start=started,
                             doing="checking which cases are out of date")
            if dry.interrupted or dry.status != 0:
                return _stopped(dry, shown_log, out, err)
            stale = [c for c in names if c not in cases and c in dry.progress.cases_seen]
            if not stale:
                goal += full
        result = _snakemake(snakemake_command(goal, cores=cores), project, log, live, verbose=verbose, say=err,
                            clock=clock, start=started)
    if result.interrupted:
        return _stopped(result, shown_log, out, err)
    p = result.progress
    if result.removed:
        why = f" (listed in {layout.incomplete()})" if (project / layout.incomplete()).is_file() else ""
        out(f"rnncore run: removed {len(result.removed)} result file(s) that no longer held: "
            f"{', '.join(result.removed[:4])}{' ...' if len(result.removed) > 4 else ''}{why}")
    if p.nothing_to_do:
        out("rnncore run: nothing to do: every result is up to date")
    elif p.total is not None:
        compared = (f", {p.cases_done} of {p.cases_total} case{'s' if p.cases_total > 1 else ''} compared"
                    if p.cases_total else "")
        out(f"rnncore run: {p.done} of {p.total} jobs done{compared} in {elapsed_text(clock() - started)}")
    never_started = result.status != 0 and p.total is None and not p.nothing_to_do
    if never_started:
        doc = None  # Snakemake stopped before any job (and before its closing check): what is there is not this run's
    elif cases:
        doc = _rows_verdict(settings, cases, project)
    else:
        verdict = project / layout.verdict()
        try:
            doc = read_verdict(verdict) if verdict.is_file() else None
        except RnncoreError:
            doc = None
    # A failing verdict fails the gate's job by design: the verdict's lines say all there is to say.
    # Anything else that failed (or a run that stopped before the verdict) is Snakemake's to tell.
    other = result.status != 0 and (doc is None or doc["passed"] or any(r != "parity_gate" for r in p.failed)
                                    or not p.failed)
    if other and not result.messages:
        _snakemakes_error(result.errors, err)
    if cases:
        passed = _closing(doc, f"case{'s' if len(cases) > 1 else ''} {', '.join(cases)}", out)
        if not report_built:
            out("rnncore run: report: not rebuilt: this configuration also trains models or runs the studies, which "
                "the report shows; `rnncore run --all` builds it")
        elif stale:
            out(f"rnncore run: report: not rebuilt: the results of {', '.join(stale)} are out of date or missing "
                f"(their files changed since their last run); `rnncore run` runs them and rebuilds it")
        else:
            _report_line(project, out, every_case=True, earlier=never_started)
    else:
        passed = _closing(doc, "every case", out)
        if not report_built:
            out("rnncore run: report: not built: this configuration also trains models or runs the studies, which "
                "the report shows; `rnncore run --all` builds it")
        else:
            _report_line(project, out, earlier=never_started)
    if other:
        failed = f" ({', '.join(dict.fromkeys(p.failed))} failed)" if p.failed else ""
        out(f"rnncore run: Snakemake exited with status {result.status}{failed}")
    out(f"rnncore run: log: {shown_log}")
    return 0 if result.status == 0 and passed else 1


def _stopped(outcome: _Outcome, shown_log: str, out, err) -> int:
    if outcome.interrupted:
        err("rnncore run: interrupted; run it again to finish (half-done jobs are redone)")
        out(f"rnncore run: log: {shown_log}")
        return 130
    if not outcome.messages:
        _snakemakes_error(outcome.errors, err)
    out(f"rnncore run: Snakemake exited with status {outcome.status}")
    out(f"rnncore run: log: {shown_log}")
    return 1


def _snakemakes_error(errors: list[str], err) -> None:
    """Snakemake's own error (not one of rnncore's sentences): its first lines, or for the commonest,
    a folder locked by a run that was killed, what to do in rnncore's words."""
    if any("Directory cannot be locked" in line for line in errors):
        err(f"rnncore run: another Snakemake run is working in this folder (it holds .snakemake/locks/); if none "
            f"is (a run was killed), delete .snakemake/locks/ and run again")
        return
    for line in errors:
        err(f"rnncore run: {line.strip()}" if line is errors[0] else f"  {line.strip()}")


def _report_line(project: Path, out, every_case: bool = False, earlier: bool = False) -> None:
    html = project / layout.report_html()
    if earlier:
        out("rnncore run: report: not rebuilt: Snakemake stopped before running any job"
            + (f" ({layout.report_html()} is an earlier run's)" if html.is_file() else ""))
    elif html.is_file():
        out(f"rnncore run: report: {layout.report_html()}" + (" (every case, each at its last run)" if every_case
                                                                 else ""))
    else:
        out("rnncore run: report: not built (see above)")


def report(*, open_browser: bool = False, project=".", out: Callable[[str], None] = print,
           err: Callable[[str], None] = print) -> int:
    """``rnncore report [--open]``: where the report is, the verdict it shows; ``--open`` opens it."""
    import webbrowser

    from rnncore.engine.verdict_format import read_verdict
    from rnncore.errors import RnncoreError

    project = Path(project)
    html = (project / layout.report_html()).resolve()
    if not html.is_file():
        why = project / layout.incomplete()
        note = f" ({why} says why)" if why.is_file() else ""
        err(f"rnncore report: no report in {project.resolve() / 'results'} yet{note}; `rnncore run` builds it")
        return 1
    out(str(html))
    verdict = project / layout.verdict()
    if verdict.is_file():
        try:
            doc = read_verdict(verdict)
            out(f"rnncore report: parity {'passed' if doc['passed'] else 'FAILED'}: {doc['line']}")
        except RnncoreError as exc:
            out(f"rnncore report: {exc}")
    if open_browser:
        try:
            opened = webbrowser.get().open(html.as_uri())
        except webbrowser.Error:
            opened = False
        if not opened:
            err(f"rnncore report: no web browser could be started here; open {html} on a machine with one")
            return 1
    return 0
