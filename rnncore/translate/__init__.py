"""``rnncore translate``: course MATLAB to a readable numpy port, to be verified by rnncore's parity.

One ``.m`` file becomes one Python module with one public function (see
:mod:`rnncore.translate.emit` for what the code looks like):

* a **script** ``name.m`` becomes ``name(inputs=None)``, returning every variable the script leaves
  in its workspace as ``{name: value}``; ``inputs`` holds the variables the script reads before it
  assigns them (the variables a parity case injects into Octave's workspace), and the function
  takes no argument when there are none;
* a **function file** becomes a function with the same arguments in the same order, returning its
  outputs as ``{output name: value}``; its subfunctions become private functions ``_name``.

Values follow the port contract of rnncore's parity cases: numpy arrays of MATLAB's shape (float64
for double, bool for logical), ``str`` for a char row, a list for a cell array.

**Functions beside the file.** A name the file calls that is neither a variable, a subfunction nor
a supported MATLAB function, but is a function file in the same folder (``elman_train_sgd`` next to
``elman_train_script.m``), is translated too, into a sibling module of the same name, and imported
relatively (``from .elman_train_sgd import elman_train_sgd``). The output folder is then a package:
:meth:`Translation.write` adds an ``__init__.py`` when there is none. The called files are found
the way MATLAB finds them from the script's folder, and only there: a function elsewhere on
MATLAB's path is a :class:`TranslationError`.

Anything outside the supported subset stops the translation with a :class:`TranslationError` that
names the file, the line and the construct; nothing is translated approximately.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rnncore.translate.emit import Signature, emit_module, signature_of
from rnncore.translate.errors import TranslationError
from rnncore.translate.parse import parse

__all__ = ["TranslationError", "Translation", "translate_source", "translate_file", "read_m_file"]

#: black's line length for the generated modules (black's default is 88; MATLAB lines run longer).
LINE_LENGTH = 100


def _format(source: str, label: str) -> str:
    import black  # deferred: black is only needed when translating

    try:
        return black.format_str(source, mode=black.Mode(line_length=LINE_LENGTH))
    except Exception as exc:  # black.InvalidInput: the emitter wrote something that is not Python
        raise RuntimeError(f"{label}: rnncore translate wrote invalid Python ({exc}); this is a bug") from exc


def read_m_file(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # old course files; only comments differ


def translate_source(text: str, filename: str = "script.m", *, functions: dict[str, str] | None = None) -> str:
    """The Python module for the MATLAB ``text`` of a file named ``filename``.

    ``functions`` maps names of function files the code may call to their MATLAB text (the files
    beside it); the module imports their translations relatively, from sibling modules that
    :func:`translate_file` writes. Raises :class:`TranslationError`.
    """
    parsed = parse(text, filename)
    sources = functions or {}
    cache: dict[str, Signature | None] = {}

    def resolve(name: str) -> Signature | None:
        if name not in cache:
            cache[name] = signature_of(parse(sources[name], f"{name}.m")) if name in sources else None
        return cache[name]

    source, _ = emit_module(parsed, resolve)
    return _format(source, filename)


@dataclass(frozen=True)
class Translation:
    """A translated file and the translations of the function files beside it that it calls."""

    main: str  # module name of the translated file
    modules: dict[str, str]  # module name -> Python source; the main module first, then the others by name

    @property
    def needs_package(self) -> bool:
        return len(self.modules) > 1

    def write(self, output: str | os.PathLike) -> list[Path]:
        """Write the main module to ``output`` (a ``.py`` file, or a folder to hold ``<name>.py``) and
        the other modules beside it, with an ``__init__.py`` if they import each other and the
        folder has none. Returns the files written."""
        output = Path(output)
        target = output if output.suffix == ".py" else output / f"{self.main}.py"
        folder = target.parent
        others = [m for m in self.modules if m != self.main]
        if target.stem in others:
            raise ValueError(f"{target}: that name belongs to the translation of {target.stem}.m, which "
                             f"{self.main}.m calls; choose another name for the port")
        folder.mkdir(parents=True, exist_ok=True)
        written = [target]
        target.write_text(self.modules[self.main], encoding="utf-8")
        for name in others:
            path = folder / f"{name}.py"
            path.write_text(self.modules[name], encoding="utf-8")
            written.append(path)
        init = folder / "__init__.py"
        if others and not init.exists():
            init.write_text('"""Ports written by `rnncore translate`."""\n', encoding="utf-8")
            written.append(init)
        return written


def translate_file(path: str | os.PathLike) -> Translation:
    """Translate the ``.m`` file at ``path`` and every function file beside it that it calls, directly
    or through another. Raises :class:`TranslationError` (naming the file that has the construct)."""
    path = Path(path)
    folder = path.parent
    parsed_files = {}

    def load(name: str, file: Path):
        if name not in parsed_files:
            parsed_files[name] = parse(read_m_file(file), str(file))
        return parsed_files[name]

    def resolve(name: str) -> Signature | None:
        file = folder / f"{name}.m"
        if name == path.stem or not file.is_file():
            return None
        return signature_of(load(name, file))

    main = path.stem
    modules: dict[str, str] = {}
    todo = [(main, path)]
    while todo:
        name, file = todo.pop(0)
        if name in modules:
            continue
        source, callees = emit_module(load(name, file), resolve)
        modules[name] = _format(source, str(file))
        todo.extend((c, folder / f"{c}.m") for c in sorted(callees) if c not in modules)
    ordered = {main: modules[main], **{k: modules[k] for k in sorted(modules) if k != main}}
    return Translation(main=main, modules=ordered)
