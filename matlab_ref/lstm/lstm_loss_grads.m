function [loss, g_W, g_R, g_b, g_why, g_by] = lstm_loss_grads(W, R, b, why, by, X, TGT, MASK, h0, c0)
%LSTM_LOSS_GRADS  Masked cross-entropy loss of an LSTM and its gradients by BPTT.
%   [LOSS, G_W, G_R, G_B, G_WHY, G_BY] = LSTM_LOSS_GRADS(W, R, B, WHY, BY,
%   X, TGT, MASK, H0, C0)
%
%   Weights, X, H0 and C0 as in LSTM_FORWARD (H0, C0 optional, zeros).
%     TGT  B x T  wanted class of sample b at time t, 1-based (1..O)
%     MASK B x T  1 where the step counts, 0 for padding (a masked step
%                 still runs forward but adds nothing to loss or gradient)
%   LOSS = sum over t and b of MASK .* -log P(TGT), divided by B: the mean
%   over the batch of the summed loss over time. Each G_* has the shape of
%   its weight.
%
%   Order of the arithmetic (part of the contract, so that the Python twin
%   rnncore.models.lstm.loss_and_grads rounds the same way): the loss adds each
%   time step's batch sum for t = 1..T, then divides by B once; gradients
%   start at zeros and accumulate one time step at a time, t = T down to 1;
%   element-wise products are formed left to right as written.
if nargin < 9
  h0 = [];
end
if nargin < 10
  c0 = [];
end
[GI, GF, GG, GO, CS, HS, Y, P, LOGP, TC] = lstm_forward(W, R, b, why, by, X, h0, c0);
B = size(X, 2);
T = size(X, 3);
H = size(R, 2);
O = size(why, 1);
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

% Backward, t = T..1; dhnext and dcnext carry dloss/dh and dloss/dc from
% step t+1 back through the recurrence (R for h, the forget gate for c)
g_W = zeros(size(W));
g_R = zeros(size(R));
g_b = zeros(size(b));
g_why = zeros(size(why));
g_by = zeros(size(by));
dhnext = zeros(H, B);
dcnext = zeros(H, B);
for t = T:-1:1
  ig = GI(:, :, t);
  fg = GF(:, :, t);
  gg = GG(:, :, t);
  og = GO(:, :, t);
  tc = TC(:, :, t);
  h = HS(:, :, t + 1);
  hprev = HS(:, :, t);
  cprev = CS(:, :, t);
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
  % h = o.*tanh(c), tanh' = 1 - tanh.^2; c also flows on through dcnext
  d_o = dh .* tc;
  dc = dh .* og .* (1 - tc .* tc) + dcnext;
  % c = f.*cprev + i.*g
  d_i = dc .* gg;
  d_f = dc .* cprev;
  d_g = dc .* ig;
  dcnext = dc .* fg;
  % i, f, o = sigmoid(a), sigmoid' = s.*(1 - s); g = tanh(a)
  da = [d_i .* ig .* (1 - ig); ...
        d_f .* fg .* (1 - fg); ...
        d_g .* (1 - gg .* gg); ...
        d_o .* og .* (1 - og)];
  % a = (W*x + R*hprev) + b
  g_W = g_W + da * x';
  g_R = g_R + da * hprev';
  g_b = g_b + sum(da, 2);
  dhnext = R' * da;
end
end
