"""`rnncore add` over a whole course folder (~50 ``.m`` files): where its time goes.

It makes a course folder (`rnncore init`) in a temporary directory holding one folder of MATLAB
files under ``matlab_ref/``: by default a generated one, ``--scripts`` driver scripts calling
``--functions`` function files (10 + 40 = 50 files), or a copy of the flat folder given with
``--folder``. Then it runs ``rnncore.tool.addfolder.add_folder`` on it (what `rnncore add
matlab_ref/<folder>/` runs) in this process, timing:

* ``translate``  every call of the translator (``rnncore.translate.translate_source``), one per file;
* ``describe``   every driver script's first Octave run (``describe_script``: the script's case);
* ``capture``    every driver script's second Octave run, with the calls of the folder's function
                 files captured (``capture_calls``: copies, wrappers, the captured arguments);
* ``rest``       the remainder: pre-flight scans, storing the captured calls, the configuration.

and, afterwards, the scripts' **own Octave time**: each driver script run once more in a warm pooled
session, timed around the one call that runs it. The overhead of `add` is its
whole time minus that (so the second, capturing run of each script counts as overhead: `add` chose
to run it). Issue #22's goal: overhead <= 60 s for a 50-file folder, on the 2-core machine.

Writes ``results/benchmarks/add_folder.csv`` (one row, the machine and load named) and prints the
split. Nothing here is a test: tests/test_benchmarks_smoke.py runs it on a 4-file folder.

    python benchmarks/add_folder.py                          # 10 scripts + 40 functions (a minute or two)
    python benchmarks/add_folder.py --scripts 1 --functions 3   # a small folder
    python benchmarks/add_folder.py --folder path/to/flat/folder  # a course folder of your own (copied)
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from course_scale import _literal, _machine

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["folder", "files", "scripts", "functions", "cases_added", "exit", "seconds_total", "translate_s",
           "describe_s", "capture_s", "rest_s", "octave_own_s", "overhead_s", "target_overhead_s",
           "overhead_met", "loadavg_start", "loadavg_end", "cpu_model", "cores", "octave_version",
           "timestamp_utc"]
TARGET_OVERHEAD_S = 60.0

# The function files' bodies: each a small numeric kernel of the kind a course's exercises hold (a
# layer, a loss, a loop over time, a gradient step), all inside the translator's subset. ``{k}`` makes
# every file's constants its own.
_BODIES = [
    ("[y, s] = {name}(w, x)", "y = tanh(w * x + {c});\ns = sum(y(:));"),
    ("p = {name}(w, x)", "z = w * x - {c};\nz = z - max(z, [], 1);\np = exp(z) ./ sum(exp(z), 1);"),
    ("h = {name}(w, x)", "h = zeros(size(w, 1), size(x, 2));\nfor t = 1:size(x, 2)\n"
                         "  h(:, t) = 1 ./ (1 + exp(-(w * x(:, t) + {c})));\nend"),
    ("[w2, g] = {name}(w, x)", "g = (w * x) * x' / size(x, 2) + {c} * w;\nw2 = w - 0.1 * g;"),
]


def generate_folder(folder: Path, scripts: int, functions: int) -> None:
    """``functions`` function files ``f_000.m``..., and ``scripts`` driver scripts ``drive_00.m``... each
    calling four of them (every function called by some script) on its own seeded matrices."""
    folder.mkdir(parents=True)
    for k in range(functions):
        signature, body = _BODIES[k % len(_BODIES)]
        name = f"f_{k:03d}"
        (folder / f"{name}.m").write_text(f"function {signature.format(name=name)}\n% generated kernel {k}\n"
                                          f"{body.format(c='%.17g' % (0.01 * (k + 1)))}\nend\n")
    for j in range(scripts):
        rng = np.random.default_rng([2026, 22, j])
        hidden, inputs, steps = (int(v) for v in rng.integers(2, 7, 3))
        lines = [f"% drive_{j:02d}: calls four generated kernels (generated driver script).",
                 f"w = {_literal(rng.uniform(-1, 1, (hidden, inputs)))};",
                 f"x = {_literal(rng.uniform(-1, 1, (inputs, steps)))};"]
        called = sorted({(j + i * scripts) % functions for i in range(max(1, -(-functions // scripts)))}
                        | {(j * 4 + i) % functions for i in range(4)}) if functions else []
        for k in called:
            signature = _BODIES[k % len(_BODIES)][0]
            outputs = signature.split("=")[0].strip().strip("[]").split(",")
            lhs = ", ".join(f"{o.strip()}_{k:03d}" for o in outputs)
            lines.append(f"[{lhs}] = f_{k:03d}(w, x);")
        (folder / f"drive_{j:02d}.m").write_text("\n".join(lines) + "\n")


def make_course(tmp: Path, scripts: int, functions: int, given: Path | None) -> tuple[Path, Path]:
    """(course folder, the folder to add) in ``tmp``."""
    course = tmp / "course"
    init = subprocess.run([sys.executable, "-m", "rnncore", "init", str(course)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if init.returncode != 0:
        raise SystemExit(f"add_folder.py: `rnncore init` failed: {init.stderr.strip()}")
    if given is not None:
        folder = course / "matlab_ref" / given.name
        shutil.copytree(given, folder, ignore=shutil.ignore_patterns(".rnncore"))
    else:
        folder = course / "matlab_ref" / "bench"
        generate_folder(folder, scripts, functions)
    return course, folder


@contextlib.contextmanager
def timed(module, name: str, totals: dict, key: str):
    """``module.name`` replaced, for the block, by a wrapper adding each call's seconds to ``totals[key]``
    (`add` imports these at call time, so it gets the wrapper)."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - start

    setattr(module, name, wrapper)
    try:
        yield
    finally:
        setattr(module, name, original)


