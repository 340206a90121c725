"""Reads plain-text sources: finds the encoding, then normalises line ends and Unicode form.

Vietnamese .txt files come as UTF-8 (with or without BOM), UTF-16 from Windows tools
(sometimes without BOM), Windows-1258, or bytes typed in the legacy TCVN3/VNI fonts (converted to
Unicode, also when such bytes were copied into a UTF-8 or UTF-16 file). The
order of attempts goes from the evidence that cannot lie (a BOM) to the guess that
cannot fail (Windows-1258 decodes almost any byte), so each step only sees files the
earlier ones rejected.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import UnreadableSource
from .legacy import convert_legacy_text, converted_warning, detect_legacy_encoding
from .signatures import describe_signature
from .source import SourceText

# UTF-32 LE's BOM starts with UTF-16 LE's, so it is tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096
# Vietnamese in UTF-16 is mostly ASCII letters and spaces, so one byte of most pairs is NUL.
_UTF16_NUL_SHARE = 0.30
_UTF16_OTHER_NUL_SHARE = 0.05
# NUL parity alone also fits binary records; the decoded text must be the alphabet this
# project reads (Latin, Vietnamese, punctuation), not CJK-looking noise.
_UTF16_PLAUSIBLE_SHARE = 0.90
_PLAUSIBLE = re.compile("[\t\n\r\x20-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f]")
# A file that is UTF-8 but for a few damaged bytes stays UTF-8 (read as Windows-1258 it
# would turn into mojibake, which even looks like TCVN3). TCVN3, VNI and Windows-1258
# bytes almost never form a valid multi-byte sequence, so they fall far short of this.
_UTF8_GOOD_PER_BAD = 4
_MAX_CONTROL_SHARE = 0.05
_BINARY_SAMPLE = 1_000_000

# Tab, newline and form feed (a page break, see _split_pages) are text; the rest is not.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# Vertical tab is the line break Word puts in copied text; the others are Unicode's.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class _Decoded:
    text: str
    encoding: str
    legacy_view: str  # the characters a legacy Vietnamese font would have drawn
    warnings: tuple[str, ...] = ()


def read_txt(data: bytes, path: str) -> SourceText:
    if not data:
        raise UnreadableSource(path, "empty file")
    decoded = _decode(data, path)
    text = _LINE_BREAK.sub("\n", decoded.text)
    if _looks_binary(text):
        raise _binary(path, data)
    if not text.strip():
        raise UnreadableSource(path, "empty file")
    warnings = list(decoded.warnings)
    encoding = decoded.encoding
    legacy = detect_legacy_encoding(decoded.legacy_view)
    if legacy is not None:
        # Converted before line breaks are unified: byte 0x85 is Windows-1252's "…" there.
        text = _LINE_BREAK.sub("\n", convert_legacy_text(decoded.legacy_view, legacy))
        if encoding == "cp1258":  # the bytes were the legacy font's own, not a Unicode copy of them
            encoding = legacy
        warnings.append(converted_warning(legacy))
    kind = describe_signature(data)
    if kind is not None:
        warnings.append(f"file starts like {kind}; it was read as plain text")
    # Windows-1258 stores tone marks as combining characters; NFC makes every source
    # spell "ộ" as one code point.
    text, page_starts = _split_pages(unicodedata.normalize("NFC", text))
    return SourceText(
        text=text,
        format="txt",
        encoding=encoding,
        page_starts=page_starts,
        warnings=tuple(warnings),
    )


def _decode(data: bytes, path: str) -> _Decoded:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, warnings = _decode_lenient(data, codec)
            return _Decoded(text, codec, text, warnings)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text, warnings = _decode_lenient(data, utf16)
        return _Decoded(text, utf16, text, warnings)
    if b"\x00" in data:
        raise _binary(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _Decoded(text, "utf-8", text)
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    text, warnings = _decode_lenient(data, "cp1258")
    # TCVN3 and VNI bytes are drawn by their fonts as the Latin-1 characters of the same
    # code, which Windows-1258 would partly turn into combining marks.
    return _Decoded(text, "cp1258", data.decode("latin-1"), warnings)


def _decode_lenient(data: bytes, codec: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode(codec), ()
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
    return text, (f"{bad} byte sequence(s) invalid in {codec} were replaced with U+FFFD",)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0::2].count(0) / pairs
    odd = sample[1::2].count(0) / pairs
    if odd >= _UTF16_NUL_SHARE and even <= _UTF16_OTHER_NUL_SHARE:
        codec = "utf-16-le"
    elif even >= _UTF16_NUL_SHARE and odd <= _UTF16_OTHER_NUL_SHARE:
        codec = "utf-16-be"
    else:
        return None
    text = sample[: pairs * 2].decode(codec, errors="replace")
    plausible = len(_PLAUSIBLE.findall(text))
    return codec if plausible >= _UTF16_PLAUSIBLE_SHARE * len(text) else None


def _damaged_utf8(data: bytes) -> _Decoded | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - text.count("\ufffd")
    if good < _UTF8_GOOD_PER_BAD * bad:
        return None
    warning = f"{bad} byte sequence(s) invalid in utf-8 were replaced with U+FFFD"
    return _Decoded(text, "utf-8", text, (warning,))


def _looks_binary(text: str) -> bool:
    sample = text[:_BINARY_SAMPLE]
    if not sample:
        return False
    controls = len(sample) - len(_CONTROL.sub("", sample))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _binary(path: str, data: bytes) -> UnreadableSource:
    kind = describe_signature(data)
    detail = f" (it looks like {kind})" if kind else ""
    return UnreadableSource(path, f"binary file, not text{detail}")


def _split_pages(text: str) -> tuple[str, tuple[int, ...]]:
    """Form feeds (pdftotext puts one after every page) become line breaks and page starts."""
    if "\f" not in text:
        return text, (0,)
    pages = text.split("\f")
    if not pages[-1].strip():
        pages.pop()
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return "\n".join(pages), tuple(starts)
