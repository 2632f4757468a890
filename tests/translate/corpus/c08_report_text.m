% c08_report_text.m
% Build a text report of training results: cell arrays of names, numbers
% turned into text with num2str and sprintf, a lookup with strcmp.
names = {'diagonal', 'full', 'lstm'};
acc = [0.53 0.74 1.00];
lines = {};
for k = 1:numel(names)
  lines{k} = [names{k} ': ' num2str(100 * acc(k)) '%'];
end
best = '';
best_acc = -Inf;
for k = 1:numel(names)
  if acc(k) > best_acc
    best_acc = acc(k);
    best = names{k};
  end
end
is_lstm = strcmp(names, 'lstm');
lstm_acc = acc(is_lstm);
header = sprintf('%-10s|%6s', 'model', 'acc');
table_rows = sprintf('%-10s|%6.2f\n', 'full', 0.74);
initials = '';
for k = 1:numel(names)
  initials(end+1) = upper(names{k}(1));
end
n_chars = 0;
for k = 1:numel(lines)
  n_chars = n_chars + length(lines{k});
end
