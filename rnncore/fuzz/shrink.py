"""Cut a mismatching program down to a small one that still mismatches the same way.

Each round makes every program one edit away from the current one (a statement deleted, a block
replaced by one of its bodies, an expression replaced by one of its parts), runs them all as one
batch (one Octave session: :func:`rnncore.fuzz.differential.run_programs`), and keeps the shortest
that still mismatches in the same way (:func:`category`). Statements go first, expressions when no
statement can go; it stops when no edit keeps the mismatch, or after ``rounds`` rounds.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterator

from rnncore.fuzz.differential import Outcome, run_programs
from rnncore.fuzz.program import Block, Expr, Function, Line, Program

__all__ = ["shrink", "category", "candidates"]


def category(detail: str) -> str:
    """What kind of mismatch a detail describes, without the names and numbers that vary as a
    program shrinks: ``variables differ``, ``only the port raised``, ``errors of different kinds``,
    ``the port raised ValueError``..., or ``a value differs``."""
    for prefix in ("variables differ", "only the port raised", "only Octave raised", "errors of different kinds",
                   "the translator crashed", "the port did not finish"):
        if detail.startswith(prefix):
            return prefix
    m = re.match(r"the port raised (\w+)", detail)
    if m:
        return f"the port raised {m.group(1)}"
    return "a value differs"


# --------------------------------------------------------------------------- edits


def _expr_variants(e: Expr) -> Iterator[Expr]:
    for p in e.parts:
        yield p
    for k, p in enumerate(e.parts):
        for v in _expr_variants(p):
            yield Expr(e.fmt, e.parts[:k] + (v,) + e.parts[k + 1:])


def _line_variants(s: Line) -> Iterator[Line]:
    for k, p in enumerate(s.parts):
        for v in _expr_variants(p):
            yield Line(s.fmt, s.parts[:k] + (v,) + s.parts[k + 1:])


def _body_variants(body: tuple, exprs: bool) -> Iterator[tuple]:
    """Every body one edit away from ``body`` (statements only, or expressions only)."""
    for i, s in enumerate(body):
        head, tail = body[:i], body[i + 1:]
        if not exprs:
            yield head + tail
            if isinstance(s, Block):
                for _, arm in s.arms:
                    yield head + ((s.before,) if s.before is not None else ()) + tuple(arm) + tail
                if s.before is not None:
                    yield head + (replace(s, before=None),) + tail
        if isinstance(s, Block):
            for k, (header, arm) in enumerate(s.arms):
                if exprs:
                    for v in _line_variants(header):
                        yield head + (replace(s, arms=s.arms[:k] + ((v, arm),) + s.arms[k + 1:]),) + tail
                for v in _body_variants(tuple(arm), exprs):
                    yield head + (replace(s, arms=s.arms[:k] + ((header, v),) + s.arms[k + 1:]),) + tail
        elif exprs and isinstance(s, Line):
            for v in _line_variants(s):
                yield head + (v,) + tail


def candidates(program: Program, exprs: bool = False) -> Iterator[Program]:
    """Every program one edit away (in the script, then in each function file)."""
    for body in _body_variants(program.body, exprs):
        yield replace(program, body=body)
    for name, fns in program.functions.items():
        if isinstance(fns, str):
            continue
        for k, fn in enumerate(fns):
            for body in _body_variants(fn.body, exprs):
                changed = fns[:k] + (Function(fn.name, fn.params, fn.outputs, body),) + fns[k + 1:]
                yield replace(program, functions={**program.functions, name: changed})


# --------------------------------------------------------------------------- the loop


def shrink(outcome: Outcome, *, rounds: int = 60, batch: int = 400,
           run: Callable[..., list[Outcome]] = run_programs, log: Callable[[str], None] | None = None,
           **run_options) -> Outcome:
    """The smallest program found that mismatches as ``outcome``'s does, with its outcome."""
    if outcome.kind != "mismatch":
        raise ValueError(f"only a mismatch is shrunk, not {outcome.kind}")
    want = category(outcome.detail)
    best = outcome
    base = outcome.program.name
    for r in range(rounds):
        found = None
        for exprs in (False, True):
            variants = {}
            for p in candidates(best.program, exprs):
                key = p.text()
                if key not in variants and len(key) < len(best.program.text()):
                    variants[key] = p
            if not variants:
                continue
            ordered = sorted(variants.values(), key=lambda p: len(p.text()))[:batch]
            named = [p.renamed(f"{base}_s{r}_{k}") for k, p in enumerate(ordered)]
            for o in run(named, **run_options):
                if o.kind == "mismatch" and category(o.detail) == want:
                    found = o
                    break
            if found is not None:
                break
        if found is None:
            break
        best = replace(found, program=found.program.renamed(base))
        if log is not None:
            log(f"round {r + 1}: {len(best.program.text())} characters")
    return best
