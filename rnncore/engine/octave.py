"""Run a MATLAB script in GNU Octave through oct2py and bring back named variables.

Each call to :func:`run_script` starts a fresh Octave process (no ``~/.octaverc``, its own
temporary directory), so runs never see each other's workspace or files and can run side by side.
It

1. puts compatibility shims (``matlab_ref/compat/*.m``) on the path, only for names Octave does
   not define itself;
2. runs the script in the base workspace with ``run()`` under a timeout, Octave's own display
   output streamed to ``log``, with the profiler on so that the shims the script really called
   are known (Octave has no ``inmem``);
3. reads ``class()`` and ``size()`` of each requested variable on the Octave side and pulls the
   values with ``keep_matlab_shapes`` (oct2py otherwise squeezes 3x1 to (3,) and 1x1 to a scalar).

Failures raise an :class:`OctaveError` subclass whose message says what went wrong and where:
Octave missing (and how to install it), a parse or runtime error (file and line, from Octave's
error stack), a variable the script did not define (with those it did), a timeout.

``oct2py`` is imported inside :func:`run_script` only: importing it starts an Octave session
(~1 s), which code that never talks to Octave should not pay for.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from rnncore.engine.preflight import scan_m_file

__all__ = [
    "OctaveError",
    "OctaveNotFoundError",
    "OctaveScriptError",
    "OctaveTimeoutError",
    "MissingVariableError",
    "UnsupportedVariableError",
    "OctaveResult",
    "OctaveDrawsResult",
    "run_function_draws",
    "find_octave",
    "run_script",
]

INSTALL_HINT = (
    "Install it with `apt-get install octave` (Debian/Ubuntu, as root; `sudo apt-get install octave` "
    "otherwise), or set OCTAVE_EXECUTABLE to the full path of octave-cli."
)

# MATLAB classes whose values compare as float64 arrays.
NUMERIC_CLASSES = frozenset(
    {"double", "single", "logical", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
)


class OctaveError(RuntimeError):
    """Base class: something went wrong running a script in Octave."""


class OctaveNotFoundError(OctaveError):
    """No Octave executable on this machine."""


class OctaveScriptError(OctaveError):
    """The script failed to parse or raised an error; ``file`` and ``line`` say where (None if unknown)."""

    def __init__(self, message, *, file=None, line=None, column=None, octave_message=""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.octave_message = octave_message


class OctaveTimeoutError(OctaveError):
    """The script did not finish within the timeout; the session was killed."""


class MissingVariableError(OctaveError):
    """The script ran but did not define every requested variable."""

    def __init__(self, message, *, missing, defined):
        super().__init__(message)
        self.missing = tuple(missing)
        self.defined = tuple(defined)


class UnsupportedVariableError(OctaveError):
    """A requested variable is not a numeric or logical array (cell, struct, char, ...)."""


@dataclass(frozen=True)
class OctaveResult:
    """What one script run produced."""

    values: dict[str, np.ndarray]  # requested variables, float64, MATLAB shape (always >= 2-D)
    classes: dict[str, str]  # MATLAB class() of each requested variable, as Octave reports it
    sizes: dict[str, tuple[int, ...]]  # MATLAB size() of each requested variable
    workspace: tuple[str, ...]  # every variable the script left in the base workspace, sorted
    shims_used: tuple[str, ...]  # shim names the script called (placed on the path and profiled)
    shims_on_path: tuple[str, ...]  # shim names placed on the path because Octave lacks them
    missing: tuple[str, ...] = ()  # requested but not defined (only with require_all=False)
    findings: tuple = ()  # pre-flight findings (rnncore.engine.preflight.Finding), also written to the log
    unsupported: dict[str, str] = field(default_factory=dict)  # name -> why it cannot be compared
    #   (cell, struct, complex, ...; only with require_all=False, else UnsupportedVariableError)
    versions: dict[str, str] = field(default_factory=dict)  # octave, blas, lapack, oct2py


def find_octave() -> str:
    """Path of the Octave executable: ``$OCTAVE_EXECUTABLE``, else ``octave-cli``, else ``octave``."""
    wanted = os.environ.get("OCTAVE_EXECUTABLE")
    if wanted:
        found = shutil.which(wanted)
        if not found:
            raise OctaveNotFoundError(
                f"OCTAVE_EXECUTABLE={wanted!r} is not an executable. GNU Octave is needed to run the "
                f"original MATLAB scripts. {INSTALL_HINT}"
            )
        return found
    for name in ("octave-cli", "octave"):
        found = shutil.which(name)
        if found:
            return found
    raise OctaveNotFoundError(
        f"GNU Octave is not installed (no octave-cli or octave on PATH); it is needed to run the "
        f"original MATLAB scripts. {INSTALL_HINT}"
    )


def _check_starts(executable: str, timeout: float) -> None:
    """Run ``executable --eval 'disp(version)'`` once, killed after ``timeout`` seconds.

    oct2py's own start-up check (octave_kernel) waits on that command with no timeout, so an
    executable that hangs would hang the run (and even ``import oct2py``) for ever.
    """
    cmd = [executable, "--no-gui", "--no-init-file", "--eval", "disp(version)"]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise OctaveError(f"could not start Octave ({executable}): {exc}") from exc
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: children of a wrapper script too
        except ProcessLookupError:
            pass
        proc.wait()
        raise OctaveTimeoutError(
            f"could not start Octave ({executable}): `{' '.join(cmd)}` did not finish within the "
            f"{timeout:g} s timeout and was killed"
        ) from None
    if proc.returncode != 0:
        detail = err.strip()[-500:] or "(nothing on stderr)"
        raise OctaveError(
            f"could not start Octave ({executable}): `{' '.join(cmd)}` exited with status "
            f"{proc.returncode}: {detail}"
        )


def _octave_string(text: str) -> str:
    """``text`` as a single-quoted Octave string literal."""
    if "\n" in text or "\r" in text:
        raise ValueError(f"cannot pass a path with a newline to Octave: {text!r}")
    return "'" + text.replace("'", "''") + "'"


# Octave names its own helpers __x__; ours share that style so a course script will not collide.
_ERR = "__rnncore_err__"


_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_IDENT_DOTTED = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}(\.[A-Za-z][A-Za-z0-9_]{0,62})*$")

# "parse error near line 3 of file /path/x.m" (Octave 7's wording for syntax errors)
_PARSE_RE = re.compile(r"parse error near line (\d+) of file (.+?\.m)")


def _script_error(script: Path, err) -> OctaveScriptError:
    """Turn Octave's MException (pulled as an oct2py Struct) into a located error."""
    message = str(err["message"]).strip()
    m = _PARSE_RE.search(message)
    if m:
        line, file = int(m.group(1)), m.group(2)
        detail = message[m.end():].strip() or "syntax error"
        return OctaveScriptError(
            f"{file}:{line}: parse error in the MATLAB script: {detail.splitlines()[0].strip()}",
            file=file, line=line, octave_message=message,
        )
    frames = []
    stack = err.get("stack")
    if stack is not None and len(stack):
        for item in np.atleast_1d(stack).ravel():
            frames.append((str(item["file"]), str(item["name"]), int(np.asarray(item["line"]).ravel()[0]),
                           int(np.asarray(item["column"]).ravel()[0])))
    # The innermost frame in a file of the user's (not Octave's run.m or oct2py's _pyeval.m).
    script_resolved = str(script.resolve())
    user_frames = [f for f in frames if f[0] and not f[0].startswith(("/usr/share/octave", "/usr/lib/octave"))
                   and not f[0].endswith("_pyeval.m")]
    chosen = user_frames[0] if user_frames else None
    caller = next((f for f in user_frames if f[0] == script_resolved), None)
    if chosen is None:
        return OctaveScriptError(f"{script}: error while running the MATLAB script: {message}",
                                 file=str(script), octave_message=message)
    file, name, line, column = chosen
    where = f"{file}:{line}:{column}"
    via = "" if file == script_resolved else f" (called from {script}{f':{caller[2]}' if caller else ''})"
    ident = str(err.get("identifier") or "")
    ident = f" [{ident}]" if ident else ""
    return OctaveScriptError(f"{where}: error in {name}{via}: {message}{ident}",
                             file=file, line=line, column=column, octave_message=message)


