"""The text Octave prints for a function handle: ``f = @(x) x.^2+1`` displays ``@(x) x .^ 2 + 1``.

Octave does not keep an anonymous function's source; it prints the parse tree back
(``libinterp/parse-tree/pt-pr-code.cc``, ``tree_print_code``): binary operators between single
spaces, ``~`` and ``~=`` as ``!`` and ``!=``, a space before the parenthesis of an index or call
(``sum (x (:, 1))``, ``c {i}``), elements of ``[...]`` and ``{...}`` joined by ``", "`` and rows by ``"; "``,
ranges without spaces (``1:2:end``), numbers and quoted text as written. The translator computes
that text from the MISS_HIT tree of the same expression, so that the port's display of a handle is
Octave's.
"""

from __future__ import annotations

from miss_hit_core import m_ast

__all__ = ["handle_text"]

# MATLAB spellings Octave prints its own way.
_OPERATORS = {"~=": "!=", "~": "!"}


def handle_text(node: m_ast.Node) -> str | None:
    """Octave's text of a function handle literal (``@name`` or ``@(args) body``), or None when
    the expression holds a construct this printer does not know (then the port cannot print it)."""
    try:
        if isinstance(node, m_ast.Lambda_Function):
            # the handle itself puts a space after its parameters; an anonymous function inside
            # the body is printed by tree_print_code, which does not (@(a) @(b)a + b)
            return f"@({', '.join(str(p) for p in node.l_parameters)}) {_text(node.n_body)}"
        return _text(node)
    except _Unknown:
        return None


class _Unknown(Exception):
    pass


def _text(e: m_ast.Node) -> str:
    body = _bare(e)
    if isinstance(e, m_ast.Expression) and getattr(e, "t_bracket_open", None) is not None:
        body = f"({body})"
    return body


def _bare(e: m_ast.Node) -> str:
    if isinstance(e, m_ast.Lambda_Function):
        params = ", ".join(str(p) for p in e.l_parameters)
        return f"@({params}){_text(e.n_body)}"
    if isinstance(e, m_ast.Function_Pointer):
        return f"@{e.n_name}"
    if isinstance(e, m_ast.Identifier):
        return e.t_ident.value
    if isinstance(e, m_ast.Number_Literal):
        return e.t_value.raw_text
    if isinstance(e, (m_ast.Char_Array_Literal, m_ast.String_Literal)):
        return e.t_string.raw_text
    if isinstance(e, m_ast.Reshape):
        return ":"
    if isinstance(e, m_ast.Binary_Operation):
        op = _OPERATORS.get(e.t_op.value, e.t_op.value)
        return f"{_text(e.n_lhs)} {op} {_text(e.n_rhs)}"
    if isinstance(e, m_ast.Unary_Operation):
        op = _OPERATORS.get(e.t_op.value, e.t_op.value)
        if op in ("'", ".'"):
            return f"{_text(e.n_expr)}{op}"
        return f"{op}{_text(e.n_expr)}"
    if isinstance(e, m_ast.Range_Expression):
        parts = [e.n_first] + ([e.n_stride] if e.n_stride is not None else []) + [e.n_last]
        return ":".join(_text(p) for p in parts)
    if isinstance(e, m_ast.Reference):
        return f"{_text(e.n_ident)} ({', '.join(_text(a) for a in e.l_args)})"
    if isinstance(e, m_ast.Cell_Reference):
        return f"{_text(e.n_ident)} {{{', '.join(_text(a) for a in e.l_args)}}}"
    if isinstance(e, (m_ast.Matrix_Expression, m_ast.Cell_Expression)):
        rows = "; ".join(", ".join(_text(item) for item in row.l_items) for row in e.n_content.l_items)
        return ("[{}]" if isinstance(e, m_ast.Matrix_Expression) else "{{{}}}").format(rows)
    raise _Unknown(type(e).__name__)
