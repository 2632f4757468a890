# Glue shared by all rules. Kept cheap: Snakemake parses this file again for every job.
from pathlib import Path

from snakemake.utils import validate

# Schema validation first: a bad key stops the run here, naming the key.
validate(config, schema="../schemas/config.schema.yaml")

from rnncore.config import parse_config  # noqa: E402

ROOT = Path(workflow.basedir)
# Semantic checks the schema cannot make (unique case names, files that exist); no Octave here.
SETTINGS = parse_config(config, ROOT, validate=False)
CASES = [c.name for c in SETTINGS.cases]

# Snakemake's code trigger sees a rule's own script, not the modules it imports, so every package
# source is an input of the rules that use the package: editing the port reruns the parity.
PKG_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rnncore").rglob("*.py"))
SHIM_FILES = sorted(str(p.relative_to(ROOT)) for d in SETTINGS.shim_dirs for p in Path(d).glob("*.m"))


def case_script(wildcards):
    return str(SETTINGS.case(wildcards.case).script.relative_to(ROOT))


def case_reference(wildcards):
    ref = SETTINGS.case(wildcards.case).reference
    return [str(ref.file.relative_to(ROOT))] if ref else []


wildcard_constraints:
    case="|".join(CASES),
    run_id="|".join(spec.run_id for spec in SETTINGS.training) or "no-runs",
    model="diagonal|full|lstm",
    lag="[0-9]+",
