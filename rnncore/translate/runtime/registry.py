"""The MATLAB functions the runtime implements, registered where each is defined.

``@matlab_function(...)`` on a runtime function makes it a MATLAB function ``rnncore translate``
writes as ``mr.<name>`` (:data:`rnncore.translate.builtins.BUILTINS` is numpy's element-wise
functions plus this registry): there is no second list to keep in step with the runtime. A runtime
function without the decorator is a helper of the generated code (``mr.index``, ``mr.assign``...)
or one the translator handles itself, never a MATLAB call.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MatlabFunction", "MATLAB_FUNCTIONS", "matlab_function"]


@dataclass(frozen=True)
class MatlabFunction:
    python: str  # the runtime function's name: the generated code calls mr.<python>
    max_outputs: int = 1  # > 1: the function takes nargout=
    statement: bool = False  # prints or raises; gives no value (MATLAB's `ans` is not set)


MATLAB_FUNCTIONS: dict[str, MatlabFunction] = {}


def matlab_function(max_outputs: int = 1, statement: bool = False, name: str | None = None):
    """Register the decorated runtime function as the MATLAB function ``name`` (by default the
    function's own name; ``getfield`` is ``mr.field``)."""

    def register(fn):
        matlab = name or fn.__name__
        if matlab in MATLAB_FUNCTIONS:
            raise ValueError(f"MATLAB function {matlab!r} is registered twice")
        MATLAB_FUNCTIONS[matlab] = MatlabFunction(fn.__name__, max_outputs, statement)
        return fn

    return register
