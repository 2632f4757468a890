"""Arithmetic that MATLAB spells differently from numpy (``*``, ``/``, ``\\``, ``^``, ``mod``...).

Part of :mod:`rnncore.translate.runtime` (its docstring states the orientation and the values).
"""

from __future__ import annotations

import numpy as np

from .values import (
    _DOUBLE, EPS, MArray, MatlabError, _dims_text, _expand, _mshape, _numeric, _quietly, _wrap, value,
)
from .workspace import call
from .registry import matlab_function

__all__ = ["mtimes", "mrdivide", "mldivide", "mpower", "mod", "rem", "round", "bsxfun", "softmax"]


def _num_array(x, what: str) -> np.ndarray:
    v = value(x)
    if not isinstance(v, MArray):
        raise MatlabError(f"{what}: operands must be numeric, logical or char arrays")
    return _numeric(v.view(np.ndarray))


@matlab_function()
def mtimes(a, b):
    """MATLAB ``a * b``: a matrix product, or element-wise when either side is a scalar."""
    if type(a) is MArray and type(b) is MArray and a.dtype is _DOUBLE and b.dtype is _DOUBLE:
        # The common case, kept cheap: double operands, skipping value()/_numeric (no-ops on them).
        x, y = a.view(np.ndarray), b.view(np.ndarray)
        if x.ndim == 2 and y.ndim == 2 and x.size != 1 and y.size != 1 and x.shape[1] == y.shape[0]:
            _refuse_overflowing_product(x, y)
            return _wrap(_quietly(matrix_product, x, y))
    x, y = _num_array(a, "operator *"), _num_array(b, "operator *")
    if x.size == 1 or y.size == 1:
        return _wrap(x) * _wrap(y)
    x, y = _folded(x), _folded(y)  # Octave multiplies N-D operands as their 2-D foldings
    if x.shape[1] != y.shape[0]:
        raise MatlabError(
            f"operator *: nonconformant arguments (op1 is {_dims_text(x.shape)}, " f"op2 is {_dims_text(y.shape)})"
        )
    _refuse_overflowing_product(x, y)
    return _wrap(_quietly(matrix_product, x, y))


