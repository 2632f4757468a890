"""Figures for the reports, drawn with matplotlib's Agg backend so that reruns give the same bytes.

Reproducibility: every style setting the figures depend on is set here explicitly (a
:func:`matplotlib.rc_context` around each figure, so the caller's ``rcParams`` and any
``matplotlibrc`` on the machine change nothing): the font family (DejaVu Sans, which matplotlib
ships, so no system font is looked up), sizes, 100 dpi, line widths, colours, ``svg.hashsalt``
(SVG ids are otherwise random), ``path.simplify``. Files are saved with the metadata that would
carry a version or a time stamp switched off (PNG ``Software``; SVG and PDF ``Date`` and
``Creator``), through a temporary file and a rename (a reader sees a whole file or none). The
bytes can still change with the matplotlib or FreeType version (glyph rendering); within one
environment the same data give the same file.

Functions: :func:`plot_vanishing` and :func:`plot_accuracy_vs_lag` draw the rows of
:mod:`rnncore.studies.vanishing` and :mod:`rnncore.studies.longlag`; :func:`plot_loss_curves` and
:func:`plot_heatmap` are generic. Each writes ``path`` (the format from its suffix: ``.png``,
``.svg`` or ``.pdf``) and returns it as a :class:`~pathlib.Path`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, the same rasteriser everywhere

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "MODEL_COLORS",
    "STYLE",
    "heatmap_figure",
    "plot_accuracy_vs_lag",
    "plot_heatmap",
    "plot_loss_curves",
    "plot_vanishing",
    "save_figure",
]

STYLE = {
    "backend": "Agg",
    "font.family": ["DejaVu Sans"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 8.0,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.4, 4.2),
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.bbox": "standard",
    "savefig.pad_inches": 0.1,
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.6,
    "lines.markersize": 4.0,
    "axes.prop_cycle": matplotlib.cycler(color=["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]),
    "image.cmap": "viridis",
    "path.simplify": True,
    "path.simplify_threshold": 0.111111111111,
    "agg.path.chunksize": 0,
    "svg.hashsalt": "rnncore",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "text.usetex": False,
    "text.hinting": "force_autohint",
    "text.antialiased": True,
    "axes.formatter.use_mathtext": False,
    "axes.unicode_minus": True,
}

MODEL_COLORS = {"diagonal": "#1f77b4", "full": "#ff7f0e", "lstm": "#2ca02c"}
MODEL_LABELS = {"diagonal": "RNN (diagonal whh)", "full": "RNN (full whh)", "lstm": "LSTM"}


def _metadata(suffix: str) -> dict:
    if suffix == ".png":
        return {"Software": None}
    if suffix == ".svg":
        return {"Date": None, "Creator": None}
    if suffix == ".pdf":
        return {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    raise ValueError(f"unsupported figure format {suffix!r} (use .png, .svg or .pdf)")


def save_figure(fig, path) -> Path:
    """Save ``fig`` to ``path`` without time stamps or versions, atomically; close it; return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    metadata = _metadata(suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, format=suffix[1:], metadata=metadata)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        plt.close(fig)
    return path


def _label(model: str) -> str:
    return MODEL_LABELS.get(model, model)


def _color(model: str, i: int) -> str:
    cycle = STYLE["axes.prop_cycle"].by_key()["color"]
    return MODEL_COLORS.get(model, cycle[i % len(cycle)])


def plot_vanishing(rows: Iterable[Mapping], path, title: str | None = None) -> Path:
    """||dLoss/dh_t|| against the distance T - 1 - t, log scale: one line per model and stage.

    ``rows`` are :func:`rnncore.studies.vanishing.study` rows (``model``, ``stage``, ``distance``,
    ``grad_norm``; ``lag``/``seed`` for the default title). Solid lines are the trained models,
    dashed the initial weights; zero norms (an exact underflow) are left out of the log plot.
    """
    rows = list(rows)
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for r in rows:
        series.setdefault((str(r["model"]), str(r["stage"])), []).append((int(r["distance"]), float(r["grad_norm"])))
    models = list(dict.fromkeys(m for m, _ in series))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots()
        for (model, stage), pts in series.items():
            pts.sort()
            d = np.array([p[0] for p in pts])
            g = np.array([p[1] for p in pts])
            keep = g > 0
            ax.plot(d[keep], g[keep], color=_color(model, models.index(model)),
                    linestyle="-" if stage == "trained" else "--",
                    label=f"{_label(model)}, {stage}")
        ax.set_yscale("log")
        ax.set_xlabel("distance from the loss, T - t (steps)")
        ax.set_ylabel("||dLoss / dh_t||")
        if title is None and rows and "lag" in rows[0]:
            title = f"Gradient reaching h_t, remember-the-first-symbol task, L = {rows[0]['lag']}"
        ax.set_title(title or "Gradient reaching h_t")
        ax.legend(loc="best")
        fig.tight_layout()
        return save_figure(fig, path)


