"""What the HTML report reads, named: :class:`ReportInputs` holds one explicit path per input.

The report never walks a folder to find its inputs: the workflow (or a test) says which files to
read, so a renamed case or a moved file is an error in one place instead of an empty section. An
optional input may be None (or name a file that does not exist): its section then says "not
produced by this run". The only files found by rule are the per-row element tables, at
:func:`rnncore.layout.element_table` under :attr:`ReportInputs.root`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rnncore import layout

__all__ = ["ReportInputs"]


def _path(p) -> Path | None:
    return None if p is None else Path(p)


@dataclass(frozen=True)
class ReportInputs:
    """Explicit input files of the report; every field but ``summary`` and ``verdict`` is optional.

    ``references`` maps a case name to its reference file (every case with a ``reference:`` in the
    configuration), which the slides section shows beside both engines' values.
    ``root`` is the working directory of the run: the folder the :mod:`rnncore.layout` paths
    (element tables) start from.
    """

    summary: Path | None
    verdict: Path | None
    divergence: Path | None = None
    provenance: Path | None = None
    references: Mapping[str, Path] = field(default_factory=dict)
    training_summary: Path | None = None
    training_metrics: Path | None = None
    training_pig: Path | None = None
    training_errors: Path | None = None
    vanishing_csv: Path | None = None
    vanishing_png: Path | None = None
    longlag_summary: Path | None = None
    longlag_png: Path | None = None
    root: Path = Path(".")

    def __post_init__(self):
        for name in ("summary", "verdict", "divergence", "provenance", "training_summary", "training_metrics",
                     "training_pig", "training_errors", "vanishing_csv", "vanishing_png", "longlag_summary",
                     "longlag_png"):
            object.__setattr__(self, name, _path(getattr(self, name)))
        object.__setattr__(self, "references", {str(k): Path(v) for k, v in dict(self.references).items()})
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def from_layout(cls, references: Mapping[str, str | Path], root=".", training: bool = True,
                    study: bool = True) -> "ReportInputs":
        """The standard inputs of a run at ``root``: every path from :mod:`rnncore.layout` (relative to
        ``root``); ``training``/``study`` False leaves those inputs None (a configuration without them)."""
        root = Path(root)

        def at(rel: str) -> Path:
            return root / rel

        return cls(
            summary=at(layout.summary()), verdict=at(layout.verdict()), divergence=at(layout.divergence()),
            provenance=at(layout.provenance()),
            references={case: root / Path(p) for case, p in dict(references).items()},
            training_summary=at(layout.training_summary()) if training else None,
            training_metrics=at(layout.training_metrics()) if training else None,
            training_pig=at(layout.training_pig()) if training else None,
            training_errors=at(layout.training_errors()) if training else None,
            vanishing_csv=at(layout.vanishing_csv()) if study else None,
            vanishing_png=at(layout.vanishing_plot()) if study else None,
            longlag_summary=at(layout.longlag_summary()) if study else None,
            longlag_png=at(layout.longlag_plot()) if study else None,
            root=root)

    def element_table(self, case: str, left: str, right: str, variable: str) -> Path:
        return self.root / layout.element_table(case, left, right, variable)
