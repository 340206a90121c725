"""Tests for ingest/readers: every fixture is built here, at test time, from Unicode text.

DOCX files come from python-docx; PDFs from the small writer below (no PDF library is
installed), whose output pdfplumber must read back; TCVN3, VNI and Windows-1258 bytes
from the encoders below, which follow the published code tables.
"""
from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.errors import UnreadableSource
from ingest.readers import (
    SUPPORTED_SUFFIXES,
    SourceText,
    detect_legacy_encoding,
    read_docx,
    read_pdf,
    read_source,
    read_txt,
)
from ingest.readers.docx_numbering import format_number

REPO = Path(__file__).resolve().parent.parent

HEADER = (
    "UBND TỈNH LAI CHÂU\n"
    "Số: 12/VPUBND-HCQT\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Lai Châu, ngày 15 tháng 01 năm 2026\n"
    "Kính gửi: Các phòng, ban, trung tâm.\n"
    "Thực hiện Công văn số 591-CV/TU của Ban Thường vụ Tỉnh uỷ về việc triển khai "
    "các nhiệm vụ của Nghị quyết số 57-NQ/TW trong năm 2026."
)
# Lowercase only: TCVN3 and VNI are typed in lowercase here, their capitals need other fonts.
BODY = (
    "cộng hoà xã hội chủ nghĩa việt nam\n"
    "độc lập - tự do - hạnh phúc\n"
    "uỷ ban nhân dân tỉnh lai châu giao sở tài chính chủ trì, phối hợp với các đơn vị "
    "liên quan thực hiện những nhiệm vụ được giao trước ngày 30/6/2025."
)
UNICODE_SENTENCES = [
    "Cộng hoà xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
    "Kính gửi: Sở Khoa học và Công nghệ; Sở Tài chính; Sở Nội vụ.",
    (
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
        "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
    ),
    "Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu UBND tỉnh",
    "mùa xuân, quân đội, tuần này, khuê các, quý hoá, hoà bình, toà án, khoẻ mạnh, thuở ấy",
    "Nơi nhận: - Như trên; - Lưu: VT, HCQT.",
]
PLAIN_SENTENCES = [
    "Cong hoa xa hoi chu nghia Viet Nam - Doc lap - Tu do - Hanh phuc",
    "UBND TINH LAI CHAU; So: 12/VPUBND-HCQT; Lai Chau, ngay 15 thang 01 nam 2026",
    "The committee met on 15 January 2026 to review the plan.",
]
FOREIGN_SENTENCES = [  # Latin-1 letters that the legacy encodings also use
    "Noël approche : où est le président ? C'est naïf, l'égoïsme de la forêt âgée.",
    "Die Größe der Bäume überrascht Müller; schön für alle Häuser, fünf Übungen.",
    "El niño español comió mañana en la montaña con su compañero.",
]

# --- legacy and Windows-1258 encoders -------------------------------------------------

_TCVN3 = dict(zip(
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂĐÊÔƠƯ",
    "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\u00adõö÷øùúûüýþ¡¢§£¤¥¦",
    strict=True,
))
_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}  # sắc huyền hỏi ngã nặng
_VNI_TONE = "ùøûõï"
_VNI_CIRCUMFLEX = "áàåãä"  # â ê ô with each tone; "â" alone
_VNI_BREVE = "éèúüë"  # ă with each tone; "ê" alone
_VNI_I = "íìæóò"


def tcvn3(text: str) -> str:
    """Text as the .VnTime font stores it, shown as the Latin-1 characters of its bytes."""
    return "".join(_TCVN3.get(char, char) for char in unicodedata.normalize("NFC", text))


def vni(text: str) -> str:
    """Text as VNI-Times stores it: a base letter, then a mark character in the same case."""
    return "".join(_vni_char(char) for char in unicodedata.normalize("NFC", text))


def _vni_char(char: str) -> str:
    if char in "đĐ":
        return "ñ" if char == "đ" else "Ñ"
    base, *marks = unicodedata.normalize("NFD", char)
    tone = next((_TONES[m] for m in marks if m in _TONES), None)
    lower = base.lower()
    if "\u031b" in marks:  # horn: ơ ư are single letters
        out = {"o": "ô", "u": "ö"}[lower] + ("" if tone is None else _VNI_TONE[tone])
    elif "\u0302" in marks:
        out = lower + ("â" if tone is None else _VNI_CIRCUMFLEX[tone])
    elif "\u0306" in marks:
        out = lower + ("ê" if tone is None else _VNI_BREVE[tone])
    elif tone is not None and lower == "i":
        out = _VNI_I[tone]
    elif tone is not None and lower == "y" and tone == 4:
        out = "î"
    elif tone is not None:
        out = lower + _VNI_TONE[tone]
    else:
        return char
    return out.upper() if base.isupper() else out


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes: tone marks the code page has no precomposed letter for go combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in decomposed if m in _TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


