% c07_sequence_windows.m
% Cut a sequence into overlapping windows (end arithmetic in the indices),
% reshape column-major into batches, and take statistics along dimensions.
x = sin(0.5 * (1:20)) + 0.1 * (1:20);
win = 4;
stride = 2;
starts = 1:stride:numel(x) - win + 1;
W = zeros(win, numel(starts));
for k = 1:numel(starts)
  W(:, k) = x(starts(k):starts(k) + win - 1)';
end
last_window = x(end-win+1:end);
middle = x(floor(end/2):ceil(end/2)+1);
batches = reshape(x, 5, []);
col_means = mean(batches);
row_means = mean(batches, 2);
running = cumsum(x);
tail_total = sum(x(end-4:end));
above = find(x > mean(x));
first_above = above(1);
every_third = x(3:3:end);
back = x(end:-5:1);
