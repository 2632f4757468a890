from rnncore.workflow import lag_step, run_step

run_step(lag_step, snakemake.log[0], model=snakemake.wildcards.model, lag=int(snakemake.wildcards.lag),
         seeds=snakemake.params.seeds, hyper=snakemake.params.hyper, output=snakemake.output[0])
