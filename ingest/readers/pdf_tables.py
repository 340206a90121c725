"""Ruled tables in a PDF page's text layer, read as tables rather than as flowing text.

Plans exported from Word keep their appendix tables as drawn rules and text placed in the
cells; pdfplumber's text extraction reads such a row line by line across the cells, so
"Sở Khoa học và | Xây dựng kế hoạch …" comes out interleaved. `page_text` finds the
tables with pdfplumber's table finder (ruled grids; failing that, tables ruled between
their rows only, pdf_row_rules), takes their characters out of the page's
flowing text and puts each table back where it stood, one line per row and the cells
separated by tabs, as the DOCX reader writes a data table. So every table's text is in
the page text once, and every cell is recorded with its offsets in that text.

A cell merged over several rows or columns is one cell with its span; the grid positions
it covers below give an empty piece on their line (as a DOCX vMerge continuation does),
those it covers to the right give none. A page whose text has unmapped glyphs keeps
pdfplumber's own text and no tables: its characters cannot be placed reliably.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable

from .pdf_row_rules import FoundTable, find_row_ruled_table, inside
from .source import Table, TableCell

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
          "join_tolerance": 3, "intersection_tolerance": 3}
_UNCLEAN = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f]")
_TOLERANCE = 1.5  # points: a cell edge this close to a column or row boundary sits on it


def page_text(page: Page) -> tuple[str, tuple[Table, ...]]:
    """The page's text with its tables rendered row by row, and the tables (offsets in that text)."""
    plain = page.extract_text()  # layout off: lines as the text flows, no padding
    objects = page.objects
    if _UNCLEAN.search(plain) or not (objects.get("line") or objects.get("rect")):
        return plain, ()  # no rules drawn: no table to find (and most pages are spared the finder)
    try:
        found = _find_tables(page)
        if not found:
            return plain, ()
        return _render(page, found)
    # The tables only improve a text the page already has: whatever a damaged page makes the
    # table finder raise, the page keeps its flowing text.
    except Exception:  # noqa: BLE001
        return plain, ()


def place_tables(pages: Sequence[tuple[str, tuple[Table, ...]]], texts: Sequence[str],
                 page_starts: Sequence[int]) -> tuple[Table, ...]:
    """Page tables moved to offsets in the whole text; a page whose text was replaced since
    (OCR'd, emptied) loses its tables."""
    out: list[Table] = []
    for number, ((made_for, tables), text, start) in enumerate(zip(pages, texts, page_starts, strict=False),
                                                               start=1):
        if text != made_for:
            continue
        for table in tables:
            cells = tuple(TableCell(c.text, c.start + start, c.end + start, c.row, c.col, c.row_span, c.col_span)
                          for c in table.cells)
            out.append(Table(table.start + start, table.end + start, cells, table.n_rows, table.n_cols, number))
    return tuple(out)


def _find_tables(page: Page) -> list[FoundTable]:
    ruled = [t for t in page.find_tables(_RULED) if _is_grid(t, 2)]
    if ruled:
        return [FoundTable(tuple(t.bbox), [list(row.cells) for row in t.rows], t.extract(),
                           [r.bbox[1] for r in t.rows]) for t in ruled]
    found = find_row_ruled_table(page)
    return [found] if found is not None else []


def _is_grid(table: PlumberTable, min_cols: int) -> bool:
    rows = table.rows
    if len(rows) < 2 or max(len(r.cells) for r in rows) < min_cols:
        return False
    filled = sum(1 for row in table.extract() for text in row if text and text.strip())
    return filled >= 2 * min_cols


def _render(page: Page, found: list[FoundTable]) -> tuple[str, tuple[Table, ...]]:
    boxes = [t.bbox for t in found]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not inside(obj, boxes))
    items: list[tuple[float, int, Any]] = [(line["top"], 0, line["text"])
                                            for line in outside.extract_text_lines(return_chars=False)]
    items += [(table.bbox[1], 1, table) for table in found]
    items.sort(key=lambda item: (item[0], item[1]))
    lines: list[str] = []
    tables: list[Table] = []
    offset = 0
    for _, kind, item in items:
        if kind == 0:
            line = _clean(item)
            lines.append(line)
            offset += len(line) + 1
            continue
        rows, cells, width = _rows(item, offset)
        tables.append(Table(offset, offset + len("\n".join(rows)), tuple(cells), len(rows), width))
        lines.extend(rows)
        offset += len("\n".join(rows)) + 1
    return "\n".join(lines), tuple(tables)


def _rows(table: FoundTable, offset: int) -> tuple[list[str], list[TableCell], int]:
    """One line per row, cells separated by tabs, and the cells with offsets from `offset`."""
    texts = table.texts
    tops = table.tops
    xs = sorted({box[0] for row in table.rows for box in row if box is not None})
    lines: list[str] = []
    cells: list[TableCell] = []
    owners: list[tuple[int, int, int, int]] = []  # (row, col, rows spanned, columns spanned)
    for r, row in enumerate(table.rows):
        pieces: list[str] = []
        pos = offset
        for c, box in enumerate(row):
            if box is None:
                if any(o_row <= r < o_row + o_rows and o_col < c < o_col + o_cols
                       for o_row, o_col, o_rows, o_cols in owners if o_row == r):
                    continue  # covered by a cell merged from the left: no piece, as in DOCX
                pieces.append("")
                pos += 1
                continue
            x0, top, x1, bottom = box
            col = _index(xs, x0)
            col_span = max(1, sum(1 for x in xs if x0 - _TOLERANCE <= x < x1 - _TOLERANCE))
            row_span = max(1, sum(1 for t in tops if top - _TOLERANCE <= t < bottom - _TOLERANCE))
            owners.append((r, col, row_span, col_span))
            text = _clean(" ".join((texts[r][c] or "").split()))
            cells.append(TableCell(text, pos, pos + len(text), r, col, row_span, col_span))
            pieces.append(text)
            pos += len(text) + 1
        line = "\t".join(pieces)
        lines.append(line)
        offset += len(line) + 1
    return lines, cells, len(xs)


def _index(xs: list[float], x: float) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text)
