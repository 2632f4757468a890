"""The constructs the development corpus needed next (issue #19): ``dot``, ``chol``, ``nthroot``,
``assert``, ``addpath``/``rmpath``/``genpath``, ``sparse`` (held full), ``full``, ``gammaln``, ``psi``,
``real``/``imag``, ``transpose``, ``nonzeros``,
``spdiags``, ``hankel``, ``linsolve`` and files whose lines end in a lone carriage return, each
translated and run against the same snippet run in Octave 7 (one Octave session for all, through
test_translate_snippets.py's harness: every variable compared by class, size and value).

Inputs are ``%.17g`` literals drawn once from a seeded generator, so both engines see the same doubles.
"""

from __future__ import annotations

import numpy as np
import pytest

import rnncore.translate.runtime as mr
from octave_batch import assert_same_workspace, run_batch
from port_loader import load_port
from rnncore.engine.parity import Tolerance
from rnncore.translate.runtime import MatlabError
from test_translate_snippets import Snippet, check_snippet, run_snippets

# chol: scipy calls LAPACK's dpotrf as Octave does, but from another BLAS build, which may group
# the inner products differently; for these 4x4 inputs (entries below 20, condition below 100)
# that moves a factor entry by a few eps times its size: 1e-13 absolute leaves a margin of 10x.
LAPACK = Tolerance(ulp=64, atol=1e-13)
# dot of vectors: BLAS's ddot (numpy's and Octave's may be different builds summing in a different
# grouping): n = 7 products of size below 10, each grouping within 7 eps * 70 ~ 1e-13 of the other.
BLAS_SUM = Tolerance(ulp=64, atol=1e-13)


def _lit(a) -> str:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim < 2:
        a = a.reshape(1, -1)
    return "[" + "; ".join(" ".join(f"{x:.17g}" for x in row) for row in a) + "]"


_rng = np.random.default_rng(1919)
R = _rng.normal(size=(1, 7)) * 3
C = _rng.normal(size=(7, 1)) * 3
M = _rng.normal(size=(5, 4)) * 3
N = _rng.normal(size=(5, 4)) * 3
_B = _rng.normal(size=(4, 4))
SPD = _B @ _B.T + 4 * np.eye(4)  # symmetric positive definite, well conditioned
IND = SPD.copy()
IND[2, 2] = -30.0  # the third leading minor is not positive: p = 3
X = np.abs(_rng.normal(size=(3, 5))) * 10
X[0, 0], X[1, 2] = 0.0, 1e-300  # a zero and a tiny value: the Newton step's corner cases
XS = _rng.normal(size=(3, 5)) * 10  # with negative values: odd roots only

INPUTS = (f"R = {_lit(R)}; C = {_lit(C)}; M = {_lit(M)}; N = {_lit(N)}; SPD = {_lit(SPD)}; "
          f"IND = {_lit(IND)}; X = {_lit(X)}; XS = {_lit(XS)};\n")

