from rnncore.workflow import run_step, vanishing_step

run_step(vanishing_step, snakemake.log[0], lag=snakemake.params.lag, seed=snakemake.params.seed,
         hyper=snakemake.params.hyper, csv_out=snakemake.output.csv, plot_out=snakemake.output.plot)
