"""tests/noise_model.py does what it says: the damage test_variants.py measures the parser by."""
from __future__ import annotations

import random
import re
import string

from hypothesis import given
from hypothesis import strategies as st
from noise_model import ocr_damage, strip_diacritics, wrap_lines

from ingest.fold import fold

SAMPLE = (
    "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\n"
    "Số: 2653/KH-UBND\n"
    "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
    "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia; Đảng ủy giao Sở Tài chính chủ "
    "trì, phối hợp với các đơn vị liên quan hoàn thành trước ngày 30/6/2025.\n"
)
_VIETNAMESE = st.text(alphabet=st.sampled_from(list(SAMPLE + "ăằắẳẵặươừứửữựỳýỷỹỵĐđ")), max_size=300)


def test_strip_diacritics_leaves_ascii_letters() -> None:
    assert strip_diacritics("Đảng ủy Lai Châu, Số: 57-NQ/TW") == "Dang uy Lai Chau, So: 57-NQ/TW"
    assert strip_diacritics("ĐOÀN THANH NIÊN") == "DOAN THANH NIEN"
    assert strip_diacritics(SAMPLE).isascii()


@given(_VIETNAMESE)
def test_strip_diacritics_is_what_fold_sees(text: str) -> None:
    stripped = strip_diacritics(text)
    assert stripped.isascii() and len(stripped) == len(text)
    assert fold(stripped) == fold(text)


def test_ocr_damage_is_deterministic_per_seed() -> None:
    assert ocr_damage(SAMPLE, random.Random(7)) == ocr_damage(SAMPLE, random.Random(7))
    assert ocr_damage(SAMPLE, random.Random(7)) != ocr_damage(SAMPLE, random.Random(8))
    assert ocr_damage(SAMPLE, random.Random(7), rate=0.0, digit_rate=0.0) == SAMPLE


def test_ocr_damage_looks_like_seed_004() -> None:
    text = SAMPLE * 40
    damaged = ocr_damage(text, random.Random(1))
    marked = sum(not c.isascii() for c in text)
    assert sum(not c.isascii() for c in damaged) < 0.4 * marked  # most marks gone or wrong
    assert abs(damaged.count("\n") - text.count("\n")) <= 0.2 * text.count("\n")  # lines kept
    numbers, kept = re.findall(r"\d+", text), re.findall(r"\d+", damaged)
    assert len(set(numbers) - set(kept)) <= 2 and len(kept) >= 0.9 * len(numbers)  # digits kept
    assert re.search(r"\b(?:s6|so6|sé|sb|sd)\b", damaged)  # the "số" the parser leans on


@given(_VIETNAMESE, st.integers(min_value=0, max_value=2**32))
def test_ocr_damage_never_touches_digits_when_told_not_to(text: str, seed: int) -> None:
    damaged = iter(re.findall(r"\d", ocr_damage(text, random.Random(seed), rate=1.0, digit_rate=0.0)))
    # Letters may be misread as digits (số → s6, xã → x4, là → 1a), but no digit is lost.
    assert all(digit in damaged for digit in re.findall(r"\d", text))


@given(st.text(alphabet=st.sampled_from(list(string.ascii_letters + "ạễộ- ")), max_size=400),
       st.integers(min_value=10, max_value=120))
def test_wrap_lines_keeps_the_text_and_the_width(text: str, width: int) -> None:
    wrapped = wrap_lines(text, width)
    assert "".join(wrapped.split()) == "".join(text.split())
    for line in wrapped.split("\n"):
        # Longer only when one word is longer than the line, or the line is laid out in columns.
        assert len(line) <= width or len(line.split()) <= 1 or "   " in line, line


def test_wrap_lines_cuts_references_after_the_hyphen() -> None:
    line = "Để tổ chức thực hiện có hiệu quả các mục tiêu, nhiệm vụ Nghị quyết số 57-NQ/TW, ngày 22/12/2024"
    assert wrap_lines(line, 76).split("\n")[0].endswith("số 57-")
    assert wrap_lines("Số: 12/KH-UBND             Lai Châu, ngày 15 tháng 01 năm 2026", 20).count("\n") == 0
