"""The model list, its initialisation and dispatch (rnncore.models.factory), the Params base class,
and the wing's boundary: rnncore.models imports nothing of Octave, the course or the studies."""

import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest

from rnncore.models import elman, factory, lstm
from rnncore.models.optim import sgd_step
from rnncore.models.params import Params


def test_models_are_listed_once_in_order():
    assert factory.MODELS == ("diagonal", "full", "lstm")
    from rnncore.studies import longlag, training, vanishing

    assert training.MODELS is longlag.MODELS is vanishing.MODELS is factory.MODELS


@pytest.mark.parametrize("model", ["diagonal", "full"])
def test_elman_init_keeps_the_draw_order_and_zeroes_the_biases(model):
    """The same draws as elman.init_params (whx, whh, bias, why, by), biases then set to 0."""
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    p = factory.init_params(model, a, 7, 4, 6, scale=0.2)
    q = elman.init_params(b, 7, 4, 6, recurrence=model, scale=0.2)
    for name in ("whx", "whh", "why"):
        np.testing.assert_array_equal(getattr(p, name), getattr(q, name), strict=True)
    np.testing.assert_array_equal(p.bias, np.zeros((4, 1)), strict=True)
    np.testing.assert_array_equal(p.by, np.zeros((6, 1)), strict=True)
    assert p.whh.shape == ((4, 1) if model == "diagonal" else (4, 4))
    assert a.random() == b.random(), "the generator must end where elman.init_params leaves it"


def test_lstm_init_is_lstm_init_params():
    a, b = np.random.default_rng(8), np.random.default_rng(8)
    p = factory.init_params("lstm", a, 7, 4, 6, scale=0.2, forget_bias=2.5)
    q = lstm.init_params(b, 7, 4, 6, forget_bias=2.5, scale=0.2)
    for x, y in zip(p.arrays(), q.arrays()):
        np.testing.assert_array_equal(x, y, strict=True)
    assert a.random() == b.random()


def test_unknown_model_is_a_value_error_naming_the_models():
    with pytest.raises(ValueError, match=r"model must be one of \('diagonal', 'full', 'lstm'\), got 'gru'"):
        factory.init_params("gru", np.random.default_rng(0), 3, 2, 3)


def test_dispatch_on_the_parameters_type():
    rng = np.random.default_rng(1)
    x = elman.one_hot(rng.integers(0, 3, (2, 4)), 3)
    targets, mask = rng.integers(0, 3, (2, 4)), np.ones((2, 4))
    for model, module in (("full", elman), ("lstm", lstm)):
        p = factory.init_params(model, np.random.default_rng(2), 3, 4, 3)
        assert factory.module_of(p) is module
        loss, grads, _ = factory.loss_and_grads(p, x, targets, mask)
        ref_loss, ref_grads, _ = module.loss_and_grads(p, x, targets, mask)
        assert loss == ref_loss
        for a, b in zip(grads.arrays(), ref_grads.arrays()):
            np.testing.assert_array_equal(a, b, strict=True)
        np.testing.assert_array_equal(factory.predict(p, x), module.predict(p, x), strict=True)
        np.testing.assert_array_equal(factory.hidden_grad_norms(p, x, targets, mask),
                                      module.hidden_grad_norms(p, x, targets, mask), strict=True)
    with pytest.raises(TypeError, match="no model takes parameters of type dict"):
        factory.module_of({})


def test_check_params_matches_model_and_type():
    diag = factory.init_params("diagonal", np.random.default_rng(0), 3, 4, 3)
    full = factory.init_params("full", np.random.default_rng(0), 3, 4, 3)
    one = factory.init_params("full", np.random.default_rng(0), 3, 1, 3)
    lst = factory.init_params("lstm", np.random.default_rng(0), 3, 4, 3)
    assert factory.check_params("diagonal", diag) is diag
    assert factory.check_params("diagonal", one) is one  # H = 1: both forms
    for model, p in (("diagonal", full), ("full", diag), ("lstm", full), ("full", lst)):
        with pytest.raises(TypeError):
            factory.check_params(model, p)


@dataclass(frozen=True, eq=False)
class _Affine(Params):
    """A model's parameters as a subclass declares them: names (fields) and shape rules only."""

    w: np.ndarray  # (O, I)
    why: np.ndarray  # (O, O)
    by: np.ndarray  # (O, 1)

    MATRICES = ("w", "why")

    def shape_rules(self):
        O = self.w.shape[0]
        return {"why": ((O, O),), "by": ((O, 1),)}


def test_params_base_gives_every_subclass_the_shared_behaviour():
    p = _Affine(w=[[1, 2]], why=[[3]], by=[[4]])
    assert _Affine.names() == ("w", "why", "by") and p.n_out == 1
    assert all(a.dtype == np.float64 for a in p.arrays())  # ints converted on construction
    q = _Affine.from_dict(p.as_dict("g_"), prefix="g_")
    assert type(q) is _Affine
    r = sgd_step(p, p, 0.5)  # the optimisers are typed on the base
    assert type(r) is _Affine
    np.testing.assert_array_equal(r.w, np.array([[0.5, 1.0]]), strict=True)
    with pytest.raises(ValueError, match=r"by must have shape \(1, 1\) for w of shape \(1, 2\), got \(1,\)"):
        _Affine(w=[[1, 2]], why=[[3]], by=[4])
    with pytest.raises(ValueError, match="w and why must be 2-D"):
        _Affine(w=[1, 2], why=[[3]], by=[[4]])


def test_the_models_wing_imports_nothing_of_octave_course_or_studies():
    code = ("import sys, rnncore.models.factory, rnncore.models.optim, rnncore.models.recurrent; "
            "print(sorted(m for m in sys.modules if m.startswith('rnncore.') and not m.startswith('rnncore.models')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"rnncore.models pulled in {out.strip()}"


def test_every_list_of_models_is_the_registry():
    # One list of models: the study's tuned rates, the reports' labels and colours, the Elman recurrences.
    from rnncore.models import elman
    from rnncore.models.factory import MODELS, REGISTRY
    from rnncore.reports import figures
    from rnncore.studies import longlag

    assert MODELS == ("diagonal", "full", "lstm")
    assert set(longlag.DEFAULT_HYPER) == set(MODELS)
    assert list(figures.MODEL_LABELS) == list(figures.MODEL_COLORS) == list(MODELS)
    assert elman.RECURRENCES == ("diagonal", "full")
    assert all(REGISTRY[r].module == "rnncore.models.elman" for r in elman.RECURRENCES)
    with pytest.raises(ValueError, match="recurrence must be 'diagonal' or 'full', got 'dense'"):
        elman.check_recurrence("dense")
