"""Where rnncore's own files are: the Snakemake workflow, its schema and profiles, the MATLAB shims
and the course's ``.m`` files.

In a source checkout (or an editable install) they live at the repository root, beside the package:
``workflow/``, ``profiles/``, ``matlab_ref/``. A built wheel carries copies of the same folders inside
the package (``rnncore/_workflow``, ``rnncore/_profiles``, ``rnncore/_matlab``; see ``pyproject.toml``),
so an installed rnncore needs no checkout. Each function returns the packaged copy when there is one,
else the checkout's folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["workflow_dir", "snakefile", "schema_path", "profile_dir", "matlab_dir", "compat_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _shipped(packaged: str, checkout: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


def workflow_dir() -> Path:
    """The Snakemake workflow: ``Snakefile``, ``rules/``, ``scripts/``, ``schemas/``."""
    return _shipped("_workflow", "workflow")


def snakefile() -> Path:
    return workflow_dir() / "Snakefile"


def schema_path() -> Path:
    """JSON schema of ``config.yaml``."""
    return workflow_dir() / "schemas" / "config.schema.yaml"


def profile_dir(name: str = "default") -> Path:
    """A Snakemake profile shipped with rnncore (``default``: what a bare ``snakemake all`` uses)."""
    return _shipped("_profiles", "profiles") / name


def matlab_dir() -> Path:
    """The course's MATLAB files: ``rnn2.m``, the training references, ``compat/`` shims, slides' values."""
    return _shipped("_matlab", "matlab_ref")


def compat_dir() -> Path:
    """Shims for MATLAB toolbox functions GNU Octave lacks (``softmax``)."""
    return matlab_dir() / "compat"
