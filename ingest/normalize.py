"""Reader text → normalised text, with a map back to the reader's offsets.

Steps: NFC; one tone-mark placement (hoà → hòa, uỷ → ủy); lines trimmed; two-column
header and footer lines separated (issuer block beside the national motto, number beside
place and date); hard-wrapped lines rejoined (text and PDF only: a DOCX paragraph is a
paragraph). The parsers work on the normalised text; `NormalizedText.to_source` maps an
offset back into the reader's text, for page numbers and the explorer.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from .fold import fold
from .vocab import Vocabulary, word_alternation

# Tone marks that the "new" placement puts on the second vowel of oa/oe/uy in an open
# syllable (hoà, khoẻ, thuỷ); chidao keeps the older, commoner placement (hòa, khỏe, thủy).
_TONED = {
    "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
    "A": "ÀÁẢÃẠ", "E": "ÈÉẺẼẸ", "Y": "ỲÝỶỸỴ",
}
_TONE_ON = {
    "o": "òóỏõọ", "u": "ùúủũụ", "O": "ÒÓỎÕỌ", "U": "ÙÚỦŨỤ",
}
_SECOND = "".join(_TONED.values())
_TONE_MOVE = re.compile(rf"(?<![\w])([^\W\d_]*?)([oOuU])([{_SECOND}])(?![\w])")
# What every move needs, at a word's end: the scan for it is cheap, unlike _TONE_MOVE's, which
# tries a word at every word start of the text.
_TONE_PAIR = re.compile(rf"[oOuU][{_SECOND}](?![\w])")


def _move_tone(match: re.Match[str]) -> str:
    prefix, first, second = match.groups()
    pair = (first.lower(), fold(second))
    if pair not in {("o", "a"), ("o", "e"), ("u", "y")} or prefix.lower().endswith("q"):
        return match.group(0)  # "quý": the u belongs to "qu", the tone stays on y
    for base, toned in _TONED.items():
        if second in toned:
            tone = toned.index(second)
            return prefix + _TONE_ON[first][tone] + base
    return match.group(0)


def place_tones(text: str) -> str:
    """One tone-mark placement: hoà → hòa, Tỉnh uỷ → Tỉnh ủy. Keeps the length."""
    # Only the lines holding a candidate pair are rewritten. A move lies within one word and
    # a line break is no word character, so each line rewrites as it would in the whole text.
    pieces: list[str] = []
    cursor = 0
    for pair in _TONE_PAIR.finditer(text):
        if pair.start() < cursor:
            continue  # on a line already rewritten
        line_start = text.rfind("\n", 0, pair.start()) + 1
        line_end = text.find("\n", pair.end())
        line_end = len(text) if line_end < 0 else line_end
        pieces.append(text[cursor:line_start])
        pieces.append(_TONE_MOVE.sub(_move_tone, text[line_start:line_end]))
        cursor = line_end
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _nfc_with_map(text: str) -> tuple[str, list[int] | None]:
    """NFC text and, when composition changed the length, each output char's source offset."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            cluster = unicodedata.normalize("NFC", text[start:i])
            out.append(cluster)
            origin.extend([start] * len(cluster))
            start = i
    return "".join(out), origin


@dataclass(frozen=True, slots=True)
class NormalizedText:
    text: str
    anchors: tuple[tuple[int, int, bool], ...]  # (norm start, nfc start, copied) per piece
    nfc_origin: tuple[int, ...] | None
    folded: str = ""  # fold(text), joined from the lines' folded slices: the text is not folded twice

    def to_source(self, offset: int) -> int:
        """The reader-text offset of a normalised-text offset."""
        if not self.anchors:
            return offset
        starts = [a[0] for a in self.anchors]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        norm_start, nfc_start, copied = self.anchors[i]
        nfc = nfc_start + (offset - norm_start if copied else 0)
        if self.nfc_origin is None:
            return nfc
        return self.nfc_origin[min(nfc, len(self.nfc_origin) - 1)] if self.nfc_origin else 0


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    start: int  # offset in the NFC text
    split: bool = False  # cut from the line before it (a second column): never joined back
    folded: str = ""  # fold(text), sliced from the text folded once (fold keeps lengths)


_GAP = re.compile(r"[ \t]{3,}|\t")
_ITEM_START = re.compile(
    r"^(?:[IVXL]{1,5}[.)]\s|\d{1,2}[.)](?:\s|$)|\d{1,2}(?:\.\d{1,2})+\.?(?:\s|$)|[a-zđ]\)\s|"
    r"[-–—+•*·]\s?|\(\d{1,2}\)|\([a-zđ]\)|điều\s+\d)", re.IGNORECASE)
