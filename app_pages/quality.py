"""Chất lượng dữ liệu: the build's findings, each with a link to where it arises."""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.labels import t, term
from explorer.ui import lang, require_snapshot, show_table, source_picker
from explorer.view import people_rows

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
    {**f, "doc_ref": f["ref"] or (f["source_path"] or "").rsplit("/", 1)[-1] or f["doc_key"]} for f in shown
]
show_table(
    people_rows(rows, ("code", "doc_ref", "value", "message", "source_path"), L),
    key="quality_findings",
    targets=[(r["doc_key"], r["task_key"]) for r in rows],
)
source_picker(
    rows,
    "quality_findings",
    lambda r: f"{term('findings', r['code'], L)} · {r['doc_ref']} · {(r['value'] or '')[:60]}",
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
