% TRAIN_EPOCHS_BENCH  Time full-batch SGD epochs of the MATLAB reference, inside Octave.
%
%   Run by benchmarks/train_epoch.py through rnncore.engine.octave.run_script, which pushes these
%   variables into the base workspace first:
%     MODEL      1 x 1   1 = Elman RNN (matlab_ref/train), 2 = LSTM (matlab_ref/lstm)
%     P1 .. P5           initial weights: whx, whh, bias, why, by (Elman) or W, R, b, why, by (LSTM)
%     X          I x B x T inputs;  TGT  B x T  wanted classes, 1-based;  MASK  B x T
%     lr         1 x 1   learning rate
%     n_warmup   1 x 1   untimed epochs run first (Octave parses each function file on its
%                        first call; those epochs pay for it, the timed ones do not)
%     n_epochs   1 x 1   timed epochs
%     profiler   1 x 1   1 keeps Octave's profiler running during the timed epochs (only to
%                        measure its cost), 0 (the benchmark) switches it off for them
%   It leaves
%     elapsed    1 x 1   seconds, tic/toc around the n_epochs timed epochs and nothing else
%     loss_last  1 x 1   loss computed in the last timed epoch (before its update)
%
%   One epoch is the loop body of matlab_ref/train/elman_train_sgd.m: ELMAN_LOSS_GRADS (forward
%   pass, masked loss, BPTT) on the whole batch, then w = w - lr*g for each of the five weights;
%   for the LSTM the same with LSTM_LOSS_GRADS. Both the warm-up and the timed epochs start from
%   the pushed weights P1..P5, so every engine computes the same numbers.
%
%   rnncore.engine.octave.run_script runs every script under Octave's profiler (to know which shims it
%   called); the profiler costs function-call overhead, so it is paused here for the epochs and
%   resumed at the end.
required = {'MODEL', 'P1', 'P2', 'P3', 'P4', 'P5', 'X', 'TGT', 'MASK', 'lr', 'n_warmup', 'n_epochs', 'profiler'};
for k = 1:numel(required)
  if ~exist(required{k}, 'var')
    error('train_epochs_bench:missingInput', 'set %s before running train_epochs_bench', required{k});
  end
end
if ~profiler
  profile off;
end
bench_root = fileparts(fileparts(fileparts(mfilename('fullpath'))));  % benchmarks/octave/ -> repository
addpath(fullfile(bench_root, 'matlab_ref', 'train'), fullfile(bench_root, 'matlab_ref', 'lstm'));

for timed = [false, true]
  if timed
    n = n_epochs;
  else
    n = n_warmup;
  end
  p1 = P1; p2 = P2; p3 = P3; p4 = P4; p5 = P5;
  loss_last = NaN;
  t0 = tic;
  if MODEL == 1
    for e = 1:n
      [loss_last, g1, g2, g3, g4, g5] = elman_loss_grads(p1, p2, p3, p4, p5, X, TGT, MASK);
      p1 = p1 - lr * g1;
      p2 = p2 - lr * g2;
      p3 = p3 - lr * g3;
      p4 = p4 - lr * g4;
      p5 = p5 - lr * g5;
    end
  else
    for e = 1:n
      [loss_last, g1, g2, g3, g4, g5] = lstm_loss_grads(p1, p2, p3, p4, p5, X, TGT, MASK);
      p1 = p1 - lr * g1;
      p2 = p2 - lr * g2;
      p3 = p3 - lr * g3;
      p4 = p4 - lr * g4;
      p5 = p5 - lr * g5;
    end
  end
  elapsed = toc(t0);
end

if ~profiler
  profile resume;
end
