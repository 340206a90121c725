"""Reads Word 97–2003 .doc files through antiword (Debian: `apt-get install antiword`).

antiword's DocBook output (`-x db`) is read rather than its plain text: plain text wraps
table cells inside their columns, so a row cannot be told from a wrapped cell, while the
DocBook keeps paragraphs, rows and cells as elements; it is UTF-8 whatever the document's
code page. antiword names no fonts, so text typed in the TCVN3 or VNI fonts is recognised
from the text itself (see blocks.assemble).

antiword runs on a temporary copy of the bytes, with a timeout, and what it says on
failure becomes the reason the file is unreadable. A ".doc" that is really a DOCX (Word
saves either under any name) is read as one, and so is a web page saved as .doc.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from ..errors import UnreadableSource
from .blocks import Block, CellBlock, TableBlock, assemble
from .docx import read_docx
from .html import read_html
from .signatures import OLE2_MAGIC, ZIP_MAGIC, describe_signature, is_ole2_encrypted_office
from .source import SourceText

ANTIWORD_TIMEOUT_S = 60
_SNIFF = 1024
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|\?xml|head|meta)\b", re.IGNORECASE)
_MISSING = "reading .doc files needs antiword, which is not installed (apt-get install antiword)"
# DocBook elements that hold no document text: antiword's metadata and notes.
_SKIP = frozenset({"bookinfo", "footnote", "indexterm"})
_TABLES = frozenset({"informaltable", "table"})
_PARAGRAPHS = frozenset({"para", "title", "simpara", "literallayout", "programlisting"})
_XML = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_doc(data: bytes, path: str) -> SourceText:
    if not data:
        raise UnreadableSource(path, "empty file")
    if data.startswith(ZIP_MAGIC):
        source = read_docx(data, path)
        return dataclasses.replace(source, warnings=(
            "the file is named .doc but is a DOCX; it was read as DOCX", *source.warnings))
    if _HTML_START.match(data[:_SNIFF]):  # Word's "Web Page" saved as .doc, as portals offer them
        source = read_html(data, path)
        return dataclasses.replace(source, warnings=(
            "the file is named .doc but is a web page; it was read as HTML", *source.warnings))
    if is_ole2_encrypted_office(data):
        raise UnreadableSource(path, "DOC is encrypted (password-protected)")
    if not data.startswith(OLE2_MAGIC):
        kind = describe_signature(data)
        raise UnreadableSource(path, f"not a Word .doc file ({f'it is {kind}' if kind else 'not an OLE2 file'})")
    xml = _antiword(data, path)
    root = etree.fromstring(xml, _XML) if xml.strip() else None
    blocks: list[Block] = []
    if root is not None:
        _walk(root, blocks)
    return assemble(blocks, path, "doc", what="DOC")


def _antiword(data: bytes, path: str) -> bytes:
    program = shutil.which("antiword")
    if program is None:
        raise UnreadableSource(path, _MISSING)
    with tempfile.TemporaryDirectory(prefix="chidao-doc-") as folder:
        copy = Path(folder) / "source.doc"
        copy.write_bytes(data)
        try:
            done = subprocess.run(
                [program, "-x", "db", str(copy)], capture_output=True, timeout=ANTIWORD_TIMEOUT_S, check=False,
                stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired as exc:
            raise UnreadableSource(path, f"antiword took longer than {ANTIWORD_TIMEOUT_S} s") from exc
        except OSError as exc:
            raise UnreadableSource(path, f"antiword could not be run: {exc.strerror or exc}") from exc
        said = done.stderr.decode("utf-8", errors="replace").replace(str(copy), "").strip()
    # antiword notes that XML needs no mapping file; that is not a failure.
    said = " ".join(line.strip() for line in said.splitlines() if "mapping file" not in line)
    if done.returncode != 0:
        raise UnreadableSource(path, f"antiword cannot read it: {said or f'exit status {done.returncode}'}")
    return done.stdout


def _walk(element: etree._Element, blocks: list[Block]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TABLES:
            blocks.append(_table(child))
        elif tag in _PARAGRAPHS:
            text = _inline_text(child)
            if text.strip():
                blocks.append("\n".join(line.strip() for line in text.strip().splitlines() if line.strip()))
            _walk_nested_tables(child, blocks)
        else:
            _walk(child, blocks)


def _inline_text(element: etree._Element) -> str:
    """The element's text without the tables and notes nested in it."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _TABLES and child.tag not in _SKIP:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk_nested_tables(element: etree._Element, blocks: list[Block]) -> None:
    """antiword puts a table inside the paragraph it follows; it is read after that paragraph."""
    for child in element:
        if child.tag in _TABLES:
            blocks.append(_table(child))
        elif isinstance(child.tag, str) and child.tag not in _SKIP:
            _walk_nested_tables(child, blocks)


def _table(table: etree._Element) -> TableBlock:
    rows = []
    for row in table.iter("row"):
        cells = []
        for entry in row.iterchildren("entry"):
            span = _span(entry)
            lines = (line.strip() for line in _inline_text(entry).splitlines())
            cells.append(CellBlock("\n".join(line for line in lines if line), col_span=span))
        rows.append(tuple(cells))
    return TableBlock(tuple(rows))


def _span(entry: etree._Element) -> int:
    """Columns an entry covers (DocBook's namest/nameend "c1" … "c4"), 1 when it says none."""
    start, end = entry.get("namest", ""), entry.get("nameend", "")
    try:
        return max(1, int(end.lstrip("c")) - int(start.lstrip("c")) + 1)
    except ValueError:
        return 1
