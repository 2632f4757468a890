"""MISS_HIT's parse tree of one ``.m`` file -> the source of one Python module.

Expressions are built as Python ``ast`` nodes and printed with :func:`ast.unparse` (which puts the
parentheses Python's precedence needs); statements are laid out line by line here, so that every
statement can carry its ``# line N`` marker and the comments of its lines. The module is then
formatted with black (see :mod:`rnncore.translate`).

What the generated code looks like, and why:

* operators stay numpy's (``a + b``, ``a * 2``, ``x ** 2``, ``a == b``, ``~a``): MATLAB values are
  :class:`rnncore.translate.runtime.MArray`, whose operators follow MATLAB; MATLAB's ``*``, ``/``,
  ``\\`` and ``^`` are matrix operations unless a side is a number, so they become ``mr.mtimes``
  and friends unless one side is a literal number;
* indexing is ``mr.index(A, i, j)`` and assignment ``A = mr.assign(A, i, j, value=..., reuse=True)``,
  with 1-based subscripts as in the ``.m`` file and ``end`` spelled ``mr.endof(A, k, n)`` (the size
  of dimension k of n subscripts); ``reuse=True`` lets the runtime write into A's array when no
  other value holds it, instead of copying the whole array;
* a number or text that is stored (``x = 3``, ``s = 'abc'``) is made a MATLAB value
  (``mr.double(3)``, ``mr.char("abc")``); as an operand or argument it stays a Python literal.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from miss_hit_core import m_ast

from rnncore.engine.preflight import children
from rnncore.translate.builtins import (BUILTINS, CONSTANTS, NO_OPS, OPERATOR_FUNCTIONS, SPECIAL, TEXT_ARGUMENTS,
                                        UNSUPPORTED)
from rnncore.translate.errors import TranslationError
from rnncore.translate.parse import Parsed
from rnncore.translate.runtime import py_name
from rnncore.translate.octave_text import handle_text
from rnncore.translate.runtime.display import format_words_ok
from rnncore.engine.preflight import file_command
from rnncore.translate.scope import Workspace, analyse
from rnncore.translate.specialise import PURE, effects, is_pure, plain_body

__all__ = ["Signature", "signature_of", "emit_module"]


@dataclass(frozen=True)
class Signature:
    """How a ``.m`` file is called: a script, or a function with its inputs and outputs."""

    name: str
    kind: str  # "script" | "function"
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    reads_nargout: bool = False  # the function reads nargout: its callers say how many outputs they take
    # the functions it calls beyond the side-effect-free ones (specialise.effects); None: not known
    calls: frozenset[str] | None = None

    @property
    def varargin(self) -> bool:
        return self.inputs[-1:] == ("varargin",)

    @property
    def varargout(self) -> bool:
        return self.outputs[-1:] == ("varargout",)


def signature_of(parsed: Parsed) -> Signature:
    tree = parsed.tree
    stem = tree.name.rsplit(".", 1)[0]
    if isinstance(tree, m_ast.Function_File):
        sig = _function_signature(tree.l_functions[0], stem)
        # what the file's subfunctions call counts as the file's own calls (its callers see no
        # subfunction by name); one named like a MATLAB function would shadow it: never taken as pure
        own = {str(f.n_sig.n_name) for f in tree.l_functions}
        calls = set(sig.calls)
        for f in tree.l_functions[1:]:
            calls |= _function_signature(f, str(f.n_sig.n_name)).calls
        calls -= own
        if own & PURE:
            calls.add(" shadowed")
        return replace(sig, calls=frozenset(calls))
    return Signature(stem, "script")


def _function_signature(f: m_ast.Function_Definition, name: str) -> Signature:
    sig = f.n_sig
    inputs, outputs = tuple(str(n) for n in sig.l_inputs), tuple(str(n) for n in sig.l_outputs)
    calls = effects(f.n_body, analyse(f.n_body, inputs, outputs).variables)
    return Signature(name, "function", inputs, outputs, _reads_nargout(f.n_body), calls)


def _reads_nargout(node: m_ast.Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, m_ast.Identifier) and n.t_ident.value == "nargout":
            return True
        stack.extend(children(n))
    return False


Resolver = Callable[[str], "Signature | None"]

# MATLAB binary operators that are numpy's own (on MArray operands).
_ELEMENTWISE = {"+": ast.Add, "-": ast.Sub, ".*": ast.Mult, "./": ast.Div, ".^": ast.Pow}
_COMPARE = {"==": ast.Eq, "~=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE}
_MATRIX = {"*": "mtimes", "/": "mrdivide", "\\": "mldivide", "^": "mpower"}
_HANDLE_UFUNCS = {"plus": "add", "minus": "subtract", "times": "multiply", "rdivide": "divide", "power": "power",
                  "eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
                  "ge": "greater_equal", "and": "logical_and", "or": "logical_or"}


@dataclass
class E:
    """An emitted expression; ``lit`` is "num" or "str" when it is a bare Python literal."""

    node: ast.expr
    lit: str | None = None


def _name(n: str) -> ast.Name:
    return ast.Name(id=n, ctx=ast.Load())


def _attr(module: str, name: str) -> ast.expr:
    return ast.Attribute(value=_name(module), attr=name, ctx=ast.Load())


def _dotted(path: str) -> ast.expr:
    module, _, name = path.partition(".")
    return _attr(module, name) if name else _name(module)


def _call(func: str | ast.expr, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    f = _dotted(func) if isinstance(func, str) else func
    return ast.Call(func=f, args=list(args), keywords=[ast.keyword(arg=k, value=v) for k, v in kwargs.items()])


def _const(v) -> ast.Constant:
    return ast.Constant(value=v)


def _src(node: ast.AST) -> str:
    return ast.unparse(node)


@dataclass
class _Module:
    """State shared by the functions of one module."""

    parsed: Parsed
    resolve: Resolver
    local: dict[str, Signature]  # subfunctions of this file
    own: Signature | None = None  # the primary function of a function file
    callees: dict[str, Signature] = field(default_factory=dict)  # sibling files called
    uses_np: bool = False
    plain: bool = False  # a function has a plain-numpy body (rnncore.translate.specialise)


def emit_module(parsed: Parsed, resolve: Resolver) -> tuple[str, dict[str, Signature]]:
    """The module's source (before formatting) and the sibling ``.m`` functions it calls."""
    tree = parsed.tree
    sig = signature_of(parsed)
    if py_name(sig.name) != sig.name or not sig.name.isidentifier():
        raise TranslationError(parsed.label, 1, f"the file name {tree.name}",
                               "a translated file's name must be a MATLAB identifier that is not a Python keyword")
    functions = list(tree.l_functions)
    for f in functions:
        if f.l_nested:
            raise TranslationError(parsed.label, f.l_nested[0].loc().line, "a nested function",
                                   "write it as a subfunction after the end of its parent")
        if f.l_validation:
            raise TranslationError(parsed.label, f.loc().line, "an arguments block",
                                   "argument validation is outside the subset")
    primary = functions[0] if isinstance(tree, m_ast.Function_File) else None
    local = {}
    for f in functions:
        if f is primary:
            continue
        local[str(f.n_sig.n_name)] = _function_signature(f, str(f.n_sig.n_name))
    module = _Module(parsed, resolve, local, own=sig if primary is not None else None)
    bodies = []
    given: list[str] = []
    if primary is None:
        script = _Function(module, None, tree.n_statements, sig.name)
        bodies.append(script.emit())
        given = script.given
    start = 1 if primary is not None else None  # a function file's comments above its first function
    for f in functions:
        name = sig.name if f is primary else "_" + str(f.n_sig.n_name)
        region = start if start is not None else parsed.span(f)[0]
        fn = _Function(module, f, f.n_body, name, region)
        fn.plain = plain_body(fn, fn.pure_user_function)
        if fn.plain is not None:
            module.plain = module.uses_np = True
            bodies.append(fn.plain)
        bodies.append(fn.emit())
        if fn.plain is not None:  # what mp.call takes from another plain body, past the general one
            bodies[-1] += f"\n\n\n{name}.plain = _{name}_plain"
        start = parsed.block_end.get(f.uid, parsed.span(f)[1]) + 1

    head = [f'"""Python port of {tree.name}, written by `rnncore translate` from the MATLAB source.',
            "",
            "Regenerate it rather than editing it. MATLAB's semantics (1-based subscripts, column-major",
            "order, arrays that grow on assignment) come from rnncore.translate.runtime, imported as mr;",
            "`# line N` marks the statement on line N of the .m file.",
            _contract_text(sig, given),
            '"""', ""]
    imports = ["import numpy as np", ""] if module.uses_np else []
    imports.append("from rnncore.translate import runtime as mr")
    if module.plain:
        imports.append("from rnncore.translate.runtime import plain as mp")
    for callee in sorted(module.callees):
        imports.append(f"from .{callee} import {py_name(callee)}")
    return "\n".join(head + imports + ["", ""] + ["\n\n\n".join(bodies)]) + "\n", dict(module.callees)


def _contract_text(sig: Signature, given: list[str]) -> str:
    if sig.kind == "script" and not given:
        return f"\n{sig.name}() returns every variable the script leaves in its workspace, by name."
    if sig.kind == "script":
        return (f"\n{sig.name}(inputs) returns every variable the script leaves in its workspace, by name;\n"
                f"inputs maps the variables it reads before assigning them ({', '.join(given)}) to values.")
    outs = ", ".join(sig.outputs) or "(none)"
    return (f"\n{sig.name}({', '.join(sig.inputs)}) returns its outputs by name: {outs}.")


