"""The one error ``rnncore translate`` raises for a ``.m`` file it will not translate."""

from __future__ import annotations

__all__ = ["TranslationError"]


class TranslationError(ValueError):
    """A construct outside the supported subset (or a file MISS_HIT cannot parse).

    The message is one sentence, ``file:line: <construct> is not supported by rnncore translate
    (<why, or what to write instead>).``; ``file``, ``line``, ``construct`` and ``reason`` hold its
    parts for callers that format their own.
    """

    def __init__(self, file: str, line: int, construct: str, reason: str):
        self.file = str(file)
        self.line = int(line)
        self.construct = construct
        self.reason = reason.rstrip(".")
        super().__init__(f"{self.file}:{self.line}: {construct} is not supported by rnncore translate "
                         f"({self.reason}).")
