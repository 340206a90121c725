"""Task tables: ingest/parse/task_tables.py over the DOCX reader's and the PDF reader's tables.

The plans are built by tests/plan_builder.py: a DOCX whose appendix has a two-row header,
merged group rows, two levels of groups and a lead merged over three rows; a PDF whose
appendix has its columns in another order and other words, letter groups, a merged lead,
and runs over pages with page numbers between, its header repeated on each page or not.
Every task row is checked: id, parent, text, leads, supports, deadline, product, and that
each span slices back to what it claims. Smaller tables written here test one rule each.
"""
from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import pytest
from plan_builder import DOCX_ROWS, PDF_ROWS, PlanRow, build_docx, build_pdf

from ingest.fold import fold_key
from ingest.parse.task_tables import TableTaskReader
from ingest.pipeline import Parser, parse_file
from ingest.readers import read_source
from ingest.readers.pdf_tables import place_tables
from ingest.readers.source import SourceText, Table, TableCell
from ingest.records import ParsedDocument, Source, Task
from ingest.vocab import read_vocabulary_files

COLUMNS = read_vocabulary_files()["table_columns.yaml"]
VTP = "Văn phòng Ủy ban nhân dân tỉnh Tuyên Quang"
CA = "Công an tỉnh Tuyên Quang"
KHCN = "Sở Khoa học và Công nghệ"
XA = "UBND các xã, phường"
NGANH = "Các sở, ban, ngành"
BHXH = "Bảo hiểm xã hội tỉnh Tuyên Quang"
HPN = "Hội Liên hiệp Phụ nữ tỉnh Tuyên Quang"

# (id, parent, leads, supports, deadline date) per task row, in the order of the rows
DOCX_TASKS = [
    ("PL.I.1", "PL.I", ["Sở Tư pháp"], [NGANH, XA], "2026-06-30"),
    ("PL.I.2", "PL.I", [KHCN], [VTP, CA], None),
    ("PL.I.3", "PL.I", [KHCN], ["Sở Tài chính"], None),  # the lead merged down from the row above
    ("PL.I.4", "PL.I", [KHCN], [NGANH], "2026-10-31"),
    ("PL.II.1.1", "PL.II.1", [KHCN], ["Viễn thông Tuyên Quang", XA], None),
    ("PL.II.1.2", "PL.II.1", [KHCN], [CA], None),
    ("PL.II.2.1", "PL.II.2", ["Sở Nông nghiệp và Môi trường"], [XA], "2026-09-30"),
    ("PL.II.2.2", "PL.II.2", [CA], ["Sở Tư pháp", XA], None),
    ("PL.III.1", "PL.III", [VTP], ["Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang", NGANH], None),
    ("PL.III.2", "PL.III", ["Sở Y tế"], [BHXH], None),
    ("PL.III.3", "PL.III", ["Sở Công Thương"], ["Sở Tài chính"], None),
    ("PL.III.4", "PL.III", ["Sở Giáo dục và Đào tạo"], ["Tỉnh đoàn", HPN], None),
    ("PL.III.5", "PL.III", ["Sở Nội vụ"], [KHCN], "2026-11-15"),
    ("PL.III.6", "PL.III", ["Sở Văn hóa, Thể thao và Du lịch"], ["Báo và Phát thanh, Truyền hình Tuyên Quang"], None),
]
PDF_TASKS = [
    ("PL.A.1", "PL.A", ["Sở Nội vụ"], [NGANH], None),
    ("PL.A.2", "PL.A", ["Sở Nội vụ"], ["Sở Tài chính", "Sở Tư pháp"], "2026-05-31"),
    ("PL.A.3", "PL.A", [VTP], [NGANH], None),
    ("PL.A.4", "PL.A", [KHCN], ["Sở Tư pháp"], None),
    ("PL.A.5", "PL.A", [KHCN], [XA], "2026-12-20"),
    ("PL.A.6", "PL.A", [KHCN], [], "2026-10-10"),
    ("PL.B.7", "PL.B", [KHCN], ["Viễn thông Tuyên Quang"], None),
    ("PL.B.8", "PL.B", [KHCN], [CA], None),  # merged lead
    ("PL.B.9", "PL.B", [KHCN], [CA, NGANH], None),  # merged lead
    ("PL.B.10", "PL.B", [VTP], [KHCN], "2026-04-30"),
    ("PL.B.11", "PL.B", [CA], [VTP], None),
    ("PL.B.12", "PL.B", [KHCN], [NGANH], None),
    ("PL.C.13", "PL.C", ["Sở Giáo dục và Đào tạo"], ["Sở Y tế"], None),
    ("PL.C.14", "PL.C", ["Sở Công Thương"], ["Sở Nông nghiệp và Môi trường", XA], "2026-10-30"),
    ("PL.C.15", "PL.C", [CA], [XA], None),
    ("PL.C.16", "PL.C", [KHCN], ["Tỉnh đoàn"], None),
    ("PL.C.17", "PL.C", ["Sở Giáo dục và Đào tạo"], [], None),
    ("PL.C.18", "PL.C", ["Sở Y tế"], [BHXH], "2026-12-31"),
    ("PL.C.19", "PL.C", ["Sở Văn hóa, Thể thao và Du lịch"], [KHCN], None),
    ("PL.C.20", "PL.C", ["Liên đoàn Lao động tỉnh Tuyên Quang"], [HPN], None),
]


