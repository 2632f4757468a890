# Glue shared by all rules: the settings, read once; each job's exact sources; the run's fingerprint.
import dataclasses
import sys
from pathlib import Path

from rnncore import config as rconfig, layout
from rnncore.pipeline import sources
from rnncore.engine import memory
from rnncore.engine.preflight import m_dependencies
from rnncore.errors import RnncoreError
from rnncore.pipeline.run import run_step
from rnncore.pipeline.settings import load_settings


def _settings():
    """The configuration, checked (one sentence and exit 1 on any problem: no traceback, nothing runs).

    Nothing under results/ is touched here: parsing the workflow (a dry run `snakemake -n` included) writes
    and deletes nothing. The verdict and reports of the last run stay until a run that can read the
    configuration reconciles them with its sources (:func:`finish_run`).
    """
    given = list(workflow.overwrite_configfiles or [])
    source = str(given[0]) if given else next((p for p in rconfig.DEFAULT_CONFIG if Path(p).is_file()), None)
    try:
        results = Path(layout.RESULTS)
        if results.exists() and not results.is_dir():
            raise rconfig.ConfigError(f"{results} is a file, but rnncore writes its results into a folder "
                                      f"{results}/ here; move or delete the file")
        if source is None:
            raise rconfig.ConfigError(f"no configuration here ({Path.cwd()}): expected "
                                      f"{' or '.join(rconfig.DEFAULT_CONFIG)}; `rnncore init` makes one")
        raw = rconfig.read_config_file(source)  # refuses a key given twice, which Snakemake's reader keeps
        raw.update(config)  # --config overrides
        return load_settings(raw, ".", source, cached=sources.cached)
    except RnncoreError as exc:
        print(f"rnncore: {exc}", file=sys.stderr)
        sys.exit(1)


def _one_blas_thread():
    """Jobs run side by side, one core each (``threads: 1``), so each gets one BLAS and OpenMP thread: two
    jobs' thread pools on the same two cores wait on each other (docs/speed.md, "Threads": 4x slower
    and worse).
    The environment reaches the processes jobs start (Octave, ``script:`` jobs); numpy's BLAS in this
    process, where the parity jobs run as threads, is already loaded, so threadpoolctl holds it. A value
    the user exported wins."""
    import os

    from threadpoolctl import threadpool_limits

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]), user_api="blas")


_one_blas_thread()
SETTINGS = _settings()
CASES = {c.name: c for c in SETTINGS.cases}
RUNS = {spec.run_id: spec for spec in SETTINGS.training}
# Each case as plain data, made once: every job of the case receives it (read only), and asdict's deep copy
# per job was a tenth of a second per hundred cases at every start-up.
CASE_PARAMS = {c.name: c.params() for c in SETTINGS.cases}


def job_memory(job, case=None):
    """``mem_mb`` of a case's parity ``job``, scaled by the files it reads (rnncore/engine/memory.py)."""

    def mem_mb(wildcards, input):
        c = CASES[case or wildcards.case]
        files = [] if job == "inputs" else [input.octave, input.python] if job == "compare" else [input.inputs]
        return memory.job_mb(job, *files, specs=c.inputs, draws=c.draws, floor=c.mem_mb)

    return mem_mb


_rel = sources.relative_paths


_STEP, _MODULES = {}, {}


def step_files(step, *modules):
    """Every source file running ``rnncore.pipeline.steps.<step>`` (and importing ``modules``) reaches."""
    # Two caches: the step's own files are the same for every case; a port's closure is its case's.
    if step not in _STEP:
        _STEP[step] = _rel(sources.step_sources(step, Path.cwd()))
    if modules not in _MODULES:
        _MODULES[modules] = _rel(sources.closure(modules, Path.cwd()).values()) if modules else []
    return sorted(set(_STEP[step]) | set(_MODULES[modules]))


from rnncore.models.factory import MODULES as MODEL_MODULES  # noqa: E402


def model_module(model):
    """The module a job of ``model`` trains (the factory imports it by name, out of the readers' sight)."""
    return MODEL_MODULES[model]


def _target_module(target):
    return target.partition(":")[0]


