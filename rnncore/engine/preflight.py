"""Pre-flight check of a MATLAB ``.m`` file before it runs headless and unattended in GNU Octave.

A course script that stops for ``input``, wipes the variables the runner injected, or calls a
toolbox function Octave lacks fails late, inside Octave, with a message about Octave rather than
about the script. :func:`scan_m_file` reads the file once with MISS_HIT's parser (``miss_hit_core``)
and lists those hazards with their line and column, so the log names them before the run starts.
Octave itself is not needed here: the caller asks Octave ``exist(name)`` for each name in
:attr:`Scan.called` and passes the answers to :func:`undefined_findings`.

Which names count as called. MATLAB cannot tell ``x(3)`` (index) from ``x(3)`` (call) without
knowing whether ``x`` is a variable at that point. This module uses a flow-insensitive
approximation per workspace (the script body, or one function): a name is a variable there if it
is assigned *anywhere* in it (``x = ...``, ``[x, y] = ...``, ``x(i) = ...``, ``x.f = ...``), is a
``for``/``parfor`` variable, a ``catch`` variable, a ``global``/``persistent`` name, a parameter
or output of the function, or ``ans``; a nested function also sees its parent's variables and an
anonymous function its parameters. Every other identifier used as a value, a call or in command
syntax (``hold on``) is called, unless it names a function defined in the file. A read before
the first assignment is therefore not reported, and a name created behind the parser's back
(``load``, ``eval``, ``assignin``) is reported as called although it is a variable at run time.
A dotted use whose root is not a variable (``pkg.fun(x)``, ``containers.Map``) is reported
under its dotted name.

Dialects. The run is in Octave but the course files are MATLAB, and MISS_HIT's Octave grammar
is narrower than Octave (no ``endif``, no ``+=``). So Octave-only tokens, found with MISS_HIT's
Octave lexer (``#`` comments, ``endfor``/``endfunction``/..., ``!=``, ``!x``, ``+=``, ``**``,
``x++``), are each reported once as ``not-matlab`` and replaced in place by MATLAB text of the
same length (``x += 1`` is read as ``x = 1``), so every line and column still points into the
real file. The result is parsed as MATLAB; if that fails, with MISS_HIT's Octave grammar (for
example functions in the middle of a script), and success there is another ``not-matlab``
finding. A file that neither grammar accepts gives a ``parse-error`` finding, never an exception:
the run goes on, and Octave reports its own error if it cannot run the file either.

Names the runner injects before a script runs (``X``, ``lr`` in ``train/elman_train_script.m``)
are not assigned in the file, so they are listed as called; ask ``exist`` after the injection.

Octave 7.3 defines the local functions of a *script* only when execution reaches them, so a
script body calling a function written at its end fails with "'name' undefined" in Octave
although MATLAB accepts it; that is reported as ``undefined`` here, without asking Octave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from miss_hit_core import m_ast
from miss_hit_core.config import Config
from miss_hit_core.errors import ICE, Error, Location, Message_Handler
from miss_hit_core.m_language import MATLAB_Latest_Language, Octave_Latest_Language
from miss_hit_core.m_lexer import MATLAB_Lexer, Token_Buffer
from miss_hit_core.m_parser import MATLAB_Parser

from rnncore.pysource import uncached

__all__ = ["Finding", "Scan", "scan_m_file", "undefined_findings", "script_problems", "m_dependencies", "KINDS",
           "children", "octave_syntax", "MATLAB_SPELLING", "apply_edits", "file_command"]

KINDS = ("blocking", "pause", "wipes-workspace", "graphics", "parse-error", "not-matlab", "undefined")

# Calls that wait for a person. Values: why an unattended run suffers, and what to do.
_BLOCKING = {
    "input": "input waits for an answer typed at the keyboard; unattended, the run stops here. "
             "Replace it with a value assigned in the script or injected by the runner.",
    "keyboard": "keyboard hands control to the debugger prompt; unattended, the run stops here. "
                "Delete the line.",
    "waitforbuttonpress": "waitforbuttonpress waits for a click or key press in a figure; headless, none "
                          "comes and the run hangs or fails. Delete the line.",
    "ginput": "ginput waits for mouse clicks in a figure; headless, none come and the run hangs or fails. "
              "Replace the clicks with fixed coordinates.",
    "uiwait": "uiwait blocks until a figure or dialog is closed; headless, nobody closes it. Delete the line.",
    "waitfor": "waitfor blocks until a figure or property changes; headless, nothing changes it. "
               "Delete the line.",
    "kbhit": "kbhit waits for a key press; unattended, none comes. Delete the line.",
    "menu": "menu asks a person to choose; unattended, nobody answers. Replace it with the choice.",
    "inputdlg": "inputdlg opens a dialog and waits for an answer; headless, nobody answers. "
                "Replace it with a fixed value.",
    "questdlg": "questdlg opens a dialog and waits for an answer; headless, nobody answers. "
                "Replace it with the answer.",
    "listdlg": "listdlg opens a dialog and waits for a choice; headless, nobody chooses. "
               "Replace it with the choice.",
}
_PAUSE_BARE = ("pause without an argument waits for a key press; unattended, the runner makes it return at "
               "once and logs it (it changes no value).")
_PAUSE_ARGS = ("pause sleeps for the given number of seconds (pause(Inf) waits for a key press); unattended, "
               "the runner makes it return at once and logs it (it changes no value).")

# clear/close/clc forms: (name, message, info?). Plain `clear` is info: rnn2.m starts with it and
# sets every value itself, but it would still wipe inputs injected before the script.
_WIPES = {
    "clear": ("clear with no argument deletes every variable, including inputs the runner injected "
              "before the script (or a function's arguments); fine if the file sets all its values "
              "after it, otherwise move the injection after this line or delete it.", True),
    "clear all": ("clear all deletes every variable (including the runner's injected inputs), global "
                  "and function loaded in the session; delete the line.", False),
    "clear functions": ("clear functions unloads every function, including shims the runner defined "
                        "in the session; delete the line.", False),
    "clear classes": ("clear classes deletes every variable (including the runner's injected inputs) "
                      "and class definition; delete the line.", False),
    "clearvars": ("clearvars deletes variables, including inputs the runner injected; delete the line "
                  "or move the injection after it.", False),
    "close all": ("close all closes every figure; harmless headless, listed because figures made "
                  "earlier in the session are gone.", True),
    "clc": ("clc clears the command window; in an unattended run it does nothing useful and can be "
            "deleted.", True),
}
_CLEAR_OPTIONS = {
    "all": "clear all", "-all": "clear all", "-a": "clear all",
    "functions": "clear functions", "-functions": "clear functions", "-f": "clear functions",
    "classes": "clear classes", "-classes": "clear classes", "-c": "clear classes",
    "variables": "clear", "-variables": "clear", "-v": "clear",
}

_GRAPHICS = frozenset("""
    figure plot plot3 subplot hold xlabel ylabel zlabel title legend axis axes grid xlim ylim zlim
    view bar barh hist histogram scatter scatter3 surf surfc mesh meshc contour contourf imagesc image
    imshow colorbar colormap drawnow line patch fill area pie stem stairs errorbar semilogx semilogy
    loglog quiver text annotation clf close gcf gca shg refresh print saveas
