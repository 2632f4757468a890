"""``rnncore``: the command line (also ``python -m rnncore``), each command a thin layer over a function.

==========================  ===============================================================  ======================
command                     what it does                                                     module
==========================  ===============================================================  ======================
``init [DIR]``              a new course folder with one example case that passes            :mod:`rnncore.tool.scaffold`
``add SCRIPT.m ...``        pre-flight, one Octave run listing every variable (class,        :mod:`rnncore.tool.addcase`
                            size), the port ``ports/<name>.py`` and the case in the config
``run [CASE ...]``          the parity run of those cases (all by default; ``--all``: also   :mod:`rnncore.tool.runner`
                            training and the studies): one live line, then the verdict and
                            the report's path; Snakemake's output in results/logs/
``check``                   the configuration, every case's pre-flight and skeleton ports,   :mod:`rnncore.tool.checks`
                            nothing run
``report [--open]``         where the report is (``--open``: in a browser)                  :mod:`rnncore.tool.runner`
``translate SCRIPT.m``      a numpy port of a ``.m`` file                                    :mod:`rnncore.translate`
``notebook CASE``           a case's notebook for students                                   :mod:`...notebooks`
==========================  ===============================================================  ======================

Every command works in the current folder (the course folder, holding ``config.yaml`` or
``config/config.yaml``). Exit status: 0 success, 1 a failure (a failing comparison, a problem found,
a configuration or script error: one sentence on stderr, no traceback), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rnncore import __version__

__all__ = ["main", "parser", "COMMANDS"]

# Commands with a command line of their own: everything after the command's name is theirs.
_DELEGATED = {
    "translate": ("rnncore.tool.translate", "a numpy port of a MATLAB file (rnncore translate --help)"),
    "notebook": ("rnncore.tool.notebook", "a case's notebook for students (rnncore notebook --help)"),
}
COMMANDS = ("init", "add", "run", "check", "report", *_DELEGATED)


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of cores")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rnncore",
        description="Run a course's MATLAB scripts in GNU Octave and their Python ports, compare every element, "
                    "report the verdict. Run the commands in a course folder (`rnncore init DIR` makes one).",
        epilog="Exit status: 0 ok, 1 failure (a comparison failed, a problem was found), 2 usage error.")
    p.add_argument("--version", action="version", version=f"rnncore {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = sub.add_parser("init", help="make a new course folder with an example case that passes",
                       description="Write a new course folder: a commented config.yaml with one example case, "
                                   "matlab_ref/example_rnn.m and its port ports/example_rnn.py, a pytest test, "
                                   "pytest.ini, .gitignore and a GitHub Actions workflow. Nothing is written if "
                                   "any of those files exists.")
    s.add_argument("directory", nargs="?", default=".", metavar="DIR", help="the folder (created if needed; "
                   "default: the current folder)")
    s.add_argument("--rnncore-spec", metavar="SPEC", help="what the folder's CI gives `pip install` to get rnncore "
                   "(a requirement, a git or wheel URL); default: where this rnncore was installed from")

    s = sub.add_parser("add", help="make a parity case of a MATLAB script (runs it once in Octave)",
                       description="Pre-flight SCRIPT.m, run it once in Octave (headless, with the configured "
                                   "timeout), print every variable it leaves with its MATLAB class and size, and "
                                   "write the port ports/<name>.py (translated by rnncore translate, or a skeleton "
                                   "to complete) and the case in the configuration (comments kept).")
    s.add_argument("scripts", nargs="+", metavar="SCRIPT.m", help="MATLAB scripts inside the course folder (with "
                   "several: one line each, and one case each named after its script)")
    s.add_argument("--name", help="the case's name (default: the script's name; one script only); names "
                   "results/parity/<name>/")
    s.add_argument("-n", "--dry-run", action="store_true", help="run and list the variables, write nothing")

    s = sub.add_parser("run", help="the parity run: Octave vs Python for the cases, verdict and report",
                       description="Run the cases' parity with rnncore's packaged Snakemake workflow in this "
                                   "folder: each script in Octave, its port in Python, every element compared. "
                                   "Shows one progress line (Snakemake's output goes to "
                                   "results/logs/run-<time>.log), then the verdict, each row that does not pass and "
                                   "the report's path; exits 1 when any comparison fails.")
    s.add_argument("cases", nargs="*", metavar="CASE", help="case names (default: every case); the report is "
                   "rebuilt from every case's results unless another case's are out of date")
    s.add_argument("--all", dest="everything", action="store_true",
                   help="everything the configuration asks for: parity, training, the studies, notebooks "
                        "(`snakemake all`)")
    s.add_argument("--cores", type=_positive, metavar="N", help="jobs side by side (default: every core)")
    s.add_argument("-v", "--verbose", action="store_true", help="show Snakemake's whole output as it comes "
                   "(it always goes to results/logs/run-<time>.log)")

    s = sub.add_parser("check", help="check the configuration and every case's script, running nothing",
                       description="Check the configuration (schema, files, ports), what reading each .m file "
                                   "tells (kind, signature), its pre-flight (MISS_HIT: syntax, prompts, workspace "
                                   "wipes) and, with Octave's `exist`, every name it calls. No script is run.")
    s.add_argument("-v", "--verbose", action="store_true", help="also print the pre-flight's notes")

    s = sub.add_parser("report", help="where the report is (--open: open it in a browser)",
                       description="Print the path of results/report/index.html and the verdict it shows.")
    s.add_argument("--open", dest="open_browser", action="store_true", help="open it in a web browser")

    for name, (_, summary) in _DELEGATED.items():
        sub.add_parser(name, help=summary, add_help=False)
    return p


def _delegate(name: str, argv: list[str]) -> int:
    import importlib

    module = importlib.import_module(_DELEGATED[name][0])
    try:
        return int(module.main(argv) or 0)
    except SystemExit as exc:  # argparse inside the command: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``rnncore`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from rnncore.errors import RnncoreError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _DELEGATED:
        return _delegate(argv[0], argv[1:])
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        if args.command == "init":
            from rnncore.tool.scaffold import init_course

            written = init_course(args.directory, args.rnncore_spec)
            print(f"rnncore init: wrote a course folder in {args.directory}:")
            for path in written:
                print(f"  {path}")
            print(f"next: cd {args.directory} && rnncore run       (the example case, Octave vs Python)\n"
                  f"      rnncore add matlab_ref/YOUR_SCRIPT.m       (a case of your own)")
            return 0
        if args.command == "add":
            from rnncore.tool.addcase import add_case, add_cases

            if len(args.scripts) == 1 and Path(args.scripts[0]).is_dir():  # a whole course folder
                from rnncore.tool.addfolder import add_folder

                if args.name or args.dry_run:
                    _err("rnncore add: --name and --dry-run take SCRIPT.m files, not a folder")
                    return 2
                return add_folder(args.scripts[0], err=_err)
            if len(args.scripts) > 1:
                if args.name:
                    _err("rnncore add: --name names one case: give it with one SCRIPT.m")
                    return 2
                return add_cases(args.scripts, dry_run=args.dry_run, err=_err)
            add_case(args.scripts[0], name=args.name, dry_run=args.dry_run)
            return 0
        if args.command == "run":
            from rnncore.tool.runner import run

            return run(args.cases, everything=args.everything, cores=args.cores, verbose=args.verbose, err=_err)
        if args.command == "check":
            from rnncore.tool.checks import check

            return check(verbose=args.verbose, err=_err)
        if args.command == "report":
            from rnncore.tool.runner import report

            return report(open_browser=args.open_browser, err=_err)
    except RnncoreError as exc:
        _err(f"rnncore {args.command}: {exc}")
        return 1
    except KeyboardInterrupt:
        _err(f"rnncore {args.command}: interrupted")
        return 130
    raise AssertionError(f"unhandled command {args.command!r}")  # parser and dispatch out of step: a bug
