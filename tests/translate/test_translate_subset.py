"""The constructs courses use that the subset grew by (issue #19), each against the same snippet in Octave.

Measured on three public courses: exercise drivers pause and flush, functions read nargout and
varargin, Octave files write endfor and # comments, cells are assigned into (x{k}(i) = v), structs
hold options and results, switch and try/catch steer, handles are called for several outputs.
Each snippet is a small MATLAB (or Octave) script, run the way test_translate_snippets.py runs its
own: all in one Octave process (octave_batch), each translated, imported and run, and its whole
workspace must equal Octave's (names, classes, sizes; numbers within the parity workflow's default
tolerance, ulp<=16 or abs<=4*2^-52; text and logicals exactly; a 1x1 struct field by field, in
Octave's field order). A snippet marked ``error`` must fail in both; ``output`` must also print
exactly what Octave prints.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from port_loader import load_port
from rnncore.translate import translate_source
from rnncore.translate.runtime import MatlabError
from test_translate_snippets import Snippet, check_snippet, run_snippets

SNIPPETS: dict[str, Snippet] = {
    # 1. pause: a port never waits (Octave's batch run cannot run a bare pause: it waits for a key
    # even with no terminal, so the bare form is checked for its translation below)
    "pause_timed": Snippet("""
        x = 1;
        fprintf('Program paused. Press enter to continue.\\n');
        pause(0.01);
        pause(0);
        y = x + 1;
    """, output=True),
    # 2. nargin, nargout, varargin
    "nargout_forms": Snippet("""
        a = nfun(3); [b, c] = nfun(3); [d, e, f] = nfun(2); g = nfun2(4); [h, k] = nfun2(4);
    """, files={"nfun": """function [s, t, u] = nfun(x)
% outputs computed only when asked for
s = x * 2;
if nargout > 1
  t = x ^ 2;
end
if nargout >= 3
  u = nargout;
end
end
""", "nfun2": """function [p, q] = nfun2(x)
p = x + nargout;
q = -x;
end
"""}),
    "nargin_defaults": Snippet("""
        a = dfun(1); b = dfun(1, 2); c = dfun(1, 2, 3); d = vfun(1); e = vfun(1, 'a', [2 3]);
        [n1, n2] = vcount(5, 6, 7); [n3, n4] = vpass(1, 2, 3);
    """, files={"dfun": """function y = dfun(x, scale, shift)
if nargin < 3
  shift = 0;
end
if nargin < 2
  scale = 10;
end
y = x * scale + shift;
end
""", "vfun": """function r = vfun(a, varargin)
r = {a, nargin, numel(varargin), size(varargin)};
if numel(varargin) >= 2
  r{end+1} = varargin{2};
end
end
""", "vpass": """function [n, s] = vpass(varargin)
% passes its arguments on, as wrappers do
[n, s] = vcount(varargin{:}, 10);
end
""", "vcount": """function [n, s] = vcount(varargin)
n = nargin;
s = 0;
for k = 1:numel(varargin)
  s = s + varargin{k};
end
end
"""}),
    "varargout": Snippet("""
        [a, b, c] = vout(1); d = vout(2); [p, q] = vout2(3); r = vout2(4); h = @vout; [m, n] = h(5);
    """, files={"vout": """function varargout = vout(x)
for k = 1:max(nargout, 1)
  varargout{k} = x * k;
end
end
""", "vout2": """function [first, varargout] = vout2(x)
first = x;
varargout{1} = -x;
end
"""}),
    "varargout_too_few": Snippet("[a, b, c] = vout2(1);\n", expect="error", files={"vout2": """function [first, varargout] = vout2(x)
