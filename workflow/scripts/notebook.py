from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import notebook_step

script_step(notebook_step, snakemake.log[0], case=snakemake.params.case, summary_file=snakemake.input.summary,
            verdict_file=snakemake.input.verdict, output=snakemake.output[0])
