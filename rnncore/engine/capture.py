"""Capture the calls a course's driver script makes to the course's own function files, in Octave.

Issue #19: ``rnncore add matlab_ref/<folder>/`` takes a whole course folder and gives each function
file a parity case whose draws are the calls the course really makes. :func:`capture_calls` runs
one driver script once, headless, in a reset session of :mod:`rnncore.engine.octave` (its pool,
guards, timeout and located errors), and records, for each function file named, every call: the
arguments (values as oct2py brings them back, with MATLAB class and size) and ``nargout``.

How. The folder is copied to a temporary folder (the original is never touched). In the copy each
captured ``f.m`` becomes ``__rnncore_orig_f.m``, its primary function renamed on its own line (so
every line number stays that of the course's file, and its subfunctions and ``private/`` folder
still resolve). A wrapper ``f.m``, in a folder of the session's own placed first on the path,
records ``varargin`` and ``nargout`` and calls the original with the same ``nargout``; a call as a
statement (``nargout == 0``) that still returns a value passes it on as ``ans``. Every caller goes
through the wrapper: the script, the other function files, handles ``@f`` and ``f`` calling
itself, so a call nested in another captured call is a call too. The store lives in a locked
function (``mlock``), so a script's ``clear all`` does not wipe it.

Which calls are kept, per function (deterministic: same script, same calls, same bytes):

* distinct calls only: a call whose ``nargout`` and arguments (class, size and every byte of the
  values, cells and structs element by element; an MD5 digest, computed in Octave) equal an
  earlier call's is counted but not kept again. The digests seen are held in a hash table of
  52-bit numbers (the digest's first 13 hex digits: two different calls are taken for one with a
  chance of about n^2 / 2^53), because a struct or cell grown by one entry per call costs O(n) per
  call in Octave: 20000 calls of a small function then took minutes; with the table each call
  costs about 0.25 ms more than without capture;
* at most ``max_calls``, spread over the run: the k-th distinct call is a candidate when
  ``(k - 1)`` is a multiple of a stride that starts at 1 and doubles whenever more than
  ``2 * max_calls`` candidates are held (dropping those off the new stride), so the candidates are
  always evenly spaced from the first distinct call on; at the end ``max_calls`` of them are taken
  evenly spaced, the first and the last included (``round(linspace(1, K, max_calls))``).

A call whose arguments oct2py cannot bring back (a function handle, an object: anything but numeric,
logical and char arrays, cells and structs of them) is kept with its classes and sizes, no values,
and ``uncapturable`` saying which argument and why. Such calls with an object argument are never
recognised as duplicates (an object has no bytes to compare).

``pause`` returns at once and each one is counted with its file and line (``pauses``, and the log);
``input``, ``keyboard`` and ``kbhit`` still stop the run with the file and line of the call (the
session's guards), named in the course's folder, not the temporary copy.

Limits: inside a captured function ``mfilename`` gives ``__rnncore_orig_f``, and code that asks
``nargin('f')``/``nargout('f')`` of a captured function sees the wrapper's ``-1``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from rnncore.engine.octave import _PREFIX, IDENTIFIER, OctaveError, OctaveScriptError, session
from rnncore.engine.preflight import scan_m_file

__all__ = ["CaptureError", "CapturedCall", "FunctionCalls", "CaptureResult", "capture_calls", "ORIGINAL_PREFIX"]

ORIGINAL_PREFIX = f"{_PREFIX}_orig_"  # __rnncore_orig_f: the course's f, renamed in the temporary copy
_STORE = f"{_PREFIX}_capture_store__"


class CaptureError(OctaveError):
    """The capture cannot start: a missing script or function file, a name that is not one, a bad setting."""


@dataclass(frozen=True)
class CapturedCall:
    """One kept call of a function file."""

    function: str
    distinct_index: int  # 1-based: the how-manieth distinct call of the function it was
    call_index: int  # 1-based: the how-manieth call of the function it was, repeats included
    nargout: int
    args: tuple  # the arguments as oct2py returns them (numpy arrays, Cell, Struct, str); () if uncapturable
    classes: tuple[str, ...]  # MATLAB class() of each argument
    sizes: tuple[tuple[int, ...], ...]  # MATLAB size() of each argument
    uncapturable: str = ""  # why the values could not be kept ('' when they were)


@dataclass(frozen=True)
class FunctionCalls:
    """What one function file received during the run."""

    name: str
    calls: int  # every call, repeats included
    distinct: int  # distinct calls
    kept: tuple[CapturedCall, ...]  # at most max_calls, spread over the run, in call order


@dataclass(frozen=True)
class CaptureResult:
    """The calls one driver script made to the folder's function files."""

    script: Path  # the driver script, in the course's folder
    functions: dict[str, FunctionCalls]  # every function file asked for, by name
    pauses: tuple[tuple[str, int, int], ...]  # (file in the course's folder, line, times it ran), first run first
    max_calls: int
    versions: dict[str, str]

    @property
    def uncalled(self) -> tuple[str, ...]:
        """Function files the script never called (directly or through another), sorted."""
        return tuple(sorted(n for n, f in self.functions.items() if f.calls == 0))


