"""``rnncore init DIR``: a new course folder, from the template shipped in ``rnncore/tool/templates/course/``.

The folder holds only what is the course's own: ``config.yaml`` (commented, with one case),
``matlab_ref/example_rnn.m`` and its port ``ports/example_rnn.py`` (they pass at once), a pytest
test of the same pair through the ``matlab_parity`` fixture, ``pytest.ini``, a ``.gitignore`` and a
GitHub Actions workflow. The workflow, its profile and the shims stay inside the installed package
(:mod:`rnncore.resources`), so upgrading rnncore upgrades them.

Template files whose first path component starts with ``dot-`` are written with a leading dot
(``dot-gitignore`` -> ``.gitignore``): a wheel's package data does not reliably carry hidden files.
``@RNNCORE_VERSION@`` is replaced by the version of rnncore writing the folder, so its CI installs the
same one.
"""

from __future__ import annotations

from pathlib import Path

from rnncore import __version__
from rnncore.errors import RnncoreError
from rnncore.io import write_atomic

__all__ = ["ScaffoldError", "TEMPLATE", "course_files", "init_course"]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "course"
_SKIP = {"__pycache__"}


class ScaffoldError(RnncoreError):
    """The folder cannot be made (it already holds one of the files, or cannot be written)."""


def _target(rel: Path) -> str:
    first, *rest = rel.parts
    if first.startswith("dot-"):
        first = "." + first[len("dot-"):]
    return Path(first, *rest).as_posix()


def course_files() -> dict[str, str]:
    """Every file of a new course folder: its path in the folder (POSIX) -> its text, in path order."""
    if not TEMPLATE.is_dir():
        raise ScaffoldError(f"{TEMPLATE}: rnncore's course template is missing; reinstall rnncore")
    out = {}
    for path in sorted(TEMPLATE.rglob("*")):
        rel = path.relative_to(TEMPLATE)
        if path.is_dir() or _SKIP.intersection(rel.parts) or path.suffix == ".pyc":
            continue
        out[_target(rel)] = path.read_text(encoding="utf-8").replace("@RNNCORE_VERSION@", __version__)
    return dict(sorted(out.items()))


def init_course(folder) -> list[Path]:
    """Write a new course folder at ``folder`` (created if needed) and return the files written.

    Nothing is written when any of the files already exists there: :class:`ScaffoldError` names them.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder}: exists and is not a folder")
    files = course_files()
    present = [rel for rel in files if (folder / rel).exists()]
    if present:
        raise ScaffoldError(f"{folder}: already holds {', '.join(present)}; rnncore init writes a new course folder "
                            f"and changes no existing file (choose an empty or new folder)")
    written = []
    for rel, text in files.items():
        write_atomic(folder / rel, text)
        written.append(folder / rel)
    return written
