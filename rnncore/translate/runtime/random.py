"""Random numbers: replayed from Octave's recorded stream in a parity run, numpy's generator otherwise.

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).

Octave's generators and numpy's cannot give the same numbers, so a parity run does not try: the
Octave run records every draw of ``rand``, ``randn`` and ``randperm`` (the recorders in
``matlab_ref/compat/recording/``, see :func:`rnncore.engine.octave.run_script`), and the port,
inside :func:`replaying`, takes the same numbers in the same order. Each call checks that it asks
for what Octave drew at that point (the function and the size), so a port that draws in another
order stops with a :class:`MatlabError` naming both calls instead of comparing unrelated numbers.

``randi`` is not a generator of its own in Octave 7: its ``randi.m`` draws ``rand(M, 1)`` (M a
little more than the number of integers asked for) and maps those uniforms to integers. The
recorder therefore sees that ``rand`` call, and :func:`randi` here replays it through the same
arithmetic (every step exact in double precision), so the integers are Octave's.

``randg`` (gamma draws of shape A, scale 1) is Octave's own generator and is recorded like
``rand``. ``gamrnd`` and ``randsample`` are not in Octave 7: rnncore's compatibility shims
(``matlab_ref/compat/gamrnd.m``, ``randsample.m``) draw through ``randg`` and ``randperm``/``randi``,
and :func:`gamrnd` and :func:`randsample` here take the same steps on the replayed draws.

Outside a parity run (a port run on its own) the functions draw from
``numpy.random.default_rng(seed)``: deterministic for a seed (``rand('seed', s)``,
``rand('state', s)``, ``randn(...)``, ``rng(s)``; ``rng('default')`` is seed 0, as is a port
that never seeds), but other numbers than MATLAB's.
"""

from __future__ import annotations

import builtins as _py
import contextlib
import math
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .registry import matlab_function
from .values import MatlabError, _dims, _dims_text, _plain, _text, _wrap, value

__all__ = ["rand", "randn", "randi", "randperm", "randg", "gamrnd", "randsample", "rng", "Draw", "replaying"]

_FLINTMAX = 2.0 ** 53  # flintmax(): randi.m's scale for its primary integers


@dataclass(frozen=True)
class Draw:
    """One recorded call: the function that drew, the size of what it returned, the values (column-major)."""

    kind: str
    size: tuple[int, ...]
    values: np.ndarray


class _Replay:
    def __init__(self, draws: Sequence[Draw]):
        self.draws, self.next = list(draws), 0

    def take(self, kind: str, size: tuple[int, ...], call: str) -> np.ndarray:
        k = self.next
        if k >= len(self.draws):
            raise MatlabError(f"{call}: the port draws more random numbers than the Octave run did (it made "
                              f"{len(self.draws)} random call(s)); the port must draw in the same order as the script")
        d = self.draws[k]
        if d.kind != kind or tuple(d.size) != tuple(size):
            raise MatlabError(f"{call}: random call {k + 1} asks for a {_dims_text(size)} {kind} where the Octave "
                              f"run's call {k + 1} drew a {_dims_text(d.size)} {d.kind}; the port must draw in the "
                              f"same order as the script")
        self.next += 1
        return np.asarray(d.values, dtype=np.float64).reshape(size, order="F")


_STATE: dict = {"replay": None, "rng": np.random.default_rng(0)}


@contextlib.contextmanager
def replaying(draws: Sequence[Draw] | None) -> Iterator[None]:
    """Inside, the random functions return ``draws`` in order (None: numpy's generator, seeded 0).

    On a normal exit every recorded draw must have been taken: a port that draws less than the
    script did is named, since its later numbers would otherwise pass for the script's.
    """
    saved = dict(_STATE)
    replay = None if draws is None else _Replay(draws)
    _STATE.update(replay=replay, rng=np.random.default_rng(0))
    try:
        yield
        if replay is not None and replay.next < len(replay.draws):
            d = replay.draws[replay.next]
            raise MatlabError(f"the port made {replay.next} random call(s) where the Octave run made "
                              f"{len(replay.draws)}; the first one it did not make is call {replay.next + 1}, "
                              f"a {_dims_text(d.size)} {d.kind}")
    finally:
        _STATE.clear()
        _STATE.update(saved)


def _call_text(name: str, args) -> str:
    shown = []
    for a in args:
        if isinstance(a, str):
            shown.append(repr(a))
            continue
        v = np.asarray(_plain(value(a)))
        flat = v.reshape(-1, order="F")
        shown.append(f"{flat[0]:g}" if v.size == 1 else f"[{' '.join(f'{x:g}' for x in flat)}]")
    return f"{name}({', '.join(shown)})"


