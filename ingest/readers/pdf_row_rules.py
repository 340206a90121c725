"""Tables ruled between their rows only, no rules between the columns, in a PDF page.

Some plans draw their appendix with horizontal rules alone (Word's "horizontal borders"
style). pdfplumber's finder needs vertical rules or guesses columns from every gap between
words, which cuts cells apart; here the columns are the gaps most rows of the table leave
free of words (a group row merged across crosses them; most rows do not), plus the
header's own gaps over a column most rows leave empty ("Ghi chú"). A rule with a hole under
a column continues the cell above it (merged over rows); a row whose text runs across a
column boundary merges the cells on both sides (a group row). The first and last rows,
when no rule closes them, end with the lines beside them that keep to the columns.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from pdfplumber.page import Page

_COLUMN_GAP = 4.0  # points: wider than a space in body sizes, narrower than two cell paddings
_MOSTLY = 0.75  # share of a width: a word "in" a column, a column "closed" by a rule
_MOST_ROWS = 0.7  # share of the rows that must leave a gap free for it to be a column boundary
_TOLERANCE = 1.5  # points: an edge this close to a boundary sits on it
# A horizontal rule counts when its segments together run across this share of the page.
_LONG_RULE = 0.4

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class FoundTable:
    """A table found on the page: its box, each row's cell boxes by grid column (None where a
    merged cell covers the position) and each cell's text."""

    bbox: Box
    rows: list[list[Box | None]]
    texts: list[list[str | None]]
    tops: list[float]  # where each row starts


def find_row_ruled_table(page: Page) -> FoundTable | None:
    """The page's table ruled between its rows only, None if it has none."""
    rules = _long_rules(page)
    if len(rules) < 3:
        return None
    left = min(segments[0][0] for segments in rules.values())
    right = max(segments[-1][1] for segments in rules.values())
    edges = sorted(rules)
    columns = _text_columns(page, left, right, edges)
    if len(columns) < 4:  # three columns at least: a number, a task and a lead or deadline
        return None
    edges = sorted([*edges, *_open_edges(page, edges, columns)])
    columns = _text_columns(page, left, right, edges, header=(edges[0], edges[1]))
    found = _rows_ruled_table(page, edges, columns, rules)
    return found if found is not None and len(found.rows) >= 2 else None


def _long_rules(page: Page) -> dict[float, list[tuple[float, float]]]:
    """Horizontal rules by their height on the page, as joined segments (x0, x1): those whose
    segments together run across most of the page. A rule broken under a cell merged down
    over the rows is still one rule, with a hole there."""
    lines: dict[float, list[tuple[float, float]]] = {}
    for edge in sorted(page.horizontal_edges, key=lambda e: e["top"]):
        top = next((t for t in lines if abs(t - edge["top"]) <= _TOLERANCE), round(edge["top"], 1))
        lines.setdefault(top, []).append((edge["x0"], edge["x1"]))
    width = float(page.width)
    out: dict[float, list[tuple[float, float]]] = {}
    for top, segments in lines.items():
        joined: list[list[float]] = []
        for x0, x1 in sorted(segments):
            if joined and x0 <= joined[-1][1] + _TOLERANCE:
                joined[-1][1] = max(joined[-1][1], x1)
            else:
                joined.append([x0, x1])
        if sum(x1 - x0 for x0, x1 in joined) >= _LONG_RULE * width:
            out[top] = [(x0, x1) for x0, x1 in joined]
    return out


def _text_columns(page: Page, left: float, right: float, edges: list[float],
                  header: tuple[float, float] | None = None) -> list[float]:
    """Column boundaries of a table ruled only across: its sides and the gaps that most rows
    leave free of words (a group row merged across the table crosses them; most rows do not),
    and the header's own gaps over columns that most rows leave empty ("Ghi chú")."""
    steps = int(right - left)
    bands = [_covered(page, (left, top, right, bottom), steps) for top, bottom in itertools.pairwise(edges)]
    bands = [band for band in bands if any(band)]
    if not bands:
        return []
    free = [sum(not band[x] for band in bands) >= _MOST_ROWS * len(bands) for x in range(steps)]
    boundaries = _gaps(free)
    if header is not None:
        heading = _covered(page, (left, header[0], right, header[1]), steps)
        boundaries += [x for x in _gaps([f and not h for f, h in zip(free, heading, strict=True)])
                       if all(abs(x - b) > 2 * _COLUMN_GAP for b in boundaries)]
    return [left, *sorted(left + x for x in boundaries), right]


def _covered(page: Page, box: tuple[float, float, float, float], steps: int) -> list[bool]:
    """For each point across the box, whether a word of the box covers it."""
    covered = [False] * steps
    for word in page.within_bbox(box).extract_words():
        for x in range(max(0, int(word["x0"] - box[0])), min(steps, int(word["x1"] - box[0]) + 1)):
            covered[x] = True
    return covered


def _gaps(free: list[bool]) -> list[float]:
    """Runs of free points at least a column gap wide, not touching the sides, each placed just
    before its end: text sits at the left of its cell, so a column starts where its words
    start, and ends wherever its longest line does."""
    out: list[float] = []
    x = 0
    while x < len(free):
        if not free[x]:
            x += 1
            continue
        run = x
        while x < len(free) and free[x]:
            x += 1
        if run > 0 and x < len(free) and x - run >= _COLUMN_GAP:
            out.append(x - _COLUMN_GAP / 2)
    return out


