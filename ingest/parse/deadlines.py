"""Deadline phrases → ISO date, or a period for partial ones (deadline_phrases.yaml).

"trước ngày 25/01/2026" is a date; "trong tháng 3/2026", "Quý I/2026", "6 tháng đầu năm
2026", "trong năm 2026" keep the phrase with the period they stand for; "thường xuyên",
"hằng năm" are recurring. A day without a year ("trước 15/6") takes the document's
year, passed in: nothing here reads a clock.
"""
from __future__ import annotations

import re

from ..fold import fold_key
from ..records import Deadline, Period, Span
from ..vocab import Vocabulary, phrase_regex
from .context import DocText
from .dates import DAY, HALF, MONTH, QUARTER, match_day, match_period

_PERIOD_TRIGGER = re.compile(r"(?:(?:hoan\s+thanh|xong|cham\s+nhat)\s+)?(?:trong|truoc|vao|den\s+het|trong\s+thoi\s+gian)\s+$"
                             r"|(?:hoan\s+thanh|xong)\s+$")
_PERIOD_START = re.compile(r"tu\s+ngay\s+[0-3]?\d\s*[/.-]\s*[01]?\d")
_GLUE = re.compile(r"\s*(?::|la|là|vao)?\s*")
# "(?<!\w)(?:hoan thanh …|trong …|cham nhat …)", each branch testing the word start after its
# first letter: re then skips to the letters a match can start with (vocab.word_alternation).
_YEAR_TRIGGER = re.compile(r"(?:h(?<!\wh)oan\s+thanh\s+(?:trong\s+)?|t(?<!\wt)rong\s+|c(?<!\wc)ham\s+nhat\s+)"
                           r"nam\s+(?:19|20)\d\d(?!\d)")
# Every date and period the finder reads holds a digit: a stretch without one can only be recurring.
_DIGIT = re.compile(r"\d")
# "ngày 23 tháng 6 năm 2025": the month of a full date, not a month to finish in
_DAY_BEFORE = re.compile(r"(?:ngay\s+)?[0-3]?\d\s*$")


def loose_regex(phrases: list[str]) -> re.Pattern[str]:
    """A trigger as its consonant skeleton, for text OCR'd without a Vietnamese model:
    "trước ngày" read as "truéc ngay", "trudc ngay", "tru6c ngiy" keeps its consonants."""
    words = sorted({fold_key(p) for p in phrases if p.strip()}, key=len, reverse=True)
    alternatives = []
    for phrase in words:
        parts = [re.sub(r"[aeiouy]+", lambda _: r"[^\W_]{1,3}", re.escape(w)) for w in phrase.split(" ")]
        alternatives.append(r"\s+".join(parts))
    return re.compile(rf"(?<![\w&])(?:{'|'.join(alternatives)})(?![\w&])")


class DeadlineFinder:
    def __init__(self, vocab: Vocabulary):
        self.day_triggers = []
        self.loose_day_triggers = []
        self.recurring = None
        for entry in vocab.deadline_phrases:
            if entry["takes"] == "day":
                triggers = [t for t in entry["triggers"] if t]
                self.day_triggers.append(phrase_regex(triggers))
                # one-word skeletons ("tr_c") are too loose: keep phrases of two words or more
                self.loose_day_triggers.append(loose_regex([t for t in triggers if " " in t.strip()]))
            elif entry["takes"] == "none":
                self.recurring = phrase_regex(entry["triggers"])

    def find(self, doc: DocText, start: int, end: int, year: int | None, *, bare: bool = False) -> list[Deadline]:
        """Deadlines whose phrase lies in [start, end). `bare`: a table cell, where a
        date or period needs no trigger ("30/9/2025", "Quý III/2025")."""
        folded = doc.folded
        found: dict[int, Deadline] = {}
        if _DIGIT.search(folded, start, end) is None:
            return self._recurring(doc, start, end, found)
        patterns = self.day_triggers + (self.loose_day_triggers if doc.is_damaged else [])
        for pattern in patterns:
            for trigger in pattern.finditer(folded, start, end):
                glue = _GLUE.match(folded, trigger.end(), end)
                at = glue.end() if glue else trigger.end()
                day = match_day(folded, at, year)
                if day is None or day.end > end or day.start in found:
                    continue
                if _PERIOD_START.search(folded, max(start, trigger.start() - 40), trigger.start()):
                    continue  # "từ ngày 15/01 đến hết ngày 28/02/2026": how long, not by when
                # "trước ngày 15/6 hằng năm": a day without its year recurs, it is no one-time date
                has_year = re.search(r"(?:19|20)\d\d", folded[day.start:day.end]) is not None
                found[day.start] = Deadline(day.date if has_year else None, doc.text[trigger.start():day.end],
                                            Span(trigger.start(), day.end), Period(*day.period),
                                            not has_year)
        if bare and not found:
            day = match_day(folded, _skip_space(folded, start), year)
            if day and day.end <= end:
                found[day.start] = Deadline(day.date, doc.text[day.start:day.end], Span(day.start, day.end),
                                            Period(*day.period))
        exact_spans = [d.span for d in found.values()]
        for pattern in (MONTH, QUARTER, HALF):
            for match in pattern.finditer(folded, start, end):
                if any(s.start <= match.start() < s.end for s in exact_spans):
                    continue
                if pattern is MONTH and _DAY_BEFORE.search(folded, max(start, match.start() - 10), match.start()):
                    continue
                period = match_period(folded, match.start())
                if period:
                    # the phrase keeps its trigger, as a day deadline does: "hoàn thành trong Quý I/2026"
                    lead = _PERIOD_TRIGGER.search(folded, max(start, match.start() - 30), match.start())
                    begin = lead.start() if lead else match.start()
                    found.setdefault(match.start(), Deadline(None, doc.text[begin:period.end],
                                                             Span(begin, period.end), Period(*period.period)))
        for match in _YEAR_TRIGGER.finditer(folded, start, end):
            period = match_period(folded, folded.index("nam", match.start()) if "nam" in folded[match.start():match.end()] else match.start())
            if period and not any(d.span.start <= match.start() < d.span.end for d in found.values()):
                found.setdefault(match.start(), Deadline(None, doc.text[match.start():match.end()],
                                                         Span(match.start(), match.end()), Period(*period.period)))
        if bare and not found:
            period = match_period(folded, _skip_space(folded, start))
            if period and period.end <= end:
                found[period.start] = Deadline(None, doc.text[period.start:period.end],
                                               Span(period.start, period.end), Period(*period.period))
        return self._recurring(doc, start, end, found)

    def _recurring(self, doc: DocText, start: int, end: int, found: dict[int, Deadline]) -> list[Deadline]:
        if not found and self.recurring is not None:
            match = self.recurring.search(doc.folded, start, end)
            if match:
                found[match.start()] = Deadline(None, doc.text[match.start():match.end()],
                                                Span(match.start(), match.end()), None, True)
        return [found[k] for k in sorted(found)]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t(":
        pos += 1
    return pos


__all__ = ["DAY", "DeadlineFinder"]
