"""Tells a web page's chrome (menus, breadcrumbs, share bars, sidebars …) from its content.

The tags and class/id words are data, ingest/vocab/html_chrome.yaml; this module turns
them into one matcher. A class or id value is cut into lowercase words at every
non-letter and at camelCase, so "menuTop", "main-menu" and "box_tin_lien_quan" are all
words; an entry matches its words in a row, glued into one word, or (entries marked
`part`) as the start or end of one word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

_FILE = "html_chrome.yaml"
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    part: bool
    page: bool


@dataclass(frozen=True)
class Chrome:
    never_text: frozenset[str]
    chrome_tags: frozenset[str]
    wrapping_tags: frozenset[str]
    page_tags: frozenset[str]
    entries: tuple[_Entry, ...]

    def kind(self, element: etree._Element) -> str | None:
        """"drop" (chrome by its tag), "chrome" (by its name: drop it unless it wraps the page),
        "page" (the page's own header or footer), or None (content)."""
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in self.chrome_tags:
            return "drop"
        if tag in self.wrapping_tags:
            return "chrome"
        page = tag in self.page_tags
        for value in (element.get("class"), element.get("id"), element.get("role")):
            if not value:
                continue
            found = self.match(value)
            if found == "chrome":
                return "chrome"
            page = page or found == "page"
        return "page" if page else None

    def match(self, value: str) -> str | None:
        """"chrome", "page" or None for one class, id or role value."""
        words = class_words(value)
        if not words:
            return None
        found: str | None = None
        for entry in self.entries:
            if _matches(entry, words):
                if not entry.page:
                    return "chrome"
                found = "page"
        return found


def class_words(value: str) -> tuple[str, ...]:
    """"menuTop main-menu" → ("menu", "top", "main", "menu")."""
    return tuple(word for word in _NON_WORD.split(_CAMEL.sub(" ", value).lower()) if word)


def _matches(entry: _Entry, words: tuple[str, ...]) -> bool:
    size = len(entry.words)
    glued = "".join(entry.words)
    for i, word in enumerate(words):
        if word == glued or words[i:i + size] == entry.words:
            return True
        if entry.part and size == 1 and (word.startswith(glued) or word.endswith(glued)):
            return True
    return False


@lru_cache(maxsize=1)
def load_chrome() -> Chrome:
    from ..vocab import _read, _validate  # the one loader of ingest/vocab

    data = _read(_FILE)
    _validate(_FILE, data)
    return Chrome(
        never_text=frozenset(data["never_text"]["tags"]),
        chrome_tags=frozenset(data["chrome_tags"]["tags"]),
        wrapping_tags=frozenset(data["wrapping_tags"]["tags"]),
        page_tags=frozenset(data["page_tags"]["tags"]),
        entries=tuple(_Entry(tuple(e["words"].split()), bool(e.get("part")), bool(e.get("page")))
                      for e in data["class_words"]),
    )