# --------------------------------------------------------------------------- Octave side

_STORE_SOURCE = f"""function out = {_STORE}(op, varargin)
  %% rnncore call capture: every call of the course's function files, kept across a script's
  %% `clear all` (the function is locked, so its persistent variables survive).
  persistent S P order T used
  mlock();
  out = [];
  switch op
    case 'init'  %% names (cell), max calls per function
      S = struct();
      for k = 1:numel(varargin{{1}})
        S.(varargin{{1}}{{k}}) = struct('calls', 0, 'distinct', 0, 'stride', 1, 'cap', varargin{{2}}, ...
                                      'kept', {{{{}}}});
      end
      %% The digests of the calls seen: an open-addressing hash table of 52-bit numbers (a struct
      %% or cell that grows by one per call costs O(n) per call in Octave; this is O(1)).
      T = zeros(1024, 1);
      used = 0;
      P = struct();  %% no containers.Map: a script's `clear all` clears its class, even in a locked function
      order = {{}};
    case 'record'  %% name, nargout, args (cell)
      st = S.(varargin{{1}});
      nout = varargin{{2}};
      args = varargin{{3}};
      st.calls = st.calls + 1;
      n = numel(args);
      classes = cell(1, n);
      sizes = cell(1, n);
      keys = cell(1, n);
      why = '';
      for k = 1:n
        classes{{k}} = class(args{{k}});
        sizes{{k}} = size(args{{k}});
        [keys{{k}}, w] = keyof(args{{k}});
        if isempty(why) && ~isempty(w)
          why = sprintf('argument %d is %s', k, w);
        end
      end
      %% The table holds the first 13 hex digits of each call's MD5 digest (an exact integer below
      %% 2^52; 0 marks an empty slot), found by linear probing. Inline, so T is changed in place.
      d = double(hash('md5', [varargin{{1}} sprintf(';%d;', nout) keys{{:}}])(1:13));
      h = (d - 48 - 39 * (d > 57)) * (16 .^ (12:-1:0))' + 1;
      slot = mod(h, numel(T)) + 1;
      while T(slot) ~= 0 && T(slot) ~= h
        slot = mod(slot, numel(T)) + 1;
      end
      if T(slot) == 0
        T(slot) = h;
        used = used + 1;
        if 2 * used > numel(T)  %% at most half full: twice the size, every digest put back
          T = rehash(T);
        end
        st.distinct = st.distinct + 1;
        i = st.distinct;
        if mod(i - 1, st.stride) == 0
          if ~isempty(why)
            args = {{}};
          end
          st.kept{{end + 1}} = {{i, st.calls, nout, args, classes, sizes, why}};
          if numel(st.kept) > 2 * st.cap
            st.stride = 2 * st.stride;
            st.kept = st.kept(cellfun(@(c) mod(c{{1}} - 1, st.stride) == 0, st.kept));
          end
        end
      end
      S.(varargin{{1}}) = st;
    case 'pause'  %% file, line
      key = ['k' hash('md5', sprintf('%s:%d', varargin{{1}}, varargin{{2}}))];
      if isfield(P, key)
        P.(key) = P.(key) + 1;
      else
        P.(key) = 1;
        order{{end + 1}} = {{varargin{{1}}, varargin{{2}}, key}};
      end
    case 'result'
      names = fieldnames(S);
      funcs = cell(1, numel(names));
      for k = 1:numel(names)
        st = S.(names{{k}});
        K = numel(st.kept);
        pick = 1:K;
        if K > st.cap
          pick = unique(round(linspace(1, K, st.cap)));
        end
        funcs{{k}} = {{names{{k}}, st.calls, st.distinct, st.kept(pick)}};
      end
      pauses = cell(1, numel(order));
      for k = 1:numel(order)
        pauses{{k}} = {{order{{k}}{{1}}, order{{k}}{{2}}, P.(order{{k}}{{3}})}};
      end
      out = {{funcs, pauses}};
    case 'reset'
      S = [];
      P = [];
      order = {{}};
      T = [];
      munlock();
  end
end

function T = rehash(old)
  old = old(old ~= 0);
  n = 4 * numel(old);
  T = zeros(n, 1);
  for k = 1:numel(old)
    slot = mod(old(k), n) + 1;
    while T(slot) ~= 0
      slot = mod(slot, n) + 1;
    end
    T(slot) = old(k);
  end
end

function [key, why] = keyof(v)
  %% A digest of class, size and every byte of v; why: '' or why oct2py cannot bring v back.
  persistent unique_objects
  why = '';
  head = [class(v) ':' sprintf('%d,', size(v))];
  if iscell(v)
    parts = cell(1, numel(v));
    for k = 1:numel(v)
      [parts{{k}}, w] = keyof(v{{k}});
      if isempty(why) && ~isempty(w)
        why = sprintf('a cell whose element %d is %s', k, w);
      end
    end
    key = hash('md5', [head parts{{:}}]);  %% digests: 32 characters each, no separator needed
  elseif isstruct(v)
    f = fieldnames(v);
    parts = cell(numel(f), numel(v));
    for i = 1:numel(v)
      for j = 1:numel(f)
        [parts{{j, i}}, w] = keyof(v(i).(f{{j}}));
        if isempty(why) && ~isempty(w)
          why = sprintf('a struct whose field %s is %s', f{{j}}, w);
        end
      end
    end
    key = hash('md5', [head sprintf('%s,', f{{:}}) '=' parts{{:}}]);
  elseif isnumeric(v) || islogical(v) || ischar(v)
    if issparse(v)  %% its nonzeros and where they are, never the full matrix
      [i, j, x] = find(v);
      x = [i(:); j(:); double(real(x(:))); double(imag(x(:)))]';
    else
      x = reshape(v, 1, []);
      if islogical(x) || ischar(x)
        x = double(x);
      end
      if ~isreal(x)
        x = [real(x) imag(x)];
      end
    end
    key = hash('md5', [head char(typecast(x, 'uint8'))]);
  elseif isa(v, 'function_handle')
    key = hash('md5', [head func2str(v)]);
    why = 'a function handle (oct2py cannot bring one back)';
  else
    if isempty(unique_objects)
      unique_objects = 0;
    end
    unique_objects = unique_objects + 1;
    key = hash('md5', [head sprintf('object %d', unique_objects)]);
    why = sprintf('a %s object (oct2py brings back numeric, logical and char arrays, cells and structs)', class(v));
  end
end
"""

