"""The chapter itself, "Ch. 11: RNN, LSTM": the Python ports of its MATLAB scripts and its tasks.

``rnn2`` ports ``rnn2.m``; ``exercises`` works Exercise RNN1a neuron by neuron; ``softmax`` is
MATLAB's toolbox softmax; ``tasks`` the PIG -> S and plural-suffix data; the Octave training cases
push the same weights and data into the plain-MATLAB references under ``matlab_ref/``.
"""
