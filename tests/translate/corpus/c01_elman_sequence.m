% c01_elman_sequence.m
% A 3-neuron Elman network reads the word 'PIG' letter by letter, in the
% style of the course's rnn2.m: one-hot inputs built from char data, the
% hidden state grown column by column, a softmax read-out at every step.
clear
letters = 'PIGS';
word = 'PIG';
n_in = length(letters);
X = zeros(n_in, 0);
for k = 1:length(word)
  X(:, end+1) = (letters == word(k))';   % one-hot column of letter k
end
whx = [0.3 0.8 0.6 0.5; 0.9 0.9 0.7 0.2; 0.5 0.1 0.6 0.5];
whh = 0.43 * ones(3, 1);   % diagonal recurrence, as in rnn2.m
why = [0.4 1.0 0.8; 0.4 0.3 0.7; 0.6 0.1 0.3; 0.9 0.3 0.1];
h(:, 1) = zeros(3, 1);
for t = 1:size(X, 2)
  h(:, t+1) = tanh(whx * X(:, t) + whh .* h(:, t));
  y(:, t) = why * h(:, t+1);
end
p = softmax(y);
[pmax, guess] = max(p);
predicted = letters(guess)
