"""Speed of one training epoch of the Elman RNN and the LSTM: rnncore (numpy) vs Octave vs PyTorch.

Run it from the repository root:

    python benchmarks/train_epoch.py [--quick] [--out results/benchmarks/train_epoch.csv]
                                     [--threads N] [--repetitions R] [--hidden 3 16 64 256] ...

One epoch = one full-batch forward pass + masked cross-entropy loss + backpropagation through time
+ one plain SGD update ``w = w - lr*g`` of every weight. Same model, same data, same initial
weights, same learning rate in every engine:

* data: the plural task's training set (``rnncore.course.tasks.plural_task("train")``: 28 one-hot
  symbols, B = 525 sequences, T = 10 steps, the loss counts the two suffix steps);
* Elman RNN with full recurrence (``whh`` H x H) and the LSTM, at H = 3, 16, 64, 256, weights from
  ``rnncore.models.factory.init_params("full" / "lstm", ...)`` (seeded);
* engines
  - ``rnncore``: ``loss_and_grads`` of ``rnncore.models.elman`` / ``rnncore.models.lstm`` then
    ``rnncore.models.optim.sgd_step``, float64, each pass handed the previous pass's cache
    (``reuse=``, as a training loop would: the same memory every epoch, no fresh pages); timed with
    ``time.perf_counter`` around N epochs (Python's garbage collector paused, as ``timeit`` does).
    ``rnncore-fresh`` (only with ``--engines``): the same without ``reuse``;
  - ``octave``: the MATLAB reference (``matlab_ref/train/elman_loss_grads.m`` /
    ``matlab_ref/lstm/lstm_loss_grads.m`` and the update of ``elman_train_sgd.m``) in GNU Octave,
    through ONE ``rnncore.engine.octave.run_script`` call per repetition running
    ``benchmarks/octave/train_epochs_bench.m``: a few untimed warm-up epochs (Octave parses each
    function file on first call), then ``tic``/``toc`` INSIDE Octave around the N timed epochs and
    nothing else. Octave's start-up, oct2py's transfer of data and results, the warm-up and
    run_script's profiler (paused for the epochs) are all outside the timed region;
  - ``pytorch``: ``torch.nn.RNN(nonlinearity="tanh")`` / ``torch.nn.LSTM`` + ``torch.nn.Linear`` on
    every step, ``F.cross_entropy(reduction="none")`` times the mask, summed, divided by B,
    ``loss.backward()``, ``torch.optim.SGD(lr)`` (no momentum), float64, CPU; PyTorch's second bias
    ``bias_hh_l0`` is frozen at zero so the trainable parameters are exactly rnncore's five.
    Timed like rnncore.
* threads: one BLAS/compute thread per engine by default (``--threads N`` for another number), so
  that the table compares the engines' code, not how each spreads small matrices over cores that
  other work is using. ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS``/``MKL_NUM_THREADS`` are set
  before numpy (and torch) load, numpy's OpenBLAS is then held there with threadpoolctl (a
  dependency of rnncore), Octave's OpenBLAS gets the same variables in its environment, PyTorch
  ``torch.set_num_threads``. PyTorch's CPU wheel uses MKL, not OpenBLAS; the CSV records each
  engine's BLAS and the machine (``cpu_model``, ``cpu_count``).

Measurement: per (model, H) a calibration round (untimed for the results, it also warms every engine
up) picks N, the epochs per repetition, so that the slowest engine's repetition takes about
``--target-seconds``; then ``--repetitions`` rounds, each running every engine once in an order
rotated from round to round (round-robin, so that drift in the machine's load hits every engine
alike). Each repetition gives one ms/epoch (its time / N); the CSV has the median, 25th and 75th
percentiles, min and max over the repetitions, and the ratios of the medians
``pytorch/rnncore`` and ``octave/rnncore`` (> 1: rnncore is faster). Every engine starts each
repetition from the same initial weights, so each also reports the loss of its last epoch; its
relative difference from rnncore's (``loss_rel_diff_vs_rnncore``, ~1e-12) shows that the engines
compute the same thing.

An engine that is not installed (PyTorch is optional: ``pip install torch==2.13.0``) or fails is
skipped with a message, and its rows say so in ``status``. Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import math
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


DEFAULT_THREADS = 1


def _early_threads(argv) -> None:
    """The thread count (``--threads N``, else 1) must reach OpenBLAS, MKL and OpenMP before numpy
    and torch load them: they read these variables once, at load time."""
    value = str(DEFAULT_THREADS)
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv) and argv[i + 1].isdigit():
            value = argv[i + 1]
        elif arg.startswith("--threads=") and arg.split("=", 1)[1].isdigit():
            value = arg.split("=", 1)[1]
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = value


if __name__ == "__main__":
    _early_threads(sys.argv[1:])

import numpy as np  # noqa: E402  (after _early_threads)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnncore.models import factory, lstm  # noqa: E402  (from this checkout, see ROOT)
from rnncore.models.optim import sgd_step  # noqa: E402
from rnncore.course.tasks import plural_task  # noqa: E402

OCTAVE_SCRIPT = ROOT / "benchmarks" / "octave" / "train_epochs_bench.m"
ENGINES = ("rnncore", "octave", "pytorch", "rnncore-fresh")
DEFAULT_ENGINES = ("rnncore", "octave", "pytorch")  # rnncore-fresh on request (--engines)
# rnncore.models.factory's names; the Elman RNN timed is the one with full recurrence, the one PyTorch has.
MODELS = ("full", "lstm")
HIDDEN = (3, 16, 64, 256)
SEED = 20261125
LR = 0.01  # small enough that no configuration diverges over the epochs timed
TORCH_PIN = "torch==2.13.0"

COLUMNS = [
    "model", "hidden", "engine", "status",
    "ms_per_epoch_median", "ms_p25", "ms_p75", "ms_min", "ms_max",
    "repetitions", "epochs_per_rep", "warmup_epochs", "threads",
    "ratio_pytorch_over_rnncore", "ratio_octave_over_rnncore",
    "ratio_pytorch_over_rnncore_best", "ratio_octave_over_rnncore_best",
    "loss_last", "loss_rel_diff_vs_rnncore",
    "data", "batch", "steps", "n_in", "n_out", "lr",
    "numpy_version", "numpy_blas", "torch_version", "torch_blas",
    "octave_version", "octave_blas", "python_version", "platform", "cpu_model", "cpu_count",
    "loadavg_start", "loadavg_end", "timestamp_utc",
]


# --------------------------------------------------------------------------- threads and versions


def numpy_blas_info() -> tuple[str, int | None]:
    """(description of numpy's BLAS, its current thread count or None when unknown)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        numpy_dir = Path(np.__file__).resolve().parent
        for info in threadpool_info():
            path = Path(info.get("filepath", ""))
            if info.get("user_api") == "blas" and (numpy_dir.name in path.parent.name or "numpy" in str(path)):
                desc = (f"{info.get('internal_api')} {info.get('version')} ({info.get('threading_layer', '?')}, "
                        f"{info.get('architecture', '?')})")
                return desc, int(info["num_threads"])
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        desc = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # very old numpy: no dict mode
        desc = "unknown"
    env = os.environ.get("OPENBLAS_NUM_THREADS")
    return desc, int(env) if env and env.isdigit() else None


def cpu_model() -> str:
    """The processor's name as ``lscpu`` prints it ("Model name"), from /proc/cpuinfo; else platform's."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def limit_numpy_threads(n: int):
    """threadpoolctl's limit on numpy's BLAS (kept alive by the caller), or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=n, user_api="blas")


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def torch_blas(torch) -> str:
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


