"""The whole configuration, checked: :func:`rnncore.config.load_settings` (the floor: schema, cases, files,
ports) and what only the layers above the floor can check.

* :func:`load_settings`: the training grid expanded into runs by the studies' own rules
  (:func:`rnncore.studies.training.expand_grid`) and the long-lag study's hyper-parameters checked by
  its own class (:class:`rnncore.studies.longlag.LagSpec`), so that a typo stops the run before any job
  starts, in one sentence naming the key. The workflow and the ``rnncore`` commands load the
  configuration here.
* :func:`check_scripts`: what reading each case's ``.m`` file tells (MISS_HIT, through the engine's
  pre-flight): kind, signature, draws; ``rnncore check`` runs it, a workflow run does not (it would
  parse every ``.m`` file on every run).

Here, in the pipeline, because the configuration is the floor every layer stands on: it cannot import
the studies or the engine whose rules these are.
"""

from __future__ import annotations

import dataclasses

from rnncore import config as rconfig
from rnncore.errors import ConfigError

__all__ = ["load_settings", "check_scripts"]


def load_settings(config: dict, root=".", source: str = "config.yaml", *, schema: bool = True,
                  cached=None) -> rconfig.Settings:
    """:func:`rnncore.config.load_settings`, with :attr:`~rnncore.config.Settings.training` filled (one
    :class:`~rnncore.studies.training.RunSpec` per run, in grid order) and the study's hyper-parameters
    checked. Any problem is one :class:`ConfigError` sentence naming the file and the key. ``cached``: as
    for :func:`rnncore.config.load_settings` (the workflow passes its scan cache)."""
    settings = rconfig.load_settings(config, root, source, schema=schema,
                                     **({"cached": cached} if cached is not None else {}))
    _check_study(settings.study, source)
    return dataclasses.replace(settings, training=_training(settings.training_blocks, source))


def _training(blocks, source: str) -> tuple:
    if not blocks:
        return ()
    from rnncore.studies.training import expand_grid  # only configurations with training pay for it

    try:
        return tuple(expand_grid(list(blocks)))
    except ValueError as exc:
        raise ConfigError(f"{source}: training: {exc}") from None


def _check_study(study: rconfig.Study, source: str) -> None:
    if not (study.lag_jobs or study.vanishing):
        return
    from rnncore.studies.longlag import LagSpec  # the study's own checks of its hyper-parameters

    for model in study.longlag_models or ("lstm",):
        try:
            LagSpec(model=model, lag=max(study.longlag_lags or (1,)), seed=0, **study.hyper)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{source}: study.longlag.hyper: {exc}") from None


def check_scripts(settings: rconfig.Settings) -> list[str]:
    """What only reading each ``.m`` file can tell (MISS_HIT): kind, signature, draws; one line per problem."""
    from rnncore.engine.preflight import scan_m_file, script_problems

    problems = []
    for case in settings.cases:
        scan = scan_m_file(settings.root / case.script)
        where = f"{settings.source}: case {case.name!r}"
        problems += [f"{where}: {p}" for p in script_problems(case.script, case.inputs, case.inputs_from,
                                                                 case.variables, case.draws, scan,
                                                                 leading=case.captured is not None)]
    return problems