class _Function:
    """One workspace: a script body, or one MATLAB function."""

    def __init__(self, module: _Module, fdef: m_ast.Function_Definition | None, body: m_ast.Sequence_Of_Statements,
                 py_fn: str, region_start: int = 1):
        self.m = module
        self.parsed = module.parsed
        self.label = module.parsed.label
        self.fdef = fdef
        self.body = body
        self.py_fn = py_fn
        self.region_start = region_start
        self.is_script = fdef is None
        if fdef is not None:
            sig = fdef.n_sig
            for k, n in enumerate(sig.l_inputs):
                if n.t_ident.kind != "IDENTIFIER" or str(n) == "varargin" and k != len(sig.l_inputs) - 1:
                    raise TranslationError(self.label, n.loc().line, f"the parameter {n}",
                                           "~ parameters are outside the subset, and varargin comes last")
            for k, n in enumerate(sig.l_outputs):
                if str(n) == "varargout" and k != len(sig.l_outputs) - 1:
                    raise TranslationError(self.label, n.loc().line, "the output varargout",
                                           "varargout comes last among the outputs")
            self.params = tuple(str(n) for n in sig.l_inputs)
            self.outputs = tuple(str(n) for n in sig.l_outputs)
        else:
            self.params, self.outputs = (), ()
        self.ws: Workspace = analyse(body, self.params, self.outputs)
        self.lines: list[str] = []
        self.level = 1
        self.temps = 0
        self.end_stack: list[tuple[ast.expr, int, int]] = []
        self.lambda_scopes: list[set[str]] = []
        self.nargout_body: m_ast.Node | None = None  # a call whose outputs an anonymous function passes on
        first, last = self._region()
        self.comments = [c for c in self.parsed.comments if first <= c.line <= last]
        self.leading_clear: int | None = None  # the uid of a clear that runs before anything else
        self.cleared_at_start = self.is_script and self._clears_first()
        self.given: list[str] = []
        self.last_line = first
        self.plain: str | None = None  # the source of the plain-numpy body, tried first

    # -- layout -----------------------------------------------------------------------------------

    def _region(self) -> tuple[int, int]:
        if self.fdef is not None:
            first, last = self.parsed.span(self.fdef)
            return min(first, self.region_start), self.parsed.block_end.get(self.fdef.uid, last)
        tree = self.parsed.tree
        first_fn = min((self.parsed.span(f)[0] for f in tree.l_functions), default=10 ** 9)
        return 1, first_fn - 1

    def write(self, code: str, line: int | None = None, span: tuple[int, int] | None = None) -> None:
        marker = ""
        if line is not None:
            notes = self._trailing(span or (line, line))
            marker = f"  # line {line}" + (": " + "; ".join(notes) if notes else "")
        self.lines.append("    " * self.level + code + marker)

    def note(self, text: str) -> None:
        self.lines.append("    " * self.level + "# " + text)

    def _trailing(self, span: tuple[int, int]) -> list[str]:
        first, last = span
        taken = [c for c in self.comments if first <= c.line <= last and (not c.own_line or c.line > first)]
        for c in taken:
            self.comments.remove(c)
        return [" ".join(t.strip() for t in c.lines if t.strip()) for c in taken if any(t.strip() for t in c.lines)]

    def flush_comments(self, before: int) -> None:
        """Own-line comments above source line ``before``, at the current indentation."""
        for c in [c for c in self.comments if c.line < before]:
            self.comments.remove(c)
            if not c.own_line:
                continue
            if self.parsed.blank_line_before(c.line) and c.line > self.last_line + 1:
                self.lines.append("")
            for text in c.lines:
                text = text[1:] if text.startswith(" ") else text  # the space of "% text"
                self.lines.append("    " * self.level + ("# " + text if text else "#"))
            self.last_line = c.line + len(c.lines) - 1

    def docstring(self, before: int) -> list[str]:
        """Own-line comments before the first statement: the help text, as the docstring."""
        rows, prev = [], None
        for c in [c for c in self.comments if c.line < before and c.own_line]:
            self.comments.remove(c)
            if prev is not None and c.line > prev + 1:
                rows.append("")
            rows.extend(c.lines)
            prev = c.line + len(c.lines) - 1
        while rows and not rows[-1].strip():
            rows.pop()
        if not rows:
            return []
        rows = [r[1:] if r.startswith(" ") else r for r in rows]  # the space of "% text"
        text = "\n".join(r.rstrip() for r in rows).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        indent = "    " * self.level
        body = text.replace("\n", "\n" + indent).replace(indent + "\n", "\n")
        return [f'{indent}"""{body}', f'{indent}"""'] if "\n" in text else [f'{indent}"""{body}"""']

    # -- the function -------------------------------------------------------------------------------

    def emit(self) -> str:
        stmts = self.body.l_statements
        first_line = self.parsed.span(stmts[0])[0] if stmts else _end_line(self)
        above = []  # comments between the previous function and this one's `function` line
        if self.fdef is not None:
            level, self.level, kept = self.level, 0, self.lines
            self.lines = above
            self.flush_comments(self.parsed.span(self.fdef)[0])
            self.level, self.lines = level, kept
        doc = self.docstring(first_line)
        self._check_names()
        header = self._header()
        prologue = self._prologue()
        for s in stmts:
            self.statement(s)
        self.flush_comments(_end_line(self) + 1)
        self.write("return " + self._return_expr())
        return "\n".join(above + header + doc + self._plain_first() + prologue + self.lines)

    def _plain_first(self) -> list[str]:
        """The call of the plain-numpy body; if anything in it is not as proven, this general body decides."""
        if self.plain is None:
            return []
        args = ", ".join(py_name(p) for p in self.params)
        return ["    try:", f"        return _{self.py_fn}_plain({args})",
                "    except Exception:  # a kind or shape it did not prove: MATLAB's result (or error) below",
                "        pass"]

    def pure_user_function(self, name: str, node: m_ast.Node) -> tuple[Signature, str] | None:
        """A translated function the plain body may call: one without side effects, through its callees."""
        found = self.user_function(name, node)
        if found is None:
            return None

        def lookup(n: str) -> Signature | None:
            if n in self.m.local:
                return self.m.local[n]
            if self.m.own is not None and n == self.m.own.name:
                return self.m.own
            return self.m.resolve(n)

        return (found[0], _src(found[1])) if is_pure(name, lookup) else None

    def _header(self) -> list[str]:
        if self.is_script:
            arg = "inputs=None" if self.given else ""
            return [f"def {self.py_fn}({arg}):"]
        opt = self.ws.optional_from  # from nargin comparisons, or exist('p', 'var') of a parameter
        params = []
        for k, p in enumerate(self.params):
            if p == "varargin":
                params.append("*varargin")
                continue
            params.append(py_name(p) + ("=None" if opt is not None and k >= opt else ""))
        if self.ws.uses_nargout:
            params.append(f"nargout={len(self.outputs)}")  # called from Python: every output
            if not self.params[-1:] == ("varargin",):
                params.insert(len(params) - 1, "*")
        return ["@mr.function", f"def {self.py_fn}({', '.join(params)}):"]

    def _prologue(self) -> list[str]:
        out = []
        ind = "    "
        if not self.is_script and self.params[-1:] == ("varargin",):
            out.append(f"{ind}varargin = mr.Cell(varargin, (1, len(varargin)) if varargin else (0, 0))")
        if not self.is_script and self.ws.uses_nargin:
            args = ", ".join(("*varargin" if p == "varargin" else py_name(p)) for p in self.params)
            out.append(f"{ind}nargin = mr.nargin({args})")
        if not self.is_script and self.ws.uses_nargout:
            out.append(f"{ind}nargout = mr.double(nargout)")
        if self.given:
            out.append(f"{ind}# The workspace the script starts from: variables it reads before assigning them")
            out.append(f"{ind}# (a case's inputs); undefined where inputs lacks them.")
            for n in self.given:
                out.append(f'{ind}{py_name(n)} = mr.given(inputs, "{n}")')
        undefined = [n for n in self.ws.order if n not in self.given and self.ws.needs_undefined(n)]
        if undefined:
            out.append(f"{ind}# Created by their first indexed assignment, as MATLAB does.")
            for n in undefined:
                out.append(f'{ind}{py_name(n)} = mr.undefined("{n}")')
        return out

    def _return_expr(self) -> str:
        if self.is_script:
            return "mr.workspace(locals())"
        return "mr.outputs(locals()" + "".join(f', "{o}"' for o in self.outputs) + ")"

    def _clears_first(self) -> bool:
        """Whether the script clears its workspace before anything else (``clc; clear; close all``)."""
        for stmt in self.body.l_statements:
            if self._clear_kind(stmt) == "all":
                self.leading_clear = stmt.uid
                return True
            e = stmt.n_expr if isinstance(stmt, m_ast.Naked_Expression_Statement) else None
            root = e.n_ident if isinstance(e, m_ast.Reference) else e.n_name if isinstance(e, m_ast.Function_Call) else e
            if not (isinstance(root, m_ast.Identifier) and str(root) in NO_OPS | {"format", "more"}):
                return False
        return False

    def _check_names(self) -> None:
        """Names read before being assigned: a script's inputs, or an error."""
        for name in self.ws.order:
            if name in self.ws.variables:
                if self.is_script and not self.cleared_at_start and self.ws.read_first(name):
                    self.given.append(name)
                continue
            if self._is_function(name):
                continue
            if name in self.ws.called and name not in self.ws.bare:
                # name(args) and never assigned, never read whole: a call of a function that is not here
                hint = f"; if {name} is an input variable of the script, read it whole once, as in " \
                       f"n = numel({name}), before indexing it" if self.is_script else ""
                raise self.unsupported(self.ws.called[name], f"the function {name}",
                                       f"{name}.m is not in the folder of {self._file_name()}, and {name} is not "
                                       f"a MATLAB function rnncore translate supports{hint}")
            if self.is_script and not self.cleared_at_start:
                self.given.append(name)

    def _file_name(self) -> str:
        return self.label.replace("\\", "/").rsplit("/", 1)[-1]

    def _is_function(self, name: str) -> bool:
        return (name in self.m.local or self.m.own is not None and name == self.m.own.name or name in BUILTINS or name in CONSTANTS or name in SPECIAL
                or name in NO_OPS or name in UNSUPPORTED or self.m.resolve(name) is not None
                or name in ("true", "false", "end", "ans", "i", "j"))

    # -- statements ---------------------------------------------------------------------------------

    def statement(self, s: m_ast.Node) -> None:
        first, last = self.parsed.span(s)
        self.flush_comments(first)
        if self.parsed.blank_line_before(first) and first > self.last_line + 1 and self.lines:
            self.lines.append("")
        self.last_line = last
        span = (first, last)
        if isinstance(s, m_ast.Simple_Assignment_Statement):
            self.assignment(s, first, span)
        elif isinstance(s, m_ast.Compound_Assignment_Statement):
            self.multi_assignment(s, first, span)
        elif isinstance(s, m_ast.Naked_Expression_Statement):
            self.naked(s, first, span)
        elif isinstance(s, m_ast.If_Statement):
            self.if_statement(s)
        elif isinstance(s, m_ast.General_For_Statement):
            self.for_statement(s, first)
        elif isinstance(s, m_ast.While_Statement):
            guard = self.guard(s.n_guard)
            self.block(f"while {guard}:", first, s.n_body, self.parsed.block_end.get(s.uid, last))
        elif isinstance(s, m_ast.Break_Statement):
            self.write("break", first, span)
        elif isinstance(s, m_ast.Continue_Statement):
            self.write("continue", first, span)
        elif isinstance(s, m_ast.Return_Statement):
            self.write("return " + self._return_expr(), first, span)
        elif isinstance(s, m_ast.Switch_Statement):
            self.switch_statement(s, first)
        elif isinstance(s, m_ast.Try_Statement):
            self.try_statement(s, first)
        else:
            raise self.unsupported(s, _construct_name(s), _WHY.get(type(s).__name__, "outside the subset"))

    def block(self, header: str, line: int, body: m_ast.Sequence_Of_Statements, end_line: int) -> None:
        self.write(header, line, (line, line))
        self.level += 1
        start = len(self.lines)
        for st in body.l_statements:
            self.statement(st)
        self.flush_comments(end_line)
        if not any(ln.strip() and not ln.strip().startswith("#") for ln in self.lines[start:]):
            self.lines.append("    " * self.level + "pass")
        self.level -= 1
        self.last_line = end_line

    def if_statement(self, s: m_ast.If_Statement) -> None:
        end_line = self.parsed.block_end.get(s.uid, self.parsed.span(s)[1])
        actions = s.l_actions
        for k, action in enumerate(actions):
            line = self.parsed.span(action)[0]
            nxt = self.parsed.span(actions[k + 1])[0] if k + 1 < len(actions) else end_line
            if k:
                self.flush_comments(line)
            kind = action.kind()
            header = "else:" if kind == "else" else f"{'if' if kind == 'if' else 'elif'} {self.guard(action.n_expr)}:"
            self.block(header, line, action.n_body, nxt)

    def switch_statement(self, s: m_ast.Switch_Statement, line: int) -> None:
        """``switch`` as if/elif on a copy of its value, matched by Octave's rule (mr.switch_match)."""
        self.temps += 1
        tmp = f"_switch{self.temps}"
        self.write(f"{tmp} = {_src(self.value(s.n_expr))}", line, (line, line))
        end_line = self.parsed.block_end.get(s.uid, self.parsed.span(s)[1])
        actions = s.l_actions
        first = True
        for k, action in enumerate(actions):
            aline = self.parsed.span(action)[0]
            nxt = self.parsed.span(actions[k + 1])[0] if k + 1 < len(actions) else end_line
            self.flush_comments(aline)
            if action.n_expr is None:  # otherwise
                header = "else:" if not first else "if True:"
            else:
                header = f"{'if' if first else 'elif'} mr.switch_match({tmp}, {_src(self.arg(action.n_expr, text=True))}):"
            first = False
            self.block(header, aline, action.n_body, nxt)

    def try_statement(self, s: m_ast.Try_Statement, line: int) -> None:
        """``try``/``catch err``: MATLAB's run-time errors are MatlabError (a bug of the port is not caught)."""
        end_line = self.parsed.block_end.get(s.uid, self.parsed.span(s)[1])
        catch_line = s.t_catch.location.line if s.t_catch is not None else end_line
        self.block("try:", line, s.n_body, catch_line)
        self.flush_comments(catch_line)
        self.write("except mr.MatlabError as _error:", catch_line, (catch_line, catch_line))
        self.level += 1
        if s.n_ident is not None:
            self.write(f"{py_name(self.target_name(s.n_ident))} = mr.caught(_error)")
        else:
            self.write("mr.caught(_error)  # for lasterr")
        self.level -= 1
        if s.n_handler is not None:
            self.level += 1
            for st in s.n_handler.l_statements:
                self.statement(st)
            self.flush_comments(end_line)
            self.level -= 1
        self.last_line = end_line

    def for_statement(self, s: m_ast.General_For_Statement, line: int) -> None:
        var = py_name(s.n_ident.t_ident.value)
        it = self.value(s.n_expr)
        self.temps += 1
        cols = f"_columns{self.temps}"
        # Octave leaves the variable holding the (empty) range when the loop runs no pass: mr.loop gives it
        self.write(f"{var}, {cols} = mr.loop({_src(it)})", line)
        header = f"for {var} in {cols}:"
        self.block(header, line, s.n_body, self.parsed.block_end.get(s.uid, self.parsed.span(s)[1]))

    def guard(self, e: m_ast.Node) -> str:
        """A condition of if/while: MATLAB's truth test is MArray.__bool__ (non-empty, all non-zero)."""
        if isinstance(e, m_ast.Number_Literal):
            return "True" if float(_number(self, e)) != 0 else "False"
        if isinstance(e, m_ast.Identifier) and str(e) in ("true", "false") and not self.is_variable(str(e)):
            return "True" if str(e) == "true" else "False"
        return _src(self.condition(e))

    def condition(self, e: m_ast.Node, shortcircuit: bool = True) -> ast.expr:
        if isinstance(e, m_ast.Binary_Logical_Operation) and e.t_op.value in ("&&", "||"):
            # Octave's parser makes & and | short-circuit only in a condition's own tree of & and |:
            # under && or || they are element-wise (both sides evaluated; a NaN there is an error)
            op = ast.Or() if e.t_op.value == "||" else ast.And()
            return ast.BoolOp(op=op, values=[self.condition(e.n_lhs, False), self.condition(e.n_rhs, False)])
        if shortcircuit and isinstance(e, m_ast.Binary_Logical_Operation) and e.t_op.value in ("&", "|"):
            # short-circuit only when the left side is one value; otherwise both sides are evaluated,
            # element by element
            return _call("mr.if_and" if e.t_op.value == "&" else "mr.if_or", *self.shortcircuit_operands(e))
        self.refuse_handle_value(e, "a condition")
        return self.value(e)

    def shortcircuit_operands(self, e: m_ast.Binary_Logical_Operation) -> tuple[ast.expr, ast.expr]:
        """The operands of a short-circuit & or |: an & or | among them short-circuits too (a value,
        ``mr.sc_and``/``mr.sc_or``); the right one is evaluated only when needed (a lambda)."""
        def operand(x: m_ast.Node) -> ast.expr:
            if isinstance(x, m_ast.Binary_Logical_Operation) and x.t_op.value in ("&", "|"):
                return _call("mr.sc_and" if x.t_op.value == "&" else "mr.sc_or", *self.shortcircuit_operands(x))
            return self.value(x)
        right = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                                              kw_defaults=[], kwarg=None, defaults=[]),
                           body=operand(e.n_rhs))
        return operand(e.n_lhs), right

    def refuse_handle_value(self, e: m_ast.Node, role: str) -> None:
        """Refuse a variable that holds a function handle (somewhere in this function) used as a value
        to compute with or to test. Octave stops at an operator (binary operator '.^' not implemented
        for 'function handle' by 'double' operations) and takes a handle tested by if/while as
        false; a Python function would be true and raise TypeError at an operator, so the port could
        not mean the same thing. Course code never does either."""
        if not isinstance(e, m_ast.Identifier):
            return
        name = str(e)
        if name in self.ws.handles and self.is_variable(name) and not any(name in s for s in self.lambda_scopes):
            raise self.unsupported(e, f"the function handle {name} as {role}",
                                   "a function handle has no value to compute with or to test")

    # assignments

    def assignment(self, s: m_ast.Simple_Assignment_Statement, line: int, span) -> None:
        lhs, rhs = s.n_lhs, s.n_rhs
        display = self.parsed.displays.get(s.uid, True)
        if isinstance(lhs, (m_ast.Reference, m_ast.Cell_Reference)) and not isinstance(lhs.n_ident, m_ast.Identifier):
            name, code = self.nested_assignment(lhs, self.arg(rhs), _is_empty_matrix(rhs))
            self.write(code, line, span)
        elif isinstance(lhs, m_ast.Identifier):
            name = self.target_name(lhs)
            self.write(f"{py_name(name)} = {_src(self.value(rhs))}", line, span)
        elif isinstance(lhs, (m_ast.Reference, m_ast.Cell_Reference)):
            name = self.target_name(lhs.n_ident)
            var = _name(py_name(name))
            subs = self.subscripts(var, lhs.l_args) if isinstance(lhs, m_ast.Reference) else \
                self.brace_subscripts(lhs, var)
            if isinstance(lhs, m_ast.Reference) and _is_empty_matrix(rhs):
                code = _call("mr.delete", var, *subs)
            elif isinstance(lhs, m_ast.Reference):
                # reuse: the result goes back into the variable it was read from, so the runtime may
                # write in place when nothing else holds the array (mr.assign's docstring).
                code = _call("mr.assign", var, *subs, value=self.arg(rhs), reuse=_const(True))
            else:
                code = _call("mr.assign_content", var, *subs, value=self.arg(rhs))
            self.write(f"{py_name(name)} = {_src(code)}", line, span)
        elif isinstance(lhs, _CHAIN):
            name, code = self.nested_assignment(lhs, self.arg(rhs), _is_empty_matrix(rhs))
            self.write(code, line, span)
        else:
            raise self.unsupported(lhs, _construct_name(lhs), _WHY.get(type(lhs).__name__, "outside the subset"))
        if display:
            self.write_display(name, py_name(name), rhs if isinstance(lhs, m_ast.Identifier) else None)

    def write_display(self, name: str, var: str, rhs: m_ast.Node | None = None) -> None:
        """``mr.display``; a function handle written here gets Octave's text of it (octave_text)."""
        text = handle_text(rhs) if isinstance(rhs, (m_ast.Lambda_Function, m_ast.Function_Pointer)) else None
        self.write(_src(_call("mr.display", _const(name), _name(var), *([_const(text)] if text else []))))

    def nested_assignment(self, lhs: m_ast.Node, value: ast.expr, delete: bool = False) -> tuple[str, str]:
        """``x{k}(i) = v``, ``s.f = v``, ``s.a.b(i) = v``, ``s(k).f = v``: each level read (created
        if missing, as MATLAB does), the innermost changed, and each level put back in its holder.
        Returns the variable's name and the statement (one line; levels read into temporaries)."""
        steps, node = [], lhs
        while isinstance(node, _CHAIN):
            steps.append(node)
            node = node.n_prefix if isinstance(node, (m_ast.Selection, m_ast.Dynamic_Selection)) else node.n_ident
        steps.reverse()
        name = self.target_name(node)
        holders = [_name(py_name(name))]
        reads = []
        for step in steps[:-1]:
            cur = holders[-1]
            if isinstance(step, m_ast.Reference):
                read = _call("mr.index_for_assign", cur, *self.subscripts(cur, step.l_args))
            elif isinstance(step, m_ast.Cell_Reference):
                read = _call("mr.content_for_assign", cur, *self.brace_subscripts(step, cur))
            else:
                read = _call("mr.field_for_assign", cur, self.field_name(step))
            self.temps += 1
            tmp = f"_part{self.temps}"
            reads.append(f"{tmp} = {_src(read)}")
            holders.append(_name(tmp))
        new = value
        for k in range(len(steps) - 1, -1, -1):
            step, holder = steps[k], holders[k]
            if isinstance(step, m_ast.Reference):
                subs = self.subscripts(holder, step.l_args)
                new = _call("mr.delete", holder, *subs) if delete and k == len(steps) - 1 else \
                    _call("mr.assign", holder, *subs, value=new)
            elif isinstance(step, m_ast.Cell_Reference):
                new = _call("mr.assign_content", holder, *self.brace_subscripts(step, holder), value=new)
            else:
                new = _call("mr.setfield", holder, self.field_name(step), new)
        return name, "; ".join(reads + [f"{py_name(name)} = {_src(new)}"])

    def target_name(self, ident: m_ast.Node) -> str:
        if not isinstance(ident, m_ast.Identifier) or ident.t_ident.kind != "IDENTIFIER":
            raise self.unsupported(ident, _construct_name(ident), "only variables and their elements can be assigned")
        name = ident.t_ident.value
        if name in ("nargin", "nargout"):
            raise self.unsupported(ident, f"assigning to {name}", "it is MATLAB's own")
        return name

    def multi_assignment(self, s: m_ast.Compound_Assignment_Statement, line: int, span) -> None:
        rhs = s.n_rhs
        n = len(s.l_lhs)
        call = self.multi_call(rhs, n)
        names, after = [], []
        for t in s.l_lhs:
            if isinstance(t, m_ast.Identifier) and t.t_ident.kind == "OPERATOR":  # ~
                names.append("_")
            elif isinstance(t, m_ast.Identifier):
                names.append(py_name(self.target_name(t)))
            elif isinstance(t, _CHAIN) and not (isinstance(t, (m_ast.Reference, m_ast.Cell_Reference))
                                                 and isinstance(t.n_ident, m_ast.Identifier)):
                self.temps += 1
                tmp = f"_out{self.temps}"
                names.append(tmp)
                after.append(self.nested_assignment(t, _name(tmp))[1])
            elif isinstance(t, (m_ast.Reference, m_ast.Cell_Reference)):
                self.temps += 1
                tmp = f"_out{self.temps}"
                names.append(tmp)
                name = self.target_name(t.n_ident)
                var = _name(py_name(name))
                if isinstance(t, m_ast.Reference):  # reuse: as for a single assignment
                    code = _call("mr.assign", var, *self.subscripts(var, t.l_args), value=_name(tmp),
                                 reuse=_const(True))
                else:
                    code = _call("mr.assign_content", var, *self.brace_subscripts(t, var), value=_name(tmp))
                after.append(f"{py_name(name)} = {_src(code)}")
            else:
                raise self.unsupported(t, _construct_name(t), "only variables and their elements can be assigned")
        self.write(f"{', '.join(names)} = {_src(call)}", line, span)
        for code in after:
            self.write(code)
        if self.parsed.displays.get(s.uid, True):
            for t in s.l_lhs:
                root = t
                while isinstance(root, _CHAIN):
                    root = root.n_prefix if isinstance(root, (m_ast.Selection, m_ast.Dynamic_Selection)) else \
                        root.n_ident
                if isinstance(root, m_ast.Identifier) and root.t_ident.kind == "IDENTIFIER":
                    self.write(f'mr.display("{root.t_ident.value}", {py_name(root.t_ident.value)})')

    def multi_call(self, rhs: m_ast.Node, n: int) -> ast.expr:
        """``[a, b, ...] = f(...)``: a call giving ``n`` values."""
        if isinstance(rhs, m_ast.Reference) and isinstance(rhs.n_ident, m_ast.Identifier):
            name, args = rhs.n_ident.t_ident.value, rhs.l_args
        elif isinstance(rhs, m_ast.Identifier):
            name, args = rhs.t_ident.value, []
        else:
            raise self.unsupported(rhs, "a multiple assignment from " + _construct_name(rhs),
                                   "the right-hand side must call a function")
        if self.is_variable(name):
            if name in self.ws.not_handles and name not in self.ws.handles:
                raise self.unsupported(rhs, f"[...] = {name}(...) on the array {name}",
                                       f"{name} is assigned an array here; an array gives one value, only a "
                                       f"function (or a function handle) gives several outputs")
            # a function handle called for several outputs (a parameter, or a variable holding @f)
            return _call("mr.call", _name(py_name(name)), *self.call_args(args), nargout=_const(n))
        if name == "feval" and args:
            f = args[0]
            if isinstance(f, m_ast.Char_Array_Literal):
                name, args = f.t_string.value, args[1:]
            elif isinstance(f, m_ast.Function_Pointer) and not self.is_variable(str(f.n_name)):
                name, args = str(f.n_name), args[1:]
            elif isinstance(f, m_ast.Identifier) and self.is_variable(str(f)):
                return _call("mr.call", _name(py_name(str(f))), *[self.arg(a) for a in args[1:]], nargout=_const(n))
        user = self.user_function(name, rhs)
        if user is not None:
            sig, fn = user
            if n > len(sig.outputs) and not sig.varargout:
                raise self.unsupported(rhs, f"asking {name} for {n} outputs", f"it has {len(sig.outputs)}")
            return self.take(sig, self.user_call(sig, fn, args, _const(n)), n)
        b = BUILTINS.get(name)
        if b is None or b.max_outputs < n:
            if b is not None or name in SPECIAL:
                raise self.unsupported(rhs, f"{name} with {n} outputs", f"{name} gives one output in the subset")
            return self.value(rhs)  # reports the unknown name
        return _call(b.python, *self.builtin_args(name, args), nargout=_const(n))

    def naked(self, s: m_ast.Naked_Expression_Statement, line: int, span) -> None:
        e = s.n_expr
        display = self.parsed.displays.get(s.uid, True)
        if isinstance(e, m_ast.Function_Call):
            self.command(e, line, span)
            return
        name = None
        args: list = []
        if isinstance(e, m_ast.Identifier) and e.t_ident.kind == "IDENTIFIER":
            name = e.t_ident.value
        elif isinstance(e, m_ast.Reference) and isinstance(e.n_ident, m_ast.Identifier):
            name, args = e.n_ident.t_ident.value, e.l_args
        if name in ("load", "save") and not self.is_variable(name):
            if file_command(e) is None:  # the variables it reads or creates must be known here
                raise self.unsupported(e, f"{name} as a statement without literal file and variable names",
                                       f"write them out: {name} data.mat a b, or {name}('data.mat', 'a', 'b')"
                                       + (", or X = load(name) for a numeric text file" if name == "load" else ""))
            self.load_or_save(e, line, span)
            return
        if name is not None and not self.is_variable(name):
            if name in NO_OPS:
                self.write_noop(e, line, span)
                return
            if name == "pause":
                self.note(f"line {line}: {' '.join(str(e).split())} (a port never waits: nothing to do)")
                self._trailing(span)
                return
            if name == "fflush" and len(args) == 1 and str(args[0]) in ("stdout", "stderr"):
                # nothing to flush in the port; Octave's fflush gives 0, which a statement leaves in ans
                self.write("ans = mr.double(0)", line, span)
                if display:
                    self.write('mr.display("ans", ans)')
                return
            if name in ("clear", "clearvars"):
                self.clear(e, name, [], line, span)
                return
            if name == "format" and not args:
                self.format_(e, [], line, span)
                return
            if name == "format" and all(isinstance(a, m_ast.Char_Array_Literal) for a in args):
                self.format_(e, [a.t_string.value for a in args], line, span)
                return
            if name in ("format", "more"):
                self.write_noop(e, line, span)
                return
            b = BUILTINS.get(name)
            seeds = name in ("rand", "randn") and args and isinstance(args[0], m_ast.Char_Array_Literal)
            if b is not None and (b.statement or seeds):  # rand('seed', s) sets a state, not `ans`
                self.write(_src(_call(b.python, *self.builtin_args(name, args))), line, span)
                return
            user = self.user_function(name, e)
            if user is not None and not user[0].outputs:
                self.write(_src(self.user_call(user[0], user[1], args, _const(0))), line, span)
                return
        if isinstance(e, m_ast.Identifier) and name is not None and self.is_variable(name):
            if display:
                self.write(f'mr.display("{name}", {py_name(name)})', line, span)
            else:
                self.write(py_name(name), line, span)
            return
        self.write(f"ans = {_src(self.value(e))}", line, span)
        if display:
            self.write_display("ans", "ans", e)

    def write_noop(self, e: m_ast.Node, line: int, span) -> None:
        if isinstance(e, m_ast.Function_Call) and e.variant == "command":
            text = " ".join([str(e.n_name)] + [a.t_string.value for a in e.l_args])
        else:
            text = " ".join(str(e).split())
        self.note(f"line {line}: {text} (console or figures only: nothing to do in the port)")
        self._trailing(span)

    def command(self, e: m_ast.Function_Call, line: int, span) -> None:
        """Command syntax: ``clear x``, ``close all``, ``hold on``, ``format long``."""
        name = str(e.n_name)
        words = [a.t_string.value for a in e.l_args]
        if name == "format":
            self.format_(e, words, line, span)
        elif name in NO_OPS or name in ("more", "pause") or (name == "warning" and words[:1] in (["off"], ["on"])):
            self.write_noop(e, line, span)
        elif name in ("clear", "clearvars"):
            self.clear(e, name, words, line, span)
        elif file_command(e) is not None:
            self.load_or_save(e, line, span)
        elif name in BUILTINS and BUILTINS[name].statement and name not in SPECIAL:
            # `addpath ../common` is addpath('../common'): a statement of the runtime, words as text
            self.write(_src(_call(BUILTINS[name].python, *(_call("mr.char", _const(w)) for w in words))), line, span)
        else:
            raise self.unsupported(e, f"the command `{' '.join([name] + words)}`",
                                   "command syntax is supported for clear, close, clc, figure, hold, format, "
                                   "load and save only")

    def load_or_save(self, e: m_ast.Node, line: int, span) -> None:
        """``load file a b`` / ``load data.txt`` (variables created) and ``save file a b`` (see scope.file_command)."""
        name, options, file, names = file_command(e)
        if name == "save":
            self.write(_src(_call("mr.save", _call(_name("locals")), *map(_const, options + [file] + names))),
                       line, span)
            return
        if not names:
            raise self.unsupported(e, f"load {file} without variable names",
                                   f"name the variables to create: load {file} name1 name2")
        bad = [n for n in names if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n)]
        if bad:
            raise self.unsupported(e, f"load {file}", f"'{bad[0]}' is not a variable name; load it with "
                                                      f"X = load('{file}')")
        targets = ", ".join(py_name(n) for n in names)
        call = _src(_call("mr.load_variables", *map(_const, [file] + names)))
        self.write(f"{targets}{',' if len(names) == 1 else ''} = {call}", line, span)

    def format_(self, e: m_ast.Node, words: list[str], line: int, span) -> None:
        """``format long`` and friends change what the port prints (runtime/display.py)."""
        if not format_words_ok(words):
            raise self.unsupported(e, f"`format {' '.join(words)}`", "only format, format short/long (with e or g), "
                                   "compact and loose are in the subset")
        self.write(_src(_call("mr.display_format", *[_const(w) for w in words])), line, span)

    def _clear_kind(self, s: m_ast.Node) -> str | None:
        e = s.n_expr if isinstance(s, m_ast.Naked_Expression_Statement) else None
        if isinstance(e, m_ast.Identifier) and str(e) == "clear":
            return "all"
        if isinstance(e, m_ast.Function_Call) and str(e.n_name) == "clear":
            words = [a.t_string.value for a in e.l_args]
            if words in (["all"], ["-all"], ["variables"], ["-variables"], ["-v"], ["-a"]):
                return "all"
        return None

    def clear(self, e: m_ast.Node, name: str, words: list[str], line: int, span) -> None:
        if name == "clearvars" or any(w.startswith("-") and w not in ("-all", "-a", "-variables", "-v") for w in words) \
                or words and words[0] in ("functions", "classes", "global", "-f", "-c", "-g", "-x"):
            raise self.unsupported(e, f"`{' '.join([name] + words)}`",
                                   "only clear, clear all and clear of named variables are in the subset")
        whole = not words or words[0] in ("all", "-all", "-a", "variables", "-variables", "-v")
        if whole and self.leading_clear is not None and e.n_parent.uid == self.leading_clear:
            self.note(f"line {line}: clear (the function starts from an empty workspace)")
            self._trailing(span)
            return
        names = sorted(self.ws.variables) if whole else [w for w in words if self.is_variable(w)]
        if not names:
            self.note(f"line {line}: clear (no variable to clear)")
            self._trailing(span)
            return
        for k, n in enumerate(names):
            self.write(f'{py_name(n)} = mr.undefined("{n}")', line if k == 0 else None, span if k == 0 else None)

    # -- names ----------------------------------------------------------------------------------------

    def is_variable(self, name: str) -> bool:
        if any(name in scope for scope in self.lambda_scopes):
            return True
        if name in self.ws.variables or name in self.given:
            return True
        if name == "nargin" and not self.is_script and self.ws.uses_nargin:
            return True
        if name == "nargout" and not self.is_script and self.ws.uses_nargout:
            return True
        return False

    def user_function(self, name: str, node: m_ast.Node | None = None) -> tuple[Signature, ast.expr] | None:
        """A subfunction of this file or a function file beside it: its signature and Python name."""
        if name in self.m.local:
            return self.m.local[name], _name("_" + name)
        if self.m.own is not None and name == self.m.own.name:
            return self.m.own, _name(py_name(name))  # the file's own function, called recursively
        sig = self.m.resolve(name)
        if sig is None:
            return None
        if sig.kind != "function":
            raise TranslationError(self.label, _node_line(self, node) if node is not None else 1,
                                   f"calling the script {name}.m",
                                   "a script runs in its caller's workspace; make it a function")
        self.m.callees[name] = sig
        return sig, _name(py_name(name))

    # -- expressions ---------------------------------------------------------------------------------

    def unsupported(self, node: m_ast.Node, construct: str, reason: str) -> TranslationError:
        return TranslationError(self.label, _node_line(self, node), construct, reason)

    def expr(self, e: m_ast.Node) -> E:
        if isinstance(e, m_ast.Number_Literal):
            return E(_const(_number(self, e)), "num")
        if isinstance(e, m_ast.Char_Array_Literal):
            return E(_const(e.t_string.value.replace("''", "'")), "str")
        if isinstance(e, m_ast.String_Literal):
            return E(_const(self.octave_string(e)), "str")
        if isinstance(e, (m_ast.Selection, m_ast.Dynamic_Selection)):
            return E(_call("mr.field", self.value(e.n_prefix), self.field_name(e)))
        if isinstance(e, m_ast.Identifier):
            return self.identifier(e)
        if isinstance(e, m_ast.Reference):
            return self.reference(e)
        if isinstance(e, m_ast.Cell_Reference):
            root = e.n_ident
            if isinstance(root, (m_ast.Cell_Reference, m_ast.Selection, m_ast.Dynamic_Selection)):  # c{i}{j}, s.f{j}
                base = self.expr(root).node
            elif isinstance(root, m_ast.Identifier) and self.is_variable(str(root)):
                base = _name(py_name(str(root)))
            else:
                raise self.unsupported(e, f"the brace index {e}", "only a cell variable can be brace-indexed")
            return E(_call("mr.content", base, *self.brace_subscripts(e, base)))
        if isinstance(e, m_ast.Matrix_Expression):
            return E(self.matrix(e))
        if isinstance(e, m_ast.Cell_Expression):
            rows = [[self.arg(item, text=True) for item in row.l_items] for row in e.n_content.l_items]
            return E(_call("mr.cellarray", ast.List(elts=[ast.List(elts=r, ctx=ast.Load()) for r in rows],
                                                    ctx=ast.Load())))
        if isinstance(e, m_ast.Range_Expression):
            parts = [e.n_first] + ([e.n_stride] if e.n_stride is not None else []) + [e.n_last]
            return E(_call("mr.colon", *[self.arg(p) for p in parts]))
        if isinstance(e, m_ast.Unary_Operation):
            return self.unary(e)
        if isinstance(e, m_ast.Binary_Logical_Operation) and e.t_op.value in ("&&", "||"):
            op = ast.And() if e.t_op.value == "&&" else ast.Or()
            for x in (e.n_lhs, e.n_rhs):
                self.refuse_handle_value(x, f"an operand of {e.t_op.value}")
            parts = [_call(_name("bool"), self.value(x)) for x in (e.n_lhs, e.n_rhs)]
            return E(_call("mr.logical", ast.BoolOp(op=op, values=parts)))
        if isinstance(e, m_ast.Binary_Operation):
            return self.binary(e.t_op.value, e.n_lhs, e.n_rhs, e)
        if isinstance(e, m_ast.Lambda_Function):
            return E(self.lambda_(e))
        if isinstance(e, m_ast.Function_Pointer):
            return E(self.handle(e))
        raise self.unsupported(e, _construct_name(e), _WHY.get(type(e).__name__, "outside the subset"))

    def octave_string(self, e: m_ast.String_Literal) -> str:
        """A double-quoted literal, as Octave reads it (the reference): a char row, backslash escapes
        expanded. MATLAB would make a string object, which is outside the subset."""
        text = e.t_string.value.replace('""', '"')
        out, k = [], 0
        while k < len(text):
            c = text[k]
            if c == "\\" and k + 1 < len(text):
                nxt = text[k + 1]
                if nxt not in _ESCAPES:
                    raise self.unsupported(e, f'the escape \\{nxt} in "{text}"',
                                           "the escapes of the subset are \\n \\t \\r \\a \\0, a backslash and quotes")
                out.append(_ESCAPES[nxt])
                k += 2
                continue
            out.append(c)
            k += 1
        return "".join(out)

    def field_name(self, e) -> ast.expr:
        """The field of ``s.f`` (a str) or of ``s.(expr)`` (its value, text at run time)."""
        if isinstance(e, m_ast.Selection):
            return _const(str(e.n_field))
        return self.arg(e.n_field, text=True)

    def value(self, e: m_ast.Node) -> ast.expr:
        """An expression as a MATLAB value (a literal is made one)."""
        return _as_value(self.expr(e))

    def arg(self, e: m_ast.Node, text: bool = False) -> ast.expr:
        """An argument of a runtime or translated function: numbers (and text, if ``text``) stay literals."""
        x = self.expr(e)
        if x.lit == "str" and not text:
            return _call("mr.char", x.node)
        return x.node

    def operand(self, e: m_ast.Node) -> E:
        x = self.expr(e)
        if x.lit == "str":
            return E(_call("mr.char", x.node))
        return x

    def identifier(self, e: m_ast.Identifier) -> E:
        kind = e.t_ident.kind
        if kind == "KEYWORD" and e.t_ident.value == "end":
            if not self.end_stack:
                raise self.unsupported(e, "end outside an index", "end stands for a size only inside A(...)")
            var, k, n = self.end_stack[-1]
            return E(_call("mr.endof", var, _const(k), _const(n)))
        if kind != "IDENTIFIER":
            raise self.unsupported(e, f"`{e}`", "outside the subset")
        name = e.t_ident.value
        if self.is_variable(name):
            return E(_name(py_name(name)))
        if name in CONSTANTS:
            if CONSTANTS[name].startswith("np."):
                self.m.uses_np = True
            return E(_dotted(CONSTANTS[name]), "num")
        if name in ("stdout", "stderr"):
            return E(_const(1 if name == "stdout" else 2), "num")  # the console's fids, for fprintf
        return self.call(name, [], e)

    def reference(self, e: m_ast.Reference) -> E:
        root = e.n_ident
        if isinstance(root, (m_ast.Cell_Reference, m_ast.Selection, m_ast.Dynamic_Selection)):
            content = self.expr(root).node  # c{k}(i), s.f(i): index into a cell's content or a field
            return E(_call("mr.index", content, *self.subscripts(content, e.l_args)))
        if not isinstance(root, m_ast.Identifier) or root.t_ident.kind != "IDENTIFIER":
            raise self.unsupported(e, _construct_name(root), _WHY.get(type(root).__name__,
                                                                      "only a variable or a function can be indexed"))
        name = root.t_ident.value
        if self.is_variable(name):
            var = _name(py_name(name))
            if self.ws.is_handle(name) and not any(name in s for s in self.lambda_scopes):
                return E(_call("mr.call", var, *self.call_args(e.l_args)))
            return E(_call("mr.index", var, *self.subscripts(var, e.l_args)))
        return self.call(name, e.l_args, e)

    def brace_subscripts(self, ref: m_ast.Cell_Reference, base: ast.expr) -> list[ast.expr]:
        """Subscripts of c{...}, which must pick one element: ``c{:}`` and ``c{1:2}`` are lists."""
        if any(isinstance(a, (m_ast.Reshape, m_ast.Range_Expression)) for a in ref.l_args):
            raise self.unsupported(ref, f"the comma-separated list {ref}",
                                   "one element at a time: write c{k} in a loop")
        return self.subscripts(base, ref.l_args)

    def subscripts(self, var: ast.expr, args) -> list[ast.expr]:
        out = []
        for k, a in enumerate(args, 1):
            if isinstance(a, m_ast.Reshape):
                out.append(_attr("mr", "ALL"))
                continue
            self.end_stack.append((var, k, len(args)))
            try:
                out.append(self.arg(a))
            finally:
                self.end_stack.pop()
        return out

    def call(self, name: str, args, node: m_ast.Node) -> E:
        """A call of a function (not a variable) named ``name``."""
        user = self.user_function(name, node)
        if user is not None:
            sig, fn = user
            if len(args) > len(sig.inputs) and not sig.varargin:
                raise self.unsupported(node, f"calling {name} with {len(args)} arguments",
                                       f"it takes {len(sig.inputs)}")
            if not sig.outputs:
                raise self.unsupported(node, f"the value of {name}(...)", f"{name} returns no output")
            if node is self.nargout_body:  # the body of an anonymous function: as many outputs as asked
                return E(_call("mr.take_first", self.user_call(sig, fn, args, _name("nargout")),
                               ast.Tuple(elts=[_const(o) for o in sig.outputs], ctx=ast.Load()), _name("nargout")))
            return E(self.take(sig, self.user_call(sig, fn, args, _const(1)), 1))
        if name in OPERATOR_FUNCTIONS:
            if len(args) != 2:
                raise self.unsupported(node, f"{name} with {len(args)} arguments", "it takes two")
            return self.binary(OPERATOR_FUNCTIONS[name], args[0], args[1], node)
        if name == "bsxfun":
            return self.bsxfun(args, node)
        if name == "exist":
            return self.exist(args, node)
        if name in ("nargin", "nargout"):
            raise self.unsupported(node, f"{name} in a script", "a script has no arguments")
        if name in ("inline", "str2func"):
            return self.text_function(name, args, node)
        if name == "func2str":
            return self.func2str(args, node)
        if name == "feval":
            return self.feval(args, node)
        if name == "pause":
            raise self.unsupported(node, "the value of pause(...)", "pause gives no value; write it as a statement")
        if name == "save":
            raise self.unsupported(node, "the value of save(...)", "save gives no value; write it as a statement")
        if name in ("true", "false"):
            return E(_call(f"mr.{name}", *[self.arg(a) for a in args]))
        b = BUILTINS.get(name)
        if b is not None and b.max_outputs > 1 and node is self.nargout_body:
            return E(_call(b.python, *self.builtin_args(name, args), nargout=_name("nargout")))
        if b is not None:
            if b.statement:
                raise self.unsupported(node, f"the value of {name}(...)", f"{name} gives no value in the subset")
            if b.python.startswith("np."):
                self.m.uses_np = True
                for a in args:  # numpy would call the handle's comparison operators: a Python TypeError
                    self.refuse_handle_value(a, f"an argument of {name}")
                return E(_call(b.python, *[_as_value(self.operand(a)) for a in args]))
            return E(_call(b.python, *self.builtin_args(name, args)))
        if name in NO_OPS or name in ("clear", "clearvars", "format", "more"):
            raise self.unsupported(node, f"the value of {name}(...)", "it draws or changes the console only")
        if name in UNSUPPORTED:
            raise self.unsupported(node, f"{name}", UNSUPPORTED[name])
        if name in ("i", "j"):
            raise self.unsupported(node, f"the imaginary unit {name}", "complex numbers are outside the subset")
        where = "a variable the script assigns, a function beside it" if self.is_script else \
            "a variable of the function, a function beside it"
        raise self.unsupported(node, f"the name {name}",
                               f"it is neither {where}, nor a MATLAB function rnncore translate supports")

    def take(self, sig: Signature, call: ast.expr, n: int) -> ast.expr:
        """The first ``n`` outputs of a call of a translated function (from its varargout past the named ones)."""
        if sig.varargout:
            return _call("mr.take_outputs", call, ast.Tuple(elts=[_const(o) for o in sig.outputs], ctx=ast.Load()),
                         _const(n))
        return _call("mr.take", call, *[_const(o) for o in sig.outputs[:n]])

    def user_call(self, sig: Signature, fn: ast.expr, args, nargout: ast.expr) -> ast.Call:
        """A call of a translated function; one that reads nargout is told how many outputs are taken."""
        kw = {"nargout": nargout} if sig.reads_nargout else {}
        return _call(fn, *self.call_args(args, text=True), **kw)

    def call_args(self, args, text: bool = False) -> list[ast.expr]:
        """Arguments of a call; ``c{:}`` (``varargin{:}`` passed on) gives the cell's elements, in order."""
        out = []
        for a in args:
            if isinstance(a, m_ast.Cell_Reference) and len(a.l_args) == 1 and isinstance(a.l_args[0], m_ast.Reshape) \
                    and isinstance(a.n_ident, m_ast.Identifier) and self.is_variable(str(a.n_ident)):
                out.append(ast.Starred(value=_call("mr.cslist", _name(py_name(str(a.n_ident)))), ctx=ast.Load()))
            else:
                out.append(self.arg(a, text=text))
        return out

    def text_function(self, name: str, args, node) -> E:
        """``inline('expr', 'x', ...)`` and ``str2func('@(x) ...')``/``str2func('name')`` with literal
        text: the code is read at translation time, as an anonymous function or a handle."""
        if not args or not all(isinstance(a, m_ast.Char_Array_Literal) for a in args) \
                or name == "str2func" and len(args) != 1:
            raise self.unsupported(node, f"{name} of text that is not written in the call",
                                   "the port cannot evaluate code made at run time; write the text in the call, "
                                   "or an anonymous function @(x) ...")
        text = args[0].t_string.value.replace("''", "'")
        if name == "inline":
            params = [a.t_string.value for a in args[1:]] or _symvar(text)
            code = f"@({', '.join(params)}) {text}"
        else:
            code = text.strip() if text.strip().startswith("@") else "@" + text.strip()
        from rnncore.translate.parse import parse

        try:
            tree = parse(f"rnncore_f__ = {code};\n", self.label)
        except TranslationError as exc:
            raise self.unsupported(node, f"{name}('{text}')", f"its text is not a MATLAB expression: {exc.reason}") \
                from None
        rhs = tree.tree.n_statements.l_statements[0].n_rhs
        if isinstance(rhs, m_ast.Function_Pointer):
            return E(self.handle(rhs))
        if not isinstance(rhs, m_ast.Lambda_Function):
            raise self.unsupported(node, f"{name}('{text}')", "its text is not a function")
        # Made from text, the function sees its own arguments only, never the caller's workspace.
        params = [str(p) for p in rhs.l_parameters]
        free = {str(n) for n in _walk(rhs.n_body) if isinstance(n, m_ast.Identifier)} - set(params)
        shadow = sorted(n for n in free if self.is_variable(n))
        if shadow:
            raise self.unsupported(node, f"{name}('{text}')",
                                   f"{shadow[0]} is not one of its arguments, and a function made from text does "
                                   f"not see the workspace")
        saved, self.lambda_scopes = self.lambda_scopes, []
        try:
            return E(self.lambda_(rhs))
        finally:
            self.lambda_scopes = saved

    def func2str(self, args, node) -> E:
        if len(args) == 1 and isinstance(args[0], m_ast.Function_Pointer):
            return E(_const(str(args[0].n_name)), "str")  # Octave 7: func2str(@sin) is 'sin'
        raise self.unsupported(node, "func2str of " + ("an anonymous function" if args and isinstance(
            args[0], m_ast.Lambda_Function) else "a variable"),
                               "the port's function handles keep no MATLAB text; only func2str(@name) is in "
                               "the subset")

    def feval(self, args, node) -> E:
        """``feval(@f, ...)``, ``feval('f', ...)`` (a literal name) and ``feval(h, ...)`` for a handle h."""
        if not args:
            raise self.unsupported(node, "feval without a function", "feval(f, ...)")
        f, rest = args[0], args[1:]
        if isinstance(f, m_ast.Char_Array_Literal):
            return self.call(f.t_string.value, rest, node)
        if isinstance(f, m_ast.Function_Pointer):
            return self.call(str(f.n_name), rest, node) if not self.is_variable(str(f.n_name)) else \
                E(_call("mr.call", self.handle(f), *[self.arg(a) for a in rest]))
        if isinstance(f, m_ast.Identifier) and self.is_variable(str(f)):
            return E(_call("mr.call", _name(py_name(str(f))), *[self.arg(a) for a in rest]))
        raise self.unsupported(node, "feval of a name made at run time",
                               "the port cannot look up a function by a name it computes; pass a handle")

    def builtin_args(self, name: str, args) -> list[ast.expr]:
        text = name in TEXT_ARGUMENTS
        out = []
        for k, a in enumerate(args):
            if name in ("max", "min", "reshape") and k >= 1 and _is_empty_matrix(a):
                out.append(ast.List(elts=[], ctx=ast.Load()))  # MATLAB's placeholder []
            else:
                out.append(self.arg(a, text=text))
        return out

    def bsxfun(self, args, node) -> E:
        if len(args) != 3:
            raise self.unsupported(node, "bsxfun with other than three arguments", "bsxfun(f, A, B)")
        f = args[0]
        if isinstance(f, m_ast.Function_Pointer) and str(f.n_name) in OPERATOR_FUNCTIONS:
            return self.binary(OPERATOR_FUNCTIONS[str(f.n_name)], args[1], args[2], node)
        if isinstance(f, m_ast.Function_Pointer) and str(f.n_name) in ("max", "min"):
            return E(_call(f"mr.{f.n_name}", self.arg(args[1]), self.arg(args[2])))
        return E(_call("mr.bsxfun", self.value(f), self.arg(args[1]), self.arg(args[2])))

    def exist(self, args, node) -> E:
        literal = [a.t_string.value if isinstance(a, m_ast.Char_Array_Literal) else None for a in args]
        if literal[:1] == ["OCTAVE_VERSION"] and literal[1:] in ([], ["builtin"]):
            # the idiom that tells Octave from MATLAB: the reference is Octave, so the port takes its branch
            return E(_call("mr.double", _const(5)))  # Octave's exist gives 5 for a built-in function
        var = len(args) == 2 and literal[1] == "var" or len(args) == 1 and literal[0] is not None \
            and self.is_variable(literal[0])
        if not var:
            raise self.unsupported(node, "exist without 'var'",
                                   "only exist(name, 'var'), exist('x') of a variable x and "
                                   "exist('OCTAVE_VERSION', 'builtin') are in the subset")
        if self.lambda_scopes:
            raise self.unsupported(node, "exist inside an anonymous function", "it would see the wrong workspace")
        return E(_call("mr.exist_var", self.arg(args[0], text=True), _call(_name("locals"))))

    def matrix(self, e: m_ast.Matrix_Expression) -> ast.expr:
        rows = [row.l_items for row in e.n_content.l_items if row.l_items]
        if not rows:
            return _call("mr.double", ast.List(elts=[], ctx=ast.Load()))
        items = [[self.expr(x) for x in row] for row in rows]
        if all(x.lit == "num" for row in items for x in row) and len({len(r) for r in items}) == 1:
            return _call("mr.double", ast.List(elts=[ast.List(elts=[x.node for x in r], ctx=ast.Load())
                                                     for r in items], ctx=ast.Load()))
        nodes = [[x.node for x in row] for row in items]
        if len(nodes) == 1:
            return _call("mr.horzcat", *nodes[0])
        if all(len(r) == 1 for r in nodes):
            return _call("mr.vertcat", *[r[0] for r in nodes])
        return _call("mr.concat", ast.List(elts=[ast.List(elts=r, ctx=ast.Load()) for r in nodes], ctx=ast.Load()))

    def unary(self, e: m_ast.Unary_Operation) -> E:
        op = e.t_op.value
        inner = e.n_expr
        if op in ("-", "+") and isinstance(inner, m_ast.Unary_Operation) and inner.t_op.value == op:
            a, b = e.t_op.location, inner.t_op.location
            if a.line == b.line and b.col_start == a.col_end + 1:
                raise self.unsupported(e, f"`{op * 2}` before an operand",
                                       f"MATLAB applies the unary {op} twice, Octave reads {op * 2} as its "
                                       f"{'decrement' if op == '-' else 'increment'} operator; write {op}({op}x)")
        self.refuse_handle_value(inner, f"an operand of {op}")
        x = self.operand(e.n_expr)
        if op in ("'", ".'"):
            if x.lit == "num":
                return x  # a number is its own transpose
            return E(ast.Attribute(value=x.node, attr="T", ctx=ast.Load()))
        if op == "-":
            if x.lit == "num" and isinstance(x.node, ast.Constant) and x.node.value == 0:
                x = E(_const(0.0), "num")  # -0 is negative zero in MATLAB; Python's int -0 is plain 0
            node = ast.UnaryOp(op=ast.USub(), operand=x.node)
            return E(node, "num" if x.lit == "num" else None)
        if op == "+":
            return E(ast.UnaryOp(op=ast.UAdd(), operand=_as_value(x)))
        if op in ("~", "!"):
            return E(ast.UnaryOp(op=ast.Invert(), operand=_as_value(x)))
        raise self.unsupported(e, f"the operator {op}", "outside the subset")

    def binary(self, op: str, lhs: m_ast.Node, rhs: m_ast.Node, node: m_ast.Node) -> E:
        self.refuse_handle_value(lhs, f"an operand of {op}")
        self.refuse_handle_value(rhs, f"an operand of {op}")
        a, b = self.operand(lhs), self.operand(rhs)
        if op in _MATRIX:
            if op == "*" and (a.lit or b.lit):
                op = ".*"
            elif op == "/" and b.lit == "num":
                op = "./"
            elif op == "\\" and a.lit == "num":
                op = ".\\"
            else:
                return E(_call(f"mr.{_MATRIX[op]}", a.node, b.node))
        if op == ".\\":
            a, b, op = b, a, "./"
        if a.lit == "num" and b.lit == "num":
            a = E(_as_value(a))  # Python arithmetic on two literals differs (1/0 raises); MATLAB's does not
        if op in _ELEMENTWISE:
            return E(ast.BinOp(left=a.node, op=_ELEMENTWISE[op](), right=b.node))
        if op in _COMPARE:
            return E(ast.Compare(left=a.node, ops=[_COMPARE[op]()], comparators=[b.node]))
        if op in ("&", "|"):
            return E(ast.BinOp(left=_as_value(a), op=ast.BitAnd() if op == "&" else ast.BitOr(), right=b.node))
        raise self.unsupported(node, f"the operator {op}", "outside the subset")

    def lambda_(self, e: m_ast.Lambda_Function) -> ast.expr:
        params = [str(p) for p in e.l_parameters]
        if any(p in ("varargin",) for p in params):
            raise self.unsupported(e, "varargin in an anonymous function", "outside the subset")
        self.lambda_scopes.append(set(params))
        saved, self.nargout_body = self.nargout_body, self.several_outputs(e.n_body)
        several = self.nargout_body is not None
        try:
            body = self.value(e.n_body)
        finally:
            self.lambda_scopes.pop()
            self.nargout_body = saved
        # MATLAB copies the variables an anonymous function uses when it is made: default arguments.
        used = sorted({n.id for n in ast.walk(body) if isinstance(n, ast.Name)}
                      - {py_name(p) for p in params} - {"mr", "np", "locals", "bool"}
                      - ({"nargout"} if several else set())
                      - {py_name(c) for c in self.m.callees} - {"_" + f for f in self.m.local})
        captured = [n for n in used if any(py_name(v) == n for v in self.ws.variables | set(self.given))
                    or any(n in {py_name(v) for v in s} for s in self.lambda_scopes)]
        # Keyword-only: a call with more arguments than the function has parameters is Octave's "called
        # with too many inputs" (a TypeError here), never a value put in place of a captured variable.
        args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=py_name(p)) for p in params], vararg=None,
                             kwonlyargs=[ast.arg(arg=c) for c in captured] + ([ast.arg(arg="nargout")] if several else []),
                             kw_defaults=[_name(c) for c in captured] + ([_const(1)] if several else []),
                             kwarg=None, defaults=[])
        return ast.Lambda(args=args, body=body)

    def several_outputs(self, body: m_ast.Node):
        """The body of ``@(x) f(x)`` when f gives several outputs: ``[a, b] = h(x)`` passes the count on."""
        if isinstance(body, m_ast.Reference) and isinstance(body.n_ident, m_ast.Identifier):
            name = str(body.n_ident)
        elif isinstance(body, m_ast.Identifier):
            name = str(body)
        else:
            return None
        if self.is_variable(name) or any(name in sc for sc in self.lambda_scopes):
            return None
        user = self.user_function(name, body)
        if user is not None and (len(user[0].outputs) > 1 or user[0].reads_nargout or user[0].varargout):
            return body
        b = BUILTINS.get(name)
        return body if b is not None and b.max_outputs > 1 else None

    def handle(self, e: m_ast.Function_Pointer) -> ast.expr:
        name = str(e.n_name)
        if self.is_variable(name):
            raise self.unsupported(e, f"@{name}", f"{name} is a variable here")
        user = self.user_function(name, e)
        star = ast.arguments(posonlyargs=[], args=[], vararg=ast.arg(arg="args"), kwonlyargs=[], kw_defaults=[],
                             kwarg=None, defaults=[])
        args = ast.Starred(value=_name("args"), ctx=ast.Load())
        if user is not None:
            sig, fn = user
            if not sig.outputs:
                raise self.unsupported(e, f"@{name}", f"{name} returns no output")
            if len(sig.outputs) > 1 or sig.reads_nargout or sig.varargout:  # [a, b] = h(x) asks for several
                return _call("mr.handle", fn, ast.Tuple(elts=[_const(o) for o in sig.outputs], ctx=ast.Load()),
                             _const(sig.reads_nargout))
            return ast.Lambda(args=star, body=_call("mr.take", _call(fn, args), _const(sig.outputs[0])))
        if name in _HANDLE_UFUNCS:
            self.m.uses_np = True
            return _attr("np", _HANDLE_UFUNCS[name])
        b = BUILTINS.get(name)
        if b is not None and not b.statement:
            if b.python.startswith("np."):
                self.m.uses_np = True
            return _dotted(b.python)
        raise self.unsupported(e, f"the function handle @{name}", "only handles to functions in the subset")


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "r": "\r", "a": "\a", "0": "\0"}


