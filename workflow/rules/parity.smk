# Stage 1: MATLAB-vs-Python parity. Per case: inputs drawn once, Octave run, Python run, element-wise diff;
# then one summary, the provenance record, and the gate that fails the run on any non-pass row.


rule case_inputs:
    input:
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        "results/engines/{case}/inputs.json",
    log:
        "results/logs/{case}/inputs.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,  # minutes
    script:
        "../scripts/case_inputs.py"


rule octave_run:
    input:
        inputs="results/engines/{case}/inputs.json",
        script=case_script,
        shims=SHIM_FILES,
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        "results/engines/{case}/octave.json",
    log:
        "results/logs/{case}/octave.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,  # minutes
    script:
        "../scripts/octave_run.py"


rule python_run:
    input:
        inputs="results/engines/{case}/inputs.json",
        config="config/config.yaml",
        sources=PKG_SOURCES,
    output:
        "results/engines/{case}/python.json",
    log:
        "results/logs/{case}/python.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,  # minutes
    script:
        "../scripts/python_run.py"


rule parity_case:
    input:
        octave="results/engines/{case}/octave.json",
        python="results/engines/{case}/python.json",
        reference=case_reference,
        sources=PKG_SOURCES,
    output:
        summary="results/parity/{case}/summary.csv",
        elements=directory("results/parity/{case}/elements"),
    log:
        "results/logs/{case}/parity.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,  # minutes
    script:
        "../scripts/parity_case.py"


rule parity_summary:
    input:
        summaries=expand("results/parity/{case}/summary.csv", case=CASES),
        sources=PKG_SOURCES,
    output:
        summary="results/parity/summary.csv",
        divergence="results/parity/training_divergence.csv",
    log:
        "results/logs/parity_summary.log",
    script:
        "../scripts/parity_summary.py"


rule provenance:
    input:
        octave=expand("results/engines/{case}/octave.json", case=CASES),
        shims=SHIM_FILES,
        sources=PKG_SOURCES,
    output:
        "results/parity/provenance.json",
    log:
        "results/logs/provenance.log",
    script:
        "../scripts/provenance.py"


rule parity_gate:
    input:
        summary="results/parity/summary.csv",
        provenance="results/parity/provenance.json",
    output:
        "results/parity/gate.txt",
    log:
        "results/logs/parity_gate.log",
    script:
        "../scripts/parity_gate.py"
