"""``rnncore add SCRIPT.m [--name NAME]``: a new parity case from a course script, in one command
(``rnncore add A.m B.m ...``: one case each, :func:`add_cases`, one line each).

1. **Pre-flight** (MISS_HIT, :func:`rnncore.engine.preflight.scan_m_file`): a file neither MATLAB's nor
   Octave's grammar accepts stops here; a function file or a classdef file is refused (a function
   file needs its inputs: write its case by hand, docs/porting.md, "Inputs").
2. **One run in Octave** (headless, unattended, under the configuration's timeout, with its shims and
   rnncore's), through the workflow's own Octave step: every variable the script leaves, with its MATLAB
   class and size (:func:`describe_script`).
3. **The port** ``ports/<name>.py`` (:func:`make_port`): the translation by :mod:`rnncore.translate` when
   the script is inside its subset (the parity run then verifies it), else a skeleton whose docstring
   lists each variable's class and size and whose body raises ``NotImplementedError`` naming them.
   Octave's values are never written into a port.
4. **The case**, appended to the configuration by editing its text (:func:`append_case`), so that the
   user's comments and layout stay; the edit is read back and must give exactly the old
   configuration plus the new case, else nothing is written.

Nothing is written before everything that can fail has been checked (a case or port of that name
already there, a configuration that does not read back); a port written is removed again if the
new case does not load.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from rnncore.errors import ConfigError, RnncoreError
from rnncore.io import write_atomic

__all__ = ["AddError", "Variable", "Described", "Port", "describe_script", "make_port", "case_entry", "entry_text",
           "append_case", "add_case", "add_cases", "PORTS"]

CASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # the schema's pattern of cases[].name
PORTS = "ports"  # the folder of the course's ports (a package: ports/<name>.py is ports.<name>)
_PORTS_INIT = '"""Python ports of the MATLAB scripts in matlab_ref/, one module per parity case."""\n'


class AddError(RnncoreError):
    """The script cannot be made a case as it is; the message says why and what to do."""


@dataclass(frozen=True)
class Variable:
    """One variable a script left in Octave's workspace."""

    name: str
    cls: str  # MATLAB class()
    size: tuple[int, ...]  # MATLAB size()

    @property
    def size_text(self) -> str:
        return "x".join(map(str, self.size))

    @property
    def compared(self) -> bool:
        from rnncore.engine.octave import NUMERIC_CLASSES

        return self.cls in NUMERIC_CLASSES or self.cls == "cell"

    @property
    def note(self) -> str:
        """Why the variable is not compared ("" when it is)."""
        if self.compared:
            return ""
        if self.cls == "struct":
            return f"a struct: name its fields in `variables` to compare them ({self.name}.field)"
        return f"a MATLAB {self.cls}: only numeric, logical and char arrays and cells of them are compared"


@dataclass(frozen=True)
class Described:
    """What one run of a script in Octave showed."""

    script: Path
    findings: tuple  # pre-flight findings (rnncore.engine.preflight.Finding)
    variables: tuple[Variable, ...]  # every variable it left, sorted by name
    seconds: float
    shims_used: tuple[str, ...]

    @property
    def compared(self) -> list[str]:
        return [v.name for v in self.variables if v.compared]


def describe_script(script, *, shim_dirs, timeout: float, log: Callable[[str], None] | None = None) -> Described:
    """Pre-flight ``script``, run it once in Octave, and return every variable it leaves.

    The run is the workflow's own (:func:`rnncore.pipeline.steps.octave_side`, which
    :func:`rnncore.tool.testing.parity` uses too), asking for no variable and assigning no input: a
    case's script runs in Octave one way only.
    Raises :class:`AddError` for a file that is not a script or does not parse, and the engine's
    :class:`rnncore.engine.octave.OctaveError` (file and line) when the run fails.
    """
    from rnncore.engine.preflight import scan_m_file
    from rnncore.pipeline.steps import octave_side

    script = Path(script)
    scan = scan_m_file(script)
    broken = [f for f in scan.findings if f.kind == "parse-error"]
    if broken:
        raise AddError(broken[0].message)
    if scan.kind == "function":
        raise AddError(f"{script} is a function file (function [{', '.join(scan.outputs)}] = {scan.function_name}"
                       f"({', '.join(scan.inputs)})); rnncore add runs scripts. A function file's case needs its "
                       f"inputs: write the entry by hand with `inputs:` (docs/porting.md, \"Inputs\")")
    if scan.kind == "class":
        raise AddError(f"{script} is a classdef file; rnncore add runs scripts")
    start = time.monotonic()
    result, _, _ = octave_side(script, scan, [], [{}], [], shims=shim_dirs, timeout=timeout,
                               log=log or (lambda line: None), record=False)
    seconds = time.monotonic() - start
    variables = tuple(Variable(name, cls, tuple(size)) for name, (cls, size) in result.described.items())
    return Described(script, tuple(result.findings), variables, seconds, tuple(result.shims_used))