_CHAIN = (m_ast.Reference, m_ast.Cell_Reference, m_ast.Selection, m_ast.Dynamic_Selection)


def _walk(node: m_ast.Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))


def _symvar(text: str) -> list[str]:
    """The arguments Octave's inline gives an expression without argument names: its identifiers
    that are not called and are not i, j, pi, Inf, NaN or eps, in alphabetical order; x if none."""
    import re

    names = set()
    for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"'[^']*'", "", text)):
        rest = text[m.end():].lstrip()
        if not rest.startswith("(") and m.group() not in ("i", "j", "pi", "Inf", "inf", "NaN", "nan", "eps", "e"):
            names.add(m.group())
    return sorted(names) or ["x"]


def _as_value(x: E) -> ast.expr:
    if x.lit == "num":
        return _call("mr.double", x.node)
    if x.lit == "str":
        return _call("mr.char", x.node)
    return x.node


def _is_empty_matrix(e: m_ast.Node) -> bool:
    return isinstance(e, m_ast.Matrix_Expression) and not any(r.l_items for r in e.n_content.l_items)


def _number(fn: _Function, e: m_ast.Number_Literal):
    text = e.t_value.value
    if text[-1:] in "ijIJ":
        raise fn.unsupported(e, f"the imaginary number {text}", "complex numbers are outside the subset")
    if text.lower().startswith(("0x", "0b")):
        raise fn.unsupported(e, f"the integer literal {text}", "hexadecimal and binary literals make integer classes")
    v = float(text)
    if v.is_integer() and abs(v) < 2 ** 53 and not any(c in text for c in ".eE"):
        return int(v)
    return v


