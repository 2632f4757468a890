"""MISS_HIT's parse tree of one ``.m`` file, with what the tree itself does not keep.

The translator needs three things beside the tree: the comments (MISS_HIT's parser drops them;
its lexer keeps them as COMMENT tokens), whether each statement ends with a semicolon (a missing
one makes MATLAB display the result), and the lines each statement spans (for the ``# line N``
markers and the comments on those lines). All three come from the token stream: the parser links
every token it consumes, terminators included, to its node (``token.ast_link``).

Octave's own spellings that have one MATLAB spelling of the same length (``endif``, ``#``, ``!=``)
are rewritten in place before parsing, as the pre-flight check does: courses that run in Octave
use them, and Octave is the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from miss_hit_core import m_ast
from miss_hit_core.config import Config
from miss_hit_core.errors import ICE, Error, Message_Handler
from miss_hit_core.m_language import MATLAB_Latest_Language
from miss_hit_core.m_lexer import MATLAB_Lexer, Token_Buffer
from miss_hit_core.m_parser import MATLAB_Parser

from rnncore.translate.errors import TranslationError

__all__ = ["Comment", "Parsed", "parse"]


@dataclass(frozen=True)
class Comment:
    """One comment: its first line, its text lines (without ``%``), and whether it has its own line."""

    line: int
    lines: tuple[str, ...]
    own_line: bool


@dataclass
class Parsed:
    """A parsed file and the token facts the translator needs."""

    label: str  # the file as messages name it
    text: str
    tree: m_ast.Compilation_Unit
    comments: list[Comment]
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # node uid -> (first, last) line
    displays: dict[int, bool] = field(default_factory=dict)  # simple statement uid -> no semicolon
    block_end: dict[int, int] = field(default_factory=dict)  # compound statement / function uid -> `end` line

    def span(self, node: m_ast.Node) -> tuple[int, int]:
        return self.spans.get(node.uid, (_line(node), _line(node)))

    def blank_line_before(self, line: int) -> bool:
        """Whether the source line before ``line`` is empty (kept as a blank line in the output)."""
        rows = self.text.split("\n")
        return 2 <= line <= len(rows) + 1 and not rows[line - 2].strip()


def _line(node: m_ast.Node) -> int:
    try:
        return node.loc().line
    except ICE:
        return 1


def parse(text: str, label: str) -> Parsed:
    """Lex and parse ``text`` as MATLAB; a file MISS_HIT cannot read raises :class:`TranslationError`."""
    # Octave's lexer ends a line at \n, \r\n or a lone \r (classic Mac files); MISS_HIT knows \n only
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _octave_to_matlab(text, label)
    mh = Message_Handler("debug")  # collects messages; prints nothing
    mh.register_file(label)
    cfg = Config()
    cfg.language = MATLAB_Latest_Language()
    cfg.pragmas = False
    try:
        lexer = MATLAB_Lexer(cfg.language, mh, text, label)
        lexer.process_pragmas = False
        tokens = Token_Buffer(lexer, cfg)
        tree = MATLAB_Parser(mh, tokens, cfg).parse_file()
    except Error as exc:
        raise _syntax_error(label, exc.location.line or 1, exc.message) from None
    except (ICE, AssertionError) as exc:
        raise TranslationError(label, 1, "this file", f"MISS_HIT stopped with an internal error: {exc}") from None
    for by_line in mh.messages.get(label.replace("\\", "/"), {}).values():
        for msg in by_line:
            if msg.kind in ("error", "lex error"):
                raise _syntax_error(label, msg.location.line or 1, msg.message)
    if isinstance(tree, m_ast.Class_File):
        raise TranslationError(label, 1, "a classdef file", "classes are outside the subset")
    parsed = Parsed(label=label, text=text, tree=tree, comments=_comments(tokens.tokens))
    _facts(parsed, tokens.tokens)
    return parsed


# Octave spellings with one MATLAB spelling of the same meaning: rewritten in place (same columns)
# before parsing, as the pre-flight check does; courses that run in Octave are written with them.
_LOSSLESS = frozenset({"#", "!=", "!", "**", ".**", "endif", "endfor", "endwhile", "endswitch", "endfunction",
                       "end_try_catch"})


def _octave_to_matlab(text: str, label: str) -> str:
    """The text with Octave-only tokens (``endif``, ``#``, ``!=`` ...) found by the pre-flight check's
    lexer pass spelled as MATLAB, and Octave's update statements (``J += r;``, ``k++;``) written out
    (``J = J + (r);``); what has no MATLAB spelling here (``unwind_protect``, an update inside a
    longer expression) is named precisely, rather than as the parse error it causes further down
    in MATLAB's grammar."""
    # The pre-flight check owns this scan (MISS_HIT's Octave lexer, token by token); reuse it.
    from rnncore.engine.preflight import MATLAB_SPELLING, apply_edits, octave_syntax

    edits = octave_syntax(label, text)
    updates = [e for e in edits if e.label in _UPDATES]
    refused = [e for e in edits if e.label not in _LOSSLESS and e.label not in _UPDATES]
    # The same-length spellings first: every column stays the file's, the updates' too.
    rows = apply_edits(text, [e for e in edits if e.label in _LOSSLESS]).split("\n")
    for e in sorted(updates, key=lambda e: (e.line, -e.column)):  # right to left: columns stay valid
        row = _update_statement(rows[e.line - 1], e.column - 1, e.label)
        if row is None:
            refused.append(e)
        else:
            rows[e.line - 1] = row
    if refused:
        e = min(refused, key=lambda e: (e.line, e.column))
        spelling = MATLAB_SPELLING.get(e.label, f"`{e.new.strip()}`")
        raise TranslationError(label, e.line, f"the Octave-only `{e.label}`",
                               f"rnncore translate reads MATLAB, which writes {spelling}" + (
                                   "; Octave's updates are read as whole statements of one line, as in x += y;"
                                   if e.label in _UPDATES else ""))
    return "\n".join(rows)


# Octave's update operators; each becomes ``x = x OP (y)`` (``x++`` is ``ans = x; x = x + 1``, as Octave 7
# runs it: the statement's value, the old x, is left in ans).
_UPDATES = frozenset({"+=", "-=", "*=", "/=", "^=", "++", "--"})


def _update_statement(row: str, col: int, op: str) -> str | None:
    """``row`` with the update statement whose operator starts at ``col`` written out, or None when
    the update is not a whole statement of this line (``a = b++``, a continued line)."""
    bounds = _statement_bounds(row)
    if bounds is None:
        return None
    for start, end in bounds:
        if start <= col < end:
            break
    else:
        return None
    target = row[start:col].strip()
    rest = row[col + len(op):end]
    if not target or not all(c.isalnum() or c in "_(){}.,:' " for c in target) or "..." in row:
        return None
    if op in ("++", "--"):
        if rest.strip():
            return None
        new = f"ans = {target}; {target} = {target} {op[0]} 1"  # Octave 7 leaves the old value in ans
    else:
        if not rest.strip():
            return None
        new = f"{target} = {target} {op[0]} ({rest.strip()})"
    lead = row[start:len(row) - len(row[start:].lstrip())] if row[start:].strip() else ""
    trail = rest[len(rest.rstrip()):]  # the spaces before a comment or the next statement
    return row[:start] + lead + new + trail + row[end:]


def _statement_bounds(row: str) -> list[tuple[int, int]] | None:
    """The (start, end) columns of the statements of one line: split at ``;`` and ``,`` outside
    brackets and text, up to a comment. None when a bracket or text is left open (a continued line)."""
    bounds, depth, start, k, quote = [], 0, 0, 0, None
    prev = ""
    while k < len(row):
        c = row[k]
        if quote:
            if c == quote:
                if k + 1 < len(row) and row[k + 1] == quote:
                    k += 1
                else:
                    quote = None
            elif c == "\\" and quote == '"':
                k += 1
        elif c in "%#":
            break
        elif c == '"' or c == "'" and not (prev.isalnum() or prev in "_)]}.'"):
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in ";," and depth == 0:
            bounds.append((start, k))
            start = k + 1
        if c != " ":
            prev = c
        k += 1
    if quote or depth:
        return None
    bounds.append((start, k))
    return bounds


def _syntax_error(label: str, line: int, message: str) -> TranslationError:
    return TranslationError(label, line, "this line",
                            f"MISS_HIT cannot parse it as MATLAB: {message}; Octave-only syntax such as indexing a "
                            f"result, (a')(2:end), or catch on the line of its first statement is not MATLAB")


def _comments(tokens) -> list[Comment]:
    out = []
    for tok in tokens:
        if tok.kind == "COMMENT":
            if tok.block_comment:
                rows = tok.raw_text.split("\n")
                body = [r.strip() for r in rows[1:-1]] if len(rows) >= 2 else [tok.value]
                out.append(Comment(tok.location.line, tuple(body), True))
            else:
                out.append(Comment(tok.location.line, (tok.raw_text[1:].rstrip(),), tok.first_in_line))
        elif tok.kind == "CONTINUATION" and tok.value:
            text = tok.value[1:].rstrip() if tok.value.startswith("%") else tok.value
            if text:
                out.append(Comment(tok.location.line, (text,), False))
    return out


def _facts(parsed: Parsed, tokens) -> None:
    """Spans of statements, actions and functions; the first terminator of each simple statement;
    the line of each block's ``end``."""
    last_content: dict[int, int] = {}  # statement uid -> index of its last token that is not a terminator
    for i, tok in enumerate(tokens):
        n = tok.ast_link
        if tok.kind in ("SEMICOLON", "COMMA", "NEWLINE") and isinstance(n, m_ast.Simple_Statement):
            continue
        while n is not None:
            if isinstance(n, m_ast.Simple_Statement):
                last_content[n.uid] = i
            n = n.n_parent
    for i, tok in enumerate(tokens):
        node = tok.ast_link
        if node is None:
            continue
        line = tok.location.line
        if tok.kind in ("SEMICOLON", "COMMA", "NEWLINE") and isinstance(node, m_ast.Simple_Statement) \
                and i > last_content.get(node.uid, -1):
            parsed.displays.setdefault(node.uid, tok.kind != "SEMICOLON")
        if tok.kind == "KEYWORD" and tok.value == "end" and isinstance(
                node, (m_ast.Compound_Statement, m_ast.Function_Definition)):
            parsed.block_end[node.uid] = line
        if tok.kind == "NEWLINE":
            continue  # a statement's newline belongs to the line it ends
        n = node
        while n is not None:
            if isinstance(n, (m_ast.Statement, m_ast.Action, m_ast.Function_Definition)):
                first, last = parsed.spans.get(n.uid, (line, line))
                parsed.spans[n.uid] = (min(first, line), max(last, line))
            n = n.n_parent
