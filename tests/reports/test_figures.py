"""Figures (rnncore.reports.figures): each writes a PNG, and writing it again gives the same bytes."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnncore.reports import figures as plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _vanishing_rows():
    rows = []
    for model, rate in (("diagonal", 0.1), ("full", 0.3), ("lstm", 0.97)):
        for stage, k in (("init", 1.0), ("trained", 0.5)):
            for d in range(12):
                g = 0.03 * (rate * k) ** d
                rows.append({"model": model, "stage": stage, "lag": 10, "seed": 0, "distance": d, "grad_norm": g,
                             "ratio": g / 0.03})
    rows.append({"model": "diagonal", "stage": "init", "lag": 10, "seed": 0, "distance": 12, "grad_norm": 0.0,
                 "ratio": 0.0})  # an underflow to 0 must not break the log plot
    return rows


def _summary_rows():
    rows = []
    for model, accs in (("diagonal", [1.0, 0.8, 0.5, 0.5, 0.5]), ("full", [1.0, 1.0, 0.7, 0.5, 0.5]),
                        ("lstm", [1.0] * 5)):
        for lag, a in zip((5, 10, 20, 50, 100), accs):
            rows.append({"model": model, "lag": lag, "n_seeds": 3, "mean_accuracy": a, "min_accuracy": a - 0.05,
                         "max_accuracy": min(1.0, a + 0.05), "mean_steps": 100.0})
    return rows


CASES = {
    "vanishing": lambda p: plots.plot_vanishing(_vanishing_rows(), p),
    "accuracy": lambda p: plots.plot_accuracy_vs_lag(_summary_rows(), p),
    "loss": lambda p: plots.plot_loss_curves({"rnn": np.linspace(0.7, 0.69, 50), "lstm": np.geomspace(0.7, 1e-3, 40)},
                                             p, "Training loss", logy=True),
    "heatmap": lambda p: plots.plot_heatmap(np.arange(12.0).reshape(3, 4), p, "whx", "input", "neuron"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_plot_writes_png_and_same_bytes_twice(tmp_path, name):
    a, b = tmp_path / f"{name}_a.png", tmp_path / f"{name}_b.png"
    assert CASES[name](a) == a
    CASES[name](b)
    data = a.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5000
    assert data == b.read_bytes(), "the same plot written twice must give identical bytes"
    assert b"Software" not in data and b"matplotlib" not in data.lower()  # no version stamp
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob(f".{name}*"))  # no temporary left


def test_svg_is_byte_stable_and_undated(tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    plots.plot_accuracy_vs_lag(_summary_rows(), a)
    plots.plot_accuracy_vs_lag(_summary_rows(), b)
    assert a.read_bytes() == b.read_bytes()
    assert b"<dc:date>" not in a.read_bytes()


def test_style_does_not_leak_and_ignores_callers_rcparams(tmp_path):
    before = matplotlib.rcParams["font.size"]
    plots.plot_heatmap(np.eye(3), tmp_path / "ref.png")
    with matplotlib.rc_context({"font.size": 30, "lines.linewidth": 9, "figure.dpi": 300}):
        plots.plot_heatmap(np.eye(3), tmp_path / "other.png")
    assert matplotlib.rcParams["font.size"] == before
    assert (tmp_path / "ref.png").read_bytes() == (tmp_path / "other.png").read_bytes()


def test_heatmap_has_matlab_one_based_ticks():
    with plt.rc_context(plots.STYLE):
        fig = plots.heatmap_figure(np.zeros((3, 5)), "t", "col", "row")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3"]
    plt.close(fig)
    with plt.rc_context(plots.STYLE):
        fig = plots.heatmap_figure(np.zeros(4))  # a vector is a MATLAB column
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["1", "2", "3", "4"]
    plt.close(fig)
    with pytest.raises(ValueError):
        plots.plot_heatmap(np.zeros((0, 3)), "never.png")


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unsupported"):
        plots.plot_loss_curves({"a": [1, 2]}, tmp_path / "x.jpg")
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- the report's figures


def test_element_categories_tell_abs_bound_passes_from_failures():
    ulp = np.array([[0, 1, 3071, 20, np.nan]])
    abs_err = np.array([[0, 1e-17, 5e-16, 2e-15, np.nan]])
    fails = np.array([[False, False, False, True, False]])
    cat, abs_only = plots.element_categories(ulp, abs_err, fails, 16, 8.88e-16)
    keys = [plots.MAP_CATEGORIES[i][0] for i in cat[0]]
    # 1 ULP of 16 and 1e-17 of 8.9e-16: the better bound is used (1.1%) -> "le10"
    assert keys == ["exact", "le10", "le100", "fail", "nodist"]
    assert abs_only.tolist() == [[False, False, True, False, False]]
    # absolute-only tolerance: nothing is "passes by the absolute bound only", shares come from |err|
    cat, abs_only = plots.element_categories(np.array([[4e11]]), np.array([[4e-5]]), np.array([[False]]), 0, 5e-5)
    assert plots.MAP_CATEGORIES[cat[0, 0]][0] == "le100" and not abs_only.any()


def test_report_figures_are_png_bytes_and_stable():
    u = np.array([[0, 1, 3071, 20], [np.nan, 5, 2, 0]], float)
    a, b = (plots.distance_map_png(u, u * 1e-17, u == 20, 16, 8.88e-16, "ht: octave vs python") for _ in range(2))
    assert a.startswith(PNG_SIGNATURE) and a == b and b"Software" not in a
    e = np.arange(1, 7)
    c, d = (plots.loss_parity_png(e, e * 0.1, e * 0.1, e == 3, 1.4e-14, "loss") for _ in range(2))
    assert c.startswith(PNG_SIGNATURE) and c == d