def _end_line(fn: _Function) -> int:
    if fn.fdef is not None:
        return fn.parsed.block_end.get(fn.fdef.uid, fn.parsed.span(fn.fdef)[1])
    return fn._region()[1]


def _node_line(fn: _Function, node: m_ast.Node) -> int:
    try:
        return node.loc().line
    except Exception:  # noqa: BLE001 - MISS_HIT raises ICE for nodes without a location
        while node is not None:
            if node.uid in fn.parsed.spans:
                return fn.parsed.spans[node.uid][0]
            node = node.n_parent
        return 1


def _construct_name(node: m_ast.Node) -> str:
    names = {
        "Selection": f"the struct field access {node}" if hasattr(node, "n_field") else "a struct field access",
        "Dynamic_Selection": "a dynamic struct field access",
        "Switch_Statement": "a switch statement",
        "Try_Statement": "a try/catch statement",
        "Global_Statement": "a global declaration",
        "Persistent_Statement": "a persistent declaration",
        "Parallel_For_Statement": "a parfor loop",
        "SPMD_Statement": "an spmd block",
        "Import_Statement": "an import statement",
        "Superclass_Reference": "a superclass reference",
        "Metaclass": "a metaclass query",
        "Reference": f"the indexing {node}",
    }
    return names.get(type(node).__name__, f"the construct {type(node).__name__.replace('_', ' ').lower()}")


_WHY = {
    "Selection": "structs are outside the subset; use separate variables",
    "Dynamic_Selection": "structs are outside the subset; use separate variables",
    "Switch_Statement": "write it as if/elseif/else",
    "Try_Statement": "errors are not caught in the subset",
    "Global_Statement": "pass the value as an argument instead",
    "Persistent_Statement": "pass the value as an argument instead",
    "Parallel_For_Statement": "use a for loop",
    "SPMD_Statement": "parallel blocks are outside the subset",
    "Import_Statement": "packages are outside the subset",
    "Reference": "indexing the result of an index or a call is not MATLAB",
}