def case_files(case):
    """Per job of a case, the files it runs: the step's code, the port and what it imports, the .m files."""
    from rnncore.engine.octave import draws_random
    from rnncore.resources import compat_dir

    m_files, shims = m_dependencies(case.script, case.shims, cached=sources.cached)
    # a script that draws at random runs with the recorders of its draws (rnncore.engine.octave.run_script)
    recorders = sorted(map(str, (compat_dir() / "recording").glob("*.m"))) if draws_random(case.script, cached=sources.cached) else []
    extra = [_target_module(case.inputs_from["function"])] if case.inputs_from else []
    return {
        "inputs": step_files("inputs_step", *extra),
        "octave": step_files("octave_step") + _rel(m_files + shims + recorders),
        "python": step_files("python_step", _target_module(case.python)),
        "compare": step_files("compare_step") + ([case.reference.file] if case.reference else []),
    }


CASE_FILES = {name: case_files(c) for name, c in CASES.items()}
# The contents of those files, as a parameter of each job: a file put back with an older modification
# time (an editor's undo, `cp -p`, a restored backup) still reruns exactly the jobs that run it.
CASE_HASH = {name: {job: sources.fingerprint(files) for job, files in groups.items()}
             for name, groups in CASE_FILES.items()}
# What the verdict judges: every file the parity jobs run, and every case's settings. Reports carry it.
PARITY_SOURCES = sorted({f for files in CASE_FILES.values() for group in files.values() for f in group}
                        | set(step_files("summary_step")) | set(step_files("verdict_step")))
FINGERPRINT = sources.fingerprint(PARITY_SOURCES, list(CASE_PARAMS.values()))


def judged_but_missing(wildcards=None):
    """The verdict's inputs that are gone while the verdict is still there (a table deleted by hand, say).

    `all` and `parity` ask for them as targets: Snakemake skips a missing intermediate file when what was
    built from it exists, so without this the verdict would stand on files that no longer exist. Once they
    are remade, the verdict is remade from them. Only looked at (the verdict itself is not deleted), so that
    parsing the workflow, a dry run included, writes and deletes nothing.
    """
    if not Path(layout.verdict()).exists():
        return []
    return [f for f in VERDICT_INPUTS if not Path(f).exists()]


def start_run(log_file):
    """Before the jobs of a real run (Snakemake's ``onstart``: never for a dry run, nor when nothing is to
    be done): keep what reading the sources told (the scan cache), for the next run's start."""
    sources.save_cache()


def failed_jobs(log_file):
    """What failed in this run, from Snakemake's log: the rules and files of the failed jobs."""
    if isinstance(log_file, (list, tuple)):
        log_file = log_file[0] if log_file else ""
    try:
        text = Path(log_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "the run stopped (see the console output)"
    failed = sorted({line.split("Error in rule", 1)[1].strip(" :") for line in text.splitlines()
                     if "Error in rule" in line})
    if "KeyboardInterrupt" in text or "Terminating processes on user request" in text:
        return "the run was interrupted"
    return ("these jobs failed: " + ", ".join(failed)) if failed else "the run stopped (see the console output)"


def finish_run(failed, log_file):
    """After every run: remove any verdict or report that no longer describes the sources; one closing line."""
    from rnncore.pipeline.steps import reconcile_reports, remove_unconfigured

    say = lambda line: print(line, file=sys.stderr)  # noqa: E731
    remove_unconfigured(set(CASES), log=say)
    removed = reconcile_reports(FINGERPRINT, failed, log=say)
    verdict = Path(layout.verdict())
    if failed is None and verdict.exists() and not removed:
        from rnncore.engine.verdict_format import read_verdict

        try:
            doc = read_verdict(verdict)
        except RnncoreError as exc:
            print(f"rnncore: {exc}", file=sys.stderr)
            return
        html = layout.report_html() if Path(layout.report_html()).exists() else "not built by this target"
        print(f"rnncore: {doc['line']}; report: {html}", file=sys.stderr)


wildcard_constraints:
    case="|".join(map(str, CASES)) or "no-cases",
    run_id="|".join(RUNS) or "no-runs",
    model="|".join(sorted(set(SETTINGS.study.longlag_models))) or "no-models",
    lag="[0-9]+",
