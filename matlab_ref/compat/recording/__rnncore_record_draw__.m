function __rnncore_record_draw__(kind, x)
%__RNNCORE_RECORD_DRAW__  Append one draw to the run's random log: its kind and size to
%   random/calls.txt and its values (column-major, IEEE little-endian doubles) to random/values.bin,
%   in the session folder. Files, not a global variable, because a script's `clear all` must not
%   lose what was drawn before it. randi needs no recorder: Octave's randi.m draws through rand.
folder = fullfile(getenv('RNNCORE_SESSION_DIR'), 'random');
fid = fopen(fullfile(folder, 'calls.txt'), 'a');
fprintf(fid, '%s %s\n', kind, sprintf('%d ', size(x)));
fclose(fid);
fid = fopen(fullfile(folder, 'values.bin'), 'a');
fwrite(fid, double(x(:)), 'double', 0, 'ieee-le');
fclose(fid);
end