_PAUSE_SOURCE = f"""function pause(varargin)
  %% rnncore call capture: a pause returns at once (nobody presses a key in an unattended run and no
  %% value depends on the wait); each one is counted with the file and line that called it.
  s = dbstack(1);
  if isempty(s)
    {_STORE}('pause', '', 0);
  else
    {_STORE}('pause', s(1).file, s(1).line);
  end
end
"""


def _wrapper_source(name: str) -> str:
    original = f"{ORIGINAL_PREFIX}{name}"
    return f"""function varargout = {name}(varargin)
  %% rnncore call capture: record this call of the course's {name}, then run it ({original}) with the
  %% same nargout. A call as a statement that returns a value passes it on as ans.
  {_STORE}('record', '{name}', nargout, varargin);
  if nargout == 0
    {original}(varargin{{:}});
    if exist('ans', 'var')
      varargout{{1}} = ans;
    end
  else
    [varargout{{1:nargout}}] = {original}(varargin{{:}});
  end
end
"""


# The first `function` line (not a comment): `function name`, `function y = name`, `function [a, b] = name`.
_FUNCTION_LINE = re.compile(
    rb"^([ \t]*function[ \t]+(?:(?:\[[^\]\n]*\]|[A-Za-z]\w*)[ \t]*=[ \t]*)?)([A-Za-z]\w*)", re.M)


