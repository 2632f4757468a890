function r = gamrnd(a, b, varargin)
%GAMRND  Gamma random numbers with shape A and scale B.
%   R = GAMRND(A, B) has the size of A .* B; GAMRND(A, B, M, N, ...) or GAMRND(A, B, [M N ...])
%   has the size given (A and B scalars or of that size). An element whose A or B is not a finite
%   positive number is NaN.
%
%   rnncore compatibility shim: GNU Octave 7 has no gamrnd (MATLAB's Statistics Toolbox and
%   Octave's statistics package have). The runner puts this file on the path only when Octave
%   itself does not define the name, and every parity report lists it as a shim used. It draws
%   B .* randg(A) with Octave's own randg (one call, every element), so a parity run records its
%   draws and the port (rnncore's mr.gamrnd, the same steps) replays them.
if nargin < 2
  error('gamrnd: called with %d input(s); use gamrnd(A, B) or gamrnd(A, B, SZ)', nargin);
end
if nargin > 2
  sz = [varargin{:}];
else
  sz = size(a .* b);
end
A = a .* ones(sz);
B = b .* ones(sz);
r = B .* randg(A);
r(~(A > 0 & A < Inf & B > 0 & B < Inf)) = NaN;
end
