"""Recognises Vietnamese typed in the pre-Unicode font encodings TCVN3 (ABC) and VNI-Windows.

Such text is stored as Latin-1 letters and symbols that only the legacy fonts (.VnTime,
VNI-Times) draw as Vietnamese: "Céng hoµ" (TCVN3) and "Coäng hoøa" (VNI) both mean
"Cộng hoà". Readers see those Latin-1 characters whichever way the file reached them (a
single-byte .txt, a UTF-8 copy of one, a DOCX or PDF that names the old font).

Detection scores every word against the letter sequences characteristic of each encoding
and decides on the share of words that match, never on one pattern, so a stray "µm",
"Noël" or soft hyphen in ordinary text cannot tip it. Words that contain Unicode
Vietnamese letters (ơ, ư, đ, ạ … ỹ) count against both encodings.

Conversion reads the code tables from ingest/vocab/legacy_charsets.yaml (every Vietnamese
letter with its TCVN3 byte and VNI bytes). Text whose font is known (a DOCX run in .VnTime)
is decoded as a whole; text without one (a .txt, a .doc, a web page) is decoded line by
line, leaving alone the lines that hold letters only Unicode has, since a legacy font can
never produce them.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows"}

# TCVN3 puts lowercase vowels on Latin-1 symbols (µ à, ¸ á, ¨ ă, © â, ® đ, « ô, ¬ ơ, ×
# ì, ÷ ữ …), which real text never puts next to a letter. Each counts only on the side a
# vowel can have a letter: ® and § (đ, Đ) start a syllable, so "Microsoft®" is no
# evidence; © (â), « and » (ô, ằ) never do, so neither are "©Microsoft" and «quotes».
_T_AFTER_LETTER = "¡¢£¤¥¦¨©ª«¬µ¶·¸¹»¼½¾×÷"
_T_BEFORE_LETTER = "¡¢£¤¥¦§¨ª¬®µ¶·¸¹¼½¾×÷"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_T_SYMBOL = re.compile(f"[{_LETTER}][{_T_AFTER_LETTER}]|[{_T_BEFORE_LETTER}][{_LETTER}]")
# TCVN3 also uses Latin-1 capitals for lowercase vowels (Ö ệ, Õ ế, Ý í, Ò ề, Þ ị …),
# which gives "ViÖt", "®Õn", "ChÝnh": a capital right after a lowercase letter. Windows-1258
# text seen as Latin-1 shows Ì Ò Þ there too (its combining tone marks), so only the other
# capitals are as distinctive as the vowel symbols.
_T_LOWER_LEFT = "a-z¨©ª¬®µ¶·¸¹¼½¾"
_T_CAPITAL_DISTINCT = re.compile(f"[{_T_LOWER_LEFT}][À-ËÍ-ÑÓ-ÖØ-Ý]")
_T_CAPITAL = re.compile(f"[{_T_LOWER_LEFT}][ÌÒÞ]")
# Weaker: Latin-1 letters that Vietnamese lacks (ñ ủ, ø ứ, ï ù …) after a letter, at half
# weight since French has some of them; German's ä ö ü ß (TCVN3 ọ ử ỹ ò) are left out.
# The soft hyphen is ư ("ng­êi").
_T_FOREIGN = re.compile("[A-Za-z][ÆÇÈËÎÏÐÑÖØÜÞåæçëîïñøûþ\u00ad]")

# VNI writes a plain vowel followed by a mark character in the same case. Shape marks
# (circumflex, breve, horn, đ) spell "nhaân" (nhân), "Vieät" (Việt), "naêm" (năm),
# "ñöôïc" (được) and occur in no other language; tone marks alone ("chuû" chủ, "UÛy" Ủy)
# also appear in French ("où", "naïf"). Pairs that spell Unicode Vietnamese are left out:
# u + â (quân), o + à/á/ã (hoà, hoá, hoãn).
_V_SHAPE = re.compile(
    "[ae][âáàåãä]|o[âåä]|[AE][ÂÁÀÅÃÄ]|O[ÂÅÄ]"
    "|a[êéèúüë]|A[ÊÉÈÚÜË]"
    "|[ôö][ùøûõïô]|[ÔÖ][ÙØÛÕÏÔ]"
)
_V_TONE = re.compile("[aeiouy][ùøûõï]|[AEIOUY][ÙØÛÕÏ]")
_V_D_STROKE = re.compile("ñ[aeiouyôö]|Ñ[AEIOUYÔÖaeiouyôö]")  # word-initial đ/Đ

_UNICODE_VIETNAMESE = re.compile(
    "[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]"
)
_ASCII_LETTER = re.compile("[A-Za-z]")
_EDGE = string.punctuation + string.digits

_MIN_HITS = 2.0
_MIN_SHARE = 0.20  # legacy text matches on 40–70 % of its words
_MIN_DISTINCT_SHARE = 0.05  # and on 20–40 % with marks no other language uses
_DOMINANCE = 1.5
# A legacy font covers a whole document; its first pages decide as well as all of them.
_SCAN_LIMIT = 400_000


@dataclass(frozen=True, slots=True)
class LegacyScores:
    words: int  # words holding an ASCII letter
    unicode_words: int  # of those, words with Unicode Vietnamese letters
    tcvn3: float
    tcvn3_distinct_words: int  # words with vowel symbols or distinctive capitals
    vni: float
    vni_shape_words: int  # words with circumflex, breve, horn or đ marks


def score_legacy(text: str) -> LegacyScores:
    """Per-encoding evidence over the words of `text`; `detect_legacy_encoding` decides on it."""
    words = unicode_words = distinct_words = shape_words = 0
    tcvn3 = vni = 0.0
    for raw in text[:_SCAN_LIMIT].split():
        word = raw.strip(_EDGE)
        if not _ASCII_LETTER.search(word):
            continue
        words += 1
        if _UNICODE_VIETNAMESE.search(word):
            unicode_words += 1
            continue
        if _T_SYMBOL.search(word) or _T_CAPITAL_DISTINCT.search(word):
            tcvn3 += 1.0
            distinct_words += 1
        elif _T_CAPITAL.search(word):
            tcvn3 += 1.0
        elif _T_FOREIGN.search(word):
            tcvn3 += 0.5
        if _V_SHAPE.search(word) or _V_D_STROKE.match(word):
            vni += 1.0
            shape_words += 1
        elif _V_TONE.search(word):
            vni += 1.0
    return LegacyScores(words, unicode_words, tcvn3, distinct_words, vni, shape_words)


# Letters of Unicode's Latin Extended Additional block (ạ ả ấ … ỹ): an 8-bit legacy font
# decoded as Latin-1 or Windows-125x can never produce them.
_EXTENDED_ADDITIONAL = re.compile("[\u1ea0-\u1ef9]")


def detect_legacy_encoding(text: str) -> str | None:
    """"tcvn3" or "vni" when `text` reads as that legacy font encoding, else None."""
    sample = text[:_SCAN_LIMIT]
    if len(_EXTENDED_ADDITIONAL.findall(sample, 0, 20_000)) >= 20:
        return None  # Unicode Vietnamese: the word-by-word scoring below cannot change that
    scores = score_legacy(text)
    floor = max(_MIN_HITS, _MIN_SHARE * scores.words)
    distinct_floor = max(_MIN_HITS, _MIN_DISTINCT_SHARE * scores.words)
    # Each encoding must show marks no other text has, not only the ones it shares with
    # French, German or Windows-1258 seen as Latin-1.
    if (
        scores.tcvn3 >= floor
        and scores.tcvn3_distinct_words >= distinct_floor
        and scores.tcvn3 > _DOMINANCE * scores.vni
        and scores.tcvn3 > scores.unicode_words
    ):
        return "tcvn3"
    if (
        scores.vni >= floor
        and scores.vni_shape_words >= distinct_floor
        and scores.vni > _DOMINANCE * scores.tcvn3
        and scores.vni > scores.unicode_words
    ):
        return "vni"
    return None


def describe_legacy(name: str) -> str:
    return f"the {LEGACY_NAMES[name]} legacy font encoding"


# --- conversion to Unicode ------------------------------------------------------------------

_CHARSETS_FILE = "legacy_charsets.yaml"
# Bytes 0x80–0x9F of a legacy file read as Latin-1: Word wrote them as Windows-1252 quotes
# and dashes, which no legacy font redefines.
_C1_AS_CP1252 = {chr(code): bytes([code]).decode("cp1252") for code in range(0x80, 0xA0)
                 if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}  # the five Windows-1252 leaves undefined
_LINE = re.compile(r"[^\n]*\n?")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LegacyCharset:
    key: str  # "tcvn3", "vni"
    name: str  # "TCVN3 (ABC)"
    font_prefixes: tuple[str, ...]  # lowercased
    capitals_font_suffix: str | None  # TCVN3's .VnTimeH: the font draws every letter as a capital
    decoding: dict[str, str]  # legacy sequence (as Latin-1 characters) → Unicode letter
    encoding: dict[str, str]  # Unicode letter → legacy sequence
    longest: int  # characters in the longest legacy sequence
    caseless: frozenset[str]  # decoded letters whose capital only a capitals font can show
    sequences: re.Pattern[str]  # any legacy sequence, longest first, or a 0x80–0x9F character

    def decode(self, text: str, *, capitals: bool = False) -> str:
        """`text` known to be in this encoding, as Unicode; `capitals` for a capitals font."""
        out = self.sequences.sub(self._letter, text)
        return out.upper() if capitals else out

    def _letter(self, match: re.Match[str]) -> str:
        seq = match.group()
        return self.decoding.get(seq) or _C1_AS_CP1252.get(seq, seq)

    def decode_pieces(self, pieces: list[str], *, capitals: bool = False) -> list[str]:
        """Pieces of one text (a word split over DOCX runs, "Vie" + "ät"), decoded together.

        Each decoded letter goes to the piece its legacy sequence starts in.
        """
        joined = "".join(pieces)
        owner = [index for index, piece in enumerate(pieces) for _ in piece]
        out: list[list[str]] = [[] for _ in pieces]
        i, size = 0, len(joined)
        while i < size:
            for length in range(min(self.longest, size - i), 0, -1):
                letter = self.decoding.get(joined[i:i + length])
                if letter is not None:
                    break
            else:
                letter, length = _C1_AS_CP1252.get(joined[i], joined[i]), 1
            out[owner[i]].append(letter.upper() if capitals else letter)
            i += length
        return ["".join(chars) for chars in out]

    def encode(self, text: str) -> str:
        """Unicode `text` as this encoding stores it, shown as Latin-1 characters (for tests)."""
        return "".join(self.encoding.get(char, char) for char in text)


@lru_cache(maxsize=1)
def legacy_charsets() -> dict[str, LegacyCharset]:
    """The TCVN3 and VNI tables of ingest/vocab/legacy_charsets.yaml, validated once."""
    from ..vocab import VocabularyError, _read, _validate  # the one loader of ingest/vocab

    data = _read(_CHARSETS_FILE)
    _validate(_CHARSETS_FILE, data)
    tables: dict[str, dict[str, str]] = {"tcvn3": {}, "vni": {}}
    caseless: set[str] = set()
    for entry in data["letters"]:
        for key, table in tables.items():
            table[entry["letter"]] = bytes.fromhex(entry[key]).decode("latin-1")
        if entry.get("tcvn3_capitals_font"):
            caseless.add(entry["letter"].lower())
    charsets: dict[str, LegacyCharset] = {}
    for key, encoding in tables.items():
        # A capital that shares its lowercase letter's code decodes to the lowercase letter.
        shared = caseless if key == "tcvn3" else set()
        decoding = {seq: letter for letter, seq in encoding.items()
                    if letter.islower() or letter.lower() not in shared}
        if len(decoding) != len(encoding) - len(shared) or any(
            encoding[letter] != encoding[letter.upper()] for letter in shared
        ):
            raise VocabularyError(f"{_CHARSETS_FILE}: {key} gives two letters one code")
        meta = data["encodings"][key]
        charsets[key] = LegacyCharset(
            key=key,
            name=meta["name"],
            font_prefixes=tuple(p.lower() for p in meta["font_prefixes"]),
            capitals_font_suffix=meta.get("capitals_font_suffix"),
            decoding=decoding,
            encoding=encoding,
            longest=max(len(seq) for seq in decoding),
            caseless=frozenset(caseless) if key == "tcvn3" else frozenset(),
            sequences=re.compile("|".join(
                [re.escape(seq) for seq in sorted(decoding, key=len, reverse=True)] + ["[\x80-\x9f]"]
            )),
        )
    return charsets


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """("tcvn3", capitals) or ("vni", False) for a legacy font name, None for any other font."""
    if not font:
        return None
    name = font.strip()
    for charset in legacy_charsets().values():
        if name.lower().startswith(charset.font_prefixes):
            suffix = charset.capitals_font_suffix
            return charset.key, bool(suffix) and name.endswith(suffix)
    return None


def has_unicode_vietnamese(text: str) -> bool:
    """Whether `text` holds a letter no legacy font can produce: it is Unicode already."""
    return _UNICODE_VIETNAMESE.search(text) is not None


def convert_legacy_text(text: str, key: str) -> str:
    """Text in encoding `key` that carries no font information, as Unicode, line by line.

    A line with letters only Unicode has is kept as it is (a document that mixes both). In
    TCVN3 a capital with a tone needs the capitals font, so a plain-text line typed in
    capitals reads "CéNG HOµ": the letters around a lowercase-only code decide its case.
    """
    charset = legacy_charsets()[key]
    out: list[str] = []
    for line in _LINE.findall(text):
        if not line or has_unicode_vietnamese(line):
            out.append(line)
            continue
        decoded = charset.decode(line)
        out.append(_restore_capitals(decoded, charset) if charset.caseless else decoded)
    return "".join(out)


def _restore_capitals(decoded: str, charset: LegacyCharset) -> str:
    """Upper-cases the lowercase-only letters of words typed in capitals."""
    words: list[tuple[int, int, int]] = []  # start, end, +1 capitals / -1 lowercase / 0 unknown
    for match in _WORD.finditer(decoded):
        start, end = match.span()
        if not any(char in charset.caseless for char in decoded[start:end]):
            continue
        # Letters whose case the code shows: ASCII ones, and TCVN3's own capitals Ă Â Ê Ô Ơ Ư Đ.
        cased = [d for d in decoded[start:end] if d not in charset.caseless and d.lower() != d.upper()]
        vote = 0
        if cased and all(d.isupper() for d in cased):
            vote = 1 if len(cased) >= 2 else 0
        elif any(d.islower() for d in cased):
            vote = -1
        words.append((start, end, vote))
    if not words:
        return decoded
    # Symbols are capitals in any line ("Sè: 312/SNV-VP"), so only the words that hold a
    # lowercase-only code vote on the line, which decides the words too short to say.
    capitals_line = sum(vote for _, _, vote in words) > 0
    chars = list(decoded)
    for start, end, vote in words:
        if vote > 0 or (vote == 0 and capitals_line):
            chars[start:end] = decoded[start:end].upper()
    return "".join(chars)


def convert_if_legacy(text: str) -> tuple[str, str | None]:
    """(Unicode text, the encoding's key) when `text` reads as TCVN3 or VNI, else (text, None)."""
    key = detect_legacy_encoding(text)
    if key is None:
        return text, None
    return convert_legacy_text(text, key), key


def converted_warning(key: str, detail: str = "") -> str:
    """The reader warning a converted record carries."""
    return f"converted from {LEGACY_NAMES[key]} to Unicode{f' ({detail})' if detail else ''}"
