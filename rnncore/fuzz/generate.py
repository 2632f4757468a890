"""MATLAB programs inside rnncore translate's subset, drawn from a seed (``random.Random``).

The generator is typed: it knows the class (double, logical, char, cell, function handle) and, where
it can, the size of every variable it has made, so most programs run to the end in Octave; the rest
stop with an error on purpose (an index past the end, nonconformant operands), which the port must
raise too. Sizes run from empty (0x0, 1x0, 0x3) through 1x1 to N-D (2x3x2), and numbers include
NaN, Inf and -0.

Adding a construct: write a function ``(g: Gen, scope: Scope) -> Line | Block | None`` and register
it with ``@statement(weight)``, or an expression ``(g, scope, shape) -> Expr | None`` with
``@expression("double" | "logical" | "char", weight)``; returning None means "not here" (another is
drawn). Every ``while`` loop is bounded by construction (a counter the body never assigns), so no
program runs for ever in either engine.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable

from rnncore.fuzz.program import FILE, Block, Expr, Function, Line, Program, line, lit

__all__ = ["Gen", "Scope", "Var", "generate", "programs", "statement", "expression", "STATEMENTS", "EXPRESSIONS"]

Shape = tuple  # a MATLAB size, e.g. (2, 3) or (2, 3, 2); None where the generator does not know it

# Sizes an array is drawn with; scalars most often, as in course code.
SHAPES = [(1, 1)] * 6 + [(1, 3), (1, 4), (3, 1), (2, 3), (3, 2), (2, 2), (1, 0), (0, 0), (0, 3), (2, 3, 2), (2, 2, 2)]
NAMES = ["a", "b", "x", "y", "z", "v", "w", "M", "A", "B", "s", "t", "L", "q", "r", "d", "m", "n"]
LOOP_NAMES = ["k", "kk", "ii", "jj"]


@dataclass
class Var:
    cls: str  # "double" | "logical" | "char" | "cell" | "handle"
    shape: Shape | None
    arity: int = 1  # for a handle: how many arguments it takes (its result has the first one's size)


@dataclass
class Scope:
    """The variables a point of the program can rely on (class and, if known, size)."""

    vars: dict[str, Var] = field(default_factory=dict)
    frozen: set[str] = field(default_factory=set)  # loop counters: never assigned in their body
    loop: int = 0  # depth of enclosing for/while loops (break and continue are allowed inside)
    depth: int = 0  # nesting of blocks
    in_function: bool = False
    functions: dict[str, tuple[tuple[Var, ...], tuple[Var, ...], int]] = field(default_factory=dict)
    # FILEk -> (parameter types, output types, how many parameters are required)

    def copy(self) -> "Scope":
        return Scope({k: Var(v.cls, v.shape, v.arity) for k, v in self.vars.items()}, set(self.frozen), self.loop,
                     self.depth, self.in_function, self.functions)

    def of(self, cls: str, shape=..., *, known: bool = False) -> list[str]:
        """Names of variables of class ``cls`` (and ``shape``, if given; ``known``: of known size)."""
        return sorted(n for n, v in self.vars.items() if v.cls == cls and (shape is ... or v.shape == shape)
                      and (not known or v.shape is not None))


def _merge(a: Scope, b: Scope) -> dict[str, Var]:
    """What holds after one of two paths: a variable both paths leave with the same class (its
    size kept only if both agree); anything else may or may not exist, so it is no longer read."""
    out = {}
    for name, va in a.vars.items():
        vb = b.vars.get(name)
        if vb is None or va.cls != vb.cls or va.arity != vb.arity:
            continue
        out[name] = Var(va.cls, va.shape if va.shape == vb.shape else None, va.arity)
    return out


STATEMENTS: list[tuple[float, Callable]] = []
EXPRESSIONS: dict[str, list[tuple[float, Callable]]] = {"double": [], "logical": [], "char": []}


def statement(weight: float):
    def register(fn):
        STATEMENTS.append((weight, fn))
        return fn
    return register


def expression(cls: str, weight: float):
    def register(fn):
        EXPRESSIONS[cls].append((weight, fn))
        return fn
    return register


class Gen:
    """One program's random choices."""

    def __init__(self, rng: random.Random, max_depth: int = 2):
        self.rng = rng
        self.max_depth = max_depth
        self.functions: dict[str, tuple[Function, ...]] = {}

    # -- small choices ----------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, table):
        total = sum(w for w, _ in table)
        x = self.rng.random() * total
        for w, item in table:
            x -= w
            if x < 0:
                return item
        return table[-1][1]

    def shape(self) -> Shape:
        return self.pick(SHAPES)

    def number(self) -> str:
        """A MATLAB number: mostly small integers, some fractions, now and then NaN, Inf or -0."""
        r = self.rng.random()
        if r < 0.55:
            return str(self.rng.randint(-3, 6))
        if r < 0.85:
            return self.pick(["0.5", "-1.5", "2.25", "0.1", "0.3", "-0.9", "1e-3", "1e3", "3.75", "1/3", "2/3"])
        return self.pick(["NaN", "Inf", "-Inf", "-0", "pi", "eps", "1e308", "-2.5e-310"])

    def index(self, extent: int) -> str:
        """A subscript in 1..extent, now and then ``end`` or one past the end (an error, or growth)."""
        r = self.rng.random()
        if extent == 0 or r < 0.04:
            return str(extent + 1)
        if r < 0.2:
            return "end"
        if r < 0.27 and extent > 1:
            return "end-1"
        return str(self.rng.randint(1, extent))

    def fresh(self, scope: Scope, prefer_new: float = 0.5) -> str:
        taken = [n for n in NAMES if n in scope.vars and n not in scope.frozen]
        new = [n for n in NAMES if n not in scope.vars]
        if new and (not taken or self.chance(prefer_new)):
            return self.pick(new)
        return self.pick(taken) if taken else self.pick(NAMES)

    # -- expressions ------------------------------------------------------------------------------

    def expr(self, cls: str, scope: Scope, shape: Shape | None = None, depth: int = 0) -> Expr:
        """An expression of class ``cls`` and size ``shape`` (a drawn size when None)."""
        if shape is None:
            shape = self.shape()
        if depth < self.max_depth:
            for _ in range(6):
                fn = self.weighted(EXPRESSIONS[cls])
                got = fn(self, scope, shape, depth + 1)
                if got is not None:
                    return got
        return literal(self, cls, shape)

    def block_body(self, scope: Scope, n: int | None = None) -> tuple:
        """1-3 statements of a nested body, generated in ``scope`` (which they change)."""
        n = n if n is not None else self.rng.randint(1, 2)
        body = []
        for _ in range(n):
            s = self.statement(scope)
            if s is not None:
                body.append(s)
        return tuple(body) or (Line("{0} = {1};", (lit(self.fresh(scope)), lit(self.number()))),)

    def statement(self, scope: Scope):
        for _ in range(8):
            fn = self.weighted(STATEMENTS)
            got = fn(self, scope)
            if got is not None:
                return got
        name = self.fresh(scope)
        scope.vars[name] = Var("double", (1, 1))
        return Line(f"{name} = {{0}};", (lit(self.number()),))


