"""The plain-numpy bodies of translated functions (rnncore.translate.specialise): taken where proven,
the same bytes as the general body, and the general body wherever a kind or shape is not as proven."""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from pathlib import Path

import numpy as np
import pytest

from rnncore.course.octave_train import sgd_case_inputs, train_sgd_case
from rnncore.translate.runtime import MatlabError
from rnncore.translate.runtime import plain as mp
from tests.translate.port_loader import load_port

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "matlab_ref" / "train" / "elman_train_script.m"
FUNCTIONS = ("elman_forward", "elman_log_softmax", "elman_loss_grads", "elman_train_sgd")


def _package(tmp_path: Path, name: str):
    fn, translation = load_port(TRAIN, tmp_path, name)
    return fn, translation, {m: importlib.import_module(f"{name}.{m}") for m in FUNCTIONS}


def test_training_script_plain_bodies_give_the_general_bodies_bytes(tmp_path, monkeypatch):
    fn, translation, modules = _package(tmp_path, "plain_train_a")
    for m in FUNCTIONS:
        assert f"def _{m}_plain(" in translation.modules[m], m
    fallbacks = []
    for m, mod in modules.items():  # any exception inside a plain body would send the call to the general one
        orig = getattr(mod, f"_{m}_plain")

        def spy(*a, _orig=orig, _m=m):
            try:
                return _orig(*a)
            except Exception as exc:
                fallbacks.append((_m, repr(exc)))
                raise
        monkeypatch.setattr(mod, f"_{m}_plain", spy)
    cases = [("pig", 3, "full"), ("pig", 3, "diagonal"), ("plural", 5, "full")]
    plain_results = []
    for task, hidden, rec in cases:
        inputs = sgd_case_inputs(task=task, recurrence=rec, epochs=4, lr=0.1, hidden=hidden, seed=0)
        with contextlib.redirect_stdout(io.StringIO()):
            plain_results.append(fn(inputs))
    assert fallbacks == []

    def refuse(*a):
        raise mp.Unproven
    for m, mod in modules.items():  # now the general bodies only
        monkeypatch.setattr(mod, f"_{m}_plain", refuse)
    for (task, hidden, rec), got in zip(cases, plain_results):
        inputs = sgd_case_inputs(task=task, recurrence=rec, epochs=4, lr=0.1, hidden=hidden, seed=0)
        with contextlib.redirect_stdout(io.StringIO()):
            general = fn(inputs)
        assert set(general) == set(got)
        for k in general:
            a, b = np.asarray(general[k]), np.asarray(got[k])
            # the same numpy calls on the same arrays: the same bytes, not merely close
            assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes(), (task, rec, k)
        hand = train_sgd_case(inputs)
        for k, v in hand.items():
            # the hand-written port forms every sum in the same order (both pass the same parity case)
            np.testing.assert_allclose(np.asarray(got[k], dtype=float), np.asarray(v, dtype=float),
                                       rtol=1e-12, atol=1e-15, err_msg=k)


def _function(tmp_path: Path, name: str, files: dict[str, str]):
    folder = tmp_path / name
    folder.mkdir()
    for fname, text in files.items():
        (folder / fname).write_text(text)
    main = next(iter(files))
    return load_port(folder / main, tmp_path / "pkgs", f"plain_{name}")


def test_a_product_outside_the_proven_kinds_is_the_general_bodys(tmp_path):
    f, tr = _function(tmp_path, "prod", {"pmul.m": "function y = pmul(a, b)\ny = a * b + 1;\nend\n"})
    assert "def _pmul_plain(" in tr.modules["pmul"]
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(a, a.T)["y"], a @ a.T + 1)
    np.testing.assert_array_equal(f(np.array([[2.0]]), a)["y"], 2 * a + 1)  # a 1x1 side: element-wise
    np.testing.assert_array_equal(f(a, np.array([[-0.0]]))["y"], a * -0.0 + 1)
    with pytest.raises(MatlabError, match="nonconformant"):
        f(a, a)  # 2x3 * 2x3: Octave's error, from the general body
    got = f(np.array([[True, False]]), np.array([[1.0], [2.0]]))["y"]  # a logical input: not a kind it proved
    np.testing.assert_array_equal(got, [[2.0]])
    # terms of both signs that overflow: the general body refuses it (the BLAS's order decides the
    # value), and the plain body must not answer first with numpy's
    with pytest.raises(MatlabError, match="overflow"):
        f(np.array([[-1.0, 0.0, 3.0]]), np.array([[np.inf], [1.0], [1e308]]))


