from rnncore.config import parse_config
from rnncore.workflow import run_step, summary_step

settings = parse_config(snakemake.config, ".", validate=False)
run_step(summary_step, snakemake.log[0], settings=settings,
         case_summaries=dict(zip((c.name for c in settings.cases), snakemake.input.summaries)),
         output=snakemake.output.summary, divergence=snakemake.output.divergence)
