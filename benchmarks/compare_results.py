"""Compare two ``results/`` folders CSV by CSV: the same bytes, or which columns differ and where.

Used to show that a refactoring changed no number: run ``snakemake all`` before and after, then

    python benchmarks/compare_results.py BEFORE/results AFTER/results

Every CSV under ``parity/``, ``training/`` and ``study/`` of either folder is listed as

* ``same``       byte-identical;
* ``same-data``  identical once the columns that measure time (``wall_s``, ``wall_s_mean``) are
                 dropped: those are the only values that differ between two runs of the same inputs;
* ``added``      the new file has every column of the old one, unchanged, plus new ones (named);
* ``differs``    anything else, with the first differing line;
* ``only-before`` / ``only-after``.

It exits 1 if any file ``differs`` or is only in one folder, else 0. ``--allow-added`` lists
column names that may be added (default: none, so an added column counts as a difference).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

TIME_COLUMNS = {"wall_s", "wall_s_mean"}
STAGES = ("parity", "training", "study")


def _csvs(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for stage in STAGES for p in sorted((root / stage).rglob("*.csv"))}


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return (rows[0], rows[1:]) if rows else ([], [])


def _project(header: list[str], rows: list[list[str]], keep: list[str]) -> list[list[str]]:
    idx = [header.index(c) for c in keep]
    return [[r[i] for i in idx] for r in rows]


def compare_file(before: Path, after: Path, allow_added: set[str]) -> tuple[str, str]:
    """``(verdict, detail)`` for one CSV present in both folders."""
    if before.read_bytes() == after.read_bytes():
        return "same", ""
    h0, r0 = _table(before)
    h1, r1 = _table(after)
    kept = [c for c in h0 if c not in TIME_COLUMNS]
    added = [c for c in h1 if c not in h0]
    if all(c in h1 for c in kept) and len(r0) == len(r1) and _project(h0, r0, kept) == _project(h1, r1, kept):
        if not added:
            return "same-data", f"only {', '.join(sorted(TIME_COLUMNS & set(h0)))} differ"
        if set(added) <= allow_added:
            return "added", f"new columns {', '.join(added)}; every old column unchanged"
    for i, (a, b) in enumerate(zip(before.read_text().splitlines(), after.read_text().splitlines()), start=1):
        if a != b:
            return "differs", f"line {i}: {a[:120]!r} -> {b[:120]!r}"
    return "differs", "one file is a prefix of the other"


def compare_dirs(before: Path, after: Path, allow_added: set[str] = frozenset()) -> list[tuple[str, str, str]]:
    """``[(relative path, verdict, detail), ...]`` for every CSV of either folder, sorted by path."""
    a, b = _csvs(before), _csvs(after)
    out = []
    for rel in sorted(set(a) | set(b)):
        if rel not in b:
            out.append((rel, "only-before", ""))
        elif rel not in a:
            out.append((rel, "only-after", ""))
        else:
            out.append((rel, *compare_file(a[rel], b[rel], set(allow_added))))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--allow-added", default="", help="comma-separated column names that may be added")
    args = ap.parse_args(argv)
    rows = compare_dirs(args.before, args.after, {c for c in args.allow_added.split(",") if c})
    counts: dict[str, int] = {}
    for rel, verdict, detail in rows:
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict != "same":
            print(f"{verdict:11s} {rel}" + (f"  ({detail})" if detail else ""))
    print(", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    return 1 if any(v in ("differs", "only-before", "only-after") for _, v, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
