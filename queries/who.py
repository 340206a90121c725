"""Who implements a goal, or every goal a central document sets.

    run(store, target="57.SOL.1")          # a goal id (case-insensitive)
    run(store, target="57-NQ/TW")          # a central document's ref or key: each top goal it sets

A task implements a goal when it SERVES the goal or a goal PART_OF it (at any depth); its
organisations are the task's LEAD and SUPPORT organisations. One row per task × goal
queried × organisation × role; a task with no organisation gives one row with
`organization` None.

Result keys:
    goal            the goal asked about (for a document: each top goal it sets)
    goal_title
    served_goal     the goal the task's SERVES edge points at (goal itself or a descendant)
    path            goal ids from `goal` down to `served_goal`, both included
    method          explicit | inherited | topical | curated
    score           the link's score (float)
    evidence        the link's evidence (list of str: matched terms, named parts, headings)
    task_key, task_id, task_text
    due, due_basis  the date the task is due by and why ("deadline", "period_end"), or None
    deadline_text   the deadline as printed
    doc_key, doc_ref, doc_issuer, doc_level, doc_date
    organization    the organisation's name, or None
    organization_key
    role            "lead" | "support" | None
    implicit        True when the lead is implicit (the letter's recipients)

Sorted by goal, then served_goal (the goal first, then the goals PART_OF it, breadth first),
doc_ref, task_key; a task's rows lead first, each role by organisation name. `method` keeps only links made that way; `role` only
rows with that role; `limit` cuts the sorted list, and the rows past it are never made:
`chidao who` asks for its first 200 rows (cli_queries.WHO_ROWS), a broad goal's whole answer
being every task below it (69k rows for 57.SOL.1 in the 100k-document benchmark).
"""
from __future__ import annotations

from typing import Any

from graph.model import LEAD, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date

from .targets import QueryError, doc_summary, documents, goal_key, goal_subtree, top_goals_set_by

KEYS = ("goal", "goal_title", "served_goal", "path", "method", "score", "evidence", "task_key", "task_id",
        "task_text", "due", "due_basis", "deadline_text", "doc_key", "doc_ref", "doc_issuer", "doc_level",
        "doc_date", "organization", "organization_key", "role", "implicit")


def goals_for(store: EmbeddedStore, target: str) -> list[str]:
    goal = goal_key(store, target)
    if goal:
        return [goal]
    docs = documents(store, target)
    if not docs:
        raise QueryError(f"'{target}': no goal id, nor document ref, key or path, by that name")
    goals = sorted({g for d in docs for g in top_goals_set_by(store, d)})
    if not goals:
        raise QueryError(f"'{target}' sets no goals in the catalog (only central documents do)")
    return goals


def run(store: EmbeddedStore, target: str, *, method: str | None = None, role: str | None = None,
        limit: int | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    docs: dict[str, tuple[Any, ...]] = {}  # doc_summary of each document met, made once per question
    for goal in goals_for(store, target):
        title = store.node(goal)["title"]
        for served, path in goal_subtree(store, goal):
            for task, link in store.served_by.get(served, ()):  # by the task's document ref, then key
                if method and link.get("method") != method:
                    continue
                found = _task_rows(store, task, link, goal, title, served, path, docs)
                rows += found if role is None else [r for r in found if r["role"] == role]
                if limit is not None and len(rows) >= limit:
                    return rows[:limit]
    return rows


def _task_rows(store: EmbeddedStore, task: str, link: dict[str, Any], goal: str, title: str, served: str,
               path: list[str], docs: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    # Each row written out whole, in KEYS order, from locals: a broad goal is tens of
    # thousands of rows, and a shared base dict merged into each costs a copy per row.
    nodes = store.graph._node
    props = nodes[task]
    when = due_date(props)
    due, due_basis = when if when else (None, None)
    doc_key = props["doc_key"]
    doc = docs.get(doc_key)
    if doc is None:
        summary = doc_summary(store, doc_key)
        doc = docs[doc_key] = (summary["doc_ref"], summary["doc_issuer"], summary["doc_level"], summary["doc_date"])
    doc_ref, doc_issuer, doc_level, doc_date = doc
    method, score = link.get("method"), link.get("score")
    evidence = list(link.get("evidence") or ())
    task_id, text, deadline_text = props["task_id"], props["text"], props.get("deadline_text")
    path = list(path)
    # the task's LEAD and SUPPORT edges read from its adjacency at once (a task has a handful)
    leads, supports = [], []
    for org, edges in store.graph._succ[task].items():
        if LEAD in edges:
            leads.append((nodes[org]["name"], org, edges[LEAD]))
        if SUPPORT in edges:
            supports.append((nodes[org]["name"], org, edges[SUPPORT]))
    found = [(name, org, "lead", bool(edge.get("implicit", False))) for name, org, edge in sorted(leads)] + \
        [(name, org, "support", bool(edge.get("implicit", False))) for name, org, edge in sorted(supports)]
    if not found:
        found = [(None, None, None, False)]
    return [{"goal": goal, "goal_title": title, "served_goal": served, "path": path, "method": method,
             "score": score, "evidence": evidence, "task_key": task, "task_id": task_id, "task_text": text,
             "due": due, "due_basis": due_basis, "deadline_text": deadline_text, "doc_key": doc_key,
             "doc_ref": doc_ref, "doc_issuer": doc_issuer, "doc_level": doc_level, "doc_date": doc_date,
             "organization": name, "organization_key": org, "role": role, "implicit": implicit}
            for name, org, role, implicit in found]
