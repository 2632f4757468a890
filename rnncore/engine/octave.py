"""Run MATLAB files in GNU Octave through oct2py and bring back named variables, with their MATLAB class and size.

:func:`run_script` runs a script in Octave's base workspace (the inputs assigned first);
:func:`run_function_draws` calls a function file once per draw of its arguments, all draws in one
session. Both

1. take an Octave session from a small pool (:func:`session`): starting Octave and importing oct2py
   cost 1-3 s, paid once per process instead of once per case. Before every use the session is
   reset to the state of a fresh one: no variables, globals or loaded functions, the default path,
   no figures, the warning state and working folder it started with, and the random generators
   seeded as MATLAB seeds them at start-up, so a case's result does not depend on which cases the
   session ran before (``tests/engine/test_octave.py`` runs cases in two orders and compares bytes).
   ``RNNCORE_OCTAVE_REUSE=0`` gives every run a new Octave instead;
2. put compatibility shims (``matlab_ref/compat/*.m``) on the path, only for names Octave lacks, and
   guards for ``input``, ``keyboard`` and ``kbhit`` that stop the run at once with the file and
   line of the call (a run is unattended: nobody will ever answer). Reading standard input any
   other way is refused too; Octave never sees the terminal's standard input. ``pause`` (any form)
   returns at once, since it changes no value; each place is logged with the times it ran;
3. run the file under a timeout (oct2py's, which counts silence, and a wall-clock watchdog, since a
   file that prints in a loop would otherwise never time out), with the profiler on (Octave has no ``inmem``) so that the shims
   it really called are known. Paths never become Octave source code: they are handed over as
   variables (``cd(__rnncore_dir__); source(__rnncore_file__)``), so a file called
   ``it's here.m`` runs like any other and a file name cannot inject code;
4. read ``class()`` and ``size()`` of each requested variable on the Octave side and pull its
   values exactly (:class:`rnncore.io.Value`): numeric, logical and char arrays, cells of them,
   and a struct's fields named as ``s.field``.

Failures raise an :class:`OctaveError` subclass whose message says what went wrong and where:
Octave missing (and how to install it), a parse or runtime error (file and line, from Octave's
error stack), a variable the script did not define (with those it did), a timeout.

oct2py's package ``__init__`` starts a default Octave session at import; this module imports
``oct2py.core`` without running it (:func:`_oct2py`), so no job pays for, or prints the noise of,
a session it never uses.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse

from rnncore.errors import RnncoreError
from rnncore.io import EXACT_DTYPES, Value
from rnncore.engine.preflight import scan_m_file
from rnncore.engine.coursepath import path_folders

__all__ = [
    "OctaveError", "OctaveNotFoundError", "OctaveScriptError", "OctaveTimeoutError", "MissingVariableError",
    "UnsupportedVariableError", "OctaveResult", "OctaveDrawsResult", "find_octave", "run_script",
    "run_function_draws", "ScriptRun", "run_scripts", "session", "close_sessions", "NUMERIC_CLASSES", "IDENTIFIER",
    "OCTAVE_TIMEOUT_S", "RANDOM_FUNCTIONS", "draws_random",
]

INSTALL_HINT = (
    "Install it with `apt-get install octave` (Debian/Ubuntu, as root; `sudo apt-get install octave` "
    "otherwise), or set OCTAVE_EXECUTABLE to the full path of octave-cli."
)

# MATLAB classes whose values compare as float64 arrays (char by its character codes).
NUMERIC_CLASSES = frozenset(
    {"double", "single", "logical", "char", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
     "uint64"}
)
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_DOTTED = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}(\.[A-Za-z][A-Za-z0-9_]{0,62})*$")
# Seconds a script may run in Octave when nothing says otherwise (a configuration's ``octave.timeout_s``
# does): long enough for the course's training references on a loaded machine.
OCTAVE_TIMEOUT_S = 120.0
# The functions whose draws a parity run records (record_random) for the port to replay (gamrnd and
# randsample: rnncore's shims, drawing through randg, randperm and randi); rng and
# randi draw through them in Octave 7 (rng.m seeds rand and randn; randi.m draws rand(M, 1)).
RANDOM_FUNCTIONS = frozenset({"rand", "randn", "randi", "randperm", "rng", "randg", "gamrnd", "randsample"})
_PREFIX = "__rnncore"  # Octave names its own helpers __x__; ours share the style so no course script collides


class OctaveError(RnncoreError, RuntimeError):
    """Base class: something went wrong running a file in Octave."""


class OctaveNotFoundError(OctaveError):
    """No Octave executable on this machine."""


class OctaveScriptError(OctaveError):
    """The file failed to parse or raised an error; ``file`` and ``line`` say where (None if unknown)."""

    def __init__(self, message, *, file=None, line=None, column=None, octave_message=""):
        super().__init__(message)
        self.file, self.line, self.column, self.octave_message = file, line, column, octave_message


# Seconds past the timeout before the wall-clock watchdog kills a session that keeps printing.
_WATCHDOG_GRACE_S = 2.0


class OctaveTimeoutError(OctaveError):
    """The file did not finish within the timeout; the session was killed."""


class MissingVariableError(OctaveError):
    """The script ran but did not define every requested variable."""

    def __init__(self, message, *, missing, defined):
        super().__init__(message)
        self.missing, self.defined = tuple(missing), tuple(defined)


class UnsupportedVariableError(OctaveError):
    """A requested variable is of a MATLAB class that is not compared (struct, function handle, complex...)."""


@dataclass(frozen=True)
class OctaveResult:
    """What one script run produced."""

    values: dict[str, np.ndarray]  # requested arrays: float64, MATLAB shape (>= 2-D); char as codes
    classes: dict[str, str]  # MATLAB class() of each requested variable present
    sizes: dict[str, tuple[int, ...]]  # MATLAB size() of each requested variable present
    workspace: tuple[str, ...]  # every variable the script left in the base workspace, sorted
    shims_used: tuple[str, ...]  # shim names the script called (placed on the path and profiled)
    shims_on_path: tuple[str, ...]  # shim names placed on the path because Octave lacks them
    missing: tuple[str, ...] = ()  # requested but not defined (only with require_all=False)
    findings: tuple = ()  # pre-flight findings (rnncore.engine.preflight.Finding), also written to the log
    unsupported: dict[str, str] = field(default_factory=dict)  # name -> why it cannot be compared
    versions: dict[str, str] = field(default_factory=dict)  # octave, blas, lapack, oct2py
    matlab: dict[str, Value] = field(default_factory=dict)  # every requested variable present, cells too
    described: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)  # workspace: class, size
    # with record_random: every draw of rand/randn/randperm in call order, as (function, size, values
    # in column-major order); randi draws through rand in Octave 7, so its draws are rand's
    random: tuple[tuple[str, tuple[int, ...], np.ndarray], ...] = ()


@dataclass(frozen=True)
class ScriptRun:
    """What one script of :func:`run_scripts` left: every variable of its workspace, or its error."""

    classes: dict[str, str]  # MATLAB class() of every variable it left (none when it stopped with an error)
    values: dict[str, Value]  # those whose values are compared (numeric, logical, char, cells of them)
    unsupported: dict[str, str]  # the others (function handles, complex...): name -> why not compared
    error: str | None = None  # Octave's message when the script stopped with an error
    identifier: str = ""  # the error's identifier (``Octave:index-out-of-bounds``...), if it has one
    output: str = ""  # what it printed (evalc's text), kept only with ``capture_output=True``
    # every variable as Octave described it, the uncompared ones too: (class, size, payload) with payload
    # a float64 array in MATLAB's shape (numeric, logical, char), a complex128 one (complex), a tuple of
    # such triples (a cell's elements, column-major), a dict field -> triple (a 1x1 struct), else None
    described: dict[str, tuple] = field(default_factory=dict)


@dataclass(frozen=True)
class OctaveDrawsResult:
    """What one function called once per draw produced."""

    draws: list[dict[str, np.ndarray]]  # per draw: output name -> float64 array, MATLAB shape
    classes: list[dict[str, str]]  # per draw: output name -> MATLAB class()
    shims_used: tuple[str, ...]
    shims_on_path: tuple[str, ...]
    versions: dict[str, str] = field(default_factory=dict)
    findings: tuple = ()  # pre-flight findings of the function file
    matlab: list[dict[str, Value]] = field(default_factory=list)  # per draw: output name -> Value
    random: tuple[tuple[str, tuple[int, ...], np.ndarray], ...] = ()  # as OctaveResult.random, all draws in order


# --------------------------------------------------------------------------- finding and starting Octave


def find_octave() -> str:
    """Path of the Octave executable: ``$OCTAVE_EXECUTABLE``, else ``octave-cli``, else ``octave``."""
    wanted = os.environ.get("OCTAVE_EXECUTABLE")
    if wanted:
        found = shutil.which(wanted)
        if not found:
            raise OctaveNotFoundError(
                f"OCTAVE_EXECUTABLE={wanted!r} is not an executable. GNU Octave is needed to run the "
                f"original MATLAB scripts. {INSTALL_HINT}")
        return found
    for name in ("octave-cli", "octave"):
        found = shutil.which(name)
        if found:
            return found
    raise OctaveNotFoundError(
        f"GNU Octave is not installed (no octave-cli or octave on PATH); it is needed to run the "
        f"original MATLAB scripts. {INSTALL_HINT}")


# Every Octave rnncore starts runs with --no-history. Octave 7 saves its command history at exit into
# ~/.local/share/octave/history and, when that folder does not exist (a fresh machine, a CI runner, a new
# HOME), fails there and prints "error: ignoring const execution_exception& while preparing to exit" to
# the user's terminal (Octave bug #62515). Our sessions have no history worth keeping, and a user's own
# history is no place for the commands rnncore sends.
_OCTAVE_OPTIONS = ("--no-history",)


def _check_starts(executable: str, timeout: float) -> None:
    """Run ``executable --eval 'disp(version)'`` once, killed after ``timeout`` seconds.

    oct2py's own start-up check waits on that command with no timeout, so an executable that hangs
    would hang the run for ever.
    """
    cmd = [executable, "--no-gui", "--no-init-file", *_OCTAVE_OPTIONS, "--eval", "disp(version)"]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise OctaveError(f"could not start Octave ({executable}): {exc}") from exc
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: children of a wrapper script too
        proc.wait()
        raise OctaveTimeoutError(
            f"could not start Octave ({executable}): `{' '.join(cmd)}` did not finish within the "
            f"{timeout:g} s timeout and was killed") from None
    if proc.returncode != 0:
        detail = err.strip()[-500:] or "(nothing on stderr)"
        raise OctaveError(f"could not start Octave ({executable}): `{' '.join(cmd)}` exited with status "
                          f"{proc.returncode}: {detail}")


_OCT2PY_LOCK = threading.Lock()


def _oct2py():
    """``(Oct2Py, Oct2PyError, version)`` without running ``oct2py/__init__.py`` (which starts a session).

    A bare package module with oct2py's ``__path__`` stands in for the package, so that importing
    its submodules works while the package's own initialiser never runs.
    """
    with _OCT2PY_LOCK:
        if "oct2py.core" not in sys.modules and "oct2py" not in sys.modules:
            spec = importlib.util.find_spec("oct2py")
            if spec is None:
                raise OctaveError("the Python package oct2py is not installed; `pip install oct2py`")
            package = types.ModuleType("oct2py")
            package.__path__ = list(spec.submodule_search_locations)
            package.__spec__ = spec
            sys.modules["oct2py"] = package
        from oct2py._version import __version__
        from oct2py.core import Oct2Py
        from oct2py.utils import Oct2PyError
    return Oct2Py, Oct2PyError, __version__


# --------------------------------------------------------------------------- guards against waiting for a person

_GUARDS = {
    "input": ("input waits for an answer typed at the keyboard; nobody answers an unattended run. "
              "Assign the value in the script or give it as an input of the case."),
    "keyboard": "keyboard stops at the debugger prompt; nobody answers an unattended run. Delete the line.",
    "kbhit": "kbhit waits for a key press; nobody presses one in an unattended run. Delete the line.",
}
_PAUSE_GUARD = """function varargout = pause(varargin)
  %% rnncore guard: a pause waits for a key press or sleeps; in an unattended run nobody presses a key
  %% and no value depends on the wait, so it returns at once and is logged with the line that called it.
  if nargin >= 1 && ischar(varargin{1})  %% pause on/off/query: switches, no wait
    if strcmpi(varargin{1}, 'query')
      varargout{1} = 'on';
    end
    return
  end
  s = dbstack('-completenames', 1);
  if isempty(s)
    __rnncore_pauses__('add', '', 0);
  else
    __rnncore_pauses__('add', s(1).file, s(1).line);
  end
