"""One self-contained HTML page of what a run measured: ``results/report/index.html``.

:func:`build_html` reads the files named by a :class:`~rnncore.reports.inputs.ReportInputs` (never a
folder it walks) and renders ``templates/report.html.j2`` with ``templates/report.css`` inlined:

* one file a person can open anywhere, offline: figures are PNGs in ``data:`` URIs, no script, no
  external URL; links go only to the run's own element tables (relative, ``../parity/...``);
* the same bytes for the same inputs: no time stamps of its own making, no absolute paths, figures
  drawn by :mod:`rnncore.reports.figures` (one style, Agg, no ``Software`` stamp), tables in a fixed
  order. The one time it shows is each case's last comparison (the modification time of its
  ``summary.csv``, in UTC): a fact of its inputs, so that after ``rnncore run CASE`` the page says
  which case was compared when;
* every text from a file escaped (Jinja2 autoescape); every ``img`` has an ``alt`` text, every
  table a ``caption``; a failing row says FAIL (or ERROR) in words, not by colour alone;
* the verdict it describes: ``<meta name="rnncore-verdict">`` carries ``verdict.json``'s fingerprint.

The page opens with the verdict and one line per case (status, worst comparison, links); each case
is a ``<details>`` section, open when it fails, with every comparison (worst element, both values
there, the element table) and distance maps only where they say something: every failing
comparison and the passing ones closest to their tolerance.
"""

from __future__ import annotations

import base64
import json
import math
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnncore import layout
from rnncore.io import read_csv, write_atomic
from rnncore.reports import figures
from rnncore.reports.fingerprint import html_meta
from rnncore.reports.inputs import ReportInputs
from rnncore.reports.text import exact, num, status_word, tol_text, ulp_text, worst_text
from rnncore.reports.verdict import ENGINES, ParityRow, Verdict, read_rows, worst_first

__all__ = ["MAPS_FAILING", "MAPS_PASSING", "MAX_COLS", "MAX_ROWS", "SECTIONS", "build_html", "last_run_text", "render_html"]

TEMPLATES = Path(__file__).with_name("templates")

# A distance map shows at most MAX_ROWS x MAX_COLS elements: a window around the worst element.
MAX_ROWS = 40
MAX_COLS = 60
# Maps drawn per case: every failing comparison up to MAPS_FAILING, then the MAPS_PASSING passing
# ones that use the most of their tolerance. A map of a comparison far inside its bound says
# nothing its row does not; its element table (linked) still holds every value.
MAPS_FAILING = 8
MAPS_PASSING = 2
MAX_STEMS = 40

# (id, title): the navigation and the headings are made from this one list, so they cannot disagree.
SECTIONS = [
    ("overview", "Cases at a glance"),
    ("cases", "Parity by case"),
    ("references", "Printed references beside both engines"),
    ("training-parity", "Training parity: loss curves"),
    ("learning", "Learning: PIG and the plural task"),
    ("study", "Vanishing gradients and long time lags"),
    ("provenance", "Provenance"),
]
_TITLE = dict(SECTIONS)

# The most serious status of a case decides its word in the overview.
_SEVERITY = ["pass", "library-accepted", "library", "fail", "class-mismatch", "shape-mismatch", "unsupported", "missing", "absent", "error"]


# --------------------------------------------------------------------------- formatting


def _pct(x) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{100 * x:.1f}%"


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _int(text) -> int | None:
    v = _float(text)
    return int(v) if math.isfinite(v) and v == int(v) else None


def _exists(path: Path | None) -> bool:
    return path is not None and path.is_file()


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24]) if data[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)


@dataclass
class Image:
    """An embedded PNG: the template writes ``<img src=uri alt=alt width height>``."""

    data: bytes
    alt: str

    @property
    def uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.data).decode("ascii")

    @property
    def width(self) -> int:
        return _png_size(self.data)[0]

    @property
    def height(self) -> int:
        return _png_size(self.data)[1]