""".split())

# Octave builtins MATLAB lacks, common in course code; each is reported once, as information.
_OCTAVE_ONLY_FUNCTIONS = {
    "printf": "fprintf", "puts": "fprintf", "fputs": "fprintf", "fdisp": "disp",
}
_COMPOUND_OPERATORS = frozenset("+-*/^")
_ALWAYS_VARIABLES = frozenset({"ans"})


@dataclass(frozen=True)
class Finding:
    """One hazard, at the 1-based line and column where it starts."""

    line: int
    column: int
    kind: str  # one of KINDS
    name: str  # the identifier or command, e.g. "input", "clear all"; the offending text for syntax
    message: str  # a full sentence, starting with "<file>:<line>:<column>: "

    @property
    def severity(self) -> str:
        """``"info"`` when the run is expected to go fine anyway, else ``"warning"``."""
        if self.kind in ("graphics", "not-matlab", "pause"):  # a pause returns at once, logged
            return "info"
        if self.kind == "wipes-workspace" and _WIPES.get(self.name, ("", False))[1]:
            return "info"
        return "warning"


@dataclass(frozen=True)
class Scan:
    """What :func:`scan_m_file` learned about one file."""

    path: Path
    kind: str  # "script" | "function"; "class" for a classdef file
    function_name: str | None  # primary function of a function file
    inputs: tuple[str, ...]  # its parameters in order ("varargin" and "~" kept)
    outputs: tuple[str, ...]  # its outputs in order
    called: dict[str, tuple[int, int]]  # candidate external names -> first (line, column), by name
    findings: tuple[Finding, ...]  # sorted by (line, column)
    # each addpath call in line order: (line, its arguments), an argument as its text, as
    # ("genpath", folder, skip names) for addpath(genpath('folder')), or None when computed at run time
    addpaths: tuple[tuple[int, tuple], ...] = ()


def scan_m_file(path) -> Scan:
    """Parse ``path`` and report what could make an unattended Octave run fail or mislead.

    Never raises for the file's content (a missing file still raises ``OSError``). See the module
    docstring for how variables are told from calls.
    """
    path = Path(path)
    return _scan(path, _read_text(path))


@lru_cache(maxsize=2048)
def _scan(path: Path, text: str) -> Scan:
    # Kept per (path, text): reading a file is cheap, parsing it is not, and `rnncore add <folder>` asks for
    # each file's scan many times (porting, running each script, capturing each script's calls, storing
    # them): 600 parses for a 50-file folder, a quarter of its time. The text is the key, so an edited
    # file is parsed again whatever its modification time says. Scans are read, never changed.
    filename = str(path)
    findings: list[Finding] = []

    edits = octave_syntax(filename, text)
    findings += _octave_syntax_findings(path, edits)
    text = apply_edits(text, edits)

    tree = _parse(filename, text, MATLAB_Latest_Language())
    if isinstance(tree, _Failure):
        matlab_failure = tree
        tree = _parse(filename, text, Octave_Latest_Language())
        if isinstance(tree, _Failure):
            octave_failure = tree
            if octave_failure.position > matlab_failure.position:
                # Octave's grammar got past MATLAB's stumbling point: that construct is Octave's.
                findings.append(_not_matlab(path, matlab_failure))
                findings.append(_parse_error(path, octave_failure, "Octave"))
            else:
                findings.append(_parse_error(path, matlab_failure, "MATLAB"))
            return _unparsed_scan(path, text, findings)
        findings.append(_not_matlab(path, matlab_failure))

    analysis = _Analysis(path, tree)
    findings += analysis.findings
    kind, name, inputs, outputs = analysis.signature()
    return Scan(path=path, kind=kind, function_name=name, inputs=inputs, outputs=outputs,
                called=dict(sorted(analysis.called.items())),
                findings=tuple(sorted(findings, key=lambda f: (f.line, f.column))), addpaths=_addpaths(tree))


def undefined_findings(scan: Scan, defined: Mapping[str, bool]) -> list[Finding]:
    """One ``undefined`` finding per called name that ``defined`` maps to False, at its first use.

    ``defined`` holds the caller's answers (Octave's ``exist`` or a shim); names it does not
    mention are not reported.
    """
    out = []
    for name, (line, col) in scan.called.items():
        if defined.get(name, True) is False:
            out.append(_finding(scan.path, line, col, "undefined", name,
                                f"{name} is called but is neither defined in Octave nor shimmed, so the run "
                                f"stops here with \"'{name}' undefined\". Add a shim (as matlab_ref/compat/"
                                f"softmax.m does) or install the Octave package that provides it."))
    return sorted(out, key=lambda f: (f.line, f.column))


# --------------------------------------------------------------------------------------------
# Reading and parsing


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old course files; comments are all that differ
    # One line ending, so that the in-place edits (split at "\n") and MISS_HIT agree on lines.
    return text.replace("\r\n", "\n")


@dataclass(frozen=True)
class _Failure:
    line: int
    column: int  # 1-based
    message: str
    text: str  # what stands at that place, for Finding.name

    @property
    def position(self) -> tuple[int, int]:
        return (self.line, self.column)


def _miss_hit(filename: str, language) -> tuple[Message_Handler, Config]:
    """A fresh message handler and configuration for one lexing or parsing of ``filename``."""
    mh = Message_Handler("debug")  # collects messages; prints nothing unless finalized
    mh.register_file(filename)  # without this MISS_HIT raises an ICE on the first message
    cfg = Config()
    cfg.language = language
    cfg.pragmas = False  # "%|" annotations are MISS_HIT's own business, not the run's
    return mh, cfg


def _tokens(mh: Message_Handler, cfg: Config, text: str, filename: str) -> Token_Buffer:
    lexer = MATLAB_Lexer(cfg.language, mh, text, filename)
    lexer.process_pragmas = False
    return Token_Buffer(lexer, cfg)  # lexes the whole file; raises Error on a lex error


def _parse(filename: str, text: str, language) -> m_ast.Compilation_Unit | _Failure:
    """MISS_HIT's lexer and parser on ``text``; a parse tree or where and why it stopped."""
    mh, cfg = _miss_hit(filename, language)
    try:
        tree = MATLAB_Parser(mh, _tokens(mh, cfg, text, filename), cfg).parse_file()
    except Error as exc:
        return _failure(exc.location, exc.message)
    except (ICE, AssertionError) as exc:  # MISS_HIT's own checks on inputs it did not foresee
        return _Failure(1, 1, f"MISS_HIT internal error: {exc}", "")
    for by_line in mh.messages.get(filename.replace("\\", "/"), {}).values():
        for msg in by_line:  # non-fatal errors: the tree exists but is not trustworthy
            if msg.kind in ("error", "lex error"):
                return _failure(msg.location, msg.message)
    return tree


