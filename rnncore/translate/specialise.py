"""A function's plain-numpy body: the kinds of its values inferred, and the body written for them.

Every value of a translated function is an ``mr.MArray`` and every operation a runtime call, a few
microseconds each: that is the whole cost of a small port. Where the translator can prove what
MATLAB's semantics need, it writes a second body, ``_name_plain``, in plain numpy, and the general
body first tries it (a guarded specialisation):

* **kinds** are inferred through the function, one per variable (the join of everything assigned
  to it): ``pint``/``int`` (an integer double known exactly, held as a Python int: sizes, loop
  counters over integer ranges, integer literals, their sums), ``num`` (a double 1x1 held as a
  Python float), ``bool`` (a logical 1x1 as a Python bool, from comparing numbers), ``a2`` (a real
  double 2-D array as a base ndarray: MATLAB's shape is numpy's) and ``a3`` (a real double array of
  at most three dimensions, held with three: ``(H, B, 1)`` for MATLAB's H x B). A parameter is
  ``a3`` when it is indexed with three subscripts, else ``a2``; the body checks each at entry;
* the operations written as plain numpy are those whose meaning is numpy's on those kinds:
  element-wise operators on two arrays of one kind or with a number (MATLAB's implicit expansion is
  numpy's broadcasting there), ``*`` of two 2-D arrays (:func:`plain.matmul`: the product, or
  element-wise with a 1x1 side), indexing by ``:`` and positive integers (``X[:, :, t - 1]``, the
  same view the runtime takes), ``size``, ``zeros``, ``isempty``, ``tanh``, ``exp``; ``log`` and
  ``sqrt`` with their domain checked; everything else the body needs (reductions, data indexing,
  ranges, ``repmat``) is the ``mr`` runtime's own call, its result checked back into a kind;
* an array the body writes in place (``HS(:, :, t) = h``) is one only it holds: made by ``zeros``
  in this function and never read whole or passed on before it is returned (MATLAB's
  copy-on-assign cannot be seen); any other indexed assignment is ``mr.assign``'s, on a copy;
* anything outside that (a statement, an operator, a call, a kind mixture) and the function has no
  plain body. The plain body is only written for a function without side effects, whose callees
  have none either (no output, no random numbers, no files): whenever a check fails
  (:class:`plain.Unproven`) or anything raises, the general body runs from the start and gives
  MATLAB's result or error, and running twice cannot be seen.

The result is the same bytes as the general body's: the same numpy calls on the same arrays (the
same views, the same order of operations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from miss_hit_core import m_ast

from rnncore.engine.preflight import children
from rnncore.translate.runtime import py_name

__all__ = ["PURE", "effects", "is_pure", "plain_body"]

# MATLAB functions whose runtime has no side effect (no output, no random state, no files): a
# function calling only these and pure functions of its own may be run twice unseen.
PURE = frozenset({
    "size", "zeros", "ones", "eye", "isempty", "numel", "length", "ndims", "repmat", "reshape", "tanh", "exp",
    "log", "sqrt", "abs", "sign", "floor", "ceil", "round", "fix", "mod", "rem", "sin", "cos", "tan", "sum", "prod",
    "cumsum", "cumprod", "mean", "max", "min", "any", "all", "find", "bsxfun", "nargin", "nargout", "plus",
    "minus", "times", "rdivide", "ldivide", "mtimes", "mrdivide", "power", "transpose", "double", "logical",
    "isequal", "true", "false", "Inf", "inf", "NaN", "nan", "pi", "eps",
})

_NUMBERS = ("pint", "int", "num")
# Python names a plain body uses that a MATLAB variable could shadow (py_name renames np and mr only).
_PYTHON_NAMES = frozenset({"mp", "float", "range", "None"})
_ORDER = {"pint": 0, "int": 1, "num": 2, "a2": 3, "a3": 4}
_UNARY = {"tanh": "np.tanh", "exp": "np.exp", "log": "mp.log", "sqrt": "mp.sqrt"}
_BSX = {"plus": "+", "minus": "-", "times": ".*", "rdivide": "./"}
_ELEMENTWISE = {"+": "+", "-": "-", ".*": "*", "./": "/"}
_COMPARE = {"==": "==", "~=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class NotPlain(Exception):
    """The function has no plain body (a construct or a kind outside what it proves)."""


def effects(body: m_ast.Node, variables: set[str]) -> frozenset[str]:
    """The names a function body uses that are not its variables: the functions it calls, whose
    purity is checked in turn (:func:`is_pure`). A global or persistent variable counts as a name
    no function has (state kept between calls)."""
    calls = set()
    for n in _walk(body):
        if isinstance(n, m_ast.Identifier) and n.t_ident.kind == "IDENTIFIER":
            name = n.t_ident.value
            if name not in variables:
                calls.add(name)  # a PURE name too: a function file of that name beside it would shadow it
        elif isinstance(n, (m_ast.Global_Statement, m_ast.Persistent_Statement)):
            calls.add(" global")
    return frozenset(calls)


def is_pure(name: str, lookup: Callable, seen: set[str] | None = None) -> bool:
    """A function (by name) whose calls are pure, through every function it calls; ``lookup`` gives a
    name's Signature (None: not a translated function, so not known to be pure)."""
    seen = set() if seen is None else seen
    if name in seen:
        return True
    seen.add(name)
    sig = lookup(name)
    if sig is None:
        return name in PURE  # a MATLAB function of the runtime's, no file of that name beside it
    if sig.kind != "function" or sig.calls is None:
        return False
    return all(is_pure(c, lookup, seen) for c in sig.calls)


