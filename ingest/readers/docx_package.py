"""Opens a DOCX package with python-docx, turning every way the bytes can be wrong into a reason.

Checks what python-docx would only fail on obscurely: a legacy .doc or an encrypted Office
file (both OLE2, not ZIP), a file that is something else, a damaged archive, and an
archive that would unpack to more memory than a letter can need.
"""
from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from lxml import etree

from ..errors import UnreadableSource
from .signatures import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    describe_signature,
    is_ole2_encrypted_office,
)

# python-docx unpacks every part into memory; a ZIP bomb inside the size limit stops here.
_MAX_UNZIPPED = 1 << 30
_ZIP_ENCRYPTED = 0x1
_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_CORRUPT = "not a valid DOCX (truncated or corrupt ZIP archive)"


def open_docx(data: bytes, path: str) -> DocxDocument:
    """The python-docx Document in `data`, or UnreadableSource saying what the bytes are."""
    if not data:
        raise UnreadableSource(path, "empty file")
    if is_ole2_encrypted_office(data):
        raise UnreadableSource(path, "DOCX is encrypted (password-protected)")
    if data.startswith(OLE2_MAGIC):
        raise UnreadableSource(
            path, "not a valid DOCX (an OLE2 file, probably a legacy .doc; save it as .docx)"
        )
    if not data.startswith(ZIP_MAGIC):
        kind = describe_signature(data)
        raise UnreadableSource(path, f"not a valid DOCX ({f'it is {kind}' if kind else 'not a ZIP archive'})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    # A damaged central directory can claim a ZIP version zipfile refuses (NotImplementedError).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise UnreadableSource(path, _CORRUPT) from exc
    if any(entry.flag_bits & _ZIP_ENCRYPTED for entry in entries):
        raise UnreadableSource(path, "not a valid DOCX (its ZIP entries are password-protected)")
    if any(entry.compress_type not in _ZIP_METHODS for entry in entries):
        raise UnreadableSource(path, "not a valid DOCX (ZIP entries use an unknown compression method)")
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > _MAX_UNZIPPED:
        raise UnreadableSource(path, f"DOCX unpacks to {unzipped >> 20} MB, over the 1024 MB limit")
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise UnreadableSource(path, _CORRUPT) from exc
    except KeyError as exc:  # a part or relationship the package must have is missing
        detail = exc.args[0] if exc.args else "missing part"
        raise UnreadableSource(path, f"not a valid DOCX ({detail})") from exc
    except ValueError as exc:  # python-docx: main part is not a Word document (XLSX, PPTX)
        raise UnreadableSource(path, "not a valid DOCX (an Office file, but not a Word document)") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableSource(path, f"not a valid DOCX (malformed XML: {exc})") from exc
    except OpcError as exc:
        raise UnreadableSource(path, f"not a valid DOCX ({exc})") from exc
