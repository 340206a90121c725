"""Pages as images: PDF pages rendered with pdfium, image files frame by frame.

The OCR readers use these to get pixels to recognise; the explorer calls
`render_page_png` to show the page a fact was read from beside the fact.
pdfium is not thread-safe, so every call into it holds PDFIUM_LOCK.
"""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import UnreadableSource

PDFIUM_LOCK = threading.RLock()
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_ASSUMED_DPI = 300  # an image that does not say its resolution is taken as a 300-dpi scan
_POINTS_PER_INCH = 72


@contextmanager
def open_pdf(data: bytes, path: str) -> Iterator[pdfium.PdfDocument]:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnreadableSource(path, f"PDF pages cannot be rendered ({exc})") from exc
    try:
        yield document
    finally:
        with PDFIUM_LOCK:
            document.close()


def render_pdf_page(document: pdfium.PdfDocument, number: int, dpi: int) -> Image.Image:
    """Page `number` (from 1) as an RGB image at `dpi`: in colour, so that OCR can tell a red
    seal from the black text under it."""
    with PDFIUM_LOCK:
        page = document[number - 1]
        try:
            bitmap = page.render(scale=dpi / _POINTS_PER_INCH)
            return bitmap.to_pil().copy()  # copied: the bitmap's buffer goes with the page
        finally:
            page.close()


def open_image(data: bytes, path: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise UnreadableSource(path, f"image is too large to read ({exc})") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnreadableSource(path, f"not a readable image ({type(exc).__name__}: {exc})") from exc
    return image


def frame_count(image: Image.Image) -> int:
    return getattr(image, "n_frames", 1)


def image_frame(image: Image.Image, number: int) -> Image.Image:
    """Frame `number` (from 1) of a multi-page TIFF, upright as the camera or scanner meant."""
    image.seek(number - 1)
    return ImageOps.exif_transpose(image.copy())


def image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # 72 and 96 are what screen software writes when it knows nothing; not a scan's figure.
    return value if 150 <= value <= 1200 else _ASSUMED_DPI


def render_page_png(path: Path, page: int, *, dpi: int = 110) -> bytes:
    """Page `page` (from 1) of a PDF or an image file as PNG bytes, about `dpi` dots per inch.

    Raises UnreadableSource for a file that cannot be read and ValueError for a page the
    file does not have.
    """
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSource(name, f"cannot read the file: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".pdf":
        with open_pdf(data, name) as document:
            count = len(document)
            _check_page(page, count, name)
            picture = render_pdf_page(document, page, dpi)
    elif path.suffix.lower() in IMAGE_SUFFIXES:
        image = open_image(data, name)
        _check_page(page, frame_count(image), name)
        picture = image_frame(image, page)
        scale = dpi / image_dpi(image)
        if scale < 1:
            size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
            picture = picture.resize(size, Image.Resampling.LANCZOS)
    else:
        raise UnreadableSource(name, f"no page images for '{path.suffix}' files (PDF and image files only)")
    out = io.BytesIO()
    picture.convert("RGB" if picture.mode not in ("L", "RGB") else picture.mode).save(out, "PNG", optimize=True)
    return out.getvalue()


def _check_page(page: int, count: int, name: str) -> None:
    if not 1 <= page <= count:
        raise ValueError(f"{name} has {count} page(s); there is no page {page}")
