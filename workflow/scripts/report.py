"""Rule `report`: the HTML page and the CI summary, from named inputs (rnncore.reports.inputs.ReportInputs).

References are every configured case's `reference:` file, keyed by case. Until the engine writes the
contract summary and the gate's verdict.json, rnncore.reports.interim upgrades the current summary in
a temporary folder (a no-op once both follow the contract).
"""

import tempfile
from dataclasses import replace

from rnncore import layout
from rnncore.reports import interim
from rnncore.reports.ci import write_summary_md
from rnncore.reports.html import build_html
from rnncore.reports.inputs import ReportInputs
from rnncore.workflow import run_step


def reports(config, html, md, log):
    references = {c["name"]: c["reference"]["file"] for c in config.get("cases", []) if c.get("reference")}
    inputs = ReportInputs.from_layout(references, training=bool(config.get("training")),
                                      study=bool(config.get("study")))
    with tempfile.TemporaryDirectory(prefix="rnncore-report-") as tmp:
        summary, verdict = interim.ensure_contract(layout.summary(), layout.verdict(), tmp)
        inputs = replace(inputs, summary=summary, verdict=verdict)
        build_html(inputs, html)
        log(f"[rnncore] wrote {html}")
        write_summary_md(inputs, md)
        log(f"[rnncore] wrote {md}")


run_step(reports, snakemake.log[0], config=snakemake.config, html=snakemake.output.html, md=snakemake.output.md)
