"""Source files to text: `read_source` picks the reader by suffix and guards the size.

Each reader takes the file's bytes and its path (for messages) and returns a SourceText,
or raises UnreadableSource naming the reason; no other exception escapes for bad content.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UnreadableSource
from .legacy import detect_legacy_encoding
from .source import SourceText, Table, TableCell

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

# suffix → (module of this package, its reader). A reader is imported when a file of its
# kind is first read: pdfplumber, Pillow, lxml and python-docx cost a third of the CLI's
# start-up, and a batch of text files needs none of them.
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("txt", "read_txt"),
    ".text": ("txt", "read_txt"),
    ".docx": ("docx", "read_docx"),
    ".pdf": ("pdf", "read_pdf"),
    ".doc": ("doc", "read_doc"),  # Word 97–2003, through antiword
    ".odt": ("odt", "read_odt"),
    ".html": ("html", "read_html"),  # pages saved from portals: the document body without the page chrome
    ".htm": ("html", "read_html"),
    # scans saved as images: OCR'd page by page (ocr.py)
    ".png": ("image", "read_image"),
    ".jpg": ("image", "read_image"),
    ".jpeg": ("image", "read_image"),
    ".tif": ("image", "read_image"),
    ".tiff": ("image", "read_image"),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
_MODULE_OF = {function: module for module, function in _READERS.values()}


def _reader(module: str, function: str) -> Callable[[bytes, str], SourceText]:
    return getattr(importlib.import_module(f".{module}", __name__), function)


def __getattr__(name: str) -> Any:
    """`from ingest.readers import read_pdf` still works, importing that reader then."""
    if name in _MODULE_OF:
        return _reader(_MODULE_OF[name], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_source(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    where = _READERS.get(suffix)
    if where is None:
        shown = f"unsupported file type '{suffix}'" if suffix else "file has no extension"
        raise UnreadableSource(name, f"{shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    data = _read_bytes(path, max_bytes)
    source = _reader(*where)(data, name)
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
