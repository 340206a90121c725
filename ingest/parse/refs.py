"""Number-symbols ("57-NQ/TW", "71/NQ-CP", "193/2025/QH15") found and made canonical.

The contract's canonical ref keeps the number and symbol as printed, upper case, no
spaces, Vietnamese letters kept. Text without diacritics or damaged by OCR ("CV/DU",
"671/LBLD") is recovered through the symbol vocabulary: a segment whose folded form, or
a form with the usual OCR confusions (B/P/D for Đ), is a known code takes its spelling.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..fold import fold
from ..vocab import Vocabulary

# On folded text. The symbol must hold a letter, so dates (22/12/2024) and ranges
# (2025-2030) are not refs. A number may be blank ("Số:   /VPUBND-HCQT"): header only.
REF = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,6}[a-z]?)\s?(?P<sep>[/-])\s?"
    r"(?P<sym>(?:\d{4}/)?[a-z0-9&]*[a-z][a-z0-9&]*(?:[-/][a-z0-9&]+)*)(?![\w&])")
SYMBOL_ONLY = re.compile(r"(?P<sep>[/-])\s?(?P<sym>[a-z0-9&]*[a-z][a-z0-9&]*(?:[-/][a-z0-9&]+)*)")


@dataclass(frozen=True, slots=True)
class RefParts:
    number: str | None
    sep: str
    symbol: str
    ref: str | None
    type_code: str | None  # the kind part: NQ in "57-NQ/TW" and in "71/NQ-CP"
    issuer_code: str | None  # TW, CP, UBND, LĐLĐ …


def canonical_segment(printed: str, vocab: Vocabulary) -> str:
    spellings = vocab.symbol_spellings
    key = fold(printed)
    if not printed.isascii():
        # printed with its Vietnamese letters: keep them ("HĐ" stays a contract, not a guide)
        return printed.upper() if printed.isupper() or not any(c.islower() for c in printed[1:]) else printed
    if key in spellings:
        return spellings[key]
    if printed.isupper():
        for repaired in _d_variants(key):
            if repaired in spellings:
                return spellings[repaired]
    return printed.upper() if not any(c.islower() for c in printed[1:]) or printed.isupper() else printed


def _d_variants(key: str) -> list[str]:
    """"bcb" → ["dcb", "bcd", "dcd"]: OCR read some Đ as B or P, not necessarily all."""
    places = [i for i, c in enumerate(key) if c in "bp"][:4]
    out = []
    for mask in range(1, 1 << len(places)):
        chars = list(key)
        for bit, i in enumerate(places):
            if mask >> bit & 1:
                chars[i] = "d"
        out.append("".join(chars))
    return out


def canonical_symbol(printed: str, vocab: Vocabulary) -> str:
    parts = re.split(r"([-/])", re.sub(r"\s+", "", printed))
    return "".join(p if p in "-/" else canonical_segment(p, vocab) for p in parts)


def split_ref(number: str | None, sep: str, printed_symbol: str, vocab: Vocabulary) -> RefParts:
    symbol = canonical_symbol(printed_symbol, vocab)
    segments = re.split(r"[-/]", symbol)
    if re.fullmatch(r"\d{4}", segments[0] or ""):
        segments = segments[1:]  # year-style: 193/2025/QH15, 13/2023/NĐ-CP
    type_code = issuer_code = None
    kind_codes = vocab.kind_codes
    if sep == "-":
        # Party: N-TYPE/ISSUER[-UNIT]
        type_code = segments[0] if fold(segments[0]) in kind_codes else None
        issuer_code = segments[1] if len(segments) > 1 else None
    else:
        # State: N/TYPE-ISSUER[-UNIT], or N/ISSUER-UNIT for a letter (245/SKHCN-KHCN)
        if fold(segments[0]) in kind_codes and len(segments) > 1:
            type_code, issuer_code = segments[0], segments[1]
        else:
            issuer_code = segments[0]
    number = number.upper() if number else None
    ref = f"{number}{sep}{symbol}" if number else None
    return RefParts(number, sep, symbol, ref, type_code, issuer_code)


def kind_of_type_code(code: str | None, vocab: Vocabulary) -> str | None:
    return vocab.kind_by_code.get(fold(code)) if code else None