def _renamed(mfile: Path, name: str) -> bytes:
    """The bytes of ``mfile`` with its primary function called ``__rnncore_orig_<name>`` (same lines)."""
    text = mfile.read_bytes()
    m = _FUNCTION_LINE.search(text)
    if m is None:
        raise CaptureError(f"{mfile}: no function line; {name}.m is not a function file, so its calls cannot be "
                           f"captured")
    return text[:m.start(2)] + f"{ORIGINAL_PREFIX}{name}".encode() + text[m.end(2):]


# --------------------------------------------------------------------------- Python side


def _check_inputs(folder: Path, script: str, functions: Iterable[str], max_calls: int) -> tuple[Path, list[str]]:
    if not folder.is_dir():
        raise CaptureError(f"{folder}: no such course folder")
    stem = script[:-2] if script.endswith(".m") else script
    script_path = folder / f"{stem}.m"
    if not IDENTIFIER.match(stem) or not script_path.is_file():
        raise CaptureError(f"{script_path}: no such driver script in {folder}")
    if isinstance(max_calls, bool) or not isinstance(max_calls, int) or max_calls < 1:
        raise CaptureError(f"max_calls must be a whole number of at least 1 (calls kept per function), "
                           f"not {max_calls!r}")
    if isinstance(functions, str):  # set("sq") would be {"s", "q"}
        raise CaptureError(f"functions must be a list of function names, not the string {functions!r}")
    names = sorted(set(functions))
    for name in names:
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            raise CaptureError(f"{name!r} is not a MATLAB function name")
        path = folder / f"{name}.m"
        if not path.is_file():
            raise CaptureError(f"{path}: no such function file in {folder}")
        if name == stem:
            raise CaptureError(f"{path}: {name} is the driver script; only function files' calls are captured")
        if scan_m_file(path).kind != "function":
            raise CaptureError(f"{path}: {name}.m is a script, not a function file; only function files' calls "
                               f"are captured")
    return script_path, names


def _plain(x):
    return str(x) if isinstance(x, str) else x


def _int(x) -> int:
    return int(np.asarray(x).ravel()[0])


def _ints(x) -> tuple[int, ...]:
    return tuple(int(v) for v in np.asarray(x).ravel())


def _cells(x) -> list:
    """The elements of a cell oct2py brought back (an object array, or a list), in order."""
    if isinstance(x, np.ndarray):
        return list(x.ravel(order="F"))
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _located(exc: OctaveError, copy: Path, original: Path) -> OctaveError:
    """The same error, naming the course's folder and files instead of the temporary copy's."""
    def fix(text):
        if text is None:
            return None
        for c in {str(copy.resolve()), str(copy)}:
            text = text.replace(c, str(original))
        return text.replace(ORIGINAL_PREFIX, "")

    if isinstance(exc, OctaveScriptError):
        return OctaveScriptError(fix(str(exc)), file=fix(exc.file), line=exc.line, column=exc.column,
                                 octave_message=fix(exc.octave_message))
    return type(exc)(fix(str(exc)))  # a timeout, standard input read: one sentence naming the script


