"""Each construct of the supported subset, translated and run, against the same snippet run in Octave.

Every snippet is a small MATLAB script. All of them run in one Octave process (octave_batch); each is
translated with rnncore.translate, imported and run, and its workspace must equal Octave's: the
same variable names, each with the same class and size, numbers within the parity workflow's
default tolerance (ulp<=16 or abs<=4*2^-52, config/config.yaml), text and logicals exactly. A
snippet marked ``error`` must fail in both engines. A snippet marked ``output`` must also print
exactly what Octave prints.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pytest

from octave_batch import DEFAULT_TOLERANCE, assert_same_workspace, run_batch
from port_loader import load_port
from rnncore.engine.parity import Tolerance
from rnncore.translate.runtime import MatlabError


@dataclass(frozen=True)
class Snippet:
    code: str
    files: dict = field(default_factory=dict)  # function files beside the script
    expect: str = "ok"  # "ok" | "error" (in both) | "error_in_port_only" (refused: outside the subset)
    output: bool = False  # compare what it prints, character for character
    tol: Tolerance = field(default=DEFAULT_TOLERANCE)  # a snippet's own names its reason beside it


SNIPPETS: dict[str, Snippet] = {
    # -- indexing, end, column-major order -------------------------------------------------------
    "index_end": Snippet("""
        A = [1 2 3; 4 5 6; 7 8 10];
        a = A(2, 3); b = A(end, end); c = A(end-1, :); d = A(:, end); e = A(5); f = A(end);
        g = A([1 3], [2 3]); h = A(:)'; k = A(2:end, 1:2); m = A(end);
    """),
    "index_linear_shapes": Snippet("""
        r = 1:5; c = (1:5)'; M = [1 2; 3 4];
        a = r([2; 3]); b = c([1 2]); d = M([1 2; 2 1]); e = M([1 3 4]); f = M(logical([1 0; 1 1]));
        g = r(logical([1 0 1 0 1]')); h = M(logical([1 0 1 1])); k = M(:, logical([0 1]));
    """),
    "end_arithmetic": Snippet("""
        x = 10:10:100;
        a = x(end/2); b = x(end-2:end); c = x(floor(end/3)); d = x([1 end]);
        x(end+1) = 7; y = x(end:-2:1); z = x(min(end, 20)); w = x(max(1, end - 3):end);
    """),
    "reshape_column_major": Snippet("""
        A = reshape(1:12, 3, 4); B = reshape(A, 2, []); C = reshape(A, [], 6); D = A(:, [2 4]);
        E = reshape(A, [2 2 3]); F = E(:, :, 2); G = size(E); v = E(:)'; H = E(2, :, 3);
    """),
    "three_d": Snippet("""
        A = zeros(2, 3, 2); A(:, :, 2) = [1 2 3; 4 5 6]; B = A(:, :, 2); C = A(2, :, 2);
        D = sum(A, 3); E = A + 1; s = size(A(:, 1, :)); F = reshape(A, 2, []); G = A(:, end, end);
        H = A + [1 2 3; 4 5 6]; K = A(:, :, 1) * 2; n = ndims(A); m = A(7);
    """),
    # -- growth by assignment ----------------------------------------------------------------------
    "growth": Snippet("""
        ht(:, 1) = [0 0 0]'; ht(:, 3) = [1 2 3]';
        y(3) = 5; z = []; z(2, 3) = 1; w = zeros(1, 0); w(end+1) = 4; w(end+1) = 5;
        c = 1:3; c(6) = 9; col = [1; 2]; col(4) = 1; s = 7; s(2, 2) = 1;
    """),
    "growth_end_plus_one": Snippet("""
        A = zeros(2, 0);
        for k = 1:3
          A(:, end+1) = [k; k^2];
        end
        B = []; B(end+1, :) = [1 2]; B(end+1, :) = [3 4];
        C = {}; C{end+1} = 'a'; C{end+1} = [1 2];
    """),
    "growth_class": Snippet("""
        L = true(1, 3); L(2) = 5; s = 'abc'; s(1) = 72; d = [1 2 3]; d(2) = true;
        z = []; z(2) = 'a'; q(3) = 'b'; t(2) = true;
    """),
    "assign_colon_and_mask": Snippet("""
        A = zeros(2); A(:) = 1:4; B = zeros(2, 3); B(:) = 7; x = [3 -1 4 -1 5]; x(x < 0) = 0;
        y = x; y(y > 3) = y(y > 3) * 10; M = [1 2; 3 4]; M(M == 2) = -2; N = eye(3); N(2, :) = [7 8 9];
        P = zeros(2, 3); P(:, 2) = [5 6]; Q = zeros(3); Q([1 3], [1 3]) = [1 2; 3 4];
    """),
    "deletion": Snippet("""
        x = 1:6; x(2) = []; x([1 end]) = []; M = [1 2 3; 4 5 6]; M(:, 2) = [];
        N = [1 2; 3 4; 5 6]; N(2, :) = []; c = (1:4)'; c(3) = []; K = magicish(); K(2) = [];
        e = 1:3; e(:) = [];
    """, files={"magicish": "function M = magicish()\nM = [8 1 6; 3 5 7; 4 9 2];\nend\n"}),
    "index_errors": Snippet("x = [1 2 3];\ny = x(5);\n", expect="error"),
    "index_zero_error": Snippet("x = [1 2 3];\ny = x(0);\n", expect="error"),
    "grow_ambiguous_error": Snippet("A = eye(2);\nA(7) = 1;\n", expect="error"),
    # -- ranges ----------------------------------------------------------------------------------------
    "ranges": Snippet("""
        a = 0:0.1:1; b = 1:-0.3:-1; c = 5:1; d = 0:0.25:1; e = -1:0.2:1; f = 1:0; g = 10:-3:-5;
        h = 0.1:0.1:0.5; n = numel(0:0.1:0.3); k = 1:0.1:2; m = -0.5:0.1:0.5; p = 0:1/3:1; q = 3:-1:3;
        r = 0:0.7:2.1; s = 1e-3:1e-3:1e-2;
    """),
    # -- sizes --------------------------------------------------------------------------------------
    "sizes": Snippet("""
        A = zeros(3, 4, 2); s = size(A); s1 = size(A, 1); s3 = size(A, 3); s4 = size(A, 4);
        [r, c] = size(A); [p, q, w] = size(A); [u, v, x, y] = size(A); n = numel(A); L = length(A);
        d = ndims(A); e = isempty(A); L0 = length(zeros(0, 5)); E = isempty([]); m = numel('abc');
        t = length({1, 2, 3}); sz = size({}); z = size(zeros(3, 1, 1));
    """),
    # -- reductions and searches ----------------------------------------------------------------------
    "max_min": Snippet("""
        v = [3 7 2 7 1]; [m, i] = max(v); [n, j] = min(v); M = [1 5; 4 2; 3 3];
        mx = max(M); [mx2, ix2] = max(M, [], 2); mn = min(M, [], 1); e = max(M, 2.5); f = min(v, 4);
        g = max([NaN 2 NaN]); [h, k] = max([NaN NaN]); z = max([]); c = max((1:4)'); [a, b] = min([2; -1; -1]);
        L = max([true false]); q = max(M, [], 3);
    """),
    "sums": Snippet("""
        M = [1 2 3; 4 5 6]; a = sum(M); b = sum(M, 2); c = mean(M); d = mean(M, 2); e = prod(M);
        f = cumsum(M); g = cumsum(M, 2); h = sum([]); k = prod([]); r = sum(1:4); s = mean((1:4)');
        t = sum(M(:)); L = sum([true true false]); u = sum(zeros(0, 3)); w = mean([]); x = sum(M, 3);
        y = cumprod([1 2 3 4]); z = mean([true false true true]);
    """),
    "sum_order": Snippet("""
        x = [1e16 1 -1e16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1];
        s = sum(x); c = cumsum(x); m = mean(x); p = sum(x'); q = sum([x; x], 2);
        v = 0.1 * ones(1, 37); t = sum(v); u = mean(v);
    """),
    "find_etc": Snippet("""
        x = [0 3 0 5 6]; a = find(x); b = find(x, 2); M = [0 1; 2 0]; c = find(M); [r, k] = find(M);
        d = find(x > 4); f = find((1:5)' > 2); e = find(zeros(1, 0)); g = nnz(M); h = nnz([]);
        [r3, c3, v3] = find([0 7; 5 0]); k = find([0 0]);
        s1 = sub2ind([3 4], 2, 3); s2 = sub2ind([3 4], [1 2 3], [1 2 4]); s3 = sub2ind([2 3 4], 2, 3, 4);
    """),
    "ismember": Snippet("""
        [tf, loc] = ismember([1 5 2 7], [2 7 7 1]); a = ismember(3, [1 2 3]); M = ismember([1 2; 3 4], [4 1]);
        t = ismember('b', {'a', 'b'}); u = ismember('z', {'a', 'b'}); [tt, ll] = ismember('b', {'a', 'b'});
    """),
    "any_all": Snippet("""
        M = [0 1; 0 0; 1 1]; a = any(M); b = all(M); c = any(M, 2); d = all(M(:)); f = any([]);
        g = all([]); h = any([0 0 0]); k = all([1 2 3] > 0); m = any(M, 1);
    """),
    # -- element-wise functions ----------------------------------------------------------------------
    "elementwise": Snippet("""
        x = [-2 -0.5 0 0.5 2]; a = tanh(x); b = exp(x); c = log([1 2 10]); d = exp(-745); e = log(0);
        f = exp(710); g = abs(x); h = sqrt([4 9 2]); k = floor(x); m = ceil(x); n = sign(x); p = fix(-2.7);
        q = round([2.5 -2.5 0.49999999999999994 1.5]); r = sin(1); s = cos([0 1]); t = isnan([1 NaN]);
        u = isinf([Inf 1 -Inf]); v = log10(1000); w = log2(8); y = atan(1); z = isfinite([1 Inf NaN]);
        sh = sinh([0 1]); ch = cosh(-1); ta = tan(0.5);
    """),
    "mod_rem": Snippet("""
        a = mod(7, 3); b = mod(-7, 3); c = mod(7, -3); d = mod(5.5, 2); e = mod(5, 0); f = mod(0.3, 0.1);
        g = mod(-1, 1); h = rem(-7, 3); k = rem(7, -3); m = mod([1 2 3 4 5], 3); n = mod(-0.5, 1);
        p = mod(2.2, 1.1); q = rem(5, 0);
    """),
    "norm": Snippet("""
        a = norm([3 4]); b = norm([1; 2; 2]); c = norm([1 2; 3 4]); d = norm([1 -2 3], 1);
        e = norm([1 -2 3], Inf); f = norm([1 2; 3 4], 'fro'); g = norm([1 2; 3 4], 1); h = norm([0.1 0.2 0.3]);
    """),
    "construct": Snippet("""
        a = eye(3); b = eye(2, 3); c = zeros(2); d = ones(2, 3); e = zeros(1, 0); f = zeros([2 3]);
        g = ones(2, 2, 2); h = zeros(size([1 2 3])); k = true(2); m = false(1, 3); n = true;
        p = linspace(0, 1, 5); q = linspace(-1, 1, 7); r = linspace(1, 2, 1); s = linspace(0, 1);
        t = linspace(0, 0.3, 4); u = repmat([1 2], 2, 3); v = repmat([1; 2], 1, 2); w = repmat(5, 2);
        x = repmat([1 2], [2 2]); y = size(repmat([1 2], 1, 1, 3)); z = cell(2, 1); o = zeros(2, -1);
    """),
    "constants": Snippet("""
        a = eps; b = pi; c = Inf; d = -Inf; e = NaN; f = 2 * pi; g = 1 / 0; h = -1 / 0; k = 0 / 0;
        m = inf; n = nan;
    """),
    # -- operators -------------------------------------------------------------------------------------
    "matrix_operators": Snippet("""
        A = [1 2; 3 4]; B = [5 6; 7 8]; a = A'; b = A.'; c = A * B; d = A .* B; e = A ./ B; f = A .^ 2;
        g = A ^ 2; h = A \\ [1; 2]; k = [1 2] / A; m = 2 ^ 10; n = A * 2; p = 2 \\ A; q = [1 2 3] * [4; 5; 6];
        r = A ^ -1; s = -A; t = 2 .^ [1 2 3]; u = A / 2; v = [1 2 3]' * [1 2]; w = A .\\ B; x = 10 - A;
        y = [1 2; 3 4; 5 6] \\ [1; 2; 3]; z = 2 ^ 0.5; o = (-8) ^ 2;
    """),
    "implicit_expansion": Snippet("""
        a = [1 2 3] + [10; 20]; b = [1; 2] .* [1 2 3]; c = [1 2 3] - 1; d = [1 2] == [1; 2];
        e = [4 6] ./ [1; 2]; f = max([1 5 3], [2; 4]);
    """),
    "nonconformant_error": Snippet("x = [1 2] + [1 2 3];\n", expect="error"),
    "logical_results": Snippet("""
        a = 3 > 2; b = [1 2 3] == [1 5 3]; c = [1 2 3] ~= 2; d = ([1 2] < 2) + ([1 2] <= 2);
        e = true + true; f = ~[1 0 2]; g = [1 0 1] & [1 1 0]; h = [1 0 0] | [0 0 1]; k = ~isempty([1]);
        x = 5; m = x > 2 && x < 10; n = x < 2 || x == 5; L = [true false true]; p = L * 2; q = sum(L);
        r = L + L; s = -L; t = L .* L; u = double(L); v = logical([2 0 -1]); w = L'; y = ~L; z = L / 2;
    """),
    "short_circuit": Snippet("""
        x = [];
        if ~isempty(x) && x(1) > 0
          a = 1;
        else
          a = 2;
        end
        y = 5;
        if numel(y) >= 2 & y(2) > 0
          b = 1;
        else
          b = 0;
        end
        c = isempty(x) || x(1);
    """),
    # -- char and cell data -----------------------------------------------------------------------------
    "char_arrays": Snippet("""
        s = 'hello'; a = s(1); b = s(end:-1:1); c = s == 'l'; d = [s ' world']; e = double(s(2)); f = s + 1;
        g = length(s); h = upper(s); k = ['ab'; 'cd']; m = k(2, :); n = char([72 105]); p = s([1 1 2]);
        q = strcmp(s, 'hello'); r = strcmp(s, 'help'); t = isempty(''); u = size(''); v = ['x', 65];
        w = 'it''s'; x = lower('ABC'); y = s'; z = +'a'; o = k(:)'; i1 = strcmp({'a', 'b', 'a'}, 'a');
        e2 = ''; e3 = [e2 'abc']; r2 = 'a':'e';
    """),
    "cells": Snippet("""
        c = {1, 'two', [3 4]}; a = c{1}; b = c{2}; d = c(2); n = numel(c); c{5} = 'five'; e = size(c);
        f = {}; f{3} = 1; g = {'a'; 'b'}; h = g{end}; k = iscell(c); c(2) = []; m = [c, {6}];
        p = {1, 2; 3, 4}; q = p{2, 1}; r = p(:, 2); s = p'; t = size(cell(2, 3)); u = isempty({});
        w = {}; x = isempty(w); y = [{}, {1}]; z = {1, 2, 3}; z(2) = {'b'}; z(5) = {7}; nested = {{1, 'x'}, 2};
        inner = nested{1}{2};
    """),
    "cell_loops": Snippet("""
        names = {'P', 'I', 'G'}; s = '';
        for k = 1:numel(names)
          s = [s names{k}];
        end
        t = 0;
        for x = {1, 2, 3}
          t = t + x{1};
        end
        cnt = 0;
        for col = {'a', 'b'; 'c', 'd'}
          cnt = cnt + numel(col);
        end
    """),
    # -- functions, handles --------------------------------------------------------------------------------
    "anonymous_functions": Snippet("""
        f = @(x) x.^2 + 1; a = f(3); b = f([1 2]); k = 2; g = @(x) k * x; k = 10; c = g(5);
        h = @(x, y) x + y; d = h(1, 2); sq = @sqrt; e = sq(16); comp = @(x) f(g(x)); e2 = comp(1);
        nest = @(a) @(b) a + b; add3 = nest(3); e3 = add3(4); cst = @() 42; e4 = cst();
    """),
    "function_file_subfunction": Snippet("""
        [a, b] = sfun([1 2 3]); c = sfun([1 2], 10); d = sfun(4); e = sfun([1 2], []);
    """, files={"sfun": """function [s, n] = sfun(x, scale)
% SFUN  sum of squares, optionally scaled
if nargin < 2 || isempty(scale)
  scale = 1;
end
s = helper(x) * scale;
n = numel(x);
end

function y = helper(x)
% the squares, summed
y = sum(x .^ 2);
end
"""}),
    "function_return_and_warning": Snippet("""
        a = early(5); b = early(-5); warning('a warning %d', 3); c = 1;
    """, files={"early": """function y = early(x)
% EARLY  negative inputs return at once
y = 0;
if x < 0
  return
end
y = sqrt(x);
end
"""}),
    "recursion_and_handles": Snippet("""
        f = fact(5); g = @fact; h = g(4); v = zeros(1, 3); [v(2), ~] = max([4 9 2]); [~, i] = min([4 9 2]);
        m = bsxfun(@fact2, [1 2], [3; 4]);
    """, files={"fact": "function r = fact(n)\nif n <= 1\n  r = 1;\nelse\n  r = n * fact(n - 1);\nend\nend\n",
                "fact2": "function r = fact2(a, b)\nr = a * 10 + b;\nend\n"}),
    "bsxfun": Snippet("""
        A = [1 2; 3 4]; a = bsxfun(@plus, A, [10; 20]); b = bsxfun(@minus, A, [1 2]); c = bsxfun(@times, A, [2 3]);
        d = bsxfun(@rdivide, A, [2; 4]); e = bsxfun(@max, A, [2 2]); f = bsxfun(@(x, y) x .* y + 1, A, [1; 2]);
        g = bsxfun(@power, A, [1; 2]); h = bsxfun(@eq, A, [1 4]); k = plus(A, 1); m = times(A, A);
    """),
    "softmax": Snippet("""
        y = [1 2 3; 1 1 1]'; p = softmax(y); q = softmax([1; 2]); r = softmax([1 2 3]); s = softmax([1000; 1]);
    """),
    "exist": Snippet("""
        x = 1; a = exist('x', 'var'); b = exist('nope', 'var'); names = {'x', 'nope'};
        c = exist(names{1}, 'var');
    """),
    # -- control flow ----------------------------------------------------------------------------------------
    "if_elseif_else": Snippet("""
        x = 5;
        if x > 10, a = 1; elseif x > 3, a = 2; else, a = 3; end
        if [], b = 1; else, b = 2; end
        if [1 1 0], c = 1; else, c = 0; end
        if 'a', d = 1; end
        if x == 5
          % nothing but a comment
        end
    """),
    "for_loops": Snippet("""
        s = 0;
        for k = 1:5
          s = s + k;
        end
        M = [1 2 3; 4 5 6]; cols = zeros(2, 0);
        for col = M
          cols(:, end+1) = col * 2;
        end
        t = 0;
        for v = [10 20 30], t = t + v; end
        for q = 5:-1:3, last = q; end
        for z = zeros(2, 2, 2), w = z; end
    """),
    "while_break_continue": Snippet("""
        k = 0; s = 0;
        while true
          k = k + 1;
          if mod(k, 2) == 0
            continue
          end
          if k > 9
            break
          end
          s = s + k;
        end
        n = 27; steps = 0;
        while n > 1
          if mod(n, 2)
            n = 3 * n + 1;
          else
            n = n / 2;
          end
          steps = steps + 1;
        end
        v = [1 2 3]; j = 0;
        while v
          j = j + 1; v(j) = 0;
        end
    """),
    "script_return": Snippet("a = 1;\nif a == 1\n  b = 2;\n  return\nend\nc = 3;\n"),
    "ans_and_display": Snippet("x = 3\ny = [1 2; 3 4]\ns = 'txt'\nc = {1, 'a'}\nx\n3 + 4\nz = ans * 2\nfalse;\n"),
    "clear_and_noops": Snippet("""
        clc
        close all
        a = 1; b = 2;
        figure;
        plot(1:3, [2 4 6]);
        hold on
        xlabel('t'); title('x');
        clear a
        c = exist('a', 'var'); d = exist('b', 'var');
        format long
        e = 5;
    """),
    "clear_all_mid_script": Snippet("a = 1;\nb = 2;\nclear\nc = 3;\n"),
    # -- text and console --------------------------------------------------------------------------------------
    "sprintf": Snippet("""
        a = sprintf('%d', 42); b = sprintf('%5.2f|', [1.234 5.678]); c = sprintf('%s-%d;', 'ab', 3);
        d = sprintf('%d and %d\\n', 1, 2, 3); e = sprintf('%g', 1e-5); f = sprintf('%x %o %c %e %G', 255, 8, 72, 12345.678, 1e20);
        g = sprintf('%d', pi); h = sprintf('%+d|%-4d|%04d', 5, 3, 7); k = sprintf('%d %d\\n', [1 2; 3 4]);
        m = sprintf('%s', [72 105]); n = sprintf('100%%'); p = sprintf('%d', []); q = sprintf('tab\\there');
        r = sprintf('%5s|%-5s|', 'ab', 'cd'); s = sprintf('%.3f', -0.0005); t = sprintf('%d', Inf); u = sprintf('%f', NaN);
        v = sprintf('%d|', 'ab'); w = sprintf('%5.1f|', -Inf); x = sprintf('%i', 2.5); y = sprintf('%.17g', 0.1);
        z = sprintf('%d, ', [1 2 3]);
    """),
    "num2str": Snippet("""
        a = num2str(pi); b = num2str(42); c = num2str(-0.001234); d = num2str([1 2 3]); e = num2str([1.5 -2.25 3]);
        f = num2str(true); g = num2str(1e10); h = num2str(123456.789); k = ['x = ' num2str(2.5)]; m = num2str(-7);
        n = num2str('txt'); p = num2str(NaN); q = num2str([10 -200]);
    """),
    "fprintf_output": Snippet("""
        fprintf('%d: %s\\n', 3, 'abc');
        fprintf('x = %.4f\\n', pi);
        fprintf(1, 'done %d\\n', [1 2]);
        fprintf('no newline');
        fprintf('\\n');
        disp('hello');
        disp('');
        x = 5;
    """, output=True),
    "error_call": Snippet("error('my:id', 'bad %d', 3);\n", expect="error"),
    "error_plain": Snippet("x = 1;\nerror('stop here');\n", expect="error"),
    "isequal_strcmp": Snippet("""
        a = isequal([1 2], [1 2]); b = isequal('a', 'a'); c = isequal([1 2], [1 2 3]); d = isequal({1, 'a'}, {1, 'a'});
        e = isequal([1 NaN], [1 NaN]); f = strcmp({'a', 'b'}, {'a', 'c'}); g = ischar('a'); h = islogical(true);
        k = isnumeric(1); m = iscell({});
    """),
    "empty_matrices": Snippet("""
        a = []; b = [a 1]; c = [a; 2]; d = size([]); e = isempty(zeros(0, 3)); f = sum(zeros(0, 3));
        g = [zeros(1, 0), 5]; h = [zeros(0, 2); 1 2]; k = zeros(0, 3)'; m = numel([]);
    """),
}


def _script(code: str) -> str:
    lines = code.strip("\n").split("\n")
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines) + "\n"


def run_snippets(snippets: dict[str, Snippet], prefix: str, octave: str, tmp_path_factory,
                 extra: dict[str, str] | None = None):
    """Every snippet (and the function files they call) run in one Octave session, and written as
    ``<prefix>_<name>.m`` beside those files for the translator: (Octave's runs, that folder).
    ``extra``: more scripts (name -> text), run and written as they are."""
    files = {}
    for s in snippets.values():
        files.update(s.files)
    scripts = {f"{prefix}_{name}": _script(s.code) for name, s in snippets.items()} | (extra or {})
    runs = run_batch(scripts, tmp_path_factory.mktemp(f"{prefix}_octave"), octave, files=files)
    folder = tmp_path_factory.mktemp(f"{prefix}_m")
    for name, text in {**files, **scripts}.items():
        (folder / f"{name}.m").write_text(text)
    return runs, folder


def check_snippet(snippet: Snippet, script: str, run, folder, ports_root) -> None:
    """The port of ``folder/<script>.m`` does what Octave's ``run`` did: raises where Octave raised,
    else leaves the same workspace (and prints the same text, for a snippet that checks its output)."""
    port, _ = load_port(folder / f"{script}.m", ports_root, f"port_{script}")
    printed = io.StringIO()
    if snippet.expect == "error_in_port_only":  # Octave answers; the port refuses what is outside the subset
        assert run.error is None, f"Octave failed on {script}: {run.error}"
        with pytest.raises(MatlabError, match="subset"), contextlib.redirect_stdout(printed):
            port()
        return
    if snippet.expect == "error":
        assert run.error, f"Octave ran {script} without an error"
        with pytest.raises(MatlabError), contextlib.redirect_stdout(printed):
            port()
        return
    assert run.error is None, f"Octave failed on {script}: {run.error}"
    with contextlib.redirect_stdout(printed):
        workspace = port()
    assert_same_workspace(run.workspace, workspace, snippet.tol)
    if snippet.output:
        assert printed.getvalue() == run.output


@pytest.fixture(scope="module")
def snippet_runs(octave, tmp_path_factory):
    return run_snippets(SNIPPETS, "snip", octave, tmp_path_factory)


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("snippet_ports")


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_octave(name, snippet_runs, ports_root):
    runs, folder = snippet_runs
    check_snippet(SNIPPETS[name], f"snip_{name}", runs[f"snip_{name}"], folder, ports_root)