_KEYWORD_START = re.compile(
    r"^(?:kinh\s+gui|noi\s+nhan|can\s+cu|v\s*/\s*v|ve\s+viec\s|so\s*:|t\s*/\s*m|tm\.|kt\.|tl\.|tuq\.|q\.\s|"
    r"phu\s+luc|dieu\s+\d|chuong\s+[ivx\d]+\b|muc\s+[ivx\d]+\b)")
# Both end a line and are at most three characters long: _should_join searches from just
# before the end of the line, not from every position of it.
_TERMINAL = re.compile(r"(?:[.!?;:]|\./\.)$")
_HYPHEN_END = re.compile(r"[\w]-$")
_COMMA_DAY = re.compile(r",\s*ng[a4]y\b")  # in every match of layout.yaml's place_date
_BLANK_AFTER_NUMBER = re.compile(r"^[\s\-–•*]*(?:s[o0]\S?|s6|so6)\s*[:.]?$|(?:ngay|thang)$")


def is_caps(text: str) -> bool:
    """A line set in capitals (an issuer block, a title), allowing for a few OCR slips ("TiNH")."""
    if text.isupper():
        return sum(map(str.isalpha, text)) >= 3
    letters = sum(map(str.isalpha, text))
    return letters >= 3 and sum(map(str.isupper, text)) >= 0.8 * letters


def _header_marker(folded: str, vocab: Vocabulary) -> bool:
    if folded.lstrip(" -–•*")[:1] not in ("c", "d", "t", "k", "q", "s", "n", "p", "l"):
        return False  # mottos, "Số", "Nơi nhận", TM./KT./TL./Q. all open with one of these
    layout = vocab.layout
    return any(layout[key].match(folded) for key in
               ("state_motto", "state_motto_2", "party_motto", "union_motto", "capacity", "number_line", "sent_to"))


