"""The parser's records: frozen dataclasses, every fact with the span it came from.

Spans are half-open character offsets into `ParsedDocument.text`, the normalised text
that the record keeps. `to_json` writes the contract's keys (docs/contract) and adds
spans, confidences and warnings beside them; keys are added, never renamed.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """One extracted value, where it came from, and how sure the parser is."""

    value: T
    span: Span | None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Finding:
    """Something odd about the document, reported rather than raised."""

    code: str  # "deadline_before_issue", "issuer_inferred", …
    message: str
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message,
                "span": self.span.to_json() if self.span else None}


@dataclass(frozen=True, slots=True)
class OrgMention:
    name: str  # canonical name, abbreviations expanded, locality resolved
    text: str  # as printed
    span: Span
    is_generic: bool = False  # "các đơn vị có liên quan": kept, but nobody in particular
    confidence: float = 1.0
    canonical: str = ""  # every abbreviation expanded, for identity across documents

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "canonical": self.canonical or self.name, "text": self.text,
                "span": self.span.to_json(), "generic": self.is_generic, "confidence": self.confidence}


@dataclass(frozen=True, slots=True)
class Period:
    """The stretch of time a partial deadline stands for, for filtering."""

    start: str  # ISO date
    end: str


@dataclass(frozen=True, slots=True)
class Deadline:
    date: str | None  # ISO date when the text gives a day; None for "Quý I/2026"
    text: str  # the phrase as printed
    span: Span
    period: Period | None = None
    is_recurring: bool = False  # thường xuyên, hằng năm


@dataclass(frozen=True, slots=True)
class Citation:
    ref: str | None  # canonical number-symbol; None for a document named without one
    kind: str
    date: str | None
    issuer: str | None
    relation: str
    span: Span  # the first mention
    mentions: tuple[Span, ...] = ()
    title: str | None = None  # for a named reference: "Đề án Chuyển đổi số …"
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "date": self.date, "issuer": self.issuer,
                "relation": self.relation, "span": self.span.to_json(),
                "mentions": [m.to_json() for m in self.mentions],
                "title": self.title, "confidence": self.confidence}


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    text: str
    span: Span
    lead: tuple[OrgMention, ...] = ()
    support: tuple[OrgMention, ...] = ()
    deadline: Deadline | None = None
    implicit_lead: bool = False  # the Kính gửi recipients, since the text names no doer
    parent_id: str | None = None
    heading: str | None = None  # the section heading the task sits under
    confidence: float = 1.0
    product: Fact[str] | None = None  # a task table's "Sản phẩm" cell: what the task delivers

    def to_json(self) -> dict[str, Any]:
        real_leads = [m for m in self.lead if not m.is_generic]
        real_support = [m for m in self.support if not m.is_generic]
        deadline = self.deadline
        return {
            "id": self.id,
            "text": self.text,
            "span": self.span.to_json(),
            "lead": _unique_names(real_leads),
            "support": _unique_names(real_support),
            "generic": _unique_names([m for m in (*self.lead, *self.support) if m.is_generic]),
            "deadline": deadline.date if deadline else None,
            "deadline_text": deadline.text if deadline else None,
            "deadline_span": deadline.span.to_json() if deadline else None,
            "period": ([deadline.period.start, deadline.period.end]
                       if deadline and deadline.period else None),
            "recurring": bool(deadline and deadline.is_recurring),
            "implicit_lead": self.implicit_lead,
            "parent": self.parent_id,
            "heading": self.heading,
            "mentions": {"lead": [m.to_json() for m in self.lead],
                         "support": [m.to_json() for m in self.support]},
            "confidence": self.confidence,
            **({"product": {"text": self.product.value, "span": _span_json(self.product.span)}}
               if self.product else {}),
        }


def _unique_names(mentions: list[OrgMention]) -> list[str]:
    return list(dict.fromkeys(m.name for m in mentions))


@dataclass(frozen=True, slots=True)
class Header:
    kind: Fact[str]
    number: Fact[str | None]
    symbol: Fact[str | None]
    ref: Fact[str | None]
    issuer: Fact[str | None]
    date: Fact[str | None]
    place: Fact[str | None]
    subject: Fact[str | None]
    signer: Fact[str | None]
    signing_capacity: Fact[str | None]
    recipients: tuple[Fact[str], ...] = ()

    FIELDS = ("kind", "number", "symbol", "ref", "issuer", "date", "place", "subject",
              "signer", "signing_capacity")


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    sha256: str
    format: str
    encoding: str | None = None
    size: int = 0


@dataclass(frozen=True, slots=True)
class PageOrigin:
    """Where one page's text came from."""

    source: str = "text"  # "text": the file's own; "ocr": recognised from the page image; "skipped"
    ocr_confidence: float | None = None  # mean OCR word confidence, 0–100


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    source: Source
    text: str
    header: Header
    citations: tuple[Citation, ...]
    tasks: tuple[Task, ...]
    warnings: tuple[Finding, ...] = ()
    parser_version: str = ""
    page_starts: tuple[int, ...] = (0,)
    extra: dict[str, Any] = field(default_factory=dict)
    page_origins: tuple[PageOrigin, ...] = ()  # one per page when some were OCR'd; () means all "text"

    def page_of(self, offset: int) -> int:
        """The page (from 1) that holds the text at `offset`."""
        return max(1, bisect_right(self.page_starts, offset))

    def pages_json(self) -> list[dict[str, Any]]:
        ends = (*self.page_starts[1:], len(self.text))
        origins = self.page_origins or (PageOrigin(),) * len(self.page_starts)
        return [{"number": number, "start": start, "end": end, "source": origin.source,
                 "ocr_confidence": origin.ocr_confidence}
                for number, (start, end, origin) in enumerate(zip(self.page_starts, ends, origins), start=1)]

    def to_json(self) -> dict[str, Any]:
        header = self.header
        document: dict[str, Any] = {name: getattr(header, name).value for name in Header.FIELDS}
        document["recipients"] = [r.value for r in header.recipients]
        document["spans"] = {name: _span_json(getattr(header, name).span) for name in Header.FIELDS}
        document["spans"]["recipients"] = [_span_json(r.span) for r in header.recipients]
        document["confidence"] = {name: getattr(header, name).confidence for name in Header.FIELDS}
        # numbered references first; documents named without a number follow with ref null
        ordered = [c for c in self.citations if c.ref] + [c for c in self.citations if not c.ref]
        return {
            "source": {"path": self.source.path, "sha256": self.source.sha256,
                       "format": self.source.format, "encoding": self.source.encoding,
                       "size": self.source.size},
            "parser_version": self.parser_version,
            "document": document,
            "citations": [{**c.to_json(), "page": self.page_of(c.span.start)} for c in ordered],
            "tasks": [{**t.to_json(), "page": self.page_of(t.span.start)} for t in self.tasks],
            "warnings": [w.to_json() for w in self.warnings],
            "page_starts": list(self.page_starts),
            "pages": self.pages_json(),  # each page's extent in `text`, and whether it was OCR'd
            "context": dict(self.extra),  # the issuing document's province and locality
            "text": self.text,
        }


def _span_json(span: Span | None) -> list[int] | None:
    return span.to_json() if span else None
