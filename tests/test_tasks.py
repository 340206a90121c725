"""ingest/parse/tasks.py and task_tables.py: task boundaries, numbering, doers and deadlines.

Three small documents of the kinds the corpus holds: a provincial plan (roman sections, "1.",
"1.1.", "a)", "-", "+" items; a purposes section; a "Tổ chức thực hiện" section whose
headings are units), a department's letter whose requests name no doer, and a plan with an
appendix task table. Expectations follow the annotation guide, "Tasks": ids are the
document's own numbering path; the doer leads (`Giao X chủ trì`, `X chủ trì, phối hợp với
Y`, `Đề nghị X`, `Yêu cầu X`, `X có trách nhiệm`, `X tham mưu`, `X chỉ đạo …`); a heading
that names a unit leads the items under it; a dash item with no doer inherits its parent's;
purposes and requirements are no tasks; a letter's Kính gửi recipients lead requests that
name nobody; two dated deliverables in one item are two tasks.
"""
from __future__ import annotations

import pytest

from ingest.pipeline import Parser
from ingest.records import ParsedDocument, Source, Task

SOURCE = Source("x.txt", "0" * 64, "txt")

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 95/KH-UBND
Lai Châu, ngày 10 tháng 01 năm 2026
KẾ HOẠCH
Chuyển đổi số tỉnh Lai Châu năm 2026

Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao hiệu quả chỉ đạo, điều hành; các sở, ngành hoàn thành số hóa hồ sơ trước ngày 30/6/2026.
2. Yêu cầu
- Các cơ quan, đơn vị bám sát nhiệm vụ được giao, hoàn thành trước ngày 31/12/2026.
II. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện thể chế
1.1. Giao Sở Tư pháp chủ trì rà soát văn bản quy phạm pháp luật, hoàn thành trước ngày 31/3/2026.
1.2. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng quy chế làm việc trên môi trường số, hoàn thành trong Quý II/2026.
2. Phát triển hạ tầng số
a) Đề nghị Viễn thông Lai Châu bảo đảm kết nối mạng tại 100% xã trước ngày 30/9/2026.
b) Sở Khoa học và Công nghệ có trách nhiệm triển khai nền tảng số dùng chung:
- Xây dựng kho dữ liệu dùng chung, hoàn thành trước ngày 31/8/2026;
+ Kết nối với cơ sở dữ liệu quốc gia về dân cư.
c) Văn phòng UBND tỉnh tham mưu UBND tỉnh ban hành danh mục dữ liệu mở trong tháng 6/2026.
3. UBND tỉnh chỉ đạo các sở, ngành đẩy mạnh thanh toán không dùng tiền mặt.
4. Chỉ đạo các sở: Nội vụ, Tư pháp rà soát thủ tục hành chính trước ngày 15/5/2026.
5. Sở Tài chính bố trí kinh phí thực hiện trước ngày 20/02/2026 và báo cáo kết quả giải ngân trước ngày 15/12/2026.
6. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Báo Lai Châu và Đài Phát thanh và Truyền hình tỉnh tuyên truyền thường xuyên.
7. Yêu cầu UBND các xã báo cáo tiến độ hằng tháng.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
- Theo dõi, đôn đốc việc thực hiện Kế hoạch.
- Tổng hợp, báo cáo UBND tỉnh kết quả trước ngày 15/11/2026.
2. Sở Y tế
- Triển khai hồ sơ sức khỏe điện tử tại các trạm y tế xã.
- Đánh giá mức độ sẵn sàng chuyển đổi số của các bệnh viện trước ngày 31/10/2026.
3. UBND các huyện, thành phố căn cứ Kế hoạch này xây dựng kế hoạch thực hiện trên địa bàn trước ngày 28/02/2026.
Nơi nhận:
- Các sở, ban, ngành tỉnh;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Hùng
"""

LETTER = """UBND TỈNH LAI CHÂU
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 112/SNV-CCVC
Lai Châu, ngày 05 tháng 01 năm 2026
V/v báo cáo kết quả bồi dưỡng kỹ năng số
Kính gửi:
- Sở Y tế;
- Sở Giáo dục và Đào tạo.

