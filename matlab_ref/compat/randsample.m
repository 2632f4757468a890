function y = randsample(v, k, replace)
%RANDSAMPLE  K values sampled at random from 1:N, or from the elements of POPULATION.
%   Y = RANDSAMPLE(N, K) is a Kx1 column of distinct integers from 1:N; RANDSAMPLE(POPULATION, K)
%   takes K distinct elements of POPULATION (indexed as POPULATION(Y)); RANDSAMPLE(..., true)
%   samples with replacement.
%
%   rnncore compatibility shim: GNU Octave 7 has no randsample (MATLAB's Statistics Toolbox has).
%   The runner puts this file on the path only when Octave itself does not define the name, and
%   every parity report lists it as a shim used. It draws through randperm (randi with
%   replacement), so a parity run records its draws and the port (rnncore's mr.randsample, the
%   same steps) replays them. Plain MATLAB, no Octave-only syntax.
if nargin < 2 || nargin > 3
  error('randsample: called with %d input(s); use randsample(N, K) or randsample(POPULATION, K, REPLACE)', nargin);
end
if nargin < 3
  replace = false;
end
if isscalar(v)
  n = v;
else
  n = numel(v);
end
if replace
  y = randi(n, k, 1);
else
  y = randperm(n, k)';
end
if ~isscalar(v)
  y = v(y);
end
end
