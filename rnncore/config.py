"""Parity cases as configured in ``config/config.yaml`` (schema: ``workflow/schemas/config.schema.yaml``).

The schema checks each key and value; this module checks what a schema cannot: case names are
unique, files exist inside the repository, and the Python side resolves to a callable. The
Python side is named ``module:function`` and found with :func:`importlib.import_module` and
``getattr``: nothing from the configuration is ever evaluated as code.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rnncore.engine.inputs import is_random, literal_array
from rnncore.engine.parity import Tolerance

__all__ = ["ConfigError", "Reference", "Case", "Settings", "load_schema", "parse_config", "resolve_callable",
           "OCTAVE", "PYTHON"]

OCTAVE = "octave"  # engine labels, the left/right columns of the reports
PYTHON = "python"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and what is wrong."""


@dataclass(frozen=True)
class Reference:
    """Published values compared with both engines."""

    name: str  # label in reports, e.g. "slides"
    file: Path  # CSV, see rnncore.engine.reference
    tolerance: Tolerance


@dataclass(frozen=True)
class Case:
    """One MATLAB script and its Python equivalent."""

    name: str  # names results/parity/<name>/ and the summary rows
    script: Path  # the .m file run in Octave
    python: str  # "module:function" returning {variable: array}
    variables: tuple[str, ...]  # compared, in report order
    tolerance: Tolerance  # Octave vs Python
    reference: Reference | None  # optional published values
    kind: str = "script"  # "script" (run in the workspace) or "function" (called with the inputs)
    outputs: tuple[str, ...] = ()  # a function file's declared outputs, in order
    inputs: dict = field(default_factory=dict)  # ordered name -> input spec (rnncore.engine.inputs)
    draws: int = 1  # how many draws of the inputs to run
    seed: int = 0  # seed of the draws
    inputs_from: tuple | None = None  # ("module:function", ((kwarg, value), ...)) making the inputs

    def pairs(self) -> list[tuple[str, str, Tolerance]]:
        """(left, right, tolerance) of every comparison, in report order."""
        out = [(OCTAVE, PYTHON, self.tolerance)]
        if self.reference:
            out += [(self.reference.name, OCTAVE, self.reference.tolerance),
                    (self.reference.name, PYTHON, self.reference.tolerance)]
        return out


@dataclass(frozen=True)
class Settings:
    """The whole configuration, checked."""

    root: Path  # repository root; every configured path is relative to it
    timeout_s: float  # Octave timeout per script
    shim_dirs: tuple[Path, ...]
    cases: tuple[Case, ...]
    training: tuple = ()  # rnncore.studies.training.RunSpec, one per training job, in grid order

    def run(self, run_id: str):
        for spec in self.training:
            if spec.run_id == run_id:
                return spec
        raise ConfigError(f"no training run {run_id!r}; configured: {', '.join(s.run_id for s in self.training)}")

    def case(self, name: str) -> Case:
        for c in self.cases:
            if c.name == name:
                return c
        raise ConfigError(f"no case named {name!r}; configured: {', '.join(c.name for c in self.cases)}")


def load_schema(root) -> dict:
    return yaml.safe_load((Path(root) / "workflow" / "schemas" / "config.schema.yaml").read_text())