first = x;
varargout{1} = -x;
end
"""}),
    "output_never_assigned": Snippet("[a, b] = unset2(1);\n", expect="error",
                                     files={"unset2": "function [y, z] = unset2(x)\ny = x;\nend\n"}),
    # 3. the Octave idioms: exist('OCTAVE_VERSION'), fflush(stdout), exist(name) of a variable
    "octave_idioms": Snippet("""
        isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
        if exist('OCTAVE_VERSION', 'builtin')
          branch = 'octave';
        else
          branch = 'matlab';
        end
        fflush(stdout);
        fflush(stderr);
        x = 2; a = exist('x'); clear x; b = exist('x');
        fprintf(stdout, 'to stdout %d\\n', 3);
        more off
        g = 1 ./ (1 + e .^ -[0 1 2]); r1 = isreal(2); r2 = isreal({1}); r3 = isreal('a');
    """, output=True),
    # Octave's own spellings: endfor, endif, endwhile, endfunction, # comments, !=, !, printf, "..."
    "octave_syntax": Snippet("""
        # an Octave comment
        s = 0;
        for k = 1:4
          if k != 2 && !(k == 5)
            s = s + k;   # trailing comment
          endif
        endfor
        while s > 5
          s = s - 1;
        endwhile
        switch s
          case 5
            t = "five\\tdone";
        endswitch
        printf("%d items\\n", s);
        q = ofun(3);
        s += 10; s -= 3; m = [1 2]; m(2) *= 4; c = 0; c++; c++; c--; v = 2; v ^= 3; w = 8; w /= 2;
        J = 1;
        J += sum(m .^ 2) / 2;  # an update with a comment
        txt = 'a += b';
    """, files={"ofun": "function y = ofun(x)\n  # doubles\n  y = 2 * x;\nendfunction\n"}, output=True),
    # 4. assignment into cell contents
    "cell_content_assignment": Snippet("""
        x = cell(1, 2); x{1} = zeros(2, 1); x{1}(2, 1) = 5; x{2}(3) = 7; x{3}(1, 2) = 1;
        c = {}; c{2}(3, 1) = 5;
        for k = 1:3
          acc{k}(k) = k;
        end
        n = {[1 2 3]}; n{1}(end) = []; m = {{1, 2}}; m{1}{2} = 'b';
        w = {[1 2; 3 4]}; w{1}(:, end+1) = [5; 6];
    """),
    # 5. inline, str2func, func2str, feval
    "inline_and_friends": Snippet("""
        f = inline('x.^2 + 1', 'x'); a = f(3); g = inline('a*x + b', 'x', 'a', 'b'); b = g(2, 3, 1);
        h = inline('t.^2 - y'); c = h(3, 1);
        k = str2func('@(x) x + 1'); d = k(4); s = str2func('sqrt'); e = s(16);
        nm = func2str(@sin); u = feval(@plus, 1, 2); v = feval('max', [3 9 2]); w = feval(k, 10);
        [m, i] = feval(@max, [3 9 2]);
        clear ans  % Octave 7's str2func('@(x) ...') also sets ans (MATLAB's does not): not compared
        clear f g h  % class inline in Octave, a function handle in the port; their values are compared above
    """),
    # 6. switch (numbers, text, cell cases, otherwise), try/catch
    "switch_forms": Snippet("""
        out = zeros(1, 5); names = {'relu', 'tanh', 'sigmoid', 'other', 'TANH'};
        for k = 1:5
          switch names{k}
            case 'relu'
              out(k) = 1;
            case {'tanh', 'sigmoid'}
              out(k) = 2;
            otherwise
              out(k) = -1;
          end
        end
        n = 3;
        switch n
          case {1, 2}
            r = 'small';
          case 3
            r = 'three';
        end
        switch 'a'
          case 97
            octave_rule = 1;
          otherwise
            octave_rule = 0;
        end
        switch [1 2]
          case 1
            vec = 1;
          otherwise
            vec = 0;
        end
        switch 'abc'
          case 'ab'
            pre = 1;
          otherwise
            pre = 0;
        end
    """),
    "try_catch": Snippet("""
        try
          x = [1 2 3];
          y = x(5);
          reached = 1;
        catch err
          has_message = ~isempty(err.message);  % the wording of index errors is the indexing's business
          has = isfield(err, 'identifier');
        end
        try
          error('my:id', 'bad %d', 3);
        catch e2
          id = e2.identifier; m2 = e2.message;
        end
        try
          z = 1;
        catch
          z = 2;
        end
        try
          error('plain failure');
        catch
          last = lasterr;
        end
        s = struct('a', 1); s = setfield(s, 'b', 2); gb = getfield(s, 'b');
        clear err e2
    """),
    "rethrow": Snippet("""
        try
          try
            error('my:again', 'first %d', 1);
          catch err
            rethrow(err);
          end
        catch outer
          m = outer.message; id = outer.identifier;
        end
        clear err outer
    """),
    # 7. a function handle called for several outputs
    "handle_several_outputs": Snippet("""
        X = [1 2; 3 4; 5 6]; y = [1; 0; 1];
        costFunction = @(t) costgrad(t, X, y);
        [J, grad] = costFunction([0.1; -0.2]);
        J1 = costFunction([0.1; -0.2]);
        h = @costgrad; [J2, g2] = h([0; 0], X, y);
        sz = @(a) size(a); [r, c] = sz(zeros(2, 5));
        [p, q] = minimize(costFunction, [0; 0]);
    """, files={"costgrad": """function [J, grad] = costgrad(theta, X, y)
