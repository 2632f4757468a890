"""The library functions courses call (statistics, sorting, linear algebra, special functions,
constants with arguments), translated and run, against the same snippet run in Octave 7.

Works through test_translate_snippets.py's harness (one Octave session for all snippets, each
translated and imported, every variable compared by class, size and value); here a snippet often
names its own tolerance, with the reason beside it. The inputs are drawn once with a seeded generator and
written into the snippets as ``%.17g`` literals, so both engines see the same doubles and the test
is the same on every run; they include empty, 1x1, row, column and matrix shapes, ties, NaN and Inf.
"""

from __future__ import annotations

import numpy as np
import pytest

import rnncore.translate.runtime as mr
from rnncore.engine.parity import Tolerance
from rnncore.translate.runtime import MatlabError
from test_translate_snippets import Snippet, check_snippet, run_snippets

# Octave's own algorithm, step for step (linspace, ranges, counts, permutations): bit for bit.
EXACT = Tolerance(ulp=0, atol=0.0)
# svd/eig/pinv: numpy's LAPACK driver is not Octave's (dsyevd vs dsyev, gesdd vs gesvd); both are
# backward stable, so results agree to a few eps times the norm of the input (here below 10) and
# its condition number (below 100 for these inputs): 1e-12 absolute leaves a margin of 10x.
LIBRARY = Tolerance(ulp=64, atol=1e-12)
# fminunc: Octave's trust-region BFGS and scipy's BFGS (with a finite-difference gradient) both stop
# within TolX/TolFun = 1e-7 of a minimum of a well-conditioned quadratic; 1e-6 leaves 10x.
FMINUNC = Tolerance(ulp=16, atol=1e-6)
# fminsearch: two Nelder-Mead variants stopping at TolX = TolFun = 1e-4 (measured 4e-5 apart); 1e-3.
FMINSEARCH = Tolerance(ulp=16, atol=1e-3)


