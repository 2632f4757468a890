# rnncore: run the course's MATLAB files in GNU Octave and their Python ports, compare them, report.
# Usage (from this folder): snakemake all        (options come from profiles/default/config.yaml)
# The workflow itself lives in workflow/ (shipped inside the package, for `rnncore run` in a course folder).
include: "workflow/Snakefile"