def matrix_product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y`` of two 2-D doubles (x is m x k, y is k x n) by the BLAS routine Octave's ``xgemm``
    (liboctave's dMatrix.cc) picks for the shapes: ``ddot`` for a row times a column, ``dgemv`` for
    a matrix times a column and (transposed) for a row times a matrix, ``dgemm`` otherwise. The
    routines round differently: a product that cancels to a few ulps comes out of another routine
    with another sign or last bit (Octave's ``[-3 3] * [0.1 0; 0.1 1]`` is +2.8e-17 where numpy's
    matmul gives -2.8e-17), which ``num2str``, ``sign`` or ``min``'s index then make visible."""
    m, k = x.shape
    n = y.shape[1]
    if m == 0 or k == 0 or n == 0 or (m != 1 and n != 1):
        return np.matmul(x, y)  # dgemm (or Octave's zeros of an empty product)
    blas = _blas()
    if n == 1:
        if m == 1:
            return np.array([[blas.ddot(x.reshape(k), y.reshape(k))]])
        return blas.dgemv(1.0, x, y.reshape(k)).reshape(m, 1)
    return blas.dgemv(1.0, y, x.reshape(k), trans=1).reshape(1, n)


def _blas():
    """scipy's BLAS wrappers, imported on first use (a script without a matrix-vector product never
    pays for scipy.linalg's import)."""
    from scipy.linalg import blas

    return blas


# A bound below which no term or partial sum of a matrix product can overflow, whatever the order.
_SAFE_PRODUCT = 2.0 ** 1000
_SCALE = 2.0 ** -64  # each operand's scale in the bounds below, so that they cannot overflow themselves


def product_cannot_overflow(x: np.ndarray, y: np.ndarray) -> bool:
    """True when no term or partial sum of the 2-D product ``x @ y`` can overflow, whatever the order
    of the additions (False for an Inf or NaN operand): the cheap bound both the general body
    (:func:`mtimes`) and a plain body (:func:`rnncore.translate.runtime.plain.matmul`) check first."""
    if x.size == 0 or y.size == 0:
        return True
    # A hot path: the ufunc's own reduce (np.max's wrapper costs as much again on small arrays), and
    # Python floats, whose overflowing bound is inf without numpy's warning machinery. A NaN operand
    # makes the bound NaN: not below, so the full check decides.
    return (float(_max_reduce(np.abs(x), axis=None)) * float(_max_reduce(np.abs(y), axis=None)) * x.shape[1]
            < _SAFE_PRODUCT)


_max_reduce = np.maximum.reduce


def _refuse_overflowing_product(x: np.ndarray, y: np.ndarray) -> None:
    """Refuse a matrix product whose value depends on the BLAS's order of additions and its fused
    multiply-adds: an element whose positive and negative terms can both overflow or be infinite
    (Octave's OpenBLAS gives -Inf for [-1 0 3] * [Inf; 1; 1e308], where 3*1e308 overflows only
    without an FMA; numpy's gives NaN), or whose terms of one sign add up to within a factor of 2
    of the overflow threshold (Inf or the largest double, by the order of rounding). Inf and NaN
    operands alone are fine: without an overflow their sums are the same in any order."""
    if product_cannot_overflow(x, y):
        return  # the common case, a cheap bound
    with np.errstate(all="ignore"):
        xs, ys = (np.where(np.isfinite(a), a, 0.0) * _SCALE for a in (x, y))
        xp, xn, yp, yn = np.maximum(xs, 0), np.maximum(-xs, 0), np.maximum(ys, 0), np.maximum(-ys, 0)
        pos, neg = xp @ yp + xn @ yn, xp @ yn + xn @ yp  # the finite terms of each sign, summed, scaled
        fx, fy = np.isfinite(x), np.isfinite(y)
        x_pinf, x_ninf, y_pinf, y_ninf = (x == np.inf) * 1.0, (x == -np.inf) * 1.0, (y == np.inf) * 1.0, (y == -np.inf) * 1.0
        xgt, xlt, ygt, ylt = ((x > 0) & fx) * 1.0, ((x < 0) & fx) * 1.0, ((y > 0) & fy) * 1.0, ((y < 0) & fy) * 1.0
        pinf = x_pinf @ (ygt + y_pinf) + x_ninf @ (ylt + y_ninf) + xgt @ y_pinf + xlt @ y_ninf > 0
        ninf = x_pinf @ (ylt + y_ninf) + x_ninf @ (ygt + y_pinf) + xgt @ y_ninf + xlt @ y_pinf > 0
        big = _SAFE_PRODUCT * _SCALE * _SCALE
        edge = (2.0 ** (1023 - 128), 2.0 ** (1025 - 128))  # 2^1023 and 2^1025, scaled as pos and neg are
        near = ((pos >= edge[0]) & (pos < edge[1])) | ((neg >= edge[0]) & (neg < edge[1]))
        if np.any(((pos >= big) | pinf) & ((neg >= big) | ninf)) or np.any(near):
            raise MatlabError("a matrix product whose terms or partial sums overflow depends on the BLAS's order of "
                              "operations; such products are outside rnncore translate's subset")


@matlab_function()
def mldivide(a, b):
    """MATLAB ``a \\ b``: solve ``a*x = b`` (least squares when a is not square); element-wise
    ``b ./ a`` when a is a scalar."""
    x, y = _folded(_num_array(a, "operator \\")), _folded(_num_array(b, "operator \\"))
    if x.size == 1:
        return _wrap(y) / x.reshape(())
    if x.shape[0] != y.shape[0]:
        raise MatlabError(
            f"operator \\: nonconformant arguments (op1 is {_dims_text(_mshape(x.shape))}, "
            f"op2 is {_dims_text(_mshape(y.shape))})"
        )
    if not np.isfinite(x).all():
        # LAPACK's answer for an Inf or NaN matrix (Octave warns and gives one, numpy's lstsq may fail
        # to converge) is nothing a port can promise
        raise MatlabError("operator \\ of a matrix with Inf or NaN elements is outside rnncore translate's subset")
    with np.errstate(all="ignore"):
        if x.shape[0] == x.shape[1] and x.size and not _singular(x):
            return _wrap(np.linalg.solve(x, y))
        # not square, or square and singular to machine precision: Octave (Matrix::solve, after its
        # warning for the latter) takes xGELSD's minimum-norm least-squares solution, with rcond -1
        # (machine precision) for the rank, as numpy's rcond=-1 does
        try:
            return _wrap(np.linalg.lstsq(x, y, rcond=-1 if x.shape[0] == x.shape[1] else None)[0])
        except np.linalg.LinAlgError as exc:
            raise MatlabError(f"operator \\: LAPACK's least squares failed ({exc}); such a matrix is outside "
                              f"rnncore translate's subset") from None


def _singular(x: np.ndarray) -> bool:
    """Octave's test in Matrix::fsolve: LU (xGETRF) meets a zero pivot, or xGECON's estimate of the
    reciprocal 1-norm condition number is lost beside 1 (``rcond + 1 == 1``) or NaN."""
    import scipy.linalg.lapack as lapack  # here, as scipy is slow to import and rarely needed

    lu, _, info = lapack.dgetrf(x)
    if info > 0:
        return True
    rcond, _ = lapack.dgecon(lu, float(np.abs(x).sum(axis=0).max()), norm="1")
    return bool(rcond + 1.0 == 1.0 or np.isnan(rcond))


@matlab_function()
def mrdivide(a, b):
    """MATLAB ``a / b``: element-wise when b is a scalar, else ``(b' \\ a')'``."""
    x, y = _num_array(a, "operator /"), _num_array(b, "operator /")
    if y.size == 1:
        return _wrap(x) / _wrap(y)
    return mldivide(_wrap(_folded(y).T), _wrap(_folded(x).T)).T


def _folded(x: np.ndarray) -> np.ndarray:
    """An N-D operand of a matrix operation as Octave takes it: its 2-D folding, reshape(A, size(A, 1), [])."""
    return x if x.ndim <= 2 else x.reshape(x.shape[0], int(np.prod(x.shape[1:])), order="F")


@matlab_function()
def mpower(a, b):
    """MATLAB ``a ^ b``: a power of scalars, or an integer power of a square matrix."""
    x, y = _num_array(a, "operator ^"), _num_array(b, "operator ^")
    if x.size == 1 and y.size == 1:
        return _wrap(x) ** _wrap(y)
    if y.size == 1 and x.ndim == 2 and x.shape[0] == x.shape[1] and float(y.reshape(())) == int(y.reshape(())):
        p = int(y.reshape(()))
        with np.errstate(all="ignore"):
            if p < 0:
                return _wrap(np.linalg.matrix_power(np.linalg.inv(x), -p))
            return _wrap(np.linalg.matrix_power(x, p))
    raise MatlabError(
        "operator ^: only scalars, and square matrices to an integer power, are in "
        "rnncore translate's subset (use .^ for an element-wise power)"
    )


def _double_only(x, what: str) -> np.ndarray:
    """Octave 7's mod and rem take double only: a logical or char argument is an error there
    ("mod: wrong type argument 'bool matrix'"), where MATLAB would compute with it."""
    v = value(x)
    if isinstance(v, MArray) and v.dtype != np.float64:
        kind = {np.dtype(bool): "bool", np.dtype(np.uint16): "sq_string"}.get(v.dtype, str(v.dtype))
        matrix = " matrix" if kind == "bool" and v.size != 1 else ""
        raise MatlabError(f"{what}: wrong type argument '{kind}{matrix}'")
    return _num_array(v, what)


@matlab_function()
def mod(a, b):
    """MATLAB ``mod``: ``a - floor(a./b).*b`` with the sign of b; ``mod(a, 0)`` is a."""
    x, y = np.broadcast_arrays(*_expand([_double_only(a, "mod"), _double_only(b, "mod")], "mod"))
    with np.errstate(all="ignore"):
        q = x / y
        n = np.floor(q)
        r = x - y * n
        near = (y != np.round(y)) & (np.abs((q - np.round(q)) / np.round(q)) < EPS)
        r = np.where(near, 0.0, r)
        r = np.where((x != y) & (y != 0), np.copysign(np.abs(r), y), r)
        r = np.where(y == 0, x, r)
    return _wrap(r)


@matlab_function()
def rem(a, b):
    """MATLAB ``rem``: ``a - fix(a./b).*b`` with the sign of a; ``rem(a, 0)`` is NaN."""
    x, y = np.broadcast_arrays(*_expand([_double_only(a, "rem"), _double_only(b, "rem")], "rem"))
    with np.errstate(all="ignore"):
        q = x / y
        r = x - y * np.trunc(q)
        near = (y != np.round(y)) & (np.abs((q - np.round(q)) / np.round(q)) < EPS)
        r = np.where(near, 0.0, r)
        r = np.where((x != y) & (y != 0), np.copysign(np.abs(r), x), r)
        r = np.where(y == 0, np.nan, r)
    return _wrap(r)


@matlab_function()
def round(x):  # noqa: A001 - MATLAB's name
    """MATLAB ``round``: halves away from zero (numpy's ``np.round`` rounds them to even)."""
    a = _num_array(x, "round")
    t = np.trunc(a)
    return _wrap(np.where(np.abs(a - t) >= 0.5, t + np.sign(a), t))  # t itself where it stays: round(-0) is -0


def bsxfun(f, a, b):
    """MATLAB ``bsxfun(f, a, b)``: f applied with singleton expansion (f a handle)."""
    return call(f, a, b)


@matlab_function()
def softmax(n):
    """The Deep Learning Toolbox ``softmax``: each column of an SxQ matrix is one sample, so a 1xQ row
    gives all ones.

    The runtime's own, not the course's port (rnncore.course.softmax): a translated program must not
    depend on the course whose code it may be checked against. Same steps as Octave's shim
    (matlab_ref/compat/softmax.m), in its order, so the two round alike: shift by the column maximum
    (``max`` skips NaN), exp, divide by the column sum, a zero sum replaced by 1."""
    a = np.asarray(_num_array(n, "softmax"), dtype=np.float64)
    if a.ndim != 2:
        raise MatlabError("softmax: N must be an SxQ matrix")
    if a.shape[0] == 0:
        return _wrap(a.copy())  # 0xQ: nothing to normalise, as the shim returns
    shifted = a - np.fmax.reduce(a, axis=0, keepdims=True)
    numerator = np.exp(shifted)
    denominator = numerator.sum(axis=0, keepdims=True)
    denominator[denominator == 0] = 1.0
    return _wrap(numerator / denominator)


# --------------------------------------------------------------------------------------------
