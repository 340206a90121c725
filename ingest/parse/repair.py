"""Names read back into Vietnamese spelling when OCR mangled them.

A scan OCR'd without a Vietnamese model prints "Cong doan cac co quan Pang" for "Công
đoàn các cơ quan Đảng" and "LBLD" for "LĐLĐ" (ocr_confusions.yaml). For the names of
bodies, which draw on a small vocabulary, each word is looked up by its folded form in
the spellings the gazetteer uses, and capital codes are recovered through the Đ
confusions. Only documents the matcher found damaged are repaired; clean text is left
as printed.
"""
from __future__ import annotations

import re
from collections import Counter

from ..fold import fold
from ..vocab import Vocabulary

_FOR_D = str.maketrans({"b": "d", "p": "d"})


class NameRepair:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        forms: dict[str, Counter[str]] = {}
        pairs: dict[tuple[str, str], Counter[str]] = {}
        names = [n for org in vocab.organizations for n in (org.name, *org.aliases)]
        names += list(vocab.name_abbreviations.values())
        for name in names:
            words = [w for w in re.findall(r"[^\W\d_]+", name) if not (w.isupper() and len(w) > 1)]
            for i, word in enumerate(words):
                forms.setdefault(fold(word), Counter())[word.lower()] += 1
                if i:
                    pairs.setdefault((fold(words[i - 1]), fold(word)), Counter())[word.lower()] += 1
        self.words = {key: counts.most_common(1)[0][0] for key, counts in forms.items()}
        # "cơ quan", not the commoner "quản" of "Quản lý": the word before decides first
        self.pairs = {key: counts.most_common(1)[0][0] for key, counts in pairs.items()}
        self.codes = {fold(code): code for code in vocab.symbol_spellings.values() if code.isupper()}
        for abbreviation in vocab.name_abbreviations:
            self.codes.setdefault(abbreviation, abbreviation.upper())

    def repair(self, text: str) -> str:
        previous = [""]

        def word(match: re.Match[str]) -> str:
            out = self._word(match.group(0), previous[0])
            previous[0] = self.vocab.ocr_words.get(fold(match.group(0)), fold(match.group(0)))
            return out

        return re.sub(r"[^\W_]+(?:&[^\W_]+)*", word, text)

    def _word(self, word: str, previous: str) -> str:
        key = fold(word)
        if word.isupper() and len(word) >= 2:
            code = self.codes.get(key) or self.codes.get(key.translate(_FOR_D))
            return code if code and key.translate(_FOR_D) == fold(code).translate(_FOR_D) else word
        key = self.vocab.ocr_words.get(key, key)
        spelled = self.pairs.get((previous, key)) or self.words.get(key) or self._one_vowel_off(key)
        if spelled is None:
            return word
        if word[:1].isupper():
            return spelled[:1].upper() + spelled[1:]
        return spelled

    def _one_vowel_off(self, key: str) -> str | None:
        """"ceng" → "công": OCR read one vowel as another; take a single known candidate."""
        if len(key) < 3:
            return None
        found = set()
        for i, char in enumerate(key):
            if char in _VOWELS:
                for other in _VOWELS.replace(char, ""):
                    spelled = self.words.get(key[:i] + other + key[i + 1:])
                    if spelled:
                        found.add(spelled)
        return found.pop() if len(found) == 1 else None


_VOWELS = "aeiouy"