def _rows_ruled_table(page: Page, edges: list[float], columns: list[float],
                      rules: dict[float, list[tuple[float, float]]]) -> FoundTable | None:
    """The table between `edges` and `columns`. A cell runs down while the rule under it has a
    hole there (merged over rows); in a row whose text runs across a column boundary (a group
    row merged across), the cells on both sides are one."""
    n_rows, n_cols = len(edges) - 1, len(columns) - 1
    if n_rows < 2:
        return None
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}  # (row, col) → (row, col, rows, cols)
    for c in range(n_cols):
        r = 0
        while r < n_rows:
            end = r + 1
            while end < n_rows and not _ruled(rules.get(edges[end]), columns[c], columns[c + 1]):
                end += 1
            for k in range(r, end):
                owner[(k, c)] = (r, c, end - r, 1)
            r = end
    for r in range(n_rows):
        band = page.within_bbox((columns[0], edges[r], columns[-1], edges[r + 1]))
        for c in _crossed(band.extract_words(), columns):
            left, right = owner[(r, c - 1)], owner[(r, c)]
            if left[2] == right[2] == 1:
                start = left[1]
                merged = (r, start, 1, left[3] + right[3])
                for k in range(start, start + merged[3]):
                    owner[(r, k)] = merged
    rows: list[list[tuple[float, float, float, float] | None]] = []
    texts: list[list[str | None]] = []
    for r in range(n_rows):
        boxes: list[tuple[float, float, float, float] | None] = []
        row_texts: list[str | None] = []
        for c in range(n_cols):
            o_row, o_col, o_rows, o_cols = owner[(r, c)]
            if (o_row, o_col) != (r, c):
                boxes.append(None)
                row_texts.append(None)
                continue
            box = (columns[c], edges[r], columns[c + o_cols], edges[r + o_rows])
            boxes.append(box)
            row_texts.append(text_in(page, box))
        rows.append(boxes)
        texts.append(row_texts)
    return FoundTable((columns[0], edges[0], columns[-1], edges[-1]), rows, texts, edges[:-1])


def _ruled(segments: list[tuple[float, float]] | None, x0: float, x1: float) -> bool:
    """Whether a rule closes the column [x0, x1) (an edge the table was given is ruled everywhere)."""
    if segments is None:
        return True
    covered = sum(max(0.0, min(b, x1) - max(a, x0)) for a, b in segments)
    return covered >= _MOSTLY * (x1 - x0)


def _crossed(words: list[dict[str, Any]], columns: list[float]) -> list[int]:
    """Indexes of the inner boundaries that a word, or a space between two words, runs across."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for word in words:
        lines.setdefault(round(word["top"] / 2), []).append(word)
    crossed = []
    for i, x in enumerate(columns[1:-1], start=1):
        for line in lines.values():
            ordered = sorted(line, key=lambda w: w["x0"])
            if any(w["x0"] < x - _TOLERANCE and w["x1"] > x + _TOLERANCE for w in ordered) or any(
                    a["x1"] <= x + _TOLERANCE and b["x0"] >= x - _TOLERANCE and b["x0"] - a["x1"] < _COLUMN_GAP
                    for a, b in itertools.pairwise(ordered)):
                crossed.append(i)
                break
    return crossed


def _open_edges(page: Page, edges: list[float], columns: list[float]) -> list[float]:
    """Where the first and last rows end when no rule closes them ("rules between rows"):
    the lines just outside the rules, nearest first, while their words keep to the columns."""
    tops = edges
    reach = 1.5 * max(b - a for a, b in itertools.pairwise(tops))
    left, right = columns[0], columns[-1]
    edges = []
    for outer, sign in ((tops[0], -1), (tops[-1], 1)):
        box = (left, max(0.0, outer - reach), right, outer) if sign < 0 else \
            (left, outer, right, min(float(page.height), outer + reach))
        lines: dict[int, list[dict[str, Any]]] = {}
        for word in page.within_bbox(box).extract_words():
            lines.setdefault(round(word["top"] / 2), []).append(word)
        kept: list[dict[str, Any]] = []
        for key in sorted(lines, reverse=sign < 0):
            line = lines[key]
            height = max(w["bottom"] - w["top"] for w in line)
            near = outer if not kept else (min(w["top"] for w in kept) if sign < 0 else max(w["bottom"] for w in kept))
            far = max(w["bottom"] for w in line) if sign < 0 else min(w["top"] for w in line)
            if abs(near - far) > height or not _keeps_to_columns(columns, line):
                break  # a page number above, a paragraph or a title across the columns: outside the table
            kept.extend(line)
        if len({_column_of(columns, w) for w in kept}) >= 2:
            edges.append(min(w["top"] for w in kept) - 1 if sign < 0 else max(w["bottom"] for w in kept) + 1)
    return edges


def _keeps_to_columns(columns: list[float], line: list[dict[str, Any]]) -> bool:
    """Each word in one column, and words side by side in two columns apart by more than a space."""
    words = sorted(line, key=lambda w: w["x0"])
    placed = [_column_of(columns, w) for w in words]
    if None in placed:
        return False
    return all(a == b or nxt["x0"] - word["x1"] >= _COLUMN_GAP
               for word, nxt, a, b in zip(words, words[1:], placed, placed[1:], strict=False))


def _column_of(columns: list[float], word: dict[str, Any]) -> int | None:
    """The column holding most of the word (a header word may overhang the data's gap a little)."""
    width = max(word["x1"] - word["x0"], 0.1)
    for i, (a, b) in enumerate(itertools.pairwise(columns)):
        if (min(b, word["x1"]) - max(a, word["x0"])) >= _MOSTLY * width:
            return i
    return None


def text_in(page: Page, box: tuple[float, float, float, float]) -> str:
    """The text of the characters centred in `box` (a word may overhang the gap between columns)."""
    near = page.within_bbox((max(0.0, box[0] - _COLUMN_GAP), box[1], min(float(page.width), box[2] + _COLUMN_GAP),
                             box[3]))
    return near.filter(lambda obj: obj.get("object_type") != "char" or inside(obj, [box])).extract_text()


def inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)
