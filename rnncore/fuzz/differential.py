"""Run generated programs in Octave and as translated ports, and say how each one came out.

Octave runs a whole batch of programs in one session (:func:`rnncore.engine.octave.run_scripts`: each
script in a workspace of its own, an error caught as that script's result); the ports are
translated, imported and run in this process. Every variable of the final workspace is compared:
class, size, and values with the parity engine's comparator (:func:`rnncore.engine.parity.compare_values`)
at the project's default Octave-vs-Python tolerance (``config/config.yaml``), text and logicals
exactly like any number.

A program's outcome is one of

* ``match``: both ran, and every variable agrees;
* ``refused``: the translator named a construct it does not translate (:class:`TranslationError`),
  or the port stopped at a value outside the subset (a complex result), saying so;
* ``both-raise``: Octave stopped with an error, and the port raised a :class:`MatlabError` of the
  same kind (:func:`error_kind`: an index out of bounds, nonconformant arguments, an undefined
  name, or any other error);
* ``mismatch``: anything else: a variable that differs, one side raising and not the other, errors
  of different kinds, a Python exception that is not a ``MatlabError``, a port that does not finish;
* ``octave-timeout``: Octave did not finish the program (the generator bounds every loop, so this
  is a bug of the generator, and counted as a failure too).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import re
import signal
import sys
import tempfile
import threading
import types
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from rnncore.engine.octave import OCTAVE_TIMEOUT_S, OctaveTimeoutError, ScriptRun, run_scripts
from rnncore.engine.parity import Tolerance, compare_values
from rnncore.io import Value
from rnncore.fuzz.program import Program
from rnncore.translate.emit import emit_module, signature_of
from rnncore.translate.errors import TranslationError
from rnncore.translate.parse import parse
from rnncore.translate.runtime import MatlabError

__all__ = ["Outcome", "OUTCOMES", "error_kind", "default_tolerance", "run_programs", "translate_program",
           "compare_workspaces"]

OUTCOMES = ("match", "refused", "both-raise", "mismatch", "octave-timeout")

# The subset's own refusal at run time (rnncore.translate.runtime says "outside rnncore translate's subset").
_OUTSIDE = "outside rnncore translate's subset"


@dataclass(frozen=True)
class Outcome:
    """How one program came out (see the module docstring); ``detail`` says why, in one line."""

    program: Program
    kind: str
    detail: str = ""
    octave: ScriptRun | None = field(default=None, repr=False)  # what Octave left (None: it did not finish)


def error_kind(message: str, identifier: str = "") -> str:
    """The kind of a MATLAB error, from Octave's identifier or either engine's message: ``index``
    (out of bounds, a bad subscript, an ambiguous resize), ``nonconformant`` (operand or
    concatenation sizes), ``undefined`` (a name, or an output the function did not assign: Octave
    says "'y' undefined"), or ``other``."""
    if identifier in ("Octave:index-out-of-bounds", "Octave:invalid-index", "Octave:bad-index") or re.search(
            r"out of bound|subscripts must be|index out of range|resiz|cannot grow", message):
        return "index"
    if identifier == "Octave:nonconformant-args" or re.search(r"nonconformant|dimensions mismatch", message):
        return "nonconformant"
    if identifier == "Octave:undefined-function" or re.search(r"\bundefined\b|was not assigned", message):
        return "undefined"
    return "other"


def default_tolerance(config: str | Path | None = None) -> Tolerance:
    """The default Octave-vs-Python tolerance of ``config`` (the project's ``config/config.yaml``;
    without one, the course template's, which holds the same default)."""
    from rnncore.config import read_config_file

    if config is None:
        root = Path(__file__).resolve().parents[2]
        config = root / "config" / "config.yaml"
        if not config.is_file():
            config = Path(__file__).resolve().parents[1] / "tool" / "templates" / "course" / "config.yaml"
    tol = read_config_file(config)["tolerance"]
    return Tolerance(ulp=int(tol["ulp"]), atol=float(tol["atol"]))


# --------------------------------------------------------------------------- the Python side

_PACKAGES = itertools.count()


def translate_program(program: Program) -> dict[str, str]:
    """The ports of a program's files: ``{module name: Python source}``, the script's first.

    The modules are the translator's own (:func:`rnncore.translate.emit.emit_module`, as
    :func:`rnncore.translate.translate_source` makes them) without black's formatting, which the
    fuzzer does not need: black checks that it leaves the syntax tree unchanged, so it cannot
    change what a port does, and it would triple the time a program takes here.
    """
    files = program.files()
    parsed = {name: parse(text, f"{name}.m") for name, text in files.items()}

    def resolve(name: str):
        return signature_of(parsed[name]) if name in parsed and name != program.name else None

    out = {}
    todo = [program.name]
    while todo:
        name = todo.pop(0)
        if name in out:
            continue
        source, callees = emit_module(parsed[name], resolve)
        out[name] = source
        todo.extend(sorted(callees))
    return out


class _PortTimeout(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float):
    """Raise :class:`_PortTimeout` in this thread after ``seconds`` (main thread only: elsewhere
    there is no timer, and the batch's own limits are all there is)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _PortTimeout()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run_port(modules: dict[str, str], main: str, timeout: float) -> dict:
    """Import the modules as one throw-away package and run the script's port; its workspace."""
    package = f"_rnncore_fuzz_{next(_PACKAGES)}"
    pkg = types.ModuleType(package)
    pkg.__path__ = []
    names = [package]
    sys.modules[package] = pkg
    try:
        # the called function files first, so the script's `from .f import f` finds them loaded
        for name in [m for m in modules if m != main] + [main]:
            module = types.ModuleType(f"{package}.{name}")
            module.__package__ = package
            sys.modules[module.__name__] = module
            names.append(module.__name__)
        for name in [m for m in modules if m != main] + [main]:
            module = sys.modules[f"{package}.{name}"]
            exec(compile(modules[name], f"<port {name}>", "exec"), module.__dict__)  # noqa: S102 - our own translation
        port = getattr(sys.modules[f"{package}.{main}"], main)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()), _deadline(timeout):
            warnings.simplefilter("ignore")
            return port()
    finally:
        for n in names:
            sys.modules.pop(n, None)


