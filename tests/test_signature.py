"""ingest/parse/signature.py: where the body ends, the signing capacity and the signer.

Nghị định 30/2020/NĐ-CP puts "Nơi nhận" bottom left and the signature block bottom right:
the capacity (TM., KT., TL., Q., T/M), the position, then the name. Copied out of a PDF the
two columns come one after the other; typed, they may share a line. Each row is the end of
a letter: a body line, then a footer.
"""
from __future__ import annotations

import pytest

from ingest.normalize import normalize
from ingest.parse.context import DocText
from ingest.parse.signature import Footer, parse_footer, strip_rank
from ingest.vocab import load_vocabulary

BODY = "Đề nghị các đơn vị nghiêm túc thực hiện./."
SENT_TO = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]


def footer_of(lines: list[str]) -> tuple[DocText, Footer]:
    vocab = load_vocabulary()
    doc = DocText(normalize("\n".join([BODY, *lines]) + "\n", vocab).text, vocab)
    return doc, parse_footer(doc, 0)


# (signature block, signer, signing capacity)
BLOCKS = [
    pytest.param(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Lương"], "Lê Văn Lương",
                 "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", id="tm_committee"),
    pytest.param(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hùng"], "Nguyễn Văn Hùng",
                 "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", id="tm_then_kt"),
    pytest.param(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lò Thị Mai"], "Lò Thị Mai",
                 "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", id="kt_deputy"),
    pytest.param(["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Trần Quốc Bảo"], "Trần Quốc Bảo",
                 "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG", id="tl_on_behalf"),
    pytest.param(["Q. CHÁNH VĂN PHÒNG", "Phạm Thị Hoa"], "Phạm Thị Hoa", "Q. CHÁNH VĂN PHÒNG", id="q_acting"),
    pytest.param(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Vàng Văn Sử"], "Vàng Văn Sử",
                 "T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ", id="party_standing_board"),
    pytest.param(["TM. BAN THƯỜNG VỤ", "BÍ THƯ", "Giàng A Tủa"], "Giàng A Tủa",
                 "TM. BAN THƯỜNG VỤ / BÍ THƯ", id="party_tm"),
    pytest.param(["KT. CHỈ HUY TRƯỞNG", "PHÓ CHỈ HUY TRƯỞNG", "Đại tá Tạ Quang Huy"], "Tạ Quang Huy",
                 "KT. CHỈ HUY TRƯỞNG / PHÓ CHỈ HUY TRƯỞNG", id="rank_before_the_name"),
    pytest.param(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Thượng tá Lù Văn Chiến"], "Lù Văn Chiến",
                 "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", id="rank_thuong_ta"),
    pytest.param(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TS. Lê Văn An"], "Lê Văn An",
                 "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", id="degree_before_the_name"),
    pytest.param(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "NGUYỄN VĂN HÙNG"], "Nguyễn Văn Hùng",
                 "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", id="name_in_capitals"),
    pytest.param(["CHÁNH VĂN PHÒNG", "Hoàng Minh Tuấn"], "Hoàng Minh Tuấn", "CHÁNH VĂN PHÒNG",
                 id="position_without_capacity"),
    pytest.param(["KT. GIAM DOC", "PHO GIAM DOC", "Lo Thi Mai"], "Lo Thi Mai", "KT. GIAM DOC / PHO GIAM DOC",
                 id="stripped"),
    pytest.param(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Văn Hùng"], "Nguyễn Văn Hùng",
                 "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", id="signed_mark_before_the_name"),
]


@pytest.mark.parametrize(("block", "signer", "capacity"), BLOCKS)
def test_signature_after_sent_to(block: list[str], signer: str, capacity: str) -> None:
    doc, footer = footer_of([*SENT_TO, *block])
    assert (footer.signer.value, footer.capacity.value) == (signer, capacity)
    assert doc.text[:footer.start].rstrip().endswith("./.")


@pytest.mark.parametrize(("block", "signer", "capacity"), BLOCKS)
def test_signature_before_sent_to(block: list[str], signer: str, capacity: str) -> None:
    """A PDF copy may put the right column (the signature) before the left one (Nơi nhận)."""
    doc, footer = footer_of([*block, *SENT_TO])
    assert footer.capacity.value == capacity
    assert doc.text[:footer.start].rstrip().endswith("./.")


def test_two_columns_typed_on_one_line() -> None:
    doc, footer = footer_of(["Nơi nhận:                                   KT. CHỦ TỊCH",
                             "- Như trên;                                  PHÓ CHỦ TỊCH",
                             "- Lưu: VT.", "", "Nguyễn Văn Hùng"])
    assert (footer.signer.value, footer.capacity.value) == ("Nguyễn Văn Hùng", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert doc.text[:footer.start].rstrip().endswith("./.")


def test_no_signature() -> None:
    doc, footer = footer_of([])
    assert (footer.signer.value, footer.capacity.value) == (None, None)
    assert doc.text[:footer.start] == BODY


def test_appendix_after_the_signature_is_not_the_signer() -> None:
    _, footer = footer_of([*SENT_TO, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hùng", "",
                           "PHỤ LỤC", "DANH MỤC NHIỆM VỤ", "Trần Văn Nam"])
    assert footer.signer.value == "Nguyễn Văn Hùng"


@pytest.mark.parametrize(("printed", "name"), [
    pytest.param("Đại tá Tạ Quang Huy", "Tạ Quang Huy", id="colonel"),
    pytest.param("Thiếu tướng Nguyễn Văn Long", "Nguyễn Văn Long", id="major_general"),
    pytest.param("Trung úy Lò Văn Dũng", "Lò Văn Dũng", id="lieutenant"),
    pytest.param("TS. Lê Văn An", "Lê Văn An", id="doctor"),
    pytest.param("ThS. Đỗ Thị Hà", "Đỗ Thị Hà", id="master"),
    pytest.param("PGS.TS. Phan Văn Tú", "Phan Văn Tú", id="associate_professor"),
    pytest.param("Nguyễn Đại Tá", "Nguyễn Đại Tá", id="name_that_contains_a_rank_word"),
])
def test_strip_rank(printed: str, name: str) -> None:
    assert strip_rank(printed) == name
