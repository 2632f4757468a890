"""The Python side of a case: find a port (``module:function``), call it, and read what it returns as MATLAB values.

**Where a port may live.** A case names its Python function as ``module:function``; the module must
be a file of the course's own folder (``ports.cat_rnn`` is ``ports/cat_rnn.py``) or one of rnncore's
own. It is found by path, then imported; nothing from the configuration is ever evaluated, and a
function of the standard library or of an installed package (``os:system``) is refused.

**The port contract.** The function takes no argument, or, for a case with inputs, one mapping of
input names to arrays, or (the port of a function file, as ``rnncore translate`` writes it) the
inputs as positional arguments in the order of the function's signature (:func:`call_port`); it
returns a mapping of variable names to values, each read as MATLAB would hold it (:func:`to_value`):

==========================================  =====================================================
Python                                      MATLAB
==========================================  =====================================================
``numpy`` array, at least 2-D, float64      ``double`` of that size (a column is ``(n, 1)``)
float32 / bool / int8 ... uint64 array      ``single`` / ``logical`` / ``int8`` ... ``uint64``
Python ``float`` or ``int``, 0-d array      a 1x1 ``double`` (0-d: the class of its dtype)
Python ``bool``                             a 1x1 ``logical``
``str``                                     a 1xN ``char`` row
``list`` (or tuple) of the above            a 1xN ``cell``; a 2-D object array: a cell of its size
``dict``                                    a ``struct``, whose fields a case names as ``s.f``
==========================================  =====================================================

A 1-D array is refused (MATLAB has none, and guessing row or column would change the answer).

**Failures** of user code (an import error, an exception in the port) are not rnncore's: they are
reported as the case's ``error`` with the innermost file and line of the project (:func:`locate`).
User code runs one call at a time (:data:`USER_CODE`), so a port that uses a global random state
gives the same numbers whatever else runs beside it.
"""

from __future__ import annotations

import importlib
import sys
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from rnncore import pysource
from rnncore.errors import ConfigError, PortError
from rnncore.io import EXACT_DTYPES, Value

__all__ = ["USER_CODE", "resolve", "call_port", "to_value", "lookup", "locate", "PYTHON_CLASSES"]

USER_CODE = threading.Lock()

# numpy dtype -> MATLAB class
PYTHON_CLASSES = {"float64": "double", "float32": "single", "bool": "logical", "int8": "int8", "int16": "int16",
                  "int32": "int32", "int64": "int64", "uint8": "uint8", "uint16": "uint16", "uint32": "uint32",
                  "uint64": "uint64"}


def resolve(target: str, project=".", *, key: str = "python"):
    """Import ``module:function`` from the project (or rnncore) and return the function.

    Raises :class:`ConfigError` naming ``key`` when the module is not a file of the project, or the
    function does not exist; an exception while importing the module propagates (it is the
    module's own failure: report it with :func:`locate`).
    """
    module_name, _, attr = target.partition(":")
    project = Path(project).resolve()
    path = pysource.module_file(module_name, project)
    if path is None:
        raise ConfigError(f"{key}: module {module_name!r} (from {target!r}) is not a file of the project "
                          f"({project}) nor of rnncore; a port must be a module of your course folder, e.g. "
                          f"ports/cat.py named as ports.cat:function")
    if str(project) not in sys.path and module_name.split(".")[0] != "rnncore":
        sys.path.insert(0, str(project))
    module = importlib.import_module(module_name)
    loaded = Path(getattr(module, "__file__", "") or "").resolve()
    if loaded != path.resolve():
        raise ConfigError(f"{key}: importing {module_name!r} loaded {loaded}, not the project's {path}; another "
                          f"package of that name shadows it. Rename the module.")
    func = getattr(module, attr, None)
    if not callable(func):
        raise ConfigError(f"{key}: {module_name!r} ({path}) has no function {attr!r} (from {target!r})")
    return func


def call_port(func, inputs: Mapping, order: list[str]):
    """Call a port: ``func()`` without inputs; ``func(*inputs in order)`` when it takes them one by one
    (a function file's port: at least as many positional parameters as there are inputs, the first
    named like the only input when there is one; a port's later parameters are optional, as MATLAB's
    nargin makes them); else ``func(inputs)``, the mapping."""
    if not inputs:
        return func()
    order = order or list(inputs)
    import inspect

    try:
        params = [p for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):  # a builtin or C function: no signature to read
        params = []
    one_by_one = (len(order) > 1 and len(params) >= len(order)) or (
        len(order) == 1 and len(params) >= 1 and params[0].name.rstrip("_") == order[0])
    return func(*[inputs[n] for n in order]) if one_by_one else func(dict(inputs))


def to_value(name: str, value, where: str) -> Value:
    """Read what a port returned for ``name`` as a MATLAB value (the table in the module docstring)."""
    if isinstance(value, str):
        codes = np.array([[ord(c) for c in value]], dtype=np.float64).reshape(1, len(value))
        return Value("char", codes.shape, data=codes)
    if isinstance(value, (list, tuple)):
        items = tuple(to_value(f"{name}{{{k + 1}}}", v, where) for k, v in enumerate(value))
        return Value("cell", (1, len(items)), items=items)
    if isinstance(value, bool):
        return Value("logical", (1, 1), data=np.array([[1.0 if value else 0.0]]))
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return Value("double", (1, 1), data=np.array([[float(value)]]))
    arr = np.asarray(value)
    if arr.dtype == object and arr.ndim == 2:  # a 2-D cell, items in column-major order
        items = tuple(to_value(f"{name}{{{k + 1}}}", v, where) for k, v in enumerate(arr.ravel(order="F")))
        return Value("cell", arr.shape, items=items)
    cls = PYTHON_CLASSES.get(arr.dtype.name)
    if cls is None:
        raise PortError(f"{where}: variable {name!r} has dtype {arr.dtype}; return real numeric or logical arrays, "
                        f"a str for MATLAB text or a list for a cell")
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    if arr.ndim < 2:
        raise PortError(f"{where}: variable {name!r} has shape {arr.shape}; return MATLAB-shaped arrays (at least "
                        f"2-D, e.g. ({arr.size}, 1) for a column or (1, {arr.size}) for a row)")
    return Value(cls, arr.shape, data=arr.astype(EXACT_DTYPES.get(cls, np.float64)))  # int64/uint64 exact


def lookup(values: Mapping, name: str):
    """``values[name]``; for ``s.f`` also ``values["s"]["f"]``. Raises KeyError when absent."""
    if name in values:
        return values[name]
    head, _, rest = name.partition(".")
    if not rest or not isinstance(values.get(head), Mapping):
        raise KeyError(name)
    return lookup(values[head], rest)


def locate(exc: BaseException, project=".") -> str:
    """``file:line: ExceptionType: message``, at the innermost frame in a file of the project
    (outside rnncore), else the innermost frame; one line."""
    project = Path(project).resolve()
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, SyntaxError) and exc.filename:
        frames.append(traceback.FrameSummary(exc.filename, exc.lineno or 0, "<module>"))
    mine = [f for f in frames if Path(f.filename).resolve().is_relative_to(project)
            and not Path(f.filename).resolve().is_relative_to(pysource.RNNCORE_DIR)]
    frame = (mine or frames or [None])[-1]
    text = str(exc).splitlines()[0] if str(exc) else ""
    what = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    if frame is None:
        return what
    path = Path(frame.filename)
    shown = path.resolve().relative_to(project) if path.resolve().is_relative_to(project) else path
    return f"{shown}:{frame.lineno}: {what}"
