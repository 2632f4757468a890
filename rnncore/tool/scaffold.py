"""``rnncore init DIR``: a new course folder, from the template shipped in ``rnncore/tool/templates/course/``.

The folder holds only what is the course's own: ``config.yaml`` (commented, with one case),
``matlab_ref/example_rnn.m`` and its port ``ports/example_rnn.py`` (they pass at once), a pytest
test of the same pair through the ``matlab_parity`` fixture, ``pytest.ini``, a ``.gitignore`` and a
GitHub Actions workflow. The workflow, its profile and the shims stay inside the installed package
(:mod:`rnncore.resources`), so upgrading rnncore upgrades them.

Template files whose first path component starts with ``dot-`` are written with a leading dot
(``dot-gitignore`` -> ``.gitignore``): a wheel's package data does not reliably carry hidden files.
The CI workflow installs rnncore from where the rnncore writing the folder came from (:func:`rnncore_source`:
the installed distribution's own record, PEP 610's ``direct_url.json``), or from what the lecturer names
(``rnncore init --rnncore-spec SPEC``); a comment in the file says which and why. ``@RNNCORE_SPEC@`` is
replaced by that pip argument (a YAML string), ``@RNNCORE_SPEC_WHY@`` by the comment, ``@RNNCORE_VERSION@``
by rnncore's version.
"""

from __future__ import annotations

import importlib.metadata
import json
import textwrap
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from rnncore import __version__
from rnncore.errors import RnncoreError
from rnncore.io import write_atomic

__all__ = ["ScaffoldError", "TEMPLATE", "course_files", "init_course", "rnncore_source"]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "course"
_SKIP = {"__pycache__"}


class ScaffoldError(RnncoreError):
    """The folder cannot be made (it already holds one of the files, or cannot be written)."""


def _target(rel: Path) -> str:
    first, *rest = rel.parts
    if first.startswith("dot-"):
        first = "." + first[len("dot-"):]
    return Path(first, *rest).as_posix()


_NOT_ON_A_RUNNER = ("a CI runner has no such {what}: give `rnncore init --rnncore-spec SPEC` something it can "
                    "reach (a git URL with a commit, a wheel's URL, a version on a package index)")


