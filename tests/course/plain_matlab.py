"""Is a MATLAB reference plain MATLAB? A line scanner for the Octave-only constructs MATLAB rejects
(or reads differently), the second opinion beside rnncore.engine.preflight (MISS_HIT's parser).

The references under ``matlab_ref/train`` and ``matlab_ref/lstm`` run in Octave here but must also
run in MATLAB unchanged, which Octave itself never checks.
"""

from __future__ import annotations

import re

from rnncore.engine.preflight import scan_m_file

__all__ = ["OCTAVE_ONLY", "code_part", "octave_only_syntax", "reference_problems"]


def code_part(line):
    """``line`` without its ``%`` comment and with single-quoted string contents blanked.

    A quote opens a string unless it follows an identifier, a number, a closing bracket, a dot or
    another quote, where it is MATLAB's transpose operator.
    """
    out = []
    in_string = False
    i = 0
    while i < len(line):
        ch = line[i]
        if in_string:
            if ch == "'":
                if line[i + 1 : i + 2] == "'":  # '' is an escaped quote inside a string
                    out.append("  ")
                    i += 2
                    continue
                in_string = False
                out.append("'")
            else:
                out.append(" ")
        elif ch == "%":
            break
        elif ch == "'":
            prev = "".join(out).rstrip()[-1:] if out and not out[-1].isspace() else ""
            in_string = not (prev and (prev.isalnum() or prev in "_)]}.'"))
            out.append("'")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# Octave accepts these, MATLAB rejects them (or reads them differently).
OCTAVE_ONLY = [
    (re.compile(r"(\+|-|\*|/|\^)="), "compound assignment (+= -= *= /= ^=)"),
    (re.compile(r"\+\+|--"), "increment/decrement (++ --)"),
    (re.compile(r"!"), "! or != (MATLAB: ~ and ~=)"),
    (re.compile(r"#"), "# comment (MATLAB: %)"),
    (re.compile(r'"'), "double-quoted string (a string object in MATLAB, char in Octave)"),
    (re.compile(r"\bend(function|if|for|while|switch|_try_catch|_unwind_protect)\b"), "endXXX keyword"),
    (re.compile(r"\b(unwind_protect|do|until)\b"), "Octave-only keyword"),
    (re.compile(r"(?<![\w.])(printf|puts|fputs|fdisp)\s*\("), "Octave-only output function (MATLAB: fprintf)"),
    (re.compile(r"\*\*"), "** power (MATLAB: ^)"),
]


def octave_only_syntax(text):
    """``[(line_number, construct, line)]`` for each Octave-only construct in MATLAB source ``text``."""
    hits = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = code_part(line)
        for pattern, what in OCTAVE_ONLY:
            if pattern.search(code):
                hits.append((number, what, line))
    return hits


def reference_problems(files):
    """Every reason the ``.m`` files are not a plain, self-contained MATLAB reference, one line each.

    Octave-only syntax (this scanner, then MISS_HIT's parser as a second opinion); a function file
    whose function is not named after the file (MATLAB finds functions by file name); and random
    draws or clearing, since a reference reads only the numbers pushed into it.
    """
    problems = [f"{f.name}:{n}: {what}: {line.strip()}" for f in files
                for n, what, line in octave_only_syntax(f.read_text())]
    for f in files:
        problems += [finding.message for finding in scan_m_file(f).findings
                     if finding.kind in ("not-matlab", "parse-error")]
        text = f.read_text()
        if text.lstrip().startswith("function"):
            name = re.match(r"\s*function\s+(?:\[[^\]]*\]\s*=\s*|\w+\s*=\s*)?(\w+)", text).group(1)
            if name != f.stem:
                problems.append(f"{f.name} defines {name}: MATLAB finds functions by file name")
        code = "\n".join(code_part(line) for line in text.splitlines())
        drawn = re.search(r"\b(rand|randn|randi|randperm|rng|clear|clearvars)\b", code)
        if drawn:
            problems.append(f"{f.name} calls {drawn.group(1)}: a reference reads only pushed-in numbers")
    return problems
