"""Parity at the scale of a whole course: N distinct scripts and ports, timed through `snakemake parity`.

For each N (default 10, 30 and 100) it makes a course folder in a temporary directory (a copy of this
project's workflow and package, with a configuration of N generated cases and nothing else), and
times, on the clock of the machine it runs on:

* ``cold``   the first `snakemake parity` (every case: Octave run, Python run, comparison, verdict);
* ``noop``   a second one, with nothing to do;
* ``edit``   one port edited (a comment appended: its bytes change) and `snakemake parity` again: that
             case's Python run and comparison rerun, then the summary, verdict, gate and JUnit jobs.

The generated cases are variants of rnn2.m's loop, written out as course scripts would be: an Elman
RNN of its own size (2-6 hidden units, 3-5 symbols, 3-8 steps) and weights (seeded), literal in the
``.m`` file and in its Python port (the same decimal strings, so the two engines start from the same
doubles), with ``softmax`` from the compat shim. Every case passes, so the timings are of the normal
path.

Every phase also records the peak resident set of the Snakemake process (``peak_rss_mb``, from
``wait4``: the largest of that process and the Octave sessions it waited for) and the load average
before and after it, since the machine may be shared.

It writes ``results/benchmarks/course_scale.csv`` (one row per N and phase, with the machine named)
and prints the marginal cost per case (the slope of cold time against N between the smallest and
the largest N). Nothing here is a test: tests/test_benchmarks_smoke.py runs it at N = 3.

    python benchmarks/course_scale.py                 # N = 10, 30, 100 (a few minutes)
    python benchmarks/course_scale.py --n 3 --keep    # one small run; the folder is kept and printed
    nice python benchmarks/course_scale.py --n 1000   # a thousand cases (half an hour on a busy machine)
    python benchmarks/course_scale.py --compare /path/to/older/checkout   # both, side by side
    python benchmarks/course_scale.py --subprocess    # also: every parity job in a process of its own
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["checkout", "n_cases", "phase", "seconds", "jobs", "exit", "peak_rss_mb", "loadavg_start", "loadavg_end",
           "cpu_model", "cores", "snakemake", "timestamp_utc"]


def _literal(a: np.ndarray) -> str:
    """A MATLAB matrix literal with every double written exactly (%.17g)."""
    return "[" + "; ".join(" ".join("%.17g" % v for v in row) for row in a) + "]"


def _python(a: np.ndarray) -> str:
    return "np.array([" + ", ".join("[" + ", ".join("%.17g" % v for v in row) + "]" for row in a) + "])"


def generate_case(k: int) -> tuple[dict, str, str]:
    """(config entry, .m text, port text) of generated case ``k``: its own size, weights and inputs."""
    rng = np.random.default_rng([2026, k])
    H, I, T = int(rng.integers(2, 7)), int(rng.integers(3, 6)), int(rng.integers(3, 9))
    whx, whh, bias = rng.uniform(-1, 1, (H, I)), rng.uniform(-1, 1, (H, 1)), rng.uniform(-1, 1, (H, 1))
    why = rng.uniform(-1, 1, (I, H))
    seq = np.eye(I)[:, rng.integers(0, I, T)]
    name = f"case_{k:03d}"
    m = f"""% {name}: an Elman RNN with {H} neurons over {T} one-hot symbols of {I} (generated course script).
clear
whx = {_literal(whx)};
whh = {_literal(whh)};
bias = {_literal(bias)};
why = {_literal(why)};
in = {_literal(seq)};
ht = zeros({H}, {T + 1});
for t = 1:{T}
  ht(:, t+1) = tanh(whx*in(:, t) + whh.*ht(:, t) + bias);
