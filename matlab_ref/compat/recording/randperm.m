function p = randperm(varargin)
%RANDPERM  rnncore recorder: Octave's own randperm, with every draw written to the run's random log.
%   See rand.m beside this file.
p = builtin('randperm', varargin{:});
__rnncore_record_draw__('randperm', p);
end