# ------------------------------------------------------------------------------------------------
# literals (always possible: the fallback of every expression)


def literal(g: Gen, cls: str, shape: Shape) -> Expr:
    if cls == "char":
        if shape == (1, 1):
            return lit(f"'{g.pick('abxyz')}'")
        if len(shape) == 2 and shape[0] == 1:
            return lit("'" + "".join(g.pick("abcdefxyz _-") for _ in range(shape[1])) + "'")
        return lit(g.pick(["'hello'", "''", "'it''s'", "'a b'"]))
    if cls == "logical":
        if shape == (1, 1):
            return lit(g.pick(["true", "false"]))
        if 0 in shape or len(shape) > 2:
            return Expr("false({0})", (lit(", ".join(map(str, shape))),)) if g.chance(0.5) else \
                Expr("true({0})", (lit(", ".join(map(str, shape))),))
        rows = ["  ".join(g.pick(["true", "false"]) for _ in range(shape[1])) for _ in range(shape[0])]
        return lit("[" + "; ".join(rows) + "]")
    # double
    if shape == (1, 1):
        return lit(g.number())
    if shape == (0, 0):
        return lit(g.pick(["[]", "zeros(0, 0)", "ones(0)"]))
    if 0 in shape:
        return lit(f"{g.pick(['zeros', 'ones'])}({', '.join(map(str, shape))})")
    n = math.prod(shape)
    if len(shape) > 2:
        r = g.rng.random()
        dims = ", ".join(map(str, shape))
        if r < 0.4:
            return lit(f"reshape(1:{n}, {dims})")
        if r < 0.6:
            return lit(f"reshape((1:{n}) / 4 - 1, [{' '.join(map(str, shape))}])")
        return lit(f"{g.pick(['zeros', 'ones'])}({dims})")
    if g.chance(0.2) and shape[0] == 1:
        return lit(f"{g.pick(['zeros', 'ones'])}(1, {shape[1]})")
    rows = [" ".join(g.number() for _ in range(shape[1])) for _ in range(shape[0])]
    return lit("[" + "; ".join(rows) + "]")


def _numel(shape) -> int:
    return math.prod(shape)


def _is_vector(shape) -> bool:
    return shape is not None and len(shape) == 2 and (shape[0] == 1 or shape[1] == 1)


# ------------------------------------------------------------------------------------------------
# double expressions


@expression("double", 6)
def _variable(g: Gen, scope: Scope, shape, depth):
    names = scope.of("double", shape)
    return lit(g.pick(names)) if names else None


@expression("double", 3)
def _converted(g: Gen, scope: Scope, shape, depth):
    """A logical or char variable in arithmetic: double(L), L + 0, +s."""
    names = scope.of("logical", shape) + scope.of("char", shape)
    if not names:
        return None
    return Expr(g.pick(["double({0})", "{0} + 0", "{0} * 1"]), (lit(g.pick(names)),))


@expression("double", 5)
def _elementwise(g: Gen, scope: Scope, shape, depth):
    op = g.pick([" + ", " - ", " .* ", " ./ ", " .^ ", " * ", " / "])
    r = g.rng.random()
    if op in (" * ", " / "):  # with a scalar side these are element-wise in MATLAB
        left, right = (shape, (1, 1)) if g.chance(0.5) or op == " / " else ((1, 1), shape)
    elif r < 0.5:
        left, right = shape, shape
    elif r < 0.7:
        left, right = (shape, (1, 1)) if g.chance(0.5) else ((1, 1), shape)
    elif len(shape) == 2 and r < 0.9:  # implicit expansion: a column against a row
        left, right = (shape[0], 1), (1, shape[1])
        if g.chance(0.5):
            left, right = right, left
    elif len(shape) == 3:
        left, right = shape, (shape[0], shape[1])
    else:
        left, right = shape, g.shape()  # most likely nonconformant: both engines must say so
    a = g.expr("double", scope, left, depth)
    b = g.expr("double", scope, right, depth)
    if op == " .^ ":
        return Expr("abs({0})" + op + "{1}", (a, b)) if g.chance(0.5) else Expr("{0} .^ " + g.pick(["2", "3", "-1", "0"]), (a,))
    return Expr("({0}" + op + "{1})", (a, b))


