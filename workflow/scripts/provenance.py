from rnncore.config import parse_config
from rnncore.workflow import provenance_step, run_step

settings = parse_config(snakemake.config, ".", validate=False)
run_step(provenance_step, snakemake.log[0], settings=settings,
         octave_files=dict(zip((c.name for c in settings.cases), snakemake.input.octave)),
         output=snakemake.output[0])
