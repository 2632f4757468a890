"""The two wings stay apart, and the README names every module.

The parity engine (rnncore/engine) runs MATLAB and compares; the models (rnncore/models) are the
networks. Neither imports the other: the engine can audit any course, and the models run without
Octave. Read from the source (every import statement, at any depth), not by importing.
"""

import ast
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


def test_the_readme_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [str(p.relative_to(ROOT)) for p in sorted(PACKAGE.rglob("*.py"))
               if p.name != "__init__.py" and p.name not in readme]
    assert missing == []
