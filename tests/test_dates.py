"""ingest/parse/dates.py: the date grammar, one row per printed form.

The functions work on folded text (lower case, no diacritics), as every matcher does, so
each row is folded first; a row printed without diacritics folds to the same string and
needs no variant of its own. A day without a year takes the year it is given and never
one read from a clock; the period of a month, quarter, half-year or year runs from its
first to its last day.
"""
from __future__ import annotations

import pytest

from ingest.fold import fold
from ingest.parse.dates import iso_day, match_day, match_period, month_period, parse_issue_date

# --- days: (printed, year of the document, ISO day or None) ----------------------------------

DAYS = [
    pytest.param("25/01/2026", None, "2026-01-25", id="day_slash"),
    pytest.param("5/3/2026", None, "2026-03-05", id="day_slash_single_digits"),
    pytest.param("15-7-2025", None, "2025-07-15", id="day_dash"),
    pytest.param("30.9.2025", None, "2025-09-30", id="day_dot"),
    pytest.param("25 / 01 / 2026", None, "2026-01-25", id="day_slash_spaced"),
    pytest.param("ngày 20 tháng 8 năm 2025", None, "2025-08-20", id="day_words"),
    pytest.param("ngày 05 tháng 3 năm 2026", None, "2026-03-05", id="day_words_zero_padded"),
    pytest.param("ngay 20 thang 8 nam 2025", None, "2025-08-20", id="day_words_stripped"),
    pytest.param("15/6", 2026, "2026-06-15", id="day_without_year_takes_document_year"),
    pytest.param("ngày 15 tháng 6", 2025, "2025-06-15", id="day_words_without_year_takes_document_year"),
    pytest.param("15/6", None, None, id="day_without_year_and_no_document_year"),
    pytest.param("29/02/2024", None, "2024-02-29", id="leap_day"),
    pytest.param("29/02/2025", None, None, id="no_leap_day"),
    pytest.param("31/4/2026", None, None, id="day_past_month_end"),
    pytest.param("12/2024", 2026, None, id="month_year_is_not_a_day"),
    pytest.param("2025-2030", 2026, None, id="year_range_is_not_a_day"),
]


@pytest.mark.parametrize(("printed", "year", "expected"), DAYS)
def test_match_day(printed: str, year: int | None, expected: str | None) -> None:
    found = match_day(fold(printed), 0, year)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.date, found.period) == (expected, (expected, expected))
    assert printed[found.start:found.end] == printed  # the whole expression, nothing more


def test_match_day_starts_at_the_position_given() -> None:
    text = "chậm nhất ngày 30/6/2025"
    found = match_day(fold(text), text.index("30"), None)
    assert found is not None and found.date == "2025-06-30"
    assert text[found.start:found.end] == "30/6/2025"


# --- periods: (printed, first day, last day) -------------------------------------------------

PERIODS = [
    pytest.param("tháng 3/2026", ("2026-03-01", "2026-03-31"), id="month_slash"),
    pytest.param("tháng 02/2024", ("2024-02-01", "2024-02-29"), id="month_leap_february"),
    pytest.param("tháng 6-2025", ("2025-06-01", "2025-06-30"), id="month_dash"),
    pytest.param("tháng 12 năm 2025", ("2025-12-01", "2025-12-31"), id="month_words"),
    pytest.param("Tháng 11/2025", ("2025-11-01", "2025-11-30"), id="month_capitalised"),
    pytest.param("3/2026", ("2026-03-01", "2026-03-31"), id="bare_month"),
    pytest.param("Quý I/2026", ("2026-01-01", "2026-03-31"), id="quarter_roman_slash"),
    pytest.param("Quý II năm 2025", ("2025-04-01", "2025-06-30"), id="quarter_roman_words"),
    pytest.param("quý III-2025", ("2025-07-01", "2025-09-30"), id="quarter_roman_dash"),
    pytest.param("Quý IV/2025", ("2025-10-01", "2025-12-31"), id="quarter_four"),
    pytest.param("quý 2 năm 2026", ("2026-04-01", "2026-06-30"), id="quarter_arabic_words"),
    pytest.param("Quý 3/2026", ("2026-07-01", "2026-09-30"), id="quarter_arabic_slash"),
    pytest.param("6 tháng đầu năm 2026", ("2026-01-01", "2026-06-30"), id="first_half"),
    pytest.param("6 tháng cuối năm 2025", ("2025-07-01", "2025-12-31"), id="second_half"),
    pytest.param("sáu tháng đầu năm 2026", ("2026-01-01", "2026-06-30"), id="first_half_in_words"),
    pytest.param("năm 2026", ("2026-01-01", "2026-12-31"), id="year_words"),
    pytest.param("2027", ("2027-01-01", "2027-12-31"), id="bare_year"),
]


