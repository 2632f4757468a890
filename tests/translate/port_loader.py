"""Translate a ``.m`` file into a throw-away package and import the port (for the translator's tests)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from rnncore.translate import Translation, translate_file


def load_port(mfile: Path, root: Path, package: str) -> tuple[object, Translation]:
    """Translate ``mfile`` (and the function files beside it that it calls) into ``root/package/`` and
    return the port's public function and the translation. ``package`` must be new to this process."""
    translation = translate_file(mfile)
    folder = root / package
    translation.write(folder / f"{translation.main}.py")
    (folder / "__init__.py").touch()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    module = importlib.import_module(f"{package}.{translation.main}")
    return getattr(module, translation.main), translation