# --- a minimal PDF writer -------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = hashlib.md5(b"chidao-test").digest()  # the PDF spec fixes MD5 here


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(
    pages: list[list[str] | None],
    *,
    unicode_font: bool = False,
    image_pages: frozenset[int] = frozenset(),
    user_password: bytes | None = None,
    unmapped: str = "",
) -> bytes:
    """A PDF with one page per entry: its lines of text, or None for a page without text.

    Helvetica with WinAnsiEncoding covers Latin-1; `unicode_font` uses a Type0 font with a
    ToUnicode map instead (no glyphs embedded: extraction only needs the map), which is how
    Word exports Vietnamese. Pages in `image_pages` also paint an image, like a scan.
    `user_password` encrypts with the standard RC4 40-bit handler; b"" means an owner
    password only, the "copy-protected" PDFs that open without asking. Characters in
    `unmapped` are left out of the ToUnicode map, as broken exporters do.
    """
    chars = sorted({c for page in pages if page for line in page for c in line} | {" "})
    cid = {char: number for number, char in enumerate(chars, start=1)}
    objects: list[tuple[bytes, bytes | None]] = []  # (dictionary, stream data)

    def add(dictionary: bytes, stream: bytes | None = None) -> int:
        objects.append((dictionary, stream))
        return len(objects)

    catalog = add(b"")  # filled in once the page tree exists
    pages_obj = add(b"")
    if unicode_font:
        mapped = {c: n for c, n in cid.items() if c not in unmapped}
        bfchar = b"".join(b"<%04X> <%s>\n" % (n, c.encode("utf-16-be").hex().encode()) for c, n in mapped.items())
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + b"%d beginbfchar\n" % len(mapped) + bfchar + b"endbfchar\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
        )
        to_unicode = add(b"<< >>", cmap)
        descriptor = add(
            b"<< /Type /FontDescriptor /FontName /VietSans /Flags 32 /FontBBox [0 -200 1000 900]"
            b" /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
        )
        cid_font = add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /VietSans /DW 500"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor %d 0 R >>" % descriptor
        )
        font = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /VietSans /Encoding /Identity-H"
            b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
        )
    else:
        font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 >>",
        b"\x00\xff\xff\x00",
    )
    kids: list[int] = []
    for number, lines in enumerate(pages, start=1):
        ops = [b"q 200 0 0 200 150 300 cm /Im1 Do Q"] if number in image_pages else []
        if lines:
            ops.append(b"BT /F1 12 Tf 16 TL 72 720 Td")
            for line in lines:
                shown = (
                    b"<" + b"".join(b"%04X" % cid[c] for c in line) + b">"
                    if unicode_font else _pdf_string(line)
                )
                ops.append(shown + b" Tj T*")
            ops.append(b"ET")
        content = add(b"<< >>", b"\n".join(ops))
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
            % (pages_obj, content, font, image)
        ))
    objects[catalog - 1] = (b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj, None)
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids)), None)

    key = None
    trailer_extra = b" /ID [<%s> <%s>]" % (_FILE_ID.hex().encode(), _FILE_ID.hex().encode())
    if user_password is not None:
        permissions = -44  # printing allowed, copying and changes not
        padded = (user_password + _PAD)[:32]
        owner = _rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], padded)
        key = hashlib.md5(padded + owner + struct.pack("<i", permissions) + _FILE_ID).digest()[:5]
        encrypt = add(
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
            % (owner.hex().encode(), _rc4(key, _PAD).hex().encode(), permissions)
        )
        trailer_extra += b" /Encrypt %d 0 R" % encrypt

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, (dictionary, stream) in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number
        if stream is None:
            out += dictionary
        else:
            if key is not None and b"/Standard" not in dictionary:
                object_key = hashlib.md5(key + struct.pack("<i", number)[:3] + b"\x00\x00").digest()[:10]
                stream = _rc4(object_key, stream)
            out += dictionary[:-2] + b" /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        out += b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objects) + 1, catalog, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _unmapped_pdf(text: str) -> bytes:
    """A font whose map knows no glyph of `text`: pdfminer can only report "(cid:N)"."""
    return make_pdf([[text]], unicode_font=True, unmapped=text)


# --- txt -------------------------------------------------------------------------------

