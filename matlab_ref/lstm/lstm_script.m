% LSTM_SCRIPT  Forward pass, loss and gradients of an LSTM on data set in the workspace.
%
%   Set these variables first (rnncore.course.octave_lstm.run_octave_lstm pushes
%   them into the base workspace), then run this script:
%     W, R, b, why, by   weights (see LSTM_FORWARD)
%     X      I x B x T   inputs
%     TGT    B x T       wanted classes, 1-based
%     MASK   B x T       1 = step counts, 0 = padding
%     H0, C0 H x B       initial hidden and cell states
%   It leaves these variables (2-D, so that they come back with the same
%   shape whatever B and T; a 3-D H x B x T array is stored as
%   reshape(A, H, B*T), column (t-1)*B + b):
%     gate_i, gate_f, gate_g, gate_o   H x B*T       gate activations
%     cs, hs                           H x B*(T+1)   cell and hidden states,
%                                                    columns 1..B = c0, h0
%     ys, ps, logps                    O x B*T       logits, softmax, log softmax
%     loss                             1 x 1
%     g_W, g_R, g_b, g_why, g_by       weights'      gradients
%   Both engines start from the same pushed-in numbers; neither draws
%   random numbers.
required = {'W', 'R', 'b', 'why', 'by', 'X', 'TGT', 'MASK', 'H0', 'C0'};
for k = 1:numel(required)
  if ~exist(required{k}, 'var')
    error('lstm_script:missingInput', 'set %s before running lstm_script', required{k});
  end
end
[GI, GF, GG, GO, CS, HS, Y, P, LOGP] = lstm_forward(W, R, b, why, by, X, H0, C0);
[loss, g_W, g_R, g_b, g_why, g_by] = lstm_loss_grads(W, R, b, why, by, X, TGT, MASK, H0, C0);
nh = size(R, 2);
no = size(why, 1);
gate_i = reshape(GI, nh, []);
gate_f = reshape(GF, nh, []);
gate_g = reshape(GG, nh, []);
gate_o = reshape(GO, nh, []);
cs = reshape(CS, nh, []);
hs = reshape(HS, nh, []);
ys = reshape(Y, no, []);
ps = reshape(P, no, []);
logps = reshape(LOGP, no, []);
fprintf('lstm_script: H = %d, B = %d, T = %d, loss %.17g\n', nh, size(X, 2), size(X, 3), loss);
