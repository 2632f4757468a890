"""Speed of a translated port: Octave vs the hand-written port vs `rnncore translate`'s port.

Run it from the repository root:

    python benchmarks/translated_port.py [--quick] [--repetitions N] [--only pig plural16 plural64]
                                         [--out results/benchmarks/translated_port.csv]

The program is the shipped training reference ``matlab_ref/train/elman_train_script.m`` (full-batch
SGD of the Elman RNN through its four function files), on the inputs of a training-parity case
(:func:`rnncore.course.octave_train.sgd_case_inputs`, full recurrence):

* ``pig``: the course's PIG sequence, H = 3, 50 epochs, lr 0.1;
* ``plural16`` / ``plural64``: the plural task's 525 training stems (T = 10), H = 16 / 64 (weights
  seeded), 20 epochs, lr 0.2.

Three engines run the whole script on the same inputs, in one process, one after the other:

* ``octave``: GNU Octave runs the ``.m`` through ONE ``rnncore.engine.octave.run_script`` call per
  configuration (``benchmarks/octave/translated_port_bench.m``): one untimed run (Octave parses the
  function files on first call), then ``tic``/``toc`` INSIDE Octave around each of N runs of the
  script and nothing else (its profiler off). Octave's start-up and oct2py's transfers are outside
  the timed region;
* ``handwritten``: ``rnncore.course.octave_train.train_sgd_case`` (the numpy port the parity case uses);
* ``translated``: the script translated by ``rnncore.translate.translate_file`` with the function
  files beside it (into a throw-away package), called on the same inputs.

The two Python engines are timed with ``time.perf_counter`` around one call, the garbage collector
paused (as ``timeit`` does), after one untimed call. Each engine's figure is its best of N runs
(other work on the machine only ever adds time, so the fastest run is the least disturbed). The
machine is shared: wall-clock ratios move by tens of percent from run to run, so each run's CPU
time is recorded too (``time.process_time``; Octave's ``cputime``), which other processes disturb
far less (with one BLAS thread it is the run's own work); the CSV names the CPU, the cores and the
load average. Every engine uses one BLAS thread. Nothing here is asserted: the targets are
printed (met or missed), and the translated port's results are checked against the hand-written
port's (the largest relative difference goes in the CSV; both pass the same parity case).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import importlib
import io
import math
import os

# One BLAS thread for every engine, set before numpy loads (Octave inherits the environment).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OCTAVE_SCRIPT = ROOT / "benchmarks" / "octave" / "translated_port_bench.m"
TRAIN_SCRIPT = ROOT / "matlab_ref" / "train" / "elman_train_script.m"
RESULTS = ("losses", "whx", "whh", "bias", "why", "by", "g_whx", "g_whh", "g_bias", "g_why", "g_by", "loss_final")

# name: (task, hidden, epochs, lr)
CONFIGS = {
    "pig": ("pig", 3, 50, 0.1),
    "plural16": ("plural", 16, 20, 0.2),
    "plural64": ("plural", 64, 20, 0.2),
}
ENGINES = ("octave", "handwritten", "translated")
COLUMNS = ("config", "task", "hidden", "epochs", "engine", "status", "ms_best", "ms_median", "cpu_ms_best", "runs",
           "ratio_over_octave", "ratio_over_handwritten", "cpu_ratio_over_octave", "cpu_ratio_over_handwritten",
           "max_rel_diff_vs_handwritten", "octave_timing",
           "cpu_model", "cores", "loadavg_start", "loadavg_end", "numpy_version", "python_version",
           "octave_version", "timestamp_utc")


def cpu_model() -> str:
    """The processor's name from /proc/cpuinfo ("model name"); else platform's."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def translated_port(folder: Path):
    """The training script translated (with its function files) into ``folder``, imported."""
    from rnncore.translate import translate_file

    translation = translate_file(TRAIN_SCRIPT)
    package = "rnncore_bench_translated_port"
    translation.write(folder / package / f"{translation.main}.py")
    (folder / package / "__init__.py").touch()
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    return getattr(importlib.import_module(f"{package}.{translation.main}"), translation.main)


