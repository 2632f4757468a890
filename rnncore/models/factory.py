"""The list of models, defined once, with their initialisation and the dispatch on a parameters type.

=========  ==========================  =================================================
model      parameters                  network
=========  ==========================  =================================================
diagonal   ``ElmanParams``, whh (H, 1)  the course's Elman RNN, ``whh.*h`` (:mod:`.elman`)
full       ``ElmanParams``, whh (H, H)  the general Elman RNN, ``whh*h`` (:mod:`.elman`)
lstm       ``LSTMParams``               the LSTM, gates i, f, g, o (:mod:`.lstm`)
=========  ==========================  =================================================

:data:`REGISTRY` is that table, the one list of models: studies, the benchmark, the configuration's
schema (checked against it by a test), the reports' labels and colours and the Elman module's
recurrences all read it. Studies and the benchmark name a model by one of :data:`MODELS`, draw its
first weights with :func:`init_params`, and train it through :func:`loss_and_grads` /
:func:`predict`, which pick the model's module from the type of the parameters they are given. A
new model is one row of :data:`REGISTRY`.

A model's module is imported by name, when a model of it is asked for (:func:`module`), never by an
import statement here: a job that trains the LSTM runs ``lstm.py`` and not ``elman.py``, and the
workflow, which finds each job's sources by reading import statements, adds the module of the
job's model from :data:`MODULES` (so editing ``lstm.py`` reruns the LSTM's jobs only).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import numpy as np

from rnncore.models.output import nll_loss
from rnncore.models.params import Params

__all__ = [
    "Model",
    "REGISTRY",
    "MODELS",
    "MODULES",
    "module",
    "check_model",
    "check_params",
    "init_params",
    "module_of",
    "forward",
    "nll_loss",
    "loss_and_grads",
    "predict",
    "hidden_grad_norms",
]

@dataclass(frozen=True)
class Model:
    """One model: the module that runs it, and how reports name and draw it."""

    module: str
    label: str  # in figure legends and report tables
    color: str  # its line in every figure
    recurrence: str | None = None  # an Elman model's form of whh (``elman.init_params(recurrence=...)``)


REGISTRY = {
    "diagonal": Model("rnncore.models.elman", "RNN (diagonal whh)", "#1f77b4", recurrence="diagonal"),
    "full": Model("rnncore.models.elman", "RNN (full whh)", "#ff7f0e", recurrence="full"),
    "lstm": Model("rnncore.models.lstm", "LSTM", "#2ca02c"),
}
MODELS = tuple(REGISTRY)
MODULES = {name: m.module for name, m in REGISTRY.items()}


def module(model: str):
    """The module of ``model`` (:mod:`rnncore.models.elman` or :mod:`rnncore.models.lstm`), imported now."""
    return importlib.import_module(MODULES[check_model(model)])


def check_model(model: str) -> str:
    """``model`` itself if it is one of :data:`MODELS`, else ValueError naming them."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    return model


def check_params(model: str, params: Params) -> Params:
    """``params`` itself if it is ``model``'s parameters, else TypeError.

    An Elman network with H = 1 is both diagonal and full (its (1, 1) ``whh`` is both forms).
    """
    mod = module(model)
    if model == "lstm":
        if not isinstance(params, mod.LSTMParams):
            raise TypeError("model 'lstm' needs LSTMParams")
    elif not isinstance(params, mod.ElmanParams) or (
            params.diagonal != (model == "diagonal") and params.n_hidden != 1):
        raise TypeError(f"model {model!r} needs ElmanParams with a {model} whh")
    return params


def init_params(model: str, rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int, *,
                scale: float = 0.1, forget_bias: float = 1.0) -> Params:
    """First weights of ``model``, every matrix from normal(0, scale**2), drawn from ``rng``.

    * diagonal / full: :func:`rnncore.models.elman.init_params` (draws whx, whh, bias, why, by in
      that order), then both biases set to zeros: a conventional start. The bias draws still
      happen, so the generator ends where it always did.
    * lstm: :func:`rnncore.models.lstm.init_params` (draws W, R, why; ``b`` is zeros but its
      forget-gate block, ``forget_bias``; ``by`` zeros).

    ``forget_bias`` applies to the LSTM only.
    """
    mod = module(model)
    if model == "lstm":
        return mod.init_params(rng, n_in, n_hidden, n_out, forget_bias=forget_bias, scale=scale)
    p = mod.init_params(rng, n_in, n_hidden, n_out, recurrence=REGISTRY[model].recurrence, scale=scale)
    return mod.ElmanParams(whx=p.whx, whh=p.whh, bias=np.zeros_like(p.bias), why=p.why, by=np.zeros_like(p.by))


def module_of(params: Params):
    """The module (:mod:`rnncore.models.elman` or :mod:`rnncore.models.lstm`) that runs ``params``:
    the one that defines its type."""
    name = type(params).__module__
    if name not in set(MODULES.values()):
        raise TypeError(f"no model takes parameters of type {type(params).__name__}")
    return sys.modules[name]


def forward(params: Params, x):
    """The model's forward pass (its cache) over ``x`` (I, B, T) from zero states."""
    return module_of(params).forward(params, x)


def loss_and_grads(params: Params, x, targets, mask, reuse=None):
    """``(loss, grads, cache)`` of the model ``params`` belongs to, from zero states.

    ``reuse``: the previous call's cache, taken over (its arrays are overwritten): see
    :func:`rnncore.models.elman.forward`.
    """
    return module_of(params).loss_and_grads(params, x, targets, mask, reuse=reuse)


def predict(params: Params, x) -> np.ndarray:
    """Softmax probabilities (O, B, T) of the model ``params`` belongs to, from zero states."""
    return module_of(params).predict(params, x)


def hidden_grad_norms(params: Params, x, targets, mask) -> np.ndarray:
    """(T,) ||d loss / d h_t|| of the model ``params`` belongs to (see ``elman.hidden_grad_norms``)."""
    return module_of(params).hidden_grad_norms(params, x, targets, mask)
