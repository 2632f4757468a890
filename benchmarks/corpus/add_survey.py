"""``rnncore add <folder>`` then ``rnncore run`` on folders of the development corpus (issue #19's measure).

Lay the corpus out first (``python benchmarks/corpus/fetch_corpus.py``), then::

    python benchmarks/corpus/add_survey.py                      # every folder; writes add_survey.md
    python benchmarks/corpus/add_survey.py --only prmlt/ch07    # some folders (the table says which)

Each folder's course is copied as shipped (``results/corpus/stanford_dl`` with ``common/``, ``ex1/``...)
into a fresh course made by ``rnncore init`` (its example case stays: a configuration needs one; it is
not counted), as ``matlab_ref/<course>/``, and ``rnncore add matlab_ref/<course>/<folder>`` ports the
folder (and the course's folders its scripts put on the path, ``addpath ../common``), runs its driver scripts with their calls captured,
and appends the cases; ``rnncore run`` runs them. Per folder: the function files its scripts call,
how many of those are translated (not skeletons) with a passing case, the skeletons with the
construct that stops each, and the summary's ``fail``/``error`` rows.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "results" / "corpus"


def _cell(text) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def survey(folder: Path, course: Path) -> dict:
    import yaml

    from rnncore.tool.cli import main
    from rnncore.tool.scaffold import init_course

    init_course(course)
    config = course / "config.yaml"
    name = folder.name
    shipped = folder.relative_to(CORPUS).parts[0]  # the course the folder belongs to, copied whole
    shutil.copytree(CORPUS / shipped, course / "matlab_ref" / shipped)
    target = f"matlab_ref/{folder.relative_to(CORPUS).as_posix()}"
    cwd = os.getcwd()
    os.chdir(course)
    out = io.StringIO()
    add_status = run_status = None
    crashed = []
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            add_status = main(["add", target])
            cases = [c["name"] for c in (yaml.safe_load(config.read_text()).get("cases") or [])]
            run_status = main(["run"]) if cases else None
    except Exception as exc:  # noqa: BLE001 - rnncore itself failed: the table says so, the survey goes on
        crashed.append(f"rnncore crashed: {type(exc).__name__}: {str(exc).strip().splitlines()[-1:]}")
    finally:
        os.chdir(cwd)
    rows = []
    summary = course / "results" / "parity" / "summary.csv"
    if summary.is_file():
        rows = list(csv.DictReader(summary.open()))
    status = {}
    for r in rows:
        worst = status.get(r["case"], "pass")
        status[r["case"]] = r["status"] if r["status"] != "pass" else worst
    functions = [e["name"] for e in yaml.safe_load(config.read_text())["cases"] if "captured" in e]
    ports = course / "ports" / name.replace("-", "_")
    skeleton_of = {p.stem for p in ports.glob("*.py") if "NotImplementedError(\"port of" in p.read_text()}
    passing = [c for c in functions if status.get(c) == "pass" and c.split("-", 1)[1] not in skeleton_of]
    failing = [f"{c.split('-', 1)[1]}: " + ("skeleton" if c.split("-", 1)[1] in skeleton_of else status.get(c, "no row"))
               for c in functions if c not in passing]
    # called, but no call could be stored (a struct, cell or handle argument...): called, not passing
    unstored = [l.split(":", 1)[1].strip() for l in out.getvalue().splitlines()
                if l.strip().startswith("called, no call storable (no case):")]
    unstored = [u for part in unstored for u in part.split("; ")]
    failing += [f"{u.split(' ', 1)[0]}: no call storable {u.split(' ', 1)[1]}" for u in unstored]
    lines = out.getvalue().splitlines()
    return {"folder": folder.relative_to(CORPUS).as_posix(), "add": add_status, "run": run_status,
            "called": len(functions) + len(unstored), "passing": len(passing),
            "skeletons": [l.strip()[len("skeleton "):] for l in lines if l.strip().startswith("skeleton ")],
            "fail": sum(r["status"] == "fail" for r in rows), "error": sum(r["status"] == "error" for r in rows),
            "not_run": crashed + [l.strip() for l in lines if ": not run:" in l], "failing": failing}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", help="folders under results/corpus/ (default: every folder of a course "
                   "holding .m files, results/corpus/<course>/<folder>)")
    p.add_argument("--out", default=str(Path(__file__).with_name("add_survey.md")), help="the table (markdown)")
    args = p.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"add_survey: {CORPUS} is missing; run python benchmarks/corpus/fetch_corpus.py first", file=sys.stderr)
        return 2
    folders = ([CORPUS / f for f in args.only] if args.only else
               sorted(d for d in CORPUS.glob("*/*") if d.is_dir() and any(d.glob("*.m"))))
    results = []
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="rnncore-add-survey-") as tmp:
            results.append(survey(folder, Path(tmp) / "course"))
            print(f"{results[-1]['folder']}: {results[-1]['passing']} of {results[-1]['called']} called "
                  f"function(s) translated and passing", file=sys.stderr)
    called = sum(r["called"] for r in results)
    passing = sum(r["passing"] for r in results)
    text = ["# `rnncore add <folder>` on the development corpus", "",
            "Written by `benchmarks/corpus/add_survey.py` (do not edit by hand); see it for the method.", "",
            f"Folders surveyed: {len(results)}" + (f" (only {', '.join(args.only)})" if args.only else "") + ".",
            f"Called function files translated with a passing case: {passing} of {called}"
            + (f" ({100 * passing / called:.0f} %)" if called else "") + f"; fail rows: "
            f"{sum(r['fail'] for r in results)}; error rows: {sum(r['error'] for r in results)}.", "",
            "| folder | called function files | translated, passing | fail rows | error rows | called, not passing "
            "| skeletons | scripts not run |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for r in results:
        text.append(f"| {r['folder']} | {r['called']} | {r['passing']} | {r['fail']} | {r['error']} | "
                    f"{_cell('; '.join(r['failing']))} | {_cell('; '.join(r['skeletons']))} | "
                    f"{_cell('; '.join(r['not_run']))} |")
    Path(args.out).write_text("\n".join(text) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
