from rnncore.config import parse_config
from rnncore.workflow import parity_step, run_step

run_step(parity_step, snakemake.log[0], settings=parse_config(snakemake.config, ".", validate=False),
         case_name=snakemake.wildcards.case, octave_file=snakemake.input.octave,
         python_file=snakemake.input.python, elements_dir=snakemake.output.elements,
         summary_file=snakemake.output.summary)
