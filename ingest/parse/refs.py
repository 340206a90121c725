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
_OCR_FOR_D = str.maketrans({"b": "d", "p": "d"})


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
    if key in spellings:
        return spellings[key]
    repaired = key.translate(_OCR_FOR_D)
    if repaired != key and repaired in spellings and printed.isupper():
        return spellings[repaired]
    return printed.upper() if not any(c.islower() for c in printed[1:]) or printed.isupper() else printed


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