EXPECTED_HEADER = HEADER  # already "\n"-separated and NFC


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(HEADER.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(HEADER.encode("utf-8-sig"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(HEADER.encode("utf-16"), "utf-16", id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + HEADER.encode("utf-16-be"), "utf-16", id="utf-16-be-bom"),
        pytest.param(HEADER.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(HEADER.encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
        pytest.param(HEADER.encode("utf-32"), "utf-32", id="utf-32-bom"),
        pytest.param(cp1258(HEADER), "cp1258", id="windows-1258"),
    ],
)
def test_txt_decodes_each_encoding(data: bytes, encoding: str) -> None:
    source = read_txt(data, "doc.txt")
    assert source.text == EXPECTED_HEADER
    assert source.encoding == encoding
    assert source.format == "txt"
    assert source.page_starts == (0,)
    assert source.warnings == ()


def test_cp1258_tone_marks_are_composed() -> None:
    data = cp1258("chủ nghĩa")
    assert b"\xd2" in data  # the hook above travels as a combining mark
    assert read_txt(data, "a.txt").text == "chủ nghĩa"


def test_long_windows_1258_text_is_not_taken_for_a_legacy_font() -> None:
    text = "\n".join([HEADER, BODY] + UNICODE_SENTENCES)
    assert read_txt(cp1258(text), "a.txt").text == text


def test_txt_normalises_line_ends_and_unicode_form() -> None:
    text = "Cộng hoà\r\nxã hội\rchủ nghĩa\u2028Việt Nam\x0bĐộc lập"
    source = read_txt(unicodedata.normalize("NFD", text).encode("utf-8"), "a.txt")
    assert source.text == "Cộng hoà\nxã hội\nchủ nghĩa\nViệt Nam\nĐộc lập"
    assert unicodedata.is_normalized("NFC", source.text)


def test_txt_form_feeds_mark_pages() -> None:
    source = read_txt("trang một\n\ftrang hai\n\f".encode(), "a.txt")
    assert source.text == "trang một\n\ntrang hai\n"
    assert source.page_starts == (0, 11)
    assert source.text[source.page_starts[1]:].startswith("trang hai")


def test_txt_damaged_utf8_stays_utf8_with_a_warning() -> None:
    data = HEADER.encode("utf-8")
    damaged = data[:30] + b"\xff" + data[30:]
    source = read_txt(damaged, "a.txt")
    assert source.encoding == "utf-8"
    assert source.text.replace("\ufffd", "", 1) == HEADER
    assert source.warnings == ("1 byte sequence(s) invalid in utf-8 were replaced with U+FFFD",)


@pytest.mark.parametrize(
    ("data", "name", "original"),
    [
        pytest.param(tcvn3(BODY).encode("latin-1"), "TCVN3 (ABC)", BODY, id="tcvn3-bytes"),
        pytest.param(tcvn3(BODY).encode("utf-8"), "TCVN3 (ABC)", BODY, id="tcvn3-copied-into-utf-8"),
        pytest.param(vni(HEADER).encode("cp1252"), "VNI-Windows", HEADER, id="vni-bytes"),
        pytest.param(vni(HEADER).encode("utf-16"), "VNI-Windows", HEADER, id="vni-copied-into-utf-16"),
    ],
)
def test_txt_converts_legacy_font_encodings(data: bytes, name: str, original: str) -> None:
    # This module's own encoders (tcvn3, vni), independent of the reader's tables.
    source = read_txt(data, "old.txt")
    assert source.text == original
    assert any(w.startswith(f"converted from {name} to Unicode") for w in source.warnings), source.warnings


@pytest.mark.parametrize(
    "data",
    [b"", b"  \r\n\t \n", b"\xef\xbb\xbf", "  \n".encode("utf-16"), b"\xef\xbb\xbf\f\f"],
    ids=["no-bytes", "whitespace", "bom-only", "utf-16-whitespace", "form-feeds"],
)
def test_txt_empty(data: bytes) -> None:
    with pytest.raises(UnreadableSource, match="empty file"):
        read_txt(data, "a.txt")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        pytest.param(b"abc\x00\x01\x02def\x00", "", id="nul-bytes"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", " (it looks like a PNG image)", id="png"),
        pytest.param(b"text\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f more text", "", id="controls"),
        pytest.param(bytes(range(256)) * 4, "", id="every-byte"),
    ],
)
def test_txt_binary(data: bytes, detail: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_txt(data, "a.txt")
    assert caught.value.reason == "binary file, not text" + detail


def _check_source(source: SourceText) -> None:
    assert "\r" not in source.text
    assert unicodedata.is_normalized("NFC", source.text)
    assert source.page_starts[0] == 0
    assert list(source.page_starts) == sorted(set(source.page_starts))
    assert all(start <= len(source.text) for start in source.page_starts)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_txt_arbitrary_bytes_raise_only_unreadable_source(data: bytes) -> None:
    try:
        source = read_txt(data, "fuzz.txt")
    except UnreadableSource:
        return
    _check_source(source)


VOCABULARY = sorted(
    set(" ".join([HEADER, BODY, *UNICODE_SENTENCES]).replace("\n", " ").split())
)


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=40),
    st.sampled_from([" ", "\n", "\r\n", " - "]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1258"]),
)
def test_txt_round_trips_vietnamese_in_any_encoding(words: list[str], sep: str, codec: str) -> None:
    text = sep.join(words)
    data = cp1258(text) if codec == "cp1258" else text.encode(codec)
    assert read_txt(data, "a.txt").text == text.replace("\r\n", "\n")


# --- legacy font encodings ----------------------------------------------------------------


def test_encoders_reproduce_known_samples() -> None:
    assert tcvn3("Cộng hoà xã hội chủ nghĩa Việt Nam") == "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert tcvn3("Uỷ ban nhân dân") == "Uû ban nh©n d©n"
    assert vni("Cộng hòa xã hội chủ nghĩa Việt Nam") == "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    assert vni("Ủy ban nhân dân") == "UÛy ban nhaân daân"
    assert vni("được những Chỉ thị") == "ñöôïc nhöõng Chæ thò"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", id="tcvn3-motto"),
        pytest.param("Uû ban nh©n d©n", "tcvn3", id="tcvn3-short"),
        pytest.param("§éc lËp - Tù do - H¹nh phóc", "tcvn3", id="tcvn3-slogan"),
        pytest.param("quyÕt ®Þnh cña Bé tr\u00adëng Bé Tµi chÝnh", "tcvn3", id="tcvn3-soft-hyphen"),
        pytest.param(tcvn3(BODY), "tcvn3", id="tcvn3-body"),
        pytest.param("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3", id="tcvn3-capitals-font"),
        pytest.param("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", id="vni-motto"),
        pytest.param("UÛy ban nhaân daân", "vni", id="vni-short"),
        pytest.param(vni(HEADER), "vni", id="vni-header"),
        pytest.param(vni(HEADER.upper()), "vni", id="vni-capitals"),
    ],
)
def test_detects_legacy_encodings(text: str, expected: str) -> None:
    assert detect_legacy_encoding(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        *UNICODE_SENTENCES,
        *[s.upper() for s in UNICODE_SENTENCES],
        *[unicodedata.normalize("NFD", s) for s in UNICODE_SENTENCES],
        *[cp1258(s).decode("latin-1") for s in UNICODE_SENTENCES],  # a Windows-1258 file's bytes
        *PLAIN_SENTENCES,
        *FOREIGN_SENTENCES,
        HEADER,
        BODY,
        "hoà hoá hoãn hoặc văn hoá, HOÀ HOÁ HOÃN, quân xuân tuần",
        "µm ®Windows ©2024 «Quyết định» Microsoft® 1ª",
        "",
    ],
)
def test_unicode_and_plain_text_are_not_legacy(text: str) -> None:
    assert detect_legacy_encoding(text) is None


@pytest.mark.parametrize("path", sorted((REPO / "corpus" / "seeds").glob("*.txt")), ids=lambda p: p.name)
def test_seed_corpus_is_not_legacy(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect_legacy_encoding(text) is None
    assert detect_legacy_encoding(cp1258(text).decode("latin-1")) is None
    assert detect_legacy_encoding(tcvn3(text.lower())) in ("tcvn3", None)  # OCR'd seeds lack marks


@settings(max_examples=300)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=60))
def test_real_vietnamese_words_are_never_legacy(words: list[str]) -> None:
    assert detect_legacy_encoding(" ".join(words)) is None


@given(st.text())
def test_detector_accepts_any_text(text: str) -> None:
    assert detect_legacy_encoding(text) in (None, "tcvn3", "vni")


# --- docx ------------------------------------------------------------------------------

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_VML = "urn:schemas-microsoft-com:vml"