SNIPPETS: dict[str, Snippet] = {
    "dot_vectors": Snippet(INPUTS + "a = dot(R, C); b = dot(C, C); c = dot(R', R); d = dot([], []);\n", tol=BLAS_SUM),
    "dot_matrix_columns": Snippet(INPUTS + "a = dot(M, N); b = dot(M, N, 1);\n", tol=BLAS_SUM),
    # along the second dimension Octave's ddot3 sums element after element, as the port does: exactly
    "dot_matrix_rows": Snippet(INPUTS + "a = dot(M, N, 2); b = dot(M', N', 2); c = dot(M, N, 3);\n",
                               tol=Tolerance(ulp=0, atol=0.0)),
    # Octave's dot takes numeric arrays only (isnumeric: not logical, not char)
    "dot_logical": Snippet(INPUTS + "b = dot([true false true], [1 2 3]);\n", expect="error"),
    "dot_char": Snippet(INPUTS + "b = dot('abc', [1 2 3]);\n", expect="error"),
    "dot_size_mismatch": Snippet(INPUTS + "a = dot(M, N');\n", expect="error"),
    "chol_upper": Snippet(INPUTS + "R1 = chol(SPD); [R2, p] = chol(SPD); back = R1' * R1;\n", tol=LAPACK),
    "chol_lower": Snippet(INPUTS + "L = chol(SPD, 'lower'); U = chol(SPD, 'upper'); e = chol([]);\n", tol=LAPACK),
    # the lower triangle is never read: a non-symmetric matrix with the same upper triangle
    "chol_reads_one_triangle": Snippet(INPUTS + "A = triu(SPD) + 100 * tril(ones(4), -1); R1 = chol(A);\n",
                                       tol=LAPACK),
    "chol_indefinite_two_outputs": Snippet(INPUTS + "[R1, p] = chol(IND); [L, q] = chol(IND, 'lower');\n",
                                           tol=LAPACK),
    "chol_indefinite_one_output": Snippet(INPUTS + "R1 = chol(IND);\n", expect="error"),
    "chol_not_square": Snippet(INPUTS + "R1 = chol(M);\n", expect="error"),
    # nthroot.m step for step (cbrt, pow, the Newton step) with the same C library: to rounding
    "nthroot_values": Snippet(INPUTS + "a = nthroot(X, 2); b = nthroot(XS, 3); c = nthroot(XS, 5); "
                              "d = nthroot(X, -2); e = nthroot(XS, -3); f = nthroot(X, 2.5); g = nthroot(0, 4); "
                              "h = nthroot([Inf -Inf 8], 3); k = nthroot(-32, 5); m = nthroot(X, 1);\n"),
    "nthroot_even_of_negative": Snippet(INPUTS + "a = nthroot(XS, 4);\n", expect="error"),
    "nthroot_zero_n": Snippet(INPUTS + "a = nthroot(X, 0);\n", expect="error"),
    "assert_passes": Snippet(INPUTS + "assert(numel(R) == numel(C)); assert(all(size(M) == size(N)));\n"
                             "assert(true, 'never shown'); assert([1 2 NaN], [1 2 NaN]); assert(R, R + 1e-9, 1e-6);\n"
                             "assert(M, M * (1 + 1e-12), -1e-9); assert('abc', 'abc'); assert(NaN); ok = 1;\n"),
    "assert_fails": Snippet(INPUTS + "assert(numel(R) == numel(M));\n", expect="error"),
    "assert_fails_empty": Snippet(INPUTS + "assert([]);\n", expect="error"),
    "assert_fails_with_message": Snippet(INPUTS + "assert(R(1) > 100, 'R(1) is %g', R(1));\n", expect="error"),
    "assert_compare_fails": Snippet(INPUTS + "assert(R, R + 1e-3, 1e-6);\n", expect="error"),
    "assert_compare_size": Snippet(INPUTS + "assert(R, C);\n", expect="error"),
    "assert_numeric_with_text_compares": Snippet(INPUTS + "assert(1, 'a message');\n", expect="error"),
    # sparse, held full: compared through full() (a sparse value itself is Octave's list of non-zeros);
    # sums of duplicates in the order given, as Octave's: exactly
    "sparse_indicator": Snippet(INPUTS + "z = [2 1 3 2 2]; n = numel(z); E = full(sparse(z, 1:n, 1, 3, n, n));\n"
                                "T = full(sparse(1:n, z, 1));\n"
                                "D = full(sparse([1 1 1 2], [1 1 1 2], [0.1 0.7 0.2 5]));\n"
                                "U = full(sparse([1 1 2], [1 1 1], [3 4 5], 3, 2, 'unique'));\n"
                                "L = full(sparse([1 1 2], [1 1 1], [true false true])); Z = full(sparse(2, 3));\n"
                                "A = full(sparse(M)); B = full(sparse(M > 0)); e = full(sparse([], [], []));\n",
                                tol=Tolerance(ulp=0, atol=0.0)),
    # products and sums of a sparse indicator with finite values: the same full values
    "sparse_products": Snippet(INPUTS + "S = sparse([1 3 2 1], [1 2 4 4], 1, 5, 4); P = M' * S; Q = full(S .* N); "
                               "s = full(sum(S, 2)); c = full(S' * M(:, 1));\n"),
    "sparse_row_out_of_bound": Snippet(INPUTS + "S = sparse([1 2 3], [1 1 1], 1, 2, 2);\n", expect="error"),
    "sparse_index_not_integer": Snippet(INPUTS + "S = sparse([1.5 2], [1 1], 1);\n", expect="error"),
    "sparse_index_zero": Snippet(INPUTS + "S = sparse([1 0], [1 1], 1);\n", expect="error"),
    "sparse_dimension_mismatch": Snippet(INPUTS + "S = sparse([1 2 3], [1 1], 1);\n", expect="error"),
    "sparse_of_text": Snippet(INPUTS + "S = sparse('ab');\n", expect="error"),
    # the C library's lgamma_r, which Octave's gammaln calls too: bit for bit
    "gammaln_values": Snippet(INPUTS + "a = gammaln([-2 -1.5 0 1 2 0.5 Inf -Inf NaN 1e-300 200 3.7]);\n"
                              "b = gammaln(X);\n",
                              tol=Tolerance(ulp=0, atol=0.0)),
    # Octave's own digamma (lo-specfun.cc) step for step, with the same C library log and tan: bit for bit
    "psi_values": Snippet(INPUTS + "a = psi([0.5 1 2 3.7 -0.5 0 -1 100 1e-5 7.25 0.1 12.5 -2.3 33.3 5.5 1e6]);\n"
                          "a2 = psi([2.5e-3 9.99]); b = psi(X + 0.01); c = psi(XS); d = psi(0, [1.5 2.5]);\n"
                          "e = psi([Inf NaN -Inf]); f = psi(zeros(0, 2));\n",
                          tol=Tolerance(ulp=0, atol=0.0)),
    "real_imag_transpose": Snippet(INPUTS + "a = real(M); b = imag(M); c = real(true); d = imag('ab'); "
                                   "e = any(imag(R)); t = transpose(M); u = ctranspose(R); v = transpose('abc'); "
                                   "w = transpose(M > 0); z = transpose(zeros(0, 3));\n",
                                   tol=Tolerance(ulp=0, atol=0.0)),
    "transpose_nd": Snippet(INPUTS + "t = transpose(zeros(2, 2, 2));\n", expect="error"),
    "nonzeros": Snippet(INPUTS + "a = nonzeros([0 1 0; 2 0 NaN]); b = nonzeros(M); c = nonzeros(zeros(2)); "
                        "d = nonzeros([true false true]); e = nonzeros(R');\n", tol=Tolerance(ulp=0, atol=0.0)),
    "hankel": Snippet(INPUTS + "a = hankel(R); b = hankel(C, R); c = hankel([1 2 3], [3 4]); d = hankel(5); "
                      "e = hankel(C(1:3), [C(3) 9 8 7 6]); f = hankel([true false], [false true]);\n",
                      tol=Tolerance(ulp=0, atol=0.0)),
    "hankel_not_vector": Snippet(INPUTS + "a = hankel(M);\n", expect="error"),
    # the port's A \\ b: numpy's LAPACK gesv, Octave's getrf/getrs, different BLAS builds: rounding
    "linsolve": Snippet(INPUTS + "x = linsolve(SPD, M(1:4, :)); y = linsolve(SPD, C(1:4));\n", tol=LAPACK),
    "linsolve_logical": Snippet(INPUTS + "x = linsolve(SPD > 0, C(1:4));\n", expect="error"),
    "spdiags": Snippet(INPUTS + "a = full(spdiags(C, 0, 7, 7)); b = full(spdiags(M, [-1 0 2 5], 5, 6)); "
                       "c = full(spdiags(M, [-1 0 2 5], 6, 4)); d = full(spdiags(C(1:4), 1, 4, 4)); "
                       "e = full(spdiags([1 0 2]', -1, 3, 3)); f = full(spdiags(1 ./ C(1:3), 0, 3, 3)) * M(1:3, :);\n",
                       tol=Tolerance(ulp=0, atol=0.0)),
    "spdiags_row_vector": Snippet(INPUTS + "a = full(spdiags(R, 0, 7, 7));\n", expect="error"),
    "spdiags_extract": Snippet(INPUTS + "a = spdiags(M);\n", expect="error_in_port_only"),
    "addpath_changes_nothing": Snippet(INPUTS + "addpath('../common'); addpath('a', 'b'); rmpath('a');\n"
                                       "x = dot(R, R');\n", tol=BLAS_SUM),
}

