% c11_sorting.m
% Bubble sort of numbers and of a char array with while loops, continue
% and break; the swaps exchange elements in place.
v = [5 3 8 1 9 2];
n = numel(v);
swaps = 0;
while true
  swapped = false;
  for k = 1:n-1
    if v(k) <= v(k+1)
      continue
    end
    tmp = v(k);
    v(k) = v(k+1);
    v(k+1) = tmp;
    swaps = swaps + 1;
    swapped = true;
  end
  if ~swapped
    break
  end
end
s = 'rnncore';
done = false;
passes = 0;
while ~done
  done = true;
  passes = passes + 1;
  for k = 1:length(s)-1
    if s(k) > s(k+1)
      s([k k+1]) = s([k+1 k]);
      done = false;
    end
  end
end
is_sorted = all(diff_ok(v));
