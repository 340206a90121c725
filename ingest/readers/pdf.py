"""Reads PDF sources with pdfplumber: each page's text layer, pages joined by a line break.

Provincial offices publish three kinds of PDF: exported from Word (a good text layer),
scanned (no text layer) and scanned with a typed first page or a stamp. Pages without a
usable text layer (too few characters, or glyphs that map to no Unicode) are rendered
with pdfium and OCR'd (ocr.py); the other pages keep their own text, which is exact.
"""
from __future__ import annotations

import io
import re
import unicodedata

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import UnreadableSource
from .legacy import describe_legacy, detect_legacy_encoding
from .ocr import OCR_DPI, OCRPass, ocr_missing_pages, tesseract_problem
from .page_image import open_pdf, render_pdf_page
from .pdf_tables import page_text, place_tables
from .signatures import PDF_MAGIC, describe_signature
from .source import PageOrigin, SourceText, Table

# pdfplumber wraps pdfminer's errors, but a damaged page dictionary (no MediaBox, a
# MediaBox of three numbers, a Rotate that is not a number) surfaces as a built-in error.
_MALFORMED = (
    PdfminerException, MalformedPDFException, PSException, TypeError, ValueError, KeyError, IndexError,
)
# Fewer visible characters than this is a page number or a stamp, not a text layer.
_MIN_PAGE_CHARS = 8
# Glyphs whose font has no Unicode map come out as "(cid:123)"; broken maps give controls.
_UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f]")
# A page whose characters are mostly unmapped glyphs is OCR'd rather than kept as U+FFFD.
_MAX_UNMAPPED_SHARE = 0.5


def read_pdf(data: bytes, path: str) -> SourceText:
    if not data:
        raise UnreadableSource(path, "empty file")
    if PDF_MAGIC not in data[:1024]:
        kind = describe_signature(data)
        raise UnreadableSource(path, f"not a valid PDF ({f'it is {kind}' if kind else 'no %PDF header'})")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(path, exc) from exc
    # No `with pdf:`: pdfplumber's close() rebuilds the page tree it has just flushed, so
    # on a damaged tree it raises again. The stream is our own BytesIO; nothing to release.
    page_tables: list[tuple[str, tuple[Table, ...]]] = []
    texts, warnings = _read_pages(pdf, path, page_tables)
    textless = [number for number, text in enumerate(texts, start=1) if not _has_text_layer(text)]
    origins: tuple[PageOrigin, ...] = ()
    if textless:
        # Glyphs without a Unicode map are a text layer that cannot be decoded, not a scan.
        what = ("PDF text cannot be decoded (its fonts have no Unicode map)"
                if any("\ufffd" in texts[number - 1] for number in textless) else "PDF has no text layer (scanned?)")
        ocr = _ocr(data, path, textless, has_text=len(textless) < len(texts), what=what)
        if isinstance(ocr, str):  # OCR cannot run, but other pages have text: keep those, name the rest
            warnings.extend(_no_text_warnings(textless))
            warnings.append(f"not OCR'd: {ocr}")
            for number in textless:
                texts[number - 1] = ""
        else:
            if not ocr.found_text and len(textless) == len(texts):
                details = "; ".join(ocr.warnings[:3]) + ("; …" if len(ocr.warnings) > 3 else "")
                raise UnreadableSource(path, f"{what} and OCR found no usable text on its {len(texts)} page(s): "
                                             f"{details}")
            for number in textless:
                texts[number - 1] = ocr.texts[number]
            warnings.extend(ocr.warnings)
            origins = tuple(ocr.origins.get(number, PageOrigin()) for number in range(1, len(texts) + 1))
    page_starts: list[int] = []
    offset = 0
    for text in texts:
        page_starts.append(offset)
        offset += len(text) + 1
    text = "\n".join(texts)
    legacy = detect_legacy_encoding(text)
    if legacy is not None:
        warnings.append(
            f"text looks like {describe_legacy(legacy)}; conversion to Unicode is not supported yet"
        )
    return SourceText(
        text=text, format="pdf", encoding=None, page_starts=tuple(page_starts), warnings=tuple(warnings),
        page_origins=origins, tables=place_tables(page_tables, texts, page_starts),
    )


def _has_text_layer(text: str) -> bool:
    visible = _visible_chars(text)
    unmapped = text.count("\ufffd")
    return visible >= _MIN_PAGE_CHARS and unmapped <= _MAX_UNMAPPED_SHARE * (visible + unmapped)


def _ocr(data: bytes, path: str, numbers: list[int], *, has_text: bool, what: str) -> OCRPass | str:
    """OCR of the pages without text; why not, when OCR cannot run but other pages have text."""
    try:
        problem = tesseract_problem()
        if problem:
            raise UnreadableSource(path, problem)
        with open_pdf(data, path) as document:
            return ocr_missing_pages(lambda number: render_pdf_page(document, number, OCR_DPI), numbers, path)
    except UnreadableSource as exc:
        if has_text:
            return exc.reason
        raise UnreadableSource(path, f"{what}; {exc.reason}") from exc


def _open_error(path: str, exc: PdfminerException) -> UnreadableSource:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return UnreadableSource(path, "PDF is encrypted (password-protected)")
    if isinstance(cause, PDFEncryptionError):
        return UnreadableSource(path, f"PDF is encrypted in a way that cannot be read ({_describe(cause)})")
    return UnreadableSource(path, f"not a valid PDF ({_describe(cause)})")


def _read_pages(pdf: PDF, path: str, tables: list[tuple[str, tuple[Table, ...]]]) -> tuple[list[str], list[str]]:
    """Each page's text and the reader's warnings; `tables` gets each page's tables, with the text they index."""
    try:
        pages = pdf.pages
    except _MALFORMED as exc:
        raise UnreadableSource(path, f"not a valid PDF (its page tree cannot be read: {_describe(exc)})") from exc
    if not pages:
        raise UnreadableSource(path, "not a valid PDF (it has no pages)")
    texts: list[str] = []
    warnings: list[str] = []
    failures: list[BaseException] = []
    for page in pages:
        try:
            raw, found = page_text(page)  # the text as it flows, ruled tables row by row (pdf_tables)
        except _MALFORMED as exc:
            warnings.append(f"page {page.page_number} could not be read ({_describe(exc)})")
            failures.append(exc)
            raw, found = "", ()
        finally:
            page.close()  # drops the page's parsed objects; long PDFs otherwise fill memory
        text, unmapped = _UNMAPPED.subn("\ufffd", unicodedata.normalize("NFC", raw))
        if unmapped:
            warnings.append(
                f"page {page.page_number}: {unmapped} glyph(s) have no Unicode mapping (shown as U+FFFD)"
            )
        texts.append(text)
        tables.append((text, found if text == raw else ()))  # cleaning moved the offsets: no tables
    if len(failures) == len(pages):
        raise UnreadableSource(path, f"not a valid PDF (no page can be read: {_describe(failures[0])})")
    return texts, warnings


def _visible_chars(text: str) -> int:
    return sum(1 for char in text if not char.isspace() and char != "\ufffd")


def _no_text_warnings(pages: list[int]) -> list[str]:
    """"page 3 has no text layer", "pages 5–7 have no text layer": one line per run of pages."""
    runs: list[list[int]] = []
    for number in pages:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [
        f"page {run[0]} has no text layer" if len(run) == 1
        else f"pages {run[0]}–{run[-1]} have no text layer"
        for run in runs
    ]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
