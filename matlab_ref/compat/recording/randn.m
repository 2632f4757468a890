function varargout = randn(varargin)
%RANDN  rnncore recorder: Octave's own randn, with every draw written to the run's random log.
%   Placed first on the path only in a parity run of a script that draws random numbers
%   (rnncore.engine.octave.run_script, record_random=True), so that the Python port draws the very
%   same numbers (rnncore.translate.runtime.random replays them in order). A generator call
%   (randn('seed', s), randn('state', s), ...) changes the state only and is passed on unrecorded.
if nargin > 0 && ischar(varargin{1}) && ~strcmpi(varargin{1}, 'double')
  if nargout > 0
    [varargout{1:nargout}] = builtin('randn', varargin{:});
  else
    builtin('randn', varargin{:});
  end
  return
end
x = builtin('randn', varargin{:});
__rnncore_record_draw__('randn', x);
varargout{1} = x;
end