def _docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_docx() -> bytes:
    """A letter: the two-column header table (layout), a body, a data table with merged cells."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "TIÊU ĐỀ TRANG"  # page header: not read
    document.sections[0].footer.paragraphs[0].text = "Trang 1/2"
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "UBND TỈNH LAI CHÂU"
    header.cell(0, 0).add_paragraph("VĂN PHÒNG")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 12/VPUBND-HCQT"
    header.cell(1, 1).text = "Lai Châu, ngày 15 tháng 01 năm 2026"
    document.add_paragraph("Kính gửi: Các phòng, ban, trung tâm.")
    grid = document.add_table(rows=3, cols=3, style="Table Grid")  # bordered: a data grid
    grid.cell(0, 0).merge(grid.cell(1, 0)).text = "Nhiệm vụ"  # two rows
    grid.cell(0, 1).merge(grid.cell(0, 2)).text = "Thời hạn"  # two columns
    grid.cell(1, 1).merge(grid.cell(2, 2)).text = "Trước ngày 30/6/2026"  # two by two
    grid.cell(2, 0).text = "Sở Tài chính"
    nested = grid.cell(2, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "chủ trì"
    nested.cell(0, 1).text = "phối hợp"
    document.add_paragraph("Nơi nhận:\t- Như trên;")
    return _docx_bytes(document)


def test_docx_reads_body_in_document_order() -> None:
    source = read_docx(build_docx(), "letter.docx")
    assert source.text.split("\n") == [
        "UBND TỈNH LAI CHÂU",
        "VĂN PHÒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/VPUBND-HCQT",
        "Lai Châu, ngày 15 tháng 01 năm 2026",
        "Kính gửi: Các phòng, ban, trung tâm.",
        "Nhiệm vụ\tThời hạn",
        "\tTrước ngày 30/6/2026",
        "Sở Tài chính chủ trì phối hợp\t",
        "Nơi nhận:\t- Như trên;",
    ]
    assert source.format == "docx"
    assert source.encoding is None
    assert source.page_starts == (0,)
    assert source.warnings == ()
    assert "TIÊU ĐỀ" not in source.text and "Trang 1/2" not in source.text


def test_docx_table_cells_slice_back_to_their_text() -> None:
    source = read_docx(build_docx(), "letter.docx")
    header, grid = source.tables
    assert (header.n_rows, header.n_cols) == (2, 2)
    assert [(c.row, c.col, c.text) for c in header.cells] == [  # a layout cell spans its lines
        (0, 0, "UBND TỈNH LAI CHÂU\nVĂN PHÒNG"),
        (0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
        (1, 0, "Số: 12/VPUBND-HCQT"),
        (1, 1, "Lai Châu, ngày 15 tháng 01 năm 2026"),
    ]
    assert source.text[grid.start:grid.end].count("\n") == grid.n_rows - 1  # a data row is a line
    _check_tables(source)
    assert header.start == 0
    assert header.end == len("\n".join(source.text.split("\n")[:6]))
    assert source.text[grid.start:].startswith("Nhiệm vụ\t")


def test_docx_merged_cells_keep_their_text_once() -> None:
    source = read_docx(build_docx(), "letter.docx")
    grid = source.tables[1]
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    spans = {c.text: (c.row, c.col, c.row_span, c.col_span) for c in grid.cells}
    assert spans == {
        "Nhiệm vụ": (0, 0, 2, 1),
        "Thời hạn": (0, 1, 1, 2),
        "Trước ngày 30/6/2026": (1, 1, 2, 2),
        "Sở Tài chính chủ trì phối hợp": (2, 0, 1, 1),  # the nested table, flattened
    }
    for text in spans:
        assert source.text.count(text) == 1


def test_docx_row_that_skips_grid_columns() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for col, text in enumerate(["STT", "Nội dung", "Thời hạn"]):
        table.cell(0, col).text = text
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])
    row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/></w:trPr>'))
    row.tc_lst[0].append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>Báo cáo</w:t></w:r></w:p>'))
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text == "STT\tNội dung\tThời hạn\nBáo cáo\t"
    assert [(c.row, c.col, c.text) for c in source.tables[0].cells][3:] == [(1, 1, "Báo cáo"), (1, 2, "")]


def test_docx_tracked_changes_text_boxes_and_content_controls() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Giao ")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>Sở Tài chính</w:t></w:r></w:ins>'
    ))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>Sở Nội vụ</w:delText></w:r></w:del>'
    ))
    box = '<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>'
    anchor = document.add_paragraph("Kèm theo")
    anchor._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="{_MC}" xmlns:wps="{_WPS}" xmlns:v="{_VML}"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    ))
    document.element.body.insert(0, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Số: 05/KH-UBND</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"
    ))
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text == "Số: 05/KH-UBND\nGiao Sở Tài chính\nKèm theo\nDỰ THẢO"


def test_docx_legacy_font_text_is_converted_with_a_warning() -> None:
    document = docx.Document()
    document.add_paragraph(tcvn3(BODY))
    source = read_docx(_docx_bytes(document), "old.docx")
    assert source.text == BODY
    assert any(w.startswith("converted from TCVN3 (ABC) to Unicode") for w in source.warnings), source.warnings


def _check_tables(source: SourceText) -> None:
    """Every table and cell slices back to its text, tables in document order."""
    assert [t.start for t in source.tables] == sorted(t.start for t in source.tables)
    for table in source.tables:
        assert 0 <= table.start <= table.end <= len(source.text)
        for cell in table.cells:
            assert source.text[cell.start:cell.end] == cell.text
            assert table.start <= cell.start <= cell.end <= table.end


def _fill(cell: docx.table._Cell, *paragraphs: str) -> None:
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


_ISSUER = ("ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN", "-------", "Số: 118/KH-UBND", "V/v triển khai Nghị quyết 71")
_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------",
          "Thái Nguyên, ngày 26 tháng 6 năm 2025")
_SENT_TO = ("Nơi nhận:", "- Bộ Khoa học và Công nghệ (b/c);", "- Lưu: VT, KGVX.")
_SIGNATURE = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Huy Khánh")
_TASK_HEADER = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm")


def test_docx_layout_tables_give_each_paragraph_its_own_line() -> None:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    _fill(header.cell(0, 0), *_ISSUER)
    _fill(header.cell(0, 1), *_MOTTO)
    document.add_paragraph("KẾ HOẠCH")
    footer = document.add_table(rows=1, cols=2)
    _fill(footer.cell(0, 0), *_SENT_TO)
    _fill(footer.cell(0, 1), *_SIGNATURE)
    source = read_docx(_docx_bytes(document), "kh.docx")
    assert source.text.split("\n") == [*_ISSUER, *_MOTTO, "KẾ HOẠCH", *_SENT_TO, *_SIGNATURE]
    top, bottom = source.tables
    assert [(c.row, c.col, c.row_span, c.col_span, c.text) for c in top.cells] == [
        (0, 0, 1, 1, "\n".join(_ISSUER)),
        (0, 1, 1, 1, "\n".join(_MOTTO)),
    ]
    assert (top.start, top.n_rows, top.n_cols) == (0, 1, 2)
    assert source.text[top.start:top.end] == "\n".join([*_ISSUER, *_MOTTO])
    assert source.text[bottom.start:bottom.end] == "\n".join([*_SENT_TO, *_SIGNATURE])
    assert bottom.cells[1].text.endswith("\nNguyễn Huy Khánh")
    _check_tables(source)


def test_docx_data_table_keeps_one_line_per_row() -> None:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC: DANH MỤC NHIỆM VỤ")
    table = document.add_table(rows=3, cols=6)  # borderless too: the header row decides
    rows = [
        _TASK_HEADER,
        ("I", "Hoàn thiện thể chế", "", "", "", ""),
        ("1", "Rà soát văn bản", "Sở Tư pháp", "Sở Nội vụ; Sở Tài chính", "Quý III/2025", "Báo cáo"),
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 3).add_paragraph("UBND các xã")  # a second paragraph joins the line
    source = read_docx(_docx_bytes(document), "pl.docx")
    assert source.text.split("\n") == [
        "PHỤ LỤC: DANH MỤC NHIỆM VỤ",
        "\t".join(_TASK_HEADER),
        "I\tHoàn thiện thể chế\t\t\t\t",
        "1\tRà soát văn bản\tSở Tư pháp\tSở Nội vụ; Sở Tài chính UBND các xã\tQuý III/2025\tBáo cáo",
    ]
    (grid,) = source.tables
    assert (grid.n_rows, grid.n_cols, len(grid.cells)) == (3, 6, 18)
    assert grid.cells[15].text == "Sở Nội vụ; Sở Tài chính UBND các xã"
    assert source.text[grid.start:grid.end].count("\n") == 2
    _check_tables(source)


@pytest.mark.parametrize(
    ("rows", "style", "expected"),
    [
        # a signature block without TM./KT.: small and borderless
        pytest.param([[("",), ("GIÁM ĐỐC", "", "Dương Văn Kiên")]], None,
                     ["", "GIÁM ĐỐC", "", "Dương Văn Kiên"], id="small-borderless"),
        pytest.param([[("Nội dung", "chi tiết"), ("Thời hạn",)], [("Báo cáo",), ("Quý IV",)]], "Table Grid",
                     ["Nội dung chi tiết\tThời hạn", "Báo cáo\tQuý IV"], id="small-bordered-is-data"),
        pytest.param([[("Số: 12/VPUBND", "V/v họp"), ("Kính gửi:", "Các sở")]], "Table Grid",
                     ["Số: 12/VPUBND", "V/v họp", "Kính gửi:", "Các sở"], id="bordered-with-markers"),
        pytest.param([[(f"Dòng {i}", "tiếp")] for i in range(6)], "Table Grid",
                     [f"{text}" for i in range(6) for text in (f"Dòng {i}", "tiếp")], id="one-column"),
        pytest.param([[("A",), ("B",)]] * 5, None, ["A\tB"] * 5, id="five-rows-no-marker"),
        pytest.param([[("UBND TỈNH LAI CHÂU",), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",)]]
                     + [[(f"Dòng {i}",), ("",)] for i in range(4)], "Table Grid",
                     ["UBND TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
                     + [text for i in range(4) for text in (f"Dòng {i}", "")], id="marked-five-rows"),
        pytest.param([[("Nhiệm vụ",), ("",), ("",), ("",), ("Ghi chú",)],
                      [("Họp",), ("Hà Nội, ngày 15 tháng 3 năm 2026",), ("Q. Giám đốc",), ("",), ("",)]], None,
                     ["Nhiệm vụ\t\t\t\tGhi chú", "Họp\tHà Nội, ngày 15 tháng 3 năm 2026\tQ. Giám đốc\t\t"],
                     id="wide-table-ignores-markers"),
        pytest.param([[("STT",), ("Số: ký hiệu",), ("Nơi nhận",)], [("1",), ("2",), ("3",)]], None,
                     ["STT\tSố: ký hiệu\tNơi nhận", "1\t2\t3"], id="data-header-wins-over-markers"),
    ],
)
def test_docx_layout_or_data_rule(rows: list[list[tuple[str, ...]]], style: str | None,
                                  expected: list[str]) -> None:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]), style=style)
    for r, row in enumerate(rows):
        for c, paragraphs in enumerate(row):
            _fill(table.cell(r, c), *paragraphs)
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == expected
    _check_tables(source)


def test_docx_layout_table_merged_and_nested_cells() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0))
    _fill(table.cell(0, 0), "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN")
    _fill(table.cell(0, 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    nested = table.cell(1, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Lạng Sơn, ngày 22 tháng 4 năm 2025"
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == [
        "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "", "Lạng Sơn, ngày 22 tháng 4 năm 2025", "", "",  # the cell's empty paragraph, the nested table
    ]
    outer, inner = source.tables
    assert [(c.row, c.col, c.row_span, c.text) for c in outer.cells] == [
        (0, 0, 2, "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"),
        (0, 1, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (1, 1, 1, "\nLạng Sơn, ngày 22 tháng 4 năm 2025\n\n"),
    ]
    assert (inner.n_rows, inner.n_cols) == (1, 2)
    _check_tables(source)


# --- docx automatic numbering -----------------------------------------------------------


def _abstract(number: int, *levels: tuple[str, str, int], extra: str = "") -> str:
    """An abstractNum whose levels are (numFmt, lvlText, start)."""
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra if i == 2 else ""}</w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    return f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">{body}</w:abstractNum>'


def _num(number: int, abstract: int, starts: dict[int, int] | None = None) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (starts or {}).items()
    )
    return f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'


def _numbered(definitions: list[str], paragraphs: list[tuple[str, int, int]]) -> docx.document.Document:
    """A document whose numbering part holds `definitions` (abstractNums first, then nums)
    and whose paragraphs are (text, numId, ilvl); numId 0 leaves a paragraph unnumbered."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for xml in definitions:
        numbering.append(parse_xml(xml))
    for text, num_id, ilvl in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = num_id
    return document


