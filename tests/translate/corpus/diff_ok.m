function ok = diff_ok(v)
%DIFF_OK  true where each element is not larger than the next.
ok = v(1:end-1) <= v(2:end);
end