def _failure(location: Location, message: str) -> _Failure:
    line = location.line or 1
    start = location.col_start or 0
    end = location.col_end if location.col_end is not None else start
    snippet = (location.context or "")[start:end + 1].strip()
    return _Failure(line, start + 1, message, snippet)


@dataclass(frozen=True)
class _Edit:
    """Octave-only text at ``line``/``column`` and the MATLAB text of the same length for it."""

    line: int
    column: int  # 1-based
    label: str  # what the finding calls it, e.g. "#", "endif", "+="
    old: str
    new: str


_OCTAVE_KEYWORDS = {kw: "end" for kw in (
    "endif", "endfor", "endwhile", "endswitch", "endfunction", "endparfor", "end_try_catch",
    "end_unwind_protect", "endclassdef", "endmethods", "endproperties", "endevents", "endenumeration")}
_OCTAVE_KEYWORDS.update(unwind_protect="try", unwind_protect_cleanup="catch")  # same shape, for parsing
_STATEMENT_END = ("SEMICOLON", "COMMA", "NEWLINE")
# The text every rule of octave_syntax looks for (a `#` comment, `!`, `**`, `x += y`, `x++`, an Octave
# keyword): a file with none of it has no Octave-only token, and the lexer pass, a fifth of the
# translator's time on small files, is skipped. A superset: a match only means "lex and look".
_MAY_BE_OCTAVE = re.compile(r"[#!]|\*\*|[-+*/^]=|\+\+|--|end_|unwind_protect|end(?:if|for|while|switch|function|parfor"
                            r"|classdef|methods|properties|events|enumeration)")


