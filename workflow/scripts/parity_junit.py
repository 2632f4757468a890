"""Rule `parity_junit`: JUnit XML from summary.csv and verdict.json (see workflow/scripts/report.py on the
interim upgrade of the engine's current summary)."""

import tempfile

from rnncore import layout
from rnncore.reports import interim
from rnncore.reports.ci import write_junit
from rnncore.workflow import run_step


def junit(summary, output, log):
    with tempfile.TemporaryDirectory(prefix="rnncore-junit-") as tmp:
        summary, verdict = interim.ensure_contract(summary, layout.verdict(), tmp)
        write_junit(summary, verdict, output)
    log(f"[rnncore] wrote {output}")


run_step(junit, snakemake.log[0], summary=snakemake.input.summary, output=snakemake.output[0])
