"""Train the Elman RNN by full-batch SGD in both engines, to compare them epoch by epoch.

``train_sgd`` (Python, :mod:`rnncore.models.elman` + :func:`rnncore.models.optim.sgd_step`) and
``run_octave_sgd`` (GNU Octave running ``matlab_ref/train/elman_train_script.m``) take the same
arguments and return the same named, MATLAB-shaped float64 arrays, so a caller can pass each pair
to :func:`rnncore.engine.parity.compare`:

==============================  ===========  ==================================================
name                            shape        value
==============================  ===========  ==================================================
``losses``                      (1, epochs)  loss before each update; ``losses[0, 0]`` is the
                                             loss at the initial weights. A row: a sequence
                                             runs along columns, as everywhere in rnncore.
``whx whh bias why by``         weights'     the weights after ``epochs`` updates
``g_whx g_whh g_bias g_why      weights'     the gradients at those final weights
g_by``
``loss_final``                  (1, 1)       the loss at those final weights
==============================  ===========  ==================================================

Both engines start from the arguments given (the weights are pushed into Octave); neither draws
random numbers, so any difference is rounding. The initial hidden state is zeros.
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Callable

import numpy as np

from rnncore.engine.octave import OCTAVE_TIMEOUT_S
from rnncore.course.octave_harness import OctaveReference, python_targets, task_batch
from rnncore.models.elman import PARAM_NAMES, ElmanParams, loss_and_grads
from rnncore.resources import matlab_dir
from rnncore.models.loop import train_steps
from rnncore.models.optim import sgd_step
from rnncore.engine.parity import ulp_distance

__all__ = [
    "TRAIN_SCRIPT",
    "RESULT_NAMES",
    "REFERENCE",
    "train_sgd",
    "run_octave_sgd",
    "loss_ulp_growth",
    "sgd_case_inputs",
    "train_sgd_case",
]

TRAIN_SCRIPT = matlab_dir() / "train" / "elman_train_script.m"

RESULT_NAMES = ("losses",) + PARAM_NAMES + tuple("g_" + n for n in PARAM_NAMES) + ("loss_final",)
# The script trains from the weights it is given: ``whx0 whh0 bias0 why0 by0``.
REFERENCE = OctaveReference(TRAIN_SCRIPT, PARAM_NAMES, RESULT_NAMES, param_suffix="0")


def _check(params: ElmanParams, x, targets, mask, lr, epochs):
    x = np.asarray(x, dtype=np.float64)
    targets = np.asarray(targets)
    mask = np.asarray(mask, dtype=np.float64)
    if int(epochs) != epochs or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    # One forward/backward validates every shape and the target range before Octave starts.
    loss_and_grads(params, x, targets, mask)
    return x, targets, mask, float(lr), int(epochs)


def train_sgd(params: ElmanParams, x, targets, mask, lr: float, epochs: int) -> dict[str, np.ndarray]:
    """Full-batch SGD in Python: ``epochs`` times (loss and gradients, then ``w - lr*g``).

    ``x`` (I, B, T), ``targets`` (B, T) 0-based, ``mask`` (B, T). Returns the arrays of the
    module table.
    """
    x, targets, mask, lr, epochs = _check(params, x, targets, mask, lr, epochs)
    params, curve = train_steps(params, repeat((x, targets, mask)), lambda p, g: sgd_step(p, g, lr), epochs)
    losses = np.array(curve, dtype=np.float64).reshape(1, epochs)
    loss_final, grads, _ = loss_and_grads(params, x, targets, mask)
    return {"losses": losses, **params.as_dict(), **grads.as_dict("g_"),
            "loss_final": np.array([[loss_final]])}


def run_octave_sgd(params: ElmanParams, x, targets, mask, lr: float, epochs: int, *,
                   timeout: float = OCTAVE_TIMEOUT_S, log: Callable[[str], None] | None = None, script: str | Path = TRAIN_SCRIPT
                   ) -> dict[str, np.ndarray]:
    """The same training in a fresh GNU Octave, through ``matlab_ref/train/elman_train_script.m``.

    Same arguments as :func:`train_sgd` (``targets`` 0-based here; they are pushed 1-based as
    MATLAB indexes). The weights, data, ``lr`` and ``epochs`` are pushed into Octave's base
    workspace as ``whx0 whh0 bias0 why0 by0 X TGT MASK lr epochs``. Returns the arrays of the
    module table with MATLAB's shapes. ``timeout`` (seconds) and ``log`` (called with each line
    Octave prints) go to :func:`rnncore.engine.octave.run_script`, which raises an
    :class:`rnncore.engine.octave.OctaveError` on any failure.
    """
    x, targets, mask, lr, epochs = _check(params, x, targets, mask, lr, epochs)
    workspace = REFERENCE.workspace(params, x, targets, mask, lr=np.array([[lr]]), epochs=np.array([[float(epochs)]]))
    out = REFERENCE.run(workspace, timeout=timeout, log=log, script=script)
    # MATLAB's zeros(1, 0) comes back as (1, 0); keep the documented shape for epochs = 0 too.
    out["losses"] = out["losses"].reshape(1, epochs)
    return out


def loss_ulp_growth(losses_a, losses_b) -> np.ndarray:
    """ULP distance between two loss curves, epoch by epoch, as a (epochs,) uint64 array.

    Accepts (1, epochs), (epochs, 1) or (epochs,) curves (they are flattened).
    """
    a = np.asarray(losses_a, dtype=np.float64).ravel()
    b = np.asarray(losses_b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"loss curves differ in length: {a.size} vs {b.size}")
    return ulp_distance(a, b)


# --- Training parity as workflow cases (config/config.yaml, `inputs_from`) --------------------------


def sgd_case_inputs(task: str = "pig", recurrence: str = "diagonal", epochs: int = 50, lr: float = 0.1,
                    hidden: int = 3, seed: int = 0) -> dict[str, np.ndarray]:
    """The workspace ``elman_train_script.m`` expects, for a training-parity case.

    ``task="pig"``: rnn2.m's own weights (``course_params``; ``recurrence="full"`` puts the course's
    diagonal into a full matrix, the same network) on the one PIG sequence, inputs P,I,G and targets
    I,G,S. ``task="plural"``: the plural task's training stems (B=525, T=10), weights drawn in
    Python from ``seed`` (:func:`rnncore.models.factory.init_params`: scale 0.1, biases zero),
    ``hidden`` neurons. Targets are 1-based, as the script indexes them.
    """
    from rnncore.course.rnn2 import course_params
    from rnncore.models.factory import init_params

    x, targets, mask = task_batch(task)
    if task == "pig":
        params = course_params(recurrence)
    else:
        params = init_params(recurrence, np.random.default_rng(seed), x.shape[0], hidden, x.shape[0], scale=0.1)
    return REFERENCE.workspace(params, x, targets, mask, lr=np.array([[float(lr)]]),
                               epochs=np.array([[float(epochs)]]))


def train_sgd_case(inputs) -> dict[str, np.ndarray]:
    """Python side of a training-parity case: :func:`train_sgd` on the workspace of :func:`sgd_case_inputs`."""
    params = ElmanParams.from_dict(REFERENCE.params(inputs))
    return train_sgd(params, inputs["X"], python_targets(inputs["TGT"]), inputs["MASK"], float(inputs["lr"][0, 0]),
                     int(inputs["epochs"][0, 0]))
