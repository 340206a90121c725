"""TCVN3 (ABC) and VNI-Windows text converted to Unicode: the tables, plain text, DOCX runs.

Round trips go Unicode → legacy bytes → chidao → Unicode, with two encoders: the one in
tests/test_readers.py, written from the published code tables apart from chidao's data
file, and chidao's own (LegacyCharset.encode, from ingest/vocab/legacy_charsets.yaml),
which also knows VNI's capitals.
"""
from __future__ import annotations

import io
import time
import unicodedata

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given, settings
from hypothesis import strategies as st
from test_readers import BODY, HEADER, UNICODE_SENTENCES, tcvn3, vni

from ingest.readers import read_docx, read_source, read_txt
from ingest.readers.legacy import (
    convert_legacy_text,
    detect_legacy_encoding,
    font_encoding,
    legacy_charsets,
)
from ingest.vocab import VOCAB_DIR

TCVN3 = legacy_charsets()["tcvn3"]
VNI = legacy_charsets()["vni"]
TCVN3_CAPITALS = "ĂÂĐÊÔƠƯ"  # the only capitals TCVN3 has codes for
DATA = yaml.safe_load((VOCAB_DIR / "legacy_charsets.yaml").read_text(encoding="utf-8"))


def vietnamese_letters() -> set[str]:
    """Every precomposed Vietnamese letter past ASCII, built from its parts, in both cases."""
    bases = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    lower = {unicodedata.normalize("NFC", base + tone) for base in bases for tone in tones} | {"đ"}
    lower -= set("aeiouy")
    return lower | {letter.upper() for letter in lower}


# --- the data file ------------------------------------------------------------------------

def test_the_table_lists_every_vietnamese_letter_once() -> None:
    letters = [entry["letter"] for entry in DATA["letters"]]
    assert len(letters) == 134 == len(set(letters))
    assert set(letters) == vietnamese_letters()
    assert all(unicodedata.is_normalized("NFC", letter) for letter in letters)


def test_the_table_agrees_with_the_independent_encoders() -> None:
    for letter in vietnamese_letters():
        assert VNI.encode(letter) == vni(letter), letter
        if letter.islower() or letter in TCVN3_CAPITALS:
            assert TCVN3.encode(letter) == tcvn3(letter), letter


def test_tcvn3_capitals_share_their_lowercase_code() -> None:
    for entry in DATA["letters"]:
        letter = entry["letter"]
        if entry.get("tcvn3_capitals_font"):
            assert letter.isupper() and letter not in TCVN3_CAPITALS
            assert entry["tcvn3"] == next(e["tcvn3"] for e in DATA["letters"] if e["letter"] == letter.lower())
            assert TCVN3.decode(TCVN3.encode(letter)) == letter.lower()
            assert TCVN3.decode(TCVN3.encode(letter), capitals=True) == letter
        else:
            assert TCVN3.decode(TCVN3.encode(letter)) == letter
        assert VNI.decode(VNI.encode(letter)) == letter


@pytest.mark.parametrize(("key", "example"), [(key, example) for key, meta in DATA["encodings"].items()
                                              for example in meta["examples"]])
def test_examples_encode_and_convert(key: str, example: dict[str, str]) -> None:
    charset = legacy_charsets()[key]
    assert charset.encode(example["unicode"]) == example["legacy"]
    assert convert_legacy_text(example["legacy"], key) == example["unicode"]
    assert detect_legacy_encoding(" ".join([example["legacy"]] * 3)) == key


@pytest.mark.parametrize(
    ("font", "expected"),
    [(".VnTime", ("tcvn3", False)), (".VnTimeH", ("tcvn3", True)), (".VnArial", ("tcvn3", False)),
     (".VnArialH", ("tcvn3", True)), (".vntime", ("tcvn3", False)), ("VNI-Times", ("vni", False)),
     ("VNI-Helve", ("vni", False)), ("VNI-Helve-Condense", ("vni", False)), ("Times New Roman", None),
     ("Arial", None), (None, None), ("", None)],
)
def test_font_names(font: str | None, expected: tuple[str, bool] | None) -> None:
    assert font_encoding(font) == expected


# --- plain text -----------------------------------------------------------------------------

TCVN3_BODY_BYTES = tcvn3(BODY).encode("latin-1")


