function [Z, mu, sd] = c_normalize(D)
%C_NORMALIZE  Rows of D with zero mean and unit spread (population std).
[mu, sd] = row_stats(D);
sd(sd == 0) = 1;
Z = bsxfun(@rdivide, bsxfun(@minus, D, mu), sd);
end

function [mu, sd] = row_stats(D)
% mean and population standard deviation of each row
n = size(D, 2);
mu = sum(D, 2) / n;
sd = sqrt(sum(bsxfun(@minus, D, mu) .^ 2, 2) / n);
end
