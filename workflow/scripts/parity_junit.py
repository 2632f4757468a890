from rnncore.reports.ci import write_junit
from rnncore.workflow import run_step


def junit(summary, output, log):
    write_junit(summary, output)
    log(f"[rnncore] wrote {output}")


run_step(junit, snakemake.log[0], summary=snakemake.input.summary, output=snakemake.output[0])
