"""Thời hạn: what is due soon and what is overdue as of the chosen day, on a timeline."""

from __future__ import annotations

import altair as alt
import streamlit as st

from explorer import data
from explorer.attention import busiest_units, timeline
from explorer.labels import t, term
from explorer.ui import lang, require_snapshot, row_downloads, show_table, source_picker
from explorer.view import document_label, people_rows, shorten, show_date

L = lang()
snap = require_snapshot()
as_of = st.session_state["as_of"]

st.title(t("deadlines.heading", L))
left, right = st.columns(2)
within = left.number_input(
    t("app.within", L), min_value=0, max_value=730, value=30, step=7, key="deadlines_within"
)
show = right.radio(
    t("deadlines.show", L),
    ("both", "due", "overdue"),
    key="deadlines_show",
    horizontal=True,
    format_func=lambda k: t(f"deadlines.show_{k}", L),
)
rows = []
if show in ("both", "overdue"):
    rows += data.question(snap, "due", as_of=as_of.isoformat(), overdue=True)
if show in ("both", "due"):
    rows += data.question(snap, "due", as_of=as_of.isoformat(), within=int(within))

st.subheader(t("deadlines.timeline", L))
points = timeline(rows)
TIMELINE_UNITS = 25  # rows of the chart: the units with most overdue, then due, tasks; all are listed below
if points:
    units, left_out = busiest_units(points, TIMELINE_UNITS)
    chosen_units = set(units)
    shown = [
        {
            **p,
            "status": term("statuses", p["status"], L),
            "document": document_label(snap.store.node(p["doc_key"]), L, width=60),
        }
        for p in points
        if p["unit"] in chosen_units
    ]
    dots = (
        alt.Chart(alt.Data(values=shown))
        .mark_circle(size=90)
        .encode(
            x=alt.X("due:T", title=t("columns.due", L), axis=alt.Axis(format="%d/%m/%Y")),
            y=alt.Y("unit:N", sort=units, title=None, axis=alt.Axis(labelLimit=380)),
            color=alt.Color(
                "status:N",
                title=t("columns.status", L),
                scale=alt.Scale(
                    domain=[term("statuses", "overdue", L), term("statuses", "due", L)],
                    range=["#d62728", "#ff9f1c"],
                ),
            ),
            tooltip=[
                alt.Tooltip("due:T", title=t("columns.due", L), format="%d/%m/%Y"),
                alt.Tooltip("unit:N", title=t("columns.unit", L)),
                alt.Tooltip("document:N", title=t("columns.document", L)),
                alt.Tooltip("task:N", title=t("columns.task", L)),
            ],
        )
    )
    today = (
        alt.Chart(alt.Data(values=[{"day": as_of.isoformat()}])).mark_rule(color="#1f6feb").encode(x="day:T")
    )
    if left_out:
        st.caption(t("deadlines.more_units", L, shown=len(units), n=left_out))
    st.altair_chart((dots + today).properties(height=max(220, 22 * len(units))), width="stretch")
else:
    st.caption(t("app.nothing", L))

st.subheader(t("deadlines.table", L))
COLUMNS = ("due", "days", "status", "leads", "text", "doc_ref", "deadline_text")
labelled = [{**r, "doc_ref": document_label(snap.store.node(r["doc_key"]), L)} for r in rows]
show_table(
    people_rows(labelled, COLUMNS, L, headers={"text": "columns.task"}),
    key="deadlines_table",
    targets=[(r["doc_key"], r["task_key"]) for r in rows],
)
source_picker(
    labelled,
    "deadlines_table",
    lambda r: f"{show_date(r['due'])} · {r['doc_ref']} · {shorten(r['text'], 80)}",
)
row_downloads(
    rows,
    {k: t("columns.task" if k == "text" else f"columns.{k}", L) for k in COLUMNS},
    key="deadlines_dl",
    name="thoi-han",
)
