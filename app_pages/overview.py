"""Tổng quan: each solution group and target of 57-NQ/TW, and each unit, what needs attention first."""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.labels import t
from explorer.ui import lang, require_snapshot, row_downloads, show_table
from explorer.view import people_rows

L = lang()
snap = require_snapshot()
as_of = st.session_state["as_of"]

st.title(t("overview.heading", L))
st.caption(t("overview.intro", L))
left, right = st.columns([1, 2])
within = left.number_input(
    t("app.within", L), min_value=0, max_value=365, value=30, step=7, key="overview_within"
)
only_traced = right.toggle(t("overview.only_traced", L), value=False, key="overview_only_traced")

goals = data.table(snap, "goal_attention", as_of=as_of, within=int(within))
if only_traced:
    goals = [g for g in goals if g["tasks"]]
GOAL_COLUMNS = (
    "goal",
    "goal_kind",
    "goal_title",
    "overdue",
    "due_soon",
    "tasks",
    "documents",
    "units",
    "next_due",
    "no_deadline",
)
st.subheader(t("overview.by_goal", L))


def open_goal(index: int) -> None:
    st.session_state["selected_goal"] = goals[index]["goal"]
    st.switch_page("app_pages/goals.py")


show_table(people_rows(goals, GOAL_COLUMNS, L, link="goal"), key="overview_goals", on_pick=open_goal)

goal_options = [g["goal"] for g in goals]
titles = {g["goal"]: g["goal_title"] for g in goals}
pick, go = st.columns([5, 1], vertical_alignment="bottom")
chosen = pick.selectbox(
    t("goals.choose", L),
    goal_options,
    index=None,
    key="overview_goal",
    format_func=lambda g: f"{g} — {titles.get(g) or ''}",
    placeholder=t("goals.choose", L),
)
if go.button(t("app.open", L), key="overview_goal_open", disabled=chosen is None) and chosen:
    st.session_state["selected_goal"] = chosen
    st.switch_page("app_pages/goals.py")

st.subheader(t("overview.by_unit", L))
units = data.table(snap, "unit_attention", as_of=as_of, within=int(within))
UNIT_COLUMNS = (
    "unit",
    "overdue",
    "due_soon",
    "tasks",
    "lead",
    "support",
    "documents",
    "next_due",
    "province",
)
show_table(people_rows(units, UNIT_COLUMNS, L, link=None), key="overview_units")
row_downloads(units, {k: t(f"columns.{k}", L) for k in UNIT_COLUMNS}, key="overview_units_dl", name="don-vi")
