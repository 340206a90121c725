"""Work done versus work to do: what a document reports is no assignment.

Reports (Báo cáo), and the opening of plans and conclusions, tell of work already done in
the same words an assignment uses: "Sở Nội vụ đã tham mưu UBND tỉnh ban hành …", "Đã triển
khai kiểm tra tại 05 sở, ngành", "04/09 bệnh viện đã triển khai bệnh án điện tử". Vietnamese
marks the completed act on the verb with "đã" right after the subject, and a result with a
figure; a request or a next task carries "tiếp tục", "khẩn trương", "đề nghị" instead.

A report is built in parts: the account of the period (công tác chỉ đạo, kết quả, tồn tại),
then its forward part (phương hướng, nhiệm vụ thời gian tới, giải pháp) and its requests
(kiến nghị, đề xuất) to the body it reports to. Only the forward part and the requests
assign work; the reporting body does its own next tasks, the body reported to is asked for
what the requests name.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..records import OrgMention
from ..vocab import Vocabulary, phrase_regex

# What may open a sentence before its subject: "Năm 2025,", "Thời gian qua,", "Trong quý I/2026,",
# "Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2026 của UBND tỉnh,", "Kết quả:".
_TIME_OPENER = re.compile(r"\s*(?:(?:nam|quy|thang|trong|qua|thoi\s+gian|tu|den|tinh\s+den|sau|nhin\s+chung|ngay|"
                          r"ke\s+tu|thuc\s+hien|trien\s+khai|can\s+cu|theo|dong\s+thoi|ket\s+qua)\b"
                          r"(?:[^,;:!?\n.]|\.(?=\S)){0,120}?[,:]\s*)?")
# A figure opening an item ("04/09 bệnh viện …", "100% đơn vị …", "Khoảng 78% dân số …").
_STATISTIC = re.compile(r"\s*(?:khoang\s+|co\s+|tong\s+so\s+)?\d[\d.,/]*\s*%?\s")
# A subject that names no body: "các lực lượng chức năng", "nhiều địa phương", "hầu hết các xã".
_PLURAL_SUBJECT = re.compile(r"(?:cac|nhung|nhieu|moi|toan\s+bo|hau\s+het)\s+(?:[^\W\d_]+\s+){1,4}?"
                             r"(?=(?:cung\s+|deu\s+)?da\s)")
_SUBJECT_GLUE = re.compile(r"(?:\s*(?:,|va\b|cung\b|cung\s+voi\b)\s*)*")
_FIRST_CLAUSE_END = re.compile(r"[;.!?:](?=\s|$)")


class Section(Protocol):
    """The part of a task block this module reads (tasks.Block)."""

    kind: str | None
    content_start: int
    end: int

    @property
    def children(self) -> Sequence[Section]: ...


@dataclass(frozen=True, slots=True)
class ReportParts:
    """A report's account sections (no tasks) and its request sections, as offset ranges."""

    account: tuple[Section, ...]
    requests: tuple[tuple[int, int], ...]


class ReportedWork:
    def __init__(self, vocab: Vocabulary):
        self.done = phrase_regex(list(vocab.roles["done"]))
        self.done_but_assigned = phrase_regex(list(vocab.roles["done_but_assigned"]))
        self.still_to_do = phrase_regex(list(vocab.roles["still_to_do"]))
        self.forward_heading = vocab.layout["report_forward_heading"]
        self.request_heading = vocab.layout["report_request_heading"]

    def tells_done(self, folded: str, start: int, end: int, by_start: Mapping[int, OrgMention]) -> bool:
        """Whether the text [start, end) reports work done rather than assigns it: after an
        opening phrase of time and the bodies that are its subject, the verb takes "đã" (or
        the item opens with a figure and its first clause has one); and nothing in it asks
        for more. `by_start`: the document's organisation mentions by start offset."""
        if self.asks_more(folded, start, end):
            return False  # "… đã ban hành; đề nghị các sở tiếp tục …": the request is a task
        opener = _TIME_OPENER.match(folded, start, end)
        at = opener.end() if opener else start
        if _STATISTIC.match(folded, at, end):
            clause = _FIRST_CLAUSE_END.search(folded, at, end)
            return self.done.search(folded, at, clause.start() if clause else end) is not None
        if at not in by_start and (plural := _PLURAL_SUBJECT.match(folded, at, end)):
            at = plural.end()
        while True:
            glue = _SUBJECT_GLUE.match(folded, at, end)
            nxt = glue.end() if glue else at
            while nxt < end and folded[nxt] == " ":
                nxt += 1
            mention = by_start.get(nxt)
            if mention is None:
                break
            at = mention.span.end
        while at < end and folded[at] in " ,":
            at += 1
        found = self.done.match(folded, at, end)
        return found is not None and not self.done_but_assigned.match(folded, at, end)

    def asks_more(self, folded: str, start: int, end: int) -> bool:
        """Whether [start, end) asks for work still to do ("tiếp tục", "đề nghị", "thời gian tới")."""
        return self.still_to_do.search(folded, start, end) is not None

    def parts(self, folded: str, roots: Sequence[Section]) -> ReportParts:
        """The sections of a report before its first forward one, and its request sections.
        A report without a forward section has no parts: its items are read as they are."""
        marked = [r for r in roots if r.kind is not None]
        first_forward = next((i for i, r in enumerate(marked) if self._is_forward(folded, r)), None)
        if first_forward is None:
            return ReportParts((), ())
        account = tuple(r for r in roots if r.content_start < marked[first_forward].content_start)
        requests = tuple((r.content_start, _subtree_end(r)) for r in marked[first_forward:]
                         if self.request_heading.match(_own(folded, r)))
        return ReportParts(account, requests)

    def _is_forward(self, folded: str, section: Section) -> bool:
        own = _own(folded, section)
        return len(own) < 160 and self.forward_heading.match(own) is not None


def _own(folded: str, section: Section) -> str:
    return folded[section.content_start:section.end].strip()


def _subtree_end(section: Section) -> int:
    while section.children:
        section = section.children[-1]
    return section.end


__all__ = ["ReportParts", "ReportedWork"]
