"""Training runs: a grid of (task, model, hidden size, seed), one full-batch training each, and their reports.

Every function is plain (arguments in, values or files out) and deterministic given its arguments,
so the workflow can call them one rule per run:

* :func:`expand_grid` turns the configuration's training blocks into :class:`RunSpec` s (checked);
* :func:`train_run` trains one :class:`RunSpec` and returns a :class:`RunResult`;
* :func:`write_run` / :func:`read_run` store one result as one JSON file;
* :func:`metrics_rows`, :func:`summary_rows`, :func:`pig_rows` and :func:`heldout_by_ending_rows` make
  the CSVs' rows (:func:`rnncore.io.write_csv` writes them).

Tasks (:mod:`rnncore.course.tasks`)

``pig``     slide 17: read P, I, G and predict I, G, S. The network starts from rnn2.m's exact
            3-neuron weights (:func:`rnncore.course.rnn2.course_params`), which predict P after G (slide
            16); training must turn that into S. Only ``hidden = 3`` and the Elman models qualify.
            There is one sequence and no held-out data: ``heldout_acc`` is NaN.
``plural``  slide 17's extension: read a noun, predict its suffix S_ or ES. Trained on
            ``plural_task("train")``, scored on it and on ``plural_task("heldout")``, overall and per
            ending group (:data:`rnncore.course.tasks.ENDING_GROUPS`: -S, -X, -Z, -CH, -SH, -TH,
            -GH, -PH, other -H, -CK, other), so a gap on one ending cannot hide in the mean.

Models: ``diagonal`` (the course's Elman recurrence ``whh.*h``), ``full`` (``whh*h``), ``lstm``
(:mod:`rnncore.models.lstm`). Optimisers (:mod:`rnncore.models.optim`): ``sgd`` and ``adam``. Training is full
batch: one update per epoch from the gradient of the whole training set.

Only the seed draws random numbers, through ``np.random.default_rng(seed)`` in
:func:`initial_params` (and not at all for ``pig``); training itself is deterministic. The one
value that differs between two runs of the same spec is ``wall_s``, the measured time.
"""

from __future__ import annotations

import json
import math
import numbers
import time
from dataclasses import asdict, dataclass, fields
from itertools import repeat
from pathlib import Path
from typing import Callable

import numpy as np

from rnncore.models import factory
from rnncore.models.factory import MODELS
from rnncore.io import ArtifactError, write_atomic
from rnncore.models.loop import train_steps
from rnncore.models.optim import adam_init, adam_step, clip_by_global_norm, sgd_step
from rnncore.io import format_float
from rnncore.course.rnn2 import course_params
from rnncore.course.tasks import PIG_ALPHABET, PigPrediction, SequenceTask, pig_prediction, pig_task, plural_task, suffix_accuracy, \
    suffix_predictions
from rnncore.course.tasks import ENDING_GROUPS, ending_group

__all__ = [
    "TASKS",
    "MODELS",
    "OPTIMIZERS",
    "PIG_HIDDEN",
    "RUN_FORMAT",
    "RunSpec",
    "RunResult",
    "expand_grid",
    "initial_params",
    "training_data",
    "train_run",
    "write_run",
    "read_run",
    "METRICS_COLUMNS",
    "SUMMARY_COLUMNS",
    "PIG_COLUMNS",
    "HELDOUT_BY_ENDING_COLUMNS",
    "metrics_rows",
    "summary_rows",
    "pig_rows",
    "heldout_by_ending",
    "heldout_by_ending_rows",
]

TASKS = ("pig", "plural")
OPTIMIZERS = ("sgd", "adam")
PIG_HIDDEN = 3  # rnn2.m's network has 3 neurons; the pig task starts from its exact weights
# /2 added "heldout_by_ending"; a /1 file is refused with a message saying to rerun.
RUN_FORMAT = "rnncore-training-run/2"

_REQUIRED_KEYS = ("task", "model", "hidden", "seed", "epochs", "optimizer", "lr")
_OPTIONAL_KEYS = {"clip": None, "weight_decay": 0.0}
_LIST_KEYS = ("model", "hidden", "seed")


# --------------------------------------------------------------------------- run specification


