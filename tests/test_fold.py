"""ingest/fold.py: every Vietnamese letter folds to its ASCII base, and folding keeps the length.

Every matcher searches folded text and reports the offsets it found there as offsets into
the text that was folded, so `len(fold(x)) == len(x)` is what makes every span right.
"""
from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.fold import fold, fold_key

# The twelve vowels, each bare and with the five tones (grave, acute, hook, tilde, dot below),
# in the order Vietnamese dictionaries use.
VOWEL_ROWS = ("aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
              "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ")
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_MODIFIED = {"ă": "a\u0306", "â": "a\u0302", "ê": "e\u0302", "ô": "o\u0302", "ơ": "o\u031b", "ư": "u\u031b"}

LOWER = [c for row in VOWEL_ROWS for c in row if not c.isascii()] + ["đ"]
VIETNAMESE_LETTERS = LOWER + [c.upper() for c in LOWER]


def _base(letter: str) -> str:
    return "d" if letter in "đĐ" else unicodedata.normalize("NFD", letter)[0].lower()


def test_the_letter_list_is_complete() -> None:
    # 12 vowels × 6 forms, less the 6 bare ASCII vowels, in two cases, and đ, Đ.
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    for row in VOWEL_ROWS:
        bare = _MODIFIED.get(row[0], row[0])
        composed = [unicodedata.normalize("NFC", bare)] + [unicodedata.normalize("NFC", bare + t) for t in _TONES]
        assert list(row) == composed, f"row {row!r} is not {bare!r} with the five tones"
    assert all(len(c) == 1 and unicodedata.is_normalized("NFC", c) for c in VIETNAMESE_LETTERS)


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS, ids=lambda c: f"{c}-U+{ord(c):04X}")
def test_every_vietnamese_letter_folds_to_its_ascii_base(letter: str) -> None:
    assert fold(letter) == _base(letter)
    assert fold(letter).isascii()


def test_words_fold_letter_for_letter() -> None:
    assert fold("ĐẢNG CỘNG SẢN VIỆT NAM") == "dang cong san viet nam"
    assert fold("Tỉnh uỷ Lai Châu") == "tinh uy lai chau"
    assert fold("Số: 671/LĐLĐ") == "so: 671/ldld"
    assert fold_key("  Ban   Thường vụ\nTỉnh ủy ") == "ban thuong vu tinh uy"


def test_ascii_only_lowers() -> None:
    printable = string.printable
    assert fold(printable) == printable.lower()


@given(st.text())
def test_fold_keeps_the_length_of_any_text(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + list(string.ascii_letters + string.digits + " \n.,:/-"))))
def test_fold_of_vietnamese_text_is_ascii_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert fold(folded) == folded
    assert len(folded) == len(text)


def test_the_fast_table_agrees_with_the_definition_on_every_code_point() -> None:
    # fold() reads a table precomputed from _fold_slow for the code points it covers, and
    # falls back to _fold_slow for a text holding any other; both map character by character.
    from ingest.fold import _FAST_LIMIT, _fold_slow

    covered = "".join(map(chr, range(_FAST_LIMIT)))
    assert fold(covered) == _fold_slow(covered)
    for code in (_FAST_LIMIT, 0xFF21, 0x1D400, 0x10400):  # full-width Ａ, 𝐀, Deseret 𐐀
        assert fold(chr(code)) == _fold_slow(chr(code))
    mixed = "Ｑuyết định – “Số 12” 𝐀 ΣΑΣ Ǆ İ"  # full-width, astral and Greek beside Vietnamese
    assert fold(mixed) == _fold_slow(mixed) and len(fold(mixed)) == len(mixed)