# --------------------------------------------------------------------------- the three engines


@dataclass
class Problem:
    model: str
    hidden: int
    params: object  # ElmanParams or LSTMParams
    x: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    lr: float


def make_problem(model: str, hidden: int, task, lr: float) -> Problem:
    rng = np.random.default_rng(SEED + hidden)
    n_in, n_out = task.x.shape[0], len(task.alphabet)
    params = factory.init_params(model, rng, n_in, hidden, n_out)
    return Problem(model, hidden, params, np.asarray(task.x), np.asarray(task.targets), np.asarray(task.mask), lr)


class Skip(Exception):
    """An engine cannot run here; the message says why (it goes into the CSV's status)."""


@dataclass
class Engine:
    """``run(n, warmup)`` -> (seconds for the n timed epochs, loss of the last timed epoch)."""

    name: str
    run: Callable[[int, int], tuple[float, float]]
    threads: int
    versions: dict = field(default_factory=dict)


def rnncore_engine(p: Problem, threads: int, reuse: bool = True) -> Engine:
    """``rnncore``: a training loop that hands each pass the previous pass's cache (``reuse``), so
    that every epoch writes into the same memory; ``rnncore-fresh`` (``reuse=False``): each pass
    allocates its arrays anew. The numbers are the same bits either way."""
    loss_and_grads = factory.module_of(p.params).loss_and_grads

    def run(n: int, warmup: int) -> tuple[float, float]:
        cache = None
        for _ in range(warmup):
            params = p.params
            _, grads, cache = loss_and_grads(params, p.x, p.targets, p.mask, reuse=cache if reuse else None)
            sgd_step(params, grads, p.lr)
        params = p.params
        loss = math.nan
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            t0 = time.perf_counter()
            for _ in range(n):
                loss, grads, cache = loss_and_grads(params, p.x, p.targets, p.mask, reuse=cache if reuse else None)
                params = sgd_step(params, grads, p.lr)
            elapsed = time.perf_counter() - t0
        finally:
            if gc_was_enabled:
                gc.enable()
        return elapsed, float(loss)

    return Engine("rnncore" if reuse else "rnncore-fresh", run, threads)


