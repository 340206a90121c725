"""Reads OpenDocument text (.odt): content.xml's paragraphs, headings, lists and tables, in order.

An .odt is a ZIP archive whose content.xml holds the body (office:body/office:text).
Paragraphs and headings give a line each (text:line-break breaks it), list items get the
label their list style draws (odt_lists), tables give one line per row with their cells
(a cell's paragraphs joined by spaces; cells covered by a merged one are left out), and
text boxes follow the paragraph they hang on. Footnotes, comments, tracked deletions and
tables of contents are not read: they are notes or repeat the body. Whitespace collapses
as ODF says (text:s and text:tab hold the spaces and tabs that count).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from ..errors import UnreadableSource
from .blocks import Block, CellBlock, TableBlock, assemble
from .odt_lists import TEXT, ListLabels
from .signatures import ZIP_MAGIC, describe_signature
from .source import SourceText

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_MAX_CONTENT = 256 << 20  # content.xml and styles.xml unpacked; a ZIP bomb inside the size limit stops here
_MAX_REPEAT = 64  # number-columns-repeated on an empty trailing cell can say 16384
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_SPACE = re.compile(r"[ \t\r\n]+")


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def _tb(name: str) -> str:
    return f"{{{TABLE}}}{name}"


_P, _H, _LIST, _LIST_ITEM, _LIST_HEADER = _t("p"), _t("h"), _t("list"), _t("list-item"), _t("list-header")
_SECTIONS = frozenset({_t("section"), f"{{{OFFICE}}}text", _t("index-body")})
# Not body text: notes, comments, deleted text kept for tracked changes, generated indexes.
_SKIP = frozenset({
    _t("note"), f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end", _t("tracked-changes"),
    _t("table-of-content"), _t("illustration-index"), _t("alphabetical-index"), _t("bibliography"),
    _t("sequence-decls"), _t("variable-decls"), _t("user-field-decls"), f"{{{OFFICE}}}forms",
    _t("number"),  # the label a writer cached; the list style draws it again
})
_TABLE, _ROW, _CELL, _COVERED = _tb("table"), _tb("table-row"), _tb("table-cell"), _tb("covered-table-cell")
_ROW_GROUPS = frozenset({_tb("table-header-rows"), _tb("table-rows"), _tb("table-row-group")})
_TEXT_BOX, _FRAME = f"{{{DRAW}}}text-box", f"{{{DRAW}}}frame"


def read_odt(data: bytes, path: str) -> SourceText:
    content, styles = _open(data, path)
    labels = ListLabels(content, styles)
    body = content.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    blocks: list[Block] = []
    if body is not None:
        try:
            _blocks(body, blocks, labels, None, None, 0)
        except RecursionError as exc:
            raise UnreadableSource(path, "ODT nests lists or tables too deeply to read") from exc
    return assemble(blocks, path, "odt", what="ODT")


def _open(data: bytes, path: str) -> tuple[etree._Element, etree._Element | None]:
    if not data:
        raise UnreadableSource(path, "empty file")
    if not data.startswith(ZIP_MAGIC):
        kind = describe_signature(data)
        raise UnreadableSource(path, f"not a valid ODT ({f'it is {kind}' if kind else 'not a ZIP archive'})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
            if mimetype and mimetype not in _TEXT_MIMETYPES:
                raise UnreadableSource(path, f"not a text document (an OpenDocument file of type {mimetype})")
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            if b"encryption-data" in manifest:
                raise UnreadableSource(path, "ODT is encrypted (password-protected)")
            if "content.xml" not in names:
                raise UnreadableSource(path, "not a valid ODT (no content.xml)")
            parts = [name for name in ("content.xml", "styles.xml") if name in names]
            if sum(archive.getinfo(name).file_size for name in parts) > _MAX_CONTENT:
                raise UnreadableSource(path, "ODT content unpacks to over 256 MB")
            content = archive.read("content.xml")
            styles = archive.read("styles.xml") if "styles.xml" in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise UnreadableSource(path, "not a valid ODT (truncated or corrupt ZIP archive)") from exc
    try:
        content_root = etree.fromstring(content, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise UnreadableSource(path, f"not a valid ODT (malformed content.xml: {exc})") from exc
    try:
        styles_root = etree.fromstring(styles, _SAFE_XML) if styles else None
    except etree.XMLSyntaxError:
        styles_root = None  # the list labels are lost, the text is not
    return content_root, styles_root


def _blocks(parent: etree._Element, out: list[Block], labels: ListLabels, list_key: str | None,
            list_style: str | None, level: int) -> None:
    for child in parent:
        _block(child, out, labels, list_key, list_style, level)


def _block(element: etree._Element, out: list[Block], labels: ListLabels, list_key: str | None,
           list_style: str | None, level: int) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIP:
        return
    if tag in (_P, _H):
        label = ""
        if tag == _H and list_key is None:
            label = labels.heading_label(_int(element.get(_t("outline-level")), 1))
        _paragraph(element, out, labels, label)
    elif tag == _LIST:
        style = element.get(_t("style-name")) or list_style
        key = labels.open_list(element, style, list_key)
        _blocks(element, out, labels, key, style, level + 1)
    elif tag in (_LIST_ITEM, _LIST_HEADER):
        start = _int(element.get(_t("start-value")), None)
        label = labels.label(list_key or "", list_style, level, start) if tag == _LIST_ITEM else ""
        for child in element:
            if child.tag in (_P, _H):
                _paragraph(child, out, labels, label)
                label = ""  # the item's later paragraphs carry no label
            else:
                _block(child, out, labels, list_key, list_style, level)
    elif tag == _TABLE:
        out.append(_table(element, labels))
    elif tag in _SECTIONS:
        _blocks(element, out, labels, list_key, list_style, level)


def _paragraph(p: etree._Element, out: list[Block], labels: ListLabels, label: str) -> None:
    parts: list[str] = []
    boxes: list[etree._Element] = []
    _inline(p, parts, boxes)
    text = "".join(parts).strip(" ")
    if label:
        text = f"{label} {text}" if text else label
    out.append(text)
    for box in boxes:
        _blocks(box, out, labels, None, None, 0)


def _inline(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    if element.text:
        parts.append(_SPACE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP:
            if tag == _t("s"):
                parts.append(" " * max(1, _int(child.get(_t("c")), 1)))
            elif tag == _t("tab"):
                parts.append("\t")
            elif tag == _t("line-break"):
                parts.append("\n")
            elif tag == _TEXT_BOX:
                boxes.append(child)
            elif tag == _FRAME:
                boxes.extend(child.iter(_TEXT_BOX))
            else:
                _inline(child, parts, boxes)
        if child.tail:
            parts.append(_SPACE.sub(" ", child.tail))


def _table(table: etree._Element, labels: ListLabels) -> TableBlock:
    rows: list[tuple[CellBlock, ...]] = []
    for row in _rows(table):
        cells: list[tuple[CellBlock, bool]] = []  # with whether it only repeats an empty cell
        for cell in row:
            if cell.tag != _CELL:  # a covered cell is the merged cell before it
                continue
            parts: list[Block] = []
            _blocks(cell, parts, labels, None, None, 0)
            text = "\n".join(line for part in parts for line in _cell_strings(part))
            col_span = max(1, _int(cell.get(_tb("number-columns-spanned")), 1))
            row_span = max(1, _int(cell.get(_tb("number-rows-spanned")), 1))
            repeat = min(_MAX_REPEAT, max(1, _int(cell.get(_tb("number-columns-repeated")), 1)))
            cells.extend([(CellBlock(text, col_span, row_span), repeat > 1 and not text)] * repeat)
        while cells and cells[-1][1]:
            cells.pop()  # the empty cells a repeated column leaves at the end of a row
        rows.append(tuple(cell for cell, _ in cells))
    return TableBlock(tuple(rows))


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == _ROW:
            repeat = min(_MAX_REPEAT, max(1, _int(child.get(_tb("number-rows-repeated")), 1)))
            rows.extend([child] * repeat)
        elif child.tag in _ROW_GROUPS:
            rows.extend(_rows(child))
    return rows


def _cell_strings(block: Block) -> list[str]:
    if isinstance(block, TableBlock):  # a table nested in a cell: its cells in reading order
        return [cell.text for row in block.rows for cell in row if cell.text]
    return [line.strip() for line in block.split("\n") if line.strip()]


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
