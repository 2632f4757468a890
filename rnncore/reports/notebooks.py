"""The ported chapter as Jupyter notebooks for students: ``results/notebooks/<case>.ipynb`` and an index.

A case's notebook holds, in order:

1. the MATLAB script as the course gives it (a ``matlab`` code listing in a Markdown cell);
2. the Python port, as code cells a student can edit and rerun. A hand-written port (a module of
   functions) is split at its top-level statements and functions with :mod:`ast`, each cell keeping
   the comments written above it; a translated port (a module that declares ``__translated_from__``)
   keeps the translator's layout and comments: one cell per ``# %%`` section, or one cell;
3. a cell that runs the port, on the case's inputs when it has some (first draw of
   ``results/engines/<case>/inputs.npz``, read with :func:`rnncore.io.read_engine`), and
   shows each compared variable;
4. the parity verdict of the case (its rows of ``summary.csv``): Octave against Python, and against
   printed values where the case has a reference.

Notebooks are built with nbformat and executed with nbclient in the notebook's own folder (so the
relative paths in them work when a student opens the file there), so the outputs stored in them are
real. They are deterministic: cell ids derive from the case and the cell's position, and no time
stamp or timing metadata is kept, so a rerun on the same machine writes the same bytes.
:func:`build_index` writes ``results/notebooks/index.ipynb``, linking every case's notebook with its
verdict.

Everything takes plain arguments (case name, script path, ``module:function``, variable names,
inputs file or None, summary rows), not the configuration object. :func:`notebook_step` and
:func:`index_step` are the workflow's steps; :func:`main` is ``rnncore notebook CASE``.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from rnncore import layout
from rnncore.io import write_atomic
from rnncore.reports.text import exact, num, status_word, tol_text, ulp_text, worst_text
from rnncore.reports.verdict import ParityRow, read_rows

__all__ = ["KERNEL", "build_index", "build_notebook", "index_step", "notebook_step", "port_cells",
           "verdict_markdown"]

KERNEL = "python3"
TIMEOUT_S = 600
# numpy's printing in the notebooks: enough digits to see a value, long arrays summarised.
PRINT_OPTIONS = "np.set_printoptions(precision=6, threshold=60, linewidth=100, suppress=False)"


def _quiet(line: str) -> None:
    pass


# --------------------------------------------------------------------------- the port as cells


def _node_start(node: ast.stmt) -> int:
    lines = [node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]
    return min(lines)


def port_cells(source: str) -> list[tuple[str, str]]:
    """A module's source as ``(kind, text)`` cells, ``kind`` ``"markdown"`` (the docstring) or ``"code"``.

    A translated port (``__translated_from__`` at module level) is kept as written, split only at
    ``# %%`` lines. A hand-written one is split at top-level functions and classes (one cell each)
    and runs of other statements (one cell per run); the lines between two statements (comments
    above a function, for instance) go with the statement below them, so no comment is lost.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [("code", source.strip("\n"))]  # one cell: running it shows the error, with its line
    lines = source.splitlines()
    body = list(tree.body)
    cells: list[tuple[str, str]] = []
    first_line = 1
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        cells.append(("markdown", inspect.cleandoc(body[0].value.value)))
        first_line = body[0].end_lineno + 1
        body = body[1:]
    translated = any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "__translated_from__"
                                                       for t in n.targets) for n in body)
    if translated:
        rest = "\n".join(lines[first_line - 1:])
        for part in re.split(r"(?m)^# %%.*\n", rest):
            if part.strip():
                cells.append(("code", part.strip("\n")))
        return cells
    groups: list[list[ast.stmt]] = []
    for node in body:
        separate = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if separate or not groups or isinstance(groups[-1][-1], (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            groups.append([node])
        else:
            groups[-1].append(node)
    start = first_line
    for group in groups:
        end = group[-1].end_lineno
        text = "\n".join(lines[start - 1:end]).strip("\n")
        if text.strip():
            cells.append(("code", text))
        start = end + 1
    tail = "\n".join(lines[start - 1:]).strip("\n")
    if tail.strip():
        cells.append(("code", tail))
    return cells


# --------------------------------------------------------------------------- the verdict


def _md(text) -> str:
    text = "" if text is None else str(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def verdict_markdown(case: str, rows: Sequence[ParityRow]) -> str:
    """The case's parity verdict as a Markdown table (one line per summary row), with the messages."""
    if not rows:
        return (f"## Parity verdict\n\nThe parity summary has no row for `{case}`: this run did not compare it "
                "(not produced by this run).")
    bad = sum(not r.passed for r in rows)
    head = (f"**✓ all {len(rows)} comparisons pass**" if not bad else f"**✗ {bad} of {len(rows)} comparisons do "
            "not pass**")
    lines = [f"## Parity verdict\n\n{head} (from `results/parity/summary.csv`). An element passes when either bound "
             "of its tolerance holds; ULP is `-` where only the absolute bound applies (against printed values). "
             "The worst element is 1-based, as MATLAB counts.", "",
             "| status | variable | left vs right | max abs err | max ULP | worst element | left value | right value | tolerance |",
             "| --- | --- | --- | ---: | ---: | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {_md(status_word(r.status))} | `{_md(r.variable)}` | {_md(r.left)} vs {_md(r.right)} | "
                     f"{_md(num(r.max_abs_err))} | {_md(ulp_text(r))} | {_md(worst_text(r))} | "
                     f"{_md(exact(r.worst_left))} | {_md(exact(r.worst_right))} | {_md(tol_text(r))} |")
    notes = [f"- {status_word(r.status)} `{_md(r.variable)}` {_md(r.left)} vs {_md(r.right)}: {_md(r.message)}"
             for r in rows if r.message]
    if notes:
        lines += [""] + notes
    return "\n".join(lines)


# --------------------------------------------------------------------------- building


def _cell_id(case: str, i: int) -> str:
    # nbformat: 1-64 characters of [a-zA-Z0-9-_]; stable, so reruns give the same bytes.
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", case)[:50]
    return f"{stem}-{i}"


def _run_cell(function: str, variables: Sequence[str], inputs_rel: str | None) -> str:
    lines = ["import numpy as np", "", PRINT_OPTIONS, ""]
    if inputs_rel is not None:
        lines += ["from rnncore.io import read_engine", "",
                  "# The inputs both engines were given (the first draw), written by the workflow beside the notebooks.",
                  f"inputs = {{name: value.data for name, value in read_engine({inputs_rel!r}).draws[0].items()}}",
                  "for name, value in inputs.items():",
                  "    print(f'input {name}: {value.shape}')",
                  f"results = {function}(inputs)"]
    else:
        lines += [f"results = {function}()"]
    lines += ["", f"for name in {list(variables)!r}:",
              "    value = results.get(name)",
              "    if value is None:",
              "        print(f'{name}: not returned by the port')",
              "        continue",
              "    value = np.asarray(value)",
              "    print(f'{name} ({value.shape[0]}x{value.shape[1] if value.ndim > 1 else 1}):')",
              "    print(value)",
              "    print()"]
    return "\n".join(lines)


def build_notebook(case: str, script, target: str, variables: Sequence[str], inputs_file, rows: Sequence[ParityRow],
                   out=None, *, execute: bool = True, timeout: int = TIMEOUT_S, fingerprint: str | None = None) -> Path:
    """Write the notebook of ``case`` to ``out`` (default :func:`rnncore.layout.notebook`) and return its path.

    ``script`` is the ``.m`` file, ``target`` the port as ``module:function``, ``variables`` the names
    compared, ``inputs_file`` the case's ``inputs.npz`` (None: the port takes no arguments), ``rows``
    the case's summary rows. With ``execute`` (the default) the notebook is run by nbclient in its
    folder and saved with its outputs; a cell that raises shows its error (a failing port still gets
    its notebook, beside its case's `error` rows).
    ``fingerprint`` is the verdict's (:mod:`rnncore.reports.fingerprint`), kept in the metadata.
    """
    import nbformat
    from nbformat import v4

    out = Path(out if out is not None else layout.notebook(case))
    script = Path(script)
    from rnncore.engine.ports import resolve

    module_name, _, function = target.partition(":")
    try:
        module = inspect.getmodule(resolve(target, "."))  # the project's own module, found as the workflow finds it
        source = inspect.getsource(module)
    except Exception:  # noqa: BLE001 - a port that does not import still gets its notebook, showing why
        from rnncore.pysource import module_file

        path = module_file(module_name, ".")
        if path is None:
            raise
        source = path.read_text(encoding="utf-8")
    folder = out.parent.resolve()
    inputs_rel = None
    if inputs_file is not None:
        inputs_rel = Path(os.path.relpath(Path(inputs_file).resolve(), folder)).as_posix()

    cells = [v4.new_markdown_cell(
        f"# `{case}`: the MATLAB script and its Python port\n\n"
        f"The course's script `{script.as_posix()}` first, as it is run in GNU Octave; then its Python port "
        f"`{target}`, cell by cell: edit a cell and run it again to see what changes. The last cells run the port "
        f"{'on the inputs both engines were given' if inputs_rel else 'as the script runs'} and show the parity "
        "verdict of this run: every compared variable, Octave against Python, element by element.")]
    matlab = script.read_text(encoding="utf-8").rstrip("\n")
    cells.append(v4.new_markdown_cell(f"## The MATLAB script: `{script.name}`\n\n```matlab\n{matlab}\n```"))
    cells.append(v4.new_markdown_cell(f"## The Python port: `{module_name}`\n\n"
                                      f"The function the workflow calls is `{function}`, defined below."))
    for kind, text in port_cells(source):
        if kind == "markdown":
            cells.append(v4.new_markdown_cell(text))
        else:
            cells.append(v4.new_code_cell(text))
    cells.append(v4.new_markdown_cell(f"## Run the port\n\n`{function}` as defined in the cells above"
                                      + (f", on the first draw of `{inputs_rel}`." if inputs_rel else ".")))
    cells.append(v4.new_code_cell(_run_cell(function, variables, inputs_rel)))
    cells.append(v4.new_markdown_cell(verdict_markdown(case, rows)))
    for i, cell in enumerate(cells):
        cell["id"] = _cell_id(case, i)

    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL},
        "language_info": {"name": "python"},
        "rnncore": {"case": case, "script": script.as_posix(), "python": target,
                    **({"verdict": fingerprint} if fingerprint else {})}})
    if execute:
        _execute(nb, folder, timeout)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, nbformat.writes(nb) + "\n")
    return out