def _join(a: str | None, b: str | None) -> str | None:
    if a is None or a == b:
        return b if a is None else a
    if b is None:
        return a
    if "bool" in (a, b):
        raise NotPlain("a logical and a number in one variable")
    return a if _ORDER[a] >= _ORDER[b] else b


def _convert(src: str, kind: str, to: str) -> str:
    """A value of ``kind`` held as a variable of kind ``to``."""
    if kind == to or kind in ("pint", "int") and to in ("pint", "int"):
        return src
    if to == "num" and kind in ("pint", "int"):
        return f"float({src})"
    if to == "a2" and kind in _NUMBERS:
        return f"np.array([[float({src})]])"
    if to == "a3" and kind in _NUMBERS:
        return f"np.array([[[float({src})]]])"
    if to == "a3" and kind == "a2":
        return f"mp.double3({src})"
    raise NotPlain(f"a {kind} value in a {to} variable")


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))


@dataclass
class _Call:
    name: str
    args: list


def plain_body(fn, user_function: Callable) -> str | None:
    """The source of ``_<name>_plain`` for a translated function (an ``emit._Function``), or None
    when the function has none. ``user_function(name, node)`` gives a called translated function's
    (Signature, Python name) when it is one whose every call is pure, else None."""
    try:
        return _Plain(fn, user_function).build()
    except NotPlain:
        return None


