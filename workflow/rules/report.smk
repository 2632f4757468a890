# Stage 4: what people read and CI consumes, built from the verdict whether it passed or not (the
# default profile keeps going past a failed gate), so a failing run still shows where it fails.


rule parity_junit:
    input:
        summary=layout.summary(),
        verdict=layout.verdict(),
        sources=step_files("junit_step"),
    output:
        layout.junit(),
    log:
        layout.log("parity_junit"),
    run:
        from rnncore.workflow import junit_step

        run_step(junit_step, log[0], summary_file=input.summary, verdict_file=input.verdict, output=output[0])


rule report:
    input:
        summary=layout.summary(),
        verdict=layout.verdict(),
        divergence=layout.divergence(),
        provenance=layout.provenance(),
        tables=[t for c in CASES.values() for t in element_tables(c)],
        references=[c.reference.file for c in CASES.values() if c.reference],
        training=TRAINING_TARGETS,
        study=STUDY_TARGETS,
        sources=step_files("report_step"),
    output:
        html=layout.report_html(),
        md=layout.summary_md(),
    log:
        layout.log("report"),
    script:
        "../scripts/report.py"
