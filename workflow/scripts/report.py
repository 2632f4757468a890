from rnncore.reports.ci import write_summary_md
from rnncore.reports.html import build_html
from rnncore.workflow import run_step


def reports(html, md, log):
    build_html("results", html, root=".")
    log(f"[rnncore] wrote {html}")
    write_summary_md("results", md)
    log(f"[rnncore] wrote {md}")


run_step(reports, snakemake.log[0], html=snakemake.output.html, md=snakemake.output.md)
