"""Reads web pages saved from government portals: the document body, without the page chrome.

The bytes are decoded by their BOM, else the charset the page declares (<meta charset>,
<meta http-equiv="Content-Type">, an XML declaration), else UTF-8, else Windows-1258.
Then, in order:

1. elements that never hold text (scripts, styles, frames …) are dropped;
2. chrome is dropped by tag (nav, aside, button …), and by class/id words (menu,
   breadcrumb, share, tin-lien-quan …; html_chrome) or a <form>, unless the element holds
   most of the page's text (a wrapper named "page-with-sidebar", ASP.NET's page-wide form);
3. the body is the element its paragraphs score highest for: each paragraph-like block
   adds its text, links not counted, to its parent and half of it to its grandparent, so
   the container of the paragraphs wins over the page that also holds menus and lists.
   The page's own header and footer (html_chrome's page entries) are not scored. The body
   then takes in its parent when that adds little text (the title and date above the
   content), up to twice, never a parent that holds the page's header or footer;
4. the body is laid out like a DOCX: a line per paragraph and <br>, "1." or "-" before
   list items, one line per table row with its cells separated by tabs.
"""
from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ..errors import UnreadableSource
from .blocks import Block, CellBlock, TableBlock, assemble
from .html_chrome import Chrome, load_chrome
from .signatures import describe_signature
from .source import SourceText

_SNIFF = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_AS_BROWSERS_READ = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u2000-\u200a\u202f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_PARAGRAPH_TAGS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                             "dd", "dt", "address", "figcaption", "caption"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "span", "font", "center", "body", "td"})
_BLOCK_TAGS = _PARAGRAPH_TAGS | frozenset({"div", "section", "article", "main", "ul", "ol", "dl", "center",
                                            "header", "footer", "hr", "table", "tr", "fieldset", "details",
                                            "summary", "figure", "body", "html", "tbody", "thead", "tfoot"})
_CLIMB_STEPS, _CLIMB_SHARE, _CLIMB_CHARS = 2, 1.25, 200
_WRAPPER_SHARE = 0.5  # chrome by its name, but holding this much of the page's text: a wrapper


def read_html(data: bytes, path: str) -> SourceText:
    if not data.strip():
        raise UnreadableSource(path, "empty file")
    kind = describe_signature(data)
    if kind is not None:
        raise UnreadableSource(path, f"not an HTML page (it is {kind})")
    text, encoding = _decode(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECL_TEXT.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableSource(path, f"not an HTML page ({exc})") from exc
    chrome = load_chrome()
    page = root.find("body")
    page = page if page is not None else root
    _drop(page, chrome)
    body = _choose_body(page, chrome)
    blocks: list[Block] = []
    _Renderer(blocks).render(body)
    return assemble(blocks, path, "html", encoding=encoding, what="HTML page")


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    head = data[:_SNIFF]
    declared = _META_CHARSET.search(head) or _XML_DECL.match(head)
    if declared is not None:
        name = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec:
            # As browsers do (WHATWG Encoding): a page that says Latin-1 or ASCII is Windows-1252.
            codec = _AS_BROWSERS_READ.get(codec, codec)
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), "cp1258"


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _drop(page: etree._Element, chrome: Chrome) -> None:
    for element in [e for e in page.iter() if _tag(e) in chrome.never_text or not isinstance(e.tag, str)]:
        if element.getparent() is not None:
            _remove(element)
    total = len(_text(page))
    for element in list(page.iter()):
        if element.getparent() is None or not _attached(element, page):
            continue
        kind = chrome.kind(element)
        if kind == "drop" or (kind == "chrome" and len(_text(element)) <= _WRAPPER_SHARE * total):
            _remove(element)


def _attached(element: etree._Element, page: etree._Element) -> bool:
    return any(ancestor is page for ancestor in element.iterancestors()) or element is page


def _remove(element: etree._Element) -> None:
    """Drops the element and its content, keeping the text that follows it."""
    element.drop_tree()


def _text(element: etree._Element) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def _choose_body(page: etree._Element, chrome: Chrome) -> etree._Element:
    scores: dict[etree._Element, float] = {}
    page_chrome: list[etree._Element] = []
    _score(page, chrome, scores, page_chrome)
    if not scores:
        return page
    best = max(scores, key=lambda element: scores[element])
    for _ in range(_CLIMB_STEPS):
        parent = best.getparent()
        if parent is None or parent is page or _tag(parent) in ("body", "html"):
            break
        if any(_holds(parent, element) for element in page_chrome if not _holds(best, element)):
            break
        if len(_text(parent)) > _CLIMB_SHARE * len(_text(best)) + _CLIMB_CHARS:
            break
        best = parent
    return best


