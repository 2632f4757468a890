"""One harness for the course's Octave references of the trainable models: a plain-MATLAB script run
in GNU Octave on a workspace pushed from Python, and the same workspace read back by the Python side
of a workflow case.

A reference is data (:class:`OctaveReference`): its script, the names it returns, and how its
workspace names the weights (the Elman training script starts from ``whx0 ...``, the LSTM script
takes ``W R b ...`` as they are). Everything else is shared: the batch of a task (:func:`task_batch`,
an unknown task refused), targets 0-based in Python and 1-based in MATLAB (:func:`matlab_targets`,
:func:`python_targets`), the workspace (``X TGT MASK`` beside the weights, plus what a script needs
more) and the Octave run (:func:`rnncore.engine.octave.run_script`, which raises an
:class:`rnncore.engine.octave.OctaveError` on any failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from rnncore.engine.octave import OCTAVE_TIMEOUT_S, run_script

__all__ = ["TASKS", "OctaveReference", "matlab_targets", "python_targets", "task_batch"]

TASKS = ("pig", "plural")


def matlab_targets(targets) -> np.ndarray:
    """0-based class indices (Python) -> 1-based float64 (MATLAB indexes from 1, and pushes doubles)."""
    return (np.asarray(targets) + 1).astype(np.float64)


def python_targets(tgt) -> np.ndarray:
    """1-based MATLAB targets -> 0-based int64: the inverse of :func:`matlab_targets`."""
    return np.asarray(tgt).astype(np.int64) - 1


def task_batch(task: str, samples: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, targets, mask)`` of a course task as float64 (targets 0-based): ``"pig"`` the one PIG
    sequence (inputs P,I,G, targets I,G,S), ``"plural"`` the plural task's training stems (the first
    ``samples`` of them when ``samples`` > 0). Any other task is a ValueError."""
    from rnncore.course.tasks import pig_task, plural_task

    if task == "pig":
        data = pig_task()
    elif task == "plural":
        data = plural_task("train")
    else:
        raise ValueError(f"task must be one of {', '.join(map(repr, TASKS))}, got {task!r}")
    x, targets, mask = (np.asarray(data.x, dtype=np.float64), np.asarray(data.targets),
                        np.asarray(data.mask, dtype=np.float64))
    if samples:
        x, targets, mask = x[:, :samples, :], targets[:samples], mask[:samples]  # (I, B, T) -> first B
    return x, targets, mask


@dataclass(frozen=True)
class OctaveReference:
    """A plain-MATLAB reference script and the workspace it expects.

    ``param_names`` are the model's weights, in its order; each is pushed as ``name + param_suffix``.
    ``result_names`` are the variables the script leaves, returned with MATLAB's shapes.
    """

    script: Path
    param_names: tuple[str, ...]
    result_names: tuple[str, ...]
    param_suffix: str = ""

    def workspace(self, params, x, targets, mask, **extra) -> dict[str, np.ndarray]:
        """The script's inputs: the weights of ``params``, ``X``, ``TGT`` (1-based), ``MASK``, then ``extra``."""
        inputs = {name + self.param_suffix: arr for name, arr in params.as_dict().items()}
        inputs.update(X=x, TGT=matlab_targets(targets), MASK=mask, **extra)
        return inputs

    def params(self, workspace) -> dict[str, np.ndarray]:
        """The weights in a :meth:`workspace`, by the model's names (for ``Params.from_dict``)."""
        return {name: workspace[name + self.param_suffix] for name in self.param_names}

    def run(self, workspace, *, timeout: float = OCTAVE_TIMEOUT_S, log: Callable[[str], None] | None = None,
            script: str | Path | None = None) -> dict[str, np.ndarray]:
        """Run the script (or ``script``, a variant of it) in GNU Octave on ``workspace``; its results by name."""
        result = run_script(script or self.script, self.result_names, timeout=timeout, log=log, inputs=workspace)
        return dict(result.values)