@pytest.mark.parametrize(
    ("data", "expected", "name", "encoding"),
    [
        pytest.param(TCVN3_BODY_BYTES, BODY, "TCVN3 (ABC)", "tcvn3", id="tcvn3-bytes"),
        pytest.param(tcvn3(BODY).encode("utf-8"), BODY, "TCVN3 (ABC)", "utf-8", id="tcvn3-copied-into-utf-8"),
        pytest.param(vni(HEADER).encode("cp1252"), HEADER, "VNI-Windows", "vni", id="vni-bytes"),
        pytest.param(vni(HEADER).encode("utf-16"), HEADER, "VNI-Windows", "utf-16", id="vni-copied-into-utf-16"),
        pytest.param(VNI.encode(HEADER.upper()).encode("cp1252"), HEADER.upper(), "VNI-Windows", "vni",
                     id="vni-capitals"),
        pytest.param(TCVN3.encode(HEADER).encode("cp1252"), HEADER, "TCVN3 (ABC)", "tcvn3",
                     id="tcvn3-capitals-lines"),
    ],
)
def test_txt_converts_legacy_font_encodings(data: bytes, expected: str, name: str, encoding: str) -> None:
    source = read_txt(data, "old.txt")
    assert source.text == unicodedata.normalize("NFC", expected)
    assert source.warnings == (f"converted from {name} to Unicode",)
    assert source.encoding == encoding


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("UBND TØNH CAO B»NG", "UBND TỈNH CAO BẰNG"),
        ("§¶NG Bé TØNH", "ĐẢNG BỘ TỈNH"),
        ("Sè: 312/SNV-VP", "Số: 312/SNV-VP"),  # symbols are capitals in any line
        ("Bé Tµi chÝnh giao ViÖt", "Bộ Tài chính giao Việt"),
        ("KÕ ho¹ch sè 45/KH-UBND", "Kế hoạch số 45/KH-UBND"),
    ],
)
def test_tcvn3_plain_text_capitals_follow_their_words(legacy: str, unicode: str) -> None:
    assert convert_legacy_text(legacy, "tcvn3") == unicode


def test_lines_already_in_unicode_are_left_alone() -> None:
    mixed = "\n".join([tcvn3(BODY), "Ghi chú: bản sao gửi Sở Nội vụ, lưu trữ.", tcvn3(BODY)])
    source = read_txt(mixed.encode("utf-8"), "mixed.txt")
    assert source.text == f"{BODY}\nGhi chú: bản sao gửi Sở Nội vụ, lưu trữ.\n{BODY}"


def test_windows_1252_punctuation_in_legacy_bytes() -> None:
    data = TCVN3_BODY_BYTES + b"\r\n\x93U\xfb ban\x94 \x96 trang 1\x85"
    source = read_txt(data, "old.txt")
    assert source.text.endswith("\n“Uỷ ban” – trang 1…")


def test_unicode_text_is_not_converted() -> None:
    for sentence in UNICODE_SENTENCES:
        source = read_txt(sentence.encode("utf-8"), "new.txt")
        assert source.text == sentence and source.warnings == ()


_LETTERS = sorted(vietnamese_letters()) + list("abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY")
_WORDS = st.text(alphabet=_LETTERS, min_size=1, max_size=7)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30))
def test_vni_round_trips_any_vietnamese_text(words: list[str]) -> None:
    text = " ".join(words)
    assert VNI.decode(VNI.encode(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30))
def test_tcvn3_round_trips_any_text_it_can_spell(words: list[str]) -> None:
    text = " ".join(words)
    spelled = "".join(c if c.islower() or c.isascii() or c in TCVN3_CAPITALS else c.lower() for c in text)
    assert TCVN3.decode(TCVN3.encode(text)) == spelled


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_conversion_accepts_any_text(text: str) -> None:
    for key in ("tcvn3", "vni"):
        assert isinstance(convert_legacy_text(text, key), str)
        assert convert_legacy_text(text, key).count("\n") == text.count("\n")


def test_a_legacy_txt_file_parses_like_its_unicode_twin(tmp_path) -> None:
    from ingest.pipeline import parse_file

    letter = (
        "UBND TỈNH LAI CHÂU\nVĂN PHÒNG\nSố: 12/VPUBND-HCQT\nV/v triển khai Nghị quyết số 57-NQ/TW\n"
        "Lai Châu, ngày 15 tháng 01 năm 2026\nKính gửi: Sở Tài chính.\n"
        "1. Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan thực hiện, hoàn thành trước ngày 30/6/2026.\n"
    )
    (tmp_path / "unicode.txt").write_text(letter, encoding="utf-8")
    (tmp_path / "tcvn3.txt").write_bytes(TCVN3.encode(letter).encode("cp1252"))
    (tmp_path / "vni.txt").write_bytes(VNI.encode(letter).encode("cp1252"))
    reference = parse_file(tmp_path / "unicode.txt").to_json()
    for name in ("tcvn3.txt", "vni.txt"):
        record = parse_file(tmp_path / name).to_json()
        assert record["text"] == reference["text"]
        assert record["document"] == reference["document"] and record["tasks"] == reference["tasks"]
        assert record["warnings"][-1]["message"].startswith("converted from ")


# --- DOCX runs ------------------------------------------------------------------------------