class _Splitter:
    """Separates the columns of header and footer lines printed side by side."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.mottos = [vocab.layout[k] for k in ("state_motto", "state_motto_2", "party_motto", "union_motto")]
        self.place_date = vocab.layout["place_date"]

    def split(self, line: _Line, in_margin: bool) -> list[_Line]:
        pieces = [line]
        if line.text.count("\t") >= 2:
            return pieces  # a row of a data table, not two columns of a header
        if in_margin:
            pieces = [p for piece in pieces for p in self._split_gaps(piece)]
        pieces = [p for piece in pieces for p in self._split_motto(piece)]
        return [p for piece in pieces for p in self._split_place_date(piece)]

    def _split_gaps(self, line: _Line) -> list[_Line]:
        text = line.text
        if _GAP.search(text) is None:
            return [line]  # the line is stripped already: nothing to cut, nothing to trim
        out: list[_Line] = []
        cursor = 0
        for gap in _GAP.finditer(text):
            left = text[cursor:gap.start()]
            right = text[gap.end():]
            if not left.strip() or not right.strip():
                continue
            folded_left, folded_right = fold(left.strip()), fold(right.strip())
            if _BLANK_AFTER_NUMBER.search(folded_left) or re.match(r"(?:thang|nam)\b", folded_right):
                continue  # "Số:      /VPUBND-HCQT", "ngày    tháng  năm 2026": blanks to fill
            offset = cursor + (len(left) - len(left.lstrip()))
            piece = left.strip()
            out.append(_Line(piece, line.start + offset, line.split if not out else True,
                             line.folded[offset:offset + len(piece)]))
            cursor = gap.end()
        rest = text[cursor:]
        offset = cursor + (len(rest) - len(rest.lstrip()))
        piece = rest.strip()
        out.append(_Line(piece, line.start + offset, line.split if not out else True,
                         line.folded[offset:offset + len(piece)]))
        return [p for p in out if p.text]

    def _split_at(self, line: _Line, at: int) -> list[_Line]:
        left, right = line.text[:at], line.text[at:]
        if not left.strip() or not right.strip():
            return [line]
        lead = len(right) - len(right.lstrip())
        left_text, right_text = left.rstrip(), right.strip()
        return [_Line(left_text, line.start, line.split, line.folded[:len(left_text)]),
                _Line(right_text, line.start + at + lead, True,
                      line.folded[at + lead:at + lead + len(right_text)])]

    def _split_motto(self, line: _Line) -> list[_Line]:
        folded = line.folded
        if "nam" not in folded and "nh ph" not in folded and "minh" not in folded:
            return [line]  # every motto holds one of these (Việt Nam, Hạnh phúc, Hồ Chí Minh)
        for motto in self.mottos:
            found = motto.search(folded)
            if found and found.start() > 0:
                return self._split_at(line, found.start())
        return [line]

    def _split_place_date(self, line: _Line) -> list[_Line]:
        folded = line.folded
        if ("ngay" not in folded and "ng4y" not in folded) or not _COMMA_DAY.search(folded):
            return [line]  # a place-date line holds ", ngày": a body line with a date seldom does
        found = self.place_date.search(folded)
        if not found or found.start("place") == 0:
            return [line]
        # The place is the run of capitalised words just before ", ngày".
        words = list(re.finditer(r"\S+", line.text[: found.end("place")]))
        start = None
        for word in reversed(words):
            token = word.group(0)
            if token[0].isupper() and not is_caps(token) and not any(c.isdigit() or c in "/:" for c in token):
                start = word.start()
                continue
            break
        if start is None or start == 0:
            return [line]
        return self._split_at(line, start)


def _wrap_width(lines: list[_Line]) -> int:
    lengths = sorted(len(line.text) for line in lines if line.text)
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _opens_clause(line: str, vocab: Vocabulary) -> bool:
    """A line starting with a verb or a function word of two or more syllables, capitalised:
    the start of a sentence, not a proper noun carried over from the line before."""
    words = line.lower().split(" ", 3)
    for size in (3, 2):
        if " ".join(words[:size]) in vocab.name_stop_set:
            return True
    return words[0] in ("các", "theo", "trong", "để", "đối", "căn", "trên", "nhằm", "đồng")


class _LineFacts:
    """What `_should_join` asks of a line, asked once: each line is the second line of one
    pair and the first of the next. Keyed by the text asked about; one per document."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.place_date = vocab.layout["place_date"]
        self._marker: dict[str, bool] = {}
        self._place_date: dict[str, bool] = {}
        self._caps: dict[str, bool] = {}

    def header_marker(self, folded: str) -> bool:
        found = self._marker.get(folded)
        if found is None:
            found = self._marker[folded] = _header_marker(folded, self.vocab)
        return found

    def opens_with_place_date(self, folded: str) -> bool:
        found = self._place_date.get(folded)
        if found is None:
            found = self._place_date[folded] = self.place_date.match(folded) is not None
        return found

    def caps(self, text: str) -> bool:
        found = self._caps.get(text)
        if found is None:
            found = self._caps[text] = is_caps(text)
        return found


def _should_join(line_a: _Line, line_b: _Line, width: int, vocab: Vocabulary,
                 facts: _LineFacts | None = None) -> str | None:
    """How to join line a to the next line b: " ", "" (a word cut by a hyphen), or None."""
    a, b = line_a.text, line_b.text
    if not a or not b or "\t" in a or "\t" in b:
        return None  # rows of a table stay rows
    facts = facts or _LineFacts(vocab)
    folded_b = line_b.folded
    keyword = _KEYWORD_START.match(folded_b) and not b[0].islower()
    if _ITEM_START.match(b) or keyword or (facts.header_marker(folded_b) and not b[0].islower()):
        return None
    if facts.opens_with_place_date(folded_b) or facts.header_marker(line_a.folded) \
            or facts.opens_with_place_date(line_a.folded):
        return None
    if facts.caps(a) or facts.caps(b):
        return None
    if b[0].isupper() and _opens_clause(b, vocab):
        return None  # "…các tổ chức chính trị - xã hội tỉnh\nHướng dẫn Mặt trận …": a new sentence
    starts_lower = b[0].islower()
    if _HYPHEN_END.search(a, len(a) - 2) and (b[0].isalnum()):
        return ""
    if _TERMINAL.search(a, len(a) - 3) and not starts_lower and not (a.endswith(";") and len(a) >= 0.6 * width):
        return None  # a full line ending in ";" runs on: "…các ban, ngành tỉnh;\nChủ tịch UBND …"
    if len(a) < 0.6 * width and not starts_lower:
        return None
    return " "


