"""The course's trainable networks, in numpy: the Elman RNN and the LSTM, their parameters and optimisers.

``params`` is the one base class of every model's parameters; ``batch`` the data both models read
(one-hot inputs, checks, initial states); ``output`` the output layer, softmax and loss both put on
their hidden states; ``recurrent`` the Elman step that ``rnn2.m`` writes; ``elman`` and ``lstm``
forward pass and backpropagation through time, side by side; ``optim`` SGD and Adam; ``factory``
the list of models, their initialisation and the dispatch on a parameters type, defined once.

This wing knows nothing of Octave, the course or the studies: it never imports ``rnncore.engine``,
``rnncore.course`` or ``rnncore.studies`` (``tests/models/test_factory.py`` checks it).
"""