def _is_int(v) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _field_problems(task, model, hidden, seed, epochs, optimizer, lr, clip, weight_decay) -> list[tuple[str, str]]:
    """``[(key, problem), ...]`` for one run's values; empty when they are valid. Shared by
    :class:`RunSpec` and :func:`expand_grid` so both reject the same things with the same words."""
    problems = []
    if task not in TASKS:
        problems.append(("task", f"unknown task {task!r}, expected one of {', '.join(TASKS)}"))
    if model not in MODELS:
        problems.append(("model", f"unknown model {model!r}, expected one of {', '.join(MODELS)}"))
    if optimizer not in OPTIMIZERS:
        problems.append(("optimizer", f"unknown optimizer {optimizer!r}, expected one of {', '.join(OPTIMIZERS)}"))
    if not _is_int(hidden) or hidden < 1:
        problems.append(("hidden", f"must be an integer >= 1, got {hidden!r}"))
    if not _is_int(seed) or seed < 0:
        problems.append(("seed", f"must be an integer >= 0 (numpy's default_rng takes no negative seed), got {seed!r}"))
    if not _is_int(epochs) or epochs < 1:
        problems.append(("epochs", f"must be an integer >= 1, got {epochs!r}"))
    # PyYAML reads 1e-2 (no dot) as the string '1e-2': say so, it is the usual cause of a str here.
    yaml_hint = " (YAML reads 1e-2 as text; write 1.0e-2)"
    for key, value, what in (("lr", lr, "> 0"), ("weight_decay", weight_decay, ">= 0")):
        if not _is_number(value) or not math.isfinite(value) or (value <= 0 if key == "lr" else value < 0):
            hint = yaml_hint if isinstance(value, str) else ""
            problems.append((key, f"must be a finite number {what}, got {value!r}{hint}"))
    if clip is not None and (not _is_number(clip) or not math.isfinite(clip) or clip <= 0):
        hint = yaml_hint if isinstance(clip, str) else ""
        problems.append(("clip", f"must be a finite number > 0 or null (no clipping), got {clip!r}{hint}"))
    if task == "pig":
        if model == "lstm":
            problems.append(("model", "task pig starts from rnn2.m's Elman weights; model lstm is not possible "
                                      "(use diagonal or full)"))
        if _is_int(hidden) and hidden != PIG_HIDDEN:
            problems.append(("hidden", f"task pig starts from rnn2.m's exact {PIG_HIDDEN}-neuron weights; "
                                       f"hidden must be {PIG_HIDDEN}, got {hidden!r}"))
    return problems


