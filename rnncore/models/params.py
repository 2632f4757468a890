"""The one base class of every model's parameters: named float64 arrays in MATLAB shapes.

As micrograd's ``Module`` serves ``Neuron``, ``Layer`` and ``MLP`` alike, :class:`Params` holds
what every model's parameters share: conversion to float64, the shape check on construction,
``as_dict``/``from_dict``, ``map`` and ``arrays``. A model's class (``ElmanParams`` in
:mod:`rnncore.models.elman`, ``LSTMParams`` in :mod:`rnncore.models.lstm`) declares only its
array names, as dataclass fields in MATLAB order, and its shape rules. The same class holds the
gradients (same names and shapes) and Adam's moments, so :mod:`rnncore.models.optim` works on any
of them through ``map`` and ``arrays``.

Every model here ends in the same output layer ``y = why*h + by`` (:mod:`rnncore.models.output`),
so ``why`` (O, H) and ``by`` (O, 1) are fields of every subclass and ``n_out`` is defined here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Callable, ClassVar, Mapping, TypeVar

import numpy as np

__all__ = ["Params"]

P = TypeVar("P", bound="Params")


@functools.cache
def _field_names(cls) -> tuple[str, ...]:
    # dataclasses.fields() rebuilds its answer on every call; an optimiser step asks for the
    # names of three parameter sets per epoch, so read them once per class.
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays is elementwise, not a bool
class Params:
    """Named float64 arrays, checked on construction. Subclass it as a frozen dataclass.

    A subclass declares its arrays as fields (their order is the order of :meth:`arrays`, of
    positional construction and of every seeded draw that fills them), names in ``MATRICES`` the
    fields that must be 2-D before any shape can be read off them, and returns from
    :meth:`shape_rules` the allowed shapes of the others. A 1-D bias or a transposed ``why`` then
    fails here rather than broadcasting silently into a wrong answer.
    """

    MATRICES: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self):
        for name in self.names():
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.float64))
        if any(getattr(self, m).ndim != 2 for m in self.MATRICES):
            got = " and ".join(str(getattr(self, m).shape) for m in self.MATRICES)
            raise ValueError(f"{' and '.join(self.MATRICES)} must be 2-D, got {got}")
        anchor = self.MATRICES[0]
        for name, shapes in self.shape_rules().items():
            got = getattr(self, name).shape
            if got not in shapes:
                want = " or ".join(str(s) for s in shapes)
                raise ValueError(f"{name} must have shape {want} for {anchor} of shape "
                                 f"{getattr(self, anchor).shape}, got {got}")

    def shape_rules(self) -> dict[str, tuple[tuple[int, ...], ...]]:
        """``{name: allowed shapes}`` for every field not in ``MATRICES`` (read off those)."""
        raise NotImplementedError

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The field names, in declaration (MATLAB) order."""
        return _field_names(cls)

    @property
    def n_out(self) -> int:
        return self.why.shape[0]

    def as_dict(self, prefix: str = "") -> dict[str, np.ndarray]:
        """``{prefix + name: array}`` for every name, e.g. ``prefix="g_"`` for gradients."""
        return {prefix + name: getattr(self, name) for name in self.names()}

    @classmethod
    def from_dict(cls: type[P], d: Mapping[str, np.ndarray], prefix: str = "") -> P:
        """Inverse of :meth:`as_dict`; other keys of ``d`` are ignored."""
        return cls(**{name: d[prefix + name] for name in cls.names()})

    def map(self: P, fn: Callable[..., np.ndarray], *others: P) -> P:
        """``type(self)(fn(self.a, o.a, ...), ...)``: apply ``fn`` name by name."""
        return type(self)(*(fn(getattr(self, n), *(getattr(o, n) for o in others)) for n in self.names()))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """The arrays in :meth:`names` order."""
        return tuple(getattr(self, n) for n in self.names())