def _seed_value(s, what: str) -> int:
    v = np.asarray(_plain(value(s)), dtype=np.float64).reshape(-1)
    if v.size == 0 or not np.all(np.isfinite(v)):
        raise MatlabError(f"{what}: the seed must be a finite number")
    return int(_py.abs(int(v[0]))) if v.size == 1 else int(np.sum(np.abs(v.astype(np.int64))))


def _generator(name: str, args) -> tuple[bool, tuple]:
    """Handle a seeding call (``rand('seed', s)``...): True if it was one. Else the size arguments,
    without a trailing ``'double'``."""
    args = list(args)
    if args and _is_text(args[0]):
        what = _text(args[0], f"{name}: the first argument").lower()
        if what in ("seed", "state", "twister") and len(args) == 2:
            spec = args[1]
            if _is_text(spec) and _text(spec).lower() == "reset":
                _reseed(0)
            else:
                _reseed(_seed_value(spec, f"{name}('{what}', s)"))
            return True, ()
        if what in ("double",):
            args = args[1:]
        else:
            raise MatlabError(f"{_call_text(name, args)}: only {name}('seed', s), {name}('state', s) and "
                              f"{name}('twister', s) of the generator calls are in the subset (reading the "
                              f"state is not)")
    if args and _is_text(args[-1]):
        cls = _text(args[-1], f"{name}: the class").lower()
        if cls != "double":
            raise MatlabError(f"{_call_text(name, args)}: only double random numbers are in the subset")
        args = args[:-1]
    return False, tuple(args)


def _is_text(a) -> bool:
    if isinstance(a, str):
        return True
    v = value(a)
    return getattr(v, "dtype", None) == np.uint16


def _reseed(seed: int) -> None:
    if _STATE["replay"] is None:  # replaying: the numbers are Octave's whatever the seed
        _STATE["rng"] = np.random.default_rng(seed)


def _uniform(size: tuple[int, ...], call: str) -> np.ndarray:
    replay = _STATE["replay"]
    if replay is not None:
        return replay.take("rand", size, call)
    return _STATE["rng"].random(math.prod(size)).reshape(size, order="F")


@matlab_function()
def rand(*args):
    """MATLAB ``rand``: uniform on (0, 1), sizes as for ``zeros``; ``rand('seed'|'state'|'twister', s)`` seeds."""
    seeded, dims = _generator("rand", args)
    if seeded:
        return None
    size = _dims(dims, "rand")
    return _wrap(_uniform(size, _call_text("rand", args)))


@matlab_function()
def randn(*args):
    """MATLAB ``randn``: standard normal, sizes as for ``zeros``; ``randn('seed'|'state'|'twister', s)`` seeds."""
    seeded, dims = _generator("randn", args)
    if seeded:
        return None
    size = _dims(dims, "randn")
    replay = _STATE["replay"]
    if replay is not None:
        return _wrap(replay.take("randn", size, _call_text("randn", args)))
    return _wrap(_STATE["rng"].standard_normal(math.prod(size)).reshape(size, order="F"))


@matlab_function()
def randi(bounds, *args):
    """MATLAB ``randi(imax, ...)`` and ``randi([imin imax], ...)``: uniform integers (double), sizes as
    for ``zeros``."""
    call = _call_text("randi", (bounds, *args))
    b = np.asarray(_plain(value(bounds)), dtype=np.float64).reshape(-1)
    if b.size not in (1, 2) or not np.all(b == np.floor(b)):
        raise MatlabError(f"{call}: IMIN and IMAX must be integer bounds")
    imin, imax = (1.0, b[0]) if b.size == 1 else (b[0], b[1])
    if imax < imin:
        raise MatlabError(f"{call}: require IMIN <= IMAX" if b.size == 2 else f"{call}: require IMAX >= 1")
    seeded, dims = _generator("randi", args)  # no seeding form: a text first argument is an error there
    size = _dims(dims, "randi")
    n = math.prod(size)
    if _STATE["replay"] is None:
        ints = _STATE["rng"].integers(int(imin), int(imax), size=n, endpoint=True).astype(np.float64)
        return _wrap(ints.reshape(size, order="F"))
    # Octave 7's randi.m, step by step (every operation is exact on these integers below 2^53)
    span = (imax - imin) + 1
    K = math.floor((_FLINTMAX + 1) / span)
    p = (K * span) / (_FLINTMAX + 1)
    while True:
        M = math.ceil(n / p + 10 * math.sqrt(n / p - n))
        prim = np.floor(_uniform((M, 1), f"{call} (Octave's randi draws rand({M}, 1))").reshape(-1) * (_FLINTMAX + 1))
        prim = prim[prim < K * span]
        if prim.size >= n:
            break
    return _wrap((imin + np.floor(prim[:n] / K)).reshape(size, order="F"))