def octave_syntax(filename: str, text: str) -> list[_Edit]:
    """Octave-only tokens, found with MISS_HIT's Octave lexer, and their MATLAB spelling.

    MISS_HIT's Octave grammar knows fewer Octave forms than its lexer (no ``endif``, no ``+=``),
    so these are translated to MATLAB in place, keeping every column, before parsing. The lexer,
    not a regular expression, keeps ``"+="`` in strings and ``#`` in ``%`` comments untouched.
    Nothing here is valid MATLAB, except ``!x`` starting a statement (a MATLAB shell escape),
    which is left to the grammars.
    """
    if not _MAY_BE_OCTAVE.search(text):
        return []  # every rule below needs one of these in the token's text: lexing cannot find one
    mh, cfg = _miss_hit(filename, Octave_Latest_Language())
    try:
        tokens = _tokens(mh, cfg, text, filename).tokens
    except (Error, ICE, AssertionError):
        return []  # the parsers will say what is wrong
    edits = []

    def edit(tok, label, old, new):
        edits.append(_Edit(tok.location.line, tok.location.col_start + 1, label, old, new.ljust(len(old))))

    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        adjacent = nxt is not None and nxt.location.line == tok.location.line \
            and nxt.location.col_start == tok.location.col_end + 1
        raw = tok.raw_text
        if tok.kind == "COMMENT" and raw.startswith("#"):
            edit(tok, "#", "#", "%")
        elif tok.kind == "KEYWORD" and raw in _OCTAVE_KEYWORDS:
            edit(tok, raw, raw, _OCTAVE_KEYWORDS[raw])
        elif tok.kind == "OPERATOR" and raw == "!=":
            edit(tok, "!=", "!=", "~=")
        elif tok.kind == "OPERATOR" and raw == "!" and not tok.first_in_statement:
            edit(tok, "!", "!", "~")
        elif tok.kind == "OPERATOR" and raw in _COMPOUND_OPERATORS and adjacent and nxt.kind == "ASSIGNMENT":
            edit(tok, raw + "=", raw + "=", " =")  # x += 1 read as x = 1: x is assigned, 1 is read
        elif (tok.kind == "CARRAY" and not tok.contains_quotes and prev is not None and prev.kind == "IDENTIFIER"
              and raw[:1] in _COMPOUND_OPERATORS and raw[1:2] == "="):
            edit(tok, raw[:2], raw[:2], " =")  # `x += 1` lexes as command syntax x('+=', '1')
        elif tok.kind == "OPERATOR" and raw in ("*", ".*") and adjacent and nxt.raw_text == "*":
            edit(tok, raw + "*", raw + "*", raw[:-1] + "^")
        elif (tok.kind == "OPERATOR" and raw in ("+", "-") and adjacent and nxt.raw_text == raw
              and prev is not None and prev.kind in ("IDENTIFIER", "KET")
              and (i + 2 >= len(tokens) or tokens[i + 2].kind in _STATEMENT_END)):
            edit(tok, raw * 2, raw * 2, "")  # x++ read as x
    return edits


def _octave_syntax_findings(path: Path, edits: list[_Edit]) -> list[Finding]:
    """One ``not-matlab`` finding per kind of construct, at its first use: it is about the dialect."""
    first: dict[str, _Edit] = {}
    count: dict[str, int] = {}
    for e in edits:
        first.setdefault(e.label, e)
        count[e.label] = count.get(e.label, 0) + 1
    out = []
    for label, e in first.items():
        matlab = MATLAB_SPELLING.get(label, e.new.strip())
        more = f" (and {count[label] - 1} more)" if count[label] > 1 else ""
        out.append(_finding(path, e.line, e.column, "not-matlab", label,
                            f"not MATLAB syntax: `{label}` is Octave's{more}, MATLAB writes {matlab}; Octave "
                            f"runs the file, MATLAB would not run it as is."))
    return out


MATLAB_SPELLING = {
    "#": "`%` comments", "unwind_protect": "`onCleanup` or try/catch",
    "unwind_protect_cleanup": "`onCleanup` or try/catch", "**": "`^`", ".**": "`.^`",
    "++": "`x = x + 1`", "--": "`x = x - 1`",
    **{op + "=": f"`x = x {op} ...`" for op in "+-*/^"},
    **{kw: "`end`" for kw in _OCTAVE_KEYWORDS if kw.startswith("end")},
    "!=": "`~=`", "!": "`~`",
}


def apply_edits(text: str, edits: list[_Edit]) -> str:
    """Replace each edit's text in place; same length, so MISS_HIT's columns stay the file's."""
    if not edits:
        return text
    lines = text.split("\n")
    for e in edits:
        row = lines[e.line - 1]
        start = e.column - 1
        if row[start:start + len(e.old)] == e.old:
            lines[e.line - 1] = row[:start] + e.new + row[start + len(e.old):]
    return "\n".join(lines)


