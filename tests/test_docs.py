"""The documentation: the MkDocs site builds with --strict, and the README stays a short entry point.

`mkdocs build --strict` fails on a link to a missing page or heading (mkdocs.yml's `validation:`), so a
page renamed or a heading reworded without its links fails here.
"""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# The two commands .ci/run and the CI workflow run, word for word.
MAIN_COMMAND = "bash .ci/setup && snakemake all"
TEST_COMMAND = "bash .ci/setup && python3 -m pytest"


def nav_pages() -> list[str]:
    """The Markdown files mkdocs.yml's nav lists, in order."""
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    return [page for entry in nav for page in entry.values()]


def test_the_site_builds_strictly(tmp_path):
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                          "-d", str(site)], cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for page in nav_pages():
        built = site / ("index.html" if page == "index.md" else f"{page.removesuffix('.md')}/index.html")
        assert built.is_file(), f"{page} was not built"
    # The module map is a table in the built page, not Markdown left as text.
    architecture = (site / "architecture" / "index.html").read_text(encoding="utf-8")
    assert "<td><code>rnncore/engine/parity.py</code></td>" in architecture


def test_every_page_is_in_the_nav():
    assert sorted(nav_pages()) == sorted(p.name for p in DOCS.glob("*.md"))


def test_the_readme_is_short_and_keeps_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 250
    assert MAIN_COMMAND in text and TEST_COMMAND in text
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci_run and "snakemake all" in ci_run


def test_the_readme_links_only_to_pages_that_exist():
    links = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", README.read_text(encoding="utf-8"))
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_no_change_history_in_prose():
    # The documentation states what is, in the present tense; history lives in git.
    history = re.compile(r"before this work|main before|\bwas \d|\bbefore:", re.IGNORECASE)
    offences = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                for path in [README, ROOT / "benchmarks" / "README.md", ROOT / "results" / "README.md",
                             *sorted(DOCS.glob("*.md"))]
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if history.search(line)]
    assert offences == []
