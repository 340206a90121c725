"""ingest/parse/refs.py: number-symbols found in folded text and made canonical.

The contract's canonical ref keeps number and symbol as printed, upper case, no spaces,
Vietnamese letters kept: Party `N-TYPE/ISSUER` (57-NQ/TW), State `N/TYPE-ISSUER` (71/NQ-CP),
year-style `N/YYYY/TYPE-ISSUER` (13/2023/NĐ-CP). Text typed without diacritics ("CV/DU",
"QD-TTg") and text OCR'd without a Vietnamese model ("671/LBLD": Đ read as B) yield the
same canonical ref, recovered through the symbol vocabulary.
"""
from __future__ import annotations

import pytest

from ingest.fold import fold
from ingest.parse.refs import REF, SYMBOL_ONLY, RefParts, canonical_symbol, kind_of_type_code, split_ref
from ingest.vocab import load_vocabulary


def refs_in(text: str) -> list[RefParts]:
    """Every number-symbol of a text, as the parsers find them: on folded text, with the
    symbol taken as printed."""
    vocab = load_vocabulary()
    return [split_ref(m.group("num"), m.group("sep"), text[m.start("sym"):m.end("sym")], vocab)
            for m in REF.finditer(fold(text))]


# (printed, canonical ref, type code, issuer code, kind by the type code)
REFS = [
    # Party: N-TYPE/ISSUER
    pytest.param("57-NQ/TW", "57-NQ/TW", "NQ", "TW", "nghi_quyet", id="party_resolution"),
    pytest.param("591-CV/TU", "591-CV/TU", "CV", "TU", "cong_van", id="party_letter"),
    pytest.param("02-TB/BCĐ", "02-TB/BCĐ", "TB", "BCĐ", "thong_bao", id="party_notice_steering_committee"),
    pytest.param("15-CTr/TU", "15-CTr/TU", "CTr", "TU", "chuong_trinh", id="party_programme_mixed_case"),
    pytest.param("204-QĐ/TW", "204-QĐ/TW", "QĐ", "TW", "quyet_dinh", id="party_decision"),
    pytest.param("36-HD/VPTW", "36-HD/VPTW", "HD", "VPTW", "huong_dan", id="party_guidance_hd_kept"),
    pytest.param("09-QĐi/TW", "09-QĐi/TW", "QĐi", "TW", "other", id="party_regulation_qdi"),
    pytest.param("12-CV/ĐU", "12-CV/ĐU", "CV", "ĐU", "cong_van", id="party_committee_letter"),
    # State: N/TYPE-ISSUER, or N/ISSUER-UNIT for a letter
    pytest.param("71/NQ-CP", "71/NQ-CP", "NQ", "CP", "nghi_quyet", id="state_resolution"),
    pytest.param("2653/KH-UBND", "2653/KH-UBND", "KH", "UBND", "ke_hoach", id="state_plan"),
    pytest.param("766/QĐ-TTg", "766/QĐ-TTg", "QĐ", "TTg", "quyet_dinh", id="state_decision_ttg_mixed_case"),
    pytest.param("245/SKHCN-KHCN", "245/SKHCN-KHCN", None, "SKHCN", None, id="state_letter_issuer_unit"),
    pytest.param("671/LĐLĐ", "671/LĐLĐ", None, "LĐLĐ", None, id="state_letter_issuer_only"),
    pytest.param("04/TTr-BKHCN-BTTTT", "04/TTr-BKHCN-BTTTT", "TTr", "BKHCN", "to_trinh", id="joint_submission"),
    pytest.param("12/HD-MTTQ-BTT", "12/HD-MTTQ-BTT", "HD", "MTTQ", "huong_dan", id="state_guidance_hd_kept"),
    pytest.param("15/NQ-HĐND", "15/NQ-HĐND", "NQ", "HĐND", "nghi_quyet", id="council_resolution"),
    # year-style
    pytest.param("193/2025/QH15", "193/2025/QH15", None, "QH15", None, id="year_style_national_assembly"),
    pytest.param("13/2023/NĐ-CP", "13/2023/NĐ-CP", "NĐ", "CP", "nghi_dinh", id="year_style_decree"),
    pytest.param("01/2011/TT-BNV", "01/2011/TT-BNV", "TT", "BNV", "thong_tu", id="year_style_circular"),
    pytest.param("15/2024/QĐ-UBND", "15/2024/QĐ-UBND", "QĐ", "UBND", "quyet_dinh", id="year_style_provincial_decision"),
    # typed without diacritics: the symbol vocabulary restores Đ
    pytest.param("12-CV/DU", "12-CV/ĐU", "CV", "ĐU", "cong_van", id="stripped_party_committee"),
    pytest.param("766/QD-TTg", "766/QĐ-TTg", "QĐ", "TTg", "quyet_dinh", id="stripped_decision"),
    pytest.param("13/2023/ND-CP", "13/2023/NĐ-CP", "NĐ", "CP", "nghi_dinh", id="stripped_decree"),
    pytest.param("02-TB/BCD", "02-TB/BCĐ", "TB", "BCĐ", "thong_bao", id="stripped_steering_committee"),
    pytest.param("671/LDLD", "671/LĐLĐ", None, "LĐLĐ", None, id="stripped_labour_federation"),
    pytest.param("15/NQ-HDND", "15/NQ-HĐND", "NQ", "HĐND", "nghi_quyet", id="stripped_council"),
    pytest.param("06/DA-UBND", "06/ĐA-UBND", "ĐA", "UBND", "de_an", id="stripped_scheme"),
    pytest.param("301/SGDDT-GDTrH", "301/SGDĐT-GDTrH", None, "SGDĐT", None, id="stripped_education_department"),
    # OCR without a Vietnamese model: Đ read as B or P
    pytest.param("671/LBLD", "671/LĐLĐ", None, "LĐLĐ", None, id="ocr_labour_federation_b"),
    pytest.param("671/LPLP", "671/LĐLĐ", None, "LĐLĐ", None, id="ocr_labour_federation_p"),
    pytest.param("12-CV/PU", "12-CV/ĐU", "CV", "ĐU", "cong_van", id="ocr_party_committee_p"),
    pytest.param("766/QP-TTg", "766/QĐ-TTg", "QĐ", "TTg", "quyet_dinh", id="ocr_decision_p"),
    pytest.param("02-TB/BCB", "02-TB/BCĐ", "TB", "BCĐ", "thong_bao", id="ocr_steering_committee_b"),
    # spaces a line join or a typist leaves
    pytest.param("57- NQ/TW", "57-NQ/TW", "NQ", "TW", "nghi_quyet", id="space_after_hyphen"),
    pytest.param("2653 /KH-UBND", "2653/KH-UBND", "KH", "UBND", "ke_hoach", id="space_before_slash"),
]


