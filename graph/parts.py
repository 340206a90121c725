"""Named parts of cited documents in a task's text, and the cited tasks they are.

"… các nội dung tại Tiểu mục 2.3 Mục 2 Thông báo số 02-TB/BCĐ" names item 2.3 of that
notice; "theo kết luận tại điểm c tiểu mục 2.1 mục 2 Thông báo số 07-TB/BCĐ" names 2.1.c;
"(nhiệm vụ số 3 của Phụ lục)" names appendix task 3 of the plan the letter carries out.
When the cited document is in the graph with its tasks, the task IMPLEMENTS that task.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.fold import fold

_NUM = r"(?:\d+(?:\.\d+)*|[ivx]{1,4})"
# On fold()ed text (same offsets as the printed text).
_PART = re.compile(
    rf"(?:diem\s+(?P<point>[a-zđ]|\d+)\s+)?(?P<unit>tieu\s+muc|muc|khoan|phan)\s+(?P<num>{_NUM})\b"
    rf"(?:\s+(?:muc|phan)\s+(?P<outer>{_NUM})\b)?")
_APPENDIX = re.compile(r"nhiem\s+vu\s+(?:so\s+|thu\s+)?(?P<num>\d{1,3})(?:\s+(?:cua|tai|thuoc|trong))?\s+phu\s+luc")
_WINDOW = 90  # a part is of the document whose ref follows it this closely


@dataclass(frozen=True, slots=True)
class PartRef:
    phrase: str  # as printed
    ids: tuple[str, ...]  # task ids the part may carry in the cited document, best first
    is_appendix: bool
    ref_key: str | None  # the cited ref written right after the phrase, folded without spaces


def part_refs(text: str, cited_refs: Sequence[str]) -> list[PartRef]:
    """`cited_refs`: the folded refs (no spaces) of the documents the task's document cites."""
    folded = fold(text)
    compact = [(r, r.replace(" ", "")) for r in cited_refs]
    out: list[PartRef] = []
    for found in _PART.finditer(folded):
        num = found.group("num")
        point = found.group("point")
        outer = found.group("outer")
        ids = []
        if point:
            ids += [f"{num}.{point}", f"{num}{point}"]
        if outer and "." not in num:
            ids.append(f"{outer}.{num}")
        ids.append(num)
        ref = _ref_after(folded, found.end(), compact)
        if ref or found.group("unit").startswith("tieu"):
            out.append(PartRef(text[found.start():found.end()], tuple(_upper_roman(i) for i in ids), False, ref))
    for found in _APPENDIX.finditer(folded):
        num = found.group("num")
        out.append(PartRef(text[found.start():found.end()], (f"PL.{num}", num), True,
                           _ref_after(folded, found.end(), compact)))
    return out


def _upper_roman(task_id: str) -> str:
    return ".".join(p.upper() if re.fullmatch(r"[ivx]+", p) else p for p in task_id.split("."))


def _ref_after(folded: str, pos: int, refs: list[tuple[str, str]]) -> str | None:
    window = re.sub(r"\s+", "", folded[pos:pos + _WINDOW])
    best: tuple[int, str] | None = None
    for ref, compact in refs:
        at = window.find(compact)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, ref)
    return best[1] if best else None


def matching_task(part: PartRef, task_ids: Sequence[str]) -> int | None:
    """Index of the cited document's task the part names (first occurrence), or None."""
    if part.is_appendix:
        number = part.ids[-1]
        for i, task_id in enumerate(task_ids):
            if task_id.upper().startswith("PL") and re.split(r"[.]", task_id)[-1] == number:
                return i
    for wanted in part.ids:
        for i, task_id in enumerate(task_ids):
            if task_id == wanted:
                return i
    return None