Thực hiện Kế hoạch số 95/KH-UBND ngày 10/01/2026 của UBND tỉnh, Sở Nội vụ đề nghị Quý cơ quan thực hiện một số nội dung sau:
1. Rà soát, lập danh sách công chức tham gia bồi dưỡng, gửi về Sở Nội vụ trước ngày 20/01/2026.
2. Báo cáo kết quả thực hiện năm 2025 trước ngày 25/01/2026.
3. Gửi báo cáo tổng kết công tác bồi dưỡng trước ngày 30/12/2025./.
Nơi nhận:
- Như trên;
- Lưu: VT, CCVC.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lò Thị Mai
"""

TABLE_PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 96/KH-UBND
Lai Châu, ngày 12 tháng 01 năm 2026
KẾ HOẠCH
Phát triển hạ tầng số năm 2026

I. TỔ CHỨC THỰC HIỆN
Các sở, ngành thực hiện các nhiệm vụ tại Phụ lục kèm theo.

Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Văn Lương

PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tSản phẩm
I\tHoàn thiện thể chế\t\t\t\t
1\tRà soát văn bản quy phạm pháp luật về chuyển đổi số\tSở Tư pháp\tSở Khoa học và Công nghệ\t30/6/2026\tBáo cáo rà soát
2\tXây dựng quy chế quản lý dữ liệu\t\tSở Nội vụ\tQuý III/2026\tQuyết định của UBND tỉnh
II\tPhát triển hạ tầng số\t\t\t\t
3\tPhủ sóng 4G tại các thôn, bản\tSở Khoa học và Công nghệ\tViễn thông Lai Châu, Viettel Lai Châu\tNăm 2026\tBáo cáo
"""


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.build()


@pytest.fixture(scope="module")
def plan(parser: Parser) -> ParsedDocument:
    return parser.parse_text(PLAN, SOURCE)


@pytest.fixture(scope="module")
def letter(parser: Parser) -> ParsedDocument:
    return parser.parse_text(LETTER, SOURCE)


@pytest.fixture(scope="module", params=[
    pytest.param(True, id="txt"),  # a text file: hard wraps are rejoined
    pytest.param(False, id="docx"),  # the DOCX reader's rows: paragraphs are kept as they are
])
def table_plan(parser: Parser, request: pytest.FixtureRequest) -> ParsedDocument:
    source = SOURCE if request.param else Source("x.docx", "0" * 64, "docx")
    return parser.parse_text(TABLE_PLAN, source, rejoin=request.param)


def by_id(doc: ParsedDocument) -> dict[str, Task]:
    return {t.id: t for t in doc.tasks}


def leads(task: Task) -> list[str]:
    return list(dict.fromkeys(m.canonical or m.name for m in task.lead if not m.is_generic))


def supports(task: Task) -> list[str]:
    return list(dict.fromkeys(m.canonical or m.name for m in task.support if not m.is_generic))


Due = tuple[str | None, tuple[str, str] | None, bool]  # date, period, recurring


def deadline(task: Task) -> Due | None:
    """What the deadline means; the phrase itself is test_deadlines.py's business."""
    found = task.deadline
    if found is None:
        return None
    return found.date, (found.period.start, found.period.end) if found.period else None, found.is_recurring


def day(iso: str) -> Due:
    return iso, (iso, iso), False


UBND_LAI_CHAU = "Ủy ban nhân dân tỉnh Lai Châu"

