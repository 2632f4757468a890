function [losses, whx, whh, bias, why, by, g_whx, g_whh, g_bias, g_why, g_by, loss_final] = elman_train_sgd(whx, whh, bias, why, by, X, TGT, MASK, lr, epochs)
%ELMAN_TRAIN_SGD  Full-batch gradient descent on an Elman RNN.
%   [LOSSES, WHX, WHH, BIAS, WHY, BY, G_WHX, G_WHH, G_BIAS, G_WHY, G_BY,
%    LOSS_FINAL] = ELMAN_TRAIN_SGD(WHX, WHH, BIAS, WHY, BY, X, TGT, MASK,
%    LR, EPOCHS)
%
%   Weights, X, TGT (1-based) and MASK as in ELMAN_LOSS_GRADS; the initial
%   hidden state is zeros. Each epoch computes the loss and gradients on the
%   whole batch and then updates every weight as w = w - lr*g.
%     LOSSES      1 x EPOCHS  loss before each update (LOSSES(1) is the loss
%                             at the initial weights)
%     WHX .. BY               the weights after EPOCHS updates
%     G_WHX .. G_BY           the gradients at those final weights
%     LOSS_FINAL  1 x 1       the loss at those final weights
%   Python twin: rnncore.course.octave_train.train_sgd.
losses = zeros(1, epochs);
for e = 1:epochs
  [losses(e), g_whx, g_whh, g_bias, g_why, g_by] = elman_loss_grads(whx, whh, bias, why, by, X, TGT, MASK);
  whx = whx - lr * g_whx;
  whh = whh - lr * g_whh;
  bias = bias - lr * g_bias;
  why = why - lr * g_why;
  by = by - lr * g_by;
end
[loss_final, g_whx, g_whh, g_bias, g_why, g_by] = elman_loss_grads(whx, whh, bias, why, by, X, TGT, MASK);
end
