% c12_confusion.m
% Confusion matrix of predictions, grown by indexed assignment from an
% undefined variable, with per-class precision and recall.
truth = [1 2 3 1 2 3 3 1];
pred  = [1 2 2 1 3 3 3 2];
C(max(truth), max(pred)) = 0;   % C does not exist yet: this makes it 3x3 zeros
for k = 1:numel(truth)
  C(truth(k), pred(k)) = C(truth(k), pred(k)) + 1;
end
diag_idx = sub2ind(size(C), 1:3, 1:3);
correct = sum(C(diag_idx));
precision = C(diag_idx) ./ sum(C, 1);
recall = C(diag_idx) ./ sum(C, 2)';
[~, worst_class] = min(recall);
perfect = any(recall == 1);
off_diag = nnz(C) - nnz(C(diag_idx));
frob = norm(C, 'fro');
