"""The package's layers: every import runs down (or within one room), never up or sideways.

From the bottom:

0. the floor: ``rnncore`` (its ``__init__``), ``config``, ``io``, ``errors``, ``layout``, ``resources``,
   ``pysource``, ``literals``: shared by everyone, importing nothing above them;
1. the two wings, ``engine`` (runs MATLAB, compares) and ``models`` (the networks): neither imports the
   other, so the engine can audit any course and the models run without Octave;
2. ``course``, ``studies``, ``translate``, ``reports``: each may use the wings and the floor, not each
   other (one exception below, with its reason);
3. ``pipeline``: the workflow's glue, may use everything below;
4. ``tool`` (the command line) and ``fuzz``: the top.

Read from the source (every import statement at any depth, function bodies included, relative ones
resolved), never by importing; modules are matched by their dotted name (their path), never by base
name. A private name (``_x``) imported from a module of another package is an offence too.

And the documentation's module map (docs/architecture.md) lists every module, by path.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnncore"
# Files a course folder gets from `rnncore init` (rnncore.tool.scaffold): data, not modules of rnncore.
NOT_MODULES = (PACKAGE / "tool" / "templates",)

FLOOR = ("rnncore", "rnncore.config", "rnncore.io", "rnncore.errors", "rnncore.layout", "rnncore.resources",
         "rnncore.pysource", "rnncore.literals")
LEVELS = {"floor": 0, "engine": 1, "models": 1, "course": 2, "studies": 2, "translate": 2, "reports": 2,
          "pipeline": 3, "tool": 4, "fuzz": 4}
# Sideways imports the layering allows, each for a stated reason.
ALLOWED = {
    # The studies train the course's own networks on the course's tasks (rnn2.m's weights, the pig and
    # plural data): the course is their subject matter, and nothing in the course needs the studies.
    ("studies", "course"),
    # The command line may offer the fuzzer as a command; the fuzzer never drives the command line.
    ("tool", "fuzz"),
}


def room(module: str) -> str | None:
    """The layer group a dotted module name belongs to: "floor", "engine", ..., None if it is in none."""
    if module in FLOOR:
        return "floor"
    if module == "rnncore.__main__":
        return "tool"  # `python -m rnncore` is the command line
    parts = module.split(".")
    return parts[1] if parts[0] == "rnncore" and len(parts) > 1 and parts[1] in LEVELS else None


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool) -> list[tuple[int, str, str | None]]:
    """``(line, module imported, name imported from it or None)`` for every import in ``source``, at any
    depth, relative imports resolved against ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            out += [(node.lineno, target, a.name) for a in node.names]
    return out


def offences(sources: dict[str, tuple[str, bool]], modules: set[str]) -> list[str]:
    """Every import the layering forbids. ``sources``: dotted module name -> (its source, is a package);
    ``modules``: every module of the package (to tell ``from pkg import submodule`` from a name)."""
    found = []
    for module, (source, is_package) in sorted(sources.items()):
        mine = room(module)
        if mine is None:
            found.append(f"{module}: is in no layer; place it (tests/test_architecture.py, FLOOR or LEVELS)")
            continue
        for line, target, name in imports(source, module, is_package):
            if not (target == "rnncore" or target.startswith("rnncore.")):
                continue
            full = f"{target}.{name}" if name and f"{target}.{name}" in modules else target
            theirs = room(full)
            where = f"{module}:{line} imports {full}" + (f" ({name})" if name and full == target else "")
            if theirs is None:
                found.append(f"{where}: {full} is in no layer")
            elif theirs != mine and LEVELS.get(theirs, 0) >= LEVELS.get(mine, 0) and (mine, theirs) not in ALLOWED:
                way = "up" if LEVELS.get(theirs, 0) > LEVELS.get(mine, 0) else "sideways"
                found.append(f"{where}: {mine} -> {theirs} runs {way}")
            if name and name.startswith("_") and full == target and not name.startswith("__") \
                    and _package(target, modules) != (module if is_package else module.rpartition(".")[0]):
                found.append(f"{where}: {name} is private to {target}")
    return found


def _package(module: str, modules: set[str]) -> str:
    """The package holding ``module``: itself when it is a package's ``__init__``."""
    return module if f"{module}.__init__" in modules else module.rpartition(".")[0]


def package_sources() -> tuple[dict[str, tuple[str, bool]], set[str]]:
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if not any(p.is_relative_to(d) for d in NOT_MODULES)]
    sources = {module_name(p): (p.read_text(encoding="utf-8"), p.name == "__init__.py") for p in files}
    modules = set(sources) | {f"{module_name(p)}.__init__" for p in files if p.name == "__init__.py"}
    return sources, modules