@dataclass(frozen=True)
class RunSpec:
    """One training run. Checked on construction (ValueError naming the field)."""

    task: str  # "pig" (slide 17's PIG -> S, from rnn2.m's weights) or "plural" (S_ / ES on nouns)
    model: str  # "diagonal" (course Elman, whh.*h), "full" (Elman, whh*h) or "lstm"
    hidden: int  # hidden units H; must be 3 for pig
    seed: int  # seed of np.random.default_rng for the initial weights (pig draws nothing)
    epochs: int  # full-batch updates, >= 1
    optimizer: str  # "sgd" (w - lr*g) or "adam" (rnncore.models.optim.adam_step, default betas and eps)
    lr: float  # learning rate, > 0
    clip: float | None = None  # global-norm gradient clipping before the step (adam or sgd); None = off
    weight_decay: float = 0.0  # decoupled: after each step every parameter w *= 1 - lr*weight_decay

    def __post_init__(self):
        problems = _field_problems(self.task, self.model, self.hidden, self.seed, self.epochs, self.optimizer,
                                   self.lr, self.clip, self.weight_decay)
        if problems:
            raise ValueError("RunSpec: " + "; ".join(f"{k}: {p}" for k, p in problems))
        # Normalise the numbers, so that lr=1 and lr=1.0 give equal specs and the JSON writes floats.
        for name in ("hidden", "seed", "epochs"):
            object.__setattr__(self, name, int(getattr(self, name)))
        for name in ("lr", "weight_decay"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.clip is not None:
            object.__setattr__(self, "clip", float(self.clip))

    @property
    def run_id(self) -> str:
        """``"{task}-{model}-h{hidden}-s{seed}"``, e.g. ``"plural-full-h8-s0"``; unique within a grid."""
        return f"{self.task}-{self.model}-h{self.hidden}-s{self.seed}"


def expand_grid(blocks: list[dict]) -> list[RunSpec]:
    """The runs the training blocks ask for, in a stable order: block order, then ``model``,
    ``hidden`` and ``seed`` as listed (``seed`` varies fastest).

    A block is a mapping with ``task`` (str), the lists ``model``, ``hidden`` and ``seed``, the
    scalars ``epochs``, ``optimizer``, ``lr`` and optionally ``clip`` (default None: no clipping)
    and ``weight_decay`` (default 0.0). Any problem raises ValueError naming the block (1-based, as
    every message for people in rnncore) and the key: a missing or unknown key, a list that is
    empty or not a list, an unknown task, model or optimizer, epochs < 1, task pig with a hidden
    size other than 3 or with model lstm, and a run id produced twice (within or across blocks).
    """
    if not isinstance(blocks, (list, tuple)):
        raise ValueError(f"training blocks must be a list of mappings, got {type(blocks).__name__}")
    specs: list[RunSpec] = []
    seen: dict[str, int] = {}  # run id -> block (1-based) that first produced it
    for i, block in enumerate(blocks, start=1):
        where = f"training block {i}"

        def fail(key, problem):
            raise ValueError(f"{where}, key {key!r}: {problem}")

        if not isinstance(block, dict):
            raise ValueError(f"{where}: must be a mapping of keys to values, got {type(block).__name__}")
        for key in block:
            if key not in _REQUIRED_KEYS and key not in _OPTIONAL_KEYS:
                fail(key, f"unknown key; expected {', '.join(_REQUIRED_KEYS + tuple(_OPTIONAL_KEYS))}")
        for key in _REQUIRED_KEYS:
            if key not in block:
                fail(key, "missing")
        for key in _LIST_KEYS:
            if not isinstance(block[key], (list, tuple)) or not block[key]:
                fail(key, f"must be a non-empty list, got {block[key]!r}")
        scalars = {k: block[k] for k in ("task", "epochs", "optimizer", "lr")}
        scalars.update({k: block.get(k, default) for k, default in _OPTIONAL_KEYS.items()})
        for model in block["model"]:
            for hidden in block["hidden"]:
                for seed in block["seed"]:
                    problems = _field_problems(model=model, hidden=hidden, seed=seed, **scalars)
                    if problems:
                        fail(*problems[0])
                    spec = RunSpec(model=model, hidden=hidden, seed=seed, **scalars)
                    if spec.run_id in seen:
                        first = seen[spec.run_id]
                        if first == i:  # a value listed twice in this block
                            key = next(k for k in _LIST_KEYS if len(set(block[k])) < len(block[k]))
                            fail(key, f"run id {spec.run_id} is produced twice: {block[key]!r} repeats a value")
                        fail("seed", f"run id {spec.run_id} is already produced by training block {first}; "
                                     f"run ids ({{task}}-{{model}}-h{{hidden}}-s{{seed}}) must be unique, so "
                                     f"blocks of one task must not repeat a model, hidden and seed combination")
                    seen[spec.run_id] = i
                    specs.append(spec)
    return specs


# --------------------------------------------------------------------------- data and initial weights


def training_data(task: str) -> SequenceTask:
    """The task's training set: :func:`rnncore.course.tasks.pig_task` or ``plural_task("train")``."""
    if task == "pig":
        return pig_task()
    if task == "plural":
        return plural_task("train")
    raise ValueError(f"unknown task {task!r}, expected one of {', '.join(TASKS)}")


def initial_params(spec: RunSpec, n_in: int, n_out: int):
    """The weights training starts from, an :class:`~rnncore.models.elman.ElmanParams` or
    :class:`~rnncore.models.lstm.LSTMParams`.

    * pig: rnn2.m's weights (:func:`rnncore.course.rnn2.course_params`, ``by`` zeros). ``diagonal`` keeps
      them as they are; ``full`` puts the course's (3, 1) ``whh`` on the diagonal of a (3, 3) matrix,
      so that it is the same network (``whh*h`` with a diagonal matrix is ``whh.*h``) and only
      training lets the off-diagonal weights move. ``n_in`` and ``n_out`` must be 4 (P, I, G, S).
    * plural: :func:`rnncore.models.factory.init_params` (normal(0, 0.1**2)) from
      ``np.random.default_rng(spec.seed)``: Elman biases zeros (a conventional start), LSTM
      forget-gate bias 1.0.
    """
    if spec.task == "pig":
        if (n_in, n_out) != (len(PIG_ALPHABET), len(PIG_ALPHABET)):
            raise ValueError(f"task pig has 4 inputs and 4 outputs (P, I, G, S), got n_in={n_in}, n_out={n_out}")
        return course_params(spec.model)
    return factory.init_params(spec.model, np.random.default_rng(spec.seed), n_in, spec.hidden, n_out,
                               scale=0.1, forget_bias=1.0)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, eq=False)  # eq=False: == on the losses array is elementwise, not a bool