@expression("double", 3)
def _unary(g: Gen, scope: Scope, shape, depth):
    fn = g.pick(["-{0}", "abs({0})", "floor({0})", "ceil({0})", "round({0})", "fix({0})", "sign({0})", "exp({0})",
                 "sqrt(abs({0}))", "log(abs({0}))", "tanh({0})", "sin({0})", "cos({0})", "mod({0}, 3)",
                 "mod({0}, -2)", "rem({0}, 3)", "mod({0}, 0)", "mod({0}, 0.5)", "log2(abs({0}))", "log10(abs({0}))"])
    return Expr(fn, (g.expr("double", scope, shape, depth),))


@expression("double", 2)
def _transposed(g: Gen, scope: Scope, shape, depth):
    if len(shape) != 2:
        return None
    return Expr("{0}'", (g.expr("double", scope, (shape[1], shape[0]), depth),))


@expression("double", 4)
def _reduction(g: Gen, scope: Scope, shape, depth):
    fn = g.pick(["sum", "prod", "mean", "max", "min", "any", "all", "cumsum", "cumprod"])
    if fn in ("cumsum", "cumprod"):
        if g.chance(0.5):
            return Expr(f"{fn}({{0}})", (g.expr("double", scope, shape, depth),))
        d = g.rng.randint(1, len(shape) + 1)
        return Expr(f"{fn}({{0}}, {d})", (g.expr("double", scope, shape, depth),))
    # the input: the result's size with one dimension (of size 1 in the result) made longer
    ones = [k for k, s in enumerate(shape) if s == 1] + ([len(shape)] if len(shape) == 2 else [])
    if not ones:
        return None
    k = g.pick(ones)
    src = list(shape) + [1] * (k + 1 - len(shape))
    src[k] = g.pick([2, 3, 0, 1])
    src = tuple(src)
    while len(src) > 2 and src[-1] == 1:
        src = src[:-1]
    arg = g.expr("double", scope, src, depth)
    wrap = "double({0})" if fn in ("any", "all") else "{0}"
    if fn in ("max", "min"):
        return Expr(wrap.format(f"{fn}({{0}}, [], {k + 1})"), (arg,))
    first = next((j for j, s in enumerate(src) if s != 1), 0)
    if first == k and src != (0, 0) and g.chance(0.5):
        return Expr(wrap.format(f"{fn}({{0}})"), (arg,))
    return Expr(wrap.format(f"{fn}({{0}}, {k + 1})"), (arg,))


@expression("double", 3)
def _scalar_query(g: Gen, scope: Scope, shape, depth):
    if shape != (1, 1):
        return None
    names = sorted(n for n, v in scope.vars.items() if v.cls in ("double", "logical", "char", "cell"))
    if not names:
        return None
    x = lit(g.pick(names))
    fn = g.pick(["numel({0})", "length({0})", "ndims({0})", "size({0}, 1)", "size({0}, 2)", "size({0}, 3)",
                 "double(isempty({0}))"])
    if scope.vars[x.fmt].cls != "cell":
        fn = g.pick([fn, "sum({0}(:))", "nnz({0})", "max([{0}(:); -1])", "min([{0}(:)' 7])", "mean({0}(:))"])
    return Expr(fn, (x,))


@expression("double", 5)
def _indexed(g: Gen, scope: Scope, shape, depth):
    """A part of a variable of known size: A(i), A(i, j), A(:, j), A(i, :), A(end, :), A(:, :, p)..."""
    names = scope.of("double", known=True) + scope.of("logical", known=True) + scope.of("char", known=True)
    if not names:
        return None
    name = g.pick(names)
    src = scope.vars[name].shape
    wrap = "{0}" if scope.vars[name].cls == "double" else "double({0})"
    if shape == (1, 1) and _numel(src) > 0:
        if g.chance(0.5):
            return Expr(wrap.format(f"{name}({{0}})"), (lit(g.index(_numel(src))),))
        subs = ", ".join(g.index(s) for s in src)
        return Expr(wrap.format(f"{name}({{0}})"), (lit(subs),))
    if len(src) == 2 and shape == (src[0], 1) and src[1] > 0:
        return Expr(wrap.format(f"{name}(:, {{0}})"), (lit(g.index(src[1])),))
    if len(src) == 2 and shape == (1, src[1]) and src[0] > 0:
        return Expr(wrap.format(f"{name}({{0}}, :)"), (lit(g.index(src[0])),))
    if len(src) == 3 and shape == src[:2]:
        return Expr(wrap.format(f"{name}(:, :, {{0}})"), (lit(g.index(src[2])),))
    if shape == (_numel(src), 1):
        return Expr(wrap.format(f"{name}(:)"), ())
    if shape == (1, _numel(src)):
        return Expr(wrap.format(f"{name}(:)'"), ())
    if len(shape) == 2 and shape[0] == 1 and 0 < shape[1] <= _numel(src):
        picks = " ".join(str(g.rng.randint(1, _numel(src))) for _ in range(shape[1]))
        return Expr(wrap.format(f"{name}([{{0}}])"), (lit(picks),))
    if len(src) == 2 and shape == src and g.chance(0.5):
        return Expr(wrap.format(f"{name}(end:-1:1, :)" if g.chance(0.5) else f"{name}(:, end:-1:1)"), ())
    return None


@expression("double", 2)
def _matrix_product(g: Gen, scope: Scope, shape, depth):
    if len(shape) != 2:
        return None
    k = g.pick([1, 2, 3])
    return Expr("({0} * {1})", (g.expr("double", scope, (shape[0], k), depth), g.expr("double", scope, (k, shape[1]), depth)))


