"""One large variable: time and memory of a parity case whose input and output are N x N doubles.

For each N (default 1000, 2000, 3000) it makes a course folder in a temporary directory (this project's
workflow and package, and one case: ``A = tanh(X)`` in Octave and in numpy, X an N x N normal draw),
then measures

* ``workflow``: `snakemake parity`, cold: wall seconds and the peak memory of its whole process tree
  (Snakemake, the parity jobs it runs in threads, and the Octave process), sampled every 20 ms;
* ``inputs``, ``octave``, ``python``, ``compare``: each step again, alone, in a process of its own
  (peak memory of that process and its children, Octave included), beside the ``mem_mb`` the workflow
  declares for it (``rnncore.engine.memory``): the declaration must cover the measurement;
* the sizes of the engine files and of the element table.

With ``--full-tables`` each N is run a second time with ``full_tables: true`` (every element written).
It writes ``results/benchmarks/large_variable.csv`` (the machine named in every row). Nothing here is a
test: tests/test_benchmarks_smoke.py runs it at one small N.

    python benchmarks/large_variable.py                 # N = 1000, 2000, 3000 (a minute or two)
    python benchmarks/large_variable.py --n 300 --full-tables
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_scale import _machine, make_course  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["n", "full_tables", "what", "seconds", "peak_mb", "declared_mb", "exit", "engine_file_mb",
           "table_rows", "table_mb", "cpu_model", "cores"]
STEPS = ("inputs", "octave", "python", "compare")

# One step of the case, alone: argv = step, full-tables flag. Runs inside the course folder.
_STEP = """
import sys
from rnncore import layout
from rnncore.pipeline import steps as workflow
from rnncore.config import load_settings, read_config_file
case = load_settings(read_config_file("config/config.yaml")).cases[0].params()
step, out = sys.argv[1], sys.argv[2]
if step == "inputs":
    workflow.inputs_step(case, out + "/inputs.npz")
elif step == "octave":
    workflow.octave_step(case, layout.inputs("big"), out + "/octave.npz")
elif step == "python":
    workflow.python_step(case, layout.inputs("big"), out + "/python.npz")
else:
    workflow.compare_step(case, layout.octave_engine("big"), layout.python_engine("big"), out + "/summary.csv")
"""


def peak_run(cmd, cwd, env) -> tuple[float, float, int]:
    """(wall seconds, peak MB, exit status) of ``cmd``: the larger of its process tree's summed RSS
    (sampled every 20 ms: Octave's process is a child) and its own exact peak from the kernel (wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root, peak = psutil.Process(proc.pid), 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]))
        except psutil.Error:
            pass  # a child ended between listing and reading
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    err = proc.stderr.read().decode(errors="replace")
    if code:
        print(err[-2000:], file=sys.stderr)
    return seconds, max(peak, usage.ru_maxrss * 1024) / 2**20, code


def make_case(folder: Path, n: int, full_tables: bool) -> Path:
    make_course(folder, 0)
    (folder / "matlab_ref" / "big.m").write_text("function A = big(X)\n  A = tanh(X);\nend\n")
    (folder / "ports" / "big.py").write_text('import numpy as np\n\n\ndef big(X):\n    return {"A": np.tanh(X)}\n')
    path = folder / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text())
    config["cases"] = [{"name": "big", "script": "matlab_ref/big.m", "python": "ports.big:big", "variables": ["A"],
                        "inputs": {"X": {"normal": {"shape": [n, n], "mean": 0, "std": 1}}},
                        "draws": {"n": 1, "seed": 1}, "full_tables": full_tables}]
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def declared(folder: Path, env) -> dict[str, int]:
    """The mem_mb Snakemake declares for each parity job of the case, from a dry run over the results."""
    run = subprocess.run([sys.executable, "-m", "snakemake", "parity", "-n", "-F"], cwd=folder, env=env,
                         capture_output=True, text=True)
    rule, out = None, {}
    for line in run.stdout.splitlines():
        line = line.strip()
        if line.startswith("rule ") or line.startswith("localrule "):
            rule = line.split()[-1].rstrip(":")
        elif line.startswith("resources:") and "mem_mb=" in line:
            mb = int(line.split("mem_mb=")[1].split(",")[0])
            key = {"case_inputs": "inputs", "octave_run": "octave", "python_run": "python", "compare_big": "compare"}
            out[key.get(rule, rule)] = mb
    return out


def measure(n: int, full_tables: bool) -> list[dict]:
    cpu, cores = _machine()
    tmp = Path(tempfile.mkdtemp(prefix=f"rnncore-large-{n}-"))
    folder = make_case(tmp / "course", n, full_tables)
    env = {**os.environ, "PYTHONPATH": str(folder)}
    rows = []

    def row(what, result, **extra):
        seconds, peak, code = result
        rows.append({"n": n, "full_tables": int(full_tables), "what": what, "seconds": round(seconds, 2),
                     "peak_mb": round(peak), "declared_mb": extra.get("declared_mb", ""), "exit": code,
                     "engine_file_mb": extra.get("engine_file_mb", ""), "table_rows": extra.get("table_rows", ""),
                     "table_mb": extra.get("table_mb", ""), "cpu_model": cpu, "cores": cores})
        print(f"N={n:5d} full_tables={int(full_tables)} {what:9s} {seconds:7.2f} s  peak {peak:6.0f} MB"
              + (f"  declared {extra['declared_mb']} MB" if extra.get("declared_mb") else ""), flush=True)

    workflow = peak_run([sys.executable, "-m", "snakemake", "parity"], folder, env)
    table = folder / "results" / "parity" / "big" / "elements" / "octave-vs-python" / "A.csv"
    engine = folder / "results" / "engines" / "big" / "octave.npz"
    with open(table, "rb") as fh:
        table_rows = sum(1 for _ in fh) - 1
    row("workflow", workflow, engine_file_mb=round(engine.stat().st_size / 2**20, 1), table_rows=table_rows,
        table_mb=round(table.stat().st_size / 2**20, 1))
    mem = declared(folder, env)
    scratch = tmp / "scratch"
    scratch.mkdir()
    for step in STEPS:
        row(step, peak_run([sys.executable, "-c", _STEP, step, str(scratch)], folder, env), declared_mb=mem.get(step))
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[1000, 2000, 3000], help="sizes N of the N x N variable")
    p.add_argument("--full-tables", action="store_true", help="also run each N with full_tables: true")
    p.add_argument("--out", type=Path, default=Path("results/benchmarks/large_variable.csv"))
    args = p.parse_args(argv)
    rows = [r for n in args.n for full in ([False, True] if args.full_tables else [False]) for r in measure(n, full)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    uncovered = [r for r in rows if r["declared_mb"] != "" and r["peak_mb"] > r["declared_mb"]]
    for r in uncovered:
        print(f"N={r['n']} {r['what']}: used {r['peak_mb']} MB, declared {r['declared_mb']} MB", file=sys.stderr)
    print(f"wrote {args.out}")
    return 0 if all(r["exit"] == 0 for r in rows) and not uncovered else 1


if __name__ == "__main__":
    sys.exit(main())
