"""Task tables (appendices "PHỤ LỤC: DANH MỤC NHIỆM VỤ"): one task per row.

A table is a task table when its header names the usual columns in any wording and
order (ingest/vocab/table_columns.yaml): a task column and a lead or deadline column at
least. A header may take two rows ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"), may
follow a title row merged across the table, and may be followed by a row numbering the
columns ("(1) (2) (3)"). Below it:

- a group row ("I", "A", "II." in the number column with no lead, deadline or product;
  or one cell merged across the row, "I. HOÀN THIỆN THỂ CHẾ") opens a level of the
  hierarchy; a row numbered "1" with nothing but its text, whose next row is numbered
  below it ("1.1", "a", "-"), does too;
- every other row with text in the task column is a task: id "PL.<groups>.<number>",
  parent the innermost group, leads and supports found in their cells by the organisation
  finder, the first deadline of its deadline cell, the product cell kept as it is;
- a cell merged down over several rows (DOCX vMerge, a tall PDF cell) applies to each of
  them. Text sources carry no merges: there an empty lead cell takes the lead above it.

A table that continues another (a PDF table cut by the page, with or without its header
repeated; only a page number between them) goes on with the same columns and groups; a
first row without a number there is the rest of the row the page cut.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..fold import fold_key
from ..readers.source import Table, TableCell
from ..records import Deadline, Fact, OrgMention, Span, Task
from ..vocab import Vocabulary
from .context import DocText, Line
from .deadlines import DeadlineFinder
from .orgs import Locality, OrgFinder
from .table_grid import Grid, tables_from_lines

_ROMAN = re.compile(r"^(?:phan\s+|muc\s+)?(?P<label>[IVX]{1,5})$", re.IGNORECASE)
_LETTER = re.compile(r"^(?P<label>[A-Z])$")
_ARABIC = re.compile(r"^(?P<label>\d{1,3})$")
_MULTI = re.compile(r"^(?P<label>\d{1,3}(?:\.\d{1,3})+)$")
_LOWER = re.compile(r"^(?P<label>[a-zđ])$")
# "I. HOÀN THIỆN THỂ CHẾ", "A - Nhóm nhiệm vụ", "Phần II: …" in a row of one merged cell
_MARKED_TITLE = re.compile(r"^(?:(?:Phần|PHẦN|Mục|MỤC)\s+)?(?P<label>[IVX]{1,5}|[A-Z]|\d{1,2})\s*[.):\-–]\s*\S")
_BULLET = re.compile(r"^[-–+•*]$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_PAGE_NOISE = re.compile(r"^[\W_]*(?:trang\s*)?\d{0,3}(?:\s*/\s*\d{1,3})?[\W_]*$")
_DETAIL_ROLES = ("lead", "support", "deadline", "product")
_MAX_HEADER_LABEL = 90


@dataclass(frozen=True, slots=True)
class Columns:
    roles: dict[str, int]  # role (task, lead, …) → grid column
    labels: tuple[str, ...]  # folded header text per grid column: a repeated header equals it
    body_row: int  # first row under the header


@dataclass
class _State:
    """What runs on from one table to the next one that continues it."""

    columns: Columns | None = None
    prefix: str = "PL"
    groups: list[tuple[str, str]] = field(default_factory=list)  # (kind, label), outermost first
    tables_seen: int = 0
    end: int = 0  # where the last task table ended
    width: int = 0
    auto: dict[str, int] = field(default_factory=dict)  # parent → rows numbered by position
    carried_lead: tuple[OrgMention, ...] = ()


class TableTaskReader:
    def __init__(self, vocab: Vocabulary, finder: OrgFinder, deadlines: DeadlineFinder):
        self.vocab = vocab
        self.finder = finder
        self.deadlines = deadlines
        self.columns = vocab.table_columns

    def read(self, doc: DocText, lines: list[Line], year: int | None, locality: Locality | None,
             tables: Sequence[Table] = ()) -> list[Task]:
        """Tasks from the task tables among `tables`, or from the tab-separated `lines` of a text."""
        carry = not tables
        chosen = list(tables) if tables else tables_from_lines(doc, lines)
        state = _State()
        tasks: list[Task] = []
        ids: set[str] = set()
        for table in chosen:
            self._table(doc, Grid.of(table), state, tasks, ids, year, locality, carry)
        return tasks

    def row_spans(self, doc: DocText, lines: list[Line], tables: Sequence[Table] = ()) -> tuple[tuple[int, int], ...]:
        """Where the data tables sit ([start, end) in `doc.text`): their rows are no body items,
        a group row of one or two cells ("I\tHoàn thiện thể chế") included."""
        chosen = list(tables) if tables else tables_from_lines(doc, lines)
        return tuple((t.start, t.end) for t in chosen
                     if any(line.count("\t") >= 2 for line in doc.text[t.start:t.end].split("\n")))

    # -- header ------------------------------------------------------------------------
    def header(self, grid: Grid) -> Columns | None:
        """The task-table header in the first rows of `grid`, None if it has none."""
        table = grid.table
        for first in range(min(3, table.n_rows)):
            labels = self._labels(grid, [first])
            if not _is_task_header(self._roles(labels)):
                continue
            rows = [first]
            while len(rows) < 3 and rows[-1] + 1 < table.n_rows and self._continues_header(grid, rows[-1] + 1):
                rows.append(rows[-1] + 1)
            labels = self._labels(grid, rows)
            body = rows[-1] + 1
            if body < table.n_rows and _numbers_columns(grid, body):
                body += 1
            return Columns(self._roles(labels), tuple(labels), body)
        return None

    def _labels(self, grid: Grid, rows: list[int]) -> list[str]:
        labels = []
        for col in range(grid.table.n_cols):
            seen: list[TableCell] = []
            for row in rows:
                cell = grid.cell(row, col)
                if cell is not None and cell not in seen and cell.text.strip():
                    seen.append(cell)
            labels.append(fold_key(" ".join(c.text for c in seen)))
        return labels

    def role_of(self, label: str) -> str | None:
        """The column a folded header label names (number, task, lead …), None if none."""
        if not label or len(label) > _MAX_HEADER_LABEL:
            return None
        for role, (pattern, whole) in self.columns.items():
            if (pattern.fullmatch(label) if whole else pattern.search(label)):
                return role
        return None

    def _roles(self, labels: Sequence[str]) -> dict[str, int]:
        roles: dict[str, int] = {}
        for col, label in enumerate(labels):
            role = self.role_of(label)
            if role is not None and role not in roles:
                roles[role] = col
        return roles

    def _continues_header(self, grid: Grid, row: int) -> bool:
        """A second header row: every cell that starts in it names a column ("Chủ trì", "Phối hợp"),
        and it has two such cells or sits under a header cell spanning columns. (A lone title
        merged across, "NHIỆM VỤ TRỌNG TÂM", is a group row, though it reads like a header.)"""
        cells = [c for c in grid.row_cells(row) if c.text.strip()]
        if not cells or not all(self.role_of(fold_key(c.text)) is not None for c in cells):
            return False
        above = [grid.cell(row - 1, c.col) for c in cells]
        return len(cells) >= 2 or all(a is not None and a.col_span > 1 and a.row_span == 1 for a in above)

    # -- rows --------------------------------------------------------------------------
    def _table(self, doc: DocText, grid: Grid, state: _State, tasks: list[Task], ids: set[str],
               year: int | None, locality: Locality | None, carry: bool) -> None:
        table = grid.table
        columns = self.header(grid)
        follows = state.columns is not None and _only_page_noise(doc.text[state.end:table.start])
        if columns is not None and not (follows and columns.roles == state.columns.roles):
            state.tables_seen += 1
            state.prefix = "PL" if state.tables_seen == 1 else f"PL{state.tables_seen}"
            state.groups, state.auto, state.carried_lead = [], {}, ()
            state.columns, state.width = columns, table.n_cols
            continuing = False
        elif columns is None and follows and table.n_cols == state.width:
            columns = Columns(state.columns.roles, state.columns.labels, 0)
            if _numbers_columns(grid, 0):
                columns = Columns(columns.roles, columns.labels, 1)
            continuing = True
        elif columns is not None:
            continuing = True  # the header repeated on the next page
        else:
            return
        state.end = table.end
        roles = columns.roles
        cache: dict[tuple[int, int], tuple[OrgMention, ...]] = {}
        for row in range(columns.body_row, table.n_rows):
            if self._labels(grid, [row]) == list(columns.labels):
                continue  # the header again, inside one table
            number = _text(grid.own(row, roles.get("number")))
            task_cell = grid.own(row, roles["task"])
            task_text = _text(task_cell)
            group = self._group(grid, row, roles, number)
            if group is not None:
                kind, label = group
                kinds = [k for k, _ in state.groups]
                if kind in kinds:
                    del state.groups[kinds.index(kind):]
                state.groups.append((kind, label))
                state.carried_lead = ()
                continue
            if not task_text:
                continue
            lead = self._orgs(doc, _detail(grid, row, roles, "lead"), locality, cache)
            support = self._orgs(doc, _detail(grid, row, roles, "support"), locality, cache)
            deadline = self._deadline(doc, _detail(grid, row, roles, "deadline"), year)
            product = _product(doc, _detail(grid, row, roles, "product"))
            if continuing and row == columns.body_row and not number and tasks \
                    and tasks[-1].id.startswith(state.prefix + "."):
                tasks[-1] = _joined(doc, tasks[-1], task_cell, lead, support, deadline, product)
                continuing = False
                continue
            continuing = False
            if carry:
                if lead:
                    state.carried_lead = lead
                else:
                    lead = state.carried_lead
            ident, parent = self._ident(state, number, ids)
            span = doc.span(task_cell.start, task_cell.end)
            heading = state.groups[-1][1] if state.groups else None
            tasks.append(Task(ident, " ".join(doc.slice(span).split()), span, lead, support, deadline, False,
                              parent, heading, 0.85, product))

    def _group(self, grid: Grid, row: int, roles: dict[str, int], number: str) -> tuple[str, str] | None:
        """(kind, label) when the row opens a group of tasks, else None."""
        filled = [c for c in grid.row_cells(row) if c.text.strip()]
        details = any(_text(_detail(grid, row, roles, role, own=True)) for role in _DETAIL_ROLES)
        marker = _marker(number)
        if marker is not None and marker[0] in ("roman", "letter") and not details:
            return marker
        if len(filled) == 1 and (filled[0].col_span > 1 or number) and not details:
            found = _MARKED_TITLE.match(filled[0].text.strip())
            if found:
                return _marker(found.group("label")) or ("title", found.group("label"))
        if marker is not None and marker[0] == "arabic" and not details and not _covered(grid, row, roles):
            below = _text(grid.own(row + 1, roles.get("number"))) if row + 1 < grid.table.n_rows else ""
            under = _marker(below)
            if below and (under is None or under[0] in ("multi", "lower")) or _BULLET.match(below or "x"):
                return marker
        return None

    def _ident(self, state: _State, number: str, ids: set[str]) -> tuple[str, str | None]:
        groups = [label for _, label in state.groups]
        parent = ".".join([state.prefix, *groups]) if groups else None
        path = groups
        marker = _marker(number)
        if marker is not None and marker[0] == "multi":
            label = marker[1]
            if path and path[-1] == label.split(".")[0]:
                path = path[:-1]  # "1.2" under group "1" is 1.2, not 1.1.2
        elif marker is not None:
            label = marker[1]
        else:  # "-", "+" or nothing: numbered by position under its group
            key = ".".join(groups)
            state.auto[key] = state.auto.get(key, 0) + 1
            label = str(state.auto[key])
        ident = ".".join([state.prefix, *path, label])
        if ident in ids:
            n = 2
            while f"{ident}~{n}" in ids:
                n += 1
            ident = f"{ident}~{n}"
        ids.add(ident)
        return ident, parent

    def _orgs(self, doc: DocText, cell: TableCell | None, locality: Locality | None,
              cache: dict[tuple[int, int], tuple[OrgMention, ...]]) -> tuple[OrgMention, ...]:
        if cell is None or not cell.text.strip():
            return ()
        key = (cell.start, cell.end)
        if key not in cache:
            cache[key] = self._find_orgs(doc, cell.start, cell.end, locality)
        return cache[key]

    def _find_orgs(self, doc: DocText, start: int, end: int, locality: Locality | None) -> tuple[OrgMention, ...]:
        found = self.finder.find(doc, start, end, locality)
        if found:
            return tuple(found)
        # a cell the finder cannot split: the whole cell is one body
        span = doc.span(start, end)
        text = " ".join(doc.slice(span).split()).strip(" ,;.")
        if not text:
            return ()
        display, canonical = self.finder.names(text, locality)
        return (OrgMention(display, text, span, False, 0.6, canonical),)

    def _deadline(self, doc: DocText, cell: TableCell | None, year: int | None) -> Deadline | None:
        if cell is None or not cell.text.strip():
            return None
        found = self.deadlines.find(doc, cell.start, cell.end, year, bare=True)
        return found[0] if found else None


def _is_task_header(roles: dict[str, int]) -> bool:
    return "task" in roles and ("lead" in roles or "deadline" in roles)


def _numbers_columns(grid: Grid, row: int) -> bool:
    """A row numbering the columns under the header: "1 2 3 4 5 6" or "(1) (2) (3)"."""
    cells = [c for c in grid.row_cells(row) if c.text.strip()]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c.text.strip()) for c in cells) and \
        [int(c.text.strip("() ")) for c in cells] == list(range(int(cells[0].text.strip("() ")),
                                                                 int(cells[0].text.strip("() ")) + len(cells)))


def _only_page_noise(between: str) -> bool:
    """Only blank lines and page numbers ("2", "- 3 -", "Trang 4/7") between two tables."""
    lines = [line.strip() for line in between.split("\n") if line.strip()]
    return len(lines) <= 3 and all(len(line) <= 16 and _PAGE_NOISE.match(fold_key(line)) for line in lines)


def _marker(number: str) -> tuple[str, str] | None:
    """The kind and label of a number cell: ("roman", "II"), ("arabic", "3"), ("multi", "1.2") …"""
    text = number.strip().rstrip(".):").strip()
    if not text:
        return None
    for kind, pattern in (("multi", _MULTI), ("arabic", _ARABIC), ("roman", _ROMAN), ("letter", _LETTER),
                          ("lower", _LOWER)):
        found = pattern.match(text)
        if found:
            label = found.group("label")
            return kind, label.upper() if kind == "roman" else label
    return None


def _covered(grid: Grid, row: int, roles: dict[str, int]) -> bool:
    """Whether a detail cell of the row is merged down from a row above (the row shares its lead)."""
    for role in _DETAIL_ROLES:
        cell = _detail(grid, row, roles, role)
        if cell is not None and cell.row < row and cell.text.strip():
            return True
    return False


def _detail(grid: Grid, row: int, roles: dict[str, int], role: str, own: bool = False) -> TableCell | None:
    """The row's cell for `role`, unless it is the task's or the number's cell merged across."""
    cell = grid.own(row, roles.get(role)) if own else grid.cell(row, roles.get(role))
    if cell is None:
        return None
    for other in ("task", "number"):
        if other != role and cell is grid.cell(row, roles.get(other)):
            return None
    return cell


