"""Tests for OCR of scans (ingest/readers/ocr.py, image.py, page_image.py, pdf.py's fallback).

The scans are the project's own documents drawn by tests/scan_render.py and OCR'd back:
the text they should give is known exactly. Tests that run Tesseract fail under CI=true
when it (or its Vietnamese model) is missing, and are skipped with the apt line elsewhere.
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import jsonschema
import pypdfium2 as pdfium
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein
from scan_render import render_scan
from test_readers import make_pdf

from ingest.errors import UnreadableSource
from ingest.evaluate import load_json, score_corpus
from ingest.pipeline import parse_file
from ingest.readers import ocr, read_pdf, read_source
from ingest.readers.image import read_image
from ingest.readers.ocr import PageOCR, otsu_threshold, page_runs, page_warnings, parse_tsv
from ingest.readers.page_image import render_page_png

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "docs" / "contract" / "parsed-document.schema.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SHORT = (
    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN\n"
    "Số: 215/UBND-KGVX\n"
    "V/v đẩy mạnh chuyển đổi số trong cơ quan nhà nước\n"
    "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ rà soát,\n"
    "báo cáo Ủy ban nhân dân tỉnh trước ngày 15/3/2026."
)


@pytest.fixture(scope="module")
def tesseract() -> None:
    problem = ocr.tesseract_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the OCR tests: {problem}")
        pytest.skip(problem)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def _pdf(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    # copies: Pillow keeps the JPEG encoder's settings on an image it has saved to PDF
    first, *rest = [page.copy() for page in pages]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=300)
    return out.getvalue()


def _merge_pdfs(*parts: bytes) -> bytes:
    merged = pdfium.PdfDocument.new()
    for part in parts:
        merged.import_pages(pdfium.PdfDocument(part))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def _normalised(text: str) -> str:
    return " ".join(text.split())


def character_accuracy(ocr_text: str, clean_text: str) -> float:
    """1 − Levenshtein distance / length, on text with white space collapsed."""
    clean = _normalised(clean_text)
    return 1 - Levenshtein.distance(_normalised(ocr_text), clean) / len(clean)


# --- TSV to text, without Tesseract ------------------------------------------------------

_TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(*words: tuple[str, int, int, float, tuple[int, int, int], int, int]) -> str:
    """(text, left, top, conf, (block, par, line), width, height) per word."""
    rows = [_TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for number, (text, left, top, conf, (block, par, line), width, height) in enumerate(words, start=1):
        rows.append(f"5\t1\t{block}\t{par}\t{line}\t{number}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def test_tsv_lines_columns_blank_lines_and_specks() -> None:
    tsv = _tsv(
        ("UBND", 300, 200, 96.0, (1, 1, 1), 150, 50),
        ("TỈNH", 470, 200, 95.0, (1, 1, 1), 120, 50),
        ("CỘNG", 1300, 200, 93.0, (1, 1, 1), 160, 50),  # far right: a second column
        ("HÒA", 1480, 200, 91.0, (1, 1, 1), 120, 50),
        ("Số:", 300, 270, 90.0, (1, 2, 1), 80, 50),  # new paragraph, no space: same block of text
        ("15", 400, 270, 88.0, (1, 2, 1), 50, 50),
        (".", 600, 272, 95.0, (1, 2, 1), 6, 6),  # a speck of dust, read as a full stop
        ("'", 700, 270, 20.0, (1, 2, 1), 12, 20),  # unsure mark
        ("-", 300, 420, 92.0, (1, 3, 1), 22, 8),  # a list dash after a blank line's worth of space
        ("Như", 340, 400, 90.0, (1, 3, 1), 90, 50),
        ("trên", 440, 400, 70.0, (1, 3, 1), 90, 50),
        ("245/KH-", 300, 470, 90.0, (1, 3, 2), 180, 50),  # cut at its hyphen: 5 px to the rest
        ("UBND", 485, 470, 90.0, (1, 3, 2), 120, 50),
        ("2021", 620, 470, 90.0, (1, 3, 2), 100, 50),
        ("-", 735, 485, 90.0, (1, 3, 2), 22, 8),  # a dash between spaces stays one
        (".CHƯƠNG", 770, 470, 90.0, (1, 3, 2), 200, 50),  # dust glued ahead of a word
        ("ÐU", 990, 470, 90.0, (1, 3, 2), 60, 50),  # the Icelandic Eth for Đ
    )
    page = parse_tsv(tsv)
    assert page.text == "UBND TỈNH      CỘNG HÒA\nSố: 15\n\n- Như trên\n245/KH-UBND 2021 - CHƯƠNG ĐU"
    assert page.words == 15
    assert page.confidence == round((96 + 95 + 93 + 91 + 90 + 88 + 92 + 90 + 70 + 90 * 6) / 15, 1)


def test_tsv_without_words_has_no_confidence() -> None:
    assert parse_tsv(_TSV_HEADER + "\n1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n") == PageOCR("", None, 0)


def test_otsu_threshold_separates_ink_from_paper() -> None:
    histogram = [0] * 256
    histogram[30] = 5_000  # ink
    histogram[240] = 95_000  # paper
    assert 30 <= otsu_threshold(histogram) < 240
    faint = [0] * 256
    faint[200], faint[245] = 3_000, 97_000  # a washed-out scan still splits
    assert 200 <= otsu_threshold(faint) < 245


def test_page_warnings_name_the_page_and_the_confidence() -> None:
    assert page_warnings(3, PageOCR("…", 95.0, 100)) == []
    assert page_warnings(3, PageOCR("…", 62.5, 100)) == [
        "page 3: OCR confidence 62.5 is low; check the text against the scan"]
    assert page_warnings(4, PageOCR("x", 20.0, 3))[0].startswith("page 4: OCR confidence 20.0 is too low")
    assert page_warnings(5, PageOCR("", None, 0)) == ["page 5: OCR found no text (blank, or too faint to read)"]
    assert page_warnings(6, "OCR gave up after 300 s") == ["page 6: OCR gave up after 300 s"]
    assert page_runs([1, 3, 4, 5, 9]) == "1, 3–5, 9"


def test_missing_tesseract_is_named_with_the_apt_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.tesseract_problem.cache_clear()
    try:
        with pytest.raises(UnreadableSource) as caught:
            read_pdf(_pdf([Image.new("L", (850, 1100), 255)]), "scan.pdf")
        assert caught.value.reason == (
            "PDF has no text layer (scanned?); OCR needs Tesseract, which is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-vie)")
        with pytest.raises(UnreadableSource, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
            read_image(_png(Image.new("L", (850, 1100), 255)), "scan.png")
        # a PDF whose other pages have text keeps them, and says what it could not read
        mixed = _merge_pdfs(make_pdf([["Trang một có lớp chữ"]], unicode_font=True), make_pdf([None]))
        source = read_pdf(mixed, "mixed.pdf")
        assert source.text == "Trang một có lớp chữ\n"
        assert source.warnings[0] == "page 2 has no text layer"
        assert "apt-get install tesseract-ocr tesseract-ocr-vie" in source.warnings[1]
    finally:
        ocr.tesseract_problem.cache_clear()


# --- OCR with Tesseract -------------------------------------------------------------------


@pytest.mark.usefixtures("tesseract")
def test_an_image_is_ocrd_with_its_confidence(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(_png(render_scan(SHORT, stamp=False)[0]))
    source = read_source(path)
    assert source.format == "image"
    assert character_accuracy(source.text, SHORT) >= 0.97, source.text
    assert source.page_starts == (0,)
    (origin,) = source.page_origins
    assert origin.source == "ocr" and origin.ocr_confidence is not None and origin.ocr_confidence > 80


@pytest.mark.usefixtures("tesseract")
def test_a_faint_scan_is_still_read() -> None:
    # ink at ~80% of the way to the paper, and darker dust specks: the threshold follows the ink
    source = read_image(_png(render_scan(SHORT, fade=0.8, stamp=False)[0]), "faint.png")
    assert character_accuracy(source.text, SHORT) >= 0.97, source.text


@pytest.mark.slow
@pytest.mark.usefixtures("tesseract")
def test_a_multi_page_tiff_is_one_document(tmp_path: Path) -> None:
    pages = [render_scan(line, stamp=False, seed=n)[0] for n, line in enumerate(SHORT.split("\n")[:2])]
    path = tmp_path / "scan.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(300, 300))
    source = read_source(path)
    assert len(source.page_starts) == 2
    assert "LẠNG SƠN" in source.text[:source.page_starts[1]]
    assert "215/UBND-KGVX" in source.text[source.page_starts[1]:]
    assert [o.source for o in source.page_origins] == ["ocr", "ocr"]


@pytest.mark.usefixtures("tesseract")
@pytest.mark.parametrize(
    ("image", "reason"),
    [
        pytest.param(lambda: Image.new("RGB", (2480, 3508), (242, 240, 236)), "OCR found no text", id="blank"),
        pytest.param(lambda: render_scan(SHORT, fade=0.985, stamp=False)[0], "too", id="too-faint"),
    ],
)
def test_an_image_without_readable_text_is_refused(image, reason: str) -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_image(_png(image()), "scan.png")
    assert caught.value.reason.startswith("OCR found no usable text in the image (page 1: ")
    assert reason in caught.value.reason


def test_files_that_are_not_a_page_image_are_refused() -> None:
    with pytest.raises(UnreadableSource) as caught:
        read_image(_png(Image.new("RGB", (120, 80), (255, 255, 255))), "logo.png")
    assert caught.value.reason == ("image is 120×80 pixels, too small to be a scanned page "
                                   "(at least 500 on its longer side)")
    with pytest.raises(UnreadableSource) as caught:
        read_image(make_pdf([["Hello world here"]]), "scan.png")
    assert caught.value.reason == "not a readable image (it is a PDF document)"
    with pytest.raises(UnreadableSource, match="not a readable image"):
        read_image(b"\x89PNG\r\n\x1a\n truncated", "scan.png")


@pytest.mark.slow
@pytest.mark.usefixtures("tesseract")
def test_only_pages_without_text_are_ocrd_and_spans_find_their_page(tmp_path: Path) -> None:
    typed = make_pdf([[*SHORT.split("\n")[:3], "Kính gửi: Các sở, ban, ngành tỉnh.",
                       "Để triển khai Kế hoạch số 95/KH-UBND, Ủy ban nhân dân tỉnh giao:"]], unicode_font=True)
    body = ("1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí,\n"
            "hoàn thành trước ngày 30/6/2026.\n\n"
            "2. Sở Nội vụ chủ trì tổ chức bồi dưỡng kỹ năng số cho cán bộ, công chức.")
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_merge_pdfs(typed, _pdf(render_scan(body, stamp=False))))
    source = read_source(path)
    assert source.text.startswith(SHORT.split("\n")[0])  # the text layer, exactly
    assert [o.source for o in source.page_origins] == ["text", "ocr"]
    assert source.page_origins[0].ocr_confidence is None
    record = parse_file(path).to_json()
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(record)
    pages = record["pages"]
    assert [(p["number"], p["source"]) for p in pages] == [(1, "text"), (2, "ocr")]
    assert pages[0]["start"] == 0 and pages[0]["end"] == pages[1]["start"] and pages[1]["end"] == len(record["text"])
    assert pages[1]["ocr_confidence"] > 80
    task = next(t for t in record["tasks"] if t["deadline"] == "2026-06-30")
    assert task["page"] == 2
    start, end = task["span"]
    assert pages[1]["start"] <= start < end <= pages[1]["end"]
    assert "Sở Tài chính" in record["text"][start:end]
    assert [(c["ref"], c["page"]) for c in record["citations"]] == [("95/KH-UBND", 1)]


@pytest.mark.usefixtures("tesseract")
def test_ocr_stops_at_the_page_limit_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    pages = [render_scan(SHORT, stamp=False)[0], Image.new("L", (850, 1100), 255), Image.new("L", (850, 1100), 255)]
    source = read_pdf(_pdf(pages), "long.pdf")
    assert "215/UBND-KGVX" in source.text
    assert [o.source for o in source.page_origins] == ["ocr", "skipped", "skipped"]
    assert source.warnings[-1] == ("pages 2–3 not OCR'd: at most 1 pages are OCR'd per file "
                                   "(split the file to read the rest)")


@pytest.mark.usefixtures("tesseract")
def test_a_scanned_pdf_without_text_is_refused_with_the_reason() -> None:
    blank = Image.new("L", (850, 1100), 255)
    with pytest.raises(UnreadableSource) as caught:
        read_pdf(_pdf([blank, blank]), "blank.pdf")
    assert caught.value.reason == (
        "PDF has no text layer (scanned?) and OCR found no usable text on its 2 page(s): "
        "page 1: OCR found no text (blank, or too faint to read); "
        "page 2: OCR found no text (blank, or too faint to read)")


# --- page images for the explorer ---------------------------------------------------------


def test_render_page_png_of_a_pdf_and_of_an_image(tmp_path: Path) -> None:
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(make_pdf([["Page one"], ["Page two"]]))
    png = render_page_png(pdf, 2)
    assert png.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(png)) as shown:
        width, height = shown.size
        assert abs(width - 595 / 72 * 110) <= 1 and abs(height - 842 / 72 * 110) <= 1  # A4 at 110 dpi
    with Image.open(io.BytesIO(render_page_png(pdf, 1, dpi=72))) as small:
        assert small.size == (595, 842)
    scan = tmp_path / "scan.tiff"
    frames = [Image.new("L", (600, 900), 255), Image.new("L", (600, 900), 0)]
    frames[0].save(scan, save_all=True, append_images=frames[1:], dpi=(300, 300))
    with Image.open(io.BytesIO(render_page_png(scan, 2, dpi=150))) as second:
        assert second.size == (300, 450)
        assert second.convert("L").getpixel((10, 10)) == 0  # the second frame, not the first
    with pytest.raises(ValueError, match="has 2 page"):
        render_page_png(scan, 3)
    text = tmp_path / "a.txt"
    text.write_text("Kính gửi", encoding="utf-8")
    with pytest.raises(UnreadableSource, match="no page images"):
        render_page_png(text, 1)


# --- accuracy on the project's own documents ----------------------------------------------

# Three kinds of document: a provincial office's letter (three pages, the signature block in
# one column), a chairman's directive (chỉ thị), and a Party committee's action programme
# (two-column Party header, the signature beside the recipients).
DOCUMENTS = ("a10_vp_ubnd_cv_tb07", "b16_ubnd_chi_thi_cchc_2026", "b12_du_xa_diem_thuy_ctr_2026")


@pytest.fixture(scope="module")
def scanned_documents(tesseract, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict, dict]]:
    """stem → (gold, record of the scan, record of the clean text); each scan OCR'd once."""
    folder = tmp_path_factory.mktemp("scans")
    out = {}
    for stem in DOCUMENTS:
        clean_path = REPO / "corpus" / "sample" / f"{stem}.txt"
        scan = folder / f"{stem}.pdf"
        scan.write_bytes(_pdf(render_scan(read_source(clean_path).text, seed=len(stem))))
        gold = load_json(REPO / "corpus" / "gold" / "sample" / f"{stem}.gold.json")
        out[stem] = (gold, parse_file(scan).to_json(), parse_file(clean_path).to_json())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("stem", DOCUMENTS)
