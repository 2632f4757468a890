"""The translator's differential fuzzer at scale: N generated programs, in Octave and as ports.

Programs ``0 .. N-1`` of seed S (rnncore.fuzz.generate.programs: program i is the same whatever N is)
run in batches, Octave's side in one session per batch, the ports in this process
(rnncore.fuzz.differential). It prints, and writes to ``results/benchmarks/fuzz_translate.csv``
(``--out`` to change it), one row: the outcome counts (match, refused, both-raise, mismatch,
octave-timeout), the seconds taken, programs per second, the machine (CPU model, cores, Python,
Octave) and the date. The row is rewritten after every chunk of ``--chunk`` programs (``status``
``running``, then ``done``), so a long run that is stopped still leaves its figures so far.

Every mismatch is printed with its seed and index, shrunk to a minimal program with ``--shrink``.

    python benchmarks/fuzz_translate.py --n 2000 --seed 1
    nohup python benchmarks/fuzz_translate.py --n 100000 --seed 7 > fuzz.log 2>&1 &
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

COLUMNS = ["seed", "programs", "status", *OUTCOMES, "match_share", "seconds", "programs_per_second", "cpu_model",
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="how many programs (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    ap.add_argument("--chunk", type=int, default=1000, help="programs between two writes of the CSV")
    ap.add_argument("--batch", type=int, default=250, help="programs per Octave session round trip")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "fuzz_translate.csv")
    ap.add_argument("--shrink", action="store_true", help="shrink every mismatch to a minimal program")
    args = ap.parse_args(argv)
    if args.n < 1 or args.chunk < 1 or args.batch < 1:
        ap.error("--n, --chunk and --batch must be positive")

    base = {"seed": args.seed, "cpu_model": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "octave": octave_version(), "date": datetime.date.today().isoformat()}
    total = {k: 0 for k in OUTCOMES}
    bad = []
    start = time.perf_counter()
    done = 0
    while done < args.n:
        n = min(args.chunk, args.n - done)
        outcomes = run_programs(programs(args.seed, n, start=done), batch=args.batch)
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
        row = {**base, "programs": done, "status": "done" if done == args.n else "running", **total,
               "match_share": f"{total['match'] / done:.4f}", "seconds": f"{seconds:.1f}",
               "programs_per_second": f"{done / seconds:.2f}"}
        write_row(args.out, row)
        print(f"{done}/{args.n} programs, {seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in total.items()),
              flush=True)
    print(f"wrote {args.out}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
