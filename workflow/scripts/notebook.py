"""Rule `notebook` (one job per case): results/notebooks/<case>.ipynb, built and executed.

The case's entry of the configuration gives the plain arguments (script, module:function, variables);
the inputs file is the case's results/engines/<case>/inputs.json when the case has inputs.
"""

from rnncore.reports.notebooks import notebook_step
from rnncore.workflow import run_step

case = snakemake.wildcards.case
spec = next(c for c in snakemake.config["cases"] if c["name"] == case)
has_inputs = bool(spec.get("inputs") or spec.get("inputs_from"))
run_step(notebook_step, snakemake.log[0], case=case, script=spec["script"], target=spec["python"],
         variables=list(spec.get("variables", [])), inputs_file=snakemake.input.inputs if has_inputs else None,
         summary=snakemake.input.summary, output=snakemake.output[0])