class RunResult:
    """What one training run produced. ``losses`` is read-only."""

    spec: RunSpec
    losses: np.ndarray  # (epochs,) float64: the loss before each update; losses[0] at the initial weights
    final_loss: float  # the loss after the last update
    train_acc: float  # plural: suffix accuracy on the training nouns; pig: fraction of I, G, S predicted
    heldout_acc: float  # plural: suffix accuracy on the held-out nouns; pig: NaN (no held-out data)
    wall_s: float  # seconds of the training loop alone (time.perf_counter), not data loading or scoring
    errors: tuple = ()  # plural: (stem, true suffix, predicted suffix) per wrong held-out noun, by stem
    # plural: (ending group, held-out stems, right) per group present, in ENDING_GROUPS order; pig: ()
    heldout_by_ending: tuple = ()
    before: PigPrediction | None = None  # pig: letter predicted at t = 3 and its (4, 1) softmax column, untrained
    after: PigPrediction | None = None  # pig: the same after training

    @property
    def run_id(self) -> str:
        return self.spec.run_id


def heldout_by_ending(stems, correct) -> tuple:
    """``((group, n_stems, n_right), ...)`` for the groups of :data:`~rnncore.course.tasks.ENDING_GROUPS`
    that ``stems`` cover, in that order; ``correct[i]`` says whether ``stems[i]``'s suffix was right."""
    counts = {}
    for stem, ok in zip(stems, correct, strict=True):
        n, right = counts.get(ending_group(stem), (0, 0))
        counts[ending_group(stem)] = (n + 1, right + bool(ok))
    return tuple((g, *counts[g]) for g in ENDING_GROUPS if g in counts)


