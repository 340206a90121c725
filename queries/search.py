"""Diacritic-insensitive search over organisations, documents and tasks.

    run(store, text="trung tam tin hoc")   # finds "Trung tâm Tin học và Công báo …"
    run(store, text="uy ban")              # finds "Ủy ban …" and "Uỷ ban …" alike

Every word of the text must occur, folded (no diacritics, no case), in the node's
searchable text (organisation: name and aliases; document: ref, subject, title, issuer;
task: text), and the folded text must occur as one phrase. A match whose printed text
holds the query exactly as typed (case aside, diacritics included) ranks first.
Matches are taken in the order organisations, documents, tasks (each by key), at most `scan`
of them, and no more once `limit` are in hand and either `limit` of them are exact or the
query was typed without diacritics (then "exact" is rare by nature).

Result keys:
    kind        "organization" | "document" | "task"
    key
    label       organisation: name; document: ref, else title, else subject; task: id and text
    match       "exact" | "folded"
    doc_key     the task's document (tasks), else None
    ref         the document's ref (documents and tasks), else None

Sorted by match (exact first), kind (in the order above), label length, label, key.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import islice
from typing import Any

from graph.matching import quick_fold
from graph.model import DOCUMENT, ORGANIZATION, TASK
from graph.store_embedded import EmbeddedStore, searchable_text

KEYS = ("kind", "key", "label", "match", "doc_key", "ref")
_KIND = {ORGANIZATION: "organization", DOCUMENT: "document", TASK: "task"}
_KIND_RANK = {"organization": 0, "document": 1, "task": 2}
_WORD = re.compile(r"[a-z0-9]+")


def _printed(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def run(store: EmbeddedStore, text: str, *, kinds: tuple[str, ...] | None = None, limit: int = 50,
        scan: int = 20_000) -> list[dict[str, Any]]:
    words = _WORD.findall(quick_fold(text))
    if not words:
        return []
    lists = [store.postings.get(w) for w in set(words)]
    if any(p is None for p in lists):
        return []
    rarest = min(lists, key=len)
    phrase, exact = f" {' '.join(words)} ", _printed(text)
    texts = store.search_text
    # the phrase, as whole words, holds every word: the rarest word's nodes are read in order
    # and each checked in place, so a common word costs no intersection of long lists
    hits = (n for n in rarest if phrase in texts[n])
    ascii_query = exact.isascii()  # typed without diacritics: "exact" can only be text typed so too
    rows = []
    exact_found = 0
    for number in islice(hits, scan):
        key = store.search_keys[number]
        props = store.node(key)
        kind = _KIND[props["label"]]
        if kinds and kind not in kinds:
            continue
        is_exact = exact in _printed(searchable_text(props))
        exact_found += is_exact
        rows.append(_result(store, key, props, kind, "exact" if is_exact else "folded"))
        if len(rows) >= limit and (exact_found >= limit or ascii_query):
            break
    rows.sort(key=lambda r: (r["match"] != "exact", _KIND_RANK[r["kind"]], len(r["label"]), r["label"], r["key"]))
    return rows[:limit]


def _result(store: EmbeddedStore, key: str, props: dict[str, Any], kind: str, match: str) -> dict[str, Any]:
    if kind == "organization":
        return {"kind": kind, "key": key, "label": props["name"], "match": match, "doc_key": None, "ref": None}
    if kind == "document":
        label = props.get("ref") or props.get("title") or (props.get("subject") or "")[:120] or key
        return {"kind": kind, "key": key, "label": label, "match": match, "doc_key": None, "ref": props.get("ref")}
    doc = store.node(props["doc_key"]) or {}
    return {"kind": kind, "key": key, "label": f"{props['task_id']}. {props['text'][:160]}", "match": match,
            "doc_key": props["doc_key"], "ref": doc.get("ref")}
