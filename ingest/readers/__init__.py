"""Source files to text: `read_source` picks the reader by suffix and guards the size.

Each reader takes the file's bytes and its path (for messages) and returns a SourceText,
or raises UnreadableSource naming the reason; no other exception escapes for bad content.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..errors import UnreadableSource
from .doc import read_doc
from .docx import read_docx
from .html import read_html
from .image import read_image
from .legacy import detect_legacy_encoding
from .odt import read_odt
from .pdf import read_pdf
from .source import SourceText, Table, TableCell
from .txt import read_txt

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "SourceText",
    "Table",
    "TableCell",
    "detect_legacy_encoding",
    "read_doc",
    "read_docx",
    "read_html",
    "read_image",
    "read_odt",
    "read_pdf",
    "read_source",
    "read_txt",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_READERS: dict[str, Callable[[bytes, str], SourceText]] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".doc": read_doc,  # Word 97–2003, through antiword
    ".odt": read_odt,
    ".html": read_html,  # pages saved from portals: the document body without the page chrome
    ".htm": read_html,
    # scans saved as images: OCR'd page by page (ocr.py)
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)


def read_source(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        shown = f"unsupported file type '{suffix}'" if suffix else "file has no extension"
        raise UnreadableSource(name, f"{shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    data = _read_bytes(path, max_bytes)
    source = reader(data, name)
    return dataclasses.replace(source, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        with path.open("rb") as handle:
            # The size of the open file, not of the path: it cannot change in between.
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise UnreadableSource(name, _over_limit(size, max_bytes))
            # Read one byte past the limit: pipes and growing files report no true size.
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableSource(name, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise UnreadableSource(name, f"file is over the {_size(max_bytes)} limit")
    return data


def _over_limit(size: int, limit: int) -> str:
    shown, limit_shown = _size(size), _size(limit)
    if shown == limit_shown:  # 50.01 MB against 50 MB would read "50 MB, over the 50 MB"
        shown, limit_shown = f"{size:,} bytes", f"{limit:,}-byte"
    return f"file is {shown}, over the {limit_shown} limit"


def _size(count: int) -> str:
    """73.2 MB, 50 MB, 12 KB, 900 bytes: one decimal, none when it is zero."""
    if count < 1024:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"
