"""Rows for people: Vietnamese (or English) column names, vocabulary values as words, dates
as Vietnamese documents print them, and a link that opens each row's source document.

Pure: the pages hand these rows to st.dataframe. No raw keys reach a column a person reads;
the document key travels in the link only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from .labels import t, term

# The URL paths of the pages (app.py registers them; links between pages use them).
PAGE_PATHS = {
    "overview": "tong-quan",
    "goals": "muc-tieu",
    "documents": "van-ban",
    "units": "don-vi",
    "deadlines": "thoi-han",
    "quality": "chat-luong",
    "ingest": "nhap-van-ban",
}
# Row keys whose values are a vocabulary's, and which vocabulary.
TERMS = {
    "role": "roles",
    "method": "methods",
    "status": "statuses",
    "level": "levels",
    "doc_level": "levels",
    "kind": "kinds",
    "goal_kind": "goal_kinds",
    "relation": "relations",
    "code": "findings",
}
LINK = "source"


def show_date(value: Any) -> str:
    """2026-01-23 → 23/01/2026; 2026-01 → 01/2026; a year or None as it is."""
    if not value:
        return ""
    text = str(value)
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{parts[1]}/{parts[0]}"
    return text


def shorten(text: str | None, width: int = 80) -> str:
    """`text` on one line, cut at a word boundary with "…" when longer than `width`."""
    flat = " ".join((text or "").split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut and not flat[width - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:·-–") + "…"


def document_label(doc: Mapping[str, Any] | None, lang: str, *, width: int = 90) -> str:
    """How a person names a document: its number (ref); without one, its kind, issuer and
    date ("Công văn Văn phòng UBND tỉnh Lai Châu, 23/12/2024 (chưa có số)"); a cited-only
    document without a number by its title. Never a file name: that is a column of its own."""
    doc = doc or {}
    if doc.get("ref"):
        return str(doc["ref"])
    kind = term("kinds", doc.get("kind"), lang) if doc.get("kind") not in (None, "", "other") else ""
    who = " ".join(x for x in (kind, doc.get("issuer") or "") if x)
    if who:
        day = show_date(doc.get("date")) or (str(doc["year"]) if doc.get("year") else "")
        named = f"{who}, {day}" if day else who
        return f"{shorten(named, width)} ({t('app.no_number', lang)})"
    title = doc.get("title") or doc.get("subject")
    if title:
        return shorten(title, width)
    return t("app.unnamed_document", lang)


def document_link(doc_key: str | None, task_key: str | None = None) -> str | None:
    """A relative link to the Documents page showing that document (and task)."""
    if not doc_key:
        return None
    query = {"doc": doc_key, **({"task": task_key} if task_key else {})}
    return f"{PAGE_PATHS['documents']}?{urlencode(query)}"


def goal_link(goal: str) -> str:
    return f"{PAGE_PATHS['goals']}?{urlencode({'goal': goal})}"


def shown(value: Any, key: str, lang: str) -> Any:
    if key in TERMS:
        if isinstance(value, (list, tuple)):
            return "; ".join(term(TERMS[key], v, lang) for v in value)
        return term(TERMS[key], value if value is not None or key != "role" else "none", lang)
    if key in ("due", "date", "doc_date", "next_due", "when"):
        return show_date(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None)
    return "" if value is None else value


def people_rows(
    rows: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    lang: str,
    *,
    headers: Mapping[str, str] | None = None,
    link: str | None = "doc",
) -> list[dict[str, Any]]:
    """Each row's `keys`, under their column names, values for people. `link`: "doc" adds a
    link column to the row's document (and task); "goal" to the row's goal; None, none.

    `headers` overrides a column name (row key → label key)."""
    names = {k: t((headers or {}).get(k, f"columns.{k}"), lang) for k in keys}
    out = []
    for row in rows:
        item = {names[k]: shown(row.get(k), k, lang) for k in keys}
        if link == "doc":
            item[t("columns.source", lang)] = document_link(row.get("doc_key"), row.get("task_key"))
        elif link == "goal":
            item[t("columns.source", lang)] = goal_link(row["goal"])
        out.append(item)
    return out
