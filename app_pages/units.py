"""Đơn vị: what one unit must do, by deadline; units compared by their load."""

from __future__ import annotations

import altair as alt
import streamlit as st

from explorer import data
from explorer.attention import task_status, unit_load
from explorer.labels import t, term
from explorer.ui import lang, require_snapshot, row_downloads, show_table, source_picker
from explorer.view import document_label, people_rows, shorten

L = lang()
snap = require_snapshot()
state = st.session_state
as_of = state["as_of"]

st.title(t("units.heading", L))
within = st.number_input(t("app.within", L), min_value=0, max_value=365, value=30, step=7, key="units_within")
units = data.table(snap, "unit_attention", as_of=as_of, within=int(within))
names = {u["unit_key"]: f"{u['unit']} ({u['tasks']})" for u in units}
if state.get("selected_unit") in names and state.get("units_unit") != state["selected_unit"]:
    state["units_unit"] = state["selected_unit"]
chosen = st.selectbox(
    t("units.choose", L),
    list(names),
    index=None,
    key="units_unit",
    format_func=names.get,
    placeholder=t("units.choose", L),
    on_change=lambda: state.update(selected_unit=state["units_unit"]),
)

if chosen:
    unit = snap.store.node(chosen)
    st.subheader(unit["name"])
    rows = []
    for row in data.question(snap, "org", name=unit["name"]):
        if row["organization_key"] == chosen:
            status = task_status({"deadline": row["due"]}, as_of, int(within))
            rows.append(
                {
                    **row,
                    "status": status if status in ("overdue", "due") else None,
                    "doc_ref": document_label(snap.store.node(row["doc_key"]), L),
                }
            )
    st.markdown(f"**{t('units.tasks_of', L)}**")
    TASK_COLUMNS = ("due", "status", "role", "text", "doc_ref", "deadline_text", "goals")
    show_table(
        people_rows(rows, TASK_COLUMNS, L, headers={"text": "columns.task"}),
        key="units_tasks",
        targets=[(r["doc_key"], r["task_key"]) for r in rows],
    )
    source_picker(rows, "units_tasks", lambda r: f"{r['doc_ref']} · {r['task_id']} · {shorten(r['text'], 80)}")
    row_downloads(
        rows,
        {k: t("columns.task" if k == "text" else f"columns.{k}", L) for k in TASK_COLUMNS},
        key="units_tasks_dl",
        name="viec-cua-don-vi",
    )

st.subheader(t("units.compare", L))
top = st.slider(t("units.top", L), 5, 60, 20, key="units_top")
load = unit_load(units, top)
if load:
    shown = [
        {
            **r,
            "status": term("statuses", r["status"], L)
            if r["status"] in ("overdue", "due")
            else t("columns.no_deadline", L)
            if r["status"] == "none"
            else t("columns.tasks", L),
        }
        for r in load
    ]
    order = [u["unit"] for u in units[:top]]
    chart = (
        alt.Chart(alt.Data(values=shown))
        .mark_bar()
        .encode(
            x=alt.X("tasks:Q", title=t("columns.tasks", L)),
            y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=380)),
            color=alt.Color("status:N", title=t("columns.status", L)),
            tooltip=[
                alt.Tooltip("unit:N", title=t("columns.unit", L)),
                alt.Tooltip("status:N", title=t("columns.status", L)),
                alt.Tooltip("tasks:Q", title=t("columns.tasks", L)),
            ],
        )
    )
    st.altair_chart(chart.properties(height=max(200, 24 * len(order))), width="stretch")
UNIT_COLUMNS = (
    "unit",
    "tasks",
    "lead",
    "support",
    "overdue",
    "due_soon",
    "no_deadline",
    "documents",
    "next_due",
)
show_table(people_rows(units[:top], UNIT_COLUMNS, L, link=None), key="units_compare")