def test_scanned_documents_read_back_accurately(scanned_documents, stem: str) -> None:
    _gold, scanned, clean = scanned_documents[stem]
    # Both texts through the same normaliser (tone marks, rejoined lines), white space collapsed.
    accuracy = character_accuracy(scanned["text"], clean["text"])
    assert accuracy >= 0.97, f"{stem}: character accuracy {accuracy:.4f}"
    assert {page["source"] for page in scanned["pages"]} == {"ocr"}
    assert all(page["ocr_confidence"] > 80 for page in scanned["pages"])
    for task in scanned["tasks"]:  # spans point into the OCR'd text, on the page they name
        page = scanned["pages"][task["page"] - 1]
        assert page["start"] <= task["span"][0] < page["end"]
        assert scanned["text"][task["span"][0]:task["span"][1]] == task["text"]


@pytest.mark.slow
def test_scanned_documents_parse_nearly_as_well_as_their_text(scanned_documents) -> None:
    # Scored as one corpus, as `chidao eval` scores: on a single document one header field
    # missed costs 0.083 of macro F1, so a per-document bound would measure luck.
    gold = {stem: triple[0] for stem, triple in scanned_documents.items()}
    scanned = score_corpus(gold, {stem: triple[1] for stem, triple in scanned_documents.items()})
    clean = score_corpus(gold, {stem: triple[2] for stem, triple in scanned_documents.items()})
    assert scanned.macro_f1 >= clean.macro_f1 - 0.05, (scanned.macro_f1, clean.macro_f1, scanned.misses)
