from rnncore.workflow import gate_step, run_step

run_step(gate_step, snakemake.log[0], summary_file=snakemake.input.summary, output=snakemake.output[0])
