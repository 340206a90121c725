"""The header: issuer, number, symbol, ref, place and date, kind, subject, recipients.

Works on lines. The national motto, the "Số:" line, the place-date line and "Kính gửi"
anchor the blocks; the parts between them are the issuer block (top), the trích yếu
(V/v lines, or the lines under the number of a Party letter, or under the title word
of a plan or decision) and the recipients.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..fold import fold_key
from ..normalize import is_caps
from ..records import Fact, Finding, Span
from .context import DocText, Line
from .dates import parse_issue_date
from .issuer import IssuerNamer
from .orgs import Locality, OrgFinder
from .refs import REF, SYMBOL_ONLY, RefParts, kind_of_type_code, split_ref

_LEGAL_BODY = re.compile(r"^(?:can\s+cu|thuc\s+hien|trien\s+khai|de\s+|theo\s+|tren\s+co\s+so|nham\s+|"
                         r"xet\s+de\s+nghi|chu\s+tich|giam\s+doc)")
# The national motto, the Party's, the Youth Union's: printed top right, never the issuer.
_MOTTOS = ("state_motto", "party_motto", "union_motto")
_SEPARATOR = re.compile(r"^[\s\-–_*=.]{2,}$|^\*$")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the header's blocks sit: line indices, -1 where absent."""

    motto: int
    number: int
    place_date: int
    recipients: int
    title: int
    subject_prefix: int
    header_end: int  # first line of the body


@dataclass(frozen=True, slots=True)
class HeaderParts:
    kind: Fact[str]
    number: Fact[str | None]
    symbol: Fact[str | None]
    ref: Fact[str | None]
    ref_parts: RefParts | None
    issuer: Fact[str | None]
    issuer_lines: tuple[str, ...]
    date: Fact[str | None]
    place: Fact[str | None]
    subject: Fact[str | None]
    recipients: tuple[Fact[str], ...]
    locality: Locality | None
    province: str | None
    body_start: int  # offset in the text
    findings: tuple[Finding, ...]


def find_layout(doc: DocText) -> Layout:
    layout = doc.vocab.layout
    lines = doc.lines
    limit = min(len(lines), 60)
    found = {"motto": -1, "number": -1, "place_date": -1, "recipients": -1, "title": -1, "subject_prefix": -1}
    for i in range(limit):
        folded = lines[i].folded
        if not folded.strip():
            continue
        if found["motto"] < 0 and any(layout[k].search(folded) for k in _MOTTOS):
            found["motto"] = i
        elif found["number"] < 0 and layout["number_line"].match(folded):
            found["number"] = i
        elif found["place_date"] < 0 and layout["place_date"].match(folded) and re.search(r"\bnam\b|\d{4}", folded):
            found["place_date"] = i
        elif found["recipients"] < 0 and layout["recipients"].match(folded):
            found["recipients"] = i
        elif found["subject_prefix"] < 0 and layout["subject_prefix"].match(folded) and \
                re.match(r"[\s\"“]*(?:v\s*/\s*v|ve\s+viec\s)", folded):
            found["subject_prefix"] = i
        elif found["title"] < 0 and is_caps(lines[i].text) and _title_kind(doc, lines[i]) and i > 0:
            found["title"] = i
    anchors = [v for v in found.values() if v >= 0]
    header_end = (max(anchors) + 1) if anchors else 0
    return Layout(header_end=header_end, **found)


def _title_kind(doc: DocText, line: Line) -> str | None:
    key = fold_key(line.text)
    titles = doc.vocab.kind_by_title
    if key in titles:
        return titles[key]
    for title, kind in _longest_first(titles):
        if key.startswith(title + " ") and len(key) < len(title) + 90:
            return kind
    return None


_SORTED_TITLES: dict[int, tuple[dict[str, str], list[tuple[str, str]]]] = {}


def _longest_first(titles: dict[str, str]) -> list[tuple[str, str]]:
    """The titles longest first, sorted once per vocabulary (it is asked of many lines)."""
    cached = _SORTED_TITLES.get(id(titles))
    if cached is None or cached[0] is not titles:
        ordered = sorted(titles.items(), key=lambda kv: len(kv[0]), reverse=True)
        cached = _SORTED_TITLES[id(titles)] = (titles, ordered)
    return cached[1]