# (id, parent id, leads, supports, deadline)
PLAN_TASKS = [
    pytest.param("II.1.1", "II.1", ["Sở Tư pháp"], [], day("2026-03-31"),
                 id="giao_x_chu_tri"),
    pytest.param("II.1.2", "II.1", ["Sở Nội vụ"], ["Sở Tài chính"], (None, ("2026-04-01", "2026-06-30"), False),
                 id="x_chu_tri_phoi_hop_voi_y"),
    pytest.param("II.2.a", "II.2", ["Viễn thông Lai Châu"], [], day("2026-09-30"),
                 id="de_nghi_x_letter_item"),
    pytest.param("II.2.b", "II.2", ["Sở Khoa học và Công nghệ"], [], None, id="x_co_trach_nhiem"),
    pytest.param("II.2.b.1", "II.2.b", ["Sở Khoa học và Công nghệ"], [],
                 day("2026-08-31"), id="dash_item_inherits_parent_doer"),
    pytest.param("II.2.b.1.1", "II.2.b.1", ["Sở Khoa học và Công nghệ"], [], None,
                 id="plus_item_inherits_grandparent_doer"),
    pytest.param("II.2.c", "II.2", ["Văn phòng Ủy ban nhân dân tỉnh Lai Châu"], [], (None, ("2026-06-01", "2026-06-30"), False),
                 id="x_tham_muu_receiver_not_a_doer"),
    pytest.param("II.3", "II", [UBND_LAI_CHAU], [], None, id="x_chi_dao_cac_so_only_x_leads"),
    pytest.param("II.4", "II", ["Sở Nội vụ", "Sở Tư pháp"], [], day("2026-05-15"),
                 id="chi_dao_cac_so_distributive_lead"),
    pytest.param("II.5", "II", ["Sở Tài chính"], [], day("2026-02-20"),
                 id="first_of_two_dated_deliverables"),
    pytest.param("II.5b", "II", ["Sở Tài chính"], [], day("2026-12-15"),
                 id="second_of_two_dated_deliverables"),
    pytest.param("II.6", "II", ["Sở Văn hóa, Thể thao và Du lịch"],
                 ["Báo Lai Châu", "Đài Phát thanh và Truyền hình tỉnh Lai Châu"], (None, None, True),
                 id="two_supports_recurring"),
    pytest.param("II.7", "II", ["Ủy ban nhân dân các xã"], [], (None, None, True),
                 id="yeu_cau_x_is_a_request_not_a_requirements_heading"),
    pytest.param("III.1.1", "III.1", ["Sở Nội vụ"], [], None, id="unit_heading_leads_item"),
    pytest.param("III.1.2", "III.1", ["Sở Nội vụ"], [], day("2026-11-15"),
                 id="unit_heading_leads_item_report_to_is_no_doer"),
    pytest.param("III.2.1", "III.2", ["Sở Y tế"], [], None, id="second_unit_heading"),
    pytest.param("III.2.2", "III.2", ["Sở Y tế"], [], day("2026-10-31"),
                 id="danh_gia_item_is_a_task_not_an_assessment_heading"),
    pytest.param("III.3", "III", ["Ủy ban nhân dân các huyện, thành phố"], [],
                 day("2026-02-28"), id="collective_lead_stays_one"),
]


@pytest.mark.parametrize(("ident", "parent", "lead", "support", "due"), PLAN_TASKS)
def test_plan_task(plan: ParsedDocument, ident: str, parent: str, lead: list[str], support: list[str],
                   due: Due | None) -> None:
    tasks = by_id(plan)
    assert ident in tasks, f"no task {ident}; tasks: {sorted(tasks)}"
    task = tasks[ident]
    assert (task.parent_id, leads(task), supports(task), deadline(task)) == (parent, lead, support, due)
    assert not task.implicit_lead


def test_plan_purposes_and_requirements_give_no_tasks(plan: ParsedDocument) -> None:
    assert [t.id for t in plan.tasks if t.id == "I" or t.id.startswith("I.")] == []
    assert not any("bám sát" in t.text or "số hóa hồ sơ" in t.text for t in plan.tasks)


