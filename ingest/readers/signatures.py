"""Names a file's real format from its first bytes, for error messages about misnamed files.

Sources arrive renamed (a .doc saved as .docx, a scan saved as .pdf.txt); saying what the
bytes are tells the user what to do, where "not a valid DOCX" alone does not.
"""
from __future__ import annotations

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (PDF_MAGIC, "a PDF document"),
    (ZIP_MAGIC, "a ZIP archive, e.g. DOCX or XLSX"),
    (OLE2_MAGIC, "an OLE2 file, e.g. a legacy .doc or .xls, or an encrypted Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def describe_signature(data: bytes) -> str | None:
    """"a PDF document", "a PNG image" … when `data` starts like a known format."""
    # PDF writers may put junk before the header; readers accept it within 1 KB.
    if PDF_MAGIC in data[:1024]:
        return "a PDF document"
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def is_ole2_encrypted_office(data: bytes) -> bool:
    """True for an Office file encrypted with a password (an OLE2 file with EncryptedPackage)."""
    return data.startswith(OLE2_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data
