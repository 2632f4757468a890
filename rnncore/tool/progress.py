"""One live line on a Snakemake run, followed from Snakemake's own console output.

``rnncore run`` sends Snakemake's output (about 90 lines per case) to a log file under
``results/logs/`` and shows a person one line instead: jobs done of the total, cases compared of
those to compare, what is running, the time elapsed. :class:`SnakemakeProgress` reads the lines
(Snakemake 9's default text format: the job blocks ``rule NAME:`` / ``localrule NAME:`` with their
``jobid:`` and ``wildcards:``, ``Finished jobid: N (Rule: NAME)``, ``N of M steps (P%) done``, the
``Job stats`` table); :class:`LiveLine` shows it: rewritten in place with ``\\r`` on a terminal, and
on anything else (CI, a pipe, a test) a plain line now and then, so that a log stays readable.
What the line stands for goes to a log of the command's own, :func:`command_log`.

Text, rather than a Snakemake logger plugin: a plugin must be an installed distribution of its own,
found through an entry point, and the text format is what a person reads in the log anyway.
Unrecognised lines change nothing: a format change in Snakemake costs the detail of the line, never
the run.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

__all__ = ["SnakemakeProgress", "LiveLine", "command_log", "elapsed_text", "is_workflow_message"]

_JOB = re.compile(r"^\s*(?:local)?(?:rule|checkpoint) (\S+):$")  # indented inside a group job
_JOBID = re.compile(r"^\s+jobid: (\d+)$")
_CASE = re.compile(r"^\s+wildcards: .*\bcase=([^,\s]+)")
_FINISHED = re.compile(r"^Finished jobid: (\d+)(?: \(Rule: (\S+)\))?")
_STEPS = re.compile(r"^(\d+) of (\d+) steps \(.*\) done$")
_STAT = re.compile(r"^(\S+)\s+(\d+)$")
_ERROR = re.compile(r"^\s*Error in rule (\S+):$")
_COMPARE = "compare_"  # one comparison rule per case: compare_<case> (workflow/rules/parity.smk)


def command_log(project, command: str) -> Path:
    """A new log file for one command's full output, ``results/logs/<command>-<UTC time>.log``, never
    one an earlier command wrote (a second in the same second gets ``-2``); its folder is made."""
    from datetime import datetime, timezone

    from rnncore import layout

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 1000):
        path = Path(project) / layout.log(f"{command}-{stamp}" + (f"-{n}" if n > 1 else ""))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            return path
    raise FileExistsError(path)


def elapsed_text(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"


def is_workflow_message(line: str) -> bool:
    """A line rnncore's workflow writes for a person (``rnncore: ...``): an error naming what to fix,
    a report removed because it no longer holds. Not the verdict's own lines (the command closes with
    those): the workflow's closing line (``...; report: ...``) and the failed gate's row list."""
    if not line.startswith("rnncore: "):
        return False
    return not (line.startswith("rnncore: parity failed: ") or "; report: " in line)


@dataclass
class SnakemakeProgress:
    """What Snakemake's output says so far (feed it every line, in order)."""

    done: int = 0
    total: int | None = None
    cases_total: int = 0
    cases_done: int = 0
    running: dict[str, str] = field(default_factory=dict)  # jobid -> the case (or rule) it works on
    cases_seen: set[str] = field(default_factory=set)  # every case a job was announced for (a dry run's plan)
    nothing_to_do: bool = False
    failed: list[str] = field(default_factory=list)  # rules of the jobs that failed, in order
    _in_stats: bool = False
    _job: tuple[str, str | None] | None = None  # the job block being read: rule, jobid

    def feed(self, line: str) -> None:
        line = line.rstrip("\n")
        if line.startswith("Job stats:"):
            self._in_stats, self.cases_total = True, 0
            return
        if self._in_stats:
            m = _STAT.match(line)
            if m and m.group(1) == "total":
                self.total, self._in_stats = int(m.group(2)), False
            elif m and m.group(1).startswith(_COMPARE):
                self.cases_total += 1
            return
        m = _ERROR.match(line)
        if m:
            self.failed.append(m.group(1))
            return
        if line.startswith("Nothing to be done"):
            self.nothing_to_do = True
            return
        m = _JOB.match(line)
        if m:
            self._job = (m.group(1), None)
            return
        if self._job is not None:
            rule, jobid = self._job
            m = _JOBID.match(line)
            if m:
                self._job = (rule, m.group(1))
                if rule.startswith(_COMPARE):
                    self.cases_seen.add(rule[len(_COMPARE):])
                    self.running[m.group(1)] = rule[len(_COMPARE):]
                else:
                    self.running[m.group(1)] = rule
                return
            m = _CASE.match(line)
            if m and jobid is not None:
                self.cases_seen.add(m.group(1))
                self.running[jobid] = m.group(1)
                return
            if line.startswith("    "):
                return
            self._job = None
        m = _FINISHED.match(line)
        if m:
            self.running.pop(m.group(1), None)
            if (m.group(2) or "").startswith(_COMPARE):
                self.cases_done += 1
            return
        m = _STEPS.match(line)
        if m:
            self.done, self.total = int(m.group(1)), int(m.group(2))

    def describe(self, elapsed: float) -> str:
        """The live line: ``12 of 27 jobs done, 2 of 5 cases compared; running ex3, ex4; 0:07``."""
        if self.total is None:
            text = "nothing to do: every result is up to date" if self.nothing_to_do else "preparing the jobs"
        else:
            text = f"{self.done} of {self.total} jobs done"
            if self.cases_total:
                text += f", {self.cases_done} of {self.cases_total} case{'s' if self.cases_total > 1 else ''} compared"
            working = list(dict.fromkeys(self.running.values()))
            if working:
                text += f"; running {', '.join(working[:3])}" + (f" and {len(working) - 3} more" if len(working) > 3
                                                                    else "")
        return f"{text}; {elapsed_text(elapsed)}"


class LiveLine:
    """One status line on ``stream``: rewritten in place on a terminal; elsewhere printed as a plain
    line at most every ``every`` seconds (and only when it changed), so that a CI log stays short."""

    def __init__(self, stream: TextIO, prefix: str, *, tty: bool | None = None, every: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self.stream, self.prefix, self.every, self.clock = stream, prefix, every, clock
        self.tty = stream.isatty() if tty is None else tty
        self._shown = ""  # what the terminal line holds now
        self._last_plain: tuple[float, str] | None = None

    def _width(self) -> int:
        return max(20, shutil.get_terminal_size((100, 24)).columns - 1)

    def update(self, text: str) -> None:
        line = f"{self.prefix}{text}"
        if self.tty:
            line = line[: self._width()]
            if line != self._shown:
                self.stream.write("\r\x1b[K" + line)
                self.stream.flush()
                self._shown = line
            return
        now = self.clock()
        # The elapsed time changes every second: only the part before it decides whether the line changed.
        key = line.rpartition(";")[0] or line
        if self._last_plain is None:
            self._last_plain = (now, "")  # the first plain line waits a full interval: short runs show none
        elif now - self._last_plain[0] >= self.every and key != self._last_plain[1]:
            self.stream.write(line + "\n")
            self.stream.flush()
            self._last_plain = (now, key)

    def message(self, line: str) -> None:
        """A line to keep (an error, a removed report): printed above the live line."""
        self.clear()
        self.stream.write(line + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.tty and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = ""