def test_plan_preamble_gives_no_task(plan: ParsedDocument) -> None:
    assert not any(t.text.startswith("Căn cứ") for t in plan.tasks)


def test_plan_headings_are_not_tasks(plan: ParsedDocument) -> None:
    """Annotation guide: a task is one assignment of work. "II. NHIỆM VỤ, GIẢI PHÁP",
    "1. Hoàn thiện thể chế" and the unit heading "1. Sở Nội vụ" assign nothing themselves."""
    headings = {"II", "II.1", "II.2", "III", "III.1", "III.2"}
    assert sorted(headings & set(by_id(plan))) == []


def test_plan_task_text_and_span(plan: ParsedDocument) -> None:
    task = by_id(plan)["II.1.1"]
    assert task.text == "Giao Sở Tư pháp chủ trì rà soát văn bản quy phạm pháp luật, hoàn thành trước ngày 31/3/2026"
    assert " ".join(plan.text[task.span.start:task.span.end].split()) == task.text
    assert task.deadline is not None
    assert plan.text[task.deadline.span.start:task.deadline.span.end] == task.deadline.text


def test_plan_has_no_deadline_warning(plan: ParsedDocument) -> None:
    assert [w.code for w in plan.warnings if w.code == "deadline_before_issue"] == []


# --- a letter: the Kính gửi recipients lead ------------------------------------------------------

LETTER_TASKS = [
    pytest.param("1", day("2026-01-20"), id="request_without_doer_send_to_is_receiver"),
    pytest.param("2", day("2026-01-25"), id="request_without_doer"),
    pytest.param("3", day("2025-12-30"), id="deadline_as_written_even_before_issue"),
]


@pytest.mark.parametrize(("ident", "due"), LETTER_TASKS)
def test_letter_recipients_lead(letter: ParsedDocument, ident: str, due: Due) -> None:
    tasks = by_id(letter)
    assert ident in tasks, f"no task {ident}; tasks: {sorted(tasks)}"
    task = tasks[ident]
    assert (leads(task), task.implicit_lead, deadline(task)) == (
        ["Sở Y tế", "Sở Giáo dục và Đào tạo"], True, due)


def test_letter_intro_is_no_task(letter: ParsedDocument) -> None:
    assert sorted(by_id(letter)) == ["1", "2", "3"]


def test_letter_task_text_drops_the_closing_mark(letter: ParsedDocument) -> None:
    """ "./." closes the body; it is no part of the last task's text."""
    assert by_id(letter)["3"].text == "Gửi báo cáo tổng kết công tác bồi dưỡng trước ngày 30/12/2025"


def test_deadline_before_issue_warning(letter: ParsedDocument) -> None:
    found = [w for w in letter.warnings if w.code == "deadline_before_issue"]
    assert len(found) == 1
    assert "task 3" in found[0].message and "2025-12-30" in found[0].message
    assert found[0].span == by_id(letter)["3"].deadline.span


# --- an appendix task table ------------------------------------------------------------------------

# (first cell of the row, id, parent, leads, supports, deadline date, period)
TABLE_ROWS = [
    pytest.param("Rà soát văn bản quy phạm pháp luật về chuyển đổi số", "PL.I.1", "PL.I", ["Sở Tư pháp"],
                 ["Sở Khoa học và Công nghệ"], "2026-06-30", ("2026-06-30", "2026-06-30"), id="row_with_every_cell"),
    pytest.param("Xây dựng quy chế quản lý dữ liệu", "PL.I.2", "PL.I", ["Sở Tư pháp"], ["Sở Nội vụ"], None,
                 ("2026-07-01", "2026-09-30"), id="empty_lead_cell_takes_the_row_above"),
    pytest.param("Phủ sóng 4G tại các thôn, bản", "PL.II.3", "PL.II", ["Sở Khoa học và Công nghệ"],
                 ["Viễn thông Lai Châu", "Viettel Lai Châu"], None, ("2026-01-01", "2026-12-31"),
                 id="two_supports_in_one_cell_year"),
]