# A file saved with classic Mac line ends (a lone carriage return), which Octave reads line by line
CR_SCRIPT = "% a comment line\rx = [1 2 3];\ry = x * 2;\r\r% another\rz = sum(y) ...\r  + 1;\r"


def _extra_scripts() -> dict[str, str]:
    """The scripts beside the snippets, run and written as they are (the carriage returns stay)."""
    return {
        "cc_cr_line_ends": CR_SCRIPT,
        "cc_not_in_octave": "a = [exist('gamrnd') exist('iwishrnd') exist('randsample') exist('histcounts')];\n",
        "cc_gammaln_complex": ("a = iscomplex(gammaln(-0.5)); b = iscomplex(gammaln(-0)); "
                               "c = iscomplex(gammaln(-1.5));\n"),
    }


@pytest.fixture(scope="module")
def constructs_runs(octave, tmp_path_factory):
    return run_snippets(SNIPPETS, "cc", octave, tmp_path_factory, extra=_extra_scripts())


@pytest.fixture(scope="module")
def octave_runs(constructs_runs):
    return constructs_runs[0]


@pytest.fixture(scope="module")
def ports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("constructs_ports")


@pytest.mark.octave
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_construct_snippet_matches_octave(name, constructs_runs, ports_root):
    runs, folder = constructs_runs
    check_snippet(SNIPPETS[name], f"cc_{name}", runs[f"cc_{name}"], folder, ports_root)


