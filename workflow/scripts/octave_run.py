from rnncore.config import parse_config
from rnncore.workflow import octave_step, run_step

run_step(octave_step, snakemake.log[0], settings=parse_config(snakemake.config, ".", validate=False),
         case_name=snakemake.wildcards.case, inputs_file=snakemake.input.inputs,
         output=snakemake.output[0])