def pytorch_engine(p: Problem, threads: int, torch) -> Engine:
    if torch is None:
        raise Skip(f"skipped: PyTorch not installed (pip install {TORCH_PIN})")
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    n_in, B, T = p.x.shape
    H, O = p.params.n_hidden, p.params.n_out
    f64 = torch.float64
    # (I, B, T) -> PyTorch's (T, B, I); targets and mask flattened as rows t*B + b of (T*B, O)
    xt = torch.from_numpy(np.ascontiguousarray(p.x.transpose(2, 1, 0)))
    tgt = torch.from_numpy(np.ascontiguousarray(p.targets.T).reshape(-1).astype(np.int64))
    msk = torch.from_numpy(np.ascontiguousarray(p.mask.T).reshape(-1))
    if p.model == "full":
        core = torch.nn.RNN(n_in, H, nonlinearity="tanh", dtype=f64)
        w = p.params
        init = {"weight_ih_l0": w.whx, "weight_hh_l0": w.whh, "bias_ih_l0": w.bias[:, 0], "bias_hh_l0": np.zeros(H)}
    else:
        core = torch.nn.LSTM(n_in, H, dtype=f64)
        init = lstm.to_pytorch(p.params)
    head = torch.nn.Linear(H, O, dtype=f64)
    # rnncore has one hidden bias; PyTorch adds a second, frozen here at zero (its sum with the
    # first is what matters, and training it too would change the update).
    core.bias_hh_l0.requires_grad_(False)
    init_tensors = {("core", k): torch.tensor(np.array(v, dtype=np.float64)) for k, v in init.items()}
    init_tensors[("head", "weight")] = torch.tensor(np.array(p.params.why))
    init_tensors[("head", "bias")] = torch.tensor(np.array(p.params.by[:, 0]))
    modules = {"core": core, "head": head}
    trainable = [t for m in (core, head) for t in m.parameters() if t.requires_grad]
    opt = torch.optim.SGD(trainable, lr=p.lr)  # plain w - lr*g: no momentum, dampening or decay

    def reset():
        with torch.no_grad():
            for (m, k), v in init_tensors.items():
                getattr(modules[m], k).copy_(v)

    def epochs(n: int):
        loss = None
        for _ in range(n):
            opt.zero_grad(set_to_none=True)
            hs, _ = core(xt)  # (T, B, H), h0 = c0 = zeros
            logits = head(hs).reshape(T * B, O)
            loss = (F.cross_entropy(logits, tgt, reduction="none") * msk).sum() / B
            loss.backward()
            opt.step()
        return loss

    def run(n: int, warmup: int) -> tuple[float, float]:
        torch.set_num_threads(threads)
        reset()
        epochs(warmup)
        reset()
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            t0 = time.perf_counter()
            loss = epochs(n)
            elapsed = time.perf_counter() - t0
        finally:
            if gc_was_enabled:
                gc.enable()
        return elapsed, float(loss.item()) if loss is not None else math.nan

    return Engine("pytorch", run, threads, {"torch_version": torch.__version__, "torch_blas": torch_blas(torch)})


