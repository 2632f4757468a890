"""Which verdict a report describes: each report format carries ``verdict.json``'s fingerprint.

* HTML: ``<meta name="rnncore-verdict" content="HEX">`` in the head;
* JUnit XML: ``<property name="rnncore.verdict" value="HEX"/>`` in a testsuite's properties;
* Markdown: ``<!-- rnncore-verdict: HEX -->`` as the last line;
* a notebook: ``metadata.rnncore.verdict``.

:func:`embedded_fingerprint` reads it back (dispatching on the file's suffix), so that the workflow
can tell a report of the current verdict from a stale one left by an earlier run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["HTML_META", "JUNIT_PROPERTY", "embedded_fingerprint", "html_meta", "markdown_line"]

HTML_META = "rnncore-verdict"
JUNIT_PROPERTY = "rnncore.verdict"
_MD = re.compile(r"^<!-- rnncore-verdict: ([^ ]*) -->$")
_HTML = re.compile(r'<meta name="rnncore-verdict" content="([^"]*)">')


def html_meta(fingerprint: str) -> str:
    return f'<meta name="{HTML_META}" content="{_clean(fingerprint)}">'


def markdown_line(fingerprint: str) -> str:
    return f"<!-- rnncore-verdict: {_clean(fingerprint)} -->"


def _clean(fingerprint: str) -> str:
    # A fingerprint is hex; anything else is dropped rather than allowed to break the markup.
    return re.sub(r"[^0-9A-Za-z]", "", str(fingerprint))


def embedded_fingerprint(path) -> str | None:
    """The verdict fingerprint a report embeds (``.html``, ``.xml``, ``.md``); None when the file is
    absent, unreadable or carries none."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        head = text.split("</head>", 1)[0]
        m = _HTML.search(head)
        return m.group(1) if m else None
    if suffix == ".xml":
        try:
            root = ET.fromstring(text)
        except ET.ParseError:
            return None
        for prop in root.iter("property"):
            if prop.get("name") == JUNIT_PROPERTY:
                return prop.get("value")
        return None
    if suffix == ".md":
        lines = text.rstrip("\n").splitlines()
        m = _MD.match(lines[-1]) if lines else None
        return m.group(1) if m else None
    if suffix == ".ipynb":  # a notebook: metadata.rnncore.verdict
        import json

        try:
            meta = json.loads(text).get("metadata", {}).get("rnncore", {})
        except (ValueError, AttributeError):
            return None
        return meta.get("verdict") if isinstance(meta, dict) else None
    raise ValueError(f"{path}: no report format known for the suffix {suffix!r} (.html, .xml, .md or .ipynb)")