def _unparsed_scan(path: Path, text: str, findings: list[Finding]) -> Scan:
    """A Scan without a parse tree: kind and signature from the first ``function`` line, if any."""
    kind, name, inputs, outputs = "script", None, (), ()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line[0] in "%#":
            continue
        m = _SIGNATURE.match(line)
        if m:
            kind, name = "function", m["name"]
            inputs = _split_names(m["inputs"])
            outputs = _split_names(m["outputs"] or m["output"])
        break
    return Scan(path=path, kind=kind, function_name=name, inputs=inputs, outputs=outputs, called={},
                findings=tuple(sorted(findings, key=lambda f: (f.line, f.column))))


_SIGNATURE = re.compile(r"function\b\s*(?:(?:\[(?P<outputs>[^\]]*)\]|(?P<output>[A-Za-z]\w*))\s*=\s*)?"
                        r"(?P<name>[A-Za-z][\w.]*)\s*(?:\((?P<inputs>[^)]*)\))?")


def _split_names(group: str | None) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[\s,]+", group or "") if n)


# --------------------------------------------------------------------------------------------
# Findings


def _finding(path: Path, line: int, col: int, kind: str, name: str, text: str) -> Finding:
    return Finding(line=line, column=col, kind=kind, name=name, message=f"{path}:{line}:{col}: {text}")


def _not_matlab(path: Path, failure: _Failure) -> Finding:
    return _finding(path, failure.line, failure.column, "not-matlab", failure.text or "syntax",
                    f"not MATLAB syntax: MISS_HIT's MATLAB grammar stops here ({failure.message}) but its "
                    f"Octave grammar accepts it; Octave runs the file, MATLAB would not run it as is.")


def _parse_error(path: Path, failure: _Failure, dialect: str) -> Finding:
    return _finding(path, failure.line, failure.column, "parse-error", failure.text or "syntax",
                    f"MISS_HIT cannot parse the file ({dialect} grammar: {failure.message}), so the other "
                    f"checks were skipped; fix this line, or let Octave run it and report its own error.")


# --------------------------------------------------------------------------------------------
# Names


def _root(node: m_ast.Node) -> m_ast.Identifier | None:
    """The variable an assignment target or a dotted chain starts from (``s`` in ``s.f(2).g``)."""
    while not isinstance(node, m_ast.Identifier):
        if isinstance(node, (m_ast.Reference, m_ast.Cell_Reference)):
            node = node.n_ident
        elif isinstance(node, (m_ast.Selection, m_ast.Dynamic_Selection)):
            node = node.n_prefix
        else:
            return None
    return node


def _is_dotted(node: m_ast.Node) -> bool:
    while isinstance(node, m_ast.Selection):
        node = node.n_prefix
    return isinstance(node, m_ast.Identifier)


def _is_name(ident: m_ast.Identifier) -> bool:
    return ident.t_ident.kind == "IDENTIFIER"  # not `end` in an index, `~` or a shell escape


def children(node: m_ast.Node):
    """Child nodes in MISS_HIT's naming convention (``n_*`` one node, ``l_*`` a list), in field order."""
    for key, value in vars(node).items():
        if key == "n_parent":
            continue
        if key.startswith("n_") and isinstance(value, m_ast.Node):
            yield value
        elif key.startswith("l_") and isinstance(value, list):
            yield from (v for v in value if isinstance(v, m_ast.Node))


def _functions(node: m_ast.Node) -> list[m_ast.Function_Definition]:
    """Every function definition under ``node`` (local, nested, class methods), each once.

    A classdef's methods are reachable twice (its method list and its ``methods`` blocks).
    """
    found: dict[int, m_ast.Function_Definition] = {}
    stack = [node]
    while stack:
        for child in children(stack.pop()):
            if isinstance(child, m_ast.Function_Definition):
                found.setdefault(child.uid, child)
            stack.append(child)
    return sorted(found.values(), key=lambda f: (f.t_fun.location.line, f.t_fun.location.col_start))


def file_command(e: m_ast.Node):
    """``load``/``save`` as a statement with literal words (``load data.txt``, ``save('r.mat', 'W')``):
    (name, options, file, variables), where a load's variables are those named, or for a text
    file the one named after it (``load ex1data1.txt`` creates ``ex1data1``); else None."""
    if isinstance(e, m_ast.Function_Call):
        name, args = str(e.n_name), e.l_args
    elif isinstance(e, m_ast.Reference) and isinstance(e.n_ident, m_ast.Identifier):
        name, args = str(e.n_ident), e.l_args
    else:
        return None
    if name not in ("load", "save") or not args or not all(isinstance(a, m_ast.Char_Array_Literal) for a in args):
        return None
    words = [a.t_string.value for a in args]
    options = [w for w in words if w.startswith("-")]
    rest = [w for w in words if not w.startswith("-")]
    if not rest:
        return None
    file, names = rest[0], rest[1:]
    if name == "load" and not names and not file.lower().endswith(".mat") and "-mat" not in options:
        stem = file.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
        names = [stem]
    return name, options, file, names


