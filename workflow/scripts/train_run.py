from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import train_step

script_step(train_step, snakemake.log[0], run=snakemake.params.run, output=snakemake.output[0])