# --------------------------------------------------------------------------- comparing


def _python_class(v) -> str:
    if isinstance(v, str):
        return "char"
    if isinstance(v, list):
        return "cell"
    if callable(v) and not isinstance(v, np.ndarray):
        return "function_handle"
    a = np.asarray(v)
    return {"b": "logical", "f": "double"}.get(a.dtype.kind, "char" if a.dtype == np.uint16 else f"numpy {a.dtype}")


def _python_value(v) -> Value | None:
    """A port's value (the port contract) as a :class:`Value`; None for a function handle."""
    cls = _python_class(v)
    if cls == "function_handle":
        return None
    if isinstance(v, str):
        return Value("char", (1, len(v)), data=np.array([[ord(c) for c in v]], dtype=np.float64).reshape(1, len(v)))
    if isinstance(v, list):
        shape = tuple(getattr(v, "shape", (1, len(v))))
        return Value("cell", shape, items=tuple(_python_value(x) for x in v))
    a = np.asarray(v)
    if a.ndim < 2 or cls.startswith("numpy"):
        raise ValueError(f"the port returned {cls} of shape {a.shape}, which is no MATLAB value")
    return Value(cls, a.shape, data=a.astype(np.float64))


def _differs(name: str, ours: Value, theirs: Value | None, tol: Tolerance) -> str | None:
    """Why the port's value ``theirs`` is not Octave's ``ours`` (None when it is)."""
    if theirs is None or ours.cls != theirs.cls:
        return f"{name} is {ours.cls} in Octave, {theirs.cls if theirs else 'a function handle'} in the port"
    if ours.cls == "cell":
        if ours.shape != theirs.shape:
            return f"{name} is a {ours.size_text} cell in Octave, {theirs.size_text} in the port"
        for k, (a, b) in enumerate(zip(ours.items, theirs.items), 1):
            why = _differs(f"{name}{{{k}}}", a, b, tol)
            if why:
                return why
        return None
    cmp = compare_values(name, "octave", ours, "python", theirs, tol)
    if cmp.status == "pass":
        return None
    if cmp.status == "fail":
        return (f"{name}: {cmp.n_fail} of {cmp.n_elements} elements differ beyond {tol.describe()}; at "
                f"{cmp.worst} Octave has {cmp.worst_values[0]!r}, the port {cmp.worst_values[1]!r}")
    return cmp.message or f"{name}: {cmp.status}"


def compare_workspaces(octave: ScriptRun, port: dict, tol: Tolerance) -> str | None:
    """Why the port's workspace is not Octave's (the first difference), or None when they agree."""
    if sorted(octave.classes) != sorted(port):
        only_o = sorted(set(octave.classes) - set(port))
        only_p = sorted(set(port) - set(octave.classes))
        return f"variables differ: only in Octave {only_o}, only in the port {only_p}"
    for name in sorted(octave.classes):
        cls = octave.classes[name]
        if name in octave.unsupported:
            if cls != _python_class(port[name]):
                return f"{name} is {cls} in Octave, {_python_class(port[name])} in the port"
            if cls != "function_handle":
                return f"{name}: {octave.unsupported[name]}, and the port gave a value"
            continue
        try:
            theirs = _python_value(port[name])
        except ValueError as exc:
            return f"{name}: {exc}"
        why = _differs(name, octave.values[name], theirs, tol)
        if why:
            return why
    return None