def octave_engine(p: Problem, threads: int, timeout: float) -> Engine:
    from rnncore.engine.octave import OctaveError, OctaveNotFoundError, find_octave, run_script

    try:
        find_octave()
    except OctaveNotFoundError as exc:
        raise Skip(f"skipped: Octave not found ({exc})") from None
    # Octave's OpenBLAS reads these when the fresh Octave process of each run_script call starts.
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    inputs = {f"P{k + 1}": a for k, a in enumerate(p.params.arrays())}
    inputs.update(MODEL=np.array([[1.0 if p.model == "full" else 2.0]]), X=p.x,
                  TGT=(p.targets + 1).astype(np.float64), MASK=p.mask, lr=np.array([[p.lr]]),
                  profiler=np.array([[0.0]]))
    engine = Engine("octave", None, threads)

    def run(n: int, warmup: int) -> tuple[float, float]:
        lines: list[str] = []
        # Octave writes start-up chatter (no X11 display, ...) straight to file descriptor 2; keep it
        # out of the table, and show its tail only if the run fails.
        with tempfile.TemporaryFile() as err:
            sys.stderr.flush()
            saved = os.dup(2)
            os.dup2(err.fileno(), 2)
            try:
                res = run_script(OCTAVE_SCRIPT, ["elapsed", "loss_last"], timeout=timeout, log=lines.append,
                                 inputs={**inputs, "n_warmup": np.array([[float(warmup)]]),
                                         "n_epochs": np.array([[float(n)]])})
            except OctaveError as exc:
                err.seek(0)
                tail = "\n".join(lines[-10:] + err.read().decode(errors="replace").splitlines()[-10:])
                raise RuntimeError(f"{exc}\n{tail}" if tail else str(exc)) from exc
            finally:
                os.dup2(saved, 2)
                os.close(saved)
        engine.versions = {"octave_version": res.versions.get("octave", ""),
                           "octave_blas": res.versions.get("blas", "")}
        return float(res.values["elapsed"][0, 0]), float(res.values["loss_last"][0, 0])

    engine.run = run
    return engine


# --------------------------------------------------------------------------- measuring


@dataclass
class Measured:
    engine: str
    status: str = "ok"
    ms: list = field(default_factory=list)  # ms/epoch, one per repetition
    loss_last: float = math.nan
    threads: int | None = None


def _say(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, flush=True)


