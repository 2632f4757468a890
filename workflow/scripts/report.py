from rnncore.errors import script_step
from rnncore.workflow import report_step

script_step(report_step, snakemake.log[0], verdict_file=snakemake.input.verdict, html=snakemake.output.html, md=snakemake.output.md)