# --------------------------------------------------------------------------- the port


@dataclass(frozen=True)
class Port:
    """The files of a new port (paths relative to the course folder) and the case's ``python:`` target."""

    files: dict[str, str]
    target: str  # module:function
    translated: bool
    reason: str = ""  # why it is a skeleton (the translator's sentence)

    @property
    def main(self) -> str:
        return next(iter(self.files))


def module_name(case: str) -> str:
    """A Python module name for a case name (letters, digits, ``_`` and ``-``)."""
    name = case.replace("-", "_")
    return name if name.isidentifier() and not keyword.iskeyword(name) else f"case_{name}"


def _public_function(source: str) -> str | None:
    names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    return names[0] if names else None


def make_port(script, case: str, described: Described, *, script_label: str | None = None) -> Port:
    """The port of ``script`` for case ``case``: its translation, or a skeleton (see the module docstring)."""
    from rnncore.translate import TranslationError, translate_file

    script = Path(script)
    label = script_label or script.as_posix()
    module = module_name(case)
    try:
        translation = translate_file(script)
    except TranslationError as exc:
        reason = str(exc)
    else:
        func = _public_function(translation.modules[translation.main])
        if module in translation.modules and module != translation.main:
            raise AddError(f"{label} calls {module}.m, whose translation would be ports/{module}.py, the port's own "
                           f"name; give the case another name with --name")
        if func is not None:
            files = {f"{PORTS}/{module}.py": translation.modules[translation.main]}
            files.update({f"{PORTS}/{m}.py": text for m, text in translation.modules.items() if m != translation.main})
            return Port(files, f"{PORTS}.{module}:{func}", True)
        reason = f"{label}: the translation defines no public function"  # not expected: a translator bug
    func = script.stem if script.stem.isidentifier() and not keyword.iskeyword(script.stem) else module
    return Port({f"{PORTS}/{module}.py": skeleton(label, func, described, reason)}, f"{PORTS}.{module}:{func}", False,
                reason)


def skeleton(label: str, func: str, described: Described, reason: str) -> str:
    """A port to write by hand: the variables to return in the docstring; calling it raises."""
    width = max([len(v.name) for v in described.variables] + [8])
    cls_width = max([len(v.cls) for v in described.variables] + [5])
    rows = [f"    {v.name:<{width}}  {v.cls:<{cls_width}}  {v.size_text}" + (f"  (not compared: {v.note})"
                                                                            if not v.compared else "")
            for v in described.variables]
    compared = [v for v in described.variables if v.compared]
    wanted = ", ".join(f"{v.name} ({v.cls} {v.size_text})" for v in compared)
    todo = f"port of {label}: return {wanted} as a mapping of names to values"
    why = textwrap.fill(f"`rnncore translate` could not translate it: {reason}", width=100,
                        break_long_words=False, break_on_hyphens=False)
    why = why.replace('"""', "'''").replace("\\", "/")  # nothing that would end the docstring
    return (
        f'"""Port of {label}: to be written by hand.\n\n'
        f"{why}\n\n"
        f"`rnncore add` ran the script once in Octave; it left these variables (MATLAB class and size):\n\n"
        f"    {'variable':<{width}}  {'class':<{cls_width}}  size\n"
        + "\n".join(rows) + "\n\n"
        "Return the compared ones as {name: value}, each as MATLAB holds it: a numpy array of that size\n"
        "(at least 2-D: a column is (n, 1)), float64 for double, bool for logical; a str for a 1xN char;\n"
        "a list for a cell. `rnncore run` then compares them with Octave's, element by element.\n"
        '"""\n\n'
        "import numpy as np\n\n\n"
        f"def {func}():\n"
        f"    raise NotImplementedError({json.dumps(todo)})\n"
    )


