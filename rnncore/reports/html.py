"""One self-contained HTML page of what ``snakemake all`` measured: ``results/report/index.html``.

:func:`build_html` reads the CSVs under ``results/`` (and the slides' reference values) and writes a
single file a person can open anywhere, offline, or attach to a CI run:

* inline CSS, every figure a PNG embedded as a base64 ``data:`` URI, no script, no external URL;
* the same bytes for the same inputs: no timestamps, no absolute paths, figures drawn by matplotlib's
  Agg renderer with fixed settings and saved without the ``Software`` stamp, tables in a fixed order
  (the run's machine and versions are shown as data, from ``parity/provenance.json``);
* every text from a file escaped (:func:`html.escape`); every ``img`` has an ``alt`` text and every
  table a ``caption``; a failing row is marked by its words (``FAIL``) and not by colour alone.

Sections (each drawn only when its input exists; otherwise a "not produced by this run" note):

1. parity summary (``parity/summary.csv``), failing rows first;
2. per compared variable, a heatmap of the per-element ULP distance in MATLAB orientation with
   1-based axes (``parity/<case>/elements/<left>-vs-<right>/<variable>.csv``); a matrix larger than
   :data:`MAX_ROWS` x :data:`MAX_COLS` is shown as a window around its worst element;
3. the slides' printed ``softmax_y_out`` beside Octave's and Python's, and the PIG prediction before
   and after training (``training/pig.csv``);
4. per training-parity case (``train_*``), the loss curves of Octave and Python overlaid and the
   per-epoch error between them (``losses`` element table; ``parity/training_divergence.csv``);
5. the vanishing-gradient and long-lag studies (``study/*.png``, ``study/*.csv``);
6. plural task: held-out accuracy per model over seeds and the held-out stems models get wrong;
7. provenance: versions, BLAS, SHA-256 of sources, shims used.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import math
import struct
import tempfile
from pathlib import Path

import numpy as np

from rnncore.io import write_atomic

__all__ = ["MAX_COLS", "MAX_ROWS", "build_html", "render_html"]

# A heatmap shows at most MAX_ROWS rows and MAX_COLS columns (a window around the worst element).
MAX_ROWS = 40
MAX_COLS = 60
# Values are written into the cells of a heatmap up to this many elements.
ANNOTATE_MAX = 64
# At most this many held-out stems are listed; vanishing.csv rows shown.
MAX_STEMS = 60
MAX_GENERIC_ROWS = 40

# Fixed matplotlib settings: the same bytes on every machine with the same matplotlib.
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
    "axes.prop_cycle": "cycler('color', ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'])",
    "svg.hashsalt": "rnncore",
}

_BAD = {"fail", "shape-mismatch", "missing", "unsupported"}


# --------------------------------------------------------------------------- small helpers


def _e(value) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _read_csv(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        try:
            f = float(text)
        except (TypeError, ValueError):
            return None
        return int(f) if math.isfinite(f) else None


def _fmt(text, digits: int = 3) -> str:
    """A number compactly: ints as they are, floats to ``digits`` significant digits; text as is."""
    if text is None or text == "":
        return "—"
    try:
        v = float(text)
    except (TypeError, ValueError):
        return str(text)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e15 and "." not in str(text) and "e" not in str(text).lower():
        return str(int(v))
    return f"{v:.{digits}g}"


def _pct(text) -> str:
    v = _float(text)
    return "—" if math.isnan(v) else f"{100 * v:.1f}%"


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return struct.unpack(">II", data[16:24])


def _img(data: bytes, alt: str, cls: str = "") -> str:
    w, h = _png_size(data)
    size = f' width="{w}" height="{h}"' if w and h else ""
    klass = f' class="{_e(cls)}"' if cls else ""
    return (f'<img{klass} src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}"'
            f' alt="{_e(alt)}"{size}>')


def _rel(results_dir: Path, path: Path) -> str:
    """A path as the page shows it: under the results folder's name, never absolute."""
    try:
        return str(Path(results_dir.name) / path.relative_to(results_dir))
    except ValueError:
        return path.name


def _missing(results_dir: Path, *paths: Path) -> str:
    names = ", ".join(f"<code>{_e(_rel(results_dir, p))}</code>" for p in paths)
    return (f'<p class="missing"><strong>Not produced by this run:</strong> {names} '
            f'{"is" if len(paths) == 1 else "are"} absent.</p>')