def bench_config(p: Problem, engines: dict, reps: int, warmup: int, epochs: int | None, target_s: float,
                 min_epochs: int, max_epochs: int, quiet: bool) -> tuple[dict, int]:
    """Measure every engine of ``engines`` (name -> Engine or Skip message) on problem ``p``.

    Returns ({engine name: Measured}, epochs per repetition).
    """
    out = {}
    live = {}
    for name, eng in engines.items():
        if isinstance(eng, str):
            out[name] = Measured(name, status=eng)
        else:
            out[name] = Measured(name, threads=eng.threads)
            live[name] = eng

    def attempt(name, n, w):
        try:
            return live[name].run(n, w)
        except Exception as exc:  # an engine that breaks is reported, the others go on
            msg = " ".join(str(exc).split())[:300]
            out[name].status = f"failed: {type(exc).__name__}: {msg}"
            _say(f"  {name}: FAILED ({out[name].status})", quiet)
            del live[name]
            return None

    if epochs is None:  # calibration round: also the first warm-up of each engine
        per_epoch = {}
        n_cal = 3
        for name in list(live):
            r = attempt(name, n_cal, warmup)
            if r is not None:
                per_epoch[name] = r[0] / n_cal
        slowest = max(per_epoch.values(), default=0.0)
        epochs = min_epochs if slowest <= 0 else int(min(max(math.ceil(target_s / slowest), min_epochs), max_epochs))
        _say(f"  calibration: {', '.join(f'{k} {v * 1e3:.2f} ms' for k, v in per_epoch.items())} "
             f"-> {epochs} epochs per repetition", quiet)
    names = list(live)
    for r in range(reps):
        k = r % len(names) if names else 0
        for name in names[k:] + names[:k]:  # round-robin: a different engine goes first each round
            if name not in live:
                continue
            res = attempt(name, epochs, warmup)
            if res is None:
                continue
            elapsed, loss = res
            if not elapsed > 0:
                out[name].status = f"failed: non-positive time {elapsed!r}"
                del live[name]
                continue
            out[name].ms.append(elapsed / epochs * 1e3)
            out[name].loss_last = loss
        _say(f"  repetition {r + 1}/{reps}: " + ", ".join(
            f"{n} {out[n].ms[-1]:.3f}" for n in names if n in live and out[n].ms) + " ms/epoch", quiet)
    return out, epochs


def _median(xs):
    return float(np.median(xs)) if xs else math.nan


# --------------------------------------------------------------------------- output


def fmt(v, digits=3):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def print_table(rows: list[dict]) -> None:
    by = {}
    for r in rows:
        by.setdefault((r["model"], r["hidden"]), {})[r["engine"]] = r
    engines = [e for e in ENGINES if any(e in g for g in by.values())]
    head = f"{'model':6} {'H':>4} " + " ".join(f"{e + ' ms/epoch [p25-p75]':>32}" for e in engines)
    head += f" {'pytorch/rnncore':>16} {'octave/rnncore':>15}"
    print(head)
    print("-" * len(head))
    for (model, H), g in by.items():
        cells = []
        for e in engines:
            r = g.get(e)
            if r is None:
                cells.append(f"{'':>32}")
            elif r["status"] != "ok":
                cells.append(f"{r['status'].split(':')[0]:>32}")
            else:
                cells.append(f"{r['ms_per_epoch_median']:>10.3f} [{r['ms_p25']:.3f}-{r['ms_p75']:.3f}]".rjust(32))
        any_row = next(iter(g.values()))
        print(f"{model:6} {H:>4} " + " ".join(cells)
              + f" {fmt(any_row['ratio_pytorch_over_rnncore'], 2):>16} {fmt(any_row['ratio_octave_over_rnncore'], 2):>15}")
    skipped = {r["engine"]: r["status"] for r in rows if r["status"] != "ok"}
    for e, s in skipped.items():
        print(f"note: {e}: {s}")


