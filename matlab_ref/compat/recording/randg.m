function varargout = randg(varargin)
%RANDG  rnncore recorder: Octave's own randg, with every draw written to the run's random log.
%   See rand.m beside this file. A generator call (randg('seed', s), ...) is passed on unrecorded.
if nargin > 0 && ischar(varargin{1})
  if nargout > 0
    [varargout{1:nargout}] = builtin('randg', varargin{:});
  else
    builtin('randg', varargin{:});
  end
  return
end
x = builtin('randg', varargin{:});
__rnncore_record_draw__('randg', x);
varargout{1} = x;
end