def _table(caption: str, header: list[str], rows: list[list[str]], cls: str = "", row_classes=None,
           raw: bool = False) -> str:
    """A table; cells are escaped unless ``raw`` (then the caller escaped them)."""
    cell = (lambda c: c) if raw else _e
    out = [f'<table class="{_e(cls)}">' if cls else "<table>", f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        rc = (row_classes or [""] * len(rows))[i]
        out.append(f'<tr class="{_e(rc)}">' if rc else "<tr>")
        out += [f"<td>{cell(c)}</td>" for c in row]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _tol_text(text: str) -> str:
    """A tolerance for reading: ``ulp<=16 or abs<=8.881784197001252e-16`` -> ``ulp≤16 or abs≤8.9e-16``."""
    parts = []
    for part in str(text or "").split(" or "):
        key, sep, value = part.strip().partition("<=")
        if not sep:
            return str(text)
        parts.append(f"{key}≤{_fmt(value, 2)}")
    return " or ".join(parts)


def _tolerance(text: str) -> tuple[float, float]:
    """``"ulp<=16 or abs<=8.9e-16"`` -> (16, 8.9e-16); NaN for a part that is absent."""
    ulp = atol = math.nan
    for part in str(text or "").split(" or "):
        key, _, value = part.strip().partition("<=")
        if key == "ulp":
            ulp = _float(value)
        elif key == "abs":
            atol = _float(value)
    return ulp, atol


# --------------------------------------------------------------------------- figures


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _png(fig) -> bytes:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _draw(fn):
    """Run a drawing function under the fixed rcParams and return its PNG bytes."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = fn()
        return _png(fig)


def _colleague_plot(name: str):
    """``rnncore.reports.figures.<name>`` when that module has it (it writes a PNG to a path), else None."""
    try:
        from rnncore.reports import figures as plots  # optional: figures shared with the workflow's other reports
    except ImportError:
        return None
    return getattr(plots, name, None)


def _via_path(fn, first, *args, **kwargs) -> bytes:
    """Call a ``plots`` function that writes a PNG to a path (its second argument); return the bytes."""
    with tempfile.TemporaryDirectory(prefix="rnncore-report-") as tmp:
        path = Path(tmp) / "figure.png"
        fn(first, path, *args, **kwargs)
        return path.read_bytes()


def _cell_label(v: float, mode: str) -> str:
    if not math.isfinite(v):
        return "—"
    if mode == "abs":
        return "0" if v == 0 else f"{v:.1e}".replace("e-0", "e-")
    v = int(v)
    return str(v) if v < 10000 else f"{v:.1e}".replace("e+0", "e").replace("e+", "e")


def _heatmap(values: np.ndarray, fails: np.ndarray, title: str, row0: int, col0: int, mode: str, tol: float) -> bytes:
    """Heatmap of per-element distances, MATLAB orientation, 1-based axes starting at (row0, col0).

    ``mode`` "ulp": ULP distance on a log colour scale; "abs": absolute error on a linear one (for
    comparisons whose tolerance is an absolute bound only, e.g. against 4 printed decimals, where a
    ULP count means nothing). ``tol`` (the bound) is a red tick on the colour bar. NaN (no distance:
    NaN/Inf on a side) is grey; failing elements are outlined in red (and crossed when the cells
    carry no numbers), so a failure does not rest on colour alone. The layout is fixed in inches (no
    tight_layout): fast, and the same for every matrix of a shape. (``rnncore.reports.figures.plot_heatmap``
    has no log scale, offset axes or failure marks, which this map needs.)
    """
    import matplotlib
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    rows, cols = values.shape
    annotate = rows * cols <= ANNOTATE_MAX
    has_tol = math.isfinite(tol) and tol > 0

    def draw():
        if mode == "ulp":
            z = np.log10(1.0 + values)
            tol_z = math.log10(1.0 + tol) if has_tol else math.nan
        else:
            z = values.astype(float)
            tol_z = tol if has_tol else math.nan
        finite = z[np.isfinite(z)]
        top = float(finite.max()) if finite.size else 0.0
        if has_tol:
            top = max(top, tol_z)
        if top <= 0:
            top = 1.0 if mode == "ulp" else (tol_z if has_tol else 1e-16)
        cell_w = (0.62 if mode == "abs" else 0.42) if annotate else 0.16
        plot_w = min(8.0, max(1.3, cols * cell_w))
        plot_h = min(6.5, max(0.9, rows * (0.3 if annotate else 0.1)))
        left, right, bottom, top_m = 0.7, 1.35, 0.55, 0.35
        fig_w, fig_h = left + plot_w + right, bottom + plot_h + top_m
        fig = _figure(fig_w, fig_h)
        ax = fig.add_axes((left / fig_w, bottom / fig_h, plot_w / fig_w, plot_h / fig_h))
        cax = fig.add_axes(((left + plot_w + 0.12) / fig_w, bottom / fig_h, 0.14 / fig_w, plot_h / fig_h))
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#c8c8c8")
        norm = Normalize(vmin=0.0, vmax=top)
        im = ax.imshow(np.ma.masked_invalid(z), cmap=cmap, norm=norm, interpolation="nearest", aspect="auto",
                       extent=(col0 - 0.5, col0 + cols - 0.5, row0 + rows - 0.5, row0 - 0.5))
        ax.set_title(title)
        ax.set_xlabel("col (1-based)")
        ax.set_ylabel("row")
        step_c = max(1, math.ceil(cols / max(2, plot_w / 0.4)))
        step_r = max(1, math.ceil(rows / max(2, plot_h / 0.25)))
        ax.set_xticks(list(range(col0, col0 + cols, step_c)))
        ax.set_yticks(list(range(row0, row0 + rows, step_r)))
        if annotate:
            for i in range(rows):
                for j in range(cols):
                    v = z[i, j]
                    dark = not math.isfinite(v) or v > 0.6 * top
                    ax.text(col0 + j, row0 + i, _cell_label(values[i, j], mode), ha="center", va="center",
                            fontsize=7, color="black" if dark else "white")
        for i, j in zip(*np.nonzero(fails)):
            ax.add_patch(Rectangle((col0 + j - 0.5, row0 + i - 0.5), 1, 1, fill=False, edgecolor="#d00000",
                                   linewidth=2.0))
            if not annotate:
                ax.plot([col0 + j], [row0 + i], marker="x", color="#d00000", markersize=5)
        cb = fig.colorbar(im, cax=cax)
        if mode == "ulp":
            decades = [k for k in range(20) if math.log10(1 + 10.0 ** k) <= top + 1e-9]
            candidates = [(math.log10(1 + 10.0 ** k), "1" if k == 0 else "10" if k == 1 else f"1e{k}")
                          for k in reversed(decades)]
            cb.set_label("ULP (log scale)", labelpad=2)
        else:
            candidates = [(top, f"{top:.1e}"), (top / 2, f"{top / 2:.1e}")]
            cb.set_label("|abs err|", labelpad=2)
        # Labels by priority (the tolerance, 0, then the largest decades), none closer than a label's height.
        min_sep = 13.0 / (plot_h * 100.0) * top  # a tick label is ~13 px tall at 100 dpi
        ordered = ([(tol_z, f"tol {_cell_label(tol, mode)}")] if has_tol else []) + [(0.0, "0")] + candidates
        kept: list[tuple[float, str]] = []
        for t, lab in ordered:
            if all(abs(t - k) > min_sep for k, _ in kept):
                kept.append((t, lab))
        kept.sort()
        cb.set_ticks([t for t, _ in kept])
        cb.set_ticklabels([lab for _, lab in kept])
        if has_tol:
            cb.ax.axhline(tol_z, color="#d00000", linewidth=2.0)
            for label in cb.ax.get_yticklabels():
                if label.get_text().startswith("tol "):
                    label.set_color("#d00000")
        return fig

    return _draw(draw)


def _loss_curves(octave: np.ndarray, python: np.ndarray, epochs: np.ndarray, title: str) -> bytes:
    colleague = _colleague_plot("plot_loss_curves")
    if colleague is not None:
        import inspect

        params = inspect.signature(colleague).parameters
        kwargs = {k: v for k, v in (("xlabel", "epoch"), ("ylabel", "loss")) if k in params}
        return _via_path(colleague, {"Octave": octave, "Python": python}, title, **kwargs)

    def draw():
        fig = _figure(6.4, 4.2)
        ax = fig.add_subplot(1, 1, 1)
        ax.plot(epochs, octave, color="#1f77b4", linewidth=3.0, alpha=0.55, label="Octave")
        ax.plot(epochs, python, color="#d62728", linewidth=1.2, linestyle="--", label="Python")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_title(title)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        ax.legend(loc="upper right")
        fig.tight_layout()
        return fig

    return _draw(draw)


def _epoch_errors(abs_err: np.ndarray, ulp: np.ndarray, epochs: np.ndarray, title: str, fails: np.ndarray) -> bytes:
    """Per-epoch |Octave - Python| and ULP distance, two panels sharing the epoch axis."""

    def draw():
        fig = _figure(6.4, 4.2)
        ax1 = fig.add_subplot(2, 1, 1)
        ax2 = fig.add_subplot(2, 1, 2, sharex=ax1)
        colours = np.where(fails, "#d00000", "#1f77b4")
        ax1.bar(epochs, np.nan_to_num(abs_err), width=0.8, color=colours)
        ax1.set_ylabel("|Octave - Python|")
        ax1.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
        ax1.set_title(title)
        ax2.bar(epochs, np.nan_to_num(ulp), width=0.8, color=colours)
        ax2.set_ylabel("ULP")
        from matplotlib.ticker import MaxNLocator

        ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax2.set_xlabel("epoch")
        for ax in (ax1, ax2):
            ax.grid(True, axis="y", linewidth=0.4, alpha=0.5)
        fig.tight_layout()
        return fig

    return _draw(draw)


# --------------------------------------------------------------------------- element tables


def _element_arrays(path: Path) -> dict:
    """An element table as MATLAB-shaped arrays: ulp, abs_err, left, right, fails (bool)."""
    rows = _read_csv(path)
    rr = [_int(r.get("row")) or 0 for r in rows]
    cc = [_int(r.get("col")) or 0 for r in rows]
    n_r, n_c = (max(rr), max(cc)) if rows else (0, 0)
    out = {k: np.full((n_r, n_c), np.nan) for k in ("ulp", "abs_err", "left", "right")}
    out["fails"] = np.zeros((n_r, n_c), dtype=bool)
    for r, c, row in zip(rr, cc, rows):
        if r < 1 or c < 1:
            continue
        for k in ("ulp", "abs_err", "left", "right"):
            out[k][r - 1, c - 1] = _float(row.get(k))
        out["fails"][r - 1, c - 1] = row.get("verdict", "pass") != "pass"
    return out


def _window(n: int, centre: int, size: int) -> tuple[int, int]:
    """0-based [start, stop) of at most ``size`` indices around 0-based ``centre``, inside [0, n)."""
    if n <= size:
        return 0, n
    start = min(max(0, centre - size // 2), n - size)
    return start, start + size


def _elements_path(results_dir: Path, row: dict) -> Path:
    return (results_dir / "parity" / row["case"] / "elements" / f"{row['left']}-vs-{row['right']}"
            / f"{row['variable']}.csv")


# --------------------------------------------------------------------------- sections


def _status_cell(status: str) -> str:
    if status == "pass":
        return '<span class="ok">✓ pass</span>'
    extra = "" if status == "fail" else f" · {_e(status)}"
    return f'<strong class="bad">✗ FAIL</strong>{extra}'


def _sorted_summary(rows: list[dict]) -> list[dict]:
    """Failing rows first (config order kept within each group)."""
    return [r for r in rows if r["status"] != "pass"] + [r for r in rows if r["status"] == "pass"]


def _section_parity(results_dir: Path, rows: list[dict] | None) -> str:
    path = results_dir / "parity" / "summary.csv"
    out = ['<section id="parity"><h2>1. Parity summary</h2>']
    if rows is None:
        return out[0] + _missing(results_dir, path) + "</section>"
    n_bad = sum(r["status"] != "pass" for r in rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    count_text = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda t: (t[0] != "pass", t[0])))
    out.append(f"<p>{len(rows)} comparisons ({_e(count_text)}) from <code>{_e(_rel(results_dir, path))}</code>. "
               "An element passes when either bound of its tolerance holds; "
               "the worst element is 1-based (MATLAB). Failing rows come first, marked "
               "<strong>✗ FAIL</strong> on a red background.</p>")
    header = ["status", "case", "variable", "left vs right", "shape", "max |abs err|", "max ULP", "worst (row, col)",
              "draws", "failing / elements", "tolerance"]
    body, classes = [], []
    for r in _sorted_summary(rows):
        shape = r["shape_left"] if r["shape_left"] == r["shape_right"] else f"{r['shape_left'] or '—'} vs {r['shape_right'] or '—'}"
        worst = f"({r['worst_row']}, {r['worst_col']})" if r["worst_row"] else "—"
        draws = _int(r.get("draws")) or 1
        draw_text = f"{draws} (worst #{r['worst_draw']})" if draws > 1 else "1"
        body.append([_status_cell(r["status"]), _e(r["case"]), f"<code>{_e(r['variable'])}</code>",
                     f"{_e(r['left'])} vs {_e(r['right'])}", _e(shape or "—"), _e(_fmt(r["max_abs_err"])),
                     _e(_fmt(r["max_ulp"])), _e(worst), _e(draw_text), f"{_e(r['n_fail'])} / {_e(r['n_elements'])}",
                     f"<code title=\"{_e(r['tolerance'])}\">{_e(_tol_text(r['tolerance']))}</code>"])
        classes.append("bad" if r["status"] != "pass" else "")
    cap = (f"Parity summary: {n_bad} of {len(rows)} comparisons fail" if n_bad
           else f"Parity summary: all {len(rows)} comparisons pass")
    out.append(_table(cap, header, body, cls="summary", row_classes=classes, raw=True))
    out.append("</section>")
    return "".join(out)


def _heatmap_figure(results_dir: Path, r: dict) -> str:
    path = _elements_path(results_dir, r)
    label = f"{r['case']}: {r['variable']}, {r['left']} vs {r['right']}"
    status = "✓ pass" if r["status"] == "pass" else f"✗ FAIL ({r['status']})"
    if not path.exists():
        return (f'<figure class="heat nodata{"" if r["status"] == "pass" else " bad"}"><figcaption>'
                f"<strong>{_e(status)}</strong> {_e(label)}: no element table "
                f"(<code>{_e(_rel(results_dir, path))}</code> absent).</figcaption></figure>")
    arr = _element_arrays(path)
    ulp_tol, atol = _tolerance(r.get("tolerance", ""))
    mode = "ulp" if math.isfinite(ulp_tol) and ulp_tol > 0 else "abs"
    values, fails = (arr["ulp"] if mode == "ulp" else arr["abs_err"]), arr["fails"]
    n_r, n_c = values.shape
    if n_r == 0 or n_c == 0:
        return (f'<figure class="heat nodata"><figcaption><strong>{_e(status)}</strong> {_e(label)}: empty element '
                f"table.</figcaption></figure>")
    wr, wc = _int(r.get("worst_row")), _int(r.get("worst_col"))
    if not (wr and wc and 1 <= wr <= n_r and 1 <= wc <= n_c):
        finite = np.where(np.isfinite(values), values, -1)
        wr, wc = (int(i) + 1 for i in np.unravel_index(int(np.argmax(finite)), values.shape))
    r0, r1 = _window(n_r, wr - 1, MAX_ROWS)
    c0, c1 = _window(n_c, wc - 1, MAX_COLS)
    what = "ULP" if mode == "ulp" else "|abs err|"
    title = f"{r['variable']}: {r['left']} vs {r['right']} ({what})"
    png = _heatmap(values[r0:r1, c0:c1], fails[r0:r1, c0:c1], title, r0 + 1, c0 + 1, mode,
                   ulp_tol if mode == "ulp" else atol)
    windowed = (r1 - r0, c1 - c0) != (n_r, n_c)
    shown = (f" Showing rows {r0 + 1}–{r1}, cols {c0 + 1}–{c1} of {n_r}×{n_c}, around the worst element."
             if windowed else "")
    draws = _int(r.get("draws")) or 1
    draw_note = f" Worst of {draws} draws: draw #{r['worst_draw']}." if draws > 1 else ""
    n_fail = int(fails.sum())
    alt = (f"Heatmap of the {'ULP distance' if mode == 'ulp' else 'absolute error'} per element of "
           f"{r['variable']} ({n_r}x{n_c}), {r['left']} vs {r['right']}, case {r['case']}: largest "
           f"{_fmt(r['max_ulp']) + ' ULP' if mode == 'ulp' else _fmt(r['max_abs_err'])} at ({wr}, {wc}); "
           f"{n_fail} failing element(s)")
    cls = "heat" if r["status"] == "pass" else "heat bad"
    scale = ("" if mode == "ulp" else
             " Coloured by absolute error: this comparison's tolerance is an absolute bound only.")
    return (f'<figure class="{cls}">{_img(png, alt)}<figcaption><strong>{_e(status)}</strong> '
            f"<code>{_e(r['variable'])}</code> {_e(r['left'])} vs {_e(r['right'])}, {n_r}×{n_c}: max "
            f"{_e(_fmt(r['max_ulp']))} ULP, max |err| {_e(_fmt(r['max_abs_err']))}, worst ({wr}, {wc}); "
            f"{n_fail} failing (outlined red); tolerance <code>{_e(_tol_text(r.get('tolerance', '')))}</code> "
            f"(red mark on the colour bar).{_e(scale)}{_e(shown)}{_e(draw_note)}</figcaption></figure>")


def _section_heatmaps(results_dir: Path, rows: list[dict] | None) -> str:
    out = ['<section id="heatmaps"><h2>2. Per-element distance maps</h2>']
    if rows is None:
        return out[0] + _missing(results_dir, results_dir / "parity" / "summary.csv") + "</section>"
    out.append("<p>One map per compared variable, in MATLAB orientation (row 1 at the top, 1-based axes), "
               "failing comparisons first. Colour is the ULP distance on a log scale; the numbers in the cells are "
               "ULPs; grey means no distance (NaN or Inf on a side); failing elements are outlined in red and the "
               "tolerance is marked in red on the colour bar. An element also passes by the absolute bound, which "
               "matters near zero (many ULP, tiny error). Comparisons with the slides, whose tolerance is an "
               "absolute bound only (4 printed decimals), are coloured by absolute error instead. Matrices larger "
               f"than {MAX_ROWS}×{MAX_COLS} show a window around the worst element; the element CSVs hold every "
               "value at full precision.</p>")
    cases = list(dict.fromkeys(r["case"] for r in rows))
    for case in cases:
        case_rows = _sorted_summary([r for r in rows if r["case"] == case])
        out.append(f'<h3 id="heat-{_e(case)}">{_e(case)}</h3><div class="grid">')
        out += [_heatmap_figure(results_dir, r) for r in case_rows]
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _reference_path(results_dir: Path, root: Path, provenance: dict | None) -> Path:
    ref = ((provenance or {}).get("cases", {}).get("rnn2", {}) or {}).get("reference", {}) or {}
    rel = ref.get("file") or "matlab_ref/reference/rnn2_slides.csv"
    return root / rel


def _four(v: float) -> str:
    if not math.isfinite(v):
        return "—"
    text = f"{v:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _matrix_table(caption: str, m: np.ndarray, ref: np.ndarray | None, row_names: list[str]) -> str:
    header = [""] + [f"col {j + 1}" for j in range(m.shape[1])]
    body = []
    for i in range(m.shape[0]):
        cells = [f'<th scope="row">{_e(row_names[i] if i < len(row_names) else f"row {i + 1}")}</th>']
        for j in range(m.shape[1]):
            text = _four(m[i, j])
            differs = ref is not None and i < ref.shape[0] and j < ref.shape[1] and text != _four(ref[i, j])
            cells.append(f'<td class="differs">{_e(text)} †</td>' if differs else f"<td>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    return (f'<table class="matrix"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _section_slides(results_dir: Path, root: Path, provenance: dict | None) -> str:
    from rnncore.engine.reference import ReferenceFileError, load_reference
    from rnncore.course.tasks import PIG_ALPHABET

    out = ['<section id="slides"><h2>3. The slides, and the PIG prediction</h2>',
           "<h3>rnn2.m's <code>softmax_y_out</code>: slide 14 beside Octave and Python</h3>"]
    ref_path = _reference_path(results_dir, root, provenance)
    elements = results_dir / "parity" / "rnn2" / "elements"
    ovp = elements / "octave-vs-python" / "softmax_y_out.csv"
    octave = python = None
    if ovp.exists():
        a = _element_arrays(ovp)
        octave, python = a["left"], a["right"]
    else:
        for side in ("octave", "python"):
            p = elements / f"slides-vs-{side}" / "softmax_y_out.csv"
            if p.exists():
                if side == "octave":
                    octave = _element_arrays(p)["right"]
                else:
                    python = _element_arrays(p)["right"]
    slides = None
    ref_note = ""
    if ref_path.exists():
        try:
            slides = load_reference(ref_path).get("softmax_y_out")
        except ReferenceFileError as exc:
            ref_note = f'<p class="missing">The slides\' values could not be read: {_e(exc)}</p>'
    else:
        ref_note = (f'<p class="missing"><strong>Not available:</strong> the reference file '
                    f"<code>{_e(ref_path.name)}</code> is absent.</p>")
    names = [f"row {i + 1} ({letter})" for i, letter in enumerate(PIG_ALPHABET)]
    tables = []
    if slides is not None:
        tables.append(_matrix_table("Slides (printed, format short)", slides, None, names))
    if octave is not None:
        tables.append(_matrix_table("Octave: rnn2.m as is", octave, slides, names))
    if python is not None:
        tables.append(_matrix_table("Python: rnncore.course.rnn2", python, slides, names))
    if octave is None and python is None:
        out.append(_missing(results_dir, ovp))
    out.append(ref_note)
    if tables:
        out.append("<p>Each column is one time step; rows are the output letters. Our values are rounded to the "
                   "slides' 4 decimals; a cell that then differs from the slide is marked † (highlighted).</p>")
        out.append('<div class="side">' + "".join(tables) + "</div>")

    out.append("<h3>PIG: the letter predicted after P, I, G, before and after training</h3>")
    pig = results_dir / "training" / "pig.csv"
    if not pig.exists():
        out.append(_missing(results_dir, pig))
    else:
        rows = _read_csv(pig)
        out.append("<p>Slide 17: after reading P, I, G the network should predict S. rnn2.m's weights as given "
                   "predict P (slide 16); training starts from them. p(·) is the softmax output at the third "
                   "step.</p>")
        header = ["model", "seed", "before", *(f"p({c}) before" for c in PIG_ALPHABET), "after",
                  *(f"p({c}) after" for c in PIG_ALPHABET)]
        body, classes = [], []
        for r in rows:
            after = r.get("prediction_after", "")
            ok = after == "S"
            body.append([_e(r.get("model", "")), _e(r.get("seed", "")),
                         f"<strong>{_e(r.get('prediction_before', ''))}</strong>",
                         *(_e(_four(_float(r.get(f"p_{c}_before")))) for c in PIG_ALPHABET),
                         f"<strong>{_e(after)}</strong> " + ('<span class="ok">✓</span>' if ok
                                                             else '<span class="bad">✗ not S</span>'),
                         *(_e(_four(_float(r.get(f"p_{c}_after")))) for c in PIG_ALPHABET)])
            classes.append("" if ok else "bad")
        out.append(_table("PIG prediction at step 3, before and after training (training/pig.csv)", header, body,
                          row_classes=classes, raw=True))
    out.append("</section>")
    return "".join(out)


def _section_training_parity(results_dir: Path, rows: list[dict] | None) -> str:
    out = ['<section id="training-parity"><h2>4. Training parity: loss curves, Octave vs Python</h2>']
    div_path = results_dir / "parity" / "training_divergence.csv"
    divergence = {d["case"]: d for d in _read_csv(div_path)} if div_path.exists() else {}
    cases = []
    if rows is not None:
        cases = list(dict.fromkeys(r["case"] for r in rows if r["case"].startswith("train_")
                                   and r["variable"] == "losses"))
    if not cases:
        out.append('<p class="missing"><strong>Not produced by this run:</strong> no training-parity case '
                   "(<code>train_*</code> with a <code>losses</code> comparison) in the parity summary.</p>")
        return "".join(out) + "</section>"
    out.append("<p>Both engines train the same network from the same weights and data; <code>losses</code> is "
               "the loss at every epoch. The left plot overlays the two curves (they should be indistinguishable); "
               "the right one shows their per-epoch distance, failing epochs in red. Python's line is drawn over "
               "Octave's: where only one colour shows, the two coincide at the plot's resolution.</p>")
    if divergence:
        header = ["case", "epochs", "first epoch beyond tolerance", "ULP at epoch 1", "ULP at last epoch", "max ULP",
                  "at epoch", "max |abs err|", "tolerance"]
        body = [[d.get("case", ""), d.get("epochs", ""), d.get("first_divergence_epoch") or "never",
                 d.get("ulp_epoch_1", ""), d.get("ulp_last_epoch", ""), d.get("max_ulp", ""),
                 d.get("max_ulp_epoch", ""), _fmt(d.get("max_abs_err")), _tol_text(d.get("tolerance", ""))]
                for d in divergence.values()]
        classes = ["bad" if d.get("first_divergence_epoch") else "" for d in divergence.values()]
        out.append(_table("Where the loss curves part (parity/training_divergence.csv)", header, body,
                          row_classes=classes))
    else:
        out.append(_missing(results_dir, div_path))
    for case in cases:
        row = next(r for r in rows if r["case"] == case and r["variable"] == "losses"
                   and (r["left"], r["right"]) == ("octave", "python"))
        path = _elements_path(results_dir, row)
        out.append(f"<h3>{_e(case)}</h3>")
        if not path.exists():
            out.append(_missing(results_dir, path))
            continue
        table = _read_csv(path)
        epochs = np.array([_int(t["col"]) or 0 for t in table], dtype=float)
        octave = np.array([_float(t["left"]) for t in table])
        python = np.array([_float(t["right"]) for t in table])
        abs_err = np.array([_float(t["abs_err"]) for t in table])
        ulp = np.array([_float(t["ulp"]) for t in table])
        fails = np.array([t.get("verdict") != "pass" for t in table])
        curves = _loss_curves(octave, python, epochs, f"{case}: loss per epoch")
        errors = _epoch_errors(abs_err, ulp, epochs, f"{case}: Octave vs Python per epoch", fails)
        last = f"{octave[-1]:.6g}" if octave.size else "—"
        status = "✓ pass" if row["status"] == "pass" else f"✗ FAIL ({row['status']})"
        alt1 = f"Loss per epoch of {case}, Octave and Python overlaid, {len(table)} epochs, final loss {last}"
        alt2 = (f"Per-epoch absolute error and ULP distance between Octave's and Python's loss for {case}: "
                f"max {_fmt(row['max_ulp'])} ULP, {int(fails.sum())} failing epoch(s)")
        out.append(f'<div class="pair"><figure>{_img(curves, alt1)}<figcaption>Loss, Octave vs Python '
                   f"({len(table)} epochs, final {_e(last)}).</figcaption></figure>"
                   f'<figure class="{"" if row["status"] == "pass" else "bad"}">{_img(errors, alt2)}<figcaption>'
                   f"<strong>{_e(status)}</strong>: max {_e(_fmt(row['max_ulp']))} ULP, max |err| "
                   f"{_e(_fmt(row['max_abs_err']))}; tolerance <code>{_e(_tol_text(row['tolerance']))}</code>."
                   f"</figcaption></figure></div>")
    out.append("</section>")
    return "".join(out)


def _generic_table(caption: str, rows: list[dict], limit: int = MAX_GENERIC_ROWS) -> str:
    if not rows:
        return f"<p>{_e(caption)}: no rows.</p>"
    header = list(rows[0].keys())
    body = [[_fmt(r.get(h), 4) for h in header] for r in rows[:limit]]
    note = f" (first {limit} of {len(rows)} rows)" if len(rows) > limit else ""
    return _table(caption + note, header, body)


def _vanishing_table(rows: list[dict]) -> str:
    """Gradient norm by (model, stage) at a few distances; any other layout as a plain (capped) table."""
    needed = {"model", "stage", "distance", "grad_norm"}
    if not rows or not needed <= set(rows[0]):
        return _generic_table("Vanishing-gradient study (study/vanishing.csv)", rows)
    distances = sorted({d for d in (_int(r["distance"]) for r in rows) if d is not None})
    wanted = [d for d in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500) if d in distances]
    if distances and distances[-1] not in wanted:
        wanted.append(distances[-1])
    groups: dict[tuple[str, str, str, str], dict[int, str]] = {}
    for r in rows:
        key = (r.get("model", ""), r.get("stage", ""), r.get("lag", ""), r.get("seed", ""))
        d = _int(r["distance"])
        if d is not None:
            groups.setdefault(key, {})[d] = r["grad_norm"]
    body = []
    for (model, stage, lag, seed), by_d in groups.items():
        body.append([model, stage, lag, seed] + [_fmt(by_d.get(d), 3) if d in by_d else "—" for d in wanted])
    return _table("||dLoss/dh_t|| at distance d from the loss, by model and stage (study/vanishing.csv)",
                  ["model", "stage", "lag", "seed"] + [f"d = {d}" for d in wanted], body)


def _section_study(results_dir: Path) -> str:
    out = ['<section id="study"><h2>5. Vanishing gradients and long time lags: RNN vs LSTM</h2>']
    study = results_dir / "study"
    van_png, van_csv = study / "vanishing.png", study / "vanishing.csv"
    lag_png, lag_csv = study / "accuracy_vs_lag.png", study / "longlag_summary.csv"
    out.append("<h3>How much gradient reaches a step d steps back</h3>")
    if van_png.exists():
        out.append(f'<figure>{_img(van_png.read_bytes(), "Vanishing-gradient plot: norm of dLoss/dh_t against the distance from the query step, per model, at initialisation and after training")}'
                   f"<figcaption>Gradient norm reaching a hidden state d steps before the loss "
                   f"(<code>{_e(_rel(results_dir, van_png))}</code>).</figcaption></figure>")
    if van_csv.exists():
        out.append(_vanishing_table(_read_csv(van_csv)))
    if not van_png.exists() and not van_csv.exists():
        out.append(_missing(results_dir, van_csv, van_png))
    out.append("<h3>Accuracy against the lag</h3>")
    if lag_png.exists():
        out.append(f'<figure>{_img(lag_png.read_bytes(), "Accuracy against the time lag for the Elman RNNs and the LSTM")}'
                   f"<figcaption>Accuracy of remembering the first symbol across the lag "
                   f"(<code>{_e(_rel(results_dir, lag_png))}</code>).</figcaption></figure>")
    if lag_csv.exists():
        rows = _read_csv(lag_csv)
        lags = sorted({_int(r.get("lag")) for r in rows if _int(r.get("lag")) is not None})
        models = list(dict.fromkeys(r.get("model", "") for r in rows))
        cell = {(r.get("model"), _int(r.get("lag"))): r for r in rows}
        body = []
        for m in models:
            line = [m]
            for lag in lags:
                r = cell.get((m, lag))
                if r is None:
                    line.append("—")
                else:
                    line.append(f"{_pct(r.get('mean_accuracy'))} ({_pct(r.get('min_accuracy'))}–"
                                f"{_pct(r.get('max_accuracy'))}, {r.get('n_seeds', '?')} seeds)")
            body.append(line)
        out.append(_table("Mean accuracy over seeds (min–max) by model and lag (study/longlag_summary.csv)",
                          ["model"] + [f"lag {lag}" for lag in lags], body))
    if not lag_png.exists() and not lag_csv.exists():
        out.append(_missing(results_dir, lag_csv, lag_png))
    out.append("</section>")
    return "".join(out)


def _mean_std(r: dict, name: str, pct: bool) -> str:
    m, s = _float(r.get(f"{name}_mean")), _float(r.get(f"{name}_std"))
    if math.isnan(m):
        return "—"
    if pct:
        return f"{100 * m:.1f}% ± {100 * s:.1f}"
    return f"{m:.4g} ± {s:.2g}"


def _section_plural(results_dir: Path) -> str:
    out = ['<section id="plural"><h2>6. Plural task: held-out accuracy</h2>']
    training = results_dir / "training"
    summary, metrics, errors = training / "summary.csv", training / "metrics.csv", training / "heldout_errors.csv"
    if summary.exists():
        rows = [r for r in _read_csv(summary) if r.get("task") == "plural"]
        if rows:
            out.append("<p>Read a noun, predict its plural suffix (S_ or ES), on nouns never seen in training. "
                       "Mean ± standard deviation over seeds (population std).</p>")
            header = ["model", "hidden", "seeds", "held-out accuracy", "training accuracy", "final loss",
                      "mean wall time (s)"]
            body = [[r.get("model", ""), r.get("hidden", ""), r.get("n_seeds", ""),
                     _mean_std(r, "heldout_acc", True), _mean_std(r, "train_acc", True),
                     _mean_std(r, "final_loss", False), _fmt(r.get("wall_s_mean"), 3)] for r in rows]
            out.append(_table("Plural task per model: mean ± std over seeds (training/summary.csv)", header, body))
        else:
            out.append("<p>No plural-task rows in <code>training/summary.csv</code>.</p>")
    else:
        out.append(_missing(results_dir, summary))
    if metrics.exists():
        rows = _read_csv(metrics)
        header = ["task", "model", "hidden", "seed", "epochs", "final loss", "train acc", "held-out acc", "wall s"]
        body = [[r.get("task", ""), r.get("model", ""), r.get("hidden", ""), r.get("seed", ""), r.get("epochs", ""),
                 _fmt(r.get("final_loss"), 4), _pct(r.get("train_acc")), _pct(r.get("heldout_acc")),
                 _fmt(r.get("wall_s"), 3)] for r in rows]
        out.append("<details><summary>Every training run (training/metrics.csv)</summary>"
                   + _table("One row per training run", header, body) + "</details>")
    out.append("<h3>Held-out stems the models get wrong</h3>")
    if errors.exists():
        rows = _read_csv(errors)
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for r in rows:
            groups.setdefault((r.get("stem", ""), r.get("suffix", "")), []).append((r.get("run_id", ""),
                                                                                   r.get("predicted", "")))
        if not groups:
            out.append("<p>None: every run predicts every held-out noun's suffix correctly.</p>")
        else:
            order = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            body = [[stem, suffix, str(len(runs)), ", ".join(f"{run} → {pred}" for run, pred in sorted(runs))]
                    for (stem, suffix), runs in order[:MAX_STEMS]]
            note = f" (first {MAX_STEMS} of {len(order)})" if len(order) > MAX_STEMS else ""
            out.append(_table(f"Held-out nouns predicted wrong, most often first{note} (training/heldout_errors.csv)",
                              ["stem", "true suffix", "runs wrong", "run → predicted"], body))
    else:
        out.append(_missing(results_dir, errors))
    out.append("</section>")
    return "".join(out)


def _kv_rows(d: dict, prefix: str = "") -> list[list[str]]:
    rows = []
    for k in sorted(d):
        v = d[k]
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            rows += _kv_rows(v, key + ".")
        elif isinstance(v, list):
            rows.append([key, ", ".join(str(x) for x in v) or "none"])
        else:
            rows.append([key, "" if v is None else str(v)])
    return rows


def _section_provenance(results_dir: Path, prov: dict | None) -> str:
    path = results_dir / "parity" / "provenance.json"
    out = ['<section id="provenance"><h2>7. Provenance</h2>']
    if prov is None:
        return out[0] + _missing(results_dir, path) + "</section>"
    out.append(f"<p>What produced these numbers, from <code>{_e(_rel(results_dir, path))}</code> (kept apart from "
               "the CSVs, which are byte-identical across machines).</p>")
    facts = [["python", prov.get("python", "")], ["platform", prov.get("platform", "")],
             ["machine", prov.get("machine", "")]]
    for k, v in sorted((prov.get("numpy_build") or {}).items()):
        facts.append([f"numpy {k}", v])
    for k, v in sorted((prov.get("packages") or {}).items()):
        facts.append([f"{k} version", v])
    out.append(_table("Python side", ["what", "value"], [[a, str(b)] for a, b in facts]))
    cases = prov.get("cases") or {}
    octave_sides: dict[str, list[str]] = {}
    for name in sorted(cases):
        o = (cases[name] or {}).get("octave") or {}
        octave_sides.setdefault(json.dumps(o, sort_keys=True), []).append(name)
    for key, names in octave_sides.items():
        o = json.loads(key)
        if not o:
            continue
        who = "every case" if len(names) == len(cases) else ", ".join(names)
        body = [["Octave", o.get("octave", "")], ["BLAS", o.get("blas", "")], ["LAPACK", o.get("lapack", "")],
                ["oct2py", o.get("oct2py", "")]]
        body += [[k, str(v)] for k, v in sorted(o.items()) if k not in ("octave", "blas", "lapack", "oct2py")]
        out.append(_table(f"Octave side ({who})", ["what", "value"], body, cls="prov"))
    if cases:
        header = ["case", "script", "script SHA-256", "Python port", "shims used", "reference", "reference SHA-256"]
        body = []
        for name in sorted(cases):
            c = cases[name] or {}
            ref = c.get("reference") or {}
            body.append([name, c.get("script", ""), c.get("script_sha256", ""), c.get("python", ""),
                         ", ".join(c.get("shims_used") or []) or "none", ref.get("file", "—"), ref.get("sha256", "—")])
        out.append(_table("Per case: the files run, the Python port and the shims the script called", header, body,
                          cls="prov"))
    hashes = [[k, v] for k, v in sorted((prov.get("shims") or {}).items())]
    hashes += [[k, v] for k, v in sorted((prov.get("python_sources") or {}).items())]
    if hashes:
        out.append("<details><summary>SHA-256 of every shim and Python source</summary>"
                   + _table("SHA-256 of the shims and sources involved", ["file", "SHA-256"], hashes, cls="prov")
                   + "</details>")
    known = {"python", "platform", "machine", "numpy_build", "packages", "cases", "shims", "python_sources"}
    other = {k: v for k, v in prov.items() if k not in known}
    if other:
        out.append(_table("Other provenance facts", ["key", "value"], _kv_rows(other), cls="prov"))
    out.append("</section>")
    return "".join(out)


_CSS = """
:root{color-scheme:light}
body{font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;color:#1b1b1b;background:#fff;margin:0}
main{max-width:1240px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;border-bottom:2px solid #d0d7de;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:20px 0 8px}
code{font:12px "DejaVu Sans Mono",monospace;background:#f3f4f6;padding:0 3px;border-radius:3px}
nav ol{columns:2;margin:4px 0 0}
.banner{padding:10px 14px;border-radius:6px;font-size:16px;margin:12px 0;border:2px solid}
.banner.ok{background:#e6f4ea;border-color:#1a7f37}.banner.bad{background:#fde2e2;border-color:#c00000}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
caption{caption-side:top;text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
thead th{background:#f3f4f6}
tbody tr:nth-child(even){background:#fafbfc}
tr.bad,tr.bad:nth-child(even){background:#ffd6d6}
tr.bad td{border-color:#e8a0a0}
.ok{color:#1a7f37}.bad{color:#a40000}
tr.bad .bad,.banner.bad strong{color:#a40000}
table.summary td{white-space:nowrap}
table.summary td:nth-child(n+6):nth-child(-n+10){text-align:right;font-variant-numeric:tabular-nums}
table.matrix td{text-align:right;font-variant-numeric:tabular-nums;font-family:"DejaVu Sans Mono",monospace}
td.differs{background:#fff3b0}
table.prov td{overflow-wrap:anywhere;max-width:440px;font-size:12px}
table.prov td:first-child{overflow-wrap:normal;white-space:nowrap}
.grid{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px;align-items:start}
.side{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:0 0 8px;border:1px solid #d0d7de;border-radius:6px;padding:6px;background:#fff;max-width:100%;
width:fit-content;box-sizing:border-box}
figure.bad{border:3px solid #c00000;background:#fff0f0}
figure.heat{width:fit-content;min-width:300px}
figure.heat figcaption{width:0;min-width:100%;max-width:none}
figure.nodata{padding:10px;width:320px}
figcaption{font-size:12px;max-width:560px;margin-top:4px}
img{max-width:100%;height:auto;display:block}
.missing{background:#fff8e1;border-left:4px solid #e0a800;padding:6px 10px}
details{margin:8px 0}summary{cursor:pointer;font-weight:bold}
"""


def render_html(results_dir, root=".") -> str:
    """The report page as text (see the module docstring); :func:`build_html` writes it."""
    results_dir = Path(results_dir)
    root = Path(root)
    summary_path = results_dir / "parity" / "summary.csv"
    rows = _read_csv(summary_path) if summary_path.exists() else None
    prov_path = results_dir / "parity" / "provenance.json"
    provenance = json.loads(prov_path.read_text(encoding="utf-8")) if prov_path.exists() else None

    if rows is None:
        banner = ('<p class="banner bad" role="status"><strong>✗ No parity summary</strong>: '
                  f"<code>{_e(_rel(results_dir, summary_path))}</code> was not produced.</p>")
    else:
        bad = [r for r in rows if r["status"] != "pass"]
        if bad:
            banner = (f'<p class="banner bad" role="status"><strong>✗ FAIL: {len(bad)} of {len(rows)} '
                      f"comparisons do not pass</strong> (listed first in the table below).</p>")
        else:
            banner = (f'<p class="banner ok" role="status"><strong>✓ All {len(rows)} comparisons pass.</strong></p>')
    sections = [
        _section_parity(results_dir, rows),
        _section_heatmaps(results_dir, rows),
        _section_slides(results_dir, root, provenance),
        _section_training_parity(results_dir, rows),
        _section_study(results_dir),
        _section_plural(results_dir),
        _section_provenance(results_dir, provenance),
    ]
    nav = ('<nav aria-label="Sections"><ol>'
           '<li><a href="#parity">Parity summary</a></li><li><a href="#heatmaps">Per-element ULP heatmaps</a></li>'
           '<li><a href="#slides">Slides and PIG prediction</a></li>'
           '<li><a href="#training-parity">Training parity: loss curves</a></li>'
           '<li><a href="#study">Vanishing gradients, long lags</a></li>'
           '<li><a href="#plural">Plural task: held-out accuracy</a></li><li><a href="#provenance">Provenance</a></li>'
           "</ol></nav>")
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>rnncore report: MATLAB (Octave) vs Python parity and training</title>"
            f"<style>{_CSS}</style></head><body><main>"
            "<h1>rnncore report</h1><p>The course's MATLAB scripts run unchanged in GNU Octave against their "
            "Python ports, element by element, and the models trained on the course's tasks.</p>"
            + banner + nav + "\n" + "\n".join(sections) + "\n</main></body></html>\n")


def build_html(results_dir, out_path, root=".") -> Path:
    """Write the report of ``results_dir`` to ``out_path`` (one self-contained HTML file) and return its path.

    ``root`` is the repository root, where the slides' reference file is found (its path is taken
    from ``parity/provenance.json`` when that names one). The same inputs give the same bytes.
    """
    out_path = Path(out_path)
    write_atomic(out_path, render_html(results_dir, root))
    return out_path
