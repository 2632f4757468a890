"""What people read and CI consumes: the HTML report, its figures, the Markdown summary and JUnit XML.

Every report is built from the parity verdict (``results/parity/verdict.json``) and carries its
fingerprint, so that the workflow can tell a report describing the current sources from a stale
one (:func:`embedded_fingerprint`): in the HTML a ``<meta name="rnncore-verdict" content="...">``,
in JUnit a ``<property name="rnncore.verdict" value="..."/>``, in Markdown a last line
``<!-- rnncore-verdict: ... -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["embedded_fingerprint"]

_PATTERNS = {
    ".html": re.compile(r'<meta name="rnncore-verdict" content="([0-9a-f]+)"'),
    ".xml": re.compile(r'<property name="rnncore.verdict" value="([0-9a-f]+)"'),
    ".md": re.compile(r"<!-- rnncore-verdict: ([0-9a-f]+) -->"),
}


def embedded_fingerprint(path) -> str | None:
    """The verdict fingerprint a report was built from, or None (not a report, or none recorded)."""
    path = Path(path)
    pattern = _PATTERNS.get(path.suffix)
    if pattern is None:
        return None
    try:
        m = pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return m.group(1) if m else None