@matlab_function()
def randperm(n, k=None):
    """MATLAB ``randperm(n)`` and ``randperm(n, k)``: a random permutation of 1..n (its first k), a double row."""
    call = _call_text("randperm", (n,) if k is None else (n, k))
    nn = np.asarray(_plain(value(n)), dtype=np.float64).reshape(-1)
    if nn.size != 1 or nn[0] < 0 or nn[0] != np.floor(nn[0]):
        raise MatlabError(f"{call}: N must be a non-negative integer")
    kk = nn[0] if k is None else np.asarray(_plain(value(k)), dtype=np.float64).reshape(-1)[0]
    if kk < 0 or kk > nn[0] or kk != np.floor(kk):
        raise MatlabError(f"{call}: M must be an integer from 0 to N")
    size = (1, int(kk))
    replay = _STATE["replay"]
    if replay is not None:
        return _wrap(replay.take("randperm", size, call))
    return _wrap((_STATE["rng"].permutation(int(nn[0]))[: int(kk)] + 1).astype(np.float64).reshape(size))


@matlab_function()
def randg(a, *args):
    """Octave's ``randg(A)``, ``randg(A, m, n, ...)``: gamma draws of shape A (scale 1), one per element
    of A, or A (a scalar) for every element of the size given; NaN where A is not positive."""
    call = _call_text("randg", (a, *args))
    shape = np.asarray(_plain(value(a)), dtype=np.float64)
    size = _dims(args, "randg") if args else shape.shape
    if shape.size != 1 and shape.shape != size:
        raise MatlabError(f"{call}: the dimensions of A must match the size asked for")
    A = shape * np.ones(size)
    replay = _STATE["replay"]
    if replay is not None:
        return _wrap(replay.take("randg", size, call))
    draws = _STATE["rng"].standard_gamma(np.where(A > 0, A, 1.0))
    return _wrap(np.where(A > 0, draws, np.nan).reshape(size))


@matlab_function()
def gamrnd(a, b, *sz):
    """MATLAB ``gamrnd(A, B)``, ``gamrnd(A, B, m, n)``, ``gamrnd(A, B, [m n])``: gamma draws of shape A
    and scale B, as rnncore's shim computes them in Octave 7 (``B .* randg(A)`` over the common
    size, NaN where A or B is not a finite positive number)."""
    av = np.asarray(_plain(value(a)), dtype=np.float64)
    bv = np.asarray(_plain(value(b)), dtype=np.float64)
    if sz:
        size = _dims(sz, "gamrnd")
    else:
        try:
            size = np.broadcast_shapes(av.shape, bv.shape)
        except ValueError:
            raise MatlabError(f"gamrnd: A ({_dims_text(av.shape)}) and B ({_dims_text(bv.shape)}) are not of "
                              f"compatible sizes") from None
    A, B = av * np.ones(size), bv * np.ones(size)
    r = B * np.asarray(_plain(randg(_wrap(A))))
    r[~((A > 0) & (A < np.inf) & (B > 0) & (B < np.inf))] = np.nan
    return _wrap(r)


@matlab_function()
def randsample(v, k, replace=False):
    """MATLAB ``randsample(n, k)`` (a kx1 column of distinct integers from 1:n),
    ``randsample(population, k)`` (its elements ``population(y)``) and ``randsample(..., true)``
    (with replacement), drawn as rnncore's shim draws them in Octave 7: ``randperm(n, k)'``, or
    ``randi(n, k, 1)`` with replacement."""
    from .arrange import ctranspose
    from .indexing import index
    from .queries import numel

    population = value(v)
    scalar = np.asarray(_plain(numel(population))).item() == 1
    n = population if scalar else numel(population)
    with_replacement = bool(np.all(np.asarray(_plain(value(replace)))))
    y = randi(n, k, 1) if with_replacement else ctranspose(randperm(n, k))
    return y if scalar else index(population, y)


@matlab_function(statement=True)
def rng(seed=None, generator=None):
    """MATLAB ``rng(s)``, ``rng(s, 'twister')`` and ``rng('default')`` (seed 0); ``rng('shuffle')`` is refused."""
    if seed is None:
        raise MatlabError("rng without a seed (reading the generator's settings) is outside rnncore translate's "
                          "subset; seed it with rng(s)")
    if _is_text(seed):
        what = _text(seed).lower()
        if what != "default":
            raise MatlabError(f"rng('{what}'): only rng(s) and rng('default') are in the subset "
                              f"(a time-seeded generator is not reproducible)")
        _reseed(0)
        return None
    if generator is not None and _text(generator, "rng: the generator").lower() != "twister":
        raise MatlabError(f"rng(s, '{_text(generator)}'): only the twister generator is in the subset")
    _reseed(_seed_value(seed, "rng(s)"))
    return None