end
"""


# Octave-side helpers: one round trip each instead of several (every call through oct2py is a round
# trip through a MAT file). Names reach them as data (a cell of validated identifiers).
_HELPERS = {
    "__rnncore_pauses__": """function __rnncore_pauses__(op, file, line)
  %% The pauses of one run, by place: the first at a place is logged when it happens, the count of each
  %% at the end ('report', which also starts over). Locked, so a script's `clear all` keeps the counts.
  %% 'mute' keeps the first note back until the report: a batch captures each script's printed text,
  %% which must be the script's own.
  persistent places counts muted
  mlock();
  if isempty(places)
    places = {};
    counts = [];
  end
  if strcmp(op, 'mute')
    muted = true;
  elseif strcmp(op, 'add')
    where = sprintf('%s:%d', file, line);
    k = find(strcmp(places, where), 1);
    if isempty(k)
      places{end + 1} = where;
      counts(end + 1) = 1;
      if isempty(muted)
        printf('[rnncore] pause at %s returned at once (unattended run)\\n', where);
      end
    else
      counts(k) += 1;
    end
  else
    for k = 1:numel(places)
      printf('[rnncore] pause at %s returned at once %d time(s)\\n', places{k}, counts(k));
    end
    places = {};
    counts = [];
    muted = [];
  end
