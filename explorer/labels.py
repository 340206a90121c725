"""The explorer's words: explorer/labels.yaml, read once, looked up by dotted key and language.

Vietnamese is the default; English is the switch. A key missing in one language falls back
to the other, and a key missing in both shows itself, so a typo is visible on the page
rather than an exception (tests/test_explorer_labels.py checks that every leaf has both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LABELS_PATH = Path(__file__).with_name("labels.yaml")


@cache
def table() -> Mapping[str, Mapping[str, str]]:
    """Dotted key → {language: text}, from labels.yaml (read-only: every session shares it)."""
    data = yaml.safe_load(LABELS_PATH.read_text(encoding="utf-8"))
    flat: dict[str, Mapping[str, str]] = {}
    _flatten(data, "", flat)
    return MappingProxyType(flat)


def _flatten(node: Any, prefix: str, out: dict[str, Mapping[str, str]]) -> None:
    if isinstance(node, dict) and node and set(node) <= set(LANGUAGES):
        out[prefix] = MappingProxyType({k: str(v) for k, v in node.items()})
        return
    if not isinstance(node, dict):
        raise TypeError(f"{LABELS_PATH}: {prefix or '(top)'} is neither a group nor a {{vi, en}} leaf")
    for key, child in node.items():
        _flatten(child, f"{prefix}.{key}" if prefix else str(key), out)


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text of `key` in `lang`, with {placeholders} filled from `values`."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or next(iter(entry.values()))
    return text.format(**values) if values else text


def term(group: str, value: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """A vocabulary value for people: term("levels", "province") → "Tỉnh"; unknown values as given."""
    if value is None or value == "":
        return ""
    key = f"{group}.{value}"
    return t(key, lang) if key in table() else str(value)


def columns(keys: Iterable[str], lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Row key → column header, for the keys given (labels under `columns.`)."""
    return {key: t(f"columns.{key}", lang) for key in keys}


def options(group: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every value of a vocabulary group → its text, in the file's order."""
    prefix = f"{group}."
    return {key[len(prefix) :]: t(key, lang) for key in table() if key.startswith(prefix)}
