"""DOCX runs typed in the legacy TCVN3 and VNI fonts, converted to Unicode in place.

A document of the 1990s–2000s sets its text in .VnTime or VNI-Times, and a later edit may
add Unicode runs in Times New Roman beside them; the font of each run says how to read its
characters. The font is Word's: the run's own w:rFonts, then its character style, then its
paragraph's style (or the default paragraph style), then the document defaults, each
through its w:basedOn chain; w:hAnsi names the font of the characters past ASCII, where
the legacy letters sit, and a theme font is never a legacy one.

Runs are converted before the reader builds its text, so every offset is into Unicode. A
VNI letter split over two runs of one font ("Vie" | "ät", as Word splits runs on every
edit) is decoded across them. Runs in other fonts are converted too when their text as a
whole reads as TCVN3 or VNI (the font was changed, the bytes were not), except text that
holds letters only Unicode has.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from .legacy import (
    converted_warning,
    detect_legacy_encoding,
    font_encoding,
    has_unicode_vietnamese,
    legacy_charsets,
)

_P, _R, _T = qn("w:p"), qn("w:r"), qn("w:t")
_RFONTS = f"{qn('w:rPr')}/{qn('w:rFonts')}"
# Per attribute, the first level that sets it wins; a theme attribute outranks a name.
_FONT_ATTRS = ((qn("w:hAnsiTheme"), qn("w:hAnsi")), (qn("w:asciiTheme"), qn("w:ascii")))
_THEME = "theme"
_MAX_BASED_ON = 16  # a w:basedOn loop ends here


@dataclass(frozen=True, slots=True)
class _Piece:
    text_element: etree._Element
    paragraph: etree._Element | None
    font: str | None
    legacy: tuple[str, bool] | None  # (encoding key, capitals font)


def convert_legacy_runs(body: etree._Element, styles: etree._Element | None) -> tuple[str, ...]:
    """Rewrites the w:t text of legacy-font runs in `body` as Unicode; the warnings to report."""
    fonts = _StyleFonts(styles)
    pieces = [_piece(t, fonts) for t in body.iter(_T)]
    by_font: dict[str, Counter[str]] = {}
    for piece in pieces:
        if piece.legacy is not None and piece.font is not None:
            by_font.setdefault(piece.legacy[0], Counter())[piece.font] += 1
    # Runs whose fonts name no legacy encoding may still hold its bytes.
    plain = [p for p in pieces if p.legacy is None and not has_unicode_vietnamese(p.text_element.text or "")]
    detected = detect_legacy_encoding("\n".join(p.text_element.text or "" for p in plain)) if plain else None
    if detected is not None:
        marked = {id(p) for p in plain}
        pieces = [_Piece(p.text_element, p.paragraph, p.font, (detected, False)) if id(p) in marked else p
                  for p in pieces]
    _decode_groups(pieces)
    warnings = []
    for key, counts in by_font.items():
        names = ", ".join(sorted(counts))
        warnings.append(converted_warning(key, f"runs set in {names}"))
    if detected is not None:
        warnings.append(converted_warning(detected, "detected from the text; its fonts do not name the encoding"))
    return tuple(warnings)


def _piece(t: etree._Element, fonts: _StyleFonts) -> _Piece:
    run = t.getparent()
    paragraph = next(run.iterancestors(_P), None) if run is not None else None
    font = fonts.run_font(run, paragraph) if run is not None and run.tag == _R else None
    legacy = font_encoding(font)
    if legacy is not None and has_unicode_vietnamese(t.text or ""):
        legacy = None  # typed with a Unicode keyboard in an old font: Word drew it in another
    return _Piece(t, paragraph, font, legacy)


def _decode_groups(pieces: list[_Piece]) -> None:
    """Decodes consecutive pieces of one paragraph and one encoding together."""
    group: list[_Piece] = []
    for piece in [*pieces, None]:
        if group and (piece is None or piece.legacy != group[0].legacy or piece.paragraph is not group[0].paragraph):
            _decode(group)
            group = []
        if piece is not None and piece.legacy is not None:
            group.append(piece)


def _decode(group: list[_Piece]) -> None:
    key, capitals = group[0].legacy  # type: ignore[misc]
    texts = legacy_charsets()[key].decode_pieces([p.text_element.text or "" for p in group], capitals=capitals)
    for piece, text in zip(group, texts, strict=True):
        piece.text_element.text = text


class _StyleFonts:
    """The hAnsi (else ascii) font a run is drawn in, after styles and document defaults."""

    def __init__(self, styles: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        self._default_paragraph: str | None = None
        self._defaults: etree._Element | None = None
        self._cache: dict[tuple[str | None, str | None], str | None] = {}
        if styles is None:
            return
        for style in styles.iterfind(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            self._styles[style_id] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default"), "0").lower() in ("1", "true", "on"):
                self._default_paragraph = style_id
        self._defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")

    def run_font(self, run: etree._Element, paragraph: etree._Element | None) -> str | None:
        own = run.find(_RFONTS)
        for theme_attr, name_attr in _FONT_ATTRS:
            font = _font_of(own, theme_attr, name_attr)
            if font is not None:
                return None if font == _THEME else font
        char_style = _val(run, f"{qn('w:rPr')}/{qn('w:rStyle')}")
        para_style = _val(paragraph, f"{qn('w:pPr')}/{qn('w:pStyle')}") if paragraph is not None else None
        key = (char_style, para_style or self._default_paragraph)
        if key not in self._cache:
            self._cache[key] = self._inherited(*key)
        return self._cache[key]

    def _inherited(self, char_style: str | None, para_style: str | None) -> str | None:
        holders = [*self._chain(char_style), *self._chain(para_style), self._defaults]
        for theme_attr, name_attr in _FONT_ATTRS:
            for holder in holders:
                rfonts = holder.find(_RFONTS) if holder is not None else None
                font = _font_of(rfonts, theme_attr, name_attr)
                if font is not None:
                    return None if font == _THEME else font
        return None

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        chain: list[etree._Element] = []
        while style_id in self._styles and len(chain) < _MAX_BASED_ON:
            chain.append(self._styles[style_id])  # type: ignore[index]
            style_id = _val(chain[-1], qn("w:basedOn"))
        return chain


def _font_of(rfonts: etree._Element | None, theme_attr: str, name_attr: str) -> str | None:
    if rfonts is None:
        return None
    if rfonts.get(theme_attr):
        return _THEME
    return rfonts.get(name_attr)


def _val(element: etree._Element, path: str) -> str | None:
    found = element.find(path)
    return found.get(qn("w:val")) if found is not None else None
