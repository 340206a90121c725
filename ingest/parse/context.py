"""What every parser of one document shares: its text, the folded text, its lines."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..normalize import matching_text
from ..records import Span
from ..vocab import Vocabulary


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    folded: str


@dataclass
class DocText:
    """The normalised text of one document and the views the parsers search."""

    text: str
    vocab: Vocabulary
    folded: str = field(init=False)
    is_damaged: bool = field(init=False)
    memo: dict = field(init=False, default_factory=dict)  # per-document results the parsers share  # OCR without a Vietnamese model: tone marks unreliable

    def __post_init__(self) -> None:
        self.folded, repairs = matching_text(self.text, self.vocab)
        self.is_damaged = repairs >= 3

    @cached_property
    def lines(self) -> list[Line]:
        out: list[Line] = []
        for found in re.finditer(r"[^\n]*", self.text):
            if found.start() > 0 and found.start() == found.end() and self.text[found.start() - 1 : found.start()] != "\n":
                continue
            out.append(Line(found.start(), found.end(), found.group(0), self.folded[found.start():found.end()]))
        return out

    def span(self, start: int, end: int) -> Span:
        """A span trimmed of surrounding white space and separators."""
        while start < end and self.text[start] in " \t\n,;:-–":
            start += 1
        while end > start and self.text[end - 1] in " \t\n,;:.-–":
            end -= 1
        return Span(start, end)

    def slice(self, span: Span) -> str:
        return self.text[span.start:span.end]
