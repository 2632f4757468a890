# Stage 4: what people read and CI consumes, built from the verdict whether it passed or not (the
# default profile keeps going past a failed gate), so a failing run still shows where it fails.

# The page's Jinja2 template and style sheet: sources of the report as much as its Python code.
REPORT_TEMPLATES = _rel(sorted((sources.RNNCORE_DIR / "reports" / "templates").glob("*.*")))


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
        from rnncore.pipeline.steps import junit_step

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
        templates=REPORT_TEMPLATES,
    output:
        html=layout.report_html(),
        md=layout.summary_md(),
    log:
        layout.log("report"),
    params:
        references={c.name: c.reference.file for c in CASES.values() if c.reference},
        training=bool(RUNS),
        study=bool(STUDY_TARGETS),
    script:
        "../scripts/report.py"


# The ported chapter for students: one executed notebook per case, and an index.
NOTEBOOK_TARGETS = [layout.notebook(c) for c in CASES] + ([layout.notebooks_index()] if CASES else [])


rule notebook:
    group:
        "notebooks"
    input:
        summary=layout.summary(),
        verdict=layout.verdict(),
        inputs=layout.inputs("{case}"),
        port=lambda w: CASE_FILES[w.case]["python"],
        script=lambda w: CASES[w.case].script,
        sources=step_files("notebook_step"),
    output:
        layout.notebook("{case}"),
    log:
        layout.log("{case}", "notebook"),
    params:
        case=lambda w: CASE_PARAMS[w.case],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,  # minutes
    script:
        "../scripts/notebook.py"


rule notebooks:
    input:
        summary=layout.summary(),
        verdict=layout.verdict(),
        notebooks=[layout.notebook(c) for c in CASES],
        sources=step_files("notebook_index_step"),
    output:
        layout.notebooks_index(),
    log:
        layout.log("notebooks"),
    params:
        entries=[(c.name, c.script) for c in CASES.values()],
    script:
        "../scripts/notebook_index.py"