def _as_float_array(name: str, value, matlab_class: str, size: tuple[int, ...]) -> np.ndarray:
    if matlab_class not in NUMERIC_CLASSES:
        raise UnsupportedVariableError(
            f"variable {name!r} is a MATLAB {matlab_class} of size {'x'.join(map(str, size))}; only numeric "
            f"and logical arrays can be compared element by element"
        )
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        raise UnsupportedVariableError(f"variable {name!r} is complex ({matlab_class}); complex values are not compared")
    arr = arr.astype(np.float64)
    # keep_matlab_shapes keeps 2-D shapes; an empty or 1x1 value can still come back flatter.
    if arr.shape != size:
        arr = arr.reshape(size, order="F")
    return arr


def _kill(pid: int | None) -> None:
    """SIGKILL ``pid`` if it is still an Octave process (a pid can be reused once it has exited)."""
    if not pid:
        return
    try:
        if b"octave" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return
    except OSError:
        return  # gone already (or no /proc: nothing more we can check)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class _Session:
    """One fresh Octave process with shims placed; always torn down (and killed if need be) on exit."""

    def __init__(self, executable: str, timeout: float, log: Callable[[str], None], shim_dirs):
        self.executable, self.timeout, self.log, self.shim_dirs = executable, timeout, log, shim_dirs

    def _stream(self, text):
        for line in str(text).splitlines():
            self.log(line)

    def __enter__(self):
        _check_starts(self.executable, self.timeout)  # before importing oct2py, whose import starts a session
        import oct2py  # deferred: importing oct2py starts a session (see module docstring)
        from oct2py import Oct2Py, Oct2PyError

        self.Oct2PyError = Oct2PyError
        self.tmp = Path(tempfile.mkdtemp(prefix="rnncore-octave-"))
        (self.tmp / "oct2py").mkdir()
        self.session, self.pid = None, None
        try:
            try:
                self.session = Oct2Py(executable=self.executable, timeout=self.timeout, keep_matlab_shapes=True,
                                      temp_dir=str(self.tmp / "oct2py"), load_octaverc=False)
            except Oct2PyError as exc:
                raise OctaveError(f"could not start Octave ({self.executable}): {exc}") from exc
            self.pid = getattr(getattr(self.session._engine.repl, "child", None), "pid", None)
            # A killed session (timeout, Ctrl-C) would otherwise dump `octave-workspace` into whatever
            # folder it was in, e.g. next to the user's script.
            self.eval("crash_dumps_octave_core(false); sighup_dumps_octave_core(false); "
                      "sigterm_dumps_octave_core(false);")
            self.graphics = self._headless_graphics()
            self.versions = {
                "octave": str(self.ask("version()")),
                "blas": str(self.ask("version('-blas')")).strip(),
                "lapack": str(self.ask("version('-lapack')")).strip(),
                "oct2py": oct2py.__version__,
            }
            self.placed = self._place_shims()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.session is not None:
            try:
                self.session.exit()
            except Exception:  # the session may already be dead after a timeout
                pass
        _kill(self.pid)  # exit() only signals; make sure no Octave outlives the run
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ask(self, expr):
        return self.session.eval(expr, nout=1, verbose=False, stream_handler=self._stream)

    def eval(self, code):
        self.session.eval(code, verbose=False, stream_handler=self._stream)

    def flag(self, expr) -> int:
        return int(np.asarray(self.ask(expr)).ravel()[0])

    def _headless_graphics(self) -> str:
        """Make figures and plots work without a display: gnuplot, every figure invisible.

        octave-cli has no Qt toolkit; Debian's gnuplot-nox gives it one that draws nowhere. Without
        it, `figure` fails with "no graphics toolkits are available", which the log then explains.
        """
        toolkits = {str(t) for t in np.asarray(self.ask("available_graphics_toolkits()"), dtype=object).ravel()}
        if "gnuplot" not in toolkits:
            self.log("[rnncore] no graphics toolkit in this Octave: a script that draws figures will fail "
                     "(install Debian's gnuplot-nox and fonts-freefont-otf)")
            return "none"
        self.eval("warning('off', 'Octave:gnuplot-graphics'); graphics_toolkit('gnuplot'); "
                  "set(0, 'defaultfigurevisible', 'off');")
        return "gnuplot (invisible figures)"

    def check_names(self, scan, injected=()) -> list:
        """Log the scan's findings and every called name neither Octave, a shim nor the runner defines."""
        from rnncore.engine.preflight import undefined_findings

        names = sorted(n for n in scan.called if n not in injected and _IDENT_DOTTED.match(n))
        defined = {}
        if names:
            cell = "{" + ", ".join(_octave_string(n) for n in names) + "}"
            answers = np.asarray(self.ask(f"cellfun(@(n) exist(n) > 0, {cell})"), dtype=bool).ravel()
            defined = dict(zip(names, answers.tolist()))
        findings = sorted([*scan.findings, *undefined_findings(scan, defined)], key=lambda f: (f.line, f.column))
        for f in findings:
            self.log(f"[preflight] {f.severity}: {f.message}")
        if not findings:
            self.log(f"[preflight] {scan.path}: nothing to report")
        return findings

    def _place_shims(self) -> list[str]:
        """Copy each shim whose name Octave lacks (``exist == 0``, asked before any is added) onto the path."""
        candidates = sorted({p.stem: p for d in self.shim_dirs for p in Path(d).glob("*.m")}.items())
        placed = []
        shim_path = self.tmp / "shims"
        for name, path in candidates:
            if self.flag(f"exist({_octave_string(name)})") == 0:
                shim_path.mkdir(exist_ok=True)
                shutil.copy2(path, shim_path / path.name)
                placed.append(name)
        if placed:
            self.eval(f"addpath({_octave_string(str(shim_path))});")
        return placed

    def run_profiled(self, body: str, what: Path) -> None:
        """Run ``body`` under the profiler and the timeout; a caught error is raised as located."""
        code = f"clear {_ERR};\nprofile clear; profile on;\ntry\n{body}\ncatch {_ERR}\nend\nprofile off;"
        try:
            self.session.eval(code, timeout=self.timeout, stream_handler=self._stream)
        except self.Oct2PyError as exc:
            if "Timed out" in str(exc):
                raise OctaveTimeoutError(
                    f"{what}: still running after the {self.timeout:g} s timeout; the Octave session was killed"
                ) from None
            raise OctaveError(f"{what}: Octave failed while running it: {exc}") from exc
        # The error variable exists only if the catch ran (a script's own `clear` may run first).
        if self.flag(f"exist('{_ERR}', 'var')"):
            raise _script_error(what, self.session.pull(_ERR))

    def shims_called(self) -> tuple[str, ...]:
        called = self.ask("{profile('info').FunctionTable.FunctionName}")
        called = {str(c) for c in np.asarray(called, dtype=object).ravel()}
        return tuple(n for n in self.placed if n in called)


