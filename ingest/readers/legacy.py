"""Recognises Vietnamese typed in the pre-Unicode font encodings TCVN3 (ABC) and VNI-Windows.

Such text is stored as Latin-1 letters and symbols that only the legacy fonts (.VnTime,
VNI-Times) draw as Vietnamese: "Céng hoµ" (TCVN3) and "Coäng hoøa" (VNI) both mean
"Cộng hoà". Readers see those Latin-1 characters whichever way the file reached them (a
single-byte .txt, a UTF-8 copy of one, a DOCX or PDF that names the old font).

Detection scores every word against the letter sequences characteristic of each encoding
and decides on the share of words that match, never on one pattern, so a stray "µm",
"Noël" or soft hyphen in ordinary text cannot tip it. Words that contain Unicode
Vietnamese letters (ơ, ư, đ, ạ … ỹ) count against both encodings. Conversion to Unicode
belongs in this module when it is written.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

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
