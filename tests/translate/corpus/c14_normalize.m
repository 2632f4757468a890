% c14_normalize.m
% Normalise the rows of a data matrix with the function file c_normalize.m
% (mean and spread in a subfunction); a logical mask picks the outliers.
D = [1 2 3 4; 2 4 6 8; -1 0 1 10];
[Z, mu, sd] = c_normalize(D);
outliers = abs(Z) > 1.2;
n_out = nnz(outliers);
[r, c] = find(outliers);
rows_with = unique_rows(r);
Z2 = c_normalize(D');
check = max(abs(mean(Z, 2)));