def _lit(a) -> str:
    """A MATLAB literal holding exactly these doubles (column-major 2-D)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim < 2:
        a = a.reshape(1, -1)
    if a.size == 0:
        return f"zeros({a.shape[0]}, {a.shape[1]})"

    def num(x: float) -> str:
        return "NaN" if np.isnan(x) else ("Inf" if x == np.inf else ("-Inf" if x == -np.inf else f"{x:.17g}"))

    return "[" + "; ".join(" ".join(num(x) for x in row) for row in a) + "]"


_rng = np.random.default_rng(19)
M = _rng.normal(size=(5, 4)) * 3  # a matrix
R = _rng.normal(size=(1, 7))  # a row
C = _rng.normal(size=(6, 1))  # a column
T = _rng.integers(-2, 3, size=(6, 3)).astype(float)  # ties: few distinct values
TN = T.copy()
TN[1, 0], TN[4, 2], TN[2, 1] = np.nan, np.nan, np.inf  # ties with NaN and Inf
S = _rng.normal(size=(4, 4))
S = S + S.T + 8 * np.eye(4)  # symmetric, well conditioned
_P = _rng.normal(size=(4, 4)) + 3 * np.eye(4)
G = _P @ np.diag([1.0, 3.0, 5.0, 7.0]) @ np.linalg.inv(_P)  # not symmetric, real distinct eigenvalues
W = _rng.normal(size=(5, 3))  # tall, for pinv/svd
_spans = [(float(np.round(_rng.uniform(-50, 50), 3)), float(np.round(_rng.uniform(-50, 50), 3)),
           int(_rng.integers(2, 400))) for _ in range(12)]
_steps = [(float(np.round(_rng.uniform(-10, 10), 2)), float(_rng.choice([0.1, -0.1, 0.01, 0.3, -0.7, 1 / 3, 0.05])),
           int(_rng.integers(0, 300))) for _ in range(24)]

INPUTS = f"M = {_lit(M)}; R = {_lit(R)}; C = {_lit(C)}; T = {_lit(T)}; TN = {_lit(TN)};\n"


def _shapes_batch() -> str:
    """Every shape class (empty 0x0/1x0/0x3, 1x1, row, column, matrix) with ties, NaN and Inf, each
    through the statistics and sorting functions whose rules depend on the shape."""
    shapes = [(0, 0), (1, 0), (0, 3), (1, 1), (1, 6), (7, 1), (4, 5), (3, 3)]
    lines = []
    for k, shape in enumerate(shapes):
        x = _rng.integers(-3, 4, size=shape).astype(float) + _rng.choice([0.0, 0.5], size=shape)
        if x.size > 2:
            flat = x.reshape(-1)
            flat[_rng.integers(0, x.size)] = np.nan
            flat[_rng.integers(0, x.size)] = np.inf if k % 2 else -np.inf
        lines.append(f"X = {_lit(x)};")
        lines.append(f"s{k} = sort(X); [u{k}, ui{k}, uj{k}] = unique(X); c{k} = cumprod(X); m{k} = mean(X);")
        lines.append(f"v{k} = var(X); d{k} = std(X, 1); o{k} = mode(X); [so{k}, si{k}] = sort(X, 'descend');")
        lines.append(f"mx{k} = max(X); mn{k} = min(X, [], 2); f{k} = fliplr(X); t{k} = tril(X); sm{k} = sum(X, 1);")
        if x.size:
            lines.append(f"md{k} = median(X);")
    return "\n".join(lines) + "\nclear X\n"

SNIPPETS: dict[str, Snippet] = {
    # -- linspace and ranges: Octave's formulas, so exactly the same doubles -------------------------------
    "linspace_both_ends": Snippet("""
        a = linspace(-100, 100, 1000); b = linspace(0, 1, 10); c = linspace(1, -1, 7); d = linspace(-3, 3, 9);
        e = linspace(5, 5, 3); f = linspace(0, 1, 0); g = linspace(1e-3, 7.3, 333); h = linspace(2, 3, 1);
        k = linspace(-1, 2); m = linspace(0.1, 0.7, 2); p = logspace(-3, 2, 11); q = logspace(0, pi, 4);
        r = logspace(1, 2); s = logspace(2, -2, 9);
    """ + "".join(f"L{k} = linspace({a!r}, {b!r}, {n});\n" for k, (a, b, n) in enumerate(_spans)), tol=EXACT),
    "ranges_exact": Snippet("""
        a = -5:0.1:5; b = 0:0.01:1; c = 10:-0.3:-10; d = -1:1/3:1; e = 0.5:0.7:99; f = 3:-0.25:-3.1;
    """ + "".join(f"K{k} = ({a!r}):({d!r}):({a + d * n!r});\n" for k, (a, d, n) in enumerate(_steps)), tol=EXACT),
    # -- mean of an empty selection: Octave's dim rule, not MATLAB's NaN ---------------------------------------
    "mean_empty": Snippet(INPUTS + """
        a = mean(zeros(0, 3)); b = mean(zeros(3, 0)); c = mean([]); d = mean(zeros(1, 0)); e = mean(zeros(0, 1));
        f = sum([], 1); g = sum([], 2); h = prod([], 1); k = mean(M, 2); m = mean(M, 3); n = mean(M(M > 100));
        p = mean(M([], :)); q = mean(R); r = mean(C); s = mean(5);
    """),
    "centroid_of_an_empty_cluster": Snippet(INPUTS + """
        idx = [1; 1; 1; 1; 1];
        centroids = zeros(2, 4);
        for k = 1:2
          centroids(k, :) = mean(M(idx == k, :));
        end
    """, expect="error"),
    # -- statistics --------------------------------------------------------------------------------------------
    "std_var": Snippet(INPUTS + """
        a = std(M); b = std(M, 1); c = std(M, 0, 2); d = var(M); e = var(M, 1, 2); f = std(R); g = std(C);
        h = std([]); k = std(5); m = var(zeros(0, 3)); n = std(TN); p = var(T(:)); q = std(M, [], 2);
        r = var(zeros(3, 0)); s = std(Inf); t = var([1 NaN 3]); u = std(M, 0, 3); v = var(true(1, 3));
        w = var(M, 0, 'all'); x = std(M, 1, 'all');
    """),
    "median_mode": Snippet(INPUTS + """
        a = median(M); b = median(M, 2); c = median(R); d = median(C); e = median([1 2 3 4]); f = median(TN);
        g = median(5); h = median(T, 2); k = median([Inf -Inf 1 2]); m = mode(T); n = mode(T, 2);
        [p, q] = mode([3 1 2 3 1]); r = mode(TN); s = mode([]); t = mode(R); u = mode([NaN NaN 1]);
        v = median([true false true]); w = mode(zeros(0, 3));
    """),
    "every_shape": Snippet(_shapes_batch()),
    "median_empty_error": Snippet("x = median([]);\n", expect="error"),
    "sum_all_error": Snippet("x = sum([1 2; 3 4], 'all');\n", expect="error"),
    "max_all_error": Snippet("x = max([1 2; 3 4], [], 'all');\n", expect="error"),
    # -- sorting, unique, differences, counting ----------------------------------------------------------
    "sort": Snippet(INPUTS + """
        a = sort(R); [b, i] = sort(TN); [c, j] = sort(T, 2); [d, k] = sort(TN, 'descend'); e = sort(C, 1, 'descend');
        [f, m] = sort([3 NaN 1 NaN 2 1]); [g, n] = sort([3 NaN 1 NaN 2 1], 'descend'); h = sort([]);
        p = sort('hello'); q = sort([true false true]); r = sort(zeros(1, 0)); [s, t] = sort([0 -0 0]);
        u = sort(M, 3);
    """),
    "unique": Snippet(INPUTS + """
        a = unique(T); [b, i, j] = unique(T(:, 1)); [c, k, m] = unique(T(:, 2)'); [d, n] = unique(T, 'rows');
        [e, p] = unique([3 1 1 2 3], 'last'); f = unique(TN); g = unique([]); h = unique(zeros(1, 0));
        q = unique(5); [r, s, t] = unique(5); u = unique([2 1 2], 'stable'); [v, w] = unique([4 4 1], 'stable');
        x = unique('abca'); [y, z, zz] = unique([1 2; 1 2; 0 5], 'rows');
    """),
    "sortrows": Snippet(INPUTS + """
        a = sortrows(T); [b, i] = sortrows(T, 2); [c, j] = sortrows(T, -1); [d, k] = sortrows(T, [3 -1]);
        e = sortrows(M, [-2 1]); f = sortrows([]); g = sortrows(R); h = sortrows(C); [m, n] = sortrows(zeros(0, 3));
        p = sortrows('bca'); q = sortrows([true false; false true]);
    """),
    "diff_cumprod": Snippet(INPUTS + """
        a = diff(R); b = diff(M); c = diff(M, 1, 2); d = diff(C, 2); e = diff([1 2], 3, 2); f = diff([]);
        g = diff(zeros(1, 0)); h = cumprod(M); k = cumprod(R, 2); m = diff(TN); n = diff(5);
        p = diff(R, 7, 2); q = diff(C, 9, 1); s = diff(5, 1, 1); t = diff(M, 0); u = diff(M, 5, 1); v = diff(M, 2, 2);
    """),
    "trapz": Snippet(INPUTS + """
        a = trapz(R); b = trapz(M); c = trapz(M, 2); d = trapz(0.1, R); e = trapz(1:7, R); f = trapz(C);
        g = trapz((1:5)', M); h = trapz(M, M); k = trapz([]); m = trapz(5); n = trapz(1:5, M', 2);
    """),
    "histc_accumarray": Snippet(INPUTS + """
        a = histc(R, [-2 -1 0 1 2]); [b, i] = histc(C, -1:0.5:1); c = histc(T, -2:2); d = histc([1 2 2 5], [2 1 3]);
        e = histc(TN(:), [-2 0 2]); f = accumarray([1; 3; 1], [10; 20; 30]); g = accumarray([2 3], 5);
        h = accumarray([1 1; 2 2; 1 1], [1 2 3]); k = accumarray([1; 2; 1], 1); m = accumarray([1; 2], [4; 5], [3 1]);
        n = accumarray([1; 2], [4; 5], [2 2]);
    """),
    # -- rearranging ---------------------------------------------------------------------------------------
    "arrange": Snippet(INPUTS + """
        a = fliplr(M); b = flipud(C); c = flip(R); d = flip(M, 2); e = circshift(R, 2); f = circshift(M, -1);
        g = circshift(M, [1 2]); h = circshift(M, 1, 2); k = diag(R); m = diag(M); n = diag(C, 1); p = diag(M, -2);
        q = tril(M); r = triu(M, 1); s = tril(M, -1); t = kron([1 2; 3 4], [1 -1]); u = diag(zeros(1, 0));
        [X, Y] = meshgrid(1:3, [10; 20]); Z = meshgrid(0:0.5:1); [r1, c1] = ind2sub([3 4], [1 5 12]);
        [r2, c2, p2] = ind2sub([2 3 4], 17); [r3, c3] = ind2sub([2 3 4], 17); i4 = ind2sub([3 4], 7);
        v = fliplr('abc'); w = flipud([true; false]); x = circshift(zeros(0, 3), 1);
    """),
    "three_d_arrange": Snippet(INPUTS + """
        A = cat(3, M, 2 * M); B = permute(A, [3 1 2]); C = ipermute(B, [3 1 2]); D = squeeze(A(2, 3, :));
        E = squeeze(A(:, 1, :)); F = squeeze(R); G = cat(1, R, R); H = cat(2, M, [], M); K = cat(3, [], [1 2]);
        L = permute(R, [2 1]); N = rot90(M); P = rot90(M, 2); Q = rot90(M, -1); S = rot90(R, 3);
        U = cat(3, 'ab', 'cd'); V = cat(3, true, false); W = cat(3, true, 2); X = size(permute(M, [1 3 2]));
        Y = squeeze(ones(1, 1, 3)); Z = cat(4, 1, 2);
    """),
    "cat_mismatch_error": Snippet("x = cat(3, [1 2], [1 2 3]);\n", expect="error"),
    # -- linear algebra -----------------------------------------------------------------------------------
    "inv_det_trace": Snippet(f"S = {_lit(S)}; G = {_lit(G)};\n" + """
        a = inv(S); b = inv(G); c = det(S); d = det(G); e = trace(S); f = trace([]); g = det([]);
        h = inv([2 0; 0 4]); k = det([1 2; 2 4]); m = trace(5); n = inv(zeros(0, 0));
    """),
    "svd_eig_pinv": Snippet(f"S = {_lit(S)}; G = {_lit(G)}; W = {_lit(W)};\n" + """
        s = svd(W); s2 = svd(S); [U, D, V] = svd(W); USV = U * D * V'; aU = abs(U(:, 1:3)); aV = abs(V); sD = size(D);
        [U2, D2, V2] = svd(W, 'econ'); sU2 = size(U2); USV2 = U2 * D2 * V2'; [U3, D3, V3] = svd(W, 0); sU3 = size(U3);
        e = eig(S); [Q, L] = eig(S); QLQ = Q * L * Q'; aQ = abs(Q); P = pinv(W); P2 = pinv(S); r = rank(W);
        r2 = rank([1 2; 2 4]); eg = sort(eig(G)); P3 = pinv([1 2; 2 4]);
        clear U V U2 V2 U3 V3 Q  % each singular/eigen vector's sign is free: compared through the products
    """, tol=LIBRARY),
    # -- special functions and element-wise additions -----------------------------------------------------
    "special": Snippet(INPUTS + """
        a = gamma([0.5 1 5 10.5 -1.5 0 -1 -Inf Inf 171.5]); b = erf(M); c = erf([-Inf 0 Inf NaN]);
        d = factorial([0 1 5 10 20]); e = nchoosek(10, 3); f = nchoosek(52, 5); g = nchoosek([1 2 3 4], 2);
        h = nchoosek(5, 0); k = log1p([1e-10 -0.5 0]); m = expm1([1e-10 1 -1]); n = atan2(R, C);
        p = hypot(M, 2); q = atan2(0, -1); r = erfc([0.5 3 10]); s = nchoosek('abc', 2);
    """),
    # -- a function applied to every element ----------------------------------------------------------------
    "cellfun_arrayfun": Snippet("""
        c = {1, [], 'abc', [1 2; 3 4]};
        a = cellfun(@isempty, c); b = cellfun('isempty', c); d = cellfun(@numel, c); e = cellfun('length', c);
        f = cellfun(@(x) x * 2, {1, 2, 3}); g = cellfun(@(x) [x x], {1, 2}, 'UniformOutput', false);
        h = arrayfun(@(x) x^2, [1 2; 3 4]); k = arrayfun(@(x) 1:x, 1:3, 'UniformOutput', false);
        m = arrayfun(@(x, y) x + y, [1 2], [10 20]); n = cellfun(@ischar, c); p = arrayfun(@(x) x > 2, 1:4);
        q = cellfun(@(x, y) numel(x) + y, {1, [1 2]}, {10, 20}); s = cellfun(@numel, {});
        t = cellfun(@(x) sum(x(:)), {[1 2; 3 4], 5}); u = arrayfun(@(x) x * 2, [1; 2; 3]);
    """),
    "cellfun_not_uniform_error": Snippet("x = cellfun(@(v) [v v], {1, 2});\n", expect="error"),
    # -- optimisers: scipy's, agreeing with Octave's to their stopping tolerances ----------------------------
    "fminunc": Snippet("""
        f = @(t) (t(1) - 1)^2 + 3 * (t(2) + 2)^2 + t(1) * t(2) / 4;
        options = optimset('MaxIter', 400);
        [x, fv] = fminunc(f, [0; 0], options);
        [z, fz, flag] = fminunc(@(t) sum((t - [1 2 3]').^2), zeros(3, 1));
        clear options f  % a struct and a handle: compared through what the optimiser made of them
    """, tol=FMINUNC),
    "fminsearch": Snippet("""
        f = @(t) (t(1) - 1)^2 + 3 * (t(2) + 2)^2 + t(1) * t(2) / 4;
        [y, fy] = fminsearch(f, [0 0]); [w, fw, flag] = fminsearch(@(t) (t - 3)^2, 1, optimset('TolX', 1e-4));
        clear f
    """, tol=FMINSEARCH),
    # -- predicates and constants with arguments ------------------------------------------------------------
    "predicates_constants": Snippet("""
        a = [isrow(zeros(1, 0)) isrow('abc') iscolumn(zeros(0, 1)) isvector([]) isvector(5) isscalar({1})];
        b = [ismatrix(zeros(2, 2, 2)) isvector({1, 2}) isrow(zeros(1, 1, 2)) isreal('a') isreal({1}) isreal(2)];
        c = Inf(2, 3); d = NaN(1, 4); e = eps(1); f = eps([0 1 1e10 Inf NaN 1e-310]); g = realmin; h = realmax;
        k = -Inf(2); m = nan(1, 2); n = inf([2 1]); p = eps(2, 2); q = flintmax; r = isscalar(eps);
        s = NaN(0, 3); t = Inf(1, 2, 'double'); u = eps(-8);
    """),
}


def test_the_drawn_inputs_have_what_the_snippets_need():
    """The seeded draws: G's eigenvalues real (eig with complex ones is refused), T with ties."""
    assert np.all(np.isreal(np.linalg.eigvals(G)))
    assert len(np.unique(T)) < T.size / 2
    assert np.linalg.cond(S) < 100 and np.linalg.cond(G) < 100 and np.linalg.cond(W) < 100


@pytest.fixture(scope="module")
def library_runs(octave, tmp_path_factory):
    return run_snippets(SNIPPETS, "lib", octave, tmp_path_factory)


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("library_ports")


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_library_snippet_matches_octave(name, library_runs, ports_root):
    runs, folder = library_runs
    check_snippet(SNIPPETS[name], f"lib_{name}", runs[f"lib_{name}"], folder, ports_root)


# -- the record of library-routine values (no Octave needed) ------------------------------------------------

def test_library_routines_are_recorded_and_their_values_flagged():
    mr.reset_library_calls()
    a = mr.double(S)
    s = mr.svd(a)
    U, D, V = mr.svd(a, nargout=3)
    e = mr.eig(a)
    plain = mr.inv(a)
    assert [c.function for c in mr.library_calls()] == ["svd", "svd", "eig"]
    assert "signs" in mr.library_calls()[1].detail
    assert (mr.library_of(s), mr.library_of(U), mr.library_of(V), mr.library_of(e)) == ("svd", "svd", "svd", "eig")
    assert mr.library_of(plain) is None and mr.library_of(s + 1) is None  # arithmetic gives a new value
    x = mr.fminsearch(lambda t: (t - 3) ** 2, mr.double(1))
    assert mr.library_of(x) == "fminsearch" and mr.library_calls()[-1].function == "fminsearch"
    mr.reset_library_calls()
    assert mr.library_calls() == ()


def test_eig_of_a_symmetric_matrix_is_ascending_with_orthonormal_vectors():
    Q, L = mr.eig(mr.double(S), nargout=2)
    w = np.diag(np.asarray(L))
    assert np.all(np.diff(w) > 0)
    # orthonormal to rounding: 4x4 entries of size ~1, a few eps each
    np.testing.assert_allclose(np.asarray(Q).T @ np.asarray(Q), np.eye(4), atol=1e-14)


def test_complex_eigenvalues_are_refused_with_a_sentence():
    with pytest.raises(MatlabError, match="complex eigenvalues are outside"):
        mr.eig(mr.double([[0.0, -1.0], [1.0, 0.0]]))


def test_diff_of_an_order_octave_sizes_oddly_is_refused_with_a_sentence():
    with pytest.raises(MatlabError, match=r"diff: order 5 on a 5x4 array without DIM .* give DIM"):
        mr.diff(mr.double(M), mr.double(5))
    with pytest.raises(MatlabError, match=r"diff: order 7 on a 1x7 array without DIM"):
        mr.diff(mr.double(R), mr.double(7))


def test_rows_holding_nan_are_refused_where_octaves_order_is_undefined():
    with pytest.raises(MatlabError, match=r"^sortrows of rows holding NaN is outside .*not defined\)$"):
        mr.sortrows(mr.double([[1, np.nan], [1, 2], [np.nan, 0]]))
    with pytest.raises(MatlabError, match=r"unique\(\.\.\., 'rows'\) of rows holding NaN"):
        mr.unique(mr.double([[1, np.nan], [1, 2]]), mr.char("rows"))
