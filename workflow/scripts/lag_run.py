from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import lag_step

script_step(lag_step, snakemake.log[0], model=snakemake.wildcards.model, lag=int(snakemake.wildcards.lag),
            seeds=snakemake.params.seeds, hyper=snakemake.params.hyper, output=snakemake.output[0])