def _describe_value(value) -> tuple[str, tuple[int, ...]]:
    cls, size = np.asarray(value, dtype=object).ravel()
    return str(cls), tuple(int(s) for s in np.asarray(size).ravel())


def run_script(
    script: str | os.PathLike,
    variables: Sequence[str],
    *,
    shim_dirs: Sequence[str | os.PathLike] = (),
    timeout: float = 60.0,
    log: Callable[[str], None] | None = None,
    inputs: Mapping[str, np.ndarray] | None = None,
    octave_executable: str | None = None,
    require_all: bool = True,
) -> OctaveResult:
    """Run ``script`` in a fresh Octave session and return ``variables`` with their MATLAB metadata.

    Parameters
    ----------
    script : path to a MATLAB script (.m). It runs through Octave's ``run()``, which changes into
        the script's folder first, as MATLAB's does.
    variables : names to bring back; each must exist in the base workspace afterwards.
    shim_dirs : folders of ``name.m`` compatibility functions, placed on the path only for names
        Octave does not already define (``exist(name) == 0``).
    timeout : seconds the script may run; past it the session is interrupted and killed.
    log : called with each line Octave prints (the script's displays and warnings).
    inputs : arrays assigned in the base workspace before the script runs.
    octave_executable : overrides :func:`find_octave`.
    require_all : if True, a variable the script did not define raises :class:`MissingVariableError`
        and one that cannot be compared (cell, struct, complex) :class:`UnsupportedVariableError`; if
        False, they are left out of ``values`` and listed in ``missing`` / ``unsupported`` for the
        caller to report. A ``char`` variable comes back as its character codes (class ``char``).
    """
    script = Path(script)
    if not script.is_file():
        raise OctaveScriptError(f"{script}: MATLAB script not found", file=str(script))
    executable = octave_executable or find_octave()
    with _Session(executable, timeout, log or (lambda line: None), shim_dirs) as octave:
        for name, value in (inputs or {}).items():
            octave.session.push(name, np.asarray(value))
        # run() changes into the script's folder, so the functions beside it are defined there.
        beside = {p.stem for p in script.resolve().parent.glob("*.m")}
        findings = octave.check_names(scan_m_file(script), injected=set(inputs or {}) | beside)
        octave.run_profiled(f"  run({_octave_string(str(script.resolve()))});", script)
        used = octave.shims_called()

        # oct2py sets `ans` in the base workspace before every call, so it says nothing about the script.
        workspace = tuple(sorted(str(w) for w in np.asarray(octave.ask("who()"), dtype=object).ravel()
                                 if str(w) not in (_ERR, "ans")))
        missing = tuple(v for v in variables if v not in workspace)
        if missing and require_all:
            raise MissingVariableError(
                f"{script}: the script did not define {', '.join(missing)}; it defined: "
                f"{', '.join(workspace) or '(nothing)'}",
                missing=missing, defined=workspace,
            )

        classes, sizes, values, unsupported = {}, {}, {}, {}
        for name in (v for v in variables if v not in missing):
            classes[name], sizes[name] = _describe_value(octave.ask(f"{{class({name}), size({name})}}"))
            if classes[name] == "char":
                # Text compares by its character codes, which keep the char array's shape exactly.
                values[name] = _as_float_array(name, octave.ask(f"double({name})"), "double", sizes[name])
                continue
            try:
                values[name] = _as_float_array(name, octave.session.pull(name), classes[name], sizes[name])
            except UnsupportedVariableError as exc:
                if require_all:
                    raise
                unsupported[name] = str(exc)
        return OctaveResult(values=values, classes=classes, sizes=sizes, workspace=workspace,
                            shims_used=used, shims_on_path=tuple(octave.placed), missing=missing,
                            versions=octave.versions, findings=tuple(findings), unsupported=unsupported)


