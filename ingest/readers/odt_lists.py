"""The labels ("1.", "a)", "II.", "-") of ODF lists, which the file leaves to its list styles.

A text:list names a list style (or inherits its outer list's); each level of the style is
numbered (style:num-format "1", "a", "A", "i", "I", with prefix, suffix, start value and
how many upper levels to show) or bulleted. Counters run per list and level: a deeper
level restarts when a shallower one counts, and a list that continues numbering
(text:continue-numbering, text:continue-list) keeps the counters of the list it continues.
Bullets become "-", as in the DOCX reader. Headings numbered through the outline style
(text:h with text:outline-level) count the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .docx_numbering import format_number

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_MAX_LEVEL = 10
_OUTLINE = "\x00outline"  # the key of the outline style's counters


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def _s(name: str) -> str:
    return f"{{{STYLE}}}{name}"


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str | None  # Word's format name, None for a bullet
    prefix: str
    suffix: str
    start: int
    display: int  # levels shown, 1 = this one only


def _levels(list_style: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for child in list_style:
        if not isinstance(child.tag, str):
            continue
        try:
            level = int(child.get(_t("level"), "1"))
            start = int(child.get(_t("start-value"), "1"))
            display = int(child.get(_t("display-levels"), "1"))
        except ValueError:
            continue
        if child.tag == _t("list-level-style-bullet"):
            levels[level] = _Level(None, "", "", 1, 1)
        elif child.tag in (_t("list-level-style-number"), _t("outline-level-style")):
            fmt = _FORMATS.get(child.get(_s("num-format"), ""))
            if fmt is None:  # an empty format: the level shows no number
                continue
            levels[level] = _Level(fmt, child.get(_s("num-prefix"), ""), child.get(_s("num-suffix"), ""),
                                   start, max(1, display))
    return levels


class ListLabels:
    """The list styles of one document (content.xml's automatic styles, then styles.xml)."""

    def __init__(self, *roots: etree._Element | None) -> None:
        self._styles: dict[str, dict[int, _Level]] = {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(_t("list-style")):
                self._styles.setdefault(style.get(_s("name"), ""), _levels(style))
            for outline in root.iter(_t("outline-style")):
                self._styles.setdefault(_OUTLINE, _levels(outline))
        self._counters: dict[str, list[int]] = {}  # list key → a counter per level
        self._last_by_style: dict[str, str] = {}
        self._list_ids = 0

    def open_list(self, list_element: etree._Element, style: str | None, outer_key: str | None) -> str:
        """The counter key of a text:list at top level (nested lists share their outer list's)."""
        if outer_key is not None:
            return outer_key
        continues = list_element.get(_t("continue-numbering")) == "true" or list_element.get(_t("continue-list"))
        if continues and style in self._last_by_style:
            return self._last_by_style[style]
        self._list_ids += 1
        key = f"list{self._list_ids}"
        self._counters[key] = [0] * (_MAX_LEVEL + 1)
        if style is not None:
            self._last_by_style[style] = key
        return key

    def label(self, key: str, style: str | None, level: int, start_override: int | None = None) -> str:
        """The label of the next item at `level` (1-based) of list `key`; "" when unnumbered."""
        levels = self._styles.get(style or "", {})
        entry = levels.get(level)
        if entry is None or not 1 <= level <= _MAX_LEVEL:
            return ""
        if entry.fmt is None:
            return "-"
        counters = self._counters.setdefault(key, [0] * (_MAX_LEVEL + 1))
        counters[level] = start_override if start_override is not None else (
            counters[level] + 1 if counters[level] else entry.start)
        for deeper in range(level + 1, _MAX_LEVEL + 1):
            counters[deeper] = 0
        shown = []
        for upper in range(max(1, level - entry.display + 1), level + 1):
            upper_entry = levels.get(upper)
            value = counters[upper] or (upper_entry.start if upper_entry else 1)
            shown.append(format_number(value, upper_entry.fmt if upper_entry and upper_entry.fmt else "decimal"))
        return f"{entry.prefix}{'.'.join(shown)}{entry.suffix}"

    def heading_label(self, level: int) -> str:
        return self.label(_OUTLINE, _OUTLINE, level)