def capture_calls(
    folder: str | os.PathLike,
    script: str,
    functions: Iterable[str],
    *,
    max_calls: int = 8,
    context: str | os.PathLike | None = None,
    shim_dirs: Sequence[str | os.PathLike] = (),
    timeout: float = 600.0,
    log: Callable[[str], None] | None = None,
    octave_executable: str | None = None,
) -> CaptureResult:
    """Run ``script`` (a driver in ``folder``) once in Octave and capture the calls of ``functions``.

    Parameters
    ----------
    folder : the course folder holding the script and the function files.
    script : the driver script's name (``ex1a_linreg`` or ``ex1a_linreg.m``).
    functions : names of the folder's function files whose calls are captured (``linear_regression``).
    max_calls : calls kept per function, at most (see the module docstring for which).
    context : a folder holding ``folder`` to copy with it, for scripts that reach their siblings
        (``addpath ../common``); default: the folder alone.
    shim_dirs, timeout, log, octave_executable : as for :func:`rnncore.engine.octave.run_script`.

    Raises :class:`CaptureError` before Octave starts when the inputs are wrong, and the session's
    :class:`~rnncore.engine.octave.OctaveError` subclasses when the run fails (located in the
    course's folder).
    """
    folder = Path(folder).resolve()
    script_path, names = _check_inputs(folder, script, functions, max_calls)
    root = Path(context).resolve() if context is not None else folder
    if root != folder and root not in folder.parents:
        raise CaptureError(f"{root}: the context folder must hold {folder}")
    log = log or (lambda line: None)
    work = Path(tempfile.mkdtemp(prefix="rnncore-capture-"))
    try:
        copy_root = work / root.name
        shutil.copytree(root, copy_root, symlinks=True)
        copy = copy_root / folder.relative_to(root)
        for name in names:
            (copy / f"{ORIGINAL_PREFIX}{name}.m").write_bytes(_renamed(copy / f"{name}.m", name))
            (copy / f"{name}.m").unlink()  # the wrapper, on the path, must be found instead (the folder comes first)
        with session(shim_dirs, timeout=timeout, log=log, octave_executable=octave_executable) as octave:
            wrappers = octave.tmp / "capture"
            shutil.rmtree(wrappers, ignore_errors=True)
            wrappers.mkdir()
            try:
                (wrappers / f"{_STORE}.m").write_text(_STORE_SOURCE)
                (wrappers / "pause.m").write_text(_PAUSE_SOURCE)
                for name in names:
                    (wrappers / f"{name}.m").write_text(_wrapper_source(name))
                octave.push(f"{_PREFIX}_capture_dir__", str(wrappers))
                octave.push(f"{_PREFIX}_capture_names__", names)
                octave.eval(f"addpath({_PREFIX}_capture_dir__, '-begin'); "
                            f"{_STORE}('init', {_PREFIX}_capture_names__, {max_calls}); "
                            f"clear {_PREFIX}_capture_dir__ {_PREFIX}_capture_names__;")
                beside = {p.stem for p in folder.glob("*.m")}
                octave.check_names(scan_m_file(script_path), injected=beside)
                octave.push(f"{_PREFIX}_file__", str(copy / script_path.name))
                octave.push(f"{_PREFIX}_dir__", str(copy))
                try:
                    octave.run_profiled(f"  cd({_PREFIX}_dir__); source({_PREFIX}_file__);", copy / script_path.name)
                except OctaveError as exc:
                    raise _located(exc, copy_root, root) from None
                funcs, pauses = _cells(octave.ask(f"{_STORE}('result')"))
            finally:
                if octave.healthy:  # unlock the store; leave the copy, which is deleted next (Octave needs a folder)
                    octave.eval(f"{_STORE}('reset'); cd(fullfile(getenv('RNNCORE_SESSION_DIR'), 'home'));")
                shutil.rmtree(wrappers, ignore_errors=True)
            versions = dict(octave.versions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = _result(script_path, funcs, pauses, copy_root, root, max_calls, versions)
    for file, line, count in result.pauses:
        log(f"[capture] pause at {file}:{line} returned at once ({count} time{'s' * (count != 1)})")
    for f in result.functions.values():
        log(f"[capture] {f.name}: {f.calls} call{'s' * (f.calls != 1)}, {f.distinct} distinct, {len(f.kept)} kept")
    return result


def _result(script: Path, funcs, pauses, copy_root: Path, root: Path, max_calls: int, versions) -> CaptureResult:
    functions = {}
    for item in _cells(funcs):
        name, calls, distinct, kept = _cells(item)
        name = str(name)
        out = []
        for call in _cells(kept):
            index, call_index, nout, args, classes, sizes, why = _cells(call)
            why = str(why) if isinstance(why, str) else ""
            out.append(CapturedCall(
                function=name, distinct_index=_int(index), call_index=_int(call_index), nargout=_int(nout),
                args=() if why else tuple(_plain(a) for a in _cells(args)),
                classes=tuple(str(c) for c in _cells(classes)), sizes=tuple(_ints(s) for s in _cells(sizes)),
                uncapturable=why))
        functions[name] = FunctionCalls(name=name, calls=_int(calls), distinct=_int(distinct), kept=tuple(out))
    located = []
    for item in _cells(pauses):
        file, line, count = _cells(item)
        file = str(file)
        for c in {str(copy_root.resolve()), str(copy_root)}:
            file = file.replace(c, str(root))
        file = file.replace(f"/{ORIGINAL_PREFIX}", "/")  # a pause inside a captured function: the course's file
        located.append((file, _int(line), _int(count)))
    return CaptureResult(script=script, functions=dict(sorted(functions.items())), pauses=tuple(located),
                         max_calls=max_calls, versions=versions)
