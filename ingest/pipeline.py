"""File → ParsedDocument: the one place readers, normalisation and the parsers meet."""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import UnreadableSource
from .fold import fold_key
from .normalize import normalize
from .parse.citations import CitationParser
from .parse.context import DocText
from .parse.header import HeaderParser
from .parse.issuer import IssuerNamer
from .parse.orgs import OrgFinder
from .parse.signature import parse_footer
from .parse.table_grid import normalized_tables
from .parse.tasks import TaskParser
from .readers import DEFAULT_MAX_BYTES, SourceText, Table, read_source
from .records import Fact, Finding, Header, ParsedDocument, Source, Span
from .vocab import Vocabulary, load_vocabulary

PARSER_VERSION = "0.4.1"


@dataclass(frozen=True)
class Parser:
    """The parsers, built once from a vocabulary and reused for every document."""

    vocab: Vocabulary
    finder: OrgFinder
    header: HeaderParser
    citations: CitationParser
    tasks: TaskParser

    @classmethod
    def build(cls, vocab: Vocabulary | None = None) -> Parser:
        vocab = vocab or load_vocabulary()
        finder = OrgFinder(vocab)
        return cls(vocab, finder, HeaderParser(finder, IssuerNamer(vocab, finder)),
                   CitationParser(vocab, finder), TaskParser(vocab, finder))

    def parse_text(self, text: str, source: Source, *, rejoin: bool = True,
                   page_starts: tuple[int, ...] = (0,), tables: tuple[Table, ...] = ()) -> ParsedDocument:
        normalized = normalize(text, self.vocab, rejoin=rejoin)
        doc = DocText(normalized.text, self.vocab, normalized.folded)
        head = self.header.parse(doc)
        footer = parse_footer(doc, head.body_start)
        findings: list[Finding] = list(head.findings)
        issuer = head.issuer
        if issuer.value is None or _is_bare_party_block(head.issuer_lines):
            inferred = self._infer_issuer(doc, head, footer)
            if inferred.value:
                issuer = inferred
                findings.append(Finding("issuer_inferred",
                                        f"issuer line missing from the header; inferred '{inferred.value}'",
                                        inferred.span))
        elif _signs_for_standing_board(footer.capacity.value) and _is_party_committee(issuer.value):
            issuer = Fact(f"Ban Thường vụ {issuer.value}", issuer.span, issuer.confidence)
        year = _year(head.date.value)
        citations = self.citations.parse(doc, head.ref.span or head.symbol.span, head.ref.value,
                                         head.subject.span, head.locality, footer.start, head.body_start)
        tasks = self.tasks.parse(doc, head.body_start, footer.start, year, head.locality, head.recipients,
                                 normalized_tables(normalized, tables), kind=head.kind.value, issuer=issuer)
        findings.extend(_deadline_findings(tasks, head.date.value))
        header = Header(head.kind, head.number, head.symbol, head.ref, issuer, head.date, head.place,
                        head.subject, footer.signer, footer.capacity, head.recipients)
        pages = tuple(normalized_page_starts(normalized, page_starts))
        return ParsedDocument(source, doc.text, header, citations, tuple(tasks), tuple(findings),
                              PARSER_VERSION, pages,
                              {"province": head.province,
                               "locality": [head.locality.level, head.locality.name] if head.locality else None})

    def _infer_issuer(self, doc: DocText, head, footer) -> Fact[str | None]:
        """The body names who speaks: "…, Ban Thường vụ Đảng ủy UBND tỉnh giao:"."""
        end = min(len(doc.text), head.body_start + 3000)
        mentions = self.finder.find(doc, head.body_start, end, head.locality)
        for mention in mentions:
            after = doc.folded[mention.span.end:mention.span.end + 40]
            if _SPEAKS.match(after) and not mention.is_generic:
                return Fact(mention.name, mention.span, 0.6)
        if head.ref_parts and head.ref_parts.issuer_code:
            issuer = self.vocab.symbol_issuers.get(head.ref_parts.issuer_code.lower())
            if issuer:
                return Fact(issuer, head.symbol.span, 0.3)
        return Fact(None, None, 0.0)


def _is_bare_party_block(lines: tuple[str, ...]) -> bool:
    return bool(lines) and all(fold_key(line).startswith(("dang bo", "dang cong san")) for line in lines)


def _signs_for_standing_board(capacity: str | None) -> bool:
    return bool(capacity) and "ban thuong vu" in fold_key(capacity or "")


def _is_party_committee(name: str | None) -> bool:
    key = fold_key(name or "")
    return key.startswith(("tinh uy", "huyen uy", "thanh uy", "thi uy", "dang uy", "tinh doan", "huyen doan",
                           "thanh doan")) and "thuong vu" not in key


_SPEAKS = re.compile(r"\s*(?:giao|yeu\s+cau|de\s+nghi|thong\s+bao|chi\s+dao|huong\s+dan|ket\s+luan)\s*(?::|nhu\s+sau|cac)")


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _deadline_findings(tasks, issued: str | None) -> list[Finding]:
    out = []
    if not issued:
        return out
    for task in tasks:
        deadline = task.deadline
        if deadline and deadline.date and deadline.date[: len(issued)] < issued:
            out.append(Finding("deadline_before_issue",
                               f"task {task.id}: deadline {deadline.date} is before the document's date {issued}"
                               " (a typo for the next year?)", deadline.span))
    return out


def normalized_page_starts(normalized, page_starts: tuple[int, ...]) -> list[int]:
    if len(page_starts) <= 1:
        return [0]
    out = [0]
    for start in page_starts[1:]:
        # the first normalised offset whose source offset reaches the page start
        lo, hi = 0, len(normalized.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if normalized.to_source(mid) < start:
                lo = mid + 1
            else:
                hi = mid
        out.append(lo)
    return out


@lru_cache(maxsize=1)
def default_parser() -> Parser:
    """One parser per process for callers that do not pass theirs: building costs ~0.3 s."""
    return Parser.build()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_file(path: Path, parser: Parser | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
               display_path: str | None = None) -> ParsedDocument:
    """Parse one file; raises UnreadableSource (with the file and the reason) for bad input."""
    parser = parser or default_parser()
    source_text: SourceText = read_source(path, max_bytes=max_bytes)
    if not source_text.text.strip():
        raise UnreadableSource(str(path), "no text in the document")
    source = Source(display_path or str(path), source_text.sha256, source_text.format, source_text.encoding,
                    source_text.size)
    parsed = parser.parse_text(source_text.text, source, rejoin=source_text.format != "docx",
                               page_starts=source_text.page_starts, tables=source_text.tables)
    if source_text.warnings:
        extra = tuple(Finding("reader", w) for w in source_text.warnings)
        parsed = ParsedDocument(parsed.source, parsed.text, parsed.header, parsed.citations, parsed.tasks,
                                parsed.warnings + extra, parsed.parser_version, parsed.page_starts, parsed.extra)
    if source_text.page_origins:  # some pages were OCR'd: the record says which, and how surely
        parsed = dataclasses.replace(parsed, page_origins=source_text.page_origins)
    return parsed


__all__ = ["PARSER_VERSION", "Parser", "Span", "parse_file"]