def test_a_deletion_is_the_general_bodys(tmp_path):
    # x(:, 1) = [] deletes, with its own errors: the plain body once wrote it as an assignment of a
    # 0x0 value, which Octave makes a no-op on an empty region (seed 7 program 6141: Octave's
    # "out of bound 0" for p(:, 1) = [] on a 0x0 p, none in the port)
    f, tr = _function(tmp_path, "del", {"pdel.m": "function y = pdel(p)\n  p(:, 1) = [];\n  y = p;\nend\n"})
    assert "_plain(" not in tr.modules["pdel"]
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(a)["y"], a[:, 1:], strict=True)
    with pytest.raises(MatlabError, match="out of bound 0"):
        f(np.zeros((0, 0)))


def test_copy_on_assign_holds_and_in_place_writes_only_own_arrays(tmp_path):
    src = ("function [h, g, Z] = alias(h0, T)\n"
           "h = h0;\nh(1, 1) = 5;\ng = h0;\n"
           "Z = zeros(2, 2, T);\nfor t = 1:T\n  Z(:, :, t) = h0 + t;\nend\nend\n")
    f, tr = _function(tmp_path, "alias", {"alias.m": src})
    assert "def _alias_plain(" in tr.modules["alias"]
    h0 = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = f(h0, np.array([[3.0]]))
    np.testing.assert_array_equal(h0, [[1.0, 2.0], [3.0, 4.0]])  # the caller's array is untouched
    np.testing.assert_array_equal(out["g"], h0)
    np.testing.assert_array_equal(out["h"], [[5.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(out["Z"][:, :, 2], h0 + 3)
    assert f(h0, np.array([[1.0]]))["Z"].shape == (2, 2)  # MATLAB drops the trailing singleton
    with pytest.raises(MatlabError):
        f(np.ones((3, 3)), np.array([[1.0]]))  # 3x3 into a 2x2 slice: MATLAB's error, not a broadcast


def test_a_function_with_a_side_effect_or_calling_one_has_no_plain_body(tmp_path):
    files = {"outer.m": "function y = outer(x)\ny = inner(x) + 1;\nend\n",
             "inner.m": "function y = inner(x)\nfprintf('%d\\n', 1);\ny = x * 2;\nend\n"}
    _, tr = _function(tmp_path, "effects", files)
    assert "_plain(" not in tr.modules["outer"]  # inner prints: running outer twice would print twice
    assert "_plain(" not in tr.modules["inner"]


def test_a_variable_shadowing_a_name_of_the_plain_body_keeps_the_general_body(tmp_path):
    f, tr = _function(tmp_path, "shadow", {"shadow.m": "function y = shadow(x)\nrange = x + 1;\ny = range * 2;\nend\n"})
    assert "_plain(" not in tr.modules["shadow"]
    np.testing.assert_array_equal(f(np.array([[1.0, 2.0]]))["y"], [[4.0, 6.0]])


EDGES = """function [y, n, A, s, z, v] = edges(x, k)
n = size(x, 3) + size(x, 2);
A = zeros(2, 3);
v = zeros(1, 3);
for t = 1:n
  A(:, t) = x(:, 1, 1) * t;
  v(t) = -t * 0;
end
y = -x(:, :, 1) .* 0 + bsxfun(@rdivide, x(:, :, 1), k);
s = sum(y, 2) + max(y, [], 1) * 0;
z = y;
z(k) = z(k) + 1;
end
"""


@pytest.mark.parametrize("x, k", [
    (np.arange(6.0).reshape(2, 3), np.array([[2.0]])),        # 2-D x: size(x, 3) is 1, A fills columns 1..4: grows
    (np.arange(4.0).reshape(2, 2), np.array([[3.0]])),        # n = 3: A filled in place
    (np.arange(8.0).reshape(2, 2, 2), np.array([[0.0]])),     # 3-D x, division by 0: Inf and NaN, z(0) an error
    (np.arange(4.0).reshape(2, 2), np.array([[1.5]])),        # a fractional index: MATLAB's error
    (np.array([[True, False], [False, True]]), np.array([[1.0]])),  # a logical input: not a proven kind
    (np.arange(4.0).reshape(2, 2), np.array([[2.0, 1.0]])),   # k a row: rdivide by a row, z(k) two elements
])
def test_plain_and_general_bodies_agree_on_edges(tmp_path, monkeypatch, x, k):
    f, tr = _function(tmp_path, f"edges{abs(hash((x.tobytes(), k.tobytes()))) % 10 ** 8}", {"edges.m": EDGES})
    assert "def _edges_plain(" in tr.modules["edges"]
    module = sys.modules[f.__module__]
    if x.shape == (2, 2) and x.dtype == np.float64 and k.tolist() == [[3.0]]:
        module._edges_plain(x, k)  # the proven case runs in the plain body itself, without falling back

    def run():
        try:
            return f(x, k)
        except MatlabError as exc:
            return ("error", str(exc))
    plain = run()

    def refuse(*a):
        raise mp.Unproven
    monkeypatch.setattr(module, "_edges_plain", refuse)
    general = run()
    if isinstance(general, tuple):
        assert plain == general
        return
    assert set(plain) == set(general)
    for name in general:
        a, b = np.asarray(general[name]), np.asarray(plain[name])
        assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes(), name


@pytest.mark.octave
def test_generated_programs_with_plain_bodies_match_octave_with_and_without_them(octave, tmp_path, monkeypatch):
    """The differential fuzzer's programs whose functions get a plain body (about one in ten): each
    matches Octave (or both raise) the same way with the plain bodies as with the general ones."""
    from collections import Counter

    import rnncore.translate.emit as emit
    from rnncore.fuzz.differential import run_programs
    from rnncore.fuzz.generate import programs
    from rnncore.translate import translate_source

    def plain(p) -> bool:
        files = p.files()
        for name, text in files.items():
            try:
                src = translate_source(text, f"{name}.m", functions={k: v for k, v in files.items() if k != name})
            except Exception:  # refused by the translator: both runs refuse it alike
                continue
            if "_plain(" in src:
                return True
        return False
    chosen = [p for p in programs(41, 300, prefix="fpl") if plain(p)]
    assert len(chosen) >= 15  # 145 of the first 1500 of seed 41 have one
    with_plain = run_programs(chosen, workdir=tmp_path / "a", octave_executable=octave)
    monkeypatch.setattr(emit, "plain_body", lambda fn, uf: None)
    general = run_programs(chosen, workdir=tmp_path / "b", octave_executable=octave)
    assert [(o.kind, o.detail) for o in with_plain] == [(o.kind, o.detail) for o in general]
    kinds = Counter(o.kind for o in with_plain)
    # never a mismatch; a refusal (a product that may overflow, refused at run time) is a refusal in both
    assert set(kinds) <= {"match", "both-raise", "refused"} and kinds["match"] >= len(chosen) // 2, kinds


def test_a_file_beside_named_like_a_matlab_function_is_checked_not_assumed_pure(tmp_path):
    files = {"outer2.m": "function y = outer2(x)\ny = helper2(x) + 1;\nend\n",
             "helper2.m": "function y = helper2(x)\ny = max(x, [], 1);\nend\nfunction m = max(x, a, d)\n"
                          "fprintf('%d\\n', 1);\nm = x;\nend\n"}
    _, tr = _function(tmp_path, "shadowed", files)
    assert "_plain(" not in tr.modules["outer2"]  # helper2's max is its own, and prints
