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

This is the one figure style of the project: the workflow's study plots and every figure of the
HTML report are drawn here, under :data:`STYLE`.

Functions: :func:`plot_vanishing` and :func:`plot_accuracy_vs_lag` draw the rows of
:mod:`rnncore.studies.vanishing` and :mod:`rnncore.studies.longlag`; :func:`plot_loss_curves` and
:func:`plot_heatmap` are generic. Each writes ``path`` (the format from its suffix: ``.png``,
``.svg`` or ``.pdf``) and returns it as a :class:`~pathlib.Path`. The report's figures are
returned as PNG bytes (:func:`png_bytes`) to be embedded: :func:`distance_map_png` (per-element
distance to the tolerance of one comparison) and :func:`loss_parity_png` (two loss curves and
their per-epoch difference).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, the same rasteriser everywhere

import matplotlib.pyplot as plt
import numpy as np

from rnncore.models.factory import REGISTRY

__all__ = [
    "MAP_CATEGORIES",
    "MODEL_COLORS",
    "STYLE",
    "distance_map_png",
    "heatmap_figure",
    "loss_parity_png",
    "png_bytes",
    "plot_accuracy_vs_lag",
    "plot_heatmap",
    "plot_loss_curves",
    "plot_vanishing",
    "save_figure",
    "element_categories",
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

MODEL_COLORS = {name: m.color for name, m in REGISTRY.items()}
MODEL_LABELS = {name: m.label for name, m in REGISTRY.items()}


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


# --------------------------------------------------------------------------- the report's figures


def png_bytes(fig) -> bytes:
    """``fig`` as PNG bytes without the ``Software`` stamp (to embed in a page); closes it."""
    import io

    buf = io.BytesIO()
    try:
        with plt.rc_context(STYLE):
            fig.savefig(buf, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    return buf.getvalue()


# An element's category in a distance map, by how much of its tolerance it uses: the share of the
# bound that holds best (an element passes when either bound holds). "abs-only" passes by the
# absolute bound although its ULP count is above the ULP bound: near zero, after cancellation, many
# ULP are a tiny error. Colour plus a mark (hatching, a cross), so no category rests on colour alone.
MAP_CATEGORIES = [
    # (key, label, colour)
    ("exact", "equal", "#f2f2f2"),
    ("le1", "≤ 1% of tolerance", "#c6dbef"),
    ("le10", "≤ 10%", "#6baed6"),
    ("le50", "≤ 50%", "#2171b5"),
    ("le100", "≤ 100%", "#08306b"),
    ("fail", "FAILS (✗)", "#d62728"),
    ("nodist", "no distance (NaN/Inf)", "#bdbdbd"),
]
_CAT_INDEX = {key: i for i, (key, _, _) in enumerate(MAP_CATEGORIES)}
_ABS_ONLY_COLOR = "#ff9f1c"


def element_categories(ulp, abs_err, fails, tol_ulp: int, tol_atol: float) -> tuple[np.ndarray, np.ndarray]:
    """(category index per element into :data:`MAP_CATEGORIES`, mask of passes by the absolute bound only).

    ``fails`` is the element table's verdict (the engine's decision, never recomputed here); the
    shares only shade the passing elements.
    """
    ulp = np.asarray(ulp, dtype=np.float64)
    abs_err = np.asarray(abs_err, dtype=np.float64)
    fails = np.asarray(fails, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_ulp = ulp / tol_ulp if tol_ulp > 0 else np.full(ulp.shape, np.inf)
        share_abs = abs_err / tol_atol if tol_atol > 0 else np.full(ulp.shape, np.inf)
    share_ulp = np.where(np.isnan(share_ulp), np.inf, share_ulp)
    share_abs = np.where(np.isnan(share_abs), np.inf, share_abs)
    share = np.minimum(share_ulp, share_abs)
    cat = np.full(ulp.shape, _CAT_INDEX["le100"], dtype=int)
    cat[share <= 0.5] = _CAT_INDEX["le50"]
    cat[share <= 0.1] = _CAT_INDEX["le10"]
    cat[share <= 0.01] = _CAT_INDEX["le1"]
    cat[(abs_err == 0) | (share == 0)] = _CAT_INDEX["exact"]
    cat[~np.isfinite(abs_err) & ~fails] = _CAT_INDEX["nodist"]
    cat[fails] = _CAT_INDEX["fail"]
    abs_only = (~fails) & (tol_ulp > 0) & np.isfinite(ulp) & (ulp > tol_ulp)
    return cat, abs_only


def _cell_text(ulp: float, abs_err: float, ulp_mode: bool) -> str:
    if ulp_mode and math.isfinite(ulp):
        v = int(ulp)
        return str(v) if v < 10000 else f"{v:.0e}".replace("e+0", "e").replace("e+", "e")
    if math.isfinite(abs_err):
        return "0" if abs_err == 0 else f"{abs_err:.0e}".replace("e-0", "e-")
    return "—"


def distance_map_png(ulp, abs_err, fails, tol_ulp: int, tol_atol: float, title: str, row0: int = 1,
                     col0: int = 1, annotate_max: int = 48) -> bytes:
    """A comparison's per-element distance map, MATLAB orientation, 1-based axes from (row0, col0).

    Each cell is coloured by how much of its tolerance the element uses (:data:`MAP_CATEGORIES`):
    shades of blue pass, red with a cross fails, grey has no distance; an element that passes only
    by the absolute bound (ULP above the ULP bound) is hatched orange instead of looking like a
    failure. Small maps carry their numbers: ULP counts, or the absolute error where the tolerance
    is an absolute bound only (``tol_ulp`` 0, e.g. against printed values). The layout is fixed in
    inches, so maps of one shape have one size.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    ulp = np.atleast_2d(np.asarray(ulp, dtype=np.float64))
    abs_err = np.atleast_2d(np.asarray(abs_err, dtype=np.float64))
    fails = np.atleast_2d(np.asarray(fails, dtype=bool))
    cat, abs_only = element_categories(ulp, abs_err, fails, tol_ulp, tol_atol)
    rows, cols = cat.shape
    annotate = rows * cols <= annotate_max
    ulp_mode = tol_ulp > 0
    with plt.rc_context(STYLE):
        cell_w = (0.42 if ulp_mode else 0.55) if annotate else 0.13
        plot_w = min(6.5, max(1.2, cols * cell_w))
        plot_h = min(4.5, max(0.8, rows * (0.28 if annotate else 0.09)))
        left, right, bottom, top = 0.55, 2.05, 0.5, 0.32
        fig_w, fig_h = left + plot_w + right, bottom + max(plot_h, 1.3) + top
        fig = Figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((left / fig_w, (fig_h - top - plot_h) / fig_h, plot_w / fig_w, plot_h / fig_h))
        ax.grid(False)
        cmap = ListedColormap([c for _, _, c in MAP_CATEGORIES])
        norm = BoundaryNorm(np.arange(len(MAP_CATEGORIES) + 1) - 0.5, cmap.N)
        extent = (col0 - 0.5, col0 + cols - 0.5, row0 + rows - 0.5, row0 - 0.5)
        ax.imshow(cat, cmap=cmap, norm=norm, interpolation="nearest", aspect="auto", extent=extent)
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_xlabel("column", fontsize=8)
        ax.set_ylabel("row", fontsize=8)
        ax.tick_params(labelsize=7)
        step_c = max(1, math.ceil(cols / max(2.0, plot_w / 0.35)))
        step_r = max(1, math.ceil(rows / max(2.0, plot_h / 0.22)))
        ax.set_xticks(list(range(col0, col0 + cols, step_c)))
        ax.set_yticks(list(range(row0, row0 + rows, step_r)))
        for i, j in zip(*np.nonzero(abs_only)):
            ax.add_patch(Rectangle((col0 + j - 0.5, row0 + i - 0.5), 1, 1, fill=False, hatch="////",
                                   edgecolor=_ABS_ONLY_COLOR, linewidth=0))
        fail_i, fail_j = np.nonzero(fails)
        if annotate:
            dark = {_CAT_INDEX["le50"], _CAT_INDEX["le100"], _CAT_INDEX["fail"]}
            for i in range(rows):
                for j in range(cols):
                    text = _cell_text(ulp[i, j], abs_err[i, j], ulp_mode)
                    if fails[i, j]:
                        text = "✗ " + text
                    ax.text(col0 + j, row0 + i, text, ha="center", va="center", fontsize=6.5,
                            color="white" if cat[i, j] in dark else "black")
        elif fail_i.size:
            ax.plot(col0 + fail_j, row0 + fail_i, linestyle="none", marker="x", color="black", markersize=4)
        handles = [Patch(facecolor=c, edgecolor="#666666", linewidth=0.5, label=lab) for k, lab, c in MAP_CATEGORIES
                   if k != "nodist" or bool((cat == _CAT_INDEX["nodist"]).any())]
        if ulp_mode:
            handles.insert(5, Patch(facecolor="white", edgecolor=_ABS_ONLY_COLOR, hatch="////", linewidth=0.5,
                                    label=f"passes by abs bound\n(> {tol_ulp} ULP)"))
        what = f"cells: ULP (tol {tol_ulp} ULP or {tol_atol:.2g})" if ulp_mode else f"cells: |error| (tol {tol_atol:.2g})"
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=((left + plot_w + 0.1) / fig_w, 1 - top / fig_h),
                   fontsize=7, frameon=False, title=what if annotate else "share of tolerance used",
                   title_fontsize=7, alignment="left", handlelength=1.4, handleheight=1.1)
        return png_bytes(fig)


def loss_parity_png(epochs, octave, python, fails, tol_atol: float, title: str) -> bytes:
    """Octave's and Python's loss per epoch (top) and Python - Octave per epoch (bottom).

    The curves coincide to the eye, so the lower panel shows what the upper cannot: the signed
    difference, with the absolute bound shaded and failing epochs crossed in red.
    """
    from matplotlib.figure import Figure

    epochs = np.asarray(epochs, dtype=np.float64)
    octave = np.asarray(octave, dtype=np.float64)
    python = np.asarray(python, dtype=np.float64)
    fails = np.asarray(fails, dtype=bool)
    diff = python - octave
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(5.6, 3.9))
        ax1 = fig.add_subplot(2, 1, 1)
        ax2 = fig.add_subplot(2, 1, 2, sharex=ax1)
        ax1.plot(epochs, octave, color="#1f77b4", linewidth=3.2, alpha=0.45, label="Octave")
        ax1.plot(epochs, python, color="#d62728", linewidth=1.1, linestyle=(0, (4, 2)), label="Python")
        ax1.set_ylabel("loss")
        ax1.set_title(title, fontsize=10)
        ax1.legend(loc="upper right")
        ax1.tick_params(labelbottom=False)
        if tol_atol > 0 and math.isfinite(tol_atol):
            ax2.axhspan(-tol_atol, tol_atol, color="#2ca02c", alpha=0.15, linewidth=0,
                        label=f"within the absolute bound ±{tol_atol:.2g}")
        ax2.axhline(0.0, color="#555555", linewidth=0.6)
        ax2.plot(epochs, diff, color="#333333", marker="o", markersize=2.5, linewidth=0.8, label="Python − Octave")
        if fails.any():
            ax2.plot(epochs[fails], diff[fails], linestyle="none", marker="x", color="#d62728", markersize=7,
                     markeredgewidth=1.6, label="epoch beyond tolerance")
        finite = diff[np.isfinite(diff)]
        largest = float(np.abs(finite).max()) if finite.size else 0.0
        if largest > 0:
            # Scale to the differences, not to the bound: a bound 100x wider would flatten them to a line.
            ax2.set_ylim(-1.3 * largest, 1.3 * largest)
        elif tol_atol > 0 and math.isfinite(tol_atol):
            ax2.set_ylim(-1.3 * tol_atol, 1.3 * tol_atol)
        if finite.size and not finite.any():
            ax2.text(0.5, 0.75, "identical at every epoch", transform=ax2.transAxes, ha="center", fontsize=8)
        ax2.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
        ax2.set_ylabel("Python − Octave")
        ax2.set_xlabel("epoch")
        ax2.legend(loc="lower left", fontsize=7)
        fig.tight_layout()
        return png_bytes(fig)