def _holds(ancestor: etree._Element, element: etree._Element) -> bool:
    return element is ancestor or any(a is ancestor for a in element.iterancestors())


def _score(element: etree._Element, chrome: Chrome, scores: dict[etree._Element, float],
           page_chrome: list[etree._Element], in_article: bool = False) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = _tag(child)
        if not in_article and chrome.kind(child) == "page":  # an article's header is its title
            page_chrome.append(child)
            continue
        if tag in _PARAGRAPH_TAGS:
            weight = len(_text(child)) - sum(len(_text(a)) for a in child.iter("a"))
            _credit(child, max(0, weight), scores)
        elif tag in _CONTAINER_TAGS:
            own = _SPACE.sub(" ", (child.text or "") + "".join(c.tail or "" for c in child)).strip()
            if own:
                scores[child] = scores.get(child, 0.0) + len(own)
                _credit(child, len(own) / 2, scores)
        _score(child, chrome, scores, page_chrome, in_article or tag == "article")


def _credit(element: etree._Element, weight: float, scores: dict[etree._Element, float]) -> None:
    parent = element.getparent()
    if parent is None or weight <= 0:
        return
    scores[parent] = scores.get(parent, 0.0) + weight
    grandparent = parent.getparent()
    if grandparent is not None:
        scores[grandparent] = scores.get(grandparent, 0.0) + weight / 2


class _Renderer:
    """Walks the body into paragraphs and tables, as blocks.assemble takes them."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self._line: list[str] = []
        self._pre = 0

    def render(self, element: etree._Element) -> None:
        self._element(element)
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._line)
        self._line = []
        lines = [line.strip() for line in _INVISIBLE.sub("", text).split("\n")]
        if any(lines):
            self.blocks.append("\n".join(lines).strip("\n"))

    def _add(self, text: str | None) -> None:
        if text:
            self._line.append(text.replace("\u00a0", " ") if self._pre else _SPACE.sub(" ", text))

    def _element(self, element: etree._Element, label: str = "") -> None:
        tag = _tag(element)
        if tag == "br":
            self._line.append("\n")
        elif tag == "table":
            self._flush()
            self.blocks.append(self._table(element))
        elif tag in ("ul", "ol"):
            self._flush()
            self._list(element, ordered=tag == "ol")
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._pre += tag == "pre"
            if label:
                self._line.append(f"{label} ")
            self._children(element)
            self._pre -= tag == "pre"
            self._flush()
        else:
            self._children(element)

    def _children(self, element: etree._Element) -> None:
        self._add(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self._element(child)
            self._add(child.tail)

    def _list(self, element: etree._Element, *, ordered: bool) -> None:
        number = _int(element.get("start"), 1) - 1
        self._add(element.text if element.text and element.text.strip() else None)
        for child in element:
            if _tag(child) == "li":
                number = _int(child.get("value"), number + 1) if ordered else number
                self._element(child, f"{number}." if ordered else "-")
            elif isinstance(child.tag, str):
                self._element(child)
            self._add(child.tail if child.tail and child.tail.strip() else None)
        self._flush()

    def _table(self, table: etree._Element) -> TableBlock:
        rows: list[tuple[CellBlock, ...]] = []
        for row in _rows(table):
            cells = []
            for cell in row:
                if _tag(cell) not in ("td", "th"):
                    continue
                parts: list[Block] = []
                inner = _Renderer(parts)
                inner._children(cell)
                inner._flush()
                text = "\n".join(_flat(part) for part in parts)
                cells.append(CellBlock(text, max(1, _int(cell.get("colspan"), 1)),
                                       max(1, _int(cell.get("rowspan"), 1))))
            rows.append(tuple(cells))
        return TableBlock(tuple(rows))


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, in order, not those of tables nested in its cells."""
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if _tag(c) == "tr")
    return rows


def _flat(block: Block) -> str:
    """A cell's paragraph as its lines, or a table nested in it as its cells' lines."""
    if isinstance(block, TableBlock):
        return "\n".join(cell.text for row in block.rows for cell in row if cell.text)
    return block


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
