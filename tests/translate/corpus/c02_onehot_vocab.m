% c02_onehot_vocab.m
% Encode a few plural nouns as one-hot matrices over an alphabet kept in a
% cell array, and count which letters occur; char and cell data together.
alphabet = {'a', 'b', 'c', 'e', 'g', 'i', 'o', 's', 'x'};
words = {'box', 'bag', 'cob'};
counts = zeros(1, numel(alphabet));
codes = {};
for w = 1:numel(words)
  word = words{w};
  M = zeros(numel(alphabet), length(word));
  for k = 1:length(word)
    [found, where] = ismember(word(k), alphabet);
    if found
      M(where, k) = 1;
      counts(where) = counts(where) + 1;
    end
  end
  codes{end+1} = M;
end
used = alphabet(counts > 0);
n_used = numel(used);
plural = cell(1, numel(words));
for w = 1:numel(words)
  last = words{w}(end);
  if strcmp(last, 'x') || strcmp(last, 's')
    plural{w} = [words{w} 'es'];
  else
    plural{w} = [words{w} 's'];
  end
end
summary = '';
for w = 1:numel(plural)
  summary = [summary sprintf('%s ', plural{w})];
end
