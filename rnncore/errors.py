"""The errors a person sees, and how a workflow step reports them.

Every expected failure (a bad configuration, Octave missing, a damaged intermediate file, a failed
parity gate) raises a subclass of :class:`RnncoreError` whose message is one sentence for a person:
it names the file, line, key or case. :func:`run_step` runs a step for a Snakemake rule: lines go to
the rule's log, an expected error is logged and raised again without a traceback in the log, and
anything else is logged with its traceback (a bug in rnncore, to be reported as one).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Callable

__all__ = ["RnncoreError", "ConfigError", "ArtifactError", "PortError", "ParityGateError", "run_step", "script_step"]


class RnncoreError(Exception):
    """An expected failure; the message is meant for a person and names what to fix."""


class ConfigError(RnncoreError, ValueError):
    """The configuration is invalid; the message names the case or key and what is wrong."""


class ArtifactError(RnncoreError, ValueError):
    """An intermediate file is missing, truncated or not what the next step expects."""


class PortError(RnncoreError, ValueError):
    """The Python side of a case returned something that cannot be compared."""


class ParityGateError(RnncoreError):
    """At least one comparison did not pass; the message names every such row."""


def run_step(step: Callable, log_path, **kwargs):
    """Run ``step(log=..., **kwargs)`` for a Snakemake rule and return what it returns.

    The log (``log_path``, created with its folders) keeps every line the step reports. An
    :class:`RnncoreError` is written to the log and to stderr as ``rnncore: <message>`` and raised
    again, so that Snakemake fails the job with that sentence; any other exception is logged with
    its traceback and raised unchanged.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as fh:
        def log(line: str) -> None:
            fh.write(line + "\n")
            fh.flush()

        try:
            return step(log=log, **kwargs)
        except RnncoreError as exc:
            log(f"[rnncore] ERROR: {exc}")
            print(f"rnncore: {exc}", file=sys.stderr)
            # Raised afresh, so that Snakemake shows the sentence, not a trail through rnncore's modules.
            raise type(exc)(str(exc)) from None
        except Exception:
            log(traceback.format_exc())
            raise


def script_step(step: Callable, log_path, **kwargs):
    """:func:`run_step` for a rule's ``script:`` (a process of its own): an expected error exits 1
    after its one sentence, without a Python traceback."""
    try:
        return run_step(step, log_path, **kwargs)
    except RnncoreError:
        sys.exit(1)
