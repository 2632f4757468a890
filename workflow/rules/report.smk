# Stage 3: what people read and CI consumes. Built from the CSVs even when the parity gate fails
# (the default profile keeps going), so a failing run still shows where it fails.


rule parity_junit:
    input:
        summary="results/parity/summary.csv",
        sources=PKG_SOURCES,
    output:
        "results/parity/junit.xml",
    log:
        "results/logs/parity_junit.log",
    script:
        "../scripts/parity_junit.py"


rule report:
    input:
        summary="results/parity/summary.csv",
        divergence="results/parity/training_divergence.csv",
        provenance="results/parity/provenance.json",
        elements=expand("results/parity/{case}/elements", case=CASES),
        reference="matlab_ref/reference/rnn2_slides.csv",
        training=rules.training_report.output,
        study=STUDY_TARGETS,
        sources=PKG_SOURCES,
    output:
        html="results/report/index.html",
        md="results/summary.md",
    log:
        "results/logs/report.log",
    script:
        "../scripts/report.py"
