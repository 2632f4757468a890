"""Special functions and counting (``gamma``, ``erf``, ``erfc``, ``factorial``, ``nchoosek``, ``nthroot``,
``gammaln``, ``psi``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Octave calls the C library (glibc's ``tgamma``, ``erf``); ``erf``/``erfc`` here are Python's
``math`` functions, which are the C library's, and ``gamma`` is scipy's (within a few ULP of
glibc's, inside the parity tolerance).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import math

import numpy as np
import scipy.special

from .values import MatlabError, _wrap, double, value
from .arithmetic import _num_array
from .registry import matlab_function

__all__ = ["gamma", "erf", "erfc", "factorial", "nchoosek", "nthroot", "gammaln", "psi"]


def _gamma(a: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        out = scipy.special.gamma(a)
    # Octave: Inf at +0, at the negative integers and at -Inf; -Inf at -0 (scipy gives NaN or signed Inf)
    poles = (a <= 0) & (a == np.floor(a))
    out = np.where(poles, np.inf, out)
    return np.where((a == 0) & np.signbit(a), -np.inf, out)


@matlab_function()
def gamma(x):
    """MATLAB ``gamma``, element-wise."""
    return _wrap(_gamma(_num_array(x, "gamma")))


@matlab_function()
def erf(x):
    """MATLAB ``erf``, element-wise (the C library's, as in Octave)."""
    a = _num_array(x, "erf")
    return _wrap(np.vectorize(math.erf, otypes=[np.float64])(a) if a.size else a.astype(np.float64))


@matlab_function()
def erfc(x):
    """MATLAB ``erfc``, element-wise (the C library's, as in Octave)."""
    a = _num_array(x, "erfc")
    return _wrap(np.vectorize(math.erfc, otypes=[np.float64])(a) if a.size else a.astype(np.float64))


@matlab_function()
def factorial(n):
    """Octave's ``factorial`` (factorial.m): ``round(gamma(n + 1))``; n must be non-negative integers."""
    a = _num_array(n, "factorial")
    if np.any((a < 0) | (a != np.floor(a))):
        raise MatlabError("factorial: all N must be real non-negative integers")
    g = _gamma(a + 1)
    t = np.trunc(g)
    return _wrap(t + np.where(np.abs(g - t) >= 0.5, np.sign(g), 0.0))


@matlab_function()
def nchoosek(v, k):
    """MATLAB ``nchoosek(n, k)`` (the binomial coefficient, exact below flintmax) and
    ``nchoosek(vector, k)`` (every k-combination as a row, in lexicographic order of positions)."""
    a = value(v)
    x = _num_array(a, "nchoosek")
    kk = _num_array(k, "nchoosek").reshape(-1)
    if kk.size != 1 or kk[0] < 0 or kk[0] != math.floor(kk[0]):
        raise MatlabError("nchoosek: K must be an integer >= 0")
    kv = int(kk[0])
    if x.ndim > 2 or (x.shape[0] != 1 and x.shape[1] != 1):
        raise MatlabError("nchoosek: first argument must be a scalar or a vector")
    if x.size == 1:
        nv = float(x.reshape(-1)[0])
        if nv < kv or nv < 0 or nv != math.floor(nv):
            raise MatlabError("nchoosek: N must be a non-negative integer >= K")
        return double(float(math.comb(int(nv), kv)))
    items = a.view(np.ndarray).reshape(-1, order="F")
    if kv == 0:
        return _wrap(np.zeros((1, 0), dtype=items.dtype))
    rows = list(itertools.combinations(range(items.size), kv))
    if not rows:
        return _wrap(np.zeros((0, kv), dtype=items.dtype))
    return _wrap(items[np.array(rows)])


def _nthroot(x: np.ndarray, n: float) -> np.ndarray:
    if n == 3:
        return np.cbrt(x)  # the C library's cbrt, as Octave's
    if n == -3:
        return 1.0 / np.cbrt(x)
    if n < 0:
        return 1.0 / _nthroot(x, -n)
    integer_n = n == np.fix(n)
    if integer_n and np.mod(n, 2) == 1:
        y = np.abs(x) ** (1.0 / n) * np.sign(x)
    elif np.any(x < 0):
        raise MatlabError("nthroot: N must be an odd integer if X contains negative values")
    else:
        y = x ** (1.0 / n)
    if integer_n and n > 0 and np.isfinite(n) and not (y.size == 1 and y.reshape(-1)[0] == 0):
        # nthroot.m's Newton step against the rounding of pow (bug #43492: not for a scalar 0)
        y = ((n - 1) * y + x / (y ** (n - 1))) / n
        y = np.where(np.isfinite(y), y, x)
    return y


@matlab_function()
def nthroot(x, n):
    """Octave's ``nthroot`` (nthroot.m), step for step: the real n-th root, negative x for odd n."""
    a = _num_array(x, "nthroot")
    nv = _num_array(n, "nthroot")
    if nv.size != 1 or nv.reshape(-1)[0] == 0:
        raise MatlabError("nthroot: N must be a real nonzero scalar")
    with np.errstate(all="ignore"):
        return _wrap(_nthroot(a.astype(np.float64), float(nv.reshape(-1)[0])))


_libm = None


def _lgamma_r():
    """The C library's lgamma_r, which Octave's gammaln calls (Python's math.lgamma is its own
    code and differs in the last bits)."""
    global _libm
    if _libm is None:
        lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        fn = lib.lgamma_r
        fn.restype = ctypes.c_double
        fn.argtypes = [ctypes.c_double, ctypes.POINTER(ctypes.c_int)]
        _libm = fn
    return _libm


@matlab_function(name="gammaln")
def gammaln(x):
    """MATLAB ``gammaln`` (``lgamma``): ``log(gamma(x))`` by the C library's lgamma_r, as Octave.
    Where gamma(x) is negative (some negative x, and -0) Octave's answer is complex
    (``log|gamma(x)| + pi*i``): outside the subset, refused."""
    a = _num_array(x, "gammaln")
    fn = _lgamma_r()
    sign = ctypes.c_int(1)
    out = np.empty(a.shape)
    flat_in, flat_out = a.reshape(-1), out.reshape(-1)
    for k, v in enumerate(flat_in.tolist()):
        flat_out[k] = fn(v, ctypes.byref(sign))
        if sign.value < 0 and not np.isnan(v):
            raise MatlabError(f"gammaln({v:g}) is complex in Octave (gamma is negative there); complex values "
                              "are outside rnncore translate's subset")
    return _wrap(out)


_EULER_MASCHERONI = 0.577215664901532860606512090082402431042
# Octave's lo-specfun.cc (xpsi, adapted from XLiFE++): the asymptotic series' coefficients
_DG_COEFF = (-0.83333333333333333e-1, 0.83333333333333333e-2, -0.39682539682539683e-2, 0.41666666666666667e-2,
             -0.75757575757575758e-2, 0.21092796092796093e-1, -0.83333333333333333e-1, 0.4432598039215686,
             -0.3053954330270122e+1, 0.125318899521531e+2)


def _psi(z: float) -> float:
    """Octave 7's digamma (lo-specfun.cc xpsi), step for step, with the C library's log and tan."""
    if math.isnan(z):
        return z
    is_int = math.floor(z) == z if math.isfinite(z) else False
    p = 0.0
    if z <= 0:
        if is_int or z == -math.inf:
            return -math.inf  # the poles of gamma (MATLAB's psi(0) is -Inf)
        return _psi(1 - z) - (math.pi / math.tan(math.pi * z))  # reflection, A&S 6.3.7
    if z == math.inf:
        # Octave's integer branch: floor(Inf) == Inf, and its loop from (octave_idx_type) Inf runs no
        # step on x86-64 (the conversion gives INT64_MIN), so psi(Inf) is -euler_mascheroni there
        return -_EULER_MASCHERONI
    if is_int:  # A&S 6.3.2
        p = -_EULER_MASCHERONI
        for k in range(int(z) - 1, 0, -1):
            p += 1.0 / k
        return p
    if math.floor(z + 0.5) == z + 0.5:  # A&S 6.3.3 and 6.3.4
        for k in range(int(z), 0, -1):
            p += 1.0 / (2 * k - 1)
        return -_EULER_MASCHERONI - 2 * math.log(2) + 2 * p
    zc = z
    if z < 10:  # recurrence up to 10, where the series is accurate
        n = int(10 - z)
        for k in range(n - 1, -1, -1):
            p -= 1.0 / (k + z)
        zc += n
    overz2 = 1.0 / (zc * zc)
    overz2k = overz2
    p1 = 0.0
    for c in _DG_COEFF:
        p1 += c * overz2k
        overz2k *= overz2
    return p + (math.log(zc) - 0.5 / zc + p1)


@matlab_function()
def psi(*args):
    """MATLAB ``psi(z)`` (digamma), element-wise, computed as Octave 7's lo-specfun.cc does.
    ``psi(k, z)`` with ``k >= 1`` (polygamma) is not in the subset yet."""
    if len(args) not in (1, 2):
        raise MatlabError("Invalid call to psi")
    if len(args) == 2:
        k = _num_array(args[0], "psi")
        if k.size != 1 or k.reshape(-1)[0] != 0:
            raise MatlabError("psi(k, z) with k >= 1 (polygamma) is not in rnncore translate's subset yet")
    a = _num_array(args[-1], "psi")
    out = np.array([_psi(v) for v in a.reshape(-1).tolist()], dtype=np.float64).reshape(a.shape)
    return _wrap(out)
