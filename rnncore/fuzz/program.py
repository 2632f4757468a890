"""A generated MATLAB program as a tree the shrinker can cut: statements, blocks and expressions.

An expression is a format string and its parts (``Expr("{0} + {1}", (a, b))``), so the shrinker can
put a part in the place of the whole; a statement is one line (:class:`Line`) or a block of bodies
(:class:`Block`: ``if``/``elseif``/``else``, ``for``, ``while``); a :class:`Program` is a script and
the function files it calls, written out by :meth:`Program.files`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

__all__ = ["Expr", "Line", "Block", "Function", "Program", "lit", "line", "FILE"]

#: How a program's text names its k-th function file: ``FILEk``, which :meth:`Program.files` writes as
#: ``<script name>_fk``, so that every program of a batch (and every shrunk variant) has files of its own.
FILE = "FILE{}"
_FILE_RE = re.compile(r"\bFILE(\d+)\b")


@dataclass(frozen=True)
class Expr:
    """A MATLAB expression: ``fmt`` with ``{0}``, ``{1}``... standing for ``parts``."""

    fmt: str
    parts: tuple["Expr", ...] = ()

    def text(self) -> str:
        return self.fmt.format(*[p.text() for p in self.parts])

    def __str__(self) -> str:
        return self.text()


def lit(text: str) -> Expr:
    """An expression with no parts, from its MATLAB text (a number, a name, a literal)."""
    return Expr(text.replace("{", "{{").replace("}", "}}"))


@dataclass(frozen=True)
class Line:
    """One statement on one line: ``fmt`` with the expressions ``parts`` (MATLAB's own braces doubled,
    as in any format string; :func:`line` makes one from plain text)."""

    fmt: str
    parts: tuple[Expr, ...] = ()

    def lines(self, indent: str) -> list[str]:
        return [indent + Expr(self.fmt, self.parts).text()]


def line(text: str) -> Line:
    """A statement with no parts, from its MATLAB text."""
    return Line(text.replace("{", "{{").replace("}", "}}"))


@dataclass(frozen=True)
class Block:
    """``if``/``elseif``/``else``, ``for`` or ``while``: each arm a header and a body; then ``end``.
    ``before`` is a line that belongs with the block (a ``while`` loop's counter), kept or cut with it."""

    arms: tuple[tuple[Line, tuple], ...]  # (header, statements)
    before: Line | None = None

    def lines(self, indent: str) -> list[str]:
        out = self.before.lines(indent) if self.before is not None else []
        for header, body in self.arms:
            out += header.lines(indent)
            for s in body:
                out += s.lines(indent + "  ")
        return out + [indent + "end"]


@dataclass(frozen=True)
class Function:
    """One function of a function file: ``function [outs] = name(params)``, its body."""

    name: str
    params: tuple[str, ...]
    outputs: tuple[str, ...]
    body: tuple

    def lines(self) -> list[str]:
        outs = self.outputs[0] if len(self.outputs) == 1 else f"[{', '.join(self.outputs)}]"
        out = [f"function {outs} = {self.name}({', '.join(self.params)})"]
        for s in self.body:
            out += s.lines("  ")
        return out + ["end"]


@dataclass(frozen=True)
class Program:
    """A script ``name.m`` and the function files beside it (``FILEk`` -> its functions, primary first)."""

    name: str
    body: tuple
    functions: dict = field(default_factory=dict)  # FILEk -> tuple[Function, ...], or the file's text
    seed: int | None = None  # the generator's seed and index, to draw it again
    index: int | None = None

    def script(self) -> str:
        out = []
        for s in self.body:
            out += s.lines("")
        return "\n".join(out) + "\n"

    def files(self) -> dict[str, str]:
        """Every file of the program: ``{file name without .m: MATLAB text}``, the script first."""
        out = {self.name: self.script()}
        for name, fns in self.functions.items():
            out[name] = fns if isinstance(fns, str) else "\n\n".join("\n".join(f.lines()) for f in fns) + "\n"
        return {self._real(name): self._real(text) for name, text in out.items()}

    def _real(self, text: str) -> str:
        return _FILE_RE.sub(lambda m: f"{self.name}_f{m.group(1)}", text)

    def text(self) -> str:
        """The whole program as one listing (the files one after another, each named)."""
        return "\n".join(f"% ---- {name}.m\n{text}" for name, text in self.files().items())

    @classmethod
    def from_text(cls, name: str, script: str, functions: dict[str, str] | None = None) -> "Program":
        """A program written by hand (a regression test): the script's lines, and function files
        as text (named ``FILEk`` in the text, like the generated ones)."""
        return cls(name, tuple(line(t) for t in script.strip("\n").split("\n")), dict(functions or {}))

    def renamed(self, name: str) -> "Program":
        """The same program under another script name (its function files keep theirs)."""
        return replace(self, name=name)