def _step_fn(spec: RunSpec, params):
    """A function ``(params, grads) -> params`` making one update of ``spec``'s optimiser,
    clipping first and decaying the weights after, as :class:`RunSpec` documents."""
    state = adam_init(params) if spec.optimizer == "adam" else None
    decay = 1.0 - spec.lr * spec.weight_decay

    def step(p, g):
        nonlocal state
        if spec.optimizer == "adam":
            p, state = adam_step(p, g, state, lr=spec.lr, clip_norm=spec.clip)
        else:
            if spec.clip is not None:
                g, _ = clip_by_global_norm(g, spec.clip)
            p = sgd_step(p, g, spec.lr)
        if spec.weight_decay:
            p = p.map(lambda w: w * decay)
        return p

    return step


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def train_run(spec: RunSpec, log: Callable[[str], None] = lambda s: None,
              progress_every: int | None = None) -> RunResult:
    """Train one run full batch and score it (see :class:`RunResult` for the fields).

    ``log`` receives a start line, a progress line ``"epoch 120/400 loss 0.0123"`` (the loss
    before that epoch's update) at epoch 1, every ``progress_every`` epochs (default: a tenth of
    the epochs, at least 1) and at the last epoch, and a closing line with the results.
    Raises FloatingPointError, naming the run and epoch, if the loss stops being finite.
    """
    if progress_every is None:
        progress_every = max(1, spec.epochs // 10)
    if not _is_int(progress_every) or progress_every < 1:
        raise ValueError(f"progress_every must be an integer >= 1 or None, got {progress_every!r}")
    data = training_data(spec.task)
    n_io = len(data.alphabet)
    params = initial_params(spec, n_io, n_io)
    initial = params
    step = _step_fn(spec, params)
    clip = "off" if spec.clip is None else repr(spec.clip)
    log(f"{spec.run_id}: {spec.epochs} epochs, {spec.optimizer} lr {spec.lr!r}, clip {clip}, "
        f"weight decay {spec.weight_decay!r}, {data.n_samples} training sequences of {data.n_steps} steps")

    def observe(n, loss, cache, targets):
        if not math.isfinite(loss):
            raise FloatingPointError(f"{spec.run_id}: loss is {loss} at epoch {n}/{spec.epochs}; "
                                     f"training diverged (lower lr or set clip)")
        if n == 1 or n % progress_every == 0 or n == spec.epochs:
            log(f"epoch {n}/{spec.epochs} loss {loss:.6g}")

    start = time.perf_counter()
    params, curve = train_steps(params, repeat((data.x, data.targets, data.mask)), step, spec.epochs,
                                observe=observe)
    losses = np.array(curve, dtype=np.float64)
    wall_s = time.perf_counter() - start

    final_loss = factory.nll_loss(factory.forward(params, data.x), data.targets, data.mask)
    if not math.isfinite(final_loss):
        raise FloatingPointError(f"{spec.run_id}: loss is {final_loss} after the last update; training diverged")
    ps = factory.predict(params, data.x)
    errors: tuple = ()
    before = after = None
    if spec.task == "pig":
        predicted = np.argmax(ps[:, 0, :], axis=0)  # (T,) the letter predicted after P, after PI, after PIG
        train_acc = float(np.mean(predicted == data.targets[0]))
        heldout_acc = math.nan
        before = pig_prediction(factory.predict(initial, data.x))
        after = pig_prediction(ps)
    else:
        train_acc = float(suffix_accuracy(data, ps))
        held = plural_task("heldout")
        held_ps = factory.predict(params, held.x)
        heldout_acc = float(suffix_accuracy(held, held_ps))
        predicted = suffix_predictions(held, held_ps)
        errors = tuple(sorted((stem, true, pred) for stem, true, pred
                              in zip(held.words, held.suffixes, predicted) if pred != true))
        by_ending = heldout_by_ending(held.words, [p == t for p, t in zip(predicted, held.suffixes)])
    result = RunResult(spec=spec, losses=_readonly(losses), final_loss=float(final_loss), train_acc=train_acc,
                       heldout_acc=heldout_acc, wall_s=wall_s, errors=errors, before=before, after=after,
                       heldout_by_ending=by_ending if spec.task == "plural" else ())
    extra = (f", predicts {before.letter} -> {after.letter} after PIG" if spec.task == "pig"
             else f", held-out acc {heldout_acc:.4f} ({len(errors)} wrong; by ending "
                  + ", ".join(f"{g} {r}/{n}" for g, n, r in result.heldout_by_ending) + ")")
    log(f"{spec.run_id}: done in {wall_s:.2f} s, final loss {final_loss:.6g}, train acc {train_acc:.4f}{extra}")
    return result


# --------------------------------------------------------------------------- one JSON file per run


def _pig_doc(p: PigPrediction | None):
    if p is None:
        return None
    return {"letter": p.letter, "column": [float(v) for v in p.column[:, 0]]}


def write_run(result: RunResult, path) -> None:
    """Store ``result`` as JSON at ``path`` (atomically, :func:`rnncore.io.write_atomic`).

    Floats are written by ``repr`` (json's way), which reads back to the same bits; NaN is written
    ``NaN`` (JSON's common extension, as in :mod:`rnncore.io`). Keys are sorted, so the same
    result gives the same bytes.
    """
    doc = {
        "format": RUN_FORMAT,
        "run_id": result.run_id,
        "spec": asdict(result.spec),
        "losses": [float(v) for v in result.losses],
        "final_loss": float(result.final_loss),
        "train_acc": float(result.train_acc),
        "heldout_acc": float(result.heldout_acc),
        "wall_s": float(result.wall_s),
        "errors": [list(e) for e in result.errors],
        "heldout_by_ending": [[g, int(n), int(r)] for g, n, r in result.heldout_by_ending],
        "before": _pig_doc(result.before),
        "after": _pig_doc(result.after),
    }
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=True, allow_nan=True) + "\n")


