"""Chất lượng dữ liệu: the build's findings, each with a link to where it arises."""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.findings import finding_text
from explorer.labels import t, term
from explorer.ui import lang, require_snapshot, show_table, source_picker
from explorer.view import document_label, people_rows, shorten

L = lang()
snap = require_snapshot()

st.title(t("quality.heading", L))
findings = data.question(snap, "findings")
codes = sorted({f["code"] for f in findings})
code = st.selectbox(
    t("quality.code", L),
    codes,
    index=None,
    key="quality_code",
    format_func=lambda c: term("findings", c, L),
    placeholder=t("quality.code", L),
)
shown = [f for f in findings if code is None or f["code"] == code]
st.caption(t("quality.count", L, n=len(shown)))
rows = [
    {
        **f,
        "doc_ref": document_label(snap.store.node(f["doc_key"]), L),
        "message": finding_text(f, snap.store.node, L),
        "file": (f["source_path"] or "").rsplit("/", 1)[-1],
    }
    for f in shown
]
show_table(
    people_rows(rows, ("code", "doc_ref", "message", "file"), L),
    key="quality_findings",
    targets=[(r["doc_key"], r["task_key"]) for r in rows],
    column_config={
        t("columns.code", L): st.column_config.TextColumn(width=190),
        t("columns.doc_ref", L): st.column_config.TextColumn(width=200),
        t("columns.message", L): st.column_config.TextColumn(width=520),
        t("columns.file", L): st.column_config.TextColumn(width=140),
    },
)
source_picker(
    rows,
    "quality_findings",
    lambda r: f"{term('findings', r['code'], L)} · {r['doc_ref']} · {shorten(r['message'], 80)}",
)

if snap.failures:
    st.subheader(t("quality.failures", L))
    show_table(
        people_rows(snap.failures, ("path", "reason"), L, headers={"path": "columns.file"}, link=None),
        key="quality_failures",
    )
if snap.corrections:
    st.subheader(t("quality.corrections", L))
    show_table(
        [
            {
                t("columns.when", L): c.created_at,
                t("columns.field", L): c.describe(),
                t("columns.message", L): c.note or "",
            }
            for c in snap.corrections
        ],
        key="quality_corrections",
    )
