%rnn2.m
%https://stackoverflow.com/questions/50050056/simple-rnn-example-showing-numerics
%https://www.analyticsvidhya.com/blog/2017/12/introduction-to-recurrent-neural-networks/
%
% Reconstructed from "Ch. 11: RNN, LSTM" (KH Wong), slide 14 "Matlab demo:
% Answer RNN1a", with the whx/why row layout of slide 13 ("for the first
% neuron ... [0.287027 0.84606 0.572392 0.486813]") and slide 15
% ("Weights: Why (4x3)"). Everything below the header is the course's code
% as printed; nothing is changed to suit the rnncore pipeline.
%
% Quirks kept as in the original:
%  - in_S=[0 0 1 0]' repeats G's one-hot code (S should be [0 0 0 1]'); the
%    loop runs t = 1:length(in)-1 = 1:3, so in_S is never fed to the network.
%  - whh is a 3x1 vector used element-wise (whh.*ht): the recurrence is
%    diagonal, each neuron sees only its own previous output.
%  - y_out and softmax_y_out are first assigned at column t+1 = 2, so MATLAB
%    grows them with a first column of zeros (not softmax of zeros).
%  - softmax is the Deep Learning Toolbox function (column-wise); GNU Octave
%    lacks it and rnncore supplies matlab_ref/compat/softmax.m.
%  - Statements without semicolons display their values, as on the slides.
% Slide-layout text that is not code was dropped: the word "Time" after
% "clear" (a figure label), the footer "RNN v.0.a" and the ">>" prompt before
% the softmax line; the closing "end" of the loop is not shown on the slide.
clear
in_P=[1 0 0 0]'
in_I=[0 1 0 0]'
in_G=[0 0 1 0]'
in_S=[0 0 1 0]'
in=[in_P,in_I,in_G, in_S]
whx=[0.287027 0.84606 0.572392 0.486813
     0.902874 0.871522 0.691079 0.18998
     0.537524 0.09224 0.558159 0.491528]
why=[0.37168 0.974829459 0.830034886
     0.39141 0.282585823 0.659835709
     0.64985 0.09821557 0.332487804
     0.91266 0.32581642 0.144630018]
bias=0.567001*[1 1 1]' %random init val
whh=0.427043*[1 1 1]'%random init val
ht(:,1)=[0 0 0]' %init val, assume zero
%https://stackoverflow.com/questions/50050056/simple-rnn-example-showing-numerics
for t = 1:length(in)-1 %
  t
  ht(:,t+1)=tanh(whx*in(:,t)+whh.*ht(:,t)+bias) %recuurent layer
  y_out(:,t+1)=why*ht(:,t+1)
  softmax_y_out(:,t+1)=softmax(y_out(:,t+1)) %output layer
end
