"""The pipeline glue: the workflow's steps as plain functions, the sources each step runs, and how a
step runs for a Snakemake rule."""