def _tolerance(raw: dict, key: str) -> Tolerance:
    try:
        return Tolerance(ulp=int(raw["ulp"]), atol=float(raw["atol"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{key}: invalid tolerance {raw!r}: {exc}") from None


def _inside(root: Path, rel: str, key: str, *, kind: str = "file") -> Path:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ConfigError(f"{key}: {rel!r} points outside the repository")
    exists = path.is_file() if kind == "file" else path.is_dir()
    if not exists:
        raise ConfigError(f"{key}: {kind} {rel!r} does not exist")
    return root / rel


def parse_config(config: dict, root, *, validate: bool = True) -> Settings:
    """Check ``config`` (already loaded from YAML) and build :class:`Settings`.

    With ``validate``, the schema is applied first (the Snakefile has already done so with
    Snakemake's ``validate``; tests and scripts calling this directly get the same check).
    """
    root = Path(root)
    if validate:
        import jsonschema

        try:
            jsonschema.validate(config, load_schema(root))
        except jsonschema.ValidationError as exc:
            where = ".".join(str(p) for p in exc.absolute_path) or "(top level)"
            raise ConfigError(f"config key {where}: {exc.message}") from None
    default_tol = _tolerance(config["tolerance"], "tolerance")
    shim_dirs = tuple(_inside(root, d, f"shims[{i}]", kind="folder") for i, d in enumerate(config["shims"]))
    cases, seen = [], {}
    for i, raw in enumerate(config["cases"]):
        key = f"cases[{i}]"
        name = raw["name"]
        if name in seen:
            raise ConfigError(f"{key}.name: case name {name!r} is already used by cases[{seen[name]}]")
        seen[name] = i
        ref = None
        if "reference" in raw:
            r = raw["reference"]
            ref = Reference(name=r["name"], file=_inside(root, r["file"], f"{key}.reference.file"),
                            tolerance=_tolerance(r["tolerance"], f"{key}.reference.tolerance"))
        script = _inside(root, raw["script"], f"{key}.script")
        case = Case(
            name=name,
            script=script,
            python=raw["python"],
            variables=tuple(raw["variables"]),
            tolerance=_tolerance(raw["tolerance"], f"{key}.tolerance") if "tolerance" in raw else default_tol,
            reference=ref,
            inputs=dict(raw.get("inputs", {})),
            draws=int(raw["draws"]["n"]) if "draws" in raw else 1,
            seed=int(raw["draws"]["seed"]) if "draws" in raw else 0,
            inputs_from=((raw["inputs_from"]["function"], tuple(sorted(raw["inputs_from"].get("args", {}).items())))
                         if "inputs_from" in raw else None),
        )
        cases.append(_check_case(case, key, "draws" in raw))
    from rnncore.studies.training import expand_grid  # imported here: only configs with training pay for it

    try:
        training = tuple(expand_grid(config.get("training", [])))
    except ValueError as exc:
        raise ConfigError(f"training: {exc}") from None
    return Settings(root=root, timeout_s=float(config["octave"]["timeout_s"]), shim_dirs=shim_dirs,
                    cases=tuple(cases), training=training)


def _check_case(case: Case, key: str, has_draws: bool) -> Case:
    """Cross-field checks: inputs against the .m file's kind and signature, draws, reference."""
    from rnncore.engine.preflight import scan_m_file  # MISS_HIT parses the .m; imported only when configs are checked

    for name, spec in case.inputs.items():
        if "value" in spec:
            try:
                literal_array(spec["value"], f"{key}.inputs.{name}.value")
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
        elif not has_draws:
            raise ConfigError(f"{key}.inputs.{name}: a random input needs `draws: {{n: N, seed: S}}` in the case")
    if case.inputs_from and (case.inputs or has_draws):
        raise ConfigError(f"{key}.inputs_from: give the inputs either by `inputs` (and `draws`) or by "
                          f"`inputs_from`, not both")
    scan = scan_m_file(case.script)
    if scan.kind == "function":
        if scan.function_name != case.script.stem:
            raise ConfigError(f"{key}.script: {case.script.name} defines function {scan.function_name!r}; MATLAB "
                              f"calls a function file by its file name, so rename one of them")
        if not case.inputs_from and tuple(case.inputs) != scan.inputs:
            raise ConfigError(f"{key}.inputs: {case.script.name} takes ({', '.join(scan.inputs)}) but the case "
                              f"gives ({', '.join(case.inputs)}); list every argument, in order")
        extra = [v for v in case.variables if v not in scan.outputs]
        if extra:
            raise ConfigError(f"{key}.variables: {', '.join(extra)} not among {case.script.name}'s outputs "
                              f"({', '.join(scan.outputs)})")
        case = dataclasses.replace(case, kind="function", outputs=scan.outputs)
    elif has_draws:
        raise ConfigError(f"{key}.draws: {case.script.name} is a script; draws need a function file (a script's "
                          f"`clear` and constants make it one fixed example). Write its loop as a function, "
                          f"like matlab_ref/rnn2_loop.m")
    if case.reference and case.draws > 1:
        raise ConfigError(f"{key}.reference: published values describe one example; they cannot be compared "
                          f"with {case.draws} random draws")
    return case


def resolve_callable(spec: str):
    """Import ``module:function`` and return the function (no evaluation of ``spec``)."""
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"python: cannot import module {module_name!r} (from {spec!r}): {exc}") from None
    func = getattr(module, attr, None)
    if not callable(func):
        raise ConfigError(f"python: {module_name!r} has no function {attr!r} (from {spec!r})")
    return func
