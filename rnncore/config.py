"""The configuration, read once: ``config.yaml`` -> :class:`Settings` (cases, training grid, study).

The workflow builds the settings once, in the Snakefile, and hands each job its slice
(:meth:`Case.params`, a run of the training grid, a cell of the study) through Snakemake's
``params:``; no job reads ``config.yaml`` again. Checking is in three layers, cheapest first:

1. :func:`read_config_file`: YAML, with a key given twice in one mapping refused (PyYAML would keep
   the last one silently);
2. :func:`validate`: the JSON schema shipped with the package (``rnncore.resources.schema_path``),
   the first problem reported in one sentence that names the case and the key;
3. :func:`load_settings`: what a schema cannot check: unique case names; files that exist inside
   the project; every ``python:`` and ``inputs_from:`` target a function of the project's own
   modules (or rnncore's) that takes what the case will give it, read from its source, never run,
   so that a typo stops the run before any job starts, named by its case.

What needs Octave or MISS_HIT (a ``.m`` file's kind and signature, its pre-flight) is checked when
the case runs, or all at once by ``rnncore check`` (:func:`rnncore.pipeline.settings.check_scripts`), so
that a run where nothing changed parses no ``.m`` file.

This module is on the package's floor: it imports nothing of rnncore above it. What only the studies can
check (the training grid expanded into runs, the long-lag hyper-parameters) is added on top by
:func:`rnncore.pipeline.settings.load_settings`, which the workflow and the ``rnncore`` commands use;
:func:`load_settings` here leaves :attr:`Settings.training` empty and keeps the grid's blocks as given.
"""

from __future__ import annotations

import ast
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from rnncore import pysource, resources
from rnncore.errors import ConfigError
from rnncore.literals import literal_array

__all__ = ["ConfigError", "Reference", "Case", "Study", "Settings", "OCTAVE", "PYTHON", "comparison_pairs",
           "read_config_file", "validate", "load_settings", "DEFAULT_CONFIG", "in_ci"]

OCTAVE = "octave"  # engine labels, the left/right columns of the reports
PYTHON = "python"
DEFAULT_CONFIG = ("config/config.yaml", "config.yaml")  # where a run looks, in this order


def in_ci() -> bool:
    """True under CI (``CI=true``): a parity test without Octave fails there instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# --------------------------------------------------------------------------- YAML and schema


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's where PyYAML has it: the config is read on every run, a no-op included)
    refusing a key given twice in one mapping."""


