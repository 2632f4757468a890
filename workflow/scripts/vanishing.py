from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import vanishing_step

script_step(vanishing_step, snakemake.log[0], lag=snakemake.params.lag, seed=snakemake.params.seed,
            hyper=snakemake.params.hyper, csv_out=snakemake.output.csv, plot_out=snakemake.output.plot)