def print_targets(rows: list[dict]) -> None:
    """The project's speed goals, read off the table (reported, never asserted)."""
    by = {}
    for r in rows:
        by.setdefault((r["model"], r["hidden"]), r)
    print("\nTargets (ratio = other engine's median / rnncore's; > 1 means rnncore is faster; "
          "in brackets the ratio of the best repetitions):")
    for (model, H), r in by.items():
        checks = []
        pt, oc = r["ratio_pytorch_over_rnncore"], r["ratio_octave_over_rnncore"]
        best = {"pytorch": r.get("ratio_pytorch_over_rnncore_best"), "octave": r.get("ratio_octave_over_rnncore_best")}
        if H <= 16:
            checks.append(("pytorch/rnncore >= 3", pt, 3.0))
        if H <= 64:
            checks.append(("octave/rnncore >= 2", oc, 2.0))
        if H >= 256:
            checks.append(("pytorch/rnncore >= 1", pt, 1.0))
            checks.append(("octave/rnncore >= 1", oc, 1.0))
        for label, v, goal in checks:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                verdict = "n/a (engine not measured)"
            else:
                verdict = "met" if v >= goal else f"MISSED (rnncore needs to be {goal / v:.2f}x faster)"
            b = fmt(best[label.split("/")[0]], 2)
            print(f"  {model:6} H={H:<4} {label:22} {fmt(v, 2):>8} [{b:>5}]  {verdict}")


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None or (isinstance(r.get(k), float) and math.isnan(r[k]))
                            else (repr(r[k]) if isinstance(r[k], float) else r[k])) for k in COLUMNS})


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: H=3 only, 1 repetition of 2 epochs, 1 warm-up epoch, no calibration")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "train_epoch.csv")
    ap.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    ap.add_argument("--hidden", nargs="+", type=int, default=None, help=f"hidden sizes (default {HIDDEN})")
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(DEFAULT_ENGINES))
    ap.add_argument("--repetitions", type=int, default=None, help="timed rounds per (model, H) (default 7)")
    ap.add_argument("--epochs", type=int, default=None, help="epochs per repetition (default: calibrated)")
    ap.add_argument("--warmup", type=int, default=None, help="untimed epochs before each repetition (default 2)")
    ap.add_argument("--target-seconds", type=float, default=1.0,
                    help="calibration aims at this many seconds per repetition for the slowest engine")
    ap.add_argument("--min-epochs", type=int, default=3)
    ap.add_argument("--max-epochs", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                    help=f"BLAS/compute threads for every engine (default {DEFAULT_THREADS})")
    ap.add_argument("--lr", type=float, default=LR)
    ap.add_argument("--octave-timeout", type=float, default=900.0, help="seconds per Octave call")
    ap.add_argument("--quiet", action="store_true", help="print only the final table")
    args = ap.parse_args(argv)
    quick = {"hidden": [3], "repetitions": 1, "epochs": 2, "warmup": 1}
    default = {"hidden": list(HIDDEN), "repetitions": 7, "epochs": None, "warmup": 2}
    for name, value in (quick if args.quick else default).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.repetitions < 1 or (args.epochs is not None and args.epochs < 1) or args.warmup < 0 or args.threads < 1:
        ap.error("--repetitions, --epochs and --threads must be >= 1, --warmup >= 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    quiet = args.quiet
    blas_desc, blas_threads = numpy_blas_info()
    threads = args.threads
    limiter = limit_numpy_threads(threads)  # kept alive (referenced) for the whole run
    if limiter is None and blas_threads is not None and blas_threads != threads:
        print(f"warning: cannot set numpy's BLAS threads to {threads} without threadpoolctl", file=sys.stderr)
    blas_desc, numpy_threads = numpy_blas_info()
    torch = import_torch() if "pytorch" in args.engines else None
    if "pytorch" in args.engines and torch is None:
        print(f"PyTorch is not installed: the pytorch engine is skipped (pip install {TORCH_PIN}).", flush=True)

    task = plural_task("train")
    n_in, B, T = task.x.shape
    load_start = os.getloadavg()[0]
    if load_start > (os.cpu_count() or 1) and not quiet:
        print(f"warning: load average {load_start:.2f} on {os.cpu_count()} cores: other work is running, "
              f"times will be noisy (the round-robin keeps the ratios fair)", flush=True)
    common = {
        "data": "plural_task('train')", "batch": B, "steps": T, "n_in": n_in, "n_out": len(task.alphabet),
        "lr": args.lr, "numpy_version": np.__version__, "numpy_blas": blas_desc,
        "torch_version": torch.__version__ if torch else "not installed",
        "torch_blas": torch_blas(torch) if torch else "",
        "octave_version": "", "octave_blas": "",
        "python_version": platform.python_version(), "platform": platform.platform(), "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(), "loadavg_start": round(load_start, 2),
        "timestamp_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    _say(f"machine: {common['cpu_model']}, {os.cpu_count()} cores; "
         f"numpy {np.__version__} ({blas_desc}, {numpy_threads} threads); "
         f"torch {common['torch_version']} ({common['torch_blas'] or '-'}); threads per engine: {threads}; "
         f"data {B} sequences x {T} steps, {n_in} symbols", quiet)

    rows = []
    octave_versions = {}
    for model in args.models:
        for H in args.hidden:
            _say(f"{model} H={H}", quiet)
            p = make_problem(model, H, task, args.lr)
            engines = {}
            for name in args.engines:
                try:
                    if name in ("rnncore", "rnncore-fresh"):
                        engines[name] = rnncore_engine(p, numpy_threads or threads, reuse=name == "rnncore")
                    elif name == "octave":
                        engines[name] = octave_engine(p, threads, args.octave_timeout)
                    else:
                        engines[name] = pytorch_engine(p, threads, torch)
                except Skip as exc:
                    engines[name] = str(exc)
                    _say(f"  {name}: {exc}", quiet)
            measured, epochs = bench_config(p, engines, args.repetitions, args.warmup, args.epochs,
                                            args.target_seconds, args.min_epochs, args.max_epochs, quiet)
            if "octave" in engines and not isinstance(engines["octave"], str) and engines["octave"].versions:
                octave_versions = engines["octave"].versions
            med = {n: _median(m.ms) for n, m in measured.items()}
            base = med.get("rnncore", math.nan)
            ratio = {n: (med[n] / base if n in med and base > 0 else math.nan) for n in ("pytorch", "octave")}
            # Best repetitions: other work on the machine only ever adds time, so the fastest
            # repetition of each engine is the least disturbed one (timeit's argument for the min).
            best = {n: (min(m.ms) if m.ms else math.nan) for n, m in measured.items()}
            base_best = best.get("rnncore", math.nan)
            ratio_best = {n: (best[n] / base_best if n in best and base_best > 0 else math.nan)
                          for n in ("pytorch", "octave")}
            base_loss = measured["rnncore"].loss_last if "rnncore" in measured else math.nan
            for name in args.engines:
                m = measured[name]
                ok = m.status == "ok" and bool(m.ms)
                if m.status == "ok" and not m.ms:
                    m.status = "failed: no repetition finished"
                rows.append({
                    "model": model, "hidden": H, "engine": name, "status": m.status,
                    "ms_per_epoch_median": med[name] if ok else math.nan,
                    "ms_p25": float(np.percentile(m.ms, 25)) if ok else math.nan,
                    "ms_p75": float(np.percentile(m.ms, 75)) if ok else math.nan,
                    "ms_min": min(m.ms) if ok else math.nan,
                    "ms_max": max(m.ms) if ok else math.nan,
                    "repetitions": len(m.ms), "epochs_per_rep": epochs if ok else "",
                    "warmup_epochs": args.warmup, "threads": m.threads if m.threads is not None else "",
                    "ratio_pytorch_over_rnncore": ratio["pytorch"],
                    "ratio_octave_over_rnncore": ratio["octave"],
                    "ratio_pytorch_over_rnncore_best": ratio_best["pytorch"],
                    "ratio_octave_over_rnncore_best": ratio_best["octave"],
                    "loss_last": m.loss_last if ok else math.nan,
                    "loss_rel_diff_vs_rnncore": (abs(m.loss_last - base_loss) / abs(base_loss)
                                                 if ok and base_loss and not math.isnan(base_loss) else math.nan),
                    **common,
                })
    load_end = os.getloadavg()[0]
    for r in rows:
        r.update(octave_versions)
        r["loadavg_end"] = round(load_end, 2)
        if r["engine"] == "octave" and not r["octave_version"] and "octave" in args.engines:
            r["octave_version"] = "not measured"
    write_csv(args.out, rows)
    print(f"\nmachine: {common['cpu_model']}, {os.cpu_count()} cores; {threads} thread(s) per engine")
    print_table(rows)
    print_targets(rows)
    drift = [r for r in rows if isinstance(r["loss_rel_diff_vs_rnncore"], float)
             and r["loss_rel_diff_vs_rnncore"] > 1e-6]
    for r in drift:
        print(f"warning: {r['model']} H={r['hidden']} {r['engine']}: last loss differs from rnncore's by "
              f"{r['loss_rel_diff_vs_rnncore']:.2e} (relative): not the same computation?")
    print(f"\nwrote {args.out} (load average {load_start:.2f} at the start, {load_end:.2f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