_OUTLINE = _abstract(1, ("upperRoman", "%1.", 1), ("decimal", "%2.", 1), ("decimal", "%2.%3.", 1),
                     ("lowerLetter", "%4)", 1), ("bullet", "-", 1), ("bullet", "+", 1))


def test_docx_numbering_renders_the_outline_of_a_plan() -> None:
    paragraphs = [
        ("MỤC ĐÍCH, YÊU CẦU", 1, 0), ("Mục đích", 1, 1), ("Cụ thể hóa", 1, 2), ("Phân công", 1, 2),
        ("Yêu cầu", 1, 1), ("Bám sát", 1, 2), ("Sở Nội vụ", 1, 3), ("Sở Tài chính", 1, 3),
        ("báo cáo quý", 1, 4), ("trước ngày 15", 1, 5), ("Kịp thời", 1, 2),
        ("Không đánh số", 0, 0),
        ("NHIỆM VỤ", 1, 0), ("Hoàn thiện thể chế", 1, 1), ("Rà soát", 1, 2), ("Sở Tư pháp", 1, 3),
    ]
    source = read_docx(_docx_bytes(_numbered([_OUTLINE, _num(1, 1)], paragraphs)), "kh.docx")
    assert source.text.split("\n") == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "1.1. Cụ thể hóa", "1.2. Phân công",
        "2. Yêu cầu", "2.1. Bám sát", "a) Sở Nội vụ", "b) Sở Tài chính",
        "- báo cáo quý", "+ trước ngày 15", "2.2. Kịp thời",
        "Không đánh số",
        "II. NHIỆM VỤ", "1. Hoàn thiện thể chế", "1.1. Rà soát", "a) Sở Tư pháp",
    ]