def read_run(path) -> RunResult:
    """Read a file written by :func:`write_run`; :class:`rnncore.io.ArtifactError` (a
    ValueError) naming the file and the problem if it is missing, truncated or damaged."""
    path = Path(path)

    def fail(problem):
        raise ArtifactError(f"{path}: {problem}. Delete the file and rerun the workflow to regenerate it.")

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read training run: {exc.strerror}") from None
    except UnicodeDecodeError:
        fail("training run is not UTF-8 text")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"line {exc.lineno}: training run is not valid JSON ({exc.msg}); the file is truncated or damaged")
    if isinstance(doc, dict) and isinstance(doc.get("format"), str) \
            and doc["format"].startswith("rnncore-training-run/") and doc["format"] != RUN_FORMAT:
        fail(f"training run of format {doc['format']!r}, this rnncore reads {RUN_FORMAT!r} "
             f"(it adds the held-out accuracy per ending)")
    if not isinstance(doc, dict) or doc.get("format") != RUN_FORMAT:
        fail(f"not an rnncore training run (expected format {RUN_FORMAT!r})")
    keys = {"format", "run_id", "spec", "losses", "final_loss", "train_acc", "heldout_acc", "wall_s", "errors",
            "heldout_by_ending", "before", "after"}
    if set(doc) != keys:
        missing, extra = sorted(keys - set(doc)), sorted(set(doc) - keys)
        fail(f"training run is damaged: missing keys {missing}, unexpected keys {extra}")
    spec_doc = doc["spec"]
    spec_keys = {f.name for f in fields(RunSpec)}
    if not isinstance(spec_doc, dict) or set(spec_doc) != spec_keys:
        fail(f"training run is damaged: 'spec' must be an object with keys {sorted(spec_keys)}")
    try:
        spec = RunSpec(**spec_doc)
    except ValueError as exc:
        fail(f"training run is damaged: {exc}")
    if doc["run_id"] != spec.run_id:
        fail(f"training run is damaged: run_id {doc['run_id']!r} does not match its spec ({spec.run_id})")
    for key in ("final_loss", "train_acc", "heldout_acc", "wall_s"):
        if not _is_number(doc[key]):
            fail(f"training run is damaged: {key!r} must be a number, got {doc[key]!r}")
    losses = doc["losses"]
    if not isinstance(losses, list) or not all(_is_number(v) for v in losses):
        fail("training run is damaged: 'losses' must be a list of numbers")
    if len(losses) != spec.epochs:
        fail(f"training run is damaged: {len(losses)} losses for {spec.epochs} epochs")
    errors = doc["errors"]
    if not isinstance(errors, list) or not all(
            isinstance(e, list) and len(e) == 3 and all(isinstance(s, str) for s in e) for e in errors):
        fail("training run is damaged: 'errors' must be a list of [stem, true suffix, predicted suffix]")
    by_ending = doc["heldout_by_ending"]
    if not isinstance(by_ending, list) or not all(
            isinstance(e, list) and len(e) == 3 and e[0] in ENDING_GROUPS and _is_int(e[1]) and _is_int(e[2])
            and 0 <= e[2] <= e[1] and e[1] >= 1 for e in by_ending):
        fail("training run is damaged: 'heldout_by_ending' must be a list of [ending group, held-out stems >= 1, "
             "right (0..stems)]")
    groups = [e[0] for e in by_ending]
    if groups != [g for g in ENDING_GROUPS if g in groups]:
        fail(f"training run is damaged: 'heldout_by_ending' groups {groups} repeat or are out of order")
    if spec.task == "pig" and by_ending:
        fail("training run is damaged: 'heldout_by_ending' must be empty for task pig")
    if spec.task == "plural" and sum(n - r for _, n, r in by_ending) != len(errors):
        fail(f"training run is damaged: 'heldout_by_ending' counts {sum(n - r for _, n, r in by_ending)} wrong "
             f"held-out stems, 'errors' lists {len(errors)}")
    pig = {}
    for key in ("before", "after"):
        p = doc[key]
        if spec.task != "pig":
            if p is not None:
                fail(f"training run is damaged: {key!r} must be null for task {spec.task}")
            pig[key] = None
            continue
        if (not isinstance(p, dict) or set(p) != {"letter", "column"} or p["letter"] not in PIG_ALPHABET
                or not isinstance(p["column"], list) or len(p["column"]) != len(PIG_ALPHABET)
                or not all(_is_number(v) for v in p["column"])):
            fail(f"training run is damaged: {key!r} must be {{'letter': one of P, I, G, S, 'column': 4 numbers}}")
        pig[key] = PigPrediction(p["letter"], np.array(p["column"], dtype=np.float64).reshape(4, 1))
    return RunResult(spec=spec, losses=_readonly(losses), final_loss=float(doc["final_loss"]),
                     train_acc=float(doc["train_acc"]), heldout_acc=float(doc["heldout_acc"]),
                     wall_s=float(doc["wall_s"]), errors=tuple(tuple(e) for e in errors),
                     heldout_by_ending=tuple(tuple(e) for e in by_ending), **pig)