class HeaderParser:
    def __init__(self, finder: OrgFinder, namer: IssuerNamer):
        self.finder = finder
        self.namer = namer

    def parse(self, doc: DocText) -> HeaderParts:
        lines = doc.lines
        layout = find_layout(doc)
        findings: list[Finding] = []
        number, symbol, ref, parts = self._number(doc, layout)
        place, date = self._place_date(doc, layout)
        province = doc.vocab.provinces.get(fold_key(place.value)) if place.value else None
        issuer_lines = self._issuer_lines(doc, layout)
        locality = self._locality(doc, issuer_lines, province, place.value)
        issuer_text = [lines[i].text for group in issuer_lines for i in group]
        groups = [" ".join(lines[i].text for i in group) for group in issuer_lines]
        issuer_value = self.namer.compose(groups, locality)
        if issuer_lines:
            first, last = issuer_lines[0][0], issuer_lines[-1][-1]
            issuer = Fact(issuer_value, doc.span(lines[first].start, lines[last].end), 0.9)
        else:
            issuer = Fact(None, None, 0.0)
        if province is None and issuer_value:
            province = _province_in(doc, issuer_value)
        kind = self._kind(doc, layout, parts)
        subject, subject_end = self._subject(doc, layout)
        recipients, recipients_end = self._recipients(doc, layout)
        body_line = max(layout.header_end, subject_end, recipients_end)
        body_start = lines[body_line].start if body_line < len(lines) else len(doc.text)
        if locality and locality.province is None and fold_key(locality.level) not in ("tinh", "thanh pho"):
            # a district's or commune's letter names its province's bodies: "của UBND tỉnh Thái Nguyên"
            named = _province_named(doc, body_start)
            if named:
                locality = dataclasses.replace(locality, province=named)
        return HeaderParts(kind, number, symbol, ref, parts, issuer, tuple(issuer_text), date, place, subject,
                           recipients, locality, province, body_start, tuple(findings))

    # -- number and date ------------------------------------------------------------
    def _number(self, doc: DocText, layout: Layout):
        none = Fact(None, None, 0.0)
        if layout.number < 0:
            return none, none, none, None
        line = doc.lines[layout.number]
        prefix = doc.vocab.layout["number_line"].match(line.folded)
        pos = prefix.end() if prefix else 0
        found = REF.match(line.folded, pos) or REF.search(line.folded, pos)
        if found:
            num, sep = found.group("num"), found.group("sep")
            printed = line.text[found.start("sym"):found.end("sym")]
            parts = split_ref(num, sep, printed, doc.vocab)
            base = line.start
            return (Fact(parts.number, Span(base + found.start("num"), base + found.end("num"))),
                    Fact(parts.symbol, Span(base + found.start("sym"), base + found.end("sym"))),
                    Fact(parts.ref, Span(base + found.start("num"), base + found.end("sym"))), parts)
        blank = SYMBOL_ONLY.search(line.folded, pos)
        if blank:
            printed = line.text[blank.start("sym"):blank.end("sym")]
            parts = split_ref(None, blank.group("sep"), printed, doc.vocab)
            base = line.start
            sym_span = Span(base + blank.start("sym"), base + blank.end("sym"))
            return (Fact(None, Span(line.start, sym_span.start), 0.9), Fact(parts.symbol, sym_span),
                    Fact(None, sym_span, 0.9), parts)
        return none, none, none, None

    def _place_date(self, doc: DocText, layout: Layout) -> tuple[Fact[str | None], Fact[str | None]]:
        if layout.place_date < 0:
            return Fact(None, None, 0.0), Fact(None, None, 0.0)
        line = doc.lines[layout.place_date]
        found = doc.vocab.layout["place_date"].match(line.folded)
        place_text = line.text[found.start("place"):found.end("place")].strip() if found else ""
        place_value = doc.vocab.provinces.get(fold_key(place_text), place_text) or None
        place = Fact(place_value, Span(line.start + found.start("place"), line.start + found.end("place")), 0.95) \
            if found else Fact(None, None, 0.0)
        parsed = parse_issue_date(line.folded)
        if not parsed:
            return place, Fact(None, None, 0.0)
        value, start, end = parsed
        return place, Fact(value, Span(line.start + start, line.start + end), 1.0 if len(value) == 10 else 0.9)

    # -- issuer ---------------------------------------------------------------------
    def _issuer_lines(self, doc: DocText, layout: Layout) -> list[list[int]]:
        """Groups of issuer-block lines, each group one body (parent first)."""
        lines = doc.lines
        stop = min(i for i in (layout.number, layout.place_date, layout.title, layout.subject_prefix,
                               layout.recipients, layout.header_end) if i >= 0) if layout.header_end else 0
        vocab = doc.vocab
        groups: list[list[int]] = []
        for i in range(stop):
            line = lines[i]
            folded = line.folded
            if not line.text.strip() or _SEPARATOR.match(line.text):
                continue
            if any(vocab.layout[k].search(folded) for k in (*_MOTTOS, "state_motto_2")):
                continue
            if not is_caps(line.text):
                continue
            tokens = self.finder.heads.match
            from .orgs import tokenize  # local: avoids a cycle at import time
            starts_body = bool(tokens(tokenize(doc, line.start, line.end), 0))
            if groups and not starts_body and (groups[-1][-1] == i - 1 or not lines[i - 1].text.strip()):
                groups[-1].append(i)  # a wrapped issuer line, or "ỦY BAN NHÂN DÂN" over "XÃ TÂN LẬP"
            else:
                groups.append([i])
        return groups

    def _locality(self, doc: DocText, issuer_lines: list[list[int]], province: str | None,
                  place: str | None) -> Locality | None:
        for group in reversed(issuer_lines):
            text = fold_key(" ".join(doc.lines[i].text for i in group))
            found = re.search(r"\b(tinh|thanh pho|huyen|xa|phuong|thi xa|thi tran)\s+(?:uy\s+|doan\s+)?((?:[a-z]+\s?){1,4})$", text)
            if found:
                words = " ".join(doc.lines[i].text for i in group).split()
                name = " ".join(words[-len(found.group(2).split()):])
                cased = doc.vocab.provinces.get(fold_key(name)) or " ".join(w[:1] + w[1:].lower() for w in name.split())
                level = {"tinh": "tỉnh", "thanh pho": "thành phố", "huyen": "huyện", "xa": "xã",
                         "phuong": "phường", "thi xa": "thị xã", "thi tran": "thị trấn"}[found.group(1)]
                outer = _outer_province(doc, issuer_lines[:issuer_lines.index(group)]) or (
                    province if province != cased else None)
                return Locality(level, cased, outer if level not in ("tỉnh", "thành phố") or outer != cased else None)
        if province:
            return Locality(doc.vocab.province_kind.get(province, "tỉnh"), province)
        return None

    # -- kind and subject ---------------------------------------------------------------
    def _kind(self, doc: DocText, layout: Layout, parts: RefParts | None) -> Fact[str]:
        if layout.title >= 0:
            line = doc.lines[layout.title]
            kind = _title_kind(doc, line)
            if kind:
                return Fact(kind, doc.span(line.start, line.end), 1.0)
        if layout.subject_prefix >= 0:
            line = doc.lines[layout.subject_prefix]
            return Fact("cong_van", doc.span(line.start, line.start + 3), 0.95)
        by_code = kind_of_type_code(parts.type_code if parts else None, doc.vocab)
        if by_code:
            line = doc.lines[layout.number]
            return Fact(by_code, doc.span(line.start, line.end), 0.8)
        if parts is not None:
            line = doc.lines[layout.number]
            return Fact("cong_van", doc.span(line.start, line.end), 0.6)
        return Fact("other", None, 0.3)

    def _subject(self, doc: DocText, layout: Layout) -> tuple[Fact[str | None], int]:
        lines = doc.lines
        vocab = doc.vocab
        if layout.subject_prefix >= 0:
            first = layout.subject_prefix
            prefix = vocab.layout["subject_prefix"].match(lines[first].folded)
            start_offset = lines[first].start + (prefix.end() if prefix else 0)
            allow_blank = False
        elif layout.title >= 0:
            first = layout.title + 1
            while first < len(lines) and not lines[first].text.strip():
                first += 1
            start_offset = lines[first].start if first < len(lines) else len(doc.text)
            allow_blank = False
        elif layout.number >= 0:
            first = layout.number + 1
            start_offset = lines[first].start if first < len(lines) else len(doc.text)
            allow_blank = True
        else:
            return Fact(None, None, 0.0), 0
        taken: list[int] = []
        i = first
        blank_run = 0
        while i < len(lines) and len(taken) < 6:
            line = lines[i]
            if not line.text.strip():
                blank_run += 1
                if taken and (not allow_blank or blank_run > 1):
                    break
                i += 1
                continue
            blank_run = 0
            folded = line.folded
            continues = line.text[:1].islower() and not self._is_anchor(doc, i, layout)
            if i != first and not continues and (
                    self._is_anchor(doc, i, layout) or is_caps(line.text) or _SEPARATOR.match(line.text)
                    or _LEGAL_BODY.match(folded) or vocab.layout["recipients"].match(folded)):
                break
            if i == first and _SEPARATOR.match(line.text):
                break
            taken.append(i)
            i += 1
        if not taken:
            return Fact(None, None, 0.0), 0
        end_offset = lines[taken[-1]].end
        span = doc.span(max(start_offset, lines[taken[0]].start), end_offset)
        text = " ".join(doc.text[span.start:span.end].split())
        text = text.strip(" .;:,")
        if text[:1] in "\"“" and text[-1:] in "\"”":
            text = text[1:-1].strip()  # a trích yếu printed in quotes
        return Fact(text or None, span, 0.9), taken[-1] + 1

    def _is_anchor(self, doc: DocText, i: int, layout: Layout) -> bool:
        return i in (layout.motto, layout.number, layout.place_date, layout.recipients, layout.title) or \
            bool(doc.vocab.layout["state_motto_2"].search(doc.lines[i].folded))

    # -- recipients ---------------------------------------------------------------------
    def _recipients(self, doc: DocText, layout: Layout) -> tuple[tuple[Fact[str], ...], int]:
        if layout.recipients < 0:
            return (), 0
        lines = doc.lines
        first = lines[layout.recipients]
        prefix = doc.vocab.layout["recipients"].match(first.folded)
        chunks: list[tuple[int, int]] = []
        start = first.start + (prefix.end() if prefix else 0)
        if doc.text[start:first.end].strip():
            chunks.append((start, first.end))
        i = layout.recipients + 1
        while i < len(lines):
            line = lines[i]
            text = line.text.strip()
            if not text:
                if chunks:
                    break
                i += 1
                continue
            is_item = text[:1] in "-–•+"
            continues = chunks and not is_item and text[:1].islower()
            if not (is_item or continues) or _LEGAL_BODY.match(line.folded):
                break
            if continues:
                chunks[-1] = (chunks[-1][0], line.end)
            else:
                chunks.append((line.start, line.end))
            i += 1
        out: list[Fact[str]] = []
        for start, end in chunks:
            for piece in re.finditer(r"[^;]+", doc.text[start:end]):
                part_start = start + piece.start()
                part_end = start + piece.end()
                for item in re.split(r"(?:^|\s)[-–•](?=\s)", doc.text[part_start:part_end]):
                    item_start = doc.text.find(item, part_start, part_end) if item else -1
                    if item_start < 0:
                        continue
                    span = doc.span(item_start, item_start + len(item))
                    value = " ".join(doc.slice(span).split()).strip(" .,;:")
                    if doc.is_damaged:
                        value = self.namer.repair.repair(value)
                    if len(value) > 2:
                        out.append(Fact(value, span, 0.9))
        return tuple(out), i


