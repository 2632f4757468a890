"""The errors a person sees, and how a workflow step reports them.

Every expected failure (a bad configuration, Octave missing, a damaged intermediate file, a failed
parity gate) raises a subclass of :class:`RnncoreError` whose message is one sentence for a person:
it names the file, line, key or case. How a workflow step reports them is
:mod:`rnncore.pipeline.run`.
"""

from __future__ import annotations

__all__ = ["RnncoreError", "ConfigError", "ArtifactError", "PortError", "ParityGateError"]


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
