function u = unique_rows(r)
%UNIQUE_ROWS  The distinct values of a column of row numbers, in first-seen order.
u = [];
for k = 1:numel(r)
  if ~any(u == r(k))
    u(end+1) = r(k);
  end
end
end