@pytest.mark.parametrize(("printed", "period"), PERIODS)
def test_match_period(printed: str, period: tuple[str, str]) -> None:
    found = match_period(fold(printed), 0)
    assert found is not None
    assert (found.date, found.period) == (None, period)
    assert printed[found.start:found.end] == printed


@pytest.mark.parametrize("printed", [
    pytest.param("tháng 13/2026", id="month_thirteen"),
    pytest.param("tháng cao điểm", id="month_word_without_number"),
    pytest.param("quý khách", id="quarter_word_without_number"),
    pytest.param("năm học", id="year_word_without_number"),
])
def test_match_period_rejects(printed: str) -> None:
    assert match_period(fold(printed), 0) is None


# --- the date of a place-date line -----------------------------------------------------------

ISSUE_DATES = [
    pytest.param("Lai Châu, ngày 19 tháng 01 năm 2026", "2026-01-19", id="full"),
    pytest.param("Phong Thổ, ngày 5 tháng 3 năm 2026", "2026-03-05", id="single_digit_day"),
    pytest.param("Lai Chau, ngay 19 thang 01 nam 2026", "2026-01-19", id="stripped"),
    pytest.param("Lai Châu, ngày      tháng 01 năm 2026", "2026-01", id="blank_day"),
    pytest.param("Lai Châu, ngày     tháng     năm 2026", "2026", id="blank_day_and_month"),
    pytest.param("Lai Châu, ngày ... tháng ... năm 2026", "2026", id="dotted_blanks"),
    pytest.param("Lai Châu, ngày __ tháng 02 năm 2026", "2026-02", id="underscore_blank_day"),
    pytest.param("Lai Châu, ngày 31 tháng 02 năm 2026", "2026-02", id="impossible_day_keeps_month"),
]


@pytest.mark.parametrize(("line", "expected"), ISSUE_DATES)
def test_parse_issue_date(line: str, expected: str) -> None:
    parsed = parse_issue_date(fold(line))
    assert parsed is not None
    value, start, end = parsed
    assert value == expected
    assert fold(line[start:end]).startswith("ngay") and line[start:end].endswith("2026")


def test_parse_issue_date_without_a_date() -> None:
    assert parse_issue_date(fold("Kính gửi: Các sở, ban, ngành tỉnh")) is None


@pytest.mark.parametrize(("year", "month", "day", "expected"), [
    pytest.param(2026, 1, 25, "2026-01-25", id="valid"),
    pytest.param(2026, 13, 1, None, id="month_thirteen"),
    pytest.param(2026, 2, 29, None, id="not_a_leap_year"),
    pytest.param(2026, 6, 0, None, id="day_zero"),
])
def test_iso_day(year: int, month: int, day: int, expected: str | None) -> None:
    assert iso_day(year, month, day) == expected


def test_month_period_covers_the_whole_month() -> None:
    assert month_period(2025, 2) == ("2025-02-01", "2025-02-28")
    assert month_period(2025, 12) == ("2025-12-01", "2025-12-31")