def _outcome(program: Program, octave: ScriptRun, tol: Tolerance, port_timeout: float) -> Outcome:
    try:
        modules = translate_program(program)
    except TranslationError as exc:
        return Outcome(program, "refused", str(exc))
    except Exception as exc:  # noqa: BLE001 - a crash of the translator is what the fuzzer is looking for
        return Outcome(program, "mismatch", f"the translator crashed: {type(exc).__name__}: {exc}")
    try:
        workspace = _run_port(modules, program.name, port_timeout)
    except MatlabError as exc:
        if _OUTSIDE in str(exc):  # the port stopped at a value it says it cannot promise, whatever Octave did
            return Outcome(program, "refused", f"at run time: {exc}")
        if octave.error is not None:
            ko, kp = error_kind(octave.error, octave.identifier), error_kind(str(exc))
            if ko == kp:
                return Outcome(program, "both-raise", f"{ko}: Octave: {octave.error} | port: {exc}")
            return Outcome(program, "mismatch", f"errors of different kinds: Octave ({ko}): {octave.error} | "
                                                f"port ({kp}): {exc}")
        return Outcome(program, "mismatch", f"only the port raised: {exc}")
    except _PortTimeout:
        return Outcome(program, "mismatch", f"the port did not finish within {port_timeout:g} s")
    except Exception as exc:  # noqa: BLE001
        return Outcome(program, "mismatch", f"the port raised {type(exc).__name__} (not a MatlabError): {exc}")
    if octave.error is not None:
        return Outcome(program, "mismatch", f"only Octave raised: {octave.error}")
    why = compare_workspaces(octave, workspace, tol)
    return Outcome(program, "mismatch", why) if why else Outcome(program, "match")


# --------------------------------------------------------------------------- the batches


def _octave_runs(programs: Sequence[Program], folder: Path, timeout: float, octave_executable) -> list:
    """Octave's run of every program (None for one Octave did not finish), halving a batch that
    times out until the program that hangs is alone."""
    try:
        return run_scripts(folder, [p.name for p in programs], timeout=timeout, octave_executable=octave_executable)
    except OctaveTimeoutError:
        if len(programs) == 1:
            return [None]
        half = len(programs) // 2
        return (_octave_runs(programs[:half], folder, timeout, octave_executable)
                + _octave_runs(programs[half:], folder, timeout, octave_executable))


def run_programs(programs: Sequence[Program], *, workdir: str | Path | None = None, batch: int = 250,
                 tolerance: Tolerance | None = None, octave_timeout: float = OCTAVE_TIMEOUT_S, port_timeout: float = 10.0,
                 octave_executable: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """The outcome of every program, in order. Programs run ``batch`` at a time in one Octave
    session (``octave_timeout`` seconds for a batch); ``port_timeout`` bounds each port."""
    tol = tolerance or default_tolerance()
    names = [p.name for p in programs]
    if len(set(names)) != len(names):
        raise ValueError("every program of a run needs a name of its own (its script's file name)")
    out: list[Outcome] = []
    with contextlib.ExitStack() as stack:
        root = Path(workdir) if workdir is not None else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="rnncore-fuzz-")))
        for start in range(0, len(programs), batch):
            chunk = list(programs[start:start + batch])
            folder = root / f"batch{start // batch}"
            folder.mkdir(parents=True, exist_ok=True)
            for p in chunk:
                for name, text in p.files().items():
                    (folder / f"{name}.m").write_text(text, encoding="utf-8")
            runs = _octave_runs(chunk, folder, octave_timeout, octave_executable)
            for p, run in zip(chunk, runs):
                if run is None:
                    out.append(Outcome(p, "octave-timeout", f"Octave did not finish within {octave_timeout:g} s"))
                else:
                    out.append(replace(_outcome(p, run, tol, port_timeout), octave=run))
            if progress is not None:
                progress(len(out), len(programs))
    return out


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """How many programs came out each way, every outcome named (0 included), in :data:`OUTCOMES` order."""
    got = {k: 0 for k in OUTCOMES}
    for o in outcomes:
        got[o.kind] += 1
    return got


def share(outcomes: Sequence[Outcome], kind: str) -> float:
    return counts(outcomes)[kind] / len(outcomes) if outcomes else math.nan
