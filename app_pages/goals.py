"""Mục tiêu: the goal tree; a goal's cascade by level, its diagrams, and who implements it."""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.diagram import draw_diagram
from explorer.goaltree import cascade_tiers
from explorer.labels import t, term
from explorer.ui import (
    lang,
    require_snapshot,
    safe_name,
    show_table,
    source_picker,
    task_downloads,
)
from explorer.view import document_label, people_rows, shorten, show_date
from explorer.who import column_config as who_columns
from explorer.who import count_text, looks_damaged, who_table

L = lang()
snap = require_snapshot()
state = st.session_state

tree = data.table(snap, "goal_tree")
by_key = {g.key: g for g in tree}
if not tree:
    st.info(t("app.nothing", L))
    st.stop()

# A goal named by a link (?goal=), a click in the graph, or another page, before the chooser is drawn.
asked = st.query_params.get("goal")
if asked in by_key and asked != state.get("goals_query_seen"):
    state["goals_query_seen"] = asked
    state["selected_goal"] = asked
pending = state.pop("goals_pending", None)
if pending in by_key:
    state["selected_goal"] = pending
if state.get("selected_goal") not in by_key:
    state["selected_goal"] = next((g.key for g in tree if g.kind == "solution_group"), tree[0].key)
if state.get("goals_goal") != state["selected_goal"]:
    state["goals_goal"] = state["selected_goal"]
    state["goals_expand"] = []


def chosen_goal() -> None:
    state["selected_goal"] = state["goals_goal"]
    state["goals_expand"] = []


st.title(t("goals.heading", L))
goal = st.selectbox(
    t("goals.choose", L),
    [g.key for g in tree],
    key="goals_goal",
    format_func=lambda k: f"{'— ' * by_key[k].depth}{k} · {shorten(by_key[k].title, 110)} ({by_key[k].tasks})",
    on_change=chosen_goal,
)
node = by_key[goal]
st.subheader(f"{goal} — {node.title}")
st.caption(f"{term('goal_kinds', node.kind, L)} · {node.tasks} {t('stats.tasks', L).lower()}")

# One view at a time, not tabs: a hidden tab's graph component would be laid out at zero width
# and stay blank, and the views not shown cost nothing.
view = st.segmented_control(
    t("goals.view", L),
    ("who", "cascade", "diagram"),
    default="who",
    required=True,
    key="goals_view",
    format_func=lambda v: t(f"goals.{v}", L),
    label_visibility="collapsed",
)

if view == "who":
    rows = data.question(snap, "who", target=goal)
    if not rows:
        st.info(t("goals.no_tasks", L))
    flagged = {f["task_key"] for f in snap.store.findings if f.get("task_key")}
    table = who_table(
        rows,
        snap.store.node,
        lambda r: r["task_key"] in flagged or looks_damaged(r["task_text"]),
        L,
    )
    if table.capped:
        st.caption(
            t("goals.who_capped", L, shown=count_text(len(table.rows), L), total=count_text(table.total, L))
        )
    show_table(
        table.rows,
        key="goals_who",
        height=460,
        targets=[(r["doc_key"], r["task_key"]) for r in table.source_rows],
        column_config=who_columns(L),
    )
    source_picker(
        table.source_rows,
        "goals_who",
        lambda r: (
            f"{document_label(snap.store.node(r['doc_key']), L, width=60)} · {r['task_id']} · "
            f"{shorten(r['organization'], 60)}"
        ),
    )
    if rows:
        task_downloads(snap, goal, key="goals_who_dl", name=f"nhiem-vu-{safe_name(goal)}")

if view == "cascade":
    left, right = st.columns(2)
    depth = left.slider(t("goals.depth", L), 0, 4, 3, key="goals_depth")
    max_children = right.slider(t("goals.max_children", L), 3, 50, 12, key="goals_max_children")
    cascade = data.question(
        snap, "cascade", target=goal, depth=depth, max_children=max_children, max_tasks=max_children
    )
    tiers = cascade_tiers(cascade)
    if not tiers:
        st.info(t("goals.no_tasks", L))
    for block in tiers:
        st.markdown(
            f"#### {term('tiers', block.tier, L)} — "
            f"{t('goals.tier_docs', L, docs=len(block.documents), tasks=block.task_count)}"
        )
        for doc in block.documents:
            tasks = block.tasks.get(doc["key"], [])
            node = snap.store.node(doc["key"]) or {}
            title = " · ".join(
                x
                for x in (
                    document_label(node, L, width=70) if node else doc["label"],
                    node.get("issuer") if node.get("ref") else None,
                    term("levels", doc["level"], L),
                    show_date(doc["date"]) if node.get("ref") else None,
                    t("goals.n_tasks", L, n=len(tasks) + block.more.get(doc["key"], 0)),
                )
                if x
            )
            with st.expander(title):
                task_rows = [
                    {
                        "task_id": r["label"].split(". ", 1)[0],
                        "task": r["label"].split(". ", 1)[-1],
                        "due": r["date"],
                        "served_goal": r["served_goal"],
                        "method": r["method"],
                        "doc_key": doc["key"],
                        "task_key": r["key"],
                    }
                    for r in tasks
                ]
                show_table(
                    people_rows(task_rows, ("task_id", "task", "due", "served_goal", "method"), L),
                    key=f"goals_tier_{doc['key']}",
                    targets=[(doc["key"], r["key"]) for r in tasks],
                )
                if block.more.get(doc["key"]):
                    st.caption(t("app.more", L, n=block.more[doc["key"]]))
        if block.more.get(""):
            st.caption(t("app.more", L, n=block.more[""]))

if view == "diagram":
    draw_diagram(snap, goal, key="goals")