@pytest.mark.octave
def test_a_file_with_lone_carriage_returns_translates_and_matches_octave(constructs_runs, ports_root):
    runs, folder = constructs_runs
    assert b"\n" not in (folder / "cc_cr_line_ends.m").read_bytes()
    check_snippet(Snippet(CR_SCRIPT, tol=Tolerance(ulp=0, atol=0.0)), "cc_cr_line_ends", runs["cc_cr_line_ends"],
                  folder, ports_root)
    assert runs["cc_cr_line_ends"].workspace  # x, y and z: the lines were read as lines


@pytest.mark.octave
def test_gammaln_where_octaves_is_complex_is_refused(octave_runs):
    ws = octave_runs["cc_gammaln_complex"].workspace
    assert [float(ws[k].data.reshape(-1)[0]) for k in "abc"] == [1.0, 1.0, 0.0]  # -0.5 and -0 complex, -1.5 real
    for v in (-0.5, -0.0):
        with pytest.raises(MatlabError, match="complex"):
            mr.gammaln(mr.double(v))
    assert np.isfinite(np.asarray(mr.gammaln(mr.double(-1.5))).item())


@pytest.mark.octave
def test_functions_octave_lacks_are_refused_with_that_reason(octave_runs):
    from rnncore.translate import TranslationError, translate_source

    # exist: 2 for a file on the path: rnncore's shims (matlab_ref/compat/, on the batch's path); 0: none
    assert octave_runs["cc_not_in_octave"].workspace["a"].data.tolist() == [2.0, 0.0, 2.0, 2.0]
    with pytest.raises(TranslationError, match="^uses.m:2: iwishrnd is not supported .*Octave 7 has no such"):
        translate_source("x = 1;\ny = iwishrnd(x, 2);\n", "uses.m")
    # gamrnd, randsample, histcounts: rnncore's shims (matlab_ref/compat/) give Octave one, so they translate
    # (tests/translate/test_translate_course_builtins.py compares them)
    for name in ("gamrnd", "randsample", "histcounts"):
        assert f"mr.{name}(" in translate_source(f"x = 1;\ny = {name}(x, 2);\n", "uses.m")


