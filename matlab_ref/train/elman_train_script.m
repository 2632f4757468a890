% ELMAN_TRAIN_SCRIPT  Train an Elman RNN by full-batch SGD on data set in the workspace.
%
%   Set these variables first (rnncore.course.octave_train.run_octave_sgd pushes
%   them into the base workspace), then run this script:
%     whx0, whh0, bias0, why0, by0   initial weights (see ELMAN_FORWARD)
%     X      I x B x T   inputs
%     TGT    B x T       wanted classes, 1-based
%     MASK   B x T       1 = step counts, 0 = padding
%     lr     1 x 1       learning rate
%     epochs 1 x 1       number of updates
%   It leaves ELMAN_TRAIN_SGD's outputs in the workspace under the same
%   names: losses (1 x epochs), whx, whh, bias, why, by (final weights),
%   g_whx, g_whh, g_bias, g_why, g_by (gradients at the final weights) and
%   loss_final. Both engines start from the same pushed-in numbers; neither
%   draws random numbers.
required = {'whx0', 'whh0', 'bias0', 'why0', 'by0', 'X', 'TGT', 'MASK', 'lr', 'epochs'};
for k = 1:numel(required)
  if ~exist(required{k}, 'var')
    error('elman_train_script:missingInput', 'set %s before running elman_train_script', required{k});
  end
end
[losses, whx, whh, bias, why, by, g_whx, g_whh, g_bias, g_why, g_by, loss_final] = ...
  elman_train_sgd(whx0, whh0, bias0, why0, by0, X, TGT, MASK, lr, epochs);
if epochs > 0
  fprintf('elman_train_sgd: %d epochs, lr %.17g, loss %.17g at the start, %.17g at the end\n', ...
    epochs, lr, losses(1), loss_final);
end
