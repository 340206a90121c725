"""What every parser of one document shares: its text, the folded text, its lines."""
from __future__ import annotations

from dataclasses import InitVar, dataclass, field
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
    prefolded: InitVar[str | None] = None  # fold(text), when the normaliser made it already
    folded: str = field(init=False)
    is_damaged: bool = field(init=False)  # OCR without a Vietnamese model: tone marks unreliable
    memo: dict = field(init=False, default_factory=dict)  # per-document results the parsers share

    def __post_init__(self, prefolded: str | None) -> None:
        self.folded, repairs = matching_text(self.text, self.vocab, prefolded or None)
        self.is_damaged = repairs >= 3

    @cached_property
    def lines(self) -> list[Line]:
        """One line per "\n"-separated piece, empty ones included (a text ending in "\n" ends
        with an empty line)."""
        out: list[Line] = []
        folded = self.folded
        start = 0
        for piece in self.text.split("\n"):
            end = start + len(piece)
            out.append(Line(start, end, piece, folded[start:end]))
            start = end + 1
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
