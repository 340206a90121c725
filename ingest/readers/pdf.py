"""Reads PDF sources with pdfplumber: each page's text layer, pages joined by a line break.

Provincial offices publish three kinds of PDF: exported from Word (a good text layer),
scanned (no text layer; OCR is a later issue) and scanned with a typed first page or a
stamp. The reader refuses the second kind outright and warns, page by page, about the
pages of the third kind that have no text.
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
from .signatures import PDF_MAGIC, describe_signature
from .source import SourceText

# pdfplumber wraps pdfminer's errors, but a damaged page dictionary (no MediaBox, a
# MediaBox of three numbers, a Rotate that is not a number) surfaces as a built-in error.
_MALFORMED = (
    PdfminerException, MalformedPDFException, PSException, TypeError, ValueError, KeyError, IndexError,
)
# Fewer visible characters than this is a page number or a stamp, not a text layer.
_MIN_PAGE_CHARS = 8
# Glyphs whose font has no Unicode map come out as "(cid:123)"; broken maps give controls.
_UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f]")


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
    texts, warnings = _read_pages(pdf, path)
    visible = [_visible_chars(text) for text in texts]
    if not any(count >= _MIN_PAGE_CHARS for count in visible):
        if any("\ufffd" in text for text in texts):
            raise UnreadableSource(
                path, "PDF text cannot be decoded (its fonts have no Unicode map); OCR is not supported yet"
            )
        raise UnreadableSource(path, "PDF has no text layer (scanned?); OCR is not supported yet")
    # A page of unmapped glyphs has a text layer, and its own warning already.
    empty = [
        number
        for number, (text, count) in enumerate(zip(texts, visible, strict=True), start=1)
        if count < _MIN_PAGE_CHARS and "\ufffd" not in text
    ]
    warnings.extend(_no_text_warnings(empty))
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
        text=text, format="pdf", encoding=None, page_starts=tuple(page_starts), warnings=tuple(warnings)
    )


def _open_error(path: str, exc: PdfminerException) -> UnreadableSource:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return UnreadableSource(path, "PDF is encrypted (password-protected)")
    if isinstance(cause, PDFEncryptionError):
        return UnreadableSource(path, f"PDF is encrypted in a way that cannot be read ({_describe(cause)})")
    return UnreadableSource(path, f"not a valid PDF ({_describe(cause)})")


def _read_pages(pdf: PDF, path: str) -> tuple[list[str], list[str]]:
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
            raw = page.extract_text()  # layout off: lines as the text flows, no padding
        except _MALFORMED as exc:
            warnings.append(f"page {page.page_number} could not be read ({_describe(exc)})")
            failures.append(exc)
            raw = ""
        finally:
            page.close()  # drops the page's parsed objects; long PDFs otherwise fill memory
        text, unmapped = _UNMAPPED.subn("\ufffd", unicodedata.normalize("NFC", raw))
        if unmapped:
            warnings.append(
                f"page {page.page_number}: {unmapped} glyph(s) have no Unicode mapping (shown as U+FFFD)"
            )
        texts.append(text)
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
