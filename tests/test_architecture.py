"""The two wings stay apart, and the documentation's module map lists every module, by path.

The parity engine (rnncore/engine) runs MATLAB and compares; the models (rnncore/models) are the
networks. Neither imports the other: the engine can audit any course, and the models run without
Octave. Read from the source (every import statement, at any depth), not by importing.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnncore"


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def wing_imports(wing: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): imported_modules(p) for p in sorted((PACKAGE / wing).rglob("*.py"))}


@pytest.mark.parametrize(("wing", "forbidden"), [
    ("engine", ("rnncore.models", "rnncore.course", "rnncore.studies")),
    ("models", ("rnncore.engine", "rnncore.course", "rnncore.studies", "rnncore.reports")),
])
def test_the_wings_do_not_import_each_other(wing, forbidden):
    offences = [f"{path} imports {name}" for path, names in wing_imports(wing).items() for name in sorted(names)
                if name.startswith(forbidden)]
    assert offences == []


def test_the_wings_exist_and_hold_their_modules():
    assert {"octave.py", "preflight.py", "inputs.py", "reference.py", "parity.py", "summary.py"} <= {
        p.name for p in (PACKAGE / "engine").glob("*.py")}
    assert {"params.py", "elman.py", "lstm.py", "optim.py"} <= {p.name for p in (PACKAGE / "models").glob("*.py")}


MODULE_MAP = ROOT / "docs" / "architecture.md"
# A row of the map: `| rnncore/engine/parity.py | what it holds |` (the path may be in backticks).
MAP_ROW = re.compile(r"^\|\s*`?(rnncore/[^\s|`]+\.py)`?\s*\|\s*([^|]*?)\s*\|\s*$")


def module_map(text: str) -> list[tuple[str, str]]:
    """(path, description) of every row of the module map in the architecture page's text."""
    return [(m.group(1), m.group(2)) for line in text.splitlines() if (m := MAP_ROW.match(line))]


def package_modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}


def test_the_module_map_reads_rows_by_path():
    # The parser itself: a path is the whole first cell, with or without backticks; prose that
    # merely mentions a module, or a row of another table, is no entry.
    text = "\n".join([
        "| module | what it holds |",
        "| --- | --- |",
        "| rnncore/engine/parity.py | element-wise comparison |",
        "| `rnncore/io.py` | atomic writes |",
        "the map names rnncore/cli.py in prose",
        "| rnncore/engine/parity.py, rnncore/io.py | two in one cell |",
        "| `status` | see below |",
    ])
    assert module_map(text) == [("rnncore/engine/parity.py", "element-wise comparison"),
                                ("rnncore/io.py", "atomic writes")]


def test_the_module_map_lists_every_module_by_path():
    rows = module_map(MODULE_MAP.read_text(encoding="utf-8"))
    listed = [path for path, _ in rows]
    assert len(listed) == len(set(listed)), "a module listed twice"
    assert [path for path, what in rows if not what] == [], "a module without a description"
    modules = package_modules()
    assert sorted(modules - set(listed)) == [], "modules missing from the map in docs/architecture.md"
    assert sorted(set(listed) - modules) == [], "stale rows in docs/architecture.md: no such module"