def normalize(text: str, vocab: Vocabulary, *, rejoin: bool = True) -> NormalizedText:
    nfc, origin = _nfc_with_map(text)
    # Same-length replacements keep the offset map valid: "\r\n" → " \n" (the space is trimmed).
    nfc = place_tones(nfc.replace("\r\n", " \n").replace("\r", "\n").replace("\f", "\n"))
    folded_all = fold(nfc)
    raw: list[_Line] = []
    offset = 0
    for chunk in nfc.split("\n"):
        # a row of a data table keeps its empty trailing cells: "I\tNhóm …\t\t\t"
        stripped = chunk.strip(" \r\v") if chunk.count("\t") >= 2 else chunk.strip()
        lead = len(chunk) - len(chunk.lstrip(" \r\v" if chunk.count("\t") >= 2 else None))
        raw.append(_Line(stripped, offset + lead, False, folded_all[offset + lead:offset + lead + len(stripped)]))
        offset += len(chunk) + 1
    non_empty = [i for i, line in enumerate(raw) if line.text]
    margin = set(non_empty[:24]) | set(non_empty[-24:])
    splitter = _Splitter(vocab)
    lines: list[_Line] = []
    for i, line in enumerate(raw):
        lines.extend(splitter.split(line, i in margin) if line.text else [line])
    if rejoin:
        lines = _collapse_double_spacing(lines)  # layout repair, like the rejoining below
    width = _wrap_width(lines)
    facts = _LineFacts(vocab)
    # (text, its folded form, nfc start, copied); the glue ("\n", " ", "") folds to itself
    pieces: list[tuple[str, str, int, bool]] = []
    previous: _Line | None = None
    for line in lines:
        if previous is None:
            if line.text:
                pieces.append((line.text, line.folded, line.start, True))
                previous = line
            continue
        if not line.text:
            if previous.text:
                pieces.append(("\n", "\n", previous.start + len(previous.text), False))
                previous = line
            continue
        if not previous.text:
            pieces.append(("\n", "\n", line.start, False))
        else:
            glue = _should_join(previous, line, width, vocab, facts) if rejoin and not line.split else None
            glue = "\n" if glue is None else glue
            pieces.append((glue, glue, line.start, False))
        pieces.append((line.text, line.folded, line.start, True))
        previous = line
    while pieces and pieces[-1][0] == "\n":
        pieces.pop()  # no trailing blank lines
    out: list[str] = []
    folded_out: list[str] = []
    anchors: list[tuple[int, int, bool]] = []
    position = 0
    for piece, folded_piece, start, copied in pieces:
        if not piece:
            continue
        anchors.append((position, start, copied))
        out.append(piece)
        folded_out.append(folded_piece)
        position += len(piece)
    return NormalizedText("".join(out), tuple(anchors), tuple(origin) if origin is not None else None,
                          "".join(folded_out))


def _collapse_double_spacing(lines: list[_Line]) -> list[_Line]:
    """Drop the single blank lines of double-spaced text (PDF copy-paste puts one after every line)."""
    texts = [bool(line.text) for line in lines]
    followed = sum(1 for i in range(len(texts) - 1) if texts[i] and not texts[i + 1])
    if followed < 0.6 * max(1, sum(texts)):
        return lines
    out: list[_Line] = []
    for i, line in enumerate(lines):
        if not line.text:
            before = i > 0 and not lines[i - 1].text
            after = i + 1 < len(lines) and not lines[i + 1].text
            if not (before or after):
                continue
        out.append(line)
    return out


def matching_text(text: str, vocab: Vocabulary, folded: str | None = None) -> tuple[str, int]:
    """Folded text with known OCR-damaged words repaired, same length as `text`, and the
    number of repairs made (a document with several is treated as OCR-damaged). `folded`:
    fold(text), when the caller has it already."""
    folded = fold(text) if folded is None else folded
    if not vocab.ocr_words:
        return folded, 0
    repairs = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal repairs
        seen = match.group(0)
        meant = vocab.ocr_words.get(" ".join(seen.split()))
        if meant and len(meant) <= len(seen):
            repairs += 1
            return meant.ljust(len(seen))
        return seen

    pattern = _ocr_pattern(tuple(vocab.ocr_words))
    return pattern.sub(repair, folded), repairs


_OCR_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _ocr_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _OCR_PATTERNS.get(words)
    if pattern is None:
        # the words longest first, as a trie (see vocab.word_alternation); the keys are
        # single-spaced, as `repair` looks them up
        single_spaced = {" ".join(w.split()) for w in words}
        pattern = _OCR_PATTERNS[words] = re.compile(word_alternation(single_spaced, "[a-z0-9]"))
    return pattern
