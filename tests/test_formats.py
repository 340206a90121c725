"""The older and web formats: Word 97–2003 .doc (antiword), OpenDocument .odt, saved web pages.

Fixtures in tests/fixtures/ were written for the project: a Kế hoạch (ke_hoach_45.txt) and
a Công văn (cong_van_312.txt), turned into .doc and .odt once by build_fixtures.py with
LibreOffice (not needed here), and a portal page around the Công văn. ODT files with each
construct the reader handles are built here from XML.
"""
from __future__ import annotations

import io
import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_readers import cp1258

import ingest.readers.doc as doc_reader
from cli import chidao
from ingest.batch import find_sources, parse_batch
from ingest.errors import UnreadableSource
from ingest.readers import SUPPORTED_SUFFIXES, read_doc, read_html, read_odt, read_source
from ingest.readers.html_chrome import load_chrome
from ingest.readers.legacy import legacy_charsets
from ingest.vocab import VOCAB_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KE_HOACH = (FIXTURES / "ke_hoach_45.txt").read_text(encoding="utf-8").rstrip("\n")
CONG_VAN = (FIXTURES / "cong_van_312.txt").read_text(encoding="utf-8").rstrip("\n")
TASK_TABLE = (
    "PHỤ LỤC: DANH MỤC NHIỆM VỤ\n"
    "STT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\n"
    "1\tXây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh\tSở Khoa học và Công nghệ\tQuý IV/2025\n"
    "2\tĐào tạo kỹ năng số cho cán bộ, công chức cấp xã\tSở Nội vụ\tTháng 11/2025"
)


@pytest.fixture(scope="module")
def antiword() -> str:
    found = shutil.which("antiword")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("antiword is missing in CI: apt-get install antiword")
        pytest.skip("needs antiword (apt-get install antiword)")
    return found


def _check_tables(source) -> None:
    for table in source.tables:
        for cell in table.cells:
            assert source.text[cell.start:cell.end] == cell.text


# --- .doc -----------------------------------------------------------------------------------

def test_doc_reads_paragraphs_and_the_task_table(antiword: str) -> None:
    source = read_doc((FIXTURES / "ke_hoach_45.doc").read_bytes(), "ke_hoach_45.doc")
    assert source.format == "doc"
    assert source.text == f"{KE_HOACH}\n{TASK_TABLE}"
    (table,) = source.tables
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert [cell.text for cell in table.cells if cell.row == 2] == [
        "2", "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã", "Sở Nội vụ", "Tháng 11/2025"]
    _check_tables(source)


def test_doc_in_tcvn3_fonts_is_converted(antiword: str) -> None:
    source = read_doc((FIXTURES / "cong_van_312_tcvn3.doc").read_bytes(), "cv.doc")
    # Typed in the TCVN3 days, when "Ủ" had no code: "Uỷ ban". Capitals lines come back as capitals.
    assert source.text == CONG_VAN.replace("Ủy ban", "Uỷ ban")
    assert source.warnings == ("converted from TCVN3 (ABC) to Unicode",)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda: b"", "empty file", id="empty"),
        pytest.param(lambda: random.Random(6).randbytes(3000), "not a Word .doc file (not an OLE2 file)",
                     id="random-bytes"),
        pytest.param(lambda: b"%PDF-1.4\n%...", "not a Word .doc file (it is a PDF document)", id="pdf"),
        pytest.param(lambda: _OLE2 + random.Random(7).randbytes(3000),
                     "antiword cannot read it: is not a Word Document.", id="ole2-noise"),
        pytest.param(lambda: (FIXTURES / "ke_hoach_45.doc").read_bytes()[:9000],
                     "antiword cannot read it: is not a Word Document.", id="truncated"),
    ],
)
def test_doc_bad_files(antiword: str, make, reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_doc(make(), "bad.doc")
    assert caught.value.reason == reason and caught.value.path == "bad.doc"


def test_doc_without_antiword_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableSource) as caught:
        read_doc((FIXTURES / "ke_hoach_45.doc").read_bytes(), "k.doc")
    assert caught.value.reason == (
        "reading .doc files needs antiword, which is not installed (apt-get install antiword)")