end
""",
    "__rnncore_collect__": """function out = __rnncore_collect__(names)
  %% For each name (a variable or struct field of the base workspace): {kind, class, size, payload}.
  out = cell(1, numel(names));
  for k = 1:numel(names)
    try
      v = evalin('base', [names{k} ';']);
    catch
      out{k} = {'missing', '', [], []};
      continue
    end
    out{k} = __rnncore_describe__(v);
  end
end
""",
    "__rnncore_describe__": """function d = __rnncore_describe__(v)
  %% One value as {kind, class, size, payload}; a cell's payload describes its elements in turn.
  c = class(v);
  s = size(v);
  if iscell(v)
    items = cell(1, numel(v));
    for i = 1:numel(v)
      items{i} = __rnncore_describe__(v{i});
    end
    d = {'cell', c, s, items};
  elseif (isa(v, 'int64') || isa(v, 'uint64')) && isreal(v)
    d = {'array', c, s, v};  %% exact: a double holds their values only up to 2^53
  elseif (isnumeric(v) || islogical(v) || ischar(v)) && isreal(v)
    d = {'array', c, s, full(double(v))};  %% full: a sparse matrix would reach Python as scipy's, not an array
  elseif isnumeric(v)
    d = {'complex', c, s, {full(real(double(v))), full(imag(double(v)))}};
  elseif isstruct(v) && numel(v) == 1
    %% a 1x1 struct's fields, in order (compared only by run_scripts' callers; a struct array: class and size)
    f = fieldnames(v)';
    items = cell(1, numel(f));
    for i = 1:numel(f)
      items{i} = __rnncore_describe__(v.(f{i}));
    end
    d = {'struct', c, s, {f, items}};
  else
    d = {'unsupported', c, s, []};
  end
end
""",
    "__rnncore_batch__": """function out = __rnncore_batch__(names)
  %% Each script of `names` in a workspace of its own, its printed output captured by evalc: per
  %% script {error message, error identifier, names of the variables it left, their descriptions, output}.
  __rnncore_pauses__('mute');
  out = cell(1, numel(names));
  for k = 1:numel(names)
    out{k} = run_one(names{k});
  end
  __rnncore_pauses__('report');
end

