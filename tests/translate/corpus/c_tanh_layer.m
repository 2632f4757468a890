function [h, dh] = c_tanh_layer(Wx, Wh, x, hprev, gain)
%C_TANH_LAYER  One tanh step h = tanh(gain*(Wx*x + Wh*hprev)) and its derivative.
%   GAIN is optional (default 1).
if nargin < 5
  gain = 1;
end
a = gain * (Wx * x + Wh * hprev);
h = tanh(a);
dh = gain * tanh_prime(h);
end

function d = tanh_prime(h)
% derivative of tanh, from its value
d = 1 - h .^ 2;
end