@pytest.mark.parametrize(
    ("glyph", "label"),
    [("\uf0b7", "-"), ("•", "-"), ("o", "-"), ("-", "-"), ("–", "-"), ("\uf0a7", "-"), ("+", "+"), (" + ", "+")],
)
def test_docx_numbering_bullets_become_dashes_or_pluses(glyph: str, label: str) -> None:
    definitions = [_abstract(3, ("bullet", glyph, 1)), _num(4, 3)]
    source = read_docx(_docx_bytes(_numbered(definitions, [("Như trên;", 4, 0)])), "a.docx")
    assert source.text == f"{label} Như trên;"


def test_docx_numbering_restarts_like_word() -> None:
    definitions = [
        _abstract(1, ("decimal", "%1.", 1), ("lowerLetter", "%2)", 1)),
        _abstract(2, ("decimal", "(%1)", 1)),
        _num(1, 1), _num(2, 1), _num(3, 1, {0: 1}), _num(4, 2), _num(5, 1, {0: 5}),
    ]
    paragraphs = [
        ("một", 1, 0), ("ý a", 1, 1), ("ý b", 1, 1), ("hai", 1, 0), ("ý a", 1, 1),
        ("khác", 4, 0),  # another abstract list counts on its own
        ("ba", 2, 0),  # a second num of the same abstract list continues it, as in Word
        ("lại một", 3, 0), ("ý a", 3, 1),  # startOverride: "Restart numbering"
        ("khác nữa", 4, 0),
        ("năm", 5, 0), ("sáu", 5, 0),
    ]
    source = read_docx(_docx_bytes(_numbered(definitions, paragraphs)), "a.docx")
    assert source.text.split("\n") == [
        "1. một", "a) ý a", "b) ý b", "2. hai", "a) ý a", "(1) khác", "3. ba",
        "1. lại một", "a) ý a", "(2) khác nữa", "5. năm", "6. sáu",
    ]


def test_docx_numbering_level_restart_start_and_legal() -> None:
    no_restart = '<w:lvlRestart w:val="0"/>'
    definitions = [
        _abstract(1, ("decimalZero", "%1.", 9), ("upperLetter", "%2.", 1), ("lowerRoman", "%3)", 1),
                  extra=no_restart),
        _abstract(2, ("upperRoman", "%1.", 3), ("decimal", "%1.%2", 1)),
        _num(1, 1), _num(2, 2),
    ]
    document = _numbered(definitions, [
        ("chín", 1, 0), ("A", 1, 1), ("i", 1, 2), ("B", 1, 1), ("ii", 1, 2), ("mười", 1, 0), ("iii", 1, 2),
        ("ba", 2, 0), ("ba chấm một", 2, 1),
    ])
    legal = document.part.numbering_part.element.xpath('//w:abstractNum[@w:abstractNumId="2"]/w:lvl[@w:ilvl="1"]')
    legal[0].append(parse_xml(f'<w:isLgl {nsdecls("w")}/>'))
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == [
        "09. chín", "A. A", "i) i", "B. B", "ii) ii", "10. mười", "iii) iii",  # lvlRestart 0: never restarts
        "III. ba", "3.1 ba chấm một",  # isLgl: the parent level in decimal
    ]


def test_docx_numbering_from_paragraph_styles() -> None:
    document = docx.Document()  # the default template: List Number → numId 5, List Bullet → numId 1
    for text, style in [("Mở đầu", "List Number"), ("Tiếp", "List Number"), ("Chi tiết", "List Bullet"),
                        ("Thường", None)]:
        document.add_paragraph(text, style=style)
    off = document.add_paragraph("Bỏ số", style="List Number")
    num_pr = off._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 0  # numId 0 removes the style's numbering
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == ["1. Mở đầu", "2. Tiếp", "- Chi tiết", "Thường", "Bỏ số"]


def test_docx_numbering_inside_tables_counts_in_document_order() -> None:
    definitions = [_abstract(1, ("bullet", "\uf0b7", 1)), _abstract(2, ("decimal", "%1.", 1)),
                   _num(1, 1), _num(2, 2)]
    document = _numbered(definitions, [("Nội dung", 2, 0)])
    footer = document.add_table(rows=1, cols=2)
    _fill(footer.cell(0, 0), "Nơi nhận:", "Như trên;", "Lưu: VT.")
    for paragraph in footer.cell(0, 0).paragraphs[1:]:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = 1
    _fill(footer.cell(0, 1), "KT. GIÁM ĐỐC", "Phùng Văn Đạt")
    grid = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["STT", "Nhiệm vụ", "Thời hạn"]):
        grid.cell(0, c).text = text
    grid.cell(1, 1).text = "Báo cáo"
    num_pr = grid.cell(1, 1).paragraphs[0]._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 2
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == [
        "1. Nội dung", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "Phùng Văn Đạt",
        "STT\tNhiệm vụ\tThời hạn", "\t2. Báo cáo\t",
    ]
    _check_tables(source)