def _task_rows(rows: Sequence[PlanRow]) -> list[PlanRow]:
    """The rows that are tasks: not group rows, not the "1  Hạ tầng số" sub-group rows."""
    return [row for row in rows if not row.group and row.deadline]


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.build()


@pytest.fixture(scope="module")
def docx_plan(parser: Parser, tmp_path_factory: pytest.TempPathFactory) -> tuple[SourceText, ParsedDocument]:
    path = tmp_path_factory.mktemp("plans") / "kh214.docx"
    path.write_bytes(build_docx())
    return read_source(path), parse_file(path, parser)


def _need_fpdf() -> None:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("fpdf2 is required when CI=true (dev dependency)", pytrace=False)
        pytest.skip("needs fpdf2 (pip install fpdf2) to build PDF plans")


@pytest.fixture(scope="module", params=[
    pytest.param((True, True), id="grid-header-repeated"),
    pytest.param((False, True), id="grid-header-once"),
    pytest.param((True, False), id="rows-ruled-only"),  # no rules between the columns
])
def pdf_plan(request: pytest.FixtureRequest, parser: Parser,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[SourceText, ParsedDocument]:
    _need_fpdf()
    repeat_header, column_rules = request.param
    path = tmp_path_factory.mktemp("plans") / f"kh214-{repeat_header}-{column_rules}.pdf"
    path.write_bytes(build_pdf(repeat_header=repeat_header, column_rules=column_rules))
    return read_source(path), parse_file(path, parser)


def _table_tasks(doc: ParsedDocument) -> list[Task]:
    return [t for t in doc.tasks if t.id.startswith("PL")]


def _check_rows(doc: ParsedDocument, rows: list[PlanRow], expected: list[tuple]) -> None:
    tasks = _table_tasks(doc)
    assert [t.id for t in tasks] == [e[0] for e in expected]
    records = {t["id"]: t for t in doc.to_json()["tasks"]}
    for task, row, (ident, parent, lead, support, date) in zip(tasks, rows, expected, strict=True):
        record = records[ident]
        assert (task.text, task.parent_id, record["lead"], record["support"]) == (row.text, parent, lead, support), ident
        assert task.deadline is not None and task.deadline.text == row.deadline, ident
        assert task.deadline.date == date, ident
        assert record["product"]["text"] == row.product, ident
        _check_spans(doc, task)


def _check_spans(doc: ParsedDocument, task: Task) -> None:
    text = doc.text
    assert text[task.span.start:task.span.end] == task.text
    assert task.product is not None and text[task.product.span.start:task.product.span.end] == task.product.value
    assert task.deadline is not None and text[task.deadline.span.start:task.deadline.span.end] == task.deadline.text
    for mention in (*task.lead, *task.support):
        assert text[mention.span.start:mention.span.end] == mention.text


# --- the DOCX plan ----------------------------------------------------------------------------------

def test_docx_plan_rows(docx_plan: tuple[SourceText, ParsedDocument]) -> None:
    _, doc = docx_plan
    _check_rows(doc, _task_rows(DOCX_ROWS), DOCX_TASKS)


def test_docx_merged_lead_is_one_mention_for_three_rows(docx_plan: tuple[SourceText, ParsedDocument]) -> None:
    source, doc = docx_plan
    tasks = {t.id: t for t in doc.tasks}
    spans = {tasks[i].lead[0].span for i in ("PL.I.2", "PL.I.3", "PL.I.4")}
    assert len(spans) == 1  # the merged cell, printed once
    merged = next(c for t in source.tables for c in t.cells if c.text == KHCN and c.row_span == 3)
    assert merged.row_span == 3


def test_docx_group_and_header_rows_are_no_tasks(docx_plan: tuple[SourceText, ParsedDocument]) -> None:
    _, doc = docx_plan
    texts = {t.text for t in doc.tasks}
    for row in DOCX_ROWS:
        if row.group or not row.deadline:
            assert row.text not in texts, row.text
    assert not any(t.text.startswith(("(1)", "STT", "Chủ trì")) for t in doc.tasks)
    assert [t.heading for t in _table_tasks(doc)][:5] == ["I", "I", "I", "I", "1"]


# --- the PDF plan -----------------------------------------------------------------------------------

def test_pdf_plan_rows(pdf_plan: tuple[SourceText, ParsedDocument]) -> None:
    _, doc = pdf_plan
    _check_rows(doc, _task_rows(PDF_ROWS), PDF_TASKS)


def test_pdf_table_runs_over_pages(pdf_plan: tuple[SourceText, ParsedDocument]) -> None:
    source, _ = pdf_plan
    pages = [t.page for t in source.tables]
    assert len(pages) >= 2 and pages == sorted(set(pages)) and pages[0] == 2


def test_pdf_table_text_is_in_the_reader_text_once(pdf_plan: tuple[SourceText, ParsedDocument]) -> None:
    source, _ = pdf_plan
    for table in source.tables:
        assert 0 <= table.start <= table.end <= len(source.text)
        for cell in table.cells:
            assert source.text[cell.start:cell.end] == cell.text
    for row in PDF_ROWS:
        assert source.text.count(row.text) == 1, row.text  # not interleaved, not repeated
    assert "Kèm theo Kế hoạch số 214/KH-UBND" in source.text  # the text around the table stays


def test_pdf_row_is_one_line(pdf_plan: tuple[SourceText, ParsedDocument]) -> None:
    source, _ = pdf_plan
    row = PDF_ROWS[1]
    line = next(line for line in source.text.split("\n") if line.startswith(f"{row.number}\t"))
    assert line.split("\t")[:4] == [row.number, row.text, row.deadline, row.lead]


def test_pdf_merged_lead(pdf_plan: tuple[SourceText, ParsedDocument]) -> None:
    source, doc = pdf_plan
    tasks = {t.id: t for t in doc.tasks}
    assert len({tasks[i].lead[0].span for i in ("PL.B.7", "PL.B.8", "PL.B.9")}) == 1
    assert any(c.row_span == 3 and c.text == KHCN for t in source.tables for c in t.cells)


def test_plans_hold_thirty_task_rows(docx_plan, pdf_plan) -> None:
    assert len(_table_tasks(docx_plan[1])) + len(_table_tasks(pdf_plan[1])) >= 30


# --- one rule at a time, on tables written here ------------------------------------------------------

PLAN_HEAD = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 30/KH-UBND
Tuyên Quang, ngày 05 tháng 02 năm 2026
KẾ HOẠCH
Cải cách hành chính năm 2026
Các cơ quan thực hiện các nhiệm vụ tại Phụ lục kèm theo.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Minh Quân
PHỤ LỤC
"""
Cell = str | tuple[str, int, int] | None  # text, (text, rows, columns) merged, None: covered


def _document(parser: Parser, *tables: Sequence[Sequence[Cell]], between: str = "",
              form: str = "NFC") -> ParsedDocument:
    """PLAN_HEAD, then each table as the DOCX reader writes it, `between` between tables;
    `form` "NFD": every letter decomposed, as some PDF producers write them."""
    if form != "NFC":
        tables = tuple([[_decomposed(cell, form) for cell in row] for row in rows] for rows in tables)
    text = unicodedata.normalize(form, PLAN_HEAD)
    made: list[Table] = []
    for n, rows in enumerate(tables):
        if n:
            text += between
        table, lines = _table(rows, len(text))
        made.append(table)
        text += lines + "\n"
    return parser.parse_text(text, Source("x.docx", "0" * 64, "docx"), rejoin=False, tables=tuple(made))


def _decomposed(cell: Cell, form: str) -> Cell:
    if cell is None:
        return None
    if isinstance(cell, str):
        return unicodedata.normalize(form, cell)
    return (unicodedata.normalize(form, cell[0]), cell[1], cell[2])


def _table(rows: Sequence[Sequence[Cell]], offset: int) -> tuple[Table, str]:
    cells: list[TableCell] = []
    lines: list[str] = []
    width = max(len(r) for r in rows)
    covered_left: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        pieces: list[str] = []
        pos = offset
        for c, cell in enumerate(row):
            if cell is None:
                if (r, c) in covered_left:
                    continue
                pieces.append("")
                pos += 1
                continue
            text, row_span, col_span = (cell, 1, 1) if isinstance(cell, str) else cell
            covered_left.update((r, c + k) for k in range(1, col_span))
            cells.append(TableCell(text, pos, pos + len(text), r, c, row_span, col_span))
            pieces.append(text)
            pos += len(text) + 1
        line = "\t".join(pieces)
        lines.append(line)
        offset += len(line) + 1
    rendered = "\n".join(lines)
    return Table(cells[0].start, cells[0].start + len(rendered), tuple(cells), len(rows), width), rendered


HEAD_ROW = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Sản phẩm"]


def test_row_cut_by_the_page_is_joined(parser: Parser) -> None:
    """A PDF page cut a row: its rest opens the next page's table, without a number."""
    first = [HEAD_ROW, ["1", "Xây dựng cơ sở dữ liệu cán bộ, công chức", "Sở Nội vụ", "Sở Tài chính", "Năm 2026",
                        "Cơ sở dữ liệu"],
             ["2", "Rà soát thủ tục hành chính thuộc thẩm quyền", "Văn phòng UBND tỉnh", "", "Quý II/2026",
              "Danh mục"]]
    second = [["", "giải quyết của cấp tỉnh, cấp xã", "", "Các sở, ban, ngành", "", "thủ tục"],
              ["3", "Công bố chỉ số cải cách hành chính", "Sở Nội vụ", "", "Tháng 3/2026", "Quyết định"]]
    doc = _document(parser, first, second, between="2\n")
    tasks = _table_tasks(doc)
    assert [t.id for t in tasks] == ["PL.1", "PL.2", "PL.3"]
    cut = tasks[1]
    assert cut.text == "Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của cấp tỉnh, cấp xã"
    assert [m.name for m in cut.support] == ["Các sở, ban, ngành"]
    assert cut.product is not None and cut.product.value == "Danh mục thủ tục"
    assert doc.text[cut.span.start:cut.span.end].startswith("Rà soát") and doc.text[:cut.span.end].endswith("cấp xã")


def test_table_after_other_text_does_not_continue(parser: Parser) -> None:
    """A headerless table after a paragraph is another table, not the task table going on."""
    first = [HEAD_ROW, ["1", "Xây dựng cơ sở dữ liệu cán bộ", "Sở Nội vụ", "", "Năm 2026", "Cơ sở dữ liệu"]]
    second = [["1", "Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ"]]
    doc = _document(parser, first, second, between="Danh sách các thành phố trực thuộc Trung ương tham gia:\n")
    assert [t.id for t in _table_tasks(doc)] == ["PL.1"]


def test_second_task_table_has_its_own_prefix(parser: Parser) -> None:
    first = [HEAD_ROW, ["1", "Xây dựng cơ sở dữ liệu cán bộ", "Sở Nội vụ", "", "Năm 2026", "Cơ sở dữ liệu"]]
    second = [["TT", "Nội dung", "Đơn vị thực hiện", "Tiến độ"], ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Quý III/2026"]]
    doc = _document(parser, first, second, between="PHỤ LỤC II\n")
    assert [t.id for t in _table_tasks(doc)] == ["PL.1", "PL2.1"]
    assert _table_tasks(doc)[1].product is None and "product" not in doc.to_json()["tasks"][-1]


def test_group_row_of_one_merged_cell(parser: Parser) -> None:
    """ "A. CẢI CÁCH THỂ CHẾ" merged across the whole row, numbering that restarts under it."""
    rows = [HEAD_ROW, [("A. CẢI CÁCH THỂ CHẾ", 1, 6), None, None, None, None, None],
            ["1", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "", "Quý I/2026", "Báo cáo"],
            [("B. CẢI CÁCH TỔ CHỨC BỘ MÁY", 1, 6), None, None, None, None, None],
            ["1", "Sắp xếp đơn vị sự nghiệp công lập", "Sở Nội vụ", "", "Quý II/2026", "Đề án"]]
    doc = _document(parser, rows)
    assert [(t.id, t.parent_id) for t in _table_tasks(doc)] == [("PL.A.1", "PL.A"), ("PL.B.1", "PL.B")]


def test_unnumbered_rows_are_numbered_by_position(parser: Parser) -> None:
    rows = [HEAD_ROW, ["I", "Thể chế", "", "", "", ""],
            ["-", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "", "Quý I/2026", "Báo cáo"],
            ["-", "Hệ thống hóa văn bản", "Sở Tư pháp", "", "Quý II/2026", "Báo cáo"]]
    doc = _document(parser, rows)
    assert [t.id for t in _table_tasks(doc)] == ["PL.I.1", "PL.I.2"]


def test_a_table_without_task_columns_gives_no_tasks(parser: Parser) -> None:
    rows = [["STT", "Họ và tên", "Chức vụ", "Đơn vị"], ["1", "Nguyễn Văn An", "Phó Giám đốc", "Sở Nội vụ"]]
    assert _table_tasks(_document(parser, rows)) == []


# --- the header vocabulary --------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "example"), [pytest.param(role, example, id=f"{role}:{example}")
                                               for role, entry in COLUMNS.items() for example in entry["examples"]])
