"""The LSTM's forward pass, loss and gradients in both engines, as named MATLAB-shaped arrays.

``python_lstm_reference`` (Python, :mod:`rnncore.models.lstm`) and ``run_octave_lstm`` (GNU Octave running
``matlab_ref/lstm/lstm_script.m``) take the same arguments and return dicts with the same names
and shapes, so a caller can pass each pair to :func:`rnncore.engine.parity.compare`:

===================================  =============  ==============================================
name                                 shape          value
===================================  =============  ==============================================
``gate_i gate_f gate_g gate_o``      (H, B*T)       gate activations: input, forget, cell
                                                    candidate, output
``cs hs``                            (H, B*(T+1))   cell and hidden states; columns 1..B are c0, h0
``ys ps logps``                      (O, B*T)       logits, softmax probabilities, log softmax
``loss``                             (1, 1)         masked cross-entropy, mean over the batch
``g_W g_R g_b g_why g_by``           weights'       gradients: (4H, I), (4H, H), (4H, 1), (O, H),
                                                    (O, 1)
===================================  =============  ==============================================

A per-step array ``A`` of shape (H, B, T) (``rnncore.models.lstm.LSTMCache``) is returned as MATLAB's
``reshape(A, H, [])``: numpy ``A.reshape(H, B*T, order="F")``, whose column ``t*B + b`` (0-based)
is sample b at step t; :func:`unflatten` undoes it. The arrays are 2-D on purpose: MATLAB drops
trailing singleton dimensions, so a 3-D (H, B, 1) array would come back from Octave as (H, B),
while a 2-D array keeps its shape through oct2py's ``keep_matlab_shapes`` for every B and T.

Both engines start from the arguments given (weights, data and initial states are pushed into
Octave as ``W R b why by X TGT MASK H0 C0``); neither draws random numbers, so any difference is
rounding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from rnncore.engine.octave import OCTAVE_TIMEOUT_S
from rnncore.course.octave_harness import OctaveReference, python_targets, task_batch
from rnncore.models.batch import check_batch, initial_state
from rnncore.models.lstm import PARAM_NAMES, LSTMParams, loss_and_grads
from rnncore.resources import matlab_dir

__all__ = [
    "LSTM_SCRIPT",
    "STATE_NAMES",
    "RESULT_NAMES",
    "REFERENCE",
    "flatten",
    "unflatten",
    "python_lstm_reference",
    "run_octave_lstm",
    "lstm_case_inputs",
    "lstm_case",
]

LSTM_SCRIPT = matlab_dir() / "lstm" / "lstm_script.m"

# Per-step arrays, in the order of the module table.
STATE_NAMES = ("gate_i", "gate_f", "gate_g", "gate_o", "cs", "hs", "ys", "ps", "logps")
RESULT_NAMES = STATE_NAMES + ("loss",) + tuple("g_" + n for n in PARAM_NAMES)
REFERENCE = OctaveReference(LSTM_SCRIPT, PARAM_NAMES, RESULT_NAMES)


def flatten(a: np.ndarray) -> np.ndarray:
    """(n, B, T) -> (n, B*T), MATLAB's ``reshape(A, n, [])`` (column-major)."""
    a = np.asarray(a)
    return a.reshape(a.shape[0], -1, order="F")


def unflatten(a: np.ndarray, B: int) -> np.ndarray:
    """(n, B*T) -> (n, B, T): the inverse of :func:`flatten` for a batch of ``B`` samples."""
    a = np.asarray(a)
    return a.reshape(a.shape[0], B, -1, order="F")


def _check(params: LSTMParams, x, targets, mask, h0, c0):
    x, targets, mask = check_batch(params, x, targets, mask, require_targets=True)
    _, B, _ = x.shape
    H = params.n_hidden
    return x, targets, mask, initial_state(h0, H, B, "h0"), initial_state(c0, H, B, "c0")


def python_lstm_reference(params: LSTMParams, x, targets, mask, h0=None, c0=None) -> dict[str, np.ndarray]:
    """The arrays of the module table from :mod:`rnncore.models.lstm` (forward + :func:`~rnncore.models.lstm.loss_and_grads`).

    ``x`` (I, B, T), ``targets`` (B, T) 0-based, ``mask`` (B, T), ``h0``/``c0`` (H, B) or (H, 1),
    zeros by default.
    """
    x, targets, mask, h0, c0 = _check(params, x, targets, mask, h0, c0)
    loss, grads, cache = loss_and_grads(params, x, targets, mask, h0, c0)
    per_step = {"gate_i": cache.i, "gate_f": cache.f, "gate_g": cache.g, "gate_o": cache.o,
                "cs": cache.cs, "hs": cache.hs, "ys": cache.ys, "ps": cache.ps, "logps": cache.logps}
    out = {name: flatten(per_step[name]) for name in STATE_NAMES}
    out["loss"] = np.array([[loss]])
    out.update(grads.as_dict("g_"))
    return out


def run_octave_lstm(params: LSTMParams, x, targets, mask, *, timeout: float = OCTAVE_TIMEOUT_S,
                    log: Callable[[str], None] | None = None, h0=None, c0=None,
                    script: str | Path = LSTM_SCRIPT) -> dict[str, np.ndarray]:
    """The same computation in a fresh GNU Octave, through ``matlab_ref/lstm/lstm_script.m``.

    Same arguments as :func:`python_lstm_reference` (``targets`` 0-based here; they are pushed
    1-based as MATLAB indexes). Returns the arrays of the module table with MATLAB's shapes, float64.
    ``timeout`` (seconds) and ``log`` (called with each line Octave prints) go to
    :func:`rnncore.engine.octave.run_script`, which raises an :class:`rnncore.engine.octave.OctaveError` on any
    failure (Octave missing, a script error with its file and line, a timeout).
    """
    x, targets, mask, h0, c0 = _check(params, x, targets, mask, h0, c0)
    return REFERENCE.run(REFERENCE.workspace(params, x, targets, mask, H0=h0, C0=c0), timeout=timeout, log=log,
                         script=script)


# --- LSTM parity as a workflow case (config/config.yaml, `inputs_from`) -------------------------------


def lstm_case_inputs(task: str = "plural", hidden: int = 8, seed: int = 0, forget_bias: float = 1.0,
                     scale: float = 0.1, samples: int = 0) -> dict[str, np.ndarray]:
    """The workspace ``lstm_script.m`` expects: weights drawn in Python, a task's data, zero states.

    ``task="plural"``: the plural task's training stems (``samples`` > 0 keeps the first that many);
    ``task="pig"``: the one PIG sequence (:func:`rnncore.course.octave_harness.task_batch`; any other task
    is a ValueError). Targets are pushed 1-based, as the script indexes them.
    """
    from rnncore.models.lstm import init_params

    x, targets, mask = task_batch(task, samples)
    n = x.shape[0]
    params = init_params(np.random.default_rng(seed), n, hidden, n, forget_bias=forget_bias, scale=scale)
    H, B = hidden, x.shape[1]
    return REFERENCE.workspace(params, x, targets, mask, H0=np.zeros((H, B)), C0=np.zeros((H, B)))


def lstm_case(inputs) -> dict[str, np.ndarray]:
    """Python side of the LSTM parity case: :func:`python_lstm_reference` on :func:`lstm_case_inputs`' workspace."""
    params = LSTMParams.from_dict(REFERENCE.params(inputs))
    return python_lstm_reference(params, inputs["X"], python_targets(inputs["TGT"]), inputs["MASK"], inputs["H0"],
                                 inputs["C0"])
