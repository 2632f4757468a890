function [GI, GF, GG, GO, CS, HS, Y, P, LOGP, TC] = lstm_forward(W, R, b, why, by, X, h0, c0)
%LSTM_FORWARD  Forward pass of an LSTM with a softmax output at every step.
%   [GI, GF, GG, GO, CS, HS, Y, P, LOGP, TC] = LSTM_FORWARD(W, R, B, WHY, BY, X, H0, C0)
%
%   Shapes (columns are samples, the third dimension is time):
%     W    4H x I     input weights, row blocks i; f; g; o (H rows each):
%                     input gate, forget gate, cell candidate, output gate,
%                     the order of lstmLayer's InputWeights
%     R    4H x H     recurrent weights (lstmLayer's RecurrentWeights)
%     b    4H x 1     bias (lstmLayer's Bias)
%     why  O x H      hidden -> output
%     by   O x 1      output bias
%     X    I x B x T  X(:,b,t) is the input of sample b at time t
%     h0, c0          H x B or H x 1, optional (default zeros): initial
%                     hidden and cell states
%   Returns
%     GI, GF, GG, GO  H x B x T      gate activations i, f, g, o per step
%     CS, HS          H x B x (T+1)  cell and hidden states, CS(:,:,1) = c0,
%                                    CS(:,:,t+1) the state after input t
%     Y               O x B x T      logits why*h + by
%     P, LOGP         O x B x T      softmax of each column of Y, and its log
%     TC              H x B x T      tanh of the cell state after input t
%
%   One step, the sums formed left to right as rnncore.models.lstm.forward forms
%   them:
%     a = (W*x + R*h) + b
%     i = sigmoid(a(1:H)),  f = sigmoid(a(H+1:2H)),
%     g = tanh(a(2H+1:3H)), o = sigmoid(a(3H+1:4H))
%     c = f.*c + i.*g,  h = o.*tanh(c)
B = size(X, 2);
T = size(X, 3);  % 1 when X is I x B: MATLAB drops a trailing singleton
H = size(R, 2);
O = size(why, 1);
if nargin < 7 || isempty(h0)
  h0 = zeros(H, 1);
end
if nargin < 8 || isempty(c0)
  c0 = zeros(H, 1);
end
if size(h0, 2) == 1
  h = repmat(h0, 1, B);  % H x 1 is shared by every sample
else
  h = h0;
end
if size(c0, 2) == 1
  c = repmat(c0, 1, B);
else
  c = c0;
end
ri = 1:H;
rf = H+1:2*H;
rg = 2*H+1:3*H;
ro = 3*H+1:4*H;
GI = zeros(H, B, T);
GF = zeros(H, B, T);
GG = zeros(H, B, T);
GO = zeros(H, B, T);
TC = zeros(H, B, T);
CS = zeros(H, B, T + 1);
HS = zeros(H, B, T + 1);
CS(:, :, 1) = c;
HS(:, :, 1) = h;
Y = zeros(O, B, T);
P = zeros(O, B, T);
LOGP = zeros(O, B, T);
for t = 1:T
  x = X(:, :, t);
  a = bsxfun(@plus, W * x + R * h, b);
  ig = lstm_sigmoid(a(ri, :));
  fg = lstm_sigmoid(a(rf, :));
  gg = tanh(a(rg, :));
  og = lstm_sigmoid(a(ro, :));
  c = fg .* c + ig .* gg;
  tc = tanh(c);
  h = og .* tc;
  y = bsxfun(@plus, why * h, by);
  GI(:, :, t) = ig;
  GF(:, :, t) = fg;
  GG(:, :, t) = gg;
  GO(:, :, t) = og;
  CS(:, :, t + 1) = c;
  TC(:, :, t) = tc;
  HS(:, :, t + 1) = h;
  Y(:, :, t) = y;
  [logp, p] = lstm_log_softmax(y);
  LOGP(:, :, t) = logp;
  P(:, :, t) = p;
end
end
