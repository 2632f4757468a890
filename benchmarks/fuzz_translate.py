"""The translator's differential fuzzer at scale: N generated programs, in Octave and as ports.

Programs ``0 .. N-1`` of seed S (rnncore.fuzz.generate.programs: program i is the same whatever N is)
run in batches, Octave's side in one session per batch, the ports in this process
(rnncore.fuzz.differential). It prints, and writes to ``results/benchmarks/fuzz_translate.csv``
(``--out`` to change it), one row: the outcome counts (match, refused, both-raise, mismatch,
octave-timeout), the seconds taken, programs per second, the machine (CPU model, cores, Python,
Octave) and the date. The row is rewritten after every chunk of ``--chunk`` programs (``status``
``running``, then ``done``), so a long run that is stopped still leaves its figures so far.

Every mismatch is printed with its seed and index, shrunk to a minimal program with ``--shrink``.

A long run can be split into shards run side by side (``--start``/``--stop``: programs
``start .. stop-1``, each the same program whatever the split), each writing its own CSV;
``--merge`` adds the shards' rows into one figure (counts summed, the seconds of the slowest shard,
since they ran at the same time).

    python benchmarks/fuzz_translate.py --n 2000 --seed 1
    nohup python benchmarks/fuzz_translate.py --n 100000 --seed 7 > fuzz.log 2>&1 &
    python benchmarks/fuzz_translate.py --seed 7 --start 0 --stop 50000 --out a.csv &
    python benchmarks/fuzz_translate.py --seed 7 --start 50000 --stop 100000 --out b.csv &
    python benchmarks/fuzz_translate.py --merge a.csv b.csv --out fuzz_translate.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's rnncore, not another installed copy

from rnncore.fuzz.differential import OUTCOMES, counts, run_programs  # noqa: E402
from rnncore.fuzz.generate import programs  # noqa: E402

COLUMNS = ["seed", "start", "programs", "status", *OUTCOMES, "match_share", "seconds", "programs_per_second", "cpu_model",
           "cores", "python", "octave", "date"]


def cpu_model() -> str:
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def octave_version() -> str:
    from rnncore.engine.octave import session

    with session() as s:
        return s.versions["octave"]


def write_row(path: Path, row: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerow(row)
    os.replace(tmp, path)


def merge(paths: list[Path], out: Path) -> int:
    """One row from the shards' rows: programs and outcomes summed, the slowest shard's seconds."""
    rows = []
    for path in paths:
        try:
            with open(path, newline="") as fh:
                rows.extend(csv.DictReader(fh))
        except OSError as exc:
            print(f"error: cannot read shard {path}: {exc.strerror}", file=sys.stderr)
            return 2
    if not rows or any(r.get("seed") != rows[0]["seed"] for r in rows) or any(
            r.get(k) in (None, "") for r in rows for k in ("programs", "seconds", *OUTCOMES)):
        print(f"error: the shards {', '.join(map(str, paths))} are not rows of one seed's run of this benchmark",
              file=sys.stderr)
        return 2
    total = {k: sum(int(r[k]) for r in rows) for k in OUTCOMES}
    programs = sum(int(r["programs"]) for r in rows)
    seconds = max(float(r["seconds"]) for r in rows)
    row = {**rows[0], "start": min(int(r.get("start") or 0) for r in rows), "programs": programs,
           "status": "done" if all(r["status"] == "done" for r in rows) else "running", **total,
           "match_share": f"{total['match'] / programs:.4f}", "seconds": f"{seconds:.1f}",
           "programs_per_second": f"{programs / seconds:.2f}"}
    write_row(out, row)
    print(f"{programs} programs in {len(rows)} shards, {seconds:.0f} s: "
          + ", ".join(f"{k} {v}" for k, v in total.items()) + f"\nwrote {out}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="how many programs (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    ap.add_argument("--chunk", type=int, default=1000, help="programs between two writes of the CSV")
    ap.add_argument("--batch", type=int, default=250, help="programs per Octave session round trip")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "fuzz_translate.csv")
    ap.add_argument("--shrink", action="store_true", help="shrink every mismatch to a minimal program")
    ap.add_argument("--start", type=int, default=0, help="the first program's index (a shard; default 0)")
    ap.add_argument("--stop", type=int, default=None, help="one past the last program's index (default --n)")
    ap.add_argument("--merge", type=Path, nargs="+", metavar="CSV", help="add these shards' rows into --out")
    args = ap.parse_args(argv)
    if args.merge:
        return merge(args.merge, args.out)
    stop = args.n if args.stop is None else args.stop
    if args.start < 0 or stop <= args.start or args.chunk < 1 or args.batch < 1:
        ap.error("--chunk and --batch must be positive, and 0 <= --start < --stop (or --n)")
    count = stop - args.start

    base = {"seed": args.seed, "start": args.start, "cpu_model": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "octave": octave_version(), "date": datetime.date.today().isoformat()}
    total = {k: 0 for k in OUTCOMES}
    bad = []
    start = time.perf_counter()
    done = 0
    while done < count:
        n = min(args.chunk, count - done)
        outcomes = run_programs(programs(args.seed, n, start=args.start + done), batch=args.batch)
        for k, v in counts(outcomes).items():
            total[k] += v
        for o in outcomes:
            if o.kind in ("mismatch", "octave-timeout"):
                bad.append(o)
                print(f"{o.kind}: seed {args.seed}, program {o.program.index}: {o.detail}\n{o.program.text()}",
                      flush=True)
                if args.shrink and o.kind == "mismatch":
                    from rnncore.fuzz.shrink import shrink

                    small = shrink(o)
                    print(f"shrunk: {small.detail}\n{small.program.text()}", flush=True)
        done += n
        seconds = time.perf_counter() - start
        row = {**base, "programs": done, "status": "done" if done == count else "running", **total,
               "match_share": f"{total['match'] / done:.4f}", "seconds": f"{seconds:.1f}",
               "programs_per_second": f"{done / seconds:.2f}"}
        write_row(args.out, row)
        print(f"{done}/{count} programs (from {args.start}), {seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in total.items()),
              flush=True)
    print(f"wrote {args.out}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
