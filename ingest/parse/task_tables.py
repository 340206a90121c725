"""Task tables (appendices "DANH MỤC NHIỆM VỤ"): one task per row.

The readers render a table row as one line with its cells separated by tabs. A table is
a task table when its header row names the usual columns in any wording and order:
STT, Nhiệm vụ / Nội dung, Cơ quan (đơn vị) chủ trì, Cơ quan phối hợp, Thời gian / Thời
hạn hoàn thành, Sản phẩm / Kết quả. Group rows ("I. …", "A. …") give the hierarchy; an
empty lead cell under a merged one takes the lead of the row above.
"""
from __future__ import annotations

import re

from ..fold import fold_key
from ..records import OrgMention, Span, Task
from ..vocab import Vocabulary
from .context import DocText, Line
from .deadlines import DeadlineFinder
from .orgs import Locality, OrgFinder

COLUMNS = {
    "number": re.compile(r"^(?:stt|tt|so\s+tt|so\s+thu\s+tu)$"),
    "task": re.compile(r"(?:nhiem\s+vu|noi\s+dung|ten\s+nhiem\s+vu|cong\s+viec|giai\s+phap|hoat\s+dong)"),
    "lead": re.compile(r"(?:chu\s+tri|don\s+vi\s+thuc\s+hien|co\s+quan\s+thuc\s+hien|trach\s+nhiem\s+thuc\s+hien)"),
    "support": re.compile(r"phoi\s+hop"),
    "deadline": re.compile(r"(?:thoi\s+gian|thoi\s+han|tien\s+do|han\s+hoan\s+thanh|moc\s+thoi\s+gian)"),
    "product": re.compile(r"(?:san\s+pham|ket\s+qua|hinh\s+thuc\s+van\s+ban)"),
}
_GROUP = re.compile(r"^(?:[IVXL]{1,5}|[A-Z])[.)]?$")


class TableTaskReader:
    def __init__(self, vocab: Vocabulary, finder: OrgFinder, deadlines: DeadlineFinder):
        self.vocab = vocab
        self.finder = finder
        self.deadlines = deadlines

    def read(self, doc: DocText, lines: list[Line], year: int | None, locality: Locality | None) -> list[Task]:
        tasks: list[Task] = []
        columns: dict[str, int] | None = None
        group = ""
        carried_lead: tuple[OrgMention, ...] = ()
        index = 0
        for line in lines:
            cells = _cells(line)
            header = _header_columns(doc, cells)
            if header:
                columns, group, carried_lead = header, "", ()
                continue
            if columns is None:
                continue
            number = _cell_text(doc, cells, columns.get("number"))
            task_cell = cells[columns["task"]] if columns.get("task") is not None and columns["task"] < len(cells) else None
            if task_cell is None:
                continue
            if _GROUP.match(number.strip()) and not any(
                    _cell_text(doc, cells, columns.get(k)).strip() for k in ("lead", "deadline")):
                group = number.strip().rstrip(".)")
                continue
            text = " ".join(doc.text[task_cell[0]:task_cell[1]].split())
            if not text:
                continue
            index += 1
            lead = self._orgs(doc, cells, columns.get("lead"), locality)
            if lead:
                carried_lead = lead
            else:
                lead = carried_lead
            support = self._orgs(doc, cells, columns.get("support"), locality)
            deadline = None
            if columns.get("deadline") is not None and columns["deadline"] < len(cells):
                start, end = cells[columns["deadline"]]
                found = self.deadlines.find(doc, start, end, year, bare=True)
                deadline = found[0] if found else None
            label = number.strip().rstrip(".") or str(index)
            ident = f"PL.{group}.{label}" if group else f"PL.{label}"
            tasks.append(Task(ident, text, Span(*task_cell), lead, support, deadline, False,
                              f"PL.{group}" if group else None, group or None, 0.85))
        return tasks

    def _orgs(self, doc: DocText, cells: list[tuple[int, int]], column: int | None,
              locality: Locality | None) -> tuple[OrgMention, ...]:
        if column is None or column >= len(cells):
            return ()
        start, end = cells[column]
        if not doc.text[start:end].strip():
            return ()
        found = self.finder.find(doc, start, end, locality)
        if found:
            return tuple(found)
        # a cell the finder cannot split: the whole cell is one body
        text = " ".join(doc.text[start:end].split()).strip(" ,;.")
        display, canonical = self.finder.names(text, locality)
        return (OrgMention(display, text, doc.span(start, end), False, 0.6, canonical),)


def _cells(line: Line) -> list[tuple[int, int]]:
    cells = []
    pos = line.start
    for piece in line.text.split("\t"):
        lead = len(piece) - len(piece.lstrip())
        cells.append((pos + lead, pos + len(piece.rstrip())))
        pos += len(piece) + 1
    return cells


def _cell_text(doc: DocText, cells: list[tuple[int, int]], column: int | None) -> str:
    if column is None or column >= len(cells):
        return ""
    return doc.text[cells[column][0]:cells[column][1]]


def _header_columns(doc: DocText, cells: list[tuple[int, int]]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, (start, end) in enumerate(cells):
        key = fold_key(doc.folded[start:end])
        for name, pattern in COLUMNS.items():
            if name in found:
                continue
            if name == "lead" and "phoi hop" in key and "chu tri" not in key:
                continue
            if pattern.search(key) and len(key) < 60:
                found[name] = i
                break
    if "task" in found and ("lead" in found or "deadline" in found):
        return found
    return None