@pytest.mark.parametrize(("text", "ident", "parent", "lead", "support", "date", "period"), TABLE_ROWS)
def test_table_row(table_plan: ParsedDocument, text: str, ident: str, parent: str, lead: list[str],
                   support: list[str], date: str | None, period: tuple[str, str]) -> None:
    rows = [t for t in table_plan.tasks if t.text == text]
    assert len(rows) == 1, f"no row task {text!r}; tasks: {[t.text for t in table_plan.tasks]}"
    task = rows[0]
    assert task.deadline is not None and task.deadline.period is not None
    assert (task.id, task.parent_id, leads(task), supports(task), task.deadline.date,
            (task.deadline.period.start, task.deadline.period.end)) == (ident, parent, lead, support, date, period)


def test_table_group_rows_are_not_tasks(table_plan: ParsedDocument) -> None:
    rows = [t for t in table_plan.tasks if t.id.startswith("PL.")]
    assert [t.id for t in rows] == ["PL.I.1", "PL.I.2", "PL.II.3"]
    assert [t.text for t in rows] == ["Rà soát văn bản quy phạm pháp luật về chuyển đổi số",
                                      "Xây dựng quy chế quản lý dữ liệu", "Phủ sóng 4G tại các thôn, bản"]
    assert [t.heading for t in rows] == ["I", "I", "II"]


def _duplicate_ids(doc: ParsedDocument) -> list[str]:
    ids = [t.id for t in doc.tasks]
    return sorted({i for i in ids if ids.count(i) > 1} | {t.id for t in doc.tasks if t.parent_id == t.id})


def test_task_ids_are_unique_plan(plan: ParsedDocument) -> None:
    assert _duplicate_ids(plan) == []


def test_task_ids_are_unique_letter(letter: ParsedDocument) -> None:
    assert _duplicate_ids(letter) == []


def test_task_ids_are_unique_table_plan(table_plan: ParsedDocument) -> None:
    """"I. TỔ CHỨC THỰC HIỆN" and the paragraph under it must not both be task "I"."""
    assert _duplicate_ids(table_plan) == []


# --- list numbering as OCR reads it ----------------------------------------------------------------

# (line, marker kind, label): the marker rule of ingest/parse/tasks.py, one row per case
MARKER_ROWS = [
    pytest.param("1. Sở Nội vụ chủ trì", "number", "1", id="number_point"),
    pytest.param("1, Sở Nội vụ chủ trì", "number", "1", id="ocr_number_comma_before_capital"),
    pytest.param("12, Ủy ban nhân dân các xã báo cáo", "number", "12", id="ocr_two_digit_comma"),
    pytest.param("1.. Giao Sở Tư pháp", "number", "1", id="ocr_number_double_point"),
    pytest.param("3) Đề nghị Công an tỉnh", "number", "3", id="number_paren"),
    pytest.param("II. NHIỆM VỤ", "roman", "II", id="roman_point"),
    pytest.param("II.. NHIỆM VỤ", "roman", "II", id="ocr_roman_double_point"),
    pytest.param("III, TỔ CHỨC THỰC HIỆN", "roman", "III", id="ocr_roman_comma"),
    pytest.param("1, 2 và 3 là các bước", None, None, id="comma_before_a_digit_is_a_list_of_numbers"),
    pytest.param("12,5 tỷ đồng đã giải ngân", None, None, id="decimal_comma_is_no_marker"),
    pytest.param("1, các đơn vị", None, None, id="comma_before_lowercase_is_no_marker"),
]


@pytest.mark.parametrize(("line", "kind", "label"), MARKER_ROWS)
def test_marker_rule(line: str, kind: str | None, label: str | None) -> None:
    from ingest.parse.tasks import MARKERS
    found = next(((name, m.group("label")) for name, pattern in MARKERS
                  if (m := pattern.match(line)) and name in ("number", "roman")), (None, None))
    assert found == (kind, label)


