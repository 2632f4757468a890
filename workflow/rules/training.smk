# Stage 2: train the course's sequence models over the configured grid, one job per run,
# then aggregate the metrics. Training parity (Octave vs Python) is part of stage 1's cases.

RUN_IDS = [spec.run_id for spec in SETTINGS.training]


rule train_run:
    input:
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        "results/training/runs/{run_id}.json",
    log:
        "results/logs/training/{run_id}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,  # minutes
    script:
        "../scripts/train_run.py"


rule training_report:
    input:
        runs=expand("results/training/runs/{run_id}.json", run_id=RUN_IDS),
        sources=PKG_SOURCES,
    output:
        metrics="results/training/metrics.csv",
        summary="results/training/summary.csv",
        pig="results/training/pig.csv",
        errors="results/training/heldout_errors.csv",
        by_ending="results/training/heldout_by_ending.csv",
    log:
        "results/logs/training_report.log",
    script:
        "../scripts/training_report.py"