# --------------------------------------------------------------------------- the configuration


def case_entry(name: str, script: str, target: str, variables) -> dict:
    return {"name": name, "script": script, "python": target, "variables": list(variables)}


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back as itself, else double-quoted (JSON's escapes)."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text)


def entry_text(entry: dict, dash: int) -> list[str]:
    """The lines of ``entry`` as a block sequence item whose dash is in column ``dash``."""
    pad, inner = " " * dash, " " * (dash + 2)
    lines = [f"{pad}- name: {_scalar(entry['name'])}\n",
             f"{inner}script: {_scalar(entry['script'])}\n",
             f"{inner}python: {_scalar(entry['python'])}\n",
             f"{inner}variables: [{', '.join(_scalar(v) for v in entry['variables'])}]\n"]
    if "captured" in entry:  # a function file's draws, stored by `rnncore add <folder>`
        lines.append(f"{inner}captured: {_scalar(entry['captured'])}\n")
    return lines


def append_case(text: str, entry: dict, source: str = "config.yaml") -> str:
    """``text`` (a configuration) with ``entry`` appended to its ``cases:``, everything else unchanged.

    Works on the text, located by PyYAML's composer (positions only, no dump): the entry goes after
    the last case, including the comments indented under it. Raises :class:`ConfigError` when the
    configuration is not a mapping with a block (or empty) ``cases:`` list, or when the result does
    not read back as the old configuration plus the entry.
    """
    try:
        root = yaml.compose(text)
        old = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(root, yaml.MappingNode) or not isinstance(old, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys (octave, tolerance, cases, ...)")
    keys = [k for k, _ in root.value]
    found = [(i, v) for i, (k, v) in enumerate(root.value) if isinstance(k, yaml.ScalarNode) and k.value == "cases"]
    if not found:
        raise ConfigError(f"{source}: has no `cases:` list to add the case to")
    index, node = found[0]
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    key_line = keys[index].start_mark.line
    next_key = keys[index + 1].start_mark.line if index + 1 < len(keys) else len(lines)
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        dash = node.start_mark.column
        last = node.value[-1].start_mark.line
        end = last
        for i in range(last, next_key):
            stripped = lines[i].lstrip(" ")
            indent = len(lines[i]) - len(stripped)
            if stripped.strip() and (not stripped.startswith("#") or indent > dash):
                end = i
        multi_line = end > node.value[-1].start_mark.line
        new = lines[:end + 1] + (["\n"] if multi_line else []) + entry_text(entry, dash) + lines[end + 1:]
    elif (isinstance(node, yaml.SequenceNode) and node.flow_style and not node.value) or (
            isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        line = lines[key_line]
        if isinstance(node, yaml.SequenceNode):  # `cases: []`: drop the brackets, keep any comment after them
            if node.start_mark.line != key_line or node.end_mark.line != key_line:
                raise ConfigError(f"{source}:{key_line + 1}: write `cases:` as a block list to add a case")
            line = line[:node.start_mark.column].rstrip(" ") + line[node.end_mark.column:]
        dash = keys[index].start_mark.column + 2
        new = lines[:key_line] + [line] + entry_text(entry, dash) + lines[key_line + 1:]
    else:
        raise ConfigError(f"{source}:{key_line + 1}: `cases:` is written in flow style ([...]); rnncore add appends "
                          f"to a block list (one `- name: ...` per case). Add this case by hand:\n"
                          + "".join(entry_text(entry, 2)))
    result = "".join(new)
    expected = dict(old)
    expected["cases"] = list(old.get("cases") or []) + [entry]
    try:
        back = yaml.safe_load(result)
    except yaml.YAMLError:
        back = None
    if back != expected or list(back) != list(expected):
        raise ConfigError(f"{source}: could not append the case without changing something else; add it by hand:\n"
                          + "".join(entry_text(entry, 2)))
    return result


# --------------------------------------------------------------------------- the command


def _rel(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def add_case(script, *, name: str | None = None, project=".", dry_run: bool = False,
             out: Callable[[str], None] = print, log: Callable[[str], None] | None = None) -> dict:
    """``rnncore add``: see the module docstring. Returns the case entry (written unless ``dry_run``).

    ``out`` receives the lines for the person at the terminal. Raises an :class:`RnncoreError`
    (nothing written) when the script cannot become a case.
    """
    from rnncore.config import load_settings, read_config_file, validate
    from rnncore.tool.project import config_file, defaults, no_config_message

    project = Path(project)
    source = config_file(project)
    if source is None:
        raise AddError(no_config_message(project))
    shown = source.relative_to(project).as_posix() if source.is_relative_to(project) else str(source)
    script = Path(script)
    if script.suffix != ".m":
        raise AddError(f"{script}: not a .m file")
    if not script.is_file():
        raise AddError(f"{script}: no such file")
    if not script.resolve().is_relative_to(project.resolve()):
        raise AddError(f"{script} is outside the course folder {project.resolve()}; copy it into matlab_ref/ first")
    rel = _rel(script, project)
    case = name or script.stem
    raw = read_config_file(source)
    validate(raw, shown)
    names = [c.get("name") for c in raw.get("cases") or []]
    if case in names:
        raise AddError(f"{shown} already has a case named {case!r}; give another with --name")
    if not CASE_NAME.fullmatch(case):
        given = f"--name {case!r}" if name else f"the script's name {case!r}"
        hint = "" if name else "; give one with --name"
        raise AddError(f"{given} cannot name a case: a case name is 1 to 64 letters, digits, _ or -, starting with "
                       f"a letter or digit (it names results/parity/<name>/){hint}")
    module = module_name(case)
    main_port = project / PORTS / f"{module}.py"
    if main_port.exists() and not dry_run:
        raise AddError(f"{main_port.relative_to(project).as_posix()} already exists; give another case name with "
                       f"--name, or move the file away (rnncore add never overwrites a port)")
    settings = defaults(project)

    described = describe_script(script, shim_dirs=settings.shim_dirs, timeout=settings.timeout, log=log)
    warnings = [f for f in described.findings if f.severity == "warning"]
    out(f"pre-flight: {len(warnings)} warning(s)" if warnings else "pre-flight: nothing to report")
    for f in warnings:
        out(f"  {f.message}")
    out(f"ran {rel} in Octave ({described.seconds:.1f} s); it leaves {len(described.variables)} variable(s):")
    width = max([len(v.name) for v in described.variables] + [8])
    cls_width = max([len(v.cls) for v in described.variables] + [5])
    out(f"  {'variable':<{width}}  {'class':<{cls_width}}  {'size':<9}  compared")
    for v in described.variables:
        out(f"  {v.name:<{width}}  {v.cls:<{cls_width}}  {v.size_text:<9}  {'yes' if v.compared else 'no: ' + v.note}")
    if described.shims_used:
        out(f"shims it called: {', '.join(described.shims_used)}")
    if not described.compared:
        raise AddError(f"{rel} leaves no variable that can be compared (numeric, logical, char or cell); a case "
                       f"needs at least one")

    port = make_port(script, case, described, script_label=rel)
    entry = case_entry(case, rel, port.target, described.compared)
    text = source.read_text(encoding="utf-8")
    new_text = append_case(text, entry, shown)
    writes = dict(port.files)
    conflicts = [p for p, t in writes.items() if p != port.main and (project / p).exists()
                 and (project / p).read_text(encoding="utf-8") != t]
    if conflicts:
        raise AddError(f"the translation of {rel} writes {', '.join(conflicts)}, which already exist with other "
                       f"contents (edited by hand?); move them away, or write this port by hand")
    init = f"{PORTS}/__init__.py"
    if not (project / init).exists():
        writes[init] = _PORTS_INIT
    if dry_run:
        out(f"dry run: would write {', '.join(writes)} and append case {case!r} to {shown}:")
        for line in entry_text(entry, 2):
            out(line.rstrip("\n"))
        return entry

    written = []
    try:
        for p, t in writes.items():
            if not (project / p).exists():
                write_atomic(project / p, t)
                written.append(project / p)
        new_raw = yaml.safe_load(new_text)
        load_settings({**new_raw, "cases": [entry]}, project, shown)  # the new case alone: its port is found
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    write_atomic(source, new_text)
    how = ("translated by rnncore translate; `rnncore run` verifies it against Octave" if port.translated else
           "a skeleton to complete by hand: rnncore translate could not translate the script")
    for p in port.files:
        out(f"wrote {p}" + (f" ({how})" if p == port.main else " (a function file it calls, translated)"))
    if not port.translated:
        out(f"  why: {port.reason}")
    out(f"added case {case!r} to {shown}: variables {', '.join(entry['variables'])}")
    out(f"next: rnncore run {case}")
    return entry


def add_cases(scripts, *, project=".", dry_run: bool = False, out: Callable[[str], None] = print,
              err: Callable[[str], None] = print, stream=None) -> int:
    """``rnncore add A.m B.m ...``: :func:`add_case` for each script in turn; returns the exit status.

    Each script's full listing (its variables, the port written) would be some twenty lines: with
    several, a person sees one live line (the script being added, how many are done) and then one line
    per script (added, with a translated port or a skeleton to write, or why not, in one sentence);
    each script's full listing goes to ``results/logs/add-<UTC time>.log``. A script that cannot be
    added does not stop the others; the exit status is then 1.
    """
    import sys

    from rnncore.engine.octave import OctaveNotFoundError
    from rnncore.tool.checks import unwritten_port
    from rnncore.tool.progress import LiveLine, command_log, elapsed_text

    project = Path(project)
    live = LiveLine(sys.stdout if stream is None else stream, "rnncore add: ")
    start, results, failed, by_hand = time.monotonic(), [], 0, 0
    try:
        log_path = command_log(project, "add")
        log = open(log_path, "w", encoding="utf-8")
    except OSError as exc:
        raise AddError(f"cannot write the log of the scripts' listings under {project / 'results'}: "
                       f"{exc.strerror or exc}") from None

    def listing(line: str) -> None:  # what `rnncore add` of this one script would print
        log.write(line + "\n")

    with log:
        for i, script in enumerate(scripts):
            live.update(f"{i} of {len(scripts)} added; running {script} in Octave; "
                        f"{elapsed_text(time.monotonic() - start)}")
            listing(f"==> rnncore add {script}")
            try:
                entry = add_case(script, project=project, dry_run=dry_run, out=listing)
            except OctaveNotFoundError:
                live.clear()
                raise  # no script can run: one sentence, not one per script
            except RnncoreError as exc:
                listing(f"rnncore add: {exc}")
                failed += 1
                results.append(f"  {script}: not added: {exc}")
                continue
            finally:
                log.flush()
            variables = f"{len(entry['variables'])} variable(s) compared"
            if dry_run:
                results.append(f"  {script}: would be case {entry['name']!r}, {variables}")
                continue
            port = entry["python"].partition(":")[0].replace(".", "/") + ".py"
            if unwritten_port(entry["python"], project):
                by_hand += 1
                results.append(f"  {script}: case {entry['name']!r}, {variables}; {port} is a skeleton to write by "
                               f"hand (rnncore translate could not translate the script)")
            else:
                results.append(f"  {script}: case {entry['name']!r}, {variables}; {port} translated")
    live.clear()
    for line in results:
        out(line)
    added = len(scripts) - failed
    verb = "would add" if dry_run else "added"
    out(f"rnncore add: {verb} {added} of {len(scripts)} script(s) in {elapsed_text(time.monotonic() - start)}"
        + (f"; {by_hand} port(s) to write by hand" if by_hand else ""))
    out(f"rnncore add: each script's variables (class, size): {log_path.relative_to(project).as_posix()}")
    if failed:
        err(f"rnncore add: {failed} script(s) could not be added (the reason is beside each)")
    elif added and not dry_run:
        out("next: rnncore check, then rnncore run")
    return 1 if failed else 0
