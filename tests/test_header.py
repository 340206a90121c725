"""ingest/parse/header.py (and issuer.py): the header of small synthetic documents.

Each test builds a document from the blocks Nghị định 30/2020/NĐ-CP (State) and Hướng dẫn
36-HD/VPTW (Party) put at the top: the issuer block (parent over unit), the motto, the
"Số:" line, the place-date line, the title word or the V/v trích yếu, and "Kính gửi"; then
a one-line body and a footer. Copied out of a PDF, the two columns of the header come one
after the other; typed, they sit on one line separated by spaces, which `normalize` splits.
"""
from __future__ import annotations

import pytest

from ingest.pipeline import Parser
from ingest.records import Header, ParsedDocument, Source

SOURCE = Source("x.txt", "0" * 64, "txt")
STATE_MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
PARTY_MOTTO = ["ĐẢNG CỘNG SẢN VIỆT NAM"]
BODY = "Đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày 25/02/2026./."
FOOTER = ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hùng"]


def document(issuer: list[str], *, motto: list[str] | None = None, number: str = "Số: 45/UBND-VP",
             date: str = "Lai Châu, ngày 19 tháng 01 năm 2026", middle: list[str] | None = None,
             recipients: list[str] | None = None, body: str = BODY, footer: list[str] | None = None) -> str:
    lines = [*issuer, *(STATE_MOTTO if motto is None else motto), number, date,
             *(["V/v triển khai chuyển đổi số năm 2026"] if middle is None else middle),
             *(["Kính gửi: Các sở, ban, ngành tỉnh."] if recipients is None else recipients),
             "", body, "", *(FOOTER if footer is None else footer)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.build()


def header_of(parser: Parser, text: str) -> Header:
    return parser.parse_text(text, SOURCE).header


def parsed(parser: Parser, text: str) -> ParsedDocument:
    return parser.parse_text(text, SOURCE)


# --- the issuer: parent and unit composed -------------------------------------------------------

ISSUERS = [
    pytest.param(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], STATE_MOTTO,
                 "Văn phòng Ủy ban nhân dân tỉnh Lai Châu", id="office_takes_its_parent"),
    pytest.param(["UBND TỈNH LAI CHÂU", "SỞ TÀI CHÍNH"], STATE_MOTTO,
                 "Sở Tài chính tỉnh Lai Châu", id="department_takes_the_province"),
    pytest.param(["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"], STATE_MOTTO,
                 "Sở Khoa học và Công nghệ tỉnh Lai Châu", id="department_full_parent_name"),
    pytest.param(["UBND HUYỆN PHONG THỔ", "PHÒNG NỘI VỤ"], STATE_MOTTO,
                 "Phòng Nội vụ huyện Phong Thổ", id="district_office_takes_the_district"),
    pytest.param(["TỈNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO VÀ DÂN VẬN"], PARTY_MOTTO,
                 "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu", id="party_organ_takes_its_committee"),
    pytest.param(["ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY PHONG THỔ"], PARTY_MOTTO,
                 "Huyện ủy Phong Thổ", id="district_committee_under_provincial_party"),
    pytest.param(["ỦY BAN NHÂN DÂN", "XÃ TÂN UYÊN"], STATE_MOTTO,
                 "Ủy ban nhân dân xã Tân Uyên", id="commune_committee_on_two_lines"),
    pytest.param(["UBND TỈNH LAI CHÂU"], STATE_MOTTO,
                 "Ủy ban nhân dân tỉnh Lai Châu", id="single_line_abbreviated"),
]


@pytest.mark.parametrize(("issuer", "motto", "expected"), ISSUERS)
def test_issuer(parser: Parser, issuer: list[str], motto: list[str], expected: str) -> None:
    number = "Số: 45-CV/TU" if motto is PARTY_MOTTO else "Số: 45/UBND-VP"
    assert header_of(parser, document(issuer, motto=motto, number=number)).issuer.value == expected


def test_issuer_signing_for_the_standing_board(parser: Parser) -> None:
    """Annotation guide: T/M BAN THƯỜNG VỤ under TỈNH ỦY X → Ban Thường vụ Tỉnh ủy X."""
    text = document(["TỈNH ỦY LAI CHÂU"], motto=PARTY_MOTTO, number="Số 591-CV/TU",
                    footer=["Nơi nhận:", "- Như trên,", "- Lưu Văn phòng Tỉnh ủy.", "T/M BAN THƯỜNG VỤ",
                            "PHÓ BÍ THƯ THƯỜNG TRỰC", "Giàng Páo Mỷ"])
    assert header_of(parser, text).issuer.value == "Ban Thường vụ Tỉnh ủy Lai Châu"


def test_issuer_span_covers_the_issuer_block(parser: Parser) -> None:
    text = document(["UBND TỈNH LAI CHÂU", "SỞ TÀI CHÍNH"])
    doc = parsed(parser, text)
    span = doc.header.issuer.span
    assert span is not None and doc.text[span.start:span.end] == "UBND TỈNH LAI CHÂU\nSỞ TÀI CHÍNH"


