"""What ``rnncore translate`` does today on every ``.m`` file of the development corpus.

Lay the corpus out first (``python benchmarks/corpus/fetch_corpus.py``), then::

    python benchmarks/corpus/survey.py                      # writes benchmarks/corpus/survey.md
    python benchmarks/corpus/survey.py --corpus DIR --out FILE

Each file is given to the command exactly as a user gives it, ``rnncore translate FILE.m -o
PORT.py`` (:func:`rnncore.tool.translate.main`, run in this process to spare 300 interpreter
start-ups; its exit status and the sentence it prints on stderr are recorded). A file is
*translated* (status 0), *refused* (status 1: the sentence names the file, line and construct; the
file may be one the translated file calls, beside it), or the command failed otherwise (status 2,
or an exception, which is a bug of the translator and listed as such).

The table ranks the refused constructs by how many files they block: a file counts for the construct
that stopped its translation, whether the construct is in the file itself or in a function file it
calls. The translator stops at the first construct it refuses, so only that one is known per file:
once it is supported, the next one in the file shows. Constructs are grouped by kind (a command by
its first word, an unknown function by its name); the table keeps one example of each.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_MESSAGE = re.compile(r"^(?P<file>.+?\.m):(?P<line>\d+): (?P<construct>.+?) is not supported by rnncore translate "
                      r"\((?P<reason>.*)\)\.$", re.S)


@dataclass(frozen=True)
class Outcome:
    course: str
    exercise: str
    file: str  # path relative to the corpus folder
    kind: str  # script or function (MISS_HIT's reading)
    status: str  # translated, refused, usage-error, crash
    construct: str = ""
    key: str = ""  # the construct's kind, for the ranking
    where: str = ""  # file:line of the construct (relative to the corpus folder)
    reason: str = ""
    digest: str = ""  # sha256 of the file: PRMLT's chapter folders share copies of the same functions


def construct_key(construct: str, reason: str = "") -> str:
    """The kind of a refused construct: what the ranking counts."""
    if construct == "this line":  # MISS_HIT's own message says what it could not read
        detail = reason.split(";")[0].removeprefix("MISS_HIT cannot parse it as MATLAB: ")
        return f"a line MISS_HIT cannot parse ({detail})"
    rules = (
        (r"^the command `(\w+).*`$", r"command syntax `\1 ...`"),
        (r"^`(\w+)[^`]*`$", r"command syntax `\1 ...`"),
        (r"^the name (\w+)$", r"unknown function `\1`"),
        (r'^the string literal ".*"$', "double-quoted string literal"),
        (r"^the brace index .*$", "brace index of a non-cell"),
        (r"^the comma-separated list .*$", "comma-separated list (c{:}, s.f of an array)"),
        (r"^the struct field access .*$", "struct field access"),
        (r"^the indexing .*$", "indexing of a call's result"),
        (r"^the parameter .*$", "varargin/varargout/~ parameter"),
        (r"^calling (\w+) with \d+ arguments$", r"`\1` with this many arguments"),
        (r"^(\w+) with \d+ arguments$", r"`\1` with this many arguments"),
        (r"^asking (\w+) for \d+ outputs$", r"`\1` with this many outputs"),
        (r"^(\w+) with \d+ outputs$", r"`\1` with several outputs"),
        (r"^a multiple assignment from .*$", "a multiple assignment from an expression"),
        (r"^assigning to (\w+)$", r"assigning to MATLAB's `\1`"),
        (r"^the value of (\w+)\(\.\.\.\)$", r"the value of `\1(...)`"),
        (r"^the function handle @(\w+)$", r"handle `@\1`"),
        (r"^@(\w+)$", r"handle `@\1`"),
        (r"^the file name .*$", "a file name that is not an identifier"),
        (r"^(\w+)$", r"`\1` (not in the subset yet)"),
    )
    for pattern, repl in rules:
        if re.match(pattern, construct):
            return re.sub(pattern, repl, construct)
    return construct


def _kind(path: Path) -> str:
    from rnncore.engine.preflight import scan_m_file

    return scan_m_file(path).kind


def survey(corpus: Path) -> list[Outcome]:
    from rnncore.tool.translate import main as translate

    outcomes = []
    courses = sorted(p for p in corpus.iterdir() if p.is_dir())
    if not courses:
        raise SystemExit(f"survey: error: {corpus} holds no course folder; run benchmarks/corpus/fetch_corpus.py first")
    with tempfile.TemporaryDirectory(prefix="rnncore-survey-") as tmp:
        for course in courses:
            for mfile in sorted(course.rglob("*.m")):
                rel = mfile.relative_to(course)
                exercise = rel.parts[0] if len(rel.parts) > 1 else "."
                out = Path(tmp) / course.name / str(rel.with_suffix("")).replace("/", "__") / "port.py"
                err = io.StringIO()
                base = dict(course=course.name, exercise=exercise, file=str(rel), kind=_kind(mfile),
                            digest=hashlib.sha256(mfile.read_bytes()).hexdigest())
                try:
                    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                        status = translate([str(mfile), "-o", str(out)])
                except Exception as exc:  # a bug of the translator: recorded, the survey goes on
                    outcomes.append(Outcome(**base, status="crash", construct=f"{type(exc).__name__}: {exc}"[:200],
                                            key=f"translator crash ({type(exc).__name__})"))
                    continue
                text = err.getvalue().strip()
                if status == 0:
                    outcomes.append(Outcome(**base, status="translated"))
                    continue
                m = _MESSAGE.match(text)
                if status == 1 and m:
                    where = Path(m["file"])
                    with contextlib.suppress(ValueError):
                        where = where.resolve().relative_to(course.resolve())
                    outcomes.append(Outcome(**base, status="refused", construct=m["construct"],
                                            key=construct_key(m["construct"], m["reason"]),
                                            where=f"{where}:{m['line']}",
                                            reason=m["reason"]))
                else:
                    first = text.splitlines()[-1] if text else "(nothing on stderr)"
                    outcomes.append(Outcome(**base, status="usage-error" if status == 2 else f"status {status}",
                                            construct=first[:200], key="command failed otherwise"))
    return outcomes


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(outcomes: list[Outcome], corpus: Path) -> str:
    lines = ["# What `rnncore translate` does on the development corpus", "",
             "Written by `benchmarks/corpus/survey.py` (do not edit by hand) from the corpus that "
             "`benchmarks/corpus/fetch_corpus.py` lays out; see those scripts for the method.", ""]
    by_course: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_course[o.course].append(o)
    lines += ["## Summary", "",
              "| course | .m files (distinct) | scripts | functions | translated (distinct) | refused (distinct) | "
              "other failure |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for course, items in [*sorted(by_course.items()), ("**all**", outcomes)]:
        pick = lambda pred: [o for o in items if pred(o)]  # noqa: E731
        both = lambda chosen: f"{len(chosen)} ({len({o.digest for o in chosen})})"  # noqa: E731
        lines.append(f"| {course} | {both(items)} | {len(pick(lambda o: o.kind == 'script'))} | "
                     f"{len(pick(lambda o: o.kind == 'function'))} | "
                     f"{both(pick(lambda o: o.status == 'translated'))} | "
                     f"{both(pick(lambda o: o.status == 'refused'))} | "
                     f"{len(pick(lambda o: o.status not in ('translated', 'refused')))} |")
    ranked: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.status != "translated":
            ranked[o.key].append(o)
    distinct = lambda items: len({o.digest for o in items})  # noqa: E731
    lines += ["", "## Constructs, ranked by the files they block", "",
              "A file counts once, for the first construct that stops it (in the file itself, *own*, or in a "
              "function file it calls, *via a callee*). *distinct* counts different file contents: PRMLT's chapter "
              "folders each hold a copy of the toolbox functions their demos reach, so one function file can be "
              "counted in several folders. Ranked by distinct files, then by files.", "",
              "| rank | construct | distinct files | files | own | via a callee | courses | "
              "example (file:line: construct) | "
              "translator's reason |", "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    order = sorted(ranked.items(), key=lambda kv: (-distinct(kv[1]), -len(kv[1]), kv[0]))
    for rank, (key, items) in enumerate(order, 1):
        own = sum(1 for o in items if o.where.split(":")[0] == o.file)
        courses = ", ".join(sorted({o.course for o in items}))
        ex = items[0]
        example = f"{ex.course}/{ex.where}: {ex.construct}" if ex.where else f"{ex.course}/{ex.file}: {ex.construct}"
        lines.append(f"| {rank} | {_cell(key)} | {distinct(items)} | {len(items)} | {own} | {len(items) - own} | "
                     f"{courses} | {_cell(example)} | {_cell(ex.reason)} |")
    lines += ["", "## Every file", "",
              "| course | exercise | file | kind | status | construct | where |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        lines.append(f"| {o.course} | {o.exercise} | {o.file} | {o.kind} | {o.status} | {_cell(o.construct)} | "
                     f"{o.where} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Run `rnncore translate` on every .m file of the corpus.")
    p.add_argument("--corpus", type=Path, default=ROOT / "results" / "corpus")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "survey.md")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"survey: error: {args.corpus}: no corpus there; run benchmarks/corpus/fetch_corpus.py first",
              file=sys.stderr)
        return 1
    outcomes = survey(args.corpus)
    args.out.write_text(report(outcomes, args.corpus), encoding="utf-8")
    done = sum(o.status == "translated" for o in outcomes)
    print(f"{done} of {len(outcomes)} files translated; table in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