# --------------------------------------------------------------------------- CSV reports

METRICS_COLUMNS = ["task", "model", "hidden", "seed", "epochs", "final_loss", "train_acc", "heldout_acc", "wall_s"]
SUMMARY_COLUMNS = ["task", "model", "hidden", "n_seeds",
                   "final_loss_mean", "final_loss_std", "train_acc_mean", "train_acc_std",
                   "heldout_acc_mean", "heldout_acc_std", "wall_s_mean"]
PIG_COLUMNS = ["model", "seed", "prediction_before", "prediction_after"] + [
    f"p_{letter}_{when}" for when in ("before", "after") for letter in PIG_ALPHABET]
HELDOUT_BY_ENDING_COLUMNS = ["task", "model", "hidden", "ending", "n_heldout", "n_seeds",
                             "acc_mean", "acc_std", "acc_min", "acc_max", "n_wrong"]


def _sort_key(r: RunResult):
    s = r.spec
    return (s.task, s.model, s.hidden, s.seed)


def _sorted_unique(results) -> list[RunResult]:
    results = sorted(results, key=_sort_key)
    for a, b in zip(results, results[1:]):
        if a.run_id == b.run_id:
            raise ValueError(f"run {a.run_id} appears twice among the results")
    return results


def metrics_rows(results) -> list[dict]:
    """One row per run, :data:`METRICS_COLUMNS`, sorted by (task, model, hidden, seed).

    Integers stay ``int``; floats are text by :func:`rnncore.engine.parity.format_float` (``%.17g``, which
    reads back to the same double; ``NaN`` for pig's held-out accuracy).
    """
    rows = []
    for r in _sorted_unique(results):
        s = r.spec
        rows.append({"task": s.task, "model": s.model, "hidden": s.hidden, "seed": s.seed, "epochs": s.epochs,
                     "final_loss": format_float(r.final_loss), "train_acc": format_float(r.train_acc),
                     "heldout_acc": format_float(r.heldout_acc), "wall_s": format_float(r.wall_s)})
    return rows


def _seed_groups(results) -> dict:
    """``{(task, model, hidden): [runs by seed]}``; ValueError if the runs of a group differ in more
    than their seed (a summary over seeds would mix different trainings)."""
    groups: dict[tuple, list[RunResult]] = {}
    for r in _sorted_unique(results):
        groups.setdefault(_sort_key(r)[:3], []).append(r)
    for runs in groups.values():
        first = runs[0].spec
        for r in runs[1:]:
            if asdict(r.spec) | {"seed": 0} != asdict(first) | {"seed": 0}:
                raise ValueError(f"runs {first.run_id} and {r.run_id} differ in more than their seed; "
                                 f"a summary over seeds would mix different trainings")
    return groups


