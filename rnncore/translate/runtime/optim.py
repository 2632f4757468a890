"""Minimisation (``fminunc``, ``fminsearch``) through scipy.optimize; their options are the struct
``optimset`` makes (:mod:`rnncore.translate.runtime.structs`).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
Octave's own optimisers (fminunc.m: a trust-region dogleg with BFGS updates; fminsearch.m: Higham's
Nelder-Mead nmsmax) are not scipy's, so a port reaches another point inside the same stopping
tolerances: every result is recorded and flagged as a library routine's
(:mod:`rnncore.translate.runtime.provenance`), and agrees with Octave's only to about those
tolerances. The defaults are Octave 7's:

==============  =========================  ==========================
option          fminunc                    fminsearch
==============  =========================  ==========================
MaxIter         400                        200 * numel(x0)
MaxFunEvals     100 * numel(x0)            200 * numel(x0)
TolX            1e-7                       1e-4
TolFun          1e-7                       1e-4
==============  =========================  ==========================

fminunc here is scipy's BFGS with TolFun as its gradient tolerance and a finite-difference gradient:
a handle written by the translator gives its function's first output only, so ``'GradObj', 'on'``
cannot ask the objective for its gradient (a course's cost function then still works, more slowly).
fminsearch is scipy's Nelder-Mead with TolX and TolFun as its absolute tolerances.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from .values import MArray, MatlabError, Struct, _CHAR, _text, _wrap, double, value
from .arithmetic import _num_array
from .workspace import call
from .provenance import _from_library
from .registry import matlab_function

__all__ = ["fminunc", "fminsearch"]

def _option(options, name: str, default: float) -> float:
    if options is None or (isinstance(options, MArray) and options.size == 0):
        return default
    if not isinstance(options, Struct) or options.shape != (1, 1):
        raise MatlabError("the options of an optimiser must be a struct, as optimset makes")
    # optimset spells each name as Octave lists it; a struct written by hand may use any case
    v = next((val for key, val in options.elements[0].items() if key.lower() == name.lower()), None)
    if v is None or (isinstance(v, MArray) and v.size == 0):
        return default
    return float(_num_array(v, f"optimset {name}").reshape(-1)[0])


def _objective(what: str, f, x0: np.ndarray):
    shape = x0.shape

    def fun(x):
        y = value(call(f, _wrap(np.asarray(x, dtype=np.float64).reshape(shape, order="F"))))
        if not isinstance(y, MArray) or y.size < 1:
            raise MatlabError(f"{what}: the objective must return a real scalar")
        return float(y.view(np.ndarray).reshape(-1, order="F")[0])

    return fun


def _results(what: str, x0: np.ndarray, res, nargout: int):
    x = _wrap(np.asarray(res.x, dtype=np.float64).reshape(x0.shape, order="F"))
    outs = (x, double(float(res.fun)), double(1.0 if res.success else 0.0))[: max(nargout, 1)]
    return _from_library(what, "scipy.optimize, not Octave's optimiser: agrees to the stopping tolerances", *outs)


@matlab_function(max_outputs=3)
def fminunc(f, x0, options=None, *, nargout: int = 1):
    """MATLAB ``[x, fval, info] = fminunc(f, x0, options)``: a local minimum of f near x0 (see the
    module docstring for the method and Octave's defaults); info 1 when converged, else 0."""
    x = _num_array(x0, "fminunc")
    n = x.size
    fun = _objective("fminunc", f, x)
    with np.errstate(all="ignore"):
        res = scipy.optimize.minimize(
            fun, x.reshape(-1, order="F"), method="BFGS",
            options={"maxiter": int(_option(options, "MaxIter", 400)), "gtol": _option(options, "TolFun", 1e-7)},
        )
    if res.nfev > _option(options, "MaxFunEvals", 100 * n) * (n + 1):  # BFGS counts the gradient's evaluations too
        res.success = False
    return _results("fminunc", x, res, nargout)


@matlab_function(max_outputs=3)
def fminsearch(f, x0, options=None, *, nargout: int = 1):
    """MATLAB ``[x, fval, exitflag] = fminsearch(f, x0, options)``: Nelder-Mead from x0 (see the
    module docstring for Octave's defaults)."""
    x = _num_array(x0, "fminsearch")
    n = x.size
    fun = _objective("fminsearch", f, x)
    with np.errstate(all="ignore"):
        res = scipy.optimize.minimize(
            fun, x.reshape(-1, order="F"), method="Nelder-Mead",
            options={"maxiter": int(_option(options, "MaxIter", 200 * n)),
                     "maxfev": int(_option(options, "MaxFunEvals", 200 * n)),
                     "xatol": _option(options, "TolX", 1e-4), "fatol": _option(options, "TolFun", 1e-4)},
        )
    return _results("fminsearch", x, res, nargout)
