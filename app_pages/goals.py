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
from explorer.view import people_rows, show_date

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
    format_func=lambda k: f"{'— ' * by_key[k].depth}{k} · {by_key[k].title[:110]} ({by_key[k].tasks})",
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
    WHO_COLUMNS = ("organization", "role", "task_text", "due", "doc_ref", "method", "evidence", "served_goal")
    shown = [{**r, "doc_ref": r["doc_ref"] or r["doc_issuer"]} for r in rows]
    show_table(
        people_rows(shown, WHO_COLUMNS, L),
        key="goals_who",
        targets=[(r["doc_key"], r["task_key"]) for r in rows],
    )
    source_picker(
        rows,
        "goals_who",
        lambda r: f"{r['doc_ref'] or r['doc_issuer']} · {r['task_id']} · {(r['organization'] or '')[:60]}",
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
            level, day = term("levels", doc["level"], L), show_date(doc["date"])
            title = f"{doc['label']} · {level} · {day} · {len(tasks)}"
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