function r = run_one(__rnncore_script__)
  %% The script runs in this function's workspace, which holds nothing else but our __rnncore names.
  __rnncore_output__ = '';
  try
    __rnncore_output__ = evalc(__rnncore_script__);
  catch __rnncore_caught__
  end
  __rnncore_error__ = {'', ''};
  if exist('__rnncore_caught__', 'var')
    __rnncore_error__ = {__rnncore_caught__.message, __rnncore_caught__.identifier};
  end
  __rnncore_names__ = who();
  __rnncore_names__ = __rnncore_names__(cellfun(@isempty, regexp(__rnncore_names__, '^__rnncore', 'once')));
  __rnncore_values__ = cell(1, numel(__rnncore_names__));
  if isempty(__rnncore_error__{1})
    for __rnncore_k__ = 1:numel(__rnncore_names__)
      __rnncore_values__{__rnncore_k__} = __rnncore_describe__(eval(__rnncore_names__{__rnncore_k__}));
    end
  end
  r = {__rnncore_error__{1}, __rnncore_error__{2}, __rnncore_names__', __rnncore_values__, __rnncore_output__};
end
""",
    "__rnncore_workspace__": """function out = __rnncore_workspace__()
  %% Every variable of the base workspace: {names, classes, sizes}.
  w = evalin('base', 'whos');
  out = {{w.name}, {w.class}, cellfun(@(s) s(:)', {w.size}, 'UniformOutput', false)};
end
""",
    "__rnncore_reset__": """function __rnncore_reset__()
  %% Back to a fresh session: called right after `clear -all` (which a function cannot run on the base
  %% workspace's behalf). The session's folders come from environment variables, set once at start.
  tmp = getenv('RNNCORE_SESSION_DIR');
  restoredefaultpath();
  addpath(getenv('RNNCORE_OCT2PY_DIR'));
  format short;
  more off;
  rand('state', 0); randn('state', 0); rande('state', 0); randg('state', 0); randp('state', 0);
  s = load(fullfile(tmp, 'warn.bin'));
  warning(s.__rnncore_warn__);
  warning('off', 'Octave:shadowed-function');
  if exist(fullfile(tmp, 'shims'), 'dir') && numel(dir(fullfile(tmp, 'shims'))) > 2
    addpath(fullfile(tmp, 'shims'), '-begin');
  end
  addpath(fullfile(tmp, 'guards'), '-begin');
  cd(fullfile(tmp, 'home'));
end
""",
}


def _write_guards(folder: Path) -> None:
    for name, text in _HELPERS.items():
        (folder / f"{name}.m").write_text(text)
    for name, why in _GUARDS.items():
        text = why.replace("'", "''")
        (folder / f"{name}.m").write_text(
            f"function varargout = {name}(varargin)\n"
            f"  %% rnncore guard: an unattended run must not wait for a person.\n"
            f"  error('rnncore:interactive', '{text}');\nend\n")
    (folder / "pause.m").write_text(_PAUSE_GUARD)


# --------------------------------------------------------------------------- one session


def _kill(pid: int | None) -> None:
    """SIGKILL ``pid`` if it is still an Octave process (a pid can be reused once it has exited)."""
    if not pid:
        return
    try:
        if b"octave" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return
    except OSError:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Session:
    """One Octave process with guards and shims placed. Use :func:`session` to get one, reset."""

    def __init__(self, executable: str, shim_dirs: tuple[str, ...], timeout: float):
        self.executable, self.shim_dirs, self.timeout = executable, shim_dirs, timeout
        self.log: Callable[[str], None] = lambda line: None
        self.healthy = True
        # Octave 7 writes its command history at exit to ~/.local/share/octave/history without making the
        # folder; where it is missing, every Octave (oct2py's own start-up check too, which reads this
        # environment) prints "error: ignoring const execution_exception& while preparing to exit".
        # An unattended session has no history worth keeping.
        os.environ.setdefault("OCTAVE_HISTFILE", os.devnull)
        _check_starts(executable, timeout)
        Oct2Py, self.Oct2PyError, oct2py_version = _oct2py()
        self.oct2py_dir = str(Path(sys.modules[Oct2Py.__module__].__file__).parent)
        self.tmp = Path(tempfile.mkdtemp(prefix="rnncore-octave-"))
        for sub in ("oct2py", "guards", "shims", "home"):
            (self.tmp / sub).mkdir()
        _write_guards(self.tmp / "guards")
        self.octave, self.pid = None, None

        class _Unattended(Oct2Py):
            def _handle_stdin(self, line):  # Octave asked to read standard input: nobody will answer
                raise OctaveError("the MATLAB file reads standard input (a prompt, fgetl(stdin), ...); nobody "
                                  "answers an unattended run")

        try:
            try:
                # oct2py takes the executable as a command line (shlex-split, then the REPL's options
                # appended) and runs it twice: its own start-up check (`--eval disp(version)`, on this
                # process's stderr) and the session. Our options go on that command line to reach both.
                command = shlex.join([executable, *_OCTAVE_OPTIONS])
                for attempt in (1, 2):
                    try:
                        self.octave = _Unattended(executable=command, timeout=timeout, keep_matlab_shapes=True,
                                                  temp_dir=str(self.tmp / "oct2py"), load_octaverc=False)
                        break
                    except self.Oct2PyError as exc:
                        # _check_starts has just run this executable: oct2py's own probe failing now was
                        # killed under it (a Ctrl-C reaches the whole process group), not a wrong Octave.
                        if attempt == 2 or "does not point to a valid octave" not in str(exc):
                            raise
            except self.Oct2PyError as exc:
                raise OctaveError(f"could not start Octave ({executable}): {exc}") from exc
            self.pid = getattr(getattr(self.octave._engine.repl, "child", None), "pid", None)
            # A killed session would otherwise dump `octave-workspace` into whatever folder it was in.
            self.eval("crash_dumps_octave_core(false); sighup_dumps_octave_core(false); "
                      "sigterm_dumps_octave_core(false); warning('off', 'Octave:shadowed-function');")
            self.octave.push(f"{_PREFIX}_tmp__", str(self.tmp))
            self.octave.push(f"{_PREFIX}_oct2py__", self.oct2py_dir)
            # The session's folders as environment variables: they survive `clear -all`, and reach
            # Octave as data, never as source code.
            self.eval(f"setenv('RNNCORE_SESSION_DIR', {_PREFIX}_tmp__); setenv('RNNCORE_OCT2PY_DIR', {_PREFIX}_oct2py__);"
                      f" {_PREFIX}_warn__ = warning(); save('-binary', fullfile({_PREFIX}_tmp__, 'warn.bin'), "
                      f"'{_PREFIX}_warn__'); addpath(fullfile({_PREFIX}_tmp__, 'guards'), '-begin');"
                      f" clear {_PREFIX}_tmp__ {_PREFIX}_oct2py__ {_PREFIX}_warn__;")
            self.graphics = self._headless_graphics()
            self.versions = {
                "octave": str(self.ask("version()")),
                "blas": str(self.ask("version('-blas')")).strip(),
                "lapack": str(self.ask("version('-lapack')")).strip(),
                "oct2py": oct2py_version,
            }
            self.placed = self._place_shims()
        except BaseException:
            self.close()
            raise

    # -- plumbing
    def _stream(self, text):
        for line in str(text).splitlines():
            self.log(line)

    def ask(self, expr):
        return self.octave.eval(expr, nout=1, verbose=False, stream_handler=self._stream)

    def eval(self, code, timeout=None):
        self.octave.eval(code, verbose=False, stream_handler=self._stream, timeout=timeout or self.timeout)

    def flag(self, expr) -> int:
        return int(np.asarray(self.ask(expr)).ravel()[0])

    def push(self, name: str, value) -> None:
        self.octave.push(name, value)

    def close(self) -> None:
        self.healthy = False
        if self.octave is not None:
            with contextlib.suppress(Exception):  # the session may already be dead after a timeout
                self.octave.exit()
        _kill(self.pid)  # exit() only signals; make sure no Octave outlives its session
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _headless_graphics(self) -> str:
        """Figures without a display: gnuplot (Debian's gnuplot-nox) with every figure invisible."""
        toolkits = {str(t) for t in np.asarray(self.ask("available_graphics_toolkits()"), dtype=object).ravel()}
        if "gnuplot" not in toolkits:
            self.log("[rnncore] no graphics toolkit in this Octave: a script that draws figures will fail "
                     "(install Debian's gnuplot-nox and fonts-freefont-otf)")
            return "none"
        self.eval("warning('off', 'Octave:gnuplot-graphics'); graphics_toolkit('gnuplot'); "
                  "set(0, 'defaultfigurevisible', 'off');")
        return "gnuplot (invisible figures)"

    def _place_shims(self) -> list[str]:
        """Copy each shim whose name Octave lacks (``exist == 0``, asked before any is added)."""
        candidates = sorted({p.stem: p for d in self.shim_dirs for p in Path(d).glob("*.m")}.items())
        placed = []
        for name, path in candidates:
            if not IDENTIFIER.match(name):
                continue
            if self.flag(f"exist('{name}')") == 0:
                shutil.copy2(path, self.tmp / "shims" / path.name)
                placed.append(name)
        return placed

    def reset(self, log: Callable[[str], None], timeout: float) -> None:
        """Back to the state of a fresh session (see the module docstring), in one round trip."""
        self.log, self.timeout = log, timeout
        # Home first: the last run's folder may be gone (a course in a temporary folder), and Octave
        # then fails any command that asks for the current folder.
        self.eval("cd(fullfile(getenv('RNNCORE_SESSION_DIR'), 'home')); close all force; clear -all; "
                  "__rnncore_reset__();")

    # -- running user code
    def check_names(self, scan, injected=()) -> list:
        """Log the scan's findings and every called name neither Octave, a shim nor the runner defines."""
        from rnncore.engine.preflight import undefined_findings

        names = sorted(n for n in scan.called if n not in injected and _DOTTED.match(n))
        defined = {}
        if names:
            self.push(f"{_PREFIX}_names__", names)
            answers = np.asarray(self.ask(f"cellfun(@(n) exist(n) > 0, {_PREFIX}_names__)"), dtype=bool).ravel()
            defined = dict(zip(names, answers.tolist()))
            self.eval(f"clear {_PREFIX}_names__")
        findings = sorted([*scan.findings, *undefined_findings(scan, defined)], key=lambda f: (f.line, f.column))
        for f in findings:
            self.log(f"[preflight] {f.severity}: {f.message}")
        if not findings:
            self.log(f"[preflight] {scan.path}: nothing to report")
        return findings

    def run_profiled(self, body: str, what: Path) -> None:
        """Run ``body`` under the profiler and the timeout; a caught error is raised as located."""
        err = f"{_PREFIX}_err__"
        code = (f"clear {err};\nprofile clear; profile on;\ntry\n{body}\ncatch {err}\nend\nprofile off;\n"
                "__rnncore_pauses__('report');")
        self._run_guarded(code, what)
        # The error variable exists only if the catch ran (a script's own `clear` may run first).
        if self.flag(f"exist('{err}', 'var')"):
            raise _script_error(what, self.octave.pull(err), self.tmp)

    def _run_with_watchdog(self, code: str, what: Path) -> None:
        # oct2py's timeout counts only silence (its expect restarts the clock at every printed line), so
        # a file that prints in a loop would never stop: a wall-clock watchdog kills the process instead.
        # It fires a little after oct2py's own timeout so that a silent file still takes oct2py's path.
        fired = threading.Event()

        def watchdog():
            fired.set()
            _kill(self.pid)

        timer = threading.Timer(self.timeout + _WATCHDOG_GRACE_S, watchdog)
        timer.daemon = True
        timer.start()
        try:
            self.octave.eval(code, timeout=self.timeout, stream_handler=self._stream, verbose=False)
        except BaseException:
            if not fired.is_set():
                raise
            self.healthy = False
            raise OctaveTimeoutError(
                f"{what}: still running after the {self.timeout:g} s timeout (octave.timeout_s); the Octave "
                f"session was killed") from None
        finally:
            timer.cancel()

    def _run_guarded(self, code: str, what: Path) -> None:
        """Run ``code``; standard input, a timeout or a dead Octave become located rnncore errors."""
        try:
            self._run_with_watchdog(code, what)
        except OctaveTimeoutError:
            raise
        except OctaveError:
            self.healthy = False  # it waits for standard input: no use for another case
            raise OctaveError(f"{what}: reads standard input (a prompt, fgetl(stdin), ...); nobody answers an "
                              f"unattended run. Assign the value in the file or give it as an input of the "
                              f"case.") from None
        except self.Oct2PyError as exc:
            self.healthy = False
            if "Timed out" in str(exc):
                raise OctaveTimeoutError(
                    f"{what}: still running after the {self.timeout:g} s timeout (octave.timeout_s); the Octave "
                    f"session was killed") from None
            raise OctaveError(f"{what}: Octave failed while running it: {exc}") from exc
        except KeyboardInterrupt:
            self.healthy = False
            raise

    def shims_called(self) -> tuple[str, ...]:
        called = self.ask("{profile('info').FunctionTable.FunctionName}")
        called = {str(c) for c in np.asarray(called, dtype=object).ravel()}
        return tuple(n for n in self.placed if n in called)

    def workspace(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """Every variable of the base workspace but rnncore's own and ``ans``: name -> (class, size)."""
        names, classes, sizes = (np.asarray(x, dtype=object).ravel()
                                 for x in np.asarray(self.ask("__rnncore_workspace__()"), dtype=object).ravel())
        out = {}
        for name, cls, size in zip(names, classes, sizes):
            name = str(name)
            if name.startswith(_PREFIX) or name == "ans":  # oct2py sets `ans` before every call
                continue
            out[name] = (str(cls), tuple(int(s) for s in np.asarray(size).ravel()))
        return dict(sorted(out.items()))

    def values(self, names: Sequence[str], *, ours: bool = False) -> dict[str, Value | str | None]:
        """The values of variables (or struct fields ``s.f``) of the base workspace, exactly, in one round
        trip: name -> :class:`Value`, or None when it is not defined, or the reason it is not compared.
        (``ours``: expressions rnncore itself wrote, such as ``__rnncore_out__{1, 2}``.)"""
        for name in names:
            if not ours and not _DOTTED.match(name):
                raise ValueError(f"{name!r} is not a MATLAB variable name")
        if not names:
            return {}
        self.push(f"{_PREFIX}_names__", list(names))
        described = np.asarray(self.ask(f"__rnncore_collect__({_PREFIX}_names__)"), dtype=object).ravel()
        self.eval(f"clear {_PREFIX}_names__")
        return {name: _decode(name, d) for name, d in zip(names, described)}

    def value(self, name: str) -> Value:
        """One value (see :meth:`values`); raises for a missing or uncompared one."""
        got = self.values([name])[name]
        if got is None:
            raise MissingVariableError(f"{name} is not defined", missing=[name], defined=[])
        if isinstance(got, str):
            raise UnsupportedVariableError(got)
        return got


def _described(d) -> tuple:
    """``__rnncore_describe__``'s ``{kind, class, size, payload}`` as plain Python (see :attr:`ScriptRun.described`)."""
    kind, cls, size, payload = np.asarray(d, dtype=object).ravel()
    kind, cls = str(kind), str(cls)
    size = tuple(int(s) for s in np.asarray(size).ravel())

    def shaped(a, dtype):
        a = np.asarray(a, dtype=dtype)
        return a if a.shape == size else a.reshape(size, order="F")

    if kind == "array":
        return cls, size, shaped(payload, np.float64)
    if kind == "complex":
        re, im = np.asarray(payload, dtype=object).ravel()
        return cls, size, shaped(re, np.float64) + 1j * shaped(im, np.float64)
    if kind == "cell":
        return cls, size, tuple(_described(item) for item in np.asarray(payload, dtype=object).ravel())
    if kind == "struct":
        names, items = np.asarray(payload, dtype=object).ravel()
        return cls, size, {str(n): _described(i) for n, i in zip(np.asarray(names, dtype=object).ravel(),
                                                                  np.asarray(items, dtype=object).ravel())}
    return cls, size, None


def _decode(label: str, d) -> Value | str | None:
    """A :class:`Value` from ``__rnncore_collect__``'s ``{kind, class, size, payload}``; None when
    missing; the reason (a sentence) when it is of a class that is not compared."""
    kind, cls, size, payload = np.asarray(d, dtype=object).ravel()
    kind, cls = str(kind), str(cls)
    if kind == "missing":
        return None
    size = tuple(int(s) for s in np.asarray(size).ravel())
    if kind == "cell":
        items = [_decode(f"{label}{{{k + 1}}}", item) for k, item in enumerate(np.asarray(payload, dtype=object).ravel())]
        bad = next((i for i in items if not isinstance(i, Value)), None)
        if bad is not None:
            return bad
        return Value("cell", size, items=tuple(items))
    if kind == "complex":
        return f"variable {label!r} is complex ({cls}); complex values are not compared"
    if kind != "array":
        hint = " (name the fields to compare, e.g. `variables: [s.a, s.b]`)" if cls == "struct" else ""
        return (f"variable {label!r} is a MATLAB {cls} of size {'x'.join(map(str, size))}; only numeric, logical "
                f"and char arrays and cells of them are compared element by element{hint}")
    if scipy.sparse.issparse(payload):  # a sparse matrix (class double too): the values it holds, full
        payload = payload.toarray()
    arr = np.asarray(payload, dtype=EXACT_DTYPES.get(cls, np.float64))  # int64/uint64 exact, beyond 2^53 too
    if arr.shape != size:  # keep_matlab_shapes keeps 2-D shapes; an empty or 1x1 value can come back flatter
        arr = arr.reshape(size, order="F")
    return Value(cls, size, data=arr)


# --------------------------------------------------------------------------- the pool


class _Pool:
    """Idle sessions by (executable, shim folders); a session serves one caller at a time."""

    def __init__(self):
        self.idle: dict[tuple, list[Session]] = {}
        self.lock = threading.Lock()
        atexit.register(self.close_all)

    def close_all(self) -> None:
        with self.lock:
            sessions = [s for group in self.idle.values() for s in group]
            self.idle.clear()
        for s in sessions:
            s.close()

    @contextlib.contextmanager
    def session(self, executable: str, shim_dirs, timeout: float, log) -> Iterator[Session]:
        key = (executable, tuple(str(Path(d).resolve()) for d in shim_dirs))
        reuse = os.environ.get("RNNCORE_OCTAVE_REUSE", "1") != "0"
        with self.lock:
            s = self.idle.get(key, []).pop() if reuse and self.idle.get(key) else None
        if s is None:
            s = Session(executable, key[1], timeout)
        try:
            s.reset(log, timeout)
            yield s
        except BaseException:
            if not s.healthy:
                s.close()
                raise
            s.log = lambda line: None
            self._release(key, s, reuse)
            raise
        else:
            s.log = lambda line: None
            self._release(key, s, reuse)

    def _release(self, key, s: Session, reuse: bool) -> None:
        if s.healthy and reuse:
            with self.lock:
                self.idle.setdefault(key, []).append(s)
        else:
            s.close()


_POOL = _Pool()


def session(shim_dirs: Sequence = (), *, timeout: float = OCTAVE_TIMEOUT_S, log: Callable[[str], None] | None = None,
            octave_executable: str | None = None):
    """A context manager giving a reset :class:`Session` from the pool (see the module docstring)."""
    return _POOL.session(octave_executable or find_octave(), shim_dirs, timeout, log or (lambda line: None))


def close_sessions() -> None:
    """Stop every idle pooled Octave (also done at exit)."""
    _POOL.close_all()


# --------------------------------------------------------------------------- errors, located

# "parse error near line 3 of file /path/x.m" (Octave 7's wording for syntax errors)
_PARSE_RE = re.compile(r"parse error near line (\d+) of file (.+?\.m)")


def _script_error(script: Path, err, session_tmp: Path) -> OctaveScriptError:
    """Turn Octave's MException (pulled as an oct2py Struct) into a located error."""
    message = str(err["message"]).strip()
    m = _PARSE_RE.search(message)
    if m:
        line, file = int(m.group(1)), m.group(2)
        detail = message[m.end():].strip() or "syntax error"
        return OctaveScriptError(f"{file}:{line}: parse error in the MATLAB file: {detail.splitlines()[0].strip()}",
                                 file=file, line=line, octave_message=message)
    frames = []
    stack = err.get("stack")
    if stack is not None and len(stack):
        for item in np.atleast_1d(stack).ravel():
            frames.append((str(item["file"]), str(item["name"]), int(np.asarray(item["line"]).ravel()[0]),
                           int(np.asarray(item["column"]).ravel()[0])))
    # The innermost frame in a file of the user's: not Octave's own, oct2py's _pyeval.m or our guards.
    ours = str(session_tmp)
    script_resolved = str(script.resolve())
    user_frames = [f for f in frames if f[0] and not f[0].startswith(("/usr/share/octave", "/usr/lib/octave", ours))
                   and not f[0].endswith("_pyeval.m")]
    guarded = [f for f in frames if f[0].startswith(ours)]
    chosen = user_frames[0] if user_frames else None
    caller = next((f for f in user_frames if f[0] == script_resolved), None)
    if chosen is None:
        return OctaveScriptError(f"{script}: error while running the MATLAB file: {message}",
                                 file=str(script), octave_message=message)
    file, name, line, column = chosen
    where = f"{file}:{line}:{column}"
    if guarded:  # input/keyboard/pause: the message is ours, the place is the call
        return OctaveScriptError(f"{where}: {message}", file=file, line=line, column=column, octave_message=message)
    via = "" if file == script_resolved else f" (called from {script}{f':{caller[2]}' if caller else ''})"
    ident = str(err.get("identifier") or "")
    ident = f" [{ident}]" if ident else ""
    return OctaveScriptError(f"{where}: error in {name}{via}: {message}{ident}",
                             file=file, line=line, column=column, octave_message=message)


# --------------------------------------------------------------------------- public entry points


def run_script(
    script: str | os.PathLike,
    variables: Sequence[str],
    *,
    shim_dirs: Sequence[str | os.PathLike] = (),
    timeout: float = OCTAVE_TIMEOUT_S,
    log: Callable[[str], None] | None = None,
    inputs: Mapping[str, np.ndarray] | None = None,
    octave_executable: str | None = None,
    require_all: bool = True,
    record_random: bool = False,
) -> OctaveResult:
    """Run ``script`` in a reset Octave session and return ``variables`` with their MATLAB metadata.

    Parameters
    ----------
    script : path to a MATLAB script (.m). Octave changes into the script's folder first (as
        MATLAB's ``run`` does), so the functions beside it are found; any file name works.
    variables : names to bring back (``s.f`` for a struct's field).
    shim_dirs : folders of ``name.m`` compatibility functions, placed on the path only for names
        Octave does not already define (``exist(name) == 0``).
    timeout : seconds the script may run; past it the session is interrupted and killed.
    log : called with each line Octave prints (the script's displays and warnings).
    inputs : arrays assigned in the base workspace before the script runs.
    octave_executable : overrides :func:`find_octave`.
    require_all : if True, a variable the script did not define raises :class:`MissingVariableError`
        and one that cannot be compared :class:`UnsupportedVariableError`; if False, they are left
        out of ``values`` and listed in ``missing`` / ``unsupported`` for the caller to report.
    record_random : if True, the recorders of ``matlab_ref/compat/recording/`` go first on the path
        (in place of Octave's own rand, randn and randperm, which they call) and every draw comes
        back in ``random``, for the port to replay (:mod:`rnncore.translate.runtime.random`).
    """
    script = Path(script)
    if not script.is_file():
        raise OctaveScriptError(f"{script}: MATLAB file not found", file=str(script))
    for name in variables:
        if not _DOTTED.match(name):
            raise ValueError(f"{name!r} is not a MATLAB variable name")
    log = log or (lambda line: None)
    with session(shim_dirs, timeout=timeout, log=log, octave_executable=octave_executable) as octave:
        for name, value in (inputs or {}).items():
            octave.push(name, np.asarray(value))
        beside = {p.stem for p in script.resolve().parent.glob("*.m")}
        findings = octave.check_names(scan_m_file(script), injected=set(inputs or {}) | beside)
        octave.push(f"{_PREFIX}_file__", str(script.resolve()))
        octave.push(f"{_PREFIX}_dir__", str(script.resolve().parent))
        if record_random:
            _start_recording(octave)
        octave.run_profiled(f"  cd({_PREFIX}_dir__); source({_PREFIX}_file__);", script)
        random = _recorded(octave, script) if record_random else ()
        used = octave.shims_called()
        described = octave.workspace()
        workspace = tuple(described)
        got = octave.values(list(variables))
        missing = tuple(v for v in variables if got[v] is None)
        if missing and require_all:
            raise MissingVariableError(
                f"{script}: the script did not define {', '.join(missing)}; it defined: "
                f"{', '.join(workspace) or '(nothing)'}", missing=missing, defined=workspace)
        matlab = {n: v for n, v in got.items() if isinstance(v, Value)}
        unsupported = {n: v for n, v in got.items() if isinstance(v, str)}
        if unsupported and require_all:
            raise UnsupportedVariableError(next(iter(unsupported.values())))
        return OctaveResult(
            values={n: v.data for n, v in matlab.items() if v.data is not None},
            classes={n: v.cls for n, v in matlab.items()} | {n: described.get(n, ("", ()))[0] for n in unsupported
                                                              if n in described},
            sizes={n: v.shape for n, v in matlab.items()},
            workspace=workspace, shims_used=used, shims_on_path=tuple(octave.placed), missing=missing,
            versions=dict(octave.versions), findings=tuple(findings), unsupported=unsupported, matlab=matlab,
            described=described, random=random)


def draws_random(script: str | os.PathLike, *, cached=None) -> bool:
    """Whether ``script`` or a function file it reaches beside it calls a random number function (then
    its parity run records the draws). ``cached(kind, path, compute)`` may keep the scans between runs
    (the workflow passes its scan cache, so a run where nothing changed parses no ``.m`` file); a file
    that cannot be scanned counts as not drawing, and its Octave run reports why."""
    from rnncore.engine.preflight import m_dependencies

    if cached is None:
        def cached(kind, path, compute):
            return compute()
    try:
        files, _ = m_dependencies(script, cached=cached)
        return any(RANDOM_FUNCTIONS & set(cached("m", f, lambda f=f: sorted(scan_m_file(f).called))) for f in files)
    except Exception:  # noqa: BLE001 - a broken file is the Octave run's to report, with its line
        return False


def _start_recording(octave: Session) -> None:
    """Empty the session's random log and put the recorders first on the path (the next reset's
    restoredefaultpath takes them off again)."""
    from rnncore.resources import compat_dir

    folder = octave.tmp / "random"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    octave.push(f"{_PREFIX}_rec__", str(compat_dir() / "recording"))
    octave.eval(f"addpath({_PREFIX}_rec__, '-begin'); clear {_PREFIX}_rec__;")


def _recorded(octave: Session, script: Path) -> tuple:
    """The draws the recorders logged, in call order (see :attr:`OctaveResult.random`)."""
    folder = octave.tmp / "random"
    calls_file, values_file = folder / "calls.txt", folder / "values.bin"
    if not calls_file.exists():
        return ()
    values = np.fromfile(values_file, dtype="<f8") if values_file.exists() else np.zeros(0)
    out, at = [], 0
    for line in calls_file.read_text().splitlines():
        kind, *dims = line.split()
        size = tuple(int(d) for d in dims)
        n = int(np.prod(size))
        if at + n > values.size:
            raise OctaveError(f"{script}: the random log of the run is incomplete ({values.size} values for "
                              f"the {_dims(size)} {kind} of call {len(out) + 1}); run it again")
        out.append((kind, size, values[at:at + n].copy()))
        at += n
    return tuple(out)


def _dims(size) -> str:
    return "x".join(map(str, size))


def _pushable(x):
    """A draw's argument as oct2py pushes it: an array as double, a dict (a struct's fields) as a struct."""
    if isinstance(x, Mapping):
        return {name: _pushable(v) for name, v in x.items()}
    return np.asarray(x, dtype=np.float64)


def run_function_draws(
    mfile: str | os.PathLike,
    args: Sequence[str],
    outputs: Sequence[str],
    draws: Sequence[Mapping[str, np.ndarray]],
    *,
    shim_dirs: Sequence[str | os.PathLike] = (),
    timeout: float = OCTAVE_TIMEOUT_S,
    log: Callable[[str], None] | None = None,
    octave_executable: str | None = None,
    record_random: bool = False,
) -> OctaveDrawsResult:
    """Call the function in ``mfile`` once per draw, all draws in one reset Octave session.

    ``[out_1, ..., out_K] = f(draw[args[0]], draw[args[1]], ...)`` for every draw, where ``f`` is
    the file's name (MATLAB calls a function file by its file name). The draws' arguments are
    pushed as one cell array per argument and the loop runs inside Octave, so 1000 draws cost one
    round trip, not 1000. A failing draw is named in the error. ``record_random``: as for
    :func:`run_script`, the random draws of every call, in order.
    """
    mfile = Path(mfile)
    if not mfile.is_file():
        raise OctaveScriptError(f"{mfile}: MATLAB function file not found", file=str(mfile))
    for name in (mfile.stem, *args, *outputs):
        if not IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a MATLAB identifier")
    n, k = len(draws), len(outputs)
    # A course's function runs with the path its folder's scripts set up (addpath ../common), as it
    # did when they called it: those folders, then its own folder first.
    course_path = [str(p) for p in path_folders(mfile.parent).folders]
    with session(shim_dirs, timeout=timeout, log=log, octave_executable=octave_executable) as octave:
        if course_path:
            octave.push(f"{_PREFIX}_path__", course_path)
            octave.eval(f"addpath({_PREFIX}_path__{{:}}, '-begin'); clear {_PREFIX}_path__;")
        octave.push(f"{_PREFIX}_dir__", str(mfile.resolve().parent))
        octave.eval(f"addpath({_PREFIX}_dir__, '-begin');")
        findings = octave.check_names(scan_m_file(mfile))
        for j, arg in enumerate(args):
            octave.push(f"{_PREFIX}_arg{j}__", [_pushable(d[arg]) for d in draws])
        call_args = ", ".join(f"{_PREFIX}_arg{j}__{{{_PREFIX}_draw__}}" for j in range(len(args)))
        outs = ", ".join(f"{_PREFIX}_o{j}__" for j in range(k))
        body = (
            f"  {_PREFIX}_out__ = cell({n}, {k});\n"
            f"  for {_PREFIX}_draw__ = 1:{n}\n"
            f"    [{outs}] = {mfile.stem}({call_args});\n"
            f"    {_PREFIX}_out__({_PREFIX}_draw__, :) = {{{outs}}};\n"
            f"  end"
        )
        if record_random:
            _start_recording(octave)
        try:
            octave.run_profiled(body, mfile)
        except OctaveScriptError as exc:
            draw = (octave.flag(f"{_PREFIX}_draw__") if octave.flag(f"exist('{_PREFIX}_draw__', 'var')")
                    else None)
            if draw is not None and n > 1:
                raise OctaveScriptError(f"draw {draw} of {n}: {exc}", file=exc.file, line=exc.line,
                                        column=exc.column, octave_message=exc.octave_message) from None
            raise
        meta = np.asarray(octave.ask(f"{{cellfun(@class, {_PREFIX}_out__, 'UniformOutput', false), "
                                     f"cellfun(@size, {_PREFIX}_out__, 'UniformOutput', false)}}"),
                          dtype=object).ravel()
        cls_cells, size_cells = (np.asarray(m, dtype=object).reshape(n, k) for m in meta)
        simple = all(str(c) in NUMERIC_CLASSES and str(c) != "char" and str(c) not in EXACT_DTYPES
                     for c in cls_cells.ravel())
        if simple:  # one transfer for every draw: numbers only (the usual case)
            # full(): a sparse output (its class is double too) comes back with the values it holds
            pulled = np.asarray(octave.ask(f"cellfun(@(v) full(double(v)), {_PREFIX}_out__, 'UniformOutput', false)"),
                                dtype=object).reshape(n, k)
        if not simple:  # cells, text: every output of every draw, in one round trip
            exprs = [f"{_PREFIX}_out__{{{i + 1}, {j + 1}}}" for i in range(n) for j in range(k)]
            got = octave.values(exprs, ours=True)
        out_matlab = []
        for i in range(n):
            values = {}
            for j, name in enumerate(outputs):
                cls = str(cls_cells[i, j])
                size = tuple(int(s) for s in np.asarray(size_cells[i, j]).ravel())
                if simple:
                    arr = np.asarray(pulled[i, j], dtype=np.float64)
                    values[name] = Value(cls, size, data=arr.reshape(size, order="F") if arr.shape != size else arr)
                else:
                    value = got[f"{_PREFIX}_out__{{{i + 1}, {j + 1}}}"]
                    if not isinstance(value, Value):
                        raise UnsupportedVariableError(f"{mfile}: output {name!r} of draw {i + 1}: {value}")
                    values[name] = value
            out_matlab.append(values)
        return OctaveDrawsResult(
            draws=[{nm: v.data for nm, v in d.items() if v.data is not None} for d in out_matlab],
            classes=[{nm: v.cls for nm, v in d.items()} for d in out_matlab],
            shims_used=octave.shims_called(), shims_on_path=tuple(octave.placed), versions=dict(octave.versions),
            findings=tuple(findings), matlab=out_matlab,
            random=_recorded(octave, mfile) if record_random else ())


def run_scripts(
    folder: str | os.PathLike,
    names: Sequence[str],
    *,
    timeout: float = OCTAVE_TIMEOUT_S,
    log: Callable[[str], None] | None = None,
    octave_executable: str | None = None,
    capture_output: bool = False,
    shim_dirs: Sequence[str | os.PathLike] = (),
    warnings: bool = True,
) -> list[ScriptRun]:
    """Run the scripts ``folder/<name>.m`` one after another in one reset Octave session, each in a
    workspace of its own, and return what each left, in order.

    Made for many small scripts (the translator's differential tests): one round trip runs them
    all and brings every workspace back. A script's error is its result (:attr:`ScriptRun.error`),
    not an exception, so one failing script does not stop the others; what a script prints is
    swallowed, or with ``capture_output=True`` kept as :attr:`ScriptRun.output` (evalc's text; a
    script stopped by an error keeps nothing, as evalc returns nothing then). The scripts run in
    ``folder`` (as MATLAB's ``run`` does: data files beside them are found by relative name), which
    goes first on the path, so the function files beside them are found. ``shim_dirs``: as for
    :func:`run_script`. ``warnings=False`` turns every warning off for the batch: evalc captures
    warnings with the printed text, which a comparison of displays must not see.
    Past ``timeout`` seconds for the whole batch the session is killed and
    :class:`OctaveTimeoutError` raised.
    """
    folder = Path(folder)
    for name in names:
        if not IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a MATLAB script name")
    if not names:
        return []
    with session(shim_dirs, timeout=timeout, log=log, octave_executable=octave_executable) as octave:
        octave.push(f"{_PREFIX}_dir__", str(folder.resolve()))
        octave.push(f"{_PREFIX}_names__", list(names))
        quiet = "" if warnings else " warning('off', 'all');"
        octave.eval(f"addpath({_PREFIX}_dir__, '-begin'); cd({_PREFIX}_dir__); clear {_PREFIX}_dir__;{quiet}")
        try:
            raw = octave.octave.eval(f"__rnncore_batch__({_PREFIX}_names__)", nout=1, timeout=timeout, verbose=False,
                                     stream_handler=octave._stream)
        except octave.Oct2PyError as exc:
            octave.healthy = False
            if "Timed out" in str(exc):
                raise OctaveTimeoutError(f"{folder}: {len(names)} scripts still running after the {timeout:g} s "
                                         f"timeout; the Octave session was killed") from None
            raise OctaveError(f"{folder}: Octave failed while running the scripts: {exc}") from exc
        except KeyboardInterrupt:
            octave.healthy = False
            raise
    runs = []
    for entry in np.asarray(raw, dtype=object).ravel():
        message, identifier, variables, described, printed = np.asarray(entry, dtype=object).ravel()
        message = str(message) if np.size(message) else ""
        identifier = str(identifier) if np.size(identifier) else ""
        printed = str(printed) if capture_output and np.size(printed) else ""
        if message:
            runs.append(ScriptRun({}, {}, {}, error=message, identifier=identifier, output=printed))
            continue
        classes, values, unsupported, plain = {}, {}, {}, {}
        for var, d in zip(np.asarray(variables, dtype=object).ravel(), np.asarray(described, dtype=object).ravel()):
            var = str(var)
            plain[var] = _described(d)
            classes[var] = plain[var][0]
            got = _decode(var, d)
            if isinstance(got, Value):
                values[var] = got
            else:
                unsupported[var] = got
        runs.append(ScriptRun(classes, values, unsupported, output=printed, described=plain))
    return runs
