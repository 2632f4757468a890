function s = lstm_sigmoid(z)
%LSTM_SIGMOID  Logistic sigmoid 1 ./ (1 + exp(-z)), element by element.
%   S = LSTM_SIGMOID(Z) has the size of Z. For very negative Z, exp(-Z)
%   overflows to Inf and S is exactly 0, the correct limit.
%   Python twin: rnncore.models.lstm.sigmoid (the same two roundings after exp).
s = 1 ./ (1 + exp(-z));
end