def test_column_examples_name_their_column(parser: Parser, role: str, example: str) -> None:
    """Each example, as a header cell, names its column (folded, as the reader matches it)."""
    reader: TableTaskReader = parser.tasks.tables
    assert reader.role_of(fold_key(example)) == role


@pytest.mark.parametrize("header", [
    pytest.param(["TT", "Nội dung công việc", "Thời gian hoàn thành", "Đơn vị chủ trì thực hiện", "Đơn vị phối hợp",
                  "Sản phẩm đầu ra"], id="other-words-other-order"),
    pytest.param(["STT", "NHIỆM VỤ", "CƠ QUAN\nCHỦ TRÌ", "CƠ QUAN PHỐI HỢP", "THỜI HẠN HOÀN THÀNH", "KẾT QUẢ"],
                 id="capitals-and-a-break"),
])
def test_header_wordings(parser: Parser, header: list[str]) -> None:
    rows = [header, ["1", "Rà soát văn bản", "", "", "", ""]]
    values = {"task": "Rà soát văn bản", "lead": "Sở Tư pháp", "support": "Sở Nội vụ", "deadline": "Quý I/2026",
              "product": "Báo cáo", "number": "1"}
    reader: TableTaskReader = parser.tasks.tables
    found = [reader.role_of(fold_key(h)) for h in header]
    rows[1] = [values[r] for r in found]
    assert set(found) == {"number", "task", "lead", "support", "deadline", "product"}
    (task,) = _table_tasks(_document(parser, rows))
    assert ([m.name for m in task.lead], [m.name for m in task.support], task.deadline.text, task.product.value) == (
        ["Sở Tư pháp"], ["Sở Nội vụ"], "Quý I/2026", "Báo cáo")