OCR_PLAN = PLAN.replace("\nII. NHIỆM VỤ", "\nII.. NHIỆM VỤ").replace(
    "\n5. Sở Tài chính", "\n5, Sở Tài chính").replace("\n6. Giao", "\n6, Giao")


def test_ocr_numbering_keeps_task_ids(parser: Parser) -> None:
    """A scan read "5." as "5," and "II." as "II..": the tasks keep their numbers and doers."""
    doc = parser.parse_text(OCR_PLAN, SOURCE)
    tasks = by_id(doc)
    assert {"II.5", "II.5b", "II.6"} <= set(tasks), sorted(tasks)
    assert (leads(tasks["II.5"]), leads(tasks["II.6"])) == (["Sở Tài chính"], ["Sở Văn hóa, Thể thao và Du lịch"])


# --- a decision: duties of a body, and the execution clause; a conclusion notice ---------------------

DECISION = """ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 210/QĐ-UBND
Lai Châu, ngày 10 tháng 02 năm 2026
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác chuyển đổi số
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác chuyển đổi số của tỉnh.
Điều 2. Nhiệm vụ, quyền hạn của Tổ công tác
1. Rà soát các nền tảng số dùng chung, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/4/2026.
2. Đề xuất giải pháp tháo gỡ vướng mắc trong triển khai.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các sở: Nội vụ, Tài chính; Chủ tịch Ủy ban nhân dân các xã và các thành viên Tổ công tác chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
CHỦ TỊCH
Lê Văn Lương
"""

NOTICE = """TỈNH ỦY LAI CHÂU
*
Số 88-TB/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Lai Châu, ngày 05 tháng 3 năm 2026
THÔNG BÁO
KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY
về công tác quân sự địa phương năm 2026

Ngày 02/3/2026, Ban Thường vụ Tỉnh ủy họp, nghe báo cáo công tác quân sự địa phương. Ban Thường vụ Tỉnh ủy kết luận như sau:
1. Ban Thường vụ Tỉnh ủy ghi nhận, biểu dương kết quả đạt được của lực lượng vũ trang tỉnh.
2. Đảng ủy Quân sự tỉnh lãnh đạo Bộ Chỉ huy Quân sự tỉnh chủ trì, phối hợp với Công an tỉnh xây dựng kế hoạch diễn tập trước ngày 30/4/2026.
3. Ủy ban nhân dân tỉnh chỉ đạo các cơ quan chuyên môn rà soát các điểm sạt lở.

Nơi nhận:
- Lưu Văn phòng Tỉnh ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Giàng Páo Mỷ
"""


def _roles_by_id(text: str, parser: Parser) -> dict[str, tuple[list[str], list[str]]]:
    return {t.id: (leads(t), supports(t)) for t in parser.parse_text(text, SOURCE).tasks}


# (document, task id, leads, supports): one row per rule
ROLE_RULES = [
    pytest.param("decision", "2.1", ["Tổ công tác"], [], id="heading_duties_of_x_leads_its_items"),
    pytest.param("decision", "2.2", ["Tổ công tác"], [], id="heading_duties_of_x_second_item"),
    pytest.param("decision", "3.p1", ["Chánh Văn phòng Ủy ban nhân dân tỉnh Lai Châu", "Giám đốc Sở Nội vụ",
                                       "Giám đốc Sở Tài chính", "Chủ tịch Ủy ban nhân dân các xã",
                                       "các thành viên Tổ công tác"], [],
                 id="execution_clause_names_every_body_that_carries_it_out"),
    pytest.param("notice", "1", [], [], id="the_issuer_appraising_is_no_doer"),
    pytest.param("notice", "2", ["Đảng ủy Quân sự tỉnh Lai Châu", "Bộ Chỉ huy Quân sự tỉnh Lai Châu"],
                 ["Công an tỉnh Lai Châu"], id="x_lanh_dao_y_chu_tri_both_lead"),
    pytest.param("notice", "3", ["Ủy ban nhân dân tỉnh Lai Châu"], [], id="x_chi_dao_y_only_x_leads"),
    pytest.param("glossed", "III.1.1", ["Sở Nội vụ"], [], id="unit_heading_gloss_in_brackets_is_no_doer"),
]
GLOSSED_PLAN = PLAN.replace("\n1. Sở Nội vụ\n", "\n1. Sở Nội vụ (cơ quan thường trực Ban Chỉ đạo chuyển đổi số tỉnh)\n")


