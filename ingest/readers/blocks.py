"""Lays out the paragraphs and tables a reader found as one text with table spans.

The .doc, .odt and HTML readers each walk their own format into the same blocks: a
paragraph (a string; "\\n" inside it is a line break) or a table of cells. Laying them out
here gives every format the DOCX reader's conventions: one line per paragraph line, one
line per data-table row with its cells separated by tabs (the task-table reader splits rows
on them), a layout table's cells as lines of their own (see is_layout), a blank line never repeated, Unicode in NFC, and each cell's span in the text.

Legacy font text (TCVN3, VNI) carries no font information in these formats, so the whole
document decides whether it is one, and the conversion runs before any offset is taken.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import UnreadableSource
from .legacy import convert_legacy_text, converted_warning, detect_legacy_encoding
from .source import SourceText, Table, TableCell

_CELL_SPACE = re.compile(r"\s+")
_DATA_HEADER_CELLS, _LAYOUT_COLS = 3, 4


@dataclass(frozen=True, slots=True)
class CellBlock:
    text: str
    col_span: int = 1
    row_span: int = 1


@dataclass(frozen=True, slots=True)
class TableBlock:
    rows: tuple[tuple[CellBlock, ...], ...]


Block = str | TableBlock


def assemble(blocks: list[Block], path: str, fmt: str, *, encoding: str | None = None,
             warnings: tuple[str, ...] = (), what: str | None = None) -> SourceText:
    """The SourceText of `blocks`; UnreadableSource when they hold no text."""
    found = list(warnings)
    key = detect_legacy_encoding("\n".join(_strings(blocks)))
    if key is not None:
        blocks = [_convert(block, key) for block in blocks]
        found.append(converted_warning(key))
    layout = _Layout()
    for block in blocks:
        if isinstance(block, TableBlock) and is_layout(block):
            for line in (line for row in block.rows for cell in row for line in cell.text.split("\n")):
                layout.line(unicodedata.normalize("NFC", line.strip()))
        elif isinstance(block, TableBlock):
            layout.table(block)
        else:
            for line in block.split("\n"):
                layout.line(unicodedata.normalize("NFC", line.rstrip()))
    text = layout.text()
    if not text.strip():
        raise UnreadableSource(path, f"{what or fmt.upper()} has no text")
    return SourceText(text=text, format=fmt, encoding=encoding, tables=tuple(layout.tables),
                      warnings=tuple(found))


def _strings(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            out.extend(cell.text for row in block.rows for cell in row)
        else:
            out.append(block)
    return out


def _convert(block: Block, key: str) -> Block:
    if isinstance(block, TableBlock):
        return TableBlock(tuple(
            tuple(CellBlock(convert_legacy_text(cell.text, key), cell.col_span, cell.row_span) for cell in row)
            for row in block.rows
        ))
    return convert_legacy_text(block, key)


def is_layout(block: TableBlock) -> bool:
    """A table that lays out blocks of lines (a header's issuer beside its motto), not data.

    The DOCX reader's first rules, on what these formats keep: a first row of three or more
    filled cells is a data header; one column, or at most four with a cell of several
    lines, is layout.
    """
    if not block.rows:
        return False
    if sum(1 for cell in block.rows[0] if cell.text.strip()) >= _DATA_HEADER_CELLS:
        return False
    width = max(sum(cell.col_span for cell in row) for row in block.rows)
    if width <= 1:
        return True
    return width <= _LAYOUT_COLS and any("\n" in cell.text.strip() for row in block.rows for cell in row)


class _Layout:
    def __init__(self) -> None:
        self._lines: list[str] = []
        self._next = 0
        self.tables: list[Table] = []

    def line(self, line: str) -> None:
        if not line.strip() and (not self._lines or not self._lines[-1].strip()):
            return  # a blank line after a blank line (or at the top) says nothing more
        self._append(line)

    def _append(self, line: str) -> int:
        start = self._next
        self._lines.append(line)
        self._next = start + len(line) + 1
        return start

    def table(self, block: TableBlock) -> None:
        cells: list[TableCell] = []
        taken: dict[tuple[int, int], bool] = {}  # grid slots filled by row spans from above
        start = end = -1
        n_cols = 0
        for r, row in enumerate(block.rows):
            texts = [unicodedata.normalize("NFC", _CELL_SPACE.sub(" ", cell.text).strip()) for cell in row]
            if not row:
                continue
            line = "\t".join(texts)
            offset = self._append(line)  # every row takes its line, even an empty one
            start, end = (offset if start < 0 else start), offset + len(line)
            col = 0
            for cell, text in zip(row, texts, strict=True):
                while taken.get((r, col)):
                    col += 1
                col_span, row_span = max(1, cell.col_span), max(1, cell.row_span)
                for dr in range(row_span):
                    for dc in range(col_span):
                        taken[(r + dr, col + dc)] = True
                cells.append(TableCell(text, offset, offset + len(text), r, col, row_span, col_span))
                offset += len(text) + 1
                col += col_span
            n_cols = max(n_cols, col)
        if cells:
            self.tables.append(Table(start=start, end=end, cells=tuple(cells), n_rows=len(block.rows),
                                     n_cols=n_cols))

    def text(self) -> str:
        return "\n".join(self._lines)
