# Stage 2: train the course's sequence models over the configured grid, one job per run (a separate
# process: training is CPU-bound Python), then aggregate the metrics. Training parity (Octave vs
# Python) is part of stage 1's cases.

TRAINING_TARGETS = (
    [layout.training_metrics(), layout.training_summary(), layout.training_pig(), layout.training_errors(),
     layout.training_by_ending()]
    if RUNS else []
)


rule train_run:
    input:
        lambda w: step_files("train_step", model_module(RUNS[w.run_id].model)),
    output:
        layout.training_run("{run_id}"),
    log:
        layout.log("training", "{run_id}"),
    params:
        run=lambda w: dataclasses.asdict(RUNS[w.run_id]),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,  # minutes
    script:
        "../scripts/train_run.py"


rule training_report:
    input:
        runs=[layout.training_run(r) for r in RUNS],
        sources=step_files("training_report_step"),
    output:
        metrics=layout.training_metrics(),
        summary=layout.training_summary(),
        pig=layout.training_pig(),
        errors=layout.training_errors(),
        by_ending=layout.training_by_ending(),
    log:
        layout.log("training_report"),
    script:
        "../scripts/training_report.py"
