from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import training_report_step

script_step(training_report_step, snakemake.log[0], run_files=list(snakemake.input.runs),
            metrics=snakemake.output.metrics, summary=snakemake.output.summary, pig=snakemake.output.pig,
            errors=snakemake.output.errors, by_ending=snakemake.output.by_ending)