def time_python(fn, inputs, runs: int) -> tuple[list[float], list[float], dict]:
    """Wall and CPU seconds of each of ``runs`` calls after one untimed call, the garbage collector
    paused."""
    with contextlib.redirect_stdout(io.StringIO()):  # the script's fprintf, as Octave's goes to its log
        out = fn(inputs)
        times, cpu = [], []
        enabled = gc.isenabled()
        gc.disable()
        try:
            for _ in range(runs):
                c0, t0 = time.process_time(), time.perf_counter()
                out = fn(inputs)
                t1, c1 = time.perf_counter(), time.process_time()
                times.append(t1 - t0)
                cpu.append(c1 - c0)
        finally:
            if enabled:
                gc.enable()
    return times, cpu, out


def time_octave(inputs, runs: int, timeout: float) -> tuple[list[float], list[float], dict, str]:
    from rnncore.engine.octave import run_script

    lines: list[str] = []
    res = run_script(OCTAVE_SCRIPT, ["bench_elapsed__", "bench_cpu__", *RESULTS], timeout=timeout,
                     log=lines.append, inputs={**inputs, "bench_runs__": np.array([[float(runs)]])})
    return ([float(t) for t in np.ravel(res.values["bench_elapsed__"])],
            [float(t) for t in np.ravel(res.values["bench_cpu__"])], res.values, res.versions.get("octave", ""))


def max_rel_diff(a: dict, b: dict) -> float:
    """Largest |a - b| / max(|b|, 1e-300) over every result the script leaves."""
    worst = 0.0
    for name in RESULTS:
        x = np.asarray(a[name], dtype=np.float64).ravel()
        y = np.asarray(b[name], dtype=np.float64).ravel()
        if x.shape != y.shape:
            return math.inf
        if x.size:
            worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-300))))
    return worst