@pytest.mark.parametrize(("which", "ident", "lead", "support"), ROLE_RULES)
def test_role_rule(parser: Parser, which: str, ident: str, lead: list[str], support: list[str]) -> None:
    assert GLOSSED_PLAN != PLAN
    roles = _roles_by_id({"decision": DECISION, "notice": NOTICE, "glossed": GLOSSED_PLAN}[which], parser)
    assert roles.get(ident) == (lead, support), roles


# --- work done is reported, not assigned; a report's parts ------------------------------------------

REPORT = """UBND TỈNH LAI CHÂU
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/BC-SNV
Lai Châu, ngày 20 tháng 6 năm 2026
BÁO CÁO
Kết quả công tác cải cách hành chính 6 tháng đầu năm 2026
Kính gửi: Ủy ban nhân dân tỉnh Lai Châu.

I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1. Sở Nội vụ đã tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch cải cách hành chính năm 2026.
2. Tổ chức 03 hội nghị tập huấn cho công chức cấp xã; Công an tỉnh phối hợp bảo đảm an ninh.
II. TỒN TẠI, HẠN CHẾ
Việc số hóa hồ sơ ở một số xã còn chậm.
III. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2026
1. Tham mưu Ủy ban nhân dân tỉnh sơ kết công tác cải cách hành chính trước ngày 15/7/2026.
2. Trung tâm Phục vụ hành chính công tỉnh chủ trì, phối hợp với Bưu điện tỉnh trả kết quả tại nhà.
IV. KIẾN NGHỊ
1. Bố trí kinh phí số hóa hồ sơ cho các xã trong năm 2026.
2. Kiến nghị Bộ Nội vụ sớm ban hành hướng dẫn đánh giá chỉ số cải cách hành chính.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lò Văn Minh
"""

DONE_LETTER = """UBND TỈNH LAI CHÂU
SỞ TÀI CHÍNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 210/STC-QLNS
Lai Châu, ngày 02 tháng 7 năm 2026
V/v triển khai nhiệm vụ 6 tháng cuối năm 2026
Kính gửi: Các sở, ban, ngành tỉnh.

Sở Tài chính đề nghị các cơ quan, đơn vị thực hiện các nội dung sau:
1. Năm 2025, các lực lượng chức năng đã phát hiện, xử lý 1.245 vụ vi phạm.
2. Sở Y tế đã ban hành kế hoạch; thời gian tới tiếp tục chỉ đạo các bệnh viện hoàn thành trước ngày 30/9/2026.
3. Các đơn vị đã được giao nhiệm vụ tại Kế hoạch số 95/KH-UBND khẩn trương triển khai, báo cáo trước ngày 15/8/2026.
4. 100% xã đã hoàn thành kết nối mạng đến thôn, bản.
5. Công an tỉnh đã phối hợp với Sở Tư pháp rà soát thủ tục hành chính.
6. Giao Phòng Quản lý ngân sách tổng hợp vướng mắc để kiến nghị các bộ, ngành xử lý.
7. Ủy ban nhân dân các xã lãnh đạo, chỉ đạo các trường học và Trạm Y tế xã:
- Rà soát cơ sở vật chất, hoàn thành trước ngày 30/8/2026.
8. Thực hiện Kế hoạch số 95/KH-UBND ngày 10/01/2026 của UBND tỉnh, Sở Nội vụ đã ban hành hướng dẫn.
9. Thực hiện Kế hoạch số 95/KH-UBND, Sở Nội vụ hướng dẫn các xã trước ngày 20/7/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Hà Thị Thu
"""

