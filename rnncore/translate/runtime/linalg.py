"""Linear algebra (``inv``, ``det``, ``trace``, ``rank``, ``pinv``, ``svd``, ``eig``, ``chol``, ``dot``, ``linsolve``).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
numpy calls the same LAPACK routines Octave does for ``inv`` (getrf/getri) and ``det`` (getrf),
so those agree to rounding. ``svd``, ``eig``, ``pinv`` and ``rank`` run an iterative LAPACK
algorithm whose driver may differ (numpy's ``eigh`` is dsyevd, Octave's dsyev; singular and
eigen vectors have a free sign): their values are recorded and flagged as coming from a library
routine (:mod:`rnncore.translate.runtime.provenance`).
"""

from __future__ import annotations

import builtins as _py

import numpy as np

from .values import MArray, MatlabError, _CHAR, _LOGICAL, _text, _wrap, double, value
from .arithmetic import _num_array
from .provenance import _from_library
from .registry import matlab_function

__all__ = ["inv", "det", "trace", "rank", "pinv", "svd", "eig", "chol", "dot", "linsolve"]


def _square(A, what: str) -> np.ndarray:
    a = _num_array(A, what)
    if a.ndim > 2 or a.shape[0] != a.shape[1]:
        raise MatlabError(f"{what}: argument must be a square matrix")
    return a


@matlab_function()
def inv(A):
    """MATLAB ``inv``: LAPACK's LU inverse; an exactly singular matrix gives Inf everywhere, as in
    Octave (which also warns 'matrix singular to machine precision')."""
    a = _square(A, "inverse")
    if a.size == 0:
        return _wrap(np.zeros((0, 0)))
    with np.errstate(all="ignore"):
        try:
            return _wrap(np.linalg.inv(a))
        except np.linalg.LinAlgError:
            return _wrap(np.full(a.shape, np.inf))


@matlab_function()
def det(A):
    """MATLAB ``det``: the product of the LU factorization's diagonal, with the permutation's sign;
    ``det([])`` is 1."""
    a = _square(A, "det")
    if a.size == 0:
        return double(1)
    with np.errstate(all="ignore"):
        return double(float(np.linalg.det(a)))


@matlab_function()
def trace(A):
    """Octave's ``trace`` (trace.m): ``sum(diag(A))``; 0 for an empty A, ``A(1)`` for a vector."""
    a = _num_array(A, "trace")
    if a.ndim > 2:
        raise MatlabError("trace: only valid on 2-D objects")
    if a.size == 0:
        return double(0)
    if a.shape[0] == 1 or a.shape[1] == 1:
        return double(float(a.reshape(-1)[0]))
    if a.shape[0] != a.shape[1]:
        raise MatlabError("trace: only valid on square matrix")
    total = 0.0
    for x in np.diagonal(a):  # sum's order: element after element
        total += float(x)
    return double(total)


def _singular_values(a: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(a)):
        raise MatlabError("svd: cannot take SVD of matrix containing Inf or NaN values")
    return np.linalg.svd(a, compute_uv=False)


@matlab_function()
def rank(A, tol=None):
    """Octave's ``rank`` (rank.m): the number of singular values above ``max(size(A)) * s(1) * eps``
    (or ``tol``). A count, so exact unless a singular value lies within rounding of the tolerance."""
    a = _num_array(A, "rank")
    s = _singular_values(a) if a.size else np.zeros(0)
    if tol is None:
        t = 0.0 if s.size == 0 else _py.max(a.shape) * s[0] * np.finfo(float).eps
    else:
        t = float(_num_array(tol, "rank").reshape(-1)[0])
    return _from_library("rank", "singular values from another LAPACK driver", double(int(np.sum(s > t))))


@matlab_function()
def pinv(A, tol=None):
    """Octave's ``pinv``: ``V * diag(1 ./ s) * U'`` over the singular values above
    ``max(size(A)) * s(1) * eps`` (or ``tol``); the SVD comes from another LAPACK driver, so the
    value is flagged as a library routine's."""
    a = _num_array(A, "pinv")
    if a.ndim > 2:
        raise MatlabError("pinv: A must be a 2-D matrix")
    if a.size == 0:
        return _wrap(np.zeros((a.shape[1], a.shape[0])))
    if not np.all(np.isfinite(a)):
        raise MatlabError("pinv: A must not contain Inf or NaN values")
    with np.errstate(all="ignore"):
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        t = _py.max(a.shape) * s[0] * np.finfo(float).eps if tol is None else float(_num_array(tol, "pinv")[0, 0])
        r = int(np.sum(s > t))
        out = vt[:r].T @ (u[:, :r] / s[:r]).T if r else np.zeros((a.shape[1], a.shape[0]))
    return _from_library("pinv", "SVD from another LAPACK driver", _wrap(out))


