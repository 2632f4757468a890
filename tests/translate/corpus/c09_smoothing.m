% c09_smoothing.m
% Moving averages of a signal: linspace, repmat, bsxfun, an anonymous
% kernel, and elements deleted from the ends.
t = linspace(0, 1, 11);
signal = t .^ 2 - 0.5 * t;
kernel = @(n) ones(1, n) / n;
k3 = kernel(3);
smooth = zeros(size(signal));
for i = 2:numel(signal) - 1
  smooth(i) = sum(signal(i-1:i+1) .* k3);
end
smooth([1 end]) = [];
grid = repmat(t(1:3), 2, 1);
shifted = bsxfun(@minus, grid, mean(grid, 2));
centered = signal - mean(signal);
scaled = bsxfun(@rdivide, [signal; centered], max(abs([signal; centered]), [], 2));
trimmed = signal;
trimmed(trimmed < 0) = [];