def _strict_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConfigError(f"{loader.name}:{key_node.start_mark.line + 1}: key {key!r} is given twice in the same "
                              f"mapping (first on line {seen[key]}); YAML would silently keep the last one")
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def read_config_file(path) -> dict:
    """Load a ``config.yaml``: a mapping, every key once. :class:`ConfigError` names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    loader = _StrictLoader(text)
    loader.name = str(path)
    try:
        doc = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys (octave, shims, tolerance, cases, ...)")
    return doc


def _where(config: dict, path) -> str:
    """``cases[rnn2].variables`` for the schema path ``cases/0/variables``: cases by name, not index."""
    parts, node = [], config
    for p in path:
        if isinstance(p, int):
            name = node[p].get("name") if isinstance(node, list) and isinstance(node[p], dict) else None
            parts[-1] += f"[{name}]" if isinstance(name, str) else f"[{p + 1}]"
        else:
            parts.append(str(p))
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(top level)"


def validate(config: dict, source: str = "config.yaml") -> None:
    """Check ``config`` against the schema; the first problem becomes one :class:`ConfigError` sentence."""
    import jsonschema

    schema = yaml.load(resources.schema_path().read_text(encoding="utf-8"),
                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(config),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator != "additionalProperties"))
    if not errors:
        return
    exc = errors[0]
    where = _where(config, exc.absolute_path)
    if exc.validator == "additionalProperties":
        allowed = ", ".join(sorted(exc.schema.get("properties", {})))
        extra = sorted(set(exc.instance) - set(exc.schema.get("properties", {})))
        what = f"unknown key {', '.join(map(repr, extra))}; the keys here are: {allowed}"
    elif exc.validator == "required":
        what = exc.message.replace("is a required property", "is required here")
    elif exc.validator == "oneOf" and "ulp" in exc.schema.get("properties", {}):  # a tolerance
        what = ("give exactly one of `atol` (a stated bound) or `gradient` (a bound derived from the measured "
                "difference of the function underneath, docs/tolerances.md), beside `ulp`")
    else:
        what = exc.message
    raise ConfigError(f"{source}: {where}: {what}")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Reference:
    """Published values compared with both engines."""

    name: str  # label in reports, e.g. "slides"
    file: str  # CSV relative to the project, see rnncore.engine.reference
    tolerance: dict  # {"ulp": int, "atol": float}


def comparison_pairs(tolerance: dict, reference) -> list[tuple[str, str, dict]]:
    """(left, right, tolerance) of every comparison a case makes, in report order: Octave against
    Python, then the published values (``reference``: a :class:`Reference`, its ``asdict`` form as in
    :meth:`Case.params`, or None) against each engine. The one place the pairs are built: the
    configuration's expected rows, the workflow's tables and the comparison step all read it."""
    out = [(OCTAVE, PYTHON, tolerance)]
    if reference:
        name, tol = (reference["name"], reference["tolerance"]) if isinstance(reference, dict) else \
            (reference.name, reference.tolerance)
        out += [(name, OCTAVE, tol), (name, PYTHON, tol)]
    return out


@dataclass(frozen=True)
class Case:
    """One MATLAB file and its Python port; paths relative to the project folder."""

    name: str  # names results/parity/<name>/ and the summary rows
    script: str  # the .m file run in Octave
    python: str  # "module:function" returning {variable: value}
    variables: tuple[str, ...]  # compared, in report order; "s.f" is a struct's field
    tolerance: dict  # Octave vs Python: {"ulp": int, "atol": float}
    # Octave timeout for this case: the configuration's octave.timeout_s (required there), so no default
    # here, where the engine's OCTAVE_TIMEOUT_S cannot be imported (the floor imports nothing above it).
    timeout_s: float
    reference: Reference | None = None  # optional published values
    inputs: dict = field(default_factory=dict)  # ordered name -> input spec (rnncore.engine.inputs)
    draws: int = 1  # how many draws of the inputs to run
    seed: int = 0  # seed of the draws
    inputs_from: dict | None = None  # {"function": "module:function", "args": {...}} making the inputs
    captured: dict | None = None  # {"file": path, "sha256": hex}: stored captured calls (rnncore add <folder>)
    compare: str = "class"  # "class": the MATLAB class is part of parity; "values": values only
    full_tables: bool = False  # write every element of large comparisons, not only the failing and worst
    mem_mb: int = 0  # memory (MB) each of the case's jobs declares at least (rnncore.engine.memory)
    shims: tuple[str, ...] = ()  # shim folders, relative to the project (absolute for rnncore's own)
    # "accept": a difference from a library routine (svd's signs...) passes the gate as library-accepted;
    # "report" (default): it is reported as `library` and fails the gate (rnncore.engine.summary.library_row).
    library: str = "report"

    @property
    def with_draws(self) -> bool:
        return self.draws > 1 or any("value" not in spec for spec in self.inputs.values())

    def pairs(self) -> list[tuple[str, str, dict]]:
        """(left, right, tolerance) of every comparison, in report order (:func:`comparison_pairs`)."""
        return comparison_pairs(self.tolerance, self.reference)

    def expected(self) -> list[tuple[str, str, str, str]]:
        """(case, variable, left, right) of every summary row this case must produce, in order."""
        return [(self.name, v, left, right) for left, right, _ in self.pairs() for v in self.variables]

    def params(self) -> dict:
        """The case as plain data: what its jobs receive (and what reruns them when it changes)."""
        d = asdict(self)
        d["variables"], d["shims"] = list(self.variables), list(self.shims)
        del d["mem_mb"]  # a resource: memory declared to a scheduler changes no result
        return d


@dataclass(frozen=True)
class Study:
    """The long-lag task and the vanishing-gradient study; the defaults live here and only here."""

    longlag_models: tuple[str, ...] = ()
    longlag_lags: tuple[int, ...] = ()
    longlag_seeds: tuple[int, ...] = ()
    hyper: dict = field(default_factory=dict)  # LagSpec fields for every run (hidden, steps, lr, ...)
    vanishing: dict | None = None  # {"lag": int, "seed": int}, or None: not asked for
    VANISHING_DEFAULTS = {"lag": 20, "seed": 0}

    @property
    def lag_jobs(self) -> list[tuple[str, int]]:
        return [(m, lag) for m in self.longlag_models for lag in self.longlag_lags]


@dataclass(frozen=True)
class Settings:
    """The whole configuration, checked."""

    root: Path  # the project folder; every configured path is relative to it
    source: str  # the configuration file, for messages
    cases: tuple[Case, ...]
    training: tuple = ()  # rnncore.studies.training.RunSpec, one per training job, in grid order (filled by
    # rnncore.pipeline.settings.load_settings, which expands training_blocks with the studies' own checks)
    training_blocks: tuple = ()  # the configuration's `training:` blocks, as given (schema-checked)
    study: Study = field(default_factory=Study)

    def case(self, name: str) -> Case:
        for c in self.cases:
            if c.name == name:
                return c
        raise ConfigError(f"no case named {name!r}; configured: {', '.join(c.name for c in self.cases)}")

    def run(self, run_id: str):
        for spec in self.training:
            if spec.run_id == run_id:
                return spec
        raise ConfigError(f"no training run {run_id!r}; configured: {', '.join(s.run_id for s in self.training)}")

    def expected(self) -> list[tuple[str, str, str, str]]:
        return [row for c in self.cases for row in c.expected()]


def _tolerance(raw: dict, where: str) -> dict:
    """``{"ulp", "atol"}``, and ``"why"`` (one sentence) when ``atol`` is derived from a gradient check's
    measured difference (:func:`gradient_atol`)."""
    ulp = raw["ulp"]
    if "gradient" in raw:
        atol, why = gradient_atol(raw["gradient"], f"{where}.gradient")
        return {"ulp": int(ulp), "atol": atol, "why": why}
    atol = raw["atol"]
    if not isinstance(atol, (int, float)) or not math.isfinite(atol) or atol < 0:
        raise ConfigError(f"{where}.atol: must be a finite number >= 0, got {atol!r}")
    return {"ulp": int(ulp), "atol": float(atol)}


def gradient_atol(g: dict, where: str) -> tuple[float, str]:
    """The absolute tolerance of a finite-difference gradient, from the measured difference of the
    function underneath, and the sentence saying how it was derived.

    A central difference ``(f(x+h) - f(x-h)) / (2h)`` whose two values of ``f`` each differ between
    the engines by at most ``f_abs_err`` differs by at most ``2 f_abs_err / (2h) = f_abs_err / h``;
    a forward difference ``(f(x+h) - f(x)) / h`` by ``2 f_abs_err / h``. ``safety`` (>= 1) covers
    the rounding of the subtraction and division themselves. 1 ULP of f = 1 (2.2e-16) over
    h = 1e-4 is 2.2e-12: far beyond any ULP bound on the gradient, hence an absolute one.
    """
    d, h, safety = g["f_abs_err"], g["h"], g.get("safety", 2)
    scheme = g.get("difference", "central")
    for key, value in (("f_abs_err", d), ("h", h), ("safety", safety)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise ConfigError(f"{where}.{key}: must be a finite number, got {value!r}")
    if d < 0 or h <= 0 or safety < 1:
        raise ConfigError(f"{where}: needs f_abs_err >= 0, h > 0 and safety >= 1; got f_abs_err {d!r}, h {h!r}, "
                          f"safety {safety!r}")
    amplification = (1.0 if scheme == "central" else 2.0) / h
    atol = float(d) * amplification * float(safety)
    why = (f"atol {atol!r} from a gradient check: f's measured max_abs_err {float(d)!r} x "
           f"{'1' if scheme == 'central' else '2'}/h (h {float(h)!r}, {scheme} difference) x safety {float(safety)!r}")
    return atol, why


def _inside(root: Path, rel: str, where: str, *, kind: str = "file") -> str:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ConfigError(f"{where}: {rel!r} points outside the project folder")
    exists = path.is_file() if kind == "file" else path.is_dir()
    if not exists:
        raise ConfigError(f"{where}: {kind} {rel!r} does not exist")
    return rel


def _signature(path: Path, func: str) -> dict | None:
    """What checking a target needs of how the module file ``path`` defines ``func``, as plain data (so
    that the workflow's scan cache can keep it between runs): None when the file does not parse."""
    try:
        node = pysource.function_defined(path, func)
    except (SyntaxError, UnicodeDecodeError):
        return None
    if node is None:
        return {"defined": False}
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {"defined": True, "def": False}
    a = node.args
    return {"defined": True, "def": True, "line": node.lineno, "positional": [p.arg for p in a.posonlyargs + a.args],
            "defaults": len(a.defaults), "vararg": a.vararg is not None, "kwonly": [p.arg for p in a.kwonlyargs],
            "kwarg": a.kwarg is not None}


def _check_target(root: Path, target: str, where: str, *, n_positional, keywords=(),
                  cached=pysource.uncached) -> None:
    """A ``module:function`` target: a file of the project (or rnncore) defining the function, whose
    signature takes ``n_positional`` arguments (an int, a tuple of accepted counts, or None: not
    checked) and the ``keywords``."""
    module, _, func = target.partition(":")
    path = pysource.module_file(module, root)
    if path is None:
        raise ConfigError(f"{where}: module {module!r} is not a file of the project ({module.replace('.', '/')}.py "
                          f"under {root}) nor of rnncore; a port or inputs maker must be the course's own code")
    sig = cached(f"def-{func}", path, lambda: _signature(path, func))
    if sig is None:
        return  # the module does not even parse: the case's Python side reports it, with file and line
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    if not sig["defined"]:
        raise ConfigError(f"{where}: {shown} defines no function {func!r}")
    if not sig["def"]:
        return  # assigned or imported: its signature is not visible without running code
    positional = sig["positional"]
    required = len(positional) - sig["defaults"]
    if n_positional is not None:
        counts = n_positional if isinstance(n_positional, tuple) else (n_positional,)
        ok = any((required <= n <= len(positional)) or (sig["vararg"] and required <= n) for n in counts)
        if not ok:
            wants = ("one argument (the mapping of the case's inputs)" + (
                f" or its {counts[-1]} inputs one by one" if len(counts) > 1 else "")) if counts[0] else "no argument"
            raise ConfigError(f"{where}: {func}() in {shown}:{sig['line']} must take {wants}; it takes "
                              f"({', '.join(positional)})")
    names = set(positional) | set(sig["kwonly"])
    unknown = [k for k in keywords if k not in names] if not sig["kwarg"] else []
    if unknown:
        raise ConfigError(f"{where}: {func}() in {shown}:{sig['line']} has no argument "
                          f"{', '.join(map(repr, unknown))}; it takes ({', '.join(sorted(names))})")


def load_settings(config: dict, root=".", source: str = "config.yaml", *, schema: bool = True,
                  cached=pysource.uncached) -> Settings:
    """Check ``config`` (already read, e.g. by :func:`read_config_file`) and build :class:`Settings`: the
    cases, and the training blocks and the study as given (the studies' own checks of those are
    :func:`rnncore.pipeline.settings.load_settings`'s).

    ``cached(kind, path, compute)`` may keep what reading a port's file told between runs: the workflow
    passes its scan cache (:func:`rnncore.pipeline.sources.cached`), so that a run where no port changed
    parses none (a course of a thousand ports spent seconds here)."""
    root = Path(root).resolve()
    if schema:
        validate(config, source)
    default_tol = _tolerance(config["tolerance"], f"{source}: tolerance")
    timeout = float(config["octave"]["timeout_s"])
    shims = tuple(_inside(root, d, f"{source}: shims", kind="folder") for d in config.get("shims", []))
    # MATLAB's toolbox functions Octave lacks (softmax) are always shimmed; a course may add its own.
    builtin = str(resources.compat_dir())
    shim_dirs = shims if any((root / s).resolve() == Path(builtin) for s in shims) else shims + (builtin,)
    cases, seen = [], set()
    for raw in config["cases"]:
        name = raw["name"]
        where = f"{source}: case {name!r}"
        if name in seen:
            raise ConfigError(f"{where}: the name is already used by another case; case names must be unique")
        seen.add(name)
        ref = None
        if "reference" in raw:
            r = raw["reference"]
            ref = Reference(name=r["name"], file=_inside(root, r["file"], f"{where}: reference.file"),
                            tolerance=_tolerance(r["tolerance"], f"{where}: reference.tolerance"))
        inputs = dict(raw.get("inputs", {}))
        for input_name, spec in inputs.items():
            if "value" in spec:
                try:
                    literal_array(spec["value"], f"{where}: inputs.{input_name}.value")
                except ValueError as exc:
                    raise ConfigError(str(exc)) from None
            elif "draws" not in raw:
                raise ConfigError(f"{where}: inputs.{input_name}: a random input needs `draws: {{n: N, seed: S}}`")
        if "inputs_from" in raw and (inputs or "draws" in raw):
            raise ConfigError(f"{where}: give the inputs either by `inputs` (and `draws`) or by `inputs_from`, "
                              f"not both")
        if "reference" in raw and "draws" in raw and raw["draws"]["n"] > 1:
            raise ConfigError(f"{where}: reference: published values describe one example; they cannot be "
                              f"compared with {raw['draws']['n']} random draws")
        captured, draws = None, int(raw["draws"]["n"]) if "draws" in raw else 1
        if "captured" in raw:
            if inputs or "draws" in raw or "inputs_from" in raw:
                raise ConfigError(f"{where}: `captured` gives the draws; drop `inputs`, `draws` and `inputs_from`")
            captured, inputs, draws = _captured(root, raw["captured"], f"{where}: captured")
        inputs_from = None
        if "inputs_from" in raw:
            inputs_from = {"function": raw["inputs_from"]["function"], "args": dict(raw["inputs_from"].get("args", {}))}
            _check_target(root, inputs_from["function"], f"{where}: inputs_from.function", n_positional=0,
                          keywords=list(inputs_from["args"]), cached=cached)
        # A port takes the inputs as one mapping, or (a function file's port) one by one in order.
        arity = (1, len(inputs)) if len(inputs) > 1 else 1 if inputs else None if inputs_from else 0
        _check_target(root, raw["python"], f"{where}: python", n_positional=arity, cached=cached)
        cases.append(Case(
            name=name, script=_inside(root, raw["script"], f"{where}: script"), python=raw["python"],
            variables=tuple(raw["variables"]),
            tolerance=_tolerance(raw["tolerance"], f"{where}: tolerance") if "tolerance" in raw else default_tol,
            reference=ref, inputs=inputs, draws=draws,
            seed=int(raw["draws"]["seed"]) if "draws" in raw else 0, inputs_from=inputs_from, captured=captured,
            compare=raw.get("compare", "class"), full_tables=bool(raw.get("full_tables", False)),
            timeout_s=timeout, shims=shim_dirs, mem_mb=int(raw.get("mem_mb", 0)),
            library=raw.get("library", "report")))
    return Settings(root=root, source=source, cases=tuple(cases), training_blocks=tuple(config.get("training") or ()),
                    study=_study(config))


def _captured(root: Path, path: str, where: str) -> tuple[dict, dict, int]:
    """A case's stored captured calls: ({file, sha256}, its arguments in order, how many draws).

    The digest is part of the case, so refreshed captures rerun it (the workflow reruns a case
    whose parameters change)."""
    import hashlib

    from rnncore.errors import ArtifactError
    from rnncore.io import read_engine

    file = _inside(root, path, where)
    try:
        doc = read_engine(Path(root) / file, "inputs")
    except ArtifactError as exc:
        raise ConfigError(f"{where}: {exc}; rerun `rnncore add` on the folder to capture the calls again") from None
    names = doc.meta.get("arguments")
    if doc.error or not doc.draws or not isinstance(names, list) or any(set(d) != set(names) for d in doc.draws):
        raise ConfigError(f"{where}: {file} holds no captured calls rnncore can use; rerun `rnncore add` on the folder")
    digest = hashlib.sha256((Path(root) / file).read_bytes()).hexdigest()
    return {"file": file, "sha256": digest}, {n: {"captured": file} for n in names}, len(doc.draws)


def _study(config: dict) -> Study:
    study = config.get("study") or {}
    lag = study.get("longlag") or {}
    vanishing = None
    if "vanishing" in study:
        vanishing = {**Study.VANISHING_DEFAULTS, **(study["vanishing"] or {})}
    return Study(longlag_models=tuple(lag.get("models", ())), longlag_lags=tuple(lag.get("lags", ())),
                 longlag_seeds=tuple(lag.get("seeds", ())), hyper=dict(lag.get("hyper", {})), vanishing=vanishing)
