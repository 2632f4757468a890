% c13_early_stopping.m
% Early stopping: training loss keeps falling, validation loss turns
% up; the loop keeps the best epoch and stops after `patience` bad epochs.
train_loss = @(e) 1 ./ (1 + 0.5 * e);
val_loss = @(e) 1 ./ (1 + 0.5 * e) + 0.002 * (e - 6) .^ 2;
patience = 3;
best = Inf;
best_epoch = 0;
bad = 0;
e = 0;
curve = zeros(0, 2);
while bad < patience
  e = e + 1;
  curve(end+1, :) = [train_loss(e), val_loss(e)];
  if curve(end, 2) < best
    best = curve(end, 2);
    best_epoch = e;
    bad = 0;
  else
    bad = bad + 1;
  end
end
stopped_at = size(curve, 1);
gap = curve(:, 2) - curve(:, 1);
fprintf('best epoch %d of %d (val %.4f)\n', best_epoch, stopped_at, best);
