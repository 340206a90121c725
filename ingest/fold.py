"""Diacritic folding for matching only; never for display.

`fold` keeps the length of its input, one character for one character, so an offset
found in folded text is the same offset in the text that was folded. Every matcher in
chidao searches folded text and reports spans into the normalised text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    # A few characters lower-case to two (İ → i̇); keep the length invariant.
    return lowered[0] if lowered else char


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    for start, stop in ranges:
        for code in range(start, stop):
            char = chr(code)
            folded = _fold_char(char)
            if folded != char:
                table[code] = folded
    return table


_TABLE = _build_table()


def _fold_slow(text: str) -> str:
    """The definition: Latin letters lose their marks, other letters are lower-cased."""
    folded = text.translate(_TABLE)
    if folded.isascii():
        return folded
    # Rare characters outside the table (Greek, Cyrillic capitals…): lower one by one.
    return "".join(c if ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 else _fold_other(c) for c in folded)


@lru_cache(maxsize=4096)
def _fold_other(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


# `_fold_slow` as one lookup string, indexed by code point, for every character below
# _FAST_LIMIT: str.translate on a dict is twice as slow, and a character missing from a dict
# costs it a KeyError (the typographic dashes and quotes of every document). Characters
# past the end of the string are left alone by translate; the few texts holding any
# (CJK, full-width forms, emoji) take the slow path. tests/test_fold.py checks the two agree
# on every code point.
_FAST_LIMIT = 0x3000


def _fold_one(char: str) -> str:
    """_fold_slow of one character that has been through _TABLE (the lru_cache is slower here)."""
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return char
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


_FAST_TABLE = "".join([_fold_one(char) for char in "".join(map(chr, range(_FAST_LIMIT))).translate(_TABLE)])
_BEYOND_FAST = re.compile(f"[^\\x00-\\u{_FAST_LIMIT - 1:04x}]")


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics (đ → d), keeping the length."""
    folded = text.translate(_FAST_TABLE)
    if folded.isascii() or _BEYOND_FAST.search(folded) is None:
        return folded
    return _fold_slow(text)


def fold_key(text: str) -> str:
    """Folded, with runs of white space collapsed and trimmed: a key for lookups."""
    return " ".join(fold(text).split())
