from rnncore.config import parse_config
from rnncore.workflow import run_step, training_report_step

settings = parse_config(snakemake.config, ".", validate=False)
run_step(training_report_step, snakemake.log[0], settings=settings,
         run_files=dict(zip((s.run_id for s in settings.training), snakemake.input.runs)),
         metrics=snakemake.output.metrics, summary=snakemake.output.summary, pig=snakemake.output.pig,
         errors=snakemake.output.errors, by_ending=snakemake.output.by_ending)
