function [logp, p] = lstm_log_softmax(y)
%LSTM_LOG_SOFTMAX  Column-wise log softmax and softmax of logits Y (O x B).
%   [LOGP, P] = LSTM_LOG_SOFTMAX(Y) returns O x B arrays: each column of P
%   is the softmax of the same column of Y, LOGP its logarithm.
%
%   Stable: each column is shifted by its maximum first, so exp cannot
%   overflow and the column sum S is >= 1 (the maximum contributes exp(0)).
%   The same steps, in the same order, as rnncore.models.elman.log_softmax (which
%   rnncore.models.lstm uses) and matlab_ref/train/elman_log_softmax.m; a copy, so
%   that this folder runs on its own.
z = bsxfun(@minus, y, max(y, [], 1));
e = exp(z);
s = sum(e, 1);
logp = bsxfun(@minus, z, log(s));
p = bsxfun(@rdivide, e, s);
end