# --- number, symbol, ref ------------------------------------------------------------------------

NUMBERS = [
    pytest.param("Số: 45/UBND-VP", "45", "UBND-VP", "45/UBND-VP", id="state_letter"),
    pytest.param("Số: 2653/KH-UBND", "2653", "KH-UBND", "2653/KH-UBND", id="state_plan"),
    pytest.param("Số 591-CV/TU", "591", "CV/TU", "591-CV/TU", id="party_letter_without_colon"),
    pytest.param("Số: 15/2024/QĐ-UBND", "15", "2024/QĐ-UBND", "15/2024/QĐ-UBND", id="year_style"),
    pytest.param("Số:      /UBND-VP", None, "UBND-VP", None, id="blank_number_symbol_kept"),
    pytest.param("Số:          /VPUBND-HCQT", None, "VPUBND-HCQT", None, id="blank_number_long_gap"),
    pytest.param("Số       -CV/ĐU", None, "CV/ĐU", None, id="blank_party_number"),
    pytest.param("So: 12-CV/DU", "12", "CV/ĐU", "12-CV/ĐU", id="stripped_symbol_recovered"),
    pytest.param("S6:671/LBLD", "671", "LĐLĐ", "671/LĐLĐ", id="ocr_number_line"),
]


@pytest.mark.parametrize(("line", "number", "symbol", "ref"), NUMBERS)
def test_number_symbol_ref(parser: Parser, line: str, number: str | None, symbol: str, ref: str | None) -> None:
    header = header_of(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], number=line))
    assert (header.number.value, header.symbol.value, header.ref.value) == (number, symbol, ref)


# --- place and date -------------------------------------------------------------------------------

DATES = [
    pytest.param("Lai Châu, ngày 19 tháng 01 năm 2026", "Lai Châu", "2026-01-19", id="full_date"),
    pytest.param("Lai Châu, ngày 5 tháng 3 năm 2026", "Lai Châu", "2026-03-05", id="single_digit_day"),
    pytest.param("Lai Châu, ngày      tháng 01 năm 2026", "Lai Châu", "2026-01", id="blank_day"),
    pytest.param("Lai Châu, ngày      tháng      năm 2026", "Lai Châu", "2026", id="blank_day_and_month"),
    pytest.param("Phong Thổ, ngày 02 tháng 02 năm 2026", "Phong Thổ", "2026-02-02", id="district_place"),
    pytest.param("Lai Chau, ngay 19 thang 01 nam 2026", "Lai Châu", "2026-01-19", id="stripped_place_restored"),
]


@pytest.mark.parametrize(("line", "place", "date"), DATES)
def test_place_and_date(parser: Parser, line: str, place: str, date: str) -> None:
    header = header_of(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], date=line))
    assert (header.place.value, header.date.value) == (place, date)


@pytest.mark.parametrize("gap", [pytest.param(" " * 12, id="spaces"), pytest.param("\t", id="tab")])
def test_two_columns_typed_on_one_line(parser: Parser, gap: str) -> None:
    text = "\n".join([
        f"UBND TỈNH LAI CHÂU{gap}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"SỞ NỘI VỤ{gap}Độc lập - Tự do - Hạnh phúc",
        f"Số: 112/SNV-CCVC{gap}Lai Châu, ngày 05 tháng 01 năm 2026",
        "V/v hướng dẫn bồi dưỡng kỹ năng số", "Kính gửi: Các sở, ban, ngành tỉnh.", "", BODY, "", *FOOTER])
    header = header_of(parser, text)
    assert (header.issuer.value, header.ref.value, header.place.value, header.date.value, header.kind.value) == (
        "Sở Nội vụ tỉnh Lai Châu", "112/SNV-CCVC", "Lai Châu", "2026-01-05", "cong_van")
    assert header.subject.value == "hướng dẫn bồi dưỡng kỹ năng số"


# --- subject --------------------------------------------------------------------------------------

SUBJECTS = [
    pytest.param(["V/v triển khai chuyển đổi số năm 2026"], "triển khai chuyển đổi số năm 2026", id="one_line"),
    pytest.param(["V/v triển khai thực hiện Kế hoạch số 95/KH-UBND", "về chuyển đổi số năm 2026"],
                 "triển khai thực hiện Kế hoạch số 95/KH-UBND về chuyển đổi số năm 2026", id="two_lines"),
    pytest.param(["V/v: tăng cường công tác phòng, chống", "thiên tai, tìm kiếm cứu nạn", "mùa mưa bão năm 2026"],
                 "tăng cường công tác phòng, chống thiên tai, tìm kiếm cứu nạn mùa mưa bão năm 2026",
                 id="three_lines_colon"),
    pytest.param(["Về việc tổ chức Hội nghị sơ kết công tác quý I/2026"],
                 "tổ chức Hội nghị sơ kết công tác quý I/2026", id="ve_viec"),
]