@dataclass(frozen=True)
class OctaveDrawsResult:
    """What one function called once per draw produced."""

    draws: list[dict[str, np.ndarray]]  # per draw: output name -> float64 array, MATLAB shape
    classes: list[dict[str, str]]  # per draw: output name -> MATLAB class()
    shims_used: tuple[str, ...]
    shims_on_path: tuple[str, ...]
    versions: dict[str, str] = field(default_factory=dict)
    findings: tuple = ()  # pre-flight findings of the function file




def run_function_draws(
    mfile: str | os.PathLike,
    args: Sequence[str],
    outputs: Sequence[str],
    draws: Sequence[Mapping[str, np.ndarray]],
    *,
    shim_dirs: Sequence[str | os.PathLike] = (),
    timeout: float = 60.0,
    log: Callable[[str], None] | None = None,
    octave_executable: str | None = None,
) -> OctaveDrawsResult:
    """Call the function in ``mfile`` once per draw, all draws in one fresh Octave session.

    ``[out_1, ..., out_K] = f(draw[args[0]], draw[args[1]], ...)`` for every draw, where ``f`` is
    the file's name (MATLAB calls a function file by its file name). The draws' arguments are
    pushed as one cell array per argument and the loop runs inside Octave, so 1000 draws cost one
    round trip, not 1000. A failing draw is named in the error.
    """
    mfile = Path(mfile)
    if not mfile.is_file():
        raise OctaveScriptError(f"{mfile}: MATLAB function file not found", file=str(mfile))
    for name in (mfile.stem, *args, *outputs):
        if not _IDENT.match(name):
            raise ValueError(f"{name!r} is not a MATLAB identifier")
    executable = octave_executable or find_octave()
    n, k = len(draws), len(outputs)
    with _Session(executable, timeout, log or (lambda line: None), shim_dirs) as octave:
        octave.eval(f"addpath({_octave_string(str(mfile.resolve().parent))}, '-begin');")
        findings = octave.check_names(scan_m_file(mfile))
        for j, arg in enumerate(args):
            octave.session.push(f"__rnncore_arg{j}__", [np.asarray(d[arg], dtype=np.float64) for d in draws])
        call_args = ", ".join(f"__rnncore_arg{j}__{{__rnncore_draw__}}" for j in range(len(args)))
        outs = ", ".join(f"__rnncore_o{j}__" for j in range(k))
        body = (
            f"  __rnncore_out__ = cell({n}, {k});\n"
            f"  for __rnncore_draw__ = 1:{n}\n"
            f"    [{outs}] = {mfile.stem}({call_args});\n"
            f"    __rnncore_out__(__rnncore_draw__, :) = {{{outs}}};\n"
            f"  end"
        )
        try:
            octave.run_profiled(body, mfile)
        except OctaveScriptError as exc:
            draw = octave.flag("__rnncore_draw__") if octave.flag("exist('__rnncore_draw__', 'var')") else None
            if draw is not None:
                raise OctaveScriptError(f"draw {draw} of {n}: {exc}", file=exc.file, line=exc.line,
                                        column=exc.column, octave_message=exc.octave_message) from None
            raise
        meta = np.asarray(octave.ask("{cellfun(@class, __rnncore_out__, 'UniformOutput', false), "
                                     "cellfun(@size, __rnncore_out__, 'UniformOutput', false)}"), dtype=object).ravel()
        cls_cells, size_cells = (np.asarray(m, dtype=object).reshape(n, k) for m in meta)
        pulled = np.asarray(octave.session.pull("__rnncore_out__"), dtype=object).reshape(n, k)
        out_draws, out_classes = [], []
        for i in range(n):
            values, classes = {}, {}
            for j, name in enumerate(outputs):
                classes[name] = str(cls_cells[i, j])
                size = tuple(int(s) for s in np.asarray(size_cells[i, j]).ravel())
                values[name] = _as_float_array(name, pulled[i, j], classes[name], size)
            out_draws.append(values)
            out_classes.append(classes)
        return OctaveDrawsResult(draws=out_draws, classes=out_classes, shims_used=octave.shims_called(),
                                 shims_on_path=tuple(octave.placed), versions=octave.versions,
                                 findings=tuple(findings))
