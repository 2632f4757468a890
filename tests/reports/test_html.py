"""The HTML report (rnncore.reports.html) from small hand-made result folders.

:func:`make_results` writes a complete miniature ``results/`` (and the slides' reference file under
a root) with one deliberately failing comparison; the browser test reuses it.
"""

import base64
import csv
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from rnncore.engine.summary import SUMMARY_COLUMNS
from rnncore.reports.html import MAX_ROWS, build_html

ELEMENT_COLUMNS = ["row", "col", "left", "right", "abs_err", "rel_err", "ulp", "verdict", "note"]
TOL_ENGINE = "ulp<=16 or abs<=8.881784197001252e-16"
TOL_SLIDES = "ulp<=0 or abs<=5e-05"
TOL_TRAIN = "ulp<=64 or abs<=1.4210854715202004e-14"

SLIDES_SOFTMAX = np.array([[0, 0.4324, 0.4198, 0.4332],
                           [0, 0.2052, 0.1947, 0.1988],
                           [0, 0.1599, 0.1622, 0.1581],
                           [0, 0.2025, 0.2232, 0.2099]])


def _write_csv(path: Path, columns, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _elements(path: Path, left: np.ndarray, right: np.ndarray, ulp: np.ndarray, fail=()) -> None:
    rows = []
    for c in range(left.shape[1]):
        for r in range(left.shape[0]):
            a, b = float(left[r, c]), float(right[r, c])
            verdict = "fail" if (r + 1, c + 1) in fail else "pass"
            rows.append({"row": r + 1, "col": c + 1, "left": repr(a), "right": repr(b), "abs_err": repr(abs(a - b)),
                         "rel_err": "0", "ulp": int(ulp[r, c]), "verdict": verdict, "note": ""})
    _write_csv(path, ELEMENT_COLUMNS, rows)


def _row(case, variable, left, right, shape, max_abs, max_ulp, worst, n, n_fail, tol, status, draws=1, worst_draw=1):
    return {"case": case, "variable": variable, "left": left, "right": right, "shape_left": shape,
            "shape_right": shape, "max_abs_err": max_abs, "max_ulp": max_ulp, "worst_row": worst[0],
            "worst_col": worst[1], "draws": draws, "worst_draw": worst_draw, "n_elements": n, "n_fail": n_fail,
            "tolerance": tol, "status": status}


def make_results(base: Path, training: bool = True, study: bool = True) -> tuple[Path, Path]:
    """Write ``base/root`` (with the slides' reference CSV) and ``base/root/results``; return (results, root).

    Parity rows: rnn2 (octave-vs-python and slides-vs-octave), a failing ``exercise_rnn1a/y1``
    (element (2,1) off by 1e-9), a tall ``big/w`` (45x3) to test the window, a shape mismatch
    without an element table, and a training case ``train_demo`` whose ``losses`` run 6 epochs.
    """
    root = base / "root"
    res = root / "results"
    par = res / "parity"
    ref = root / "matlab_ref" / "reference" / "rnn2_slides.csv"
    ref.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# slides, hand-made for the test", "variable,row,col,value,source"]
    lines += [f"softmax_y_out,{r + 1},{c + 1},{SLIDES_SOFTMAX[r, c]:.4f},slide 14 printout"
              for c in range(4) for r in range(4)]
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")

    rng = np.random.default_rng(0)
    octave = SLIDES_SOFTMAX + rng.uniform(-4e-5, 4e-5, (4, 4)) * (SLIDES_SOFTMAX > 0)
    python = octave.copy()
    python[3, 1] = np.nextafter(python[3, 1], 1.0)
    ulp = np.zeros((4, 4))
    ulp[3, 1] = 1
    _elements(par / "rnn2/elements/octave-vs-python/softmax_y_out.csv", octave, python, ulp)
    _elements(par / "rnn2/elements/slides-vs-octave/softmax_y_out.csv", SLIDES_SOFTMAX, octave,
              np.full((4, 4), 1e11) * (SLIDES_SOFTMAX > 0))
    y1_o = np.array([[0.5], [0.25], [0.125], [0.0625]])
    y1_p = y1_o.copy()
    y1_p[1, 0] += 1e-9
    _elements(par / "exercise_rnn1a/elements/octave-vs-python/y1.csv", y1_o, y1_p,
              np.array([[0], [4503599], [0], [0]]), fail={(2, 1)})
    big = rng.normal(size=(45, 3))
    big_ulp = np.zeros((45, 3))
    big_ulp[41, 2] = 9
    _elements(par / "big/elements/octave-vs-python/w.csv", big, big, big_ulp)
    loss_o = np.array([[2.0, 1.5, 1.1, 0.8, 0.6, 0.5]])
    loss_p = loss_o.copy()
    loss_p[0, 4] = np.nextafter(loss_p[0, 4], 0.0)
    loss_ulp = np.zeros((1, 6))
    loss_ulp[0, 4] = 1
    _elements(par / "train_demo/elements/octave-vs-python/losses.csv", loss_o, loss_p, loss_ulp)

    rows = [
        _row("rnn2", "softmax_y_out", "octave", "python", "4x4", "5.5511151231257827e-17", 1, (4, 2), 16, 0,
             TOL_ENGINE, "pass"),
        _row("rnn2", "softmax_y_out", "slides", "octave", "4x4", "3.9e-05", 100000000000, (3, 3), 16, 0,
             TOL_SLIDES, "pass"),
        _row("exercise_rnn1a", "y1", "octave", "python", "4x1", "1.0000000827403710e-09", 4503599, (2, 1), 4, 1,
             TOL_ENGINE, "fail"),
        _row("exercise_rnn1a", "p1", "octave", "python", "4x1", "NaN", "", ("", ""), 0, 0, TOL_ENGINE,
             "shape-mismatch") | {"shape_right": "1x4", "worst_row": "", "worst_col": ""},
        _row("big", "w", "octave", "python", "45x3", "0", 9, (42, 3), 135, 0, TOL_ENGINE, "pass",
             draws=10, worst_draw=7),
        _row("train_demo", "losses", "octave", "python", "1x6", "1.1102230246251565e-16", 1, (1, 5), 6, 0,
             TOL_TRAIN, "pass"),
    ]
    _write_csv(par / "summary.csv", SUMMARY_COLUMNS, rows)
    _write_csv(par / "training_divergence.csv",
               ["case", "epochs", "first_divergence_epoch", "ulp_epoch_1", "ulp_last_epoch", "max_ulp",
                "max_ulp_epoch", "max_abs_err", "tolerance"],
               [{"case": "train_demo", "epochs": 6, "first_divergence_epoch": "", "ulp_epoch_1": 0,
                 "ulp_last_epoch": 0, "max_ulp": 1, "max_ulp_epoch": 5, "max_abs_err": "1.1e-16",
                 "tolerance": ""}])
    prov = {
        "cases": {"rnn2": {"octave": {"octave": "7.3.0", "blas": "OpenBLAS 0.3.21", "lapack": "LAPACK 3.11.0",
                                      "oct2py": "6.1.1"},
                           "python": "rnncore.course.rnn2:rnn2", "script": "matlab_ref/rnn2.m", "script_sha256": "ab" * 32,
                           "reference": {"file": "matlab_ref/reference/rnn2_slides.csv", "sha256": "cd" * 32},
                           "shims_on_path": ["softmax"], "shims_used": ["softmax"]}},
        "machine": "x86_64", "numpy_build": {"blas": "scipy-openblas 0.3.31", "lapack": "scipy-openblas 0.3.31"},
        "packages": {"numpy": "2.4.6", "rnncore": "0.1.0"},
        "platform": "Linux <b>escaped</b> & co", "python": "3.11.7",
        "python_sources": {"rnncore/rnn2.py": "ef" * 32}, "shims": {"matlab_ref/compat/softmax.m": "01" * 32},
    }
    (par / "provenance.json").write_text(json.dumps(prov, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    if training:
        tr = res / "training"
        _write_csv(tr / "pig.csv", ["model", "seed", "prediction_before", "prediction_after", "p_P_before",
                                    "p_I_before", "p_G_before", "p_S_before", "p_P_after", "p_I_after", "p_G_after",
                                    "p_S_after"],
                   [{"model": "diagonal", "seed": 0, "prediction_before": "P", "prediction_after": "S",
                     "p_P_before": 0.4332, "p_I_before": 0.1988, "p_G_before": 0.1581, "p_S_before": 0.2099,
                     "p_P_after": 0.001, "p_I_after": 0.011, "p_G_after": 0.012, "p_S_after": 0.9756}])
        _write_csv(tr / "summary.csv", ["task", "model", "hidden", "n_seeds", "final_loss_mean", "final_loss_std",
                                        "train_acc_mean", "train_acc_std", "heldout_acc_mean", "heldout_acc_std",
                                        "wall_s_mean"],
                   [{"task": "pig", "model": "diagonal", "hidden": 3, "n_seeds": 1, "final_loss_mean": 0.06,
                     "final_loss_std": 0, "train_acc_mean": 1, "train_acc_std": 0, "heldout_acc_mean": "NaN",
                     "heldout_acc_std": "NaN", "wall_s_mean": 0.2},
                    {"task": "plural", "model": "diagonal", "hidden": 8, "n_seeds": 3, "final_loss_mean": 0.07,
                     "final_loss_std": 0.02, "train_acc_mean": 0.99, "train_acc_std": 0.003,
                     "heldout_acc_mean": 0.9762, "heldout_acc_std": 0.0112, "wall_s_mean": 5.6},
                    {"task": "plural", "model": "lstm", "hidden": 8, "n_seeds": 3, "final_loss_mean": 0.045,
                     "final_loss_std": 0.003, "train_acc_mean": 0.99, "train_acc_std": 0.005,
                     "heldout_acc_mean": 1, "heldout_acc_std": 0, "wall_s_mean": 20.1}])
        _write_csv(tr / "metrics.csv", ["task", "model", "hidden", "seed", "epochs", "final_loss", "train_acc",
                                        "heldout_acc", "wall_s"],
                   [{"task": "plural", "model": "diagonal", "hidden": 8, "seed": s, "epochs": 300,
                     "final_loss": 0.07, "train_acc": 0.99, "heldout_acc": 0.97, "wall_s": 5.6} for s in range(3)])
        _write_csv(tr / "heldout_errors.csv", ["run_id", "stem", "suffix", "predicted"],
                   [{"run_id": "plural-diagonal-h8-s2", "stem": "DRUM", "suffix": "S_", "predicted": "ES"},
                    {"run_id": "plural-diagonal-h8-s0", "stem": "BOX", "suffix": "ES", "predicted": "S_"},
                    {"run_id": "plural-diagonal-h8-s1", "stem": "BOX", "suffix": "ES", "predicted": "S_"}])
    if study:
        st = res / "study"
        _write_csv(st / "longlag_summary.csv", ["model", "lag", "n_seeds", "mean_accuracy", "min_accuracy",
                                                "max_accuracy", "mean_steps"],
                   [{"model": m, "lag": lag, "n_seeds": 3, "mean_accuracy": acc, "min_accuracy": acc - 0.02,
                     "max_accuracy": min(1.0, acc + 0.02), "mean_steps": 2000}
                    for m, accs in (("diagonal", (0.9, 0.3, 0.26)), ("lstm", (1.0, 0.99, 0.97)))
                    for lag, acc in zip((5, 20, 100), accs)])
        _write_csv(st / "vanishing.csv", ["model", "stage", "lag", "seed", "distance", "grad_norm", "ratio"],
                   [{"model": m, "stage": "init", "lag": 20, "seed": 0, "distance": d, "grad_norm": g ** d,
                     "ratio": g ** d} for m, g in (("diagonal", 0.5), ("lstm", 0.95)) for d in range(5)])
        for name in ("vanishing.png", "accuracy_vs_lag.png"):
            _tiny_png(st / name)
    return res, root


def _tiny_png(path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title(path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    res, root = make_results(base)
    out = build_html(res, res / "report" / "index.html", root=root)
    return res, root, out, out.read_text(encoding="utf-8")


def _summary_rows(page: str) -> list[str]:
    table = re.search(r'<table class="summary">.*?</table>', page, re.DOTALL).group(0)
    return re.findall(r"<tr[^>]*>.*?</tr>", table.split("<tbody>", 1)[1], re.DOTALL)


def test_failing_rows_come_first_and_are_marked(built):
    page = built[3]
    rows = _summary_rows(page)
    assert len(rows) == 6
    # the failing y1 and the shape mismatch first, in summary order, both marked by class and by words
    assert rows[0].startswith('<tr class="bad">') and "<code>y1</code>" in rows[0]
    assert rows[1].startswith('<tr class="bad">') and "<code>p1</code>" in rows[1] and "shape-mismatch" in rows[1]
    for bad in rows[:2]:
        assert "✗ FAIL" in bad
    assert all(not r.startswith('<tr class="bad">') and "✓ pass" in r for r in rows[2:])
    # a red background for the class, and the banner says how many fail
    assert re.search(r"tr\.bad[^{]*\{background:#ffd6d6", page)
    assert "✗ FAIL: 2 of 6 comparisons do not pass" in page


def test_deliberately_failing_row_shows_red_and_fail(built):
    page = built[3]
    row = _summary_rows(page)[0]
    assert "fail" in row.lower() and "4503599" in row and "(2, 1)" in row
    # its heatmap figure is framed red and says FAIL
    fig = re.search(r'<figure class="heat bad">(?:(?!</figure>).)*y1(?:(?!</figure>).)*</figure>', page, re.DOTALL)
    assert fig and "✗ FAIL (fail)" in fig.group(0) and "1 failing" in fig.group(0)
    assert "figure.bad{border:3px solid #c00000" in page


def test_images_are_embedded_png_data_uris_with_alt_text(built):
    page = built[3]
    imgs = re.findall(r"<img\b[^>]*>", page)
    # 6 parity maps minus the one without an element table, 2 training plots, 2 study figures
    assert len(imgs) == 5 + 2 + 2
    for tag in imgs:
        src = re.search(r'src="([^"]*)"', tag).group(1)
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        alt = re.search(r'alt="([^"]*)"', tag).group(1)
        assert len(alt) > 20


def test_self_contained_no_external_url_no_script(built):
    page = built[3]
    without_data = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    assert "http://" not in without_data and "https://" not in without_data
    for attr in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page):
        assert attr.startswith(("data:", "#")), attr
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    assert str(built[1]) not in page  # no absolute path of the machine


def test_every_table_has_a_caption(built):
    page = built[3]
    tables = re.findall(r"<table\b[^>]*>(.{0,20})", page)
    assert len(tables) >= 8
    assert all(t.startswith("<caption>") for t in tables)


def test_text_is_escaped(built):
    page = built[3]
    assert "Linux &lt;b&gt;escaped&lt;/b&gt; &amp; co" in page
    assert "<b>escaped</b>" not in page


def test_sections_present(built):
    page = built[3]
    for sid in ("parity", "heatmaps", "slides", "training-parity", "study", "plural", "provenance"):
        assert f'<section id="{sid}">' in page
    # the slides' table beside ours, 4 decimals
    assert "Slides (printed, format short)" in page and "Octave: rnn2.m as is" in page
    assert "<td>0.4324</td>" in page
    # PIG before/after, plural accuracy mean ± std, held-out stems, lag table, provenance
    assert "<strong>P</strong>" in page and "<strong>S</strong>" in page and "0.9756" in page
    assert "97.6% ± 1.1" in page
    assert "<td>BOX</td><td>ES</td><td>2</td>" in page
    assert "lag 100" in page and "97.0%" in page
    assert "OpenBLAS 0.3.21" in page and "scipy-openblas 0.3.31" in page and "softmax" in page
    assert "Not produced by this run" not in page


def test_large_matrix_is_windowed_around_the_worst_element(built):
    page = built[3]
    assert f"Showing rows {45 - MAX_ROWS + 1}–45, cols 1–3 of 45×3, around the worst element." in page
    assert "Worst of 10 draws: draw #7." in page


def test_byte_identical_when_built_twice_and_elsewhere(built, tmp_path):
    res, root, out, _ = built
    again = build_html(res, tmp_path / "again.html", root=root)
    assert again.read_bytes() == out.read_bytes()
    # the same inputs in another folder give the same bytes (no absolute path, no time)
    copy = tmp_path / "elsewhere"
    shutil.copytree(root, copy)
    third = build_html(copy / "results", tmp_path / "third.html", root=copy)
    assert third.read_bytes() == out.read_bytes()


def test_missing_inputs_give_a_clear_note(tmp_path):
    res, root = make_results(tmp_path, training=False, study=False)
    page = build_html(res, tmp_path / "r.html", root=root).read_text(encoding="utf-8")
    assert page.count("Not produced by this run") >= 4
    for name in ("results/training/pig.csv", "results/training/summary.csv", "results/training/heldout_errors.csv",
                 "results/study/longlag_summary.csv", "results/study/vanishing.png"):
        assert f"<code>{name}</code>" in page
    # the parity part is still complete
    assert len(_summary_rows(page)) == 6


def test_no_parity_summary_still_renders(tmp_path):
    res = tmp_path / "results"
    res.mkdir()
    page = build_html(res, tmp_path / "r.html", root=tmp_path).read_text(encoding="utf-8")
    assert "No parity summary" in page and "<code>results/parity/summary.csv</code>" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