% squared error and its gradient
r = X * theta - y;
J = (r' * r) / 2;
grad = X' * r;
end
""", "minimize": """function [theta, J] = minimize(f, theta)
% two steps of gradient descent through a handle, as fmincg calls its cost
for k = 1:2
  [J, g] = f(theta);
  theta = theta - 0.01 * g;
end
end
"""}),
    # 8. structs
    "structs": Snippet("""
        s.a = 1; s.b = [1 2 3]; s.b(2) = 20; s.c.d = 'deep'; s.c.e = {1, 'x'};
        t = struct('alpha', 0.5, 'name', 'net', 'w', [1 2; 3 4]);
        u = struct(); v = struct('c', {{1, 2}}); 
        f1 = isfield(s, 'a'); f2 = isfield(s, 'zz'); f3 = isfield(s, {'a', 'zz', 'c'}); f4 = isstruct(s);
        f5 = isstruct(3); names = fieldnames(t); r = rmfield(t, 'w'); n = numel(fieldnames(u));
        key = 'alpha'; val = t.(key); t.(key) = 0.25; t.new = t.w(2, 1) + s.b(end);
        depth = s.c.d; e2 = s.c.e{2}; w = t.w'; 
        opts.lr = 0.1; opts.epochs = 3; total = opts.lr * opts.epochs;
        s.b(end+1) = 4; s.c.e{3} = 'more'; s.list{2} = 'second';
        cs = {}; cs{2}.name = 'b'; cs{2}.size = 2; first = cs{1};
        fn = fieldnames(s); total2 = 0;
        for k = 1:numel(fn)
          total2 = total2 + numel(s.(fn{k}));
        end
        s
    """),
    "struct_arrays": Snippet("""
        q(1).x = 1; q(2).x = 5; q(2).y = 'two'; nq = numel(q); sz = size(q);
        x2 = q(2).x; y1 = q(1).y; x1 = q(1).x;
        p = struct('v', {10, 20, 30}); np = numel(p); v3 = p(3).v; p(2).v = 99; v2 = p(2).v;
        for k = 1:numel(p)
          vals(k) = p(k).v;
        end
        clear q p
    """),
    "struct_field_error": Snippet("s.a = 1;\nb = s.nothere;\n", expect="error"),
    "optimset": Snippet("""
        o = optimset('MaxIter', 50); o2 = optimset('gradobj', 'on', 'maxiter', 3); o3 = optimset(o, 'TolX', 1e-6);
        n = numel(fieldnames(optimset())); it = o2.MaxIter;
    """),
    # the shape of fmincg (three public courses ship it): options read through exist/isfield, the cost
    # and gradient from a handle, progress printed with \r and flushed in Octave
    "fmincg_shape": Snippet("""
        X = [1 0; 0 2]; t = [1; 1];
        cost = @(w) quadcost(w, X, t);
        [w1, fx1, n1] = descend(cost, [0; 0], optimset('MaxIter', 3));
        [w2, fx2, n2] = descend(cost, [0; 0]);
    """, files={"quadcost": """function [J, grad] = quadcost(w, X, t)
r = X * w - t;
J = 0.5 * (r' * r);
grad = X' * r;
end
""", "descend": """function [x, fX, i] = descend(f, x, options)
% gradient steps; options.MaxIter of them, else 5
if exist('options', 'var') && ~isempty(options) && isfield(options, 'MaxIter')
    length = options.MaxIter;
else
    length = 5;
end
fX = [];
i = 0;
while i < abs(length)
  i = i + 1;
  [f1 df1] = f(x);
  x = x - 0.1 * df1;
  fX = [fX; f1];
  fprintf('%s %4i | Cost: %4.6e\\r', 'Iteration', i, f1);
  if exist('OCTAVE_VERSION')
    fflush(stdout);
  end
end
fprintf('\\n');
end
"""}, output=True),
    # a struct at the boundary of a function: a dict of fields
    "struct_through_function": Snippet("""
        cfg = makecfg(3); h = cfg.hidden; lr = cfg.opt.lr;
    """, files={"makecfg": """function cfg = makecfg(h)
cfg.hidden = h;
cfg.opt = struct('lr', 0.01, 'decay', [0.9 0.999]);
end
"""}),
}


@pytest.fixture(scope="module")
def subset_runs(octave, tmp_path_factory):
    return run_snippets(SNIPPETS, "sub", octave, tmp_path_factory)


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("subset_ports")


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_subset_snippet_matches_octave(name, subset_runs, ports_root):
    runs, folder = subset_runs
    check_snippet(SNIPPETS[name], f"sub_{name}", runs[f"sub_{name}"], folder, ports_root)


def test_a_bare_pause_translates_to_nothing(tmp_path):
    """``pause`` without an end waits for a key press, even in Octave without a terminal, so it cannot
    run in the Octave batch above; in a port every pause returns at once (the line is a comment)."""
    (tmp_path / "driver.m").write_text("x = 1;\nfprintf('Program paused. Press enter to continue.\\n');\npause;\n"
                                       "pause(0.5)\npause on\ny = x + 1;\n")
    port, translation = load_port(tmp_path / "driver.m", tmp_path, "bare_pause_port")
    source = translation.modules["driver"]
    assert "# line 3: pause (a port never waits: nothing to do)" in source
    assert "# line 4: pause(0.5) (a port never waits: nothing to do)" in source
    assert "mr.pause" not in source
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        workspace = port()
    assert printed.getvalue() == "Program paused. Press enter to continue.\n"
    assert {k: v.tolist() for k, v in workspace.items()} == {"x": [[1.0]], "y": [[2.0]]}


def test_a_struct_leaves_a_port_as_a_dict_of_its_fields():
    """The parity engine reads a case's ``s.f`` from a dict (rnncore.engine.ports.lookup)."""
    source = translate_source("s.a = 1;\ns.b.c = 'x';\nq(2).v = 3;\n", "structs_out.m")
    namespace: dict = {}
    exec(compile(source, "structs_out.py", "exec"), namespace)
    out = namespace["structs_out"]()
    assert out["s"]["a"].tolist() == [[1.0]] and out["s"]["b"] == {"c": "x"}
    assert out["q"].shape == (1, 2) and out["q"][0, 1]["v"].tolist() == [[3.0]]
    assert out["q"][0, 0]["v"].shape == (0, 0)  # the element growth made: every field []


def test_a_recursive_function_file_translates_on_its_own():
    """The file's own name is a function (itself), not an unknown one."""
    source = translate_source("function r = fct(n)\nif n <= 1\n  r = 1;\nelse\n  r = n * fct(n - 1);\nend\nend\n",
                              "fct.m")
    namespace: dict = {}
    exec(compile(source, "fct.py", "exec"), namespace)
    assert namespace["fct"](5)["r"].tolist() == [[120.0]]


@pytest.mark.parametrize(("call", "message"), [
    (lambda mr: mr.field(mr.struct("v", mr.cellarray([[1, 2]])), "v"), "comma-separated list"),
    (lambda mr: mr.field(mr.struct("a", 1), "b"), "no field 'b'"),
    (lambda mr: mr.rmfield(mr.struct("a", 1), "b"), "does not contain remove field b"),
    (lambda mr: mr.struct("a"), "field/value pairs"),
    (lambda mr: mr.setfield(mr.double(3), "a", 1), "only a struct has fields; this is a double"),
    (lambda mr: mr.struct("a", 1) + 1, "operand"),
    (lambda mr: mr.call(mr.double([[1, 2]]), 1, nargout=2), "asks an array for 2 outputs"),
    (lambda mr: mr.call(lambda x: x, 1, nargout=2), "gives one output; it was asked for 2"),
    (lambda mr: mr.assign(mr.struct("a", mr.cellarray([[1, 2]])), 1, value=mr.struct("b", 1)), "no field 'a'"),
])
def test_struct_and_handle_misuse_is_a_matlab_error_saying_what(call, message):
    """What Octave also refuses fails in the port with a MatlabError (catchable by a translated try)."""
    from rnncore.translate import runtime as mr

    with pytest.raises(MatlabError, match=re.escape(message)):
        call(mr)
