"""The MATLAB functions ``rnncore translate`` knows: how each is written in Python, and which are refused.

A supported function is written either as numpy's own element-wise function (``np.tanh``), where
numpy computes exactly what MATLAB does on real arguments (the MArray type of
:mod:`rnncore.translate.runtime` refuses what would be complex), or as the runtime function of
the same name (``mr.zeros``), where MATLAB's rules differ from numpy's: those are the runtime
functions registered with :func:`rnncore.translate.runtime.registry.matlab_function`. A few names need the
translator's own handling (operators as functions, ``bsxfun``, ``exist``, the no-ops); they are
listed in ``SPECIAL``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnncore.translate.runtime import MATLAB_FUNCTIONS

__all__ = ["Builtin", "BUILTINS", "CONSTANTS", "SPECIAL", "NO_OPS", "OPERATOR_FUNCTIONS", "UNSUPPORTED",
           "TEXT_ARGUMENTS"]


@dataclass(frozen=True)
class Builtin:
    python: str  # the Python callable, e.g. "np.tanh" or "mr.size"
    max_outputs: int = 1  # > 1: the runtime function takes nargout=
    statement: bool = False  # prints or raises; gives no value (MATLAB's `ans` is not set)


def _np(name: str) -> Builtin:
    return Builtin(f"np.{name}")


BUILTINS: dict[str, Builtin] = {
    # element-wise, numpy's own (identical on real values; complex results are refused by MArray)
    **{name: _np(name) for name in ("tanh", "exp", "log", "log2", "log10", "sqrt", "abs", "floor", "ceil",
                                    "sign", "sin", "cos", "tan", "sinh", "cosh", "isnan", "isinf")},
    "fix": _np("trunc"), "atan": _np("arctan"), "isfinite": _np("isfinite"),
    "log1p": _np("log1p"), "expm1": _np("expm1"), "atan2": _np("arctan2"), "hypot": _np("hypot"),
    # MATLAB's rules, in the runtime: every function registered there with @matlab_function
    **{name: Builtin(f"mr.{f.python}", f.max_outputs, f.statement) for name, f in sorted(MATLAB_FUNCTIONS.items())},
}

# Names whose value is a constant (when no variable of that name exists).
CONSTANTS = {"pi": "np.pi", "Inf": "np.inf", "inf": "np.inf", "NaN": "np.nan", "nan": "np.nan", "eps": "mr.EPS",
             "e": "np.e"}  # e: Octave's Euler's number (courses written for Octave use e .^ -z)

# Operators written as functions (plus(a, b), bsxfun(@plus, ...)): the MATLAB operator they stand for.
OPERATOR_FUNCTIONS = {"plus": "+", "minus": "-", "times": ".*", "rdivide": "./", "ldivide": ".\\",
                      "power": ".^", "eq": "==", "ne": "~=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
                      "and": "&", "or": "|"}

# Handled by the translator itself.
SPECIAL = frozenset({"bsxfun", "exist", "nargin", "nargout", "clear", "clearvars", "format", "more", "pause",
                     "fflush", "stdout", "stderr", "inline", "str2func", "func2str", "feval", "save"}) | set(OPERATOR_FUNCTIONS)

# Statements that only touch the console or figures: nothing for the port to do.
NO_OPS = frozenset("""
    clc close figure plot plot3 subplot hold xlabel ylabel zlabel title legend axis axes grid xlim ylim
    zlim view bar barh hist histogram scatter scatter3 surf surfc mesh meshc contour contourf imagesc image
    imshow colorbar colormap drawnow line patch fill area pie stem stairs errorbar semilogx semilogy loglog
    quiver text annotation clf shg refresh print saveas page_screen_output page_output_immediately
""".split())

# Arguments that are plain text for these functions (written as a Python str, not mr.char).
TEXT_ARGUMENTS = frozenset({"fprintf", "printf", "sprintf", "disp", "error", "warning", "num2str", "strcmp",
                            "exist", "upper", "lower", "char", "ismember", "struct", "isfield", "rmfield",
                            "optimset", "getfield", "setfield", "rand", "randn", "rng",
                            "load", "save", "dlmread", "csvread", "fopen", "fscanf", "textscan", "fclose"})

# Functions MATLAB or Octave define that are outside the subset: named in the error instead of being
# taken for a variable the script's workspace provides. Why, where the reason is not just "not yet".
UNSUPPORTED = {
    "rand_seed": "random numbers differ between MATLAB, Octave and numpy; seed with rand('seed', s) or rng(s)",
    **{name: "timing is not reproducible; measure outside the translated code"
       for name in ("tic", "toc", "clock", "cputime", "now", "datestr", "date")},
    **{name: "the port cannot evaluate or look up code by name" for name in (
        "eval", "evalin", "evalc", "assignin", "inputname")},
    **{name: "a person would have to answer; give the value in the script instead"
       for name in ("input", "keyboard", "waitforbuttonpress", "ginput", "menu", "inputdlg")},
    **{name: "only load, save, dlmread, csvread, fopen for reading, fgetl, fgets, fscanf and textscan of the "
             "file functions are in the subset" for name in (
        "fread", "fwrite", "csvwrite", "dlmwrite", "xlsread", "readtable", "writetable", "importdata")},
    **{name: "images are integer (uint8) arrays, and integer classes are outside the subset; convert the image "
             "to a numeric text or MAT-file of doubles and load that" for name in ("imread", "imwrite", "imfinfo")},
    # (gamrnd, randsample, histcounts: rnncore's compatibility shims give Octave 7 one, the runtime its port)
    **{name: "Octave 7 has no such function: it is MATLAB's or the statistics package's, so no Octave run "
             "can check a port of it" for name in ("iwishrnd",)},
    "issparse": "a port holds a sparse matrix full (rnncore.translate.runtime.sparse says why), so it cannot "
                "answer as Octave does; full() the value instead",
    **{name: "check the arguments with nargin and error instead"
       for name in ("nargchk", "narginchk", "nargoutchk")},
    **{name: "not in the subset yet" for name in (
        "structfun", "num2cell", "cell2mat", "mat2cell", "interp1", "polyfit", "polyval", "conv", "filter", "fft",
        "ifft", "lu", "qr", "strsplit", "strjoin", "regexp", "regexprep", "strrep", "strfind", "strtrim",
        "str2num", "str2double", "strcat", "strvcat", "blanks", "deblank", "isspace", "isletter", "int8", "int16",
        "int32", "int64", "uint8", "uint16", "uint32", "uint64", "single", "isa", "class", "cast", "typecast",
        "idivide", "bitand", "bitor", "bitxor", "bitshift", "asin", "acos", "sec", "csc", "cot", "exp2", "intmax",
        "intmin", "ndgrid", "cross", "cumtrapz", "containers", "datetime", "string", "strings",
        "isstring", "ode45", "quad", "integral", "fzero", "display", "puts", "fputs", "fdisp")},
}
