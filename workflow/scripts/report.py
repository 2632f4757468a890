from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import report_step

script_step(report_step, snakemake.log[0], references=snakemake.params.references,
            training=snakemake.params.training, study=snakemake.params.study, html=snakemake.output.html,
            md=snakemake.output.md)
