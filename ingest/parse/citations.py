"""References to other documents: number-symbol, kind, date, issuer and relation.

Every number-symbol in the text is a mention ("Nghị quyết số 57-NQ/TW, ngày 22/12/2024
của Bộ Chính trị", "các Nghị quyết số 03/NQ-CP và 71/NQ-CP", a bare "13/2023/NĐ-CP").
Mentions of one document merge into one citation; its relation is the strongest that
governs any mention (relations.yaml), the governing trigger being the nearest one
before the mention in its sentence. Documents named without a number ("Đề án Chuyển đổi
số trong các cơ quan đảng") are kept as named references.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fold import fold, fold_key
from ..records import Citation, Span
from ..vocab import Vocabulary, phrase_regex
from .context import DocText
from .dates import match_day
from .deadlines import loose_regex
from .orgs import Locality, OrgFinder
from .refs import REF, kind_of_type_code, split_ref

# Phrases that describe the cited document and relate to nothing ("ban hành kèm theo
# Nghị quyết số 71/NQ-CP"): they shadow the triggers inside them.
_NEUTRAL_PHRASES = ("ban hanh kem theo", "duoc ban hanh", "kem theo nghi quyet", "kem theo quyet dinh",
                    "kem theo ke hoach", "kem theo cong van")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZĐÀ-Ỹ\d])|\n")
_DATE_LEAD = re.compile(r"\s*[,(]?\s*(?:ban\s+hanh\s+|ky\s+)?(?:ngay\s+(?=\d{1,2}\s*[/.-]))?")
_ISSUER_LEAD = re.compile(r"\s*[,)]?\s*(?:cua|do)\s+")
_ISSUED_WITH = re.compile(r"(?:ban\s+hanh\s+)?kem\s+theo\s*$")
_LAW_TITLE = re.compile(r"(?<![\w])(?:bo\s+)?luat\s+[^,;.()]{2,60}?\s+so\s*$")
_NAMED = re.compile(r"(?<![\w])(Đề án|Luật|Bộ luật|Chiến lược|Chương trình|Kế hoạch|Nghị quyết|Quy hoạch|Đề tài|Dự án)"
                    r"\s+(?!số\b|So\b|so\b)(?=[A-ZĐ])")
_NAMED_STOP = re.compile(r"[,;.():\n]|\s(?:ngày|của|theo|đã|được|để|nhằm|trong năm|và các|và những|tại)\s")
_LIST_GAP = re.compile(r"\s*(?:,|;|va|hoac)\s*(?:so\s*)?")  # "Nghị quyết số 03/NQ-CP và 71/NQ-CP"
_SYMBOL_PARTS = re.compile(r"[-/]")
_NATIONAL_CODES = {"tw", "bcdtw", "vptw", "cp", "ttg", "vpcp", "qh15", "qh14", "qh13", "bkhcn", "btttt", "bnv", "btc"}


@dataclass
class _Mention:
    key: str
    ref: str
    kind: str | None
    kind_from_word: bool
    date: str | None
    issuer: str | None
    issuer_from_text: bool
    span: Span
    strength: int
    relation: str


@dataclass
class _Aggregate:
    mentions: list[_Mention] = field(default_factory=list)


class CitationParser:
    def __init__(self, vocab: Vocabulary, finder: OrgFinder):
        self.vocab = vocab
        self.finder = finder
        words = sorted(vocab.kind_by_word, key=len, reverse=True)
        body = "|".join(r"\s+".join(map(re.escape, w.split(" "))) for w in words)
        self.kind_before = re.compile(rf"(?<![\w])(?P<word>{body})\s*(?:so\s*[:.]?\s*)?$")
        # One alternation over every trigger, longest first, so one pass finds them all; the
        # matched phrase says which relation it triggers.
        self.trigger_of: dict[str, tuple[str, int]] = {}
        self.after_of: dict[str, tuple[str, int]] = {}
        for entry in vocab.relations:
            for phrase in entry["phrases"]:
                self.trigger_of.setdefault(fold_key(phrase), (entry["relation"], entry["strength"]))
            for phrase in entry.get("after_phrases", ()):
                self.after_of.setdefault(fold_key(phrase), (entry["relation"], entry["strength"]))
        for phrase in _NEUTRAL_PHRASES:
            self.trigger_of[phrase] = ("neutral", 0)
        self.triggers = phrase_regex(list(self.trigger_of))
        self.after_triggers = phrase_regex(list(self.after_of))
        # OCR without a Vietnamese model: the same triggers by their consonants ("Sira déi, bé sung")
        multiword = [p for p in self.trigger_of if " " in p]
        self.loose_triggers = loose_regex(multiword)
        self.loose_each = [(loose_regex([p]), self.trigger_of[p]) for p in sorted(multiword, key=len, reverse=True)]

    def parse(self, doc: DocText, own: Span | None, own_ref: str | None, subject: Span | None,
              locality: Locality | None, end: int, header_end: int | None = None) -> tuple[Citation, ...]:
        folded = doc.folded
        hits = self._trigger_positions(folded, damaged=doc.is_damaged)
        after_hits = self._trigger_positions(folded, after=True)
        mentions: list[_Mention] = []
        blockers: list[int] = []  # the spans of `mentions`, flat: kept as they grow, not rebuilt for each
        previous_end = -100
        previous_kind: str | None = None
        for found in REF.finditer(folded, 0, end):
            if own and found.start() < own.end and found.end() > own.start:
                continue
            printed = doc.text[found.start("sym"):found.end("sym")]
            if not _looks_like_symbol(printed):
                continue  # "2025-2030-Kinh tế": a range running into a word
            parts = split_ref(found.group("num"), found.group("sep"), printed, self.vocab)
            if not parts.ref:
                continue
            window = folded[max(0, found.start() - 60):found.start()]
            word = self.kind_before.search(window)
            kind = self.vocab.kind_by_word.get(fold_key(word.group("word"))) if word else None
            from_word = kind is not None
            gap = folded[previous_end:found.start()] if previous_end >= 0 else ""
            own_kind = kind_of_type_code(parts.type_code, self.vocab)
            if kind is None and previous_kind and _LIST_GAP.fullmatch(gap or "x") \
                    and own_kind in (None, previous_kind):
                kind, from_word = previous_kind, True  # "các Nghị quyết số 03/NQ-CP và 71/NQ-CP"
            if kind is None and _LAW_TITLE.search(window):
                kind, from_word = "luat", True  # "Luật Giao dịch điện tử số 20/2023/QH15"
            if kind is None:
                kind = kind_of_type_code(parts.type_code, self.vocab) or "cong_van"
            start = found.start() - (len(word.group(0)) if word else 0)
            date, after_date = self._date(folded, found.end())
            issuer, from_text = self._issuer(doc, after_date, locality)
            if issuer is None:
                issuer = self._issuer_from_code(parts.issuer_code, parts.type_code, locality)
            clause_start = subject.start if subject and subject.start <= found.start() < subject.end \
                else self._clause_start(doc.text, found.start())
            relation, strength = self._relation(hits, clause_start, start, blockers)
            if header_end is not None and start < header_end and _ISSUED_WITH.search(folded, max(0, start - 40), start):
                continue  # "(Ban hành kèm theo Quyết định số 15/QĐ-UBND …)": the plan's own decision
            after = self._after_relation(after_hits, found.end(), self._clause_end(doc.text, found.end()))
            if after and after[1] > strength:
                relation, strength = after
            mentions.append(_Mention(fold_key(parts.ref).replace(" ", "").upper(), parts.ref, kind, from_word,
                                     date, issuer, from_text, Span(start, found.end()), strength, relation))
            blockers.extend((start, found.end()))
            previous_end, previous_kind = found.end(), kind
        return tuple(self._merge(mentions, own_ref)) + tuple(self._named(doc, hits, end, subject))

    # -- pieces ------------------------------------------------------------------------
    def _trigger_positions(self, folded: str, after: bool = False,
                           damaged: bool = False) -> list[tuple[int, int, str, int]]:
        pattern, relation_of = (self.after_triggers, self.after_of) if after else (self.triggers, self.trigger_of)
        hits = [(m.start(), m.end(), *relation_of[" ".join(m.group(0).split())]) for m in pattern.finditer(folded)]
        if damaged and not after:
            seen = {h[0] for h in hits}
            for m in self.loose_triggers.finditer(folded):
                if m.start() not in seen:
                    relation = self._loose_relation(m.group(0))
                    if relation:
                        hits.append((m.start(), m.end(), *relation))
            hits.sort()
        return hits

    def _loose_relation(self, seen: str) -> tuple[str, int] | None:
        for pattern, relation in self.loose_each:
            if pattern.fullmatch(seen):
                return relation
        return None

    def _clause_start(self, text: str, pos: int) -> int:
        """Start of the sentence holding `pos`. A line break after ";" or "," does not end
        it: "Thực hiện Kế hoạch số …;\nCông văn số …" is one list governed by "Thực hiện"."""
        best = 0
        for found in _SENTENCE_END.finditer(text, max(0, pos - 600), pos):
            if found.group(0) == "\n" and text[:found.start()].rstrip(" ")[-1:] in (";", ","):
                continue
            best = found.end()
        return best

    def _clause_end(self, text: str, pos: int) -> int:
        found = _SENTENCE_END.search(text, pos)
        return found.start() if found else len(text)

    def _relation(self, hits: list[tuple[int, int, str, int]], clause_start: int, pos: int,
                  blockers: list[int] | None = None) -> tuple[str, int]:
        """The nearest trigger before `pos` in its clause. A trigger that changes a document
        (amends, replaces, repeals) governs only a mention close after it with no other
        reference between: in "Nghị quyết số 71/NQ-CP thay thế … Nghị quyết số 03/NQ-CP" it
        is 71 that replaces, not this document."""
        candidates = [h for h in hits if clause_start <= h[0] and h[1] <= pos]
        neutral = [(h[0], h[1]) for h in candidates if h[2] == "neutral"]
        candidates.sort(key=lambda h: (h[1], h[1] - h[0]), reverse=True)
        for start, end, relation, strength in candidates:
            if relation == "neutral" or any(a <= start and end <= b for a, b in neutral):
                continue  # "ban hành kèm theo": describes the cited document, relates to nothing
            if strength >= 6 and (pos - end > 60 or any(end <= b < pos or 0 <= start - b < 60
                                                        for b in blockers or ())):
                continue
            return relation, strength
        return "mentions", 0

    def _after_relation(self, hits, start: int, end: int) -> tuple[str, int] | None:
        for h_start, _, relation, strength in hits:
            if start <= h_start < end:
                return relation, strength
        return None

    def _date(self, folded: str, pos: int) -> tuple[str | None, int]:
        lead = _DATE_LEAD.match(folded, pos)
        at = lead.end() if lead else pos
        found = match_day(folded, at, None)
        if found and found.start - pos < 24:
            return found.date, found.end
        return None, pos

    def _issuer(self, doc: DocText, pos: int, locality: Locality | None) -> tuple[str | None, bool]:
        lead = _ISSUER_LEAD.match(doc.folded, pos)
        if not lead:
            return None, False
        mention = self.finder.starting_at(doc, locality).get(lead.end())
        if mention is None:
            return None, False
        return self.finder.localise(mention.name, locality), True

    def _issuer_from_code(self, code: str | None, type_code: str | None, locality: Locality | None) -> str | None:
        if not code:
            return None
        key = fold(code)
        issuer = self.vocab.symbol_issuers.get(key)
        if issuer is None or key == "tw":
            return None  # "/TW" is the Politburo, the Secretariat or the Central Committee
        if key not in _NATIONAL_CODES and not key.startswith("b") and locality:
            return self.finder.localise(issuer, locality)
        return issuer

    def _merge(self, mentions: list[_Mention], own_ref: str | None) -> list[Citation]:
        own_key = fold_key(own_ref or "").replace(" ", "").upper()
        groups: dict[str, list[_Mention]] = {}
        for m in mentions:
            if m.key == own_key:
                continue
            groups.setdefault(m.key, []).append(m)
        out: list[Citation] = []
        for group in groups.values():
            worded = [m for m in group if m.kind_from_word]
            kind = (worded[0] if worded else group[0]).kind or "other"
            date = next((m.date for m in group if m.date), None)
            issuer = next((m.issuer for m in group if m.issuer and m.issuer_from_text), None) or \
                next((m.issuer for m in group if m.issuer), None)
            best = max(group, key=lambda m: m.strength)
            confidence = 0.95 if worded else 0.8
            out.append(Citation(group[0].ref, kind, date, issuer, best.relation, group[0].span,
                                tuple(m.span for m in group), None, confidence))
        return out

    def _named(self, doc: DocText, hits, end: int, subject: Span | None) -> list[Citation]:
        out: dict[str, Citation] = {}
        for found in _NAMED.finditer(doc.text, 0, end):
            if found.start() > 0 and doc.text[found.start() - 1] not in " (\n\"“":
                continue
            stop = _NAMED_STOP.search(doc.text, found.end(), min(end, found.end() + 160))
            title_end = stop.start() if stop else min(end, found.end() + 120)
            title = " ".join(doc.text[found.start():title_end].split())
            if len(title.split()) < 3 or REF.search(fold(title)):
                continue
            key = fold_key(title)
            if key in out:
                continue
            kind = self.vocab.kind_by_word.get(fold_key(found.group(1)), "other")
            clause = subject.start if subject and subject.start <= found.start() < subject.end \
                else self._clause_start(doc.text, found.start())
            relation, _ = self._relation(hits, clause, found.start())
            out[key] = Citation(None, kind, None, None, relation, Span(found.start(), title_end), (),
                                title, 0.6)
        return list(out.values())


def _looks_like_symbol(printed: str) -> bool:
    """Symbols are codes printed in capitals (a few mixed: CTr, TTg, QĐi); words are not."""
    first = _SYMBOL_PARTS.split(printed)
    segment = next((s for s in first if not s.isdigit()), "")
    letters = [ch for ch in segment if ch.isalpha()]
    return bool(letters) and letters[0].isupper() and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
