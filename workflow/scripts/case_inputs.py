from rnncore.config import parse_config
from rnncore.workflow import inputs_step, run_step

run_step(inputs_step, snakemake.log[0], settings=parse_config(snakemake.config, ".", validate=False),
         case_name=snakemake.wildcards.case, output=snakemake.output[0])