def own_octave_seconds(scripts: list[Path], shim_dirs) -> tuple[float, str]:
    """Seconds Octave spends in the scripts themselves, and Octave's version: each script run in a warm,
    reset pooled session, timed around the one ``eval`` that runs it (oct2py's round trip, a few
    milliseconds, is inside; the session's start and reset are not)."""
    from rnncore.engine.octave import session

    total, version = 0.0, ""
    for script in scripts:
        with session(shim_dirs) as octave:
            octave.push("rnncore_bench_file__", str(script.resolve()))
            octave.push("rnncore_bench_dir__", str(script.resolve().parent))
            start = time.perf_counter()
            octave.eval("cd(rnncore_bench_dir__); source(rnncore_bench_file__);")
            total += time.perf_counter() - start
            version = str(dict(octave.versions).get("octave", version))
    return total, version


def measure(scripts: int, functions: int, given: Path | None, keep: bool) -> dict:
    import rnncore.engine.capture as capture
    import rnncore.tool.addcase as addcase
    import rnncore.translate as translate
    from rnncore.engine.preflight import scan_m_file
    from rnncore.tool.addfolder import add_folder
    from rnncore.tool.project import defaults

    cpu, cores = _machine()
    tmp = Path(tempfile.mkdtemp(prefix="rnncore-add-folder-"))
    course, folder = make_course(tmp, scripts, functions, given)
    m_files = sorted(folder.glob("*.m"))
    kinds = {p: scan_m_file(p).kind for p in m_files}
    drivers = [p for p in m_files if kinds[p] == "script"]
    totals = {"translate": 0.0, "describe": 0.0, "capture": 0.0}
    lines = []
    load_start = os.getloadavg()[0]
    cwd = os.getcwd()
    os.chdir(course)
    try:
        with timed(translate, "translate_source", totals, "translate"), \
                timed(addcase, "describe_script", totals, "describe"), \
                timed(capture, "capture_calls", totals, "capture"):
            start = time.perf_counter()
            code = add_folder(folder.relative_to(course), project=".", out=lines.append, err=lines.append,
                              stream=open(os.devnull, "w"))
            total = time.perf_counter() - start
        own, version = own_octave_seconds(drivers, defaults(".").shim_dirs)
    finally:
        os.chdir(cwd)
    added = next((ln for ln in lines if " case(s) added to " in ln), "")
    cases = int(added.split(" case(s) added")[0].rsplit(" ", 1)[1]) if added else 0
    print("\n".join(lines))
    overhead = total - own
    row = {"folder": given.name if given else "generated", "files": len(m_files), "scripts": len(drivers),
           "functions": sum(k == "function" for k in kinds.values()), "cases_added": cases, "exit": code,
           "seconds_total": round(total, 3), "translate_s": round(totals["translate"], 3),
           "describe_s": round(totals["describe"], 3), "capture_s": round(totals["capture"], 3),
           "rest_s": round(total - sum(totals.values()), 3), "octave_own_s": round(own, 3),
           "overhead_s": round(overhead, 3), "target_overhead_s": TARGET_OVERHEAD_S,
           "overhead_met": overhead <= TARGET_OVERHEAD_S, "loadavg_start": round(load_start, 2),
           "loadavg_end": round(os.getloadavg()[0], 2), "cpu_model": cpu, "cores": cores,
           "octave_version": version, "timestamp_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if keep:
        print(f"kept: {course}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scripts", type=int, default=10, help="generated driver scripts (default 10)")
    p.add_argument("--functions", type=int, default=40, help="generated function files (default 40)")
    p.add_argument("--folder", type=Path, help="a flat folder of .m files to add instead (copied)")
    p.add_argument("--out", type=Path, default=Path("results/benchmarks/add_folder.csv"))
    p.add_argument("--keep", action="store_true", help="keep the course folder")
    args = p.parse_args(argv)
    if args.folder is not None and not args.folder.is_dir():
        p.error(f"--folder {args.folder}: no such folder")
    if args.folder is None and (args.scripts < 1 or args.functions < 0):
        p.error("--scripts must be >= 1 and --functions >= 0")
    row = measure(args.scripts, args.functions, args.folder, args.keep)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    print(f"{row['files']} files ({row['scripts']} scripts, {row['functions']} functions): "
          f"{row['seconds_total']:.1f} s in all = translate {row['translate_s']:.1f} s + describe "
          f"{row['describe_s']:.1f} s + capture {row['capture_s']:.1f} s + rest {row['rest_s']:.1f} s; "
          f"the scripts' own Octave time {row['octave_own_s']:.2f} s; overhead {row['overhead_s']:.1f} s "
          f"(goal <= {TARGET_OVERHEAD_S:.0f} s: {'met' if row['overhead_met'] else 'NOT met'})")
    print(f"wrote {args.out}")
    return 0 if row["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
