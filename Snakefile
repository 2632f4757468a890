# rnncore: run the course's MATLAB scripts in GNU Octave and their Python ports, and diff them.
# Usage (from this folder): snakemake all        (cores come from profiles/default/config.yaml)
# The rules live in workflow/rules/; the steps they run live in rnncore.workflow.

configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/parity.smk"
include: "workflow/rules/training.smk"
include: "workflow/rules/study.smk"
include: "workflow/rules/report.smk"


# Aggregates and reports read many small files and run in seconds: on a cluster they run on the
# submitting host instead of waiting in the queue.
localrules:
    all,
    parity,
    parity_summary,
    parity_gate,
    provenance,
    parity_junit,
    training_report,
    lag_report,
    report,


rule all:
    input:
        rules.parity_gate.output,
        rules.training_report.output,
        STUDY_TARGETS,
        rules.report.output,
        rules.parity_junit.output,
    default_target: True


# `snakemake parity`: the parity stage alone (its budget is 30 s on a 2-core machine).
rule parity:
    input:
        rules.parity_gate.output,


onsuccess:
    Path("results/parity/INCOMPLETE.txt").unlink(missing_ok=True)


onerror:
    # Reports an earlier run made from inputs this run has deleted or remade must not look current.
    from rnncore.workflow import invalidate_stale_reports

    for path in invalidate_stale_reports(SETTINGS, "results"):
        print(f"rnncore: removed stale report {path} (see results/parity/INCOMPLETE.txt)")
