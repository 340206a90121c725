"""Reads DOCX sources: the body's paragraphs and tables, in document order.

Vietnamese administrative documents put their header (issuer and number on the left, the
national motto, place and date on the right) in a borderless two-column table, so tables
are read in place, one line per row with cells separated by tabs, and recorded with each
cell's span in the text. Headers, footers, footnotes and comments are not read: they hold
page numbers and notes, not the document. Text boxes follow the paragraph they hang on.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from ..errors import UnreadableSource
from .docx_package import open_docx
from .legacy import describe_legacy, detect_legacy_encoding
from .source import SourceText, Table, TableCell

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
# Content controls and custom XML wrap paragraphs, rows and cells without changing them.
_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
_T, _TAB, _PTAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN, _TEXT_BOX = qn("w:noBreakHyphen"), qn("w:txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Deleted and moved-away text is still in the file under tracked changes; field codes
# (instrText) are instructions, not text. A Fallback repeats its Choice for old readers.
_SKIP = frozenset({
    qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:moveFrom"), qn("w:delText"),
    qn("w:instrText"), qn("w:fldData"), _MC_FALLBACK,
})
_VAL = qn("w:val")
_GRID_SPAN = f"{qn('w:tcPr')}/{qn('w:gridSpan')}"
_V_MERGE = f"{qn('w:tcPr')}/{qn('w:vMerge')}"
_GRID_BEFORE = f"{qn('w:trPr')}/{qn('w:gridBefore')}"
_GRID_COL = f"{qn('w:tblGrid')}/{qn('w:gridCol')}"
_CELL_BREAKS = re.compile("[\t\n]+")
_BLOCKS, _ROWS, _CELLS = frozenset({_P, _TBL}), frozenset({_TR}), frozenset({_TC})


def read_docx(data: bytes, path: str) -> SourceText:
    document = open_docx(data, path)
    body = document.element.body
    builder = _Builder()
    try:
        if body is not None:
            _emit_blocks(body, builder)
    except RecursionError as exc:
        raise UnreadableSource(path, "DOCX nests tables too deeply to read") from exc
    text = builder.text()
    if not text.strip():
        raise UnreadableSource(path, "DOCX has no text in its body (only images?)")
    warnings: list[str] = []
    legacy = detect_legacy_encoding(text)
    if legacy is not None:
        warnings.append(
            f"text looks like {describe_legacy(legacy)}; conversion to Unicode is not supported yet"
        )
    return SourceText(
        text=text, format="docx", encoding=None, tables=tuple(builder.tables), warnings=tuple(warnings)
    )


class _Builder:
    """Accumulates lines joined by "\\n" and knows the offset where the next line starts."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._next = 0
        self.tables: list[Table] = []

    def add(self, line: str) -> int:
        start = self._next
        self._lines.append(line)
        self._next = start + len(line) + 1
        return start

    def text(self) -> str:
        return "\n".join(self._lines)


def _children(parent: etree._Element, tags: frozenset[str]) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _emit_blocks(parent: etree._Element, builder: _Builder) -> None:
    for block in _children(parent, _BLOCKS):
        if block.tag == _TBL:
            _emit_table(block, builder)
            continue
        text, boxes = _paragraph(block)
        builder.add(unicodedata.normalize("NFC", text))
        for box in boxes:
            _emit_blocks(box, builder)


def _paragraph(p: etree._Element) -> tuple[str, list[etree._Element]]:
    out: list[str] = []
    boxes: list[etree._Element] = []
    _inline(p, out, boxes)
    return "".join(out), boxes


def _inline(element: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:  # str: XML comments have a function tag
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            out.append("\t")
        elif tag == _BR:  # page and column breaks end no line of text
            if child.get(qn("w:type"), "textWrapping") == "textWrapping":
                out.append("\n")
        elif tag == _CR:
            out.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == _TEXT_BOX:
            boxes.append(child)
        else:
            _inline(child, out, boxes)


@dataclass(frozen=True, slots=True)
class _Cell:
    tc: etree._Element
    col: int
    col_span: int
    continues: bool  # a vMerge continuation: the cell above owns the text


def _rows(tbl: etree._Element) -> list[list[_Cell]]:
    rows: list[list[_Cell]] = []
    for tr in _children(tbl, _ROWS):
        col = max(0, _int_at(tr, _GRID_BEFORE, 0))  # columns the row leaves empty on the left
        row: list[_Cell] = []
        for tc in _children(tr, _CELLS):
            span = max(1, _int_at(tc, _GRID_SPAN, 1))
            merge = tc.find(_V_MERGE)
            continues = merge is not None and merge.get(_VAL, "continue") == "continue"
            row.append(_Cell(tc, col, span, continues))
            col += span
        rows.append(row)
    return rows


@dataclass(slots=True)
class _Placed:
    """A cell laid out in the text; its row span grows while continuations follow below."""

    text: str
    start: int
    row: int
    col: int
    col_span: int
    row_span: int = 1

    def freeze(self) -> TableCell:
        end = self.start + len(self.text)
        return TableCell(self.text, self.start, end, self.row, self.col, self.row_span, self.col_span)


def _emit_table(tbl: etree._Element, builder: _Builder) -> None:
    rows = _rows(tbl)
    if not rows:
        return
    placed: list[_Placed] = []
    open_at: dict[int, _Placed] = {}  # grid column → the cell a vMerge continuation extends
    start = end = -1
    for r, row in enumerate(rows):
        owners = [open_at.get(cell.col) if cell.continues else None for cell in row]
        texts = ["" if owner is not None else _cell_text(cell.tc) for cell, owner in zip(row, owners)]
        line = "\t".join(texts)
        offset = builder.add(line)
        start, end = (offset if start < 0 else start), offset + len(line)
        for cell, owner, text in zip(row, owners, texts, strict=True):
            if owner is not None:
                owner.row_span += 1
            else:
                open_at[cell.col] = _Placed(text, offset, r, cell.col, cell.col_span)
                placed.append(open_at[cell.col])
            offset += len(text) + 1
    grid = len(tbl.findall(_GRID_COL))
    width = max([grid] + [row[-1].col + row[-1].col_span for row in rows if row])
    builder.tables.append(Table(
        start=start,
        end=end,
        cells=tuple(cell.freeze() for cell in placed),
        n_rows=len(rows),
        n_cols=width,
    ))


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs, nested tables and text boxes as one line, joined by spaces."""
    parts: list[str] = []
    _flatten(tc, parts)
    cleaned = (_CELL_BREAKS.sub(" ", part).strip() for part in parts)
    return unicodedata.normalize("NFC", " ".join(part for part in cleaned if part))


def _flatten(parent: etree._Element, parts: list[str]) -> None:
    for block in _children(parent, _BLOCKS):
        if block.tag == _TBL:
            for row in _rows(block):
                for cell in row:
                    _flatten(cell.tc, parts)
            continue
        text, boxes = _paragraph(block)
        parts.append(text)
        for box in boxes:
            _flatten(box, parts)


def _int_at(element: etree._Element, path: str, default: int) -> int:
    found = element.find(path)
    try:
        return int(found.get(_VAL, default)) if found is not None else default
    except ValueError:  # a malformed number in the XML; Word falls back to the default too
        return default
