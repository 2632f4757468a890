function a = softmax(n)
%SOFTMAX  Soft max transfer function, as MATLAB's Deep Learning Toolbox defines it.
%   A = SOFTMAX(N) takes an SxQ matrix of Q net-input column vectors and
%   returns an SxQ matrix whose columns are the softmax of N's columns:
%   each column is one sample, so a 1xQ row vector gives all ones.
%
%   rnncore compatibility shim: GNU Octave has no softmax. The runner puts
%   this file on the path only when Octave itself does not define the name,
%   and every parity report lists it as a shim used. It follows the
%   toolbox's documented algorithm step by step: shift each column by its
%   maximum (so exp cannot overflow), exponentiate, divide by the column
%   sum, with a zero denominator replaced by 1. Plain MATLAB, no Octave-only
%   syntax, so it also runs where the toolbox is absent.
%
%   Tested by tests/test_softmax.py against rnncore.course.softmax.softmax.
nmax = max(n, [], 1);
n = bsxfun(@minus, n, nmax);
numerator = exp(n);
denominator = sum(numerator, 1);
denominator(denominator == 0) = 1;
a = bsxfun(@rdivide, numerator, denominator);
end
