"""The document list, its filters, and a document's text with every fact marked at its span.

Pure functions: the rows come from the embedded store's Document nodes and the library's
records (for the text and the spans, docs/contract/parsed-document.md); the HTML is built
from escaped text only, so a document cannot inject markup into the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from graph.model import LEAD, SUPPORT
from graph.store_embedded import EmbeddedStore
from ingest.fold import fold_key

DOCUMENT_KEYS = (
    "doc_key",
    "ref",
    "kind",
    "issuer",
    "level",
    "year",
    "date",
    "subject",
    "tasks",
    "source_path",
    "is_stub",
    "is_central",
    "origin",
)
# Where a document comes from: a file ingested, the central catalog, or only a citation to it.
ORIGINS = ("ingested", "central", "cited")
# Header facts drawn in the text, in the record's document.spans.
HEADER_FACTS = (
    "kind",
    "ref",
    "issuer",
    "date",
    "place",
    "subject",
    "signer",
    "signing_capacity",
    "recipients",
)
# Every kind of fact record_facts marks in a text (its label: facts.<kind> in labels.yaml).
FACT_KINDS = (*HEADER_FACTS, "citation", "task", "lead", "support", "deadline")


def origin_of(doc: Mapping[str, Any]) -> str:
    """"ingested" (read from a file), "central" (a catalog document not ingested), or "cited"
    (known only because a document cites it)."""
    if doc.get("sha256"):  # a file's digest: catalog documents carry the catalog's path, not a file's
        return "ingested"
    return "central" if doc.get("is_central") else "cited"


def document_rows(store: EmbeddedStore, *, with_stubs: bool = False) -> list[dict[str, Any]]:
    """One row per document (DOCUMENT_KEYS plus `search`, the folded text a query is matched
    against: ref, subject, issuer, its tasks' text and their units' names), newest first.
    `origin` tells ingested files from catalog and cited-only documents (ORIGINS)."""
    rows = []
    for key in store.by_label["Document"]:
        doc = store.node(key)
        if doc.get("is_stub") and not with_stubs:
            continue
        tasks = store.tasks_of.get(key, [])
        words = [
            doc.get("ref"),
            doc.get("subject"),
            doc.get("title"),
            doc.get("issuer"),
            (doc.get("source_path") or "").rsplit("/", 1)[-1],
        ]
        for task in tasks:
            words.append(store.node(task).get("text"))
            words += [store.node(org)["name"] for rel in (LEAD, SUPPORT) for org, _ in store.out(task, rel)]
        rows.append(
            {
                "doc_key": key,
                "ref": doc.get("ref"),
                "kind": doc.get("kind"),
                "issuer": doc.get("issuer"),
                "level": doc.get("level"),
                "year": doc.get("year"),
                "date": doc.get("date"),
                "subject": doc.get("subject") or doc.get("title"),
                "tasks": len(tasks),
                "source_path": doc.get("source_path"),
                "is_stub": bool(doc.get("is_stub")),
                "is_central": bool(doc.get("is_central")),
                "origin": origin_of(doc),
                "search": " ".join(fold_key(w).replace("\n", " ") for w in words if w),
            }
        )
    return sorted(rows, key=lambda r: (r["date"] or "", r["ref"] or "", r["doc_key"]), reverse=True)


def filter_documents(
    rows: Iterable[Mapping[str, Any]],
    *,
    text: str = "",
    kinds: Sequence[str] = (),
    issuers: Sequence[str] = (),
    levels: Sequence[str] = (),
    years: Sequence[int] = (),
    origins: Sequence[str] = (),
) -> list[Mapping[str, Any]]:
    """The rows that pass every filter given; `text` matches folded (no diacritics, no case),
    every word of it, in any order."""
    words = fold_key(text).split()
    out = []
    for row in rows:
        if origins and row["origin"] not in origins:
            continue
        if kinds and row["kind"] not in kinds:
            continue
        if issuers and row["issuer"] not in issuers:
            continue
        if levels and row["level"] not in levels:
            continue
        if years and row["year"] not in years:
            continue
        if words and not all(word in row["search"] for word in words):
            continue
        out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted fact at its span [start, end) of the record's text."""

    start: int
    end: int
    kind: str  # a `facts.` label key: ref, issuer, citation, task, lead, support, deadline…
    detail: str  # what was extracted, for the tooltip
    anchor: str | None = None  # an id to scroll to (tasks)


