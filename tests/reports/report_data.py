"""A miniature run in the contract the reports read: ``summary.csv`` (23 columns), ``verdict.json``, element
tables at :func:`rnncore.layout.element_table`, a reference file, training and study files.

:func:`make_run` writes it under a folder (the run's working directory) and returns the
:class:`~rnncore.reports.inputs.ReportInputs` naming its files. Cases, chosen for what can go wrong:

* ``course_demo`` (a reference case *not* named rnn2): Octave vs Python passes; its ``softmax_y_out``
  against the printed slides passes by the absolute bound only (``tol_ulp`` 0, max ULP 4e11);
* ``broken``: ``y1`` element (2,1) off by 1e-9 (fail); ``p1`` shape mismatch; ``h1`` with an ``Inf``
  and a ``NaN`` at the worst element (fail: the row headline must point at (3,1), as written);
  ``g_by`` expected but absent (verdict.json);
* ``crashed``: Octave raised an error: rows with status ``error``, empty numbers and a message;
* ``near_zero``: passes, one element 3071 ULP apart that passes by the absolute bound;
* ``big``: 45x3, 10 draws, worst element (42,3): the map is a window;
* ``train_demo``: ``losses`` over 6 epochs, in ``training_divergence.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np

from rnncore import layout
from rnncore.reports.inputs import ReportInputs
from rnncore.engine.verdict_format import SUMMARY_COLUMNS as COLUMNS

ELEMENT_COLUMNS = ["row", "col", "left", "right", "abs_err", "rel_err", "ulp", "verdict", "note"]
ENGINE = {"tolerance": "ulp<=16 or abs<=8.881784197001252e-16", "tol_ulp": 16, "tol_atol": "8.8817841970012523e-16"}
SLIDES = {"tolerance": "abs<=5e-05", "tol_ulp": 0, "tol_atol": "5.0000000000000002e-05"}
TRAIN = {"tolerance": "ulp<=64 or abs<=1.4210854715202004e-14", "tol_ulp": 64, "tol_atol": "1.4210854715202004e-14"}
CRASH = "matlab_ref/crashed.m:3: error in crashed: 'foo' undefined <b>not bold</b>"

SLIDES_SOFTMAX = np.array([[0, 0.4324, 0.4198, 0.4332],
                           [0, 0.2052, 0.1947, 0.1988],
                           [0, 0.1599, 0.1622, 0.1581],
                           [0, 0.2025, 0.2232, 0.2099]])
# The failing row's worst element: the values the page must show beside its index.
BROKEN_LEFT, BROKEN_RIGHT = 0.25, 0.25 + 1e-9


def g17(x) -> str:
    """A float as the engine writes it (``%.17g``)."""
    return "%.17g" % float(x)


def write_csv(path: Path, columns, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def elements(base: Path, case, left, right, variable, lv: np.ndarray, rv: np.ndarray, ulp: np.ndarray, fail=()):
    rows = []
    for c in range(lv.shape[1]):
        for r in range(lv.shape[0]):
            a, b = float(lv[r, c]), float(rv[r, c])
            err = abs(a - b) if np.isfinite(a) and np.isfinite(b) else float("nan")
            u = ulp[r, c]
            rows.append({"row": r + 1, "col": c + 1, "left": repr(a), "right": repr(b), "abs_err": repr(err),
                         "rel_err": "0", "ulp": "" if not np.isfinite(u) else int(u),
                         "verdict": "fail" if (r + 1, c + 1) in fail else "pass", "note": ""})
    write_csv(base / layout.element_table(case, left, right, variable), ELEMENT_COLUMNS, rows)


def row(case, variable, left, right, tol, status="pass", shape="", **kw) -> dict:
    r = {c: "" for c in COLUMNS}
    r.update({"case": case, "variable": variable, "left": left, "right": right, "class_left": "double",
              "class_right": "double", "shape_left": shape, "shape_right": shape, "draws": 1, "worst_draw": "",
              "n_elements": 0, "n_fail": 0, "status": status, **tol})
    r.update({k: v for k, v in kw.items()})
    return r


def make_run(base: Path, *, training: bool = True, study: bool = True, references: bool = True) -> ReportInputs:
    base = Path(base)
    rng = np.random.default_rng(0)
    # course_demo: a reference case that is not called rnn2
    octave = SLIDES_SOFTMAX + rng.uniform(-4e-5, 4e-5, (4, 4)) * (SLIDES_SOFTMAX > 0)
    python = octave.copy()
    python[3, 1] = np.nextafter(python[3, 1], 1.0)
    one = np.zeros((4, 4))
    one[3, 1] = 1
    elements(base, "course_demo", "octave", "python", "softmax_y_out", octave, python, one)
    elements(base, "course_demo", "slides", "octave", "softmax_y_out", SLIDES_SOFTMAX, octave,
             np.full((4, 4), 4e11) * (SLIDES_SOFTMAX > 0))
    ref = base / "matlab_ref" / "reference" / "demo_slides.csv"
    ref.parent.mkdir(parents=True, exist_ok=True)
    ref.write_text("# printed on a slide, hand-made for the test\nvariable,row,col,value,source\n" + "".join(
        f"softmax_y_out,{r + 1},{c + 1},{SLIDES_SOFTMAX[r, c]:.4f},slide 14\n" for c in range(4) for r in range(4)),
        encoding="utf-8")
    # broken: a failing element, an Inf/NaN row
    y1_o = np.array([[0.5], [BROKEN_LEFT], [0.125], [0.0625]])
    y1_p = y1_o.copy()
    y1_p[1, 0] = BROKEN_RIGHT
    elements(base, "broken", "octave", "python", "y1", y1_o, y1_p, np.array([[0], [4503599], [0], [0]]),
             fail={(2, 1)})
    h1_o = np.array([[1.0], [2.0], [np.inf]])
    h1_p = np.array([[1.0], [2.0], [np.nan]])
    elements(base, "broken", "octave", "python", "h1", h1_o, h1_p, np.array([[0], [0], [np.nan]]), fail={(3, 1)})
    # near_zero: 3071 ULP that pass by the absolute bound
    nz_o = np.array([[1e-19, 0.5], [0.25, 0.75]])
    nz_p = nz_o.copy()
    nz_p[0, 0] = 1e-19 + 3071 * 1.5e-35
    elements(base, "near_zero", "octave", "python", "ht", nz_o, nz_p, np.array([[3071, 0], [2, 0]]))
    # big: a window around (42, 3)
    big = rng.normal(size=(45, 3))
    big_ulp = np.zeros((45, 3))
    big_ulp[41, 2] = 9
    elements(base, "big", "octave", "python", "w", big, big, big_ulp)
    # train_demo: losses
    loss_o = np.array([[2.0, 1.5, 1.1, 0.8, 0.6, 0.5]])
    loss_p = loss_o.copy()
    loss_p[0, 4] = np.nextafter(loss_p[0, 4], 0.0)
    loss_ulp = np.zeros((1, 6))
    loss_ulp[0, 4] = 1
    elements(base, "train_demo", "octave", "python", "losses", loss_o, loss_p, loss_ulp)

    rows = [
        row("course_demo", "softmax_y_out", "octave", "python", ENGINE, shape="4x4", max_abs_err="5.5511151231257827e-17",
            max_ulp=1, worst_row=4, worst_col=2, worst_left=g17(octave[3, 1]), worst_right=g17(python[3, 1]),
            n_elements=16),
        row("course_demo", "softmax_y_out", "slides", "octave", SLIDES, shape="4x4", max_abs_err="3.9e-05",
            max_ulp=400000000000, worst_row=3, worst_col=3, worst_left="0.1622", worst_right=g17(octave[2, 2]),
            n_elements=16),
        row("broken", "y1", "octave", "python", ENGINE, "fail", "4x1", max_abs_err="1.0000000827403710e-09",
            max_ulp=4503599, worst_row=2, worst_col=1, worst_left=repr(BROKEN_LEFT), worst_right=repr(BROKEN_RIGHT),
            n_elements=4, n_fail=1),
        row("broken", "p1", "octave", "python", ENGINE, "shape-mismatch", "4x1", shape_right="1x4", max_abs_err="NaN",
            n_elements=4, n_fail=4, message="octave has shape 4x1, python 1x4."),
        row("broken", "h1", "octave", "python", ENGINE, "fail", "3x1", max_abs_err="Inf", worst_row=3, worst_col=1,
            worst_left="Inf", worst_right="NaN", n_elements=3, n_fail=1),
        row("crashed", "x", "octave", "python", ENGINE, "error", class_left="", class_right="", message=CRASH),
        row("crashed", "y", "octave", "python", ENGINE, "error", class_left="", class_right="", message=CRASH),
        row("near_zero", "ht", "octave", "python", ENGINE, shape="2x2", max_abs_err=repr(3071 * 1.5e-35),
            max_ulp=3071, worst_row=1, worst_col=1, worst_left=g17(nz_o[0, 0]), worst_right=g17(nz_p[0, 0]),
            n_elements=4),
        row("big", "w", "octave", "python", ENGINE, shape="45x3", max_abs_err="0", max_ulp=9, worst_row=42,
            worst_col=3, worst_left=g17(big[41, 2]), worst_right=g17(big[41, 2]), draws=10, worst_draw=7,
            n_elements=1350),
        row("train_demo", "losses", "octave", "python", TRAIN, shape="1x6", max_abs_err="1.1102230246251565e-16",
            max_ulp=1, worst_row=1, worst_col=5, worst_left=g17(loss_o[0, 4]), worst_right=g17(loss_p[0, 4]),
            n_elements=6),
    ]
    summary = base / layout.summary()
    write_csv(summary, COLUMNS, rows)
    write_verdict(base, rows, absent=["broken g_by octave-vs-python"])
    write_csv(base / layout.divergence(),
              ["case", "epochs", "first_divergence_epoch", "ulp_epoch_1", "ulp_last_epoch", "max_ulp",
               "max_ulp_epoch", "max_abs_err", "tolerance"],
              [{"case": "train_demo", "epochs": 6, "first_divergence_epoch": "", "ulp_epoch_1": 0, "ulp_last_epoch": 0,
                "max_ulp": 1, "max_ulp_epoch": 5, "max_abs_err": "1.1e-16", "tolerance": ""}])
    prov = {"cases": {"course_demo": {"octave": {"octave": "7.3.0", "blas": "OpenBLAS"}, "script": "x.m"}},
            "platform": "Linux <b>escaped</b> & co", "python": "3.11.7", "machine": "x86_64"}
    (base / layout.provenance()).write_text(json.dumps(prov, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if training:
        write_csv(base / layout.training_pig(), ["model", "seed", "prediction_before", "prediction_after", "p_P_before",
                                                 "p_I_before", "p_G_before", "p_S_before", "p_P_after", "p_I_after",
                                                 "p_G_after", "p_S_after"],
                  [{"model": "diagonal", "seed": 0, "prediction_before": "P", "prediction_after": "S",
                    "p_P_before": 0.4332, "p_I_before": 0.1988, "p_G_before": 0.1581, "p_S_before": 0.2099,
                    "p_P_after": 0.001, "p_I_after": 0.011, "p_G_after": 0.012, "p_S_after": 0.9756}])
        write_csv(base / layout.training_summary(),
                  ["task", "model", "hidden", "n_seeds", "final_loss_mean", "final_loss_std", "train_acc_mean",
                   "train_acc_std", "heldout_acc_mean", "heldout_acc_std", "wall_s_mean"],
                  [{"task": "plural", "model": "lstm", "hidden": 8, "n_seeds": 3, "final_loss_mean": 0.045,
                    "final_loss_std": 0.003, "train_acc_mean": 0.99, "train_acc_std": 0.005, "heldout_acc_mean": 1,
                    "heldout_acc_std": 0, "wall_s_mean": 20.1}])
        write_csv(base / layout.training_metrics(), ["task", "model", "hidden", "seed", "epochs", "final_loss",
                                                     "train_acc", "heldout_acc", "wall_s"],
                  [{"task": "plural", "model": "lstm", "hidden": 8, "seed": 0, "epochs": 600, "final_loss": 0.04,
                    "train_acc": 0.99, "heldout_acc": 1.0, "wall_s": 20.0}])
        write_csv(base / layout.training_errors(), ["run_id", "stem", "suffix", "predicted"],
                  [{"run_id": "plural-lstm-h8-s0", "stem": "BOX", "suffix": "ES", "predicted": "S_"}])
    if study:
        write_csv(base / layout.longlag_summary(), ["model", "lag", "n_seeds", "mean_accuracy", "min_accuracy",
                                                    "max_accuracy", "mean_steps"],
                  [{"model": m, "lag": lag, "n_seeds": 3, "mean_accuracy": a, "min_accuracy": a - 0.02,
                    "max_accuracy": min(1.0, a + 0.02), "mean_steps": 2000}
                   for m, accs in (("diagonal", (0.9, 0.3)), ("lstm", (1.0, 0.97))) for lag, a in zip((5, 100), accs)])
        write_csv(base / layout.vanishing_csv(), ["model", "stage", "lag", "seed", "distance", "grad_norm", "ratio"],
                  [{"model": m, "stage": "init", "lag": 20, "seed": 0, "distance": d, "grad_norm": g ** d, "ratio": 1}
                   for m, g in (("diagonal", 0.5), ("lstm", 0.95)) for d in range(5)])
        for p in (layout.vanishing_plot(), layout.longlag_plot()):
            tiny_png(base / p)
    return ReportInputs.from_layout({"course_demo": ref.relative_to(base)} if references else {}, root=base,
                                    training=training, study=study)


def write_verdict(base: Path, rows: list[dict], absent=()) -> str:
    """verdict.json as the gate writes it; the fingerprint is derived from the rows and ``absent``."""
    failing = [{k: r[k] for k in ("case", "variable", "left", "right", "status", "message")}
               for r in rows if r["status"] != "pass"]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    fingerprint = hashlib.sha256(json.dumps([rows, list(absent)], sort_keys=True, default=str).encode()).hexdigest()
    n_bad, total = len(failing) + len(absent), len(rows) + len(absent)
    data = {"format": "rnncore-verdict/1", "fingerprint": fingerprint, "passed": n_bad == 0, "rows": len(rows),
            "counts": counts, "line": f"{total} of {total} comparisons pass" if not n_bad else
            f"{n_bad} of {total} comparisons fail", "failing": failing, "absent": list(absent)}
    path = base / layout.verdict()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return fingerprint


def tiny_png(path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title(path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