def _call_parts(node: m_ast.Node) -> tuple[str, list] | None:
    """(name, arguments) of ``f(...)`` or the command ``f word``; None for anything else."""
    if isinstance(node, m_ast.Function_Call):
        return str(node.n_name), list(node.l_args)
    if isinstance(node, m_ast.Reference) and isinstance(node.n_ident, m_ast.Identifier):
        return str(node.n_ident), list(node.l_args)
    return None


def _path_argument(arg: m_ast.Node):
    """An addpath argument: its text, ("genpath", folder, skip names), or None (computed at run time)."""
    text = _literal_args([arg])
    if text is not None:
        return text[0]
    call = _call_parts(arg)
    if call and call[0] == "genpath" and call[1]:
        words = _literal_args(call[1])
        if words is not None:
            return ("genpath", words[0], tuple(words[1:]))
    return None


def _addpaths(tree: m_ast.Node) -> tuple[tuple[int, tuple], ...]:
    """Every ``addpath`` call of the file, in line order (see Scan.addpaths)."""
    found = []

    def walk(node):
        call = _call_parts(node)
        if call and call[0] == "addpath":
            found.append((node.loc().line, tuple(_path_argument(a) for a in call[1])))
        for child in children(node):
            walk(child)

    walk(tree)
    return tuple(sorted(found, key=lambda c: c[0]))


def _assigned(node: m_ast.Node, out: set[str]) -> set[str]:
    """Names made variables in ``node``'s workspace; nested functions are workspaces of their own."""
    targets: list[m_ast.Node] = []
    if isinstance(node, m_ast.Simple_Assignment_Statement):
        targets.append(node.n_lhs)
    elif isinstance(node, m_ast.Compound_Assignment_Statement):
        targets += node.l_lhs
    elif isinstance(node, m_ast.For_Loop_Statement):
        targets.append(node.n_ident)
    elif isinstance(node, (m_ast.Global_Statement, m_ast.Persistent_Statement)):
        targets += node.l_names
    elif isinstance(node, m_ast.Try_Statement) and node.n_ident is not None:
        targets.append(node.n_ident)
    elif isinstance(node, m_ast.Naked_Expression_Statement):
        command = file_command(node.n_expr)
        if command is not None and command[0] == "load":
            out.update(command[3])  # `load data.txt` makes `data` a variable, not a call
    for target in targets:
        root = _root(target)
        if root is not None and _is_name(root):
            out.add(root.t_ident.value)
    for child in children(node):
        if not isinstance(child, m_ast.Function_Definition):
            _assigned(child, out)
    return out


def _literal_args(args: list) -> list[str] | None:
    """The arguments as text when all are char literals (``clear all``, ``clear('all')``)."""
    values = []
    for arg in args:
        if not isinstance(arg, (m_ast.Char_Array_Literal, m_ast.String_Literal)):
            return None
        values.append(arg.t_string.value)
    return values