# --------------------------------------------------------------------------- element tables


@dataclass
class Elements:
    """An element table as MATLAB-shaped arrays (NaN where the table has no value)."""

    ulp: np.ndarray
    abs_err: np.ndarray
    left: np.ndarray
    right: np.ndarray
    fails: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.ulp.shape


def has_elements(path: Path) -> bool:
    """Whether a comparison wrote an element table: a case that could not be compared (a side crashed,
    a variable missing) leaves an empty file where its rule promised one (pipeline.steps._clear_tables)."""
    return path.is_file() and path.stat().st_size > 0


def read_elements(path: Path) -> Elements:
    rows = read_csv(path)
    rr = [_int(r.get("row")) or 0 for r in rows]
    cc = [_int(r.get("col")) or 0 for r in rows]
    n_r, n_c = (max(rr), max(cc)) if rows else (0, 0)
    arrays = {k: np.full((n_r, n_c), np.nan) for k in ("ulp", "abs_err", "left", "right")}
    fails = np.zeros((n_r, n_c), dtype=bool)
    for r, c, row in zip(rr, cc, rows):
        if r >= 1 and c >= 1:
            for k in arrays:
                arrays[k][r - 1, c - 1] = _float(row.get(k))
            fails[r - 1, c - 1] = row.get("verdict", "pass") != "pass"
    return Elements(fails=fails, **arrays)


