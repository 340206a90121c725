"""Word's automatic numbering: the label ("I.", "1.", "1.1.", "a)", "-") a list paragraph shows.

Word keeps list labels out of the paragraph text: w:numPr (w:numId, w:ilvl), on the
paragraph or on its style (through w:basedOn), names a w:num in numbering.xml. The w:num
points at a w:abstractNum whose levels (w:lvl) give the start value, the format
(w:numFmt) and the template (w:lvlText: "%1.", "%1.%2.", "%2)"); it may override levels
(w:lvlOverride with w:startOverride or a whole w:lvl). Counters belong to the abstract
list, as in Word: two w:num sharing an abstractNum continue one sequence unless the
second restarts it with a startOverride. Using a level restarts the deeper ones, unless
their w:lvlRestart says otherwise. Bullets become "-" ("+" stays "+"), the marks a typed
list uses, so the parser sees the document's hierarchy either way.

Pure over the parsed XML: `Numbering` is built from the numbering and styles elements
that docx.py hands it and asked for labels in document order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

_VAL = qn("w:val")
_LEVELS = 9
_PLACEHOLDER = re.compile("%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_FALSE = frozenset({"0", "false", "off"})


@dataclass(frozen=True, slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""  # no w:lvlText: the level shows no label
    restart: int | None = None  # w:lvlRestart; None: restart after any shallower level
    legal: bool = False  # w:isLgl: every level shown in decimal
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to


@dataclass(frozen=True, slots=True)
class _Num:
    abstract: str | None
    levels: dict[int, _Level]  # whole levels replaced by w:lvlOverride/w:lvl
    starts: dict[int, int]  # w:lvlOverride/w:startOverride


def _val(element: etree._Element | None, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(_VAL) if child is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _ilvl(value: str | None) -> int | None:
    number = _int(value)
    return None if number is None else min(max(number, 0), _LEVELS - 1)


def _level(lvl: etree._Element) -> _Level:
    legal = lvl.find(qn("w:isLgl"))
    start = _int(_val(lvl, "w:start"))
    return _Level(
        start=0 if start is None else start,  # Word counts from 0 when w:start is missing
        fmt=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "",
        restart=_int(_val(lvl, "w:lvlRestart")),
        legal=legal is not None and legal.get(_VAL, "1").lower() not in _FALSE,
        style=_val(lvl, "w:pStyle"),
    )


def _levels(parent: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in parent.iterfind(qn("w:lvl")):
        ilvl = _ilvl(lvl.get(qn("w:ilvl")))
        if ilvl is not None:
            levels[ilvl] = _level(lvl)
    return levels


def _num(num: etree._Element) -> _Num:
    levels: dict[int, _Level] = {}
    starts: dict[int, int] = {}
    for override in num.iterfind(qn("w:lvlOverride")):
        ilvl, start = _ilvl(override.get(qn("w:ilvl"))), _int(_val(override, "w:startOverride"))
        if ilvl is not None and start is not None:
            starts[ilvl] = start
        if ilvl is not None and override.find(qn("w:lvl")) is not None:
            levels[ilvl] = _level(override.find(qn("w:lvl")))
    return _Num(_val(num, "w:abstractNumId"), levels, starts)


def _num_pr(holder: etree._Element | None) -> tuple[str | None, int | None]:
    num_pr = holder.find(f"{qn('w:pPr')}/{qn('w:numPr')}") if holder is not None else None
    return _val(num_pr, "w:numId"), _ilvl(_val(num_pr, "w:ilvl"))


def format_number(value: int, fmt: str) -> str:
    """`value` shown in a w:numFmt; formats other than these show in decimal."""
    if fmt == "none":
        return ""
    if fmt == "decimalZero" and 0 <= value < 10:
        return f"0{value}"
    if fmt in ("lowerLetter", "upperLetter") and 0 < value <= 780:  # Word's letters: a … z, aa …
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        out = []
        for number, numeral in _ROMAN:
            count, value = divmod(value, number)
            out.append(numeral * count)
        return "".join(out) if fmt == "lowerRoman" else "".join(out).upper()
    return str(value)


class Numbering:
    """The numbering definitions of one document and the counters of its lists."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstracts: dict[str, tuple[dict[int, _Level], str | None]] = {}
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        self._default_style: str | None = None
        if numbering is not None:
            for abstract in numbering.iterfind(qn("w:abstractNum")):
                link = _val(abstract, "w:numStyleLink")
                self._abstracts[abstract.get(qn("w:abstractNumId"), "")] = (_levels(abstract), link)
            for num in numbering.iterfind(qn("w:num")):
                self._nums[num.get(qn("w:numId"), "")] = _num(num)
        if styles is not None:
            for style in styles.iterfind(qn("w:style")):
                style_id = style.get(qn("w:styleId"), "")
                self._styles[style_id] = (*_num_pr(style), _val(style, "w:basedOn"))
                if style.get(qn("w:type"), "paragraph") == "paragraph" and \
                        style.get(qn("w:default"), "0").lower() not in _FALSE:
                    self._default_style = style_id
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()

    def label(self, p: etree._Element) -> str | None:
        """The label Word shows before paragraph `p`, counting it; None if it has none."""
        num_id, ilvl = _num_pr(p)
        style = _val(p.find(qn("w:pPr")), "w:pStyle") or self._default_style
        current, seen = style, set()
        while (num_id is None or ilvl is None) and current is not None and current not in seen:
            seen.add(current)  # the paragraph's own w:numPr first, then its styles' (w:basedOn)
            style_num, style_ilvl, current = self._styles.get(current, (None, None, None))
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":
            return None
        found = self._resolve(num_id)
        if found is None:
            return None
        key, levels, starts = found
        if ilvl is None:  # a style linked to a level of a multilevel list (w:lvl/w:pStyle)
            ilvl = next((i for i, level in levels.items() if style and level.style == style), 0)
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(key, [None] * _LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted in starts:
                counters[restarted] = None
        start = {i: starts.get(i, level.start) for i, level in levels.items()}
        current_value = counters[ilvl]
        counters[ilvl] = start[ilvl] if current_value is None else current_value + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        level = levels[ilvl]
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return ("+" if glyph == "+" else "-") if glyph else None

        def shown(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            value = counters[i] if counters[i] is not None else start.get(i, 1)
            fmt = levels[i].fmt if i in levels else "decimal"
            return format_number(value, "decimal" if level.legal and fmt != "none" else fmt)

        return _PLACEHOLDER.sub(shown, level.text).strip() or None

    def _resolve(self, num_id: str) -> tuple[str, dict[int, _Level], dict[int, int]] | None:
        """The counters' key, the levels and the start overrides of list `num_id`."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        abstract_id, seen = num.abstract, set()
        while abstract_id in self._abstracts and abstract_id not in seen:
            seen.add(abstract_id)
            levels, link = self._abstracts[abstract_id]
            linked = self._nums.get(self._styles.get(link, (None,))[0] or "") if link else None
            if linked is None or linked.abstract is None:
                return abstract_id, {**levels, **num.levels}, num.starts
            abstract_id = linked.abstract  # w:numStyleLink: the list of a numbering style
        return None

