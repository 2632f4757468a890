"""How a workflow step runs for a Snakemake rule, and reports an expected error.

:func:`run_step` runs a step: lines go to the rule's log, an expected error
(:class:`rnncore.errors.RnncoreError`) is logged and raised again without a traceback in the log,
and anything else is logged with its traceback (a bug in rnncore, to be reported as one).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Callable

from rnncore.errors import RnncoreError

__all__ = ["run_step", "script_step"]


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
