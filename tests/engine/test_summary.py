"""rnncore.engine.summary's loss divergence: one computation, from an element table or a comparison."""

import numpy as np
import pytest

from rnncore.engine.parity import Tolerance, compare, write_elements_csv
from rnncore.engine.summary import divergence_row, loss_divergence
from rnncore.errors import ArtifactError


def test_divergence_row_reads_back_what_the_comparison_says(tmp_path):
    a = np.array([[3.0, 2.5, 2.0, 1.5, 1.25]])
    b = a.copy()
    b[0, 1] = np.nextafter(b[0, 1], 9.0)  # 1 ULP at epoch 2: inside ulp<=1
    b[0, 3] += 1e-12  # epoch 4 parts
    cmp = compare("losses", "octave", a, "python", b, Tolerance(ulp=1, atol=0.0))
    path = tmp_path / "losses.csv"
    write_elements_csv(cmp, path)
    row = divergence_row("train", path, "ulp<=1")
    # The CSV holds %.17g text: it reads back to the same numbers as the comparison's own records.
    assert row == {"case": "train", **loss_divergence(cmp.elements.to_dict("records")), "tolerance": "ulp<=1"}
    assert (row["epochs"], row["first_divergence_epoch"], row["ulp_epoch_1"], row["max_ulp_epoch"]) == (5, 4, 0, 4)
    assert row["ulp_last_epoch"] == 0 and row["max_abs_err"] == abs(b[0, 3] - a[0, 3])


def test_divergence_row_refuses_a_table_that_is_not_a_loss_curve(tmp_path):
    (tmp_path / "x.csv").write_text("row,col\n1,1\n")
    with pytest.raises(ArtifactError, match="x.csv: not an element table of a loss curve"):
        divergence_row("train", tmp_path / "x.csv", "ulp<=1")
