"""Reads scanned pages saved as images (PNG, JPEG, TIFF): every frame is OCR'd.

A multi-page TIFF is one document, a frame per page. An image in which OCR finds no
usable text, on any page, is refused with the reason (blank, too faint, no Tesseract), and
so is one too small to be a page (a logo, a thumbnail).
"""
from __future__ import annotations

from ..errors import UnreadableSource
from .ocr import ocr_missing_pages, require_tesseract
from .page_image import frame_count, image_dpi, image_frame, open_image
from .signatures import describe_signature
from .source import SourceText

FORMAT = "image"
# A folder of documents also holds logos and thumbnails: an image this small on its longer
# side is no page to read (an A4 page at 300 dpi is 3508 pixels long; at 72 dpi, 842).
MIN_PAGE_PIXELS = 500


def read_image(data: bytes, path: str) -> SourceText:
    if not data:
        raise UnreadableSource(path, "empty file")
    kind = describe_signature(data)
    if kind and "image" not in kind:
        raise UnreadableSource(path, f"not a readable image (it is {kind})")
    image = open_image(data, path)
    if max(image.size) < MIN_PAGE_PIXELS:
        raise UnreadableSource(path, f"image is {image.width}×{image.height} pixels, too small to be a scanned "
                                     f"page (at least {MIN_PAGE_PIXELS} on its longer side)")
    require_tesseract(path)
    count = frame_count(image)
    dpi = image_dpi(image)
    ocr = ocr_missing_pages(lambda number: image_frame(image, number), range(1, count + 1), path, dpi=dpi)
    if not ocr.found_text:
        reasons = "; ".join(ocr.warnings) or "no text"
        raise UnreadableSource(path, f"OCR found no usable text in the image ({reasons})")
    texts = [ocr.texts[number] for number in range(1, count + 1)]
    page_starts: list[int] = []
    offset = 0
    for text in texts:
        page_starts.append(offset)
        offset += len(text) + 1
    return SourceText(
        text="\n".join(texts), format=FORMAT, encoding=None, page_starts=tuple(page_starts),
        warnings=ocr.warnings, page_origins=tuple(ocr.origins[number] for number in range(1, count + 1)),
    )


__all__ = ["FORMAT", "read_image"]