def rnncore_source(spec: str | None = None) -> tuple[str, str]:
    """What the course's CI gives ``pip install`` to get rnncore, and why (one sentence for the comment).

    ``spec`` (the lecturer's ``--rnncore-spec``) wins. Otherwise the running rnncore's distribution record
    says where it was installed from (PEP 610 ``direct_url.json``): a git URL and commit, a wheel or archive
    URL, a local folder (also an editable install); with no such record it came from a package index, and
    the CI asks the index for the same version.
    """
    if spec is not None:
        if not spec.strip() or spec != spec.strip() or not spec.isprintable() or spec.startswith("-"):
            raise ScaffoldError(f"--rnncore-spec {spec!r}: give one pip requirement, URL or path (printable, "
                                f"without surrounding spaces, not an option starting with '-')")
        return spec, "named by `rnncore init --rnncore-spec` (the lecturer's choice)"
    # An installer's record (a dist-info with INSTALLER), not the egg-info an editable build leaves in the
    # source tree, which comes first on sys.path when running from there.
    installed = [d for d in importlib.metadata.distributions(name="rnncore") if d.read_text("INSTALLER")]
    if not installed:
        return (f"rnncore=={__version__}", "the package index, at the version of the rnncore that wrote this "
                "folder (it was not installed, so it has no record of where it came from)")
    dist = installed[0]
    if dist.version != __version__:  # another rnncore installed than the one running (a source tree on the path)
        return (f"rnncore=={__version__}", f"the package index, at the version of the rnncore that wrote this "
                f"folder (it ran from a source tree; the installed rnncore is {dist.version})")
    record = dist.read_text("direct_url.json")
    if not record:  # pip writes direct_url.json for every install but one from an index
        return (f"rnncore=={__version__}", "the package index the rnncore that wrote this folder was installed from, "
                "at its version")
    try:
        direct = json.loads(record)
        url = str(direct["url"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ScaffoldError(f"{dist.locate_file('')}: rnncore's direct_url.json cannot be read ({exc}); name where "
                            f"the course's CI gets rnncore with `rnncore init --rnncore-spec SPEC`") from None
    local = url.startswith("file:")
    path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path) if local else ""
    if "vcs_info" in direct:
        vcs = direct["vcs_info"]
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        target = f"{vcs.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else "")
        if direct.get("subdirectory"):
            target += f"#subdirectory={direct['subdirectory']}"
        why = f"the {vcs.get('vcs', 'git')} repository and commit the rnncore that wrote this folder was installed " \
              f"from"
        return f"rnncore @ {target}", why + (f"; {_NOT_ON_A_RUNNER.format(what='repository')}" if local else "")
    if "dir_info" in direct:
        how = "installed editable" if direct["dir_info"].get("editable") else "installed"
        if not local:
            return f"rnncore @ {url}", f"the folder the rnncore that wrote this folder was {how} from"
        return path, (f"the local folder the rnncore that wrote this folder was {how} from; "
                      f"{_NOT_ON_A_RUNNER.format(what='folder')}")
    why = "the wheel or archive the rnncore that wrote this folder was installed from"
    if local:
        return path, f"{why}; {_NOT_ON_A_RUNNER.format(what='file')}"
    sha256 = (direct.get("archive_info") or {}).get("hashes", {}).get("sha256")
    return f"rnncore @ {url}" + (f"#sha256={sha256}" if sha256 and "#" not in url else ""), why  # pip checks it


def course_files(rnncore_spec: str | None = None) -> dict[str, str]:
    """Every file of a new course folder: its path in the folder (POSIX) -> its text, in path order.

    ``rnncore_spec``: what the CI workflow installs rnncore from (see :func:`rnncore_source`).
    """
    if not TEMPLATE.is_dir():
        raise ScaffoldError(f"{TEMPLATE}: rnncore's course template is missing; reinstall rnncore")
    spec, why = rnncore_source(rnncore_spec)
    # The spec reaches the workflow as a YAML string in an environment variable, never as shell text.
    fill = {"@RNNCORE_VERSION@": __version__, "@RNNCORE_SPEC@": yaml.safe_dump(spec, default_style='"',
                                                                              width=10**6).strip(),
            "@RNNCORE_SPEC_WHY@": why}
    out = {}
    for path in sorted(TEMPLATE.rglob("*")):
        rel = path.relative_to(TEMPLATE)
        if path.is_dir() or _SKIP.intersection(rel.parts) or path.suffix == ".pyc":
            continue
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            for key, value in fill.items():
                if key in line and key == "@RNNCORE_SPEC_WHY@":  # in a comment: wrapped, indented as it is
                    indent = line[:len(line) - len(line.lstrip())] + "# "
                    line = textwrap.fill(line.replace(key, value).rstrip("\n"), width=110, subsequent_indent=indent,
                                         break_on_hyphens=False, break_long_words=False) + "\n"
                line = line.replace(key, value)
            lines.append(line)
        out[_target(rel)] = "".join(lines)
    return dict(sorted(out.items()))


def init_course(folder, rnncore_spec: str | None = None) -> list[Path]:
    """Write a new course folder at ``folder`` (created if needed) and return the files written.

    Nothing is written when any of the files already exists there: :class:`ScaffoldError` names them.
    ``rnncore_spec``: what the CI workflow installs rnncore from (see :func:`rnncore_source`).
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder}: exists and is not a folder")
    files = course_files(rnncore_spec)
    present = [rel for rel in files if (folder / rel).exists()]
    if present:
        raise ScaffoldError(f"{folder}: already holds {', '.join(present)}; rnncore init writes a new course folder "
                            f"and changes no existing file (choose an empty or new folder)")
    written = []
    for rel, text in files.items():
        write_atomic(folder / rel, text)
        written.append(folder / rel)
    return written
