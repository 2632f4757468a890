from rnncore.pipeline.run import script_step
from rnncore.pipeline.steps import lag_report_step

script_step(lag_report_step, snakemake.log[0], run_files=list(snakemake.input.runs), rows_out=snakemake.output.rows,
            summary_out=snakemake.output.summary, plot_out=snakemake.output.plot)