@expression("double", 3)
def _range(g: Gen, scope: Scope, shape, depth):
    """A colon range with integer or fractional steps (rows only)."""
    if len(shape) != 2 or shape[0] != 1:
        return None
    n = shape[1]
    start = g.pick(["0", "1", "-1", "0.1", "0.5", "-0.3", "2"])
    step = g.pick(["1", "0.1", "0.25", "-0.5", "1/3", "0.2", "2", "-1", "0.7"])
    a, s = eval(start), eval(step)  # noqa: S307 - our own numeric literals
    last = a + (n - 1) * s
    stop = f"{last:.15g}" if n > 0 else f"{a - s:.15g}"
    if step == "1" and g.chance(0.7):
        return lit(f"({start}:{stop})")
    return lit(f"({start}:{step}:{stop})")


@expression("double", 2)
def _built(g: Gen, scope: Scope, shape, depth):
    """zeros/ones/repmat/reshape/linspace of the wanted size."""
    r = g.rng.random()
    dims = ", ".join(map(str, shape))
    if r < 0.25:
        return lit(f"{g.pick(['zeros', 'ones'])}({dims})")
    if r < 0.5 and len(shape) == 2:
        rr = g.pick([d for d in (1, 2, 3) if shape[0] % d == 0] or [1]) if shape[0] else 1
        cc = g.pick([d for d in (1, 2) if shape[1] % d == 0] or [1]) if shape[1] else 1
        src = (shape[0] // rr if rr else 0, shape[1] // cc if cc else 0)
        return Expr(f"repmat({{0}}, {rr}, {cc})", (g.expr("double", scope, src, depth),))
    if r < 0.8 and _numel(shape) > 0:
        n = _numel(shape)
        src = g.pick([(1, n), (n, 1)] + ([(shape[1], shape[0])] if len(shape) == 2 else []))
        if len(shape) == 2 and g.chance(0.5):
            return Expr(f"reshape({{0}}, {shape[0]}, [])", (g.expr("double", scope, src, depth),))
        return Expr(f"reshape({{0}}, {dims})", (g.expr("double", scope, src, depth),))
    if len(shape) == 2 and shape[0] == 1:
        return lit(f"linspace({g.pick(['0', '-1', '0.5'])}, {g.pick(['1', '2', '-3'])}, {shape[1]})")
    return None


@expression("double", 3)
def _call_handle(g: Gen, scope: Scope, shape, depth):
    names = [n for n in scope.of("handle") if scope.vars[n].arity in (0, 1, 2)]
    if not names:
        return None
    name = g.pick(names)
    arity = scope.vars[name].arity
    if arity == 0:
        return lit(f"{name}()") if shape == (1, 1) else None
    args = [g.expr("double", scope, shape, depth) for _ in range(arity)]
    return Expr(f"{name}(" + ", ".join("{%d}" % k for k in range(arity)) + ")", tuple(args))


@expression("double", 3)
def _call_function(g: Gen, scope: Scope, shape, depth):
    if not scope.functions:
        return None
    name = g.pick(sorted(scope.functions))
    params, outputs, required = scope.functions[name]
    if outputs[0].shape not in (shape, None) or outputs[0].shape is None and shape != (1, 1):
        return None
    n = g.rng.randint(required, len(params))
    args = tuple(g.expr(p.cls if p.cls != "logical" else "double", scope, p.shape, depth) for p in params[:n])
    if outputs[0].shape is None:  # the size depends on the argument
        return None
    return Expr(f"{name}(" + ", ".join("{%d}" % k for k in range(n)) + ")", args)


@expression("double", 2)
def _mixed_classes(g: Gen, scope: Scope, shape, depth):
    """A logical (or char) operand where a number is wanted: arithmetic takes it as double, Octave 7's
    mod and rem refuse it."""
    fn = g.pick(["-{0}", "({0} * 2)", "abs({0})", "cumsum({0})", "max({0}, 0.5)", "({0} + {0})", "floor({0})"])
    if g.chance(0.08):  # an error in Octave 7 (not in MATLAB): the port must raise too
        fn = g.pick(["mod({0}, 3)", "rem({0}, 2)"])
    if shape == (1, 3) and g.chance(0.3):
        return Expr(fn, (literal(g, "char", (1, 3)),))
    return Expr(fn, (g.expr("logical", scope, shape, depth),))


@expression("double", 2)
def _find(g: Gen, scope: Scope, shape, depth):
    if shape != (1, 1):
        return None
    v = g.expr("double", scope, g.pick([(1, 4), (3, 1), (2, 3), (1, 0)]), depth)
    return Expr(g.pick(["numel(find({0}))", "sum(find({0} > 0))", "max([0; reshape(find({0}), [], 1)])"]), (v,))


@expression("double", 2)
def _from_cell(g: Gen, scope: Scope, shape, depth):
    names = [n for n in scope.of("cell", known=True) if _numel(scope.vars[n].shape) > 0]
    if not names or shape != (1, 1):
        return None
    name = g.pick(names)
    return lit(f"numel({name}{{{g.rng.randint(1, _numel(scope.vars[name].shape))}}})")


@expression("double", 1)
def _text_number(g: Gen, scope: Scope, shape, depth):
    if shape != (1, 1):
        return None
    return Expr(g.pick(["double(max([{0} 'a']))", "numel({0})", "sum({0} == 'a')"]), (g.expr("char", scope, (1, 3), depth),))


# ------------------------------------------------------------------------------------------------
# logical expressions


@expression("logical", 4)
def _compare(g: Gen, scope: Scope, shape, depth):
    op = g.pick([" > ", " < ", " >= ", " <= ", " == ", " ~= "])
    a = g.expr("double", scope, shape, depth)
    b = g.expr("double", scope, shape if g.chance(0.4) else (1, 1), depth)
    return Expr("({0}" + op + "{1})", (a, b))


@expression("logical", 3)
def _logical_variable(g: Gen, scope: Scope, shape, depth):
    names = scope.of("logical", shape)
    return lit(g.pick(names)) if names else None


@expression("logical", 2)
def _logical_ops(g: Gen, scope: Scope, shape, depth):
    r = g.rng.random()
    if r < 0.3:
        return Expr("~{0}", (g.expr("logical", scope, shape, depth),))
    op = g.pick([" & ", " | "])
    return Expr("({0}" + op + "{1})", (g.expr("logical", scope, shape, depth), g.expr("logical", scope, shape, depth)))


@expression("logical", 2)
def _any_all(g: Gen, scope: Scope, shape, depth):
    if shape != (1, 1):
        if len(shape) == 2 and shape[0] == 1:
            fn = g.pick(["any", "all"])
            return Expr(f"{fn}({{0}})", (g.expr("double", scope, (g.pick([2, 3]), shape[1]), depth),))
        return None
    fn = g.pick(["any(reshape({0}, [], 1))", "all(reshape({0}, [], 1))", "isempty({0})", "any({0})", "isequal({0}, {0})"])
    return Expr(fn, (g.expr("double", scope, g.pick([(1, 3), (3, 1), (1, 1), (0, 0), (1, 0)]), depth),))


@expression("logical", 1)
def _logical_of(g: Gen, scope: Scope, shape, depth):
    return Expr("logical({0})", (Expr("abs(sign({0}))", (g.expr("double", scope, shape, depth),)),))


@expression("logical", 1)
def _text_test(g: Gen, scope: Scope, shape, depth):
    if shape != (1, 1):
        return None
    return Expr(g.pick(["strcmp({0}, {1})", "isequal({0}, {1})"]), (g.expr("char", scope, None, depth),
                                                                      g.expr("char", scope, None, depth)))


# ------------------------------------------------------------------------------------------------
# char expressions (sizes other than a row are drawn as rows)


@expression("char", 3)
def _char_variable(g: Gen, scope: Scope, shape, depth):
    names = scope.of("char")
    return lit(g.pick(names)) if names else None


@expression("char", 4)
def _formatted(g: Gen, scope: Scope, shape, depth):
    fmt = g.pick(["'%d'", "'%g,'", "'%5.2f'", "'%d-'", "'x=%g;'", "'%.3f'", "'%i|'", "'%e'"])
    arg = g.expr("double", scope, g.pick([(1, 1), (1, 1), (1, 3), (0, 0)]), depth)
    if g.chance(0.3):
        return Expr("num2str({0})", (g.expr("double", scope, g.pick([(1, 1), (1, 3)]), depth),))
    return Expr(f"sprintf({fmt}, {{0}})", (arg,))


@expression("char", 3)
def _joined(g: Gen, scope: Scope, shape, depth):
    return Expr("[{0} {1}]", (g.expr("char", scope, None, depth), g.expr("char", scope, None, depth)))


@expression("char", 2)
def _text_ops(g: Gen, scope: Scope, shape, depth):
    names = [n for n in scope.of("char", known=True) if scope.vars[n].shape[0] == 1 and scope.vars[n].shape[1] > 0]
    if names and g.chance(0.6):
        name = g.pick(names)
        return lit(g.pick([f"{name}(end:-1:1)", f"{name}(1)", f"{name}([1 1])", f"upper({name})", f"{name}(end)"]))
    return Expr(g.pick(["upper({0})", "lower({0})"]), (literal(g, "char", (1, 3)),))


# ------------------------------------------------------------------------------------------------
# statements


def _type_of(cls: str, shape) -> Var:
    if cls == "char" and shape is not None and not (len(shape) == 2 and shape[0] == 1):
        return Var("char", None)
    return Var(cls, shape)


@statement(10)
def _assign(g: Gen, scope: Scope):
    cls = g.pick(["double"] * 6 + ["logical"] * 2 + ["char"])
    shape = g.shape()
    e = g.expr(cls, scope, shape)
    name = g.fresh(scope)
    if cls == "char":
        shape = None  # text lengths are not followed
    scope.vars[name] = _type_of(cls, shape)
    return Line(f"{name} = {{0}};", (e,))


@statement(6)
def _assign_element(g: Gen, scope: Scope):
    names = [n for n in scope.of("double", known=True) + scope.of("logical", known=True) if n not in scope.frozen]
    if not names:
        return None
    name = g.pick(names)
    var = scope.vars[name]
    shape = var.shape
    n = _numel(shape)
    r = g.rng.random()
    value = g.expr("double" if var.cls == "double" or g.chance(0.3) else "logical", scope, (1, 1))
    if r < 0.3:  # A(i) = x, growing a vector (or an empty array) past its end
        k = g.rng.randint(1, n + 2)
        if k > n and not (_is_vector(shape) or n == 0):
            k = max(n, 1)
        if k > n:
            var.shape = (1, k) if shape in ((0, 0), (1, 0)) or shape[0] == 1 else (k, 1) if shape[1] == 1 else None
        return Line(f"{name}({k}) = {{0}};", (value,))
    if r < 0.45:
        grown = n == 0 or g.chance(0.5)
        var.shape = shape if not grown else ((1, n + 1) if shape in ((0, 0),) or shape[0] == 1 else
                                             (n + 1, 1) if _is_vector(shape) else None)
        if var.shape is None:
            return Line(f"{name}(end) = {{0}};", (value,)) if n else None
        return Line(f"{name}(end+1) = {{0}};" if grown else f"{name}(end) = {{0}};", (value,))
    if r < 0.6 and len(shape) == 2:  # A(i, j) = x, growing in two dimensions
        i, j = g.rng.randint(1, shape[0] + 1), g.rng.randint(1, shape[1] + 1)
        var.shape = (max(shape[0], i), max(shape[1], j))
        return Line(f"{name}({i}, {j}) = {{0}};", (value,))
    if r < 0.72 and len(shape) == 2 and shape[0] > 0:  # a column
        j = g.rng.randint(1, shape[1] + 1)
        col = g.expr("double", scope, (shape[0], 1) if g.chance(0.7) else (1, 1))
        var.shape = (shape[0], max(shape[1], j))
        return Line(f"{name}(:, {j}) = {{0}};", (col,))
    if r < 0.8 and len(shape) == 2 and shape[1] > 0 and shape[0] > 0:  # the last row
        row = g.expr("double", scope, (1, shape[1]) if g.chance(0.7) else (1, 1))
        return Line(f"{name}(end, :) = {{0}};", (row,))
    if r < 0.9 and var.cls == "double":  # a mask
        return Line(f"{name}({name} {g.pick(['>', '<', '=='])} {g.number()}) = {{0}};", (value,))
    if len(shape) == 3 and n:
        return Line(f"{name}(:, :, {g.index(shape[2])}) = {{0}};", (g.expr("double", scope, (1, 1)),))
    return Line(f"{name}(:) = {{0}};", (value,))


@statement(3)
def _delete(g: Gen, scope: Scope):
    names = [n for n in scope.of("double", known=True) + scope.of("char", known=True) + scope.of("cell", known=True)
             if n not in scope.frozen and _numel(scope.vars[n].shape) > 0]
    if not names:
        return None
    name = g.pick(names)
    var = scope.vars[name]
    shape = var.shape
    n = _numel(shape)
    r = g.rng.random()
    if _is_vector(shape) and r < 0.5:
        k = g.index(n)
        var.shape = None if k == str(n + 1) else ((1, n - 1) if shape[0] == 1 else (n - 1, 1))
        return Line(f"{name}({k}) = [];")
    if len(shape) == 2 and r < 0.75:
        j = g.rng.randint(1, shape[1])
        var.shape = (shape[0], shape[1] - 1)
        return Line(f"{name}(:, {j}) = [];")
    if len(shape) == 2 and r < 0.9:
        i = g.rng.randint(1, shape[0])
        var.shape = (shape[0] - 1, shape[1])
        return Line(f"{name}({i}, :) = [];")
    if var.cls == "double":
        var.shape = None
        return Line(f"{name}({name} > {g.number()}) = [];")
    var.shape = None
    return Line(f"{name}([1 end]) = [];")


@statement(3)
def _cell_statement(g: Gen, scope: Scope):
    names = [n for n in scope.of("cell", known=True) if n not in scope.frozen]
    r = g.rng.random()
    if not names or r < 0.3:
        name = g.fresh(scope)
        items = [g.expr(g.pick(["double", "char", "logical"]), scope, g.pick([(1, 1), (1, 3), (2, 2), (0, 0)]))
                 for _ in range(g.rng.randint(0, 4))]
        if items and g.chance(0.3):
            half = len(items) // 2 or 1
            rows = "; ".join(", ".join("{%d}" % k for k in range(i, min(i + half, len(items))))
                             for i in range(0, len(items), half))
            if len(items) % half:
                rows = ", ".join("{%d}" % k for k in range(len(items)))
                scope.vars[name] = Var("cell", (1, len(items)))
            else:
                scope.vars[name] = Var("cell", (len(items) // half, half))
            return Line(f"{name} = {{{{{rows}}}}};", tuple(items))
        scope.vars[name] = Var("cell", (1, len(items)) if items else (0, 0))
        return Line(f"{name} = {{{{" + ", ".join("{%d}" % k for k in range(len(items))) + "}};", tuple(items))
    name = g.pick(names)
    var = scope.vars[name]
    n = _numel(var.shape)
    value = g.expr(g.pick(["double", "char"]), scope, g.pick([(1, 1), (1, 2)]))
    if r < 0.6:
        var.shape = (1, n + 1) if var.shape[0] <= 1 else None
        return Line(f"{name}{{{{end+1}}}} = {{0}};", (value,))
    if r < 0.8 and n:
        return Line(f"{name}{{{{{g.rng.randint(1, n)}}}}} = {{0}};", (value,))
    if n and _is_vector(var.shape):
        var.shape = (1, n - 1) if var.shape[0] == 1 else (n - 1, 1)
        return Line(f"{name}({g.rng.randint(1, n)}) = [];")
    return None


@statement(3)
def _multi(g: Gen, scope: Scope):
    """[m, i] = max(...), [r, c] = size(...), [r, c] = find(...)."""
    a, b = g.fresh(scope, 0.7), g.fresh(scope, 0.7)
    if a == b:
        return None
    r = g.rng.random()
    if r < 0.45:
        shape = g.pick([(1, 4), (3, 1), (2, 3), (1, 1), (0, 0), (2, 2, 2)])
        fn = g.pick(["max", "min"])
        src = g.expr("double", scope, shape)
        if g.chance(0.5):
            d = g.rng.randint(1, 3)
            out = list(shape) + [1] * (d - len(shape))
            out[d - 1] = 1 if out[d - 1] else 0
            scope.vars[a] = Var("double", None)
            scope.vars[b] = Var("double", None)
            return Line(f"[{a}, {b}] = {fn}({{0}}, [], {d});", (src,))
        scope.vars[a] = Var("double", None)
        scope.vars[b] = Var("double", None)
        return Line(f"[{a}, {b}] = {fn}({{0}});", (src,))
    if r < 0.8:
        names = sorted(n for n, v in scope.vars.items() if v.cls in ("double", "logical", "char", "cell"))
        if not names:
            return None
        c = g.fresh(scope, 0.7)
        if g.chance(0.5) and c not in (a, b):
            for x in (a, b, c):
                scope.vars[x] = Var("double", (1, 1))
            return Line(f"[{a}, {b}, {c}] = size({g.pick(names)});")
        scope.vars[a] = Var("double", (1, 1))
        scope.vars[b] = Var("double", (1, 1))
        return Line(f"[{a}, {b}] = size({g.pick(names)});")
    src = g.expr("double", scope, g.pick([(2, 3), (1, 4), (3, 1), (0, 0)]))
    scope.vars[a] = Var("double", None)
    scope.vars[b] = Var("double", None)
    return Line(f"[{a}, {b}] = find({{0}});", (src,))


@statement(2)
def _handle(g: Gen, scope: Scope):
    name = g.fresh(scope)
    r = g.rng.random()
    captured = [n for n in scope.of("double", (1, 1))]
    c = lit(g.pick(captured)) if captured and g.chance(0.6) else lit(g.number())
    if r < 0.55:
        body = g.pick(["x .^ 2 + {0}", "x * {0} - 1", "abs(x) + {0}", "max(x, {0})", "x ./ (1 + {0})", "-x",
                       "floor(x / 2) + {0}", "mod(x, 3) + {0}"])
        scope.vars[name] = Var("handle", None, 1)
        return Line(f"{name} = @(x) {body};", (c,))
    if r < 0.8:
        scope.vars[name] = Var("handle", None, 2)
        return Line(f"{name} = @(x, y) {g.pick(['x + y', 'x .* y + {0}', 'max(x, y)', 'x - 2 * y'])};", (c,))
    if r < 0.9:
        scope.vars[name] = Var("handle", None, 0)
        return Line(f"{name} = @() {{0}};", (c,))
    scope.vars[name] = Var("handle", None, 1)
    return Line(f"{name} = @{g.pick(['abs', 'sqrt', 'floor', 'exp', 'cumsum', 'sum'])};")


@statement(4)
def _for(g: Gen, scope: Scope):
    if scope.depth >= 2:
        return None
    var = g.pick([n for n in LOOP_NAMES if n not in scope.frozen])
    r = g.rng.random()
    if r < 0.5:
        lo, hi = g.pick([(1, 3), (1, 0), (2, 4), (1, 1), (0, -1), (3, 1), (1, 5)])
        rng, t = f"{lo}:{hi}", Var("double", (1, 1))
    elif r < 0.65:
        rng, t = g.pick(["0:0.25:1", "1:-0.5:0", "0.1:0.1:0.3", "-1:1/3:0", "5:-2:0"]), Var("double", (1, 1))
    elif r < 0.85:
        shape = g.pick([(2, 3), (1, 3), (3, 1), (0, 3), (1, 0), (2, 0), (0, 0), (2, 2, 2)])
        src = g.expr("double", scope, shape)
        rng, t = None, Var("double", (shape[0], 1))
        header = Line(f"for {var} = {{0}}", (src,))
    else:
        rng, t = g.pick(["zeros(1, 0)", "[]", "{}", "{1, 'a'}", "'ab'"]), Var("double", None)
        if rng.startswith("{"):
            t = Var("cell", (1, 1))
        elif rng.startswith("'"):
            t = Var("char", (1, 1))
    if rng is not None:
        header = line(f"for {var} = {rng}")
    inner = scope.copy()
    inner.vars[var] = t
    inner.frozen.add(var)
    inner.loop += 1
    inner.depth += 1
    body = g.block_body(inner)
    after = _merge(scope, inner)
    after[var] = Var(t.cls, None) if t.cls in ("double", "char", "cell") else t
    scope.vars = after
    return Block(((header, body),))


@statement(2)
def _while(g: Gen, scope: Scope):
    if scope.depth >= 2:
        return None
    counter = g.pick([n for n in ("w1", "w2", "w3") if n not in scope.frozen])
    bound = g.rng.randint(0, 4)
    cond = g.expr("logical", scope, (1, 1))
    inner = scope.copy()
    inner.vars[counter] = Var("double", (1, 1))
    inner.frozen.add(counter)
    inner.loop += 1
    inner.depth += 1
    body = (Line(f"{counter} = {counter} + 1;"),) + g.block_body(inner)
    scope.vars = _merge(scope, inner)
    scope.vars[counter] = Var("double", (1, 1))
    head = Line(f"while {counter} < {bound} && {{0}}", (cond,)) if g.chance(0.6) else Line(f"while {counter} < {bound}")
    return Block(((head, body),), before=Line(f"{counter} = 0;"))


@statement(4)
def _if(g: Gen, scope: Scope):
    if scope.depth >= 2:
        return None
    arms = []
    scopes = []
    n = g.pick([1, 1, 2, 2, 3])
    for k in range(n):
        shape = (1, 1) if g.chance(0.8) else g.pick([(1, 3), (0, 0), (2, 2)])
        cond = g.expr("logical", scope, shape) if g.chance(0.85) else g.expr("double", scope, shape)
        inner = scope.copy()
        inner.depth += 1
        body = g.block_body(inner)
        arms.append((Line(("if {0}" if k == 0 else "elseif {0}"), (cond,)), body))
        scopes.append(inner)
    if g.chance(0.6):
        inner = scope.copy()
        inner.depth += 1
        arms.append((Line("else"), g.block_body(inner)))
        scopes.append(inner)
    else:
        scopes.append(scope.copy())
    merged = scopes[0]
    for other in scopes[1:]:
        merged = Scope(_merge(merged, other), scope.frozen, scope.loop, scope.depth, scope.in_function,
                       scope.functions)
    scope.vars = merged.vars
    return Block(tuple(arms))


@statement(2)
def _break_continue(g: Gen, scope: Scope):
    if not scope.loop:
        return None
    cond = g.expr("logical", scope, (1, 1))
    word = g.pick(["break", "continue"])
    return Block(((Line("if {0}", (cond,)), (Line(word + ";"),)),))


@statement(3)
def _accumulate(g: Gen, scope: Scope):
    """Text or numbers built in a loop: s = [s sprintf(...)], acc = acc + ..., v(end+1) = ..."""
    if scope.depth >= 2:
        return None
    var = g.pick([n for n in LOOP_NAMES if n not in scope.frozen])
    name = g.fresh(scope, 0.8)
    n = g.rng.randint(0, 4)
    r = g.rng.random()
    if r < 0.35:
        init, step = "''", f"{name} = [{name} sprintf('%d,', {var})];"
        t = Var("char", None)
    elif r < 0.65:
        init, step = "0", f"{name} = {name} + {var} * 2;"
        t = Var("double", (1, 1))
    elif r < 0.85:
        init, step = g.pick(["[]", "zeros(1, 0)"]), f"{name}(end+1) = {var} / 2;"
        t = Var("double", None)
    else:
        init, step = "{}", f"{name}{{end+1}} = num2str({var});"
        t = Var("cell", None)
    scope.vars[name] = t
    return Block(((Line(f"for {var} = 1:{n}"), (line(step),)),), before=line(f"{name} = {init};"))


@statement(2)
def _call_statement(g: Gen, scope: Scope):
    """[y, n] = FILEk(...) on a function file of the program (made on first use)."""
    if scope.in_function:
        return None
    if not scope.functions or (len(scope.functions) < 2 and g.chance(0.3)):
        _make_function(g, scope)
    name = g.pick(sorted(scope.functions))
    params, outputs, required = scope.functions[name]
    n = g.rng.randint(required, len(params))
    args = tuple(g.expr(p.cls, scope, p.shape) for p in params[:n])
    k = g.rng.randint(1, len(outputs))
    targets = []
    for o in outputs[:k]:
        t = g.fresh(scope, 0.7)
        if t in targets:
            return None
        targets.append(t)
    for t, o in zip(targets, outputs):
        scope.vars[t] = Var(o.cls, o.shape)
    call = f"{name}(" + ", ".join("{%d}" % j for j in range(n)) + ")"
    lhs = targets[0] if k == 1 else "[" + ", ".join(targets) + "]"
    return Line(f"{lhs} = {call};", args)


def _make_function(g: Gen, scope: Scope) -> None:
    """A function file FILEk: one or two parameters (the second optional, through nargin), one or two
    outputs, a body drawn like a script's, and sometimes a subfunction."""
    name = FILE.format(len(scope.functions))
    p_shape = g.pick([(1, 1), (1, 3), (2, 2)])
    params = ("p", "q")[: g.pick([1, 2])]
    inner = Scope(in_function=True, functions={}, depth=0)
    inner.vars["p"] = Var("double", p_shape)
    body = []
    if len(params) == 2:
        inner.vars["q"] = Var("double", (1, 1))
        body.append(Block(((Line("if nargin < 2"), (Line(f"q = {g.number()};"),)),)))
    subs = []
    if g.chance(0.4):
        sub = Function("helper", ("u",), ("h",), (Line("h = {0};", (Expr(g.pick(
            ["u * 2 + 1", "sum(u(:))", "u(end)", "[u(:)' 0]", "cumsum(u)"]), ()),)),))
        subs.append(sub)
        inner.vars["hv"] = Var("double", None)
        body.append(Line("hv = helper(p);"))
    g2 = Gen(g.rng, max_depth=2)
    for _ in range(g.rng.randint(1, 3)):
        s = g2.statement(inner)
        if s is not None:
            body.append(s)
    out_shape = g.pick([p_shape, (1, 1)])
    y = g2.expr("double", inner, out_shape)
    body.append(Line("y = {0};", (y,)))
    outputs = ("y",)
    out_types = (Var("double", out_shape),)
    if g.chance(0.5):
        body.append(Line("n2 = numel(p) + {0};", (lit(g.number()),)))
        outputs = ("y", "n2")
        out_types += (Var("double", (1, 1)),)
    if g.chance(0.2):
        body.insert(len(body) - 1, Block(((Line("if numel(p) > 5"), (Line("y = 0;"), Line("return;"))),)))
    fn = Function(name, params, outputs, tuple(body))
    g.functions[name] = (fn, *subs)
    scope.functions[name] = (tuple(Var("double", p_shape if k == 0 else (1, 1)) for k in range(len(params))),
                             out_types, 1)


# ------------------------------------------------------------------------------------------------
# programs


def generate(rng: random.Random, name: str, *, statements: tuple[int, int] = (3, 7)) -> Program:
    """One program named ``name`` (its script's file name), drawn with ``rng``."""
    g = Gen(rng)
    scope = Scope()
    body = []
    for _ in range(rng.randint(*statements)):
        s = g.statement(scope)
        if s is not None:
            body.append(s)
    return Program(name, tuple(body), dict(g.functions))


def programs(seed: int, n: int, *, start: int = 0, prefix: str = "fz") -> list[Program]:
    """Programs ``start`` .. ``start + n - 1`` of the sequence ``seed`` draws: program i is the same
    whatever n and start are (its own ``Random((seed, i))``), so any one can be drawn again alone."""
    out = []
    for i in range(start, start + n):
        rng = random.Random(f"{seed}:{i}")
        p = generate(rng, f"{prefix}{seed}_{i}")
        out.append(Program(p.name, p.body, p.functions, seed=seed, index=i))
    return out
