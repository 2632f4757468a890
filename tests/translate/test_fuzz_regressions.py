"""Every mismatch the differential fuzzer (rnncore.fuzz) found, shrunk to a minimal program and kept.

Each program runs in Octave and as its translated port (rnncore.fuzz.differential, all of them in
one Octave session). Two things are asserted: Octave still does what the program documents (the
class and size, or the values, or the error, written below from a real Octave 7 run), so that a
regression cannot pass by Octave changing under it; and the port now agrees (outcome ``match``, or
``both-raise`` with an error of the same kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from rnncore.fuzz.differential import run_programs
from rnncore.fuzz.program import Program


@dataclass(frozen=True)
class Regression:
    script: str
    outcome: str = "match"  # "match" | "both-raise" | "refused"
    sizes: dict = field(default_factory=dict)  # variable -> (class, size) in Octave
    values: dict = field(default_factory=dict)  # variable -> its elements in column-major order, in Octave
    absent: tuple = ()  # variables Octave does not create
    error: str = ""  # a part of Octave's error message (outcomes "both-raise" and "refused")


REGRESSIONS = {
    # for over an empty range: Octave runs no pass and leaves the variable holding the range
    "for_empty_range_after_assignment": Regression("kk = 5;\nfor kk = 1:0\n  kk = 7;\nend\n",
                                                   sizes={"kk": ("double", (1, 0))}),
    "for_empty_range_unset": Regression("for k2 = 1:0\nend\n", sizes={"k2": ("double", (1, 0))}),
    "for_empty_columns_no_pass": Regression("for kk = zeros(0, 3)''\n  v = 0;\nend\n",
                                            sizes={"kk": ("double", (0, 3))}, absent=("v",)),
    "for_empty_transposed": Regression("for jj = ones(3, 0)'\nend\n", sizes={"jj": ("double", (0, 3))}),
    # a logical mask indexes as find(mask) does: 0x0 for a 1x1 mask that is false
    "mask_of_a_scalar": Regression("v0 = -0.9;\nv1 = v0(v0 > 0)';\n", sizes={"v1": ("double", (0, 0))}),
    "mask_of_a_matrix_all_false": Regression("A = [1 2; 3 4];\nB = A(A > 5);\n", sizes={"B": ("double", (0, 1))}),
    # Octave 7's mod, rem, cumsum and mean refuse logical or text arguments
    "mod_of_logical": Regression("v = [1 -2 3];\nm = mod(v > 0, 3);\n", outcome="both-raise",
                                 error="wrong type argument 'bool matrix'"),
    "cumsum_of_text": Regression("m = cumsum(' ze');\n", outcome="both-raise", error="wrong type argument 'sq_string'"),
    # find's result sizes
    "find_of_empty": Regression("[M, x] = find([]);\n", sizes={"M": ("double", (0, 0)), "x": ("double", (0, 0))}),
    "find_of_sum_over_dim_3": Regression("[A, v] = find(mean([], 3));\n", sizes={"A": ("double", (0, 1))}),
    # Octave reduces a 0x0 array as if it were 0x1
    "reduce_0x0_as_0x1": Regression("for jj = double(any(ones(0), 1))\n  v = zeros(1, 0, 3);\nend\n"
                                    "a = [sum([], 1) prod([], 1) all([], 1)];\nb = mean([], 1);\nc = sum([], 2);\n",
                                    values={"a": [0, 1, 1], "b": [float("nan")]}, sizes={"c": ("double", (0, 1)),
                                                                                          "v": ("double", (1, 0, 3))}),
    # mean averages along the first dimension longer than 1
    "mean_of_0x3": Regression("m = mean(zeros(0, 3));\n", sizes={"m": ("double", (0, 1))}),
    "mean_of_1x1x0_assigned": Regression("x(1, 3) = mean(ones(1, 1, 0));\n", outcome="both-raise",
                                         error="nonconformant"),
    # deleting elements of an N-D array by a mask leaves a column
    "delete_by_mask_nd": Regression("x = sin(reshape(1:12, 2, 3, 2));\nx(x > 0.1) = [];\n",
                                    sizes={"x": ("double", (6, 1))}),
    "delete_one_by_mask_nd": Regression("s = reshape([-1.5; 3.75; 1; 4; 2; 1/3; 3; 0.3; 4; -2; -1.5; 1e308], 2, 3, 2);\n"
                                        "s(s > 5) = [];\nc = {1, 2; 3, 4};\nc(2) = [];\n",
                                        sizes={"s": ("double", (11, 1)), "c": ("cell", (1, 3))}),
    "find_of_0x0x0": Regression("[x, v] = find(zeros(0, 0, 0));\n", sizes={"x": ("double", (0, 0)),
                                                                          "v": ("double", (0, 0))}),
    # Octave's max of text compares characters as signed bytes (char(255), from -1, is -1 there)
    "max_of_text_signed": Regression("t = sprintf('%d', (0.1:0.1:0.1));\nq = max([t(:); -1]);\n", values={"q": [49]}),
    # growth by a linear index past the end (Octave's resize1): 0x1 grows into a row; 2x0 and N-D cannot grow
    "grow_0x1_into_a_row": Regression("A = zeros(0, 1);\nA(2) = 1;\n", sizes={"A": ("double", (1, 2))}),
    "grow_2x0_invalid": Regression("A = zeros(2, 0);\nA(3) = 1;\n", outcome="both-raise", error="resizing"),
    "grow_nd_invalid": Regression("A = zeros(1, 3, 2);\nA(8) = 1;\n", outcome="both-raise", error="resizing"),
    "delete_prefix_mask_nd": Regression("m = (reshape(1:8, 2, 2, 2) / -3);\nm(:, :, 1) = 1;\nm(m > 2/3) = [];\n",
                                        sizes={"m": ("double", (1, 4))}),
    # all(A, dim) past A's dimensions takes NaN as false, all(NaN) as true
    "all_past_dims_nan": Regression("y = double(all([pi NaN -1], 3));\nz = [all(NaN) all(NaN, 3)];\n",
                                    values={"y": [1, 0, 1], "z": [1, 1]}),
    # numbers concatenated with text: truncated, modulo 256
    "text_with_numbers": Regression("s = ['a' -1.5 300 NaN];\n", values={"s": [97, 255, 44, 0]}),
    "empty_text_column_and_number": Regression("M = '';\nb = max([M(:); -1]);\n"),
    # sizes that do not conform are the same kind of error on both sides
    "power_nonconformant": Regression("y = [1 2] .^ zeros(0, 3);\n", outcome="both-raise", error="nonconformant"),
    "colon_assignment_nonconformant": Regression("x = zeros(3, 1);\nx(:) = [1 2];\n", outcome="both-raise",
                                                 error="nonconformant"),
    "any_over_dim_3_of_empty": Regression("[M, b] = find(double(any(ones(0), 3)));\n",
                                          sizes={"M": ("double", (0, 1))}),
    "any_ignores_nan": Regression("k = double(any(abs([-1; -3; NaN]), 3));\nm = [any(NaN) all(NaN) any([NaN 0])];\n",
                                  values={"k": [1, 1, 0], "m": [0, 1, 0]}),
    # a range whose first step overshoots the limit has the base alone (Octave's Range.cc)
    "range_one_step_overshoots": Regression("w = (-0.3:1/3:0.0333333333333333);\n", values={"w": [-0.3]}),
    "delete_scalar_twice": Regression("n = zeros(1, 0);\nd = size(n, 2);\nd([1 end]) = [];\n",
                                      sizes={"d": ("double", (0, 1))}),
    # `--x` negates twice in MATLAB and is Octave's decrement operator: the translator refuses it
    "double_minus": Regression("n = {--[true  false; true  true]};\n", outcome="refused",
                               error="invalid lvalue function called in expression"),
    # & in an if condition: Octave short-circuits it only after a left side of one value
    "if_and_of_arrays": Regression("if ([true  false  true] & [4 NaN -0.9])\n  a = 1;\nend\n", outcome="both-raise",
                                   error="invalid conversion from NaN to logical"),
    "if_and_short_circuit": Regression("x = [1 2];\nb = 0;\nif numel(x) >= 3 & x(3) > 0\n  b = 1;\nend\n"
                                       "if numel(x) == 2 | x(3) > 0\n  b = b + 2;\nend\n", values={"b": [2]}),
    # %d of a number past int64 is written with %g
    "sprintf_d_huge": Regression("t = sprintf('%d-', 1e308);\n", values={"t": [ord(c) for c in "1e+308-"]}),
    # A(:, j) = [] deletes along dimension 2 of an N-D array, not of its 2-D folding
    "delete_column_nd": Regression("a = zeros(2, 2, 0);\na(:, 2) = [];\nc = zeros(2, 2, 2);\nc(:, 2) = [];\n",
                                   sizes={"a": ("double", (2, 1, 0)), "c": ("double", (2, 1, 2))}),
    # Octave takes c(i) = x as c(i) = {x}; a function handle has no elements to delete
    "cell_assigned_a_number": Regression("q = {1};\nq(:, 2) = 0;\nc = {1, 2};\nc(1:2) = 7;\n",
                                         sizes={"q": ("cell", (1, 2)), "c": ("cell", (1, 2))}),
    "delete_from_handle": Regression("b = @(x, y) x - 2 * y;\nb(:, 1) = [];\n", outcome="both-raise",
                                     error="function handle"),
    # Octave's sum starts from +0: a sum is never -0
    "sum_of_negative_zero": Regression("y = {''; sprintf('%.3f', sum(-0, 3))};\nz = sprintf('%g', mean(-0));\n",
                                       values={"z": [ord("0")]}),
    # -0 written in the program is negative zero
    "negative_zero_literal": Regression("w = sprintf('%g,', [0.5 Inf -0]);\n", values={"w": [ord(c) for c in "0.5,Inf,-0,"]}),
    # Octave's parser makes & and | short-circuit in an if/while condition's own tree of & and |
    # only: under && they are element-wise, so logical(NaN) is evaluated (seed 7 program 78381) ...
    "and_under_andand_is_elementwise": Regression(
        "w1 = 0;\nwhile w1 < 2 && (false & logical(NaN))\n  w1 = w1 + 1;\nend\n", outcome="both-raise",
        error="invalid conversion from NaN to logical"),
    # ... while an & under another & short-circuits too (the port evaluated it element by element)
    "and_under_and_shortcircuits": Regression("y = 0;\nif true & (false & logical(NaN))\n  y = 1;\nend\n",
                                              values={"y": [0]}),
    # a product that cancels to a few ulps: the BLAS routine Octave's xgemm picks for the shapes
    # (ddot, dgemv, dgemv transposed, dgemm) decides its sign; num2str prints it (seed 7 programs
    # 52564, 68662, and 26587 through min's index)
    "product_cancellation_printed": Regression("w = num2str([-3 3] * [0.1 0 6; 0.1 4 4]);\n",
                                               sizes={"w": ("char", (1, 37))}),
    # [0 -2.5e-310] * [-2; eps] is -0 in Octave (ddot of two -0 terms) and was +0 from numpy's
    # matmul, which starts its sum from +0; num2str prints the sign (seed 7, program 98287)
    "product_negative_zero_printed": Regression("t = num2str(([0 -2.5e-310] * [-2; eps]));\n",
                                                values={"t": [ord(c) for c in "-0"]}),
    "product_cancellation_column": Regression("v = sign([0.1 0.1; 0 4; 6 4] * [-3; 3]);\n", values={"v": [-1, 1, -1]}),
    "product_cancellation_dot": Regression("v = sign([-3 3] * [0.1; 0.1]);\n", values={"v": [-1]}),
    "product_cancellation_min": Regression(
        "[n, M] = min((([1e-3; 0.5; pi] ./ ones(1, 2)) * ([3; -3] * 1e-3)));\n", values={"M": [3]}),
    # an N-D array (0x0x0 too) has no transpose
    "transpose_of_nd": Regression("w = {zeros(0, 0, 0)', -3};\n", outcome="both-raise",
                                  error="transpose not defined for N-D objects"),
    # Octave multiplies N-D operands as their 2-D foldings
    "nd_matrix_product": Regression("y = ones(2, 2, 2) * ones(4, 1);\n", values={"y": [4, 4]}),
    # .^ is C's pow (numpy's power can be an ulp off, and exp makes that hundreds of ulps), except a
    # matrix to the power 2, 3 or -1: a*a, a*a*a, 1/a in Octave's elem_xpow (seed 7, program 11645)
    "power_is_pow": Regression("b = exp([5 1] .^ 3.75);\nc = exp(5 ^ 3.75);\n",
                               values={"b": [3.302860061238759e+181, 2.718281828459045],
                                       "c": [3.302860061238759e+181]}),
    # a number assigned into text is rounded half away from zero; outside Octave's one-byte
    # characters (Inf too) it is 0; NaN is an error (seed 7, program 8623)
    "number_into_text": Regression("s = 'ab';\ns(2) = 66.7;\nt = 'abcdef';\nt(2:6) = [65.5 -0.4 -0.6 255.6 Inf];\n"
                                   "u = char(zeros(0, 3));\nu(:) = -0.3;\n",
                                   values={"s": [97, 67], "t": [97, 66, 0, 0, 0, 0]}, sizes={"u": ("char", (0, 3))}),
    "nan_into_text": Regression("s = 'ab';\ns(2) = NaN;\n", outcome="both-raise",
                                error="invalid conversion from NaN to character"),
    # all(A, dim) takes NaN as false when a dimension before dim has more than one element (Octave's
    # element-by-element loop), as true otherwise (seed 7, programs 5842, 9434)
    "all_nan_after_a_long_dimension": Regression(
        "a = [all([NaN; 2], 2)' all([NaN 1; 2 1], 2)' all([NaN 2], 2) all([NaN 2], 3)];\n"
        "b = all(reshape([NaN; 0; 0.1; 4; 2; 2; -2.5e-310; 1e-3], 2, 2, 2), 3);\n"
        "c = all(reshape([NaN 2 1 1], 1, 1, 4), 3);\nd = all(reshape([NaN 2 1 1], 1, 2, 2), 3);\n",
        values={"a": [0, 1, 0, 1, 1, 0, 1], "b": [0, 0, 1, 1], "c": [1], "d": [0, 1]}),
    # Octave checks an assignment's sizes before it resizes, and ':' over an empty dimension takes
    # its length from the value only when every dimension is 0 (seed 7, programs 2479, 8604)
    "grow_nd_empty_nonconformant": Regression("a = zeros(1, 3, 0);\na(1, :) = [1 2 3];\n", outcome="both-raise",
                                              error="nonconformant arguments (op1 is 1x0, op2 is 1x3)"),
    "colon_over_empty_nd_nonconformant": Regression("a = zeros(0, 0, 3);\na(:, 1) = [1; 2];\n", outcome="both-raise",
                                                    error="nonconformant arguments (op1 is 0x1, op2 is 2x1)"),
    "colon_over_empty_0x3_nonconformant": Regression("a = zeros(0, 3);\na(:, 1) = [1; 2];\n", outcome="both-raise",
                                                     error="nonconformant arguments (op1 is 0x1, op2 is 2x1)"),
    "colon_over_all_zero_takes_the_value": Regression("a = zeros(0, 0);\na(:, 1) = [1; 2];\nb = zeros(0, 0, 0);\n"
                                                      "b(:, :, 1) = ones(2);\nc = {};\nc(:, 1) = {1; 2};\n",
                                                      sizes={"a": ("double", (2, 1)), "b": ("double", (2, 2)),
                                                             "c": ("cell", (2, 1))}),
    # Octave divides N-D operands as their 2-D foldings, as it multiplies them (seed 7, program 7069)
    "nd_matrix_divide": Regression("M = cumprod(reshape(1:12, 2, 3, 2)) / (1e-3 .* zeros(2, 3, 2));\n"
                                   "N = reshape(1:12, 2, 3, 2) \\ ones(2, 1);\n",
                                   values={"M": [0, 0, 0, 0]}, sizes={"N": ("double", (6, 1))}),
    # a matrix product whose terms overflow depends on the BLAS's order and FMAs (Octave's OpenBLAS
    # gives -Inf here, numpy's NaN): refused at run time (seed 7, programs 5833, 7224); Inf and NaN
    # operands without an overflow are the same in any order
    "product_overflow_refused": Regression("b = [-1 0 3] * [Inf; 1; 1e308];\n", outcome="refused",
                                           values={"b": [float("-inf")]}),
    "product_of_inf_without_overflow": Regression("a = [Inf 1] * [0; 1];\nb = [-1 0 3] * [Inf; 1; 1];\n"
                                                  "c = [1e308 1e308] * [4; 4];\n",  # overflows one way only
                                                  values={"a": [float("nan")], "b": [float("-inf")],
                                                          "c": [float("inf")]}),
    # a variable holding a function handle used as an operand (an error in Octave, a Python TypeError
    # in a port) or tested by while (false in Octave, true in Python): refused by the translator
    "handle_operand": Regression("f = @(x) x;\ny = f .^ 2;\n", outcome="refused",
                                 error="binary operator '.^' not implemented for 'function handle'"),
    "handle_as_condition": Regression("a = true;\nw2 = 0;\nwhile w2 < 4 && a\n  w2 = w2 + 1;\n  a = @(x) x;\nend\n",
                                      outcome="refused", values={"w2": [1]}),
    # two arguments are always max(A, B), an empty B too; [] is a placeholder only before a dim
    # (seed 7, program 50012, found by the 100,000-program run)
    "max_of_two_empties": Regression("d = max(zeros(2, 3, 0), zeros(2, 3, 0));\ne = max(5, []);\n"
                                     "f = min(zeros(0, 3), zeros(0, 3));\ng = max(zeros(2, 3, 0), [], 3);\n",
                                     sizes={"d": ("double", (2, 3, 0)), "e": ("double", (0, 0)),
                                            "f": ("double", (0, 3)), "g": ("double", (2, 3, 0))}),
    "max_with_empty_nonconformant": Regression("x = max([1 2], []);\n", outcome="both-raise",
                                               error="nonconformant arguments (op1 is 1x2, op2 is 0x0)"),
    # Octave 7's sign, exp, sqrt, sin ... refuse text; abs, floor, round take its codes (seed 7,
    # program 51834, found by the 100,000-program run)
    "sign_of_text": Regression("x = '-1';\ny = sign(x(1));\n", outcome="both-raise",
                               error="signum: argument must be numeric"),
    "exp_of_text": Regression("z = exp('a');\n", outcome="both-raise", error="exp: argument must be numeric"),
    "abs_of_text": Regression("a = abs('a');\nb = floor('ab');\nc = exp(true);\n", values={"a": [97], "b": [97, 98]}),
    # A(i, j) = x into an N-D array whose 2-D folding is 0x0, indexed 1:m, 1:n, is a new m x n array
    # (Octave's "A = []; A(1:m, 1:n) = X"); any other growth of an N-D array through fewer subscripts is
    # an error (seed 7, program 51483, found by the 100,000-program run)
    "grow_nd_empty_by_two_subscripts": Regression("M = min(ones(0, 0, 0), [], 3);\nM(1, 1) = 5;\n"
                                                  "a = zeros(0, 3, 0);\na(1:2, 1) = [1; 2];\n",
                                                  values={"M": [5], "a": [1, 2]}),
    "grow_nd_empty_past_one": Regression("a = zeros(0, 0, 0);\na(2, 3) = 1;\n", outcome="both-raise",
                                         error="Invalid resizing operation"),
    "grow_nd_1x0x0_invalid": Regression("a = zeros(1, 0, 0);\na(1, 1) = 1;\n", outcome="both-raise",
                                        error="Invalid resizing operation"),
    # Octave 7's any and all of a cell array are a 0x0 logical (seed 7, programs 58433, 58987, found
    # by the 100,000-program run)
    "any_of_a_cell": Regression("a = any({1, true});\nb = all(cell(0, 1), 2);\nw = 0;\n"
                                "while w < 2 && ~any({1})\n  w = w + 1;\nend\n",
                                sizes={"a": ("logical", (0, 0)), "b": ("logical", (0, 0))}, values={"w": [0]}),
    # a cell as the argument of sign, abs ...: Octave's "not defined for cell", not a Python ValueError
    # (seed 7, program 13621); A(I) = X checks the sizes before growing (program 13970; both found by
    # the 100,000-program run)
    "sign_of_a_cell": Regression("y = {'ab'; true};\nz = sign(y);\n", outcome="both-raise",
                                 error="signum: not defined for cell"),
    "grow_linear_nonconformant": Regression("q = zeros(1, 1, 0);\nq(1) = q;\n", outcome="both-raise",
                                            error="nonconformant arguments (op1 is 1x1, op2 is 1x1x0)"),
    # a least-squares solve of a matrix with Inf or NaN: LAPACK's answer (numpy's lstsq fails to converge)
    # is refused at run time (seed 7, program 64254); a cell as a subscript is an index error in both
    # (program 67513; both found by the 100,000-program run)
    "solve_with_inf_refused": Regression("y = 1 / [2 Inf 3]';\n", outcome="refused", sizes={"y": ("double", (1, 3))}),
    "cell_as_subscript": Regression("s = [1 2];\nt = s(1, {1});\n", outcome="both-raise",
                                    error="subscripts must be either integers 1 to (2^63)-1 or logicals"),
    # an anonymous function called with more arguments than it has parameters is an error, not a
    # value put in place of a captured variable (seed 7, program 69292, found by the 100,000-program run)
    "anonymous_too_many_inputs": Regression("w2 = 1;\nw = @(x) abs(x) + w2;\nz = w(2, 3.75);\n", outcome="both-raise",
                                            error="called with too many inputs"),
    "anonymous_capture_kept": Regression("k = 2;\nf = @(x) x * k;\nk = 5;\ny = f(3);\n", values={"y": [6]}),
    # an anonymous function called with fewer arguments: the missing parameter is undefined where the
    # body reads it (seed 7, program 20938, found by the 100,000-program run)
    "anonymous_too_few_inputs": Regression("M = @(x, y) x + y;\nz = M(1);\n", outcome="both-raise",
                                           error="'y' undefined"),
    "anonymous_unused_parameter": Regression("f = @(x, y) x * 2;\nz = f(4);\n", values={"z": [8]}),
    # a cell array left of & in a condition: Octave's operator error, not a Python AttributeError
    # (seed 7, program 22754, found by the 100,000-program run)
    "cell_and_in_condition": Regression("m = {1, 2};\nif m & true\n  a = 1;\nend\n", outcome="both-raise",
                                        error="binary operator '&' not implemented for 'cell'"),
    # a cell concatenated with a non-cell value: Octave wraps the value in {} (MATLAB refuses it); the
    # port refuses it at run time (seed 7, program 17612, found by the 100,000-program run)
    "cell_joined_to_a_number": Regression("x = [{1}, 2];\n", outcome="refused", sizes={"x": ("cell", (1, 2))}),
    # round keeps the sign of zero, as Octave does: num2str(round([6 -0 2/3])) is '6 -0  1' (seed 7,
    # program 24785, found by the 100,000-program run)
    "round_keeps_negative_zero": Regression("m = num2str(round([6 -0 2/3]));\nw = sprintf('%g', round(-0.4));\n",
                                            values={"m": [ord(c) for c in "6 -0  1"], "w": [ord(c) for c in "-0"]}),
    # a variable holding a handle passed to an element-wise function (sign, abs ...): refused by the
    # translator, as an operand is (seed 7, program 25865, found by the 100,000-program run)
    "handle_as_argument": Regression("m = 1;\nm = @(x) x / 2;\ny = sign(m);\n", outcome="refused",
                                     error="signum: not defined for function handle"),
    "matrix_cubed_is_a_product": Regression("y = exp(300 * [1.1343642441124011 2] .^ 3);\n"
                                            "z = exp(300 * 1.1343642441124011 .^ 3);\n",
                                            values={"y": [1.5109833501072884e+190, float("inf")],
                                                    "z": [1.5109833501073743e+190]}),
    # unary minus of a cell (M([]) of a cell is an empty cell) is Octave's error, not a TypeError
    # (seed 7, program 47377, found by the 100,000-program run)
    "negate_a_cell": Regression("M = {1};\ny = -M([]);\n", outcome="both-raise",
                                error="unary operator '-' not implemented for 'cell' operands"),
    # an empty right-hand side assigned to an empty region of a matrix is a no-op in Octave, whatever
    # its size, so the next deletion is out of bounds (seed 7, program 90402)
    "assign_empty_to_empty_region": Regression("b = [1 -2];\nb(1, :) = [];\nb(:, 2) = (b + -3);\nb(1, :) = [];\n",
                                               outcome="both-raise", error="out of bound 0"),
    "assign_empty_to_empty_region_keeps_size": Regression("b = zeros(0, 2);\nb(:, 2) = zeros(0, 2);\nc = zeros(0, 3);\n"
                                                          "c(:, 5) = zeros(0, 2);\n",
                                                          sizes={"b": ("double", (0, 2)), "c": ("double", (0, 3))}),
    # a singular (square) system: Octave warns and falls back to the minimum-norm least-squares
    # solution (seed 7, program 47558); [1 2] / [1 1; 1 1] is [0.75 0.75] up to a rounding (Octave
    # gives 0.7499999999999999 for the second), so its values are left to the comparison's tolerance
    "solve_singular_zero_matrix": Regression("L = [2 -2; 0.1 6] / (0 .* [4 0.5; -3 3]);\n",
                                             values={"L": [0, 0, 0, 0]}),
    "solve_singular_rank_one": Regression("z = [1 2] / [1 1; 1 1];\nw = [1 1; 1 1] \\ [2; 4];\n",
                                          sizes={"z": ("double", (1, 2)), "w": ("double", (2, 1))}),
}


# Mismatches found and kept, not fixed yet: each test fails (strict xfail), so fixing one makes its
# test pass and pytest report it, to be moved to REGRESSIONS above with the fix. None is open now
# (the test below is defined only while one is, so that an empty list is not reported as a skip).
OPEN: dict[str, Regression] = {}


@pytest.fixture(scope="module")
def outcomes(octave, tmp_path_factory):
    cases = {**REGRESSIONS, **OPEN}
    programs = [Program.from_text(f"fzreg_{name}", r.script) for name, r in cases.items()]
    found = run_programs(programs, workdir=tmp_path_factory.mktemp("fuzz_regressions"), octave_executable=octave)
    return dict(zip(cases, found))


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_fuzz_regression(name, outcomes):
    _check(REGRESSIONS[name], outcomes[name], name)


if OPEN:
    @pytest.mark.octave
    @pytest.mark.xfail(strict=True, reason="a mismatch the fuzzer found that is not fixed yet (docs/translator.md)")
    @pytest.mark.parametrize("name", sorted(OPEN))
    def test_open_fuzz_mismatch(name, outcomes):
        _check(OPEN[name], outcomes[name], name)


def _check(r: Regression, got, name: str) -> None:
    run = got.octave
    assert run is not None, f"Octave did not finish {name}"
    if r.error:  # Octave stops with this error (outcome "both-raise", or "refused" by the translator)
        assert run.error is not None and r.error in run.error, f"Octave: {run.error!r}"
    else:  # Octave runs it to the end (outcome "match", or "refused" by the port at run time)
        assert run.error is None, f"Octave failed: {run.error}"
        for var, (cls, size) in r.sizes.items():
            assert (run.classes.get(var), run.values[var].shape) == (cls, size), var
        for var, elements in r.values.items():
            np.testing.assert_array_equal(run.values[var].data.ravel(order="F"), np.array(elements, dtype=float))
        for var in r.absent:
            assert var not in run.classes
    assert got.kind == r.outcome, f"{got.kind}: {got.detail}\n{got.program.text()}"
