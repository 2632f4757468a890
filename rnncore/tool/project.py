"""A course folder (one made by ``rnncore init``, or this repository): where its configuration is, and the
defaults it sets for every run of a ``.m`` file (tolerance, shim folders, Octave timeout).

The workflow reads the whole configuration (:func:`rnncore.pipeline.settings.load_settings`); ``rnncore add`` and the
pytest helper (:mod:`rnncore.tool.testing`) need only these defaults, and must not fail because some other
case of the configuration is broken, so :func:`defaults` checks just the keys it reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from rnncore import resources
from rnncore.config import DEFAULT_CONFIG, read_config_file
from rnncore.engine.octave import OCTAVE_TIMEOUT_S
from rnncore.errors import ConfigError

__all__ = ["DEFAULT_ULP", "DEFAULT_ATOL", "DEFAULT_TIMEOUT", "Defaults", "config_file", "find_project", "defaults",
           "no_config_message", "settings"]

# The tolerance `rnncore init` writes (and rnncore's own config/config.yaml uses): see the comments there.
DEFAULT_ULP = 16
DEFAULT_ATOL = 8.8817841970012523e-16  # 4 * 2**-52
DEFAULT_TIMEOUT = OCTAVE_TIMEOUT_S


@dataclass(frozen=True)
class Defaults:
    """What a course folder sets for every comparison."""

    ulp: int
    atol: float
    timeout: float  # seconds a .m file may run in Octave
    shim_dirs: tuple[Path, ...]  # the course's shim folders, then rnncore's own (always)
    config: Path | None  # the configuration they come from; None: rnncore's defaults


def config_file(folder) -> Path | None:
    """The configuration of ``folder`` (``config/config.yaml``, else ``config.yaml``), or None."""
    for rel in DEFAULT_CONFIG:
        path = Path(folder) / rel
        if path.is_file():
            return path
    return None


def find_project(start) -> Path | None:
    """The nearest folder at or above ``start`` that has a configuration, or None."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if config_file(folder) is not None:
            return folder
    return None


def no_config_message(folder) -> str:
    return (f"no configuration in {Path(folder).resolve()}: expected {' or '.join(DEFAULT_CONFIG)}; run this in a "
            f"course folder (`rnncore init DIR` makes one)")


def settings(project):
    """The whole configuration of the course folder ``project``, checked
    (:func:`rnncore.pipeline.settings.load_settings`).

    Raises :class:`ConfigError` (one sentence naming the file) when there is none or it is invalid.
    """
    from rnncore.pipeline.settings import load_settings

    project = Path(project)
    source = config_file(project)
    if source is None:
        raise ConfigError(no_config_message(project))
    return load_settings(read_config_file(source), project, source.relative_to(project).as_posix())


def defaults(project) -> Defaults:
    """The defaults of the course folder ``project`` (rnncore's own when it has no configuration).

    Raises :class:`ConfigError` naming the file and key when one of the keys read is invalid.
    """
    project = Path(project)
    builtin = resources.compat_dir()
    path = config_file(project)
    if path is None:
        return Defaults(DEFAULT_ULP, DEFAULT_ATOL, DEFAULT_TIMEOUT, (builtin,), None)
    raw = read_config_file(path)
    tol = raw.get("tolerance") or {}
    ulp, atol = tol.get("ulp", DEFAULT_ULP), tol.get("atol", DEFAULT_ATOL)
    if isinstance(ulp, bool) or not isinstance(ulp, int) or ulp < 0:
        raise ConfigError(f"{path}: tolerance.ulp: must be an integer >= 0, got {ulp!r}")
    if isinstance(atol, bool) or not isinstance(atol, (int, float)) or not math.isfinite(atol) or atol < 0:
        raise ConfigError(f"{path}: tolerance.atol: must be a finite number >= 0, got {atol!r}")
    timeout = (raw.get("octave") or {}).get("timeout_s", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 86400:
        raise ConfigError(f"{path}: octave.timeout_s: must be a number of seconds in (0, 86400], got {timeout!r}")
    shims = raw.get("shims") or []
    if not isinstance(shims, list):
        raise ConfigError(f"{path}: shims: must be a list of folders, got {shims!r}")
    dirs = []
    for rel in shims:
        folder = (project / str(rel)).resolve()
        if not folder.is_relative_to(project.resolve()) or not folder.is_dir():
            raise ConfigError(f"{path}: shims: {rel!r} is not a folder inside {project}")
        dirs.append(folder)
    if builtin.resolve() not in dirs:
        dirs.append(builtin)
    return Defaults(int(ulp), float(atol), float(timeout), tuple(dirs), path)
