"""``rnncore notebook CASE ...``: the students' notebooks of some cases, outside the workflow.

Kept apart from :mod:`rnncore.reports.notebooks`, which builds a notebook from plain arguments: this
command reads the course's configuration (:mod:`rnncore.config`) to find them, and the workflow's
notebook jobs must not depend on the configuration's code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rnncore import layout
from rnncore.reports.notebooks import build_index, build_notebook
from rnncore.reports.verdict import read_rows

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """``rnncore notebook [CASE ...] [--all] [--index]``: build (and run) the named cases' notebooks."""
    p = argparse.ArgumentParser(prog="rnncore notebook", description="Write a case's notebook for students: the "
                                "MATLAB script, its Python port in cells, the port run, and the parity verdict.")
    p.add_argument("cases", nargs="*", metavar="CASE", help="case names from the configuration")
    p.add_argument("--all", action="store_true", help="every configured case, and the index")
    p.add_argument("--index", action="store_true", help="also write the index notebook")
    p.add_argument("--config", default=None, help="the workflow configuration (default: config/config.yaml, else "
                                                     "config.yaml)")
    p.add_argument("--summary", default=layout.summary(), help="parity summary (default: %(default)s)")
    p.add_argument("--no-execute", action="store_true", help="write the cells without running them")
    args = p.parse_args(argv)
    from rnncore.config import DEFAULT_CONFIG, load_settings, read_config_file
    from rnncore.errors import RnncoreError

    source = args.config or next((c for c in DEFAULT_CONFIG if Path(c).is_file()), DEFAULT_CONFIG[0])
    try:
        settings = load_settings(read_config_file(source), ".", source)
        cases = list(settings.cases) if args.all else [settings.case(name) for name in args.cases]
    except RnncoreError as exc:
        print(f"rnncore notebook: {exc}", file=sys.stderr)
        return 1
    if not cases and not args.index:
        p.error("name at least one CASE, or --all")
    summary = Path(args.summary)
    rows = read_rows(summary) if summary.is_file() else []
    if not summary.is_file():
        print(f"rnncore notebook: {summary} is absent: the notebooks will say the case was not compared",
              file=sys.stderr)
    for case in cases:
        inputs = Path(layout.inputs(case.name))
        has_inputs = bool(case.inputs or case.inputs_from)
        if has_inputs and not inputs.is_file():
            print(f"rnncore notebook: {inputs} is absent: run the case first (`rnncore run {case.name}`)",
                  file=sys.stderr)
            return 1
        out = build_notebook(case.name, case.script, case.python, case.variables, inputs if has_inputs else None,
                             [r for r in rows if r.case == case.name], execute=not args.no_execute)
        print(f"rnncore notebook: wrote {out}")
    if args.all or args.index:
        entries = [(c.name, c.script) for c in settings.cases]
        print(f"rnncore notebook: wrote {build_index(entries, rows)}")
    return 0
