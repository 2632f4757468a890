"""What call capture (:mod:`rnncore.engine.capture`) gets from every driver script of the development corpus.

Lay the corpus out first (``python benchmarks/corpus/fetch_corpus.py``), then::

    python benchmarks/corpus/capture_survey.py              # writes benchmarks/corpus/capture_survey.md
    python benchmarks/corpus/capture_survey.py --timeout 60 --max-calls 4 --only stanford_dl

Every script of every exercise folder (MISS_HIT's reading: neither a function file nor a classdef) is
run once in Octave with the calls of all the folder's function files captured. A ``stanford_dl``
folder is copied with its course (its scripts ``addpath ../common``). The table gives, per script,
whether the run finished and, if not, the located error (usually a function Octave lacks, from
Octave Forge's statistics package or a MEX file the tutorial ships compiled for MATLAB), and which
function files it called, how often, and how many distinct calls were kept. The runs are seeded as
MATLAB starts (the session's reset), so the table is the same on every run on the same Octave.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"stanford_dl"}  # courses whose folders reach their siblings: copied whole


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def main(argv=None) -> int:
    from rnncore.engine.capture import capture_calls
    from rnncore.engine.octave import OctaveError
    from rnncore.engine.preflight import scan_m_file

    p = argparse.ArgumentParser(description="Capture the calls of every driver script of the corpus.")
    p.add_argument("--corpus", type=Path, default=ROOT / "results" / "corpus")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "capture_survey.md")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per script (default 120)")
    p.add_argument("--max-calls", type=int, default=4)
    p.add_argument("--only", nargs="*", default=None, help="course names")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"capture_survey: error: {args.corpus}: no corpus there; run benchmarks/corpus/fetch_corpus.py first",
              file=sys.stderr)
        return 1
    rows, summary = [], {}
    for course in sorted(c for c in args.corpus.iterdir() if c.is_dir()):
        if args.only and course.name not in args.only:
            continue
        for folder in sorted({m.parent for m in course.rglob("*.m")}):
            kinds = {m.stem: scan_m_file(m).kind for m in sorted(folder.glob("*.m"))}
            functions = [n for n, k in kinds.items() if k == "function"]
            for script in (n for n, k in kinds.items() if k == "script"):
                rel = folder.relative_to(args.corpus) / f"{script}.m"
                started = time.perf_counter()
                try:
                    result = capture_calls(folder, script, functions, max_calls=args.max_calls,
                                           context=course if course.name in SHARED else None, timeout=args.timeout)
                except OctaveError as exc:
                    message = str(exc).replace(str(args.corpus.resolve()) + "/", "").replace(str(args.corpus) + "/", "")
                    rows.append((str(rel), "failed", _cell(message.splitlines()[0])[:300], "", ""))
                    summary.setdefault(course.name, [0, 0])[1] += 1
                    print(f"{rel}: failed ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
                    continue
                parts = []
                for f in (f for f in result.functions.values() if f.calls):
                    bad = sum(1 for c in f.kept if c.uncapturable)
                    parts.append(f"{f.name} ({f.calls} call{'s' * (f.calls != 1)}, {len(f.kept)} kept"
                                 f"{f', {bad} uncapturable' if bad else ''})")
                called = ", ".join(parts)
                pauses = sum(n for _, _, n in result.pauses)
                rows.append((str(rel), "ran", "", _cell(called) or "(none)", str(pauses)))
                summary.setdefault(course.name, [0, 0])[0] += 1
                print(f"{rel}: ran ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    lines = ["# Call capture on the development corpus", "",
             "Written by `benchmarks/corpus/capture_survey.py` (do not edit by hand); see it for the method. "
             f"At most {args.max_calls} calls kept per function; {args.timeout:g} s per script.", "",
             "| course | scripts run to the end | scripts failed |", "| --- | ---: | ---: |"]
    lines += [f"| {c} | {ok} | {bad} |" for c, (ok, bad) in sorted(summary.items())]
    lines += ["", "| script | outcome | error | function files called (calls, kept) | pauses |",
              "| --- | --- | --- | --- | ---: |"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"table in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