BODY_TABLE = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 31/KH-UBND
Tuyên Quang, ngày 06 tháng 02 năm 2026
KẾ HOẠCH
Cải cách hành chính năm 2026
I. NHIỆM VỤ CỤ THỂ
STT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\tSản phẩm
A\tCẢI CÁCH THỂ CHẾ
1\tRà soát văn bản quy phạm pháp luật\tSở Tư pháp\t\tQuý I/2026\tBáo cáo
B\tCẢI CÁCH TỔ CHỨC BỘ MÁY
1\tSắp xếp đơn vị sự nghiệp công lập\tSở Nội vụ\t\tQuý II/2026\tĐề án
II. TỔ CHỨC THỰC HIỆN
Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Minh Quân
"""


@pytest.mark.parametrize("rejoin", [pytest.param(True, id="txt"), pytest.param(False, id="docx-lines")])
def test_task_table_inside_the_body(parser: Parser, rejoin: bool) -> None:
    """A task table in the body, its group rows of two cells split from their line by the
    normaliser: the rows are table tasks, and no row is a body item."""
    doc = parser.parse_text(BODY_TABLE, Source("x.txt" if rejoin else "x.docx", "0" * 64, "txt"), rejoin=rejoin)
    assert [(t.id, t.parent_id, t.text) for t in _table_tasks(doc)] == [
        ("PL.A.1", "PL.A", "Rà soát văn bản quy phạm pháp luật"),
        ("PL.B.1", "PL.B", "Sắp xếp đơn vị sự nghiệp công lập")]
    body = [t.text for t in doc.tasks if not t.id.startswith("PL")]
    assert not any(text in ("A", "B") or "CẢI CÁCH" in text or "\t" in text for text in body), body


def test_a_title_row_under_the_header_is_a_group(parser: Parser) -> None:
    """ "NHIỆM VỤ TRỌNG TÂM" merged across under the header names a column word, yet it is a
    group of tasks, not a second header row."""
    rows = [HEAD_ROW, [("I. NHIỆM VỤ TRỌNG TÂM", 1, 6), None, None, None, None, None],
            ["1", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "", "Quý I/2026", "Báo cáo"]]
    doc = _document(parser, rows)
    assert [(t.id, t.parent_id) for t in _table_tasks(doc)] == [("PL.I.1", "PL.I")]


def test_two_row_header_over_one_row_cells(parser: Parser) -> None:
    """ "Cơ quan thực hiện" over "Chủ trì" | "Phối hợp", written without merges (a text table)."""
    rows = [["STT", "Nội dung", "Cơ quan thực hiện", "", "Thời gian", "Kết quả"],
            ["", "", "Chủ trì", "Phối hợp", "", ""],
            ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Thanh tra tỉnh", "Quý III/2026", "Báo cáo kiểm tra"]]
    (task,) = _table_tasks(_document(parser, rows))
    assert ([m.name for m in task.lead], [m.name for m in task.support], task.product.value) == (
        ["Sở Nội vụ"], ["Thanh tra tỉnh Tuyên Quang"], "Báo cáo kiểm tra")


def test_cells_keep_their_place_through_normalisation(parser: Parser) -> None:
    """Decomposed letters (NFD) are composed by the normaliser, which shortens the text: the
    cells' offsets move with it."""
    rows = [HEAD_ROW, ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2026", "Báo cáo rà soát"]]
    doc = _document(parser, rows, form="NFD")
    (task,) = _table_tasks(doc)
    assert (task.text, [m.name for m in task.lead], [m.name for m in task.support], task.deadline.text,
            task.product.value) == ("Rà soát thủ tục hành chính", ["Sở Tư pháp"], ["Sở Nội vụ"], "Quý I/2026",
                                    "Báo cáo rà soát")
    _check_spans(doc, task)


def test_a_page_whose_text_was_replaced_keeps_no_tables() -> None:
    """pdf.py OCRs a page of unmapped glyphs after its tables were read: those tables go."""
    table = Table(0, 5, (TableCell("Sở Y tế", 0, 7, 0, 0),), 1, 1)
    placed = place_tables([("Sở Y tế\tx", (table,)), ("(cid:3)", (table,))], ["Sở Y tế\tx", "Sở Y tế (OCR)"], [0, 10])
    assert [(t.page, t.start, [c.start for c in t.cells]) for t in placed] == [(1, 0, [0])]


def test_records_with_products_follow_the_contract(docx_plan, pdf_plan) -> None:
    schema = json.loads((Path(__file__).resolve().parent.parent / "docs" / "contract" /
                         "parsed-document.schema.json").read_text(encoding="utf-8"))
    for _, doc in (docx_plan, pdf_plan):
        record = doc.to_json()
        jsonschema.Draft202012Validator(schema).validate(record)
        products = [t["product"] for t in record["tasks"] if "product" in t]
        assert products and all(record["text"][p["span"][0]:p["span"][1]] == p["text"] for p in products)
