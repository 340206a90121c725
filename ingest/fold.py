"""Diacritic folding for matching only; never for display.

`fold` keeps the length of its input, one character for one character, so an offset
found in folded text is the same offset in the text that was folded. Every matcher in
chidao searches folded text and reports spans into the normalised text.
"""
from __future__ import annotations

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


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics (đ → d), keeping the length."""
    folded = text.translate(_TABLE)
    if folded.isascii():
        return folded
    # Rare characters outside the table (Greek, Cyrillic capitals…): lower one by one.
    return "".join(c if ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 else _fold_other(c) for c in folded)


@lru_cache(maxsize=4096)
def _fold_other(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold_key(text: str) -> str:
    """Folded, with runs of white space collapsed and trimmed: a key for lookups."""
    return " ".join(fold(text).split())