def _linked(number: int, style: str) -> str:
    """An abstractNum that defers to the list of numbering style `style` (w:numStyleLink)."""
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}"><w:numStyleLink w:val="{style}"/>'
            "</w:abstractNum>")


def _numbering_style(style: str, num_id: int) -> etree._Element:
    return parse_xml(
        f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="{style}"><w:name w:val="{style}"/>'
        f'<w:pPr><w:numPr><w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:style>'
    )


@pytest.mark.parametrize(
    "definitions",
    [
        pytest.param([], id="no-definitions"),
        pytest.param([_num(1, 7)], id="unknown-abstract"),
        pytest.param([_abstract(1, ("decimal", "%1.", 1)).replace('w:ilvl="0"', 'w:ilvl="x"'), _num(1, 1)],
                     id="bad-ilvl"),
        pytest.param([_abstract(1, ("none", "", 1)), _num(1, 1)], id="format-none"),
        pytest.param([_linked(1, "Missing"), _num(1, 1)], id="dangling-style-link"),
        pytest.param([_linked(1, "Loop"), _num(1, 1)], id="style-link-loop"),
    ],
)
def test_docx_numbering_that_cannot_be_resolved_adds_no_label(definitions: list[str]) -> None:
    document = _numbered(definitions, [("Nội dung", 1, 0)])
    document.styles.element.append(_numbering_style("Loop", 1))
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text == "Nội dung"


def test_docx_numbering_through_a_numbering_style() -> None:
    definitions = [_linked(1, "DanhMuc"), _abstract(2, ("upperRoman", "%1.", 1)), _num(1, 1), _num(2, 2)]
    document = _numbered(definitions, [("Mục tiêu", 1, 0), ("Nhiệm vụ", 2, 0)])
    document.styles.element.append(_numbering_style("DanhMuc", 2))
    source = read_docx(_docx_bytes(document), "a.docx")
    assert source.text.split("\n") == ["I. Mục tiêu", "II. Nhiệm vụ"]  # one list: the style's


def test_docx_numbering_bad_numbers_fall_back() -> None:
    definitions = [_abstract(1, ("decimal", "%1.", 1)).replace('<w:start w:val="1"/>', '<w:start w:val="z"/>'),
                   _abstract(2, ("lowerLetter", "%1)", 1)), _num(1, 1), _num(2, 2, {0: 2})]
    source = read_docx(_docx_bytes(_numbered(definitions, [("x", 1, 0), ("y", 2, 0), ("z", 2, 0)])), "a.docx")
    assert source.text.split("\n") == ["0. x", "b) y", "c) z"]  # Word counts from 0 without a start


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "decimal", "1"), (7, "decimalZero", "07"), (12, "decimalZero", "12"), (1, "lowerLetter", "a"),
        (26, "upperLetter", "Z"), (27, "lowerLetter", "aa"), (4, "lowerRoman", "iv"), (1994, "upperRoman", "MCMXCIV"),
        (0, "upperRoman", "0"), (5000, "upperRoman", "5000"), (3, "ordinal", "3"), (2, "none", ""),
    ],
)
def test_numbering_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            blob = change.get(name, source.read(name))
            if blob is not None:
                target.writestr(name, blob)
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


