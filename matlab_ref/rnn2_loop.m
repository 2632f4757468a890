function [ht, y_out, softmax_y_out] = rnn2_loop(whx, whh, bias, why, in)
%RNN2_LOOP  The loop of the course's rnn2.m as a function of its weights and input sequence.
%   [ht, y_out, softmax_y_out] = rnn2_loop(whx, whh, bias, why, in)
%
%   whx (H x I), whh (H x 1, used element-wise as in the course), bias (H x 1),
%   why (O x H), in (I x T, one column per time step).
%
%   The statements are rnn2.m's own, in the same order; only the displays are
%   silenced (semicolons) and the initial state is sized from whx instead of
%   the literal [0 0 0]'. tests/test_parity_draws.py shows that on the slide's
%   example this returns exactly what rnn2.m computes, so random draws of the
%   weights and inputs test the course's code, not a rewrite of it.
%
%   As in rnn2.m, the loop runs length(in)-1 times, and length() is the
%   largest dimension: with fewer time steps than input rows the loop would
%   index past the last column. Random draws therefore use T >= I.
ht(:,1)=zeros(size(whx,1),1);
for t = 1:length(in)-1
  ht(:,t+1)=tanh(whx*in(:,t)+whh.*ht(:,t)+bias);
  y_out(:,t+1)=why*ht(:,t+1);
  softmax_y_out(:,t+1)=softmax(y_out(:,t+1));
end
end