def _text(cell: TableCell | None) -> str:
    return " ".join(cell.text.split()) if cell is not None else ""


def _product(doc: DocText, cell: TableCell | None) -> Fact[str] | None:
    if cell is None or not cell.text.strip():
        return None
    span = doc.span(cell.start, cell.end)
    return Fact(" ".join(doc.slice(span).split()), span, 0.85)


def _joined(doc: DocText, task: Task, cell: TableCell, lead: tuple[OrgMention, ...],
            support: tuple[OrgMention, ...], deadline: Deadline | None, product: Fact[str] | None) -> Task:
    """The task whose row the page cut, with the rest of its cells from the next page."""
    rest = doc.span(cell.start, cell.end)
    text = f"{task.text} {' '.join(doc.slice(rest).split())}"
    if task.product and product:
        product = Fact(f"{task.product.value} {product.value}", Span(task.product.span.start, product.span.end),
                       task.product.confidence)
    else:
        product = task.product or product
    return Task(task.id, text, Span(task.span.start, rest.end), _union(task.lead, lead),
                _union(task.support, support), task.deadline or deadline, task.implicit_lead, task.parent_id,
                task.heading, task.confidence, product)


def _union(first: tuple[OrgMention, ...], second: tuple[OrgMention, ...]) -> tuple[OrgMention, ...]:
    names = {m.name for m in first}
    return first + tuple(m for m in second if m.name not in names)