# -- messages and values that need no Octave ------------------------------------------------------------------

def test_assert_raises_the_callers_message_formatted_as_error_does():
    with pytest.raises(MatlabError, match=r"^R\(1\) is 2\.5$"):
        mr.assert_(mr.logical(False), mr.char("R(1) is %g"), mr.double(2.5))
    with pytest.raises(MatlabError, match=r"^assert \(cond\) failed$"):
        mr.assert_(mr.double(0))


def test_chol_of_an_indefinite_matrix_says_so():
    with pytest.raises(MatlabError, match="chol: input matrix must be positive definite"):
        mr.chol(mr.double(IND))
    r, p = mr.chol(mr.double(IND), nargout=2)
    assert np.asarray(p).item() == 3.0 and np.asarray(r).shape == (2, 2)


def test_nthroot_of_a_perfect_power_is_exact():
    # pow(16807, 1/5) is 7 + 8.9e-16 (1/5 is not exact); nthroot.m's Newton step brings it back to 7
    assert 16807.0 ** (1 / 5) != 7.0
    assert np.asarray(mr.nthroot(mr.double(-16807.0), mr.double(5))).item() == -7.0
    assert np.asarray(mr.nthroot(mr.double(1e12), mr.double(6))).item() == 100.0
    assert np.asarray(mr.nthroot(mr.double(2.0 ** 60), mr.double(4))).item() == 2.0 ** 15


def test_issparse_is_refused_with_the_reason():
    from rnncore.translate import TranslationError, translate_source

    with pytest.raises(TranslationError) as info:
        translate_source("x = sparse([1 2], [1 2], 1);\nt = issparse(x);\n", "uses_issparse.m")
    message = str(info.value)
    assert message.startswith("uses_issparse.m:2: ") and "issparse" in message and "full" in message
    assert "\n" not in message


def test_a_sparse_product_meeting_inf_is_the_full_products_value():
    # the documented difference (runtime/sparse.py): Octave's sparse product skips the unstored zero
    # and gives 2 at (2, 1); the port's full product has 0 * Inf there, NaN
    S = mr.sparse(mr.double([[1, 2]]), mr.double([[1, 2]]), mr.double([[1, 2]]))
    P = np.asarray(mr.mtimes(S, mr.double([[np.inf, 1], [1, 1]])))
    assert P[0, 0] == np.inf and np.isnan(P[1, 0]) and P[1, 1] == 2.0


@pytest.mark.octave
def test_genpath_lists_the_folders_as_octave_does(octave, tmp_path_factory):
    # a relative folder: Octave runs in its work folder, the port is told it is the script's folder
    work = tmp_path_factory.mktemp("genpath_work")
    for sub in ("tree/a/b", "tree/a/z", "tree/.h", "tree/@cls", "tree/+pkg", "tree/private", "tree/B",
                "tree/a/private"):
        (work / sub).mkdir(parents=True)
    (work / "tree" / "file.m").write_text("x = 1;\n")
    code = ("a = genpath('tree'); b = genpath('tree/'); c = genpath('tree', 'a'); "
            "d = genpath('tree/no_such_folder'); e = genpath('tree/a', 'b', 'z');\n")
    run = run_batch({"gp_script": code}, work, octave)["gp_script"]
    assert run.error is None, run.error
    folder = tmp_path_factory.mktemp("genpath_m")
    (folder / "gp_script.m").write_text(code)
    port, _ = load_port(folder / "gp_script.m", tmp_path_factory.mktemp("genpath_ports"), "genpath_port")
    with mr.in_folder(work):
        workspace = port()
    assert_same_workspace(run.workspace, workspace, Tolerance(ulp=0, atol=0.0))
    # sorted, dot folders kept, @, + and private skipped: what Octave 7 gives
    assert str(workspace["a"]) == "tree:tree/.h:tree/B:tree/a:tree/a/b:tree/a/z"