class _Analysis:
    """One walk over a parse tree: workspaces, called names and hazard findings."""

    def __init__(self, path: Path, tree: m_ast.Compilation_Unit):
        self.path = path
        self.tree = tree
        self.called: dict[str, tuple[int, int]] = {}
        self.findings: list[Finding] = []
        self._octave_only_seen: set[str] = set()
        functions = _functions(tree)
        self.local_functions = {str(f.n_sig.n_name): f for f in functions}
        self._in_script_body = False
        self._early_local_calls: dict[str, tuple[int, int]] = {}

        if isinstance(tree, m_ast.Script_File):
            self._in_script_body = True
            self._walk(tree.n_statements, _assigned(tree.n_statements, set(_ALWAYS_VARIABLES)))
            self._in_script_body = False
        for fdef in functions:
            self._walk(fdef.n_body, self._workspace(fdef))
        for name, (line, col) in sorted(self._early_local_calls.items()):
            self.findings.append(_finding(
                path, line, col, "undefined", name,
                f"{name} is a local function at the end of this script; Octave 7.3 defines such functions "
                f"only when execution reaches them, so this call fails with \"'{name}' undefined\". Move "
                f"{name} to its own file {name}.m next to the script."))

    def signature(self) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
        if isinstance(self.tree, m_ast.Function_File):
            sig = self.tree.l_functions[0].n_sig
            return ("function", str(sig.n_name), tuple(str(n) for n in sig.l_inputs),
                    tuple(str(n) for n in sig.l_outputs))
        if isinstance(self.tree, m_ast.Class_File):
            return "class", None, (), ()
        return "script", None, (), ()

    def _workspace(self, fdef: m_ast.Function_Definition) -> set[str]:
        names = set(_ALWAYS_VARIABLES)
        names.update(str(n) for n in fdef.n_sig.l_inputs + fdef.n_sig.l_outputs)
        if isinstance(fdef.n_parent, m_ast.Function_Definition):  # nested: shares the parent's
            names |= self._workspace(fdef.n_parent)
        return _assigned(fdef.n_body, names)

    # -- walking ------------------------------------------------------------------------------

    def _walk(self, node: m_ast.Node, variables: set[str]) -> None:
        if isinstance(node, (m_ast.Function_Definition, m_ast.Special_Block, m_ast.Metaclass,
                             m_ast.Global_Statement, m_ast.Persistent_Statement, m_ast.Import_Statement,
                             m_ast.Function_Signature)):
            return  # own workspace, declarations, or class/validation syntax
        if isinstance(node, m_ast.Lambda_Function):
            params = {str(p) for p in node.l_parameters}
            self._walk(node.n_body, variables | params)
        elif isinstance(node, m_ast.Simple_Assignment_Statement):
            self._target(node.n_lhs, variables)
            self._walk(node.n_rhs, variables)
        elif isinstance(node, m_ast.Compound_Assignment_Statement):
            for target in node.l_lhs:
                self._target(target, variables)
            self._walk(node.n_rhs, variables)
        elif isinstance(node, (m_ast.For_Loop_Statement, m_ast.Try_Statement)):
            for child in children(node):
                if child is not node.n_ident:
                    self._walk(child, variables)
        elif isinstance(node, m_ast.Function_Call):
            if node.variant != "escape":  # `!cmd` runs a shell command, no MATLAB name
                self._use(node.n_name, variables, _literal_args(node.l_args))
            for arg in node.l_args:
                self._walk(arg, variables)
        elif isinstance(node, m_ast.Reference):
            self._use(node.n_ident, variables, _literal_args(node.l_args))
            for arg in node.l_args:
                self._walk(arg, variables)
        elif isinstance(node, m_ast.Cell_Reference):
            self._use(node.n_ident, variables, None)
            for arg in node.l_args:
                self._walk(arg, variables)
        elif isinstance(node, (m_ast.Identifier, m_ast.Selection, m_ast.Dynamic_Selection)):
            self._use(node, variables, [])
        elif isinstance(node, m_ast.Function_Pointer):
            self._use(node.n_name, variables, None, classify=False)  # @f needs f, does not call it yet
        elif isinstance(node, m_ast.Name_Value_Pair):
            if node.n_value is not None:
                self._walk(node.n_value, variables)
        else:
            for child in children(node):
                self._walk(child, variables)

    def _target(self, node: m_ast.Node, variables: set[str]) -> None:
        """An assignment target: its root is being assigned, but its indices are read."""
        if isinstance(node, (m_ast.Reference, m_ast.Cell_Reference)):
            self._target(node.n_ident, variables)
            for arg in node.l_args:
                self._walk(arg, variables)
        elif isinstance(node, m_ast.Selection):
            self._target(node.n_prefix, variables)
        elif isinstance(node, m_ast.Dynamic_Selection):
            self._target(node.n_prefix, variables)
            self._walk(node.n_field, variables)
        elif not isinstance(node, m_ast.Identifier):
            self._walk(node, variables)

    def _use(self, node: m_ast.Node, variables: set[str], args: list[str] | None, classify=True) -> None:
        """``node`` is read or called; ``args`` are its literal arguments (None: not all literal)."""
        if isinstance(node, m_ast.Selection) and _is_dotted(node):
            root = _root(node)
            if _is_name(root) and root.t_ident.value not in variables \
                    and root.t_ident.value not in self.local_functions:
                self._record(str(node), root.t_ident.location)
            return
        if isinstance(node, (m_ast.Selection, m_ast.Dynamic_Selection)):
            self._walk(node.n_prefix, variables)  # e.g. f(x).field: the call inside still counts
            if isinstance(node, m_ast.Dynamic_Selection):
                self._walk(node.n_field, variables)
            return
        if not isinstance(node, m_ast.Identifier):
            self._walk(node, variables)
            return
        if not _is_name(node):
            return
        name, loc = node.t_ident.value, node.t_ident.location
        if name in variables:
            return
        if name in self.local_functions:
            self._local_call(name, loc)
            return
        self._record(name, loc)
        if classify:
            self._classify(name, loc.line, loc.col_start + 1, args)

    def _record(self, name: str, loc: Location) -> None:
        where = (loc.line, loc.col_start + 1)
        if name not in self.called or where < self.called[name]:
            self.called[name] = where

    def _local_call(self, name: str, loc: Location) -> None:
        fdef = self.local_functions[name]
        where = (loc.line, loc.col_start + 1)
        defined_at = (fdef.t_fun.location.line, fdef.t_fun.location.col_start + 1)
        if self._in_script_body and where < defined_at:
            self._early_local_calls[name] = min(where, self._early_local_calls.get(name, where))

    def _classify(self, name: str, line: int, col: int, args: list[str] | None) -> None:
        def add(kind: str, label: str, text: str) -> None:
            self.findings.append(_finding(self.path, line, col, kind, label, text))

        if name == "pause":
            if args == []:
                add("pause", "pause", _PAUSE_BARE)
            elif not (args and args[0].lower() in ("on", "off", "query")):  # switches, no wait
                add("pause", "pause", _PAUSE_ARGS)
        elif name in _BLOCKING:
            add("blocking", name, _BLOCKING[name])
        elif name in ("clear", "clearvars", "clc"):
            label = name
            if name == "clear" and args is None:
                return  # clear(names{:}): which variables is unknown here
            if name == "clear" and args:
                options = {_CLEAR_OPTIONS.get(a.lower()) for a in args}
                label = next((o for o in ("clear all", "clear classes", "clear functions", "clear")
                              if o in options), None)
                if label is None:
                    return  # clear x y: only the named variables
            add("wipes-workspace", label, _WIPES[label][0])
        elif name == "close" and args and any(a.lower() == "all" for a in args):
            add("wipes-workspace", "close all", _WIPES["close all"][0])
        elif name in _GRAPHICS:
            add("graphics", name, f"{name} draws or changes a figure; the runner keeps figures headless, "
                                  f"so this only costs time (information, nothing to fix).")
        elif name in _OCTAVE_ONLY_FUNCTIONS and name not in self._octave_only_seen:
            self._octave_only_seen.add(name)
            add("not-matlab", name, f"{name} exists only in Octave (MATLAB has "
                                    f"{_OCTAVE_ONLY_FUNCTIONS[name]}); Octave runs it, MATLAB would not.")