class _Plain:
    def __init__(self, fn, user_function: Callable):
        self.fn = fn
        self.user_function = user_function
        self.ws = fn.ws
        self.kinds: dict[str, str | None] = {}
        self.lines: list[str] = []
        self.level = 1
        self.loop_vars: set[str] = set()
        self.final = False  # the last pass: every kind is known

    # -- the function ---------------------------------------------------------------------------

    def build(self) -> str:
        fn = self.fn
        if fn.is_script or "varargin" in fn.params or "varargout" in fn.outputs or self.ws.uses_nargout:
            raise NotPlain("a script, varargin, varargout or nargout")
        if self.ws.variables & _PYTHON_NAMES:
            raise NotPlain("a variable named as a Python name the plain body uses")
        body = fn.body
        self.owned = self._owned(body)
        three = self._three_subscripts(body)
        passed = self._only_passed(body)
        for p in fn.params:
            self.kinds[p] = "raw" if p in passed else "a3" if p in three else "a2"
        for v in three:
            self.kinds[v] = "a3"
        for _ in range(12):  # the kinds' fixpoint: each pass can only raise a variable's kind
            before = dict(self.kinds)
            self.lines, self.level = [], 1
            self.statements(body)
            if self.kinds == before:
                break
        else:
            raise NotPlain("the kinds do not settle")
        self.lines, self.level, self.final = [], 1, True
        self.statements(body)
        if any(self.kinds.get(o) is None for o in fn.outputs):
            raise NotPlain("an output of no known kind")
        params = ", ".join(py_name(p) + ("=None" if fn.ws.optional_from is not None and k >= fn.ws.optional_from
                                         else "") for k, p in enumerate(fn.params))
        head = [f"def _{fn.py_fn}_plain({params}):",
                f'    """{fn.py_fn} in plain numpy, on the kinds checked here (rnncore.translate.specialise)."""']
        for p in fn.params:
            conv = "mp.double3" if self.kinds[p] == "a3" else "mp.double2"
            if self.kinds[p] == "raw":
                continue  # only handed on to translated functions, which take any value
            if self.kinds[p] not in ("a2", "a3"):
                raise NotPlain("a parameter held as a number")
            q = py_name(p)
            head.append(f"    {q} = None if {q} is None else {conv}({q})")
        if self.ws.uses_nargin:
            head.append(f"    nargin = mp.nargin({', '.join(py_name(p) for p in fn.params)})")
        outs = ", ".join(f"{py_name(o)}={py_name(o)}" for o in fn.outputs)
        return "\n".join(head + self.lines + [f"    return mp.outputs({outs})"])

    def _only_passed(self, body) -> set[str]:
        """Parameters read only as whole arguments of calls of translated functions (never assigned)."""
        args, other = set(), set()
        for n in _walk(body):
            if isinstance(n, m_ast.Reference) and isinstance(n.n_ident, m_ast.Identifier) \
                    and not self.fn.is_variable(str(n.n_ident)) and str(n.n_ident) not in PURE:
                args.update(id(a) for a in n.l_args if isinstance(a, m_ast.Identifier))
        for n in _walk(body):
            if isinstance(n, m_ast.Identifier) and id(n) not in args:
                other.add(str(n))
        return {p for p in self.fn.params if p not in other}

    def _three_subscripts(self, body) -> set[str]:
        out = set()
        for n in _walk(body):
            if isinstance(n, m_ast.Reference) and isinstance(n.n_ident, m_ast.Identifier) \
                    and len(n.l_args) == 3 and str(n.n_ident) in self.ws.variables:
                out.add(str(n.n_ident))
        return out

    def _owned(self, body) -> set[str]:
        """Variables the body may write into in place: made by ``zeros``/``ones`` here, changed only by
        indexed assignment, never read (they are only returned)."""
        made, indexed, other, read = set(), set(), set(), set()
        for n in _walk(body):
            if isinstance(n, m_ast.Simple_Assignment_Statement):
                lhs = n.n_lhs
                if isinstance(lhs, m_ast.Identifier):
                    rhs = n.n_rhs
                    fresh = isinstance(rhs, m_ast.Reference) and isinstance(rhs.n_ident, m_ast.Identifier) \
                        and str(rhs.n_ident) in ("zeros", "ones") and not self.fn.is_variable(str(rhs.n_ident))
                    (made if fresh else other).add(str(lhs))
                elif isinstance(lhs, m_ast.Reference) and isinstance(lhs.n_ident, m_ast.Identifier):
                    indexed.add(str(lhs.n_ident))
            elif isinstance(n, m_ast.Compound_Assignment_Statement):
                for t in n.l_lhs:
                    if isinstance(t, m_ast.Identifier):
                        other.add(str(t))
                    elif isinstance(t, m_ast.Reference) and isinstance(t.n_ident, m_ast.Identifier):
                        indexed.add(str(t.n_ident))
            elif isinstance(n, m_ast.General_For_Statement):
                other.add(str(n.n_ident))
        targets = set()
        for n in _walk(body):
            if isinstance(n, m_ast.Simple_Assignment_Statement):
                lhs = n.n_lhs
                targets.add(id(lhs))
                if isinstance(lhs, m_ast.Reference):
                    targets.add(id(lhs.n_ident))
            elif isinstance(n, m_ast.Compound_Assignment_Statement):
                targets.update(id(t) for t in n.l_lhs if isinstance(t, m_ast.Identifier))
                targets.update(id(t.n_ident) for t in n.l_lhs if isinstance(t, m_ast.Reference))
        for n in _walk(body):
            if isinstance(n, m_ast.Identifier) and id(n) not in targets:
                read.add(str(n))
        self.read = read
        return (made & indexed) - other - read - set(self.fn.params)

    # -- statements -------------------------------------------------------------------------------

    def write(self, code: str) -> None:
        self.lines.append("    " * self.level + code)

    def statements(self, seq) -> None:
        for s in seq.l_statements:
            self.statement(s)

    def block(self, header: str, body) -> None:
        self.write(header)
        self.level += 1
        n = len(self.lines)
        self.statements(body)
        if len(self.lines) == n:
            self.write("pass")
        self.level -= 1

    def statement(self, s) -> None:
        if isinstance(s, m_ast.Simple_Assignment_Statement):
            self.assignment(s.n_lhs, s.n_rhs)
        elif isinstance(s, m_ast.Compound_Assignment_Statement):
            self.multi(s)
        elif isinstance(s, m_ast.If_Statement):
            for k, action in enumerate(s.l_actions):
                kind = action.kind()
                if kind == "else":
                    self.block("else:", action.n_body)
                else:
                    src, ck = self.expr(action.n_expr)
                    if ck != "bool":
                        raise NotPlain("a condition that is not one logical value")
                    self.block(f"{'if' if kind == 'if' else 'elif'} {src}:", action.n_body)
        elif isinstance(s, m_ast.General_For_Statement):
            self.for_loop(s)
        else:
            raise NotPlain(type(s).__name__)

    def bind(self, name: str, src: str, kind: str) -> None:
        if name in self.loop_vars:
            raise NotPlain("a loop variable assigned in its loop")
        self.kinds[name] = _join(self.kinds.get(name), kind)
        self.write(f"{py_name(name)} = {_convert(src, kind, self.kinds[name])}")

    def assignment(self, lhs, rhs) -> None:
        if isinstance(lhs, m_ast.Identifier):
            src, kind = self.expr(rhs)
            self.bind(str(lhs), src, kind)
            return
        if not (isinstance(lhs, m_ast.Reference) and isinstance(lhs.n_ident, m_ast.Identifier)):
            raise NotPlain("an assignment into a cell or a field")
        if isinstance(rhs, m_ast.Matrix_Expression) and not any(r.l_items for r in rhs.n_content.l_items):
            # x(...) = [] deletes (mr.delete), with its own rules and errors: not an assignment of 0x0
            raise NotPlain("a deletion")
        self.indexed_assignment(str(lhs.n_ident), lhs.l_args, *self.expr(rhs))

    def indexed_assignment(self, name: str, args, src: str, kind: str) -> None:
        have = self.kinds.get(name)
        if have not in ("a2", "a3"):
            if have is None and not self.final:
                return  # its kind is known once its first whole assignment is seen (next pass)
            raise NotPlain("an indexed assignment into a number")
        key = self.key(have, args) if name in self.owned else None
        if key is not None and kind in ("a2",) + _NUMBERS:
            self.write(f"mp.put({py_name(name)}, ({key},), {src})")
            return
        if name in self.owned and have == "a2" and len(args) == 1 and kind in ("a2",) + _NUMBERS:
            ksrc, kk = self.expr(args[0]) if not isinstance(args[0], m_ast.Reshape) else ("", "")
            if kk == "pint":
                self.write(f"mp.put1({py_name(name)}, {ksrc}, {src})")
                return
        if kind not in ("a2",) + _NUMBERS:
            raise NotPlain("an indexed assignment of a 3-D value")
        if len(args) == 1 and have == "a2" and not isinstance(args[0], m_ast.Reshape):
            isrc, ik = self.expr(args[0])
            if ik == "a2":
                self.write(f"{py_name(name)} = mp.assign1({py_name(name)}, {isrc}, {src})")
                return
        subs = ", ".join(self.general_subscript(a) for a in args)
        conv = "mp.double3" if have == "a3" else "mp.double2"
        self.write(f"{py_name(name)} = {conv}(mr.assign(mp.general({py_name(name)}), {subs}, "
                   f"value=mp.general({src})))")

    def multi(self, s) -> None:
        rhs = s.n_rhs
        if not (isinstance(rhs, m_ast.Reference) and isinstance(rhs.n_ident, m_ast.Identifier)):
            raise NotPlain("a multiple assignment from something other than a call")
        name = str(rhs.n_ident)
        call, outs = self.user_call(name, rhs.l_args, rhs, len(s.l_lhs))
        temps = [f"_o{k}" for k in range(len(s.l_lhs))]
        self.write(f"{', '.join(temps)}{',' if len(temps) == 1 else ''} = "
                   f"mp.take({call}, {', '.join(repr(o) for o in outs)}){',' if len(temps) == 1 else ''}")
        for t, tmp in zip(s.l_lhs, temps):
            if isinstance(t, m_ast.Identifier) and t.t_ident.kind == "OPERATOR":
                continue
            if isinstance(t, m_ast.Identifier) and str(t) not in self.read and str(t) not in self.fn.outputs:
                self.write(f"{py_name(str(t))} = {tmp}")  # never read: whatever the call gave
            elif isinstance(t, m_ast.Identifier):
                kind = "a3" if self.kinds.get(str(t)) == "a3" else "a2"
                self.bind(str(t), f"mp.double{kind[1]}({tmp})", kind)
            elif isinstance(t, m_ast.Reference) and isinstance(t.n_ident, m_ast.Identifier):
                self.indexed_assignment(str(t.n_ident), t.l_args, f"mp.double2({tmp})", "a2")
            else:
                raise NotPlain("an output into a cell or a field")

    def for_loop(self, s) -> None:
        var = str(s.n_ident)
        rng = s.n_expr
        if not isinstance(rng, m_ast.Range_Expression):
            raise NotPlain("a loop over something other than a range")
        step = 1
        if rng.n_stride is not None:
            stride, sign = rng.n_stride, 1
            if isinstance(stride, m_ast.Unary_Operation) and stride.t_op.value == "-":
                stride, sign = stride.n_expr, -1
            if not isinstance(stride, m_ast.Number_Literal):
                raise NotPlain("a range's step that is not a literal")
            src, k = self.expr(stride)
            if k != "pint":
                raise NotPlain("a range's step that is not a non-zero integer")
            step = sign * int(src)
        first, fk = self.bound(rng.n_first)
        last, lk = self.bound(rng.n_last)
        loops = [f for f in _walk(self.fn.body) if isinstance(f, m_ast.General_For_Statement) and str(f.n_ident) == var]
        outside = [n for n in _walk(self.fn.body) if isinstance(n, m_ast.Identifier) and str(n) == var
                   and not any(n is f.n_ident or _inside(n, f.n_body) for f in loops)]
        if outside:
            raise NotPlain("a loop variable used outside its loop")
        stop = f"{last} + 1" if step > 0 else f"{last} - 1"
        kind = "pint" if (fk if step > 0 else lk) == "pint" else "int"
        self.kinds[var] = _join(self.kinds.get(var), kind)
        self.loop_vars.add(var)
        self.block(f"for {py_name(var)} in range({first}, {stop}{'' if step == 1 else f', {step}'}):", s.n_body)
        self.loop_vars.discard(var)

    def bound(self, e) -> tuple[str, str]:
        src, k = self.expr(e)
        if k in ("pint", "int"):
            return src, k
        if k == "a2":
            return f"mp.whole({src})", "int"
        raise NotPlain("a range bound that is not an integer")

    # -- expressions ------------------------------------------------------------------------------

    def expr(self, e) -> tuple[str, str]:
        if isinstance(e, m_ast.Number_Literal):
            from rnncore.translate.emit import _number

            v = _number(self.fn, e)
            if type(v) is int:
                return str(v), "pint" if v >= 1 else "int"
            return repr(float(v)), "num"
        if isinstance(e, m_ast.Identifier):
            name = str(e)
            if name == "nargin" and self.ws.uses_nargin:
                return "nargin", "int"
            if e.t_ident.kind == "IDENTIFIER" and self.fn.is_variable(name):
                if name in self.owned:
                    raise NotPlain("an owned array read")
                k = self.kinds.get(name)
                if k == "raw":
                    raise NotPlain(f"{name} read other than as an argument")
                if k is None:
                    if self.final:
                        raise NotPlain(f"{name} of no known kind")
                    return "None", "pint"  # not known yet: the next pass has it
                return py_name(name), k
            if name == "nargin" and self.ws.uses_nargin:
                return "nargin", "int"
            return self.call(name, [], e)
        if isinstance(e, m_ast.Reference) and isinstance(e.n_ident, m_ast.Identifier):
            name = str(e.n_ident)
            if self.fn.is_variable(name):
                return self.index(name, e.l_args)
            return self.call(name, e.l_args, e)
        if isinstance(e, m_ast.Matrix_Expression):
            if not any(row.l_items for row in e.n_content.l_items):
                return "np.zeros((0, 0))", "a2"
            raise NotPlain("a matrix literal")
        if isinstance(e, m_ast.Range_Expression):
            parts = [e.n_first] + ([e.n_stride] if e.n_stride is not None else []) + [e.n_last]
            srcs, kinds = [], []
            for p in parts:
                src, k = self.expr(p)
                if k not in _NUMBERS:
                    raise NotPlain("a range of arrays")
                srcs.append(src)
                kinds.append(k)
            if len(parts) == 2 and all(k in ("pint", "int") for k in kinds):
                return f"mp.colon({', '.join(srcs)})", "a2"
            return f"mp.view2(mr.colon({', '.join(srcs)}))", "a2"
        if isinstance(e, m_ast.Unary_Operation):
            return self.unary(e)
        if isinstance(e, m_ast.Binary_Logical_Operation) and e.t_op.value in ("&&", "||"):
            a, ak = self.expr(e.n_lhs)
            b, bk = self.expr(e.n_rhs)
            if ak != "bool" or bk != "bool":
                raise NotPlain("&& or || of values that are not logical 1x1")
            return f"({a} {'and' if e.t_op.value == '&&' else 'or'} {b})", "bool"
        if isinstance(e, m_ast.Binary_Operation):
            return self.binary(e.t_op.value, e.n_lhs, e.n_rhs)
        raise NotPlain(type(e).__name__)

    def unary(self, e) -> tuple[str, str]:
        op = e.t_op.value
        x, k = self.expr(e.n_expr)
        if op in ("'", ".'"):
            if k in _NUMBERS:
                return x, k
            if k == "a2":
                return f"{x}.T", "a2"
            raise NotPlain("the transpose of a 3-D value")
        if op == "-":
            if k in ("pint", "int"):
                return f"(-float({x}))", "num"  # -0 is negative zero in MATLAB
            if k in ("num", "a2", "a3"):
                return f"(-{x})", k
        raise NotPlain(f"the operator {op}")

    def binary(self, op: str, lhs, rhs) -> tuple[str, str]:
        a, ak = self.expr(lhs)
        b, bk = self.expr(rhs)
        if "bool" in (ak, bk):
            raise NotPlain("arithmetic on a logical")
        scalar_a, scalar_b = ak in _NUMBERS, bk in _NUMBERS
        if op in _COMPARE:
            if scalar_a and scalar_b:
                return f"({a} {_COMPARE[op]} {b})", "bool"
            raise NotPlain("a comparison of arrays")
        if op == "*" and (scalar_a or scalar_b):
            op = ".*"
        elif op == "/" and scalar_b:
            op = "./"
        elif op == "*":
            if ak == bk == "a2":
                return f"mp.matmul({a}, {b})", "a2"
            raise NotPlain("a product of 3-D values")
        if op not in _ELEMENTWISE:
            raise NotPlain(f"the operator {op}")
        if scalar_a and scalar_b:
            if op in ("+", "-") and ak in ("pint", "int") and bk in ("pint", "int"):
                kind = "pint" if op == "+" and ak == bk == "pint" else "int"
                return f"({a} {op} {b})", kind
            return f"(float({a}) {_ELEMENTWISE[op]} {b})", "num"  # Python's float arithmetic is IEEE's
        if not scalar_a and not scalar_b and ak != bk:
            raise NotPlain("an operation on a 2-D and a 3-D value")
        return f"({a} {_ELEMENTWISE[op]} {b})", ak if not scalar_a else bk

    def key(self, kind: str, args) -> str | None:
        """numpy's basic index for subscripts that are each ``:`` or a positive integer, as many as
        the array holds dimensions (the same view the runtime takes); else None."""
        n = 3 if kind == "a3" else 2
        if len(args) != n:
            return None
        parts = []
        for k, a in enumerate(args):
            if isinstance(a, m_ast.Reshape):
                parts.append("slice(None)")
                continue
            src, sk = self.expr(a)
            if sk != "pint":
                return None
            # the last subscript of three drops its dimension (MATLAB drops the trailing singleton);
            # elsewhere `None` keeps it; an integer subscript raises IndexError out of bounds
            parts.append(f"{src} - 1" if k == 2 else f"{src} - 1, None")
        return ", ".join(parts)

    def index(self, name: str, args) -> tuple[str, str]:
        if name in self.owned:
            raise NotPlain("an owned array read")
        kind = self.kinds.get(name)
        if kind is None:
            if self.final:
                raise NotPlain(f"{name} of no known kind")
            return "None", "a2"
        if kind not in ("a2", "a3"):
            raise NotPlain("indexing a number")
        if any(_has_end(a) for a in args):
            raise NotPlain("end in a subscript")
        key = self.key(kind, args)
        if key is not None:
            return f"{py_name(name)}[{key}]".replace("slice(None)", ":"), "a2"
        if len(args) != 1 and kind == "a3":
            raise NotPlain("indexing a 3-D value")
        if len(args) == 1 and kind == "a2" and not isinstance(args[0], m_ast.Reshape):
            src, sk = self.expr(args[0])
            if sk == "a2":
                return f"mp.index1({py_name(name)}, {src})", "a2"
        subs = ", ".join(self.general_subscript(a) for a in args)
        return f"mp.view2(mr.index(mp.general({py_name(name)}), {subs}))", "a2"

    def general_subscript(self, a) -> str:
        if isinstance(a, m_ast.Reshape):
            return "mr.ALL"
        if _has_end(a):
            raise NotPlain("end in a subscript")
        src, k = self.expr(a)
        if k in ("pint", "int"):
            return src
        if k == "a2":
            return f"mp.general({src})"
        raise NotPlain("a subscript of this kind")

    def call(self, name: str, args, node) -> tuple[str, str]:
        n = len(args)
        if name == "size" and n == 2 and isinstance(args[1], m_ast.Number_Literal):
            a, k = self.expr(args[0])
            dim = int(str(args[1].t_value.value))
            if k not in ("a2", "a3") or dim < 1:
                raise NotPlain("size of this kind")
            held = 3 if k == "a3" else 2
            return (f"{a}.shape[{dim - 1}]" if dim <= held else "1"), "int"
        if name in ("zeros", "ones") and n >= 1:
            fill = "np.zeros" if name == "zeros" else "np.ones"
            if n == 1 and isinstance(args[0], m_ast.Reference) and str(args[0].n_ident) == "size" \
                    and len(args[0].l_args) == 1 and not self.fn.is_variable("size"):
                a, k = self.expr(args[0].l_args[0])
                if k in ("a2", "a3"):
                    return f"{fill}({a}.shape)", k
                raise NotPlain("zeros(size(x)) of a number")
            if n not in (2, 3):
                raise NotPlain("zeros with other than 2 or 3 sizes")
            dims = [self.bound(a)[0] for a in args]
            return f"{fill}(({', '.join(dims)}))", "a2" if n == 2 else "a3"
        if name == "isempty" and n == 1:
            a, k = self.expr(args[0])
            if k in ("a2", "a3"):
                return f"({a}.size == 0)", "bool"
            raise NotPlain("isempty of a number")
        if name in _UNARY and n == 1:
            a, k = self.expr(args[0])
            if k in ("a2", "a3"):
                return f"{_UNARY[name]}({a})", k
            raise NotPlain(f"{name} of a number")
        if name == "bsxfun" and n == 3 and isinstance(args[0], m_ast.Function_Pointer) \
                and str(args[0].n_name) in _BSX:
            return self.binary(_BSX[str(args[0].n_name)], args[1], args[2])
        if name in ("sum", "max", "min") and 1 <= n <= 3:
            fast = self.reduction(name, args)
            if fast is not None:
                return fast, "a2"
        if name in ("sum", "max", "min", "repmat") and n >= 1:
            srcs = []
            for a in args:
                if isinstance(a, m_ast.Matrix_Expression) and not any(r.l_items for r in a.n_content.l_items):
                    srcs.append("[]")  # MATLAB's placeholder, as the general body passes it
                    continue
                src, k = self.expr(a)
                if k not in ("a2", "pint", "int"):
                    raise NotPlain(f"an argument of {name}")
                srcs.append(f"mp.general({src})" if k == "a2" else src)
            if name in ("max", "min") and n != 3:
                raise NotPlain(f"{name} with other than three arguments")
            if self.expr(args[0])[1] != "a2":
                raise NotPlain(f"{name} of a number")
            return f"mp.view2(mr.{name}({', '.join(srcs)}))", "a2"
        if self.fn.is_variable(name):
            raise NotPlain("a variable called")
        call, outs = self.user_call(name, args, node, 1)
        return f"mp.double2(mp.take({call}, {outs[0]!r}))", "a2"

    def reduction(self, name: str, args) -> str | None:
        """``sum(A)``, ``sum(A, k)``, ``max(A, [], k)`` of a 2-D double with a literal k: the runtime's
        own steps, in :mod:`plain` (None: the runtime's call instead)."""
        a, k = self.expr(args[0])
        if k != "a2":
            return None
        rest = args[1:]
        if name in ("max", "min"):
            if len(rest) != 2 or not (isinstance(rest[0], m_ast.Matrix_Expression)
                                      and not any(r.l_items for r in rest[0].n_content.l_items)):
                return None
            rest = rest[1:]
        elif len(rest) > 1:
            return None
        if rest and not (isinstance(rest[0], m_ast.Number_Literal) and str(rest[0].t_value.value) in ("1", "2")):
            return None
        dim = f", {rest[0].t_value.value}" if rest else ""
        return f"mp.{name}({a}{', []' if name != 'sum' else ''}{dim})"

    def user_call(self, name: str, args, node, n: int) -> tuple[str, tuple]:
        found = self.user_function(name, node)
        if found is None:
            raise NotPlain(f"the call of {name}")
        sig, py = found
        if sig.reads_nargout or sig.varargin or sig.varargout or len(args) > len(sig.inputs) \
                or n > len(sig.outputs):
            raise NotPlain(f"the call of {name}")
        srcs = []
        for a in args:
            if isinstance(a, m_ast.Identifier) and self.kinds.get(str(a)) == "raw":
                srcs.append(py_name(str(a)))
                continue
            src, k = self.expr(a)
            if k == "bool":
                raise NotPlain("a logical argument")
            srcs.append(src)  # mr.function makes each a MATLAB value (a held trailing 1 dropped)
        return f"mp.call({', '.join([py] + srcs)})", tuple(sig.outputs[:n])


def _inside(node, body) -> bool:
    p = node
    while p is not None:
        if p is body:
            return True
        p = getattr(p, "n_parent", None)
    return False


def _has_end(e) -> bool:
    return any(isinstance(n, m_ast.Identifier) and n.t_ident.kind == "KEYWORD" and n.t_ident.value == "end"
               for n in _walk(e))
