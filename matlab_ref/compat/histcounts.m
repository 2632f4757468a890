function [n, edges, bin] = histcounts(x, edges)
%HISTCOUNTS  Counts of X in the bins that EDGES bound, and the bin of each element.
%   [N, EDGES, BIN] = HISTCOUNTS(X, EDGES): N(k) counts the elements with EDGES(k) <= X < EDGES(k+1)
%   (the last bin holds its right edge too), a row; EDGES comes back as a row; BIN has the size of X,
%   each element's bin, 0 outside the edges or for NaN.
%
%   rnncore compatibility shim: GNU Octave 7 has no histcounts. The runner puts this file on the
%   path only when Octave itself does not define the name, and every parity report lists it as a
%   shim used. Only the form with explicit edges: histcounts(X) and histcounts(X, NBINS) choose
%   edges by MATLAB's binning rules, which this shim does not reproduce, so they are an error.
if nargin ~= 2 || numel(edges) < 2 || ~isvector(edges) || ~isnumeric(edges)
  error('histcounts: only histcounts(X, EDGES) with EDGES a vector of at least two bin edges is supported');
end
edges = reshape(double(edges), 1, []);
if any(diff(edges) < 0) || any(isnan(edges))
  error('histcounts: EDGES must be nondecreasing');
end
nb = numel(edges) - 1;
bin = zeros(size(x));
for k = 1:nb
  if k < nb
    bin(x >= edges(k) & x < edges(k + 1)) = k;
  else
    bin(x >= edges(k) & x <= edges(k + 1)) = k;
  end
end
n = zeros(1, nb);
for k = 1:nb
  n(k) = sum(bin(:) == k);
end
end
