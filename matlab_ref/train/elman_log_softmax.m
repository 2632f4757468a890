function [logp, p] = elman_log_softmax(y)
%ELMAN_LOG_SOFTMAX  Column-wise log softmax and softmax of logits Y (O x B).
%   [LOGP, P] = ELMAN_LOG_SOFTMAX(Y) returns O x B arrays: each column of P
%   is the softmax of the same column of Y, LOGP its logarithm.
%
%   Stable: each column is shifted by its maximum first, so exp cannot
%   overflow and the column sum S is >= 1 (the maximum contributes exp(0)).
%   Same steps, in the same order, as rnncore.models.elman.log_softmax and as
%   matlab_ref/compat/softmax.m, so the engines round alike.
z = bsxfun(@minus, y, max(y, [], 1));
e = exp(z);
s = sum(e, 1);
logp = bsxfun(@minus, z, log(s));
p = bsxfun(@rdivide, e, s);
end