@pytest.mark.parametrize(("printed", "ref", "type_code", "issuer_code", "kind"), REFS)
def test_canonical_ref(printed: str, ref: str, type_code: str | None, issuer_code: str | None,
                       kind: str | None) -> None:
    (parts,) = refs_in(f"Thực hiện văn bản số {printed} của cơ quan cấp trên.")
    assert (parts.ref, parts.type_code, parts.issuer_code) == (ref, type_code, issuer_code)
    assert kind_of_type_code(parts.type_code, load_vocabulary()) == kind


@pytest.mark.parametrize("text", [
    pytest.param("ngày 22/12/2024", id="date_slash"),
    pytest.param("ngày 22-12-2024", id="date_dash"),
    pytest.param("ngày 22.12.2024", id="date_dot"),
    pytest.param("giai đoạn 2025-2030", id="year_range"),
    pytest.param("giai đoạn 2021 - 2025, tầm nhìn đến năm 2045", id="spaced_year_range"),
    pytest.param("trong tháng 3/2026", id="month"),
    pytest.param("đạt tỷ lệ 3/4 số xã", id="fraction"),
    pytest.param("điện thoại 0214.3876.543", id="phone_number"),
    pytest.param("phòng chống dịch Covid-19", id="disease_name"),
])
def test_not_a_ref(text: str) -> None:
    assert refs_in(text) == []


def test_several_refs_in_one_sentence() -> None:
    text = "Căn cứ Nghị quyết số 57-NQ/TW, Nghị quyết số 71/NQ-CP và Nghị định số 13/2023/NĐ-CP"
    assert [p.ref for p in refs_in(text)] == ["57-NQ/TW", "71/NQ-CP", "13/2023/NĐ-CP"]


def test_blank_number_keeps_the_symbol() -> None:
    """The header's "Số:      /VPUBND-HCQT": no number, so no ref, but the symbol is kept."""
    vocab = load_vocabulary()
    line = "Số:      /VPUBND-HCQT"
    found = SYMBOL_ONLY.search(fold(line))
    assert found is not None
    parts = split_ref(None, found.group("sep"), line[found.start("sym"):found.end("sym")], vocab)
    assert (parts.number, parts.symbol, parts.ref, parts.issuer_code) == (None, "VPUBND-HCQT", None, "VPUBND")


@pytest.mark.parametrize(("printed", "canonical"), [
    pytest.param("nq-cp", "NQ-CP", id="lower_case_upper_cased"),
    pytest.param("KH-UBND", "KH-UBND", id="upper_case_kept"),
    pytest.param("CTr/TU", "CTr/TU", id="mixed_case_kind_code_kept"),
    pytest.param("QĐ-TTg", "QĐ-TTg", id="mixed_case_issuer_code_kept"),
    pytest.param("KH - UBND", "KH-UBND", id="spaces_removed"),
])
def test_canonical_symbol(printed: str, canonical: str) -> None:
    assert canonical_symbol(printed, load_vocabulary()) == canonical
