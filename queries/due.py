"""What is due soon, or overdue, as of a date the caller gives (no clock is read here).

    run(store, as_of="2026-01-10", within=30)      # due from 10/01 to 09/02/2026, both included
    run(store, as_of="2026-01-10", overdue=True)   # due before 10/01/2026
    run(store, as_of=date(2026, 1, 10), org="Sở Nội vụ")

A task is due by its deadline, else by the end of its period ("Quý I/2026" → 2026-03-31)
unless it recurs. The graph knows no completion, so "overdue" means due before `as_of`.
`org` keeps the tasks that organisation (resolved as in queries/org.py) leads or supports.

Result keys:
    status          "overdue" | "due"
    due, due_basis  the due date and why ("deadline" | "period_end")
    days            due − as_of in days (negative when overdue)
    task_key, task_id, text, deadline_text
    doc_key, doc_ref, doc_issuer, doc_level, doc_date
    leads, supports the organisations' names, sorted

Sorted by due, then task_key (overdue: the same, oldest first).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graph.model import LEAD, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date, role_orgs

from .targets import QueryError, as_iso, doc_summary

KEYS = ("status", "due", "due_basis", "days", "task_key", "task_id", "text", "deadline_text", "doc_key", "doc_ref",
        "doc_issuer", "doc_level", "doc_date", "leads", "supports")


def run(store: EmbeddedStore, as_of: date | str, *, within: int = 30, overdue: bool = False, org: str | None = None,
        limit: int | None = None) -> list[dict[str, Any]]:
    today = date.fromisoformat(as_iso(as_of))
    if within < 0:
        raise QueryError(f"within must be 0 or more days, not {within}")
    if overdue:
        keys = store.tasks_due_between("0000-01-01", (today - timedelta(days=1)).isoformat())
    else:
        keys = store.tasks_due_between(today.isoformat(), (today + timedelta(days=within)).isoformat())
    if org:
        orgs = set(store.find_organizations(org))
        if not orgs:
            raise QueryError(f"'{org}': no organisation by that name")
        keys = [k for k in keys if any(o in orgs for rel in (LEAD, SUPPORT) for o, _ in store.out(k, rel))]
    rows = []
    for key in keys[:limit] if limit is not None else keys:
        task = store.node(key)
        when = due_date(task)
        assert when is not None  # the due index holds only tasks with a due date
        days = (date.fromisoformat(when[0]) - today).days
        rows.append({"status": "overdue" if days < 0 else "due", "due": when[0], "due_basis": when[1], "days": days,
                     "task_key": key, "task_id": task["task_id"], "text": task["text"],
                     "deadline_text": task.get("deadline_text"), **doc_summary(store, task["doc_key"]),
                     "leads": role_orgs(store, key, LEAD), "supports": role_orgs(store, key, SUPPORT)})
    return rows  # the due index is in (due, task_key) order already