def summary_rows(results) -> list[dict]:
    """One row per (task, model, hidden), :data:`SUMMARY_COLUMNS`, sorted by those three.

    ``n_seeds`` runs are summarised by the mean and the standard deviation over seeds of
    ``final_loss``, ``train_acc`` and ``heldout_acc``, and by the mean ``wall_s``. The standard
    deviation is the population one (ddof = 0): it describes the spread of exactly the seeds that
    were run rather than estimating that of all possible seeds, and it is defined (0) for a single
    seed, where ddof = 1 would give NaN. For the sample estimate multiply by sqrt(n/(n - 1)).
    A NaN (pig's held-out accuracy) gives NaN mean and std. The runs of a group must differ only in
    their seed (same epochs, optimiser, lr, clip, weight decay), else ValueError.
    """
    rows = []
    for (task, model, hidden), runs in _seed_groups(results).items():
        row = {"task": task, "model": model, "hidden": hidden, "n_seeds": len(runs)}
        for name in ("final_loss", "train_acc", "heldout_acc"):
            v = np.array([getattr(r, name) for r in runs], dtype=np.float64)
            row[f"{name}_mean"] = format_float(np.mean(v))
            row[f"{name}_std"] = format_float(np.std(v, ddof=0))
        row["wall_s_mean"] = format_float(np.mean([r.wall_s for r in runs]))
        rows.append(row)
    return rows


def pig_rows(results) -> list[dict]:
    """One row per pig run, :data:`PIG_COLUMNS`, sorted by (model, seed): the letter predicted after
    P, I, G before and after training, and the softmax column p_P, p_I, p_G, p_S of each (text by
    :func:`rnncore.engine.parity.format_float`). Results of other tasks are skipped. (The seed does not
    change a pig run, which starts from rnn2.m's weights; it is there so rows are never ambiguous.)
    """
    rows = []
    for r in _sorted_unique(results):
        if r.spec.task != "pig":
            continue
        if r.before is None or r.after is None:
            raise ValueError(f"pig run {r.run_id} has no before/after prediction")
        row = {"model": r.spec.model, "seed": r.spec.seed,
               "prediction_before": r.before.letter, "prediction_after": r.after.letter}
        for when, p in (("before", r.before), ("after", r.after)):
            for k, letter in enumerate(PIG_ALPHABET):
                row[f"p_{letter}_{when}"] = format_float(p.column[k, 0])
        rows.append(row)
    return rows


def heldout_by_ending_rows(results) -> list[dict]:
    """One row per (task, model, hidden, ending group), :data:`HELDOUT_BY_ENDING_COLUMNS`, for the
    plural runs: sorted by (task, model, hidden), then the groups in
    :data:`~rnncore.course.tasks.ENDING_GROUPS` order.

    ``n_heldout`` is the number of held-out stems of that ending (the same in every seed, else
    ValueError: the runs saw different noun lists); ``acc_mean`` and ``acc_std`` (population,
    ddof = 0, as in :func:`summary_rows`), ``acc_min`` and ``acc_max`` are over the ``n_seeds``
    seeds of each seed's fraction right; ``n_wrong`` is the number of wrong predictions summed over
    the seeds. Floats are text by :func:`rnncore.engine.parity.format_float`.
    """
    rows = []
    for (task, model, hidden), runs in _seed_groups(r for r in results if r.spec.task == "plural").items():
        counts = {}
        for r in runs:
            if not r.heldout_by_ending:
                raise ValueError(f"plural run {r.run_id} has no held-out accuracy per ending")
            for g, n, right in r.heldout_by_ending:
                counts.setdefault(g, []).append((r, n, right))
        for g in (g for g in ENDING_GROUPS if g in counts):
            per_seed = counts[g]
            sizes = {n for _, n, _ in per_seed}
            if len(per_seed) != len(runs) or len(sizes) != 1:
                raise ValueError(f"runs of {task}-{model}-h{hidden} hold out different numbers of {g} stems "
                                 f"({', '.join(f'{r.run_id}: {n}' for r, n, _ in per_seed)}); they were trained "
                                 f"on different noun lists")
            acc = np.array([right / n for _, n, right in per_seed], dtype=np.float64)
            rows.append({"task": task, "model": model, "hidden": hidden, "ending": g, "n_heldout": sizes.pop(),
                         "n_seeds": len(runs), "acc_mean": format_float(np.mean(acc)),
                         "acc_std": format_float(np.std(acc, ddof=0)), "acc_min": format_float(np.min(acc)),
                         "acc_max": format_float(np.max(acc)), "n_wrong": sum(n - right for _, n, right in per_seed)})
    return rows
