"""Provincial plans with an appendix task table, built as DOCX (python-docx) and PDF (fpdf2).

The wording is the project's own, in the style of a provincial Kế hoạch (Nghị định
30/2020/NĐ-CP): a body that sends the reader to the appendix, the signature, then
"PHỤ LỤC: DANH MỤC NHIỆM VỤ …" with one task per row. The two tables differ on purpose:

- DOCX: a two-row header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp", the other
  header cells merged down), a header cell broken over two lines, group rows merged
  across the table, a second level of groups ("1" over "1.1", "1.2"), numbering that
  restarts in each group, a lead cell merged over three rows, a column-number row.
- PDF: the columns in another order and other words ("TT", "Thời hạn hoàn thành",
  "Cơ quan (đơn vị) chủ trì", "Kết quả/Sản phẩm"), letter groups, a lead cell merged
  over three rows, page numbers printed at the top of each page, and enough rows to run
  over pages, with the header repeated on each page or not, ruled as a grid or between
  its rows only.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class PlanRow:
    number: str
    text: str
    lead: str = ""
    support: str = ""
    deadline: str = ""
    product: str = ""
    note: str = ""
    group: bool = False  # a group row: its text merged across every column after the number
    lead_rows: int = 1  # the lead cell merged down over this row and the next lead_rows - 1


HEADER = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH TUYÊN QUANG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 214/KH-UBND",
    "Tuyên Quang, ngày 20 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Chuyển đổi số tỉnh Tuyên Quang năm 2026",
]
BODY = [
    ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
     "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
     "chuyển đổi số năm 2026 như sau:"),
    "I. MỤC ĐÍCH, YÊU CẦU",
    ("Cụ thể hóa các nhiệm vụ chuyển đổi số của tỉnh năm 2026; xác định rõ cơ quan chủ trì, thời hạn và "
     "sản phẩm của từng nhiệm vụ."),
    "II. TỔ CHỨC THỰC HIỆN",
    ("Các sở, ban, ngành, UBND các xã, phường căn cứ chức năng, nhiệm vụ triển khai các nhiệm vụ tại Phụ "
     "lục kèm theo Kế hoạch này; báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 10/12/2026 để tổng "
     "hợp./."),
]
FOOTER = [
    "Nơi nhận:",
    "- Thường trực Tỉnh ủy;",
    "- Các sở, ban, ngành tỉnh;",
    "- Lưu: VT, KGVX.",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Thị Hạnh",
]
APPENDIX_TITLE = [
    "PHỤ LỤC: DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
    "(Kèm theo Kế hoạch số 214/KH-UBND ngày 20/01/2026 của UBND tỉnh Tuyên Quang)",
]

DOCX_ROWS = [
    PlanRow("I", "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH VỀ CHUYỂN ĐỔI SỐ", group=True),
    PlanRow("1", "Rà soát, đề xuất sửa đổi các văn bản quy phạm pháp luật của tỉnh không còn phù hợp với yêu "
                 "cầu chuyển đổi số", "Sở Tư pháp", "Các sở, ban, ngành; UBND các xã, phường", "Trước 30/6/2026",
            "Báo cáo rà soát"),
    PlanRow("2", "Xây dựng Quy chế quản lý, vận hành, khai thác Nền tảng tích hợp, chia sẻ dữ liệu tỉnh",
            "Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh; Công an tỉnh", "Quý II/2026",
            "Quyết định của UBND tỉnh", lead_rows=3),
    PlanRow("3", "Ban hành Danh mục cơ sở dữ liệu dùng chung của tỉnh", "", "Sở Tài chính", "Tháng 5/2026",
            "Quyết định của UBND tỉnh"),
    PlanRow("4", "Xây dựng Khung kiến trúc số tỉnh Tuyên Quang phiên bản 4.0", "", "Các sở, ban, ngành",
            "31/10/2026", "Khung kiến trúc được phê duyệt", "Kế thừa phiên bản 3.0"),
    PlanRow("II", "PHÁT TRIỂN HẠ TẦNG SỐ VÀ DỮ LIỆU SỐ", group=True),
    PlanRow("1", "Hạ tầng số"),
    PlanRow("1.1", "Phủ sóng di động 4G, 5G đến các thôn, bản chưa có sóng", "Sở Khoa học và Công nghệ",
            "Viễn thông Tuyên Quang; UBND các xã, phường", "Năm 2026", "Báo cáo kết quả phủ sóng"),
    PlanRow("1.2", "Nâng cấp Trung tâm dữ liệu tỉnh bảo đảm an toàn thông tin cấp độ 3",
            "Sở Khoa học và Công nghệ", "Công an tỉnh", "Quý IV/2026", "Trung tâm dữ liệu được nâng cấp"),
    PlanRow("2", "Dữ liệu số"),
    PlanRow("2.1", "Số hóa hồ sơ địa chính, xây dựng cơ sở dữ liệu đất đai", "Sở Nông nghiệp và Môi trường",
            "UBND các xã, phường", "Trước 30/9/2026", "Cơ sở dữ liệu đất đai"),
    PlanRow("2.2", "Làm sạch dữ liệu dân cư phục vụ Đề án 06", "Công an tỉnh", "Sở Tư pháp; UBND các xã, phường",
            "Thường xuyên", "Dữ liệu dân cư được làm sạch"),
    PlanRow("III", "PHÁT TRIỂN CHÍNH QUYỀN SỐ, KINH TẾ SỐ, XÃ HỘI SỐ", group=True),
    PlanRow("1", "Cung cấp dịch vụ công trực tuyến toàn trình cho các thủ tục hành chính đủ điều kiện",
            "Văn phòng UBND tỉnh", "Trung tâm Phục vụ hành chính công tỉnh; Các sở, ban, ngành", "Tháng 6/2026",
            "Tỷ lệ dịch vụ công trực tuyến toàn trình đạt 80%"),
    PlanRow("2", "Triển khai hồ sơ sức khỏe điện tử cho người dân trên địa bàn tỉnh", "Sở Y tế",
            "Bảo hiểm xã hội tỉnh", "Quý III/2026", "Hồ sơ sức khỏe điện tử"),
    PlanRow("3", "Hỗ trợ doanh nghiệp nhỏ và vừa tham gia sàn thương mại điện tử", "Sở Công Thương",
            "Sở Tài chính", "Năm 2026", "200 doanh nghiệp tham gia sàn"),
    PlanRow("4", "Tổ chức phong trào \"Bình dân học vụ số\" tại các xã, phường", "Sở Giáo dục và Đào tạo",
            "Tỉnh đoàn; Hội Liên hiệp Phụ nữ tỉnh", "Thường xuyên", "Kế hoạch, báo cáo kết quả"),
    PlanRow("5", "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
            "Trước 15/11/2026", "Các lớp bồi dưỡng"),
    PlanRow("6", "Tuyên truyền về chuyển đổi số trên các phương tiện thông tin đại chúng",
            "Sở Văn hóa, Thể thao và Du lịch", "Báo và Phát thanh, Truyền hình Tuyên Quang", "Quý I/2026",
            "Chuyên trang, chuyên mục"),
]

PDF_ROWS = [
    PlanRow("A", "NHIỆM VỤ VỀ NÂNG CAO NHẬN THỨC VÀ THỂ CHẾ", group=True),
    PlanRow("1", "Quán triệt Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên và Nhân dân", "Sở Nội vụ",
            "Các sở, ban, ngành", "Quý I/2026", "Hội nghị quán triệt"),
    PlanRow("2", "Ban hành Quy định về thu hút chuyên gia công nghệ số làm việc tại tỉnh", "Sở Nội vụ",
            "Sở Tài chính; Sở Tư pháp", "Trước 31/5/2026", "Nghị quyết của HĐND tỉnh"),
    PlanRow("3", "Rà soát thủ tục hành chính để tái cấu trúc quy trình trên môi trường điện tử",
            "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Tháng 4/2026", "Danh mục thủ tục tái cấu trúc"),
    PlanRow("4", "Xây dựng cơ chế thử nghiệm có kiểm soát đối với công nghệ mới", "Sở Khoa học và Công nghệ",
            "Sở Tư pháp", "Năm 2026", "Đề án trình UBND tỉnh"),
    PlanRow("5", "Đánh giá mức độ chuyển đổi số của các sở, ngành và các xã, phường", "Sở Khoa học và Công nghệ",
            "UBND các xã, phường", "Trước 20/12/2026", "Báo cáo đánh giá"),
    PlanRow("6", "Tổ chức Ngày Chuyển đổi số tỉnh năm 2026", "Sở Khoa học và Công nghệ", "", "10/10/2026",
            "Chương trình sự kiện"),
    PlanRow("B", "NHIỆM VỤ VỀ HẠ TẦNG, NỀN TẢNG VÀ AN TOÀN THÔNG TIN", group=True),
    PlanRow("7", "Triển khai mạng truyền số liệu chuyên dùng đến cấp xã", "Sở Khoa học và Công nghệ",
            "Viễn thông Tuyên Quang", "Quý II/2026", "Kết nối mạng cấp xã", lead_rows=3),
    PlanRow("8", "Giám sát an toàn thông tin cho các hệ thống dùng chung của tỉnh", "", "Công an tỉnh",
            "Thường xuyên", "Báo cáo giám sát hằng tháng"),
    PlanRow("9", "Diễn tập ứng cứu sự cố an toàn thông tin mạng", "", "Công an tỉnh; Các sở, ban, ngành",
            "Quý III/2026", "Báo cáo kết quả diễn tập"),
    PlanRow("10", "Triển khai chữ ký số cho cán bộ, công chức cấp xã", "Văn phòng UBND tỉnh",
            "Sở Khoa học và Công nghệ", "Trước 30/4/2026", "Chứng thư số được cấp"),
    PlanRow("11", "Kết nối Hệ thống thông tin giải quyết thủ tục hành chính với cơ sở dữ liệu quốc gia về "
                  "dân cư", "Công an tỉnh", "Văn phòng UBND tỉnh", "Tháng 6/2026", "Hệ thống được kết nối"),
    PlanRow("12", "Xây dựng kho dữ liệu dùng chung của tỉnh", "Sở Khoa học và Công nghệ",
            "Các sở, ban, ngành", "Quý IV/2026", "Kho dữ liệu dùng chung"),
    PlanRow("C", "NHIỆM VỤ VỀ KINH TẾ SỐ VÀ XÃ HỘI SỐ", group=True),
    PlanRow("13", "Phát triển thanh toán không dùng tiền mặt trong trường học, bệnh viện", "Sở Giáo dục và Đào tạo",
            "Sở Y tế", "Năm 2026", "Báo cáo kết quả"),
    PlanRow("14", "Hỗ trợ hộ sản xuất đưa nông sản lên sàn thương mại điện tử", "Sở Công Thương",
            "Sở Nông nghiệp và Môi trường; UBND các xã, phường", "Trước 30/10/2026", "Gian hàng trực tuyến"),
    PlanRow("15", "Cài đặt, sử dụng ứng dụng định danh điện tử cho người dân", "Công an tỉnh",
            "UBND các xã, phường", "Thường xuyên", "Tài khoản định danh được kích hoạt"),
    PlanRow("16", "Bồi dưỡng kỹ năng số cho thành viên Tổ công nghệ số cộng đồng", "Sở Khoa học và Công nghệ",
            "Tỉnh đoàn", "Quý III/2026", "Các lớp bồi dưỡng"),
    PlanRow("17", "Triển khai học bạ số ở các trường phổ thông", "Sở Giáo dục và Đào tạo", "", "Tháng 9/2026",
            "Học bạ số"),
    PlanRow("18", "Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh", "Sở Y tế", "Bảo hiểm xã hội tỉnh",
            "Trước 31/12/2026", "Bệnh án điện tử"),
    PlanRow("19", "Số hóa di sản văn hóa và điểm du lịch tiêu biểu của tỉnh", "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Khoa học và Công nghệ", "Năm 2026", "Bản đồ số du lịch"),
    PlanRow("20", "Vận động người lao động sử dụng dịch vụ công trực tuyến", "Liên đoàn Lao động tỉnh",
            "Hội Liên hiệp Phụ nữ tỉnh", "Thường xuyên", "Báo cáo kết quả vận động"),
]

DOCX_COLUMNS = 7  # STT, Nội dung công việc, Chủ trì, Phối hợp, Thời gian hoàn thành, Sản phẩm đầu ra, Ghi chú
PDF_HEADER = ["TT", "Nhiệm vụ", "Thời hạn hoàn thành", "Cơ quan (đơn vị) chủ trì", "Cơ quan phối hợp",
              "Kết quả/Sản phẩm", "Ghi chú"]


# --- DOCX --------------------------------------------------------------------------------------

def build_docx() -> bytes:
    document = docx.Document()
    for line in HEADER + BODY + FOOTER:
        document.add_paragraph(line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in APPENDIX_TITLE:
        document.add_paragraph(line)
    table = document.add_table(rows=3 + len(DOCX_ROWS), cols=DOCX_COLUMNS, style="Table Grid")
    _docx_header(table)
    for i, row in enumerate(DOCX_ROWS):
        r = 3 + i
        _set(table.cell(r, 0), row.number)
        if row.group:
            merged = table.cell(r, 1).merge(table.cell(r, DOCX_COLUMNS - 1))
            _set(merged, row.text)
            continue
        values = [row.text, row.lead, row.support, row.deadline, row.product, row.note]
        for c, value in enumerate(values, start=1):
            if value:
                _set(table.cell(r, c), value)
        if row.lead_rows > 1:
            _set(table.cell(r, 2).merge(table.cell(r + row.lead_rows - 1, 2)), row.lead)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_header(table) -> None:
    """Two header rows and a row numbering the columns."""
    for c, label in [(0, "STT"), (1, "Nội dung công việc"), (4, "Thời gian\nhoàn thành"), (5, "Sản phẩm đầu ra"),
                     (6, "Ghi chú")]:
        _set(table.cell(0, c).merge(table.cell(1, c)), label)
    _set(table.cell(0, 2).merge(table.cell(0, 3)), "Cơ quan thực hiện")
    _set(table.cell(1, 2), "Chủ trì")
    _set(table.cell(1, 3), "Phối hợp")
    for c in range(DOCX_COLUMNS):
        _set(table.cell(2, c), f"({c + 1})")
    for tr in list(table._tbl.tr_lst)[:2]:  # repeated at the top of every page, as plans do
        properties = tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))
        properties[-1].set(qn("w:val"), "true")


def _set(cell, text: str) -> None:
    """The cell's text, a line break where the text has one (a header broken over two lines)."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    for n, part in enumerate(text.split("\n")):
        run = paragraph.add_run(part)
        if n < len(text.split("\n")) - 1:
            run.add_break()


