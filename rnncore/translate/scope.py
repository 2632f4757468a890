"""Which names of a MATLAB workspace are variables, and which may be met before they exist.

MATLAB decides at run time whether ``x(3)`` indexes a variable or calls a function. As in
:mod:`rnncore.engine.preflight`, a name is taken to be a variable of a workspace (a script body
or one function) when it is assigned anywhere in it (``x = ...``, ``x(i) = ...``, ``[x, y] = ...``,
a ``for`` variable), or is a parameter or output of the function.

A simple definite-assignment pass (in source order; a block's assignments count after the block
only when every branch of an ``if``/``else`` makes them) finds the variables that may be used
before they exist:

* assigned by index where it may not exist yet (``ht(:,1) = ...``): the variable starts as
  ``mr.undefined(name)``, and MATLAB's rule (create it, with the class of the value) applies whenever
  that assignment runs;
* read where it may not exist yet (or named in ``exist('x', 'var')``): in a script that does not
  clear its workspace first, it may come from the workspace the script runs in (a case's inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from miss_hit_core import m_ast

from rnncore.engine.preflight import children
from rnncore.translate.builtins import BUILTINS, NO_OPS

__all__ = ["Workspace", "analyse"]

_COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "~=": "ne"}


@dataclass
class Workspace:
    """What the translator needs to know about one workspace's names."""

    params: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    variables: set[str] = field(default_factory=set)  # assigned anywhere, params, outputs
    indexed: set[str] = field(default_factory=set)  # assigned by index somewhere
    order: dict[str, None] = field(default_factory=dict)  # every name, in the order first met
    unset_reads: set[str] = field(default_factory=set)  # read where it may not exist yet
    unset_indexed: set[str] = field(default_factory=set)  # assigned by index where it may not exist yet
    handles: set[str] = field(default_factory=set)  # assigned a function handle somewhere
    not_handles: set[str] = field(default_factory=set)  # assigned something else somewhere
    uses_nargin: bool = False
    optional_from: int | None = None  # first parameter `nargin` comparisons treat as optional
    uses_nargout: bool = False
    called: dict[str, m_ast.Node] = field(default_factory=dict)  # never a bare read: name(args) only, first use
    bare: set[str] = field(default_factory=set)  # read as a whole (x, size(x)), or indexed with end or :

    def is_handle(self, name: str) -> bool:
        return name in self.handles and name not in self.not_handles

    def needs_undefined(self, name: str) -> bool:
        """A variable MATLAB creates on an indexed assignment that may run before it exists."""
        return name in self.unset_indexed and name not in self.params

    def read_first(self, name: str) -> bool:
        """May be read (or indexed into) before the workspace has it."""
        return name in self.unset_reads or name in self.unset_indexed


def analyse(body: m_ast.Sequence_Of_Statements, params=(), outputs=()) -> Workspace:
    ws = Workspace(params=tuple(params), outputs=tuple(outputs))
    ws.variables.update(params)
    ws.variables.update(outputs)
    for p in params:
        ws.order[p] = None
    _Walker(ws, set(params)).statements(body)
    return ws


