"""Every path under ``results/``, written once: the rules, the steps, the reports and the stale-report
cleanup all take their paths from here (``docs/reports.md`` describes the same layout for people).

Paths are relative to the working directory of the run (a course folder, or this repository), as
POSIX strings, because Snakemake rules use them as patterns: pass ``"{case}"`` for a wildcard,
``layout.octave_engine("{case}")`` is ``"results/engines/{case}/octave.json"``.
"""

from __future__ import annotations

__all__ = [
    "RESULTS", "inputs", "octave_engine", "python_engine", "case_summary", "case_manifest", "case_elements", "element_table",
    "draws_table", "summary", "divergence", "provenance", "verdict", "gate", "junit", "incomplete", "training_run",
    "training_metrics", "training_summary", "training_pig", "training_errors", "training_by_ending", "lag_run", "longlag_rows",
    "longlag_summary", "longlag_plot", "vanishing_csv", "vanishing_plot", "report_html", "summary_md", "log",
    "notebook", "notebooks_index",
]

RESULTS = "results"


def _r(*parts) -> str:
    return "/".join((RESULTS, *map(str, parts)))


# --- engines: each case's inputs and what each engine produced from them --------------------------
def inputs(case: str) -> str:
    return _r("engines", case, "inputs.npz")


def octave_engine(case: str) -> str:
    return _r("engines", case, "octave.npz")


def python_engine(case: str) -> str:
    return _r("engines", case, "python.npz")


# --- parity ---------------------------------------------------------------------------------------
def case_summary(case: str) -> str:
    return _r("parity", case, "summary.csv")


def case_manifest(case: str) -> str:
    """SHA-256 of every element table of a case (``sha256sum`` format), checked before they are read."""
    return _r("parity", case, "elements.sha256")


def case_elements(case: str) -> str:
    """The folder of a case's element tables."""
    return _r("parity", case, "elements")


def element_table(case: str, left: str, right: str, variable: str) -> str:
    return _r("parity", case, "elements", f"{left}-vs-{right}", f"{variable}.csv")


def draws_table(case: str, left: str, right: str, variable: str) -> str:
    """One row per draw of a case with random draws, beside its element table."""
    return _r("parity", case, "elements", f"{left}-vs-{right}", f"{variable}.draws.csv")


def summary() -> str:
    return _r("parity", "summary.csv")


def divergence() -> str:
    return _r("parity", "training_divergence.csv")


def provenance() -> str:
    return _r("parity", "provenance.json")


def verdict() -> str:
    return _r("parity", "verdict.json")


def gate() -> str:
    return _r("parity", "gate.txt")


def junit() -> str:
    return _r("parity", "junit.xml")


def incomplete() -> str:
    return _r("INCOMPLETE.txt")


# --- training and the studies ---------------------------------------------------------------------
def training_run(run_id: str) -> str:
    return _r("training", "runs", f"{run_id}.json")


def training_metrics() -> str:
    return _r("training", "metrics.csv")


def training_summary() -> str:
    return _r("training", "summary.csv")


def training_pig() -> str:
    return _r("training", "pig.csv")


def training_errors() -> str:
    return _r("training", "heldout_errors.csv")


def training_by_ending() -> str:
    """Held-out accuracy of the plural task per stem ending, mean and spread over seeds."""
    return _r("training", "heldout_by_ending.csv")


def lag_run(model: str, lag) -> str:
    return _r("study", "longlag", f"{model}-L{lag}.csv")


def longlag_rows() -> str:
    return _r("study", "longlag.csv")


def longlag_summary() -> str:
    return _r("study", "longlag_summary.csv")


def longlag_plot() -> str:
    return _r("study", "accuracy_vs_lag.png")


def vanishing_csv() -> str:
    return _r("study", "vanishing.csv")


def vanishing_plot() -> str:
    return _r("study", "vanishing.png")


# --- what people read ------------------------------------------------------------------------------
def report_html() -> str:
    return _r("report", "index.html")


def summary_md() -> str:
    return _r("summary.md")


def notebook(case: str) -> str:
    return _r("notebooks", f"{case}.ipynb")


def notebooks_index() -> str:
    return _r("notebooks", "index.ipynb")


def log(*parts: str) -> str:
    """``log("rnn2", "octave")`` is ``results/logs/rnn2/octave.log``; ``log("report")`` ``results/logs/report.log``."""
    *folders, name = parts
    return _r("logs", *folders, f"{name}.log")
