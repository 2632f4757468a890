"""Rule `notebook_index`: results/notebooks/index.ipynb, one line per configured case with its verdict."""

from rnncore.reports.notebooks import index_step
from rnncore.workflow import run_step

entries = [(c["name"], c["script"]) for c in snakemake.config["cases"]]
run_step(index_step, snakemake.log[0], entries=entries, summary=snakemake.input.summary, output=snakemake.output[0])