class _Walker:
    def __init__(self, ws: Workspace, known: set[str]):
        self.ws = ws
        self.known = known  # definitely assigned at the current point

    def read(self, name: str) -> None:
        self.ws.order.setdefault(name, None)
        if name not in self.known:
            self.ws.unset_reads.add(name)

    # -- statements, in source order ------------------------------------------------------------

    def statements(self, seq: m_ast.Sequence_Of_Statements) -> None:
        for stmt in seq.l_statements:
            self.statement(stmt)

    def branch(self, seq: m_ast.Sequence_Of_Statements, extra=()) -> set[str]:
        """Walk a block that may not run; returns what it assigns, without keeping it."""
        saved = set(self.known)
        self.known |= set(extra)
        self.statements(seq)
        made, self.known = self.known, saved
        return made

    def statement(self, s: m_ast.Node) -> None:
        if isinstance(s, m_ast.Simple_Assignment_Statement):
            self.expression(s.n_rhs)
            self.target(s.n_lhs, handle=isinstance(s.n_rhs, (m_ast.Lambda_Function, m_ast.Function_Pointer)))
        elif isinstance(s, m_ast.Compound_Assignment_Statement):
            self.expression(s.n_rhs)
            for t in s.l_lhs:
                self.target(t, handle=False)
        elif isinstance(s, m_ast.Naked_Expression_Statement):
            self.expression(s.n_expr)
            if _sets_ans(s.n_expr, self.ws.variables):
                self.ws.variables.add("ans")
                self.ws.order.setdefault("ans", None)
                self.known.add("ans")
        elif isinstance(s, m_ast.General_For_Statement):
            self.expression(s.n_expr)
            var = s.n_ident.t_ident.value
            self.ws.variables.add(var)
            self.ws.not_handles.add(var)
            self.ws.order.setdefault(var, None)
            self.branch(s.n_body, extra=(var,))
        elif isinstance(s, m_ast.While_Statement):
            self.expression(s.n_guard)
            self.branch(s.n_body)
        elif isinstance(s, m_ast.Switch_Statement):
            self.expression(s.n_expr)
            made = []
            for action in s.l_actions:
                if action.n_expr is not None:
                    self.expression(action.n_expr)
                made.append(self.branch(action.n_body))
            if s.has_otherwise:
                self.known |= set.intersection(*made)
        elif isinstance(s, m_ast.Try_Statement):
            made = [self.branch(s.n_body)]
            if s.n_ident is not None:
                self.target(s.n_ident, handle=False)
            if s.n_handler is not None:
                made.append(self.branch(s.n_handler))
                self.known |= set.intersection(*made)  # the body ran to its end, or the handler did
        elif isinstance(s, m_ast.If_Statement):
            made = []
            for k, action in enumerate(s.l_actions):
                if action.n_expr is not None:
                    self.expression(action.n_expr)  # later guards run only if earlier ones fail: close enough
                made.append(self.branch(action.n_body))
            if s.has_else:
                self.known |= set.intersection(*made)
        else:
            for child in children(s):
                if isinstance(child, m_ast.Sequence_Of_Statements):
                    self.branch(child)
                elif isinstance(child, m_ast.Expression):
                    self.expression(child)

    def target(self, t: m_ast.Node, handle: bool) -> None:
        if isinstance(t, m_ast.Identifier):
            if t.t_ident.kind != "IDENTIFIER":
                return  # `~`
            name = t.t_ident.value
            self.ws.variables.add(name)
            self.ws.order.setdefault(name, None)
            (self.ws.handles if handle else self.ws.not_handles).add(name)
            self.known.add(name)
        elif isinstance(t, (m_ast.Reference, m_ast.Cell_Reference, m_ast.Selection, m_ast.Dynamic_Selection)):
            root = t
            while isinstance(root, (m_ast.Reference, m_ast.Cell_Reference, m_ast.Selection, m_ast.Dynamic_Selection)):
                if isinstance(root, m_ast.Dynamic_Selection):
                    self.expression(root.n_field)
                if isinstance(root, (m_ast.Reference, m_ast.Cell_Reference)):
                    for arg in root.l_args:
                        self.expression(arg)
                root = root.n_prefix if isinstance(root, (m_ast.Selection, m_ast.Dynamic_Selection)) else root.n_ident
            if isinstance(root, m_ast.Identifier) and root.t_ident.kind == "IDENTIFIER":
                name = root.t_ident.value
                self.ws.variables.add(name)
                self.ws.indexed.add(name)
                self.ws.not_handles.add(name)
                self.ws.order.setdefault(name, None)
                if name not in self.known:
                    self.ws.unset_indexed.add(name)
                self.known.add(name)
            else:
                self.expression(root)
        else:
            self.expression(t)

    # -- expressions --------------------------------------------------------------------------

    def expression(self, e: m_ast.Node) -> None:
        if isinstance(e, m_ast.Identifier):
            if e.t_ident.kind == "IDENTIFIER":
                if e.t_ident.value == "nargin":
                    self.nargin_use(e)
                if e.t_ident.value == "nargout":
                    self.ws.uses_nargout = True
                parent = e.n_parent
                if not (isinstance(parent, (m_ast.Reference, m_ast.Cell_Reference)) and parent.n_ident is e
                        and parent.l_args) or any(isinstance(a, m_ast.Reshape) or _has_end(a) for a in parent.l_args):
                    self.ws.bare.add(e.t_ident.value)
                elif isinstance(parent, m_ast.Reference):
                    self.ws.called.setdefault(e.t_ident.value, parent)
                self.read(e.t_ident.value)
            return
        if isinstance(e, m_ast.Reference) and isinstance(e.n_ident, m_ast.Identifier):
            name = e.n_ident.t_ident.value
            if name == "exist" and len(e.l_args) in (1, 2) and isinstance(e.l_args[0], m_ast.Char_Array_Literal) \
                    and e.l_args[0].t_string.value != "OCTAVE_VERSION" and not (
                        len(e.l_args) == 2 and isinstance(e.l_args[1], m_ast.Char_Array_Literal)
                        and e.l_args[1].t_string.value != "var"):
                self.read(e.l_args[0].t_string.value)  # exist('x', 'var') asks whether x is there
                self.ws.bare.add(e.l_args[0].t_string.value)
                if e.l_args[0].t_string.value in self.ws.params:  # exist('options', 'var'): an optional parameter
                    k = self.ws.params.index(e.l_args[0].t_string.value)
                    self.ws.optional_from = k if self.ws.optional_from is None else min(self.ws.optional_from, k)
        if isinstance(e, m_ast.Lambda_Function):
            params = {str(p) for p in e.l_parameters}
            saved, seen = set(self.known), set(self.ws.order)
            self.known |= params  # the body reads its parameters, and copies of other variables
            self.expression(e.n_body)
            for p in params - seen:
                self.ws.order.pop(p, None)
            self.known = saved
            return
        if isinstance(e, m_ast.Selection):
            self.expression(e.n_prefix)  # s.f: f is a field, not a name of the workspace
            return
        if isinstance(e, m_ast.Binary_Operation) and e.t_op.value in _COMPARE:
            self.nargin_compare(e)
        for child in children(e):
            self.expression(child)

    def nargin_use(self, ident: m_ast.Identifier) -> None:
        self.ws.uses_nargin = True
        parent = ident.n_parent
        if not (isinstance(parent, m_ast.Binary_Operation) and parent.t_op.value in _COMPARE):
            self.ws.optional_from = 0  # nargin used otherwise: any parameter may be missing

    def nargin_compare(self, e: m_ast.Binary_Operation) -> None:
        """``nargin < K`` makes parameters K.. optional (K-1 onwards, 0-based)."""
        lhs, rhs, op = e.n_lhs, e.n_rhs, e.t_op.value
        if isinstance(rhs, m_ast.Identifier) and str(rhs) == "nargin":
            lhs, rhs = rhs, lhs
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if not (isinstance(lhs, m_ast.Identifier) and str(lhs) == "nargin"):
            return
        if not isinstance(rhs, m_ast.Number_Literal):
            self.ws.optional_from = 0
            return
        k = int(float(rhs.t_value.value))
        first = {"<": k - 1, "<=": k, ">": k, ">=": k - 1, "==": k, "~=": k}[op]
        first = max(first, 0)
        self.ws.optional_from = first if self.ws.optional_from is None else min(self.ws.optional_from, first)


def _has_end(e: m_ast.Node) -> bool:
    """Whether a subscript uses ``end`` (only an array has one: the name indexed is a variable)."""
    if isinstance(e, m_ast.Identifier):
        return e.t_ident.kind == "KEYWORD" and e.t_ident.value == "end"
    if isinstance(e, (m_ast.Reference, m_ast.Cell_Reference)):
        return False  # an end inside belongs to that index
    return any(_has_end(c) for c in children(e))


def _sets_ans(e: m_ast.Node, variables: set[str]) -> bool:
    """Whether an expression statement leaves its value in ``ans`` (not a variable's name, not a
    command, not a call of something that gives no value such as disp or figure)."""
    if isinstance(e, m_ast.Function_Call):
        return False
    root = e.n_ident if isinstance(e, m_ast.Reference) else e
    if isinstance(root, m_ast.Identifier):
        name = str(root)
        if name in variables and not isinstance(e, m_ast.Reference):
            return False
        b = BUILTINS.get(name)
        if b is not None and b.statement or name in NO_OPS or name in ("clear", "clearvars", "format", "more", "pause"):
            return False
    return True
