% c05_softmax_xent.m
% Softmax read-out, cross-entropy loss and accuracy of a batch of logits
% (columns are samples, as in the course).
Y = [2.0 0.5 -1.0 0.3; 1.0 2.5 0.2 0.1; 0.1 0.3 3.0 0.2];
targets = [1 2 3 3];
P = softmax(Y);
[~, predicted] = max(P, [], 1);
correct = predicted == targets;
accuracy = mean(correct);
B = size(Y, 2);
idx = sub2ind(size(P), targets, 1:B);
nll = -log(P(idx));
loss = sum(nll) / B;
dY = P;
dY(idx) = dY(idx) - 1;
dY = dY / B;
col_sums = sum(P);
worst = find(nll == max(nll));