def _econ(option) -> bool:
    if option is None:
        return False
    v = value(option)
    if v.dtype == _CHAR:
        if _text(option).lower() != "econ":
            raise MatlabError('svd: second argument must be 0 or "econ"')
        return True
    if float(_num_array(option, "svd").reshape(-1)[0]) != 0:
        raise MatlabError('svd: second argument must be 0 or "econ"')
    return True


@matlab_function(max_outputs=3)
def svd(A, option=None, *, nargout: int = 1):
    """MATLAB ``s = svd(A)`` (the singular values, a descending column) and ``[U, S, V] = svd(A)``
    (``svd(A, 'econ')`` / ``svd(A, 0)``: the economy size). The singular values agree with Octave's
    to rounding; each pair of columns of U and V is unique only up to a common sign, which LAPACK's
    drivers choose differently: compare ``U*S*V'`` or ``abs(U)`` rather than U itself. Flagged as a
    library routine's value."""
    a = _num_array(A, "svd")
    if a.ndim > 2:
        raise MatlabError("svd: A must be a 2-D matrix")
    if not np.all(np.isfinite(a)):
        raise MatlabError("svd: cannot take SVD of matrix containing Inf or NaN values")
    m, n = a.shape
    econ = _econ(option)
    if nargout <= 1:
        s = np.linalg.svd(a, compute_uv=False) if a.size else np.zeros(0)
        return _from_library("svd", "singular values from another LAPACK driver", _wrap(s.reshape(-1, 1)))
    if a.size == 0:
        k = min(m, n) if econ else None
        U = np.eye(m)[:, :k] if econ else np.eye(m)
        V = np.eye(n)[:, :k] if econ else np.eye(n)
        S = np.zeros((U.shape[1], V.shape[1]))
    else:
        U, s, Vt = np.linalg.svd(a, full_matrices=not econ)
        V = Vt.T
        S = np.zeros((U.shape[1], V.shape[1]))
        S[np.arange(s.size), np.arange(s.size)] = s
    outs = (_wrap(U), _wrap(S), _wrap(V))[:nargout]
    return _from_library("svd", "signs of the columns of U and V; rounding of the singular values", *outs)


@matlab_function(max_outputs=2)
def eig(A, *, nargout: int = 1):
    """MATLAB ``eig(A)`` (a column of eigenvalues) and ``[V, D] = eig(A)``. A symmetric A (exactly,
    as Octave tests it) takes the symmetric solver: eigenvalues ascending, as LAPACK's dsyev returns
    them, V orthonormal; otherwise the general solver, eigenvalues in LAPACK dgeev's order, columns of
    V of norm 1. Each eigenvector's sign is free. Complex eigenvalues are outside the subset. Flagged
    as a library routine's value."""
    a = _square(A, "eig")
    if not np.all(np.isfinite(a)):
        raise MatlabError("eig: EIG: matrix contains Inf or NaN values")
    if a.size == 0:
        empty = _wrap(np.zeros((0, 1)))
        return (_wrap(np.zeros((0, 0))), _wrap(np.zeros((0, 0)))) if nargout > 1 else empty
    with np.errstate(all="ignore"):
        if np.array_equal(a, a.T):
            w, V = np.linalg.eigh(a)
        else:
            w, V = np.linalg.eig(a)
            if np.iscomplexobj(w) and np.any(w.imag != 0):
                raise MatlabError("eig: complex eigenvalues are outside rnncore translate's subset")
            w, V = w.real, V.real
    if nargout <= 1:
        return _from_library("eig", "rounding of the eigenvalues (another LAPACK driver)", _wrap(w.reshape(-1, 1)))
    return _from_library("eig", "signs of the eigenvectors; rounding (another LAPACK driver)",
                         _wrap(V), _wrap(np.diag(w)))


