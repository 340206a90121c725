"""Văn bản: the searchable list; one document's text with its facts marked, citations, lineage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import streamlit as st

from explorer import data
from explorer.documents import (
    FACT_KINDS,
    FACT_STYLE,
    ORIGINS,
    filter_documents,
    highlight_html,
    legend_html,
    page_of_task,
    record_facts,
    scanned_pages,
)
from explorer.findings import finding_text
from explorer.labels import options, t, term
from explorer.ui import lang, open_document, require_snapshot, show_table, source_picker
from explorer.view import document_label, people_rows, shorten, show_date
from graph.model import CITES, LEAD, SERVES, SUPPORT
from queries import QueryError

L = lang()
snap = require_snapshot()
state = st.session_state
store = snap.store

# A document named by a link (?doc=…&task=…) opens once; the chooser takes over after.
asked = st.query_params.get("doc")
if asked and store.node(asked) and asked != state.get("docs_query_seen"):
    state["docs_query_seen"] = asked
    state["selected_doc"], state["selected_task"] = asked, st.query_params.get("task")

st.title(t("documents.heading", L))
rows = data.table(snap, "document_rows", with_stubs=True)
text = st.text_input(t("documents.search", L), key="docs_search")
origins = st.segmented_control(
    t("documents.origin", L),
    ORIGINS,
    default=["ingested"],
    selection_mode="multi",
    key="docs_origin",
    format_func=lambda o: t(f"documents.origin_{o}", L),
)
columns = st.columns(4)
kinds = columns[0].multiselect(
    t("documents.kind", L),
    sorted({r["kind"] for r in rows if r["kind"]}),
    key="docs_kind",
    placeholder=t("app.choose_options", L),
    format_func=lambda k: term("kinds", k, L),
)
issuers = columns[1].multiselect(
    t("documents.issuer", L),
    sorted({r["issuer"] for r in rows if r["issuer"]}),
    key="docs_issuer",
    placeholder=t("app.choose_options", L),
)
levels = columns[2].multiselect(
    t("documents.level", L),
    [lv for lv in options("levels", L) if lv != "unknown"],
    key="docs_level",
    placeholder=t("app.choose_options", L),
    format_func=lambda k: term("levels", k, L),
)
years = columns[3].multiselect(
    t("documents.year", L),
    sorted({r["year"] for r in rows if r["year"]}, reverse=True),
    key="docs_year",
    placeholder=t("app.choose_options", L),
)
# No origin chosen reads as "every origin", like an empty multiselect.
found = filter_documents(
    rows, text=text, kinds=kinds, issuers=issuers, levels=levels, years=years, origins=origins or ()
)
by_origin = Counter(r["origin"] for r in rows)
st.caption(
    t(
        "documents.count",
        L,
        n=len(found),
        ingested=by_origin["ingested"],
        central=by_origin["central"],
        cited=by_origin["cited"],
    )
)
LIST_COLUMNS = ("ref", "kind", "issuer", "level", "date", "tasks", "subject", "file")
listed = [
    {
        **r,
        "ref": document_label(store.node(r["doc_key"]), L),
        "file": (r["source_path"] or "").rsplit("/", 1)[-1] if r["origin"] == "ingested" else "",
    }
    for r in found
]
show_table(
    people_rows(listed, LIST_COLUMNS, L),
    key="docs_list",
    height=320,
    targets=[(r["doc_key"], None) for r in listed],
    column_config={
        t("columns.ref", L): st.column_config.TextColumn(width=300),
        t("columns.subject", L): st.column_config.TextColumn(width="large"),
        t("columns.file", L): st.column_config.TextColumn(width="small"),
    },
)


def option_name(node: Mapping[str, Any]) -> str:
    """A document in the chooser: its human label, then its subject (the label may already
    carry the issuer)."""
    name = document_label(node, L)
    subject = shorten(node.get("subject"), 90)
    issuer = node.get("issuer") if node.get("ref") else None
    return " · ".join(x for x in (name, subject, issuer) if x)


names = {r["doc_key"]: option_name(store.node(r["doc_key"])) for r in found}
if state.get("selected_doc") and state["selected_doc"] not in names and store.node(state["selected_doc"]):
    names = {state["selected_doc"]: option_name(store.node(state["selected_doc"])), **names}
if state.get("selected_doc") in names and state.get("docs_doc") != state["selected_doc"]:
    state["docs_doc"] = state["selected_doc"]


def chosen_document() -> None:
    state["selected_doc"], state["selected_task"] = state["docs_doc"], None


chosen = st.selectbox(
    t("documents.choose", L),
    list(names),
    index=None,
    key="docs_doc",
    format_func=names.get,
    placeholder=t("documents.none_chosen", L),
    on_change=chosen_document,
)

if text.strip():
    hits = [h for h in data.question(snap, "search", text=text, kinds=("organization", "task"), limit=50)]
    task_hits = [{**h, "task_key": h["key"], "task": h["label"]} for h in hits if h["kind"] == "task"]
    if task_hits:
        with st.expander(t("documents.search_results", L), expanded=not chosen):
            show_table(
                people_rows(task_hits, ("task", "ref"), L),
                key="docs_hits",
                targets=[(h["doc_key"], h["key"]) for h in task_hits],
            )
            source_picker(task_hits, "docs_hits", lambda h: f"{h['ref'] or '—'} · {h['label'][:100]}")

if not chosen:
    st.info(t("documents.none_chosen", L))
    st.stop()

doc = store.node(chosen)
record = snap.records.get(doc.get("source_path") or "")
st.header(document_label(doc, L))
facts_line = [
    term("kinds", doc.get("kind"), L),
    doc.get("issuer"),
    show_date(doc.get("date")),
    term("levels", doc.get("level"), L),
]
if doc.get("is_stub"):
    facts_line.append(t("documents.stub", L))
if doc.get("is_central"):
    facts_line.append(t("documents.central", L))
st.caption(" · ".join(x for x in facts_line if x))
if doc.get("subject"):
    st.markdown(f"**{t('columns.subject', L)}:** {doc['subject']}")
if doc.get("source_path"):
    st.caption(f"{t('columns.file', L)}: `{doc['source_path']}`")

focus = state.get("selected_task")
if focus and store.node(focus):
    task = store.node(focus)
    st.info(t("documents.focus_task", L, task=f"{task['task_id']}. {task['text'][:300]}"))

text_tab, tasks_tab, cites_tab, lineage_tab = st.tabs(
    [
        t("documents.text", L),
        t("documents.tasks", L),
        t("documents.citations_tab", L),
        t("documents.lineage", L),
    ]
)

with text_tab:
    if record is None or not record.get("text"):
        st.info(t("documents.no_text", L))
    else:
        st.caption(t("documents.text_note", L))
        labels = {kind: t(f"facts.{kind}", L) for kind in FACT_KINDS}
        focus_id = store.node(focus)["task_id"] if focus and store.node(focus) else None
        body = highlight_html(record["text"], record_facts(record), labels, focus=focus_id)
        st.html(FACT_STYLE + legend_html(labels) + f'<div class="chidao-text">{body}</div>')
        scans = scanned_pages(record)
        if scans:
            with st.expander(t("documents.scan", L), expanded=False):
                wanted = page_of_task(record, focus_id) if focus_id else None
                page = st.selectbox(t("documents.scan_page", L), scans, key="docs_scan_page",
                                    index=scans.index(wanted) if wanted in scans else 0)
                info = next(p for p in record["pages"] if p["number"] == page)
                confidence = info.get("ocr_confidence")
                st.caption(t("documents.scan_note", L, page=page,
                             confidence="?" if confidence is None else f"{confidence:.0f}"))
                try:
                    st.image(data.page_png(record["source"]["path"], record["source"].get("sha256", ""), page))
                except (OSError, ValueError) as exc:
                    st.warning(t("documents.scan_missing", L, error=exc))

with tasks_tab:
    task_rows = []
    for key in store.tasks_of.get(chosen, []):
        node = store.node(key)
        task_rows.append(
            {
                "task_id": node["task_id"],
                "task": node["text"],
                "doc_key": chosen,
                "task_key": key,
                "leads": sorted(store.node(o)["name"] for o, _ in store.out(key, LEAD)),
                "supports": sorted(store.node(o)["name"] for o, _ in store.out(key, SUPPORT)),
                "due": node.get("deadline") or node.get("period_end"),
                "deadline_text": node.get("deadline_text"),
                "goals": sorted(g for g, _ in store.out(key, SERVES)),
            }
        )
    show_table(
        people_rows(
            task_rows, ("task_id", "task", "leads", "supports", "due", "deadline_text", "goals"), L, link=None
        ),
        key="docs_tasks",
    )

with cites_tab:
    picks: list[dict] = []
    for heading, key, pairs in (("documents.cites", "docs_up", store.out(chosen, CITES)),
                                ("documents.cited_by", "docs_down", store.cited_by.get(chosen, []))):
        linked = [
            {
                "doc_key": k,
                "ref": document_label(store.node(k), L),
                "relation": e.get("relation"),
                "level": store.node(k).get("level"),
                "date": store.node(k).get("date"),
            }
            for k, e in pairs
        ]
        st.markdown(f"**{t(heading, L)}**")
        show_table(
            people_rows(linked, ("ref", "relation", "level", "date"), L),
            key=key,
            targets=[(r["doc_key"], None) for r in linked],
        )
        picks += linked
    targets = {f"{r['ref']} ({term('relations', r['relation'], L)})": r["doc_key"] for r in picks}
    if targets:
        pick = st.selectbox(t("app.open_source", L), list(targets), index=None, key="docs_cite_pick")
        if st.button(t("app.open", L), key="docs_cite_open", disabled=pick is None) and pick:
            open_document(targets[pick])

with lineage_tab:
    try:
        steps = data.question(snap, "lineage", target=chosen)
    except QueryError:
        steps = []
    for number in sorted({s["path"] for s in steps}):
        path = [s for s in steps if s["path"] == number]
        st.markdown(
            f"**{t('documents.path', L, n=number + 1)}:** "
            + " → ".join(
                f"{s['key']} · {shorten(s['label'], 60)}"
                if s["kind"] == "goal"
                else (document_label(store.node(s["key"]), L, width=60) if store.node(s["key"]) else shorten(s["label"], 60))
                for s in path
            )
        )
    if not steps:
        st.caption(t("app.nothing", L))
    above = {
        s["key"]: {"doc_key": s["key"], "label": s["label"] or s["key"]}
        for s in steps
        if s["kind"] == "document" and s["key"] != chosen
    }
    source_picker(list(above.values()), "docs_lineage", lambda s: document_label(store.node(s["doc_key"]), L))
    findings = snap.store.findings_of.get(chosen, [])
    if findings:
        st.markdown(f"**{t('quality.heading', L)}**")
        described = [{**f, "message": finding_text(f, store.node, L)} for f in findings]
        show_table(people_rows(described, ("code", "message"), L, link=None), key="docs_findings")