def _xlsx_like() -> bytes:
    data = build_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    fake = types.replace(b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
    return _rezip(data, {"[Content_Types].xml": fake})


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda: build_docx()[: len(build_docx()) // 2],
                     "not a valid DOCX (truncated or corrupt ZIP archive)", id="truncated"),
        pytest.param(lambda: "Cộng hoà".encode(), "not a valid DOCX (not a ZIP archive)", id="text"),
        pytest.param(lambda: make_pdf([["Hello world here"]]), "not a valid DOCX (it is a PDF document)", id="pdf"),
        pytest.param(_plain_zip, "not a valid DOCX (There is no item named '[Content_Types].xml' in the archive)",
                     id="plain-zip"),
        pytest.param(_xlsx_like, "not a valid DOCX (an Office file, but not a Word document)", id="xlsx"),
        pytest.param(lambda: _rezip(build_docx(), {"word/document.xml": b"<w:document"}),
                     "not a valid DOCX (malformed XML", id="bad-xml"),
        pytest.param(lambda: _OLE + "EncryptedPackage".encode("utf-16-le"),
                     "DOCX is encrypted (password-protected)", id="encrypted"),
        pytest.param(lambda: _OLE, "not a valid DOCX (an OLE2 file, probably a legacy .doc; save it as .docx)",
                     id="legacy-doc"),
        pytest.param(lambda: _docx_bytes(docx.Document()), "DOCX has no text in its body (only images?)",
                     id="no-text"),
        pytest.param(lambda: b"", "empty file", id="empty"),
    ],
)
def test_docx_bad_files(make: Callable[[], bytes], reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_docx(make(), "bad.docx")
    assert caught.value.reason.startswith(reason)


def _damage(data: st.DataObject, original: bytes) -> bytes:
    """The file cut short, some bytes overwritten, or both."""
    damaged = bytearray(original[: data.draw(st.integers(0, len(original)), label="cut")])
    if data.draw(st.booleans(), label="keep whole"):
        damaged = bytearray(original)
    for _ in range(data.draw(st.integers(0, 6), label="flips") if damaged else 0):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    return bytes(damaged)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_docx_damaged_bytes_raise_only_unreadable_source(data: st.DataObject) -> None:
    try:
        read_docx(_damage(data, _DOCX_SAMPLE), "fuzz.docx")
    except UnreadableSource:
        pass


_DOCX_SAMPLE = build_docx()


# --- pdf -------------------------------------------------------------------------------


def test_pdf_text_pages_and_offsets() -> None:
    data = make_pdf([["Hello (world)", "Second line: cafe"], ["Page two", "ends here"]])
    source = read_pdf(data, "a.pdf")
    assert source.text == "Hello (world)\nSecond line: cafe\nPage two\nends here"
    assert source.page_starts == (0, 32)
    assert source.text[source.page_starts[1]:].startswith("Page two")
    assert (source.format, source.encoding, source.tables, source.warnings) == ("pdf", None, (), ())


def test_pdf_vietnamese_through_a_tounicode_map() -> None:
    source = read_pdf(make_pdf([HEADER.split("\n"), ["Trang hai"]], unicode_font=True), "a.pdf")
    assert source.text == HEADER + "\nTrang hai"
    assert source.page_starts == (0, len(HEADER) + 1)


def test_pdf_pages_without_text_are_warned_about_when_ocr_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # With Tesseract such pages are OCR'd (tests/test_ocr.py); without it the text pages are kept.
    monkeypatch.setattr("ingest.readers.pdf.tesseract_problem", lambda: "OCR needs Tesseract (apt-get …)")
    pages = [["Page one has text"], None, ["Page three has text"], None, None]
    source = read_pdf(make_pdf(pages, image_pages=frozenset({2, 4, 5})), "a.pdf")
    assert source.warnings == ("page 2 has no text layer", "pages 4–5 have no text layer",
                               "not OCR'd: OCR needs Tesseract (apt-get …)")
    assert len(source.page_starts) == 5
    assert source.text.split("\n") == ["Page one has text", "", "Page three has text", "", ""]
    assert source.page_origins == ()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        # Pages without text are OCR'd; these have none to find, or Tesseract is missing: either
        # way the reason starts so (the rest is "and OCR found no usable text…" or "; OCR needs…").
        pytest.param(make_pdf([None, None], image_pages=frozenset({1, 2})),
                     "PDF has no text layer (scanned?)", id="scanned"),
        pytest.param(make_pdf([None]), "PDF has no text layer (scanned?)", id="blank"),
        pytest.param(make_pdf([["3"]]), "PDF has no text layer (scanned?)", id="page-number-only"),
        pytest.param(_unmapped_pdf("Cộng hoà xã hội chủ nghĩa"),
                     "PDF text cannot be decoded (its fonts have no Unicode map)", id="no-unicode-map"),
        pytest.param(make_pdf([["Secret text here"]], user_password=b"secret"),
                     "PDF is encrypted (password-protected)", id="encrypted"),
        pytest.param(b"%PDF-1.4\ngarbage", "not a valid PDF (", id="garbage"),
        pytest.param(make_pdf([["Hello world here"]])[:300], "not a valid PDF (", id="truncated"),
        pytest.param(b"Hello, plain text", "not a valid PDF (no %PDF header)", id="text"),
        pytest.param(_plain_zip(), "not a valid PDF (it is a ZIP archive, e.g. DOCX or XLSX)", id="zip"),
        pytest.param(b"", "empty file", id="empty"),
    ],
)
def test_pdf_bad_files(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_pdf(data, "bad.pdf")
    assert caught.value.reason.startswith(reason)


def test_pdf_glyphs_without_unicode_are_replaced_and_warned() -> None:
    data = make_pdf([["Cộng hoà xã hội chủ nghĩa Việt Nam"]], unicode_font=True, unmapped="ộ")
    source = read_pdf(data, "a.pdf")
    assert source.text == "C\ufffdng hoà xã h\ufffdi chủ nghĩa Việt Nam"
    assert source.warnings == ("page 1: 2 glyph(s) have no Unicode mapping (shown as U+FFFD)",)


def test_pdf_with_owner_password_only_is_read() -> None:
    # Copy-protected government PDFs open without a password; their text must be read.
    source = read_pdf(make_pdf([["Copy protected text here"]], user_password=b""), "a.pdf")
    assert source.text == "Copy protected text here"


_PDF_SAMPLE = make_pdf([HEADER.split("\n"), ["Trang hai"], None], unicode_font=True)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_pdf_damaged_bytes_raise_only_unreadable_source(data: st.DataObject) -> None:
    try:
        source = read_pdf(_damage(data, _PDF_SAMPLE), "fuzz.pdf")
    except UnreadableSource:
        return
    _check_source(source)


# --- read_source -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "fmt"),
    [
        ("cong_van.txt", lambda: HEADER.encode(), "txt"),
        ("CONG_VAN.TEXT", lambda: HEADER.encode("utf-16"), "txt"),
        ("ke_hoach.docx", build_docx, "docx"),
        ("thong_bao.PDF", lambda: make_pdf([["Hello world here"]]), "pdf"),
    ],
)
def test_read_source_picks_the_reader_by_suffix(
    tmp_path: Path, name: str, make: Callable[[], bytes], fmt: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    assert read_source(path).format == fmt


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".text", ".docx", ".pdf", ".doc", ".odt", ".html", ".htm",
                                  ".png", ".jpg", ".jpeg", ".tif", ".tiff")


_SUPPORTED = ".txt, .text, .docx, .pdf, .doc, .odt, .html, .htm, .png, .jpg, .jpeg, .tif, .tiff"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scan.xyz", f"unsupported file type '.xyz' (supported: {_SUPPORTED})"),
        ("scan.gif", f"unsupported file type '.gif' (supported: {_SUPPORTED})"),
        ("README", f"file has no extension (supported: {_SUPPORTED})"),
    ],
)
def test_read_source_unsupported_suffix(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"text")
    with pytest.raises(UnreadableSource) as caught:
        read_source(path)
    assert caught.value.reason == reason
    assert caught.value.path == str(path)


def test_read_source_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    with pytest.raises(UnreadableSource) as caught:
        read_source(path, max_bytes=10)
    assert caught.value.reason == "file is 100 bytes, over the 10 bytes limit"
    assert read_source(path, max_bytes=100).text == "x" * 100


def test_read_source_size_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:
        handle.truncate(int(73.2 * 1024 * 1024))  # sparse: no 73 MB are written
    with pytest.raises(UnreadableSource) as caught:
        read_source(path)
    assert caught.value.reason == "file is 73.2 MB, over the 50 MB limit"


def test_read_source_size_just_over_a_round_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(UnreadableSource) as caught:
        read_source(path, max_bytes=2048)
    assert caught.value.reason == "file is 2,049 bytes, over the 2,048-byte limit"


def test_read_source_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_source(tmp_path / "missing.txt")
    assert caught.value.reason == "cannot read the file: No such file or directory"
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(UnreadableSource) as caught:
        read_source(tmp_path / "folder.txt")
    assert caught.value.reason == "cannot read the file: Is a directory"