_PROVINCE_BODY = re.compile(r"\b(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\s+(?:tinh|thanh pho)\s+"
                            r"((?:[a-z]+ ?){1,3})|\b(?:tinh|thanh) uy\s+((?:[a-z]+ ?){1,3})")


def _province_named(doc: DocText, start: int) -> str | None:
    """The first province whose People's Committee, council or Party committee the body names."""
    for found in _PROVINCE_BODY.finditer(doc.folded, start, min(len(doc.folded), start + 4000)):
        words = (found.group(1) or found.group(2)).split()
        for size in range(len(words), 0, -1):
            province = doc.vocab.provinces.get(" ".join(words[:size]))
            if province:
                return province
    return None


def _outer_province(doc: DocText, groups: list[list[int]]) -> str | None:
    """The province a parent line of the issuer block names: "ĐẢNG BỘ TỈNH LÂM ĐỒNG" over
    "HUYỆN ỦY ĐỨC TRỌNG"."""
    for group in groups:
        text = fold_key(" ".join(doc.lines[i].text for i in group))
        found = re.search(r"\b(?:tinh|thanh pho)\s+((?:[a-z]+\s?){1,4})$", text)
        if found and found.group(1).strip() in doc.vocab.provinces:
            return doc.vocab.provinces[found.group(1).strip()]
    return None


def _province_in(doc: DocText, name: str) -> str | None:
    key = fold_key(name)
    for folded, printed in doc.vocab.provinces.items():
        if key.endswith(" " + folded):
            return printed
    return None
