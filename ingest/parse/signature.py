"""The footer: where the body ends, the signing capacity and the signer's name.

Nghị định 30/2020/NĐ-CP puts "Nơi nhận" at the bottom left and the signature block at
the bottom right: the capacity (TM., KT., TL., Q., TUQ.), the position, then the name.
Copied out of a PDF the two columns come one after the other, in either order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..fold import fold
from ..records import Fact
from .context import DocText

_NOT_A_NAME = re.compile(r"\(|\)|\d|:|^[-–•+]|/|@|\bso\b|^noi\b|^luu\b|^nhu\b")
_APPENDIX = re.compile(r"^\s*phu\s+luc\b")
_POSITION = re.compile(
    r"\b(?:chu tich|giam doc|bi thu|truong|chanh|thu truong|pho|ky|ban|uy vien|tong|cuc|vu|vien|hieu|"
    r"tm\.|kt\.|tl\.|t/m|q\.|tuq\.)\b")


@dataclass(frozen=True, slots=True)
class Footer:
    start: int  # offset where the body ends
    signer: Fact[str | None]
    capacity: Fact[str | None]


# Ranks and degrees printed before a signer's name: "Đại tá Tạ Quang Huy", "TS. Lê Văn A".
_RANK = re.compile(r"^(?:(?:đại|thượng|trung|thiếu)\s+(?:tá|úy|uý|tướng)|(?:PGS\.|GS\.)?\s*(?:TS|ThS|BS|KS|CN)\.?)\s+",
                   re.IGNORECASE)


def strip_rank(text: str) -> str:
    return _RANK.sub("", text, count=1)


def _looks_like_name(text: str, folded: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or _NOT_A_NAME.search(folded):
        return False
    if any(not w[:1].isalpha() or not w[:1].isupper() for w in words):
        return False
    if text.isupper() and _POSITION.search(folded):
        return False
    return not _POSITION.search(folded) or not text.isupper()


def _footer_end(doc: DocText, body_start: int) -> int:
    """The line an appendix after the signature ("PHỤ LỤC …") starts on, else the end."""
    signed = False
    for i, line in enumerate(doc.lines):
        if line.start < body_start:
            continue
        if doc.vocab.layout["capacity"].match(line.folded):
            signed = True
        elif signed and _APPENDIX.match(line.folded):
            return i
    return len(doc.lines)


def parse_footer(doc: DocText, body_start: int) -> Footer:
    lines = doc.lines
    layout = doc.vocab.layout
    end = _footer_end(doc, body_start)
    tail_from = max(0, end - 40)
    first_footer = None
    capacity_lines: list[int] = []
    for i in range(tail_from, end):
        line = lines[i]
        if line.start < body_start:
            continue
        if layout["sent_to"].match(line.folded) and first_footer is None:
            first_footer = i
        if layout["capacity"].match(line.folded):
            capacity_lines.append(i)
            if first_footer is None:
                first_footer = i
    signer = Fact(None, None, 0.0)
    for i in range(end - 1, tail_from - 1, -1):
        line = lines[i]
        if line.start < body_start:
            break
        text = strip_rank(" ".join(line.text.split()))
        if not text:
            continue
        if _looks_like_name(text, fold(text)):
            value = text if not text.isupper() else " ".join(w[:1] + w[1:].lower() for w in text.split())
            confidence = 0.9 if text[:1].isupper() else 0.5
            signer = Fact(value, doc.span(line.start, line.end), confidence)
            if first_footer is None or i < first_footer:
                first_footer = i
            break
        if len(text) > 60:
            break
    capacity = Fact(None, None, 0.0)
    if capacity_lines:
        first = capacity_lines[0]
        block = [first]
        # the position under "KT. CHỦ TỊCH"; with the columns typed on one line a "Nơi nhận"
        # item may stand between them
        for nxt in range(first + 1, min(len(lines), first + 5)):
            text = lines[nxt].text.strip()
            if text.isupper() and not text.startswith(("-", "–")):
                block.append(nxt)  # "KT. CHỦ TỊCH" under "TM. ỦY BAN NHÂN DÂN", or the position
                break
            if text and not text.startswith(("-", "–")):
                break
        text = " / ".join(" ".join(lines[i].text.split()) for i in block)
        capacity = Fact(text, doc.span(lines[block[0]].start, lines[block[-1]].end), 0.9)
    elif signer.span is not None:
        # A position printed alone above the name ("CHÁNH VĂN PHÒNG").
        for i in range(end - 1, tail_from - 1, -1):
            if lines[i].start >= signer.span.start:
                continue
            if lines[i].text.strip():
                if lines[i].text.isupper() and len(lines[i].text) < 60:
                    capacity = Fact(" ".join(lines[i].text.split()), doc.span(lines[i].start, lines[i].end), 0.7)
                    if first_footer is None or i < first_footer:
                        first_footer = i
                break
    start = lines[first_footer].start if first_footer is not None else len(doc.text)
    # "./." closes the body even when the footer has no recognisable line.
    close = doc.text.rfind("./.", body_start, start)
    if close >= 0 and not doc.text[close + 3:start].strip(" \n"):
        start = min(start, close + 3)
    return Footer(start, signer, capacity)
