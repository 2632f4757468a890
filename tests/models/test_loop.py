"""rnncore.models.loop.train_steps: the one training loop, and the arguments that make each training."""

import itertools

import numpy as np
import pytest

from rnncore.models import elman, factory
from rnncore.models.loop import train_steps
from rnncore.models.optim import sgd_step


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    params = factory.init_params("full", rng, 4, 3, 4)
    x = elman.one_hot(rng.integers(0, 4, (2, 5)), 4)
    return params, x, rng.integers(0, 4, (2, 5)), np.ones((2, 5))


def test_full_batch_sgd_is_the_plain_loop_to_the_bit():
    params, x, targets, mask = _problem()
    trained, losses = train_steps(params, itertools.repeat((x, targets, mask)), lambda p, g: sgd_step(p, g, 0.1), 4)
    p, expected = params, []
    for _ in range(4):
        loss, grads, _ = elman.loss_and_grads(p, x, targets, mask)
        expected.append(loss)
        p = sgd_step(p, grads, 0.1)
    assert np.array(losses).tobytes() == np.array(expected).tobytes()
    assert all(a.tobytes() == b.tobytes() for a, b in zip(trained.arrays(), p.arrays()))


def test_observe_stops_after_the_update_and_only_the_batches_used_are_taken():
    params, x, targets, mask = _problem()
    batches = iter([(x, targets, mask)] * 10)
    seen = []

    def observe(n, loss, cache, t):
        seen.append(n)
        return n == 3

    updates = []
    trained, losses = train_steps(params, batches, lambda p, g: updates.append(1) or sgd_step(p, g, 0.1), 8,
                                  observe=observe)
    assert seen == [1, 2, 3] and len(losses) == 3 and len(updates) == 3
    assert len(list(batches)) == 7  # the stream is left where training stopped


def test_observe_sees_the_loss_before_the_update_and_may_refuse_it():
    params, x, targets, mask = _problem()

    def observe(n, loss, cache, t):
        raise FloatingPointError(f"loss {loss:.3f} at step {n}")

    with pytest.raises(FloatingPointError, match="at step 1"):
        train_steps(params, itertools.repeat((x, targets, mask)), lambda p, g: pytest.fail("updated"), 5,
                    observe=observe)


def test_reuse_gives_the_same_numbers():
    params, x, targets, mask = _problem(3)
    batches = [(x, targets, mask)] * 5
    fresh = train_steps(params, iter(batches), lambda p, g: sgd_step(p, g, 0.2), 5)
    reused = train_steps(params, iter(batches), lambda p, g: sgd_step(p, g, 0.2), 5, reuse=True)
    assert np.array(fresh[1]).tobytes() == np.array(reused[1]).tobytes()
