"""Tables as the task-table reader sees them: cells with offsets into the normalised text.

The readers give `source.Table`s whose offsets index the reader's text; normalisation
(NFC, trimmed lines, split header columns) moves text around, so `normalized_tables`
carries each cell through the same map `NormalizedText.to_source` reads backwards. A
plain-text source has no tables, only rows written with tabs: `tables_from_lines` turns
each run of such lines into a table of one cell per tab-separated piece, without spans
(a merged cell there is an empty one, and the reader guesses, see task_tables).
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ..normalize import NormalizedText
from ..readers.source import Table, TableCell
from .context import DocText, Line

# The normaliser splits a header-area line at its tab ("A\tCẢI CÁCH THỂ CHẾ" near the end of
# a short document): up to this many lines without a tab between two rows stay in the table.
_MAX_BRIDGE = 2


class _OffsetMap:
    """Reader offset → normalised offset, for the pieces normalisation copied unchanged."""

    def __init__(self, normalized: NormalizedText) -> None:
        self._origin = normalized.nfc_origin
        anchors = normalized.anchors
        ends = [a[0] for a in anchors[1:]] + [len(normalized.text)]
        copied = [(nfc, nfc + end - norm, norm) for (norm, nfc, was_copied), end in zip(anchors, ends, strict=True)
                  if was_copied]
        self._nfc_starts = [piece[0] for piece in copied]
        self._pieces = copied

    def _nfc(self, offset: int) -> int:
        return offset if self._origin is None else bisect.bisect_left(self._origin, offset)

    def start(self, offset: int) -> int:
        """Where text that starts at reader `offset` starts (the next copied piece if it was dropped)."""
        nfc = self._nfc(offset)
        i = bisect.bisect_right(self._nfc_starts, nfc) - 1
        if i >= 0 and nfc < self._pieces[i][1]:
            return self._pieces[i][2] + nfc - self._pieces[i][0]
        following = self._pieces[i + 1] if i + 1 < len(self._pieces) else None
        return following[2] if following else self._end_of(len(self._pieces) - 1)

    def end(self, offset: int) -> int:
        """Where text that ends at reader `offset` ends (the previous copied piece if it was dropped)."""
        nfc = self._nfc(offset)
        i = bisect.bisect_left(self._nfc_starts, nfc) - 1
        if i < 0:
            return self._pieces[0][2] if self._pieces else 0
        nfc_start, nfc_end, norm = self._pieces[i]
        return norm + min(nfc, nfc_end) - nfc_start

    def _end_of(self, i: int) -> int:
        if i < 0:
            return 0
        nfc_start, nfc_end, norm = self._pieces[i]
        return norm + nfc_end - nfc_start


def normalized_tables(normalized: NormalizedText, tables: Sequence[Table]) -> tuple[Table, ...]:
    """The reader's tables with every offset moved into the normalised text."""
    if not tables:
        return ()
    where = _OffsetMap(normalized)
    text = normalized.text
    out: list[Table] = []
    for table in tables:
        cells = []
        for cell in table.cells:
            start = where.start(cell.start)
            end = max(start, where.end(cell.end)) if cell.end > cell.start else start
            cells.append(TableCell(text[start:end], start, end, cell.row, cell.col, cell.row_span, cell.col_span))
        start = where.start(table.start)
        out.append(Table(start, max(start, where.end(table.end)), tuple(cells), table.n_rows, table.n_cols,
                         table.page))
    return tuple(out)


def tables_from_lines(doc: DocText, lines: Sequence[Line]) -> list[Table]:
    """Runs of lines written with tabs, from the first of `lines` on: one table per run.

    A run holds at least one line of three cells; the lines of one or two cells inside it
    are its group rows ("I\\tHoàn thiện thể chế").
    """
    if not lines:
        return []
    first = lines[0].start
    runs: list[list[Line]] = []
    current: list[Line] = []
    bridge: list[Line] = []  # lines without a tab inside a run: a group row split from its cells
    for line in doc.lines:
        if line.start < first:
            continue
        if "\t" in line.text:
            current.extend(bridge)
            current.append(line)
            bridge = []
        elif current and line.text.strip() and len(bridge) < _MAX_BRIDGE:
            bridge.append(line)
        else:
            if current:
                runs.append(current)
            current, bridge = [], []
    if current:
        runs.append(current)
    return [_table_of(run) for run in runs if any(line.text.count("\t") >= 2 for line in run)]


def _table_of(run: list[Line]) -> Table:
    cells: list[TableCell] = []
    width = 0
    for r, line in enumerate(run):
        pos = line.start
        pieces = line.text.split("\t")
        width = max(width, len(pieces))
        for c, piece in enumerate(pieces):
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            start = pos + lead
            cells.append(TableCell(text, start, start + len(text), r, c))
            pos += len(piece) + 1
    return Table(run[0].start, run[-1].end, tuple(cells), len(run), width)


@dataclass(frozen=True)
class Grid:
    """Which cell covers each (row, grid column) of a table, merged cells included."""

    table: Table
    at: dict[tuple[int, int], TableCell]
    rows: dict[int, list[TableCell]]

    @classmethod
    def of(cls, table: Table) -> Grid:
        at: dict[tuple[int, int], TableCell] = {}
        rows: dict[int, list[TableCell]] = {}
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            rows.setdefault(cell.row, []).append(cell)
            for r in range(cell.row, cell.row + max(1, cell.row_span)):
                for c in range(cell.col, cell.col + max(1, cell.col_span)):
                    at.setdefault((r, c), cell)
        return cls(table, at, rows)

    def cell(self, row: int, col: int | None) -> TableCell | None:
        """The cell covering (row, col), also one merged down from a row above."""
        return None if col is None else self.at.get((row, col))

    def own(self, row: int, col: int | None) -> TableCell | None:
        """The cell covering (row, col) only if it starts in this row."""
        found = self.cell(row, col)
        return found if found is not None and found.row == row else None

    def row_cells(self, row: int) -> list[TableCell]:
        """The cells that start in `row`, left to right."""
        return self.rows.get(row, [])