# --- PDF ---------------------------------------------------------------------------------------

def build_pdf(*, repeat_header: bool = True, column_rules: bool = True) -> bytes:
    """The PDF plan; without `column_rules` the table is ruled between its rows only."""
    from fpdf import FPDF  # dev dependency: only the tests build PDFs

    class _Plan(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:  # page numbers at the top, as Nghị định 30 wants from page 2
                self.set_font("DejaVu", size=10)
                self.cell(0, 6, str(self.page_no()), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf = _Plan(orientation="L", format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_BOLD))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in HEADER + BODY + FOOTER:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    for line in APPENDIX_TITLE:
        pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=9)
    with pdf.table(col_widths=(10, 78, 30, 42, 50, 42, 25), text_align="LEFT", line_height=5,
                   repeat_headings=1 if repeat_header else 0,
                   borders_layout="ALL" if column_rules else "HORIZONTAL_LINES") as table:
        heading = table.row()
        for label in PDF_HEADER:
            heading.cell(label)
        skip = 0
        for row in PDF_ROWS:
            cells = table.row()
            cells.cell(row.number)
            if row.group:
                cells.cell(row.text, colspan=len(PDF_HEADER) - 1)
                continue
            cells.cell(row.text)
            cells.cell(row.deadline)
            if row.lead_rows > 1:
                cells.cell(row.lead, rowspan=row.lead_rows)
                skip = row.lead_rows - 1
            elif skip:
                skip -= 1
            else:
                cells.cell(row.lead)
            for value in (row.support, row.product, row.note):
                cells.cell(value)
    return bytes(pdf.output())
