% c10_lstm_gates.m
% One LSTM cell over three steps with the gates stacked as i; f; g; o and
% the states kept in 3-D arrays (hidden x batch x time).
sigmoid = @(z) 1 ./ (1 + exp(-z));
H = 2;
B = 2;
T = 3;
W = reshape(0.1 * (1:4*H*2), 4*H, 2);
R = reshape(0.05 * (-(4*H*H)/2 + 1:(4*H*H)/2), 4*H, H);
b = [zeros(H, 1); ones(H, 1); zeros(2*H, 1)];
X = reshape(mod(1:2*B*T, 3) - 1, 2, B, T);
hs = zeros(H, B, T + 1);
cs = zeros(H, B, T + 1);
for t = 1:T
  a = W * X(:, :, t) + R * hs(:, :, t);
  a = bsxfun(@plus, a, b);
  i = sigmoid(a(1:H, :));
  f = sigmoid(a(H+1:2*H, :));
  g = tanh(a(2*H+1:3*H, :));
  o = sigmoid(a(3*H+1:end, :));
  cs(:, :, t+1) = f .* cs(:, :, t) + i .* g;
  hs(:, :, t+1) = o .* tanh(cs(:, :, t+1));
end
final_h = hs(:, :, end);
flat = reshape(hs, H, []);