SNV_LAI_CHAU = "Sở Nội vụ tỉnh Lai Châu"


@pytest.fixture(scope="module")
def report(parser: Parser) -> ParsedDocument:
    return parser.parse_text(REPORT, SOURCE)


@pytest.fixture(scope="module")
def done_letter(parser: Parser) -> ParsedDocument:
    return parser.parse_text(DONE_LETTER, SOURCE)


def test_report_account_sections_give_no_tasks(report: ParsedDocument) -> None:
    """Before its forward part (nhiệm vụ trọng tâm, kiến nghị) a report tells of the period:
    "đã tham mưu" and even an unmarked "Tổ chức 03 hội nghị" are its account."""
    assert report.header.kind.value == "bao_cao"
    assert sorted(by_id(report)) == ["III.1", "III.2", "IV.1", "IV.2"]


# (id, leads, supports, implicit)
REPORT_TASKS = [
    pytest.param("III.1", [SNV_LAI_CHAU], [], True, id="next_task_naming_nobody_is_the_reporting_body_s"),
    pytest.param("III.2", ["Trung tâm Phục vụ hành chính công tỉnh Lai Châu"], ["Bưu điện tỉnh Lai Châu"], False,
                 id="next_task_naming_its_doer"),
    pytest.param("IV.1", [UBND_LAI_CHAU], [], True, id="request_naming_nobody_goes_to_the_body_reported_to"),
    pytest.param("IV.2", ["Bộ Nội vụ"], [], False, id="kien_nghi_x_x_leads"),
]


@pytest.mark.parametrize(("ident", "lead", "support", "implicit"), REPORT_TASKS)
def test_report_task(report: ParsedDocument, ident: str, lead: list[str], support: list[str],
                     implicit: bool) -> None:
    task = by_id(report)[ident]
    assert (leads(task), supports(task), task.implicit_lead) == (lead, support, implicit)


# (id, whether it is a task): one row per rule of ingest/parse/reported.py
DONE_ROWS = [
    pytest.param("1", False, id="time_opener_plural_subject_da_is_a_report"),
    pytest.param("2", True, id="da_then_still_to_do_is_a_task"),
    pytest.param("3", True, id="da_duoc_giao_is_the_doer_s_relative_clause"),
    pytest.param("4", False, id="figure_with_da_is_a_result"),
    pytest.param("5", False, id="named_subject_da_is_a_report"),
    pytest.param("6", True, id="assignment_without_da"),
    pytest.param("8", False, id="thuc_hien_opener_then_subject_da_is_a_report"),
    pytest.param("9", True, id="thuc_hien_opener_then_subject_verb_is_a_task"),
]


@pytest.mark.parametrize(("ident", "is_task"), DONE_ROWS)
def test_work_done_is_no_task(done_letter: ParsedDocument, ident: str, is_task: bool) -> None:
    assert (ident in by_id(done_letter)) is is_task, sorted(by_id(done_letter))


def test_kien_nghi_inside_a_clause_names_a_receiver(done_letter: ParsedDocument) -> None:
    """ "… để kiến nghị các bộ, ngành xử lý": the ministries receive the request, they do not lead."""
    assert leads(by_id(done_letter)["6"]) == ["Phòng Quản lý ngân sách"]


def test_sentence_over_items_is_no_unit_heading(done_letter: ParsedDocument) -> None:
    """ "UBND các xã lãnh đạo, chỉ đạo các trường học và Trạm Y tế xã:" is its subject's sentence:
    the item under it is the subject's, not the bodies directed."""
    task = by_id(done_letter)["7.1"]
    assert (leads(task), deadline(task)) == (["Ủy ban nhân dân các xã"], day("2026-08-30"))
