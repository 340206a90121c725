"""Reads DOCX sources: the body's paragraphs and tables, in document order.

Tables are read in place and recorded with each cell's span in the text, rendered one of
two ways. A DATA table (the appendix "STT | Nhiệm vụ | Cơ quan chủ trì | …") gives one
line per row, cells separated by tabs, a cell's paragraphs joined by spaces. A LAYOUT
table, the borderless grid Nghị định 30/2020/NĐ-CP puts the header in (issuer, "-------",
"Số: …", "V/v …" on the left; the national motto, place and date on the right) and the
footer ("Nơi nhận: - …" on the left; "TM. …", "KT. …", the position and the name on the
right), gives each cell's paragraphs as lines of their own, cell after cell, row by row
and left to right, so that "Số: 118/KH-UBND" is a line; a cell then spans its lines.
The rule, in order (see `_is_layout`):

1. a first row with 3 or more non-empty cells is a data header: DATA;
2. a single column has no row of cells to keep together: LAYOUT;
3. at most 4 columns, with a cell paragraph opening like a header or footer block (the
   national or Party motto, "Số:", "V/v", a place-date "…, ngày …", "Kính gửi", "Nơi
   nhận", a capacity "TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M"): LAYOUT;
4. a small table (at most 3 columns and 4 rows) without visible borders (w:tblBorders
   of the table over those of its table style; cell borders are not looked at): LAYOUT;
5. anything else: DATA. Wide tables never become layout, whatever their cells say.

Word's automatic list numbers ("1.", "1.1.", "a)", "I.", bullets) are not in the text;
docx_numbering renders them and they are put back before the paragraph's text. Headers,
footers, footnotes and comments are not read: they hold page numbers and notes, not the
document. Text boxes follow the paragraph they hang on.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..errors import UnreadableSource
from .docx_legacy import convert_legacy_runs
from .docx_numbering import Numbering
from .docx_package import open_docx
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
_TBL_STYLE = f"{qn('w:tblPr')}/{qn('w:tblStyle')}"
_TBL_BORDERS = f"{qn('w:tblPr')}/{qn('w:tblBorders')}"
_NO_BORDER = frozenset({"nil", "none"})
# Paragraphs that open a header or footer block (matched on the lowercased NFC text).
_LAYOUT_MARK = re.compile(
    r"(?:cộng\s+h(?:òa|oà)\s+xã\s+hội|độc\s+lập\s*[-–]\s*tự\s+do|đảng\s+cộng\s+sản\s+việt\s+nam"
    r"|số\s*:|v/v\b|kính\s+gửi|nơi\s+nhận|(?:tm|kt|tl|tuq|q)\s*\.\s*\S|t/m\b"
    r"|[^\W\d_][^,\n]{0,40},\s*ngày\s+(?:\d|tháng|[._…]))"  # "Hà Nội, ngày 05 tháng …"
)
_MARKED_COLS, _SMALL_COLS, _SMALL_ROWS = 4, 3, 4
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def read_docx(data: bytes, path: str) -> SourceText:
    document = open_docx(data, path)
    body = document.element.body
    styles = _part_xml(document, RT.STYLES)
    builder = _Builder(Numbering(_part_xml(document, RT.NUMBERING), styles), styles)
    # Before any text is built, so that every offset is into the Unicode text.
    legacy_warnings = convert_legacy_runs(body, styles) if body is not None else ()
    try:
        if body is not None:
            _emit_blocks(body, builder)
    except RecursionError as exc:
        raise UnreadableSource(path, "DOCX nests tables too deeply to read") from exc
    text = builder.text()
    if not text.strip():
        raise UnreadableSource(path, "DOCX has no text in its body (only images?)")
    warnings: list[str] = list(legacy_warnings)
    return SourceText(
        text=text, format="docx", encoding=None, tables=tuple(builder.tables), warnings=tuple(warnings)
    )


def _part_xml(document: DocxDocument, reltype: str) -> etree._Element | None:
    """The XML of the part the document relates to by `reltype`, None if it has none."""
    try:
        part = document.part.part_related_by(reltype)
    except (KeyError, ValueError):  # no such part, several, or an external target
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:  # a part python-docx did not parse (an unexpected content type)
        return etree.fromstring(part.blob, _SAFE_XML)
    except (etree.XMLSyntaxError, ValueError):
        return None


class _Builder:
    """Accumulates lines joined by "\\n" and knows the offset where the next line starts."""

    def __init__(self, numbering: Numbering, styles: etree._Element | None) -> None:
        self._lines: list[str] = []
        self._next = 0
        self.tables: list[Table] = []
        self.numbering = numbering
        self._table_styles: dict[str, etree._Element] = {}
        self._default_table_style: str | None = None
        for style in styles.iterfind(qn("w:style")) if styles is not None else ():
            if style.get(qn("w:type")) == "table":
                self._table_styles[style.get(qn("w:styleId"), "")] = style
                if style.get(qn("w:default"), "0").lower() in ("1", "true", "on"):
                    self._default_table_style = style.get(qn("w:styleId"), "")

    def add(self, line: str) -> int:
        start = self._next
        self._lines.append(line)
        self._next = start + len(line) + 1
        return start

    @property
    def next_offset(self) -> int:
        return self._next

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def since(self, line: int) -> str:
        """The text of the lines added from line index `line` on."""
        return "\n".join(self._lines[line:])

    def text(self) -> str:
        return "\n".join(self._lines)

    def bordered(self, tbl: etree._Element) -> bool:
        """Whether the table draws borders: its own w:tblBorders over its style's (w:basedOn)."""
        chain: list[etree._Element] = []
        name = _val_at(tbl, _TBL_STYLE) or self._default_table_style
        while name in self._table_styles and len(chain) < 16:  # 16: a w:basedOn loop ends
            chain.append(self._table_styles[name])
            name = _val_at(chain[-1], qn("w:basedOn"))
        sides: dict[str, str] = {}
        for holder in [*reversed(chain), tbl]:
            borders = holder.find(_TBL_BORDERS)
            for side in borders if borders is not None else ():
                sides[side.tag] = side.get(_VAL, "nil")
        return any(value not in _NO_BORDER for value in sides.values())


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
        text, boxes = _paragraph(block, builder.numbering)
        builder.add(unicodedata.normalize("NFC", text))
        for box in boxes:
            _emit_blocks(box, builder)