def _execute(nb, folder: Path, timeout: int) -> None:
    from nbclient import NotebookClient

    import rnncore

    folder.mkdir(parents=True, exist_ok=True)
    # The kernel imports rnncore from the same place as this module (not another installed copy), and
    # the course's own modules from the project folder (the working directory of the run).
    here = str(Path(rnncore.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, str(Path.cwd()), env.get("PYTHONPATH", "")) if p)
    # A port that fails (the case's `error` rows say so) still gets its notebook, the error in its cell.
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False, allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    # The kernel's own stderr and stdout are not the run's: at shutdown ipykernel can log a zmq
    # traceback there ("Socket operation on non-socket", seen in CI), which would reach the user's
    # console from a run that worked. What a cell prints or raises is in the notebook itself.
    client.execute(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # What the kernel reports about itself (its version) is not the notebook's content: keep the
    # language name only, so the same run writes the same bytes wherever the kernel was updated.
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def build_index(entries: Sequence[tuple[str, str]], rows: Sequence[ParityRow], out=None,
                fingerprint: str | None = None) -> Path:
    """Write the chapter's index notebook: one line per case (``(case, script)`` in ``entries``), a link to
    its notebook and its verdict from ``rows``. Returns the path (default :func:`rnncore.layout.notebooks_index`)."""
    import nbformat
    from nbformat import v4

    out = Path(out if out is not None else layout.notebooks_index())
    lines = ["# The chapter's scripts, ported to Python", "",
             "Each notebook shows one of the course's MATLAB scripts, its Python port in cells you can run and "
             "edit, and how closely the port agrees with the script run in GNU Octave.", "",
             "| notebook | MATLAB script | verdict |", "| --- | --- | --- |"]
    for case, script in entries:
        case_rows = [r for r in rows if r.case == case]
        bad = sum(not r.passed for r in case_rows)
        if not case_rows:
            verdict = "not compared in this run"
        elif bad:
            verdict = f"✗ FAIL: {bad} of {len(case_rows)} comparisons do not pass"
        else:
            verdict = f"✓ pass: all {len(case_rows)} comparisons"
        href = Path(os.path.relpath(Path(layout.notebook(case)).resolve(),
                                    Path(layout.notebooks_index()).parent.resolve())).as_posix()
        lines.append(f"| [{_md(case)}]({href}) | `{_md(Path(script).name)}` | {_md(verdict)} |")
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("\n".join(lines))],
                         metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL},
                                   "language_info": {"name": "python"},
                                   **({"rnncore": {"verdict": fingerprint}} if fingerprint else {})})
    nb.cells[0]["id"] = "index-0"
    write_atomic(out, nbformat.writes(nb) + "\n")
    return out


# --------------------------------------------------------------------------- workflow steps and command line


def _rows(summary) -> list[ParityRow]:
    return read_rows(Path(summary))


def notebook_step(case: str, script, target: str, variables: Sequence[str], inputs_file, summary, output,
                  log=_quiet, fingerprint: str | None = None) -> Path:
    """Workflow step: build and execute ``case``'s notebook at ``output``, its verdict from ``summary``."""
    rows = [r for r in _rows(summary) if r.case == case]
    path = build_notebook(case, script, target, variables, inputs_file, rows, output, fingerprint=fingerprint)
    log(f"[rnncore] {case}: notebook {output} ({len(rows)} parity rows)")
    return path


def index_step(entries: Sequence[tuple[str, str]], summary, output, log=_quiet, fingerprint: str | None = None) -> Path:
    """Workflow step: the index notebook of ``entries`` (``(case, script)``), verdicts from ``summary``."""
    path = build_index(entries, _rows(summary), output, fingerprint=fingerprint)
    log(f"[rnncore] notebook index {output}: {len(entries)} case(s)")
    return path