def test_doc_antiword_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "antiword"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: str(slow))
    monkeypatch.setattr(doc_reader, "ANTIWORD_TIMEOUT_S", 0.5)
    with pytest.raises(UnreadableSource) as caught:
        read_doc((FIXTURES / "ke_hoach_45.doc").read_bytes(), "k.doc")
    assert caught.value.reason == "antiword took longer than 0.5 s"


def test_a_web_page_named_doc_is_read_as_html() -> None:
    page = b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><p>S\xe1\xbb\x91: 45/KH-UBND</p></body></html>'
    source = read_doc(page, "web.doc")
    assert source.format == "html" and source.text == "Số: 45/KH-UBND"
    assert source.warnings == ("the file is named .doc but is a web page; it was read as HTML",)


def test_a_docx_named_doc_is_read_as_docx() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Số: 45/KH-UBND")
    out = io.BytesIO()
    document.save(out)
    source = read_doc(out.getvalue(), "renamed.doc")
    assert source.format == "docx" and source.text == "Số: 45/KH-UBND"
    assert source.warnings == ("the file is named .doc but is a DOCX; it was read as DOCX",)


# --- .odt -----------------------------------------------------------------------------------

def test_odt_written_by_libreoffice() -> None:
    source = read_odt((FIXTURES / "ke_hoach_45.odt").read_bytes(), "ke_hoach_45.odt")
    assert source.format == "odt"
    assert source.text == f"{KE_HOACH}\n{TASK_TABLE}"
    _check_tables(source)


_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
_LIST_STYLES = (
    '<text:list-style style:name="L1">'
    '<text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>'
    '<text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")"/>'
    '<text:list-level-style-number text:level="3" style:num-format="1" style:num-suffix="." text:display-levels="3"/>'
    '</text:list-style>'
    '<text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>'
    '</text:list-style>'
    '<text:list-style style:name="L3"><text:list-level-style-number text:level="1" style:num-format="I"'
    ' style:num-suffix="." text:start-value="2"/></text:list-style>'
)


def make_odt(body: str, *, styles: str = _LIST_STYLES, mimetype: str = "application/vnd.oasis.opendocument.text",
             manifest: str = "") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>'
               f"<office:automatic-styles>{styles}</office:automatic-styles>"
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest or "<manifest/>")
    return out.getvalue()


def test_odt_headings_lists_tables_in_order() -> None:
    body = (
        '<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>'
        "<text:h text:outline-level=\"1\">KẾ HOẠCH</text:h>"
        "<text:p>Căn cứ<text:s text:c=\"3\"/>Nghị quyết số 57-NQ/TW<text:note><text:note-body>"
        "<text:p>chú thích</text:p></text:note-body></text:note>;<text:line-break/>dòng hai</text:p>"
        '<text:list text:style-name="L3"><text:list-item><text:p>NHIỆM VỤ</text:p></text:list-item></text:list>'
        '<text:list text:style-name="L1">'
        "<text:list-item><text:p>Sở Tài chính chủ trì</text:p>"
        "<text:list><text:list-item><text:p>lập dự toán</text:p>"
        "<text:list><text:list-item><text:p>trước ngày 30/6/2025</text:p></text:list-item></text:list>"
        "</text:list-item><text:list-item><text:p>báo cáo</text:p></text:list-item></text:list>"
        "</text:list-item>"
        "<text:list-item><text:p>Sở Nội vụ phối hợp</text:p><text:p>đoạn thứ hai của mục</text:p></text:list-item>"
        "</text:list>"
        '<text:soft-page-break/><text:section text:name="S1">'
        '<text:list text:style-name="L1" text:continue-numbering="true">'
        "<text:list-item><text:p>Sở Y tế</text:p></text:list-item></text:list>"
        '<text:list text:style-name="L2"><text:list-item><text:p>gạch đầu dòng</text:p></text:list-item></text:list>'
        "</text:section>"
        "<text:tracked-changes><text:changed-region><text:deletion><text:p>đã xóa</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
        "<table:table><table:table-column table:number-columns-repeated=\"3\"/>"
        "<table:table-header-rows><table:table-row>"
        "<table:table-cell><text:p>STT</text:p></table:table-cell>"
        "<table:table-cell><text:p>Nhiệm vụ</text:p></table:table-cell>"
        "<table:table-cell><text:p>Thời hạn</text:p></table:table-cell>"
        "</table:table-row></table:table-header-rows>"
        "<table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>Rà soát</text:p>"
        "<text:p>văn bản</text:p></table:table-cell><table:covered-table-cell/>"
        "<table:table-cell><text:p>Quý II/2025</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
        "</table:table>"
        "<text:p>Nơi nhận:<text:tab/>TM. ỦY BAN NHÂN DÂN"
        '<draw:frame><draw:text-box><text:p>Hộp chữ</text:p></draw:text-box></draw:frame></text:p>'
    )
    source = read_odt(make_odt(body), "plan.odt")
    assert source.text == (
        "KẾ HOẠCH\n"
        "Căn cứ   Nghị quyết số 57-NQ/TW;\ndòng hai\n"
        "II. NHIỆM VỤ\n"
        "1. Sở Tài chính chủ trì\n"
        "a) lập dự toán\n"
        "1.a.1. trước ngày 30/6/2025\n"
        "b) báo cáo\n"
        "2. Sở Nội vụ phối hợp\n"
        "đoạn thứ hai của mục\n"
        "3. Sở Y tế\n"
        "- gạch đầu dòng\n"
        "STT\tNhiệm vụ\tThời hạn\n"
        "Rà soát văn bản\tQuý II/2025\n"
        "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n"
        "Hộp chữ"
    )
    (table,) = source.tables
    assert [(c.text, c.row, c.col, c.col_span) for c in table.cells if c.row == 1] == [
        ("Rà soát văn bản", 1, 0, 2), ("Quý II/2025", 1, 2, 1)]
    _check_tables(source)


