"""The course's trainable networks, in numpy: the Elman RNN and the LSTM, their parameters and optimisers.

``params`` is the one base class of every model's parameters; ``recurrent`` the Elman step that
``rnn2.m`` writes; ``elman`` and ``lstm`` forward pass, loss and backpropagation through time;
``optim`` SGD and Adam; ``factory`` the list of models and their initialisation, defined once.

This wing knows nothing of Octave or of parity: it imports nothing from ``rnncore.engine``.
"""