def _docx_bytes(document: docx.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(paragraph, text: str, font: str) -> None:
    paragraph.add_run(text).font.name = font


def test_docx_runs_are_converted_by_their_font() -> None:
    document = docx.Document()
    _run(document.add_paragraph(), TCVN3.encode("ủy ban nhân dân tỉnh cao bằng"), ".VnTimeH")
    paragraph = document.add_paragraph()
    _run(paragraph, "Số: 12/KH-UBND về việc ", "Times New Roman")  # Unicode, a later edit
    _run(paragraph, TCVN3.encode("triển khai Nghị quyết"), ".VnTime")
    paragraph = document.add_paragraph()
    _run(paragraph, "Vie", "VNI-Times")  # Word split the VNI letter "eä" over two runs
    _run(paragraph, VNI.encode("ệt Nam")[1:], "VNI-Times")
    _run(paragraph, " – được giao", "Arial")
    source = read_docx(_docx_bytes(document), "mixed.docx")
    assert source.text == (
        "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG\n"
        "Số: 12/KH-UBND về việc triển khai Nghị quyết\n"
        "Việt Nam – được giao"
    )
    assert source.warnings == (
        "converted from TCVN3 (ABC) to Unicode (runs set in .VnTime, .VnTimeH)",
        "converted from VNI-Windows to Unicode (runs set in VNI-Times)",
    )


def test_docx_fonts_come_through_styles_and_defaults() -> None:
    document = docx.Document()
    styles = document.styles.element
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="VanBan"><w:name w:val="Van ban"/>'
        '<w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>'
    ))
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TieuDe"><w:name w:val="Tieu de"/>'
        '<w:basedOn w:val="VanBan"/><w:rPr><w:rFonts w:hAnsi=".VnTimeH"/></w:rPr></w:style>'
    ))
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="Moi"><w:name w:val="Moi"/>'
        '<w:rPr><w:rFonts w:hAnsiTheme="minorHAnsi"/></w:rPr></w:style>'
    ))
    document.add_paragraph(TCVN3.encode("kế hoạch"), style="Tieu de")
    paragraph = document.add_paragraph(TCVN3.encode("thực hiện nghị quyết "), style="Van ban")
    run = paragraph.add_run("Nghị quyết số 57-NQ/TW")  # Unicode in a theme font, by its character style
    run._r.get_or_add_rPr().insert(0, parse_xml(f'<w:rStyle {nsdecls("w")} w:val="Moi"/>'))
    paragraph = document.add_paragraph(style="Van ban")
    paragraph.add_run("Kính gửi: Sở Tài chính")  # a Unicode keyboard in a legacy font: left alone
    source = read_docx(_docx_bytes(document), "styled.docx")
    assert source.text == "KẾ HOẠCH\nthực hiện nghị quyết Nghị quyết số 57-NQ/TW\nKính gửi: Sở Tài chính"


def test_docx_table_cells_in_legacy_fonts_keep_their_spans() -> None:
    document = docx.Document()
    header = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn")
    row = ("1", "Xây dựng cơ sở dữ liệu", "Sở Khoa học và Công nghệ", "Quý IV/2025")
    table = document.add_table(rows=2, cols=4)
    for r, cells in enumerate((header, row)):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = ""
            _run(cell.paragraphs[0], VNI.encode(text), "VNI-Times")
    source = read_docx(_docx_bytes(document), "table.docx")
    assert source.text == "\t".join(header) + "\n" + "\t".join(row)
    (parsed,) = source.tables
    assert [cell.text for cell in parsed.cells] == [*header, *row]
    for cell in parsed.cells:
        assert source.text[cell.start:cell.end] == cell.text


def test_docx_legacy_text_in_another_font_is_detected() -> None:
    document = docx.Document()
    document.add_paragraph(tcvn3(BODY))
    source = read_docx(_docx_bytes(document), "old.docx")
    assert source.text == BODY
    assert source.warnings == (
        "converted from TCVN3 (ABC) to Unicode (detected from the text; its fonts do not name the encoding)",
    )


def test_docx_unicode_documents_are_untouched() -> None:
    document = docx.Document()
    for sentence in UNICODE_SENTENCES:
        _run(document.add_paragraph(), sentence, ".VnTime")  # an old template, retyped in Unicode
    source = read_docx(_docx_bytes(document), "new.docx")
    assert source.text == "\n".join(UNICODE_SENTENCES) and source.warnings == ()


def test_docx_element_tags_are_what_the_converter_reads() -> None:
    document = docx.Document()
    _run(document.add_paragraph(), "x", ".VnTime")
    run = document.element.body.find(f"{qn('w:p')}/{qn('w:r')}")
    assert run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:hAnsi")) == ".VnTime"


def test_read_source_converts_a_legacy_txt_file(tmp_path) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes(TCVN3_BODY_BYTES)
    source = read_source(path)
    assert source.text == BODY and source.encoding == "tcvn3"


def test_conversion_speed_is_recorded() -> None:
    """Not a benchmark: catches a conversion that became quadratic (1 MB must take seconds, not minutes)."""
    text = tcvn3(BODY) * 4000  # ~0.9 MB
    started = time.process_time()
    converted = convert_legacy_text(text, "tcvn3")
    assert time.process_time() - started < 30
    assert converted.startswith(BODY)
