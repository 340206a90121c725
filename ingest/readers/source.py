"""What every reader returns: the file's text plus where its pages and tables sit in it.

Offsets are indexes into `SourceText.text`, so `text[cell.start:cell.end] == cell.text`
holds for every table cell; later stages report spans against the same string.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..records import PageOrigin  # the record keeps it as the reader gives it


@dataclass(frozen=True, slots=True)
class TableCell:
    text: str
    start: int
    end: int
    row: int
    col: int  # grid column, so a row that starts after skipped columns keeps alignment
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    cells: tuple[TableCell, ...]
    n_rows: int
    n_cols: int
    page: int | None = None


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str  # the reader's text: lines separated by "\n"
    format: str  # "txt", "docx", "pdf"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "cp1258" … for txt
    page_starts: tuple[int, ...] = (0,)  # char offset where each page starts
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = ()
    sha256: str = ""  # of the bytes that were read, so the record names exactly what was parsed
    size: int = 0
    page_origins: tuple[PageOrigin, ...] = ()  # one per page when some were OCR'd; () means all "text"