@pytest.mark.parametrize(("middle", "subject"), SUBJECTS)
def test_subject(parser: Parser, middle: list[str], subject: str) -> None:
    header = header_of(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], middle=middle))
    assert header.subject.value == subject


def test_subject_under_the_title_word(parser: Parser) -> None:
    text = document(["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"], number="Số: 95/KH-UBND", recipients=[],
                    middle=["KẾ HOẠCH", "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
                            "trên địa bàn tỉnh năm 2026"])
    header = header_of(parser, text)
    assert header.kind.value == "ke_hoach"
    assert header.subject.value == "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị trên địa bàn tỉnh năm 2026"


# --- kind ---------------------------------------------------------------------------------------------

KINDS = [
    pytest.param("Số: 95/KH-UBND", ["KẾ HOẠCH", "Chuyển đổi số năm 2026"], "ke_hoach", id="title_plan"),
    pytest.param("Số: 07-TB/BCĐ", ["THÔNG BÁO", "Kết luận của Trưởng Ban Chỉ đạo tỉnh"], "thong_bao", id="title_notice"),
    pytest.param("Số: 15/QĐ-UBND", ["QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác"], "quyet_dinh",
                 id="title_decision_over_ve_viec"),
    pytest.param("Số: 35-CTr/TU", ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "Thực hiện Nghị quyết số 57-NQ/TW"], "chuong_trinh",
                 id="title_programme"),
    pytest.param("Số: 112/BC-SYT", ["BÁO CÁO", "Kết quả thực hiện năm 2025"], "bao_cao", id="title_report"),
    pytest.param("Số: 45/UBND-VP", ["V/v triển khai chuyển đổi số"], "cong_van", id="vv_letter"),
    pytest.param("Số: 45/KH-UBND", ["V/v đôn đốc báo cáo"], "cong_van", id="vv_over_type_code"),
    pytest.param("Số: 12/QĐ-UBND", ["Thành lập Tổ công tác chuyển đổi số"], "quyet_dinh", id="type_code_only"),
    pytest.param("Số: 45-CV/ĐU", ["Tuyên truyền kỷ niệm 96 năm Ngày thành lập Đảng"], "cong_van",
                 id="party_letter_bare_subject"),
]


@pytest.mark.parametrize(("number", "middle", "kind"), KINDS)
def test_kind(parser: Parser, number: str, middle: list[str], kind: str) -> None:
    header = header_of(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], number=number, middle=middle,
                                        recipients=[]))
    assert header.kind.value == kind


# --- recipients ------------------------------------------------------------------------------------

RECIPIENTS = [
    pytest.param(["Kính gửi: Sở Nội vụ tỉnh Lai Châu."], ["Sở Nội vụ tỉnh Lai Châu"], id="inline_one"),
    pytest.param(["Kính gửi: Sở Tài chính; Sở Nội vụ; Sở Y tế."], ["Sở Tài chính", "Sở Nội vụ", "Sở Y tế"],
                 id="inline_semicolons"),
    pytest.param(["Kính gửi:", "- Các sở, ban, ngành tỉnh;", "- UBND các huyện, thành phố."],
                 ["Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố"], id="dash_list"),
    pytest.param(["Kính gửi:", "- Sở Tài chính; Sở Nội vụ;", "- Văn phòng UBND tỉnh."],
                 ["Sở Tài chính", "Sở Nội vụ", "Văn phòng UBND tỉnh"], id="dash_list_with_semicolons"),
    pytest.param(["Kính gửi: - Thường trực HĐND tỉnh;", "- Chủ tịch UBND tỉnh."],
                 ["Thường trực HĐND tỉnh", "Chủ tịch UBND tỉnh"], id="dash_after_the_colon"),
    pytest.param(["Kính gửi: Ủy ban nhân dân các xã, phường trên địa bàn", "tỉnh Lai Châu."],
                 ["Ủy ban nhân dân các xã, phường trên địa bàn tỉnh Lai Châu"], id="item_over_two_lines"),
    pytest.param(["Kinh gui: So Noi vu; So Tu phap."], ["So Noi vu", "So Tu phap"], id="stripped_as_typed"),
]


@pytest.mark.parametrize(("lines", "expected"), RECIPIENTS)
def test_recipients(parser: Parser, lines: list[str], expected: list[str]) -> None:
    doc = parsed(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"], recipients=lines))
    assert [r.value for r in doc.header.recipients] == expected
    for recipient in doc.header.recipients:
        assert recipient.span is not None


def test_body_starts_after_the_header(parser: Parser) -> None:
    doc = parsed(parser, document(["UBND TỈNH LAI CHÂU", "VĂN PHÒNG"]))
    assert len(doc.tasks) == 1 and doc.tasks[0].text.startswith("Đề nghị các cơ quan, đơn vị báo cáo")
