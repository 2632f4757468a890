from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import notebook_index_step

script_step(notebook_index_step, snakemake.log[0], entries=snakemake.params.entries,
            summary_file=snakemake.input.summary, verdict_file=snakemake.input.verdict, output=snakemake.output[0])
