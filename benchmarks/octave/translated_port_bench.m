% TRANSLATED_PORT_BENCH  Time matlab_ref/train/elman_train_script.m inside Octave, run after run.
%
%   Run by benchmarks/translated_port.py through rnncore.engine.octave.run_script, which pushes the
%   training script's own workspace (whx0 whh0 bias0 why0 by0 X TGT MASK lr epochs, as
%   rnncore.course.octave_train.sgd_case_inputs makes it) and
%     bench_runs__   1 x 1   timed runs of the script
%   into the base workspace. One untimed run comes first (Octave parses each function file on its
%   first call). It leaves
%     bench_elapsed__  1 x bench_runs__   seconds of each run, tic/toc around the script alone
%     bench_cpu__      1 x bench_runs__   CPU seconds of each run (cputime), less disturbed than
%                                         the wall clock by other work on a shared machine
%     losses ...                          the last run's results, as the script leaves them
%
%   rnncore.engine.octave.run_script runs every script under Octave's profiler (to know which shims it
%   called); the profiler costs function-call overhead, so it is switched off for the runs.
profile off;
bench_root__ = fileparts(fileparts(fileparts(mfilename('fullpath'))));  % benchmarks/octave/ -> repository
addpath(fullfile(bench_root__, 'matlab_ref', 'train'));
bench_elapsed__ = zeros(1, bench_runs__);
bench_cpu__ = zeros(1, bench_runs__);
for bench_run__ = 0:bench_runs__
  bench_c0__ = cputime;
  bench_t0__ = tic;
  elman_train_script;
  bench_t1__ = toc(bench_t0__);
  bench_c1__ = cputime;
  if bench_run__ > 0
    bench_elapsed__(bench_run__) = bench_t1__;
    bench_cpu__(bench_run__) = bench_c1__ - bench_c0__;
  end
end
