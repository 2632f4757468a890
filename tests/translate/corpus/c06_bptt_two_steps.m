% c06_bptt_two_steps.m
% Two steps of a tanh RNN, forward and backward by hand; the layer is the
% function file c_tanh_layer.m (with a subfunction for its derivative).
Wx = [0.5 -0.3; 0.8 0.2];
Wh = [0.1 0.4; -0.2 0.3];
x1 = [1; 0];
x2 = [0; 1];
h0 = [0; 0];
[h1, d1] = c_tanh_layer(Wx, Wh, x1, h0);
[h2, d2] = c_tanh_layer(Wx, Wh, x2, h1);
target = [0.5; -0.5];
loss = 0.5 * sum((h2 - target) .^ 2);
dh2 = h2 - target;
da2 = dh2 .* d2;
gWx = da2 * x2';
gWh = da2 * h1';
dh1 = Wh' * da2;
da1 = dh1 .* d1;
gWx = gWx + da1 * x1';
gWh = gWh + da1 * h0';
scaled = c_tanh_layer(Wx, Wh, x1, h0, 2);
