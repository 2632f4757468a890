% c04_perceptron.m
% A perceptron learns the OR function: the training set is a matrix whose
% columns are examples (for over columns), training stops with break when
% an epoch makes no mistake.
P = [0 0 1 1; 0 1 0 1];
T = [0 1 1 1];
w = [0 0];
bias = 0;
epochs = 0;
mistakes_per_epoch = [];
while epochs < 20
  epochs = epochs + 1;
  mistakes = 0;
  k = 0;
  for x = P
    k = k + 1;
    out = (w * x + bias) > 0;
    e = T(k) - out;
    if e ~= 0
      w = w + e * x';
      bias = bias + e;
      mistakes = mistakes + 1;
    end
  end
  mistakes_per_epoch(epochs) = mistakes;
  if mistakes == 0
    break
  end
end
outputs = (w * P + bias) > 0;
all_right = all(outputs == T);
