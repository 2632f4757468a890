"""``rnncore run`` and ``rnncore report``: the packaged workflow, run in a course folder by Snakemake itself.

Snakemake is started as ``python -m snakemake --snakefile <rnncore's Snakefile> --workflow-profile
<rnncore's default profile>`` with the course folder as its working directory: the rules read the
folder's ``config.yaml`` and write its ``results/`` (:mod:`rnncore.layout`), while the workflow, its
profile and the shims stay in the installed package (:mod:`rnncore.resources`). In a checkout of
rnncore they are the repository's own ``workflow/`` and ``profiles/default``, the same files a bare
``snakemake all`` uses there.

Targets: every case's parity (the rule ``parity``: verdict, gate, JUnit) and the report, or, with case
names, just those cases' comparisons (``results/parity/<case>/summary.csv``, judged here), or
``all`` (training and the studies too). The closing lines give the verdict, each row that did not
pass, and where the report is. Exit status: 0 when Snakemake succeeded and every row compared
passed, else 1.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

from rnncore import layout, resources

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
        out(f"rnncore run: no verdict on {what}: the run stopped before every comparison was made (see above)")
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


def run(cases: Sequence[str] = (), *, everything: bool = False, cores: int | None = None, project=".",
        out: Callable[[str], None] = print, err: Callable[[str], None] = print) -> int:
    """``rnncore run``: Snakemake for the targets, then the closing verdict; returns the exit status."""
    from rnncore.engine.verdict_format import read_verdict
    from rnncore.errors import RnncoreError
    from rnncore.tool.project import settings as project_settings

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
    cmd = snakemake_command(targets(settings, cases, everything), cores=cores)
    proc = subprocess.Popen(cmd, cwd=project)
    try:
        status = proc.wait()
    except KeyboardInterrupt:  # Snakemake got the same Ctrl-C: let it stop its jobs and mark them incomplete
        try:
            proc.wait(timeout=60)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        err("rnncore run: interrupted; run it again to finish (half-done jobs are redone)")
        return 130
    if cases:
        passed = _closing(_rows_verdict(settings, cases, project), f"case{'s' if len(cases) > 1 else ''} "
                          f"{', '.join(cases)}", out)
        out("rnncore run: the report shows every case: `rnncore run` without case names rebuilds it")
    else:
        verdict = project / layout.verdict()
        try:
            doc = read_verdict(verdict) if verdict.is_file() else None
        except RnncoreError:
            doc = None
        passed = _closing(doc, "every case", out)
        html = project / layout.report_html()
        if html.is_file():
            out(f"rnncore run: report: {html}")
        elif not everything and layout.report_html() not in cmd:
            out("rnncore run: report: not built: this configuration also trains models or runs the studies, which "
                "the report shows; `rnncore run --all` builds it")
        else:
            out("rnncore run: report: not built (see above)")
    if status != 0:
        out(f"rnncore run: Snakemake exited with status {status}")
    return 0 if status == 0 and passed else 1


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