def plot_accuracy_vs_lag(summary_rows: Iterable[Mapping], path, title: str | None = None) -> Path:
    """Evaluation accuracy against the lag L: mean over seeds as a line, min..max as a band, per model.

    ``summary_rows`` are :func:`rnncore.studies.longlag.lag_summary_rows` (``model``, ``lag``,
    ``mean_accuracy``, ``min_accuracy``, ``max_accuracy``). The x axis is logarithmic (lags 5..100
    and beyond spread evenly); the chance level is not drawn (it depends on the task's K, which the
    rows do not carry).
    """
    by_model: dict[str, list[tuple[int, float, float, float]]] = {}
    for r in summary_rows:
        by_model.setdefault(str(r["model"]), []).append(
            (int(r["lag"]), float(r["mean_accuracy"]), float(r["min_accuracy"]), float(r["max_accuracy"])))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots()
        lags_all: set[int] = set()
        for i, (model, pts) in enumerate(by_model.items()):
            pts.sort()
            lag = np.array([p[0] for p in pts])
            mean, lo, hi = (np.array([p[k] for p in pts]) for k in (1, 2, 3))
            color = _color(model, i)
            ax.fill_between(lag, lo, hi, color=color, alpha=0.2, linewidth=0)
            ax.plot(lag, mean, color=color, marker="o", label=f"{_label(model)} (mean, min-max over seeds)")
            lags_all.update(lag.tolist())
        if lags_all:
            ax.set_xscale("log")
            ticks = sorted(lags_all)
            ax.set_xticks(ticks)
            ax.set_xticklabels([str(t) for t in ticks])
            ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("lag L (distractor steps between the symbol and the query)")
        ax.set_ylabel("evaluation accuracy")
        ax.set_title(title or "Remembering the first symbol across L steps")
        ax.legend(loc="lower left")
        fig.tight_layout()
        return save_figure(fig, path)


def plot_loss_curves(curves: Mapping[str, np.ndarray], path, title: str = "Training loss",
                     xlabel: str = "step", ylabel: str = "loss", logy: bool = False) -> Path:
    """One line per entry of ``curves`` (label -> 1-D values), x = 1..n (MATLAB's 1-based steps)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots()
        for label, values in curves.items():
            y = np.asarray(values, dtype=np.float64).ravel()
            ax.plot(np.arange(1, y.size + 1), y, label=str(label))
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        if curves:
            ax.legend(loc="best")
        fig.tight_layout()
        return save_figure(fig, path)


def plot_heatmap(matrix, path, title: str = "", xlabel: str = "column", ylabel: str = "row",
                 cmap: str = "viridis", colorbar_label: str | None = None, annotate: bool | None = None) -> Path:
    """``matrix`` (2-D) as an image with MATLAB's 1-based tick labels: rows 1..m down, columns 1..n across.

    Cell values are written in the cells when ``annotate`` is True (default: when the matrix has
    at most 12 x 12 cells), with 3 significant digits. A 1-D array is drawn as a column (MATLAB's
    vector orientation). At most about 20 ticks per axis are labelled (every k-th row or column).
    """
    with plt.rc_context(STYLE):
        return save_figure(heatmap_figure(matrix, title, xlabel, ylabel, cmap, colorbar_label, annotate), path)


def heatmap_figure(matrix, title: str = "", xlabel: str = "column", ylabel: str = "row", cmap: str = "viridis",
                   colorbar_label: str | None = None, annotate: bool | None = None):
    """The figure of :func:`plot_heatmap`, unsaved (call inside ``plt.rc_context(STYLE)``)."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim == 1:
        m = m[:, None]  # a MATLAB column vector
    if m.ndim != 2 or m.size == 0:
        raise ValueError(f"plot_heatmap needs a non-empty 2-D matrix, got shape {m.shape}")
    nrow, ncol = m.shape
    if annotate is None:
        annotate = nrow <= 12 and ncol <= 12
    fig, ax = plt.subplots()
    ax.grid(False)
    finite = m[np.isfinite(m)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    im = ax.imshow(m, cmap=cmap, aspect="auto", interpolation="nearest", vmin=vmin, vmax=vmax)
    step_r = max(1, int(np.ceil(nrow / 20)))
    step_c = max(1, int(np.ceil(ncol / 20)))
    rticks = np.arange(0, nrow, step_r)
    cticks = np.arange(0, ncol, step_c)
    ax.set_yticks(rticks)
    ax.set_yticklabels([str(i + 1) for i in rticks])
    ax.set_xticks(cticks)
    ax.set_xticklabels([str(j + 1) for j in cticks])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    cb = fig.colorbar(im, ax=ax)
    if colorbar_label:
        cb.set_label(colorbar_label)
    if annotate:
        mid = (vmin + vmax) / 2.0
        for i in range(nrow):
            for j in range(ncol):
                v = m[i, j]
                ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7,
                        color="black" if (np.isfinite(v) and v > mid) else "white")
    fig.tight_layout()
    return fig
