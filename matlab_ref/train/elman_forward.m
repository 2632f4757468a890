function [HS, Y, P, LOGP] = elman_forward(whx, whh, bias, why, by, X, h0)
%ELMAN_FORWARD  Forward pass of an Elman RNN over a batch of sequences.
%   [HS, Y, P, LOGP] = ELMAN_FORWARD(WHX, WHH, BIAS, WHY, BY, X, H0)
%
%   Shapes (columns are samples, the third dimension is time):
%     whx  H x I       input -> hidden
%     whh  H x 1       diagonal recurrence whh.*h (the course's rnn2.m), or
%          H x H       full recurrence whh*h
%     bias H x 1       hidden bias
%     why  O x H       hidden -> output
%     by   O x 1       output bias (zeros reproduce rnn2.m, which has none)
%     X    I x B x T   X(:,b,t) is the input of sample b at time t
%     h0   H x B or H x 1, optional (default zeros): initial hidden state
%   Returns
%     HS   H x B x (T+1)  HS(:,:,1) = h0, HS(:,:,t+1) the state after input t
%     Y    O x B x T      logits why*h + by
%     P    O x B x T      softmax of each column of Y
%     LOGP O x B x T      log of P, computed stably
%
%   One step is rnn2.m's, tanh(whx*x + whh.*h + bias), with bsxfun so that
%   a batch of B columns works in every MATLAB release. The sum is formed
%   left to right, (whx*x + whh.*h) + bias, as rnncore.models.recurrent.elman_step
%   forms it. Python twin: rnncore.models.elman.forward.
B = size(X, 2);
T = size(X, 3);  % 1 when X is I x B: MATLAB drops a trailing singleton
H = size(whx, 1);
O = size(why, 1);
diagonal = (size(whh, 2) == 1);
if nargin < 7 || isempty(h0)
  h = zeros(H, B);
elseif size(h0, 2) == 1
  h = repmat(h0, 1, B);
else
  h = h0;
end
HS = zeros(H, B, T + 1);
HS(:, :, 1) = h;
Y = zeros(O, B, T);
P = zeros(O, B, T);
LOGP = zeros(O, B, T);
for t = 1:T
  x = X(:, :, t);
  if diagonal
    r = bsxfun(@times, whh, h);  % whh.*h: each neuron sees only its own past
  else
    r = whh * h;
  end
  h = tanh(bsxfun(@plus, whx * x + r, bias));
  HS(:, :, t + 1) = h;
  y = bsxfun(@plus, why * h, by);
  Y(:, :, t) = y;
  [logp, p] = elman_log_softmax(y);
  LOGP(:, :, t) = logp;
  P(:, :, t) = p;
end
end
