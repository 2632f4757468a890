function [loss, g_whx, g_whh, g_bias, g_why, g_by] = elman_loss_grads(whx, whh, bias, why, by, X, TGT, MASK, h0)
%ELMAN_LOSS_GRADS  Masked cross-entropy loss and its gradients by backpropagation through time.
%   [LOSS, G_WHX, G_WHH, G_BIAS, G_WHY, G_BY] = ELMAN_LOSS_GRADS(WHX, WHH,
%   BIAS, WHY, BY, X, TGT, MASK, H0)
%
%   Weights, X and H0 as in ELMAN_FORWARD (H0 optional, default zeros).
%     TGT  B x T  wanted class of sample b at time t, 1-based (1..O)
%     MASK B x T  1 where the step counts, 0 for padding (a masked step
%                 still runs forward but adds nothing to loss or gradient)
%   LOSS = sum over t and b of MASK .* -log P(TGT), divided by B: the mean
%   over the batch of the summed loss over time. Each G_* has the shape of
%   its weight.
%
%   Order of the arithmetic (part of the contract, so that the Python twin
%   rnncore.models.elman.loss_and_grads rounds the same way): the loss adds each
%   time step's batch sum for t = 1..T, then divides by B once; gradients
%   start at zeros and accumulate one time step at a time, t = T down to 1.
if nargin < 9
  h0 = [];
end
[HS, Y, P, LOGP] = elman_forward(whx, whh, bias, why, by, X, h0);
B = size(X, 2);
T = size(X, 3);
H = size(whx, 1);
O = size(why, 1);
diagonal = (size(whh, 2) == 1);
cols = O * (0:B-1);  % offset of column b in an O x B array, for linear indexing

% Loss
loss = 0;
for t = 1:T
  idx = TGT(:, t)' + cols;  % linear index of each sample's wanted class
  logp = LOGP(:, :, t);
  nll = -logp(idx);  % 1 x B
  loss = loss + sum(MASK(:, t)' .* nll);
end
loss = loss / B;

% Backward, t = T..1; dhnext carries dloss/dh from step t+1 back through the recurrence
g_whx = zeros(size(whx));
g_whh = zeros(size(whh));
g_bias = zeros(size(bias));
g_why = zeros(size(why));
g_by = zeros(size(by));
dhnext = zeros(H, B);
for t = T:-1:1
  h = HS(:, :, t + 1);
  hprev = HS(:, :, t);
  x = X(:, :, t);
  % softmax + cross-entropy: dloss/dy = (p - onehot(target)) .* mask / B
  idx = TGT(:, t)' + cols;
  dy = P(:, :, t);
  dy(idx) = dy(idx) - 1;
  dy = bsxfun(@times, dy, MASK(:, t)' / B);
  % y = why*h + by
  g_why = g_why + dy * h';
  g_by = g_by + sum(dy, 2);
  dh = why' * dy + dhnext;
  % h = tanh(a), tanh' = 1 - h.^2
  dhraw = (1 - h .* h) .* dh;
  % a = (whx*x + whh.*hprev) + bias
  g_bias = g_bias + sum(dhraw, 2);
  g_whx = g_whx + dhraw * x';
  if diagonal
    g_whh = g_whh + sum(dhraw .* hprev, 2);
    dhnext = bsxfun(@times, whh, dhraw);
  else
    g_whh = g_whh + dhraw * hprev';
    dhnext = whh' * dhraw;
  end
end
end