end
y_out = why*ht(:, 2:end);
softmax_y_out = softmax(y_out);
"""
    port = f'''"""Python port of matlab_ref/{name}.m (generated)."""

import numpy as np

from rnncore.course.softmax import softmax


def {name}():
    whx = {_python(whx)}
    whh = {_python(whh)}
    bias = {_python(bias)}
    why = {_python(why)}
    seq = {_python(seq)}
    ht = np.zeros(({H}, {T + 1}))
    for t in range({T}):
        ht[:, t + 1:t + 2] = np.tanh((whx @ seq[:, t:t + 1] + whh * ht[:, t:t + 1]) + bias)
    y_out = why @ ht[:, 1:]
    return {{"ht": ht, "y_out": y_out, "softmax_y_out": softmax(y_out)}}
'''
    case = {"name": name, "script": f"matlab_ref/{name}.m", "python": f"ports.{name}:{name}",
            "variables": ["ht", "y_out", "softmax_y_out"]}
    return case, m, port


def make_course(folder: Path, n: int, root: Path = ROOT) -> Path:
    """A copy of a checkout's workflow and package (``root``: this one by default) with ``n`` generated
    cases and nothing else."""
    import yaml

    folder.mkdir(parents=True)
    for rel in ("Snakefile", "workflow", "profiles", "rnncore", "pyproject.toml"):
        src = root / rel
        (shutil.copytree(src, folder / rel, ignore=shutil.ignore_patterns("__pycache__")) if src.is_dir()
         else shutil.copy2(src, folder / rel))
    (folder / "matlab_ref").mkdir()
    shutil.copytree(ROOT / "matlab_ref" / "compat", folder / "matlab_ref" / "compat")
    (folder / "ports").mkdir()
    (folder / "ports" / "__init__.py").write_text("")
    cases = []
    for k in range(n):
        case, m, port = generate_case(k)
        (folder / case["script"]).write_text(m)
        (folder / "ports" / f"{case['name']}.py").write_text(port)
        cases.append(case)
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config = {"octave": base["octave"], "shims": ["matlab_ref/compat"], "tolerance": base["tolerance"],
              "cases": cases}
    (folder / "config").mkdir()
    (folder / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def snakemake(folder: Path, *args: str) -> tuple[float, int, int, float]:
    """(wall seconds, jobs run, exit status, peak RSS in MB) of `snakemake parity` in ``folder``.

    The peak RSS is the kernel's for that one child (``wait4``): the largest resident set of the Snakemake
    process or of any process it waited for (its Octave sessions), not their sum."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "snakemake", "parity", *args], cwd=folder, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    jobs = text.count("Finished jobid")
    if code != 0:
        print(text[-3000:], file=sys.stderr)
    return seconds, jobs, code, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _machine() -> tuple[str, int]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return model, os.cpu_count() or 0


def measure(n: int, keep: bool = False, root: Path = ROOT, label: str = "this") -> list[dict]:
    import snakemake as sm

    cpu, cores = _machine()
    tmp = Path(tempfile.mkdtemp(prefix=f"rnncore-course-{n}-"))
    folder = make_course(tmp / "course", n, root)
    if label == "subprocess":  # the alternative: every `run:` job in a Snakemake process of its own
        profile = folder / "profiles" / "default" / "config.yaml"
        profile.write_text("\n".join(line for line in profile.read_text().splitlines()
                                     if not line.startswith("force-use-threads")) + "\n")
    rows = []

    def row(phase):
        load = os.getloadavg()[0]
        seconds, jobs, code, rss = snakemake(folder)
        rows.append({"checkout": label, "n_cases": n, "phase": phase, "seconds": round(seconds, 3), "jobs": jobs,
                     "exit": code, "peak_rss_mb": round(rss, 1), "loadavg_start": round(load, 2),
                     "loadavg_end": round(os.getloadavg()[0], 2), "cpu_model": cpu, "cores": cores,
                     "snakemake": sm.__version__,
                     "timestamp_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        print(f"{label:>10s} N={n:4d} {phase:5s} {seconds:8.2f} s  {jobs:5d} jobs  {rss:7.1f} MB  exit {code}  "
              f"load {load:.2f}", flush=True)

    row("cold")
    row("noop")
    port = folder / "ports" / "case_000.py"
    port.write_text(port.read_text() + "\n# edited by the benchmark\n")
    row("edit")
    if keep:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[10, 30, 100], help="numbers of cases (default 10 30 100)")
    p.add_argument("--out", type=Path, default=Path("results/benchmarks/course_scale.csv"))
    p.add_argument("--keep", action="store_true", help="keep the generated course folders")
    p.add_argument("--compare", type=Path, metavar="CHECKOUT",
                   help="also time another checkout of rnncore (e.g. an older commit), side by side in this run")
    p.add_argument("--subprocess", action="store_true",
                   help="also time this checkout with every parity job in a process of its own (no shared "
                        "Octave session): the alternative to the threads the default profile asks for")
    args = p.parse_args(argv)
    checkouts = ([("this", ROOT)] + ([("subprocess", ROOT)] if args.subprocess else [])
                 + ([("other", args.compare.resolve())] if args.compare else []))
    rows = [r for n in args.n for label, root in checkouts for r in measure(n, args.keep, root, label)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    for label, _ in checkouts:
        cold = {r["n_cases"]: r["seconds"] for r in rows if r["phase"] == "cold" and r["checkout"] == label}
        if len(cold) > 1:
            lo, hi = min(cold), max(cold)
            print(f"{label}: marginal cost per case (cold, N={lo}..{hi}): {(cold[hi] - cold[lo]) / (hi - lo):.3f} s")
    print(f"wrote {args.out}")
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
