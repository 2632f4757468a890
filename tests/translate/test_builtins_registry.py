"""One list of the runtime's MATLAB functions: BUILTINS is numpy's element-wise functions plus what the
runtime registers with @matlab_function, so the translator cannot name a runtime function that is not there."""

import pytest

import rnncore.translate.runtime as mr
from rnncore.translate.builtins import BUILTINS, SPECIAL, UNSUPPORTED
from rnncore.translate.runtime.registry import MATLAB_FUNCTIONS, matlab_function


def test_every_runtime_builtin_is_a_registered_runtime_function():
    runtime = {name: b for name, b in BUILTINS.items() if b.python.startswith("mr.")}
    assert set(runtime) == set(MATLAB_FUNCTIONS)
    for name, b in runtime.items():
        assert callable(getattr(mr, b.python.removeprefix("mr."))), name
        assert (b.max_outputs, b.statement) == (MATLAB_FUNCTIONS[name].max_outputs, MATLAB_FUNCTIONS[name].statement)
    # the ones whose nargout or statement-ness the translator relies on
    assert (BUILTINS["size"].max_outputs, BUILTINS["find"].max_outputs, BUILTINS["max"].max_outputs) == (8, 3, 2)
    assert BUILTINS["fprintf"].statement and not BUILTINS["sprintf"].statement


def test_no_name_is_both_supported_and_refused_or_special():
    assert not set(BUILTINS) & set(UNSUPPORTED)
    assert not set(BUILTINS) & set(SPECIAL)


def test_a_name_registered_twice_is_refused():
    def zeros():
        pass

    with pytest.raises(ValueError, match="'zeros' is registered twice"):
        matlab_function()(zeros)
    assert MATLAB_FUNCTIONS["zeros"].python == "zeros" and mr.zeros is not zeros
