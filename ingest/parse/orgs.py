"""Organisation mentions in running text, and their canonical names.

A mention starts at a head word (Sở, UBND, Trung tâm…; a title such as "Trưởng" before
one; or "các" before a set of bodies) and runs over the words names are made of: the
capitalised syllable of each component and the one lowercase syllable after it
("Sở Giáo dục và Đào tạo"), the lowercase name words of the vocabulary ("Trung tâm Phục
vụ hành chính công"), nested abbreviations ("Văn phòng UBND tỉnh") and a locality
("tỉnh Lai Châu", "các huyện, thành phố"). It stops at a verb or a function word, which
in Vietnamese follows the subject directly. Distributive lists ("các sở: Nội vụ, Tư
pháp") expand to one mention per body, split where the gazetteer knows the names.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from ..fold import fold, fold_key
from ..records import OrgMention, Span
from ..vocab import Vocabulary
from .context import DocText
from .repair import NameRepair

_QUANTIFIERS = {"cac", "moi", "tung", "nhung"}
_DISTRIBUTIVE = {"so", "phong", "ban", "bo", "xa", "huyen", "hoi", "nganh", "doan the"}
# Function words are safe to match without their diacritics: no name is made of them.
_FUNCTION_WORDS = {"cac", "va", "cua", "theo", "trong", "voi", "den", "nham", "khi", "neu", "hoac", "cung",
                   "nhung", "moi", "tai", "ve", "de", "cho", "tu", "thi", "la", "duoc", "da", "se", "dang", "can"}
# A word that may be an abbreviation, "KH&CN" and "TT,TT&DL" included (expand_abbreviations).
_ABBREVIATION_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)*(?:,[^\W_]+&[^\W_]+)?")
TOKEN = re.compile(r"[^\W_]+(?:&[^\W_]+)*|[,;:()\-–/.&]")


class Token(NamedTuple):
    """One word or separator. A tuple: a document makes thousands, built in one C-level pass."""

    start: int
    end: int
    text: str
    folded: str
    newline_before: bool = False
    loose: bool = False  # compare folded: text without diacritics, or tone marks not to be trusted (OCR)
    lower: str = ""
    is_capitalised: bool = False
    is_word: bool = False
    is_abbreviation: bool = False


@dataclass(frozen=True, slots=True)
class Locality:
    level: str  # "tỉnh", "huyện", "xã", "thành phố"
    name: str  # "Lai Châu"
    province: str | None = None  # a district's or commune's province, when the header names it


def tokenize(doc: DocText, start: int, end: int) -> list[Token]:
    """The tokens lying within [start, end); the document is tokenised once."""
    tokens = doc.memo.get("tokens")
    if tokens is None:
        tokens = doc.memo["tokens"] = _tokenize(doc)
        doc.memo["token_starts"] = [t.start for t in tokens]
    if start == 0 and end >= len(doc.text):
        return tokens
    starts = doc.memo["token_starts"]
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end)
    while last > first and tokens[last - 1].end > end:
        last -= 1
    selected = tokens[first:last]
    if selected and not selected[0].newline_before and "\n" in doc.text[start:selected[0].start]:
        selected[0] = selected[0]._replace(newline_before=True)
    return selected


def _tokenize(doc: DocText) -> list[Token]:
    # Column by column, each a comprehension or a map, zipped into tuples that tuple.__new__
    # builds in C: the largest list the parser makes, without a Python __init__ per token.
    text, folded = doc.text, doc.folded
    spans = [m.span() for m in TOKEN.finditer(text)]
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    words = [text[start:end] for start, end in spans]
    # A token follows a line break when one lies between it and the token before: the first
    # token after each "\n" (no token holds one).
    newline_before = [False] * len(spans)
    line_break = text.find("\n")
    while line_break >= 0:
        after = bisect.bisect_right(starts, line_break)
        if after == len(starts):
            break
        newline_before[after] = True
        line_break = text.find("\n", starts[after])
    capitalised = [word[0].isupper() for word in words]
    # An unaccented word is read without its diacritics only on a line typed without them:
    # on a line that has them, "quan" in "Chi cục Hải quan" is "quan", not "quận".
    loose = repeat(True) if doc.is_damaged else map(
        bool.__and__, map(str.isascii, words), _on_unaccented_lines(text, starts))
    # an abbreviation: in capitals, two letters at least (UBND, KH&CN, not "A" nor "2025")
    abbreviation = [upper and word.isupper() and sum(map(str.isalpha, word)) >= 2
                    for upper, word in zip(capitalised, words)]
    rows = zip(starts, ends, words, [folded[start:end] for start, end in spans], newline_before, loose,
               map(str.lower, words), capitalised, [word[0].isalnum() for word in words], abbreviation)
    return list(map(tuple.__new__, repeat(Token), rows))


_ACCENTED_LETTER = re.compile(r"(?![\x00-\x7f])[^\W\d_]")


def _on_unaccented_lines(text: str, starts: list[int]) -> list[bool]:
    """Per token start: whether its line has no letter outside ASCII."""
    out = []
    line_start, line_end, unaccented = 0, -1, True
    for start in starts:  # in order: each line is tested once, when its first token comes
        if start > line_end:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            unaccented = _ACCENTED_LETTER.search(text, line_start, line_end) is None
        out.append(unaccented)
    return out


class PhraseTable:
    """Multi-word phrases looked up at a token position, longest first; folded by default."""

    def __init__(self, phrases: tuple[str, ...], attribute: str = "folded", loose_single: bool = True):
        self.attribute = attribute
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = re.findall(r"[^\W_]+(?:&[^\W_]+)*|[,\-–]", phrase)
            if words:
                self.by_first.setdefault(words[0], []).append(tuple(words))
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)
        # Text without diacritics: "chi dao" is "chỉ đạo"; one bare syllable ("ky", "dat",
        # "giao") is too ambiguous to match on its own, unless it is a function word.
        self.folded_multi: dict[str, list[tuple[str, ...]]] = {}
        for options in self.by_first.values():
            for words in options:
                folded = tuple(fold(w) for w in words)
                if loose_single or len(folded) > 1 or folded[0] in _FUNCTION_WORDS:
                    self.folded_multi.setdefault(folded[0], []).append(folded)

    def match(self, tokens: list[Token], i: int) -> int:
        """Number of tokens of the longest phrase starting at i, or 0."""
        # The organisation finder asks several tables at nearly every token of a document:
        # most first words are in no table, so that answer comes from one dict lookup.
        if i >= len(tokens):
            return 0
        token = tokens[i]
        if self.attribute == "folded":
            options = self.by_first.get(token.folded)
            return _longest(tokens, i, options, _FOLDED) if options else 0
        options = self.by_first.get(token.lower)
        found = _longest(tokens, i, options, _LOWER) if options else 0
        if not found and token.loose:
            options = self.folded_multi.get(token.folded)
            if options:
                found = _longest(tokens, i, options, _FOLDED)
        return found


# Token field positions for PhraseTable.match: indexing the tuple costs what an attribute
# lookup does, and unlike getattr(token, name) it is no extra call in the hot loop.
_FOLDED, _LOWER = Token._fields.index("folded"), Token._fields.index("lower")


def _longest(tokens: list[Token], i: int, options: list[tuple[str, ...]], field: int) -> int:
    """`options` are the phrases of one first word, in the table's order: the first whose
    words equal tokens i, i+1, … in `field` wins; a phrase stops at a line break."""
    size = len(tokens)
    for words in options:
        n = len(words)
        if i + n > size:
            continue
        if n == 1:
            return 1
        for k in range(1, n):
            token = tokens[i + k]
            if token.newline_before or token[field] != words[k]:
                break
        else:
            return n
    return 0


# Bodies every locality has, named in a number-symbol without their place (15/QĐ-UBND).
_LOCAL_GOVERNMENT = {"uy ban nhan dan", "hoi dong nhan dan", "lien doan lao dong", "uy ban mat tran to quoc viet nam"}


_PROVINCE_LEVELS = ("tinh", "thanh pho")
# The localities a Party or Youth Union committee can be named with: "Tỉnh ủy" a province's.
_COMMITTEE_LEVELS = {"tinh uy": _PROVINCE_LEVELS, "tinh doan": _PROVINCE_LEVELS, "thanh uy": ("thanh pho",),
                     "thanh doan": ("thanh pho",), "huyen uy": ("huyen",), "huyen doan": ("huyen",),
                     "thi uy": ("thi xa",), "dang uy": ("tinh", "thanh pho", "huyen", "xa", "phuong", "thi xa",
                                                         "thi tran", "dac khu", "quan")}


def _has_trailing_place(words: list[str]) -> bool:
    return len(words) > 2 and words[-1][:1].isupper() and words[-2][:1].isupper() and fold(words[-3]) in (
        "tinh", "huyen", "xa", "phuong", "pho")


class _Collectives:
    """Plural nouns of bodies, less the ordinary nouns that open the same way."""

    def __init__(self, nouns: PhraseTable, not_nouns: PhraseTable):
        self.nouns = nouns
        self.not_nouns = not_nouns

    def match(self, tokens: list[Token], i: int) -> int:
        n = self.nouns.match(tokens, i)
        if n and self.not_nouns.match(tokens, i) >= n:
            return 0
        return n


class OrgFinder:
    """Finds organisation mentions; one per vocabulary, reused across documents."""

    def __init__(self, vocab: Vocabulary):
        words = vocab.org_words
        printed = vocab.org_words_printed
        self.vocab = vocab
        # printed forms, not folded: folded, "đăng" would be "Đảng" and "số" would be "Sở"
        self.heads = PhraseTable(printed["heads"], attribute="lower")
        self.capitalised_heads = set(words["capitalised_heads"])
        self.titles = PhraseTable(printed["titles"], attribute="lower")
        self.collectives = _Collectives(PhraseTable(printed["collectives"], attribute="lower"),
                                        PhraseTable(printed["not_collectives"], attribute="lower"))
        self.name_words = PhraseTable(printed["name_words"], attribute="lower")
        # printed forms: folded, "Quản" would be "quận"
        self.localities = PhraseTable(vocab.org_words_printed["localities"], attribute="lower")
        self.generic_words = {w for phrase in (*words["generic_nouns"], *words["generic_markers"])
                              for w in phrase.split()} | {"va", ","} | _QUANTIFIERS
        self.generic_markers = words["generic_markers"]
        self._markers_by_first: dict[str, tuple[str, ...]] = {}
        for marker in self.generic_markers:  # in their order: the first that matches is taken
            first = marker.split(" ")[0]
            self._markers_by_first[first] = (*self._markers_by_first.get(first, ()), marker)
        self.abbreviations = vocab.name_abbreviations
        # a bare syllable without diacritics ("ky", "dat") is no evidence of a verb
        self.stops = PhraseTable(vocab.name_stops, attribute="lower", loose_single=False)
        self._names: dict[tuple[str, Locality | None], tuple[str, str]] = {}
        self._generic: dict[str, bool] = {}
        self._expanded: dict[str, str] = {}
        self._canonical: dict[tuple[str, Locality | None], str] = {}
        self.repair = NameRepair(vocab)
        # tokens that can open a mention: anything else is skipped at once
        self._openers = {w.split(" ")[0] for w in (*printed["heads"], *printed["titles"])} | {
            "các", "mỗi", "từng", "những"}
        self._openers |= {fold(w) for w in self._openers}
        self.generic_stop = {"co", "lien", "quan"}

    # -- extent -------------------------------------------------------------------
    def _head_at(self, tokens: list[Token], i: int) -> int:
        n = self.heads.match(tokens, i)
        if not n or tokens[i].is_capitalised:
            return n
        phrase = " ".join(t.folded for t in tokens[i:i + n])
        if phrase in self.capitalised_heads:
            return 0
        return n

    def _extend(self, tokens: list[Token], k: int, allow_comma_names: bool) -> int:
        """Advance over name words after a head; returns the first token not in the name."""
        start = k  # the first word after the head
        while k < len(tokens):
            tok = tokens[k]
            if tok.newline_before:
                break
            n = self.name_words.match(tokens, k)
            if n:
                k += n
                continue
            n = self.localities.match(tokens, k) if not tok.is_capitalised else 0
            if n and not (k + 1 < len(tokens) and tokens[k + 1].folded == "hoi"):
                k += n
                while k < len(tokens) and tokens[k].is_capitalised and tokens[k].is_word \
                        and not tokens[k].newline_before and not self._head_at(tokens, k):
                    k += 1
                if k < len(tokens) and tokens[k].is_word and not tokens[k].is_capitalised \
                        and not self.name_words.match(tokens, k):
                    break  # "UBND tỉnh ưu tiên …": a lowercase word after the place is the verb
                continue
            if tok.folded in _QUANTIFIERS and self.collectives.match(tokens, k + 1):
                k = self._collective_list(tokens, k + 1)
                continue
            if tok.is_word and tok.is_abbreviation:
                k += 1
                continue
            if tok.is_word and tok.is_capitalised:
                head = self._head_at(tokens, k)
                if head and not tokens[k - 1].is_word:
                    break  # "…, Sở Tư pháp": the next body
                compound = 0 if head else self.stops.match(tokens, k)
                if compound > 1 and k - 1 > start and tokens[k - 1].is_word \
                        and tokens[k - 1].folded not in ("va", "&"):
                    break  # "Sở Công Thương Căn cứ chức năng …": a sentence begins (not "Sở Xây dựng")
                # "Văn phòng Ủy ban nhân dân", "Ban Thường vụ Đảng ủy"; a capitalised verb compound
                # is the name's own word: "Văn phòng Đăng ký đất đai", "Trung tâm Xúc tiến đầu tư"
                k += head or max(compound, 1)
                continue
            if k == start and tok.text.isdigit() and len(tok.text) <= 2 and not tok.newline_before:
                k += 1  # units numbered after their head: "Thuế cơ sở 1 thành phố Huế"
                continue
            if tok.folded == "thuoc" and k + 1 < len(tokens) and tokens[k + 1].is_capitalised \
                    and not tokens[k + 1].newline_before and self._head_at(tokens, k + 1):
                k += 1  # a unit within a body: "Phòng Quản lý đầu tư thuộc Sở Tài chính"
                continue
            if tok.folded == "va" and k > start and tokens[k - 1].is_word and not tokens[k - 1].is_capitalised \
                    and not self.localities.match(tokens, k - 1):
                # "Trung tâm Thông tin công nghiệp và thương mại", "Phòng An ninh mạng và phòng, chống
                # tội phạm …": "và" between lowercase words joins two parts of one name
                part = self._lowercase_part(tokens, k + 1)
                if part:
                    k += 1 + part
                    continue
            if tok.folded in {"va", "&", "-", "–"} and k + 1 < len(tokens) and tokens[k + 1].is_capitalised \
                    and tokens[k + 1].is_word and not tokens[k + 1].newline_before and not self._head_at(tokens, k + 1):
                k += 2
                continue
            if tok.text == "," and k > start and self.localities.match(tokens, k - 1) == 1:
                after = self._locality_list(tokens, k)
                if after > k:
                    k = after
                    continue
            # "Phòng Tuyên truyền, Báo chí và …": after a comma, a capitalised word goes on the name
            # unless it opens a body of its own ("…, Sở Tư pháp"; "Báo chí" is none)
            if tok.text == "," and allow_comma_names and k + 1 < len(tokens) and tokens[k + 1].is_capitalised \
                    and tokens[k + 1].is_word and not self._mention_at(tokens, k + 1) \
                    and not tokens[k + 1].is_abbreviation and not tokens[k + 1].newline_before:
                k += 2
                continue
            if tok.is_word and not tok.is_capitalised and not tok.text[:1].isdigit() and not self.stops.match(tokens, k):
                k += 1  # the lowercase tail of a name: "Phòng Quản lý ngân sách", "Trung tâm Kiểm soát bệnh tật"
                continue
            break
        return k

    def _lowercase_part(self, tokens: list[Token], k: int) -> int:
        """Tokens of a lowercase name part at k: an ordinary noun phrase ("phòng, chống"), or a
        word that is no verb, body, place, quantifier or function word; 0 when none."""
        if k >= len(tokens) or not tokens[k].is_word or tokens[k].is_capitalised or tokens[k].newline_before \
                or tokens[k].text[:1].isdigit():
            return 0
        ordinary = self.collectives.not_nouns.match(tokens, k)
        if ordinary:
            return ordinary
        if self.stops.match(tokens, k) or self.heads.match(tokens, k) or self.localities.match(tokens, k) \
                or self.collectives.match(tokens, k) or tokens[k].folded in _QUANTIFIERS | _FUNCTION_WORDS:
            return 0
        return 1

    def _locality_list(self, tokens: list[Token], k: int) -> int:
        """"Công an tỉnh, thành phố", "Phòng Văn hóa huyện, thị xã": a ministry's letter names
        the same body of every province by its kinds of locality, none named."""
        while k + 1 < len(tokens) and tokens[k].text == "," and not tokens[k + 1].newline_before \
                and not tokens[k + 1].is_capitalised:
            n = self.localities.match(tokens, k + 1)
            after = k + 1 + n
            if not n or (after < len(tokens) and tokens[after].is_capitalised and not tokens[after].newline_before):
                break  # "Công an tỉnh, thành phố Huế": a place of its own follows
            k = after
        return k

    def _collective_list(self, tokens: list[Token], k: int) -> int:
        """After "các": "phòng, ban, trung tâm", "xã, phường, thị trấn", "chi, đảng bộ cơ sở"."""
        k += self.collectives.match(tokens, k)
        while k < len(tokens):
            if tokens[k].newline_before:
                return k
            if tokens[k].folded in {",", "va"} and k + 1 < len(tokens) and not tokens[k + 1].newline_before \
                    and not tokens[k + 1].is_capitalised:
                n = self.collectives.match(tokens, k + 1)
                if n:
                    k += 1 + n
                    continue
            n = self.name_words.match(tokens, k)
            if n:
                k += n
                continue
            first = tokens[k].folded
            # a marker's first word is the token's, unless an OCR repair put a space in the token
            markers = self.generic_markers if " " in first else self._markers_by_first.get(first, ())
            marker = next((m for m in markers
                           if " ".join(t.folded for t in tokens[k:k + len(m.split())]) == m), None)
            if marker:
                k += len(marker.split())
                continue
            n = self.localities.match(tokens, k) if not tokens[k].is_capitalised else 0
            if n and k + n < len(tokens) and tokens[k + n].is_capitalised and not tokens[k + n].newline_before:
                k += n + 1
                continue
            if n and (k + n >= len(tokens) or not tokens[k + n].is_word or tokens[k + n].folded == "va"
                      or tokens[k + n].newline_before):
                k += n  # "các sở, ban, ngành, đoàn thể tỉnh và …"
                continue
            tok = tokens[k]
            if tok.folded in {"-", "–"} and k + 1 < len(tokens) and tokens[k + 1].is_word \
                    and not tokens[k + 1].newline_before and not self.stops.match(tokens, k + 1):
                k += 2
                continue
            if tok.is_word and tok.is_capitalised:
                moved = self._extend(tokens, k, allow_comma_names=True)
                if moved == k:
                    return k
                k = moved
                continue
            if tok.is_word and not tok.text[:1].isdigit() and not self.stops.match(tokens, k) \
                    and tok.folded not in self.generic_stop:
                k += 1  # "các trường trung học phổ thông", "các doanh nghiệp quản lý hồ chứa"
                continue
            return k
        return k

    def _mention_at(self, tokens: list[Token], i: int) -> tuple[int, bool] | None:
        """(end token, is_collective) of a mention starting at token i."""
        j = i
        n = self.titles.match(tokens, j)
        if n:
            nxt = j + n
            if nxt < len(tokens) and (tokens[nxt].folded == "cac" or self._head_at(tokens, nxt)):
                j = nxt
            else:
                return None
        if j < len(tokens) and tokens[j].folded in _QUANTIFIERS:
            n = self._head_at(tokens, j + 1)
            if n and not self.collectives.match(tokens, j + 1):
                end = self._extend(tokens, j + 1 + n, allow_comma_names=True)
                return end, True
            if self.collectives.match(tokens, j + 1):
                return self._collective_list(tokens, j + 1), True
            return None
        n = self._head_at(tokens, j)
        if not n:
            return None
        nxt = tokens[j + n] if j + n < len(tokens) else None
        if n == 1 and not tokens[j].is_abbreviation and (
                nxt is None or nxt.newline_before or not (nxt.is_capitalised or nxt.text == ":"
                                                          or self.localities.match(tokens, j + 1))):
            return None  # "Ban hành", "Báo cáo", "Bổ sung": words, not bodies
        end = self._extend(tokens, j + n, allow_comma_names=True)
        if end == j + n and not self._stands_alone(tokens, j, n):
            return None
        return end, False

    def _stands_alone(self, tokens: list[Token], i: int, n: int) -> bool:
        phrase = " ".join(t.folded for t in tokens[i:i + n])
        if n >= 2 and tokens[i].is_capitalised:
            return True  # "Tỉnh đoàn", "Văn phòng", "Quốc hội": a whole name
        return phrase in {"chinh phu", "quoc hoi", "thu tuong", "thu tuong chinh phu", "bo chinh tri", "ban bi thu",
                          "ubnd", "hdnd", "lđld", "ldld", "bcd", "mttq"} or tokens[i].is_abbreviation

    # -- mentions -----------------------------------------------------------------
    def starting_at(self, doc: DocText, locality: Locality | None) -> dict[int, OrgMention]:
        """Every mention of the whole text, by start offset; computed once per document."""
        key = ("mentions_by_start", locality)
        found = doc.memo.get(key)
        if found is None:
            found = doc.memo[key] = {m.span.start: m for m in self.find(doc, 0, len(doc.text), locality)}
        return found

    def find(self, doc: DocText, start: int, end: int, locality: Locality | None) -> list[OrgMention]:
        tokens = tokenize(doc, start, end)
        mentions: list[OrgMention] = []
        openers = self._openers
        # Few tokens can open a mention: the scan jumps from one to the next, past any
        # mention just read (every step below moves i forward by one token at least).
        candidates = [k for k, token in enumerate(tokens) if token.lower in openers or token.is_abbreviation
                      or (token.loose and token.folded in openers)]
        i = 0
        for candidate in candidates:
            if candidate < i:
                continue
            i = candidate
            found = self._mention_at(tokens, i)
            if not found:
                continue
            stop, is_collective = found
            stop = max(stop, i + 1)
            # trailing separators never belong to a name
            while stop > i + 1 and not tokens[stop - 1].is_word:
                stop -= 1
            distributed = self._distribute(doc, tokens, i, stop, locality)
            if distributed:
                mentions.extend(distributed[0])
                i = distributed[1]
                continue
            if is_collective and stop < len(tokens) and tokens[stop].text == ":" \
                    and stop + 1 < len(tokens) and self._mention_at(tokens, stop + 1):
                i = stop + 1  # the list that follows names the bodies themselves
                continue
            mentions.append(self._mention(doc, tokens[i].start, tokens[stop - 1].end, locality))
            i = stop
        return mentions

    def _distribute(self, doc: DocText, tokens: list[Token], i: int, stop: int,
                    locality: Locality | None) -> tuple[list[OrgMention], int] | None:
        """"các sở: Nội vụ, Tư pháp, Ban Quản lý …" → Sở Nội vụ, Sở Tư pháp, Ban Quản lý …"""
        title_size = self.titles.match(tokens, i)
        title = " ".join(t.text for t in tokens[i:i + title_size])
        head_index = i + title_size
        head_index += 1 if head_index < len(tokens) and tokens[head_index].folded in _QUANTIFIERS else 0
        if stop >= len(tokens) or tokens[stop].text != ":" or stop <= head_index:
            return None
        if stop != head_index + 1 and not (tokens[head_index + 1].text == "," and
                                            all(t.folded in _DISTRIBUTIVE or t.text == "," for t in tokens[head_index:stop])):
            return None
        head = tokens[head_index]
        if head.folded not in _DISTRIBUTIVE - {"nganh"}:
            return None
        k = stop + 1
        out: list[OrgMention] = []
        singular = head.text[:1].upper() + head.text[1:]
        if title:
            singular = f"{title} {singular}"  # "Giám đốc các sở: Nội vụ, Tài chính" → "Giám đốc Sở Nội vụ"
        while k < len(tokens) and tokens[k].is_word and tokens[k].is_capitalised and not tokens[k].newline_before:
            own = self._mention_at(tokens, k)
            if own:
                item_end = own[0]
                out.append(self._mention(doc, tokens[k].start, tokens[item_end - 1].end, locality))
            else:
                item_end = self._item_end(tokens, k, singular)
                name_text = doc.text[tokens[k].start:tokens[item_end - 1].end]
                mention = self._mention(doc, tokens[k].start, tokens[item_end - 1].end, locality,
                                        prefix=singular + " ")
                out.append(OrgMention(mention.name, name_text, mention.span, mention.is_generic, 0.9,
                                      mention.canonical))
            k = item_end
            if k < len(tokens) and tokens[k].folded in {",", "va", ";"}:
                k += 1
                continue
            break
        return (out, k) if out else None

    def _item_end(self, tokens: list[Token], k: int, singular: str) -> int:
        """End of one item of a distributive list, preferring names the gazetteer knows."""
        best = None
        j = k
        while j < len(tokens) and (tokens[j].is_word or tokens[j].folded in {"va", "-", ","}):
            if j > k and tokens[j].newline_before:
                break  # a heading "4. Các sở: Y tế, Công Thương" ends with its line
            if tokens[j].folded == "," or (tokens[j].folded == "va" and j > k):
                candidate = fold_key(singular.split(" ")[-1] + " " + " ".join(t.text for t in tokens[k:j]))
                if candidate in self.vocab.org_by_key:
                    best = j
                if tokens[j].folded == ",":
                    break
            elif tokens[j].is_word and not tokens[j].is_capitalised and (
                    tokens[j].newline_before or self.stops.match(tokens, j)):
                break  # the verb after the last item: "…, Quản lý môi trường hướng dẫn"
            j += 1
        end = best or j
        while end > k + 1 and not tokens[end - 1].is_word:
            end -= 1
        return end

    def _mention(self, doc: DocText, start: int, end: int, locality: Locality | None,
                 prefix: str = "") -> OrgMention:
        text = doc.text[start:end]
        generic = self.is_generic(text)
        display, canonical = self.names(prefix + (self.repair.repair(text) if doc.is_damaged else text), locality)
        return OrgMention(display, text, Span(start, end), generic, 0.8 if generic else 0.9, canonical)

    def is_generic(self, text: str) -> bool:
        cached = self._generic.get(text)
        if cached is None:
            cached = self._is_generic(text)
            if len(self._generic) < 50_000:  # bounded, like the names
                self._generic[text] = cached
        return cached

    def _is_generic(self, text: str) -> bool:
        folded = fold_key(text)
        if any(marker in folded for marker in ("co lien quan", "lien quan", "duoc giao")):
            return True
        words = re.findall(r"[^\W_]+|,", folded)
        return bool(words) and all(w in self.generic_words for w in words)

    # -- canonical names ----------------------------------------------------------
    def expand_abbreviations(self, text: str) -> str:
        expanded = self._expanded.get(text)
        if expanded is None:
            expanded = _ABBREVIATION_WORD.sub(self._expand_word, text)
            if len(self._expanded) < 50_000:  # bounded, like the names: each name is expanded several times
                self._expanded[text] = expanded
        return expanded

    def _expand_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if not (word.isupper() or "&" in word):
            return word  # only a capitalised code (or one joined by &) is an abbreviation
        return self.abbreviations.get(fold(word)) or word

    def names(self, text: str, locality: Locality | None) -> tuple[str, str]:
        key = (text, locality)
        cached = self._names.get(key)
        if cached is None:
            cached = self._names_uncached(text, locality)
            if len(self._names) < 50_000:  # bounded: one parser serves a whole batch
                self._names[key] = cached
        return cached

    def _names_uncached(self, text: str, locality: Locality | None) -> tuple[str, str]:
        """(name to show, canonical name). The shown name is the gazetteer's where it knows
        the body, else the name as printed: an unknown "Hội LHPN các huyện" stays as the
        document wrote it, while the canonical one expands every abbreviation."""
        canonical = self.canonical_name(text, locality)
        printed = re.sub(r"\s+", " ", text).strip(" ,;:.-–")
        if self._known(printed):
            return canonical, canonical
        words = printed.split(" ")
        if locality and len(words) > 1 and fold(words[-1]) == fold(locality.level) and words[-1][:1].islower():
            printed = f"{printed} {locality.name}"
        return printed, canonical

    def localise(self, name: str, locality: Locality | None) -> str:
        """The body of the document's own province (or district, commune) named in full:
        "Sở Nội vụ" → "Sở Nội vụ tỉnh Lai Châu", "Ban Thường vụ Tỉnh ủy" → "… Tỉnh ủy Lai Châu"."""
        if locality is None or name.endswith(locality.name):
            return name
        words = name.split(" ")
        last = fold(words[-1])
        if last in ("tinh", "huyen", "xa", "phuong") and words[-1][:1].islower():
            return f"{name} {locality.name}" if fold_key(locality.level) == last else name
        level = fold_key(locality.level)
        committee = fold_key(" ".join(words[-2:]))
        province_kind = fold_key(self.vocab.province_kind.get(locality.province, "tỉnh")) if locality.province else ""
        if committee in _COMMITTEE_LEVELS:
            if level in _COMMITTEE_LEVELS[committee]:
                return f"{name} {locality.name}"
            # a district's letter citing "Ban Thường vụ Tỉnh ủy": the province's, not the district's
            return f"{name} {locality.province}" if province_kind in _COMMITTEE_LEVELS[committee] else name
        key = fold_key(self.expand_abbreviations(name))
        entry = self.vocab.org_by_key.get(key) or self.vocab.org_by_key.get(f"{key} tinh")
        if entry is not None and entry.scope == "province" and level not in _PROVINCE_LEVELS:
            # "Sở Y tế" cited by a commune: a department of the province
            return f"{name} {self.vocab.province_kind[locality.province]} {locality.province}" if province_kind else name
        if key in _LOCAL_GOVERNMENT or (entry is not None and entry.scope != "national"
                                        and not _has_trailing_place(words)):
            return f"{name} {locality.level} {locality.name}"
        return name

    def _known(self, text: str) -> bool:
        key = fold_key(self.expand_abbreviations(text))
        if key in self.vocab.org_by_key or fold_key(text) in self.vocab.org_by_key:
            return True
        # known with its locality: "UBND tỉnh Lai Châu", "Sở Nội vụ tỉnh Lạng Sơn"
        parts = key.split(" ")
        for i in range(len(parts) - 1, 0, -1):
            if parts[i - 1] in ("tinh", "huyen", "xa", "pho", "phuong") and " ".join(parts[:i]) in self.vocab.org_by_key:
                return True
        return False

    def canonical_name(self, text: str, locality: Locality | None) -> str:
        """Full name: abbreviations expanded, a gazetteer spelling where it knows the body,
        the bare "tỉnh" of the document's own province completed ("UBND tỉnh" → "Ủy ban
        nhân dân tỉnh Lai Châu")."""
        cache_key = (text, locality)
        name = self._canonical.get(cache_key)
        if name is None:
            name = self._canonical_name(text, locality)
            if len(self._canonical) < 50_000:  # bounded, like the names
                self._canonical[cache_key] = name
        return name

    def _canonical_name(self, text: str, locality: Locality | None) -> str:
        text = re.sub(r"\s+", " ", text).strip(" ,;:.-–")
        expanded = self.expand_abbreviations(text)
        key = fold_key(expanded)
        base_key, place_name = key, None
        words = expanded.split(" ")
        folded_words = [fold(w) for w in words]  # fold works letter by letter: fold(a b) is fold(a) fold(b)
        for i in range(len(words) - 1, -1, -1):
            pair = " ".join(" ".join(folded_words[i:i + 2]).split())  # fold_key of the two words
            level = pair if pair in ("thanh pho", "thi xa", "thi tran") else folded_words[i]
            if level in ("tinh", "thanh pho", "huyen", "xa", "phuong", "thi xa", "thi tran", "quan") and \
                    (i == 0 or words[i][:1].islower()):
                width = len(level.split(" "))
                rest = words[i + width:]
                if rest and all(w[:1].isupper() for w in rest):
                    place_name = " ".join(rest)
                    base_key = fold_key(" ".join(words[:i + width]))
                break
        entry = self.vocab.org_by_key.get(base_key)
        if entry is None:
            # a mention without its locality word: "Sở Nội vụ"
            entry = self.vocab.org_by_key.get(key)
            if entry is not None and entry.scope != "national" and fold_key(entry.name) != key:
                entry = None if not fold_key(entry.name).startswith(key) else entry
        if entry is not None:
            name = entry.name
        else:
            name = expanded if place_name is None else expanded[: len(expanded) - len(place_name)].strip()
        if place_name:
            province = self.vocab.provinces.get(fold_key(place_name))
            return f"{name} {province or place_name}"
        if locality and fold_key(name).endswith(" " + fold_key(locality.level)):
            return f"{name} {locality.name}"  # "UBND tỉnh", and the gazetteer's "… hành chính công tỉnh"
        if locality and fold_key(locality.level) in ("tinh", "thanh pho") and fold_key(name).endswith(
                ("tinh uy", "thanh uy")):
            return f"{name} {locality.name}"  # "Ban Thường vụ Tỉnh ủy" of a Lai Châu letter
        return name