def fmt(v, digits=2) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: pig only, 2 epochs, 1 timed run per engine")
    ap.add_argument("--only", nargs="+", choices=CONFIGS, default=None, help="configurations (default all)")
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--repetitions", type=int, default=None, help="timed runs per engine (default 7)")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "translated_port.csv")
    ap.add_argument("--octave-timeout", type=float, default=900.0, help="seconds per Octave call")
    args = ap.parse_args(argv)
    if args.repetitions is None:
        args.repetitions = 1 if args.quick else 7
    if args.only is None:
        args.only = ["pig"] if args.quick else list(CONFIGS)
    if args.repetitions < 1:
        ap.error("--repetitions must be >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    from rnncore.course.octave_train import sgd_case_inputs, train_sgd_case

    load_start = os.getloadavg()[0]
    common = {"cpu_model": cpu_model(), "cores": os.cpu_count(), "loadavg_start": round(load_start, 2),
              "numpy_version": np.__version__, "python_version": platform.python_version(),
              "octave_timing": "tic/toc and cputime inside Octave around each run of the script",
              "timestamp_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "octave_version": ""}
    print(f"machine: {common['cpu_model']}, {common['cores']} cores, load average {load_start:.2f}; "
          f"best of {args.repetitions} run(s) per engine", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        translated = translated_port(Path(tmp)) if "translated" in args.engines else None
        for name in args.only:
            task, hidden, epochs, lr = CONFIGS[name]
            if args.quick:
                epochs = 2
            inputs = sgd_case_inputs(task=task, recurrence="full", epochs=epochs, lr=lr, hidden=hidden, seed=0)
            times, cpu, outs, status = {}, {}, {}, {}
            for engine in args.engines:
                try:
                    if engine == "octave":
                        times[engine], cpu[engine], outs[engine], version = time_octave(
                            inputs, args.repetitions, args.octave_timeout)
                        common["octave_version"] = version
                    elif engine == "handwritten":
                        times[engine], cpu[engine], outs[engine] = time_python(train_sgd_case, inputs,
                                                                               args.repetitions)
                    else:
                        times[engine], cpu[engine], outs[engine] = time_python(translated, inputs, args.repetitions)
                    status[engine] = "ok"
                except Exception as exc:  # an engine that breaks is reported, the others go on
                    status[engine] = f"failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
                print(f"{name}: {engine} {status[engine]}"
                      + (f", best {min(times[engine]) * 1e3:.1f} ms" if engine in times else ""), flush=True)
            best = {e: min(t) * 1e3 for e, t in times.items()}
            best_cpu = {e: min(t) * 1e3 for e, t in cpu.items()}
            for engine in args.engines:
                ok = status[engine] == "ok"
                rel = (max_rel_diff(outs[engine], outs["handwritten"])
                       if ok and "handwritten" in outs else math.nan)
                rows.append({
                    "config": name, "task": task, "hidden": hidden, "epochs": epochs, "engine": engine,
                    "status": status[engine],
                    "ms_best": best.get(engine, math.nan),
                    "ms_median": float(np.median(times[engine])) * 1e3 if ok else math.nan,
                    "cpu_ms_best": best_cpu.get(engine, math.nan),
                    "runs": len(times.get(engine, ())),
                    # > 1: the engine is slower than Octave / the hand-written port.
                    "ratio_over_octave": best[engine] / best["octave"] if ok and "octave" in best else math.nan,
                    "ratio_over_handwritten": (best[engine] / best["handwritten"]
                                               if ok and "handwritten" in best else math.nan),
                    "cpu_ratio_over_octave": (best_cpu[engine] / best_cpu["octave"]
                                              if ok and best_cpu.get("octave", 0) > 0 else math.nan),
                    "cpu_ratio_over_handwritten": (best_cpu[engine] / best_cpu["handwritten"]
                                                   if ok and best_cpu.get("handwritten", 0) > 0 else math.nan),
                    "max_rel_diff_vs_handwritten": rel, **common,
                })
    load_end = os.getloadavg()[0]
    for r in rows:
        r["loadavg_end"] = round(load_end, 2)
        r["octave_version"] = common["octave_version"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if isinstance(r[k], float) and math.isnan(r[k])
                            else (f"{r[k]:.17g}" if isinstance(r[k], float) else r[k])) for k in COLUMNS})
    print_table(rows)
    print(f"\nwrote {args.out} (load average {load_start:.2f} at the start, {load_end:.2f} at the end)")
    return 0


def print_table(rows: list[dict]) -> None:
    by = {}
    for r in rows:
        by.setdefault(r["config"], {})[r["engine"]] = r
    for label, ms, pre in (("wall clock", "ms_best", ""), ("CPU time", "cpu_ms_best", "cpu_")):
        print(f"\n{label}, best run:")
        print(f"{'config':9} {'H':>3} {'epochs':>6} " + " ".join(f"{e + ' ms':>15}" for e in ENGINES)
              + f" {'transl/octave':>14} {'transl/hand':>12} {'hand/octave':>12}")
        for name, g in by.items():
            any_row = next(iter(g.values()))
            cells = [fmt(g[e][ms], 1) if e in g and g[e]["status"] == "ok" else (g[e]["status"][:15] if e in g else "")
                     for e in ENGINES]
            tr, hw = g.get("translated", {}), g.get("handwritten", {})
            print(f"{name:9} {any_row['hidden']:>3} {any_row['epochs']:>6} " + " ".join(f"{c:>15}" for c in cells)
                  + f" {fmt(tr.get(pre + 'ratio_over_octave')):>14} {fmt(tr.get(pre + 'ratio_over_handwritten')):>12}"
                  + f" {fmt(hw.get(pre + 'ratio_over_octave')):>12}")
    print("\nTargets (issue #22; ratio = translated port's best time / the other's; reported, never asserted):")
    for name, g in by.items():
        tr = g.get("translated")
        if tr is None or tr["status"] != "ok":
            continue
        H = tr["hidden"]
        goals = [("translated/octave <= 0.5", "ratio_over_octave", 0.5),
                 ("translated/handwritten <= 2", "ratio_over_handwritten", 2.0)] if H <= 16 else \
                [("translated/octave <= 1", "ratio_over_octave", 1.0)]
        for label, key, goal in goals:
            for clock, v in (("wall", tr[key]), ("cpu", tr["cpu_" + key])):
                verdict = "n/a" if math.isnan(v) else ("met" if v <= goal else f"MISSED by {v / goal:.2f}x")
                print(f"  {name:9} H={H:<3} {label:28} {clock:4} {fmt(v):>6}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
