# Stage 4: where the plain RNN fails and the LSTM does not. The long-lag task (rnncore.studies.longlag),
# one job per (model, lag) over the configured seeds, and the vanishing-gradient study.

STUDY = config.get("study", {})
LAG = STUDY.get("longlag", {})
LAG_JOBS = [(m, L) for m in LAG.get("models", []) for L in LAG.get("lags", [])]
# What `all` and the report ask of this stage: nothing for a config without a study.
STUDY_TARGETS = (
    (["results/study/longlag.csv", "results/study/longlag_summary.csv", "results/study/accuracy_vs_lag.png"]
     if LAG_JOBS else [])
    + (["results/study/vanishing.csv", "results/study/vanishing.png"] if "vanishing" in STUDY else [])
)


rule lag_run:
    input:
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        "results/study/longlag/{model}-L{lag}.csv",
    log:
        "results/logs/study/{model}-L{lag}.log",
    params:
        seeds=LAG.get("seeds", []),
        hyper=LAG.get("hyper", {}),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,  # minutes
    script:
        "../scripts/lag_run.py"


rule lag_report:
    input:
        runs=[f"results/study/longlag/{m}-L{L}.csv" for m, L in LAG_JOBS],
        sources=PKG_SOURCES,
    output:
        rows="results/study/longlag.csv",
        summary="results/study/longlag_summary.csv",
        plot="results/study/accuracy_vs_lag.png",
    log:
        "results/logs/study/lag_report.log",
    script:
        "../scripts/lag_report.py"


rule vanishing:
    input:
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        csv="results/study/vanishing.csv",
        plot="results/study/vanishing.png",
    log:
        "results/logs/study/vanishing.log",
    params:
        lag=STUDY.get("vanishing", {}).get("lag", 20),  # defaults matter only when asked for by hand
        seed=STUDY.get("vanishing", {}).get("seed", 0),
        hyper=LAG.get("hyper", {}),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,  # minutes
    script:
        "../scripts/vanishing.py"
