from rnncore.config import parse_config
from rnncore.workflow import run_step, train_step

run_step(train_step, snakemake.log[0], settings=parse_config(snakemake.config, ".", validate=False),
         run_id=snakemake.wildcards.run_id, output=snakemake.output[0])
