"""Dates as Vietnamese documents print them, on folded text.

`22/12/2024`, `22-12-2024`, `22.12.2024`, `ngày 22 tháng 12 năm 2024`, `15/6` (the year
is the document's), `tháng 3/2026`, `Quý I/2026`, `6 tháng đầu năm 2026`, `năm 2026`.
Pure functions: the year a bare `15/6` belongs to is passed in, never read from a clock.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Folded text: "ngày" → "ngay", "tháng" → "thang", "năm" → "nam", "quý" → "quy".
DAY = re.compile(
    r"(?<![\d/.-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.-])\s*(?P<m>[01]?\d)(?:\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d))?(?![\d/])"
    r"|(?:ngay\s+)?(?P<d2>[0-3]?\d)\s+thang\s+(?P<m2>[01]?\d)(?:\s+nam\s+(?P<y2>(?:19|20)\d\d))?")
MONTH = re.compile(r"thang\s+(?P<m>[01]?\d)\s*(?:/|-|nam)\s*(?P<y>(?:19|20)\d\d)")
BARE_MONTH = re.compile(r"(?<![\d/])(?P<m>[01]?\d)\s*/\s*(?P<y>(?:19|20)\d\d)(?![\d/])")
QUARTER = re.compile(r"quy\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:/|-|nam)\s*(?P<y>(?:19|20)\d\d)")
HALF = re.compile(r"(?P<n>6|sau)\s+thang\s+(?P<which>dau|cuoi)\s+nam\s+(?P<y>(?:19|20)\d\d)")
YEAR = re.compile(r"(?:nam\s+)?(?P<y>(?:19|20)\d\d)(?![\d/])")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    date: str | None  # ISO day when there is one
    period: tuple[str, str]  # first and last day the expression covers


def iso_day(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def month_period(year: int, month: int) -> tuple[str, str]:
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def match_day(folded: str, pos: int, default_year: int | None) -> DateMatch | None:
    """A full day date starting at `pos` (after optional spaces)."""
    found = DAY.match(folded, pos)
    if not found:
        return None
    if found.group("d") is not None:
        day, month, year = int(found.group("d")), int(found.group("m")), found.group("y")
    else:
        day, month, year = int(found.group("d2")), int(found.group("m2")), found.group("y2")
    if year is None and default_year is None:
        return None
    iso = iso_day(int(year) if year else default_year, month, day)  # type: ignore[arg-type]
    if not iso:
        return None
    return DateMatch(found.start(), found.end(), iso, (iso, iso))


def match_period(folded: str, pos: int) -> DateMatch | None:
    """A month, quarter, half-year or year starting at `pos`."""
    found = MONTH.match(folded, pos)
    if found and 1 <= int(found.group("m")) <= 12:
        year, month = int(found.group("y")), int(found.group("m"))
        return DateMatch(found.start(), found.end(), None, month_period(year, month))
    found = QUARTER.match(folded, pos)
    if found:
        q = found.group("q")
        quarter = ROMAN.get(q) or int(q)
        year = int(found.group("y"))
        return DateMatch(found.start(), found.end(), None,
                         (month_period(year, 3 * quarter - 2)[0], month_period(year, 3 * quarter)[1]))
    found = HALF.match(folded, pos)
    if found:
        year = int(found.group("y"))
        first = found.group("which") == "dau"
        return DateMatch(found.start(), found.end(), None,
                         (f"{year}-01-01", f"{year}-06-30") if first else (f"{year}-07-01", f"{year}-12-31"))
    found = BARE_MONTH.match(folded, pos)
    if found and 1 <= int(found.group("m")) <= 12:
        year, month = int(found.group("y")), int(found.group("m"))
        return DateMatch(found.start(), found.end(), None, month_period(year, month))
    found = YEAR.match(folded, pos)
    if found:
        year = int(found.group("y"))
        return DateMatch(found.start(), found.end(), None, (f"{year}-01-01", f"{year}-12-31"))
    return None


ISSUE_DATE = re.compile(
    r"ngay\s*(?P<d>[0-3]?\d)?[\s._]*thang\s*(?P<m>[01]?\d)?[\s._]*nam\s*(?P<y>(?:19|20)\d\d)")


def parse_issue_date(folded: str) -> tuple[str | None, int, int] | None:
    """The date of a place-date line: "2025-06-25", or "2025-12" / "2026" when left blank."""
    found = ISSUE_DATE.search(folded)
    if not found:
        return None
    year = int(found.group("y"))
    month = int(found.group("m")) if found.group("m") else None
    day = int(found.group("d")) if found.group("d") else None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}", found.start(), found.end()
    if day is None:
        return f"{year:04d}-{month:02d}", found.start(), found.end()
    return iso_day(year, month, day) or f"{year:04d}-{month:02d}", found.start(), found.end()
