%example_rnn.m
% A 3-neuron Elman RNN reading the one-hot letters C, A, T, in the style of a
% course script: ht(:,t+1) = tanh(Whx*x_t + Whh.*ht(:,t) + bias), then the
% output layer and MATLAB's softmax. `rnncore init` wrote it as a first parity
% case; its Python port is ports/example_rnn.py. Replace it with your own
% scripts (`rnncore add matlab_ref/NAME.m`).
clear
whx = [0.5 -0.3 0.8
       0.1 0.4 -0.6
      -0.7 0.2 0.3];
whh = [0.2; -0.4; 0.5];      % the recurrence is element-wise (one weight per neuron)
bias = [0.1; -0.1; 0.05];
why = [0.3 -0.2 0.6
      -0.5 0.7 0.1
       0.2 0.4 -0.3];
in = [1 0 0      % C at t=1, A at t=2, T at t=3 (one column per time step)
      0 1 0
      0 0 1];
ht = zeros(3, 4);            % ht(:,1) is the state before the first letter
for t = 1:3
  ht(:, t+1) = tanh(whx*in(:, t) + whh.*ht(:, t) + bias);
end
y = why*ht(:, 2:end)         % one column of outputs per letter
p = softmax(y)               % Deep Learning Toolbox; rnncore brings a shim for Octave