def record_facts(record: Mapping[str, Any]) -> list[Fact]:
    """Every fact a record holds a span for: header fields, citations (each mention), tasks,
    their lead and support mentions and their deadlines."""
    facts: list[Fact] = []
    document = record.get("document") or {}
    spans = document.get("spans") or {}
    for field in HEADER_FACTS:
        span = spans.get(field)
        if not span:
            continue
        values = document.get(field)
        many = span if isinstance(span[0], list) else [span]
        for i, (start, end) in enumerate(many):
            value = values[i] if isinstance(values, list) and i < len(values) else values
            facts.append(Fact(start, end, field, str(value or "")))
    for citation in record.get("citations") or []:
        detail = " · ".join(
            str(x) for x in (citation.get("ref") or citation.get("title"), citation.get("relation")) if x
        )
        for start, end in citation.get("mentions") or ([citation["span"]] if citation.get("span") else []):
            facts.append(Fact(start, end, "citation", detail))
    for task in record.get("tasks") or []:
        if task.get("span"):
            start, end = task["span"]
            facts.append(Fact(start, end, "task", f"{task.get('id')}", anchor=task_anchor(task.get("id"))))
        for role in ("lead", "support"):
            for mention in (task.get("mentions") or {}).get(role) or []:
                if mention.get("span"):
                    facts.append(
                        Fact(*mention["span"], role, mention.get("canonical") or mention.get("name") or "")
                    )
        if task.get("deadline_span"):
            facts.append(Fact(*task["deadline_span"], "deadline", str(task.get("deadline") or "")))
    return [f for f in facts if 0 <= f.start < f.end]


def task_anchor(task_id: Any) -> str:
    return "task-" + "".join(c if c.isalnum() else "-" for c in str(task_id))


def highlight_html(
    text: str, facts: Sequence[Fact], labels: Mapping[str, str], *, focus: str | None = None
) -> str:
    """The text as HTML, each fact a <mark class="f-KIND"> with its label and value as the
    title. Facts nest (a lead's name inside its task): each stretch of text takes the
    innermost fact's colour and lists every fact covering it. `focus`: a task id whose
    span is outlined."""
    bounds = sorted(
        {0, len(text), *(min(f.start, len(text)) for f in facts), *(min(f.end, len(text)) for f in facts)}
    )
    opened: set[str] = set()
    parts = []
    for lo, hi in pairwise(bounds):
        piece = html.escape(text[lo:hi])
        covering = [f for f in facts if f.start <= lo and hi <= f.end]
        if not covering:
            parts.append(piece)
            continue
        inner = min(covering, key=lambda f: (f.end - f.start, f.kind))
        title = html.escape(
            "; ".join(
                f"{labels.get(f.kind, f.kind)}: {f.detail}" if f.detail else labels.get(f.kind, f.kind)
                for f in sorted(covering, key=lambda f: f.start)
            ),
            quote=True,
        )
        anchors = ""
        for fact in covering:
            if fact.anchor and fact.start == lo and fact.anchor not in opened:
                opened.add(fact.anchor)
                anchors += f'<span id="{html.escape(fact.anchor, quote=True)}"></span>'
        focused = any(
            f.kind == "task" and focus is not None and f.anchor == task_anchor(focus) for f in covering
        )
        css = f"f-{inner.kind}" + (" f-focus" if focused else "")
        parts.append(f'{anchors}<mark class="{css}" title="{title}">{piece}</mark>')
    return "".join(parts)


# Colours per fact kind; tasks are a pale wash so the names and dates inside them stand out.
FACT_STYLE = """
<style>
.chidao-text {white-space: pre-wrap; font-family: "DejaVu Sans", sans-serif; line-height: 1.6;
  border: 1px solid #ddd; padding: 1rem; max-height: 70vh; overflow-y: auto; background: #fff; color: #222}
.chidao-text mark {padding: 0 1px; border-radius: 2px; color: inherit}
.f-task {background: #eef5ff}
.f-focus {box-shadow: inset 0 -3px 0 #1f6feb}
.f-lead {background: #ffd7a8; font-weight: 600}
.f-support {background: #ffeccc}
.f-deadline {background: #ffb3b3; font-weight: 600}
.f-citation {background: #c9f0d0}
.f-ref, .f-kind {background: #d8d0ff}
.f-issuer, .f-place, .f-date {background: #e6e0ff}
.f-subject {background: #f3f0ff}
.f-signer, .f-signing_capacity, .f-recipients {background: #e0f2f1}
.chidao-legend mark {margin-right: .5rem; padding: 0 .3rem}
</style>
"""


def legend_html(labels: Mapping[str, str]) -> str:
    kinds = ("task", "lead", "support", "deadline", "citation", "ref", "issuer", "subject", "signer")
    return (
        '<div class="chidao-legend">'
        + "".join(f'<mark class="f-{k}">{html.escape(labels.get(k, k))}</mark>' for k in kinds)
        + "</div>"
    )


def scanned_pages(record: Mapping[str, Any]) -> list[int]:
    """The page numbers of a record whose text came from OCR: those the page image explains."""
    return [p["number"] for p in record.get("pages") or () if p.get("source") == "ocr"]


def page_of_task(record: Mapping[str, Any], task_id: Any) -> int | None:
    """The page the task with this id starts on, as the record says."""
    for task in record.get("tasks") or ():
        if task.get("id") == task_id:
            return task.get("page")
    return None
