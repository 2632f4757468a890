"""``rnncore translate SCRIPT.m [-o PORT.py]``: the command line of :mod:`rnncore.translate`.

Exit status: 0 when the port was written, 1 when the file cannot be translated (one sentence on
stderr naming the file, line and construct; no traceback), 2 for a usage error (bad arguments, a
missing input file, an output that cannot be written).

Without ``-o`` the module is printed on stdout; a file that calls function files beside it needs
``-o`` (the translations of those files are written beside the port, as modules of a package).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rnncore.translate.errors import TranslationError

__all__ = ["main"]


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit; main() reports and returns 2 instead
        raise _Usage(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="rnncore translate",
                description="Translate a course MATLAB script or function file into a readable numpy port "
                            "(run it with rnncore's parity cases to verify it against Octave).")
    p.add_argument("script", metavar="SCRIPT.m", help="the MATLAB file to translate")
    p.add_argument("-o", "--output", metavar="PORT.py",
                   help="where to write the port (a .py file, or a folder for SCRIPT.py); the function files "
                        "it calls are translated beside it. Default: print the port on stdout")
    return p


def main(argv=None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from rnncore.translate import translate_file

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _Usage as exc:
        print(f"{parser.format_usage().strip()}\nrnncore translate: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    script = Path(args.script)
    if script.suffix != ".m":
        print(f"rnncore translate: error: {script} is not a .m file", file=sys.stderr)
        return 2
    if not script.is_file():
        print(f"rnncore translate: error: {script}: no such file", file=sys.stderr)
        return 2
    try:
        translation = translate_file(script)
    except TranslationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.output is None:
        if translation.needs_package:
            others = ", ".join(f"{m}.m" for m in translation.modules if m != translation.main)
            print(f"rnncore translate: error: {script} calls {others}; give -o PORT.py so that their "
                  f"translations can be written beside it", file=sys.stderr)
            return 2
        sys.stdout.write(translation.modules[translation.main])
        return 0
    try:
        written = translation.write(args.output)
    except (OSError, ValueError) as exc:
        print(f"rnncore translate: error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0