def test_every_import_runs_down_the_layers():
    sources, modules = package_sources()
    assert offences(sources, modules) == []


def test_every_room_exists():
    sources, _ = package_sources()
    rooms = {room(m) for m in sources}
    assert {"floor", "engine", "models", "course", "studies", "translate", "reports", "pipeline", "tool"} <= rooms


# --------------------------------------------------------------------------- the checker itself


def _check(files: dict[str, str]) -> list[str]:
    """The checker on a synthetic package: {dotted name (``pkg.__init__`` for a package): source}."""
    sources = {name.removesuffix(".__init__"): (text, name.endswith(".__init__")) for name, text in files.items()}
    return offences(sources, set(files) | {n.removesuffix(".__init__") for n in files})


def test_the_checker_sees_an_upward_import_inside_a_function_body():
    found = _check({"rnncore.config": "import yaml\n\ndef f():\n    from rnncore.studies.training import expand_grid\n",
                    "rnncore.studies.__init__": "", "rnncore.studies.training": ""})
    assert found == ["rnncore.config:4 imports rnncore.studies.training (expand_grid): floor -> studies runs up"]


def test_the_checker_resolves_relative_imports_and_sees_sideways_ones():
    found = _check({"rnncore.engine.__init__": "", "rnncore.engine.ports": "from ..pipeline import sources\n",
                    "rnncore.pipeline.__init__": "", "rnncore.pipeline.sources": "",
                    "rnncore.reports.__init__": "", "rnncore.reports.html": "from ..course.tasks import PIG\n",
                    "rnncore.course.__init__": "", "rnncore.course.tasks": "PIG = 1\n"})
    assert found == ["rnncore.engine.ports:1 imports rnncore.pipeline.sources: engine -> pipeline runs up",
                     "rnncore.reports.html:1 imports rnncore.course.tasks (PIG): reports -> course runs sideways"]


def test_the_checker_matches_modules_by_dotted_name_not_base_name():
    # Two modules named inputs.py: the engine may import its own, not the reports'.
    files = {"rnncore.engine.__init__": "", "rnncore.engine.inputs": "", "rnncore.reports.__init__": "",
             "rnncore.reports.inputs": "",
             "rnncore.engine.memory": "from rnncore.engine.inputs import x\nfrom rnncore.reports import inputs\n"}
    assert _check(files) == ["rnncore.engine.memory:2 imports rnncore.reports.inputs: engine -> reports runs up"]


def test_the_checker_refuses_a_private_name_from_another_package_and_an_unplaced_module():
    files = {"rnncore.engine.__init__": "", "rnncore.engine.preflight": "_SPELLING = {}\n",
             "rnncore.translate.__init__": "",
             "rnncore.translate.parse": "from rnncore.engine.preflight import _SPELLING\n",
             "rnncore.translate.runtime.__init__": "", "rnncore.translate.runtime.values": "_x = 1\n",
             "rnncore.translate.runtime.text": "from .values import _x\n",  # same package: allowed
             "rnncore.helpers": ""}
    assert _check(files) == [
        "rnncore.helpers: is in no layer; place it (tests/test_architecture.py, FLOOR or LEVELS)",
        "rnncore.translate.parse:1 imports rnncore.engine.preflight (_SPELLING): _SPELLING is private to "
        "rnncore.engine.preflight"]


def test_the_checker_allows_the_layering_and_its_stated_exceptions():
    files = {"rnncore.errors": "", "rnncore.io": "from rnncore.errors import ArtifactError\n",
             "rnncore.models.__init__": "", "rnncore.models.factory": "from rnncore import io\n",
             "rnncore.course.__init__": "", "rnncore.course.rnn2": "from rnncore.models.factory import f\n",
             "rnncore.studies.__init__": "", "rnncore.studies.training": "from rnncore.course.rnn2 import p\n",
             "rnncore.pipeline.__init__": "", "rnncore.pipeline.steps": "from rnncore.studies import training\n",
             "rnncore.tool.__init__": "", "rnncore.tool.cli": "from rnncore.pipeline import steps\nimport rnncore\n",
             "rnncore.__main__": "from rnncore.tool.cli import main\n"}
    assert _check(files) == []


@pytest.mark.parametrize("edge", sorted(ALLOWED))
def test_each_allowed_sideways_import_is_between_rooms_of_one_level(edge):
    assert LEVELS[edge[0]] == LEVELS[edge[1]]


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