def _window(n: int, centre: int, size: int) -> tuple[int, int]:
    """0-based [start, stop) of at most ``size`` indices around 0-based ``centre``, inside [0, n)."""
    if n <= size:
        return 0, n
    start = min(max(0, centre - size // 2), n - size)
    return start, start + size


def _focus(row: ParityRow, el: Elements) -> tuple[int, int]:
    """1-based element to centre a window on: the row's worst element as the engine names it (never
    recomputed, so NaN cannot move it), else the first failing element, else (1, 1)."""
    n_r, n_c = el.shape
    if row.worst and 1 <= row.worst[0] <= n_r and 1 <= row.worst[1] <= n_c:
        return row.worst
    failing = np.argwhere(el.fails.T)  # column-major, as MATLAB counts
    if failing.size:
        return int(failing[0][1]) + 1, int(failing[0][0]) + 1
    return 1, 1


# --------------------------------------------------------------------------- view models


@dataclass
class RowView:
    row: ParityRow | None
    status: str
    variable: str
    pair: str
    shape: str
    max_abs_err: str
    max_ulp: str
    worst: str
    left_value: str
    right_value: str
    failing: str
    tolerance: str
    message: str
    csv_href: str | None

    @property
    def bad(self) -> bool:
        return self.status not in ("pass", "library-accepted")

    @property
    def css(self) -> str:
        """Row classes: ``bad`` fails the gate; ``lib`` is a library routine's difference (amber)."""
        lib = self.status in ("library", "library-accepted")
        return " ".join(c for c, on in (("bad", self.bad), ("lib", lib)) if on)

    @property
    def word(self) -> str:
        return status_word(self.status)


@dataclass
class MapView:
    image: Image | None
    bad: bool
    caption: str


@dataclass
class CaseView:
    name: str
    status: str
    rows: list
    maps: list = field(default_factory=list)
    maps_note: str = ""
    worst: RowView | None = None
    elements_href: str | None = None
    counts: str = ""
    last_run: str = "—"

    @property
    def bad(self) -> bool:
        return self.status not in ("pass", "library-accepted")

    @property
    def word(self) -> str:
        if self.status in ("pass", "error", "library", "library-accepted"):
            return status_word(self.status)
        return "✗ FAIL"


def _href(out_dir: Path, target: Path) -> str:
    """A relative link from the page's folder to ``target`` (POSIX separators, never absolute)."""
    return Path(os.path.relpath(os.path.abspath(target), os.path.abspath(out_dir))).as_posix()


def _row_view(inputs: ReportInputs, out_dir: Path, r: ParityRow) -> RowView:
    table = inputs.element_table(r.case, r.left, r.right, r.variable)
    if r.shape_left == r.shape_right:
        shape = r.shape_left or "—"
    else:
        shape = f"{r.shape_left or '—'} vs {r.shape_right or '—'}"
    worst = worst_text(r)
    return RowView(row=r, status=r.status, variable=r.variable, pair=f"{r.left} vs {r.right}", shape=shape,
                   max_abs_err=num(r.max_abs_err), max_ulp=ulp_text(r), worst=worst, left_value=exact(r.worst_left), right_value=exact(r.worst_right),
                   failing=f"{r.n_fail} / {r.n_elements}", tolerance=tol_text(r), message=r.message,
                   csv_href=_href(out_dir, table) if table.is_file() else None)


def _absent_view(label: str) -> RowView:
    parts = label.split(" ")
    variable, pair = (parts[1], parts[2].replace("-vs-", " vs ")) if len(parts) >= 3 else (label, "")
    return RowView(row=None, status="absent", variable=variable, pair=pair, shape="—", max_abs_err="—", max_ulp="—",
                   worst="—", left_value="—", right_value="—", failing="—",
                   tolerance="—", message="The configuration expects this comparison but summary.csv has no row for it.",
                   csv_href=None)


def _map(inputs: ReportInputs, r: ParityRow) -> MapView:
    path = inputs.element_table(r.case, r.left, r.right, r.variable)
    word = status_word(r.status)
    label = f"{r.variable}, {r.left} vs {r.right}"
    if not has_elements(path):
        return MapView(None, not r.passed, f"{word} {label}: no element table ({r.message or 'none written'}).")
    el = read_elements(path)
    n_r, n_c = el.shape
    if n_r == 0 or n_c == 0:
        return MapView(None, not r.passed, f"{word} {label}: the element table is empty.")
    fr, fc = _focus(r, el)
    r0, r1 = _window(n_r, fr - 1, MAX_ROWS)
    c0, c1 = _window(n_c, fc - 1, MAX_COLS)
    png = figures.distance_map_png(el.ulp[r0:r1, c0:c1], el.abs_err[r0:r1, c0:c1], el.fails[r0:r1, c0:c1],
                                   r.tol_ulp, r.tol_atol, f"{r.variable}: {r.left} vs {r.right}", r0 + 1, c0 + 1)
    cats, abs_only = figures.element_categories(el.ulp, el.abs_err, el.fails, r.tol_ulp, r.tol_atol)
    n_fail, n_abs = int(el.fails.sum()), int(abs_only.sum())
    alt = (f"Distance map of {r.variable} ({n_r}x{n_c}), {r.left} vs {r.right}, case {r.case}: share of the "
           f"tolerance each element uses; {n_fail} failing element(s), {n_abs} passing by the absolute bound only")
    window = ((r1 - r0, c1 - c0) != (n_r, n_c))
    caption = (f"{word} {label}, {n_r}×{n_c}: {n_fail} failing element(s) (red, ✗)"
               + (f", {n_abs} above {r.tol_ulp} ULP that pass by the absolute bound (hatched)" if n_abs else "")
               + f"; worst ({fr}, {fc})."
               + (f" Rows {r0 + 1}–{r1}, columns {c0 + 1}–{c1} of {n_r}×{n_c}, around the worst element."
                  if window else "")
               + (f" Worst of {r.draws} draws: draw {r.worst_draw}." if r.draws > 1 and r.worst_draw else ""))
    return MapView(Image(png, alt), not r.passed, caption)


def last_run_text(path: Path) -> str:
    """When a case was last compared: its summary's modification time, UTC to the second ("—" if absent)."""
    from datetime import datetime, timezone

    try:
        seconds = path.stat().st_mtime
    except OSError:
        return "—"
    return datetime.fromtimestamp(int(seconds), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _case_status(statuses: list[str]) -> str:
    return max(statuses, key=_SEVERITY.index) if statuses else "pass"


def _cases(inputs: ReportInputs, out_dir: Path, rows: list[ParityRow], verdict: Verdict | None) -> list[CaseView]:
    absent: dict[str, list[str]] = {}
    for label in (verdict.absent if verdict else []):
        absent.setdefault(label.split(" ", 1)[0], []).append(label)
    names = list(dict.fromkeys([r.case for r in rows] + list(absent)))
    out = []
    for name in names:
        case_rows = worst_first([r for r in rows if r.case == name])
        views = [_row_view(inputs, out_dir, r) for r in case_rows] + [_absent_view(a) for a in absent.get(name, [])]
        status = _case_status([v.status for v in views])
        # A row without an element table (a side crashed, a variable missing) has nothing to map: its
        # message in the table says why.
        drawable = [r for r in case_rows if has_elements(inputs.element_table(r.case, r.left, r.right, r.variable))]
        bad = [r for r in drawable if not r.passed]
        good = [r for r in drawable if r.passed]
        chosen = bad[:MAPS_FAILING] + good[:MAPS_PASSING]
        maps = [_map(inputs, r) for r in chosen]
        skipped_bad, skipped_good = len(bad) - len(bad[:MAPS_FAILING]), len(good) - len(good[:MAPS_PASSING])
        note = []
        if skipped_bad:
            note.append(f"{skipped_bad} more failing comparison(s) have no map here")
        if skipped_good:
            note.append(f"the {skipped_good} other passing comparison(s) use less of their tolerance and are not drawn")
        n_pass = sum(v.status == "pass" for v in views)
        folder = inputs.root / layout.case_elements(name)
        out.append(CaseView(name=name, status=status, rows=views, maps=maps,
                            maps_note=("; ".join(note) + " (their element tables hold every value).") if note else "",
                            worst=views[0] if views else None,
                            elements_href=_href(out_dir, folder) + "/" if folder.is_dir() else None,
                            counts=f"{n_pass} of {len(views)} pass" + (
                                f", {n_accepted} library-accepted" if (n_accepted := sum(
                                    v.status == "library-accepted" for v in views)) else ""),
                            last_run=last_run_text(inputs.root / layout.case_summary(name))))
    return out


# --------------------------------------------------------------------------- other sections


@dataclass
class Table:
    caption: str
    header: list
    body: list  # rows of cells (text, escaped by the template)
    row_classes: list = field(default_factory=list)
    cls: str = ""


@dataclass
class Missing:
    """A "not produced by this run" note naming the absent inputs."""

    names: list


def _missing(inputs: ReportInputs, *paths) -> Missing:
    names = []
    for p in paths:
        if p is None:
            names.append("(not given to the report)")
            continue
        try:
            names.append(Path(p).relative_to(inputs.root).as_posix())
        except ValueError:
            names.append(Path(p).name)
    return Missing(names)


def _four(v: float) -> str:
    if not math.isfinite(v):
        return "—"
    text = f"{v:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _references(inputs: ReportInputs, rows: list[ParityRow]) -> list[dict]:
    """Per case with a configured reference: each printed variable beside Octave's and Python's values."""
    from rnncore.engine.reference import ReferenceFileError, load_reference

    out = []
    for case, path in sorted(inputs.references.items()):
        case_rows = [r for r in rows if r.case == case]
        ref_name = next((r.reference for r in case_rows if r.reference), "reference")
        block = {"case": case, "name": ref_name, "file": _missing(inputs, path).names[0], "error": "", "variables": [],
                 "bad": any(r.reference and not r.passed for r in case_rows)}
        if not path.is_file():
            block["error"] = "the reference file is absent."
            block["bad"] = True
            out.append(block)
            continue
        try:
            printed = load_reference(path)
        except ReferenceFileError as exc:
            block["error"] = f"the reference file could not be read: {exc}"
            block["bad"] = True
            out.append(block)
            continue
        for variable, ref in printed.items():
            engines: dict[str, np.ndarray] = {}
            ovp = inputs.element_table(case, "octave", "python", variable)
            if has_elements(ovp):
                el = read_elements(ovp)
                engines = {"octave": el.left, "python": el.right}
            for side in ENGINES:
                for left, right in ((ref_name, side), (side, ref_name)):
                    p = inputs.element_table(case, left, right, variable)
                    if side not in engines and has_elements(p):
                        el = read_elements(p)
                        engines[side] = el.right if right == side else el.left
            tables = [_matrix(f"{ref_name}: {variable} as printed", ref, None)]
            for side in ENGINES:
                if side in engines:
                    tables.append(_matrix(f"{side.capitalize()}: {variable}", engines[side], ref))
            verdicts = []
            for r in case_rows:
                if r.variable == variable and r.reference:
                    verdicts.append(f"{r.left} vs {r.right}: {status_word(r.status)} (max |err| {num(r.max_abs_err)}, "
                                    f"{tol_text(r)})")
            if not verdicts:
                verdicts.append("no comparison with this variable in summary.csv")
            block["variables"].append({"name": variable, "tables": tables, "verdicts": verdicts,
                                       "missing": [s for s in ENGINES if s not in engines]})
        out.append(block)
    return out


def _matrix(caption: str, m: np.ndarray, ref: np.ndarray | None) -> Table:
    header = [""] + [f"col {j + 1}" for j in range(m.shape[1])]
    body, marks = [], []
    for i in range(m.shape[0]):
        cells = [f"row {i + 1}"]
        for j in range(m.shape[1]):
            text = _four(m[i, j])
            if ref is not None and i < ref.shape[0] and j < ref.shape[1] and text != _four(ref[i, j]):
                text += " †"
            cells.append(text)
        body.append(cells)
        marks.append("")
    return Table(caption, header, body, marks, "matrix")


def _training_parity(inputs: ReportInputs, rows: list[ParityRow]) -> dict:
    """The cases of training_divergence.csv (the workflow's list of training cases), their loss curves."""
    if not _exists(inputs.divergence):
        return {"missing": _missing(inputs, inputs.divergence), "table": None, "cases": []}
    div = read_csv(inputs.divergence)
    by_case = {(r.case, r.variable, r.left, r.right): r for r in rows}
    header = ["case", "epochs", "first epoch beyond tolerance", "ULP at epoch 1", "ULP at the last epoch", "max ULP",
              "at epoch", "max |abs err|"]
    body = [[d.get("case", ""), d.get("epochs", ""), d.get("first_divergence_epoch") or "never",
             d.get("ulp_epoch_1", ""), d.get("ulp_last_epoch", ""), d.get("max_ulp", ""), d.get("max_ulp_epoch", ""),
             num(_float(d.get("max_abs_err")))] for d in div]
    table = Table("Where the loss curves part (parity/training_divergence.csv)", header, body,
                  ["bad" if d.get("first_divergence_epoch") else "" for d in div])
    cases = []
    for d in div:
        case = d.get("case", "")
        row = by_case.get((case, "losses", "octave", "python"))
        path = inputs.element_table(case, "octave", "python", "losses")
        if row is None or not path.is_file():
            cases.append({"name": case, "image": None, "bad": True,
                          "caption": f"{case}: no losses element table ({'no summary row' if row is None else 'absent'})."})
            continue
        table_rows = read_csv(path)
        epochs = np.array([_float(t["col"]) for t in table_rows])
        octave = np.array([_float(t["left"]) for t in table_rows])
        python = np.array([_float(t["right"]) for t in table_rows])
        fails = np.array([t.get("verdict") != "pass" for t in table_rows], dtype=bool)
        png = figures.loss_parity_png(epochs, octave, python, fails, row.tol_atol, f"{case}: loss per epoch")
        alt = (f"Loss per epoch of {case}: Octave and Python overlaid ({len(table_rows)} epochs), and below them "
               f"Python minus Octave per epoch against the absolute bound; {int(fails.sum())} epoch(s) beyond tolerance")
        cases.append({"name": case, "image": Image(png, alt), "bad": not row.passed,
                      "caption": f"{status_word(row.status)}: max {ulp_text(row)} ULP, max |err| {num(row.max_abs_err)}; "
                                 f"tolerance {tol_text(row)}. Lower panel: Python − Octave, the absolute bound shaded."})
    return {"missing": None, "table": table, "cases": cases}


def _mean_std(r: dict, name: str, pct: bool) -> str:
    m, s = _float(r.get(f"{name}_mean")), _float(r.get(f"{name}_std"))
    if math.isnan(m):
        return "—"
    return f"{100 * m:.1f}% ± {100 * s:.1f}" if pct else f"{m:.4g} ± {s:.2g}"


def _learning(inputs: ReportInputs) -> dict:
    out: dict = {"pig": None, "pig_missing": None, "plural": None, "plural_missing": None, "metrics": None,
                 "errors": None, "errors_missing": None, "errors_none": False}
    if _exists(inputs.training_pig):
        # The letters come from the file's own columns (p_P_before, p_I_before, ...): the report shows what
        # the training report wrote, and needs no import of the course's alphabet.
        pig_rows = read_csv(inputs.training_pig)
        letters = [c[len("p_"):-len("_before")] for c in (pig_rows[0] if pig_rows else {})
                   if c.startswith("p_") and c.endswith("_before")]
        header = ["model", "seed", "before", *(f"p({c}) before" for c in letters), "after",
                  *(f"p({c}) after" for c in letters)]
        body, classes = [], []
        for r in pig_rows:
            after = r.get("prediction_after", "")
            body.append([r.get("model", ""), r.get("seed", ""), r.get("prediction_before", ""),
                         *(_four(_float(r.get(f"p_{c}_before"))) for c in letters),
                         f"{after} ✓" if after == "S" else f"{after} ✗ not S",
                         *(_four(_float(r.get(f"p_{c}_after"))) for c in letters)])
            classes.append("" if after == "S" else "bad")
        out["pig"] = Table("PIG: the letter predicted at step 3, before and after training (training/pig.csv)",
                           header, body, classes)
    else:
        out["pig_missing"] = _missing(inputs, inputs.training_pig)
    if _exists(inputs.training_summary):
        rows = [r for r in read_csv(inputs.training_summary) if r.get("task") == "plural"]
        header = ["model", "hidden", "seeds", "held-out accuracy", "training accuracy", "final loss", "mean wall time (s)"]
        body = [[r.get("model", ""), r.get("hidden", ""), r.get("n_seeds", ""), _mean_std(r, "heldout_acc", True),
                 _mean_std(r, "train_acc", True), _mean_std(r, "final_loss", False), num(_float(r.get("wall_s_mean")))]
                for r in rows]
        out["plural"] = Table("Plural task per model: mean ± std over seeds (training/summary.csv)", header, body)
    else:
        out["plural_missing"] = _missing(inputs, inputs.training_summary)
    if _exists(inputs.training_metrics):
        header = ["task", "model", "hidden", "seed", "epochs", "final loss", "train acc", "held-out acc", "wall s"]
        body = [[r.get("task", ""), r.get("model", ""), r.get("hidden", ""), r.get("seed", ""), r.get("epochs", ""),
                 num(_float(r.get("final_loss")), 4), _pct(_float(r.get("train_acc"))),
                 _pct(_float(r.get("heldout_acc"))), num(_float(r.get("wall_s")))] for r in read_csv(inputs.training_metrics)]
        out["metrics"] = Table("One row per training run (training/metrics.csv)", header, body)
    if _exists(inputs.training_errors):
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for r in read_csv(inputs.training_errors):
            groups.setdefault((r.get("stem", ""), r.get("suffix", "")), []).append((r.get("run_id", ""),
                                                                                   r.get("predicted", "")))
        order = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        body = [[stem, suffix, str(len(runs)), ", ".join(f"{run} → {pred}" for run, pred in sorted(runs))]
                for (stem, suffix), runs in order[:MAX_STEMS]]
        note = f" (first {MAX_STEMS} of {len(order)})" if len(order) > MAX_STEMS else ""
        out["errors"] = Table(f"Held-out nouns predicted wrong, most often first{note} (training/heldout_errors.csv)",
                              ["stem", "true suffix", "runs wrong", "run → predicted"], body) if body else None
        out["errors_none"] = not body
    else:
        out["errors_missing"] = _missing(inputs, inputs.training_errors)
    return out


def _study(inputs: ReportInputs) -> dict:
    out: dict = {"vanishing": None, "vanishing_table": None, "vanishing_missing": None, "lag": None,
                 "lag_table": None, "lag_missing": None}
    if _exists(inputs.vanishing_png):
        out["vanishing"] = Image(inputs.vanishing_png.read_bytes(), "Vanishing-gradient plot: norm of dLoss/dh_t "
                                 "against the distance from the loss, per model, at initialisation and after training")
    if _exists(inputs.vanishing_csv):
        rows = read_csv(inputs.vanishing_csv)
        if rows and {"model", "stage", "distance", "grad_norm"} <= set(rows[0]):
            distances = sorted({d for d in (_int(r["distance"]) for r in rows) if d is not None})
            wanted = [d for d in (0, 1, 2, 5, 10, 20, 50, 100) if d in distances]
            if distances and distances[-1] not in wanted:
                wanted.append(distances[-1])
            groups: dict[tuple[str, str], dict[int, float]] = {}
            for r in rows:
                groups.setdefault((r.get("model", ""), r.get("stage", "")), {})[_int(r["distance"])] = _float(r["grad_norm"])
            body = [[m, s] + [num(by.get(d)) if d in by else "—" for d in wanted] for (m, s), by in groups.items()]
            out["vanishing_table"] = Table("||dLoss/dh_t|| at distance d from the loss (study/vanishing.csv)",
                                           ["model", "stage"] + [f"d = {d}" for d in wanted], body)
    if out["vanishing"] is None and out["vanishing_table"] is None:
        out["vanishing_missing"] = _missing(inputs, inputs.vanishing_csv, inputs.vanishing_png)
    if _exists(inputs.longlag_png):
        out["lag"] = Image(inputs.longlag_png.read_bytes(), "Accuracy against the time lag for the Elman RNNs and the LSTM")
    if _exists(inputs.longlag_summary):
        rows = read_csv(inputs.longlag_summary)
        lags = sorted({lag for lag in (_int(r.get("lag")) for r in rows) if lag is not None})
        models = list(dict.fromkeys(r.get("model", "") for r in rows))
        cell = {(r.get("model"), _int(r.get("lag"))): r for r in rows}
        body = []
        for m in models:
            line = [m]
            for lag in lags:
                r = cell.get((m, lag))
                line.append("—" if r is None else f"{_pct(_float(r.get('mean_accuracy')))} "
                            f"({_pct(_float(r.get('min_accuracy')))}–{_pct(_float(r.get('max_accuracy')))})")
            body.append(line)
        out["lag_table"] = Table("Mean accuracy over seeds (min–max) by model and lag (study/longlag_summary.csv)",
                                 ["model"] + [f"lag {lag}" for lag in lags], body)
    if out["lag"] is None and out["lag_table"] is None:
        out["lag_missing"] = _missing(inputs, inputs.longlag_summary, inputs.longlag_png)
    return out


def _provenance(inputs: ReportInputs) -> dict:
    if not _exists(inputs.provenance):
        return {"missing": _missing(inputs, inputs.provenance), "tables": []}
    prov = json.loads(inputs.provenance.read_text(encoding="utf-8"))
    tables = []
    facts = [["python", prov.get("python", "")], ["platform", prov.get("platform", "")],
             ["machine", prov.get("machine", "")]]
    facts += [[f"numpy {k}", str(v)] for k, v in sorted((prov.get("numpy_build") or {}).items())]
    facts += [[f"{k} version", str(v)] for k, v in sorted((prov.get("packages") or {}).items())]
    tables.append(Table("Python side", ["what", "value"], facts, cls="prov"))
    cases = prov.get("cases") or {}
    sides: dict[str, list[str]] = {}
    for name in sorted(cases):
        sides.setdefault(json.dumps((cases[name] or {}).get("octave") or {}, sort_keys=True), []).append(name)
    for key, names in sides.items():
        o = json.loads(key)
        if o:
            who = "every case" if len(names) == len(cases) else ", ".join(names)
            tables.append(Table(f"Octave side ({who})", ["what", "value"],
                                [[k, str(v)] for k, v in sorted(o.items())], cls="prov"))
    if cases:
        body = []
        for name in sorted(cases):
            c = cases[name] or {}
            ref = c.get("reference") or {}
            body.append([name, c.get("script", ""), c.get("script_sha256", ""), c.get("python", ""),
                         ", ".join(c.get("shims_used") or []) or "none", ref.get("file", "—"), ref.get("sha256", "—")])
        tables.append(Table("Per case: the files run, the Python port and the shims the script called",
                            ["case", "script", "script SHA-256", "Python port", "shims used", "reference",
                             "reference SHA-256"], body, cls="prov"))
    hashes = [[k, str(v)] for k, v in sorted((prov.get("shims") or {}).items())]
    hashes += [[k, str(v)] for k, v in sorted((prov.get("python_sources") or {}).items())]
    if hashes:
        tables.append(Table("SHA-256 of every shim and Python source", ["file", "SHA-256"], hashes, cls="prov"))
    return {"missing": None, "tables": tables}


# --------------------------------------------------------------------------- page


def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env


def render_html(inputs: ReportInputs, out_dir=".") -> str:
    """The report page as text; ``out_dir`` is the folder the page will live in (for relative links)."""
    out_dir = Path(out_dir)
    rows = read_rows(inputs.summary) if _exists(inputs.summary) else None
    verdict = Verdict.read(inputs.verdict) if _exists(inputs.verdict) else None
    cases = _cases(inputs, out_dir, rows or [], verdict)
    if verdict is not None:
        passed, line = verdict.passed, verdict.line
    elif rows is not None:
        bad = sum(not r.passed for r in rows)
        passed, line = False, (f"{bad} of {len(rows)} comparisons fail" if bad else
                               f"{len(rows)} of {len(rows)} comparisons pass") + ", but the gate's verdict is absent"
    else:
        passed, line = False, "no parity summary was produced"
    context = {
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "meta": html_meta(verdict.fingerprint) if verdict else "",
        "sections": SECTIONS, "title": _TITLE,
        "passed": passed, "line": line, "verdict": verdict,
        "summary_missing": None if rows is not None else _missing(inputs, inputs.summary),
        "verdict_missing": None if verdict is not None else _missing(inputs, inputs.verdict),
        "cases": cases, "n_rows": len(rows or []),
        "references": _references(inputs, rows or []),
        "training": _training_parity(inputs, rows or []),
        "learning": _learning(inputs),
        "study": _study(inputs),
        "provenance": _provenance(inputs),
        "maps_failing": MAPS_FAILING, "maps_passing": MAPS_PASSING, "max_rows": MAX_ROWS, "max_cols": MAX_COLS,
    }
    return _environment().get_template("report.html.j2").render(**context)


def build_html(inputs: ReportInputs, out) -> Path:
    """Write the report of ``inputs`` to ``out`` (one self-contained HTML file); return its path.

    The same inputs give the same bytes.
    """
    out = Path(out)
    write_atomic(out, render_html(inputs, out.parent))
    return out