def test_odt_header_layout_table_gives_each_paragraph_a_line() -> None:
    body = (
        "<table:table><table:table-row>"
        "<table:table-cell><text:p>ỦY BAN NHÂN DÂN</text:p><text:p>Số: 45/KH-UBND</text:p></table:table-cell>"
        "<table:table-cell><text:p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p>"
        "<text:p>Cao Bằng, ngày 10 tháng 3 năm 2025</text:p></table:table-cell>"
        "</table:table-row></table:table>"
    )
    source = read_odt(make_odt(body), "h.odt")
    assert source.text == ("ỦY BAN NHÂN DÂN\nSố: 45/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                           "Cao Bằng, ngày 10 tháng 3 năm 2025")


def test_odt_in_a_legacy_font_is_converted() -> None:
    vni = legacy_charsets()["vni"]
    body = "".join(f"<text:p>{vni.encode(line)}</text:p>" for line in CONG_VAN.splitlines())
    source = read_odt(make_odt(body), "cv.odt")
    assert source.text == CONG_VAN
    assert source.warnings == ("converted from VNI-Windows to Unicode",)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda: b"", "empty file", id="empty"),
        pytest.param(lambda: b"not a zip", "not a valid ODT (not a ZIP archive)", id="not-zip"),
        pytest.param(lambda: make_odt("<text:p>x</text:p>")[:120],
                     "not a valid ODT (truncated or corrupt ZIP archive)", id="truncated"),
        pytest.param(lambda: make_odt("<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
                     "not a text document (an OpenDocument file of type "
                     "application/vnd.oasis.opendocument.spreadsheet)", id="spreadsheet"),
        pytest.param(lambda: make_odt("<text:p>x</text:p>", manifest="<manifest:encryption-data/>"),
                     "ODT is encrypted (password-protected)", id="encrypted"),
        pytest.param(lambda: make_odt("<text:p>x</text:p>").replace(b"</office:text>", b"</office:txt>"),
                     "not a valid ODT (truncated or corrupt ZIP archive)", id="crc-mismatch"),
        pytest.param(lambda: make_odt("<text:p> </text:p>"), "ODT has no text", id="no-text"),
    ],
)
def test_odt_bad_files(make, reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_odt(make(), "bad.odt")
    assert caught.value.reason == reason


def test_odt_malformed_content() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content><unclosed>")
    with pytest.raises(UnreadableSource) as caught:
        read_odt(out.getvalue(), "bad.odt")
    assert caught.value.reason.startswith("not a valid ODT (malformed content.xml: ")


# --- HTML -----------------------------------------------------------------------------------

PORTAL = (FIXTURES / "cong_van_312_portal.html").read_bytes()
# The page's title and date above the document, and its attachment line below, are kept.
PORTAL_TEXT = (
    "Triển khai Kế hoạch số 45/KH-UBND của Ủy ban nhân dân tỉnh\n"
    "Ngày đăng: 21/03/2025 08:15 | Lượt xem: 326\n"
    "UBND TỈNH CAO BẰNG\nSỞ NỘI VỤ\nSố: 312/SNV-VP\nV/v triển khai Kế hoạch số 45/KH-UBND của Ủy ban nhân dân tỉnh\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCao Bằng, ngày 20 tháng 3 năm 2025\n"
    + "\n".join(CONG_VAN.splitlines()[7:12]) + "\n"
    "Nơi nhận:\n- Như trên;\n- Giám đốc Sở (b/c);\n- Lưu: VT, VP.\nGIÁM ĐỐC\nHoàng Thị Lan\n"
    "Tệp đính kèm: 312-SNV-VP.pdf"
)


def test_html_portal_page_keeps_the_document_only() -> None:
    source = read_html(PORTAL, "cv.html")
    assert source.format == "html" and source.encoding == "utf-8"
    assert source.text == PORTAL_TEXT
    for chrome in ("Trang chủ", "Giới thiệu", "Tìm kiếm", "Chia sẻ", "Tin liên quan", "Văn bản mới",
                   "truy cập", "Bản quyền", "Địa chỉ", "CỔNG THÔNG TIN", "portalConfig", "Khảo sát"):
        assert chrome not in source.text


def test_html_page_inside_one_form_is_still_read() -> None:
    page = PORTAL.decode("utf-8").replace('<div id="wrapper">', '<form id="aspnetForm" method="post"><div id="wrapper">')
    page = page.replace("</body>", "</form></body>")
    assert read_html(page.encode("utf-8"), "aspx.html").text == PORTAL_TEXT


def test_html_decoded_by_its_declared_charset() -> None:
    page = PORTAL.decode("utf-8").replace("charset=utf-8", "charset=windows-1258")
    source = read_html(cp1258(page), "cv.html")
    assert source.encoding == "cp1258" and source.text == PORTAL_TEXT
    latin1 = PORTAL.decode("utf-8").replace("charset=utf-8", "charset=iso-8859-1")
    assert read_html(latin1.encode("utf-8"), "cv.html").encoding == "cp1252"  # as browsers read it
    meta5 = PORTAL.decode("utf-8").replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', '<meta charset="UTF-16">')
    assert read_html(meta5.encode("utf-16"), "cv.html").text == PORTAL_TEXT


def test_html_lists_and_data_tables() -> None:
    page = (
        "<html><body><div class='content'><p>Các nhiệm vụ:</p>"
        "<ol start='3'><li>Sở Tài chính chủ trì</li><li>Sở Nội vụ phối hợp<ul><li>rà soát</li></ul></li></ol>"
        "<table><thead><tr><th>STT</th><th>Nhiệm vụ</th><th>Thời hạn</th></tr></thead>"
        "<tbody><tr><td>1</td><td colspan='1'>Xây dựng <b>kế hoạch</b></td><td>Quý I/2026</td></tr>"
        "<tr><td rowspan='2'>2</td><td>Báo cáo</td><td>30/6/2026</td></tr>"
        "<tr><td>Tổng kết</td><td>31/12/2026</td></tr></tbody></table>"
        "<p>Dòng một<br>dòng&nbsp;hai</p></div></body></html>"
    ).encode()
    source = read_html(page, "t.html")
    assert source.text == (
        "Các nhiệm vụ:\n3. Sở Tài chính chủ trì\n4. Sở Nội vụ phối hợp\n- rà soát\n"
        "STT\tNhiệm vụ\tThời hạn\n1\tXây dựng kế hoạch\tQuý I/2026\n2\tBáo cáo\t30/6/2026\n"
        "Tổng kết\t31/12/2026\nDòng một\ndòng hai"
    )
    (table,) = source.tables
    assert [(c.text, c.row, c.col) for c in table.cells if c.row == 3] == [("Tổng kết", 3, 1), ("31/12/2026", 3, 2)]
    _check_tables(source)


def test_html_in_a_legacy_font_is_converted() -> None:
    tcvn3 = legacy_charsets()["tcvn3"]
    lines = "".join(f"<p>{tcvn3.encode(line)}</p>" for line in CONG_VAN.splitlines()[7:12])
    page = f'<html><head><meta charset="windows-1252"></head><body><font face=".VnTime">{lines}</font></body></html>'
    source = read_html(page.encode("cp1252"), "old.html")
    assert source.text == "\n".join(CONG_VAN.splitlines()[7:12]).replace("Ủy", "ủy")
    assert source.warnings == ("converted from TCVN3 (ABC) to Unicode",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b"   \n", "empty file"), (b"%PDF-1.4 ...", "not an HTML page (it is a PDF document)"),
     (b"<html><body><nav>Trang ch\xe1\xbb\xa7</nav><script>x()</script></body></html>", "HTML page has no text")],
)
def test_html_bad_files(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_html(data, "bad.html")
    assert caught.value.reason == reason


_CHROME_DATA = __import__("yaml").safe_load((VOCAB_DIR / "html_chrome.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("entry", "example"), [(e["words"], x) for e in _CHROME_DATA["class_words"]
                                                for x in e["examples"]])
def test_chrome_words_match_their_examples(entry: str, example: str) -> None:
    expected = "page" if entry in ("header", "footer") else "chrome"
    assert load_chrome().match(example) == expected


@pytest.mark.parametrize("example", [x for e in _CHROME_DATA["class_words"] for x in e.get("not_examples", [])]
                         + ["news-content", "noi-dung", "article-body", "detail", "MsoNormalTable"])
def test_chrome_words_leave_content_alone(example: str) -> None:
    assert load_chrome().match(example) is None


@pytest.mark.parametrize(("group", "example"), [(g, x) for g in ("never_text", "chrome_tags", "wrapping_tags",
                                                                  "page_tags") for x in _CHROME_DATA[g]["examples"]])
def test_chrome_tags_match_their_examples(group: str, example: str) -> None:
    import lxml.html

    element = lxml.html.fragment_fromstring(example, create_parent="div")[0]
    chrome = load_chrome()
    assert element.tag in getattr(chrome, group)
    if group != "never_text":
        assert chrome.kind(element) == {"chrome_tags": "drop", "wrapping_tags": "chrome", "page_tags": "page"}[group]


# --- picking the readers, batches and the CLI -----------------------------------------------

def test_supported_suffixes_include_the_older_formats() -> None:
    assert {".doc", ".odt", ".html", ".htm"} <= set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize(("name", "fmt"), [("KH.DOC", "doc"), ("kh.odt", "odt"), ("cv.html", "html"),
                                           ("cv.HTM", "html")])
def test_read_source_picks_the_new_readers(tmp_path: Path, antiword: str, name: str, fmt: str) -> None:
    fixture = {"doc": "ke_hoach_45.doc", "odt": "ke_hoach_45.odt", "html": "cong_van_312_portal.html"}[fmt]
    (tmp_path / name).write_bytes((FIXTURES / fixture).read_bytes())
    source = read_source(tmp_path / name)
    assert source.format == fmt and source.size == (FIXTURES / fixture).stat().st_size


@pytest.fixture
def mixed_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("ke_hoach_45.doc", "ke_hoach_45.odt", "cong_van_312_tcvn3.doc", "cong_van_312_portal.html"):
        shutil.copy(FIXTURES / name, inbox / name)
    (inbox / "random.doc").write_bytes(random.Random(11).randbytes(5000))
    (inbox / "truncated.doc").write_bytes((FIXTURES / "ke_hoach_45.doc").read_bytes()[:9000])
    return inbox


def test_batch_reports_bad_docs_and_parses_the_rest(mixed_inbox: Path, antiword: str) -> None:
    sources, _ = find_sources([mixed_inbox])
    assert len(sources) == 6
    items = {item.path.name: item for item in parse_batch(sources, jobs=1)}
    assert items["random.doc"].error == "not a Word .doc file (not an OLE2 file)"
    assert items["truncated.doc"].error == "antiword cannot read it: is not a Word Document."
    parsed = {name: item for name, item in items.items() if item.is_parsed}
    assert sorted(parsed) == ["cong_van_312_portal.html", "cong_van_312_tcvn3.doc", "ke_hoach_45.doc",
                              "ke_hoach_45.odt"]


def test_cli_parse_gives_the_same_facts_in_every_format(mixed_inbox: Path, tmp_path: Path, antiword: str) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(chidao, ["parse", str(mixed_inbox), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{mixed_inbox / 'random.doc'}: not a Word .doc file" in result.stderr
    records = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    assert sorted(records) == ["cong_van_312_portal.json", "cong_van_312_tcvn3.json", "ke_hoach_45.json",
                               "ke_hoach_45.odt.json"]
    plans = [records["ke_hoach_45.json"], records["ke_hoach_45.odt.json"]]
    assert {r["source"]["format"] for r in plans} == {"doc", "odt"}
    for record in plans:
        assert record["document"]["ref"] == "45/KH-UBND" and record["document"]["date"] == "2025-03-10"
        assert [(t["lead"], t["deadline"]) for t in record["tasks"]][:3] == [
            (["Sở Khoa học và Công nghệ"], "2025-06-30"), (["Sở Nội vụ"], None),
            (["Ủy ban nhân dân các huyện, thành phố"], "2025-12-15")]
        assert [c["ref"] for c in record["citations"]] == ["57-NQ/TW", "03/NQ-CP"]
    letters = [records["cong_van_312_portal.json"], records["cong_van_312_tcvn3.json"]]
    for record in letters:
        assert record["document"]["ref"] == "312/SNV-VP" and record["document"]["signer"] == "Hoàng Thị Lan"
        assert [t["deadline"] for t in record["tasks"]] == ["2025-04-15", "2025-05-10"]
        assert [c["ref"] for c in record["citations"]] == ["45/KH-UBND", "57-NQ/TW"]
    assert {"code": "reader", "message": "converted from TCVN3 (ABC) to Unicode", "span": None} in (
        records["cong_van_312_tcvn3.json"]["warnings"])


def test_cli_ingest_takes_the_new_formats(mixed_inbox: Path, tmp_path: Path, antiword: str) -> None:
    result = CliRunner().invoke(chidao, ["ingest", str(mixed_inbox), "--data", str(tmp_path / "data"), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    failed = json.dumps(summary, ensure_ascii=False)
    assert "random.doc" in failed and "truncated.doc" in failed
    stats = CliRunner().invoke(chidao, ["stats", "--data", str(tmp_path / "data"), "--json"], catch_exceptions=False)
    assert json.loads(stats.stdout)["documents"] == 4


def test_fixture_texts_are_well_formed_xml_where_they_are_xml() -> None:
    with zipfile.ZipFile(FIXTURES / "ke_hoach_45.odt") as archive:
        etree.fromstring(archive.read("content.xml"))


# --- damaged input raises UnreadableSource, nothing else -------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_html_arbitrary_bytes_raise_only_unreadable_source(data: bytes) -> None:
    try:
        read_html(data, "x.html")
    except UnreadableSource:
        pass


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_odt_damaged_bytes_raise_only_unreadable_source(data: st.DataObject) -> None:
    original = bytearray((FIXTURES / "ke_hoach_45.odt").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(original)))
    try:
        read_odt(bytes(original[:cut] if data.draw(st.booleans()) else original), "x.odt")
    except UnreadableSource:
        pass


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.data())
def test_doc_damaged_bytes_raise_only_unreadable_source(antiword: str, data: st.DataObject) -> None:
    original = bytearray((FIXTURES / "ke_hoach_45.doc").read_bytes())
    for _ in range(data.draw(st.integers(1, 16))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    try:
        read_doc(bytes(original), "x.doc")
    except UnreadableSource:
        pass


@pytest.mark.parametrize("name", ["ke_hoach_45.doc", "ke_hoach_45.odt", "cong_van_312_tcvn3.doc",
                                  "cong_van_312_portal.html"])
def test_records_of_every_format_hold_the_contract(name: str, antiword: str) -> None:
    import jsonschema

    from ingest.pipeline import parse_file

    schema_path = Path(__file__).resolve().parent.parent / "docs" / "contract" / "parsed-document.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    record = parse_file(FIXTURES / name).to_json()
    jsonschema.Draft202012Validator(schema).validate(record)
    assert record["source"]["format"] == Path(name).suffix.lstrip(".")
