# Stage 3: where the plain RNN fails and the LSTM does not. The long-lag task (rnncore.studies.longlag),
# one job per (model, lag) over the configured seeds, and the vanishing-gradient study.

STUDY = SETTINGS.study
STUDY_TARGETS = (
    [layout.longlag_rows(), layout.longlag_summary(), layout.longlag_plot()] if STUDY.lag_jobs else []
) + ([layout.vanishing_csv(), layout.vanishing_plot()] if STUDY.vanishing else [])


rule lag_run:
    input:
        lambda w: step_files("lag_step", model_module(w.model)),
    output:
        layout.lag_run("{model}", "{lag}"),
    log:
        layout.log("study", "{model}-L{lag}"),
    params:
        seeds=list(STUDY.longlag_seeds),
        hyper=STUDY.hyper,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,  # minutes
    script:
        "../scripts/lag_run.py"


rule lag_report:
    input:
        runs=[layout.lag_run(m, lag) for m, lag in STUDY.lag_jobs],
        sources=step_files("lag_report_step"),
    output:
        rows=layout.longlag_rows(),
        summary=layout.longlag_summary(),
        plot=layout.longlag_plot(),
    log:
        layout.log("study", "lag_report"),
    script:
        "../scripts/lag_report.py"


rule vanishing:
    input:
        step_files("vanishing_step", *sorted(set(MODEL_MODULES.values()))),
    output:
        csv=layout.vanishing_csv(),
        plot=layout.vanishing_plot(),
    log:
        layout.log("study", "vanishing"),
    params:
        lag=(STUDY.vanishing or rconfig.Study.VANISHING_DEFAULTS)["lag"],
        seed=(STUDY.vanishing or rconfig.Study.VANISHING_DEFAULTS)["seed"],
        hyper=STUDY.hyper,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,  # minutes
    script:
        "../scripts/vanishing.py"