def _paragraph(p: etree._Element, numbering: Numbering | None) -> tuple[str, list[etree._Element]]:
    """The paragraph's text, after its list label when `numbering` is given, and its text boxes.

    Without `numbering` the text is read without counting the paragraph in its list.
    """
    out: list[str] = []
    boxes: list[etree._Element] = []
    _inline(p, out, boxes)
    text = "".join(out)
    label = numbering.label(p) if numbering is not None else None
    if label:
        text = f"{label} {text.lstrip()}" if text.strip() else label
    return text, boxes


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
    if _is_layout(tbl, rows, builder):
        _emit_layout(tbl, rows, builder)
    else:
        _emit_data(tbl, rows, builder)


def _is_layout(tbl: etree._Element, rows: list[list[_Cell]], builder: _Builder) -> bool:
    """The rule in the module docstring: whether the table lays out blocks rather than data."""
    if sum(1 for cell in rows[0] if _raw_text(cell.tc).strip()) >= 3:
        return False
    width = _width(tbl, rows)
    if width <= 1:
        return True
    if width <= _MARKED_COLS and any(
        _LAYOUT_MARK.match(line.strip().lower())
        for row in rows for cell in row for line in _raw_text(cell.tc).split("\n")
    ):
        return True
    return width <= _SMALL_COLS and len(rows) <= _SMALL_ROWS and not builder.bordered(tbl)


def _raw_text(tc: etree._Element) -> str:
    """A cell's paragraphs as lines, without list labels and without counting them."""
    parts: list[str] = []
    _flatten(tc, parts, None)
    return unicodedata.normalize("NFC", "\n".join(parts))


def _width(tbl: etree._Element, rows: list[list[_Cell]]) -> int:
    grid = len(tbl.findall(_GRID_COL))
    return max([grid] + [row[-1].col + row[-1].col_span for row in rows if row])


def _emit_layout(tbl: etree._Element, rows: list[list[_Cell]], builder: _Builder) -> None:
    """Each cell's paragraphs as lines, cell after cell; nested tables are read in place."""
    slot = len(builder.tables)  # the table goes before the tables nested in it
    placed: list[_Placed] = []
    open_at: dict[int, _Placed] = {}
    first_line = builder.line_count
    start = -1
    for r, row in enumerate(rows):
        for cell in row:
            owner = open_at.get(cell.col) if cell.continues else None
            if owner is not None:
                owner.row_span += 1
                continue
            line, cell_start = builder.line_count, builder.next_offset
            _emit_blocks(cell.tc, builder)
            if builder.line_count == line:  # a cell without paragraphs still takes a line
                builder.add("")
            text = builder.since(line)
            start = cell_start if start < 0 else start
            open_at[cell.col] = _Placed(text, cell_start, r, cell.col, cell.col_span)
            placed.append(open_at[cell.col])
    if not placed:
        return
    builder.tables.insert(slot, Table(
        start=start,
        end=start + len(builder.since(first_line)),
        cells=tuple(cell.freeze() for cell in placed),
        n_rows=len(rows),
        n_cols=_width(tbl, rows),
    ))


def _emit_data(tbl: etree._Element, rows: list[list[_Cell]], builder: _Builder) -> None:
    placed: list[_Placed] = []
    open_at: dict[int, _Placed] = {}  # grid column → the cell a vMerge continuation extends
    start = end = -1
    for r, row in enumerate(rows):
        owners = [open_at.get(cell.col) if cell.continues else None for cell in row]
        texts = ["" if owner is not None else _cell_text(cell.tc, builder.numbering)
                 for cell, owner in zip(row, owners)]
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
    builder.tables.append(Table(
        start=start,
        end=end,
        cells=tuple(cell.freeze() for cell in placed),
        n_rows=len(rows),
        n_cols=_width(tbl, rows),
    ))


def _cell_text(tc: etree._Element, numbering: Numbering) -> str:
    """A cell's paragraphs, nested tables and text boxes as one line, joined by spaces."""
    parts: list[str] = []
    _flatten(tc, parts, numbering)
    cleaned = (_CELL_BREAKS.sub(" ", part).strip() for part in parts)
    return unicodedata.normalize("NFC", " ".join(part for part in cleaned if part))


def _flatten(parent: etree._Element, parts: list[str], numbering: Numbering | None) -> None:
    for block in _children(parent, _BLOCKS):
        if block.tag == _TBL:
            for row in _rows(block):
                for cell in row:
                    _flatten(cell.tc, parts, numbering)
            continue
        text, boxes = _paragraph(block, numbering)
        parts.append(text)
        for box in boxes:
            _flatten(box, parts, numbering)


def _val_at(element: etree._Element, path: str) -> str | None:
    found = element.find(path)
    return found.get(_VAL) if found is not None else None


def _int_at(element: etree._Element, path: str, default: int) -> int:
    found = element.find(path)
    try:
        return int(found.get(_VAL, default)) if found is not None else default
    except ValueError:  # a malformed number in the XML; Word falls back to the default too
        return default