# --------------------------------------------------------------------------------------------
# How a case calls the file


def script_problems(script, inputs, inputs_from, variables, draws: int, scan: Scan, *,
                    leading: bool = False) -> list[str]:
    """Why a case cannot run its ``.m`` file as configured (empty when it can), given the file's scan:
    a function file called by another name, inputs not in its signature's order, variables that are
    not its outputs, random draws of a script. ``leading``: the inputs may be the first of its
    parameters only (captured calls that gave fewer arguments, as the course called it: nargin)."""
    name = Path(script).name
    if scan.kind == "function":
        if scan.function_name != Path(script).stem:
            return [f"script: {name} defines function {scan.function_name!r}; MATLAB calls a function file by its "
                    f"file name, so rename one of them"]
        out = []
        if not inputs_from and tuple(inputs) != (scan.inputs[:len(inputs)] if leading else scan.inputs):
            out.append(f"inputs: {name} takes ({', '.join(scan.inputs)}) but the case gives "
                       f"({', '.join(inputs)}); list every argument, in order")
        extra = [v for v in variables if v.split(".")[0] not in scan.outputs]
        if extra:
            out.append(f"variables: {', '.join(extra)} not among {name}'s outputs ({', '.join(scan.outputs)})")
        return out
    if scan.kind == "class":
        return [f"script: {name} is a classdef file; run a script or a function file"]
    if draws > 1 or any("value" not in s for s in inputs.values()):
        return [f"draws: {name} is a script; draws need a function file (a script's `clear` and constants make "
                f"it one fixed example). Write its loop as a function, like matlab_ref/rnn2_loop.m"]
    return []


_LISTINGS: dict[str, tuple[tuple[int, int], dict[str, Path]]] = {}


def _m_files_by_name(folder: Path) -> dict[str, Path]:
    """The ``.m`` files of ``folder`` by name (read only); listed again only when the folder's entries
    change (its modification time or inode). The workflow asks for each case's dependencies at start-up:
    listing a folder of N scripts for each of its N cases made that quadratic (seconds at a thousand)."""
    try:
        st = folder.stat()
    except OSError:
        return {}
    stamp = (st.st_mtime_ns, st.st_ino)
    key = str(folder)
    known = _LISTINGS.get(key)
    if known is None or known[0] != stamp:
        known = _LISTINGS[key] = (stamp, {p.stem: p for p in sorted(folder.glob("*.m"))})
    return known[1]


def m_dependencies(script, shim_dirs: Sequence = (), *, cached=uncached) -> tuple[list[Path], list[Path]]:
    """``(m_files, shims)``: the ``.m`` files beside ``script`` that it calls (transitively, itself
    first) and the shim files it may call. Octave runs a script in its own folder, so the functions
    it can reach are those beside it, then the shims (only for names Octave lacks; a name listed
    here may still be Octave's own).

    ``cached(kind, path, compute)`` may keep what scanning a file told between runs: the workflow passes
    its scan cache (:func:`rnncore.pipeline.sources.cached`), so a run where nothing changed parses no file;
    the engine keeps no cache of its own."""

    def _called(mfile: Path) -> list[str]:
        return cached("m", mfile, lambda: sorted(scan_m_file(mfile).called))

    script = Path(script)
    shims = {}
    for d in shim_dirs:
        shims.update(_m_files_by_name(Path(d)))
    beside = _m_files_by_name(script.parent)
    files, used, todo = [], set(), [script]
    while todo:
        mfile = todo.pop(0)
        if mfile in files:
            continue
        files.append(mfile)
        for name in _called(mfile):
            if name in beside and beside[name] not in files:
                todo.append(beside[name])
            elif name in shims and name not in beside:
                used.add(shims[name])
    for shim in sorted(used):  # a shim may call another shim
        for name in _called(shim):
            if name in shims and shims[name] not in used:
                used.add(shims[name])
    return files, sorted(used)
