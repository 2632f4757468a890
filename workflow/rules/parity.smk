# Stage 1: MATLAB-vs-Python parity. Per case: inputs drawn once, the Octave run, the Python run, the
# element-wise comparison; then one summary, the verdict, the gate that fails the run on any non-pass row,
# and the provenance record. Every parity job runs in the main Snakemake process (`run:`, and
# force-use-threads in the profile), sharing one pool of Octave sessions: a case costs milliseconds of
# work, not seconds of start-up. On a cluster, a case's four jobs are one component of the group
# `parity`, and the profile bundles many components into one submission (group-components). Each job
# declares the memory it needs, scaled by the case's data (job_memory in common.smk).


rule case_inputs:
    group:
        "parity"
    input:
        lambda w: CASE_FILES[w.case]["inputs"],
    output:
        layout.inputs("{case}"),
    log:
        layout.log("{case}", "inputs"),
    params:
        case=lambda w: CASE_PARAMS[w.case],
        sources=lambda w: CASE_HASH[w.case]["inputs"],
    threads: 1
    resources:
        mem_mb=job_memory("inputs"),
        runtime=10,  # minutes
    run:
        from rnncore.pipeline.steps import inputs_step

        run_step(inputs_step, log[0], case=params.case, output=output[0])


rule octave_run:
    group:
        "parity"
    input:
        inputs=layout.inputs("{case}"),
        sources=lambda w: CASE_FILES[w.case]["octave"],
    output:
        layout.octave_engine("{case}"),
    log:
        layout.log("{case}", "octave"),
    params:
        case=lambda w: CASE_PARAMS[w.case],
        sources=lambda w: CASE_HASH[w.case]["octave"],
    threads: 1
    resources:
        mem_mb=job_memory("octave"),
        runtime=15,  # minutes
    run:
        from rnncore.pipeline.steps import octave_step

        run_step(octave_step, log[0], case=params.case, inputs_file=input.inputs, output=output[0])


def _random_draws(case):
    """A script that draws random numbers: its port replays the Octave run's draws, so runs after it."""
    from rnncore.engine.octave import draws_random

    return [layout.octave_engine(case.name)] if draws_random(case.script, cached=sources.cached) else []


RANDOM_DRAWS = {name: _random_draws(c) for name, c in CASES.items()}


rule python_run:
    group:
        "parity"
    input:
        inputs=layout.inputs("{case}"),
        sources=lambda w: CASE_FILES[w.case]["python"],
        random=lambda w: RANDOM_DRAWS[w.case],
    output:
        layout.python_engine("{case}"),
    log:
        layout.log("{case}", "python"),
    params:
        case=lambda w: CASE_PARAMS[w.case],
        sources=lambda w: CASE_HASH[w.case]["python"],
    threads: 1
    resources:
        mem_mb=job_memory("python"),
        runtime=15,  # minutes
    run:
        from rnncore.pipeline.steps import python_step

        run_step(python_step, log[0], case=params.case, inputs_file=input.inputs, output=output[0],
                 random_file=input.random[0] if input.random else None)


def element_tables(case):
    """Every table a case's comparison writes: one per (pair, variable), plus the per-draw tables."""
    tables = []
    for left, right, _ in case.pairs():
        for v in case.variables:
            tables.append(layout.element_table(case.name, left, right, v))
            if case.draws > 1:
                tables.append(layout.draws_table(case.name, left, right, v))
    return tables


# One comparison rule per case, so that every element table is a declared output: a table that is
# deleted or damaged is remade (or its case's rows flagged), never passed over.
for _case in CASES.values():

    rule:
        name:
            f"compare_{_case.name}"
        group:
            "parity"
        input:
            octave=layout.octave_engine(_case.name),
            python=layout.python_engine(_case.name),
            sources=CASE_FILES[_case.name]["compare"],
        output:
            summary=layout.case_summary(_case.name),
            manifest=layout.case_manifest(_case.name),
            tables=element_tables(_case),
        log:
            layout.log(_case.name, "compare"),
        params:
            case=CASE_PARAMS[_case.name],
            sources=CASE_HASH[_case.name]["compare"],
        threads: 1
        resources:
            mem_mb=job_memory("compare", _case.name),
            runtime=15,  # minutes
        run:
            from rnncore.pipeline.steps import compare_step

            run_step(compare_step, log[0], case=params.case, octave_file=input.octave, python_file=input.python,
                     summary_file=output.summary, manifest_file=output.manifest)


def _summary_cases():
    return [{"name": c.name, "variables": list(c.variables), "expected": c.expected()} for c in CASES.values()]


rule parity_summary:
    input:
        summaries=[layout.case_summary(c) for c in CASES],
        manifests=[layout.case_manifest(c) for c in CASES],
        tables=[t for c in CASES.values() for t in element_tables(c)],
        sources=step_files("summary_step"),
    output:
        summary=layout.summary(),
        divergence=layout.divergence(),
    log:
        layout.log("parity_summary"),
    params:
        cases=_summary_cases(),
    run:
        from rnncore.pipeline.steps import summary_step

        run_step(summary_step, log[0], cases=params.cases,
                 case_summaries={c: layout.case_summary(c) for c in CASES}, output=output.summary,
                 divergence=output.divergence)


VERDICT_JUDGED = [f for c in CASES.values() for f in (layout.case_summary(c.name), layout.case_manifest(c.name),
                                                     *element_tables(c))]
VERDICT_INPUTS = [layout.summary(), *VERDICT_JUDGED]  # what judged_but_missing (rules/common.smk) looks for


rule parity_verdict:
    input:
        summary=layout.summary(),
        judged=VERDICT_JUDGED,
        sources=step_files("verdict_step"),
    output:
        layout.verdict(),
    log:
        layout.log("parity_verdict"),
    params:
        expected=SETTINGS.expected(),
        fingerprint=FINGERPRINT,
    run:
        from rnncore.pipeline.steps import verdict_step

        run_step(verdict_step, log[0], summary_file=input.summary, expected=params.expected,
                 fingerprint=params.fingerprint, output=output[0], judged=list(input.judged))


rule parity_gate:
    input:
        layout.verdict(),
    output:
        layout.gate(),
    log:
        layout.log("parity_gate"),
    run:
        from rnncore.pipeline.steps import gate_step

        run_step(gate_step, log[0], verdict_file=input[0], output=output[0])


def _provenance_cases():
    return [{"name": c.name, "script": c.script, "python": c.python,
             "files": sorted({f for group in CASE_FILES[c.name].values() for f in group})} for c in CASES.values()]


rule provenance:
    input:
        octave=[layout.octave_engine(c) for c in CASES],
        sources=PARITY_SOURCES,
    output:
        layout.provenance(),
    log:
        layout.log("provenance"),
    params:
        cases=_provenance_cases(),
    run:
        from rnncore.pipeline.steps import provenance_step

        run_step(provenance_step, log[0], cases=params.cases,
                 octave_files={c: layout.octave_engine(c) for c in CASES}, sources=PARITY_SOURCES, output=output[0])