@matlab_function(max_outputs=2)
def chol(A, option=None, *, nargout: int = 1):
    """MATLAB ``R = chol(A)`` (upper, ``R'*R = A``), ``chol(A, 'lower')`` and ``[R, p] = chol(A)``.
    As Octave: LAPACK's dpotrf on the one triangle of A it reads (the other is never looked at, so
    a non-symmetric A is not an error); when A is not positive definite, ``p`` is the order of the
    failing minor and R the factor of the leading ``p-1`` block, and with one output it is the error
    'chol: input matrix must be positive definite'. dpotrf is the routine Octave calls, through
    scipy, so the factor agrees to rounding."""
    import scipy.linalg.lapack as _lapack  # scipy is slow to import; only a port using chol pays

    a = _num_array(A, "chol")
    lower = False
    if option is not None:
        word = _text(option, "chol: the option").lower()
        if word not in ("upper", "lower"):
            raise MatlabError('chol: optional argument must be one of "vector", "lower", or "upper"')
        lower = word == "lower"
    if a.ndim > 2 or a.shape[0] != a.shape[1]:
        raise MatlabError("chol: A must be a square matrix")
    if a.size == 0:
        out = _wrap(np.zeros((0, 0)))
        return (out, double(0)) if nargout > 1 else out
    c, info = _lapack.dpotrf(np.array(a, dtype=np.float64, order="F"), lower=int(lower), clean=1)
    if info < 0:  # an argument LAPACK rejects: cannot happen for a square double matrix
        raise MatlabError("chol: LAPACK rejected the matrix")
    if info > 0:
        if nargout < 2:
            raise MatlabError("chol: input matrix must be positive definite")
        c = c[: info - 1, : info - 1]
    out = _wrap(np.array(c, dtype=np.float64))
    return (out, double(float(info))) if nargout > 1 else out


@matlab_function()
def dot(X, Y, dim=None):
    """MATLAB ``dot(x, y)`` and ``dot(X, Y, dim)``: ``sum(X .* Y, dim)`` as Octave's dot.cc computes
    it. Two vectors of the same length (a row and a column too) are one column each. Where the
    reduced dimension is the first (``m == 1`` in Octave's ddot3), each sum is BLAS's ddot, as
    numpy's dot also calls (the BLAS may group the sums differently: rounding); otherwise the sum
    runs element after element along ``dim``, as ddot3's loop does."""
    for a in (X, Y):
        v = value(a)
        if not isinstance(v, MArray) or v.dtype in (_CHAR, _LOGICAL):  # Octave's isnumeric: not logical or char
            raise MatlabError("dot: X and Y must be numeric")
    x, y = _num_array(X, "dot"), _num_array(Y, "dot")
    vec = lambda a: a.ndim == 2 and (a.shape[0] == 1 or a.shape[1] == 1)  # noqa: E731
    if dim is None and vec(x) and vec(y) and x.size == y.size:
        x, y = x.reshape(-1, 1, order="F"), y.reshape(-1, 1, order="F")
    if x.shape != y.shape:
        raise MatlabError("dot: sizes of X and Y must match")
    if dim is None:
        d = next((k for k, n in enumerate(x.shape) if n != 1), 0)
    else:
        dv = _num_array(dim, "dot")
        if dv.size != 1 or dv.reshape(-1)[0] != np.floor(dv.reshape(-1)[0]) or dv.reshape(-1)[0] < 1:
            raise MatlabError("dot: DIM must be a valid dimension")
        d = int(dv.reshape(-1)[0]) - 1
    if d >= x.ndim:  # a trailing singleton dimension: the products themselves
        return _wrap(x * y)
    n = x.shape[d]
    m = int(np.prod(x.shape[:d]))
    k = int(np.prod(x.shape[d + 1:]))
    xs = x.reshape((m, n, k), order="F")
    ys = y.reshape((m, n, k), order="F")
    z = np.zeros((m, k))
    if m == 1:
        for j in range(k):
            z[0, j] = float(np.dot(xs[0, :, j], ys[0, :, j])) if n else 0.0
    else:
        for l in range(n):  # noqa: E741  ddot3's loop: z(i,j) += x(i,l,j)*y(i,l,j), l in order
            z = z + xs[:, l, :] * ys[:, l, :]
    shape = list(x.shape)
    shape[d] = 1
    return _wrap(z.reshape(shape, order="F"))


@matlab_function()
def linsolve(A, b, opts=None):
    """Octave's ``linsolve(A, b)`` (linsolve.m): ``A \\ b``. The options struct (TRANSA, LT, UT,
    POSDEF) and the second output (rcond) are not in the subset yet."""
    from .arithmetic import mldivide

    if opts is not None:
        raise MatlabError("linsolve: the OPTS argument is not in rnncore translate's subset yet; write A \\ b")
    for x in (A, b):
        v = value(x)
        if not isinstance(v, MArray) or v.dtype in (_CHAR, _LOGICAL):  # Octave's isnumeric
            raise MatlabError("linsolve: A and B must be numeric")
    return mldivide(A, b)
