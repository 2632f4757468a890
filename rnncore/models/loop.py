"""The one training loop of rnncore: loss and gradients, an update, repeated.

The course's training parity (:func:`rnncore.course.octave_train.train_sgd`, full-batch SGD compared
with Octave), the training grid (:func:`rnncore.studies.training.train_run`, full batch, SGD or Adam)
and the long-lag study (:func:`rnncore.studies.longlag.train_lag_model`, fresh minibatches, Adam,
early stopping) all train through :func:`train_steps`; what differs between them is its arguments:
the batches, the update, whether a step reuses the previous step's arrays, and what is watched
after each step's loss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rnncore.models import factory
from rnncore.models.params import Params

__all__ = ["train_steps"]


def train_steps(params: Params, batches: Iterable, update: Callable[[Params, Params], Params], steps: int, *,
                reuse: bool = False, observe: Callable | None = None) -> tuple[Params, list]:
    """At most ``steps`` updates of ``params``; returns ``(params, losses)``, ``losses[k]`` the loss
    before update ``k + 1``.

    Step ``n`` (1-based) takes the next ``(x, targets, mask)`` of ``batches`` (the same full batch
    every time, or fresh minibatches: only as many are taken as steps are made), computes the loss
    and gradients of the model ``params`` belongs to (:func:`rnncore.models.factory.loss_and_grads`),
    calls ``observe(n, loss, cache, targets)`` if given, then makes the update
    ``params = update(params, grads)``. ``observe`` sees the loss before the update: it may raise (a
    loss that is not finite) or return True to stop after this step's update.

    ``reuse``: each step's forward pass writes into the previous step's arrays instead of new ones
    (the same numbers, less memory traffic); ``observe`` must then read the cache before returning.
    """
    losses = []
    cache = None
    for n, (x, targets, mask) in zip(range(1, steps + 1), batches):
        loss, grads, step_cache = factory.loss_and_grads(params, x, targets, mask, reuse=cache)
        if reuse:
            cache = step_cache
        stop = observe is not None and observe(n, loss, step_cache, targets)
        params = update(params, grads)
        losses.append(loss)
        if stop:
            break
    return params, losses
